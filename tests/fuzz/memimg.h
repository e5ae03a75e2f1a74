/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A kernel memory image for the harnesses of decoders that read kernel
 * memory through a callback (printk) or a vm_mem (kallsyms):
 *
 *   u8   flags              FZ_MEM_*
 *   u16  vilen (LE)         then vilen bytes of VMCOREINFO text
 *   then regions, to the end of the input:
 *   u64  va (LE)  u32 len (LE)  then len bytes of memory at va
 *
 * Lengths running past the input are cut to it.  tests/gen/fuzzseeds.c
 * writes seeds in this format from real dumps (and from synthetic rings
 * laid out as the kernel's writer lays them out).
 */
#ifndef VM_FUZZ_MEMIMG_H
#define VM_FUZZ_MEMIMG_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"

enum {
	FZ_MEM_BE = 1 << 0,        /* big-endian kernel */
	FZ_MEM_PTR4 = 1 << 1,      /* 32-bit kernel: sizeof(long) 4 */
	FZ_MEM_LEVEL = 1 << 2,     /* VM_PRINTK_WANT_LEVEL */
	FZ_MEM_SEQ = 1 << 3,       /* VM_PRINTK_WANT_SEQ */
	FZ_MEM_PAGE1K = 1 << 4,    /* page_size 1024 instead of 4096 */
};

#define FZ_MEM_MAX_REGIONS 64

struct fz_region {
	uint64_t va;
	uint64_t len;
	const uint8_t *data;
};

struct fz_mem {
	unsigned flags;
	const char *vi;
	size_t vilen;
	struct fz_region r[FZ_MEM_MAX_REGIONS];
	size_t n;
};

static inline void fz_mem_parse(struct fz_mem *m, const uint8_t *p, size_t size)
{
	size_t off = 3;

	memset(m, 0, sizeof(*m));
	if (size < 3)
		return;
	m->flags = p[0];
	m->vilen = (size_t)(p[1] | p[2] << 8);
	if (m->vilen > size - off)
		m->vilen = size - off;
	m->vi = (const char *)p + off;
	off += m->vilen;
	while (size - off >= 12 && m->n < FZ_MEM_MAX_REGIONS) {
		struct fz_region *r = &m->r[m->n++];
		uint64_t va = 0, len = 0;

		for (int i = 7; i >= 0; i--)
			va = va << 8 | p[off + (size_t)i];
		for (int i = 3; i >= 0; i--)
			len = len << 8 | p[off + 8 + (size_t)i];
		off += 12;
		if (len > size - off)
			len = size - off;
		if (va + len < va)   /* keep va + len from wrapping */
			len = ~va;
		r->va = va;
		r->len = len;
		r->data = p + off;
		off += (size_t)len;
	}
}

/* Read [va, va+len), possibly across regions; the first region holding
 * an address wins. */
static inline int fz_mem_read(void *ctx, uint64_t va, void *buf, size_t len,
			      struct vm_err *e)
{
	const struct fz_mem *m = ctx;
	uint8_t *out = buf;

	while (len) {
		size_t i, n = 0;

		for (i = 0; i < m->n; i++) {
			const struct fz_region *r = &m->r[i];

			if (va >= r->va && va - r->va < r->len) {
				uint64_t avail = r->len - (va - r->va);

				n = avail < len ? (size_t)avail : len;
				memcpy(out, r->data + (va - r->va), n);
				break;
			}
		}
		if (!n)
			return vm_fail(e, VM_ENOPAGE, "no memory at va 0x%" PRIx64, va);
		out += n;
		va += n;
		len -= n;
	}
	return 0;
}

#endif
