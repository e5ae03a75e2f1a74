/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walking a red-black tree (struct rb_root / rb_root_cached) through a
 * dump in key order, where any pointer may be damaged.
 *
 * Layout facts, unchanged since v2.6.18 (include/linux/rbtree_types.h):
 * struct rb_node { unsigned long __rb_parent_color; struct rb_node
 * *rb_right, *rb_left; } (8-byte aligned, the low two bits of the first
 * word are the colour), struct rb_root { struct rb_node *rb_node; }, and
 * rb_root_cached starts with its rb_root.
 *
 * The walk is in-order with an explicit stack: a tree deeper than
 * VM_RB_MAX_DEPTH (a red-black tree of 2^64 nodes is 128 deep) is a loop
 * or corruption, so is a node whose parent pointer does not lead back to
 * the node it was reached from, a misaligned or NULL-but-referenced node,
 * and more than max nodes.  Every failure is VM_ECORRUPT (or the read
 * error) naming the root, the node and the pointer.
 */
#ifndef VM_RBTREE_H
#define VM_RBTREE_H

#include <stdbool.h>
#include <stdint.h>

#include "../arch/arch.h"
#include "../err.h"

#define VM_RB_MAX_DEPTH 128

struct vm_rb_walk {
	struct vm_mem *m;
	uint64_t root;              /* address of the struct rb_root */
	uint64_t stack[VM_RB_MAX_DEPTH];
	unsigned depth;
	uint64_t pending;           /* subtree to descend into next, 0 none */
	uint64_t pending_parent;    /* the node pending was reached from */
	uint64_t count, max;
	bool started, done;
};

/* max == 0: VM_LIST_MAX_DEFAULT (list.h). */
void vm_rb_init(struct vm_rb_walk *w, struct vm_mem *m, uint64_t root, uint64_t max);
/* 1 and *node = the next struct rb_node (leftmost first), 0 at the end,
 * -1 on corruption or a read error (e says where); finished after -1. */
int vm_rb_next(struct vm_rb_walk *w, uint64_t *node, struct vm_err *e);

#endif
