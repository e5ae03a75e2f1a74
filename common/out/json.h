/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON lines: one object per record, written through one writer so every
 * program escapes and numbers the same way (vmcoreutils(7), JSON OUTPUT).
 *
 * A record is built in memory between vm_json_begin and vm_json_end and
 * only then written out whole: a record that fails half-way (a value that
 * cannot be read, nesting deeper than the writer allows, no memory) is
 * never printed in part.  vm_json_end returns -1 for such a record and the
 * caller writes an error record in its place (vm_json_error).
 *
 * Numbers: no value a consumer could round.  vm_json_u64 / vm_json_i64 write
 * a JSON number when |v| <= 2^53 (exact in a double) and a decimal string
 * otherwise; fields that hold 64-bit quantities which can pass 2^53 on a
 * real machine (nanosecond counters, 64-bit integers of kernel types) use
 * vm_json_dec_u64 / vm_json_dec_i64, always a decimal string, so their type
 * does not change from one dump to the next; addresses, pointers and masks
 * are "0x..." strings (vm_json_hex).
 */
#ifndef VM_JSON_H
#define VM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../caps.h"

/* Room for a value of VM_NEST_MAX levels inside its record (the record
 * object, a "members"/"value" object or array around it). */
#define VM_JSON_DEPTH (VM_NEST_MAX + 4)
/* One record larger than this is refused (an error record instead). */
#define VM_JSON_RECORD_MAX ((size_t)64 << 20)
/* The largest integer a double holds exactly. */
#define VM_JSON_SAFE_INT ((uint64_t)1 << 53)

struct vm_json {
	FILE *f;
	char *buf;                 /* the record being built */
	size_t len, cap;
	int depth;
	bool first[VM_JSON_DEPTH];
	bool after_key;
	bool failed;               /* this record cannot be completed */
	char why[160];             /* ... and why */
};

void vm_json_init(struct vm_json *j, FILE *f);
void vm_json_free(struct vm_json *j);

/* Top-level record: "{" ... "}\n". */
void vm_json_begin(struct vm_json *j);
/* Write the record (0), or drop it and return -1 when it failed (the reason
 * in vm_json_why) or is not closed. */
int vm_json_end(struct vm_json *j);
/* Drop the record being built. */
void vm_json_discard(struct vm_json *j);
bool vm_json_failed(const struct vm_json *j);
const char *vm_json_why(const struct vm_json *j);
/* Nesting levels still open to a value written now. */
int vm_json_room(const struct vm_json *j);

/* An error record, whole: {"error":MSG} -- callers add what the record is
 * about (vm_json_error_begin, keys, vm_json_end). */
void vm_json_error_begin(struct vm_json *j, const char *msg);

void vm_json_key(struct vm_json *j, const char *key);
void vm_json_obj_begin(struct vm_json *j);
void vm_json_obj_end(struct vm_json *j);
void vm_json_arr_begin(struct vm_json *j);
void vm_json_arr_end(struct vm_json *j);

void vm_json_str(struct vm_json *j, const char *s);
void vm_json_strn(struct vm_json *j, const char *s, size_t n);
void vm_json_u64(struct vm_json *j, uint64_t v);
void vm_json_i64(struct vm_json *j, int64_t v);
void vm_json_dec_u64(struct vm_json *j, uint64_t v);   /* "123" */
void vm_json_dec_i64(struct vm_json *j, int64_t v);    /* "-123" */
void vm_json_hex(struct vm_json *j, uint64_t v);       /* "0xffff..." */
void vm_json_bool(struct vm_json *j, bool v);
void vm_json_null(struct vm_json *j);
void vm_json_double(struct vm_json *j, double v);

/* key + value shorthands */
void vm_json_kstr(struct vm_json *j, const char *k, const char *s);
void vm_json_ku64(struct vm_json *j, const char *k, uint64_t v);
void vm_json_ki64(struct vm_json *j, const char *k, int64_t v);
void vm_json_kdec(struct vm_json *j, const char *k, uint64_t v);
void vm_json_khex(struct vm_json *j, const char *k, uint64_t v);
void vm_json_kbool(struct vm_json *j, const char *k, bool v);

#endif
