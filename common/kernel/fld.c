// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Member lookups for the memory-management walkers (see fld.h).
 */
#include "fld.h"

#include <stdio.h>

#include "../types/types.h"

int vm_fld_need(struct vm_kernel *k, const char *type, const char *member,
		struct vm_fld *f, struct vm_err *e)
{
	f->ok = vm_kernel_offsetof(k, type, member, &f->off, &f->size, e) == 0;
	if (!f->ok)
		return -1;
	if (!f->size || f->size > 1u << 20) {
		f->ok = false;
		return vm_fail(e, VM_EMISMATCH, "%s.%s has size %llu: types do not "
			       "match this kernel", type, member,
			       (unsigned long long)f->size);
	}
	return 0;
}

bool vm_fld_opt(struct vm_kernel *k, const char *type, const char *member,
		struct vm_fld *f)
{
	struct vm_err e;

	return vm_fld_need(k, type, member, f, &e) == 0;
}

int vm_fld_bits(struct vm_kernel *k, const char *type, const char *member,
		uint64_t *bit_off, unsigned *bits, struct vm_err *e)
{
	struct vm_types *ts = vm_kernel_types(k, e);
	const struct vm_type *t;
	struct vm_member_loc loc;
	uint64_t sz;

	if (!ts || !(t = vm_types_find(ts, type, e)) ||
	    vm_type_member_path(ts, t, member, &loc, e) < 0) {
		vm_err_prefix(e, "%s.%s: ", type, member);
		return -1;
	}
	*bit_off = loc.bit_offset;
	if (loc.bit_size) {
		*bits = loc.bit_size;
		return 0;
	}
	if (vm_type_size(ts, loc.type, &sz, e) < 0)
		return -1;
	if (sz > 8)
		return vm_fail(e, VM_EMISMATCH, "%s.%s is %llu bytes, not a number", type,
			       member, (unsigned long long)sz);
	*bits = (unsigned)(sz * 8);
	return 0;
}

uint64_t vm_fld_sizeof(struct vm_kernel *k, const char *type)
{
	struct vm_err e;
	uint64_t sz;

	if (vm_kernel_sizeof(k, type, &sz, &e) < 0)
		return 0;
	return sz;
}

int vm_fld_enum(struct vm_kernel *k, const char *name, int64_t *v)
{
	struct vm_types *ts;
	struct vm_err e;

	if (k->vi && vm_vmci_number(k->vi, name, v) == 0)
		return 0;
	ts = vm_kernel_types(k, &e);
	if (!ts)
		return -1;
	return vm_types_enum_value(ts, name, v, &e);
}
