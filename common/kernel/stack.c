// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Backtraces (stack.h): the services the arch unwinder borrows from this
 * layer, and where each walk starts.
 */
#include "stack.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../elf/elffile.h"
#include "debuginfo.h"
#include "modules.h"
#include "percpu.h"

struct vm_bt {
	struct vm_kernel *k;
	struct vm_mem *m;
	const struct vm_arch *arch;
	const struct vm_unwind_ops *ops;
	struct vm_unwinder *u;
	struct vm_symtab *st;
	struct vm_percpu pc;
	bool have_pc;
	unsigned nr_cpus;
	struct vm_elffile *elf;       /* vmlinux, for file-backed tables */
	char how[2048];
};

static int cb_symbol(void *arg, const char *name, uint64_t *addr)
{
	struct vm_bt *b = arg;
	const struct vm_sym *s;

	if (b->k->vi && vm_vmci_symbol(b->k->vi, name, addr) == 0)
		return 0;
	if (!b->st)
		return -1;
	s = vm_sym_by_name(b->st, name, NULL);
	if (!s)
		return -1;
	*addr = s->addr;
	return 0;
}

static int cb_percpu(void *arg, const char *name, int cpu, uint64_t *addr)
{
	struct vm_bt *b = arg;
	struct vm_err e;

	if (!b->have_pc || cpu < 0)
		return -1;
	return vm_percpu_lookup(&b->pc, name, (unsigned)cpu, addr, &e);
}

static int cb_member(void *arg, const char *type, const char *member,
		     uint64_t *off, uint64_t *size)
{
	struct vm_bt *b = arg;
	struct vm_err e;

	return vm_kernel_offsetof(b->k, type, member, off, size, &e);
}

static int cb_size(void *arg, const char *type, uint64_t *size)
{
	struct vm_bt *b = arg;
	struct vm_err e;

	return vm_kernel_sizeof(b->k, type, size, &e);
}

static uint64_t cb_module_of(void *arg, uint64_t pc)
{
	struct vm_bt *b = arg;
	const struct vm_module *mod = vm_kernel_module_by_addr(b->k, pc);

	return mod ? mod->addr : 0;
}

bool vm_bt_is_text(struct vm_bt *b, uint64_t pc)
{
	const struct vm_sym *s;
	uint64_t off;

	if (!b->st)
		return false;
	s = vm_sym_by_addr(b->st, pc, &off);
	if (!s || !strchr("tTwW", s->type))
		return false;
	/* past the end of a sized symbol is a gap, not text */
	if (s->size && off >= s->size)
		return false;
	/* below the next symbol when the size is unknown: bound the guess */
	return s->size || off < (1u << 20);
}

static bool cb_is_text(void *arg, uint64_t pc)
{
	return vm_bt_is_text(arg, pc);
}

static bool cb_func_of(void *arg, uint64_t pc, uint64_t *start, const char **name)
{
	struct vm_bt *b = arg;
	const struct vm_sym *s;
	uint64_t off;

	if (!vm_bt_is_text(b, pc))
		return false;
	s = vm_sym_by_addr(b->st, pc, &off);
	*start = s->addr;
	*name = s->name;
	return true;
}

static int cb_section(void *arg, const char *name, const void **data, size_t *size,
		      uint64_t *addr)
{
	struct vm_bt *b = arg;
	const struct vm_elfsec *sec;
	const uint8_t *d;
	size_t n;
	struct vm_err e;

	if (!b->elf) {
		const char *path = vm_kernel_vmlinux(b->k, &e);

		if (!path || !(b->elf = vm_elffile_open(path, &e)))
			return -1;
	}
	sec = vm_elffile_sec_named(b->elf, name);
	if (!sec || vm_elffile_sec_data_named(b->elf, name, &d, &n, &e) < 0)
		return -1;
	*data = d;
	*size = n;
	*addr = sec->addr;
	return 0;
}

struct vm_bt *vm_bt_open(struct vm_kernel *k, unsigned flags, struct vm_err *e)
{
	struct vm_unwind_env env = { 0 };
	struct vm_err se = { 0 };
	struct vm_bt *b;

	b = vm_calloc(1, sizeof(*b), e);
	if (!b)
		return NULL;
	b->k = k;
	b->m = vm_kernel_mem(k, e);
	if (!b->m)
		goto fail;
	b->arch = vm_mem_arch(b->m);
	b->ops = b->arch->unwind;
	if (!b->ops) {
		vm_fail(e, VM_EUNSUP, "no stack unwinder for %s yet", b->arch->name);
		goto fail;
	}
	/* Symbols are not strictly needed (ORC tables can be named in
	 * VMCOREINFO by a future kernel), but without them nothing is found. */
	b->st = vm_kernel_symtab(k, &se);
	if (!b->st)
		vm_kernel_note(k, "backtrace: no symbols: %s", se.msg);
	if (vm_percpu_open(k, &b->pc, &se) == 0) {
		b->have_pc = true;
		b->nr_cpus = b->pc.nr_cpu_ids;
	} else {
		vm_kernel_note(k, "backtrace: no per-CPU offsets: %s", se.msg);
	}
	env.arg = b;
	env.symbol = cb_symbol;
	env.percpu = cb_percpu;
	env.member = cb_member;
	env.type_size = cb_size;
	env.module_of = cb_module_of;
	env.is_text = cb_is_text;
	env.func_of = cb_func_of;
	env.vmlinux_section = cb_section;
	env.nr_cpus = (int)b->nr_cpus;
	env.flags = flags;
	b->u = b->ops->open(b->m, &env, e);
	if (!b->u)
		goto fail;
	snprintf(b->how, sizeof(b->how), "%s", b->ops->how(b->u));
	return b;
fail:
	vm_bt_close(b);
	return NULL;
}

void vm_bt_close(struct vm_bt *b)
{
	if (!b)
		return;
	if (b->u)
		b->ops->close(b->u);
	if (b->have_pc)
		vm_percpu_close(&b->pc);
	vm_elffile_close(b->elf);
	free(b);
}

const char *vm_bt_how(struct vm_bt *b)
{
	return b->how;
}

const struct vm_arch *vm_bt_arch(struct vm_bt *b)
{
	return b->arch;
}

unsigned vm_bt_stacks(struct vm_bt *b, uint64_t task, int cpu,
		      struct vm_stack_area *out, unsigned max)
{
	return b->ops->stacks(b->u, task, cpu, out, max);
}

bool vm_bt_regs_at(struct vm_bt *b, uint64_t addr, struct vm_regs *r, bool *user)
{
	return b->ops->regs_at(b->u, addr, r, user);
}

size_t vm_bt_regs_size(struct vm_bt *b)
{
	return b->ops->regs_size(b->u);
}

static bool on_stacks(const struct vm_stack_area *a, unsigned n, uint64_t sp)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (sp >= a[i].lo && sp < a[i].hi)
			return true;
	return false;
}

static bool qemu_notes(struct vm_bt *b)
{
	size_t i, n = vm_dump_nr_notes(b->k->dump);

	for (i = 0; i < n; i++) {
		const struct vm_note *no = vm_dump_note(b->k->dump, i);

		if (no && no->name && !strcmp(no->name, "QEMU"))
			return true;
	}
	return false;
}

int vm_bt_cpu_regs(struct vm_bt *b, int cpu, uint64_t task, struct vm_regs *r,
		   struct vm_err *e)
{
	struct vm_stack_area a[VM_UNWIND_MAX_STACKS];
	struct vm_task_info ti;
	struct vm_err re = { 0 };
	int n = vm_mem_nr_cpu_regs(b->m), i, pass;
	unsigned na;

	if (n <= 0)
		return vm_fail(e, VM_ENOENT, "the dump has no CPU register notes");
	na = vm_bt_stacks(b, task, cpu, a, VM_UNWIND_MAX_STACKS);
	/* First the note of the same index (QEMU writes one per vCPU in
	 * order; kdump one per online CPU in order), then any note whose
	 * stack pointer is on this task's stacks, then kdump's pr_pid. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			if ((pass == 0) != (i == cpu))
				continue;
			if (vm_mem_cpu_regs(b->m, i, r, &re) < 0)
				continue;
			if (na && on_stacks(a, na, r->r[b->arch->sp_reg]))
				return 0;
		}
	/* kdump's crash_save_cpu() records current's pid; QEMU writes the
	 * vCPU index + 1 there, which matches some other task. */
	if (!qemu_notes(b) && task && vm_task_read(b->k, task, &ti, &re) == 0 &&
	    ti.pid > 0)
		for (i = 0; i < n; i++)
			if (vm_mem_cpu_regs(b->m, i, r, &re) == 0 && r->pid == ti.pid)
				return 0;
	/* A CPU in user mode: its sp is on no kernel stack.  Trust the index
	 * when there is one note per CPU. */
	if (cpu >= 0 && cpu < n && (unsigned)n == b->nr_cpus &&
	    vm_mem_cpu_regs(b->m, cpu, r, &re) == 0 &&
	    !vm_bt_is_text(b, r->r[b->arch->pc_reg]))
		return 0;
	return vm_fail(e, VM_ENOENT, "no CPU note has a stack pointer on the "
		       "stacks of task %" PRIx64 " (CPU %d)", task, cpu);
}

int vm_bt_regs(struct vm_bt *b, uint64_t task, int cpu, const struct vm_regs *r,
	       struct vm_unwind_res *res, struct vm_err *e)
{
	struct vm_unwind_req req = { .task = task, .cpu = cpu, .regs = r };

	return b->ops->walk(b->u, &req, res, e);
}

int vm_bt_task(struct vm_bt *b, const struct vm_task_info *t,
	       struct vm_unwind_res *res, bool *from_regs, struct vm_err *e)
{
	struct vm_unwind_req req = { .task = t->task, .cpu = t->cpu };
	struct vm_regs r;
	struct vm_err re = { 0 };

	*from_regs = false;
	if (t->active_cpu >= 0 &&
	    vm_bt_cpu_regs(b, t->active_cpu, t->task, &r, &re) == 0) {
		req.cpu = t->active_cpu;
		req.regs = &r;
		*from_regs = true;
	}
	return b->ops->walk(b->u, &req, res, e);
}

int vm_bt_manual(struct vm_bt *b, const struct vm_task_info *t, uint64_t sp,
		 uint64_t pc, struct vm_unwind_res *res, struct vm_err *e)
{
	struct vm_unwind_req req = {
		.task = t->task,
		.cpu = t->active_cpu >= 0 ? t->active_cpu : -1,
		.start_sp = sp,
		.start_pc = pc,
	};

	if (!sp)
		return vm_fail(e, VM_EINVAL, "no stack pointer to start from");
	return b->ops->walk(b->u, &req, res, e);
}
