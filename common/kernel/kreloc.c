// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 boot relocation, as arch/x86/tools/relocs.c do_reloc64() selects
 * it and arch/x86/boot/compressed/misc.c handle_relocations() applies it
 * (Linux 6.1; unchanged in substance since v4.x):
 *   R_X86_64_64                  +slide (64 bit)
 *   R_X86_64_32, R_X86_64_32S    +slide (32 bit)
 *   R_X86_64_PC32/PLT32 to a per-CPU symbol   -slide (32 bit): the code
 *                                moved, the per-CPU offsets did not
 * and nothing for absolute references to per-CPU symbols (offsets, not
 * addresses), other PC-relative ones and SHN_ABS symbols.
 */
#include "kreloc.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "../types/elfimg.h"
#include "../types/rd.h"

/* .rela.text of a 6.1 defconfig kernel has 445k entries */
#define MAX_RELOCS (64u << 20)

enum { R_ADD64, R_ADD32, R_SUB32 };

struct rel {
	uint64_t at;     /* link-time address */
	uint8_t kind;
};

struct vm_kreloc {
	struct rel *r;
	size_t n;
};

static int cmp(const void *a, const void *b)
{
	const struct rel *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

static bool percpu_sym(const char *name, unsigned shndx, unsigned percpu)
{
	return percpu && shndx == percpu && strcmp(name, "__init_begin") &&
	       strcmp(name, "__per_cpu_load") && strncmp(name, "init_per_cpu_", 13);
}

struct vm_kreloc *vm_kreloc_open(struct vm_elfimg *img, struct vm_err *e)
{
	struct vm_kreloc *kr;
	int pc = vm_elfimg_index(img, ".data..percpu");
	unsigned percpu = pc > 0 ? (unsigned)pc : 0, i;
	size_t cap = 0, total = 0;

	if (img->machine != EM_X86_64 || !img->is64) {
		vm_fail(e, VM_EUNSUP, "%s: boot relocation of ELF machine %u not known",
			img->path, img->machine);
		return NULL;
	}
	kr = vm_calloc(1, sizeof(*kr), e);
	if (!kr)
		return NULL;
	for (i = 1; i < img->nsec; i++) {
		const struct vm_elfsec *rs = &img->sec[i], *to, *sym, *str;
		size_t n, j;

		if (rs->type != SHT_RELA || rs->info >= img->nsec || rs->link >= img->nsec)
			continue;
		to = &img->sec[rs->info];
		if (!(to->flags & SHF_ALLOC) || rs->info == percpu)
			continue;
		sym = &img->sec[rs->link];
		if (sym->link >= img->nsec)
			continue;
		str = &img->sec[sym->link];
		if (rs->offset > img->map_size || rs->size > img->map_size - rs->offset ||
		    sym->offset > img->map_size || sym->size > img->map_size - sym->offset ||
		    str->offset > img->map_size || str->size > img->map_size - str->offset) {
			vm_fail(e, VM_ETRUNC, "%s: %s outside the file", img->path, rs->name);
			goto fail;
		}
		n = rs->size / 24;
		total += n;
		if (total > MAX_RELOCS) {
			vm_fail(e, VM_ENOMEM, "%s: more than %u relocations", img->path, MAX_RELOCS);
			goto fail;
		}
		for (j = 0; j < n; j++) {
			const uint8_t *p = img->map + rs->offset + j * 24, *s;
			uint64_t info = vm_rd64(p + 8, img->le), symi = info >> 32;
			uint32_t type = (uint32_t)info, nameoff;
			unsigned shndx;
			const char *name = "";
			int kind;

			if (symi >= sym->size / 24)
				continue;
			s = img->map + sym->offset + symi * 24;
			shndx = vm_rd16(s + 6, img->le);
			nameoff = vm_rd32(s, img->le);
			if (nameoff < str->size &&
			    memchr(img->map + str->offset + nameoff, 0, str->size - nameoff))
				name = (const char *)img->map + str->offset + nameoff;
			switch (type) {
			case R_X86_64_PC32: case R_X86_64_PLT32:
				if (!percpu_sym(name, shndx, percpu))
					continue;
				kind = R_SUB32;
				break;
			case R_X86_64_32: case R_X86_64_32S: case R_X86_64_64:
				if (percpu_sym(name, shndx, percpu) || shndx == SHN_ABS)
					continue;
				kind = type == R_X86_64_64 ? R_ADD64 : R_ADD32;
				break;
			default:
				continue;
			}
			if (kr->n == cap) {
				size_t nc = cap ? 2 * cap : 65536;
				struct rel *nr = vm_realloc_array(kr->r, nc, sizeof(*nr), e);

				if (!nr)
					goto fail;
				kr->r = nr;
				cap = nc;
			}
			kr->r[kr->n++] = (struct rel){ vm_rd64(p, img->le), (uint8_t)kind };
		}
	}
	if (!kr->n) {
		vm_fail(e, VM_ENOENT, "%s has no link-time relocations (.rela.text): it "
			"was not linked with --emit-relocs, or they were stripped", img->path);
		goto fail;
	}
	qsort(kr->r, kr->n, sizeof(*kr->r), cmp);
	return kr;
fail:
	vm_kreloc_free(kr);
	return NULL;
}

void vm_kreloc_free(struct vm_kreloc *r)
{
	if (!r)
		return;
	free(r->r);
	free(r);
}

size_t vm_kreloc_count(const struct vm_kreloc *r)
{
	return r->n;
}

void vm_kreloc_apply(const struct vm_kreloc *r, uint64_t link, uint8_t *buf, size_t len,
		     uint64_t slide)
{
	size_t lo = 0, hi = r->n;

	/* the first relocation that may touch buf (a field starts up to 7
	 * bytes before it) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->r[mid].at + 8 <= link)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < r->n && r->r[lo].at < link + len; lo++) {
		unsigned w = r->r[lo].kind == R_ADD64 ? 8 : 4, b;
		uint64_t v = 0, d = r->r[lo].kind == R_SUB32 ? 0 - slide : slide;
		uint64_t at = r->r[lo].at - link;

		/* only fields wholly inside buf (callers read a margin) */
		if (r->r[lo].at < link || at + w > len)
			continue;
		for (b = 0; b < w; b++)
			v |= (uint64_t)buf[at + b] << (8 * b);
		v += d;
		for (b = 0; b < w; b++)
			buf[at + b] = (uint8_t)(v >> (8 * b));
	}
}
