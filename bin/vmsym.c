// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmsym — crash's `sym`: kernel and module symbols of a crash dump.
 *
 *   vmsym DUMP NAME...       ADDRESS (TYPE) NAME [module]
 *   vmsym DUMP ADDRESS...    ADDRESS (TYPE) NAME+OFF [module] (OFF decimal
 *                            like crash; -x: +0xOFF like the kernel)
 *   vmsym -q STRING DUMP     every symbol whose name contains STRING
 *   vmsym DUMP SYMBOL+OFF... ADDRESS (TYPE) SYMBOL+OFF [module]
 *   vmsym --list DUMP        every symbol, System.map style
 *   vmsym --module MODULE DUMP   that module's symbols, System.map style
 *   vmsym --lsmod DUMP       the loaded modules (crash's mod)
 *
 * Symbols come from -k / a found vmlinux, else -m System.map, else the
 * dump's own kallsyms; module symbols from the dump's module list.  On a
 * kallsyms without data symbols, those the library found in memory
 * (init_task, modules, per-CPU offsets) are marked "(derived)".
 *
 * Exit status: 0 every query answered; 1 a query had no answer (the others
 * are still printed) or no symbol source could be used; 2 usage.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/debuginfo.h"
#include "kernel/datasyms.h"
#include "kernel/derived.h"
#include "kernel/kernel.h"
#include "kernel/modules.h"
#include "kernel/srclines.h"
#include "kernel/vars.h"
#include "out/cli.h"
#include "out/json.h"
#include "out/mod.h"
#include "types/lines.h"

#define MAX_DUPS 64
#define OPT_LIST 0x2000

static const char usage[] =
	"Usage: vmsym [options] DUMP NAME|ADDRESS...\n"
	"       vmsym [options] -q STRING DUMP\n"
	"       vmsym [options] --list DUMP\n"
	"       vmsym [options] --module MODULE DUMP\n"
	"       vmsym [options] --lsmod DUMP\n"
	"Look up kernel and module symbols of a crash dump, like crash's `sym`.\n"
	"  NAME                   print ADDRESS (TYPE) NAME [module]\n"
	"  ADDRESS                (hex; 0x optional) print the symbol holding it\n"
	"                         as ADDRESS (TYPE) NAME+OFFSET [module]\n"
	"  SYMBOL+OFFSET          (OFFSET decimal or 0x hex) the same for that address\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_HEX, "offsets in hex (+0x1c, as the kernel prints them); the "
	  "default is decimal, as crash prints them" },
	{ VM_OPT_SEARCH, NULL },
	{ VM_OPT_LIST, NULL },
	{ VM_OPT_MODULE, NULL },
	{ VM_OPT_LINES, "append the source file and line (from the vmlinux's "
	  "DWARF), as crash's sym does" },
	{ VM_OPT_SOURCE, NULL },
	{ VM_OPT_LSMOD, NULL },
	{ VM_OPT_NO_HEADER, "no header line (--lsmod)" },
	{ VM_OPT_END, NULL },
};

/* letters given up for the option table */
static const struct vm_renamed renamed[] = {
	{ 's', "--module" }, { 'S', "--source" }, { 0, NULL },
};

struct ctx {
	struct vm_kernel *k;
	struct vm_cli *c;
	struct vm_symtab *st;
	bool json;
	bool hex;              /* -x: offsets as +0x1c, like the kernel's %pS */
	struct vm_json *j;
	bool modules_tried;
	/* -l / -S: see "source lines" below */
	bool lines;
	const char *srcdir;
	struct vm_srclines *sl;
	bool sl_tried;
};

/* ---- source lines (-l, -S): kernel/srclines.h ----
 * crash's sym appends "FILE: LINE" to a symbol whose address has a line
 * (the vmlinux's for kernel text, the module's .ko's for module text);
 * -S prints the line's text from a source tree.  A table that cannot be
 * opened is said once. */

/* 1 with *r set when addr has a line. */
static int source_line(struct ctx *x, uint64_t addr, struct vm_line *r)
{
	struct vm_err e = { 0 };
	int rc;

	if (!x->lines)
		return 0;
	if (!x->sl && !x->sl_tried) {
		x->sl_tried = true;
		x->sl = vm_srclines_new(x->k, &e);
	}
	rc = x->sl ? vm_srclines_at(x->sl, addr, r, &e) : -1;
	if (rc < 0 && e.msg[0]) {
		fflush(stdout);
		vm_cli_warn(x->c, "no source lines: %s", e.msg);
	}
	return rc == 1;
}

static void print_source_text(struct ctx *x, const struct vm_line *r)
{
	char path[4096], buf[4096];
	unsigned n = 0;
	FILE *f;

	if (!x->srcdir)
		return;
	snprintf(path, sizeof(path), "%s/%s", x->srcdir, r->rel);
	f = fopen(path, "r");
	if (!f) {
		fflush(stdout);
		vm_cli_warn(x->c, "%s: cannot open source", path);
		return;
	}
	while (fgets(buf, sizeof(buf), f))
		if (++n == r->line) {
			printf("%u\t%s", n, buf);
			if (!strchr(buf, '\n'))
				putchar('\n');
			break;
		}
	fclose(f);
}

/* Module symbols cost a module walk (and the kernel's types): only load
 * them when a query needs them. */
static void need_modules(struct ctx *x)
{
	struct vm_err e;

	if (x->modules_tried)
		return;
	x->modules_tried = true;
	if (vm_kernel_load_modules(x->k, &e) < 0) {
		fflush(stdout);
		vm_cli_warn(x->c, "no module symbols: %s", e.msg);
	}
}

/* --json: {"error": MSG, "query": WHAT} for a query without an answer */
static void json_error(struct ctx *x, const char *query, const char *msg)
{
	if (!x->json)
		return;
	vm_json_error_begin(x->j, msg);
	vm_json_kstr(x->j, "query", query);
	vm_json_end(x->j);
}

static void print_sym(struct ctx *x, const struct vm_sym *s, uint64_t addr, uint64_t off,
		      const char *query)
{
	struct vm_line line;
	int have_line = source_line(x, addr, &line);

	if (x->json) {
		vm_json_begin(x->j);
		if (query)
			vm_json_kstr(x->j, "query", query);
		vm_json_khex(x->j, "address", addr);
		vm_json_key(x->j, "type");
		vm_json_strn(x->j, &s->type, 1);
		vm_json_kstr(x->j, "name", s->name);
		vm_json_khex(x->j, "symbol_address", s->addr);
		vm_json_ku64(x->j, "offset", off);
		if (s->size)
			vm_json_ku64(x->j, "size", s->size);
		vm_json_key(x->j, "module");
		if (s->module)
			vm_json_str(x->j, s->module);
		else
			vm_json_null(x->j);
		if (have_line) {
			vm_json_kstr(x->j, "file", line.file);
			vm_json_ku64(x->j, "line", line.line);
		}
		vm_json_end(x->j);
		return;
	}
	/* crash's layout: %lx address, decimal offset */
	printf("%" PRIx64 " (%c) %s", addr, s->type, s->name);
	if (off)
		printf(x->hex ? "+0x%" PRIx64 : "+%" PRIu64, off);
	if (s->module)
		printf(" [%s]", s->module);
	if (have_line)
		printf(" %s: %u", line.file, line.line);
	putchar('\n');
	if (have_line)
		print_source_text(x, &line);
}

/* System.map / /proc/kallsyms line. */
static void print_map_line(struct ctx *x, const struct vm_sym *s)
{
	if (x->json) {
		print_sym(x, s, s->addr, 0, NULL);
		return;
	}
	if (s->module)
		printf("%016" PRIx64 " %c %s\t[%s]\n", s->addr, s->type, s->name, s->module);
	else
		printf("%016" PRIx64 " %c %s\n", s->addr, s->type, s->name);
}

/* A data symbol kallsyms lacks but the library found in memory. */
static void print_derived(struct ctx *x, const struct vm_derived_sym *d, bool map)
{
	if (x->json) {
		vm_json_begin(x->j);
		vm_json_khex(x->j, "address", d->addr);
		vm_json_key(x->j, "type");
		vm_json_strn(x->j, &d->type, 1);
		vm_json_kstr(x->j, "name", d->name);
		vm_json_kbool(x->j, "derived", true);
		vm_json_kstr(x->j, "how", d->how);
		vm_json_end(x->j);
	} else if (map) {
		printf("%016" PRIx64 " %c %s (derived)\n", d->addr, d->type, d->name);
	} else {
		printf("%" PRIx64 " (%c) %s (derived)\n", d->addr, d->type, d->name);
	}
}

static int query_derived(struct ctx *x, const char *name)
{
	struct vm_derived_sym d;
	struct vm_err e;

	if (!vm_kernel_text_only(x->k) || vm_kernel_derived_lookup(x->k, name, &d, &e) <= 0)
		return -1;
	print_derived(x, &d, false);
	return 0;
}

static int query_name(struct ctx *x, const char *name)
{
	const struct vm_sym *found[MAX_DUPS];
	size_t n, i, alt = 0;

	n = vm_sym_by_name_all(x->st, name, NULL, found, MAX_DUPS);
	if (!n && !x->modules_tried) {
		need_modules(x);
		n = vm_sym_by_name_all(x->st, name, NULL, found, MAX_DUPS);
	}
	for (i = 0; i < n && i < MAX_DUPS; i++)
		print_sym(x, found[i], found[i]->addr, 0, name);
	if (n)
		return 0;
	if (query_derived(x, name) == 0)
		return 0;
	/* like crash: offer the compiler's clones (name.constprop.0 ...) */
	need_modules(x);
	fflush(stdout);   /* keep stdout and stderr in order when merged */
	for (i = 0; i < vm_symtab_count(x->st); i++) {
		const struct vm_sym *s = vm_symtab_at(x->st, i);
		size_t l = strlen(name);

		if (!strncmp(s->name, name, l) && s->name[l] == '.') {
			if (!alt++)
				fprintf(stderr, "%s: symbol not found: %s; possible alternatives:\n",
					x->c->prog, name);
			fprintf(stderr, "  %" PRIx64 " (%c) %s%s%s%s\n", s->addr, s->type,
				s->name, s->module ? " [" : "", s->module ? s->module : "",
				s->module ? "]" : "");
		}
	}
	if (!alt)
		fprintf(stderr, "%s: %s: symbol not found: %s\n", x->c->prog,
			x->c->opts.dump_path, name);
	json_error(x, name, "symbol not found");
	return -1;
}

static int query_addr(struct ctx *x, uint64_t addr, const char *arg)
{
	const struct vm_sym *s;
	uint64_t off = 0;

	/* An address outside vmlinux's symbols may be a module's. */
	s = vm_sym_by_addr(x->st, addr, &off);
	if (!s || s->module || (!s->size && off > 0x100000)) {
		need_modules(x);
		s = vm_sym_by_addr(x->st, addr, &off);
	}
	if (!s) {
		fflush(stdout);
		fprintf(stderr, "%s: %s: no symbol at 0x%" PRIx64 "\n", x->c->prog,
			x->c->opts.dump_path, addr);
		json_error(x, arg, "no symbol at this address");
		return -1;
	}
	print_sym(x, s, addr, off, arg);
	return 0;
}

/* SYMBOL+OFFSET: the symbol holding that address (a module's too) */
static int query_offset(struct ctx *x, const char *arg)
{
	struct vm_err e;
	uint64_t addr;

	need_modules(x);
	if (vm_kernel_resolve_addr(x->k, arg, &addr, &e) < 0) {
		fflush(stdout);
		fprintf(stderr, "%s: %s: %s\n", x->c->prog, x->c->opts.dump_path, e.msg);
		json_error(x, arg, e.msg);
		return -1;
	}
	return query_addr(x, addr, arg);
}

static int search(struct ctx *x, const char *str)
{
	size_t i, n = 0;

	need_modules(x);
	for (i = 0; i < vm_symtab_count(x->st); i++) {
		const struct vm_sym *s = vm_symtab_at(x->st, i);

		if (strstr(s->name, str)) {
			print_sym(x, s, s->addr, 0, NULL);
			n++;
		}
	}
	if (!n) {
		fprintf(stderr, "%s: %s: no symbol name contains \"%s\"\n", x->c->prog,
			x->c->opts.dump_path, str);
		json_error(x, str, "no symbol name contains it");
		return -1;
	}
	return 0;
}

static int list(struct ctx *x, const char *module)
{
	struct vm_derived_sym d[8];
	size_t i, k = 0, nd = 0;

	need_modules(x);
	if (module) {
		const struct vm_modlist *ml = x->k->modlist;
		bool known = false;

		for (i = 0; ml && i < ml->n; i++)
			if (!strcmp(ml->mods[i].name, module))
				known = true;
		if (!known) {
			fprintf(stderr, "%s: %s: no module %s is loaded\n", x->c->prog,
				x->c->opts.dump_path, module);
			json_error(x, module, "no such module is loaded");
			return -1;
		}
	}
	if (!module)
		nd = vm_kernel_derived_symbols(x->k, d, sizeof(d) / sizeof(d[0]));
	for (i = 0; i < vm_symtab_count(x->st); i++) {
		const struct vm_sym *s = vm_symtab_at(x->st, i);

		if (module && (!s->module || strcmp(s->module, module)))
			continue;
		while (k < nd && d[k].addr < s->addr)
			print_derived(x, &d[k++], true);
		print_map_line(x, s);
	}
	while (k < nd)
		print_derived(x, &d[k++], true);
	return 0;
}

static int lsmod(struct ctx *x, bool header)
{
	const struct vm_modlist *ml;
	struct vm_err e;

	ml = vm_kernel_modules(x->k, &e);
	if (!ml) {
		vm_cli_error(x->c, &e);
		return -1;
	}
	vm_out_modules(stdout, x->json ? x->j : NULL, ml, header);
	return 0;
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	const char *q = NULL, *module = NULL, *arg;
	bool do_list = false, do_lsmod = false, header = true;
	struct ctx x = { 0 };
	struct vm_err e = { 0 };
	int opt, i, rc = VM_EXIT_OK;

	vm_cli_init(&c, "vmsym", usage, options, renamed, argc, argv);
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		if (opt == VM_OPT_LINES)
			x.lines = true;
		else if (opt == VM_OPT_SOURCE)
			x.lines = true, x.srcdir = arg;
		else if (opt == VM_OPT_SEARCH)
			q = arg;
		else if (opt == VM_OPT_MODULE)
			module = arg;
		else if (opt == VM_OPT_LIST)
			do_list = true;
		else if (opt == VM_OPT_HEX)
			x.hex = true;
		else if (opt == VM_OPT_LSMOD)
			do_lsmod = true;
		else if (opt == VM_OPT_NO_HEADER)
			header = false;
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.opts.dump_path = argv[optind++];
	if ((q != NULL) + do_list + (module != NULL) + do_lsmod > 1)
		vm_cli_usage_error(&c, "-q, --list, --module and --lsmod exclude each other");
	if ((q || do_list || module || do_lsmod) && optind < argc)
		vm_cli_usage_error(&c, "-q, --list, --module and --lsmod take no NAME or ADDRESS");
	if (!q && !do_list && !module && !do_lsmod && optind >= argc)
		vm_cli_usage_error(&c, "no NAME or ADDRESS given");

	x.c = &c;
	x.json = c.opts.json;
	x.j = &c.j;
	x.k = vm_kernel_open(&c.opts, &e);
	if (!x.k || !(x.st = vm_kernel_symtab_core(x.k, &e))) {
		vm_cli_error(&c, &e);
		vm_kernel_close(x.k);
		return vm_cli_exit(&c, VM_EXIT_FAIL);
	}
	if (do_lsmod)
		rc = lsmod(&x, header) < 0 ? VM_EXIT_FAIL : VM_EXIT_OK;
	else if (q)
		rc = search(&x, q) < 0 ? VM_EXIT_FAIL : VM_EXIT_OK;
	else if (do_list || module)
		rc = list(&x, module) < 0 ? VM_EXIT_FAIL : VM_EXIT_OK;
	for (i = optind; i < argc; i++) {
		uint64_t addr;
		int r;

		/* an address if it has 0x, or is all hex digits and no symbol has
		 * that name (a symbol may be called "add" or "dead") */
		if (vm_cli_parse_hex(argv[i], &addr) &&
		    (!strncmp(argv[i], "0x", 2) || !vm_sym_by_name(x.st, argv[i], NULL)))
			r = query_addr(&x, addr, argv[i]);
		else if (strchr(argv[i], '+'))
			r = query_offset(&x, argv[i]);
		else
			r = query_name(&x, argv[i]);
		if (r < 0)
			rc = VM_EXIT_FAIL;
	}
	vm_srclines_free(x.sl);
	vm_kernel_close(x.k);
	return vm_cli_exit(&c, rc);
}
