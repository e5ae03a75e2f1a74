/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A member of a kernel structure as the memory-management walkers use it:
 * where it is (VMCOREINFO OFFSET() or types) and how wide, looked up once,
 * then read out of a buffer that holds the structure.  Kernels are
 * little-endian 64-bit here (the arch layer's scope).
 */
#ifndef VM_KERNEL_FLD_H
#define VM_KERNEL_FLD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel.h"

struct vm_fld {
	uint64_t off, size;
	bool ok;
};

/* A member that must exist: -1 with e naming "type.member" otherwise. */
int vm_fld_need(struct vm_kernel *k, const char *type, const char *member,
		struct vm_fld *f, struct vm_err *e);
/* A member that may not exist in this kernel: f->ok says. */
bool vm_fld_opt(struct vm_kernel *k, const char *type, const char *member,
		struct vm_fld *f);
/* A bitfield (or any member) by bits: *bit_off from the start of type,
 * *bits its width (the member's size * 8 when not a bitfield). */
int vm_fld_bits(struct vm_kernel *k, const char *type, const char *member,
		uint64_t *bit_off, unsigned *bits, struct vm_err *e);
/* sizeof(type), or 0 if unknown. */
uint64_t vm_fld_sizeof(struct vm_kernel *k, const char *type);
/* Value of an enumerator ("NR_FREE_PAGES"); VMCOREINFO NUMBER() first. */
int vm_fld_enum(struct vm_kernel *k, const char *name, int64_t *v);

/* The member's value in buf (a copy of the structure, len bytes); 0 when
 * the member is unknown or lies outside buf.  1, 2, 4, 8 bytes. */
static inline uint64_t vm_fld_u(const uint8_t *buf, size_t len, const struct vm_fld *f)
{
	uint64_t v = 0;

	if (!f->ok || f->off + f->size > len || f->size > 8)
		return 0;
	memcpy(&v, buf + f->off, f->size);   /* little-endian */
	return v;
}

static inline int64_t vm_fld_s(const uint8_t *buf, size_t len, const struct vm_fld *f)
{
	uint64_t v = vm_fld_u(buf, len, f);

	switch (f->size) {
	case 1: return (int8_t)v;
	case 2: return (int16_t)v;
	case 4: return (int32_t)v;
	default: return (int64_t)v;
	}
}

/* bits [bit_off, bit_off + bits) of buf, at most 64 wide */
static inline uint64_t vm_bits_u(const uint8_t *buf, size_t len, uint64_t bit_off,
				 unsigned bits)
{
	uint64_t v = 0, first = bit_off / 8, last = (bit_off + bits + 7) / 8;
	unsigned char tmp[16] = { 0 };
	unsigned __int128 w = 0;
	uint64_t i;

	if (!bits || bits > 64 || last > len || last - first > 9)
		return 0;
	memcpy(tmp, buf + first, last - first);
	for (i = last - first; i-- > 0;)
		w = w << 8 | tmp[i];
	v = (uint64_t)(w >> (bit_off % 8));
	return bits == 64 ? v : v & ((1ull << bits) - 1);
}

/* End of the member (for sizing a read window). */
static inline uint64_t vm_fld_end(const struct vm_fld *f)
{
	return f->ok ? f->off + f->size : 0;
}

#endif
