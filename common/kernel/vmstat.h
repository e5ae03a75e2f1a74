/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's vm_stat counters by name, as /proc/vmstat and crash's
 * `kmem -V` show them.
 *
 *   zone  enum zone_stat_item, global vm_zone_stat[] (v4.8+, 75ef71840539;
 *         vm_stat[] before, which then held every item), per zone
 *         zone->vm_stat[];
 *   node  enum node_stat_item, global vm_node_stat[] (v4.8+), per node
 *         pglist_data->vm_stat[];
 *   event enum vm_event_item, the per-CPU vm_event_states summed over the
 *         CPUs (CONFIG_VM_EVENT_COUNTERS);
 *   numa  enum numa_stat_item, global vm_numa_stat[] (v4.14 .. v5.13, per
 *         zone zone->vm_numa_stat[]; v5.14 made them per-CPU events,
 *         vm_numa_event[], which crash's kmem -V does not show): absent
 *         (VM_EUNSUP) on other kernels.
 * An item's name is the last enumerator with its value, as crash prints
 * them (NR_ZONE_INACTIVE_ANON, not its alias NR_ZONE_LRU_BASE).
 *
 * The global arrays are what /proc/meminfo reads: the per-CPU deltas not
 * yet folded into them are not added (global_zone_page_state()).  A kernel
 * whose kallsyms lacks the data symbols gets the same numbers by summing
 * the zones' and nodes' own arrays, which the kernel folds into at the
 * same time as into the global ones (fold_diff(), refresh_cpu_vm_stats()).
 */
#ifndef VM_KERNEL_VMSTAT_H
#define VM_KERNEL_VMSTAT_H

#include <stdint.h>

#include "nodes.h"

enum vm_vmstat_kind {
	VM_VMSTAT_ZONE,
	VM_VMSTAT_NODE,
	VM_VMSTAT_EVENT,
	VM_VMSTAT_NUMA,
};

#define VM_VMSTAT_ITEMS_MAX 512

struct vm_vmstat {
	enum vm_vmstat_kind kind;
	unsigned n;
	const char *name[VM_VMSTAT_ITEMS_MAX];
	int64_t value[VM_VMSTAT_ITEMS_MAX];
	const char *how;          /* "vm_zone_stat", "sum of the zones' vm_stat" ... */
};

/* The names of a kind's items (n = NR_VM_*_ITEMS); values zeroed. */
int vm_vmstat_names(struct vm_kernel *k, enum vm_vmstat_kind kind,
		    struct vm_vmstat *st, struct vm_err *e);
/* Global values (names filled too).  Without the global arrays' symbols
 * the zones' or nodes' own arrays are summed: those of nd, or (nd NULL) of
 * the nodes opened for the call. */
int vm_vmstat_global(struct vm_kernel *k, const struct vm_nodes *nd,
		     enum vm_vmstat_kind kind, struct vm_vmstat *st, struct vm_err *e);
/* One zone's or node's own array (ZONE: zone address, NODE: pgdat). */
int vm_vmstat_local(struct vm_kernel *k, const struct vm_nodes *nd,
		    enum vm_vmstat_kind kind, uint64_t addr, struct vm_vmstat *st,
		    struct vm_err *e);
/* Value of one item by name ("NR_FILE_PAGES"); -1 if there is none. */
int vm_vmstat_get(const struct vm_vmstat *st, const char *name, int64_t *v);

#endif
