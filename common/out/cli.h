/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line contract every program shares (DESIGN.md, vmcoreutils(7)):
 *
 *   vmTOOL [options] DUMP [ARGS...]
 *
 * One option table for all programs (vm_optdefs, options.c): a letter or a
 * long name means the same thing in every program that has it.  A program
 * lists the entries it takes (struct vm_progopt, optionally with help in its
 * own words), vm_cli_next() parses argv with them and hands back the
 * program's own options by id; the shared ones (-k -m -M -o -v --json -h -V)
 * it handles itself.  -h is generated from the table, so help, table and
 * man pages cannot drift apart silently (tests/cli.bats checks the pages).
 *
 * Exit status: 0 answered, 1 not (fully) answered, 2 usage.  Every program
 * ends through vm_cli_exit(), which turns a failed write to stdout into
 * "PROG: write error: REASON" and status 1 (as coreutils' close_stdout);
 * SIGPIPE keeps its default disposition, so `vmlog DUMP | head` stays quiet.
 */
#ifndef VM_CLI_H
#define VM_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../err.h"
#include "../opts.h"
#include "json.h"

#define VM_EXIT_OK 0
#define VM_EXIT_FAIL 1
#define VM_EXIT_USAGE 2

#define VM_VERSION "0.1"

/* Every option of every program.  Add new ones here (and to vm_optdefs and
 * the OPTIONS table of vmcoreutils(7)), never as a program's private letter. */
enum vm_optid {
	VM_OPT_END = -1,
	/* shared by every program; vm_cli_next() handles them */
	VM_OPT_VMLINUX, VM_OPT_SYSMAP, VM_OPT_MODULES, VM_OPT_OVERRIDE,
	VM_OPT_VERBOSE, VM_OPT_JSON, VM_OPT_HELP, VM_OPT_VERSION,
	VM_OPT_NR_COMMON,
	/* which tasks */
	VM_OPT_ACTIVE = VM_OPT_NR_COMMON, VM_OPT_ALL, VM_OPT_CPU, VM_OPT_PID,
	VM_OPT_KTHREADS, VM_OPT_USER, VM_OPT_LEADERS, VM_OPT_STATE, VM_OPT_COMM,
	/* how output looks */
	VM_OPT_NO_HEADER, VM_OPT_HEADER, VM_OPT_ONELINE, VM_OPT_HEX,
	VM_OPT_DECIMAL, VM_OPT_OFFSETS, VM_OPT_LINES,
	/* backtraces (vmbt) */
	VM_OPT_FULL, VM_OPT_FULL_SYMBOLS, VM_OPT_RAW, VM_OPT_EFRAMES,
	VM_OPT_NO_ORC, VM_OPT_ORC_FILE, VM_OPT_NO_SCAN, VM_OPT_SP, VM_OPT_IP,
	/* task views (vmps) */
	VM_OPT_PARENTS, VM_OPT_CHILDREN, VM_OPT_THREADS, VM_OPT_TIMES,
	VM_OPT_LAST_RUN, VM_OPT_SUMMARY, VM_OPT_RUNQ,
	/* the log (vmlog) */
	VM_OPT_NO_TIME, VM_OPT_CTIME, VM_OPT_LEVEL, VM_OPT_CALLER, VM_OPT_DICT,
	/* types and values (vmstruct) */
	VM_OPT_FLAT, VM_OPT_MEMBERS, VM_OPT_COUNT, VM_OPT_WALK,
	/* symbols (vmsym) */
	VM_OPT_SEARCH, VM_OPT_LIST, VM_OPT_MODULE, VM_OPT_SOURCE, VM_OPT_LSMOD,
	/* kernel memory (vmkmem) */
	VM_OPT_INFO, VM_OPT_SLABS, VM_OPT_SLAB, VM_OPT_SORT, VM_OPT_FREE, VM_OPT_ZONES,
	VM_OPT_COUNTERS, VM_OPT_PHYSICAL,
	/* code (vmdis) */
	VM_OPT_REVERSE, VM_OPT_FORWARD, VM_OPT_INLINES, VM_OPT_FUNCTION_SOURCE,
	VM_OPT_SYNTAX, VM_OPT_FILE, VM_OPT_DIFF,
	VM_OPT_NR
};

struct vm_optdef {
	char letter;          /* 0: a long option only */
	const char *name;     /* the long option */
	const char *arg;      /* NULL: no argument; else its name for -h */
	const char *help;     /* the meaning, the same in every program */
};

extern const struct vm_optdef vm_optdefs[VM_OPT_NR];

/* A program's own option: an entry of the table, and how -h says what it
 * does in this program (NULL: the table's words). */
struct vm_progopt {
	int id;
	const char *help;
};

/* A spelling a program gave up for the table (crash's letters that mean
 * something else here), so an old habit gets a pointer, not a puzzle. */
struct vm_renamed {
	char letter;
	const char *now;      /* "--parents" */
};

struct vm_cli {
	const char *prog;                  /* "vmlog" */
	const char *usage;                 /* -h: usage lines and what it does */
	const struct vm_progopt *own;      /* ended by { VM_OPT_END } */
	const struct vm_renamed *renamed;  /* ended by { 0 }; may be NULL */
	struct vm_opts opts;               /* what the library is told */
	bool json;                         /* --json */
	const char *dump;                  /* DUMP, once the program has it */
	struct vm_json j;                  /* stdout: records and error records */
	int write_errno;                   /* first failed write to stdout */
	/* argv and the getopt tables built from own[] */
	int argc;
	char **argv;
	bool started;
	char shortopts[3 * VM_OPT_NR + 2];
	struct option longopts[VM_OPT_NR + 1];
};

void vm_cli_init(struct vm_cli *c, const char *prog, const char *usage,
		 const struct vm_progopt *own, const struct vm_renamed *renamed,
		 int argc, char **argv);

/* The next of the program's own options (its id; *arg its argument or
 * NULL), or VM_OPT_END when the options are done: the operands are then
 * argv[optind..].  Shared options are handled here; -h and -V print and
 * exit 0; a usage error prints one message and exits 2. */
int vm_cli_next(struct vm_cli *c, const char **arg);

/* End of main: flush stdout; a write that failed gives "PROG: write error:
 * REASON" and status 1.  Returns the status to exit with. */
int vm_cli_exit(struct vm_cli *c, int status);

/* "prog: msg (try 'prog --help')" on stderr and exit 2. */
void vm_cli_usage_error(const struct vm_cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* "prog: DUMP: e->msg" on stderr (c->dump); with --json also an error
 * record {"error": msg, "dump": DUMP} on stdout. */
void vm_cli_error(struct vm_cli *c, const struct vm_err *e);
/* The same with a formatted message. */
void vm_cli_errorf(struct vm_cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "prog: msg" on stderr (a note or warning; no error record). */
void vm_cli_warn(const struct vm_cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A hex number with or without 0x (an address argument); false if s is
 * not entirely one. */
bool vm_cli_parse_hex(const char *s, uint64_t *v);

#endif
