/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crash's `kmem` layouts, written to a stream the program chose (as
 * vm_types_print_def() writes crash's `struct`): the text form of what
 * meminfo.h, slab.h, nodes.h and vmstat.h collect.  Column widths are
 * crash 8.0.2's for 64-bit kernels, so that scripts written against crash
 * keep working.
 */
#ifndef VM_KERNEL_KMEM_TEXT_H
#define VM_KERNEL_KMEM_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "../kernel/addrinfo.h"
#include "../kernel/meminfo.h"
#include "../kernel/nodes.h"
#include "../kernel/page.h"
#include "../kernel/slab.h"
#include "../kernel/vmstat.h"

/* kmem -i; an item the meminfo lacks is printed as "-" and "(unknown)". */
void vm_kmem_text_info(FILE *f, const struct vm_meminfo *mi);

/* kmem -s: header and one row per cache ("?" counts when !counted). */
void vm_kmem_text_cache_header(FILE *f);
void vm_kmem_text_cache(FILE *f, const struct vm_slab_cache *c);

/* kmem -S NAME: the cache's row, then its CPUs' and nodes' slabs. */
void vm_kmem_text_cache_detail(FILE *f, const struct vm_slab_detail *d);

/* kmem -f: a zone's line and (fl non-NULL) its free areas; crash's
 * START_MAPNR counts from the node's first pfn. */
void vm_kmem_text_free_zone(FILE *f, const struct vm_nodes *nd, const struct vm_node *n,
			    const struct vm_zone *z, const struct vm_free_lists *fl, bool first);

/* kmem -z: one zone and its counters. */
void vm_kmem_text_zone(FILE *f, const struct vm_zone *z, const struct vm_vmstat *st);

/* kmem -V: sections of counters, names right-aligned to the longest of
 * the group (crash aligns the zone and node sections together). */
void vm_kmem_text_vmstat(FILE *f, const char *title, const struct vm_vmstat *st,
			 size_t width, bool blank_before);
size_t vm_kmem_text_name_width(const struct vm_vmstat *st);
/* kmem -V: each kind that is ok[i] under its title, the zone, node and
 * NUMA names right-aligned to one width. */
void vm_kmem_text_counters(FILE *f, const char *const *titles, const struct vm_vmstat *st,
			   const bool *ok, unsigned n);
/* kmem -f's last line: nr_free_pages, and what the free lists held. */
void vm_kmem_text_free_total(FILE *f, uint64_t nr_free, uint64_t found);

/* ADDRESS: one line, the address, its kind and what the kind has. */
void vm_kmem_text_addr(FILE *f, const struct vm_addr_info *a);

#endif
