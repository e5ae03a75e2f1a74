// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-CPU areas of a kernel whose kallsyms has text symbols only.
 *
 * __per_cpu_offset[] and nr_cpu_ids are data symbols, unknown there.  But
 * every task points at its CPU's runqueue: task->se.cfs_rq is a cfs_rq of
 * that CPU (CONFIG_FAIR_GROUP_SCHED), whose ->rq is the CPU's struct rq,
 * which is the per-CPU variable runqueues.  BTF's DATASEC says where
 * runqueues sits in .data..percpu, so rq minus that offset is the CPU's
 * copy of the whole section: per-CPU variables are then section offsets
 * (zero_based) over these bases.  Each CPU has tasks bound to it
 * (cpuhp/N, migration/N), so walking init_task's list finds every online
 * CPU's area; a rq whose ->cpu disagrees with the task's CPU is not taken.
 *
 * What this cannot give is __per_cpu_start, so dynamic __percpu pointers
 * (per_cpu_ptr) stay unavailable: vm_percpu_ptr() says so.
 */
#include "percpu.h"

#include <inttypes.h>
#include <string.h>

#include "../types/types.h"
#include "list.h"

#define PERCPU_SECTION ".data..percpu"
/* leaders on the task list; CPU-bound kernel threads come early */
#define DERIVE_MAX_TASKS 65536u

struct derive_layout {
	uint64_t tasks, cpu, cfs_rq, rq_of_cfs, rq_cpu, runqueues;
};

static int derive_layout(struct vm_kernel *k, struct derive_layout *d, struct vm_err *e)
{
	struct vm_types *ts = vm_kernel_types(k, e);
	char sec[64];

	if (!ts)
		return -1;
	if (vm_types_var_section(ts, "runqueues", sec, sizeof(sec), &d->runqueues, e) < 0)
		return -1;
	if (strcmp(sec, PERCPU_SECTION))
		return vm_fail(e, VM_EFORMAT, "runqueues is in section %s, not %s", sec,
			       PERCPU_SECTION);
	if (vm_kernel_offsetof(k, "task_struct", "thread_info.cpu", &d->cpu, NULL, e) < 0 &&
	    vm_kernel_offsetof(k, "task_struct", "cpu", &d->cpu, NULL, e) < 0)
		return -1;
	if (vm_kernel_offsetof(k, "task_struct", "tasks", &d->tasks, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "task_struct", "se.cfs_rq", &d->cfs_rq, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "cfs_rq", "rq", &d->rq_of_cfs, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "rq", "cpu", &d->rq_cpu, NULL, e) < 0) {
		vm_err_prefix(e, "(needs CONFIG_FAIR_GROUP_SCHED) ");
		return -1;
	}
	return 0;
}

/* CPU numbers can run past the count of CPU notes (an offline CPU in
 * between): the array grows to the highest CPU a task proves. */
static int grow(struct vm_percpu *pc, uint32_t cpu)
{
	struct vm_err e;
	uint64_t *o;

	if (cpu < pc->nr_cpu_ids)
		return 0;
	if (cpu >= VM_CPUS_MAX)
		return -1;
	o = vm_realloc_array(pc->offset, (size_t)cpu + 1, sizeof(*o), &e);
	if (!o)
		return -1;
	memset(o + pc->nr_cpu_ids, 0, (cpu + 1 - pc->nr_cpu_ids) * sizeof(*o));
	pc->offset = o;
	pc->nr_cpu_ids = cpu + 1;
	return 0;
}

/* 1 when task t gave its CPU's area, 0 when it told nothing new. */
static int from_task(struct vm_percpu *pc, const struct derive_layout *d, uint64_t t)
{
	struct vm_err re;
	uint64_t cfs_rq, rq;
	uint32_t cpu, rq_cpu;

	if (vm_kread_u32(pc->m, t + d->cpu, &cpu, &re) < 0 ||
	    (cpu < pc->nr_cpu_ids && pc->offset[cpu]) ||
	    vm_kread_u64(pc->m, t + d->cfs_rq, &cfs_rq, &re) < 0 || !cfs_rq ||
	    vm_kread_u64(pc->m, cfs_rq + d->rq_of_cfs, &rq, &re) < 0 ||
	    rq < d->runqueues || !((rq - d->runqueues) >> 63) ||
	    vm_kread_u32(pc->m, rq + d->rq_cpu, &rq_cpu, &re) < 0 || rq_cpu != cpu ||
	    grow(pc, cpu) < 0)
		return 0;
	pc->offset[cpu] = rq - d->runqueues;
	return 1;
}

int vm_percpu_derive(struct vm_kernel *k, struct vm_percpu *pc, struct vm_err *e)
{
	struct derive_layout d;
	struct vm_list_walk w;
	struct vm_err we;
	uint64_t init_task, node;
	unsigned found = 0;
	int r;

	if (derive_layout(k, &d, e) < 0 ||
	    vm_kernel_symbol(k, "init_task", &init_task, e) < 0) {
		vm_err_prefix(e, "per-CPU areas from the runqueues: ");
		return -1;
	}
	found += (unsigned)from_task(pc, &d, init_task);
	vm_list_init(&w, pc->m, init_task + d.tasks, DERIVE_MAX_TASKS, VM_LIST_CHECK_PREV);
	/* every leader: a CPU beyond the notes' count shows up anywhere */
	while ((r = vm_list_next(&w, &node, &we)) > 0)
		found += (unsigned)from_task(pc, &d, node - d.tasks);
	if (!found)
		return vm_fail(e, VM_ENOENT, "per-CPU areas from the runqueues: no task "
			       "leads to a runqueue");
	pc->zero_based = true;
	pc->start = 0;
	pc->derived = true;
	vm_kernel_note(k, "per-CPU: the areas of %u of %u CPUs, from their runqueues "
		       "(kallsyms has text symbols only)", found, pc->nr_cpu_ids);
	return 0;
}
