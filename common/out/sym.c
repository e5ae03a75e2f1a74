// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's sym layout: %lx address, the type letter, decimal offset (-x:
 * the kernel's hex), the module in brackets; with -l the DWARF line of the
 * address (kernel/srclines.h: the vmlinux's, or the module's .ko's), and
 * with a source tree that line's text.  On a kallsyms without data
 * symbols, those the library found in memory are marked "(derived)".
 */
#include "../vmcore.h"
#include "../kernel/kernel.h"
#include "format.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/datasyms.h"
#include "../kernel/debuginfo.h"
#include "../kernel/derived.h"
#include "../kernel/srclines.h"
#include "../types/lines.h"

struct vm_symprint {
	struct vm_kernel *k;
	FILE *f;
	struct vm_json *j;
	unsigned flags;
	const char *srcdir;
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
	struct vm_srclines *sl;   /* -l: opened at the first line asked */
	bool sl_tried;
};

struct vm_symprint *vm_symprint_open(struct vm_kernel *k, FILE *f, struct vm_json *j,
				     unsigned flags, const char *srcdir,
				     void (*warn)(void *ctx, const char *msg), void *ctx,
				     struct vm_err *e)
{
	struct vm_symprint *p = vm_calloc(1, sizeof(*p), e);

	if (!p)
		return NULL;
	*p = (struct vm_symprint){ .k = k, .f = f, .j = j, .flags = flags,
				   .srcdir = srcdir, .warn = warn, .ctx = ctx };
	return p;
}

void vm_symprint_close(struct vm_symprint *p)
{
	if (!p)
		return;
	vm_srclines_free(p->sl);
	free(p);
}

static void warnf(struct vm_symprint *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warnf(struct vm_symprint *p, const char *fmt, ...)
{
	char msg[1200];
	va_list ap;

	if (!p->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(p->f);
	p->warn(p->ctx, msg);
}

/* 1 with *r set when addr has a line; a table that cannot be opened is
 * said once (srclines says each table's failure once). */
static int source_line(struct vm_symprint *p, uint64_t addr, struct vm_line *r)
{
	struct vm_err e = { 0 };
	int rc;

	if (!(p->flags & VM_SYMP_LINES))
		return 0;
	if (!p->sl && !p->sl_tried) {
		p->sl_tried = true;
		p->sl = vm_srclines_new(p->k, &e);
	}
	rc = p->sl ? vm_srclines_at(p->sl, addr, r, &e) : -1;
	if (rc < 0 && e.msg[0])
		warnf(p, "no source lines: %s", e.msg);
	return rc == 1;
}

static void print_source_text(struct vm_symprint *p, const struct vm_line *r)
{
	char path[4096], buf[4096];
	unsigned n = 0;
	FILE *src;

	if (!p->srcdir)
		return;
	snprintf(path, sizeof(path), "%s/%s", p->srcdir, r->rel);
	src = fopen(path, "r");
	if (!src) {
		warnf(p, "%s: cannot open source", path);
		return;
	}
	while (fgets(buf, sizeof(buf), src))
		if (++n == r->line) {
			fprintf(p->f, "%u\t%s", n, buf);
			if (!strchr(buf, '\n'))
				fputc('\n', p->f);
			break;
		}
	fclose(src);
}

void vm_out_sym(struct vm_symprint *p, const struct vm_sym *s, uint64_t addr,
		uint64_t off, const char *query)
{
	struct vm_line line;
	int have_line = source_line(p, addr, &line);
	char name[600];

	if (p->j) {
		vm_json_begin(p->j);
		if (query)
			vm_json_kstr(p->j, "query", query);
		vm_json_khex(p->j, "address", addr);
		vm_json_key(p->j, "type");
		vm_json_strn(p->j, &s->type, 1);
		vm_json_kstr(p->j, "name", s->name);
		vm_json_khex(p->j, "symbol_address", s->addr);
		vm_json_ku64(p->j, "offset", off);
		if (s->size)
			vm_json_ku64(p->j, "size", s->size);
		vm_json_key(p->j, "module");
		if (s->module)
			vm_json_str(p->j, s->module);
		else
			vm_json_null(p->j);
		if (have_line) {
			vm_json_kstr(p->j, "file", line.file);
			vm_json_ku64(p->j, "line", line.line);
		}
		vm_json_end(p->j);
		return;
	}
	vm_format_symoff(s->name, off, VM_SYMF_OFF | ((p->flags & VM_SYMP_HEX) ? VM_SYMF_HEX : 0),
			 name, sizeof(name));
	fprintf(p->f, "%" PRIx64 " (%c) %s", addr, s->type, name);
	if (s->module)
		fprintf(p->f, " [%s]", s->module);
	if (have_line)
		fprintf(p->f, " %s: %u", line.file, line.line);
	fputc('\n', p->f);
	if (have_line)
		print_source_text(p, &line);
}

void vm_out_sym_map(struct vm_symprint *p, const struct vm_sym *s)
{
	if (p->j)
		vm_out_sym(p, s, s->addr, 0, NULL);
	else if (s->module)
		fprintf(p->f, "%016" PRIx64 " %c %s\t[%s]\n", s->addr, s->type, s->name, s->module);
	else
		fprintf(p->f, "%016" PRIx64 " %c %s\n", s->addr, s->type, s->name);
}

/* A data symbol kallsyms lacks but the library found in memory. */
static void out_derived(struct vm_symprint *p, const struct vm_derived_sym *d, bool map)
{
	if (p->j) {
		vm_json_begin(p->j);
		vm_json_khex(p->j, "address", d->addr);
		vm_json_key(p->j, "type");
		vm_json_strn(p->j, &d->type, 1);
		vm_json_kstr(p->j, "name", d->name);
		vm_json_kbool(p->j, "derived", true);
		vm_json_kstr(p->j, "how", d->how);
		vm_json_end(p->j);
	} else if (map) {
		fprintf(p->f, "%016" PRIx64 " %c %s (derived)\n", d->addr, d->type, d->name);
	} else {
		fprintf(p->f, "%" PRIx64 " (%c) %s (derived)\n", d->addr, d->type, d->name);
	}
}

int vm_out_sym_derived(struct vm_symprint *p, const char *name)
{
	struct vm_derived_sym d;
	struct vm_err e;

	if (!vm_kernel_text_only(p->k) || vm_kernel_derived_lookup(p->k, name, &d, &e) <= 0)
		return -1;
	out_derived(p, &d, false);
	return 0;
}

void vm_out_sym_list(struct vm_symprint *p, struct vm_symtab *st, const char *module)
{
	struct vm_derived_sym d[8];
	size_t i, k = 0, nd = 0;

	if (!module)
		nd = vm_kernel_derived_symbols(p->k, d, sizeof(d) / sizeof(d[0]));
	for (i = 0; i < vm_symtab_count(st); i++) {
		const struct vm_sym *s = vm_symtab_at(st, i);

		if (module && (!s->module || strcmp(s->module, module)))
			continue;
		while (k < nd && d[k].addr < s->addr)
			out_derived(p, &d[k++], true);
		vm_out_sym_map(p, s);
	}
	while (k < nd)
		out_derived(p, &d[k++], true);
}
