/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The entries of a container walk (kernel/entries.h) as crash's `list -H`
 * and `tree` print them (vmstruct --walk): each entry's address on a line,
 * followed, when members are asked for (crash's -s TYPE.m1,m2), by
 *   "  m1 = VALUE," per member.  --json: one record per entry (index,
 * address, members).
 */
#ifndef VM_OUT_WALK_H
#define VM_OUT_WALK_H

#include <stdio.h>

#include "../kernel/entries.h"
#include "../types/types.h"
#include "json.h"

/* Walk w to its end; members (n of them, may be 0) are paths in type t.
 * Returns -1 with e when the walk broke or a member could not be read
 * (the entries before are printed), else 0. */
int vm_out_entries(FILE *f, struct vm_json *j, struct vm_entries *w, struct vm_types *ts,
		   const struct vm_type *t, char *const *members, unsigned n,
		   const struct vm_value_env *env, unsigned vflags, struct vm_err *e);

#endif
