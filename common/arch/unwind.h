/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stack unwinding, the arch-neutral half: what a walk is asked (start
 * registers or a sleeping task), what it gives back (frames, the stacks it
 * crossed, why it stopped), and the services an unwinder borrows from the
 * layers above it.
 *
 * The arch layer cannot include symbols/types/kernel (they sit above it),
 * so those services come in as callbacks (struct vm_unwind_env), filled by
 * common/kernel/stack.c.  Everything arch-specific -- which symbols hold the
 * unwind tables, which per-CPU variables point at the interrupt stacks, the
 * exception-frame layout -- stays behind struct vm_unwind_ops.
 */
#ifndef VM_ARCH_UNWIND_H
#define VM_ARCH_UNWIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

/* A walk gives up after this many frames: a loop in corrupt data must end. */
#define VM_UNWIND_MAX_FRAMES 256
#define VM_UNWIND_MAX_STACKS 12

struct vm_stack_area {
	uint64_t lo, hi;          /* [lo, hi) */
	char name[16];            /* "task", "IRQ", "NMI", "DOUBLEFAULT", ... */
	int cpu;                  /* -1 for a task stack */
};

/* Services lent by the layers above.  Any callback may be NULL. */
struct vm_unwind_env {
	void *arg;
	/* Address of a kernel symbol.  0 found, -1 not. */
	int (*symbol)(void *arg, const char *name, uint64_t *addr);
	/* Address of CPU cpu's copy of a static per-CPU variable. */
	int (*percpu)(void *arg, const char *name, int cpu, uint64_t *addr);
	/* Offset (and size; size may be NULL) of a dotted member. */
	int (*member)(void *arg, const char *type, const char *member,
		      uint64_t *off, uint64_t *size);
	int (*type_size)(void *arg, const char *type, uint64_t *size);
	/* The struct module whose text holds pc, or 0. */
	uint64_t (*module_of)(void *arg, uint64_t pc);
	/* pc lies in kernel or module text (for the stack scan). */
	bool (*is_text)(void *arg, uint64_t pc);
	/* The function holding pc: its start and name; false if unknown.
	 * May be NULL. */
	bool (*func_of)(void *arg, uint64_t pc, uint64_t *start, const char **name);
	/* A section of the vmlinux file (-k): bytes and link-time address. */
	int (*vmlinux_section)(void *arg, const char *name, const void **data,
			       size_t *size, uint64_t *addr);
	int nr_cpus;              /* possible CPUs (per-CPU areas), 0 unknown */
	int orc_version;          /* x86_64 ORC layout 1..4 to force; 0: read it from
				     the kernel (.orc_header, entries) */
	unsigned flags;           /* VM_UNWIND_* */
};

#define VM_UNWIND_NO_TABLE  0x1   /* do not use unwind tables (ORC) */
#define VM_UNWIND_NO_FP     0x2   /* do not use frame pointers */
#define VM_UNWIND_NO_SCAN   0x4   /* no stack scan as a last resort */
#define VM_UNWIND_FILE_TABLE 0x8  /* tables from the vmlinux file, not memory */

struct vm_unwind_req {
	uint64_t task;            /* task_struct whose stack this is; 0 unknown */
	int cpu;                  /* its CPU (IRQ/exception stacks); -1 unknown */
	const struct vm_regs *regs;   /* start here; NULL: the task's saved frame */
	unsigned max_frames;      /* 0: VM_UNWIND_MAX_FRAMES */
	/*
	 * A manual start (crash's bt -S SP, bt -S SP -I IP), for traces the
	 * unwinder cannot start by itself; regs is ignored.  start_sp alone:
	 * the first return address (x86_64: a kernel text address after a
	 * call) or frame record (arm64: 16-aligned, its return address after
	 * a bl/blr, its next record above it) at or above start_sp -- the
	 * address in brackets on frame N's line restarts the trace at frame
	 * N, frame N's stack pointer at frame N+1.  With start_pc, the walk
	 * starts at that pc with that stack pointer (a frame's pc and sp
	 * give the frames above it).  The first frame has how ==
	 * VM_UNW_MANUAL.
	 */
	uint64_t start_sp, start_pc;
};

struct vm_unwind_res {
	struct vm_frame *frames;  /* owned; vm_unwind_res_free() */
	unsigned n, cap;
	struct vm_stack_area stacks[VM_UNWIND_MAX_STACKS];
	unsigned nstacks;         /* [0] is the task's own stack when known */
	/* Why the walk stopped: code VM_EOK when it reached the bottom of the
	 * stack (user-mode frame, or the end marker of a kernel thread). */
	int stop_code;
	char stop[1024];
	bool scanned;             /* some frames came from the stack scan */
};

struct vm_unwinder;

struct vm_unwind_ops {
	/* Find tables and stacks once; walks reuse them. */
	struct vm_unwinder *(*open)(struct vm_mem *m, const struct vm_unwind_env *env,
				    struct vm_err *e);
	/* One walk.  Fails only when nothing at all could be done (e.g. no
	 * start registers); a walk that stops early returns 0 with the frames
	 * found and the reason in res->stop. */
	int (*walk)(struct vm_unwinder *u, const struct vm_unwind_req *req,
		    struct vm_unwind_res *res, struct vm_err *e);
	/* The stacks a task on cpu may use: its own first, then the CPU's
	 * interrupt/exception stacks.  Returns how many were written. */
	unsigned (*stacks)(struct vm_unwinder *u, uint64_t task, int cpu,
			   struct vm_stack_area *out, unsigned max);
	/* Size of the exception frame (pt_regs) and whether the words at
	 * addr look like one; fills r (kernel or user mode). */
	size_t (*regs_size)(struct vm_unwinder *u);
	bool (*regs_at)(struct vm_unwinder *u, uint64_t addr, struct vm_regs *r,
			bool *user);
	/* -v: where the tables came from, stacks per CPU. */
	const char *(*how)(struct vm_unwinder *u);
	void (*close)(struct vm_unwinder *u);
};

void vm_unwind_res_free(struct vm_unwind_res *res);

/* For unwinders: the index of the stack area holding [addr, addr+len),
 * or -1; a new zeroed frame at the end of res (NULL when out of memory);
 * an area's fields. */
int vm_unwind_area_of(const struct vm_unwind_res *res, uint64_t addr, size_t len);
struct vm_frame *vm_unwind_push(struct vm_unwind_res *res);
void vm_stack_area_set(struct vm_stack_area *a, uint64_t lo, uint64_t hi,
		       const char *name, int cpu);

#endif
