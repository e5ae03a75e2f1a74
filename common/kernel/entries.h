/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The entries of a kernel container, as crash's `list -H` and `tree`
 * give them: the structures of type TYPE linked through their member
 * MEMBER on a list_head ring, an hlist, a red-black tree (in key order),
 * or the pointers stored in an XArray (in index order).  Every walk is
 * bounded and checked as list.h, rbtree.h and xarray.h say.
 *
 * The kind of container comes from the head's type when the head is a
 * variable expression ("init_task.tasks", "vmap_area_root",
 * "init_pid_ns.idr.idr_rt"), else from the member's type (list_head,
 * hlist_node, rb_node); an XArray at a bare address must be named.
 */
#ifndef VM_ENTRIES_H
#define VM_ENTRIES_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"
#include "list.h"
#include "rbtree.h"
#include "xarray.h"

enum vm_walk_kind {
	VM_WALK_AUTO = 0,
	VM_WALK_LIST,
	VM_WALK_HLIST,
	VM_WALK_RBTREE,
	VM_WALK_XARRAY,
};

struct vm_entries {
	enum vm_walk_kind kind;
	uint64_t head;             /* the anchor's address */
	uint64_t member_off;       /* MEMBER's offset in TYPE (not for an XArray) */
	struct vm_list_walk l;
	struct vm_rb_walk r;
	struct vm_xa_walk x;
};

/* The XArray layout from the kernel's types (VM_ENOENT before v4.20,
 * which has no struct xa_node). */
int vm_xa_layout(struct vm_kernel *k, struct vm_xa_layout *lay, struct vm_err *e);

/* "list", "hlist", "rbtree", "xarray" (and "radix"): the kind, or -1. */
int vm_walk_kind_parse(const char *s);
const char *vm_walk_kind_name(enum vm_walk_kind k);

/*
 * Start a walk.  type: the entries' struct ("task_struct"); member: the
 * linking member in it ("tasks", "se.run_node"; NULL for an XArray);
 * head: an address, SYMBOL[+OFF] or a variable expression; kind: AUTO or
 * forced; max: bound on entries (0: VM_LIST_MAX_DEFAULT).
 */
int vm_entries_open(struct vm_kernel *k, const char *type, const char *member,
		    const char *head, enum vm_walk_kind kind, uint64_t max,
		    struct vm_entries *w, struct vm_err *e);
/* 1 and the next entry's address (*index: its position, the XArray
 * index for an XArray), 0 at the end, -1 with e on a broken container. */
int vm_entries_next(struct vm_entries *w, uint64_t *entry, uint64_t *index,
		    struct vm_err *e);

#endif
