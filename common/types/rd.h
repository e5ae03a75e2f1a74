/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unaligned, endian-explicit loads for the file parsers of this layer.
 * The caller has checked the bounds.
 */
#ifndef VM_TYPES_RD_H
#define VM_TYPES_RD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t vm_rd16(const void *p, bool le)
{
	const uint8_t *b = p;

	return le ? (uint16_t)(b[0] | b[1] << 8) : (uint16_t)(b[1] | b[0] << 8);
}

static inline uint32_t vm_rd32(const void *p, bool le)
{
	const uint8_t *b = p;

	if (le)
		return (uint32_t)b[0] | (uint32_t)b[1] << 8 |
		       (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return (uint32_t)b[3] | (uint32_t)b[2] << 8 |
	       (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
}

static inline uint64_t vm_rd64(const void *p, bool le)
{
	const uint8_t *b = p;
	uint64_t lo = vm_rd32(b, le), hi = vm_rd32(b + 4, le);

	return le ? (hi << 32 | lo) : (lo << 32 | hi);
}

/* n = 1..8 bytes, zero-extended */
static inline uint64_t vm_rdn(const void *p, unsigned n, bool le)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)b[le ? i : n - 1 - i] << (8 * i);
	return v;
}

#endif
