// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DWARF 2-5 decoding for the name-index scan (dwarf_form.h): unit headers,
 * abbreviation tables, attribute values by form.  It knows every form of
 * DWARF 2-5 to skip attributes; every read is bounds-checked against the
 * unit, every string against its section.
 */
#include "dwarf_form.h"

#include <stdlib.h>
#include <string.h>

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

int vm_dwcorrupt(const struct vm_dwsecs *s, uint64_t off, const char *what,
		 struct vm_err *e)
{
	return vm_fail(e, VM_EFORMAT, "%s: corrupt .debug_info at offset %#llx: %s",
		       s->path, (unsigned long long)off, what);
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

/* arr with twice the capacity *cap (first: that of a new one), or NULL. */
static void *grow(void *arr, size_t *cap, size_t first, size_t size,
		  struct vm_err *e)
{
	size_t nc = *cap ? 2 * *cap : first;
	void *np = vm_realloc_array(arr, nc, size, e);

	if (np)
		*cap = nc;
	return np;
}

int vm_dwabtab_parse(struct vm_dwabtab *t, const struct vm_dwsecs *s, uint64_t off,
		     const struct vm_dwunit *u, struct vm_err *e)
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
		struct vm_dwabbrev *a;
		int fixed = 0;

		if (vm_uleb128(&p, end, &code) < 0)
			goto trunc;
		if (code == 0)
			break;
		if (vm_uleb128(&p, end, &tag) < 0 || p >= end)
			goto trunc;
		if (t->nab == t->capab) {
			void *np = grow(t->ab, &t->capab, 256, sizeof(*t->ab), e);

			if (!np)
				return -1;
			t->ab = np;
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
			struct vm_dwattr *x;
			int64_t ic = 0;
			int fs;

			if (vm_uleb128(&p, end, &at) < 0 || vm_uleb128(&p, end, &form) < 0)
				goto trunc;
			if (at == 0 && form == 0)
				break;
			if (form == DW_FORM_implicit_const && vm_sleb128(&p, end, &ic) < 0)
				goto trunc;
			if (!form_known((unsigned)form))
				return vm_fail(e, VM_EFORMAT, "%s: .debug_abbrev at %#llx: unknown form %#llx",
					       s->path, (unsigned long long)off,
					       (unsigned long long)form);
			if (++a->nattr > MAX_ATTRS)
				return vm_fail(e, VM_EFORMAT, "%s: .debug_abbrev at %#llx: more than %d attributes",
					       s->path, (unsigned long long)off, MAX_ATTRS);
			if (t->nat == t->capat) {
				void *np = grow(t->at, &t->capat, 1024, sizeof(*t->at), e);

				if (!np)
					return -1;
				t->at = np;
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

const char *vm_dwsec_str(const uint8_t *sec, size_t size, uint64_t off)
{
	if (!sec || off >= size || !memchr(sec + off, 0, size - off))
		return NULL;
	return (const char *)sec + off;
}

/* Read (v != NULL) or skip one attribute value. */
int vm_dwform_read(const struct vm_dwunit *u, const uint8_t **pp, const uint8_t *end,
		   unsigned form, int64_t implicit, struct vm_dwval *v)
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
		if (vm_uleb128(&p, end, &n) < 0)
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

		if (vm_sleb128(&p, end, &sv) < 0)
			return -1;
		*pp = p;
		if (v)
			v->u = (uint64_t)sv;
		return 0;
	}
	case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx:
	case DW_FORM_addrx: case DW_FORM_loclistx: case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index: case DW_FORM_GNU_str_index:
		if (vm_uleb128(&p, end, &n) < 0)
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

		if (vm_uleb128(&p, end, &f) < 0 || f == DW_FORM_indirect ||
		    f == DW_FORM_implicit_const || !form_known((unsigned)f))
			return -1;
		*pp = p;
		return vm_dwform_read(u, pp, end, (unsigned)f, 0, v);
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
		v->str = vm_dwsec_str(s->str, s->str_size, v->u);
		break;
	case DW_FORM_line_strp:
		v->str = vm_dwsec_str(s->line_str, s->line_str_size, v->u);
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
		v->str = vm_dwsec_str(s->str, s->str_size,
				 vm_rdn(s->str_offsets + idx, u->offsz, le));
	return 0;
}

/* Skip one attribute: by its fixed size when it has one. */
static int skip_attr(const struct vm_dwunit *u, const struct vm_dwattr *x,
		     const uint8_t **pp, const uint8_t *end)
{
	if (x->fsize < 0)
		return vm_dwform_read(u, pp, end, x->form, x->implicit, NULL);
	if (x->fsize > end - *pp)
		return -1;
	*pp += x->fsize;
	return 0;
}

int vm_dwform_skip_attrs(const struct vm_dwunit *u, const struct vm_dwabtab *t,
			 const struct vm_dwabbrev *a, const uint8_t **pp,
			 const uint8_t *end)
{
	uint32_t i;

	if (a->fixed >= 0) {
		if (a->fixed > end - *pp)
			return -1;
		*pp += a->fixed;
		return 0;
	}
	for (i = 0; i < a->nattr; i++) {
		const struct vm_dwattr *x = &t->at[a->attr0 + i];

		if (skip_attr(u, x, pp, end) < 0)
			return -1;
	}
	return 0;
}

static uint64_t ref_value(const struct vm_dwunit *u, unsigned form, const uint8_t *p)
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
int vm_dwform_sibling(const struct vm_dwunit *u, const struct vm_dwabtab *t,
		      const struct vm_dwabbrev *a, const uint8_t **pp,
		      const uint8_t *end, uint64_t *sib)
{
	uint32_t i;
	struct vm_dwval v;

	*sib = 0;
	if (!a->has_sib || !is_ref_form(a->sib_form))
		return vm_dwform_skip_attrs(u, t, a, pp, end);
	if (a->sib_off >= 0 && a->sib_fsize > 0) {
		if (a->sib_off + a->sib_fsize > end - *pp)
			return -1;
		*sib = ref_value(u, a->sib_form, *pp + a->sib_off);
		return 0;
	}
	for (i = 0; i < a->nattr; i++) {
		const struct vm_dwattr *x = &t->at[a->attr0 + i];

		if (x->at == DW_AT_sibling) {
			if (vm_dwform_read(u, pp, end, x->form, x->implicit, &v) < 0)
				return -1;
			*sib = x->form == DW_FORM_ref_addr ? v.u : u->off + v.u;
			return 0;
		}
		if (skip_attr(u, x, pp, end) < 0)
			return -1;
	}
	return 0;
}

/* Decode the attributes of a top-level DIE we index. */
int vm_dwform_top_die(const struct vm_dwunit *u, const struct vm_dwabtab *t,
		      const struct vm_dwabbrev *a, const uint8_t **pp,
		      const uint8_t *end, const char **name, bool *decl,
		      bool *defn, uint64_t *sib)
{
	const struct vm_dwsecs *s = u->s;
	uint32_t i;
	struct vm_dwval v;

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
					: vm_dwsec_str(s->str, s->str_size, o);
			else
				*name = vm_dwsec_str(s->line_str, s->line_str_size, o);
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
		const struct vm_dwattr *x = &t->at[a->attr0 + i];

		switch (x->at) {
		case DW_AT_name:
			if (vm_dwform_read(u, pp, end, x->form, x->implicit, &v) < 0)
				return -1;
			*name = v.str;
			break;
		case DW_AT_declaration:
			if (vm_dwform_read(u, pp, end, x->form, x->implicit, &v) < 0)
				return -1;
			*decl = v.u != 0;
			break;
		case DW_AT_sibling:
			if (vm_dwform_read(u, pp, end, x->form, x->implicit, &v) < 0)
				return -1;
			if (is_ref_form(x->form))
				*sib = x->form == DW_FORM_ref_addr ? v.u : u->off + v.u;
			break;
		default:
			if (skip_attr(u, x, pp, end) < 0)
				return -1;
		}
	}
	return 0;
}

int vm_dwunit_header(const struct vm_dwsecs *s, const uint8_t *p, size_t avail,
		     uint64_t off, struct vm_dwuhdr *h, struct vm_err *e)
{
	const uint8_t *p0 = p, *end = p + avail;
	uint64_t len;

	memset(h, 0, sizeof(*h));
	h->off = off;
	h->utype = DW_UT_compile;
	if (end - p < 4)
		return vm_dwcorrupt(s, off, "unit header truncated", e);
	len = vm_rd32(p, s->le);
	p += 4;
	h->offsz = 4;
	if (len == 0xffffffff) {
		if (end - p < 8)
			return vm_dwcorrupt(s, off, "unit header truncated", e);
		len = vm_rd64(p, s->le);
		p += 8;
		h->offsz = 8;
	} else if (len >= 0xfffffff0) {
		return vm_dwcorrupt(s, off, "reserved unit length", e);
	}
	if (len > s->info_size - off - (uint64_t)(p - p0) || len < 2)
		return vm_fail(e, VM_EFORMAT, "%s: corrupt .debug_info at offset %#llx: unit length %#llx exceeds the section (%zu bytes)",
			       s->path, (unsigned long long)off,
			       (unsigned long long)len, s->info_size);
	h->end = off + (uint64_t)(p - p0) + len;
	if (end - p < 2)
		return vm_dwcorrupt(s, off, "unit header truncated", e);
	h->ver = vm_rd16(p, s->le);
	p += 2;
	if (h->ver < 2 || h->ver > 5)
		return vm_fail(e, VM_EUNSUP, "%s: .debug_info unit at %#llx has DWARF version %u",
			       s->path, (unsigned long long)off, h->ver);
	if (h->ver >= 5) {
		if (end - p < 2 + (long)h->offsz)
			return vm_dwcorrupt(s, off, "unit header truncated", e);
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
			return vm_dwcorrupt(s, off, "unit header truncated", e);
		h->aoff = vm_rdn(p, h->offsz, s->le);
		h->addrsz = p[h->offsz];
		p += h->offsz + 1;
	}
	h->die0 = off + (uint64_t)(p - p0);
	if (h->die0 > h->end)
		return vm_dwcorrupt(s, off, "unit header truncated", e);
	if (h->addrsz != 2 && h->addrsz != 4 && h->addrsz != 8)
		return vm_dwcorrupt(s, off, "bad address size", e);
	return 0;
}

void vm_dwabtab_free(struct vm_dwabtab *t)
{
	free(t->ab);
	free(t->at);
	free(t->direct);
	memset(t, 0, sizeof(*t));
}
