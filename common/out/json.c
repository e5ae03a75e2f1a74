// SPDX-License-Identifier: GPL-2.0-or-later
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void vm_json_init(struct vm_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

void vm_json_free(struct vm_json *j)
{
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

static void fail(struct vm_json *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(struct vm_json *j, const char *fmt, ...)
{
	va_list ap;

	if (j->failed)
		return;
	j->failed = true;
	va_start(ap, fmt);
	vsnprintf(j->why, sizeof(j->why), fmt, ap);
	va_end(ap);
}

static void put(struct vm_json *j, const char *s, size_t n)
{
	if (j->failed)
		return;
	if (j->len + n > j->cap) {
		size_t cap = j->cap ? j->cap : 4096;
		char *b;

		while (cap < j->len + n)
			cap *= 2;
		if (cap > VM_JSON_RECORD_MAX) {
			fail(j, "JSON record larger than %zu bytes", VM_JSON_RECORD_MAX);
			return;
		}
		b = realloc(j->buf, cap);
		if (!b) {
			fail(j, "out of memory for a JSON record of %zu bytes", cap);
			return;
		}
		j->buf = b;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void putc_(struct vm_json *j, char c)
{
	put(j, &c, 1);
}

static void putf(struct vm_json *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(struct vm_json *j, const char *fmt, ...)
{
	char b[400];    /* "%.6f" of the largest double is 316 bytes */
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(j, b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b) - 1);
}

/* Comma before a value or key unless it is the first in its container. */
static void sep(struct vm_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0 && j->depth <= VM_JSON_DEPTH) {
		if (!j->first[j->depth - 1])
			putc_(j, ',');
		j->first[j->depth - 1] = false;
	}
}

static void open_c(struct vm_json *j, char c)
{
	if (j->depth >= VM_JSON_DEPTH) {
		/* refuse; keep counting so the closes still balance */
		fail(j, "JSON nests deeper than %d levels", VM_JSON_DEPTH);
		j->depth++;
		return;
	}
	sep(j);
	putc_(j, c);
	j->first[j->depth] = true;
	j->depth++;
}

static void close_c(struct vm_json *j, char c)
{
	if (j->depth <= 0) {
		fail(j, "JSON container closed that was never opened");
		return;
	}
	j->depth--;
	putc_(j, c);
}

void vm_json_begin(struct vm_json *j)
{
	j->len = 0;
	j->depth = 0;
	j->after_key = false;
	j->failed = false;
	j->why[0] = '\0';
	open_c(j, '{');
}

void vm_json_discard(struct vm_json *j)
{
	j->len = 0;
	j->depth = 0;
	j->after_key = false;
}

int vm_json_end(struct vm_json *j)
{
	close_c(j, '}');
	if (j->depth != 0)
		fail(j, "JSON record left %d containers open", j->depth);
	putc_(j, '\n');
	if (j->failed) {
		vm_json_discard(j);
		return -1;
	}
	fwrite(j->buf, 1, j->len, j->f);
	vm_json_discard(j);
	return 0;
}

bool vm_json_failed(const struct vm_json *j)
{
	return j->failed;
}

const char *vm_json_why(const struct vm_json *j)
{
	return j->why;
}

int vm_json_room(const struct vm_json *j)
{
	return VM_JSON_DEPTH - j->depth;
}

void vm_json_obj_begin(struct vm_json *j) { open_c(j, '{'); }
void vm_json_obj_end(struct vm_json *j) { close_c(j, '}'); }
void vm_json_arr_begin(struct vm_json *j) { open_c(j, '['); }
void vm_json_arr_end(struct vm_json *j) { close_c(j, ']'); }

static void put_escaped(struct vm_json *j, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	putc_(j, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[6];

		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\t': esc = "\\t"; break;
		case '\r': esc = "\\r"; break;
		default:
			/* Bytes >= 0x80 may not be UTF-8 in kernel text: escape
			 * them so every line stays valid JSON. */
			if (c >= 0x20 && c < 0x7f)
				continue;
		}
		put(j, s + run, i - run);
		run = i + 1;
		if (esc) {
			put(j, esc, strlen(esc));
		} else {
			memcpy(u, "\\u00", 4);
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			put(j, u, 6);
		}
	}
	put(j, s + run, n - run);
	putc_(j, '"');
}

void vm_json_key(struct vm_json *j, const char *key)
{
	sep(j);
	put_escaped(j, key, strlen(key));
	putc_(j, ':');
	j->after_key = true;
}

void vm_json_strn(struct vm_json *j, const char *s, size_t n)
{
	sep(j);
	put_escaped(j, s, n);
}

void vm_json_str(struct vm_json *j, const char *s)
{
	if (!s) {
		vm_json_null(j);
		return;
	}
	vm_json_strn(j, s, strlen(s));
}

void vm_json_error_begin(struct vm_json *j, const char *msg)
{
	vm_json_begin(j);
	vm_json_kstr(j, "error", msg);
}

void vm_json_u64(struct vm_json *j, uint64_t v)
{
	sep(j);
	if (v <= VM_JSON_SAFE_INT)
		putf(j, "%" PRIu64, v);
	else
		putf(j, "\"%" PRIu64 "\"", v);
}

void vm_json_i64(struct vm_json *j, int64_t v)
{
	sep(j);
	if (v <= (int64_t)VM_JSON_SAFE_INT && v >= -(int64_t)VM_JSON_SAFE_INT)
		putf(j, "%" PRId64, v);
	else
		putf(j, "\"%" PRId64 "\"", v);
}

void vm_json_dec_u64(struct vm_json *j, uint64_t v) { sep(j); putf(j, "\"%" PRIu64 "\"", v); }
void vm_json_dec_i64(struct vm_json *j, int64_t v) { sep(j); putf(j, "\"%" PRId64 "\"", v); }

void vm_json_hex(struct vm_json *j, uint64_t v) { sep(j); putf(j, "\"0x%" PRIx64 "\"", v); }
void vm_json_bool(struct vm_json *j, bool v) { sep(j); put(j, v ? "true" : "false", v ? 4 : 5); }
void vm_json_null(struct vm_json *j) { sep(j); put(j, "null", 4); }

void vm_json_double(struct vm_json *j, double v)
{
	sep(j);
	if (isfinite(v))
		putf(j, "%.6f", v);
	else
		put(j, "null", 4);     /* JSON has no NaN or infinity */
}

void vm_json_kstr(struct vm_json *j, const char *k, const char *s) { vm_json_key(j, k); vm_json_str(j, s); }
void vm_json_ku64(struct vm_json *j, const char *k, uint64_t v) { vm_json_key(j, k); vm_json_u64(j, v); }
void vm_json_ki64(struct vm_json *j, const char *k, int64_t v) { vm_json_key(j, k); vm_json_i64(j, v); }
void vm_json_kdec(struct vm_json *j, const char *k, uint64_t v) { vm_json_key(j, k); vm_json_dec_u64(j, v); }
void vm_json_khex(struct vm_json *j, const char *k, uint64_t v) { vm_json_key(j, k); vm_json_hex(j, v); }
void vm_json_kbool(struct vm_json *j, const char *k, bool v) { vm_json_key(j, k); vm_json_bool(j, v); }
