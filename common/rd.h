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

static inline uint16_t vm_be16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[1] | b[0] << 8);
}

static inline uint32_t vm_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[0] << 24;
}

static inline uint64_t vm_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)vm_be32(b) << 32 | (uint64_t)vm_be32(b + 4);
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
static inline int vm_uleb128(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	const uint8_t *q = *p;
	uint64_t r = 0;
	unsigned shift = 0;
	int wide = 0;

	while (q < end) {
		uint8_t b = *q++;
		uint64_t bits = b & 0x7f;

		if (shift < 64) {
			r |= bits << shift;
			/* payload bits that fell off the top */
			if (shift > 57 && bits >> (64 - shift))
				wide = 1;
		} else if (bits) {
			wide = 1;
		}
		shift += 7;
		if (!(b & 0x80)) {
			*p = q;
			*v = r;
			return wide;
		}
	}
	return -1;
}

static inline int vm_sleb128(const uint8_t **p, const uint8_t *end, int64_t *v)
{
	const uint8_t *q = *p;
	uint64_t r = 0;
	unsigned shift = 0;
	int wide = 0;

	while (q < end) {
		uint8_t b = *q++;
		uint64_t bits = b & 0x7f;

		if (shift < 64)
			r |= bits << shift;
		shift += 7;
		if (!(b & 0x80)) {
			bool neg = b & 0x40;

			if (shift < 64) {
				if (neg)
					r |= ~(uint64_t)0 << shift;
			} else {
				/* the value fits when every bit from 63 up
				 * is a copy of the sign: check the bits of
				 * the bytes at and above bit 63 */
				const uint8_t *x;
				unsigned s = 0;
				bool sign = r >> 63;

				for (x = *p; x < q; x++, s += 7) {
					unsigned k;

					for (k = 0; k < 7; k++)
						if (s + k >= 63 &&
						    ((x[0] >> k & 1) != 0) != sign)
							wide = 1;
				}
			}
			*p = q;
			*v = (int64_t)r;
			return wide;
		}
	}
	return -1;
}

#endif
