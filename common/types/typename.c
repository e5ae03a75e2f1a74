// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * C spelling of a type, gdb style: "struct list_head *", "char [16]",
 * "void (*)(int)", "const char *const *".  The declarator grows outward
 * from the name while the walk goes inward through the type: pointers
 * prepend '*', arrays and functions append, and parentheses go around a
 * pointer declarator that an array or function suffix follows.
 */
#include <stdio.h>
#include <string.h>

#include "types_impl.h"

#define MAX_NAME_DEPTH 64

static const char *tag_word(const struct vm_type *t)
{
	switch (t->kind) {
	case VM_TYPE_STRUCT: return "struct";
	case VM_TYPE_UNION: return "union";
	case VM_TYPE_ENUM: return "enum";
	default: return NULL;
	}
}

static int name_into(struct vm_types *ts, const struct vm_type *t,
		     struct vm_sbuf *decl, struct vm_sbuf *out, int depth,
		     struct vm_err *e);

static int params_into(struct vm_types *ts, const struct vm_type *t,
		       struct vm_sbuf *d, int depth, struct vm_err *e)
{
	unsigned i;

	vm_sbuf_add(d, "(");
	for (i = 0; i < t->nparams; i++) {
		const struct vm_type *pt = vm_param_type(ts, &t->params[i], e);
		struct vm_sbuf pd = { 0 }, po = { 0 };

		if (!pt)
			return -1;
		if (name_into(ts, pt, &pd, &po, depth + 1, e) < 0) {
			vm_sbuf_free(&pd);
			vm_sbuf_free(&po);
			return -1;
		}
		if (i)
			vm_sbuf_add(d, ", ");
		vm_sbuf_add(d, po.p ? po.p : "");
		vm_sbuf_free(&pd);
		vm_sbuf_free(&po);
	}
	if (t->flags & VM_TF_VARARGS)
		vm_sbuf_add(d, t->nparams ? ", ..." : "...");
	else if (!t->nparams && (t->flags & VM_TF_PROTO))
		vm_sbuf_add(d, "void");
	vm_sbuf_add(d, ")");
	return 0;
}

/* decl: the declarator built so far (consumed); out: the full spelling. */
static int name_into(struct vm_types *ts, const struct vm_type *t,
		     struct vm_sbuf *decl, struct vm_sbuf *out, int depth,
		     struct vm_err *e)
{
	unsigned quals = 0;   /* 1 const, 2 volatile, 4 restrict */
	int n = 0;

	if (depth > 8)
		return vm_fail(e, VM_EFORMAT, "function types nest too deeply");
	for (;;) {
		const char *q = NULL;
		unsigned qbit = 0;

		if (++n > MAX_NAME_DEPTH)
			return vm_fail(e, VM_EFORMAT, "type chain longer than %d",
				       MAX_NAME_DEPTH);
		switch (t->kind) {
		case VM_TYPE_CONST: q = "const"; qbit = 1; break;
		case VM_TYPE_VOLATILE: q = "volatile"; qbit = 2; break;
		case VM_TYPE_RESTRICT: q = "restrict"; qbit = 4; break;
		default: break;
		}
		if (q) {
			const struct vm_type *tt = vm_type_target(ts, t, e), *under = tt;

			if (!tt)
				return -1;
			/* qualifiers of a pointer follow its '*' ("char *const
			 * p"); look through the other qualifiers to see */
			while (under && (under->kind == VM_TYPE_CONST ||
					 under->kind == VM_TYPE_VOLATILE ||
					 under->kind == VM_TYPE_RESTRICT) && ++n <= MAX_NAME_DEPTH)
				under = vm_type_target(ts, under, e);
			if (!under)
				return -1;
			if (under->kind == VM_TYPE_PTR) {
				vm_sbuf_prepend(decl, decl->len ? " " : "");
				vm_sbuf_prepend(decl, q);
			} else {
				quals |= qbit;
			}
			t = tt;
			continue;
		}
		switch (t->kind) {
		case VM_TYPE_PTR:
			vm_sbuf_prepend(decl, "*");
			t = vm_type_target(ts, t, e);
			if (!t)
				return -1;
			continue;
		case VM_TYPE_ARRAY:
			if (decl->len && decl->p[0] == '*') {
				vm_sbuf_prepend(decl, "(");
				vm_sbuf_add(decl, ")");
			}
			if (t->flags & VM_TF_FLEX)
				vm_sbuf_add(decl, "[]");
			else
				vm_sbuf_addf(decl, "[%llu]", (unsigned long long)t->nelems);
			t = vm_type_target(ts, t, e);
			if (!t)
				return -1;
			continue;
		case VM_TYPE_FUNC:
			if (decl->len && decl->p[0] == '*') {
				vm_sbuf_prepend(decl, "(");
				vm_sbuf_add(decl, ")");
			}
			if (params_into(ts, t, decl, depth, e) < 0)
				return -1;
			t = vm_type_target(ts, t, e);
			if (!t)
				return -1;
			continue;
		default:
			break;
		}
		break;
	}
	/* gdb's order, whatever order the compiler nested them in */
	if (quals & 1)
		vm_sbuf_add(out, "const ");
	if (quals & 2)
		vm_sbuf_add(out, "volatile ");
	if (quals & 4)
		vm_sbuf_add(out, "restrict ");
	if (tag_word(t)) {
		vm_sbuf_add(out, tag_word(t));
		vm_sbuf_add(out, " ");
		vm_sbuf_add(out, t->name ? t->name : "{...}");
	} else {
		vm_sbuf_add(out, t->name ? t->name : "void");
	}
	if (decl->len) {
		/* "char [16]" and "char *", as gdb spells them */
		vm_sbuf_add(out, " ");
		vm_sbuf_add(out, decl->p);
	}
	return 0;
}

int vm_type_name(struct vm_types *ts, const struct vm_type *t, const char *decl,
		 char *buf, size_t n, struct vm_err *e)
{
	struct vm_sbuf d = { 0 }, out = { 0 };
	int rc = -1;

	if (decl)
		vm_sbuf_add(&d, decl);
	if (name_into(ts, t, &d, &out, 0, e) == 0) {
		if (d.oom || out.oom) {
			vm_fail(e, VM_ENOMEM, "out of memory formatting a type name");
		} else {
			rc = (int)out.len;
			if (n)
				snprintf(buf, n, "%s", out.p ? out.p : "");
		}
	}
	vm_sbuf_free(&d);
	vm_sbuf_free(&out);
	return rc;
}
