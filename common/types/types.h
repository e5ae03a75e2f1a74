/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Layer 5: one type API over two backends, DWARF (libdwarf) and BTF
 * (vmlinux .BTF or the dump's own __start_BTF..__stop_BTF).
 *
 * Minimum contract other layers rely on (the types work extends it):
 */
#ifndef VM_TYPES_H
#define VM_TYPES_H

#include <stdint.h>

#include "../err.h"

struct vm_types;

void vm_types_free(struct vm_types *ts);

/* sizeof(struct NAME) / union / typedef; name may be "struct foo", "foo". */
int vm_types_sizeof(struct vm_types *ts, const char *type, uint64_t *size,
		    struct vm_err *e);
/* Offset and size of a dotted member path ("se.vruntime", "thread.sp",
 * "pids[1]") inside struct/union type; bit members give the containing
 * byte offset.  size may be NULL. */
int vm_types_member(struct vm_types *ts, const char *type, const char *member,
		    uint64_t *off, uint64_t *size, struct vm_err *e);

#endif
