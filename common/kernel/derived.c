// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Data symbols found in memory on a text-only kallsyms (see derived.h).
 */
#include "derived.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../types/types.h"
#include "datasyms.h"
#include "modules.h"

#define PERCPU_SECTION ".data..percpu"

static const char how_init_task[] = "init_task: its comm below init_uts_ns";
static const char how_modules[] = "the list head whose ring holds the struct modules";
static const char how_percpu[] = "BTF DATASEC offset in .data..percpu";
static const char how_btf_modules[] = "the list head whose ring holds the modules' BTF";

static int init_task(struct vm_kernel *k, uint64_t *addr, struct vm_err *e)
{
	if (k->init_task_err.code) {
		*e = k->init_task_err;
		return -1;
	}
	if (!k->init_task) {
		if (vm_derive_init_task(k, &k->init_task, &k->init_task_err) < 0) {
			vm_err_prefix(&k->init_task_err, "init_task (kallsyms has text "
				      "symbols only): ");
			*e = k->init_task_err;
			return -1;
		}
		vm_kernel_note(k, "symbols: init_task at %#" PRIx64 ", found in memory "
			       "(kallsyms has text symbols only)", k->init_task);
	}
	*addr = k->init_task;
	return 1;
}

static int modules_head(struct vm_kernel *k, uint64_t *addr, struct vm_err *e)
{
	if (k->modules_head_err.code) {
		*e = k->modules_head_err;
		return -1;
	}
	if (!k->modules_head &&
	    vm_derive_modules_head(k, &k->modules_head, &k->modules_head_err) < 0) {
		*e = k->modules_head_err;
		return -1;
	}
	*addr = k->modules_head;
	return 1;
}

int vm_kernel_derived_symbol(struct vm_kernel *k, const char *name, uint64_t *addr,
			     const char **how, struct vm_err *e)
{
	struct vm_types *ts;
	struct vm_err te;
	char sec[64];
	uint64_t off;

	*addr = 0;
	if (!strcmp(name, "init_task")) {
		if (how)
			*how = how_init_task;
		return init_task(k, addr, e);
	}
	if (!strcmp(name, "modules")) {
		if (how)
			*how = how_modules;
		return modules_head(k, addr, e);
	}
	if (!strcmp(name, "btf_modules")) {
		if (how)
			*how = how_btf_modules;
		if (vm_derive_btf_modules_head(k, addr, e) < 0)
			return -1;
		return 1;
	}
	/* a per-CPU variable: its offset, as an x86 symbol table has it */
	ts = vm_kernel_types(k, &te);
	if (ts && vm_types_var_section(ts, name, sec, sizeof(sec), &off, &te) == 0 &&
	    !strcmp(sec, PERCPU_SECTION)) {
		if (how)
			*how = how_percpu;
		*addr = off;
		return 1;
	}
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct vm_derived_sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int vm_kernel_derived_lookup(struct vm_kernel *k, const char *name,
			     struct vm_derived_sym *d, struct vm_err *e)
{
	int r;

	memset(d, 0, sizeof(*d));
	r = vm_kernel_derived_symbol(k, name, &d->addr, &d->how, e);
	if (r <= 0)
		return r;
	d->name = name;
	d->percpu = d->how == how_percpu;
	d->type = d->percpu ? 'd' : 'D';
	return 1;
}

size_t vm_kernel_derived_symbols(struct vm_kernel *k, struct vm_derived_sym *out,
				 size_t max)
{
	static const char *const names[] = { "init_task", "modules", "btf_modules", "runqueues" };
	struct vm_err e;
	size_t i, n = 0;

	if (!vm_kernel_text_only(k))
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && n < max; i++) {
		if (vm_kernel_derived_lookup(k, names[i], &out[n], &e) > 0)
			n++;
	}
	qsort(out, n, sizeof(*out), by_addr);
	return n;
}
