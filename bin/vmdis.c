// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmdis — crash's `dis`, `dis -l`, `dis -r`, `dis -s` and `l *ADDR`: kernel
 * and module code of a crash dump, as it was in memory when it crashed.
 *
 *   vmdis DUMP TARGET [COUNT]     0xADDR <sym+off>:\tmnemonic operands
 *   vmdis -l ...                  with "FILE: LINE" where the line changes
 *   vmdis -r ADDR / -f ADDR       function start..ADDR / ADDR..function end
 *   vmdis --diff DUMP [TARGET]    where memory and the vmlinux/.ko differ
 *   vmdis -s DUMP TARGET          the source of the function (crash dis -s)
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

#include "kernel/code.h"
#include "kernel/kernel.h"
#include "out/cli.h"
#include "out/json.h"

#define OPT_FILE 0x2000
#define OPT_DIFF 0x2001
#define OPT_LIST 0x2002
#define OPT_SYNTAX 0x2003

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
	"  -r, --reverse          from the function's start up to and including\n"
	"                         the instruction at TARGET (crash dis -r)\n"
	"  -f, --forward          from TARGET to the function's end (crash dis -f)\n"
	"  -l, --lines            \"FILE: LINE\" before the instructions of each\n"
	"                         source line (DWARF: -k vmlinux, a module's .ko)\n"
	"  -i, --inlines          with -l: the inlined calls each line is in\n"
	"  -s, --source           the function's source around TARGET, as crash's\n"
	"                         dis -s (COUNT: that many lines after it)\n"
	"  -S, --source-dir DIR   source tree (default: the path in the DWARF);\n"
	"                         again for more trees (a module's source)\n"
	"      --list             crash's l *TARGET: \"ADDR is in FUNC (FILE:LINE).\"\n"
	"                         and the ten source lines around it\n"
	"  -M intel|att           instruction syntax (x86; default AT&T, as crash);\n"
	"                         any other -M argument is the module directory\n"
	"      --syntax intel|att the same\n"
	"      --file             read the code from the vmlinux / module .ko, not\n"
	"                         from the dump's memory\n"
	"      --diff             where memory and file differ, and which kernel\n"
	"                         table says why (alternative, jump label, ftrace\n"
	"                         call site, ...); without TARGET the whole kernel\n";

struct ctx {
	struct vm_cli *c;
	struct vm_code *code;
	struct vm_json j;
	bool json, lines, inlines;
	const char *srcdirs[8];
	unsigned nsrc;
	/* -l: the line printed last */
	const char *last_file;
	unsigned last_line;
	bool warned_lines;
};

static void json_insn(struct ctx *x, const struct vm_code_insn *ci, const char *side,
		      const char *why)
{
	unsigned i;
	char hexb[2 * VM_INSN_MAX + 1];

	for (i = 0; i < ci->in.len; i++)
		snprintf(hexb + 2 * i, 3, "%02x", ci->in.bytes[i]);
	vm_json_begin(&x->j);
	if (side) {
		vm_json_kstr(&x->j, "side", side);
		vm_json_kstr(&x->j, "patched_by", why);
	}
	vm_json_khex(&x->j, "address", ci->in.addr);
	vm_json_key(&x->j, "symbol");
	if (ci->sym)
		vm_json_str(&x->j, ci->sym);
	else
		vm_json_null(&x->j);
	vm_json_ku64(&x->j, "offset", ci->off);
	if (ci->module)
		vm_json_kstr(&x->j, "module", ci->module);
	vm_json_kstr(&x->j, "bytes", hexb);
	vm_json_kstr(&x->j, "mnemonic", ci->in.mnemonic);
	vm_json_kstr(&x->j, "operands", ci->in.operands);
	vm_json_kstr(&x->j, "text", ci->text);
	if (ci->in.has_target)
		vm_json_khex(&x->j, "target", ci->in.target);
	if (ci->in.has_ref)
		vm_json_khex(&x->j, "reference", ci->in.ref);
	if (ci->has_line) {
		vm_json_kstr(&x->j, "file", ci->line.file);
		vm_json_ku64(&x->j, "line", ci->line.line);
	}
	if (ci->ninl > 1) {
		vm_json_key(&x->j, "inlined");
		vm_json_arr_begin(&x->j);
		for (i = 0; i + 1 < ci->ninl; i++) {
			vm_json_obj_begin(&x->j);
			vm_json_kstr(&x->j, "function", ci->inl[i].func);
			vm_json_kstr(&x->j, "into", ci->inl[i + 1].func);
			if (ci->inl[i].call_file) {
				vm_json_kstr(&x->j, "call_file", ci->inl[i].call_file);
				vm_json_ku64(&x->j, "call_line", ci->inl[i].call_line);
			}
			vm_json_obj_end(&x->j);
		}
		vm_json_arr_end(&x->j);
	}
	vm_json_end(&x->j);
}

static void print_insn(struct ctx *x, const struct vm_code_insn *ci, const char *pfx)
{
	if (ci->label[0])
		printf("%s0x%" PRIx64 " <%s>:\t%s\n", pfx, ci->in.addr, ci->label, ci->text);
	else
		printf("%s0x%" PRIx64 ":\t%s\n", pfx, ci->in.addr, ci->text);
}

static void print_line(struct ctx *x, const struct vm_code_insn *ci)
{
	unsigned i;

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
	printf("%s: %u\n", ci->line.file, ci->line.line);
	for (i = 0; x->inlines && i + 1 < ci->ninl; i++)
		printf("    inlined %s() into %s() at %s: %u\n", ci->inl[i].func,
		       ci->inl[i + 1].func, ci->inl[i].call_file ? ci->inl[i].call_file : "??",
		       ci->inl[i].call_line);
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
			json_insn(x, &ci, NULL, NULL);
			continue;
		}
		if (x->lines)
			print_line(x, &ci);
		print_insn(x, &ci, "");
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
	unsigned i;
	int r;

	while ((r = vm_code_diff_next(x->code, sp, &h, &e)) == 1) {
		if (x->json) {
			for (i = 0; i < h.nfile; i++)
				json_insn(x, &h.file[i], "file", h.why);
			for (i = 0; i < h.nmem; i++)
				json_insn(x, &h.mem[i], "memory", h.why);
			continue;
		}
		printf("@@ 0x%" PRIx64 " <%s> %" PRIu64 " bytes: %s\n", h.start,
		       h.nmem ? h.mem[0].label : "?", h.end - h.start,
		       h.why[0] ? h.why : "not in the kernel's patch tables");
		for (i = 0; i < h.nfile; i++)
			print_insn(x, &h.file[i], "-");
		for (i = 0; i < h.nmem; i++)
			print_insn(x, &h.mem[i], "+");
		if (h.more)
			printf("...\n");
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
	size_t i;

	if (vm_code_source(x->code, target, list ? VM_LIST_AROUND : VM_LIST_FUNCTION, count,
			   x->srcdirs, x->nsrc, &s, &e) < 0) {
		vm_cli_error(x->c, &e);
		return -1;
	}
	if (x->json) {
		vm_json_begin(&x->j);
		vm_json_khex(&x->j, "address", s.addr);
		vm_json_kstr(&x->j, "function", s.func);
		vm_json_kstr(&x->j, "file", s.file);
		vm_json_ku64(&x->j, "line", s.line);
		vm_json_kstr(&x->j, "path", s.path);
		vm_json_key(&x->j, "source");
		vm_json_arr_begin(&x->j);
		for (i = 0; i < s.n; i++) {
			vm_json_obj_begin(&x->j);
			vm_json_ku64(&x->j, "line", s.lines[i].no);
			vm_json_kstr(&x->j, "text", s.lines[i].text);
			vm_json_obj_end(&x->j);
		}
		vm_json_arr_end(&x->j);
		vm_json_end(&x->j);
	} else if (list) {
		printf("0x%" PRIx64 " is in %s (%s:%u).\n", s.addr, s.func, s.file, s.line);
		for (i = 0; i < s.n; i++)
			printf("%u\t%s\n", s.lines[i].no, s.lines[i].text);
	} else {
		printf("FILE: %s\nLINE: %u\n\n", s.file, s.line);
		for (i = 0; i < s.n; i++)
			printf("%s%u\t%s\n", s.lines[i].no == s.line ? "* " : "  ",
			       s.lines[i].no, s.lines[i].text);
		printf("\n");
	}
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
	static const struct option longopts[] = {
		{ "reverse", no_argument, NULL, 'r' },
		{ "forward", no_argument, NULL, 'f' },
		{ "lines", no_argument, NULL, 'l' },
		{ "inlines", no_argument, NULL, 'i' },
		{ "source", no_argument, NULL, 's' },
		{ "source-dir", required_argument, NULL, 'S' },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "file", no_argument, NULL, OPT_FILE },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ "syntax", required_argument, NULL, OPT_SYNTAX },
		VM_CLI_LONG,
		{ NULL, 0, NULL, 0 },
	};
	struct vm_cli c = { .prog = "vmdis", .usage = usage };
	struct vm_code_opts o = { .syntax = VM_DIS_ATT, .src = VM_CODE_MEMORY };
	enum vm_code_range range = VM_RANGE_FUNCTION;
	bool do_diff = false, do_list = false, do_source = false;
	struct vm_code_span sp;
	struct ctx x = { .c = &c };
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	const char *target = NULL;
	unsigned long count = 0;
	int opt, rc = VM_EXIT_OK;

	while ((opt = getopt_long(argc, argv, "rflisS:" VM_CLI_SHORT, longopts, NULL)) != -1) {
		switch (opt) {
		case 'r': range = VM_RANGE_UPTO; break;
		case 'f': range = VM_RANGE_FROM; break;
		case 'l': x.lines = true; break;
		case 'i': x.inlines = true; break;
		case 's': do_source = true; break;
		case 'S':
			if (x.nsrc == sizeof(x.srcdirs) / sizeof(x.srcdirs[0]))
				vm_cli_usage_error(&c, "at most 8 -S directories");
			x.srcdirs[x.nsrc++] = optarg;
			break;
		case OPT_LIST: do_list = true; break;
		case OPT_FILE: o.src = VM_CODE_FILE; break;
		case OPT_DIFF: do_diff = true; break;
		case 'M':
		case OPT_SYNTAX:
			/* objdump's -M intel / -M att; anything else is -M DIR */
			if (!strcmp(optarg, "intel") || !strcmp(optarg, "att")) {
				o.syntax = optarg[0] == 'i' ? VM_DIS_INTEL : VM_DIS_ATT;
				break;
			}
			if (opt == OPT_SYNTAX)
				vm_cli_usage_error(&c, "--syntax wants intel or att");
			vm_cli_common(&c, opt, optarg);
			break;
		default:
			if (!vm_cli_common(&c, opt, optarg))
				vm_cli_usage_error(&c, "unknown option");
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.opts.dump_path = argv[optind++];
	if (optind < argc)
		target = argv[optind++];
	if (optind < argc)
		count = parse_count(&c, argv[optind++]);
	if (optind < argc)
		vm_cli_usage_error(&c, "too many arguments");
	if (!target && !do_diff)
		vm_cli_usage_error(&c, "no TARGET given");
	if (do_diff + do_list + do_source + (o.src == VM_CODE_FILE && do_diff) > 1)
		vm_cli_usage_error(&c, "--diff, --list and -s exclude each other (and --file)");
	if (range != VM_RANGE_FUNCTION && count)
		range = range;   /* crash: -r/-f with COUNT */
	else if (count)
		range = VM_RANGE_COUNT;
	if (x.inlines)
		x.lines = true;
	o.lines = x.lines || do_list || do_source;
	o.inlines = x.inlines || (x.json && x.lines);
	x.json = c.opts.json;
	if (x.json) {
		vm_json_init(&x.j, stdout);
		o.inlines = o.lines;
	}

	k = vm_kernel_open(&c.opts, &e);
	if (!k) {
		vm_cli_error(&c, &e);
		return VM_EXIT_FAIL;
	}
	x.code = vm_code_open(k, &o, &e);
	if (!x.code) {
		vm_cli_error(&c, &e);
		vm_kernel_close(k);
		return VM_EXIT_FAIL;
	}
	if (do_list || do_source) {
		if (source(&x, target, do_list, count) < 0)
			rc = VM_EXIT_FAIL;
	} else if (do_diff && !target) {
		if (vm_code_span_kernel(x.code, &sp, &e) < 0 || diff(&x, &sp) < 0) {
			if (e.code)
				vm_cli_error(&c, &e);
			rc = VM_EXIT_FAIL;
		}
	} else if (vm_code_span(x.code, target, range, count, &sp, &e) < 0) {
		vm_cli_error(&c, &e);
		rc = VM_EXIT_FAIL;
	} else if ((do_diff ? diff(&x, &sp) : disassemble(&x, &sp)) < 0) {
		rc = VM_EXIT_FAIL;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "vmdis: write error: %s\n", strerror(errno));
		rc = VM_EXIT_FAIL;
	}
	vm_code_close(x.code);
	vm_kernel_close(k);
	return rc;
}
