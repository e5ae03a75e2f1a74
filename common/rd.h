/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bytes of a file or a dump -> integers, with the byte order said at every
 * call: the one place in libvmcore that assembles integers from bytes (and
 * bytes from integers).  Everything else calls these, never memcpy() into
 * an integer or shifts bytes together itself, so no code depends on the
 * host's byte order.
 *
 *   vm_le16/32/64(p)      little-endian: the dumped kernel's memory (x86_64
 *                         and arm64 are little-endian), kdump headers,
 *                         ELF notes of a little-endian dump
 *   vm_be16/32/64(p)      big-endian: makedumpfile's flattened records,
 *                         legacy .zdebug_ sizes
 *   vm_rd16/32/64(p, le)  the order a file declares (ELF EI_DATA, BTF magic)
 *   vm_rdn(p, n, le)      n = 0..8 bytes, zero-extended (DWARF offsets of 4
 *                         or 8 bytes, strx3)
 *   vm_rdf32/64(p, le)    IEEE floats stored in that order
 *   vm_wr16/32/64/n       the stores matching the loads (relocations)
 *   vm_uleb128, vm_sleb128  DWARF's variable-length integers
 *
 * p need not be aligned.  The caller has checked that the bytes are there;
 * the LEB128 decoders take the end of the buffer and check it themselves.
 * The compilers we use turn each fixed-size load into one instruction.
 */
#ifndef VM_RD_H
#define VM_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t vm_le16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t vm_le32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static inline uint64_t vm_le64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)vm_le32(b) | (uint64_t)vm_le32(b + 4) << 32;
}

/* Big-endian: the little-endian load with its bytes swapped (one load
 * and one bswap on x86_64 and arm64, GCC and clang). */
static inline uint16_t vm_be16(const void *p)
{
	return __builtin_bswap16(vm_le16(p));
}

static inline uint32_t vm_be32(const void *p)
{
	return __builtin_bswap32(vm_le32(p));
}

static inline uint64_t vm_be64(const void *p)
{
	return __builtin_bswap64(vm_le64(p));
}

static inline uint16_t vm_rd16(const void *p, bool le)
{
	return le ? vm_le16(p) : vm_be16(p);
}

static inline uint32_t vm_rd32(const void *p, bool le)
{
	return le ? vm_le32(p) : vm_be32(p);
}

static inline uint64_t vm_rd64(const void *p, bool le)
{
	return le ? vm_le64(p) : vm_be64(p);
}

/* n = 0..8 bytes, zero-extended; n > 8 reads the first 8. */
static inline uint64_t vm_rdn(const void *p, unsigned n, bool le)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	unsigned i;

	if (n > 8)
		n = 8;
	for (i = 0; i < n; i++)
		v |= (uint64_t)b[le ? i : n - 1 - i] << (8 * i);
	return v;
}

static inline float vm_rdf32(const void *p, bool le)
{
	uint32_t u = vm_rd32(p, le);
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

static inline double vm_rdf64(const void *p, bool le)
{
	uint64_t u = vm_rd64(p, le);
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

/* n = 0..8 bytes of v, the low ones; n > 8 writes 8. */
static inline void vm_wrn(void *p, unsigned n, uint64_t v, bool le)
{
	uint8_t *b = p;
	unsigned i;

	if (n > 8)
		n = 8;
	for (i = 0; i < n; i++)
		b[le ? i : n - 1 - i] = (uint8_t)(v >> (8 * i));
}

static inline void vm_wr16(void *p, uint16_t v, bool le) { vm_wrn(p, 2, v, le); }
static inline void vm_wr32(void *p, uint32_t v, bool le) { vm_wrn(p, 4, v, le); }
static inline void vm_wr64(void *p, uint64_t v, bool le) { vm_wrn(p, 8, v, le); }

/*
 * LEB128 (DWARF 5 section 7.6).  At *p, not reading at or past end:
 *   0   decoded; *v set, *p moved past the encoding
 *   1   decoded, but the value needs more than 64 bits: *v holds its low
 *       64 bits, *p moved past it all
 *       -- right for skipping a value, wrong for using it
 *  -1   the encoding runs to end without a last byte; *p and *v unchanged
 * Padded (overlong) encodings such as 0x80 0x00 for 0 are valid DWARF and
 * decode to their value.
 */
/*
 * One pass over the LEB128 encoding at p: returns its length in bytes (0
 * when it runs to end), sets *low to payload bits 0..63 and says whether
 * the payload bits from 64 up are all zero / all one (both true when there
 * are none).
 */
static inline size_t vm_leb128_scan(const uint8_t *p, const uint8_t *end,
				    uint64_t *low, bool *hi_zero, bool *hi_one)
{
	const uint8_t *q = p;
	uint64_t r = 0;
	unsigned shift = 0;   /* of this byte's payload, capped at 70 */
	bool zero = true, one = true;

	while (q < end) {
		uint8_t b = *q++, pay = b & 0x7f, top = 0, all = 0;

		if (shift < 63) {
			r |= (uint64_t)pay << shift;
		} else if (shift == 63) {
			r |= (uint64_t)(pay & 1) << 63;
			top = pay >> 1;
			all = 0x3f;
		} else {
			top = pay;
			all = 0x7f;
		}
		if (all) {
			zero = zero && top == 0;
			one = one && top == all;
		}
		if (shift < 70)
			shift += 7;
		if (!(b & 0x80)) {
			*low = r;
			*hi_zero = zero;
			*hi_one = one;
			return (size_t)(q - p);
		}
	}
	return 0;
}

static inline int vm_uleb128(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	bool zero, one;
	size_t n;

	if (*p < end && **p < 0x80) {   /* most values: one byte */
		*v = *(*p)++;
		return 0;
	}
	n = vm_leb128_scan(*p, end, v, &zero, &one);
	if (!n)
		return -1;
	*p += n;
	return !zero;
}

static inline int vm_sleb128(const uint8_t **p, const uint8_t *end, int64_t *v)
{
	bool zero, one;
	uint64_t r;
	size_t n = vm_leb128_scan(*p, end, &r, &zero, &one);

	if (!n)
		return -1;
	if (n < 10) {
		/* sign-extend from the last payload bit, 7 * n - 1 */
		if ((r >> (7 * n - 1)) & 1)
			r |= ~(uint64_t)0 << (7 * n);
		zero = one = true;
	}
	*p += n;
	*v = (int64_t)r;
	/* it fits when every bit above 63 is a copy of bit 63 */
	return (r >> 63) ? !one : !zero;
}

#endif
