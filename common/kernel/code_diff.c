// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory against file: walk the code of a span in the dump and in the
 * vmlinux / relocated .ko side by side; where the bytes differ, collect
 * the instructions of both until they agree again, and name the kernel
 * table that lists a patch site there.
 */
#include "code_impl.h"

#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>


static struct vm_patchsites *sites_for(struct vm_code *c, uint64_t addr)
{
	struct code_mod *cm = NULL;
	struct vm_err ie;
	uint64_t off;
	const struct vm_sym *s = vm_sym_by_addr(c->st, addr, &off);

	if (!s || s->module)
		cm = vm_code_mod(c, addr);
	if (cm) {
		struct vm_modko *ko;

		if (!cm->sites_tried) {
			cm->sites_tried = true;
			ko = vm_code_modko(c, cm, &ie);
			if (ko)
				cm->sites = vm_patchsites_module(c->k, ko, &ie);
			if (cm->sites)
				vm_kernel_note(c->k, "patch sites of %s: %s", cm->m->name,
					       vm_patchsites_summary(cm->sites));
		}
		return cm->sites;
	}
	if (!c->ksites_tried) {
		const char *path = vm_code_vmlinux(c, &ie);

		c->ksites_tried = true;
		if (path)
			c->ksites = vm_patchsites_vmlinux(c->k, path, c->slide, &c->ksites_err);
		if (c->ksites)
			vm_kernel_note(c->k, "patch sites of vmlinux: %s",
				       vm_patchsites_summary(c->ksites));
		else if (path)
			vm_kernel_note(c->k, "no patch sites: %s", c->ksites_err.msg);
	}
	return c->ksites;
}

/* The instruction at pos is the same in memory and file. */
static int same(struct vm_code *c, uint64_t pos, bool *eq, unsigned *len, struct vm_err *e)
{
	uint8_t a[VM_INSN_MAX], b[VM_INSN_MAX];
	struct vm_insn in;
	long na, nb;

	na = vm_code_bytes(c, VM_CODE_MEMORY, pos, a, vm_dis_max_len(c->dis), e);
	if (na < 0)
		return -1;
	nb = vm_code_bytes(c, VM_CODE_FILE, pos, b, vm_dis_max_len(c->dis), e);
	if (nb < 0)
		return -1;
	vm_dis_one(c->dis, a, (size_t)na, pos, &in);
	*len = in.len;
	*eq = (size_t)nb >= in.len && !memcmp(a, b, in.len);
	return 0;
}

static bool stop_here(const struct vm_code_span *sp, uint64_t pos)
{
	return pos >= sp->end || (sp->stop && pos > sp->stop);
}

int vm_code_diff_next(struct vm_code *c, struct vm_code_span *sp, struct vm_code_hunk *h,
		      struct vm_err *e)
{
	uint64_t pm, pf;
	unsigned len, guard = 0;
	bool eq;
	struct vm_patchsites *ps;

	vm_err_clear(e);
	memset(h, 0, sizeof(*h));
	/* find the next instruction that differs */
	for (;;) {
		if (sp->finished || stop_here(sp, sp->pos))
			return 0;
		if (same(c, sp->pos, &eq, &len, e) < 0) {
			sp->finished = true;
			return -1;
		}
		if (!eq)
			break;
		sp->pos += len;
	}
	/* collect both sides until they meet on an instruction that agrees */
	pm = pf = sp->pos;
	h->start = sp->pos;
	for (;;) {
		struct vm_code_insn ci;

		if (pm == pf && pm != h->start) {
			if (stop_here(sp, pm))
				break;
			if (same(c, pm, &eq, &len, e) < 0)
				return -1;
			if (eq)
				break;
		}
		if (++guard > 4 * VM_CODE_HUNK_MAX) {
			h->more = true;
			break;
		}
		if (pm <= pf) {
			if (vm_code_decode(c, VM_CODE_MEMORY, pm, &ci, e) < 0)
				return -1;
			if (h->nmem < VM_CODE_HUNK_MAX)
				h->mem[h->nmem++] = ci;
			else
				h->more = true;
			pm += ci.in.len;
		} else {
			if (vm_code_decode(c, VM_CODE_FILE, pf, &ci, e) < 0)
				return -1;
			if (h->nfile < VM_CODE_HUNK_MAX)
				h->file[h->nfile++] = ci;
			else
				h->more = true;
			pf += ci.in.len;
		}
		/* the file side of the first instruction too */
		if (pm != pf && h->nfile == 0 && pf == h->start) {
			if (vm_code_decode(c, VM_CODE_FILE, pf, &ci, e) < 0)
				return -1;
			h->file[h->nfile++] = ci;
			pf += ci.in.len;
		}
	}
	h->end = pm > pf ? pm : pf;
	sp->pos = h->end;
	ps = sites_for(c, h->start);
	if (ps && vm_patchsites_find(ps, h->start, h->end, h->why, sizeof(h->why)))
		return 1;
	/* a static call's trampoline: its jmp is rewritten by
	 * static_call_update() (arch/x86/kernel/static_call.c) */
	if (h->nmem && h->mem[0].sym && !strncmp(h->mem[0].sym, "__SCT__", 7))
		snprintf(h->why, sizeof(h->why), "static call trampoline (__SCT__ symbol)");
	return 1;
}

int vm_code_span_kernel(struct vm_code *c, struct vm_code_span *sp, struct vm_err *e)
{
	uint64_t a, b;
	struct vm_err ie;

	memset(sp, 0, sizeof(*sp));
	if (vm_kernel_symbol(c->k, "_stext", &a, e) < 0)
		return -1;
	if (vm_kernel_symbol(c->k, "_etext", &b, &ie) < 0 || b <= a)
		return vm_fail(e, VM_ENOENT, "no _etext symbol: where the kernel's text ends "
			       "is unknown");
	sp->target = sp->start = sp->pos = sp->func = a;
	sp->end = sp->func_end = b;
	sp->func_name = "_stext";
	sp->end_from = "_etext";
	return 0;
}
