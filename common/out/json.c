// SPDX-License-Identifier: GPL-2.0-or-later
#include "json.h"

#include <inttypes.h>
#include <string.h>

void vm_json_init(struct vm_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->after_key = false;
}

/* Comma before a value or key unless it is the first in its container. */
static void sep(struct vm_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth - 1])
			fputc(',', j->f);
		j->first[j->depth - 1] = false;
	}
}

static void open_c(struct vm_json *j, char c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth < VM_JSON_DEPTH)
		j->first[j->depth] = true;
	j->depth++;
}

static void close_c(struct vm_json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	fputc(c, j->f);
}

void vm_json_begin(struct vm_json *j)
{
	j->depth = 0;
	j->after_key = false;
	open_c(j, '{');
}

void vm_json_end(struct vm_json *j)
{
	close_c(j, '}');
	fputc('\n', j->f);
}

void vm_json_obj_begin(struct vm_json *j) { open_c(j, '{'); }
void vm_json_obj_end(struct vm_json *j) { close_c(j, '}'); }
void vm_json_arr_begin(struct vm_json *j) { open_c(j, '['); }
void vm_json_arr_end(struct vm_json *j) { close_c(j, ']'); }

static void put_escaped(FILE *f, const char *s, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			/* Bytes >= 0x80 may not be UTF-8 in kernel text: escape
			 * them so every line stays valid JSON. */
			if (c < 0x20 || c >= 0x7f)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

void vm_json_key(struct vm_json *j, const char *key)
{
	sep(j);
	put_escaped(j->f, key, strlen(key));
	fputc(':', j->f);
	j->after_key = true;
}

void vm_json_strn(struct vm_json *j, const char *s, size_t n)
{
	sep(j);
	put_escaped(j->f, s, n);
}

void vm_json_str(struct vm_json *j, const char *s)
{
	if (!s) {
		vm_json_null(j);
		return;
	}
	vm_json_strn(j, s, strlen(s));
}

void vm_json_u64(struct vm_json *j, uint64_t v) { sep(j); fprintf(j->f, "%" PRIu64, v); }
void vm_json_i64(struct vm_json *j, int64_t v) { sep(j); fprintf(j->f, "%" PRId64, v); }
void vm_json_hex(struct vm_json *j, uint64_t v) { sep(j); fprintf(j->f, "\"0x%" PRIx64 "\"", v); }
void vm_json_bool(struct vm_json *j, bool v) { sep(j); fputs(v ? "true" : "false", j->f); }
void vm_json_null(struct vm_json *j) { sep(j); fputs("null", j->f); }
void vm_json_double(struct vm_json *j, double v) { sep(j); fprintf(j->f, "%.6f", v); }

void vm_json_kstr(struct vm_json *j, const char *k, const char *s) { vm_json_key(j, k); vm_json_str(j, s); }
void vm_json_ku64(struct vm_json *j, const char *k, uint64_t v) { vm_json_key(j, k); vm_json_u64(j, v); }
void vm_json_ki64(struct vm_json *j, const char *k, int64_t v) { vm_json_key(j, k); vm_json_i64(j, v); }
void vm_json_khex(struct vm_json *j, const char *k, uint64_t v) { vm_json_key(j, k); vm_json_hex(j, v); }
void vm_json_kbool(struct vm_json *j, const char *k, bool v) { vm_json_key(j, k); vm_json_bool(j, v); }
