/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A real struct vm_mem over a memory image (memimg.h), for harnesses of
 * decoders that read kernel memory through vm_kread (kallsyms, the ORC
 * unwinder).  The regions become one raw dump with two linear windows
 * that x86_64 translates without page tables:
 *   - regions at or above __START_KERNEL_map: the kernel image map
 *     (-o phys_base= chosen so that they land in the image);
 *   - the others: the direct map (-o page_offset= likewise), which is
 *     where seeds put stacks (vmalloc'd in the real kernel: any address
 *     works for the unwinder).
 * Each window spans at most FZ_RAW_WIN bytes from its lowest region.
 */
#ifndef VM_FUZZ_RAWMEM_H
#define VM_FUZZ_RAWMEM_H

#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "memimg.h"

#define FZ_KMAP UINT64_C(0xffffffff80000000)   /* __START_KERNEL_map */
#define FZ_RAW_WIN (4u << 20)
#define FZ_RAW_PA UINT64_C(0x1000000)    /* where the raw image starts */

struct fz_raw {
	struct vm_dump *d;
	struct vm_mem *m;
	struct vm_opts opts;
	char phys_base[40], page_offset[40];   /* "key=0x..." for vm_opts_add_override */
};

static inline void fz_raw_close(struct fz_raw *r)
{
	vm_mem_close(r->m);
	vm_dump_close(r->d);
	r->m = NULL;
	r->d = NULL;
}

/* 0 with r->m set; -1 when the input has no usable region or the dump or
 * the arch view cannot be set up (a clean rejection, not a bug). */
static inline int fz_raw_open(struct fz_raw *r, const struct fz_mem *mem,
			      const struct vm_vmcoreinfo *vi)
{
	uint64_t lo[2] = { UINT64_MAX, UINT64_MAX }, hi[2] = { 0, 0 }, base[2], len[2];
	struct vm_dump_opts dopts = { .have_raw_base = true, .raw_base = FZ_RAW_PA,
				      .raw_machine = EM_X86_64 };
	struct vm_err e;
	const char *path;
	size_t i;
	int w, fd;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < mem->n; i++) {
		w = mem->r[i].va >= FZ_KMAP;
		if (!mem->r[i].len)
			continue;
		if (mem->r[i].va < lo[w])
			lo[w] = mem->r[i].va;
		if (mem->r[i].va + mem->r[i].len > hi[w])
			hi[w] = mem->r[i].va + mem->r[i].len;
	}
	for (w = 0; w < 2; w++) {
		if (lo[w] == UINT64_MAX) {
			len[w] = 0;
			continue;
		}
		lo[w] &= ~4095ull;
		len[w] = hi[w] - lo[w] > FZ_RAW_WIN ? FZ_RAW_WIN : hi[w] - lo[w];
		len[w] = (len[w] + 4095) & ~4095ull;
	}
	if (!len[0] && !len[1])
		return -1;
	base[1] = 0;                  /* image window first, then direct map */
	base[0] = len[1];
	/* a sparse file: only the regions are written, the rest are holes */
	fd = fz_memfd((size_t)(len[0] + len[1]), &path);
	for (i = mem->n; i-- > 0;) {  /* the first region wins, as in fz_mem_read */
		const struct fz_region *g = &mem->r[i];
		uint64_t n;

		w = g->va >= FZ_KMAP;
		if (!g->len || g->va >= lo[w] + len[w])
			continue;
		n = g->len < lo[w] + len[w] - g->va ? g->len : lo[w] + len[w] - g->va;
		fz_memfd_write(fd, g->data, (size_t)n, base[w] + (g->va - lo[w]));
	}
	r->d = vm_dump_open(path, &dopts, &e);
	if (!r->d)
		return -1;
	/* va - KMAP + phys_base = pa; va - page_offset = pa */
	snprintf(r->phys_base, sizeof(r->phys_base), "phys_base=0x%" PRIx64,
		 FZ_RAW_PA + base[1] - (lo[1] - FZ_KMAP));
	snprintf(r->page_offset, sizeof(r->page_offset), "page_offset=0x%" PRIx64,
		 lo[0] - (FZ_RAW_PA + base[0]));
	vm_opts_add_override(&r->opts, r->phys_base, &e);
	if (len[0])
		vm_opts_add_override(&r->opts, r->page_offset, &e);
	r->m = vm_mem_open(r->d, vi, &r->opts, &e);
	if (!r->m) {
		fz_raw_close(r);
		return -1;
	}
	return 0;
}

#endif
