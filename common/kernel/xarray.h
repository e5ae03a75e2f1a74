/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walking an XArray (struct xarray; the radix tree is one since v4.20)
 * through a dump, in index order, where any pointer may be damaged.
 *
 * Entry encoding (include/linux/xarray.h): bit 0 set is a value entry
 * (xa_mk_value), low bits 10 an internal entry -- above 4096 a pointer to
 * a struct xa_node + 2, small ones sibling/retry/zero markers; anything
 * else is a pointer the user stored.  A node holds XA_CHUNK_SIZE slots
 * (the length of xa_node.slots, 64 or 16 with CONFIG_BASE_SMALL) for
 * indices shift bits apart; its children have shift - XA_CHUNK_SHIFT,
 * point back at it (xa_node.parent) and know their slot in it
 * (xa_node.offset).  Offsets come from the types.
 *
 * The walk checks every node (aligned, shift, parent and slot consistent
 * with its place: so each node is met once), bounds the depth by 64 bits
 * of index, the number of entries by max and of nodes by 2 * max + 16.
 */
#ifndef VM_XARRAY_H
#define VM_XARRAY_H

#include <stdbool.h>
#include <stdint.h>

#include "../arch/arch.h"
#include "../err.h"

#define VM_XA_MAX_DEPTH 16

struct vm_xa_level {
	uint64_t node;
	uint64_t base;               /* index of slot 0 */
	unsigned shift;
	unsigned slot;               /* next slot to look at */
};

/* Where things are in struct xarray and struct xa_node (from the types:
 * entries.c vm_xa_layout()). */
struct vm_xa_layout {
	uint64_t off_head;           /* xarray.xa_head */
	uint64_t off_shift, off_offset, off_parent, off_slots;   /* xa_node */
	unsigned chunk;              /* XA_CHUNK_SIZE: 64, or 16 (BASE_SMALL) */
};

struct vm_xa_walk {
	struct vm_mem *m;
	uint64_t xa;                 /* the struct xarray */
	uint64_t off_head, off_shift, off_offset, off_parent, off_slots;
	unsigned chunk_shift, chunk;
	struct vm_xa_level lv[VM_XA_MAX_DEPTH];
	unsigned depth;
	uint64_t count, max;         /* entries returned, bound on entries and nodes */
	uint64_t nodes;
	bool started, done;
};

/* Start a walk of the XArray at xa; VM_EFORMAT for a chunk size that is
 * neither 16 nor 64. */
int vm_xa_init(struct vm_xa_walk *w, struct vm_mem *m, uint64_t xa,
	       const struct vm_xa_layout *lay, uint64_t max, struct vm_err *e);
/* 1 with the next present entry (*index, *entry; *value true for a value
 * entry, whose number is *entry >> 1), 0 at the end, -1 on corruption or
 * a read error; finished after -1. */
int vm_xa_next(struct vm_xa_walk *w, uint64_t *index, uint64_t *entry, bool *value,
	       struct vm_err *e);

#endif
