/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the x86_64 unwinder (x86_64_unwind*.c): the unwinder's state,
 * set up once by x86_64_unwind_setup.c (tables, layouts, stacks) and used
 * by the walks in x86_64_unwind.c.
 */
#ifndef VM_X86_64_UNWIND_IMPL_H
#define VM_X86_64_UNWIND_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "mem_impl.h"
#include "unwind.h"
#include "x86_64.h"
#include "x86_64_orc.h"

#define NR_PTREGS 21        /* r15 .. ss: the first 21 of user_regs_struct */
#define PT_IP 16
#define PT_CS 17
#define PT_FLAGS 18
#define PT_SP 19
#define PT_SS 20
#define MAX_MODS 64

#define NR_ESTACKS 6

struct cpu_stacks {
	bool done;
	unsigned n;
	struct vm_stack_area a[1 + NR_ESTACKS];
};

struct mod_orc {
	uint64_t mod;
	bool ok;
	struct orc_table t;
};

struct vm_unwinder {
	struct vm_mem *m;
	struct vm_unwind_env env;
	struct unw_cache cache;

	int orc_version;
	bool have_orc;
	bool orc_err;             /* tables there, layout unknown or damaged */
	char orc_why[256];
	struct orc_table vmlinux;
	uint64_t stext, etext, sinittext, einittext;
	bool have_mod_orc;
	uint64_t mod_off_num, mod_off_ip, mod_off_orc;
	struct mod_orc mods[MAX_MODS];
	unsigned nmods;

	bool have_task_stack, have_thread_sp;
	uint64_t off_task_stack, off_thread_sp, thread_size;
	uint64_t itf_size, itf_bp, itf_ret;
	uint64_t ptregs_size, ptregs_off[NR_PTREGS];
	uint64_t ret_from_fork;

	bool have_irqptr, have_irqhot, have_cea;
	uint64_t irqhot_off, irq_size;
	uint64_t est_off[NR_ESTACKS], est_size[NR_ESTACKS];
	int ncpu;
	struct cpu_stacks *cpus;

	char how[1536];
};

/* ---- services of the layers above ---- */

static inline int env_sym(struct vm_unwinder *u, const char *name, uint64_t *v)
{
	return u->env.symbol ? u->env.symbol(u->env.arg, name, v) : -1;
}

static inline int env_member(struct vm_unwinder *u, const char *type, const char *mem,
		      uint64_t *off, uint64_t *size)
{
	return u->env.member ? u->env.member(u->env.arg, type, mem, off, size) : -1;
}

static inline int env_size(struct vm_unwinder *u, const char *type, uint64_t *size)
{
	return u->env.type_size ? u->env.type_size(u->env.arg, type, size) : -1;
}

static inline bool is_kernel_addr(uint64_t a)
{
	return a >= UINT64_C(0xff00000000000000);
}

void x86u_how_add(struct vm_unwinder *u, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- x86_64_unwind_setup.c ---- */

struct vm_unwinder *x86u_open(struct vm_mem *m, const struct vm_unwind_env *env,
			      struct vm_err *e);
void x86u_close(struct vm_unwinder *u);
const char *x86u_how(struct vm_unwinder *u);
size_t x86u_regs_size(struct vm_unwinder *u);
unsigned x86u_stacks(struct vm_unwinder *u, uint64_t task, int cpu,
		     struct vm_stack_area *out, unsigned max);

/* CPU cpu's IRQ and exception stacks (read once), NULL if none known. */
struct cpu_stacks *x86u_cpu_stacks(struct vm_unwinder *u, int cpu);
/* [task->stack, + THREAD_SIZE) */
int x86u_task_stack(struct vm_unwinder *u, uint64_t task, struct vm_stack_area *a,
		    struct vm_err *e);
/* The ORC entry for pc (vmlinux or its module): 1, 0 none, -1 error. */
int x86u_find_orc(struct vm_unwinder *u, uint64_t pc, struct orc *o, struct vm_err *e);

#endif
