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

#include "../elf/elffile.h"
#include "../rd.h"

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

struct vm_kreloc *vm_kreloc_open(struct vm_elffile *f, struct vm_err *e)
{
	struct vm_kreloc *kr;
	int pc = vm_elffile_sec_index(f, ".data..percpu");
	unsigned percpu = pc > 0 ? (unsigned)pc : 0, i, nsec = vm_elffile_nsec(f);
	size_t cap = 0, total = 0;
	bool le = vm_elffile_le(f);

	if (vm_elffile_machine(f) != EM_X86_64 || !vm_elffile_is64(f)) {
		vm_fail(e, VM_EUNSUP, "%s: boot relocation of ELF machine %u not known",
			vm_elffile_path(f), vm_elffile_machine(f));
		return NULL;
	}
	kr = vm_calloc(1, sizeof(*kr), e);
	if (!kr)
		return NULL;
	for (i = 1; i < nsec; i++) {
		const struct vm_elfsec *rs = vm_elffile_sec(f, i), *to, *sym;
		const uint8_t *rd, *sd, *strd;
		size_t rn, sn, strn, n, j;

		if (rs->type != SHT_RELA || rs->info >= nsec || rs->link >= nsec)
			continue;
		to = vm_elffile_sec(f, rs->info);
		if (!(to->flags & SHF_ALLOC) || rs->info == percpu)
			continue;
		sym = vm_elffile_sec(f, rs->link);
		if (sym->link >= nsec)
			continue;
		if (vm_elffile_sec_data(f, i, &rd, &rn, e) < 0 ||
		    vm_elffile_sec_data(f, rs->link, &sd, &sn, e) < 0 ||
		    vm_elffile_sec_data(f, sym->link, &strd, &strn, e) < 0)
			goto fail;
		n = rn / 24;
		total += n;
		if (total > MAX_RELOCS) {
			vm_fail(e, VM_ENOMEM, "%s: more than %u relocations", vm_elffile_path(f),
				MAX_RELOCS);
			goto fail;
		}
		for (j = 0; j < n; j++) {
			const uint8_t *p = rd + j * 24, *s;
			uint64_t info = vm_rd64(p + 8, le), symi = info >> 32;
			uint32_t type = (uint32_t)info, nameoff;
			unsigned shndx;
			const char *name = "";
			int kind;

			if (symi >= sn / 24)
				continue;
			s = sd + symi * 24;
			shndx = vm_rd16(s + 6, le);
			nameoff = vm_rd32(s, le);
			if (nameoff < strn && memchr(strd + nameoff, 0, strn - nameoff))
				name = (const char *)strd + nameoff;
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
			kr->r[kr->n++] = (struct rel){ vm_rd64(p, le), (uint8_t)kind };
		}
	}
	if (!kr->n) {
		vm_fail(e, VM_ENOENT, "%s has no link-time relocations (.rela.text): it "
			"was not linked with --emit-relocs, or they were stripped",
			vm_elffile_path(f));
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
