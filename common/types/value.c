// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Values printed the way crash prints "struct TYPE ADDRESS" (gdb's pretty
 * print with crash's settings: no repeat compression, no element limit):
 *
 *   {
 *     magic = 3237998146,
 *     name = "fixture-state\000\000",     char arrays as strings, the last
 *                                         NUL dropped, others as \ooo
 *     flags = 165 '\245',                 char types with their character
 *     selfp = 0xffff... <crashmod_state>, pointers with their symbol
 *     label = 0x... <.LC4+40> "text",     char pointers with their string
 *     pid_links = {{                      arrays of structs
 *         next = 0x0,
 *       }, {
 *       ...}},
 *     {                                   an anonymous struct/union member
 *       ...
 *     },
 *     type = TT_NONE,                     enums by name
 *   }
 *
 * -x prints integers in hex (masked to their width); strings, characters
 * and enum names stay.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../caps.h"
#include "types_impl.h"
#include "../rd.h"

#define MAX_NEST VM_NEST_MAX
/* crash runs gdb with "print elements" 256 and no repeat compression: an
 * array shows its first 256 elements and "..."; in a string a run of equal
 * characters counts whole, so a page of zeros still prints in full */
#define PRINT_ELEMENTS 256
/* how far a char pointer's string is read */
#define MAX_STRING 4096

struct pctx {
	struct vm_types *ts;
	FILE *f;
	const struct vm_value_env *env;
	unsigned flags;
	struct vm_err *e;
};

static void indent(FILE *f, int level)
{
	fprintf(f, "%*s", 2 * level, "");
}

static uint64_t get_bits(const uint8_t *buf, uint64_t bitoff, uint32_t nbits)
{
	uint64_t v = 0;
	uint32_t i;

	/* little-endian bit numbering as DWARF 4+ and BTF give it */
	for (i = 0; i < nbits; i++) {
		uint64_t b = bitoff + i;

		if (buf[b / 8] >> (b % 8) & 1)
			v |= (uint64_t)1 << i;
	}
	return v;
}

int vm_value_scalar(struct vm_types *ts, const struct vm_type *t,
		    const void *buf, size_t len, uint64_t bit_offset,
		    uint32_t bit_size, uint64_t *val, struct vm_err *e)
{
	const struct vm_type *s = vm_type_strip(ts, t, e);
	uint64_t size;

	if (!s)
		return -1;
	if (s->kind != VM_TYPE_INT && s->kind != VM_TYPE_ENUM && s->kind != VM_TYPE_PTR)
		return vm_fail(e, VM_EINVAL, "not a scalar type");
	size = s->size;
	if (size == 0 || size > 8)
		return vm_fail(e, VM_EUNSUP, "scalar of %" PRIu64 " bytes", size);
	if (bit_size) {
		if (bit_size > 64 || (bit_offset + bit_size + 7) / 8 > len)
			return vm_fail(e, VM_EINVAL, "bit field outside the value");
		*val = get_bits(buf, bit_offset, bit_size);
		if ((s->flags & VM_TF_SIGNED) && bit_size < 64 &&
		    (*val >> (bit_size - 1) & 1))
			*val |= ~(uint64_t)0 << bit_size;
		return 0;
	}
	if (bit_offset % 8 || bit_offset / 8 + size > len)
		return vm_fail(e, VM_EINVAL, "scalar outside the value");
	/* the dump's kernels (x86_64, arm64) are little-endian */
	*val = vm_rdn((const uint8_t *)buf + bit_offset / 8, (unsigned)size, true);
	if ((s->flags & VM_TF_SIGNED) && size < 8 && (*val >> (8 * size - 1) & 1))
		*val |= ~(uint64_t)0 << (8 * size);
	return 0;
}

int vm_value_int128(struct vm_types *ts, const struct vm_type *t,
		    const void *buf, size_t len, uint64_t bit_offset,
		    uint64_t *hi, uint64_t *lo, struct vm_err *e)
{
	const struct vm_type *s = vm_type_strip(ts, t, e);
	const uint8_t *p;

	if (!s)
		return -1;
	if (s->kind != VM_TYPE_INT || s->size != 16)
		return vm_fail(e, VM_EINVAL, "not a 16-byte integer type");
	if (bit_offset % 8 || bit_offset / 8 > len || len - bit_offset / 8 < 16)
		return vm_fail(e, VM_EINVAL, "scalar outside the value");
	/* little-endian, as the dump's kernels (x86_64, arm64) store it */
	p = (const uint8_t *)buf + bit_offset / 8;
	*lo = vm_le64(p);
	*hi = vm_le64(p + 8);
	return 0;
}

void vm_int128_format(uint64_t hi, uint64_t lo, bool is_signed, bool hex,
		      char *buf, size_t len)
{
	unsigned __int128 v = (unsigned __int128)hi << 64 | lo;
	char b[48];
	size_t i = sizeof(b);
	bool neg = is_signed && (hi >> 63);

	if (hex) {
		if (hi)
			snprintf(buf, len, "0x%" PRIx64 "%016" PRIx64, hi, lo);
		else
			snprintf(buf, len, "0x%" PRIx64, lo);
		return;
	}
	if (neg)
		v = -v;
	b[--i] = '\0';
	do {
		b[--i] = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v);
	if (neg)
		b[--i] = '-';
	snprintf(buf, len, "%s", b + i);
}

/* gdb's character escapes */
static void put_char(FILE *f, unsigned char c, char quote)
{
	switch (c) {
	case '\n': fputs("\\n", f); return;
	case '\t': fputs("\\t", f); return;
	case '\r': fputs("\\r", f); return;
	case '\a': fputs("\\a", f); return;
	case '\b': fputs("\\b", f); return;
	case '\f': fputs("\\f", f); return;
	case '\v': fputs("\\v", f); return;
	case 033: fputs("\\033", f); return;
	}
	if (c == '\\' || c == (unsigned char)quote) {
		fputc('\\', f);
		fputc(c, f);
	} else if (c >= 0x20 && c < 0x7f) {
		fputc(c, f);
	} else {
		fprintf(f, "\\%03o", c);
	}
}

static void put_string(FILE *f, const uint8_t *s, size_t n)
{
	size_t i = 0, counted = 0;

	fputc('"', f);
	while (i < n && counted < PRINT_ELEMENTS) {
		size_t run = 1;

		while (i + run < n && s[i + run] == s[i])
			run++;
		for (size_t k = 0; k < run; k++)
			put_char(f, s[i], '"');
		i += run;
		counted += run;
	}
	fputc('"', f);
	if (i < n)
		fputs("...", f);
}

static bool is_char(const struct vm_type *s)
{
	return s->kind == VM_TYPE_INT && (s->flags & VM_TF_CHAR) && s->size == 1;
}

static void put_int(struct pctx *c, const struct vm_type *s, uint64_t v)
{
	if (s->flags & VM_TF_BOOL) {
		if (v == 0 || v == 1) {
			fputs(v ? "true" : "false", c->f);
			return;
		}
	}
	if (c->flags & VM_VPRINT_HEX) {
		uint64_t mask = s->size >= 8 ? UINT64_MAX : ((uint64_t)1 << (8 * s->size)) - 1;

		fprintf(c->f, "0x%" PRIx64, v & mask);
		return;
	}
	if (s->flags & VM_TF_SIGNED)
		fprintf(c->f, "%" PRId64, (int64_t)v);
	else
		fprintf(c->f, "%" PRIu64, v);
	if (is_char(s)) {
		fputs(" '", c->f);
		put_char(c->f, (unsigned char)v, '\'');
		fputc('\'', c->f);
	}
}

static void put_float(struct pctx *c, const struct vm_type *s, const uint8_t *p)
{
	if (s->size == 4)
		fprintf(c->f, "%.9g", (double)vm_rdf32(p, true));
	else if (s->size == 8)
		fprintf(c->f, "%.17g", vm_rdf64(p, true));
	else
		fprintf(c->f, "<%" PRIu64 "-byte float>", s->size);
}

/* Read a NUL-terminated string at addr, in pieces that stop at pages. */
static void put_target_string(struct pctx *c, uint64_t addr)
{
	uint8_t buf[MAX_STRING];
	size_t n = 0;
	struct vm_err e;

	if (!c->env || !c->env->read)
		return;
	while (n < sizeof(buf)) {
		size_t chunk = 4096 - (size_t)((addr + n) & 4095);
		uint8_t *z;

		if (chunk > sizeof(buf) - n)
			chunk = sizeof(buf) - n;
		if (c->env->read(c->env->ctx, addr + n, buf + n, chunk, &e) < 0) {
			if (n == 0) {
				fprintf(c->f, " <error: Cannot access memory at address 0x%" PRIx64 ">",
					addr);
				return;
			}
			break;
		}
		z = memchr(buf + n, 0, chunk);
		if (z) {
			n = (size_t)(z - buf);
			fputc(' ', c->f);
			put_string(c->f, buf, n);
			return;
		}
		n += chunk;
	}
	fputc(' ', c->f);
	put_string(c->f, buf, n);
	fputs("...", c->f);
}

static int pv(struct pctx *c, const struct vm_type *t, const uint8_t *buf,
	      size_t len, uint64_t bitoff, uint32_t bitsize, uint64_t addr,
	      int level);

static int members(struct pctx *c, const struct vm_type *s, const uint8_t *buf,
		   size_t len, uint64_t bitoff, uint64_t addr, int level)
{
	unsigned i;

	if (!s->nmembers) {
		fputs("{<No data fields>}", c->f);
		return 0;
	}
	fputs("{\n", c->f);
	for (i = 0; i < s->nmembers; i++) {
		const struct vm_member *m = &s->members[i];
		const struct vm_type *mt = vm_member_type(c->ts, m, c->e);

		if (!mt)
			return -1;
		indent(c->f, level + 1);
		if (m->name)
			fprintf(c->f, "%s = ", m->name);
		if (pv(c, mt, buf, len, bitoff + m->bit_offset, m->bit_size, addr,
		       level + 1) < 0)
			return -1;
		fputs(i + 1 < s->nmembers ? ",\n" : "\n", c->f);
	}
	indent(c->f, level);
	fputc('}', c->f);
	return 0;
}

static int pv(struct pctx *c, const struct vm_type *t, const uint8_t *buf,
	      size_t len, uint64_t bitoff, uint32_t bitsize, uint64_t addr,
	      int level)
{
	const struct vm_type *s;
	uint64_t v, size;

	if (level > MAX_NEST)
		return vm_fail(c->e, VM_EFORMAT, "values nest deeper than %d", MAX_NEST);
	s = vm_type_strip(c->ts, t, c->e);
	if (!s)
		return -1;
	s = vm_type_complete(c->ts, s);
	switch (s->kind) {
	case VM_TYPE_INT: case VM_TYPE_ENUM:
		if (s->kind == VM_TYPE_INT && s->size == 16 && !bitsize) {
			uint64_t hi, lo;

			char num[48];

			if (vm_value_int128(c->ts, s, buf, len, bitoff, &hi, &lo, c->e) < 0)
				return -1;
			vm_int128_format(hi, lo, s->flags & VM_TF_SIGNED,
					 c->flags & VM_VPRINT_HEX, num, sizeof(num));
			fputs(num, c->f);
			return 0;
		}
		if (vm_value_scalar(c->ts, s, buf, len, bitoff, bitsize, &v, c->e) < 0)
			return -1;
		if (s->kind == VM_TYPE_ENUM) {
			const char *n = vm_enum_name(s, (int64_t)v);

			if (n)
				fputs(n, c->f);
			else if (c->flags & VM_VPRINT_HEX)
				fprintf(c->f, "0x%" PRIx64, v);
			else if (s->flags & VM_TF_SIGNED)
				fprintf(c->f, "%" PRId64, (int64_t)v);
			else
				fprintf(c->f, "%" PRIu64, v);
			return 0;
		}
		put_int(c, s, v);
		return 0;
	case VM_TYPE_FLOAT:
		if (bitoff % 8 || bitoff / 8 + s->size > len)
			return vm_fail(c->e, VM_EINVAL, "float outside the value");
		put_float(c, s, buf + bitoff / 8);
		return 0;
	case VM_TYPE_PTR: {
		const struct vm_type *tt;
		char sym[512];

		if (vm_value_scalar(c->ts, s, buf, len, bitoff, bitsize, &v, c->e) < 0)
			return -1;
		if (c->flags & VM_VPRINT_DEC)
			fprintf(c->f, "%" PRIu64, v);
		else
			fprintf(c->f, "0x%" PRIx64, v);
		if (v && c->env && c->env->symbolize &&
		    c->env->symbolize(c->env->ctx, v, sym, sizeof(sym)))
			fprintf(c->f, " <%s>", sym);
		tt = vm_type_target(c->ts, s, c->e);
		if (!tt)
			return -1;
		tt = vm_type_strip(c->ts, tt, c->e);
		if (!tt)
			return -1;
		if (v && is_char(tt))
			put_target_string(c, v);
		return 0;
	}
	case VM_TYPE_ARRAY: {
		const struct vm_type *el = vm_type_target(c->ts, s, c->e), *els;
		uint64_t esz, i, n = s->nelems;

		if (!el || vm_type_size(c->ts, el, &esz, c->e) < 0)
			return -1;
		els = vm_type_strip(c->ts, el, c->e);
		if (!els)
			return -1;
		if ((s->flags & VM_TF_FLEX) || n == 0) {
			/* "[]" or "[0]": gdb shows where it starts (and, for
			 * characters, the string there) */
			char sym[512];
			uint64_t a = addr + bitoff / 8;

			fprintf(c->f, "0x%" PRIx64, a);
			if (c->env && c->env->symbolize &&
			    c->env->symbolize(c->env->ctx, a, sym, sizeof(sym)))
				fprintf(c->f, " <%s>", sym);
			if (is_char(els))
				put_target_string(c, a);
			return 0;
		}
		if (bitoff % 8 || (esz && n > (len - bitoff / 8) / esz) ||
		    bitoff / 8 > len)
			return vm_fail(c->e, VM_EINVAL, "array outside the value");
		if (is_char(els)) {
			const uint8_t *p = buf + bitoff / 8;

			/* gdb drops one trailing NUL, not all of them */
			put_string(c->f, p, n && !p[n - 1] ? n - 1 : n);
			return 0;
		}
		fputc('{', c->f);
		for (i = 0; i < n && i < PRINT_ELEMENTS; i++) {
			if (i)
				fputs(", ", c->f);
			if (pv(c, el, buf, len, bitoff + i * esz * 8, 0, addr, level + 1) < 0)
				return -1;
		}
		if (i < n)
			fputs("...", c->f);
		fputc('}', c->f);
		return 0;
	}
	case VM_TYPE_STRUCT: case VM_TYPE_UNION:
		if (s->flags & VM_TF_DECL) {
			fprintf(c->f, "<incomplete type>");
			return 0;
		}
		if (bitoff % 8 || bitoff / 8 + s->size > len)
			return vm_fail(c->e, VM_EINVAL, "member outside the value");
		return members(c, s, buf, len, bitoff, addr, level);
	case VM_TYPE_FUNC:
		fprintf(c->f, "{<text variable>}");
		return 0;
	case VM_TYPE_VOID:
		fprintf(c->f, "void");
		return 0;
	default:
		break;
	}
	if (vm_type_size(c->ts, s, &size, c->e) < 0)
		return -1;
	return vm_fail(c->e, VM_EUNSUP, "cannot print a value of kind %d", s->kind);
}

int vm_value_print(struct vm_types *ts, FILE *f, const struct vm_type *t,
		   uint64_t addr, const void *buf, size_t len,
		   const struct vm_value_env *env, unsigned flags, int level,
		   struct vm_err *e)
{
	struct pctx c = { ts, f, env, flags, e };
	uint64_t size;

	if (vm_type_size(ts, t, &size, e) < 0)
		return -1;
	if (size > len)
		return vm_fail(e, VM_EINVAL, "value of %" PRIu64 " bytes in a %zu-byte buffer",
			       size, len);
	return pv(&c, t, buf, len, 0, 0, addr, level);
}
