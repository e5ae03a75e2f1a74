// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmdis — crash's `dis`, `dis -l`, `dis -r`, `dis -s` and `l *ADDR`: kernel
 * and module code of a crash dump, as it was in memory when it crashed.
 *
 *   vmdis DUMP TARGET [COUNT]     0xADDR <sym+off>:\tmnemonic operands
 *   vmdis -l ...                  with "FILE: LINE" where the line changes
 *   vmdis --reverse / --forward   function start..TARGET / TARGET..function end
 *   vmdis --diff DUMP [TARGET]    where memory and the vmlinux/.ko differ
 *   vmdis --function-source ...   the source of the function (crash dis -s)
 *   vmdis --list DUMP TARGET      "ADDR is in FUNC (FILE:LINE)." + source
 *
 * Exit status: 0 everything asked for was shown; 1 something could not be
 * (unknown symbol, no function there, an unreadable page: what could be
 * shown is, and the reason is on stderr); 2 usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcore.h"

static const char usage[] =
	"Usage: vmdis [options] DUMP TARGET [COUNT]\n"
	"       vmdis [options] --diff DUMP [TARGET]\n"
	"       vmdis [options] --list DUMP TARGET\n"
	"Disassemble kernel or module code of a crash dump, like crash's `dis`.\n"
	"  TARGET                 FUNCTION, FUNCTION+OFF (decimal, or 0x hex),\n"
	"                         ADDRESS (hex), or a module's function; a function\n"
	"                         is shown whole, an address inside one as one\n"
	"                         instruction (as crash does)\n"
	"  COUNT                  that many instructions (past the function's end\n"
	"                         if need be)\n"
	"  -M intel|att           as objdump: the x86 syntax (-M DIR otherwise)\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_REVERSE, NULL },
	{ VM_OPT_FORWARD, NULL },
	{ VM_OPT_LINES, "\"FILE: LINE\" before the instructions of each source line "
	  "(DWARF: -k vmlinux, a module's .ko), as crash's dis -l" },
	{ VM_OPT_INLINES, NULL },
	{ VM_OPT_FUNCTION_SOURCE, "the function's source around TARGET, as crash's "
	  "dis -s (COUNT: that many lines after it)" },
	{ VM_OPT_SOURCE, "the source tree (default: the path in the DWARF); again "
	  "for more trees" },
	{ VM_OPT_LIST, "crash's l *TARGET: \"ADDR is in FUNC (FILE:LINE).\" and the "
	  "ten source lines around it" },
	{ VM_OPT_SYNTAX, NULL },
	{ VM_OPT_FILE, NULL },
	{ VM_OPT_DIFF, "where the dump's code differs from the vmlinux/.ko, and which "
	  "kernel table says why; without TARGET the whole kernel" },
	{ VM_OPT_END, NULL },
};

/* crash's dis letters that mean something else in the one option table */
static const struct vm_renamed renamed[] = {
	{ 'r', "--reverse" }, { 'f', "--forward" }, { 's', "--function-source" },
	{ 'S', "--source" }, { 0, NULL },
};

struct ctx {
	struct vm_cli *c;
	struct vm_code *code;
	struct vm_json *j;
	bool json, lines, inlines;
	const char *srcdirs[8];
	unsigned nsrc;
	/* -l: the line printed last */
	const char *last_file;
	unsigned last_line;
	bool warned_lines;
};

/* -l: "FILE: LINE" where the line changes, as crash's dis -l */
static void print_line(struct ctx *x, const struct vm_code_insn *ci)
{
	if (!ci->has_line) {
		const char *why;

		if (!x->warned_lines && (why = vm_code_lines_problem(x->code, ci->in.addr))) {
			fflush(stdout);
			vm_cli_warn(x->c, "no source lines: %s", why);
			x->warned_lines = true;
		}
		return;
	}
	if (x->last_file && ci->line.line == x->last_line &&
	    !strcmp(ci->line.file, x->last_file))
		return;
	x->last_file = ci->line.file;
	x->last_line = ci->line.line;
	vm_out_line(stdout, ci, x->inlines);
}

static int disassemble(struct ctx *x, struct vm_code_span *sp)
{
	struct vm_code_insn ci;
	struct vm_err e;
	uint64_t last = 0;
	int r;

	while ((r = vm_code_next(x->code, sp, &ci, &e)) == 1) {
		last = ci.in.addr;
		if (x->json) {
			vm_out_insn_json(x->j, &ci, NULL, NULL);
			continue;
		}
		if (x->lines)
			print_line(x, &ci);
		vm_out_insn(stdout, &ci, "");
	}
	if (r < 0) {
		fflush(stdout);
		vm_cli_error(x->c, &e);
		return -1;
	}
	if (sp->stop && last != sp->stop && sp->done) {
		fflush(stdout);
		vm_cli_warn(x->c, "0x%" PRIx64 " is inside the instruction at 0x%" PRIx64
			    ", not at its start", sp->stop, last);
	}
	return 0;
}

static int diff(struct ctx *x, struct vm_code_span *sp)
{
	struct vm_code_hunk h;
	struct vm_err e;
	int r;

	while ((r = vm_code_diff_next(x->code, sp, &h, &e)) == 1) {
		if (x->json)
			vm_out_hunk_json(x->j, &h);
		else
			vm_out_hunk(stdout, &h);
	}
	if (r < 0) {
		fflush(stdout);
		vm_cli_error(x->c, &e);
		return -1;
	}
	return 0;
}

/* crash's l *ADDR (gdb's list) and dis -s. */
static int source(struct ctx *x, const char *target, bool list, unsigned long count)
{
	struct vm_code_source s;
	struct vm_err e;

	if (vm_code_source(x->code, target, list ? VM_LIST_AROUND : VM_LIST_FUNCTION, count,
			   x->srcdirs, x->nsrc, &s, &e) < 0) {
		vm_cli_error(x->c, &e);
		return -1;
	}
	if (x->json)
		vm_out_source_json(x->j, &s);
	else
		vm_out_source(stdout, &s, list);
	vm_code_source_free(&s);
	return 0;
}

static unsigned long parse_count(struct vm_cli *c, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !v || v > 100000000ul)
		vm_cli_usage_error(c, "bad COUNT '%s'", s);
	return v;
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	struct vm_code_opts o = { .syntax = VM_DIS_ATT, .src = VM_CODE_MEMORY };
	enum vm_code_range range = VM_RANGE_FUNCTION;
	bool do_diff = false, do_list = false, do_source = false;
	struct vm_code_span sp;
	struct ctx x = { .c = &c };
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	const char *target = NULL, *arg;
	unsigned long count = 0;
	int opt, rc = VM_EXIT_OK;

	vm_cli_init(&c, "vmdis", usage, options, renamed, argc, argv);
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_REVERSE: range = VM_RANGE_UPTO; break;
		case VM_OPT_FORWARD: range = VM_RANGE_FROM; break;
		case VM_OPT_LINES: x.lines = true; break;
		case VM_OPT_INLINES: x.inlines = true; break;
		case VM_OPT_FUNCTION_SOURCE: do_source = true; break;
		case VM_OPT_LIST: do_list = true; break;
		case VM_OPT_FILE: o.src = VM_CODE_FILE; break;
		case VM_OPT_DIFF: do_diff = true; break;
		case VM_OPT_SOURCE:
			if (x.nsrc == sizeof(x.srcdirs) / sizeof(x.srcdirs[0]))
				vm_cli_usage_error(&c, "at most 8 --source directories");
			x.srcdirs[x.nsrc++] = arg;
			break;
		case VM_OPT_SYNTAX:
			if (strcmp(arg, "intel") && strcmp(arg, "att"))
				vm_cli_usage_error(&c, "--syntax wants intel or att, not '%s'", arg);
			o.syntax = arg[0] == 'i' ? VM_DIS_INTEL : VM_DIS_ATT;
			break;
		}
	}
	/* objdump's -M intel / -M att, where no such module directory exists */
	if (c.opts.moddir && (!strcmp(c.opts.moddir, "intel") || !strcmp(c.opts.moddir, "att")) &&
	    access(c.opts.moddir, F_OK) != 0) {
		o.syntax = c.opts.moddir[0] == 'i' ? VM_DIS_INTEL : VM_DIS_ATT;
		c.opts.moddir = NULL;
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.dump = argv[optind++];
	if (optind < argc)
		target = argv[optind++];
	if (optind < argc)
		count = parse_count(&c, argv[optind++]);
	if (optind < argc)
		vm_cli_usage_error(&c, "too many arguments");
	if (!target && !do_diff)
		vm_cli_usage_error(&c, "no TARGET given");
	if (do_diff + do_list + do_source + (o.src == VM_CODE_FILE && do_diff) > 1)
		vm_cli_usage_error(&c, "--diff, --list and --function-source exclude each other "
				   "(and --file)");
	if (range == VM_RANGE_FUNCTION && count)
		range = VM_RANGE_COUNT;
	if (x.inlines)
		x.lines = true;
	x.json = c.json;
	x.j = &c.j;
	o.lines = x.lines || do_list || do_source;
	o.inlines = x.inlines || (x.json && x.lines);

	k = vm_kernel_open(c.dump, &c.opts, &e);
	if (!k) {
		vm_cli_error(&c, &e);
		return vm_cli_exit(&c, VM_EXIT_FAIL);
	}
	x.code = vm_code_open(k, &o, &e);
	if (!x.code) {
		vm_cli_error(&c, &e);
		vm_kernel_close(k);
		return vm_cli_exit(&c, VM_EXIT_FAIL);
	}
	if (do_list || do_source) {
		if (source(&x, target, do_list, count) < 0)
			rc = VM_EXIT_FAIL;
	} else if (do_diff && !target) {
		if (vm_code_span_kernel(x.code, &sp, &e) < 0) {
			vm_cli_error(&c, &e);
			rc = VM_EXIT_FAIL;
		} else if (diff(&x, &sp) < 0) {
			rc = VM_EXIT_FAIL;
		}
	} else if (vm_code_span(x.code, target, range, count, &sp, &e) < 0) {
		vm_cli_error(&c, &e);
		rc = VM_EXIT_FAIL;
	} else if ((do_diff ? diff(&x, &sp) : disassemble(&x, &sp)) < 0) {
		rc = VM_EXIT_FAIL;
	}
	vm_code_close(x.code);
	vm_kernel_close(k);
	return vm_cli_exit(&c, rc);
}
