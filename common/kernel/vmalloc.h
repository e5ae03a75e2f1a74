/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmalloc's busy areas (struct vmap_area), as crash's `kmem -v` lists
 * them: those with a vm_struct (vmalloc, vmap, ioremap, module and stack
 * areas; not vm_map_ram's).
 *
 * Where they are: vmap_area_list (VMCOREINFO SYMBOL(vmap_area_list) and
 * OFFSET(vmap_area.list/va_start) since v4.x) until v6.8; since v6.9
 * (55c49fee57af, d093602919ad) each of nr_vmap_nodes struct vmap_node in
 * vmap_nodes[] keeps its busy areas on busy.head.
 */
#ifndef VM_KERNEL_VMALLOC_H
#define VM_KERNEL_VMALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

struct vm_vmap_area {
	uint64_t va;                 /* struct vmap_area */
	uint64_t start, end;         /* [va_start, va_end): includes the guard page */
	uint64_t vm;                 /* struct vm_struct */
	uint64_t caller;             /* vm_struct.caller: who allocated it */
	uint64_t flags;              /* vm_struct.flags (VM_IOREMAP, VM_ALLOC ...) */
	uint64_t nr_pages, phys_addr;
};

struct vm_vmap_list {
	struct vm_vmap_area *a;      /* sorted by start */
	size_t n;
	const char *how;
};

int vm_vmap_areas(struct vm_kernel *k, struct vm_vmap_list *l, struct vm_err *e);
void vm_vmap_list_free(struct vm_vmap_list *l);
/* The area holding addr, or NULL. */
const struct vm_vmap_area *vm_vmap_find(const struct vm_vmap_list *l, uint64_t addr);

#endif
