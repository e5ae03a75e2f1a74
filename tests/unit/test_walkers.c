// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/kernel/rbtree.c and xarray.c over a synthetic kernel
 * memory: in-order and index-order walks of well-formed containers, and
 * every kind of damage the walkers must stop at with a message (a loop, a
 * parent pointer that does not lead back, misaligned and unreadable
 * pointers, an impossible depth, a node shared by many slots, the bound
 * on entries).  This file defines vm_kread_u64() and vm_kread_u8(), so
 * the linker takes them instead of the arch layer's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel/rbtree.h"
#include "kernel/xarray.h"

#define BASE 0xffff888000100000ull
#define MEMSZ (1u << 20)

static uint8_t mem[MEMSZ];

static int rd(uint64_t va, void *v, size_t n, struct vm_err *e)
{
	if (va < BASE || va - BASE > MEMSZ - n)
		return vm_fail(e, VM_ENOMAP, "virtual 0x%" PRIx64 " not mapped", va);
	memcpy(v, mem + (va - BASE), n);
	return 0;
}

int vm_kread_u64(struct vm_mem *m, uint64_t va, uint64_t *v, struct vm_err *e)
{
	uint8_t b[8];
	int i;

	(void)m;
	if (rd(va, b, 8, e) < 0)
		return -1;
	*v = 0;
	for (i = 7; i >= 0; i--)
		*v = *v << 8 | b[i];
	return 0;
}

int vm_kread_u8(struct vm_mem *m, uint64_t va, uint8_t *v, struct vm_err *e)
{
	(void)m;
	return rd(va, v, 1, e);
}

static void put(uint64_t va, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		mem[va - BASE + (uint64_t)i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(uint64_t va)
{
	uint64_t v;
	struct vm_err e;

	vm_kread_u64(NULL, va, &v, &e);
	return v;
}

static int failures, tests;

static void ok(int cond, const char *what, const char *detail)
{
	tests++;
	printf("%sok %d - %s%s%s\n", cond ? "" : "not ", tests, what, detail ? ": " : "",
	       detail ? detail : "");
	if (!cond)
		failures++;
}

/* ---- red-black trees: node i at NODE(i) = {parent|color, right, left} ---- */

#define ROOT (BASE + 0x10)
#define NODE(i) (BASE + 0x1000 + 0x40ull * (i))

/* a balanced tree of nodes lo..hi-1 (key = index), parent p; returns root */
static uint64_t build(unsigned lo, unsigned hi, uint64_t parent)
{
	unsigned mid;
	uint64_t n;

	if (lo >= hi)
		return 0;
	mid = (lo + hi) / 2;
	n = NODE(mid);
	put(n, parent | (mid & 1));          /* a colour bit, as the kernel keeps it */
	put(n + 16, build(lo, mid, n));
	put(n + 8, build(mid + 1, hi, n));
	return n;
}

static int rb_walk(uint64_t max, unsigned *n, uint64_t *order, struct vm_err *e)
{
	struct vm_rb_walk w;
	uint64_t node;
	int r;

	*n = 0;
	vm_rb_init(&w, NULL, ROOT, max);
	while ((r = vm_rb_next(&w, &node, e)) == 1) {
		if (order && *n < 4096)
			order[*n] = node;
		(*n)++;
	}
	return r;
}

static void rbtree_tests(void)
{
	static uint64_t order[4096];
	struct vm_err e = { 0 };
	unsigned n, i;
	bool sorted = true;
	int r;

	memset(mem, 0, sizeof(mem));
	put(ROOT, build(0, 1000, 0));
	r = rb_walk(0, &n, order, &e);
	for (i = 0; i < n; i++)
		sorted &= order[i] == NODE(i);
	ok(r == 0 && n == 1000 && sorted, "rbtree: 1000 nodes in key order", NULL);

	put(ROOT, 0);
	ok(rb_walk(0, &n, NULL, &e) == 0 && n == 0, "rbtree: empty", NULL);

	put(ROOT, build(0, 100, 0));
	ok(rb_walk(50, &n, NULL, &e) < 0 && e.code == VM_ECORRUPT && strstr(e.msg, "bound"),
	   "rbtree: more than max nodes stops", e.msg);

	/* a leaf's left child pointing back at the root: a loop */
	put(ROOT, build(0, 100, 0));
	put(NODE(0) + 16, NODE(50));
	ok(rb_walk(0, &n, NULL, &e) < 0 && e.code == VM_ECORRUPT && strstr(e.msg, "parent"),
	   "rbtree: a child pointer back up the tree", e.msg);

	put(ROOT, build(0, 100, 0));
	put(NODE(99) + 8, NODE(3) + 4);
	ok(rb_walk(0, &n, NULL, &e) < 0 && strstr(e.msg, "misaligned"),
	   "rbtree: misaligned right pointer", e.msg);

	put(ROOT, build(0, 100, 0));
	put(NODE(0) + 16, 0xffff888000000000ull);
	ok(rb_walk(0, &n, NULL, &e) < 0 && e.code == VM_ECORRUPT && strstr(e.msg, "unreadable"),
	   "rbtree: unreadable node", e.msg);

	/* a chain of 200 left children, each parent right: a "tree" deeper
	 * than any red-black tree */
	memset(mem, 0, sizeof(mem));
	put(ROOT, NODE(0));
	for (i = 0; i < 200; i++) {
		put(NODE(i), i ? NODE(i - 1) : 0);
		put(NODE(i) + 16, NODE(i + 1));
	}
	ok(rb_walk(0, &n, NULL, &e) < 0 && strstr(e.msg, "deeper"), "rbtree: 200 deep", e.msg);

	/* the root's parent is not NULL */
	put(ROOT, build(0, 10, 0));
	put(get(ROOT), NODE(7));
	ok(rb_walk(0, &n, NULL, &e) < 0 && strstr(e.msg, "parent"), "rbtree: root with a parent",
	   e.msg);
}

/* ---- XArrays: xarray {head at 8}, xa_node {shift at 0, offset at 1,
 * parent at 8, slots[64] at 40} ---- */

#define XA (BASE + 0x100)
#define XNODE(i) (BASE + 0x20000 + 0x400ull * (i))
#define SLOT(n, i) ((n) + 40 + 8ull * (i))

static const struct vm_xa_layout lay = { 8, 0, 1, 8, 40, 64 };

static void xnode(uint64_t n, unsigned shift, unsigned offset, uint64_t parent)
{
	memset(mem + (n - BASE), 0, 0x400);
	mem[n - BASE] = (uint8_t)shift;
	mem[n - BASE + 1] = (uint8_t)offset;
	put(n + 8, parent);
}

static int xa_walk(uint64_t max, unsigned *n, uint64_t *idx, uint64_t *ent, struct vm_err *e)
{
	struct vm_xa_walk w;
	uint64_t i, v;
	bool value;
	int r;

	*n = 0;
	if (vm_xa_init(&w, NULL, XA, &lay, max, e) < 0)
		return -2;
	while ((r = vm_xa_next(&w, &i, &v, &value, e)) == 1) {
		if (idx && *n < 64) {
			idx[*n] = i;
			ent[*n] = v;
		}
		(*n)++;
	}
	return r;
}

static void xarray_tests(void)
{
	uint64_t idx[64], ent[64];
	struct vm_err e = { 0 };
	struct vm_xa_layout bad = lay;
	struct vm_xa_walk w;
	unsigned n, i;

	memset(mem, 0, sizeof(mem));
	ok(xa_walk(0, &n, NULL, NULL, &e) == 0 && n == 0, "xarray: empty", NULL);

	put(XA + 8, 0xffff888000123400ull);
	ok(xa_walk(0, &n, idx, ent, &e) == 0 && n == 1 && idx[0] == 0 &&
	   ent[0] == 0xffff888000123400ull, "xarray: one entry in the head", NULL);

	/* root shift 6, leaves at slots 0 and 2; entries at 3, 130, 131 and a
	 * value entry at 64*2+5; sibling and retry entries skipped */
	xnode(XNODE(0), 6, 0, 0);
	xnode(XNODE(1), 0, 0, XNODE(0));
	xnode(XNODE(2), 0, 2, XNODE(0));
	put(XA + 8, XNODE(0) + 2);
	put(SLOT(XNODE(0), 0), XNODE(1) + 2);
	put(SLOT(XNODE(0), 2), XNODE(2) + 2);
	put(SLOT(XNODE(1), 3), 0xffff888000200000ull);
	put(SLOT(XNODE(1), 4), (3u << 2) | 2);         /* sibling of slot 3 */
	put(SLOT(XNODE(2), 2), 0xffff888000200040ull);
	put(SLOT(XNODE(2), 3), 0xffff888000200080ull);
	put(SLOT(XNODE(2), 5), (77u << 1) | 1);         /* xa_mk_value(77) */
	put(SLOT(XNODE(2), 6), (256u << 2) | 2);        /* XA_RETRY_ENTRY */
	ok(xa_walk(0, &n, idx, ent, &e) == 0 && n == 4 && idx[0] == 3 && idx[1] == 130 &&
	   idx[2] == 131 && idx[3] == 133 && ent[3] == 155,
	   "xarray: two levels, indices in order, value entry, markers skipped", e.msg);

	ok(xa_walk(2, &n, NULL, NULL, &e) < 0 && strstr(e.msg, "more entries"),
	   "xarray: more entries than max stops", e.msg);

	mem[XNODE(2) - BASE + 1] = 3;
	ok(xa_walk(0, &n, NULL, NULL, &e) < 0 && strstr(e.msg, "slot offset"),
	   "xarray: node hanging in another slot than it says", e.msg);
	mem[XNODE(2) - BASE + 1] = 2;

	put(XNODE(2) + 8, XNODE(1));
	ok(xa_walk(0, &n, NULL, NULL, &e) < 0 && strstr(e.msg, "parent"),
	   "xarray: parent pointer that does not lead back", e.msg);
	put(XNODE(2) + 8, XNODE(0));

	mem[XNODE(2) - BASE] = 12;
	ok(xa_walk(0, &n, NULL, NULL, &e) < 0 && strstr(e.msg, "shift"),
	   "xarray: child shift not one level down", e.msg);
	mem[XNODE(2) - BASE] = 0;

	/* a leaf pointing back at the root node */
	put(SLOT(XNODE(1), 9), XNODE(0) + 2);
	ok(xa_walk(0, &n, NULL, NULL, &e) < 0 && e.code == VM_ECORRUPT,
	   "xarray: a loop back to the root", e.msg);
	put(SLOT(XNODE(1), 9), 0);

	put(SLOT(XNODE(0), 7), XNODE(1) + 2 + 8);
	ok(xa_walk(0, &n, NULL, NULL, &e) < 0 && e.code == VM_ECORRUPT,
	   "xarray: node pointer into the middle of a node", e.msg);
	put(SLOT(XNODE(0), 7), 0);

	put(SLOT(XNODE(0), 8), 0xffff888000000000ull + 2 + 4096);
	ok(xa_walk(0, &n, NULL, NULL, &e) < 0 && strstr(e.msg, "unreadable"),
	   "xarray: unreadable node", e.msg);
	put(SLOT(XNODE(0), 8), 0);

	/* one node in every slot of a three-level tree: met once */
	xnode(XNODE(3), 12, 0, 0);
	xnode(XNODE(4), 6, 0, XNODE(3));
	xnode(XNODE(5), 0, 0, XNODE(4));
	put(XA + 8, XNODE(3) + 2);
	for (i = 0; i < 64; i++) {
		put(SLOT(XNODE(3), i), XNODE(4) + 2);
		put(SLOT(XNODE(4), i), XNODE(5) + 2);
	}
	ok(xa_walk(100, &n, NULL, NULL, &e) < 0 && strstr(e.msg, "slot offset"),
	   "xarray: a node shared by every slot is met once", e.msg);

	/* 40 well-formed leaves of one entry each under a bound of 10 */
	xnode(XNODE(3), 6, 0, 0);
	for (i = 0; i < 40; i++) {
		xnode(XNODE(10 + i), 0, i, XNODE(3));
		put(SLOT(XNODE(3), i), XNODE(10 + i) + 2);
	}
	ok(xa_walk(10, &n, NULL, NULL, &e) < 0 && strstr(e.msg, "nodes"),
	   "xarray: empty leaves beyond the node bound", e.msg);

	bad.chunk = 32;
	ok(vm_xa_init(&w, NULL, XA, &bad, 0, &e) < 0 && e.code == VM_EFORMAT,
	   "xarray: 32 slots per node refused", e.msg);
}

int main(void)
{
	rbtree_tests();
	xarray_tests();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
