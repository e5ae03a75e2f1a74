/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line contract every program shares (DESIGN.md):
 *   vmTOOL [options] DUMP [ARGS...]
 *   -k FILE vmlinux   -m FILE System.map   -M DIR modules   -o key=value
 *   -v verbose (repeatable)   --json   -h/--help   -V/--version
 * Exit: 0 ok, 1 question not answered, 2 usage.
 *
 * A program builds its getopt_long() tables by appending its own letters to
 * VM_CLI_SHORT and its long options before VM_CLI_LONG, and hands every
 * option it does not know itself to vm_cli_common().
 */
#ifndef VM_CLI_H
#define VM_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../err.h"
#include "../opts.h"

#define VM_EXIT_OK 0
#define VM_EXIT_FAIL 1
#define VM_EXIT_USAGE 2

#define VM_CLI_SHORT "k:m:M:o:vhV"
#define VM_OPT_JSON 0x1000
#define VM_CLI_LONG                                         \
	{ "vmlinux", required_argument, NULL, 'k' },        \
	{ "sysmap", required_argument, NULL, 'm' },         \
	{ "modules", required_argument, NULL, 'M' },        \
	{ "override", required_argument, NULL, 'o' },       \
	{ "verbose", no_argument, NULL, 'v' },              \
	{ "json", no_argument, NULL, VM_OPT_JSON },         \
	{ "help", no_argument, NULL, 'h' },                 \
	{ "version", no_argument, NULL, 'V' }

/* Usage text of the shared options, for a program's -h. */
extern const char vm_cli_common_usage[];

struct vm_cli {
	const char *prog;          /* "vmlog" */
	const char *usage;         /* program-specific usage text for -h */
	struct vm_opts opts;
	char ovkeys[VM_MAX_OVERRIDES][64];   /* storage for opts.ov[].key */
};

/*
 * Handle a shared option.  Returns 1 if handled, 0 if not a shared option.
 * -h and -V print and exit(0); a malformed -o prints and exits 2.
 */
int vm_cli_common(struct vm_cli *c, int opt, const char *arg);

/* Print "prog: msg" (and usage hint) and exit 2. */
void vm_cli_usage_error(const struct vm_cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* Print "prog: DUMP: e->msg" to stderr. */
void vm_cli_error(const struct vm_cli *c, const struct vm_err *e);
void vm_cli_warn(const struct vm_cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A hex number with or without 0x (an address argument); false if s is
 * not entirely one. */
bool vm_cli_parse_hex(const char *s, uint64_t *v);

/* Use as opts.note when -v is given: prints "prog: msg" on stderr. */
void vm_cli_note_stderr(const char *msg);

#define VM_VERSION "0.1"

#endif
