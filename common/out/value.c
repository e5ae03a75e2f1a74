// SPDX-License-Identifier: GPL-2.0-or-later
#include "value.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../caps.h"
#include "../rd.h"

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
		if (vm_value_int128(ts, s, buf, len, bitoff, &hi, &lo, e) < 0)
			return -1;
		vm_json_dec_128(j, hi, lo, sgn);
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

static int layout(struct vm_json *j, struct vm_types *ts, const struct vm_type *t,
		  const char *prefix, uint64_t base, int depth, struct vm_err *e)
{
	const struct vm_type *s = vm_type_strip(ts, t, e);
	unsigned i;

	if (!s)
		return -1;
	s = vm_type_complete(ts, s);
	if (depth > VM_NEST_MAX)
		return vm_fail(e, VM_EFORMAT, "members nest deeper than %d", VM_NEST_MAX);
	for (i = 0; i < s->nmembers; i++) {
		const struct vm_member *m = &s->members[i];
		const struct vm_type *mt = vm_member_type(ts, m, e), *ms;
		char name[1024], tname[1024];
		uint64_t size = 0, bits = base + m->bit_offset;

		if (!mt || !(ms = vm_type_strip(ts, mt, e)))
			return -1;
		ms = vm_type_complete(ts, ms);
		if (!m->name) {
			if ((ms->kind == VM_TYPE_STRUCT || ms->kind == VM_TYPE_UNION) &&
			    layout(j, ts, ms, prefix, bits, depth + 1, e) < 0)
				return -1;
			continue;
		}
		snprintf(name, sizeof(name), "%s%s", prefix, m->name);
		if (vm_type_name(ts, mt, NULL, tname, sizeof(tname), e) < 0)
			return -1;
		if (vm_type_size(ts, mt, &size, e) < 0)
			size = 0;
		vm_json_begin(j);
		vm_json_kstr(j, "name", name);
		vm_json_ku64(j, "offset", bits / 8);
		vm_json_ku64(j, "size", size);
		vm_json_kstr(j, "type", tname);
		if (m->bit_size) {
			vm_json_ku64(j, "bit_offset", bits);
			vm_json_ku64(j, "bit_size", m->bit_size);
		}
		if (vm_json_end(j) < 0)
			return vm_fail(e, VM_EFORMAT, "%s: %s", name, vm_json_why(j));
		if (ms->kind == VM_TYPE_STRUCT || ms->kind == VM_TYPE_UNION) {
			char sub[1100];

			snprintf(sub, sizeof(sub), "%s.", name);
			if (layout(j, ts, ms, sub, bits, depth + 1, e) < 0)
				return -1;
		}
	}
	return 0;
}

int vm_out_layout_json(struct vm_json *j, struct vm_types *ts, const struct vm_type *t,
		       struct vm_err *e)
{
	return layout(j, ts, t, "", 0, 0, e);
}
