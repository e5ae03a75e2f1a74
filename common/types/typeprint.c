// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Type definitions as crash prints them ("struct NAME", "struct NAME -o")
 * and one member per line for awk (--flat).
 *
 * crash's -o layout: anonymous struct/union members are expanded in place;
 * a member gets its [offset] when its name is reachable from the outer
 * type through anonymous members only (C's own rule for member access);
 * for a named member of anonymous struct type the offset goes on the line
 * that closes it ("  [16]     } futex;").  The offset column is as wide as
 * the widest "[N]" plus two.  Bitfields show the byte that holds their
 * first bit.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../caps.h"
#include "types_impl.h"

#define MAX_NEST VM_NEST_MAX

struct line {
	int64_t off;          /* -1: no offset on this line */
	int depth;
	char *text;
};

struct lines {
	struct line *l;
	size_t n, cap;
};

static int add_line(struct lines *ls, int64_t off, int depth, const char *text,
		    struct vm_err *e)
{
	if (ls->n == ls->cap) {
		size_t nc = ls->cap ? 2 * ls->cap : 64;
		void *np = vm_realloc_array(ls->l, nc, sizeof(*ls->l), e);

		if (!np)
			return -1;
		ls->l = np;
		ls->cap = nc;
	}
	ls->l[ls->n].text = vm_strdup(text, e);
	if (!ls->l[ls->n].text)
		return -1;
	ls->l[ls->n].off = off;
	ls->l[ls->n].depth = depth;
	ls->n++;
	return 0;
}

static void free_lines(struct lines *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		free(ls->l[i].text);
	free(ls->l);
}

/* An anonymous struct/union (possibly under arrays): expanded in place.
 * *dims gets the array suffix ("[4]"). */
static const struct vm_type *anon_aggregate(struct vm_types *ts,
					    const struct vm_type *t,
					    char *dims, size_t n, struct vm_err *e)
{
	unsigned depth = 0;

	dims[0] = 0;
	while (t && t->kind == VM_TYPE_ARRAY) {
		size_t l = strlen(dims);

		/* corrupt BTF/DWARF can make an array its own element type */
		if (++depth > 64)
			return NULL;

		if (t->flags & VM_TF_FLEX)
			snprintf(dims + l, n - l, "[]");
		else
			snprintf(dims + l, n - l, "[%" PRIu64 "]", t->nelems);
		t = vm_type_target(ts, t, e);
	}
	if (t && (t->kind == VM_TYPE_STRUCT || t->kind == VM_TYPE_UNION) && !t->name)
		return t;
	return NULL;
}

/* crash finds a member's offset by its name from the outer type: a
 * member inside a named member still gets one when the same name is
 * reachable through anonymous members (struct_group() puts every member
 * twice, once in an anonymous struct and once in a named one). */
static int64_t offset_by_name(struct vm_types *ts, const struct vm_type *top,
			      const char *name)
{
	struct vm_member_loc loc;
	struct vm_err e;

	if (vm_type_member_path(ts, top, name, &loc, &e) < 0)
		return -1;
	return (int64_t)(loc.bit_offset / 8);
}

static int def_members(struct vm_types *ts, const struct vm_type *top,
		       const struct vm_type *t, int depth, uint64_t base_bits,
		       bool reachable, struct lines *ls, struct vm_err *e)
{
	unsigned i;

	if (depth > MAX_NEST)
		return vm_fail(e, VM_EFORMAT, "anonymous members nest deeper than %d",
			       MAX_NEST);
	for (i = 0; i < t->nmembers; i++) {
		const struct vm_member *m = &t->members[i];
		const struct vm_type *mt = vm_member_type(ts, m, e), *anon;
		uint64_t bits = base_bits + m->bit_offset;
		int64_t off = !m->name ? -1 : reachable ? (int64_t)(bits / 8)
				: offset_by_name(ts, top, m->name);
		char dims[128], text[1024];

		if (!mt)
			return -1;
		anon = anon_aggregate(ts, mt, dims, sizeof(dims), e);
		if (anon) {
			if (add_line(ls, -1, depth,
				     anon->kind == VM_TYPE_UNION ? "union {" : "struct {", e) < 0 ||
			    def_members(ts, top, anon, depth + 1, bits,
					reachable && !m->name && !dims[0], ls, e) < 0)
				return -1;
			snprintf(text, sizeof(text), "}%s%s%s;", m->name ? " " : "",
				 m->name ? m->name : "", dims);
			if (add_line(ls, off, depth, text, e) < 0)
				return -1;
			continue;
		}
		if (vm_type_name(ts, mt, m->name ? m->name : "", text, sizeof(text), e) < 0)
			return -1;
		if (m->bit_size) {
			size_t l = strlen(text);

			snprintf(text + l, sizeof(text) - l, " : %u", m->bit_size);
		}
		strncat(text, ";", sizeof(text) - strlen(text) - 1);
		if (add_line(ls, off, depth, text, e) < 0)
			return -1;
	}
	return 0;
}

static int print_enum(FILE *f, const struct vm_type *t)
{
	unsigned i;

	fprintf(f, "enum %s {\n", t->name ? t->name : "");
	for (i = 0; i < t->nenums; i++) {
		if (t->flags & VM_TF_SIGNED)
			fprintf(f, "  %s = %" PRId64 "\n", t->enums[i].name, t->enums[i].value);
		else
			fprintf(f, "  %s = %" PRIu64 "\n", t->enums[i].name,
				(uint64_t)t->enums[i].value & (t->size >= 8 ? UINT64_MAX
					: ((uint64_t)1 << (8 * (t->size ? t->size : 4))) - 1));
	}
	fprintf(f, "};\n");
	return 0;
}

int vm_types_print_def(struct vm_types *ts, FILE *f, const struct vm_type *t,
		       unsigned flags, struct vm_err *e)
{
	const struct vm_type *s;
	struct lines ls = { 0 };
	char text[1024];
	size_t i;
	int w = 0, rc = -1;
	uint64_t size;

	s = vm_type_strip(ts, t, e);
	if (!s)
		return -1;
	s = vm_type_complete(ts, s);
	if (s->kind == VM_TYPE_ENUM && !(s->flags & VM_TF_DECL))
		return print_enum(f, s);
	if (s->kind != VM_TYPE_STRUCT && s->kind != VM_TYPE_UNION) {
		/* a typedef of a scalar, or a base type: its C spelling */
		if (vm_type_name(ts, t->kind == VM_TYPE_TYPEDEF ? vm_type_target(ts, t, e) : t,
				 t->kind == VM_TYPE_TYPEDEF ? t->name : NULL,
				 text, sizeof(text), e) < 0)
			return -1;
		if (t->kind == VM_TYPE_TYPEDEF)
			fprintf(f, "typedef %s;\n", text);
		else
			fprintf(f, "%s\n", text);
		if (vm_type_size(ts, t, &size, e) == 0)
			fprintf(f, "SIZE: %" PRIu64 "\n", size);
		return 0;
	}
	if (s->flags & VM_TF_DECL)
		return vm_fail(e, VM_ENOENT, "%s %s is only declared here, not defined",
			       s->kind == VM_TYPE_UNION ? "union" : "struct",
			       s->name ? s->name : "");
	if (def_members(ts, s, s, 1, 0, true, &ls, e) < 0)
		goto out;
	/* crash sizes the column for "[SIZE]", whatever the offsets are */
	w = snprintf(text, sizeof(text), "[%" PRIu64 "]", s->size) + 2;
	for (i = 0; i < ls.n; i++)
		if (ls.l[i].off >= 0) {
			int n = snprintf(text, sizeof(text), "[%" PRId64 "]", ls.l[i].off);

			if (n + 2 > w)
				w = n + 2;
		}
	fprintf(f, "%s %s%s{\n", s->kind == VM_TYPE_UNION ? "union" : "struct",
		s->name ? s->name : "", s->name ? " " : "");
	for (i = 0; i < ls.n; i++) {
		const struct line *l = &ls.l[i];

		if (flags & VM_TPRINT_OFFSETS) {
			if (l->off >= 0) {
				snprintf(text, sizeof(text), "[%" PRId64 "]", l->off);
				fprintf(f, "%*s", w, text);
			} else {
				fprintf(f, "%*s", w, "");
			}
			fprintf(f, " %*s%s\n", 4 * (l->depth - 1), "", l->text);
		} else {
			fprintf(f, "%*s%s\n", 4 * l->depth, "", l->text);
		}
	}
	fprintf(f, "}\nSIZE: %" PRIu64 "\n", s->size);
	rc = 0;
out:
	free_lines(&ls);
	return rc;
}

/* ---- flat layouts (--flat, and the JSON layout of out/value.c) ---- */

static int walk_flat(struct vm_types *ts, const struct vm_type *t, const char *prefix,
		     uint64_t base_bits, int depth, vm_flat_fn fn, void *ctx,
		     struct vm_err *e)
{
	unsigned i;

	if (depth > MAX_NEST)
		return vm_fail(e, VM_EFORMAT, "members nest deeper than %d", MAX_NEST);
	for (i = 0; i < t->nmembers; i++) {
		const struct vm_member *m = &t->members[i];
		const struct vm_type *mt = vm_member_type(ts, m, e), *st;
		char name[1024], tname[1024], sub[1100];
		struct vm_flat_member f = { name, base_bits + m->bit_offset, 0, tname,
					    m->bit_size };

		if (!mt || !(st = vm_type_strip(ts, mt, e)))
			return -1;
		st = vm_type_complete(ts, st);
		if (!m->name) {
			if ((st->kind == VM_TYPE_STRUCT || st->kind == VM_TYPE_UNION) &&
			    walk_flat(ts, st, prefix, f.bit_offset, depth + 1, fn, ctx, e) < 0)
				return -1;
			continue;
		}
		snprintf(name, sizeof(name), "%s%s", prefix, m->name);
		if (vm_type_name(ts, mt, NULL, tname, sizeof(tname), e) < 0)
			return -1;
		if (vm_type_size(ts, mt, &f.size, e) < 0)
			f.size = 0;
		if (fn(ctx, &f, e) < 0)
			return -1;
		snprintf(sub, sizeof(sub), "%s.", name);
		if ((st->kind == VM_TYPE_STRUCT || st->kind == VM_TYPE_UNION) &&
		    walk_flat(ts, st, sub, f.bit_offset, depth + 1, fn, ctx, e) < 0)
			return -1;
	}
	return 0;
}

int vm_types_walk_flat(struct vm_types *ts, const struct vm_type *t, vm_flat_fn fn,
		       void *ctx, struct vm_err *e)
{
	const struct vm_type *s = vm_type_strip(ts, t, e);

	if (!s)
		return -1;
	return walk_flat(ts, vm_type_complete(ts, s), "", 0, 0, fn, ctx, e);
}

static int flat_line(void *ctx, const struct vm_flat_member *m, struct vm_err *e)
{
	FILE *f = ctx;

	fprintf(f, "%" PRIu64 "\t%" PRIu64 "\t%s\t%s", m->bit_offset / 8, m->size,
		m->type, m->name);
	if (m->bit_size)
		fprintf(f, ":%u", m->bit_size);
	fputc('\n', f);
	return 0;
}

int vm_types_print_flat(struct vm_types *ts, FILE *f, const struct vm_type *t,
			struct vm_err *e)
{
	const struct vm_type *s = vm_type_strip(ts, t, e);

	if (!s)
		return -1;
	s = vm_type_complete(ts, s);
	if (s->kind != VM_TYPE_STRUCT && s->kind != VM_TYPE_UNION)
		return vm_fail(e, VM_EINVAL, "--flat wants a struct or union");
	if (s->flags & VM_TF_DECL)
		return vm_fail(e, VM_ENOENT, "%s is only declared, not defined",
			       s->name ? s->name : "type");
	return vm_types_walk_flat(ts, s, flat_line, f, e);
}
