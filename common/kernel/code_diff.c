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

#include "../rd.h"

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

/* Without the vmlinux's relocation sections (kreloc.h: a vmlinux whose
 * build stripped them, as Debian's 7.2 -dbg one), every absolute address
 * in the code differs by the KASLR slide.  A difference that is exactly
 * that, in 4-byte fields (R_X86_64_32S: +slide; a per-CPU PC32: -slide)
 * or 8-byte ones (R_X86_64_64) of an instruction of the same length on
 * both sides (at most two: a displacement and an immediate), is taken
 * for the boot code's relocation, not a patch. */
static bool slid_only(struct vm_code *c, uint64_t pos, const uint8_t *a, const uint8_t *b,
		      size_t nb, unsigned len)
{
	uint8_t f[VM_INSN_MAX];
	unsigned lo, s, fields;
	struct vm_insn fin;

	if (!c->slide || c->kreloc || !c->kreloc_tried || nb < len || len > sizeof(f) ||
	    (!vm_code_in_vmlinux(c, pos) && vm_code_mod(c, pos)))
		return false;
	vm_dis_one(c->dis, b, nb, pos, &fin);
	if (fin.len != len)
		return false;
	memcpy(f, b, len);
	for (fields = 0;; fields++) {
		bool found = false;

		for (lo = 0; lo < len && a[lo] == f[lo]; lo++)
			;
		if (lo == len)
			return fields > 0;
		if (fields == 2)
			return false;
		/* the first differing byte lies in the field */
		for (s = lo >= 3 ? lo - 3 : 0; s <= lo && s + 4 <= len && !found; s++) {
			uint32_t d = vm_rd32(a + s, true) - vm_rd32(f + s, true);

			if (d == (uint32_t)c->slide || d == (uint32_t)-c->slide) {
				memcpy(f + s, a + s, 4);
				found = true;
			}
		}
		for (s = lo >= 7 ? lo - 7 : 0; s <= lo && s + 8 <= len && !found; s++)
			if (vm_rd64(a + s, true) - vm_rd64(f + s, true) == c->slide) {
				memcpy(f + s, a + s, 8);
				found = true;
			}
		if (!found)
			return false;
	}
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
	if (!*eq && slid_only(c, pos, a, b, (size_t)nb, in.len)) {
		if (!c->slid++)
			vm_kernel_note(c->k, "--diff: differences by the KASLR slide in an "
				       "address field are taken for boot relocations (%s)",
				       c->kreloc_err.msg);
		*eq = true;
	}
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
