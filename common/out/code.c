// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel code records as text and JSON (see code.h). */
#include <inttypes.h>

#include "code.h"

void vm_out_insn(FILE *f, const struct vm_code_insn *ci, const char *pfx)
{
	if (ci->label[0])
		fprintf(f, "%s0x%" PRIx64 " <%s>:\t%s\n", pfx, ci->in.addr, ci->label, ci->text);
	else
		fprintf(f, "%s0x%" PRIx64 ":\t%s\n", pfx, ci->in.addr, ci->text);
}

void vm_out_line(FILE *f, const struct vm_code_insn *ci, bool inlines)
{
	unsigned i;

	fprintf(f, "%s: %u\n", ci->line.file, ci->line.line);
	for (i = 0; inlines && i + 1 < ci->ninl; i++)
		fprintf(f, "    inlined %s() into %s() at %s: %u\n", ci->inl[i].func,
			ci->inl[i + 1].func, ci->inl[i].call_file ? ci->inl[i].call_file : "??",
			ci->inl[i].call_line);
}

static void inlined_json(struct vm_json *j, const struct vm_code_insn *ci)
{
	unsigned i;

	vm_json_key(j, "inlined");
	vm_json_arr_begin(j);
	for (i = 0; i + 1 < ci->ninl; i++) {
		vm_json_obj_begin(j);
		vm_json_kstr(j, "function", ci->inl[i].func);
		vm_json_kstr(j, "into", ci->inl[i + 1].func);
		if (ci->inl[i].call_file) {
			vm_json_kstr(j, "call_file", ci->inl[i].call_file);
			vm_json_ku64(j, "call_line", ci->inl[i].call_line);
		}
		vm_json_obj_end(j);
	}
	vm_json_arr_end(j);
}

void vm_out_insn_json(struct vm_json *j, const struct vm_code_insn *ci, const char *side,
		      const char *why)
{
	unsigned i;
	char hexb[2 * VM_INSN_MAX + 1];

	for (i = 0; i < ci->in.len; i++)
		snprintf(hexb + 2 * i, 3, "%02x", ci->in.bytes[i]);
	vm_json_begin(j);
	if (side) {
		vm_json_kstr(j, "side", side);
		vm_json_kstr(j, "patched_by", why);
	}
	vm_json_khex(j, "address", ci->in.addr);
	vm_json_key(j, "symbol");
	if (ci->sym)
		vm_json_str(j, ci->sym);
	else
		vm_json_null(j);
	vm_json_ku64(j, "offset", ci->off);
	if (ci->module)
		vm_json_kstr(j, "module", ci->module);
	vm_json_kstr(j, "bytes", hexb);
	vm_json_kstr(j, "mnemonic", ci->in.mnemonic);
	vm_json_kstr(j, "operands", ci->in.operands);
	vm_json_kstr(j, "text", ci->text);
	if (ci->in.has_target)
		vm_json_khex(j, "target", ci->in.target);
	if (ci->in.has_ref)
		vm_json_khex(j, "reference", ci->in.ref);
	if (ci->has_line) {
		vm_json_kstr(j, "file", ci->line.file);
		vm_json_ku64(j, "line", ci->line.line);
	}
	if (ci->ninl > 1)
		inlined_json(j, ci);
	vm_json_end(j);
}

void vm_out_hunk(FILE *f, const struct vm_code_hunk *h)
{
	unsigned i;

	fprintf(f, "@@ 0x%" PRIx64 " <%s> %" PRIu64 " bytes: %s\n", h->start,
		h->nmem ? h->mem[0].label : "?", h->end - h->start,
		h->why[0] ? h->why : "not in the kernel's patch tables");
	for (i = 0; i < h->nfile; i++)
		vm_out_insn(f, &h->file[i], "-");
	for (i = 0; i < h->nmem; i++)
		vm_out_insn(f, &h->mem[i], "+");
	if (h->more)
		fprintf(f, "...\n");
}

void vm_out_hunk_json(struct vm_json *j, const struct vm_code_hunk *h)
{
	unsigned i;

	for (i = 0; i < h->nfile; i++)
		vm_out_insn_json(j, &h->file[i], "file", h->why);
	for (i = 0; i < h->nmem; i++)
		vm_out_insn_json(j, &h->mem[i], "memory", h->why);
}

void vm_out_source(FILE *f, const struct vm_code_source *s, bool list)
{
	size_t i;

	if (list) {
		/* gdb's list *ADDR */
		fprintf(f, "0x%" PRIx64 " is in %s (%s:%u).\n", s->addr, s->func, s->file,
			s->line);
		for (i = 0; i < s->n; i++)
			fprintf(f, "%u\t%s\n", s->lines[i].no, s->lines[i].text);
		return;
	}
	/* crash's dis -s: the target line starred */
	fprintf(f, "FILE: %s\nLINE: %u\n\n", s->file, s->line);
	for (i = 0; i < s->n; i++)
		fprintf(f, "%s%u\t%s\n", s->lines[i].no == s->line ? "* " : "  ", s->lines[i].no,
			s->lines[i].text);
	fprintf(f, "\n");
}

void vm_out_source_json(struct vm_json *j, const struct vm_code_source *s)
{
	size_t i;

	vm_json_begin(j);
	vm_json_khex(j, "address", s->addr);
	vm_json_kstr(j, "function", s->func);
	vm_json_kstr(j, "file", s->file);
	vm_json_ku64(j, "line", s->line);
	vm_json_kstr(j, "path", s->path);
	vm_json_key(j, "source");
	vm_json_arr_begin(j);
	for (i = 0; i < s->n; i++) {
		vm_json_obj_begin(j);
		vm_json_ku64(j, "line", s->lines[i].no);
		vm_json_kstr(j, "text", s->lines[i].text);
		vm_json_obj_end(j);
	}
	vm_json_arr_end(j);
	vm_json_end(j);
}
