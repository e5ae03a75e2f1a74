/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Backtraces of the dumped kernel's tasks: ties the arch unwinder
 * (arch/unwind.h) to what this layer knows -- symbols, types, per-CPU
 * variables, modules, the CPUs' registers at the crash.
 *
 * Where a walk starts:
 *  - a task that was running on a CPU at the crash: that CPU's registers
 *    (NT_PRSTATUS / QEMU CPU notes), matched to the CPU by the stack pointer
 *    lying on the task's or the CPU's stacks;
 *  - any other task: the frame it saved when it was switched out.
 */
#ifndef VM_STACK_H
#define VM_STACK_H

#include <stdbool.h>
#include <stdint.h>

#include "../arch/unwind.h"
#include "kernel.h"
#include "tasks.h"

struct vm_bt;

/* VM_BT_* (vmcore_types.h) are the unwinder's VM_UNWIND_* flags */
_Static_assert(VM_BT_NO_TABLE == VM_UNWIND_NO_TABLE && VM_BT_NO_FP == VM_UNWIND_NO_FP &&
	       VM_BT_NO_SCAN == VM_UNWIND_NO_SCAN &&
	       VM_BT_FILE_TABLE == VM_UNWIND_FILE_TABLE, "VM_BT_* flags");

/* Set up the unwinder once for many walks.  flags: VM_BT_*. */
struct vm_bt *vm_bt_open(struct vm_kernel *k, unsigned flags, struct vm_err *e);
void vm_bt_close(struct vm_bt *b);

/* What the unwinder found (tables, stacks), for -v. */
const char *vm_bt_how(struct vm_bt *b);

/* Registers of CPU cpu at the crash, if the dump has them and they belong
 * to task (sp on its stack or on the CPU's interrupt stacks).  0 found. */
int vm_bt_cpu_regs(struct vm_bt *b, int cpu, uint64_t task, struct vm_regs *r,
		   struct vm_err *e);

/* Backtrace of task t: from the CPU's registers when t was running at the
 * crash (t->active_cpu >= 0) and they are in the dump, else from its saved
 * frame.  *from_regs says which.  res is freed with vm_unwind_res_free(). */
int vm_bt_task(struct vm_bt *b, const struct vm_task_info *t,
	       struct vm_unwind_res *res, bool *from_regs, struct vm_err *e);

/* Backtrace from given registers (task may be 0, cpu -1). */
int vm_bt_regs(struct vm_bt *b, uint64_t task, int cpu, const struct vm_regs *r,
	       struct vm_unwind_res *res, struct vm_err *e);

/* crash's bt -S SP [-I IP] for task t (see vm_unwind_req.start_sp): a
 * walk from a stack address the caller chose, with pc 0 for none; the
 * CPU's interrupt stacks are those of t's CPU (or of the CPU whose
 * stacks hold sp). */
int vm_bt_manual(struct vm_bt *b, const struct vm_task_info *t, uint64_t sp,
		 uint64_t pc, struct vm_unwind_res *res, struct vm_err *e);

/* The stacks task on cpu may use (its own first). */
unsigned vm_bt_stacks(struct vm_bt *b, uint64_t task, int cpu,
		      struct vm_stack_area *out, unsigned max);

/* Exception-frame probe for -e searches; size of one. */
bool vm_bt_regs_at(struct vm_bt *b, uint64_t addr, struct vm_regs *r, bool *user);
size_t vm_bt_regs_size(struct vm_bt *b);

/* Register names and layout of the arch (for printing). */
const struct vm_arch *vm_bt_arch(struct vm_bt *b);

/* pc is in kernel or module text. */
bool vm_bt_is_text(struct vm_bt *b, uint64_t pc);

#endif
