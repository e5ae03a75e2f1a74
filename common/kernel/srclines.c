// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Source lines of kernel and module addresses (srclines.h).  The vmlinux's
 * DWARF has link-time addresses (the KASLR slide is subtracted); a
 * module's .ko, once modko.h has placed its sections at the addresses the
 * kernel recorded in module->sect_attrs, answers run-time addresses as
 * they are.
 */
#include "srclines.h"

#include <stdbool.h>
#include <stdlib.h>

#include "../arch/arch.h"
#include "debuginfo.h"
#include "modko.h"
#include "modules.h"

/* One module's table: the module (by its struct module address, stable
 * for the kernel's lifetime) and its open .ko, or why there is none. */
struct srcmod {
	uint64_t mod;
	struct vm_modko *ko;
	bool failed;
};

struct vm_srclines {
	struct vm_kernel *k;
	struct vm_lines *kl;        /* vmlinux */
	bool kl_tried;
	uint64_t slide;
	struct srcmod *mods;
	size_t nmods, cap;
};

struct vm_srclines *vm_srclines_new(struct vm_kernel *k, struct vm_err *e)
{
	struct vm_srclines *sl = vm_calloc(1, sizeof(*sl), e);

	if (sl)
		sl->k = k;
	return sl;
}

void vm_srclines_free(struct vm_srclines *sl)
{
	size_t i;

	if (!sl)
		return;
	for (i = 0; i < sl->nmods; i++)
		vm_modko_close(sl->mods[i].ko);
	free(sl->mods);
	vm_lines_close(sl->kl);
	free(sl);
}

static int kernel_line(struct vm_srclines *sl, uint64_t addr, struct vm_line *out,
		       struct vm_err *e)
{
	const char *path;

	if (!sl->kl_tried) {
		sl->kl_tried = true;
		path = vm_kernel_vmlinux(sl->k, e);
		if (!path)
			return -1;
		sl->kl = vm_lines_open(path, !vm_opt_has(sl->k->opts, "nocache"), e);
		if (!sl->kl)
			return -1;
		sl->slide = sl->k->mem ? vm_mem_kaslr(sl->k->mem) : 0;
	}
	if (!sl->kl)
		return 0;
	return vm_lines_addr(sl->kl, addr - sl->slide, out, e);
}

static int module_line(struct vm_srclines *sl, const struct vm_module *m, uint64_t addr,
		       struct vm_line *out, struct vm_err *e)
{
	struct srcmod *s = NULL;
	struct vm_lines *l;
	size_t i;

	for (i = 0; i < sl->nmods && !s; i++)
		if (sl->mods[i].mod == m->addr)
			s = &sl->mods[i];
	if (!s) {
		if (sl->nmods == sl->cap) {
			size_t ncap = sl->cap ? sl->cap * 2 : 8;
			struct srcmod *n = vm_realloc_array(sl->mods, ncap, sizeof(*n), e);

			if (!n)
				return -1;
			sl->mods = n;
			sl->cap = ncap;
		}
		s = &sl->mods[sl->nmods++];
		s->mod = m->addr;
		s->ko = vm_modko_open(sl->k, m, e);
		s->failed = !s->ko;
		/* a refused file is said once, here or by the types */
		if (s->failed && e->code == VM_EMISMATCH &&
		    !vm_modko_first_refusal(sl->k, m))
			return 0;
		if (s->failed)
			return -1;
	}
	if (s->failed)
		return 0;
	l = vm_modko_lines(s->ko, e);
	if (!l) {
		/* said once: the table is not tried again */
		s->failed = true;
		return -1;
	}
	return vm_lines_addr(l, addr, out, e);
}

int vm_srclines_at(struct vm_srclines *sl, uint64_t addr, struct vm_line *out,
		   struct vm_err *e)
{
	const struct vm_module *m = vm_kernel_module_by_addr(sl->k, addr);
	int r;

	r = m ? module_line(sl, m, addr, out, e) : kernel_line(sl, addr, out, e);
	if (r == 1 && (!out->file || !out->line))
		return 0;
	return r;
}
