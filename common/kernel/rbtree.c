// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounded in-order red-black tree walks (see rbtree.h).
 */
#include "rbtree.h"

#include <inttypes.h>

#include "list.h"

#define RB_PARENT 0u
#define RB_RIGHT 8u
#define RB_LEFT 16u

void vm_rb_init(struct vm_rb_walk *w, struct vm_mem *m, uint64_t root, uint64_t max)
{
	w->m = m;
	w->root = root;
	w->depth = 0;
	w->pending = 0;
	w->pending_parent = 0;
	w->count = 0;
	w->max = max ? max : VM_LIST_MAX_DEFAULT;
	w->started = false;
	w->done = false;
}

static int fail(struct vm_rb_walk *w, struct vm_err *e, const char *what, uint64_t node,
		uint64_t val)
{
	w->done = true;
	return vm_fail(e, VM_ECORRUPT, "rbtree at 0x%" PRIx64 ": after %" PRIu64 " nodes: %s "
		       "(node 0x%" PRIx64 ", value 0x%" PRIx64 ")", w->root, w->count, what,
		       node, val);
}

static int rd(struct vm_rb_walk *w, uint64_t addr, uint64_t *v, struct vm_err *e)
{
	struct vm_err re;

	if (vm_kread_u64(w->m, addr, v, &re) == 0)
		return 0;
	w->done = true;
	return vm_fail(e, re.code == VM_ENOPAGE || re.code == VM_ENOMAP ? VM_ECORRUPT : re.code,
		       "rbtree at 0x%" PRIx64 ": after %" PRIu64 " nodes: 0x%" PRIx64
		       " unreadable: %s", w->root, w->count, addr, re.msg);
}

/* Push node and its left spine; each child's parent must be the node it
 * hangs from (the root's parent is NULL). */
static int descend(struct vm_rb_walk *w, uint64_t node, uint64_t parent, struct vm_err *e)
{
	uint64_t pc, left;

	while (node) {
		if (node & 7)
			return fail(w, e, "misaligned node pointer", parent, node);
		if (w->depth >= VM_RB_MAX_DEPTH)
			return fail(w, e, "deeper than a red-black tree can be: a loop", parent,
				    node);
		if (rd(w, node + RB_PARENT, &pc, e) < 0)
			return -1;
		if ((pc & ~UINT64_C(3)) != parent)
			return fail(w, e, "parent pointer does not lead back", node, pc);
		w->stack[w->depth++] = node;
		if (rd(w, node + RB_LEFT, &left, e) < 0)
			return -1;
		parent = node;
		node = left;
	}
	return 0;
}

int vm_rb_next(struct vm_rb_walk *w, uint64_t *node, struct vm_err *e)
{
	uint64_t n, right;

	if (w->done)
		return 0;
	if (!w->started) {
		w->started = true;
		if (rd(w, w->root, &n, e) < 0 || descend(w, n, 0, e) < 0)
			return -1;
	} else if (w->pending) {
		if (descend(w, w->pending, w->pending_parent, e) < 0)
			return -1;
		w->pending = 0;
	}
	if (!w->depth) {
		w->done = true;
		return 0;
	}
	if (w->count >= w->max)
		return fail(w, e, "more nodes than the bound: a loop or a corrupt pointer",
			    w->stack[w->depth - 1], w->max);
	n = w->stack[--w->depth];
	if (rd(w, n + RB_RIGHT, &right, e) < 0)
		return -1;
	/* the right subtree is entered on the next call, after this node */
	w->pending = right;
	w->pending_parent = n;
	w->count++;
	*node = n;
	return 1;
}
