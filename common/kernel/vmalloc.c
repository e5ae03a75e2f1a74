// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmalloc areas (see vmalloc.h).
 */
#include "vmalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fld.h"
#include "list.h"

/* vmalloc space holds at most a few million areas */
#define AREAS_MAX (1u << 22)
#define VMAP_NODES_MAX 4096

struct layout {
	struct vm_fld start, end, list, vm, flags;          /* vmap_area */
	struct vm_fld vs_flags, vs_caller, vs_nr_pages, vs_phys;   /* vm_struct */
	uint64_t window, vs_window;
};

static int layout(struct vm_kernel *k, struct layout *l, struct vm_err *e)
{
	memset(l, 0, sizeof(*l));
	if (vm_fld_need(k, "vmap_area", "va_start", &l->start, e) < 0 ||
	    vm_fld_need(k, "vmap_area", "va_end", &l->end, e) < 0 ||
	    vm_fld_need(k, "vmap_area", "list", &l->list, e) < 0 ||
	    vm_fld_need(k, "vmap_area", "vm", &l->vm, e) < 0)
		return -1;
	vm_fld_opt(k, "vm_struct", "flags", &l->vs_flags);
	vm_fld_opt(k, "vm_struct", "caller", &l->vs_caller);
	vm_fld_opt(k, "vm_struct", "nr_pages", &l->vs_nr_pages);
	vm_fld_opt(k, "vm_struct", "phys_addr", &l->vs_phys);
	l->window = vm_fld_end(&l->start);
	if (vm_fld_end(&l->end) > l->window) l->window = vm_fld_end(&l->end);
	if (vm_fld_end(&l->vm) > l->window) l->window = vm_fld_end(&l->vm);
	l->vs_window = vm_fld_end(&l->vs_flags);
	if (vm_fld_end(&l->vs_caller) > l->vs_window) l->vs_window = vm_fld_end(&l->vs_caller);
	if (vm_fld_end(&l->vs_nr_pages) > l->vs_window) l->vs_window = vm_fld_end(&l->vs_nr_pages);
	if (vm_fld_end(&l->vs_phys) > l->vs_window) l->vs_window = vm_fld_end(&l->vs_phys);
	if (l->window > 256 || l->vs_window > 256)
		return vm_fail(e, VM_EMISMATCH, "struct vmap_area/vm_struct larger than expected");
	return 0;
}

static int add(struct vm_kernel *k, struct vm_mem *m, const struct layout *l,
	       struct vm_vmap_list *out, size_t *cap, uint64_t va, struct vm_err *e)
{
	uint8_t buf[256], vb[256];
	struct vm_vmap_area *a;

	(void)k;
	if (vm_kread(m, va, buf, l->window, e) < 0) {
		vm_err_prefix(e, "vmap_area 0x%" PRIx64 ": ", va);
		return -1;
	}
	/* busy areas without a vm_struct are vm_map_ram's: crash skips them */
	if (!vm_fld_u(buf, l->window, &l->vm))
		return 0;
	if (out->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		void *p = vm_realloc_array(out->a, ncap, sizeof(*out->a), e);

		if (!p)
			return -1;
		out->a = p;
		*cap = ncap;
	}
	a = &out->a[out->n];
	memset(a, 0, sizeof(*a));
	a->va = va;
	a->start = vm_fld_u(buf, l->window, &l->start);
	a->end = vm_fld_u(buf, l->window, &l->end);
	a->vm = vm_fld_u(buf, l->window, &l->vm);
	if (a->end <= a->start)
		return vm_fail(e, VM_ECORRUPT, "vmap_area 0x%" PRIx64 ": range 0x%" PRIx64
			       "-0x%" PRIx64, va, a->start, a->end);
	if (l->vs_window && vm_kread(m, a->vm, vb, l->vs_window, e) == 0) {
		a->flags = vm_fld_u(vb, l->vs_window, &l->vs_flags);
		a->caller = vm_fld_u(vb, l->vs_window, &l->vs_caller);
		a->nr_pages = vm_fld_u(vb, l->vs_window, &l->vs_nr_pages);
		a->phys_addr = vm_fld_u(vb, l->vs_window, &l->vs_phys);
	}
	out->n++;
	return 0;
}

static int walk(struct vm_kernel *k, struct vm_mem *m, const struct layout *l, uint64_t head,
		struct vm_vmap_list *out, size_t *cap, struct vm_err *e)
{
	struct vm_list_walk w;
	uint64_t node;
	int r;

	vm_list_init(&w, m, head, AREAS_MAX, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, e)) > 0)
		if (add(k, m, l, out, cap, node - l->list.off, e) < 0)
			return -1;
	return r;
}

static int cmp_start(const void *a, const void *b)
{
	const struct vm_vmap_area *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int vm_vmap_areas(struct vm_kernel *k, struct vm_vmap_list *l, struct vm_err *e)
{
	struct vm_mem *m = vm_kernel_mem(k, e);
	struct layout lay;
	uint64_t head, nodes;
	uint32_t nr;
	size_t cap = 0;
	struct vm_err re;

	memset(l, 0, sizeof(*l));
	if (!m || layout(k, &lay, e) < 0) {
		vm_err_prefix(e, "vmalloc areas: ");
		return -1;
	}
	if (vm_kernel_symbol(k, "vmap_area_list", &head, &re) == 0) {
		l->how = "vmap_area_list";
		if (walk(k, m, &lay, head, l, &cap, e) < 0)
			goto fail;
	} else if (vm_kernel_symbol(k, "vmap_nodes", &head, &re) == 0 &&
		   vm_kernel_symbol(k, "nr_vmap_nodes", &nodes, &re) == 0) {
		struct vm_fld busy, rbhead;
		uint64_t nsz = vm_fld_sizeof(k, "vmap_node"), base;
		unsigned i;

		if (!nsz || vm_fld_need(k, "vmap_node", "busy", &busy, e) < 0 ||
		    vm_fld_need(k, "rb_list", "head", &rbhead, e) < 0 ||
		    vm_kread_u64(m, head, &base, e) < 0 || vm_kread_u32(m, nodes, &nr, e) < 0)
			goto fail;
		if (nr > VMAP_NODES_MAX) {
			vm_fail(e, VM_ECORRUPT, "nr_vmap_nodes is %u", nr);
			goto fail;
		}
		l->how = "vmap_nodes[].busy";
		for (i = 0; i < nr; i++)
			if (walk(k, m, &lay, base + i * nsz + busy.off + rbhead.off, l, &cap, e) < 0)
				goto fail;
	} else {
		vm_fail(e, VM_ENOENT, "no vmap_area_list (VMCOREINFO, before v6.9) or "
			"vmap_nodes symbol");
		goto fail;
	}
	qsort(l->a, l->n, sizeof(*l->a), cmp_start);
	return 0;
fail:
	vm_err_prefix(e, "vmalloc areas: ");
	vm_vmap_list_free(l);
	return -1;
}

void vm_vmap_list_free(struct vm_vmap_list *l)
{
	free(l->a);
	l->a = NULL;
	l->n = 0;
}

const struct vm_vmap_area *vm_vmap_find(const struct vm_vmap_list *l, uint64_t addr)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < l->a[mid].start)
			hi = mid;
		else if (addr >= l->a[mid].end)
			lo = mid + 1;
		else
			return &l->a[mid];
	}
	return NULL;
}
