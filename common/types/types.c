// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The backend-independent half of the type layer: sources, the cache of
 * decoded types, lookups by name, member paths and sizes.
 */
#include "types_impl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Typedef chains, nested anonymous members, multi-dimensional arrays:
 * deeper than this is a loop in corrupt debuginfo. */
#define MAX_CHAIN 64

struct vm_arena_chunk {
	struct vm_arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

void *vm_types_alloc(struct vm_types *ts, size_t n, struct vm_err *e)
{
	struct vm_arena_chunk *c = ts->arena;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 60000 ? n : 60000;

		c = vm_malloc(sizeof(*c) + cap, e);
		if (!c)
			return NULL;
		c->next = ts->arena;
		c->used = 0;
		c->cap = cap;
		ts->arena = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *vm_types_strdup(struct vm_types *ts, const char *s, struct vm_err *e)
{
	size_t n = strlen(s) + 1;
	char *p = vm_types_alloc(ts, n, e);

	if (p)
		memcpy(p, s, n);
	return p;
}

struct vm_types *vm_types_new(const struct vm_opts *o, struct vm_err *e)
{
	struct vm_types *ts = vm_calloc(1, sizeof(*ts), e);

	if (!ts)
		return NULL;
	ts->opts = o;
	ts->void_type.kind = VM_TYPE_VOID;
	ts->void_type.name = "void";
	return ts;
}

void vm_types_free(struct vm_types *ts)
{
	struct vm_arena_chunk *c, *n;
	unsigned i;

	if (!ts)
		return;
	for (i = 0; i < ts->nsrc; i++) {
		ts->src[i]->ops->free(ts->src[i]);
		free(ts->src[i]);
	}
	for (c = ts->arena; c; c = n) {
		n = c->next;
		free(c);
	}
	free(ts->slots);
	free(ts);
}

int vm_types_add_src(struct vm_types *ts, struct vm_tsrc *s, struct vm_err *e)
{
	if (ts->nsrc >= VM_TYPES_MAX_SRC) {
		s->ops->free(s);
		free(s);
		return vm_fail(e, VM_ENOMEM, "more than %d type sources",
			       VM_TYPES_MAX_SRC);
	}
	s->ts = ts;
	s->index = ts->nsrc;
	ts->src[ts->nsrc++] = s;
	return 0;
}

void vm_types_set_miss(struct vm_types *ts,
		       int (*fn)(void *ctx, struct vm_types *ts), void *ctx)
{
	ts->miss = fn;
	ts->miss_ctx = ctx;
	ts->miss_done = false;
}

/* true if the miss hook ran now and a retry may find more */
static bool run_miss(struct vm_types *ts)
{
	unsigned before = ts->nsrc;

	if (!ts->miss || ts->miss_done)
		return false;
	ts->miss_done = true;
	ts->miss(ts->miss_ctx, ts);
	return ts->nsrc > before;
}

unsigned vm_types_nsources(const struct vm_types *ts)
{
	return ts ? ts->nsrc : 0;
}

enum vm_types_source vm_types_source_kind(const struct vm_types *ts, unsigned i)
{
	return i < ts->nsrc ? ts->src[i]->kind : 0;
}

const char *vm_types_source_desc(const struct vm_types *ts, unsigned i)
{
	return i < ts->nsrc ? ts->src[i]->desc : "";
}

int vm_types_add_dwarf(struct vm_types *ts, const char *path, struct vm_err *e)
{
	struct vm_tsrc *s;

	if (vm_dwarf_src_open(ts, path, &s, e) < 0)
		return -1;
	return vm_types_add_src(ts, s, e);
}

int vm_types_add_dwarf_elf(struct vm_types *ts, struct vm_elffile *elf, struct vm_err *e)
{
	struct vm_tsrc *s;

	if (vm_dwarf_src_open_elf(ts, elf, &s, e) < 0)
		return -1;
	return vm_types_add_src(ts, s, e);
}

int vm_types_add_btf(struct vm_types *ts, const void *data, size_t len,
		     const char *label, struct vm_err *e)
{
	struct vm_tsrc *s;

	if (vm_btf_src_open(ts, data, len, true, label, &s, e) < 0)
		return -1;
	s->kind = VM_TSRC_BTF_MEM;
	return vm_types_add_src(ts, s, e);
}

int vm_types_add_btf_split(struct vm_types *ts, const void *data, size_t len,
			   unsigned base, const char *label, struct vm_err *e)
{
	struct vm_tsrc *s;

	if (vm_btf_src_open_split(ts, data, len, base, label, &s, e) < 0)
		return -1;
	s->kind = VM_TSRC_BTF_MEM;
	return vm_types_add_src(ts, s, e);
}

/* ---- the cache of decoded types ---- */

static size_t slot_of(uint64_t key, size_t n)
{
	key *= 0x9e3779b97f4a7c15ull;
	return (size_t)(key >> 17) & (n - 1);
}

static uint64_t key_of(unsigned src, uint64_t id)
{
	return (uint64_t)src << 56 ^ id;
}

static int cache_grow(struct vm_types *ts, struct vm_err *e)
{
	size_t n = ts->nslots ? 2 * ts->nslots : 1024, i, j;
	struct vm_type **ns = vm_calloc(n, sizeof(*ns), e);

	if (!ns)
		return -1;
	for (i = 0; i < ts->nslots; i++) {
		struct vm_type *t = ts->slots[i];

		if (!t)
			continue;
		for (j = slot_of(key_of(t->src, t->id), n); ns[j]; j = (j + 1) & (n - 1))
			;
		ns[j] = t;
	}
	free(ts->slots);
	ts->slots = ns;
	ts->nslots = n;
	return 0;
}

struct vm_type *vm_types_get(struct vm_types *ts, unsigned src, uint64_t id,
			     struct vm_err *e)
{
	uint64_t key = key_of(src, id);
	struct vm_type *t;
	size_t j;

	if (id == 0)
		return &ts->void_type;
	if (src >= ts->nsrc) {
		vm_fail(e, VM_EINVAL, "type source %u does not exist", src);
		return NULL;
	}
	if (ts->nslots) {
		for (j = slot_of(key, ts->nslots); ts->slots[j]; j = (j + 1) & (ts->nslots - 1)) {
			t = ts->slots[j];
			if (t->src == src && t->id == id)
				return t;
		}
	}
	if (ts->depth > MAX_CHAIN) {
		vm_fail(e, VM_EFORMAT, "%s: type references nest deeper than %d (loop?) at id %#llx",
			ts->src[src]->desc, MAX_CHAIN, (unsigned long long)id);
		return NULL;
	}
	ts->depth++;
	t = ts->src[src]->ops->decode(ts->src[src], id, e);
	ts->depth--;
	if (!t)
		return NULL;
	t->src = src;
	t->id = id;
	if ((ts->nused + 1) * 2 > ts->nslots && cache_grow(ts, e) < 0)
		return NULL;
	/* a decoder may have cached this id already (atomic aliases) */
	for (j = slot_of(key, ts->nslots); ts->slots[j]; j = (j + 1) & (ts->nslots - 1))
		if (ts->slots[j]->src == src && ts->slots[j]->id == id)
			return ts->slots[j];
	ts->slots[j] = t;
	ts->nused++;
	return t;
}

/* ---- base type spellings ---- */

static const char *const base_alias[][2] = {
	{ "long int", "long" },
	{ "long unsigned int", "unsigned long" },
	{ "long long int", "long long" },
	{ "long long unsigned int", "unsigned long long" },
	{ "short int", "short" },
	{ "short unsigned int", "unsigned short" },
	{ "__int128 unsigned", "unsigned __int128" },
};

const char *vm_types_base_canon(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(base_alias) / sizeof(base_alias[0]); i++)
		if (!strcmp(name, base_alias[i][0]))
			return base_alias[i][1];
	return name;
}

const char *vm_types_base_gcc(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(base_alias) / sizeof(base_alias[0]); i++)
		if (!strcmp(name, base_alias[i][1]))
			return base_alias[i][0];
	return NULL;
}

/* ---- lookups ---- */

static const char *kind_word(enum vm_tkind k)
{
	switch (k) {
	case VM_TK_STRUCT: return "struct";
	case VM_TK_UNION: return "union";
	case VM_TK_ENUM: return "enum";
	case VM_TK_TYPEDEF: return "typedef";
	case VM_TK_BASE: return "type";
	case VM_TK_ENUMERATOR: return "enumerator";
	case VM_TK_VAR: return "variable";
	case VM_TK_FUNC: return "function";
	default: return "type";
	}
}

/* First source that has it; a declaration is kept only if no source has a
 * definition. */
static const struct vm_type *find_in_once(struct vm_types *ts, const char *name,
					  enum vm_tkind k, bool *error,
					  struct vm_err *e)
{
	const struct vm_type *decl = NULL;
	unsigned i;

	*error = false;
	for (i = 0; i < ts->nsrc; i++) {
		struct vm_tsrc *s = ts->src[i];
		uint64_t id;
		int r = s->ops->find(s, name, k, &id, e);
		struct vm_type *t;

		if (r < 0) {
			*error = true;
			return NULL;
		}
		if (r == 0)
			continue;
		t = vm_types_get(ts, i, id, e);
		if (!t) {
			*error = true;
			return NULL;
		}
		if (!(t->flags & VM_TF_DECL))
			return t;
		if (!decl)
			decl = t;
	}
	return decl;
}

static const struct vm_type *find_in(struct vm_types *ts, const char *name,
				     enum vm_tkind k, bool *error, struct vm_err *e)
{
	const struct vm_type *t = find_in_once(ts, name, k, error, e);

	/* not here, or only declared: the modules may define it */
	if ((!t || (t->flags & VM_TF_DECL)) && !*error && run_miss(ts)) {
		const struct vm_type *u = find_in_once(ts, name, k, error, e);

		if (u)
			t = u;
	}
	return t;
}

const struct vm_type *vm_types_find_kind(struct vm_types *ts, const char *name,
					 enum vm_tkind k, struct vm_err *e)
{
	const struct vm_type *t;
	bool err;

	if (!ts || ts->nsrc == 0) {
		vm_fail(e, VM_ENOENT, "no type information loaded");
		return NULL;
	}
	t = find_in(ts, name, k, &err, e);
	if (!t && !err)
		vm_fail(e, VM_ENOENT, "no %s named %s", kind_word(k), name);
	return t;
}

/* "struct  foo " -> kind + "foo" */
static const char *split_kind(const char *name, enum vm_tkind *k, char *buf,
			      size_t n)
{
	static const struct { const char *w; enum vm_tkind k; } words[] = {
		{ "struct", VM_TK_STRUCT }, { "union", VM_TK_UNION },
		{ "enum", VM_TK_ENUM },
	};
	size_t i, len;

	*k = 0;
	while (isspace((unsigned char)*name))
		name++;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		len = strlen(words[i].w);
		if (!strncmp(name, words[i].w, len) && isspace((unsigned char)name[len])) {
			*k = words[i].k;
			name += len;
			while (isspace((unsigned char)*name))
				name++;
			break;
		}
	}
	/* trailing blanks, and inner runs of blanks collapse ("unsigned  int") */
	len = 0;
	for (; *name && len + 1 < n; name++) {
		if (isspace((unsigned char)*name)) {
			if (len && buf[len - 1] != ' ')
				buf[len++] = ' ';
		} else {
			buf[len++] = *name;
		}
	}
	while (len && buf[len - 1] == ' ')
		len--;
	buf[len] = 0;
	return buf;
}

const struct vm_type *vm_types_find(struct vm_types *ts, const char *name,
				    struct vm_err *e)
{
	static const enum vm_tkind order[] = {
		VM_TK_STRUCT, VM_TK_UNION, VM_TK_TYPEDEF, VM_TK_ENUM, VM_TK_BASE,
	};
	const struct vm_type *t;
	enum vm_tkind k;
	char buf[256];
	const char *n;
	bool err;
	size_t i;

	if (!ts || ts->nsrc == 0) {
		vm_fail(e, VM_ENOENT, "no type information loaded");
		return NULL;
	}
	n = split_kind(name, &k, buf, sizeof(buf));
	if (!*n) {
		vm_fail(e, VM_EINVAL, "empty type name '%s'", name);
		return NULL;
	}
	if (k)
		return vm_types_find_kind(ts, n, k, e);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		t = find_in(ts, n, order[i], &err, e);
		if (t || err)
			return t;
	}
	if (vm_types_base_gcc(n)) {
		t = find_in(ts, vm_types_base_gcc(n), VM_TK_BASE, &err, e);
		if (t || err)
			return t;
	}
	if (!strcmp(n, "void"))
		return &ts->void_type;
	vm_fail(e, VM_ENOENT, "no struct named %s", n);
	return NULL;
}

const struct vm_type *vm_types_var(struct vm_types *ts, const char *name,
				   struct vm_err *e)
{
	const struct vm_type *t;
	bool err;

	if (!ts || ts->nsrc == 0) {
		vm_fail(e, VM_ENOENT, "no type information loaded");
		return NULL;
	}
	t = find_in(ts, name, VM_TK_VAR, &err, e);
	if (!t && !err)
		t = find_in(ts, name, VM_TK_FUNC, &err, e);
	if (!t && !err)
		vm_fail(e, VM_ENOENT, "no variable or function named %s", name);
	return t;
}

int vm_types_var_section(struct vm_types *ts, const char *name, char *sec,
			 size_t secsz, uint64_t *off, struct vm_err *e)
{
	unsigned i;

	for (i = 0; ts && i < ts->nsrc; i++) {
		struct vm_tsrc *s = ts->src[i];
		int r;

		if (!s->ops->var_section)
			continue;
		r = s->ops->var_section(s, name, sec, secsz, off, e);
		if (r != 0)
			return r > 0 ? 0 : -1;
	}
	return vm_fail(e, VM_ENOENT, "no data section record of variable %s", name);
}

int vm_types_enum_value(struct vm_types *ts, const char *name, int64_t *val,
			struct vm_err *e)
{
	const struct vm_type *t = vm_types_find_kind(ts, name, VM_TK_ENUMERATOR, e);
	unsigned i;

	if (!t)
		return -1;
	for (i = 0; i < t->nenums; i++)
		if (!strcmp(t->enums[i].name, name)) {
			*val = t->enums[i].value;
			return 0;
		}
	return vm_fail(e, VM_ENOENT, "no enumerator named %s", name);
}

/* ---- following references ---- */

static struct vm_type *resolve(struct vm_types *ts, unsigned src, uint64_t ref,
			       struct vm_type **cache, struct vm_err *e)
{
	if (!*cache)
		*cache = vm_types_get(ts, src, ref, e);
	return *cache;
}

const struct vm_type *vm_type_target(struct vm_types *ts, const struct vm_type *t,
				     struct vm_err *e)
{
	struct vm_type *m = (struct vm_type *)t;

	return resolve(ts, t->src, t->target_ref, &m->target_cache, e);
}

const struct vm_type *vm_member_type(struct vm_types *ts, const struct vm_member *m,
				     struct vm_err *e)
{
	struct vm_member *mm = (struct vm_member *)m;

	return resolve(ts, m->src, m->type_ref, &mm->type_cache, e);
}

const struct vm_type *vm_param_type(struct vm_types *ts, const struct vm_param *p,
				    struct vm_err *e)
{
	struct vm_param *pp = (struct vm_param *)p;

	return resolve(ts, p->src, p->type_ref, &pp->type_cache, e);
}

const struct vm_type *vm_type_strip(struct vm_types *ts, const struct vm_type *t,
				    struct vm_err *e)
{
	int n = 0;

	while (t && (t->kind == VM_TYPE_TYPEDEF || t->kind == VM_TYPE_CONST ||
		     t->kind == VM_TYPE_VOLATILE || t->kind == VM_TYPE_RESTRICT)) {
		if (++n > MAX_CHAIN) {
			vm_fail(e, VM_EFORMAT, "typedef chain longer than %d at %s",
				MAX_CHAIN, t->name ? t->name : "(anonymous)");
			return NULL;
		}
		t = vm_type_target(ts, t, e);
	}
	return t;
}

const struct vm_type *vm_type_complete(struct vm_types *ts, const struct vm_type *t)
{
	enum vm_tkind k;
	const struct vm_type *d;
	struct vm_err e;
	bool err;

	if (!t || !(t->flags & VM_TF_DECL) || !t->name)
		return t;
	k = t->kind == VM_TYPE_STRUCT ? VM_TK_STRUCT
	  : t->kind == VM_TYPE_UNION ? VM_TK_UNION
	  : t->kind == VM_TYPE_ENUM ? VM_TK_ENUM : 0;
	if (!k)
		return t;
	d = find_in(ts, t->name, k, &err, &e);
	return d && !(d->flags & VM_TF_DECL) ? d : t;
}

int vm_type_size(struct vm_types *ts, const struct vm_type *t, uint64_t *size,
		 struct vm_err *e)
{
	uint64_t mult = 1;
	int n = 0;

	for (;;) {
		if (!t)
			return -1;
		if (++n > MAX_CHAIN)
			return vm_fail(e, VM_EFORMAT, "type chain longer than %d", MAX_CHAIN);
		switch (t->kind) {
		case VM_TYPE_TYPEDEF: case VM_TYPE_CONST: case VM_TYPE_VOLATILE:
		case VM_TYPE_RESTRICT:
			t = vm_type_target(ts, t, e);
			continue;
		case VM_TYPE_ARRAY:
			if (t->nelems && mult > UINT64_MAX / t->nelems)
				return vm_fail(e, VM_EFORMAT, "array size overflows");
			mult *= t->nelems;
			t = vm_type_target(ts, t, e);
			continue;
		case VM_TYPE_STRUCT: case VM_TYPE_UNION: case VM_TYPE_ENUM:
			if (t->flags & VM_TF_DECL) {
				const struct vm_type *d = vm_type_complete(ts, t);

				if (d == t)
					return vm_fail(e, VM_ENOENT, "%s %s is only declared, its size is unknown",
						       t->kind == VM_TYPE_UNION ? "union" :
						       t->kind == VM_TYPE_ENUM ? "enum" : "struct",
						       t->name ? t->name : "(anonymous)");
				t = d;
				continue;
			}
			/* fall through */
		default:
			if (t->size && mult > UINT64_MAX / t->size)
				return vm_fail(e, VM_EFORMAT, "array size overflows");
			*size = t->size * mult;
			return 0;
		}
	}
}

int vm_types_sizeof(struct vm_types *ts, const char *type, uint64_t *size,
		    struct vm_err *e)
{
	const struct vm_type *t = vm_types_find(ts, type, e);

	return t ? vm_type_size(ts, t, size, e) : -1;
}

/* ---- member paths ---- */

/* Find member name in struct/union t (through anonymous members). */
static int find_member(struct vm_types *ts, const struct vm_type *t,
		       const char *name, size_t len, uint64_t base,
		       struct vm_member_loc *loc, int depth, struct vm_err *e)
{
	unsigned i;

	if (depth > MAX_CHAIN)
		return vm_fail(e, VM_EFORMAT, "anonymous members nest deeper than %d",
			       MAX_CHAIN);
	for (i = 0; i < t->nmembers; i++) {
		const struct vm_member *m = &t->members[i];

		if (m->name && strlen(m->name) == len && !memcmp(m->name, name, len)) {
			loc->bit_offset = base + m->bit_offset;
			loc->bit_size = m->bit_size;
			loc->member = m;
			loc->type = vm_member_type(ts, m, e);
			return loc->type ? 1 : -1;
		}
	}
	for (i = 0; i < t->nmembers; i++) {
		const struct vm_member *m = &t->members[i];
		const struct vm_type *mt;
		int r;

		if (m->name)
			continue;
		mt = vm_member_type(ts, m, e);
		if (!mt)
			return -1;
		mt = vm_type_strip(ts, mt, e);
		if (!mt)
			return -1;
		if (mt->kind != VM_TYPE_STRUCT && mt->kind != VM_TYPE_UNION)
			continue;
		r = find_member(ts, mt, name, len, base + m->bit_offset, loc,
				depth + 1, e);
		if (r)
			return r;
	}
	return 0;
}

static const char *type_label(const struct vm_type *t, char *buf, size_t n)
{
	const char *w = t->kind == VM_TYPE_UNION ? "union " :
			t->kind == VM_TYPE_STRUCT ? "struct " : "";

	snprintf(buf, n, "%s%s", w, t->name ? t->name : "(anonymous)");
	return buf;
}

int vm_type_member_path(struct vm_types *ts, const struct vm_type *t,
			const char *path, struct vm_member_loc *loc,
			struct vm_err *e)
{
	const char *p = path;
	const struct vm_type *cur = t;
	uint64_t bits = 0;
	int steps = 0;
	char lbl[300];

	memset(loc, 0, sizeof(*loc));
	loc->type = t;
	while (*p) {
		if (++steps > 256)
			return vm_fail(e, VM_EINVAL, "member path %s too long", path);
		cur = vm_type_strip(ts, cur, e);
		if (!cur)
			return -1;
		cur = vm_type_complete(ts, cur);
		if (*p == '[') {
			char *end;
			unsigned long long i = strtoull(p + 1, &end, 0);
			const struct vm_type *el;
			uint64_t esz;

			if (end == p + 1 || *end != ']')
				return vm_fail(e, VM_EINVAL, "bad index in member path %s", path);
			if (cur->kind != VM_TYPE_ARRAY)
				return vm_fail(e, VM_EINVAL, "%.*s is not an array",
					       (int)(p - path), path);
			/* [] and [0] are open-ended */
			if (!(cur->flags & VM_TF_FLEX) && cur->nelems && i >= cur->nelems)
				return vm_fail(e, VM_EINVAL, "index %llu out of bounds [%llu] in %s",
					       i, (unsigned long long)cur->nelems, path);
			el = vm_type_target(ts, cur, e);
			if (!el || vm_type_size(ts, el, &esz, e) < 0)
				return -1;
			bits += i * esz * 8;
			cur = el;
			loc->type = el;
			loc->member = NULL;
			loc->bit_size = 0;
			p = end + 1;
			if (*p == '.')
				p++;
			continue;
		}
		{
			size_t len = strcspn(p, ".[");
			struct vm_member_loc sub;
			int r;

			if (len == 0)
				return vm_fail(e, VM_EINVAL, "empty member name in %s", path);
			if (cur->kind != VM_TYPE_STRUCT && cur->kind != VM_TYPE_UNION)
				return vm_fail(e, VM_EINVAL, "%.*s is not a struct or union",
					       (int)(p - path) - (p > path), path);
			r = find_member(ts, cur, p, len, 0, &sub, 0, e);
			if (r < 0)
				return -1;
			if (r == 0)
				return vm_fail(e, VM_ENOENT, "%s has no member %.*s",
					       type_label(cur, lbl, sizeof(lbl)),
					       (int)len, p);
			bits += sub.bit_offset;
			loc->bit_size = sub.bit_size;
			loc->member = sub.member;
			loc->type = sub.type;
			cur = sub.type;
			p += len;
			if (*p == '.')
				p++;
		}
	}
	loc->bit_offset = bits;
	return 0;
}

int vm_types_member(struct vm_types *ts, const char *type, const char *member,
		    uint64_t *off, uint64_t *size, struct vm_err *e)
{
	const struct vm_type *t = vm_types_find(ts, type, e);
	struct vm_member_loc loc;

	if (!t || vm_type_member_path(ts, t, member, &loc, e) < 0)
		return -1;
	*off = loc.bit_offset / 8;
	if (size) {
		if (loc.bit_size)
			*size = (loc.bit_size + loc.bit_offset % 8 + 7) / 8;
		else if (vm_type_size(ts, loc.type, size, e) < 0)
			return -1;
	}
	return 0;
}

const char *vm_enum_name(const struct vm_type *t, int64_t v)
{
	unsigned i;

	for (i = 0; t && i < t->nenums; i++)
		if (t->enums[i].value == v)
			return t->enums[i].name;
	return NULL;
}

/* ---- growing strings ---- */

static void sbuf_reserve(struct vm_sbuf *b, size_t more)
{
	size_t nc;
	char *np;

	if (b->oom || b->len + more + 1 <= b->cap)
		return;
	nc = b->cap ? b->cap : 64;
	while (nc < b->len + more + 1)
		nc *= 2;
	np = realloc(b->p, nc);
	if (!np) {
		b->oom = true;
		return;
	}
	b->p = np;
	b->cap = nc;
}

void vm_sbuf_add(struct vm_sbuf *b, const char *s)
{
	size_t n = strlen(s);

	sbuf_reserve(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

void vm_sbuf_addf(struct vm_sbuf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		vm_sbuf_add(b, tmp);
		return;
	}
	sbuf_reserve(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void vm_sbuf_prepend(struct vm_sbuf *b, const char *s)
{
	size_t n = strlen(s);

	sbuf_reserve(b, n);
	if (b->oom)
		return;
	if (b->len)
		memmove(b->p + n, b->p, b->len + 1);
	else
		b->p[n] = 0;
	memcpy(b->p, s, n);
	b->len += n;
}

void vm_sbuf_free(struct vm_sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
