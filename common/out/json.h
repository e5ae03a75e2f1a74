/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON lines: one object per record, written through one writer so every
 * program escapes the same way.  Nesting: vm_json_obj_begin/end and
 * vm_json_arr_begin/end; values after a key or inside an array.
 */
#ifndef VM_JSON_H
#define VM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VM_JSON_DEPTH 16

struct vm_json {
	FILE *f;
	int depth;
	bool first[VM_JSON_DEPTH];
	bool after_key;
};

void vm_json_init(struct vm_json *j, FILE *f);
/* Top-level record: "{" ... "}\n" */
void vm_json_begin(struct vm_json *j);
void vm_json_end(struct vm_json *j);

void vm_json_key(struct vm_json *j, const char *key);
void vm_json_obj_begin(struct vm_json *j);
void vm_json_obj_end(struct vm_json *j);
void vm_json_arr_begin(struct vm_json *j);
void vm_json_arr_end(struct vm_json *j);

void vm_json_str(struct vm_json *j, const char *s);
void vm_json_strn(struct vm_json *j, const char *s, size_t n);
void vm_json_u64(struct vm_json *j, uint64_t v);
void vm_json_i64(struct vm_json *j, int64_t v);
void vm_json_hex(struct vm_json *j, uint64_t v);   /* "0xffff..." string */
void vm_json_bool(struct vm_json *j, bool v);
void vm_json_null(struct vm_json *j);
void vm_json_double(struct vm_json *j, double v);

/* key + value shorthands */
void vm_json_kstr(struct vm_json *j, const char *k, const char *s);
void vm_json_ku64(struct vm_json *j, const char *k, uint64_t v);
void vm_json_ki64(struct vm_json *j, const char *k, int64_t v);
void vm_json_khex(struct vm_json *j, const char *k, uint64_t v);
void vm_json_kbool(struct vm_json *j, const char *k, bool v);

#endif
