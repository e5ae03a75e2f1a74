/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's array of struct page (the "mem_map"), as SPARSEMEM lays it
 * out: physical memory in sections of 2^SECTION_SIZE_BITS bytes, each
 * present section with its own run of struct pages, found through
 * mem_section[] (VMCOREINFO SYMBOL/LENGTH/SIZE(mem_section), OFFSET(
 * mem_section.section_mem_map), NUMBER(SECTION_SIZE_BITS) and
 * NUMBER(MAX_PHYSMEM_BITS), all since v2.6.24..v4.15).  x86_64 and arm64
 * have only SPARSEMEM; with SPARSEMEM_VMEMMAP every section's run is a
 * slice of one virtual array, without it each run is separate: both are
 * decoded the same way, section by section.
 *
 * section_mem_map holds the section's mem_map minus the section's first
 * pfn (in struct page units, so that mem_map(pfn) = coded + pfn) with
 * flags in its low bits: SECTION_MARKED_PRESENT (bit 0), SECTION_HAS_MEM_MAP
 * (bit 1), then IS_ONLINE, IS_EARLY, TAINT_ZONE_DEVICE, IS_VMEMMAP_PREINIT
 * as kernels added them (at most 6 bits through v7.x; the enum's
 * SECTION_MAP_LAST_BIT says how many where the types have it).
 */
#ifndef VM_KERNEL_MEMMAP_H
#define VM_KERNEL_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

struct vm_memmap_run {
	uint64_t page;               /* struct page of pfn0 */
	uint64_t pfn0, npages;       /* pfns [pfn0, pfn0 + npages) */
};

struct vm_memmap {
	struct vm_kernel *k;
	struct vm_mem *m;
	uint32_t page_size;          /* the kernel's PAGE_SIZE */
	unsigned page_shift;
	uint64_t psize;              /* sizeof(struct page) */
	unsigned section_bits;       /* SECTION_SIZE_BITS */
	uint64_t pages_per_section;
	uint64_t nr_sections;        /* sections below the dump's highest address */
	uint64_t max_pfn;            /* one past the highest pfn of a present section */
	/* present sections, pfn order, neighbours merged (one run under
	 * SPARSEMEM_VMEMMAP when RAM has no section-sized holes) */
	struct vm_memmap_run *runs;
	size_t nruns;
	/* the same, in struct page address order, for page -> pfn */
	struct vm_memmap_run *by_page;
	uint64_t present_sections;
};

/* Read mem_section[] once.  Fails naming what the dump lacks. */
int vm_memmap_open(struct vm_kernel *k, struct vm_memmap *mm, struct vm_err *e);
void vm_memmap_close(struct vm_memmap *mm);

/* struct page of pfn; -1 (VM_ENOENT) when its section is not present. */
int vm_memmap_page(const struct vm_memmap *mm, uint64_t pfn, uint64_t *page,
		   struct vm_err *e);
/* The struct page that contains address addr (any byte of it): its pfn and
 * start; false when addr is in no present section's mem_map. */
bool vm_memmap_pfn(const struct vm_memmap *mm, uint64_t addr, uint64_t *pfn,
		   uint64_t *page);

/*
 * Every struct page of every present section, in pfn order, handed over
 * in batches: fn(ctx, pfn, page, buf, n) with buf holding n struct pages
 * (n * psize bytes) for pfns pfn..pfn+n-1.  A batch the dump does not
 * hold is skipped and counted in *unreadable (pages).  fn returns 0 to go
 * on, -1 to stop (its error in e).
 */
int vm_memmap_scan(const struct vm_memmap *mm,
		   int (*fn)(void *ctx, uint64_t pfn, uint64_t page, const uint8_t *buf,
			     size_t n, struct vm_err *e),
		   void *ctx, uint64_t *unreadable, struct vm_err *e);

#endif
