// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 unwinder setup: the layouts a walk reads (thread.cpu_context,
 * pt_regs and its frame record) and where each CPU's own stacks are.
 *
 * THREAD_SIZE is 16 KiB (MIN_THREAD_SHIFT 14) unless the page is larger
 * (then one page); IRQ stacks are as large (IRQ_STACK_SIZE), the
 * overflow stack is 4 KiB (OVERFLOW_STACK_SIZE), SDEI stacks are IRQ-sized
 * (VMAP_STACK).  A KASAN kernel doubles THREAD_SIZE; its stacks are then
 * read as the lower half (walks stop with a clear reason).
 */
#include "arm64_unwind_impl.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vmcoreinfo/vmcoreinfo.h"

#define OVERFLOW_STACK_SIZE 4096u

static int env_member(struct vm_unwinder *u, const char *type, const char *mem,
		      uint64_t *off)
{
	return u->env.member ? u->env.member(u->env.arg, type, mem, off, NULL) : -1;
}

uint64_t a64u_strip_pac(const struct vm_unwinder *u, uint64_t lr)
{
	/* kernel addresses have the PAC field all ones once stripped */
	return u->pac_mask && a64_kernel_addr(lr) ? lr | u->pac_mask : lr;
}

static void setup_layout(struct vm_unwinder *u)
{
	const struct vm_vmcoreinfo *vi = vm_mem_vmcoreinfo(u->m);
	char buf[64];
	size_t len;

	u->thread_size = u->m->page_size > 16384 ? u->m->page_size : 16384;
	u->have_stack = env_member(u, "task_struct", "stack", &u->off_stack) == 0;
	u->have_ctx = env_member(u, "task_struct", "thread.cpu_context.fp", &u->off_ctx_fp) == 0 &&
		      env_member(u, "task_struct", "thread.cpu_context.sp", &u->off_ctx_sp) == 0 &&
		      env_member(u, "task_struct", "thread.cpu_context.pc", &u->off_ctx_pc) == 0;
	u->have_ptregs = u->env.type_size &&
			 u->env.type_size(u->env.arg, "pt_regs", &u->ptregs_size) == 0 &&
			 u->ptregs_size >= A64_USER_REGS * 8 &&
			 env_member(u, "pt_regs", "stackframe", &u->off_stackframe) == 0 &&
			 u->off_stackframe + 16 <= u->ptregs_size;
	/* NUMBER(KERNELPACMASK)=0x... (v5.10+) */
	if (!vi || vm_vmci_hex(vi, "NUMBER(KERNELPACMASK)", &u->pac_mask) < 0)
		u->pac_mask = 0;
	len = (size_t)snprintf(u->how, sizeof(u->how),
			       "frame pointers (frame records); THREAD_SIZE %" PRIu64
			       "; task_struct.stack %s, thread.cpu_context %s, pt_regs "
			       "frame record %s",
			       u->thread_size, u->have_stack ? "known" : "unknown",
			       u->have_ctx ? "known" : "unknown (no sleeping tasks)",
			       u->have_ptregs ? "known" : "unknown (no exception frames)");
	if (u->pac_mask && len < sizeof(u->how)) {
		snprintf(buf, sizeof(buf), "; PAC mask %#" PRIx64, u->pac_mask);
		snprintf(u->how + len, sizeof(u->how) - len, "%s", buf);
	}
}

struct vm_unwinder *a64u_open(struct vm_mem *m, const struct vm_unwind_env *env,
			      struct vm_err *e)
{
	struct vm_unwinder *u = vm_calloc(1, sizeof(*u), e);

	if (!u)
		return NULL;
	u->m = m;
	u->env = *env;
	u->ncpu = env->nr_cpus > 0 ? env->nr_cpus : 0;
	if (u->ncpu > 4096)
		u->ncpu = 4096;
	if (u->ncpu) {
		u->cpus = vm_calloc((size_t)u->ncpu, sizeof(*u->cpus), e);
		if (!u->cpus) {
			free(u);
			return NULL;
		}
	}
	setup_layout(u);
	return u;
}

void a64u_close(struct vm_unwinder *u)
{
	if (!u)
		return;
	free(u->cpus);
	free(u);
}

const char *a64u_how(struct vm_unwinder *u)
{
	return u->how;
}

size_t a64u_regs_size(struct vm_unwinder *u)
{
	return u->have_ptregs ? (size_t)u->ptregs_size : A64_USER_REGS * 8;
}

int a64u_task_stack(struct vm_unwinder *u, uint64_t task, struct vm_stack_area *a,
		    struct vm_err *e)
{
	uint64_t base;

	if (!u->have_stack)
		return vm_fail(e, VM_ENOENT, "offset of task_struct.stack unknown (no types)");
	if (vm_kread_u64(u->m, task + u->off_stack, &base, e) < 0) {
		vm_err_prefix(e, "task %" PRIx64 " stack pointer: ", task);
		return -1;
	}
	if (!a64_kernel_addr(base) || (base & 4095))
		return vm_fail(e, VM_ECORRUPT, "task %" PRIx64 ": stack %" PRIx64
			       " is not a kernel page address", task, base);
	vm_stack_area_set(a, base, base + u->thread_size, "task", -1);
	return 0;
}

/* A per-CPU pointer to a stack (irq_stack_ptr, sdei_stack_*_ptr). */
static void add_ptr_stack(struct vm_unwinder *u, struct a64_cpu *c, int cpu,
			  const char *var, const char *name, uint64_t size)
{
	struct vm_err e;
	uint64_t addr, base;

	if (c->n >= A64_CPU_STACKS || u->env.percpu(u->env.arg, var, cpu, &addr) < 0 ||
	    vm_kread_u64(u->m, addr, &base, &e) < 0 || !base || !a64_kernel_addr(base))
		return;
	vm_stack_area_set(&c->a[c->n++], base, base + size, name, cpu);
}

const struct a64_cpu *a64u_cpu_stacks(struct vm_unwinder *u, int cpu)
{
	struct a64_cpu *c;
	uint64_t addr;

	if (cpu < 0 || cpu >= u->ncpu || !u->env.percpu)
		return NULL;
	c = &u->cpus[cpu];
	if (c->done)
		return c;
	c->done = true;
	add_ptr_stack(u, c, cpu, "irq_stack_ptr", "IRQ", u->thread_size);
	/* the overflow stack is the per-CPU array itself */
	if (u->env.percpu(u->env.arg, "overflow_stack", cpu, &addr) == 0 &&
	    c->n < A64_CPU_STACKS)
		vm_stack_area_set(&c->a[c->n++], addr, addr + OVERFLOW_STACK_SIZE, "OVERFLOW", cpu);
	add_ptr_stack(u, c, cpu, "sdei_stack_normal_ptr", "SDEI", u->thread_size);
	add_ptr_stack(u, c, cpu, "sdei_stack_critical_ptr", "SDEI", u->thread_size);
	return c;
}

unsigned a64u_stacks(struct vm_unwinder *u, uint64_t task, int cpu,
		     struct vm_stack_area *out, unsigned max)
{
	const struct a64_cpu *c;
	struct vm_err e;
	unsigned n = 0, i;

	if (task && max && a64u_task_stack(u, task, &out[0], &e) == 0)
		n = 1;
	c = a64u_cpu_stacks(u, cpu);
	for (i = 0; c && i < c->n && n < max; i++)
		out[n++] = c->a[i];
	return n;
}
