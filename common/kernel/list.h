/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walking the kernel's linked lists (struct list_head, struct hlist_head)
 * through a dump, where any pointer may be damaged.
 *
 * A walk never trusts the list: it stops after a bound on iterations, detects
 * a cycle that does not pass through the head (Brent's algorithm: O(1)
 * memory, finds the loop within twice its length), checks that pointers are
 * non-NULL and aligned, and (optionally) that next->prev points back at the
 * node we came from, which catches a single flipped pointer at the first
 * step past it.  Every failure is VM_ECORRUPT (or the read error) naming the
 * head, the node and the address of the bad pointer.
 *
 * Layout facts used without types: list_head is { next, prev } and
 * hlist_node is { next, pprev }, both unchanged since they were introduced;
 * VMCOREINFO's OFFSET(list_head.next/prev) confirms it where present.
 */
#ifndef VM_LIST_H
#define VM_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "../arch/arch.h"
#include "../err.h"

/* Hard cap when the caller knows no better bound: PID_MAX_LIMIT (4M) on
 * 64-bit kernels, which bounds every per-task list. */
#define VM_LIST_MAX_DEFAULT (4u * 1024 * 1024)

enum {
	VM_LIST_CHECK_PREV = 0x1,   /* verify next->prev == node at every step */
};

struct vm_list_walk {
	struct vm_mem *m;
	uint64_t head;       /* address of the anchor list_head */
	uint64_t cur;        /* last node returned (head before the first) */
	uint64_t max;        /* iteration bound */
	uint64_t count;      /* nodes returned so far */
	unsigned flags;
	bool hlist;          /* hlist: NULL-terminated, no head in the ring */
	bool done;
	/* Brent's cycle detection */
	uint64_t tortoise, power, lam;
};

/* Start a walk of the circular list anchored at head (the list_head
 * embedded in the owning structure or a global LIST_HEAD).  max == 0 means
 * VM_LIST_MAX_DEFAULT. */
void vm_list_init(struct vm_list_walk *w, struct vm_mem *m, uint64_t head,
		  uint64_t max, unsigned flags);
/* Start a walk of an hlist: head is the address of the struct hlist_head
 * (its first member is 'first'). */
void vm_hlist_init(struct vm_list_walk *w, struct vm_mem *m, uint64_t head,
		   uint64_t max, unsigned flags);

/* Next node: 1 and *node = the address of the node's list_head/hlist_node
 * (use container arithmetic to reach the owner), 0 at the end of the list,
 * -1 on a loop, a bad pointer, a read error or the iteration bound; e says
 * which and where.  After -1 the walk stays finished. */
int vm_list_next(struct vm_list_walk *w, uint64_t *node, struct vm_err *e);

/* Walk backwards from the head through prev pointers (list_head only): used
 * to recover the far end of a list whose forward chain broke.  Same return
 * convention as vm_list_next. */
int vm_list_prev(struct vm_list_walk *w, uint64_t *node, struct vm_err *e);

/* Number of nodes in the list (bounded as above). */
int vm_list_count(struct vm_mem *m, uint64_t head, uint64_t max,
		  uint64_t *n, struct vm_err *e);

#endif
