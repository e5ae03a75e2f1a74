// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Source text around an address: gdb's `list *ADDR` (which crash's
 * `l *ADDR` is) and crash's `dis -s` (kernel.c, which runs `list *ADDR`
 * and keeps listing to the function's closing brace).
 */
#include "code_impl.h"
#include "../file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* no source file is near this */
#define MAX_SOURCE (64u << 20)
/* gdb's "listsize" */
#define LIST_SIZE 10

/* gdb names a file the way its line table does: relative to the build
 * directory, with a "./" the compiler wrote kept. */
static void display_name(const struct vm_line *l, char *buf, size_t n)
{
	size_t fl = strlen(l->file), rl = strlen(l->rel);

	if (l->rel == l->file || rl >= fl) {
		snprintf(buf, n, "%s", l->file);
		return;
	}
	/* file = comp_dir "/" [./]* rel */
	if (fl >= rl + 3 && !strncmp(l->file + fl - rl - 3, "/./", 3))
		snprintf(buf, n, "./%s", l->rel);
	else
		snprintf(buf, n, "%s", l->rel);
}

/* The file of l under one of srcdirs: its path relative to the build
 * directory there; a file outside the build directory (a module built
 * out of tree: /usr/src/crashmod/crashmod.c) under its path or any tail
 * of it (DIR/crashmod.c).  Without srcdirs, the DWARF's path. */
static int find_source(const char *const *srcdirs, unsigned nsrc, const struct vm_line *l,
		       char *path, size_t n)
{
	unsigned i;

	if (!nsrc) {
		snprintf(path, n, "%s", l->file);
		return 0;
	}
	for (i = 0; i < nsrc; i++) {
		const char *tail = l->rel;

		for (;;) {
			while (*tail == '/')
				tail++;
			snprintf(path, n, "%s/%s", srcdirs[i], tail);
			if (access(path, R_OK) == 0)
				return 0;
			tail = strchr(tail, '/');
			if (!tail || l->rel[0] != '/')
				break;
		}
	}
	return -1;
}

int vm_code_source(struct vm_code *c, const char *target, enum vm_code_listing how,
		   unsigned long count, const char *const *srcdirs, unsigned nsrc,
		   struct vm_code_source *out, struct vm_err *e)
{
	struct vm_inline_frame inl[VM_CODE_MAX_INLINE];
	const struct vm_sym *s;
	unsigned ninl = 0, first, last, no;
	uint64_t off;
	size_t size, cap = 0;
	uint8_t *text;
	char *p;
	int r;

	memset(out, 0, sizeof(*out));
	if (vm_code_resolve(c, target, &out->addr, &s, &off, e) < 0)
		return -1;
	{
		struct vm_line l;

		r = vm_code_line(c, out->addr, &l, inl, &ninl, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return vm_fail(e, VM_ENOENT, "0x%" PRIx64 " (%s+%" PRIu64 "): no source "
				       "line in the DWARF", out->addr, s->name, off);
		out->line = l.line;
		display_name(&l, out->file, sizeof(out->file));
		if (find_source(srcdirs, nsrc, &l, out->path, sizeof(out->path)) < 0)
			snprintf(out->path, sizeof(out->path), "%s", nsrc ? l.rel : l.file);
	}
	/* gdb: the function, not what was inlined into it */
	snprintf(out->func, sizeof(out->func), "%s",
		 ninl ? inl[ninl - 1].func : s->name);
	if (vm_read_file(out->path, MAX_SOURCE, "a source file", &text, &size, e) < 0) {
		vm_err_prefix(e, "%s:%u: ", out->file, out->line);
		if (!nsrc)
			vm_err_prefix(e, "no source (give -S DIR, the kernel tree): ");
		return -1;
	}
	out->text = (char *)text;
	first = out->line > LIST_SIZE / 2 ? out->line - LIST_SIZE / 2 : 1;
	last = first + LIST_SIZE - 1;
	if (how == VM_LIST_FUNCTION && count)
		last = out->line + (unsigned)(count < 100000 ? count : 100000);
	for (p = out->text, no = 1; *p; no++) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		if (no >= first) {
			bool end;

			if (how == VM_LIST_AROUND || count) {
				if (no > last)
					break;
			}
			if (out->n == cap) {
				size_t nc = cap ? 2 * cap : 64;
				void *np = vm_realloc_array(out->lines, nc, sizeof(*out->lines), e);

				if (!np) {
					vm_code_source_free(out);
					return -1;
				}
				out->lines = np;
				cap = nc;
			}
			out->lines[out->n++] = (struct vm_code_srcline){ no, p };
			/* crash stops at the function's closing brace */
			end = how == VM_LIST_FUNCTION && !count && no > out->line && !strcmp(p, "}");
			if (end)
				break;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (no < out->line || (no == out->line && !*p)) {
		/* the loop ran out of text: the file has fewer lines */
		unsigned nlines = *p ? no : no - 1;

		vm_fail(e, VM_EFORMAT, "%s has %u lines, the DWARF names line %u: not the "
			"source of this kernel", out->path, nlines, out->line);
		vm_code_source_free(out);
		return -1;
	}
	return 0;
}

void vm_code_source_free(struct vm_code_source *s)
{
	free(s->lines);
	free(s->text);
	s->lines = NULL;
	s->text = NULL;
	s->n = 0;
}
