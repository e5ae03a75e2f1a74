/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel code as instructions (vmdis: crash's `dis`, `l *ADDR`), part of
 * libvmcore's public face (vmcore.h includes it): a function's extent, its
 * bytes from the dump's memory (the text that ran, after alternatives,
 * jump labels, ftrace and live patches) or from the vmlinux / module .ko
 * on disk, and per instruction its symbol, its source line and inlined
 * calls, and where memory and file differ, which of the kernel's patch
 * tables names the site.  The records (struct vm_insn, vm_line,
 * vm_inline_frame) are in vmcore_types.h.
 *
 *   struct vm_code *c = vm_code_open(k, &opts, &e);
 *   struct vm_code_span sp;
 *   struct vm_code_insn ci;
 *   vm_code_span(c, "schedule", VM_RANGE_FUNCTION, 0, &sp, &e);
 *   while ((r = vm_code_next(c, &sp, &ci, &e)) == 1)
 *           vm_out_insn(stdout, &ci, "");
 */
#ifndef VM_VMCORE_CODE_H
#define VM_VMCORE_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "out/json.h"
#include "vmcore_types.h"

struct vm_kernel;
struct vm_code;

enum vm_code_src {
	VM_CODE_MEMORY,   /* the dump (default) */
	VM_CODE_FILE,     /* the vmlinux, or the module's .ko relocated */
};

struct vm_code_opts {
	enum vm_dis_syntax syntax;
	enum vm_code_src src;
	bool lines;       /* source lines from DWARF */
	bool inlines;     /* and the inlined calls at each instruction */
};

struct vm_code *vm_code_open(struct vm_kernel *k, const struct vm_code_opts *o,
			     struct vm_err *e);
void vm_code_close(struct vm_code *c);

enum vm_code_range {
	VM_RANGE_FUNCTION,   /* the whole function (or one instruction when
	                        the target is inside it, as crash's dis) */
	VM_RANGE_COUNT,      /* count instructions from the target, past the
	                        function's end if need be */
	VM_RANGE_UPTO,       /* function start up to the target, inclusive
	                        (crash's dis -r) */
	VM_RANGE_FROM,       /* the target up to the function's end (-f) */
};

struct vm_code_span {
	uint64_t target;              /* the address the target names */
	uint64_t start, end;          /* [start, end): what is walked */
	unsigned long count;          /* at most this many (0: no limit) */
	uint64_t stop;                /* VM_RANGE_UPTO: last instruction */
	uint64_t func, func_end;      /* the function holding the target */
	const char *func_name;
	const char *module;           /* the function's module, or NULL */
	const char *end_from;         /* "symbol size", "DWARF", "next symbol" */
	/* iteration state */
	uint64_t pos;
	unsigned long done;
	bool finished;
};

/*
 * Resolve TARGET: FUNCTION, FUNCTION+OFF (decimal, or hex with 0x),
 * ADDRESS (hex, 0x optional), a module's function.  Fails with one clear
 * message for an unknown symbol (naming the compiler's clones it has,
 * "name.constprop.0"), an address in no function, a user-space address.
 */
int vm_code_span(struct vm_code *c, const char *target, enum vm_code_range r,
		  unsigned long count, struct vm_code_span *sp, struct vm_err *e);

#define VM_CODE_MAX_INLINE 16

struct vm_code_insn {
	struct vm_insn in;
	char label[256];              /* "schedule+11" (crash's <...>) */
	char text[512];               /* what follows "ADDR <label>:\t" */
	const char *sym;              /* symbol at in.addr, NULL if none */
	uint64_t off;
	const char *module;
	/* lines (opts.lines) */
	bool has_line;
	struct vm_line line;
	unsigned ninl;                /* inlined calls, innermost first */
	struct vm_inline_frame inl[VM_CODE_MAX_INLINE];
};

/* The next instruction of the span: 1, 0 past its end, -1 when its bytes
 * cannot be read (e names the page: "page at physical address ... was
 * excluded from the dump"). */
int vm_code_next(struct vm_code *c, struct vm_code_span *sp, struct vm_code_insn *out,
		 struct vm_err *e);

/* Why there are no source lines for addr's code (after a vm_code_next()
 * that gave none), for a warning; NULL if there is no reason to tell. */
const char *vm_code_lines_problem(struct vm_code *c, uint64_t addr);

/* "sym+off" for an instruction's address as crash labels it: the
 * nearest symbol at or below (false: none). */
bool vm_code_label(struct vm_code *c, uint64_t addr, char *buf, size_t n);

/* ---- memory against file (--diff) ---- */

#define VM_CODE_HUNK_MAX 32

struct vm_code_hunk {
	uint64_t start, end;          /* differing bytes lie in [start, end) */
	char why[256];                /* "alternative (.altinstructions)", the
	                                 kinds and tables that list the place;
	                                 "" when none does */
	unsigned nmem, nfile;
	struct vm_code_insn mem[VM_CODE_HUNK_MAX], file[VM_CODE_HUNK_MAX];
	bool more;                    /* longer than VM_CODE_HUNK_MAX instructions */
};

/* The next place in the span where memory and file differ: 1, 0 none
 * left, -1 error.  The span walks memory and file side by side. */
int vm_code_diff_next(struct vm_code *c, struct vm_code_span *sp, struct vm_code_hunk *h,
		      struct vm_err *e);

/* The span of the kernel's own text (_stext.._etext), for a --diff of
 * all of it. */
int vm_code_span_kernel(struct vm_code *c, struct vm_code_span *sp, struct vm_err *e);

/* ---- source text: crash's `l *ADDR` and `dis -s` ---- */

enum vm_code_listing {
	VM_LIST_AROUND,     /* gdb's list *ADDR: ten lines, five before */
	VM_LIST_FUNCTION,   /* crash's dis -s: five before, then to the
	                       function's closing "}" (or count lines after) */
};

struct vm_code_srcline {
	unsigned no;
	const char *text;             /* without the newline */
};

struct vm_code_source {
	uint64_t addr;
	char func[256];               /* the (out-of-line) function */
	char file[1024];              /* as gdb shows it: relative to the build
	                                 directory ("./arch/x86/...", "kernel/...") */
	char path[4096];              /* the file that was read */
	unsigned line;
	struct vm_code_srcline *lines;
	size_t n;
	char *text;                   /* the file's contents (lines point in) */
};

/*
 * The source around TARGET (an address, FUNC or FUNC+OFF) from the first
 * of srcdirs[0..nsrc) that has it (the file's path relative to the build
 * directory under it), or else from the path the DWARF names.  count:
 * VM_LIST_FUNCTION lines after the target line (0: to the function's
 * end).  -1 when there is no line for the address or the file cannot be
 * read (e says which).
 */
int vm_code_source(struct vm_code *c, const char *target, enum vm_code_listing how,
		   unsigned long count, const char *const *srcdirs, unsigned nsrc,
		   struct vm_code_source *out, struct vm_err *e);
void vm_code_source_free(struct vm_code_source *s);

/* ---- printers (out/code.c) ---- */

/* One instruction as crash's dis prints it, after prefix pfx ("", "-",
 * "+"). */
void vm_out_insn(FILE *f, const struct vm_code_insn *ci, const char *pfx);

/* crash's dis -l line "FILE: LINE" of an instruction (that has one); with
 * inlines, "    inlined F() into G() at FILE: LINE" for each inlined call
 * it is in, innermost first. */
void vm_out_line(FILE *f, const struct vm_code_insn *ci, bool inlines);

/* One instruction as a JSON record; side/why ("file"/"memory" and the
 * patch table) for --diff, else NULL. */
void vm_out_insn_json(struct vm_json *j, const struct vm_code_insn *ci, const char *side,
		      const char *why);

/* A --diff hunk: "@@ ADDR <label> N bytes: WHY", the file's instructions
 * with "-", memory's with "+"; as JSON one record per instruction. */
void vm_out_hunk(FILE *f, const struct vm_code_hunk *h);
void vm_out_hunk_json(struct vm_json *j, const struct vm_code_hunk *h);

/* crash's l *ADDR (list) or dis -s (!list) listing; as JSON one record. */
void vm_out_source(FILE *f, const struct vm_code_source *s, bool list);
void vm_out_source_json(struct vm_json *j, const struct vm_code_source *s);

#endif
