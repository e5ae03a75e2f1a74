/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the arm64 unwinder (arm64_unwind*.c): its state, set up once
 * by arm64_unwind_setup.c (layouts, stack sizes, per-CPU stacks) and used
 * by the walks in arm64_unwind.c.
 */
#ifndef VM_ARM64_UNWIND_IMPL_H
#define VM_ARM64_UNWIND_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "arm64.h"
#include "mem_impl.h"
#include "unwind.h"

/* struct user_pt_regs, the head of struct pt_regs: x0..x30, sp, pc,
 * pstate (uapi: fixed forever) */
#define A64_USER_REGS 34
#define A64_MODE_MASK 0xfu
#define A64_EL0T 0x0u
#define A64_EL1T 0x4u
#define A64_EL1H 0x5u

/* per-CPU stacks besides the task's: IRQ, overflow, SDEI normal/critical */
#define A64_CPU_STACKS 4

struct a64_cpu {
	bool done;
	unsigned n;
	struct vm_stack_area a[A64_CPU_STACKS];
};

struct vm_unwinder {
	struct vm_mem *m;
	struct vm_unwind_env env;
	uint64_t thread_size;          /* THREAD_SIZE = IRQ_STACK_SIZE */
	bool have_stack, have_ctx, have_ptregs;
	uint64_t off_stack;            /* task_struct.stack */
	uint64_t off_ctx_fp, off_ctx_sp, off_ctx_pc;   /* thread.cpu_context */
	uint64_t ptregs_size, off_stackframe;          /* struct pt_regs */
	uint64_t pac_mask;             /* VMCOREINFO KERNELPACMASK */
	int ncpu;
	struct a64_cpu *cpus;
	char how[768];
};

static inline bool a64_kernel_addr(uint64_t a)
{
	return a >> 63;
}

/* setup */
struct vm_unwinder *a64u_open(struct vm_mem *m, const struct vm_unwind_env *env,
			      struct vm_err *e);
void a64u_close(struct vm_unwinder *u);
const char *a64u_how(struct vm_unwinder *u);
size_t a64u_regs_size(struct vm_unwinder *u);
int a64u_task_stack(struct vm_unwinder *u, uint64_t task, struct vm_stack_area *a,
		    struct vm_err *e);
const struct a64_cpu *a64u_cpu_stacks(struct vm_unwinder *u, int cpu);
unsigned a64u_stacks(struct vm_unwinder *u, uint64_t task, int cpu,
		     struct vm_stack_area *out, unsigned max);
/* A return address as code: pointer-authentication bits cleared. */
uint64_t a64u_strip_pac(const struct vm_unwinder *u, uint64_t lr);

#endif
