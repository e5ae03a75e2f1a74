// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmsym — crash's `sym`: kernel and module symbols of a crash dump.
 *
 *   vmsym DUMP NAME...          ADDRESS (TYPE) NAME [module]
 *   vmsym DUMP ADDRESS...       ADDRESS (TYPE) NAME+OFF [module] (OFF decimal
 *                               like crash; -x: +0xOFF like the kernel)
 *   vmsym -q STRING DUMP        every symbol whose name contains STRING
 *   vmsym --list DUMP           every symbol, System.map style
 *   vmsym DUMP SYMBOL+OFF...    ADDRESS (TYPE) SYMBOL+OFF [module]
 *   vmsym --module MODULE DUMP  that module's symbols, System.map style
 *   vmsym --lsmod DUMP          the loaded modules (crash's mod)
 *
 * Symbols come from -k / a found vmlinux, else -m System.map, else the
 * dump's own kallsyms; module symbols from the dump's module list, walked
 * only when a query needs them.  On a kallsyms without data symbols, those
 * the library found in memory (init_task, modules, per-CPU offsets) are
 * marked "(derived)".
 *
 * Exit status: 0 every query answered; 1 a query had no answer (the others
 * are still printed) or no symbol source could be used; 2 usage.
 */
#include <inttypes.h>
#include <string.h>

#include "vmcore.h"

#define MAX_DUPS 64

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
	struct vm_symprint *sp;
	bool modules_tried;
};

/* Module symbols cost a module walk (and the kernel's types): only load
 * them when a query needs them. */
static void need_modules(struct ctx *x)
{
	struct vm_err e;

	if (x->modules_tried)
		return;
	x->modules_tried = true;
	if (vm_kernel_load_modules(x->k, &e) < 0)
		vm_cli_warn(x->c, "no module symbols: %s", e.msg);
}

static void warn_cb(void *ctx, const char *msg)
{
	vm_cli_warn(ctx, "%s", msg);
}

/* A query without an answer: "prog: DUMP: MSG" (unless said already) and,
 * with --json, {"error": MSG, "query": WHAT}. */
static int no_answer(struct ctx *x, const char *query, const char *msg, bool said)
{
	struct vm_cli *c = x->c;

	fflush(stdout);
	if (!said)
		fprintf(stderr, "%s: %s: %s\n", c->prog, c->dump, msg);
	if (c->json) {
		vm_json_error_begin(&c->j, msg);
		vm_json_kstr(&c->j, "query", query);
		vm_json_end(&c->j);
	}
	return -1;
}

static int query_name(struct ctx *x, const char *name)
{
	const struct vm_sym *found[MAX_DUPS];
	size_t n, i, alt = 0, l = strlen(name);
	char msg[600];

	n = vm_sym_by_name_all(x->st, name, NULL, found, MAX_DUPS);
	if (!n && !x->modules_tried) {
		need_modules(x);
		n = vm_sym_by_name_all(x->st, name, NULL, found, MAX_DUPS);
	}
	for (i = 0; i < n && i < MAX_DUPS; i++)
		vm_out_sym(x->sp, found[i], found[i]->addr, 0, name);
	if (n || vm_out_sym_derived(x->sp, name) == 0)
		return 0;
	/* like crash: offer the compiler's clones (name.constprop.0 ...) */
	need_modules(x);
	fflush(stdout);   /* keep stdout and stderr in order when merged */
	for (i = 0; i < vm_symtab_count(x->st); i++) {
		const struct vm_sym *s = vm_symtab_at(x->st, i);

		if (strncmp(s->name, name, l) || s->name[l] != '.')
			continue;
		if (!alt++)
			fprintf(stderr, "%s: symbol not found: %s; possible alternatives:\n",
				x->c->prog, name);
		fprintf(stderr, "  %" PRIx64 " (%c) %s%s%s%s\n", s->addr, s->type,
			s->name, s->module ? " [" : "", s->module ? s->module : "",
			s->module ? "]" : "");
	}
	snprintf(msg, sizeof(msg), "symbol not found: %s", name);
	return no_answer(x, name, msg, alt > 0);
}

static int query_addr(struct ctx *x, uint64_t addr, const char *arg)
{
	const struct vm_sym *s;
	uint64_t off = 0;
	char msg[64];

	/* An address outside vmlinux's symbols may be a module's. */
	s = vm_sym_by_addr(x->st, addr, &off);
	if (!s || s->module || (!s->size && off > 0x100000)) {
		need_modules(x);
		s = vm_sym_by_addr(x->st, addr, &off);
	}
	if (!s) {
		snprintf(msg, sizeof(msg), "no symbol at 0x%" PRIx64, addr);
		return no_answer(x, arg, msg, false);
	}
	vm_out_sym(x->sp, s, addr, off, arg);
	return 0;
}

static int search(struct ctx *x, const char *str)
{
	size_t i, n = 0;
	char msg[600];

	need_modules(x);
	for (i = 0; i < vm_symtab_count(x->st); i++) {
		const struct vm_sym *s = vm_symtab_at(x->st, i);

		if (strstr(s->name, str)) {
			vm_out_sym(x->sp, s, s->addr, 0, NULL);
			n++;
		}
	}
	snprintf(msg, sizeof(msg), "no symbol name contains \"%s\"", str);
	return n ? 0 : no_answer(x, str, msg, false);
}

static int list(struct ctx *x, const char *module)
{
	char msg[600];

	need_modules(x);
	if (module && !vm_kernel_has_module(x->k, module)) {
		snprintf(msg, sizeof(msg), "no module %s is loaded", module);
		return no_answer(x, module, msg, false);
	}
	vm_out_sym_list(x->sp, x->st, module);
	return 0;
}

/* SYMBOL+OFFSET: the symbol holding that address (a module's too) */
static int query_offset(struct ctx *x, const char *arg)
{
	struct vm_err e;
	struct vm_arg a;

	need_modules(x);
	if (vm_arg_resolve(x->k, NULL, arg, VM_ARG_SYMBOL, &a, &e) < 0)
		return no_answer(x, arg, e.msg, false);
	return query_addr(x, a.addr, arg);
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	const char *q = NULL, *module = NULL, *srcdir = NULL, *arg;
	bool do_list = false, do_lsmod = false, header = true;
	unsigned flags = 0;
	struct ctx x = { .c = &c };
	struct vm_err e = { 0 };
	int opt, i, rc = VM_EXIT_FAIL;

	vm_cli_init(&c, "vmsym", usage, options, renamed, argc, argv);
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_LINES: flags |= VM_SYMP_LINES; break;
		case VM_OPT_SOURCE: flags |= VM_SYMP_LINES; srcdir = arg; break;
		case VM_OPT_SEARCH: q = arg; break;
		case VM_OPT_MODULE: module = arg; break;
		case VM_OPT_LIST: do_list = true; break;
		case VM_OPT_HEX: flags |= VM_SYMP_HEX; break;
		case VM_OPT_LSMOD: do_lsmod = true; break;
		case VM_OPT_NO_HEADER: header = false; break;
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.dump = argv[optind++];
	if ((q != NULL) + do_list + (module != NULL) + do_lsmod > 1)
		vm_cli_usage_error(&c, "-q, --list, --module and --lsmod exclude each other");
	if ((q || do_list || module || do_lsmod) && optind < argc)
		vm_cli_usage_error(&c, "-q, --list, --module and --lsmod take no NAME or ADDRESS");
	if (!q && !do_list && !module && !do_lsmod && optind >= argc)
		vm_cli_usage_error(&c, "no NAME or ADDRESS given");

	x.k = vm_kernel_open(c.dump, &c.opts, &e);
	if (!x.k || !(x.st = vm_kernel_symtab_core(x.k, &e)) ||
	    !(x.sp = vm_symprint_open(x.k, stdout, c.json ? &c.j : NULL, flags, srcdir,
				      warn_cb, &c, &e))) {
		vm_cli_error(&c, &e);
		goto out;
	}
	rc = VM_EXIT_OK;
	if (do_lsmod && vm_out_lsmod(x.k, stdout, c.json ? &c.j : NULL, header, &e) < 0) {
		vm_cli_error(&c, &e);
		rc = VM_EXIT_FAIL;
	}
	if (q && search(&x, q) < 0)
		rc = VM_EXIT_FAIL;
	if ((do_list || module) && list(&x, module) < 0)
		rc = VM_EXIT_FAIL;
	for (i = optind; i < argc; i++) {
		struct vm_arg a;

		/* an address if it has 0x, or is all hex digits and no symbol has
		 * that name (a symbol may be called "add" or "dead"); else a name */
		if (strchr(argv[i], '+') ? query_offset(&x, argv[i]) < 0 :
		    vm_arg_resolve(x.k, NULL, argv[i], VM_ARG_ADDR | VM_ARG_SYMBOL |
				   VM_ARG_NAME_ONLY, &a, &e) == 0 &&
		    a.kind == VM_ARG_ADDR && !a.off ? query_addr(&x, a.addr, argv[i]) < 0
						     : query_name(&x, argv[i]) < 0)
			rc = VM_EXIT_FAIL;
	}
out:
	vm_symprint_close(x.sp);
	vm_kernel_close(x.k);
	return vm_cli_exit(&c, rc);
}
