// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's sym layout: %lx address, the type letter, decimal offset (-x:
 * the kernel's hex), the module in brackets; with -l the DWARF line of the
 * address, and with a source tree that line's text.  Module addresses
 * would need their .ko's sections placed to have lines: not done yet.
 */
#include "../vmcore.h"
#include "../kernel/kernel.h"
#include "format.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/debuginfo.h"
#include "../types/lines.h"

struct vm_symprint {
	struct vm_kernel *k;
	FILE *f;
	struct vm_json *j;
	unsigned flags;
	const char *srcdir;
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
	struct vm_lines *lt;      /* -l: opened at the first line asked */
	bool lt_tried;
	uint64_t slide;
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
	vm_lines_close(p->lt);
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

static struct vm_lines *line_table(struct vm_symprint *p)
{
	struct vm_err e;
	const char *path;

	if (p->lt_tried)
		return p->lt;
	p->lt_tried = true;
	path = vm_kernel_vmlinux(p->k, &e);
	if (path)
		p->lt = vm_lines_open(path, !vm_opt_has(p->k->opts, "nocache"), &e);
	if (!p->lt) {
		warnf(p, "no source lines: %s", e.msg);
		return NULL;
	}
	p->slide = p->k->mem ? vm_mem_kaslr(p->k->mem) : 0;
	return p->lt;
}

/* 1 with *r set when addr has a line. */
static int source_line(struct vm_symprint *p, const struct vm_sym *s, uint64_t addr,
		       struct vm_line *r)
{
	struct vm_err e;

	if (!(p->flags & VM_SYMP_LINES) || s->module || !line_table(p))
		return 0;
	return vm_lines_addr(p->lt, addr - p->slide, r, &e) == 1;
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
	int have_line = source_line(p, s, addr, &line);
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
