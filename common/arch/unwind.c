// SPDX-License-Identifier: GPL-2.0-or-later
/* Arch-neutral helpers of the unwind interface (unwind.h). */
#include "unwind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vm_unwind_res_free(struct vm_unwind_res *res)
{
	if (!res)
		return;
	free(res->frames);
	res->frames = NULL;
	res->n = res->cap = 0;
}

int vm_unwind_area_of(const struct vm_unwind_res *res, uint64_t addr, size_t len)
{
	unsigned i;

	for (i = 0; i < res->nstacks; i++)
		if (addr >= res->stacks[i].lo && addr + len <= res->stacks[i].hi &&
		    addr + len > addr)
			return (int)i;
	return -1;
}

struct vm_frame *vm_unwind_push(struct vm_unwind_res *r)
{
	struct vm_frame *f;

	if (r->n == r->cap) {
		unsigned cap = r->cap ? r->cap * 2 : 32;
		void *p = realloc(r->frames, cap * sizeof(*r->frames));

		if (!p)
			return NULL;
		r->frames = p;
		r->cap = cap;
	}
	f = &r->frames[r->n++];
	memset(f, 0, sizeof(*f));
	f->stack = -1;
	return f;
}

void vm_stack_area_set(struct vm_stack_area *a, uint64_t lo, uint64_t hi,
		       const char *name, int cpu)
{
	a->lo = lo;
	a->hi = hi;
	snprintf(a->name, sizeof(a->name), "%s", name);
	a->cpu = cpu;
}
