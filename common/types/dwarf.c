// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DWARF type backend: decodes one DIE at a time with libdwarf into the
 * common type model.  Type ids are .debug_info offsets.
 */
#include "dwarf.h"

#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types_impl.h"
#include "../rd.h"

/* Members of one struct / enumerators of one enum: no real type has
 * more; a corrupt sibling chain could. */
#define MAX_CHILDREN 65536
#define MAX_DIMS 16

struct dwsrc {
	struct vm_dwfile *f;
};

struct ctx {
	struct vm_tsrc *s;
	struct vm_dwfile *f;
	Dwarf_Debug dbg;
	uint64_t base;               /* the view's unit offset */
	struct vm_err *e;
};

static int derr(struct ctx *c, Dwarf_Error de, const char *what, Dwarf_Die die)
{
	Dwarf_Off off = 0;
	Dwarf_Error de2 = NULL;

	if (die && dwarf_dieoffset(die, &off, &de2) != DW_DLV_OK && de2)
		dwarf_dealloc_error(c->dbg, de2);
	return vm_dwfile_err(c->f, c->dbg, de, what, c->base + off, c->e);
}

static uint64_t die_off(struct ctx *c, Dwarf_Die die)
{
	Dwarf_Off off = 0;
	Dwarf_Error de = NULL;

	if (dwarf_dieoffset(die, &off, &de) != DW_DLV_OK && de)
		dwarf_dealloc_error(c->dbg, de);
	return c->base + off;
}

/* 1 present (value set), 0 absent, -1 error */
static int get_attr(struct ctx *c, Dwarf_Die die, Dwarf_Half at,
		    Dwarf_Attribute *a)
{
	Dwarf_Error de = NULL;
	int rc = dwarf_attr(die, at, a, &de);

	if (rc == DW_DLV_NO_ENTRY)
		return 0;
	if (rc != DW_DLV_OK)
		return derr(c, de, "reading attribute", die);
	return 1;
}

/* A constant: unsigned for dataN/udata, signed for sdata/implicit_const;
 * *is_signed says which. */
static int attr_const(struct ctx *c, Dwarf_Die die, Dwarf_Half at, uint64_t *v,
		      bool *is_signed, unsigned *width)
{
	Dwarf_Attribute a;
	Dwarf_Error de = NULL;
	Dwarf_Half form = 0;
	int r = get_attr(c, die, at, &a), rc;

	if (r <= 0)
		return r;
	if (dwarf_whatform(a, &form, &de) != DW_DLV_OK) {
		dwarf_dealloc_attribute(a);
		return derr(c, de, "reading form", die);
	}
	if (is_signed)
		*is_signed = false;
	if (width)
		*width = form == DW_FORM_data1 ? 1 : form == DW_FORM_data2 ? 2 :
			 form == DW_FORM_data4 ? 4 : 8;
	if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
		Dwarf_Signed sv;

		rc = dwarf_formsdata(a, &sv, &de);
		*v = (uint64_t)sv;
		if (is_signed)
			*is_signed = true;
	} else if (form == DW_FORM_exprloc || form == DW_FORM_block1 ||
		   form == DW_FORM_block) {
		dwarf_dealloc_attribute(a);
		return 0;   /* a location expression, not a constant */
	} else {
		Dwarf_Unsigned uv;

		rc = dwarf_formudata(a, &uv, &de);
		*v = uv;
	}
	dwarf_dealloc_attribute(a);
	if (rc == DW_DLV_NO_ENTRY)
		return 0;
	if (rc != DW_DLV_OK)
		return derr(c, de, "reading constant", die);
	return 1;
}

static int attr_udata(struct ctx *c, Dwarf_Die die, Dwarf_Half at, uint64_t *v)
{
	return attr_const(c, die, at, v, NULL, NULL);
}

static int attr_flag(struct ctx *c, Dwarf_Die die, Dwarf_Half at, bool *v)
{
	Dwarf_Attribute a;
	Dwarf_Error de = NULL;
	Dwarf_Bool b = 0;
	int r = get_attr(c, die, at, &a), rc;

	*v = false;
	if (r <= 0)
		return r;
	rc = dwarf_formflag(a, &b, &de);
	dwarf_dealloc_attribute(a);
	if (rc != DW_DLV_OK)
		return derr(c, de, "reading flag", die);
	*v = b != 0;
	return 1;
}

/* A reference as a .debug_info offset; 0 when absent (void). */
static int attr_ref(struct ctx *c, Dwarf_Die die, Dwarf_Half at, uint64_t *ref)
{
	Dwarf_Attribute a;
	Dwarf_Error de = NULL;
	Dwarf_Half form = 0;
	Dwarf_Off off = 0;
	int r = get_attr(c, die, at, &a), rc;

	*ref = 0;
	if (r <= 0)
		return r;
	rc = dwarf_whatform(a, &form, &de);
	if (rc == DW_DLV_OK)
		rc = dwarf_global_formref(a, &off, &de);
	dwarf_dealloc_attribute(a);
	if (rc != DW_DLV_OK)
		return derr(c, de, "reading reference", die);
	/* the view shows one unit from offset 0; ref_addr is absolute */
	*ref = form == DW_FORM_ref_addr ? off : c->base + off;
	if (*ref == 0)
		return vm_fail(c->e, VM_EFORMAT, "%s: reference to offset 0 at .debug_info %#llx",
			       vm_elffile_path(vm_dwfile_elf(c->f)),
			       (unsigned long long)die_off(c, die));
	return 1;
}

static int die_name(struct ctx *c, Dwarf_Die die, const char **name)
{
	Dwarf_Error de = NULL;
	char *n = NULL;
	int rc = dwarf_diename(die, &n, &de);

	*name = NULL;
	if (rc == DW_DLV_NO_ENTRY)
		return 0;
	if (rc != DW_DLV_OK)
		return derr(c, de, "reading name", die);
	/* points into .debug_str / .debug_info, which live as long as we do */
	*name = n;
	return 0;
}

/* DW_AT_data_member_location: a constant, or DW_OP_plus_uconst N
 * (DWARF 2 style). */
static int member_location(struct ctx *c, Dwarf_Die die, uint64_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Error de = NULL;
	Dwarf_Half form = 0;
	int r = get_attr(c, die, DW_AT_data_member_location, &a), rc;

	*off = 0;
	if (r <= 0)
		return r;
	rc = dwarf_whatform(a, &form, &de);
	if (rc != DW_DLV_OK) {
		dwarf_dealloc_attribute(a);
		return derr(c, de, "reading member location", die);
	}
	if (form == DW_FORM_exprloc || form == DW_FORM_block1 || form == DW_FORM_block) {
		Dwarf_Unsigned len = 0;
		Dwarf_Ptr p = NULL;
		Dwarf_Block *blk = NULL;
		const uint8_t *b, *q;
		uint64_t v = 0;
		int lr;

		if (form == DW_FORM_exprloc) {
			rc = dwarf_formexprloc(a, &len, &p, &de);
		} else {
			rc = dwarf_formblock(a, &blk, &de);
			if (rc == DW_DLV_OK) {
				len = blk->bl_len;
				p = blk->bl_data;
			}
		}
		if (rc != DW_DLV_OK) {
			dwarf_dealloc_attribute(a);
			return derr(c, de, "reading member location", die);
		}
		b = p;
		if (len < 2 || b[0] != DW_OP_plus_uconst) {
			if (blk)
				dwarf_dealloc(c->dbg, blk, DW_DLA_BLOCK);
			dwarf_dealloc_attribute(a);
			return vm_fail(c->e, VM_EUNSUP, "%s: member location expression at .debug_info %#llx is not DW_OP_plus_uconst",
				       vm_elffile_path(vm_dwfile_elf(c->f)),
				       (unsigned long long)die_off(c, die));
		}
		q = b + 1;
		lr = vm_uleb128(&q, b + len, &v);
		if (blk)
			dwarf_dealloc(c->dbg, blk, DW_DLA_BLOCK);
		dwarf_dealloc_attribute(a);
		if (lr != 0)
			return vm_fail(c->e, VM_EFORMAT, "%s: member location at .debug_info %#llx: DW_OP_plus_uconst operand %s",
				       vm_elffile_path(vm_dwfile_elf(c->f)),
				       (unsigned long long)die_off(c, die),
				       lr < 0 ? "truncated" : "wider than 64 bits");
		*off = v;
		return 1;
	}
	dwarf_dealloc_attribute(a);
	return attr_udata(c, die, DW_AT_data_member_location, off);
}

/* Iterate children: calls fn(c, child, arg) for each; stops on < 0. */
static int children(struct ctx *c, Dwarf_Die die,
		    int (*fn)(struct ctx *, Dwarf_Die, Dwarf_Half, void *), void *arg)
{
	Dwarf_Error de = NULL;
	Dwarf_Die ch = NULL, next;
	unsigned n = 0;
	int rc = dwarf_child(die, &ch, &de);

	if (rc == DW_DLV_NO_ENTRY)
		return 0;
	if (rc != DW_DLV_OK)
		return derr(c, de, "reading children", die);
	while (ch) {
		Dwarf_Half tag = 0;

		if (++n > MAX_CHILDREN) {
			dwarf_dealloc_die(ch);
			return vm_fail(c->e, VM_EFORMAT, "%s: more than %d children at .debug_info %#llx",
				       vm_elffile_path(vm_dwfile_elf(c->f)), MAX_CHILDREN,
				       (unsigned long long)die_off(c, die));
		}
		if (dwarf_tag(ch, &tag, &de) != DW_DLV_OK) {
			derr(c, de, "reading tag", ch);
			dwarf_dealloc_die(ch);
			return -1;
		}
		if (fn(c, ch, tag, arg) < 0) {
			dwarf_dealloc_die(ch);
			return -1;
		}
		next = NULL;
		rc = dwarf_siblingof_b(c->dbg, ch, 1, &next, &de);
		dwarf_dealloc_die(ch);
		if (rc == DW_DLV_NO_ENTRY)
			break;
		if (rc != DW_DLV_OK)
			return derr(c, de, "reading sibling", die);
		ch = next;
	}
	return 0;
}

/* ---- struct / union ---- */

struct members {
	struct vm_member *m;
	unsigned n, cap;
	uint64_t byte_size;
};

static int grow(struct ctx *c, void **arr, unsigned *cap, size_t elem)
{
	unsigned nc = *cap ? 2 * *cap : 16;
	void *np = vm_types_alloc(c->s->ts, (size_t)nc * elem, c->e);

	if (!np)
		return -1;
	if (*arr)
		memcpy(np, *arr, (size_t)*cap * elem);
	*arr = np;
	*cap = nc;
	return 0;
}

static int on_member(struct ctx *c, Dwarf_Die die, Dwarf_Half tag, void *arg)
{
	struct members *ms = arg;
	struct vm_member *m;
	uint64_t off = 0, bits = 0, bitoff = 0, bsize = 0;
	int r;

	if (tag != DW_TAG_member)
		return 0;
	if (ms->n == ms->cap && grow(c, (void **)&ms->m, &ms->cap, sizeof(*ms->m)) < 0)
		return -1;
	m = &ms->m[ms->n];
	memset(m, 0, sizeof(*m));
	m->src = c->s->index;
	if (die_name(c, die, &m->name) < 0 || attr_ref(c, die, DW_AT_type, &m->type_ref) < 0)
		return -1;
	if (attr_udata(c, die, DW_AT_bit_size, &bits) < 0)
		return -1;
	/* DWARF 4+: DW_AT_data_bit_offset from the start of the struct */
	r = attr_udata(c, die, DW_AT_data_bit_offset, &bitoff);
	if (r < 0)
		return -1;
	if (r > 0) {
		m->bit_offset = bitoff;
	} else {
		if (member_location(c, die, &off) < 0)
			return -1;
		m->bit_offset = off * 8;
		if (bits) {
			/* DWARF 2/3: DW_AT_bit_offset counts from the most
			 * significant bit of a DW_AT_byte_size storage unit */
			uint64_t old = 0;

			r = attr_udata(c, die, DW_AT_bit_offset, &old);
			if (r < 0 || attr_udata(c, die, DW_AT_byte_size, &bsize) < 0)
				return -1;
			if (r > 0) {
				if (!bsize)
					bsize = (bits + old + 7) / 8;
				if (vm_elffile_le(vm_dwfile_elf(c->f))) {
					if (old + bits > bsize * 8)
						return vm_fail(c->e, VM_EFORMAT, "%s: bad bit field at .debug_info %#llx",
							       vm_elffile_path(vm_dwfile_elf(c->f)),
							       (unsigned long long)die_off(c, die));
					m->bit_offset += bsize * 8 - old - bits;
				} else {
					m->bit_offset += old;
				}
			}
		}
	}
	if (bits > UINT32_MAX)
		return vm_fail(c->e, VM_EFORMAT, "%s: bit field of %llu bits at .debug_info %#llx",
			       vm_elffile_path(vm_dwfile_elf(c->f)), (unsigned long long)bits,
			       (unsigned long long)die_off(c, die));
	m->bit_size = (uint32_t)bits;
	ms->n++;
	return 0;
}

/* ---- enum ---- */

struct enums {
	struct vm_enumerator *v;
	unsigned n, cap;
	bool sign_extend;
	unsigned width;
};

static int on_enumerator(struct ctx *c, Dwarf_Die die, Dwarf_Half tag, void *arg)
{
	struct enums *es = arg;
	struct vm_enumerator *x;
	uint64_t v = 0;
	bool is_signed = false;
	unsigned width = 8;

	if (tag != DW_TAG_enumerator)
		return 0;
	if (es->n == es->cap && grow(c, (void **)&es->v, &es->cap, sizeof(*es->v)) < 0)
		return -1;
	x = &es->v[es->n];
	if (die_name(c, die, &x->name) < 0)
		return -1;
	if (!x->name)
		x->name = "";
	if (attr_const(c, die, DW_AT_const_value, &v, &is_signed, &width) < 0)
		return -1;
	/* data1/2/4 hold the value in the enum's width: sign-extend when
	 * the enum is signed */
	if (!is_signed && es->sign_extend && width < 8 &&
	    (v >> (8 * width - 1)) & 1)
		v |= ~(uint64_t)0 << (8 * width);
	x->value = (int64_t)v;
	es->n++;
	return 0;
}

/* ---- arrays ---- */

struct dims {
	uint64_t n[MAX_DIMS];
	bool flex[MAX_DIMS];
	unsigned nd;
};

static int on_subrange(struct ctx *c, Dwarf_Die die, Dwarf_Half tag, void *arg)
{
	struct dims *d = arg;
	uint64_t v = 0, lo = 0;
	int r;

	if (tag != DW_TAG_subrange_type && tag != DW_TAG_enumeration_type)
		return 0;
	if (d->nd == MAX_DIMS)
		return vm_fail(c->e, VM_EUNSUP, "%s: array of more than %d dimensions",
			       vm_elffile_path(vm_dwfile_elf(c->f)), MAX_DIMS);
	d->flex[d->nd] = false;
	r = attr_udata(c, die, DW_AT_count, &v);
	if (r < 0)
		return -1;
	if (r == 0) {
		bool s = false;

		r = attr_const(c, die, DW_AT_upper_bound, &v, &s, NULL);
		if (r < 0 || attr_udata(c, die, DW_AT_lower_bound, &lo) < 0)
			return -1;
		/* no bound, or upper bound -1: a flexible array "[]" */
		if (r == 0 || (s && (int64_t)v < 0) || v == UINT64_MAX || v < lo) {
			d->flex[d->nd] = true;
			v = 0;
		} else {
			v = v - lo + 1;
		}
	}
	d->n[d->nd++] = v;
	return 0;
}

/* ---- functions ---- */

struct params {
	struct vm_param *p;
	unsigned n, cap;
	bool varargs;
};

static int on_param(struct ctx *c, Dwarf_Die die, Dwarf_Half tag, void *arg)
{
	struct params *ps = arg;
	struct vm_param *p;

	if (tag == DW_TAG_unspecified_parameters) {
		ps->varargs = true;
		return 0;
	}
	if (tag != DW_TAG_formal_parameter)
		return 0;
	if (ps->n == ps->cap && grow(c, (void **)&ps->p, &ps->cap, sizeof(*ps->p)) < 0)
		return -1;
	p = &ps->p[ps->n];
	memset(p, 0, sizeof(*p));
	p->src = c->s->index;
	if (die_name(c, die, &p->name) < 0 || attr_ref(c, die, DW_AT_type, &p->type_ref) < 0)
		return -1;
	ps->n++;
	return 0;
}

static int decode_die(struct ctx *c, Dwarf_Die die, Dwarf_Half tag,
		      struct vm_type *t)
{
	uint64_t v = 0;
	bool decl = false;
	int r;

	if (die_name(c, die, &t->name) < 0)
		return -1;
	switch (tag) {
	case DW_TAG_base_type:
		t->name = vm_types_base_canon(t->name);
		if (attr_udata(c, die, DW_AT_byte_size, &t->size) < 0 ||
		    attr_udata(c, die, DW_AT_encoding, &v) < 0)
			return -1;
		switch (v) {
		case DW_ATE_float: case DW_ATE_complex_float:
		case DW_ATE_imaginary_float: case DW_ATE_decimal_float:
			t->kind = VM_TYPE_FLOAT;
			break;
		case DW_ATE_boolean:
			t->kind = VM_TYPE_INT;
			t->flags |= VM_TF_BOOL;
			break;
		case DW_ATE_signed_char:
			t->flags |= VM_TF_CHAR | VM_TF_SIGNED;
			t->kind = VM_TYPE_INT;
			break;
		case DW_ATE_unsigned_char: case DW_ATE_UTF:
			t->flags |= VM_TF_CHAR;
			t->kind = VM_TYPE_INT;
			break;
		case DW_ATE_signed: case DW_ATE_signed_fixed:
			t->flags |= VM_TF_SIGNED;
			/* fall through */
		default:
			t->kind = VM_TYPE_INT;
		}
		return 0;
	case DW_TAG_unspecified_type:
		t->kind = VM_TYPE_VOID;
		return 0;
	case DW_TAG_pointer_type: case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		t->kind = VM_TYPE_PTR;
		if (attr_udata(c, die, DW_AT_byte_size, &t->size) < 0)
			return -1;
		if (!t->size)
			t->size = vm_elffile_is64(vm_dwfile_elf(c->f)) ? 8 : 4;
		return attr_ref(c, die, DW_AT_type, &t->target_ref) < 0 ? -1 : 0;
	case DW_TAG_typedef:
		t->kind = VM_TYPE_TYPEDEF;
		return attr_ref(c, die, DW_AT_type, &t->target_ref) < 0 ? -1 : 0;
	case DW_TAG_const_type:
		t->kind = VM_TYPE_CONST;
		return attr_ref(c, die, DW_AT_type, &t->target_ref) < 0 ? -1 : 0;
	case DW_TAG_volatile_type:
		t->kind = VM_TYPE_VOLATILE;
		return attr_ref(c, die, DW_AT_type, &t->target_ref) < 0 ? -1 : 0;
	case DW_TAG_restrict_type:
		t->kind = VM_TYPE_RESTRICT;
		return attr_ref(c, die, DW_AT_type, &t->target_ref) < 0 ? -1 : 0;
	case DW_TAG_structure_type: case DW_TAG_class_type: case DW_TAG_union_type: {
		struct members ms = { 0 };

		t->kind = tag == DW_TAG_union_type ? VM_TYPE_UNION : VM_TYPE_STRUCT;
		if (attr_flag(c, die, DW_AT_declaration, &decl) < 0 ||
		    attr_udata(c, die, DW_AT_byte_size, &t->size) < 0)
			return -1;
		if (decl)
			t->flags |= VM_TF_DECL;
		if (children(c, die, on_member, &ms) < 0)
			return -1;
		t->members = ms.m;
		t->nmembers = ms.n;
		return 0;
	}
	case DW_TAG_enumeration_type: {
		struct enums es = { 0 };
		const struct vm_type *under = NULL;

		t->kind = VM_TYPE_ENUM;
		if (attr_flag(c, die, DW_AT_declaration, &decl) < 0 ||
		    attr_udata(c, die, DW_AT_byte_size, &t->size) < 0 ||
		    attr_ref(c, die, DW_AT_type, &t->target_ref) < 0)
			return -1;
		if (decl)
			t->flags |= VM_TF_DECL;
		if (t->target_ref) {
			under = vm_types_get(c->s->ts, c->s->index, t->target_ref, c->e);
			if (!under)
				return -1;
			under = vm_type_strip(c->s->ts, under, c->e);
			if (under && (under->flags & VM_TF_SIGNED))
				t->flags |= VM_TF_SIGNED;
		}
		es.sign_extend = t->flags & VM_TF_SIGNED;
		if (children(c, die, on_enumerator, &es) < 0)
			return -1;
		t->enums = es.v;
		t->nenums = es.n;
		/* GCC before DWARF 3 gives no underlying type: negative
		 * enumerators make it signed */
		if (!t->target_ref)
			for (unsigned i = 0; i < es.n; i++)
				if (es.v[i].value < 0)
					t->flags |= VM_TF_SIGNED;
		return 0;
	}
	case DW_TAG_array_type: {
		struct dims d = { .nd = 0 };
		struct vm_type *inner = t;
		uint64_t elem = 0;
		unsigned i;

		if (attr_ref(c, die, DW_AT_type, &elem) < 0 ||
		    children(c, die, on_subrange, &d) < 0)
			return -1;
		if (d.nd == 0) {
			d.nd = 1;
			d.flex[0] = true;
			d.n[0] = 0;
		}
		/* int a[2][3]: array[2] of array[3] of int; the inner
		 * dimensions are nodes without a DIE of their own */
		t->kind = VM_TYPE_ARRAY;
		for (i = 0; i < d.nd; i++) {
			inner->kind = VM_TYPE_ARRAY;
			inner->nelems = d.n[i];
			if (d.flex[i])
				inner->flags |= VM_TF_FLEX;
			if (i + 1 < d.nd) {
				struct vm_type *next = vm_types_alloc(c->s->ts, sizeof(*next), c->e);

				if (!next)
					return -1;
				next->src = c->s->index;
				next->id = t->id;
				inner->target_ref = 0;
				inner->target_cache = next;
				inner = next;
			} else {
				inner->target_ref = elem;
			}
		}
		return 0;
	}
	case DW_TAG_subroutine_type: case DW_TAG_subprogram: {
		struct params ps = { 0 };
		bool proto = false;

		t->kind = VM_TYPE_FUNC;
		if (attr_ref(c, die, DW_AT_type, &t->target_ref) < 0 ||
		    attr_flag(c, die, DW_AT_prototyped, &proto) < 0 ||
		    children(c, die, on_param, &ps) < 0)
			return -1;
		if (proto)
			t->flags |= VM_TF_PROTO;
		if (ps.varargs)
			t->flags |= VM_TF_VARARGS;
		t->params = ps.p;
		t->nparams = ps.n;
		if (tag == DW_TAG_subprogram)
			t->name = NULL;   /* the type of a function is unnamed */
		return 0;
	}
	}
	r = vm_fail(c->e, VM_EUNSUP, "%s: DWARF tag %#x at .debug_info %#llx is not a type",
		    vm_elffile_path(vm_dwfile_elf(c->f)), tag,
		    (unsigned long long)die_off(c, die));
	return r;
}

static struct vm_type *dw_decode(struct vm_tsrc *s, uint64_t id, struct vm_err *e)
{
	struct dwsrc *ds = s->priv;
	struct ctx c = { .s = s, .f = ds->f, .e = e };
	Dwarf_Error de = NULL;
	Dwarf_Die die;
	Dwarf_Half tag = 0;
	struct vm_type *t;
	int rc;

	die = vm_dwfile_die(ds->f, id, false, &c.base, e);
	if (!die)
		return NULL;
	c.dbg = vm_dwfile_view(ds->f, id, false, &c.base, e);
	if (dwarf_tag(die, &tag, &de) != DW_DLV_OK) {
		derr(&c, de, "reading tag", die);
		dwarf_dealloc_die(die);
		return NULL;
	}
	/* _Atomic T and variables stand for their type */
	if (tag == DW_TAG_atomic_type || tag == DW_TAG_variable ||
	    tag == DW_TAG_formal_parameter || tag == DW_TAG_member) {
		uint64_t ref = 0;

		rc = attr_ref(&c, die, DW_AT_type, &ref);
		dwarf_dealloc_die(die);
		if (rc < 0)
			return NULL;
		return vm_types_get(s->ts, s->index, ref, e);
	}
	t = vm_types_alloc(s->ts, sizeof(*t), e);
	if (!t) {
		dwarf_dealloc_die(die);
		return NULL;
	}
	t->src = s->index;
	t->id = id;
	rc = decode_die(&c, die, tag, t);
	dwarf_dealloc_die(die);
	return rc < 0 ? NULL : t;
}

/* A variable's type: its own DW_AT_type, or that of the declaration its
 * DW_AT_specification points to. */
static int var_type(struct vm_tsrc *s, uint64_t die_off_, uint64_t *id,
		    struct vm_err *e)
{
	struct dwsrc *ds = s->priv;
	struct ctx c = { .s = s, .f = ds->f, .e = e };
	uint64_t ref = 0, spec = 0;
	Dwarf_Die die;
	int rc, hops;

	for (hops = 0; hops < 4; hops++) {
		die = vm_dwfile_die(ds->f, die_off_, false, &c.base, e);
		if (!die)
			return -1;
		c.dbg = vm_dwfile_view(ds->f, die_off_, false, &c.base, e);
		rc = attr_ref(&c, die, DW_AT_type, &ref);
		if (rc == 0)
			rc = attr_ref(&c, die, DW_AT_specification, &spec);
		dwarf_dealloc_die(die);
		if (rc < 0)
			return -1;
		if (ref) {
			*id = ref;
			return 1;
		}
		if (!spec)
			break;
		die_off_ = spec;
		spec = 0;
	}
	return vm_fail(e, VM_EFORMAT, "%s: variable at .debug_info %#llx has no type",
		       vm_elffile_path(vm_dwfile_elf(ds->f)), (unsigned long long)die_off_);
}

static int dw_find(struct vm_tsrc *s, const char *name, enum vm_tkind k,
		   uint64_t *id, struct vm_err *e)
{
	struct dwsrc *ds = s->priv;
	uint64_t die;

	if (!vm_dwidx_lookup(vm_dwfile_index(ds->f), name, k, &die))
		return 0;
	if (k == VM_TK_VAR)
		return var_type(s, die, id, e);
	*id = die;
	return 1;
}

static void dw_free(struct vm_tsrc *s)
{
	struct dwsrc *ds = s->priv;

	if (ds) {
		vm_dwfile_close(ds->f);
		free(ds);
	}
	s->priv = NULL;
}

static const struct vm_tsrc_ops dw_ops = {
	.find = dw_find,
	.decode = dw_decode,
	.free = dw_free,
};

/* A source over the file path names or, when elf is given, over that
 * ELF image (taken, even on failure). */
static int src_open(struct vm_types *ts, const char *path, struct vm_elffile *elf,
		    struct vm_tsrc **out, struct vm_err *e)
{
	struct vm_tsrc *s;
	struct dwsrc *ds;
	bool cache = !vm_opt_has(ts->opts, "nocache");

	s = vm_calloc(1, sizeof(*s), e);
	ds = vm_calloc(1, sizeof(*ds), e);
	if (!s || !ds) {
		free(s);
		free(ds);
		vm_elffile_close(elf);
		return -1;
	}
	ds->f = elf ? vm_dwfile_open_elf(elf, cache, e) : vm_dwfile_open(path, cache, e);
	if (!ds->f) {
		free(s);
		free(ds);
		return -1;
	}
	s->ops = &dw_ops;
	s->priv = ds;
	s->kind = VM_TSRC_DWARF;
	snprintf(s->desc, sizeof(s->desc), "DWARF of %s (%s)", path,
		 vm_dwfile_how(ds->f));
	*out = s;
	return 0;
}

int vm_dwarf_src_open(struct vm_types *ts, const char *path,
		      struct vm_tsrc **out, struct vm_err *e)
{
	return src_open(ts, path, NULL, out, e);
}

int vm_dwarf_src_open_elf(struct vm_types *ts, struct vm_elffile *elf,
			  struct vm_tsrc **out, struct vm_err *e)
{
	return src_open(ts, vm_elffile_path(elf), elf, out, e);
}
