// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The public face (vmcore.h): the few functions that exist only there,
 * over the layers' own.  This file includes vmcore.h and every header it
 * redeclares, so the compiler checks that each public prototype is the
 * layer's own.
 */
#include "vmcore.h"

#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "kernel/debuginfo.h"
#include "kernel/kernel.h"
#include "kernel/modules.h"
#include "kernel/printk.h"
#include "kernel/stack.h"
#include "kernel/sysinfo.h"
#include "kernel/tasks.h"
#include "symbols/symbols.h"
#include "types/types.h"

bool vm_kernel_has_module(struct vm_kernel *k, const char *name)
{
	const struct vm_modlist *ml;
	struct vm_err e;
	size_t i;

	ml = vm_kernel_modules(k, &e);
	for (i = 0; ml && i < ml->n; i++)
		if (!strcmp(ml->mods[i].name, name))
			return true;
	return false;
}

const char *vm_printk_kind(const struct vm_printk *p)
{
	return vm_printk_format_name(vm_printk_format(p));
}

/* ---- one walk ---- */

struct vm_trace {
	struct vm_unwind_res res;
};

struct vm_trace *vm_trace_task(struct vm_bt *b, const struct vm_task_info *t,
			       struct vm_err *e)
{
	struct vm_trace *tr = vm_calloc(1, sizeof(*tr), e);
	bool from_regs;

	if (!tr)
		return NULL;
	if (vm_bt_task(b, t, &tr->res, &from_regs, e) < 0) {
		vm_trace_free(tr);
		return NULL;
	}
	return tr;
}

void vm_trace_free(struct vm_trace *tr)
{
	if (!tr)
		return;
	vm_unwind_res_free(&tr->res);
	free(tr);
}

unsigned vm_trace_n(const struct vm_trace *tr)
{
	return tr->res.n;
}

const struct vm_frame *vm_trace_frame(const struct vm_trace *tr, unsigned i)
{
	return i < tr->res.n ? &tr->res.frames[i] : NULL;
}

const char *vm_trace_stack(const struct vm_trace *tr, unsigned i)
{
	int s = i < tr->res.n ? tr->res.frames[i].stack : -1;

	return s >= 0 && (unsigned)s < tr->res.nstacks ? tr->res.stacks[s].name : NULL;
}

const char *vm_trace_stopped(const struct vm_trace *tr)
{
	return tr->res.stop[0] ? tr->res.stop : NULL;
}
