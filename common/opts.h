/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the user told us on the command line, as every layer may need it:
 * `-o key=value` overrides for broken dumps (kaslr=, phys_base=, vabits=,
 * kimage_voffset=, raw_base=, nocache ...) and the debuginfo paths.
 */
#ifndef VM_OPTS_H
#define VM_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#define VM_MAX_OVERRIDES 32

struct vm_override {
	const char *key;
	const char *value;     /* "" for a bare key ("-o nocache") */
};

struct vm_opts {
	const char *dump_path;
	const char *vmlinux;       /* -k */
	const char *sysmap;        /* -m */
	const char *moddir;        /* -M: directory with .ko files */
	int verbose;               /* -v count: say which sources were used */
	bool json;                 /* --json */
	/* receives -v notes ("symbols: kallsyms from the dump"); NULL drops */
	void (*note)(const char *msg);
	unsigned nr_ov;
	struct vm_override ov[VM_MAX_OVERRIDES];
};

/* Value of override key, or NULL. */
const char *vm_opt_get(const struct vm_opts *o, const char *key);
/* Parse override as a number (0x.. hex or decimal): 1 found, 0 absent,
 * -1 malformed. */
int vm_opt_u64(const struct vm_opts *o, const char *key, uint64_t *out);
bool vm_opt_has(const struct vm_opts *o, const char *key);

#endif
