// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/kernel/list.c: bounded, cycle-checked list walks over
 * a synthetic kernel memory.  This file defines vm_kread_u64() itself, so
 * the linker takes it instead of the arch layer's: list.o needs nothing
 * else from there.  Nodes are { next, prev } pairs at NODE(i).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel/list.h"

#define BASE 0xffff888000100000ull
#define NODE(i) (BASE + 0x100ull * (i))
#define HEAD NODE(0)
#define NMAX 64

static uint64_t next_of[NMAX], prev_of[NMAX];
static uint64_t reads;

int vm_kread_u64(struct vm_mem *m, uint64_t va, uint64_t *v, struct vm_err *e)
{
	uint64_t i = (va - BASE) / 0x100, off = (va - BASE) % 0x100;

	(void)m;
	reads++;
	if (va < BASE || i >= NMAX || (off != 0 && off != 8))
		return vm_fail(e, VM_ENOMAP, "virtual 0x%" PRIx64 " not mapped", va);
	*v = off ? prev_of[i] : next_of[i];
	return 0;
}

/* A proper ring: head 0 -> 1 -> ... -> n -> head */
static void ring(unsigned n)
{
	unsigned i;

	memset(next_of, 0, sizeof(next_of));
	memset(prev_of, 0, sizeof(prev_of));
	for (i = 0; i <= n; i++) {
		next_of[i] = NODE(i == n ? 0 : i + 1);
		prev_of[i] = NODE(i == 0 ? n : i - 1);
	}
}

static int failures, tests;

static void ok(int cond, const char *what)
{
	tests++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tests, what);
	if (!cond)
		failures++;
}

/* Walk forward; returns the final vm_list_next result, *n nodes seen. */
static int walk(unsigned flags, uint64_t max, uint64_t *n, struct vm_err *e)
{
	struct vm_list_walk w;
	uint64_t node;
	int r;

	vm_list_init(&w, NULL, HEAD, max, flags);
	*n = 0;
	while ((r = vm_list_next(&w, &node, e)) > 0)
		(*n)++;
	return r;
}

int main(void)
{
	struct vm_list_walk w;
	struct vm_err e;
	uint64_t n, node;
	int r;

	ring(10);
	r = walk(VM_LIST_CHECK_PREV, 0, &n, &e);
	ok(r == 0 && n == 10, "a ring of 10 nodes: 10 entries, clean end");

	ring(0);
	r = walk(VM_LIST_CHECK_PREV, 0, &n, &e);
	ok(r == 0 && n == 0, "an empty list (head points at itself)");

	/* 7 -> 3: a loop not through the head, prev pointers untouched */
	ring(10);
	next_of[7] = NODE(3);
	r = walk(VM_LIST_CHECK_PREV, 0, &n, &e);
	ok(r < 0 && e.code == VM_ECORRUPT && strstr(e.msg, "not linked back"),
	   "loop caught at once by the prev check");
	printf("# %s\n", e.msg);

	/* the same loop without prev checks: Brent finds it within ~2 laps */
	reads = 0;
	r = walk(0, 0, &n, &e);
	ok(r < 0 && e.code == VM_ECORRUPT && strstr(e.msg, "loop"),
	   "loop found by cycle detection without prev checks");
	ok(n < 3 * 10, "  ... after fewer than 3 laps");
	printf("# %s (after %" PRIu64 " entries)\n", e.msg, n);

	/* a self-loop */
	ring(10);
	next_of[5] = NODE(5);
	r = walk(0, 0, &n, &e);
	ok(r < 0 && strstr(e.msg, "loop"), "a node pointing at itself");

	/* bound */
	ring(40);
	r = walk(VM_LIST_CHECK_PREV, 20, &n, &e);
	ok(r < 0 && e.code == VM_ECORRUPT && n == 20 && strstr(e.msg, "more than 20"),
	   "iteration bound stops a long list");

	/* NULL, misaligned, unmapped */
	ring(10);
	next_of[4] = 0;
	r = walk(VM_LIST_CHECK_PREV, 0, &n, &e);
	ok(r < 0 && n == 4 && strstr(e.msg, "NULL pointer"), "NULL next pointer");
	ring(10);
	next_of[4] = NODE(6) + 3;
	r = walk(VM_LIST_CHECK_PREV, 0, &n, &e);
	ok(r < 0 && strstr(e.msg, "misaligned"), "misaligned next pointer");
	ring(10);
	next_of[4] = 0xdead000000000000ull;
	r = walk(VM_LIST_CHECK_PREV, 0, &n, &e);
	ok(r < 0 && e.code == VM_ECORRUPT && strstr(e.msg, "dead000000000000") &&
	   strstr(e.msg, "unreadable"), "pointer into unmapped memory, named");
	printf("# %s\n", e.msg);
	ring(10);
	next_of[4] = 0xdead000000000000ull;
	r = walk(0, 0, &n, &e);
	ok(r < 0 && n == 5 && strstr(e.msg, "unreadable"),
	   "unmapped node without prev checks: fails when read");

	/* recovering the tail backwards after a break */
	ring(10);
	next_of[4] = 0;
	vm_list_init(&w, NULL, HEAD, 0, VM_LIST_CHECK_PREV);
	n = 0;
	while ((r = vm_list_prev(&w, &node, &e)) > 0)
		n++;
	/* node 4's next no longer leads back to 5: the walk stops there */
	ok(r < 0 && n == 6, "backwards from the head: 10..5, up to the break");

	/* after a failure the walk stays finished */
	ring(10);
	next_of[2] = 0;
	vm_list_init(&w, NULL, HEAD, 0, 0);
	while ((r = vm_list_next(&w, &node, &e)) > 0)
		;
	ok(r < 0 && vm_list_next(&w, &node, &e) == 0, "finished walk returns 0");

	/* hlist: head.first -> 1 -> 2 -> 3 -> NULL, pprev = previous node */
	memset(next_of, 0, sizeof(next_of));
	memset(prev_of, 0, sizeof(prev_of));
	next_of[0] = NODE(1);
	next_of[1] = NODE(2); prev_of[1] = NODE(0);
	next_of[2] = NODE(3); prev_of[2] = NODE(1);
	next_of[3] = 0;       prev_of[3] = NODE(2);
	vm_hlist_init(&w, NULL, HEAD, 0, VM_LIST_CHECK_PREV);
	n = 0;
	while ((r = vm_list_next(&w, &node, &e)) > 0)
		n++;
	ok(r == 0 && n == 3, "hlist of 3 with pprev checks");
	next_of[3] = NODE(1);
	vm_hlist_init(&w, NULL, HEAD, 0, 0);
	while ((r = vm_list_next(&w, &node, &e)) > 0)
		;
	ok(r < 0 && strstr(e.msg, "loop"), "hlist loop found");

	r = vm_list_count(NULL, HEAD, 0, &n, &e);
	ok(r < 0, "vm_list_count reports the hlist-shaped damage as a list error");

	ring(25);
	r = vm_list_count(NULL, HEAD, 0, &n, &e);
	ok(r == 0 && n == 25, "vm_list_count of 25");

	printf("1..%d\n", tests);
	return failures != 0;
}
