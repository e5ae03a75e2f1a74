// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The program-level answers of issue 18 (vmcore.h): crash's runq, mod,
 * p VARIABLE, rd, list/tree — each one call for a program in bin/, which
 * sees only the public header.  The walks live in common/kernel (runq.c,
 * vars.c, entries.c, modules.c), the layouts in runq.c, var.c, words.c,
 * walk.c and mod.c beside this file.
 */
#include "../vmcore.h"

#include <string.h>

#include "../kernel/entries.h"
#include "../kernel/percpu.h"
#include "../kernel/runq.h"
#include "../kernel/vars.h"
#include "../types/types.h"
#include "mod.h"
#include "value.h"
#include "runq.h"
#include "var.h"
#include "walk.h"
#include "words.h"

static unsigned vprint_flags(unsigned flags)
{
	return ((flags & VM_VALUE_HEX) ? VM_VPRINT_HEX : 0) |
	       ((flags & VM_VALUE_DEC) ? VM_VPRINT_DEC : 0);
}

int vm_out_runqueues(struct vm_kernel *k, struct vm_cli *c, enum vm_runq_view view)
{
	struct vm_runq *q;
	struct vm_err e;
	unsigned n, cpu;
	int status = VM_EXIT_OK;

	if (vm_runqueues(k, &q, &n, &e) < 0) {
		vm_cli_error(c, &e);
		return VM_EXIT_FAIL;
	}
	vm_out_runq(stdout, c->json ? &c->j : NULL, q, n, view);
	for (cpu = 0; cpu < n; cpu++)
		if (q[cpu].err[0]) {
			vm_cli_errorf(c, "CPU %u's run queue: %s", cpu, q[cpu].err);
			status = VM_EXIT_FAIL;
		}
	vm_runqueues_free(q, n);
	return status;
}

int vm_out_lsmod(struct vm_kernel *k, FILE *f, struct vm_json *j, bool header,
		 struct vm_err *e)
{
	const struct vm_modlist *ml = vm_kernel_modules(k, e);

	if (!ml)
		return -1;
	vm_out_modules(f, j, ml, header);
	return 0;
}

int vm_out_variable(struct vm_kernel *k, const char *expr, int cpu, unsigned flags,
		    FILE *f, struct vm_json *j, struct vm_err *e)
{
	struct vm_out_valsrc x = { .k = k };
	struct vm_value_env env = vm_out_valsrc_env(&x);
	struct vm_percpu pc;
	struct vm_var v;
	int rc;

	if (vm_var_lookup(k, expr, &v, e) < 0)
		return 1;
	if (!(x.mem = vm_kernel_mem(k, e)))
		return -1;
	if (!v.percpu) {
		if (cpu != VM_VAR_NO_CPU)
			return vm_fail(e, VM_EINVAL, "%s is no per-CPU variable: -c does not apply",
				       v.name);
		return vm_out_var(f, j, &v, NULL, cpu, &env, vprint_flags(flags), e);
	}
	if (vm_percpu_open(k, &pc, e) < 0)
		return -1;
	rc = vm_out_var(f, j, &v, &pc, cpu, &env, vprint_flags(flags), e);
	vm_percpu_close(&pc);
	return rc;
}

int vm_out_memwords(struct vm_kernel *k, const char *addr_arg, uint64_t count, bool syms,
		    FILE *f, struct vm_json *j, struct vm_err *e)
{
	struct vm_out_valsrc x = { .k = k };
	struct vm_value_env env = vm_out_valsrc_env(&x);
	uint64_t addr;

	if (!(x.mem = vm_kernel_mem(k, e)) || vm_kernel_resolve_addr(k, addr_arg, &addr, e) < 0)
		return -1;
	return vm_out_words(f, j, addr, count, syms, &env, e);
}

int vm_out_walk(struct vm_kernel *k, const char *link, const char *type, const char *head,
		char *const *members, unsigned nmembers, unsigned flags, FILE *f,
		struct vm_json *j, struct vm_err *e)
{
	struct vm_out_valsrc x = { .k = k };
	struct vm_value_env env = vm_out_valsrc_env(&x);
	bool xa = vm_walk_kind_parse(link) == VM_WALK_XARRAY;
	struct vm_types *ts;
	const struct vm_type *t;
	struct vm_entries w;

	if (!(x.mem = vm_kernel_mem(k, e)) || !(ts = vm_kernel_types(k, e)) ||
	    !(t = vm_types_find(ts, type, e)) ||
	    vm_entries_open(k, type, xa ? NULL : link, head, xa ? VM_WALK_XARRAY : VM_WALK_AUTO,
			    0, &w, e) < 0)
		return -1;
	return vm_out_entries(f, j, &w, ts, t, members, nmembers, &env, vprint_flags(flags), e);
}
