// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm_stat counters by name (see vmstat.h).
 */
#include "vmstat.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../types/types.h"
#include "fld.h"
#include "percpu.h"

static const struct {
	const char *type, *count, *global, *old_global, *what;
} kinds[] = {
	[VM_VMSTAT_ZONE] = { "enum zone_stat_item", "NR_VM_ZONE_STAT_ITEMS",
			     "vm_zone_stat", "vm_stat", "zone" },
	[VM_VMSTAT_NODE] = { "enum node_stat_item", "NR_VM_NODE_STAT_ITEMS",
			     "vm_node_stat", NULL, "node" },
	[VM_VMSTAT_EVENT] = { "enum vm_event_item", "NR_VM_EVENT_ITEMS",
			      "vm_event_states", NULL, "event" },
	[VM_VMSTAT_NUMA] = { "enum numa_stat_item", "NR_VM_NUMA_STAT_ITEMS",
			     "vm_numa_stat", NULL, "NUMA" },
};

int vm_vmstat_names(struct vm_kernel *k, enum vm_vmstat_kind kind,
		    struct vm_vmstat *st, struct vm_err *e)
{
	const struct vm_type *t;
	struct vm_types *ts;
	int64_t n = -1;
	unsigned i;

	memset(st, 0, sizeof(*st));
	st->kind = kind;
	ts = vm_kernel_types(k, e);
	if (!ts) {
		vm_err_prefix(e, "%s counters: ", kinds[kind].what);
		return -1;
	}
	t = vm_types_find(ts, kinds[kind].type, e);
	if (!t && kind == VM_VMSTAT_NUMA)
		return vm_fail(e, VM_EUNSUP, "no %s (a kernel without CONFIG_NUMA)",
			       kinds[kind].type);
	if (!t) {
		vm_err_prefix(e, "%s counters: ", kinds[kind].what);
		return -1;
	}
	for (i = 0; i < t->nenums; i++)
		if (!strcmp(t->enums[i].name, kinds[kind].count))
			n = t->enums[i].value;
	if (n < 0 && kind == VM_VMSTAT_NUMA)
		return vm_fail(e, VM_EUNSUP, "%s has no %s (not v4.14 .. v5.13)",
			       kinds[kind].type, kinds[kind].count);
	if (n <= 0 || n > VM_VMSTAT_ITEMS_MAX)
		return vm_fail(e, VM_EMISMATCH, "%s: %s is %" PRId64 " (at most %d)",
			       kinds[kind].type, kinds[kind].count, n, VM_VMSTAT_ITEMS_MAX);
	st->n = (unsigned)n;
	/* the last enumerator of each value names it (aliases come first:
	 * NR_ZONE_LRU_BASE = NR_ZONE_INACTIVE_ANON) */
	for (i = 0; i < t->nenums; i++) {
		int64_t v = t->enums[i].value;

		if (v >= 0 && v < n && strcmp(t->enums[i].name, kinds[kind].count))
			st->name[v] = t->enums[i].name;
	}
	for (i = 0; i < st->n; i++)
		if (!st->name[i])
			st->name[i] = "(unnamed)";
	return 0;
}

static int read_array(struct vm_mem *m, uint64_t addr, struct vm_vmstat *st, bool add,
		      struct vm_err *e)
{
	int64_t v[VM_VMSTAT_ITEMS_MAX];
	unsigned i;

	if (vm_kread(m, addr, v, 8ull * st->n, e) < 0)
		return -1;
	for (i = 0; i < st->n; i++)
		st->value[i] = add ? st->value[i] + v[i] : v[i];
	return 0;
}

static int events(struct vm_kernel *k, struct vm_mem *m, struct vm_vmstat *st,
		  struct vm_err *e)
{
	struct vm_percpu pc;
	uint64_t addr;
	unsigned cpu;
	int ret = 0;

	if (vm_percpu_open(k, &pc, e) < 0) {
		vm_err_prefix(e, "event counters (per-CPU vm_event_states): ");
		return -1;
	}
	/* every CPU's share: panic() marked the others offline, their
	 * counts still stand (crash sums CPUs 0..cpus-1 too) */
	for (cpu = 0; cpu < pc.nr_cpu_ids && ret == 0; cpu++) {
		if (pc.derived && !pc.offset[cpu])
			continue;
		if (vm_percpu_lookup(&pc, "vm_event_states", cpu, &addr, e) < 0 ||
		    read_array(m, addr, st, true, e) < 0) {
			vm_err_prefix(e, "vm_event_states of CPU %u: ", cpu);
			ret = -1;
		}
	}
	st->how = "vm_event_states summed over the CPUs";
	vm_percpu_close(&pc);
	return ret;
}

int vm_vmstat_global(struct vm_kernel *k, const struct vm_nodes *nd,
		     enum vm_vmstat_kind kind, struct vm_vmstat *st, struct vm_err *e)
{
	struct vm_mem *m = vm_kernel_mem(k, e);
	struct vm_fld numa;
	uint64_t addr;
	struct vm_err re;
	unsigned i, j;

	if (!m || vm_vmstat_names(k, kind, st, e) < 0)
		return -1;
	if (kind == VM_VMSTAT_EVENT)
		return events(k, m, st, e);
	if (vm_kernel_symbol(k, kinds[kind].global, &addr, &re) == 0 ||
	    (kinds[kind].old_global &&
	     vm_kernel_symbol(k, kinds[kind].old_global, &addr, &re) == 0)) {
		st->how = kinds[kind].global;
		if (read_array(m, addr, st, false, e) < 0) {
			vm_err_prefix(e, "%s at 0x%" PRIx64 ": ", kinds[kind].global, addr);
			return -1;
		}
		return 0;
	}
	/* no data symbols: the zones' or nodes' own arrays, summed */
	if (!nd) {
		struct vm_nodes own;
		int r;

		if (vm_nodes_open(k, &own, e) < 0) {
			vm_err_prefix(e, "%s counters: no symbol %s, and ", kinds[kind].what,
				      kinds[kind].global);
			return -1;
		}
		r = vm_vmstat_global(k, &own, kind, st, e);
		vm_nodes_free(&own);
		return r;
	}
	if (kind == VM_VMSTAT_NODE && !nd->pgdat_vm_stat.ok)
		return vm_fail(e, VM_EMISMATCH, "node counters: pglist_data has no vm_stat");
	if (kind == VM_VMSTAT_NUMA &&
	    (!vm_fld_opt(k, "zone", "vm_numa_stat", &numa) || numa.size < 8ull * st->n))
		return vm_fail(e, VM_EMISMATCH, "NUMA counters: no vm_numa_stat symbol, "
			       "and struct zone has no vm_numa_stat[%u]", st->n);
	for (i = 0; i < nd->n; i++) {
		const struct vm_node *n = &nd->node[i];

		if (kind == VM_VMSTAT_NODE) {
			if (read_array(m, n->pgdat + nd->pgdat_vm_stat.off, st, true, e) < 0)
				return -1;
			continue;
		}
		for (j = 0; j < n->nzones; j++)
			if (read_array(m, n->zone[j].addr + (kind == VM_VMSTAT_NUMA ? numa.off :
							     nd->zone_vm_stat.off), st, true, e) < 0)
				return -1;
	}
	st->how = kind == VM_VMSTAT_NODE ? "sum of the nodes' vm_stat (no vm_node_stat symbol)" :
		  kind == VM_VMSTAT_NUMA ? "sum of the zones' vm_numa_stat (no vm_numa_stat symbol)"
					 : "sum of the zones' vm_stat (no vm_zone_stat symbol)";
	return 0;
}

int vm_vmstat_local(struct vm_kernel *k, const struct vm_nodes *nd,
		    enum vm_vmstat_kind kind, uint64_t addr, struct vm_vmstat *st,
		    struct vm_err *e)
{
	struct vm_mem *m = vm_kernel_mem(k, e);
	const struct vm_fld *f = kind == VM_VMSTAT_ZONE ? &nd->zone_vm_stat : &nd->pgdat_vm_stat;

	if (!m || vm_vmstat_names(k, kind, st, e) < 0)
		return -1;
	if (kind == VM_VMSTAT_EVENT || kind == VM_VMSTAT_NUMA || !f->ok || f->size < 8ull * st->n)
		return vm_fail(e, VM_EMISMATCH, "%s counters: no per-%s array",
			       kinds[kind].what, kinds[kind].what);
	st->how = kind == VM_VMSTAT_ZONE ? "zone->vm_stat" : "pglist_data->vm_stat";
	return read_array(m, addr + f->off, st, false, e);
}

int vm_vmstat_get(const struct vm_vmstat *st, const char *name, int64_t *v)
{
	unsigned i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->name[i], name)) {
			*v = st->value[i];
			return 0;
		}
	return -1;
}
