// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounded XArray walks (see xarray.h).
 */
#include "xarray.h"

#include <inttypes.h>
#include <string.h>

#include "list.h"

#define XA_NODE_MIN 4096u     /* internal entries above this are nodes */

int vm_xa_init(struct vm_xa_walk *w, struct vm_mem *m, uint64_t xa,
	       const struct vm_xa_layout *lay, uint64_t max, struct vm_err *e)
{
	memset(w, 0, sizeof(*w));
	if (lay->chunk != 16 && lay->chunk != 64)
		return vm_fail(e, VM_EFORMAT, "xa_node.slots has %u entries (expected 16 or 64)",
			       lay->chunk);
	w->m = m;
	w->off_head = lay->off_head;
	w->off_shift = lay->off_shift;
	w->off_offset = lay->off_offset;
	w->off_parent = lay->off_parent;
	w->off_slots = lay->off_slots;
	w->chunk = lay->chunk;
	w->chunk_shift = w->chunk == 64 ? 6 : 4;
	w->xa = xa;
	w->max = max ? max : VM_LIST_MAX_DEFAULT;
	return 0;
}

static int fail(struct vm_xa_walk *w, struct vm_err *e, const char *what, uint64_t node,
		uint64_t val)
{
	w->done = true;
	return vm_fail(e, VM_ECORRUPT, "xarray at 0x%" PRIx64 ": after %" PRIu64 " entries: "
		       "%s (node 0x%" PRIx64 ", value 0x%" PRIx64 ")", w->xa, w->count, what,
		       node, val);
}

/* An 8-byte word, or with byte set one byte (xa_node.shift). */
static int rd(struct vm_xa_walk *w, uint64_t addr, uint64_t *v, bool byte, struct vm_err *e)
{
	struct vm_err re;
	uint8_t b;
	int r = byte ? vm_kread_u8(w->m, addr, &b, &re) : vm_kread_u64(w->m, addr, v, &re);

	if (r == 0) {
		if (byte)
			*v = b;
		return 0;
	}
	w->done = true;
	return vm_fail(e, re.code == VM_ENOPAGE || re.code == VM_ENOMAP ? VM_ECORRUPT : re.code,
		       "xarray at 0x%" PRIx64 ": after %" PRIu64 " entries: 0x%" PRIx64
		       " unreadable: %s", w->xa, w->count, addr, re.msg);
}

static bool is_node(uint64_t entry)
{
	return (entry & 3) == 2 && entry > XA_NODE_MIN;
}

/* Enter the node an internal entry points to, checked against where it
 * hangs: its shift one level below, its parent the node above. */
static int enter(struct vm_xa_walk *w, uint64_t entry, uint64_t parent, int pshift,
		 unsigned slot, uint64_t base, struct vm_err *e)
{
	uint64_t node = entry - 2, par, shift, offset;

	if (node & 7)
		return fail(w, e, "misaligned node pointer", parent, entry);
	if (w->depth >= VM_XA_MAX_DEPTH)
		return fail(w, e, "deeper than 64 index bits allow: a loop", parent, entry);
	/* a node shared by many slots would be walked again and again */
	if (++w->nodes > 2 * w->max + VM_XA_MAX_DEPTH)
		return fail(w, e, "more nodes than the bound", parent, entry);
	if (rd(w, node + w->off_shift, &shift, true, e) < 0 ||
	    rd(w, node + w->off_offset, &offset, true, e) < 0 ||
	    rd(w, node + w->off_parent, &par, false, e) < 0)
		return -1;
	if (shift >= 64 || shift % w->chunk_shift)
		return fail(w, e, "bad node shift", node, shift);
	if (pshift >= 0 && shift + w->chunk_shift != (unsigned)pshift)
		return fail(w, e, "node shift does not follow its parent's", node, shift);
	if (par != parent)
		return fail(w, e, "node's parent pointer does not lead back", node, par);
	/* the root node's offset is 0; a node elsewhere knows its slot */
	if (offset != slot)
		return fail(w, e, "node's slot offset is not where it hangs", node, offset);
	w->lv[w->depth++] = (struct vm_xa_level){ node, base, (unsigned)shift, 0 };
	return 0;
}

int vm_xa_next(struct vm_xa_walk *w, uint64_t *index, uint64_t *entry, bool *value,
	       struct vm_err *e)
{
	uint64_t v;

	if (w->done)
		return 0;
	if (!w->started) {
		w->started = true;
		if (rd(w, w->xa + w->off_head, &v, false, e) < 0)
			return -1;
		if (!v) {
			w->done = true;
			return 0;
		}
		if (!is_node(v)) {
			/* one entry, at index 0, kept in the head */
			w->done = true;
			if ((v & 3) == 2)
				return 0;
			*index = 0;
			*entry = v;
			*value = v & 1;
			w->count++;
			return 1;
		}
		if (enter(w, v, 0, -1, 0, 0, e) < 0)
			return -1;
	}
	while (w->depth) {
		struct vm_xa_level *l = &w->lv[w->depth - 1];
		uint64_t idx;

		if (l->slot >= w->chunk) {
			w->depth--;
			continue;
		}
		idx = l->base + ((uint64_t)l->slot << l->shift);
		if (rd(w, l->node + w->off_slots + 8ull * l->slot, &v, false, e) < 0)
			return -1;
		l->slot++;
		if (!v)
			continue;
		if ((v & 3) == 2) {
			if (!is_node(v))
				continue;     /* sibling, retry, zero */
			if (!l->shift)
				return fail(w, e, "node below a leaf node", l->node, v);
			if (enter(w, v, l->node, (int)l->shift, l->slot - 1, idx, e) < 0)
				return -1;
			continue;
		}
		if (w->count >= w->max)
			return fail(w, e, "more entries than the bound", l->node, w->max);
		w->count++;
		*index = idx;
		*entry = v;
		*value = v & 1;
		return 1;
	}
	w->done = true;
	return 0;
}
