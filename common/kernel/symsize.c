// SPDX-License-Identifier: GPL-2.0-or-later
#include "symsize.h"

#include <elf.h>
#include <stdlib.h>

#include "../elf/elffile.h"
#include "../rd.h"

/* a kernel has a few hundred thousand symbols */
#define MAX_SYMS (1u << 24)

/* Open addressing by address, no sort (a run asks for a handful of
 * sizes); 8-byte slots of the offset from the image's lowest address and
 * the size: a kernel image is far below 4 GiB, and symbols without a size
 * need no slot. */
struct slot {
	uint32_t off1;          /* offset from base + 1; 0: empty */
	uint32_t size;
};

struct vm_symsizes {
	struct slot *t;
	size_t mask;
	uint64_t base;
};

static size_t hash(uint64_t a, size_t mask)
{
	a ^= a >> 29;
	a *= 0xbf58476d1ce4e5b9ull;
	a ^= a >> 32;
	return (size_t)a & mask;
}

static void put(struct vm_symsizes *z, uint32_t off, uint32_t size)
{
	size_t i = hash(off, z->mask);

	while (z->t[i].off1 && z->t[i].off1 != off + 1)
		i = (i + 1) & z->mask;
	z->t[i].off1 = off + 1;
	/* several symbols at one address: the largest size */
	if (size > z->t[i].size)
		z->t[i].size = size;
}

/* Symbol i of the table: value, size; false for the kinds with no code
 * or data extent (undefined, absolute, section, file). */
static bool entry(const uint8_t *d, size_t i, size_t esz, bool le, uint64_t *value,
		  uint64_t *size)
{
	const uint8_t *p = d + i * esz;
	unsigned shndx, type;

	if (esz == 24) {
		type = p[4] & 15;
		shndx = vm_rd16(p + 6, le);
		*value = vm_rd64(p + 8, le);
		*size = vm_rd64(p + 16, le);
	} else {
		*value = vm_rd32(p + 4, le);
		*size = vm_rd32(p + 8, le);
		type = p[12] & 15;
		shndx = vm_rd16(p + 14, le);
	}
	return shndx != SHN_UNDEF && shndx < SHN_LORESERVE && type != STT_SECTION &&
	       type != STT_FILE && *size;
}

struct vm_symsizes *vm_symsizes_open(const char *vmlinux, uint64_t slide, struct vm_err *e)
{
	struct vm_elffile *f = vm_elffile_open(vmlinux, e);
	struct vm_symsizes *z = NULL;
	const uint8_t *d;
	size_t n, i, esz, cap = 1, count = 0;
	uint64_t value, size, top = 0;
	int si;
	bool le;

	if (!f)
		return NULL;
	le = vm_elffile_le(f);
	esz = vm_elffile_is64(f) ? 24 : 16;
	si = vm_elffile_sec_index(f, ".symtab");
	if (si < 0 || vm_elffile_sec(f, (unsigned)si)->type != SHT_SYMTAB) {
		vm_fail(e, VM_ENOENT, "%s has no .symtab", vmlinux);
		goto fail;
	}
	if (vm_elffile_sec_data(f, (unsigned)si, &d, &n, e) < 0)
		goto fail;
	if (n / esz > MAX_SYMS) {
		vm_fail(e, VM_ENOMEM, "%s: %zu symbols", vmlinux, n / esz);
		goto fail;
	}
	/* the image: the 4 GiB below the highest sized symbol (per-CPU
	 * offsets and absolute values are not in it) */
	for (i = 0; i < n / esz; i++)
		if (entry(d, i, esz, le, &value, &size)) {
			count++;
			if (value > top)
				top = value;
		}
	/* (counting the few sized symbols outside the image too: a few
	 * slots more) */
	/* at most 3/4 full: a table twice that would be as many pages more
	 * to fault in as lookups a run makes */
	while (cap < count + count / 3 + 16)
		cap <<= 1;
	z = vm_calloc(1, sizeof(*z), e);
	if (!z || !(z->t = vm_calloc(cap, sizeof(*z->t), e)))
		goto fail;
	z->mask = cap - 1;
	z->base = top > 0xfffffffeull ? top - 0xfffffffeull : 0;
	for (i = 0; i < n / esz; i++)
		if (entry(d, i, esz, le, &value, &size) && value >= z->base &&
		    size <= 0xffffffffull)
			put(z, (uint32_t)(value - z->base), (uint32_t)size);
	z->base += slide;
	vm_elffile_close(f);
	return z;
fail:
	vm_symsizes_free(z);
	vm_elffile_close(f);
	return NULL;
}

void vm_symsizes_free(struct vm_symsizes *z)
{
	if (!z)
		return;
	free(z->t);
	free(z);
}

bool vm_symsizes_at(const struct vm_symsizes *z, uint64_t addr, uint64_t *size)
{
	uint32_t off;
	size_t i;

	if (addr < z->base || addr - z->base > 0xfffffffeull)
		return false;
	off = (uint32_t)(addr - z->base);
	for (i = hash(off, z->mask); z->t[i].off1; i = (i + 1) & z->mask)
		if (z->t[i].off1 == off + 1) {
			*size = z->t[i].size;
			return true;
		}
	return false;
}
