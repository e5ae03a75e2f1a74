// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One pass over .debug_info that builds the name index.
 *
 * libdwarf decodes every attribute of every DIE it walks; on a 220 MB
 * kernel .debug_info that is seconds.  This scanner reads only the DIEs
 * directly under each unit and jumps over their children with DW_AT_sibling
 * (GCC and clang emit it on DIEs with children), so it touches a fraction
 * of the section.  It knows every form of DWARF 2-5 to skip attributes;
 * every read is bounds-checked against the unit, every reference against
 * the section.  libdwarf then decodes the few DIEs a question needs.
 */
#include "dwarf_index.h"

#include <dwarf.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../rd.h"
#include "types_impl.h"

#ifndef DW_FORM_strx1
#define DW_FORM_strx1 0x25
#define DW_FORM_strx2 0x26
#define DW_FORM_strx3 0x27
#define DW_FORM_strx4 0x28
#define DW_FORM_addrx1 0x29
#define DW_FORM_addrx2 0x2a
#define DW_FORM_addrx3 0x2b
#define DW_FORM_addrx4 0x2c
#endif

/* Caps against hostile input: more abbreviations or attributes per
 * abbreviation than any compiler emits. */
#define MAX_ABBREV_CODE_DIRECT 65536
#define MAX_ATTRS 256
#define MAX_DEPTH 4096

struct attr {
	uint16_t at, form;
	int16_t fsize;           /* fixed size of the value, -1 variable */
	int64_t implicit;
};

struct abbrev {
	uint64_t code;
	uint16_t tag;
	bool children;
	uint8_t want;            /* index kind for a top-level DIE, 0 = none */
	int32_t fixed;           /* size of all attributes, -1 if variable */
	uint32_t nattr, attr0;   /* into the attr array */
	/* Where the attributes the scanner reads sit when every attribute
	 * before them has a fixed size (-1: not known statically) */
	int32_t name_off, sib_off, decl_off;
	uint16_t name_form, sib_form, decl_form;
	int16_t sib_fsize;
	bool decl_const;         /* DW_AT_declaration as implicit_const != 0 */
	bool fast;               /* name/sibling/declaration all at fixed spots */
	bool has_defn;           /* DW_AT_location, low_pc or const_value */
	bool has_name, has_sib, has_decl;
};

struct abtab {
	uint64_t off;            /* .debug_abbrev offset it was parsed from */
	struct abbrev *ab;       /* sorted by code */
	size_t nab, capab;
	struct abbrev **direct;  /* code -> abbrev for small codes */
	size_t ndirect;
	struct attr *at;
	size_t nat, capat;
	unsigned addrsz, offsz;  /* fixed sizes were computed for these */
	bool ver2;               /* ... and for DWARF 2's ref_addr size */
	bool valid;
};

struct unit {
	const struct vm_dwsecs *s;
	uint64_t off, end;       /* [off, end) in .debug_info */
	unsigned ver, offsz, addrsz;
	uint64_t str_offsets_base;
	bool have_sob;
};

/* A candidate index entry: the best DIE seen so far for (name, kind). */
struct cand {
	const char *key;         /* the name where the DIE had it (dedup key) */
	const char *name;        /* our copy */
	uint64_t die;
	uint32_t hash, len;
	uint8_t kind, quality;
};

struct builder {
	struct cand *c;          /* dense */
	size_t n, capc;
	uint32_t *slot;          /* 1 + index into c, keyed by (key, kind) */
	size_t nslot;            /* power of two */
	char **chunks;           /* copies of names */
	size_t nchunks, chunk_used, chunk_cap;
};

uint32_t vm_dwidx_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static uint32_t hash_n(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int corrupt(const struct vm_dwsecs *s, uint64_t off, const char *what,
		   struct vm_err *e)
{
	return vm_fail(e, VM_EFORMAT, "%s: corrupt .debug_info at offset %#llx: %s",
		       s->path, (unsigned long long)off, what);
}

static inline int uleb(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t r = 0;
	unsigned shift = 0;

	while (p < end) {
		uint8_t b = *p++;

		if (shift < 64)
			r |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			*pp = p;
			*v = r;
			return 0;
		}
	}
	return -1;
}

static inline int sleb(const uint8_t **pp, const uint8_t *end, int64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t r = 0;
	unsigned shift = 0;
	uint8_t b = 0;

	while (p < end) {
		b = *p++;
		if (shift < 64)
			r |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				r |= ~(uint64_t)0 << shift;
			*pp = p;
			*v = (int64_t)r;
			return 0;
		}
	}
	return -1;
}

/* Size of a form's value when fixed, -1 when it depends on the data. */
static int form_fixed_size(unsigned form, unsigned ver, unsigned addrsz,
			   unsigned offsz)
{
	switch (form) {
	case DW_FORM_addr: return (int)addrsz;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2:
	case DW_FORM_addrx2:
		return 2;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_ref_sup4:
	case DW_FORM_strx4: case DW_FORM_addrx4:
		return 4;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		return 8;
	case DW_FORM_data16: return 16;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag:
	case DW_FORM_strx1: case DW_FORM_addrx1:
		return 1;
	case DW_FORM_strx3: case DW_FORM_addrx3: return 3;
	case DW_FORM_strp: case DW_FORM_sec_offset: case DW_FORM_line_strp:
	case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt:
		return (int)offsz;
	case DW_FORM_ref_addr: return (int)(ver <= 2 ? addrsz : offsz);
	case DW_FORM_flag_present: case DW_FORM_implicit_const: return 0;
	}
	return -1;
}

static bool form_known(unsigned form)
{
	switch (form) {
	case DW_FORM_block2: case DW_FORM_block4: case DW_FORM_string:
	case DW_FORM_block: case DW_FORM_block1: case DW_FORM_sdata:
	case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_indirect:
	case DW_FORM_exprloc: case DW_FORM_strx: case DW_FORM_addrx:
	case DW_FORM_loclistx: case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index: case DW_FORM_GNU_str_index:
		return true;
	}
	return form_fixed_size(form, 4, 8, 4) >= 0;
}

static bool is_ref_form(unsigned form)
{
	return form == DW_FORM_ref1 || form == DW_FORM_ref2 || form == DW_FORM_ref4 ||
	       form == DW_FORM_ref8 || form == DW_FORM_ref_udata ||
	       form == DW_FORM_ref_addr;
}

static uint8_t tag_want(unsigned tag)
{
	switch (tag) {
	case DW_TAG_structure_type: case DW_TAG_class_type: return VM_TK_STRUCT;
	case DW_TAG_union_type: return VM_TK_UNION;
	case DW_TAG_enumeration_type: return VM_TK_ENUM;
	case DW_TAG_typedef: return VM_TK_TYPEDEF;
	case DW_TAG_base_type: return VM_TK_BASE;
	case DW_TAG_variable: return VM_TK_VAR;
	case DW_TAG_subprogram: return VM_TK_FUNC;
	}
	return 0;
}

static int abtab_parse(struct abtab *t, const struct vm_dwsecs *s, uint64_t off,
		       const struct unit *u, struct vm_err *e)
{
	const uint8_t *p, *end = s->abbrev + s->abbrev_size;
	size_t i;

	t->valid = false;
	t->nab = t->nat = 0;
	if (off >= s->abbrev_size)
		return vm_fail(e, VM_EFORMAT, "%s: unit at %#llx: abbrev offset %#llx past .debug_abbrev (%zu bytes)",
			       s->path, (unsigned long long)u->off,
			       (unsigned long long)off, s->abbrev_size);
	p = s->abbrev + off;
	for (;;) {
		uint64_t code, tag, at, form;
		struct abbrev *a;
		int fixed = 0;

		if (uleb(&p, end, &code) < 0)
			goto trunc;
		if (code == 0)
			break;
		if (uleb(&p, end, &tag) < 0 || p >= end)
			goto trunc;
		if (t->nab == t->capab) {
			size_t nc = t->capab ? 2 * t->capab : 256;
			void *np = vm_realloc_array(t->ab, nc, sizeof(*t->ab), e);

			if (!np)
				return -1;
			t->ab = np;
			t->capab = nc;
		}
		a = &t->ab[t->nab++];
		a->code = code;
		a->tag = (uint16_t)tag;
		a->children = *p++ != 0;
		a->want = tag_want((unsigned)tag);
		a->attr0 = (uint32_t)t->nat;
		a->nattr = 0;
		a->name_off = a->sib_off = a->decl_off = -1;
		a->has_defn = a->has_name = a->has_sib = a->has_decl = false;
		for (;;) {
			struct attr *x;
			int64_t ic = 0;
			int fs;

			if (uleb(&p, end, &at) < 0 || uleb(&p, end, &form) < 0)
				goto trunc;
			if (at == 0 && form == 0)
				break;
			if (form == DW_FORM_implicit_const && sleb(&p, end, &ic) < 0)
				goto trunc;
			if (!form_known((unsigned)form))
				return vm_fail(e, VM_EFORMAT, "%s: .debug_abbrev at %#llx: unknown form %#llx",
					       s->path, (unsigned long long)off,
					       (unsigned long long)form);
			if (++a->nattr > MAX_ATTRS)
				return vm_fail(e, VM_EFORMAT, "%s: .debug_abbrev at %#llx: more than %d attributes",
					       s->path, (unsigned long long)off, MAX_ATTRS);
			if (t->nat == t->capat) {
				size_t nc = t->capat ? 2 * t->capat : 1024;
				void *np = vm_realloc_array(t->at, nc, sizeof(*t->at), e);

				if (!np)
					return -1;
				t->at = np;
				t->capat = nc;
			}
			x = &t->at[t->nat++];
			x->at = at > 0xffff ? 0xffff : (uint16_t)at;
			x->form = form > 0xffff ? 0xffff : (uint16_t)form;
			x->implicit = ic;
			fs = form_fixed_size((unsigned)form, u->ver, u->addrsz, u->offsz);
			x->fsize = (int16_t)fs;
			switch (at) {
			case DW_AT_name:
				a->has_name = true;
				a->name_off = fixed;
				a->name_form = x->form;
				break;
			case DW_AT_sibling:
				a->has_sib = true;
				a->sib_off = fixed;
				a->sib_form = x->form;
				a->sib_fsize = (int16_t)fs;
				break;
			case DW_AT_declaration:
				a->has_decl = true;
				a->decl_off = fixed;
				a->decl_form = x->form;
				a->decl_const = ic != 0;
				break;
			case DW_AT_location: case DW_AT_low_pc: case DW_AT_const_value:
				a->has_defn = true;
				break;
			}
			if (fs < 0 || fixed < 0)
				fixed = -1;
			else
				fixed += fs;
		}
		a->fixed = fixed;
		a->fast = fixed >= 0 &&
			  (!a->has_sib || is_ref_form(a->sib_form)) &&
			  (!a->has_name || a->name_form == DW_FORM_strp ||
			   a->name_form == DW_FORM_line_strp);
	}
	/* direct table for the usual dense 1..n codes */
	t->ndirect = 0;
	for (i = 0; i < t->nab; i++)
		if (t->ab[i].code < MAX_ABBREV_CODE_DIRECT && t->ab[i].code >= t->ndirect)
			t->ndirect = t->ab[i].code + 1;
	free(t->direct);
	t->direct = vm_calloc(t->ndirect ? t->ndirect : 1, sizeof(*t->direct), e);
	if (!t->direct)
		return -1;
	for (i = t->nab; i-- > 0;)   /* first definition of a code wins */
		if (t->ab[i].code < t->ndirect)
			t->direct[t->ab[i].code] = &t->ab[i];
	t->off = off;
	t->addrsz = u->addrsz;
	t->offsz = u->offsz;
	t->ver2 = u->ver <= 2;
	t->valid = true;
	return 0;
trunc:
	return vm_fail(e, VM_ETRUNC, "%s: .debug_abbrev table at %#llx runs past the section end",
		       s->path, (unsigned long long)off);
}

static const struct abbrev *ab_find(const struct abtab *t, uint64_t code)
{
	size_t i;

	if (code < t->ndirect)
		return t->direct[code];
	for (i = 0; i < t->nab; i++)
		if (t->ab[i].code == code)
			return &t->ab[i];
	return NULL;
}

/* Attribute value as the scanner needs it. */
struct aval {
	uint64_t u;
	const char *str;         /* string forms: the string, else NULL */
};

static const char *sec_str(const uint8_t *sec, size_t size, uint64_t off)
{
	if (!sec || off >= size || !memchr(sec + off, 0, size - off))
		return NULL;
	return (const char *)sec + off;
}

/* Read (want != NULL) or skip one attribute value. */
static int read_form(const struct unit *u, const uint8_t **pp, const uint8_t *end,
		     unsigned form, int64_t implicit, struct aval *v)
{
	const struct vm_dwsecs *s = u->s;
	const uint8_t *p = *pp;
	uint64_t n = 0, idx;
	bool le = s->le;
	int fs;

	if (v)
		v->str = NULL;
	switch (form) {
	case DW_FORM_string: {
		const uint8_t *z = memchr(p, 0, (size_t)(end - p));

		if (!z)
			return -1;
		if (v)
			v->str = (const char *)p;
		*pp = z + 1;
		return 0;
	}
	case DW_FORM_block1:
		if (p >= end)
			return -1;
		n = *p++;
		goto block;
	case DW_FORM_block2:
		if (end - p < 2)
			return -1;
		n = vm_rd16(p, le);
		p += 2;
		goto block;
	case DW_FORM_block4:
		if (end - p < 4)
			return -1;
		n = vm_rd32(p, le);
		p += 4;
		goto block;
	case DW_FORM_block: case DW_FORM_exprloc:
		if (uleb(&p, end, &n) < 0)
			return -1;
block:
		if (n > (uint64_t)(end - p))
			return -1;
		*pp = p + n;
		if (v)
			v->u = n;
		return 0;
	case DW_FORM_sdata: {
		int64_t sv;

		if (sleb(&p, end, &sv) < 0)
			return -1;
		*pp = p;
		if (v)
			v->u = (uint64_t)sv;
		return 0;
	}
	case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx:
	case DW_FORM_addrx: case DW_FORM_loclistx: case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index: case DW_FORM_GNU_str_index:
		if (uleb(&p, end, &n) < 0)
			return -1;
		*pp = p;
		if (v) {
			v->u = n;
			if (form == DW_FORM_strx || form == DW_FORM_GNU_str_index)
				goto strx;
		}
		return 0;
	case DW_FORM_indirect: {
		uint64_t f;

		if (uleb(&p, end, &f) < 0 || f == DW_FORM_indirect ||
		    f == DW_FORM_implicit_const || !form_known((unsigned)f))
			return -1;
		*pp = p;
		return read_form(u, pp, end, (unsigned)f, 0, v);
	}
	case DW_FORM_implicit_const:
		if (v)
			v->u = (uint64_t)implicit;
		return 0;
	case DW_FORM_flag_present:
		if (v)
			v->u = 1;
		return 0;
	}
	fs = form_fixed_size(form, u->ver, u->addrsz, u->offsz);
	if (fs < 0 || fs > end - p)
		return -1;
	*pp = p + fs;
	if (!v)
		return 0;
	v->u = fs <= 8 ? vm_rdn(p, (unsigned)fs, le) : 0;
	switch (form) {
	case DW_FORM_strp:
		v->str = sec_str(s->str, s->str_size, v->u);
		break;
	case DW_FORM_line_strp:
		v->str = sec_str(s->line_str, s->line_str_size, v->u);
		break;
	case DW_FORM_strx1: case DW_FORM_strx2: case DW_FORM_strx3:
	case DW_FORM_strx4:
		goto strx;
	}
	return 0;
strx:
	/* DWARF 5: the unit's str_offsets_base, default past the 8-byte
	 * .debug_str_offsets header of a 32-bit contribution */
	idx = (u->have_sob ? u->str_offsets_base : 8) + v->u * u->offsz;
	if (s->str_offsets && idx < s->str_offsets_size &&
	    s->str_offsets_size - idx >= u->offsz)
		v->str = sec_str(s->str, s->str_size,
				 vm_rdn(s->str_offsets + idx, u->offsz, le));
	return 0;
}

static int skip_attrs(const struct unit *u, const struct abtab *t,
		      const struct abbrev *a, const uint8_t **pp, const uint8_t *end)
{
	uint32_t i;

	if (a->fixed >= 0) {
		if (a->fixed > end - *pp)
			return -1;
		*pp += a->fixed;
		return 0;
	}
	for (i = 0; i < a->nattr; i++) {
		const struct attr *x = &t->at[a->attr0 + i];

		if (x->fsize >= 0) {
			if (x->fsize > end - *pp)
				return -1;
			*pp += x->fsize;
		} else if (read_form(u, pp, end, x->form, x->implicit, NULL) < 0) {
			return -1;
		}
	}
	return 0;
}

static uint64_t ref_value(const struct unit *u, unsigned form, const uint8_t *p)
{
	bool le = u->s->le;

	switch (form) {
	case DW_FORM_ref1: return u->off + p[0];
	case DW_FORM_ref2: return u->off + vm_rd16(p, le);
	case DW_FORM_ref4: return u->off + vm_rd32(p, le);
	case DW_FORM_ref8: return u->off + vm_rd64(p, le);
	case DW_FORM_ref_addr:
		return vm_rdn(p, u->ver <= 2 ? u->addrsz : u->offsz, le);
	}
	return 0;
}

/* The sibling of a DIE as a .debug_info offset, or 0 if it has none; *pp
 * is left past the DIE's attributes only when it has no sibling. */
static int find_sibling(const struct unit *u, const struct abtab *t,
			const struct abbrev *a, const uint8_t **pp,
			const uint8_t *end, uint64_t *sib)
{
	uint32_t i;
	struct aval v;

	*sib = 0;
	if (!a->has_sib || !is_ref_form(a->sib_form))
		return skip_attrs(u, t, a, pp, end);
	if (a->sib_off >= 0 && a->sib_fsize > 0) {
		if (a->sib_off + a->sib_fsize > end - *pp)
			return -1;
		*sib = ref_value(u, a->sib_form, *pp + a->sib_off);
		return 0;
	}
	for (i = 0; i < a->nattr; i++) {
		const struct attr *x = &t->at[a->attr0 + i];

		if (x->at == DW_AT_sibling) {
			if (read_form(u, pp, end, x->form, x->implicit, &v) < 0)
				return -1;
			*sib = x->form == DW_FORM_ref_addr ? v.u : u->off + v.u;
			return 0;
		}
		if (x->fsize >= 0) {
			if (x->fsize > end - *pp)
				return -1;
			*pp += x->fsize;
		} else if (read_form(u, pp, end, x->form, x->implicit, NULL) < 0) {
			return -1;
		}
	}
	return 0;
}

static size_t ptr_slot(const char *name, unsigned kind, size_t cap)
{
	uint64_t k = (uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15ull;

	return (size_t)((k >> 32) ^ kind * 0x85ebca6bu) & (cap - 1);
}

static size_t str_slot(uint32_t hash, unsigned kind, size_t cap)
{
	return (hash ^ kind * 0x9e3779b9u) & (cap - 1);
}

/* Copy a name into the builder's chunks, hashing it on the way: this is
 * the one read of the string (a cache miss into .debug_str), done by the
 * worker threads rather than by the merge. */
static const char *keep_name(struct builder *b, const char *name,
			     uint32_t *hash, uint32_t *len, struct vm_err *e)
{
	size_t n = strnlen(name, 4095);
	char *dst;

	if (!b->nchunks || b->chunk_cap - b->chunk_used < n + 1) {
		void *np = vm_realloc_array(b->chunks, b->nchunks + 1,
					    sizeof(*b->chunks), e);

		if (!np)
			return NULL;
		b->chunks = np;
		b->chunks[b->nchunks] = vm_malloc(1 << 16, e);
		if (!b->chunks[b->nchunks])
			return NULL;
		b->nchunks++;
		b->chunk_used = 0;
		b->chunk_cap = 1 << 16;
	}
	dst = b->chunks[b->nchunks - 1] + b->chunk_used;
	memcpy(dst, name, n);
	dst[n] = 0;
	b->chunk_used += n + 1;
	*hash = hash_n(dst, n);
	*len = (uint32_t)n;
	return dst;
}

static void builder_free(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->nchunks; i++)
		free(b->chunks[i]);
	free(b->chunks);
	free(b->c);
	free(b->slot);
}

static int slots_grow(struct builder *b, struct vm_err *e)
{
	size_t ncap = b->nslot ? 2 * b->nslot : 1 << 15, i, j;
	uint32_t *ns = vm_calloc(ncap, sizeof(*ns), e);

	if (!ns)
		return -1;
	for (i = 0; i < b->n; i++) {
		const struct cand *c = &b->c[i];

		if (!c->key)
			continue;
		for (j = ptr_slot(c->key, c->kind, ncap); ns[j]; j = (j + 1) & (ncap - 1))
			;
		ns[j] = (uint32_t)i + 1;
	}
	free(b->slot);
	b->slot = ns;
	b->nslot = ncap;
	return 0;
}

/*
 * Keyed by the name's address: .debug_str is merged, so the same string in
 * a thousand units is one pointer and is read once.  Names inside a unit
 * buffer that pread reuses (transient) have no stable address: they are
 * kept without dedup and the merge compares them by content.
 */
static int builder_add(struct builder *b, const char *name, unsigned kind,
		       unsigned quality, uint64_t die, bool transient,
		       struct vm_err *e)
{
	struct cand *c;
	size_t j = 0;

	if (!transient) {
		if ((b->n + 1) * 2 > b->nslot && slots_grow(b, e) < 0)
			return -1;
		for (j = ptr_slot(name, kind, b->nslot); b->slot[j];
		     j = (j + 1) & (b->nslot - 1)) {
			c = &b->c[b->slot[j] - 1];
			if (c->key == name && c->kind == kind) {
				if (quality > c->quality) {
					c->quality = (uint8_t)quality;
					c->die = die;
				}
				return 0;
			}
		}
	}
	if (b->n == b->capc) {
		size_t nc = b->capc ? 2 * b->capc : 1 << 14;
		void *np = vm_realloc_array(b->c, nc, sizeof(*b->c), e);

		if (!np)
			return -1;
		b->c = np;
		b->capc = nc;
	}
	c = &b->c[b->n];
	c->key = transient ? NULL : name;
	c->die = die;
	c->kind = (uint8_t)kind;
	c->quality = (uint8_t)quality;
	c->name = keep_name(b, name, &c->hash, &c->len, e);
	if (!c->name)
		return -1;
	if (!transient)
		b->slot[j] = (uint32_t)b->n + 1;
	b->n++;
	return 0;
}

/* Decode the attributes of a top-level DIE we index. */
static int top_die(const struct unit *u, const struct abtab *t,
		   const struct abbrev *a, const uint8_t **pp, const uint8_t *end,
		   const char **name, bool *decl, bool *defn, uint64_t *sib)
{
	const struct vm_dwsecs *s = u->s;
	uint32_t i;
	struct aval v;

	*name = NULL;
	*decl = false;
	*defn = a->has_defn;
	*sib = 0;
	if (a->fast) {
		const uint8_t *p = *pp;

		if (a->fixed > end - p)
			return -1;
		*pp = p + a->fixed;
		if (a->has_name) {
			uint64_t o = vm_rdn(p + a->name_off, u->offsz, s->le);

			if (a->name_form == DW_FORM_strp)
				*name = o < s->str_size && s->str_terminated
					? (const char *)s->str + o
					: sec_str(s->str, s->str_size, o);
			else
				*name = sec_str(s->line_str, s->line_str_size, o);
		}
		if (a->has_sib)
			*sib = ref_value(u, a->sib_form, p + a->sib_off);
		if (a->has_decl)
			*decl = a->decl_form == DW_FORM_flag_present ||
				(a->decl_form == DW_FORM_implicit_const && a->decl_const) ||
				(a->decl_form == DW_FORM_flag && p[a->decl_off] != 0);
		return 0;
	}
	for (i = 0; i < a->nattr; i++) {
		const struct attr *x = &t->at[a->attr0 + i];

		switch (x->at) {
		case DW_AT_name:
			if (read_form(u, pp, end, x->form, x->implicit, &v) < 0)
				return -1;
			*name = v.str;
			break;
		case DW_AT_declaration:
			if (read_form(u, pp, end, x->form, x->implicit, &v) < 0)
				return -1;
			*decl = v.u != 0;
			break;
		case DW_AT_sibling:
			if (read_form(u, pp, end, x->form, x->implicit, &v) < 0)
				return -1;
			if (is_ref_form(x->form))
				*sib = x->form == DW_FORM_ref_addr ? v.u : u->off + v.u;
			break;
		default:
			if (x->fsize >= 0) {
				if (x->fsize > end - *pp)
					return -1;
				*pp += x->fsize;
			} else if (read_form(u, pp, end, x->form, x->implicit, NULL) < 0) {
				return -1;
			}
		}
	}
	return 0;
}

/* A unit header, parsed. */
struct uhdr {
	uint64_t off, end;       /* [off, end) in .debug_info */
	uint64_t die0;           /* offset of the unit DIE */
	uint64_t aoff;           /* .debug_abbrev offset */
	unsigned ver, offsz, addrsz, utype;
};

static int parse_header(const struct vm_dwsecs *s, const uint8_t *p,
			size_t avail, uint64_t off, struct uhdr *h,
			struct vm_err *e)
{
	const uint8_t *p0 = p, *end = p + avail;
	uint64_t len;

	memset(h, 0, sizeof(*h));
	h->off = off;
	h->utype = DW_UT_compile;
	if (end - p < 4)
		return corrupt(s, off, "unit header truncated", e);
	len = vm_rd32(p, s->le);
	p += 4;
	h->offsz = 4;
	if (len == 0xffffffff) {
		if (end - p < 8)
			return corrupt(s, off, "unit header truncated", e);
		len = vm_rd64(p, s->le);
		p += 8;
		h->offsz = 8;
	} else if (len >= 0xfffffff0) {
		return corrupt(s, off, "reserved unit length", e);
	}
	if (len > s->info_size - off - (uint64_t)(p - p0) || len < 2)
		return vm_fail(e, VM_EFORMAT, "%s: corrupt .debug_info at offset %#llx: unit length %#llx exceeds the section (%zu bytes)",
			       s->path, (unsigned long long)off,
			       (unsigned long long)len, s->info_size);
	h->end = off + (uint64_t)(p - p0) + len;
	if (end - p < 2)
		return corrupt(s, off, "unit header truncated", e);
	h->ver = vm_rd16(p, s->le);
	p += 2;
	if (h->ver < 2 || h->ver > 5)
		return vm_fail(e, VM_EUNSUP, "%s: .debug_info unit at %#llx has DWARF version %u",
			       s->path, (unsigned long long)off, h->ver);
	if (h->ver >= 5) {
		if (end - p < 2 + (long)h->offsz)
			return corrupt(s, off, "unit header truncated", e);
		h->utype = p[0];
		h->addrsz = p[1];
		h->aoff = vm_rdn(p + 2, h->offsz, s->le);
		p += 2 + h->offsz;
		if (h->utype == DW_UT_type || h->utype == DW_UT_split_type)
			p += 8 + h->offsz;
		else if (h->utype == DW_UT_skeleton || h->utype == DW_UT_split_compile)
			p += 8;
	} else {
		if (end - p < 1 + (long)h->offsz)
			return corrupt(s, off, "unit header truncated", e);
		h->aoff = vm_rdn(p, h->offsz, s->le);
		h->addrsz = p[h->offsz];
		p += h->offsz + 1;
	}
	h->die0 = off + (uint64_t)(p - p0);
	if (h->die0 > h->end)
		return corrupt(s, off, "unit header truncated", e);
	if (h->addrsz != 2 && h->addrsz != 4 && h->addrsz != 8)
		return corrupt(s, off, "bad address size", e);
	return 0;
}

/* A name inside the unit's bytes, which a pread buffer reuses. */
static bool transient(const struct unit *u, const char *name)
{
	const struct vm_dwsecs *s = u->s;
	const uint8_t *n = (const uint8_t *)name;

	if (s->info)
		return false;
	return !(s->str && n >= s->str && n < s->str + s->str_size) &&
	       !(s->line_str && n >= s->line_str && n < s->line_str + s->line_str_size);
}

/* ubase holds the unit's bytes: ubase[0] is .debug_info offset u->off. */
static int scan_unit(struct builder *b, struct unit *u, struct abtab *t,
		     const uint8_t *ubase, uint64_t die0, struct vm_err *e)
{
	const struct vm_dwsecs *s = u->s;
	const uint8_t *p = ubase + (die0 - u->off), *end = ubase + (u->end - u->off);
	uint64_t code, enum_die = 0;
	const struct abbrev *a;
	unsigned depth;
	uint32_t i;
	struct aval v;

	/* the unit DIE: only DW_AT_str_offsets_base matters here */
	if (uleb(&p, end, &code) < 0)
		return corrupt(s, die0, "unit DIE truncated", e);
	if (code == 0)
		return 0;
	a = ab_find(t, code);
	if (!a)
		return corrupt(s, die0, "unknown abbreviation code", e);
	if (a->tag != DW_TAG_compile_unit && a->tag != DW_TAG_partial_unit)
		return 0;   /* type units and the like: not indexed */
	for (i = 0; i < a->nattr; i++) {
		const struct attr *x = &t->at[a->attr0 + i];

		if (read_form(u, &p, end, x->form, x->implicit, &v) < 0)
			return corrupt(s, die0, "unit DIE attributes truncated", e);
		if (x->at == DW_AT_str_offsets_base) {
			u->str_offsets_base = v.u;
			u->have_sob = true;
		}
	}
	if (!a->children)
		return 0;
	depth = 1;
	while (p < end) {
		uint64_t off = u->off + (uint64_t)(p - ubase), sib;
		const char *name;
		bool decl, defn;

		if (uleb(&p, end, &code) < 0)
			return corrupt(s, off, "abbreviation code truncated", e);
		if (code == 0) {
			if (depth == 2)
				enum_die = 0;
			if (--depth == 0)
				break;
			continue;
		}
		a = ab_find(t, code);
		if (!a)
			return corrupt(s, off, "unknown abbreviation code", e);
		if (depth == 1 && a->want) {
			if (top_die(u, t, a, &p, end, &name, &decl, &defn, &sib) < 0)
				return corrupt(s, off, "DIE attributes run past the unit", e);
			/* no *name here: that read would miss the cache on
			 * every DIE; empty names are dropped in the merge */
			if (name) {
				unsigned q = decl ? 0 : 1;

				if (a->want == VM_TK_VAR || a->want == VM_TK_FUNC)
					q += defn;
				if (builder_add(b, name, a->want, q, off,
						transient(u, name), e) < 0)
					return -1;
			}
			if (a->tag == DW_TAG_enumeration_type && a->children) {
				/* read the enumerators: they are the names of
				 * constants like PIDTYPE_MAX */
				enum_die = off;
				depth++;
				continue;
			}
		} else if (depth == 2 && enum_die && a->tag == DW_TAG_enumerator) {
			if (top_die(u, t, a, &p, end, &name, &decl, &defn, &sib) < 0)
				return corrupt(s, off, "DIE attributes run past the unit", e);
			if (name &&
			    builder_add(b, name, VM_TK_ENUMERATOR, 1, enum_die,
					transient(u, name), e) < 0)
				return -1;
		} else if (a->children) {
			if (find_sibling(u, t, a, &p, end, &sib) < 0)
				return corrupt(s, off, "DIE attributes run past the unit", e);
		} else {
			if (skip_attrs(u, t, a, &p, end) < 0)
				return corrupt(s, off, "DIE attributes run past the unit", e);
			continue;
		}
		if (!a->children)
			continue;
		if (sib) {
			if (sib <= off || sib > u->end)
				return corrupt(s, off, "DW_AT_sibling outside the unit", e);
			p = ubase + (sib - u->off);
			continue;
		}
		if (++depth > MAX_DEPTH)
			return corrupt(s, off, "DIE tree too deep", e);
	}
	return 0;
}

/* Bytes [off, off+len) of .debug_info: from memory, or read from the file
 * into *buf (pread keeps the scan's resident memory to one unit instead of
 * the whole mapped section). */
static const uint8_t *info_bytes(const struct vm_dwsecs *s, uint64_t off,
				 size_t len, uint8_t **buf, size_t *cap,
				 struct vm_err *e)
{
	size_t done = 0;

	if (s->info)
		return s->info + off;
	if (len > *cap) {
		size_t nc = len < 1 << 20 ? 1 << 20 : len;
		uint8_t *nb = vm_malloc(nc, e);

		if (!nb)
			return NULL;
		free(*buf);
		*buf = nb;
		*cap = nc;
	}
	while (done < len) {
		ssize_t r = pread(s->info_fd, *buf + done, len - done,
				  (off_t)(s->info_foff + off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			vm_fail(e, VM_EIO, "%s: reading .debug_info at %#llx: %s",
				s->path, (unsigned long long)(off + done),
				r < 0 ? strerror(errno) : "unexpected end of file");
			return NULL;
		}
		done += (size_t)r;
	}
	return *buf;
}

static int collect_units(const struct vm_dwsecs *s, struct uhdr **out,
			 size_t *n, struct vm_err *e)
{
	struct uhdr *u = NULL;
	size_t cap = 0, bcap = 0;
	uint8_t *buf = NULL;
	uint64_t off = 0;
	int rc = -1;

	*n = 0;
	while (off < s->info_size) {
		size_t avail = s->info_size - off > 64 ? 64 : (size_t)(s->info_size - off);
		const uint8_t *p = info_bytes(s, off, avail, &buf, &bcap, e);

		if (!p)
			goto out;
		if (*n == cap) {
			size_t nc = cap ? 2 * cap : 1024;
			void *np = vm_realloc_array(u, nc, sizeof(*u), e);

			if (!np)
				goto out;
			u = np;
			cap = nc;
		}
		if (parse_header(s, p, avail, off, &u[*n], e) < 0)
			goto out;
		off = u[(*n)++].end;
	}
	rc = 0;
out:
	free(buf);
	if (rc < 0) {
		free(u);
		u = NULL;
	}
	*out = u;
	return rc;
}

struct worker {
	const struct vm_dwsecs *s;
	const struct uhdr *units;
	size_t first, last;      /* [first, last) */
	struct builder b;
	struct vm_err err;
	int rc;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	const struct vm_dwsecs *s = w->s;
	struct abtab t;
	uint8_t *buf = NULL;
	size_t bcap = 0, i;

	memset(&t, 0, sizeof(t));
	w->rc = -1;
	for (i = w->first; i < w->last; i++) {
		const struct uhdr *h = &w->units[i];
		struct unit u;
		const uint8_t *ub;

		if (h->utype != DW_UT_compile && h->utype != DW_UT_partial)
			continue;
		memset(&u, 0, sizeof(u));
		u.s = s;
		u.off = h->off;
		u.end = h->end;
		u.ver = h->ver;
		u.offsz = h->offsz;
		u.addrsz = h->addrsz;
		if (!t.valid || t.off != h->aoff || t.addrsz != u.addrsz ||
		    t.offsz != u.offsz || t.ver2 != (u.ver <= 2)) {
			if (abtab_parse(&t, s, h->aoff, &u, &w->err) < 0)
				goto out;
		}
		ub = info_bytes(s, h->off, (size_t)(h->end - h->off), &buf, &bcap,
				&w->err);
		if (!ub || scan_unit(&w->b, &u, &t, ub, h->die0, &w->err) < 0)
			goto out;
	}
	w->rc = 0;
out:
	free(buf);
	free(t.ab);
	free(t.at);
	free(t.direct);
	return NULL;
}

/* Two workers on two halves of the units when the section is big enough
 * to be worth a thread; results do not depend on the split (see merge). */
#define MAX_WORKERS 4
#define MIN_BYTES_PER_WORKER (16u << 20)

static int scan(const struct vm_dwsecs *s, struct worker *w, unsigned *nw,
		struct uhdr **units, size_t *nunits, struct vm_err *e)
{
	pthread_t tid[MAX_WORKERS];
	bool started[MAX_WORKERS] = { false };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n, i;
	size_t u = 0;

	if (collect_units(s, units, nunits, e) < 0)
		return -1;
	n = ncpu > 1 ? (unsigned)(ncpu < MAX_WORKERS ? ncpu : MAX_WORKERS) : 1;
	while (n > 1 && s->info_size / n < MIN_BYTES_PER_WORKER)
		n--;
	/* split by bytes, not by unit count */
	for (i = 0; i < n; i++) {
		uint64_t goal = s->info_size / n * (i + 1);

		w[i].s = s;
		w[i].units = *units;
		w[i].first = u;
		while (u < *nunits && (i == n - 1 || (*units)[u].off < goal))
			u++;
		w[i].last = u;
	}
	for (i = 1; i < n; i++)
		started[i] = pthread_create(&tid[i], NULL, work, &w[i]) == 0;
	work(&w[0]);
	for (i = 1; i < n; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			work(&w[i]);
	}
	*nw = n;
	for (i = 0; i < n; i++)
		if (w[i].rc < 0) {
			*e = w[i].err;
			return -1;
		}
	return 0;
}

/* Merge the workers' candidates by string content into one dense array;
 * equal names keep the best quality, then the lowest offset, so the result
 * does not depend on how units were split between workers. */
static int builder_merge(struct worker *w, unsigned nw, struct cand **out,
			 size_t *outn, size_t *strsz, struct vm_err *e)
{
	size_t i, j, n = 0, cap = 2, total = 0;
	struct cand *t;
	uint32_t *slot;
	unsigned k;

	*strsz = 0;
	for (k = 0; k < nw; k++)
		total += w[k].b.n;
	while (cap < 2 * total)
		cap <<= 1;
	slot = vm_calloc(cap, sizeof(*slot), e);
	t = vm_calloc(total ? total : 1, sizeof(*t), e);
	if (!slot || !t) {
		free(slot);
		free(t);
		return -1;
	}
	for (k = 0; k < nw; k++)
	for (i = 0; i < w[k].b.n; i++) {
		const struct cand *c = &w[k].b.c[i];
		struct cand *x = NULL;

		if (!c->len)
			continue;
		for (j = str_slot(c->hash, c->kind, cap); slot[j]; j = (j + 1) & (cap - 1)) {
			x = &t[slot[j] - 1];
			if (x->hash == c->hash && x->kind == c->kind &&
			    x->len == c->len && !memcmp(x->name, c->name, c->len))
				break;
			x = NULL;
		}
		if (x) {
			if (c->quality > x->quality ||
			    (c->quality == x->quality && c->die < x->die)) {
				x->quality = c->quality;
				x->die = c->die;
			}
			continue;
		}
		t[n] = *c;
		slot[j] = (uint32_t)++n;
		*strsz += c->len + 1;
	}
	free(slot);
	*out = t;
	*outn = n;
	return 0;
}

int vm_dwidx_build(const struct vm_dwsecs *s, const uint8_t *build_id,
		   unsigned build_id_len, struct vm_dwidx *idx, struct vm_err *e)
{
	struct worker w[MAX_WORKERS];
	struct vm_dwsecs sc = *s;
	struct cand *m = NULL;
	struct uhdr *units = NULL;
	size_t mn = 0, nunits = 0, strsz = 0;
	unsigned nw = 0;
	struct vm_dwidx_hdr *h;
	uint64_t *unit;
	uint32_t *bucket, nbucket = 2, k = 0;
	struct vm_dwidx_ent *ent;
	char *str;
	size_t memsz, i, so = 0;
	int rc = -1;

	memset(w, 0, sizeof(w));
	memset(idx, 0, sizeof(*idx));
	/* a .debug_str that ends in NUL needs no per-name check */
	sc.str_terminated = s->str_size && !s->str[s->str_size - 1];
	if (scan(&sc, w, &nw, &units, &nunits, e) < 0 ||
	    builder_merge(w, nw, &m, &mn, &strsz, e) < 0)
		goto out;
	if (mn > UINT32_MAX / 4 || strsz > UINT32_MAX || nunits > UINT32_MAX) {
		vm_fail(e, VM_ENOMEM, "%s: name index too large", s->path);
		goto out;
	}
	while (nbucket < mn)
		nbucket <<= 1;
	memsz = sizeof(*h) + nunits * 8 + (size_t)nbucket * 4 + mn * sizeof(*ent) + strsz;
	memsz = (memsz + 7) & ~(size_t)7;
	idx->mem = vm_calloc(1, memsz, e);
	if (!idx->mem)
		goto out;
	idx->memsz = memsz;
	h = idx->mem;
	memcpy(h->magic, VM_DWIDX_MAGIC, 8);
	h->version = VM_DWIDX_VERSION;
	h->hdr_size = sizeof(*h);
	h->info_size = s->info_size;
	h->abbrev_size = s->abbrev_size;
	h->str_size = s->str_size;
	h->file_size = s->file_size;
	h->file_mtime_ns = s->file_mtime_ns;
	if (build_id && build_id_len <= sizeof(h->build_id)) {
		memcpy(h->build_id, build_id, build_id_len);
		h->build_id_len = build_id_len;
	}
	h->nunit = (uint32_t)nunits;
	h->nbucket = nbucket;
	h->nent = (uint32_t)mn;
	h->strsz = (uint32_t)strsz;
	unit = (uint64_t *)(h + 1);
	for (i = 0; i < nunits; i++)
		unit[i] = units[i].off;
	bucket = (uint32_t *)(unit + nunits);
	ent = (struct vm_dwidx_ent *)(bucket + nbucket);
	str = (char *)(ent + mn);
	for (i = 0; i < mn; i++) {
		const struct cand *c = &m[i];
		uint32_t bi;

		memcpy(str + so, c->name, c->len + 1);
		ent[k].die = c->die;
		ent[k].name = (uint32_t)so;
		ent[k].hash = c->hash;
		ent[k].kind = c->kind;
		bi = c->hash & (nbucket - 1);
		ent[k].next = bucket[bi];
		bucket[bi] = k + 1;
		so += c->len + 1;
		k++;
	}
	h->checksum = vm_dwidx_checksum(h + 1, memsz - sizeof(*h));
	rc = vm_dwidx_attach(idx, e);
out:
	free(m);
	free(units);
	for (i = 0; i < MAX_WORKERS; i++)
		builder_free(&w[i].b);
	if (rc < 0 && idx->mem && !idx->mapped) {
		free(idx->mem);
		idx->mem = NULL;
	}
	return rc;
}

uint64_t vm_dwidx_checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, b + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

int vm_dwidx_attach(struct vm_dwidx *idx, struct vm_err *e)
{
	const struct vm_dwidx_hdr *h = idx->mem;
	size_t need;
	uint32_t i;

	if (idx->memsz < sizeof(*h) || memcmp(h->magic, VM_DWIDX_MAGIC, 8) ||
	    h->version != VM_DWIDX_VERSION || h->hdr_size != sizeof(*h))
		return vm_fail(e, VM_EFORMAT, "index header invalid");
	need = sizeof(*h) + (size_t)h->nunit * 8 + (size_t)h->nbucket * 4 +
	       (size_t)h->nent * sizeof(struct vm_dwidx_ent) + h->strsz;
	if (need > idx->memsz || h->nbucket == 0 ||
	    (h->nbucket & (h->nbucket - 1)) || h->build_id_len > sizeof(h->build_id))
		return vm_fail(e, VM_EFORMAT, "index sizes invalid");
	idx->hdr = h;
	idx->unit = (const uint64_t *)(h + 1);
	idx->bucket = (const uint32_t *)(idx->unit + h->nunit);
	idx->ent = (const struct vm_dwidx_ent *)(idx->bucket + h->nbucket);
	idx->str = (const char *)(idx->ent + h->nent);
	/* every link and name inside the blob, names terminated */
	if (h->strsz && idx->str[h->strsz - 1])
		return vm_fail(e, VM_EFORMAT, "index string table unterminated");
	for (i = 0; i < h->nbucket; i++)
		if (idx->bucket[i] > h->nent)
			return vm_fail(e, VM_EFORMAT, "index bucket %u invalid", i);
	for (i = 0; i < h->nent; i++)
		if (idx->ent[i].next > h->nent || idx->ent[i].name >= h->strsz ||
		    idx->ent[i].die >= h->info_size)
			return vm_fail(e, VM_EFORMAT, "index entry %u invalid", i);
	for (i = 1; i < h->nunit; i++)
		if (idx->unit[i] <= idx->unit[i - 1] || idx->unit[i] >= h->info_size)
			return vm_fail(e, VM_EFORMAT, "index unit %u invalid", i);
	return 0;
}

int vm_dwidx_lookup(const struct vm_dwidx *idx, const char *name,
		    unsigned kind, uint64_t *die)
{
	uint32_t h = vm_dwidx_hash(name), i, steps = 0;

	if (!idx->hdr)
		return 0;
	for (i = idx->bucket[h & (idx->hdr->nbucket - 1)]; i;
	     i = idx->ent[i - 1].next) {
		const struct vm_dwidx_ent *x = &idx->ent[i - 1];

		/* a corrupt chain could loop */
		if (++steps > idx->hdr->nent)
			return 0;
		if (x->hash == h && x->kind == kind && !strcmp(idx->str + x->name, name)) {
			*die = x->die;
			return 1;
		}
	}
	return 0;
}

int vm_dwidx_unit(const struct vm_dwidx *idx, uint64_t off, uint64_t info_size,
		  uint64_t *start, uint64_t *end)
{
	uint32_t lo = 0, hi;

	if (!idx->hdr || idx->hdr->nunit == 0 || off >= info_size)
		return -1;
	hi = idx->hdr->nunit;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (idx->unit[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (idx->unit[lo] > off)
		return -1;
	*start = idx->unit[lo];
	*end = lo + 1 < idx->hdr->nunit ? idx->unit[lo + 1] : info_size;
	return 0;
}

void vm_dwidx_free(struct vm_dwidx *idx)
{
	if (!idx || !idx->mem)
		return;
	if (!idx->mapped)
		free(idx->mem);
	idx->mem = NULL;
	idx->hdr = NULL;
}
