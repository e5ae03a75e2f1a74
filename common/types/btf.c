// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * BTF type backend: the kernel's own compact type format
 * (include/uapi/linux/btf.h), from a vmlinux .BTF section or copied out of
 * the dump (__start_BTF..__stop_BTF; in vmlinux since v5.2 with
 * CONFIG_DEBUG_INFO_BTF).  One pass at open records where each type
 * starts and checks that every record fits; decoding is per type.
 *
 * BTF kinds handled: INT PTR ARRAY STRUCT UNION ENUM FWD TYPEDEF VOLATILE
 * CONST RESTRICT FUNC FUNC_PROTO VAR DATASEC FLOAT DECL_TAG TYPE_TAG
 * ENUM64 (ENUM64 and signed ENUM since v6.0).
 *
 * Split BTF (a module's, CONFIG_DEBUG_INFO_BTF_MODULES, v5.11+) continues
 * a base (the vmlinux's): its type ids start after the base's last, its
 * string offsets after the base's string section, and it refers to base
 * types by their ids.  A base id asked of the split source is the base
 * source's type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../elf/elffile.h"
#include "../rd.h"
#include "types_impl.h"

#define BTF_MAGIC 0xeB9F

enum {
	K_UNKN, K_INT, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD,
	K_TYPEDEF, K_VOLATILE, K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO,
	K_VAR, K_DATASEC, K_FLOAT, K_DECL_TAG, K_TYPE_TAG, K_ENUM64, K_NR
};

/* Far more types than any kernel has (BTF_MAX_TYPE is 0xfffff). */
#define MAX_TYPES 0x100000

struct btfsrc {
	const uint8_t *data;       /* whole blob */
	size_t len;
	uint8_t *owned;
	struct vm_elffile *img;     /* when read from a file */
	bool le;
	unsigned ptr_size;
	const uint8_t *types;      /* type section */
	uint32_t types_len;
	const char *strs;
	uint32_t strs_len;
	uint32_t ntypes;           /* own types: ids start_id..start_id+ntypes-1 */
	uint32_t *off;             /* off[i] = offset in types of own type i (1..) */
	char label[400];
	/* split BTF: the base and where this one continues it */
	const struct btfsrc *base;
	unsigned base_index;       /* the base's source index in the vm_types */
	uint32_t start_id;         /* 1 without a base */
	uint32_t start_str;        /* 0 without a base */
	/* an index (vm_btf_index_build), when the caller has one: the
	 * records' offsets (then off is borrowed) and a name table */
	const uint32_t *nidx;
	size_t nidx_size;
	bool off_borrowed;
	void *keep;                /* data and nidx live in it */
	void (*release)(void *keep);
};

static uint32_t r32(const struct btfsrc *b, const uint8_t *p)
{
	return vm_rd32(p, b->le);
}

static const char *str_at(const struct btfsrc *b, uint32_t off)
{
	if (b->base && off < b->start_str)
		return str_at(b->base, off);
	off -= b->start_str;
	if (off >= b->strs_len)
		return NULL;
	return b->strs + off;
}

/* The last type id this source (with its base) knows. */
static uint32_t last_id(const struct btfsrc *b)
{
	return b->start_id - 1 + b->ntypes;
}

/* bytes after the 12-byte btf_type header */
static int extra_size(unsigned kind, uint32_t vlen, size_t *n)
{
	switch (kind) {
	case K_INT: *n = 4; return 0;
	case K_PTR: case K_FWD: case K_TYPEDEF: case K_VOLATILE: case K_CONST:
	case K_RESTRICT: case K_FUNC: case K_FLOAT: case K_TYPE_TAG:
		*n = 0;
		return 0;
	case K_ARRAY: *n = 12; return 0;
	case K_STRUCT: case K_UNION: *n = (size_t)vlen * 12; return 0;
	case K_ENUM: *n = (size_t)vlen * 8; return 0;
	case K_FUNC_PROTO: *n = (size_t)vlen * 8; return 0;
	case K_VAR: *n = 4; return 0;
	case K_DATASEC: *n = (size_t)vlen * 12; return 0;
	case K_DECL_TAG: *n = 4; return 0;
	case K_ENUM64: *n = (size_t)vlen * 12; return 0;
	}
	return -1;
}

static int btf_parse(struct btfsrc *b, struct vm_err *e)
{
	const uint8_t *h = b->data;
	uint32_t hdr_len, type_off, type_len, str_off, str_len, pos, n = 0, cap;

	if (b->len < 24)
		return vm_fail(e, VM_ETRUNC, "%s: BTF header truncated (%zu bytes)",
			       b->label, b->len);
	if (vm_rd16(h, true) == BTF_MAGIC)
		b->le = true;
	else if (vm_rd16(h, false) == BTF_MAGIC)
		b->le = false;
	else
		return vm_fail(e, VM_EFORMAT, "%s: bad BTF magic %#x", b->label,
			       vm_rd16(h, true));
	if (h[2] != 1)
		return vm_fail(e, VM_EUNSUP, "%s: BTF version %u", b->label, h[2]);
	hdr_len = r32(b, h + 4);
	type_off = r32(b, h + 8);
	type_len = r32(b, h + 12);
	str_off = r32(b, h + 16);
	str_len = r32(b, h + 20);
	if (hdr_len < 24 || hdr_len > b->len ||
	    (uint64_t)type_off + type_len > b->len - hdr_len ||
	    (uint64_t)str_off + str_len > b->len - hdr_len)
		return vm_fail(e, VM_EFORMAT, "%s: BTF header sections (types %u+%u, strings %u+%u) outside the %zu-byte blob",
			       b->label, type_off, type_len, str_off, str_len, b->len);
	b->types = h + hdr_len + type_off;
	b->types_len = type_len;
	b->strs = (const char *)h + hdr_len + str_off;
	b->strs_len = str_len;
	/* split BTF may have no strings of its own */
	if ((str_len == 0 && !b->base) || (str_len && b->strs[str_len - 1] != 0))
		return vm_fail(e, VM_EFORMAT, "%s: BTF string section not NUL-terminated",
			       b->label);
	if (b->off_borrowed)
		return 0;
	/* first pass: where each type starts (ids from 1) */
	cap = 1024;
	b->off = vm_malloc(cap * sizeof(*b->off), e);
	if (!b->off)
		return -1;
	b->off[0] = 0;
	for (pos = 0; pos < type_len;) {
		uint32_t info;
		size_t extra;

		if (type_len - pos < 12)
			return vm_fail(e, VM_EFORMAT, "%s: BTF type %u truncated at offset %u",
				       b->label, n + 1, pos);
		info = r32(b, b->types + pos + 4);
		if (extra_size((info >> 24) & 0x1f, info & 0xffff, &extra) < 0)
			return vm_fail(e, VM_EFORMAT, "%s: BTF type %u has unknown kind %u",
				       b->label, n + 1, (info >> 24) & 0x1f);
		if (extra > type_len - pos - 12)
			return vm_fail(e, VM_EFORMAT, "%s: BTF type %u (kind %u, vlen %u) runs past the type section",
				       b->label, n + 1, (info >> 24) & 0x1f, info & 0xffff);
		if (++n >= MAX_TYPES)
			return vm_fail(e, VM_EFORMAT, "%s: more than %d BTF types",
				       b->label, MAX_TYPES);
		if (n >= cap) {
			void *np = vm_realloc_array(b->off, cap * 2, sizeof(*b->off), e);

			if (!np)
				return -1;
			vm_prefault(np, cap * 2 * sizeof(*b->off));
			b->off = np;
			cap *= 2;
		}
		b->off[n] = pos;
		pos += 12 + (uint32_t)extra;
	}
	b->ntypes = n;
	return 0;
}

/* Record id, or NULL when it is not one or does not fit the type section
 * (checked here, not only by the first pass: offsets may come from an
 * index a cache kept). */
static const uint8_t *rec_at(const struct btfsrc *b, uint32_t id)
{
	uint32_t off, info;
	size_t extra;

	if (b->base && id < b->start_id)
		return rec_at(b->base, id);
	if (id < b->start_id || id > last_id(b))
		return NULL;
	off = b->off[id - b->start_id + 1];
	/* the first pass checked the records it found */
	if (!b->off_borrowed)
		return b->types + off;
	if (off > b->types_len || b->types_len - off < 12)
		return NULL;
	info = r32(b, b->types + off + 4);
	if (extra_size((info >> 24) & 0x1f, info & 0xffff, &extra) < 0 ||
	    extra > b->types_len - off - 12)
		return NULL;
	return b->types + off;
}

static const uint8_t *type_rec(const struct btfsrc *b, uint32_t id, unsigned *kind,
			       uint32_t *vlen, bool *kflag)
{
	const uint8_t *p;
	uint32_t info;

	p = rec_at(b, id);
	if (!p)
		return NULL;
	info = r32(b, p + 4);
	*kind = (info >> 24) & 0x1f;
	*vlen = info & 0xffff;
	*kflag = info >> 31;
	return p;
}

static int bad_ref(struct btfsrc *b, uint32_t from, uint32_t to, struct vm_err *e)
{
	return vm_fail(e, VM_EFORMAT, "%s: BTF type %u refers to type %u of %u",
		       b->label, from, to, last_id(b));
}

static int check_ref(struct btfsrc *b, uint32_t from, uint32_t to, struct vm_err *e)
{
	return to > last_id(b) ? bad_ref(b, from, to, e) : 0;
}

static struct vm_type *btf_decode(struct vm_tsrc *s, uint64_t id64, struct vm_err *e)
{
	struct btfsrc *b = s->priv;
	uint32_t id = (uint32_t)id64, vlen, i, ref;
	unsigned kind;
	bool kflag;
	const uint8_t *p;
	struct vm_type *t;

	/* a base type asked of a split source is the base's */
	if (b->base && id64 && id64 < b->start_id)
		return vm_types_get(s->ts, b->base_index, id64, e);
	p = id64 > UINT32_MAX ? NULL : type_rec(b, id, &kind, &vlen, &kflag);
	if (!p) {
		vm_fail(e, VM_EFORMAT, "%s: no BTF type %llu", b->label,
			(unsigned long long)id64);
		return NULL;
	}
	ref = r32(b, p + 8);
	/* type tags (__user, __rcu ...) and variables stand for their type */
	if (kind == K_TYPE_TAG || kind == K_VAR || kind == K_FUNC) {
		if (check_ref(b, id, ref, e) < 0)
			return NULL;
		return vm_types_get(s->ts, s->index, ref, e);
	}
	t = vm_types_alloc(s->ts, sizeof(*t), e);
	if (!t)
		return NULL;
	t->name = str_at(b, r32(b, p));
	if (t->name && !*t->name)
		t->name = NULL;
	switch (kind) {
	case K_INT: {
		uint32_t enc = r32(b, p + 12);

		t->kind = VM_TYPE_INT;
		t->size = ref;
		t->name = vm_types_base_canon(t->name);
		if ((enc >> 24) & 1)
			t->flags |= VM_TF_SIGNED;
		/* pahole marks only plain "char" BTF_INT_CHAR; DWARF calls
		 * signed and unsigned char character types too */
		if (((enc >> 24) & 2) ||
		    (ref == 1 && t->name && strstr(t->name, "char")))
			t->flags |= VM_TF_CHAR;
		if ((enc >> 24) & 4)
			t->flags |= VM_TF_BOOL;
		break;
	}
	case K_FLOAT:
		t->name = vm_types_base_canon(t->name);
		t->kind = VM_TYPE_FLOAT;
		t->size = ref;
		break;
	case K_PTR: case K_TYPEDEF: case K_VOLATILE: case K_CONST: case K_RESTRICT:
		if (check_ref(b, id, ref, e) < 0)
			return NULL;
		t->kind = kind == K_PTR ? VM_TYPE_PTR : kind == K_TYPEDEF ? VM_TYPE_TYPEDEF :
			  kind == K_VOLATILE ? VM_TYPE_VOLATILE :
			  kind == K_CONST ? VM_TYPE_CONST : VM_TYPE_RESTRICT;
		t->target_ref = ref;
		if (kind == K_PTR)
			t->size = b->ptr_size;
		break;
	case K_ARRAY: {
		uint32_t elem = r32(b, p + 12), nelems = r32(b, p + 20);

		if (check_ref(b, id, elem, e) < 0)
			return NULL;
		t->kind = VM_TYPE_ARRAY;
		t->target_ref = elem;
		/* BTF cannot tell "[]" from "[0]"; both are zero elements, and
		 * crash prints the kernel's many "[0]" markers as such */
		t->nelems = nelems;
		break;
	}
	case K_STRUCT: case K_UNION:
		t->kind = kind == K_UNION ? VM_TYPE_UNION : VM_TYPE_STRUCT;
		t->size = ref;
		t->nmembers = vlen;
		if (vlen) {
			t->members = vm_types_alloc(s->ts, vlen * sizeof(*t->members), e);
			if (!t->members)
				return NULL;
		}
		for (i = 0; i < vlen; i++) {
			const uint8_t *m = p + 12 + i * 12;
			struct vm_member *x = &t->members[i];
			uint32_t off = r32(b, m + 8);

			x->name = str_at(b, r32(b, m));
			if (x->name && !*x->name)
				x->name = NULL;
			x->type_ref = r32(b, m + 4);
			x->src = s->index;
			if (check_ref(b, id, (uint32_t)x->type_ref, e) < 0)
				return NULL;
			if (kflag) {
				x->bit_size = off >> 24;
				x->bit_offset = off & 0xffffff;
			} else {
				unsigned mk;
				uint32_t mv;
				bool mf;
				const uint8_t *mt;

				x->bit_offset = off;
				/* before kind_flag, a bitfield was an INT
				 * whose bits are fewer than its size */
				mt = type_rec(b, (uint32_t)x->type_ref, &mk, &mv, &mf);
				if (mt && mk == K_INT) {
					uint32_t enc = r32(b, mt + 12);
					uint32_t bits = enc & 0xff;

					if (bits && bits < r32(b, mt + 8) * 8) {
						x->bit_size = bits;
						x->bit_offset += (enc >> 16) & 0xff;
					}
				}
			}
		}
		/* a zero-length array ending a struct is a flexible array
		 * member ("[]"); elsewhere "[0]" is a marker.  The array type
		 * may be shared, so the last member gets its own node. */
		if (vlen && kind == K_STRUCT) {
			struct vm_member *x = &t->members[vlen - 1];
			unsigned mk;
			uint32_t mv;
			bool mf;
			const uint8_t *mt = type_rec(b, (uint32_t)x->type_ref, &mk, &mv, &mf);

			if (mt && mk == K_ARRAY && r32(b, mt + 20) == 0) {
				struct vm_type *fa = vm_types_alloc(s->ts, sizeof(*fa), e);

				if (!fa)
					return NULL;
				fa->kind = VM_TYPE_ARRAY;
				fa->flags = VM_TF_FLEX;
				fa->target_ref = r32(b, mt + 12);
				fa->src = s->index;
				fa->id = x->type_ref;
				if (check_ref(b, id, (uint32_t)fa->target_ref, e) < 0)
					return NULL;
				x->type_cache = fa;
			}
		}
		break;
	case K_ENUM: case K_ENUM64: {
		unsigned rs = kind == K_ENUM ? 8 : 12;

		t->kind = VM_TYPE_ENUM;
		t->size = ref;
		/* kind_flag marks a signed enum (since v6.0) */
		if (kflag)
			t->flags |= VM_TF_SIGNED;
		t->nenums = vlen;
		if (vlen) {
			t->enums = vm_types_alloc(s->ts, vlen * sizeof(*t->enums), e);
			if (!t->enums)
				return NULL;
		}
		for (i = 0; i < vlen; i++) {
			const uint8_t *m = p + 12 + i * rs;
			struct vm_enumerator *x = &t->enums[i];

			x->name = str_at(b, r32(b, m));
			if (!x->name)
				x->name = "";
			if (kind == K_ENUM)
				x->value = kflag ? (int64_t)(int32_t)r32(b, m + 4)
						 : (int64_t)r32(b, m + 4);
			else
				x->value = (int64_t)((uint64_t)r32(b, m + 8) << 32 |
						     r32(b, m + 4));
		}
		break;
	}
	case K_FWD:
		t->kind = kflag ? VM_TYPE_UNION : VM_TYPE_STRUCT;
		t->flags |= VM_TF_DECL;
		break;
	case K_FUNC_PROTO:
		if (check_ref(b, id, ref, e) < 0)
			return NULL;
		t->kind = VM_TYPE_FUNC;
		t->flags |= VM_TF_PROTO;
		t->target_ref = ref;
		t->name = NULL;
		if (vlen) {
			t->params = vm_types_alloc(s->ts, vlen * sizeof(*t->params), e);
			if (!t->params)
				return NULL;
		}
		for (i = 0; i < vlen; i++) {
			const uint8_t *m = p + 12 + i * 8;
			uint32_t pt = r32(b, m + 4);

			if (pt == 0 && i == vlen - 1) {
				t->flags |= VM_TF_VARARGS;
				break;
			}
			if (check_ref(b, id, pt, e) < 0)
				return NULL;
			t->params[t->nparams].name = str_at(b, r32(b, m));
			t->params[t->nparams].type_ref = pt;
			t->params[t->nparams].src = s->index;
			t->nparams++;
		}
		break;
	default:
		vm_fail(e, VM_EUNSUP, "%s: BTF type %u of kind %u is not a C type",
			b->label, id, kind);
		return NULL;
	}
	return t;
}

static bool kind_matches(unsigned bk, bool kflag, enum vm_tkind k)
{
	switch (k) {
	case VM_TK_STRUCT: return bk == K_STRUCT || (bk == K_FWD && !kflag);
	case VM_TK_UNION: return bk == K_UNION || (bk == K_FWD && kflag);
	case VM_TK_ENUM: return bk == K_ENUM || bk == K_ENUM64;
	case VM_TK_TYPEDEF: return bk == K_TYPEDEF;
	case VM_TK_BASE: return bk == K_INT || bk == K_FLOAT;
	case VM_TK_VAR: return bk == K_VAR;
	case VM_TK_FUNC: return bk == K_FUNC;
	default: return false;
	}
}

/* ---- the name index: every named type and every enumerator, by an
 * FNV-1a hash of the name, in an open-addressing table of type ids (the
 * top bit marks an enumerator's enum).  Built for the on-disk cache
 * (../cache.h), which keeps it with the blob; lookups through it give
 * what the linear pass below gives: the lowest id that matches. */
#define NIDX_ENUMERATOR 0x80000000u

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int nidx_add(uint32_t *t, size_t size, const char *name, uint32_t v)
{
	size_t h;

	if (!name || !*name)
		return 0;
	for (h = name_hash(name) & (size - 1); t[h]; h = (h + 1) & (size - 1))
		;
	t[h] = v;
	return 1;
}

/* The index blob: u32 ntypes, u32 table size, u32 off[ntypes + 1], u32
 * table[size]. */
int vm_btf_index_build(const void *data, size_t len, void **out, size_t *out_len,
		       struct vm_err *e)
{
	struct btfsrc b = { 0 };
	size_t n = 0, sz = 1024;
	uint32_t i, j, *blob, *t;

	b.data = data;
	b.len = len;
	b.start_id = 1;
	snprintf(b.label, sizeof(b.label), "BTF");
	if (btf_parse(&b, e) < 0) {
		free(b.off);
		return -1;
	}
	for (i = 1; i <= b.ntypes; i++) {
		uint32_t info = r32(&b, b.types + b.off[i] + 4);
		unsigned bk = (info >> 24) & 0x1f;

		n++;
		if (bk == K_ENUM || bk == K_ENUM64)
			n += info & 0xffff;
	}
	/* at most 2/3 full: short probes, half the size of 1/2 */
	while (sz < n + n / 2)
		sz *= 2;
	blob = vm_calloc(2 + (size_t)b.ntypes + 1 + sz, sizeof(*blob), e);
	if (!blob) {
		free(b.off);
		return -1;
	}
	vm_prefault(blob, (2 + (size_t)b.ntypes + 1 + sz) * sizeof(*blob));
	blob[0] = b.ntypes;
	blob[1] = (uint32_t)sz;
	memcpy(blob + 2, b.off, ((size_t)b.ntypes + 1) * sizeof(*blob));
	t = blob + 2 + b.ntypes + 1;
	for (i = 1; i <= b.ntypes; i++) {
		const uint8_t *p = b.types + b.off[i];
		uint32_t info = r32(&b, p + 4), vlen = info & 0xffff;
		unsigned bk = (info >> 24) & 0x1f, rs = bk == K_ENUM ? 8 : 12;

		nidx_add(t, sz, str_at(&b, r32(&b, p)), i);
		if (bk == K_ENUM || bk == K_ENUM64)
			for (j = 0; j < vlen; j++)
				nidx_add(t, sz, str_at(&b, r32(&b, p + 12 + j * rs)),
					 i | NIDX_ENUMERATOR);
	}
	free(b.off);
	*out = blob;
	*out_len = (2 + (size_t)b.ntypes + 1 + sz) * sizeof(*blob);
	return 0;
}

static bool enum_has(struct btfsrc *b, uint32_t id, const char *name)
{
	const uint8_t *p = rec_at(b, id);
	uint32_t info, vlen, j;
	unsigned bk, rs;
	const char *n;

	if (!p)
		return false;
	info = r32(b, p + 4);
	vlen = info & 0xffff;
	bk = (info >> 24) & 0x1f;
	rs = bk == K_ENUM ? 8 : 12;
	if (bk != K_ENUM && bk != K_ENUM64)
		return false;
	for (j = 0; j < vlen; j++) {
		n = str_at(b, r32(b, p + 12 + j * rs));
		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

static int nidx_find(struct btfsrc *b, const char *name, enum vm_tkind k, uint64_t *id)
{
	uint32_t best = 0, fwd = 0;
	size_t h, mask = b->nidx_size - 1, steps;

	/* bounded, and every id checked: the index may come from a cache */
	for (h = name_hash(name) & mask, steps = 0; b->nidx[h] && steps < b->nidx_size;
	     h = (h + 1) & mask, steps++) {
		uint32_t v = b->nidx[h], i = v & ~NIDX_ENUMERATOR;
		const uint8_t *p;
		uint32_t info;
		unsigned bk;
		const char *n;

		if (i == 0 || i > b->ntypes || (!!(v & NIDX_ENUMERATOR)) != (k == VM_TK_ENUMERATOR))
			continue;
		if (k == VM_TK_ENUMERATOR) {
			if ((!best || i < best) && enum_has(b, i, name))
				best = i;
			continue;
		}
		p = rec_at(b, i);
		if (!p)
			continue;
		info = r32(b, p + 4);
		bk = (info >> 24) & 0x1f;
		if (!kind_matches(bk, info >> 31, k))
			continue;
		n = str_at(b, r32(b, p));
		if (!n || strcmp(n, name))
			continue;
		if (bk == K_FWD) {
			if (!fwd || i < fwd)
				fwd = i;
		} else if (!best || i < best) {
			best = i;
		}
	}
	if (!best)
		best = fwd;
	if (!best)
		return 0;
	*id = best;
	return 1;
}

/* A linear pass filtered by kind before any string is read: cheaper than
 * building a hash table for the handful of names one run asks for. */
static int btf_find(struct vm_tsrc *s, const char *name, enum vm_tkind k,
		    uint64_t *id, struct vm_err *e)
{
	struct btfsrc *b = s->priv;
	uint32_t i, fwd = 0;

	if (b->nidx)
		return nidx_find(b, name, k, id);

	for (i = b->start_id; i <= last_id(b); i++) {
		const uint8_t *p = rec_at(b, i);
		uint32_t info;
		unsigned bk;
		const char *n;

		if (!p)
			continue;
		info = r32(b, p + 4);
		bk = (info >> 24) & 0x1f;
		if (k == VM_TK_ENUMERATOR) {
			uint32_t vlen = info & 0xffff, j;
			unsigned rs = bk == K_ENUM ? 8 : 12;

			if (bk != K_ENUM && bk != K_ENUM64)
				continue;
			for (j = 0; j < vlen; j++) {
				n = str_at(b, r32(b, p + 12 + j * rs));
				if (n && !strcmp(n, name)) {
					*id = i;
					return 1;
				}
			}
			continue;
		}
		if (!kind_matches(bk, info >> 31, k))
			continue;
		n = str_at(b, r32(b, p));
		if (!n || strcmp(n, name))
			continue;
		if (bk == K_FWD) {
			if (!fwd)
				fwd = i;
			continue;
		}
		*id = i;
		return 1;
	}
	if (fwd) {
		*id = fwd;
		return 1;
	}
	return 0;
}

static void btf_free(struct vm_tsrc *s)
{
	struct btfsrc *b = s->priv;

	if (!b)
		return;
	if (!b->off_borrowed)
		free(b->off);
	free(b->owned);
	vm_elffile_close(b->img);
	if (b->release)
		b->release(b->keep);
	free(b);
	s->priv = NULL;
}

/* The DATASEC record (section name, then {type, offset, size} per
 * variable) that lists variable name's VAR. */
static int btf_var_section(struct vm_tsrc *s, const char *name, char *sec, size_t secsz,
			   uint64_t *off, struct vm_err *e)
{
	struct btfsrc *b = s->priv;
	uint64_t var;
	uint32_t i, j;

	if (btf_find(s, name, VM_TK_VAR, &var, e) <= 0)
		return 0;
	for (i = b->start_id; i <= last_id(b); i++) {
		unsigned kind;
		uint32_t vlen;
		bool kflag;
		const uint8_t *p = type_rec(b, i, &kind, &vlen, &kflag);
		const char *sn;

		if (!p || kind != K_DATASEC)
			continue;
		for (j = 0; j < vlen; j++) {
			const uint8_t *vs = p + 12 + (size_t)j * 12;

			if (r32(b, vs) != var)
				continue;
			sn = str_at(b, r32(b, p));
			snprintf(sec, secsz, "%s", sn ? sn : "");
			*off = r32(b, vs + 4);
			return 1;
		}
	}
	return 0;
}

static const struct vm_tsrc_ops btf_ops = {
	.find = btf_find,
	.decode = btf_decode,
	.free = btf_free,
	.var_section = btf_var_section,
};

static int open_common(struct vm_types *ts, struct btfsrc *b, struct vm_tsrc **out,
		       struct vm_err *e)
{
	struct vm_tsrc *s;

	if (btf_parse(b, e) < 0) {
		if (!b->off_borrowed)
			free(b->off);
		free(b->owned);
		vm_elffile_close(b->img);
		free(b);
		return -1;
	}
	s = vm_calloc(1, sizeof(*s), e);
	if (!s) {
		if (!b->off_borrowed)
			free(b->off);
		free(b->owned);
		vm_elffile_close(b->img);
		free(b);
		return -1;
	}
	s->ops = &btf_ops;
	s->priv = b;
	snprintf(s->desc, sizeof(s->desc), "BTF of %s (%u types)", b->label, b->ntypes);
	*out = s;
	return 0;
}

int vm_btf_src_open(struct vm_types *ts, const void *data, size_t len,
		    bool copy, const char *label, struct vm_tsrc **out,
		    struct vm_err *e)
{
	struct btfsrc *b = vm_calloc(1, sizeof(*b), e);

	if (!b)
		return -1;
	snprintf(b->label, sizeof(b->label), "%s", label ? label : "BTF");
	b->ptr_size = 8;
	b->start_id = 1;
	if (copy) {
		b->owned = vm_malloc(len, e);
		if (!b->owned) {
			free(b);
			return -1;
		}
		memcpy(b->owned, data, len);
		data = b->owned;
	}
	b->data = data;
	b->len = len;
	return open_common(ts, b, out, e);
}

int vm_types_add_btf_kept(struct vm_types *ts, const void *data, size_t len,
			  const void *index, size_t index_len, const char *label,
			  void *keep, void (*release)(void *keep), struct vm_err *e)
{
	struct btfsrc *b = vm_calloc(1, sizeof(*b), e);
	const uint32_t *ix = index;
	struct vm_tsrc *s;

	if (!b)
		return -1;
	snprintf(b->label, sizeof(b->label), "%s", label ? label : "BTF");
	b->ptr_size = 8;
	b->data = data;
	b->len = len;
	b->start_id = 1;
	/* an index that does not have its shape is not used (the offsets'
	 * records are checked when read, the table's ids when probed) */
	if (ix && index_len % 4 == 0 && index_len >= 8 && ix[0] < MAX_TYPES &&
	    ix[1] >= 1024 && !(ix[1] & (ix[1] - 1)) &&
	    index_len / 4 == 2 + (size_t)ix[0] + 1 + ix[1]) {
		b->off = (uint32_t *)(uintptr_t)(ix + 2);
		b->off_borrowed = true;
		b->ntypes = ix[0];
		b->nidx = ix + 2 + ix[0] + 1;
		b->nidx_size = ix[1];
	}
	if (open_common(ts, b, &s, e) < 0)
		return -1;
	s->kind = VM_TSRC_BTF_MEM;
	if (vm_types_add_src(ts, s, e) < 0)
		return -1;
	b->keep = keep;
	b->release = release;
	return 0;
}

int vm_types_add_btf_file(struct vm_types *ts, const char *path, struct vm_err *e)
{
	struct btfsrc *b = vm_calloc(1, sizeof(*b), e);
	struct vm_tsrc *s;
	int i;

	if (!b)
		return -1;
	b->img = vm_elffile_open(path, e);
	if (!b->img) {
		free(b);
		return -1;
	}
	snprintf(b->label, sizeof(b->label), "%s .BTF", path);
	b->ptr_size = vm_elffile_is64(b->img) ? 8 : 4;
	b->start_id = 1;
	i = vm_elffile_sec_index(b->img, ".BTF");
	if (i < 0) {
		vm_fail(e, VM_ENOENT, "%s has no .BTF section", path);
		vm_elffile_close(b->img);
		free(b);
		return -1;
	}
	if (vm_elffile_sec_data(b->img, (unsigned)i, &b->data, &b->len, e) < 0) {
		vm_elffile_close(b->img);
		free(b);
		return -1;
	}
	if (open_common(ts, b, &s, e) < 0)
		return -1;
	s->kind = VM_TSRC_BTF_FILE;
	return vm_types_add_src(ts, s, e);
}

int vm_btf_src_open_split(struct vm_types *ts, const void *data, size_t len, unsigned base,
			  const char *label, struct vm_tsrc **out, struct vm_err *e)
{
	struct btfsrc *b;

	if (base >= ts->nsrc || ts->src[base]->ops != &btf_ops)
		return vm_fail(e, VM_EINVAL, "%s: split BTF needs a BTF base", label);
	b = vm_calloc(1, sizeof(*b), e);
	if (!b)
		return -1;
	snprintf(b->label, sizeof(b->label), "%s", label);
	b->base = ts->src[base]->priv;
	b->base_index = base;
	b->ptr_size = b->base->ptr_size;
	b->start_id = last_id(b->base) + 1;
	b->start_str = b->base->strs_len;
	b->owned = vm_malloc(len, e);
	if (!b->owned) {
		free(b);
		return -1;
	}
	memcpy(b->owned, data, len);
	b->data = b->owned;
	b->len = len;
	return open_common(ts, b, out, e);
}
