// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Container walks by type and member (see entries.h).
 */
#include "entries.h"

#include <string.h>
#include <strings.h>

#include "../types/types.h"
#include "vars.h"

static const char *const kind_names[] = {
	[VM_WALK_AUTO] = "auto", [VM_WALK_LIST] = "list", [VM_WALK_HLIST] = "hlist",
	[VM_WALK_RBTREE] = "rbtree", [VM_WALK_XARRAY] = "xarray",
};

int vm_xa_layout(struct vm_kernel *k, struct vm_xa_layout *lay, struct vm_err *e)
{
	uint64_t slots_size;

	if (vm_kernel_offsetof(k, "xarray", "xa_head", &lay->off_head, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "xa_node", "shift", &lay->off_shift, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "xa_node", "offset", &lay->off_offset, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "xa_node", "parent", &lay->off_parent, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "xa_node", "slots", &lay->off_slots, &slots_size, e) < 0) {
		vm_err_prefix(e, "xarray (v4.20+): ");
		return -1;
	}
	lay->chunk = (unsigned)(slots_size / 8);
	return 0;
}

int vm_walk_kind_parse(const char *s)
{
	unsigned i;

	if (!strcasecmp(s, "radix"))      /* a radix tree is an XArray since v4.20 */
		return VM_WALK_XARRAY;
	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcasecmp(s, kind_names[i]))
			return (int)i;
	return -1;
}

const char *vm_walk_kind_name(enum vm_walk_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

/* The kind a struct type names as an anchor or as a link. */
static enum vm_walk_kind kind_of(struct vm_types *ts, const struct vm_type *t, bool head)
{
	struct vm_err e;

	t = vm_type_strip(ts, t, &e);
	if (!t || (t->kind != VM_TYPE_STRUCT && t->kind != VM_TYPE_UNION) || !t->name)
		return VM_WALK_AUTO;
	if (!strcmp(t->name, "list_head"))
		return VM_WALK_LIST;
	if (!strcmp(t->name, head ? "hlist_head" : "hlist_node"))
		return VM_WALK_HLIST;
	if (head ? !strcmp(t->name, "rb_root") || !strcmp(t->name, "rb_root_cached")
		 : !strcmp(t->name, "rb_node"))
		return VM_WALK_RBTREE;
	if (head && !strcmp(t->name, "xarray"))
		return VM_WALK_XARRAY;
	return VM_WALK_AUTO;
}

int vm_entries_open(struct vm_kernel *k, const char *type, const char *member,
		    const char *head, enum vm_walk_kind kind, uint64_t max,
		    struct vm_entries *w, struct vm_err *e)
{
	struct vm_types *ts = vm_kernel_types(k, e);
	struct vm_mem *m = vm_kernel_mem(k, e);
	enum vm_walk_kind hk = VM_WALK_AUTO, mk = VM_WALK_AUTO;
	struct vm_var v;
	struct vm_err ve;

	memset(w, 0, sizeof(*w));
	if (!ts || !m)
		return -1;
	/* the head: a variable expression tells its type */
	if (vm_var_lookup(k, head, &v, &ve) == 0 && !v.percpu) {
		if (vm_var_addr(&v, NULL, 0, &w->head, e) < 0)
			return -1;
		hk = kind_of(ts, v.type, true);
	} else if (vm_kernel_resolve_addr(k, head, &w->head, e) < 0) {
		/* VARIABLE.member of a variable whose type is unknown (BTF
		 * without global VARs): why the member cannot be had says more
		 * than "no symbol named VARIABLE.member" */
		if (strchr(head, '.') && strstr(ve.msg, "type is unknown"))
			*e = ve;
		vm_err_prefix(e, "head %s: ", head);
		return -1;
	}
	if (member && *member) {
		const struct vm_type *st = vm_types_find(ts, type, e);
		struct vm_member_loc loc;

		if (!st || vm_type_member_path(ts, st, member, &loc, e) < 0)
			return -1;
		w->member_off = loc.bit_offset / 8;
		mk = kind_of(ts, loc.type, false);
	} else if (type && !vm_types_find(ts, type, e)) {
		return -1;
	}
	if (!kind)
		kind = hk ? hk : mk;
	if (!kind)
		return vm_fail(e, VM_EINVAL, "what links the entries? %s%s%s is no list_head, "
			       "hlist_node or rb_node, and the head's type is unknown (name "
			       "the kind: list, hlist, rbtree, xarray)", type ? type : "",
			       member ? "." : "", member ? member : "");
	if (hk && hk != kind)
		return vm_fail(e, VM_EINVAL, "the head %s is a%s %s head, not a%s %s", head,
			       hk == VM_WALK_XARRAY ? "n" : "", vm_walk_kind_name(hk),
			       kind == VM_WALK_XARRAY ? "n" : "", vm_walk_kind_name(kind));
	if (kind != VM_WALK_XARRAY && mk && mk != kind)
		return vm_fail(e, VM_EINVAL, "member %s is a %s link, not a %s one", member,
			       vm_walk_kind_name(mk), vm_walk_kind_name(kind));
	if (kind != VM_WALK_XARRAY && (!member || !*member))
		return vm_fail(e, VM_EINVAL, "a %s walk needs the linking member",
			       vm_walk_kind_name(kind));
	w->kind = kind;
	switch (kind) {
	case VM_WALK_LIST:
		vm_list_init(&w->l, m, w->head, max, VM_LIST_CHECK_PREV);
		return 0;
	case VM_WALK_HLIST:
		vm_hlist_init(&w->l, m, w->head, max, VM_LIST_CHECK_PREV);
		return 0;
	case VM_WALK_RBTREE:
		vm_rb_init(&w->r, m, w->head, max);
		return 0;
	case VM_WALK_XARRAY: {
		struct vm_xa_layout lay;

		if (vm_xa_layout(k, &lay, e) < 0)
			return -1;
		return vm_xa_init(&w->x, m, w->head, &lay, max, e);
	}
	default:
		return vm_fail(e, VM_EINVAL, "unknown walk kind %d", (int)kind);
	}
}

int vm_entries_next(struct vm_entries *w, uint64_t *entry, uint64_t *index,
		    struct vm_err *e)
{
	uint64_t node;
	bool value;
	int r;

	switch (w->kind) {
	case VM_WALK_LIST:
	case VM_WALK_HLIST:
		r = vm_list_next(&w->l, &node, e);
		if (r == 1) {
			*index = w->l.count - 1;
			*entry = node - w->member_off;
		}
		return r;
	case VM_WALK_RBTREE:
		r = vm_rb_next(&w->r, &node, e);
		if (r == 1) {
			*index = w->r.count - 1;
			*entry = node - w->member_off;
		}
		return r;
	case VM_WALK_XARRAY:
		return vm_xa_next(&w->x, index, entry, &value, e);
	default:
		return vm_fail(e, VM_EINVAL, "walk not started");
	}
}
