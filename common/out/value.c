// SPDX-License-Identifier: GPL-2.0-or-later
#include "value.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../caps.h"
#include "../kernel/debuginfo.h"
#include "../rd.h"
#include "format.h"

static int value(struct vm_json *j, struct vm_types *ts, const struct vm_type *t,
		 const uint8_t *buf, size_t len, uint64_t bitoff, uint32_t bitsize,
		 int depth, struct vm_err *e);

static int members(struct vm_json *j, struct vm_types *ts, const struct vm_type *s,
		   const uint8_t *buf, size_t len, uint64_t bitoff, int depth,
		   struct vm_err *e)
{
	unsigned i;

	for (i = 0; i < s->nmembers; i++) {
		const struct vm_member *m = &s->members[i];
		const struct vm_type *mt = vm_member_type(ts, m, e), *ms;

		if (!mt || !(ms = vm_type_strip(ts, mt, e)))
			return -1;
		if (!m->name) {
			/* anonymous members merge into the enclosing object */
			if ((ms->kind == VM_TYPE_STRUCT || ms->kind == VM_TYPE_UNION) &&
			    members(j, ts, vm_type_complete(ts, ms), buf, len,
				    bitoff + m->bit_offset, depth + 1, e) < 0)
				return -1;
			continue;
		}
		vm_json_key(j, m->name);
		if (value(j, ts, mt, buf, len, bitoff + m->bit_offset, m->bit_size,
			  depth + 1, e) < 0)
			return -1;
	}
	return 0;
}

static int integer(struct vm_json *j, struct vm_types *ts, const struct vm_type *s,
		   const uint8_t *buf, size_t len, uint64_t bitoff, uint32_t bitsize,
		   struct vm_err *e)
{
	uint64_t v, hi, lo;
	bool sgn = s->flags & VM_TF_SIGNED;
	const char *name;

	if (s->kind == VM_TYPE_INT && s->size == 16 && !bitsize) {
		char num[48];

		if (vm_value_int128(ts, s, buf, len, bitoff, &hi, &lo, e) < 0)
			return -1;
		vm_int128_format(hi, lo, sgn, false, num, sizeof(num));
		vm_json_str(j, num);       /* a decimal string, as every 64+ bit integer */
		return 0;
	}
	if (vm_value_scalar(ts, s, buf, len, bitoff, bitsize, &v, e) < 0)
		return -1;
	if (s->kind == VM_TYPE_PTR) {
		vm_json_hex(j, v);
		return 0;
	}
	if (s->kind == VM_TYPE_ENUM && (name = vm_enum_name(s, (int64_t)v))) {
		vm_json_str(j, name);
		return 0;
	}
	if (s->flags & VM_TF_BOOL) {
		vm_json_bool(j, v != 0);
		return 0;
	}
	/* the type decides, not the value: a u64 is a string even when it
	 * holds 5, so a field's JSON type is the same in every dump */
	if (bitsize ? bitsize > 53 : s->size >= 8) {
		if (sgn)
			vm_json_dec_i64(j, (int64_t)v);
		else
			vm_json_dec_u64(j, v);
	} else if (sgn) {
		vm_json_i64(j, (int64_t)v);
	} else {
		vm_json_u64(j, v);
	}
	return 0;
}

static int value(struct vm_json *j, struct vm_types *ts, const struct vm_type *t,
		 const uint8_t *buf, size_t len, uint64_t bitoff, uint32_t bitsize,
		 int depth, struct vm_err *e)
{
	const struct vm_type *s = vm_type_strip(ts, t, e);
	uint64_t esz, i;

	if (!s)
		return -1;
	if (depth > VM_NEST_MAX)
		return vm_fail(e, VM_EFORMAT, "values nest deeper than %d", VM_NEST_MAX);
	s = vm_type_complete(ts, s);
	switch (s->kind) {
	case VM_TYPE_INT: case VM_TYPE_ENUM: case VM_TYPE_PTR:
		return integer(j, ts, s, buf, len, bitoff, bitsize, e);
	case VM_TYPE_ARRAY: {
		const struct vm_type *el = vm_type_target(ts, s, e), *els;

		if (!el || vm_type_size(ts, el, &esz, e) < 0 ||
		    !(els = vm_type_strip(ts, el, e)))
			return -1;
		if (bitoff % 8 || bitoff / 8 > len ||
		    (esz && s->nelems > (len - bitoff / 8) / esz))
			return vm_fail(e, VM_EINVAL, "array outside the value");
		if (els->kind == VM_TYPE_INT && (els->flags & VM_TF_CHAR) && esz == 1) {
			const char *p = (const char *)buf + bitoff / 8;

			vm_json_strn(j, p, strnlen(p, (size_t)s->nelems));
			return 0;
		}
		vm_json_arr_begin(j);
		for (i = 0; i < s->nelems; i++)
			if (value(j, ts, el, buf, len, bitoff + i * esz * 8, 0, depth + 1, e) < 0)
				return -1;
		vm_json_arr_end(j);
		return 0;
	}
	case VM_TYPE_STRUCT: case VM_TYPE_UNION:
		if (!(s->flags & VM_TF_DECL) &&
		    (bitoff % 8 || bitoff / 8 > len || s->size > len - bitoff / 8))
			return vm_fail(e, VM_EINVAL, "member outside the value");
		vm_json_obj_begin(j);
		if (!(s->flags & VM_TF_DECL) &&
		    members(j, ts, s, buf, len, bitoff, depth, e) < 0)
			return -1;
		vm_json_obj_end(j);
		return 0;
	case VM_TYPE_FLOAT:
		/* the dump's kernels (x86_64, arm64) are little-endian */
		if (s->size == 8 && bitoff % 8 == 0 && bitoff / 8 + 8 <= len) {
			vm_json_double(j, vm_rdf64(buf + bitoff / 8, true));
		} else if (s->size == 4 && bitoff % 8 == 0 && bitoff / 8 + 4 <= len) {
			vm_json_double(j, vm_rdf32(buf + bitoff / 8, true));
		} else {
			vm_json_null(j);
		}
		return 0;
	default:
		vm_json_null(j);
		return 0;
	}
}

int vm_out_value_json(struct vm_json *j, struct vm_types *ts, const struct vm_type *t,
		      const void *buf, size_t len, uint64_t bitoff, uint32_t bitsize,
		      struct vm_err *e)
{
	if (value(j, ts, t, buf, len, bitoff, bitsize, 0, e) < 0)
		return -1;
	/* the writer refuses what it cannot hold; say so as an error */
	if (vm_json_failed(j))
		return vm_fail(e, VM_EFORMAT, "%s", vm_json_why(j));
	return 0;
}

/* ---- layouts ---- */

/* {"name", "offset", "size", "type"[, "bit_offset", "bit_size"]} */
static int flat_json(void *ctx, const struct vm_flat_member *m, struct vm_err *e)
{
	struct vm_json *j = ctx;

	vm_json_begin(j);
	vm_json_kstr(j, "name", m->name);
	vm_json_ku64(j, "offset", m->bit_offset / 8);
	vm_json_ku64(j, "size", m->size);
	vm_json_kstr(j, "type", m->type);
	if (m->bit_size) {
		vm_json_ku64(j, "bit_offset", m->bit_offset);
		vm_json_ku64(j, "bit_size", m->bit_size);
	}
	if (vm_json_end(j) < 0)
		return vm_fail(e, VM_EFORMAT, "%s: %s", m->name, vm_json_why(j));
	return 0;
}

int vm_out_layout_json(struct vm_json *j, struct vm_types *ts, const struct vm_type *t,
		       struct vm_err *e)
{
	return vm_types_walk_flat(ts, t, flat_json, j, e);
}

int vm_out_layout(struct vm_types *ts, const struct vm_type *t, enum vm_layout how,
		  FILE *f, struct vm_json *j, struct vm_err *e)
{
	if (j)
		return vm_out_layout_json(j, ts, t, e);
	if (how == VM_LAYOUT_FLAT)
		return vm_types_print_flat(ts, f, t, e);
	return vm_types_print_def(ts, f, t, how == VM_LAYOUT_OFFSETS ? VM_TPRINT_OFFSETS : 0, e);
}

/* ---- values at an address ---- */

struct at {
	struct vm_out_valsrc src;
	struct vm_types *ts;
	unsigned vflags;          /* VM_VPRINT_* */
	FILE *f;
	struct vm_json *j;
};

static int read_cb(void *p, uint64_t addr, void *buf, size_t len, struct vm_err *e)
{
	struct vm_out_valsrc *x = p;

	return vm_kread(x->mem, addr, buf, len, e);
}

/* A pointer's <symbol+off>, as gdb and crash name it: kernel-half
 * addresses only (small values are not pointers into the kernel, and would
 * hit per-CPU symbols, which start at 0), inside the symbol, and not a
 * vmlinux linker marker (a size-0 symbol there: _sdata, __end_rodata). */
static int sym_cb(void *p, uint64_t addr, char *buf, size_t n)
{
	struct vm_out_valsrc *x = p;
	struct vm_err e;

	if (!(addr >> 63))
		return 0;
	if (!x->st_tried) {
		x->st_tried = true;
		x->st = vm_kernel_symtab(x->k, &e);
	}
	return vm_sym_format(x->st, addr, VM_SYMF_OFF | VM_SYMF_INSIDE | VM_SYMF_NO_MARKERS,
			     buf, n, NULL) != NULL;
}

struct vm_value_env vm_out_valsrc_env(struct vm_out_valsrc *s)
{
	struct vm_value_env env = { s, read_cb, sym_cb };

	return env;
}

static int print_members(struct at *x, const struct vm_type *t, uint64_t addr,
			 const uint8_t *buf, size_t len, char *const *members,
			 unsigned nmembers, const struct vm_value_env *env,
			 struct vm_err *e)
{
	unsigned i;

	if (x->j) {
		vm_json_key(x->j, "members");
		vm_json_obj_begin(x->j);
	}
	for (i = 0; i < nmembers; i++) {
		struct vm_member_loc loc;

		if (vm_type_member_path(x->ts, t, members[i], &loc, e) < 0)
			return -1;
		if (x->j) {
			vm_json_key(x->j, members[i]);
			if (vm_out_value_json(x->j, x->ts, loc.type, buf, len, loc.bit_offset,
					      loc.bit_size, e) < 0)
				return -1;
			continue;
		}
		fprintf(x->f, "  %s = ", members[i]);
		if (loc.bit_size || loc.bit_offset % 8) {
			uint64_t v;

			if (vm_value_scalar(x->ts, loc.type, buf, len, loc.bit_offset,
					    loc.bit_size, &v, e) < 0)
				return -1;
			fprintf(x->f, x->vflags & VM_VPRINT_HEX ? "0x%" PRIx64 : "%" PRIu64, v);
		} else {
			uint64_t off = loc.bit_offset / 8;

			if (vm_value_print(x->ts, x->f, loc.type, addr + off, buf + off,
					   len - off, env, x->vflags, 1, e) < 0)
				return -1;
		}
		fputs(",\n", x->f);
	}
	if (x->j)
		vm_json_obj_end(x->j);
	return 0;
}

/* {"error": MSG, "type": T, "address": A} */
static void json_error(struct at *x, const char *tname, uint64_t a, const char *msg)
{
	vm_json_discard(x->j);
	vm_json_error_begin(x->j, msg);
	vm_json_kstr(x->j, "type", tname);
	vm_json_khex(x->j, "address", a);
	vm_json_end(x->j);
}

static int one_value(struct at *x, const struct vm_type *t, const char *tname, uint64_t a,
		     const uint8_t *buf, size_t size, char *const *members,
		     unsigned nmembers, const struct vm_value_env *env, bool first,
		     struct vm_err *e)
{
	int rc;

	if (!x->j) {
		if (!first)
			fputc('\n', x->f);
		if (nmembers)
			return print_members(x, t, a, buf, size, members, nmembers, env, e);
		fprintf(x->f, "%s ", tname);
		rc = vm_value_print(x->ts, x->f, t, a, buf, size, env, x->vflags, 0, e);
		fputc('\n', x->f);
		return rc;
	}
	vm_json_begin(x->j);
	vm_json_kstr(x->j, "type", tname);
	vm_json_khex(x->j, "address", a);
	if (nmembers) {
		rc = print_members(x, t, a, buf, size, members, nmembers, env, e);
	} else {
		vm_json_key(x->j, "value");
		rc = vm_out_value_json(x->j, x->ts, t, buf, size, 0, 0, e);
	}
	if (rc == 0 && vm_json_end(x->j) == 0)
		return 0;
	if (rc == 0)
		vm_fail(e, VM_EFORMAT, "%s", vm_json_why(x->j));
	return -1;
}

int vm_out_values(struct vm_kernel *k, struct vm_types *ts, const struct vm_type *t,
		  uint64_t addr, uint64_t count, char *const *members, unsigned nmembers,
		  unsigned flags, FILE *f, struct vm_json *j, struct vm_err *e)
{
	struct at x = { .src.k = k, .ts = ts, .f = f, .j = j };
	struct vm_value_env env = vm_out_valsrc_env(&x.src);
	char tname[1024];
	uint64_t size, i;
	uint8_t *buf = NULL;
	int rc = -1;

	x.vflags = ((flags & VM_VALUE_HEX) ? VM_VPRINT_HEX : 0) |
		   ((flags & VM_VALUE_DEC) ? VM_VPRINT_DEC : 0);
	if (vm_type_name(ts, t, NULL, tname, sizeof(tname), e) < 0)
		return -1;
	if (vm_type_size(ts, t, &size, e) < 0)
		goto out;
	if (size == 0) {
		vm_fail(e, VM_EINVAL, "%s has no size", tname);
		goto out;
	}
	/* the size is the type's word, from the dump (BTF) or a file: a
	 * corrupt one must not become a huge allocation and read */
	if (size > VM_VALUE_SIZE_MAX) {
		vm_fail(e, VM_ECORRUPT, "%s is %" PRIu64 " bytes by its type information; "
			"no kernel object that large is printed (at most %" PRIu64 " bytes)",
			tname, size, (uint64_t)VM_VALUE_SIZE_MAX);
		goto out;
	}
	x.src.mem = vm_kernel_mem(k, e);
	buf = x.src.mem ? vm_malloc((size_t)size, e) : NULL;
	if (!buf)
		goto out;
	for (i = 0; i < count; i++) {
		addr = addr + (i ? size : 0);
		if (vm_kread(x.src.mem, addr, buf, (size_t)size, e) < 0 ||
		    one_value(&x, t, tname, addr, buf, (size_t)size, members, nmembers,
			      &env, i == 0, e) < 0)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0 && j)
		json_error(&x, tname, addr, e->msg);
	free(buf);
	return rc;
}
