// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The task that panicked (see tasks.h for the rule).
 */
#include "tasks_impl.h"

#include <inttypes.h>
#include <stdlib.h>

#include "datasyms.h"
#include "printk.h"

static int read_cpu_var(struct vm_kernel *k, struct vm_mem *m, const char *sym,
			int32_t *v)
{
	struct vm_err re;
	uint64_t addr;
	uint32_t x;

	if (vm_kernel_symbol(k, sym, &addr, &re) < 0 || vm_kread_u32(m, addr, &x, &re) < 0)
		return -1;
	*v = (int32_t)x;
	return 0;
}

/* A text-only kallsyms has no panic_cpu: the log's stack-dump header
 * after the panic message says which CPU. */
static int log_cpu(struct vm_kernel *k, unsigned nr_cpu_ids, int32_t *cpu)
{
	struct vm_err pe;
	struct vm_printk *p;
	int c, pid, r = -1;

	if (!vm_kernel_text_only(k))
		return -1;
	p = vm_printk_open_kernel(k, 0, &pe);
	if (!p)
		return -1;
	if (vm_printk_panic_cpu(p, &c, &pid) == 1 && (unsigned)c < nr_cpu_ids) {
		*cpu = c;
		r = 0;
	}
	vm_printk_close(p);
	return r;
}

int vm_panic_task(struct vm_kernel *k, struct vm_task_info *out, struct vm_err *e)
{
	struct vm_percpu pc;
	struct vm_cpumask online;
	struct vm_err re;
	struct task_layout l;
	const char *how = NULL;
	uint64_t rq, curr;
	int32_t cpu = -1, v;
	unsigned i;
	uint8_t *buf;
	int r;

	if (vm_task_layout_init(&l, k, e) < 0)
		return -1;
	if (!l.have_rq)
		return vm_fail(e, VM_ENOENT, "panic task: no runqueue type (rq.curr) to find it");
	if (vm_percpu_open(k, &pc, e) < 0) {
		vm_err_prefix(e, "panic task: ");
		return -1;
	}
	/* panic_cpu: atomic_t, PANIC_CPU_INVALID (-1) until panic() or
	 * crash_kexec() claims it (v4.5, 1717f2096b54) */
	if (read_cpu_var(k, l.m, "panic_cpu", &v) == 0 && v >= 0 &&
	    (unsigned)v < pc.nr_cpu_ids)
		cpu = v, how = "panic_cpu";
	/* x86: crashing_cpu, set by kdump's NMI shootdown */
	else if (read_cpu_var(k, l.m, "crashing_cpu", &v) == 0 && v >= 0 &&
		 (unsigned)v < pc.nr_cpu_ids)
		cpu = v, how = "crashing_cpu";
	else if (vm_cpumask_read(k, VM_CPUS_ONLINE, &online, &re) == 0 &&
		 vm_cpumask_weight(&online) == 1) {
		for (i = 0; i < online.nbits; i++)
			if (vm_cpumask_test(&online, i))
				cpu = (int32_t)i;
		how = "the only online CPU";
	} else if (log_cpu(k, pc.nr_cpu_ids, &v) == 0) {
		cpu = v, how = "the kernel log (CPU: line of the panic's stack dump)";
	}
	if (cpu < 0) {
		vm_percpu_close(&pc);
		return vm_fail(e, VM_ENOENT, "panic task: no CPU recorded as panicking "
			       "(panic_cpu and crashing_cpu unset, several CPUs online)");
	}
	r = vm_percpu_lookup(&pc, "runqueues", (unsigned)cpu, &rq, e);
	vm_percpu_close(&pc);
	if (r < 0 || vm_kread_u64(l.m, rq + l.rq_curr, &curr, e) < 0) {
		vm_err_prefix(e, "panic task: current task of CPU %d (%s): ", cpu, how);
		return -1;
	}
	buf = vm_malloc(l.window, e);
	if (!buf)
		return -1;
	r = vm_task_layout_read(&l, curr, buf, out, e);
	free(buf);
	if (r < 0) {
		vm_err_prefix(e, "panic task (CPU %d from %s): ", cpu, how);
		return -1;
	}
	out->active_cpu = cpu;
	if (out->pid == 0)
		out->idle = true;
	return 0;
}
