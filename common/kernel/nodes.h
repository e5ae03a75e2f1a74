/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory nodes (struct pglist_data) and their zones (struct zone).
 *
 * Where the pglist_data are:
 *   - node_data[] (NUMA; VMCOREINFO SYMBOL/LENGTH(node_data) on x86_64
 *     since v2.6.x), for every node set in node_online_map;
 *   - contig_page_data (one node, !NUMA);
 *   - a kernel whose kallsyms has no data symbols (Debian arm64) has
 *     neither: a free page leads there instead.  A free page of order n is
 *     on zone->free_area[n].free_list[migratetype]; following its list
 *     from page to page reaches the one entry that is not a struct page,
 *     the list head inside the zone.  The zone found so is kept only if
 *     its zone_pgdat's node_zones[] holds it at its index and its name is
 *     a zone name.  One free page per node (by pfn range) finds them all.
 */
#ifndef VM_KERNEL_NODES_H
#define VM_KERNEL_NODES_H

#include <stdbool.h>
#include <stdint.h>

#include "fld.h"
#include "memmap.h"
#include "page.h"

#define VM_ZONES_MAX 8          /* MAX_NR_ZONES is at most 6 */
#define VM_NODES_MAX 1024       /* MAX_NUMNODES, NODES_SHIFT 10 */
#define VM_ORDERS_MAX 16        /* NR_PAGE_ORDERS: 11 (4K pages) .. 14 */
#define VM_MIGRATE_MAX 8        /* MIGRATE_TYPES */

struct vm_zone {
	uint64_t addr;
	int node;
	unsigned idx;
	char name[16];
	uint64_t start_pfn, spanned, present, managed;
	bool have_present, have_managed;
	uint64_t wmark[3];          /* _watermark[WMARK_MIN/LOW/HIGH] */
	bool have_wmark;
	uint64_t nr_free;           /* vm_stat[NR_FREE_PAGES] */
	uint64_t mem_map;           /* struct page of start_pfn; 0 unknown */
};

struct vm_node {
	uint64_t pgdat;
	int id;
	uint64_t start_pfn, spanned;
	unsigned nzones;            /* MAX_NR_ZONES: every zone, populated or not */
	struct vm_zone zone[VM_ZONES_MAX];
};

struct vm_nodes {
	struct vm_kernel *k;
	struct vm_node *node;
	unsigned n;
	const char *how;            /* where the pglist_data were found */
	unsigned max_nr_zones, nr_orders, nr_migrate;
	uint64_t zone_size, free_area_size;
	struct vm_fld zone_name, zone_start_pfn, zone_spanned, zone_present, zone_managed,
		zone_vm_stat, zone_free_area, zone_wmark, zone_pgdat, fa_free_list,
		fa_nr_free, pgdat_node_zones, pgdat_start_pfn, pgdat_spanned, pgdat_id,
		pgdat_vm_stat;
	int64_t nr_free_pages_item;     /* NR_FREE_PAGES */
};

/* Find every online node and read its zones.  mm and pl are needed only
 * when no data symbol leads to the nodes. */
int vm_nodes_read(struct vm_kernel *k, const struct vm_memmap *mm,
		  const struct vm_page_layout *pl, struct vm_nodes *nd, struct vm_err *e);
void vm_nodes_free(struct vm_nodes *nd);
/* The same for a program: the mem_map is read when needed. */
int vm_nodes_open(struct vm_kernel *k, struct vm_nodes *nd, struct vm_err *e);

/* The free lists of one zone, walked (bounded, loop-checked): blocks per
 * order and migrate type and each list head's address. */
struct vm_free_lists {
	uint64_t head[VM_ORDERS_MAX][VM_MIGRATE_MAX];
	uint64_t blocks[VM_ORDERS_MAX][VM_MIGRATE_MAX];
	uint64_t nr_free[VM_ORDERS_MAX];    /* free_area[order].nr_free */
	uint64_t pages;                     /* sum of blocks << order */
	bool broken;                        /* a list walk stopped: see warn */
	struct vm_err warn;
};
int vm_zone_free_lists(const struct vm_nodes *nd, const struct vm_zone *z,
		       struct vm_free_lists *out, struct vm_err *e);

/* Sum of managed pages of every zone (totalram_pages as the kernel keeps
 * it: each adjust_managed_page_count() moves both). */
uint64_t vm_nodes_managed(const struct vm_nodes *nd);
/* The zone holding pfn, or NULL. */
const struct vm_zone *vm_nodes_zone_of(const struct vm_nodes *nd, uint64_t pfn);

#endif
