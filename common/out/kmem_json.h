/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmkmem's records as JSON lines (vmcoreutils(7), JSON OUTPUT): the JSON
 * forms of what meminfo.h, slab.h, nodes.h, vmstat.h and addrinfo.h
 * collect; the text forms are out/kmem_text.c.  Each function writes one
 * whole record.
 */
#ifndef VM_OUT_KMEM_JSON_H
#define VM_OUT_KMEM_JSON_H

#include "../kernel/addrinfo.h"
#include "../kernel/meminfo.h"
#include "../kernel/nodes.h"
#include "../kernel/slab.h"
#include "../kernel/vmstat.h"
#include "json.h"

/* -i: every item in pages (null when unknown), page_size, committed_count,
 * slab_pages_flagged */
void vm_kmem_json_info(struct vm_json *j, const struct vm_meminfo *mi);
/* --slabs: cache, name, objsize, size, allocated, total, slabs, ssize */
void vm_kmem_json_cache(struct vm_json *j, const struct vm_slab_cache *c);
/* --slab: one record per slab (cache, slab, memory, node, total,
 * allocated, free, where: cpu / cpu_partial / node_partial / node_full,
 * cpu), with its objects [{addr, free}] where they were read */
void vm_kmem_json_slab_detail(struct vm_json *j, const struct vm_slab_detail *d);
/* --free / -z: a zone, with its free_blocks[order][migrate type] (fl) or
 * its vm_stat (st) when given */
void vm_kmem_json_zone(struct vm_json *j, const struct vm_nodes *nd, const struct vm_zone *z,
		       const struct vm_free_lists *fl, const struct vm_vmstat *st);
/* --counters: {group, name, value} per counter */
void vm_kmem_json_counters(struct vm_json *j, const char *group, const struct vm_vmstat *st);
/* ADDRESS: addr, kind and what the kind has */
void vm_kmem_json_addr(struct vm_json *j, const struct vm_addr_info *a);

#endif
