/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the programs ask of a type source, for the BTF and DWARF harnesses:
 * look up names (the ones our programs use and every string the input
 * holds), print definitions and a value, walk members to a bounded depth.
 */
#ifndef VM_FUZZ_TYPEWALK_H
#define VM_FUZZ_TYPEWALK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/types.h"

static FILE *fz_devnull(void)
{
	static FILE *f;

	if (!f && !(f = fopen("/dev/null", "w")))
		abort();
	return f;
}

static int fz_zero_read(void *ctx, uint64_t addr, void *buf, size_t len, struct vm_err *e)
{
	(void)ctx;
	if (addr & 1)
		return vm_fail(e, VM_ENOPAGE, "odd address 0x%llx", (unsigned long long)addr);
	memset(buf, 0x5a, len);
	return 0;
}

/* Types visited per input: members of members of a kernel struct reach
 * hundreds of thousands of types; a few thousand cover every code path
 * and keep an execution near a millisecond. */
static unsigned fz_walk_budget;

static void fz_walk_type(struct vm_types *ts, const struct vm_type *t, int depth)
{
	static uint8_t zero[1 << 16];
	const struct vm_value_env env = { NULL, fz_zero_read, NULL };
	struct vm_member_loc loc;
	struct vm_err e;
	char name[512];
	uint64_t size;
	unsigned i;

	if (!t || depth > 3 || !fz_walk_budget)
		return;
	fz_walk_budget--;
	vm_type_name(ts, t, "x", name, sizeof(name), &e);
	vm_type_size(ts, t, &size, &e);
	vm_type_strip(ts, t, &e);
	vm_type_complete(ts, t);
	fz_walk_type(ts, vm_type_target(ts, t, &e), depth + 1);
	if (depth == 0) {
		vm_types_print_def(ts, fz_devnull(), t, VM_TPRINT_OFFSETS, &e);
		vm_types_print_flat(ts, fz_devnull(), t, &e);
		if (vm_type_size(ts, t, &size, &e) == 0 && size <= sizeof(zero))
			vm_value_print(ts, fz_devnull(), t, 0x1000, zero, (size_t)size, &env,
				       0, 0, &e);
	}
	for (i = 0; i < t->nmembers && i < 64; i++) {
		const struct vm_member *m = &t->members[i];

		fz_walk_type(ts, vm_member_type(ts, m, &e), depth + 1);
		if (m->name && depth == 0)
			vm_type_member_path(ts, t, m->name, &loc, &e);
	}
	for (i = 0; i < t->nparams && i < 16; i++)
		fz_walk_type(ts, vm_param_type(ts, &t->params[i], &e), depth + 1);
	for (i = 0; i < t->nenums && i < 64; i++)
		vm_enum_name(t, t->enums[i].value);
}

/* Every kind of lookup (full), or only the bare name: a BTF lookup scans
 * every type, so the input's own strings get the cheap one. */
static void fz_lookup(struct vm_types *ts, const char *name, int full)
{
	static const char *const pre[] = { "", "struct ", "union ", "enum " };
	struct vm_err e;
	char buf[160];
	int64_t v;
	uint64_t u;

	if (!full) {
		fz_walk_type(ts, vm_types_find(ts, name, &e), 0);
		return;
	}
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", pre[i], name);
		fz_walk_type(ts, vm_types_find(ts, buf, &e), 0);
	}
	fz_walk_type(ts, vm_types_var(ts, name, &e), 0);
	vm_types_enum_value(ts, name, &v, &e);
	vm_types_sizeof(ts, name, &u, &e);
}

/* Names our programs look up, then up to 16 identifier-like strings of
 * the input (string tables: mutations of them reach renamed types). */
static void fz_exercise_types(struct vm_types *ts, const uint8_t *data, size_t size)
{
	static const char *const names[] = { "task_struct", "task", "list_head",
		"state", "int", "unsigned int", "char", "long unsigned int", "u64",
		"module", "printk_info", "val", NULL };
	static const char *const paths[][2] = { { "task_struct", "tasks.next" },
		{ "task_struct", "se.vruntime" }, { "task", "tasks.prev" },
		{ "task", "comm[3]" }, { "task", "v.c[2]" }, { "task", "flags" } };
	struct vm_err e;
	uint64_t off, sz;
	size_t i, start = 0, found = 0;

	fz_walk_budget = 4000;
	/* every kind of lookup for the first names, the bare name for the
	 * rest: a BTF lookup is a pass over all types */
	for (i = 0; names[i]; i++)
		fz_lookup(ts, names[i], i < 4);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		vm_types_member(ts, paths[i][0], paths[i][1], &off, &sz, &e);
	for (i = 0; i < size && found < 16; i++) {
		int ok = (data[i] >= 'a' && data[i] <= 'z') || (data[i] >= 'A' && data[i] <= 'Z') ||
			 data[i] == '_' || (i > start && data[i] >= '0' && data[i] <= '9');

		if (ok)
			continue;
		if (data[i] == 0 && i - start >= 2 && i - start < 64) {
			char name[64];

			memcpy(name, data + start, i - start);
			name[i - start] = '\0';
			fz_lookup(ts, name, 0);
			found++;
		}
		start = i + 1;
	}
}

#endif
