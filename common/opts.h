/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the user told us on the command line, as every layer may need it:
 * `-o key=value` overrides for broken dumps and the debuginfo paths.
 *
 * The override keys are one table (vm_override_keys, opts.c): a key is
 * accepted by every program, checked once when it is parsed
 * (vm_opts_add_override), and documented by the table (-h is generated
 * from it, vmcoreutils(7) lists the same keys).  A layer reads an override
 * with vm_opt_get / vm_opt_u64 / vm_opt_has by a key of that table.
 */
#ifndef VM_OPTS_H
#define VM_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define VM_MAX_OVERRIDES 32

enum vm_override_kind {
	VM_OVK_FLAG,      /* bare key: "-o nocache" */
	VM_OVK_NUMBER,    /* 64-bit number, decimal or 0x-prefixed hex */
	VM_OVK_VABITS,    /* a number of virtual address bits, 36..57 */
};

struct vm_override_key {
	const char *key;           /* "kaslr" */
	enum vm_override_kind kind;
	const char *arg;           /* what the value is, for -h: "OFFSET" */
	const char *help;          /* one line for -h */
};

/* The table, ended by a NULL key. */
extern const struct vm_override_key vm_override_keys[];

struct vm_override {
	const char *key;           /* points into vm_override_keys */
	const char *value;         /* "" for a flag */
	uint64_t num;              /* parsed value of a number key */
};

/* What the library may be told, and nothing about how a program prints
 * (--json, the dump's path: those stay in the program's struct vm_cli). */
struct vm_opts {
	const char *vmlinux;       /* -k */
	const char *sysmap;        /* -m */
	const char *moddir;        /* -M: directory with .ko files */
	int verbose;               /* -v count: say which sources were used */
	/* receives -v notes ("symbols: kallsyms from the dump") with note_ctx;
	 * NULL drops them */
	void (*note)(void *ctx, const char *msg);
	void *note_ctx;
	/* receives warnings: a part of the answer the library had to leave
	 * out, and why (a module's .ko refused for its types); NULL drops
	 * them */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	unsigned nr_ov;
	struct vm_override ov[VM_MAX_OVERRIDES];
};

/* Parse "key=value" or "key" against the table and add it to o.  -1 with
 * VM_EINVAL and a message naming the key when the key is unknown, the value
 * is malformed or missing, or a flag is given a value. */
int vm_opts_add_override(struct vm_opts *o, const char *arg, struct vm_err *e);

/* Value of override key, or NULL. */
const char *vm_opt_get(const struct vm_opts *o, const char *key);
/* Parsed value of a number key: 1 found, 0 absent. */
int vm_opt_u64(const struct vm_opts *o, const char *key, uint64_t *out);
/* A whole string of hex digits, with or without 0x, that fits 64 bits. */
bool vm_parse_hex(const char *s, uint64_t *v);
bool vm_opt_has(const struct vm_opts *o, const char *key);

#endif
