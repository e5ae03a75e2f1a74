/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the memory went: crash's `kmem -i` table from the kernel's own
 * counters, with crash's arithmetic.
 *
 *   TOTAL MEM     totalram_pages (_totalram_pages since v5.0), else the
 *                 zones' managed pages summed (what it is made of)
 *   FREE          the zones' vm_stat[NR_FREE_PAGES] summed
 *   USED          TOTAL MEM - FREE
 *   SHARED        crash's own measure, not a kernel counter: pages of the
 *                 mem_map that are not PG_reserved and have _refcount > 1
 *   BUFFERS       nr_blockdev_pages(): the block devices' page-cache pages
 *                 (blockdev_superblock's inodes since v5.9, all_bdevs before)
 *   CACHED        NR_FILE_PAGES - swap cache - BUFFERS, at least 0
 *   SLAB          NR_SLAB_RECLAIMABLE_B + NR_SLAB_UNRECLAIMABLE_B (v5.9+;
 *                 without _B before): /proc/meminfo's Slab.  crash 8.0.2
 *                 looks for the pre-5.9 names only and falls back to
 *                 counting PG_slab pages of the mem_map, i.e. slabs, not
 *                 pages (fixed in crash 8.0.3, 41d4b85ea50e); that count is
 *                 kept as slab_pages_flagged
 *   TOTAL/FREE HUGE  every hstate's nr_huge_pages / free_huge_pages in
 *                 base pages
 *   SWAP          swap_info[0..nr_swapfiles) with SWP_USED: pages, inuse_pages
 *   COMMIT LIMIT  vm_commit_limit(): overcommit_kbytes, else
 *                 (TOTAL MEM - TOTAL HUGE) * overcommit_ratio / 100, + swap
 *   COMMITTED     vm_committed_as summed as percpu_counter_sum() does:
 *                 count plus every CPU's unfolded s32 delta.  crash 8.0.2
 *                 reads count alone (kept as committed_count), which is
 *                 0 or far too small on a freshly booted system: the
 *                 deltas fold into count only past percpu_counter_batch.
 */
#ifndef VM_KERNEL_MEMINFO_H
#define VM_KERNEL_MEMINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

enum vm_meminfo_item {
	VM_MI_TOTAL, VM_MI_FREE, VM_MI_USED, VM_MI_SHARED, VM_MI_BUFFERS,
	VM_MI_CACHED, VM_MI_SLAB, VM_MI_HUGE_TOTAL, VM_MI_HUGE_FREE,
	VM_MI_SWAP_TOTAL, VM_MI_SWAP_USED, VM_MI_SWAP_FREE, VM_MI_COMMIT_LIMIT,
	VM_MI_COMMITTED,
	VM_MI_NR
};

struct vm_meminfo {
	uint32_t page_size;
	uint64_t pages[VM_MI_NR];
	bool have[VM_MI_NR];
	struct vm_err why[VM_MI_NR];    /* why an item is missing */
	const char *src[VM_MI_NR];      /* where it came from, for -v */
	/* crash 8.0.2's versions of two items, for comparison */
	uint64_t committed_count;       /* vm_committed_as.count alone */
	bool have_committed_count;
	uint64_t slab_pages_flagged;    /* head pages with the slab marker */
	uint64_t memmap_unreadable;     /* struct pages the dump lacks */
};

enum {
	VM_MEMINFO_NO_SHARED = 0x1,     /* skip the mem_map walk */
};

/* Fills what it can; -1 only when nothing at all can be read (no memory
 * view, no types).  Items that cannot be had are left with have[] false
 * and the reason in why[]. */
int vm_meminfo_collect(struct vm_kernel *k, unsigned flags, struct vm_meminfo *mi,
		       struct vm_err *e);

/* The label crash prints for an item ("TOTAL MEM", "SWAP USED"). */
const char *vm_meminfo_label(enum vm_meminfo_item i);
/* JSON key ("total_mem", "swap_used"). */
const char *vm_meminfo_key(enum vm_meminfo_item i);

#endif
