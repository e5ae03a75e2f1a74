// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounded, cycle-checked list walks (see list.h).  Only 64-bit kernels are
 * supported by the arch layer, so a list pointer is 8 bytes and 8-aligned.
 */
#include "list.h"

#include <inttypes.h>
#include <stdio.h>

#define PTR_SIZE 8u

static void walk_init(struct vm_list_walk *w, struct vm_mem *m, uint64_t head,
		      uint64_t max, unsigned flags, bool hlist)
{
	w->m = m;
	w->head = head;
	w->cur = head;
	w->max = max ? max : VM_LIST_MAX_DEFAULT;
	w->count = 0;
	w->flags = flags;
	w->hlist = hlist;
	w->done = false;
	w->tortoise = head;
	w->power = 1;
	w->lam = 0;
}

void vm_list_init(struct vm_list_walk *w, struct vm_mem *m, uint64_t head,
		  uint64_t max, unsigned flags)
{
	walk_init(w, m, head, max, flags, false);
}

void vm_hlist_init(struct vm_list_walk *w, struct vm_mem *m, uint64_t head,
		   uint64_t max, unsigned flags)
{
	walk_init(w, m, head, max, flags, true);
}

static int stop(struct vm_list_walk *w, struct vm_err *e, int code,
		const char *fmt, uint64_t a, uint64_t b)
	__attribute__((format(printf, 4, 0)));

/* The message names the list (its head) and the step it broke at. */
static int stop(struct vm_list_walk *w, struct vm_err *e, int code,
		const char *fmt, uint64_t a, uint64_t b)
{
	char what[512];

	w->done = true;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(what, sizeof(what), fmt, a, b);
#pragma GCC diagnostic pop
	return vm_fail(e, code, "%s at 0x%" PRIx64 ": after %" PRIu64 " entries: %s",
		       w->hlist ? "hlist" : "list", w->head, w->count, what);
}

/*
 * One step in either direction.  ptr_off is the offset of the pointer we
 * follow inside the node (0: next, 8: prev), back_off the offset of the
 * pointer that must lead back (the other one).
 */
static int step(struct vm_list_walk *w, uint64_t ptr_off, uint64_t back_off,
		uint64_t *node, struct vm_err *e)
{
	struct vm_err re;
	uint64_t nx, back;

	if (w->done)
		return 0;
	if (w->count >= w->max)
		return stop(w, e, VM_ECORRUPT,
			    "more than %" PRIu64 " entries: a loop or a corrupt pointer "
			    "(last node 0x%" PRIx64 ")", w->max, w->cur);
	if (w->hlist && w->cur == w->head)
		ptr_off = 0;      /* hlist_head.first */
	if (vm_kread_u64(w->m, w->cur + ptr_off, &nx, &re) < 0) {
		w->done = true;
		vm_fail(e, re.code == VM_ENOPAGE || re.code == VM_ENOMAP ? VM_ECORRUPT : re.code,
			"%s at 0x%" PRIx64 ": after %" PRIu64 " entries: node 0x%" PRIx64
			" unreadable: %s", w->hlist ? "hlist" : "list", w->head,
			w->count, w->cur, re.msg);
		return -1;
	}
	if (w->hlist && nx == 0) {
		w->done = true;
		return 0;
	}
	if (!w->hlist && nx == w->head) {
		w->done = true;
		return 0;
	}
	if (nx == 0)
		return stop(w, e, VM_ECORRUPT,
			    "NULL pointer at 0x%" PRIx64 " (node 0x%" PRIx64 ")",
			    w->cur + ptr_off, w->cur);
	if (nx % PTR_SIZE)
		return stop(w, e, VM_ECORRUPT,
			    "misaligned pointer 0x%" PRIx64 " read at 0x%" PRIx64,
			    nx, w->cur + ptr_off);
	/* Brent: the tortoise jumps to the hare at powers of two, so a cycle of
	 * length L is met after at most ~2L further steps. */
	if (nx == w->tortoise)
		return stop(w, e, VM_ECORRUPT,
			    "loop: node 0x%" PRIx64 " reached again (from 0x%" PRIx64 ")",
			    nx, w->cur);
	if (w->lam == w->power) {
		w->tortoise = nx;
		w->power *= 2;
		w->lam = 0;
	}
	w->lam++;
	if (w->flags & VM_LIST_CHECK_PREV) {
		/* A list_head's prev (or, walking backwards, its next) is the
		 * node we came from; an hlist_node's pprev is the address of the
		 * pointer that led here: the previous node's next or the head's
		 * first, both at offset 0, so also the node we came from. */
		uint64_t want = w->cur;

		if (vm_kread_u64(w->m, nx + back_off, &back, &re) < 0) {
			w->done = true;
			vm_fail(e, VM_ECORRUPT,
				"%s at 0x%" PRIx64 ": after %" PRIu64 " entries: pointer "
				"0x%" PRIx64 " read at 0x%" PRIx64 " leads to unreadable "
				"memory: %s", w->hlist ? "hlist" : "list", w->head,
				w->count, nx, w->cur + ptr_off, re.msg);
			return -1;
		}
		if (back != want) {
			char what[256];

			w->done = true;
			snprintf(what, sizeof(what), "0x%" PRIx64, back);
			vm_fail(e, VM_ECORRUPT,
				"%s at 0x%" PRIx64 ": after %" PRIu64 " entries: pointer "
				"0x%" PRIx64 " read at 0x%" PRIx64 " is not linked back "
				"(its %s is %s, expected 0x%" PRIx64 ")",
				w->hlist ? "hlist" : "list", w->head, w->count, nx,
				w->cur + ptr_off,
				w->hlist ? "pprev" : ptr_off ? "next" : "prev", what, want);
			return -1;
		}
	}
	w->cur = nx;
	w->count++;
	*node = nx;
	return 1;
}

int vm_list_next(struct vm_list_walk *w, uint64_t *node, struct vm_err *e)
{
	return step(w, 0, PTR_SIZE, node, e);
}

int vm_list_prev(struct vm_list_walk *w, uint64_t *node, struct vm_err *e)
{
	if (w->hlist) {
		w->done = true;
		return vm_fail(e, VM_EINVAL, "hlist at 0x%" PRIx64 ": cannot walk backwards",
			       w->head);
	}
	return step(w, PTR_SIZE, 0, node, e);
}

int vm_list_count(struct vm_mem *m, uint64_t head, uint64_t max, uint64_t *n,
		  struct vm_err *e)
{
	struct vm_list_walk w;
	uint64_t node;
	int r;

	vm_list_init(&w, m, head, max, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, e)) > 0)
		;
	*n = w.count;
	return r;
}
