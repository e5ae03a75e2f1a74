/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to common/symbols/: helpers the loaders share. */
#ifndef VM_SYMTAB_IMPL_H
#define VM_SYMTAB_IMPL_H

#include "symbols.h"

#include "../rd.h"

/* Apply the KASLR slide to symbols [first, count) that lie in the kernel
 * image (at or above the lowest text symbol). */
void vm_symtab_apply_slide(struct vm_symtab *st, size_t first, uint64_t slide);

/*
 * The name hash of the symbol table's index (and so of the caches of it:
 * VM_SYMTAB_INDEX_VERSION): the name's bytes as little-endian 64-bit words,
 * the last one zero-filled, each folded in by a multiply and a rotate, the
 * sum mixed once at the end.  Eight bytes a step where a byte-wise hash
 * (FNV-1a) takes one: hashing every name of a fresh kallsyms was a tenth of
 * a cold run.
 */
#define VM_SYMNAME_M 0x9e3779b97f4a7c15ull

static inline uint64_t vm_symname_step(uint64_t h, uint64_t w)
{
	h = (h ^ w) * VM_SYMNAME_M;
	return h << 29 | h >> 35;
}

static inline uint32_t vm_symname_end(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h >> 32);
}

static inline uint32_t vm_symname_hash(const char *s, size_t len)
{
	uint64_t h = len * 0xc2b2ae3d27d4eb4full, w;
	size_t i = 0, r;

	for (; i + 8 <= len; i += 8)
		h = vm_symname_step(h, vm_le64(s + i));
	r = len - i;
	if (r) {
		for (w = 0; r-- > 0;)
			w = w << 8 | (uint8_t)s[i + r];
		h = vm_symname_step(h, w);
	}
	return vm_symname_end(h);
}

/* The same of a name the caller has put 8 zero bytes after (s[len] ..
 * s[len + 7]): whole words only. */
static inline uint32_t vm_symname_hash_zpad(const char *s, size_t len)
{
	uint64_t h = len * 0xc2b2ae3d27d4eb4full;
	size_t i;

	for (i = 0; i < len; i += 8)
		h = vm_symname_step(h, vm_le64(s + i));
	return vm_symname_end(h);
}

/* The open-addressing name index of n symbols (slot + 1 per entry, 0 =
 * empty, linear probing, a power-of-two size of at least 1024 and 2n: the
 * shape vm_symtab_bulk.hash has) from their names' hashes h[]: 0 with the
 * calloc'ed table in *table, or -1. */
int vm_symtab_hash_build(const uint32_t *h, size_t n, uint32_t **table, size_t *size,
			 struct vm_err *e);

/* Symbols of a bulk base at one address (slots run[0, n), in load order)
 * into the order the table gives them: by name, stable (cmp_slots).  With
 * it a loader whose addresses never decrease makes the table's address
 * order in one pass (order[i] = i but for such runs). */
void vm_symtab_order_ties(const char *names, const uint32_t *name_off, uint32_t *run,
			  size_t n);

#endif
