// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's kmem layouts (see kmem_text.h).
 */
#include "kmem_text.h"

#include <inttypes.h>
#include <string.h>

#include "format.h"

/* crash's mkstring(CENTER): an odd leftover space goes right, or left
 * with RJUST */
static const char *center(char *buf, size_t len, int width, const char *s, bool rjust)
{
	int n = (int)strlen(s), extra = width - n, left, right;

	if (extra <= 0) {
		snprintf(buf, len, "%s", s);
		return buf;
	}
	left = extra / 2;
	right = extra / 2;
	if (extra % 2) {
		if (rjust)
			left++;
		else
			right++;
	}
	snprintf(buf, len, "%*s%s%*s", left, "", s, right, "");
	return buf;
}

static void info_line(FILE *f, const struct vm_meminfo *mi, enum vm_meminfo_item i,
		      enum vm_meminfo_item base, const char *of)
{
	char sz[32];

	if (!mi->have[i]) {
		fprintf(f, "%13s  %7s  %11s  (unknown)\n", vm_meminfo_label(i), "-", "-");
		return;
	}
	vm_format_size(mi->pages[i] * mi->page_size, sz, sizeof(sz));
	/* a group's base, and COMMITTED against a zero limit, have no % */
	if (base == i || (i == VM_MI_COMMITTED && mi->have[base] && !mi->pages[base])) {
		fprintf(f, "%13s  %7" PRIu64 "  %11s         ----\n", vm_meminfo_label(i),
			mi->pages[i], sz);
		return;
	}
	fprintf(f, "%13s  %7" PRIu64 "  %11s  %3" PRIu64 "%% of %s\n", vm_meminfo_label(i),
		mi->pages[i], sz,
		mi->have[base] && mi->pages[base] ? mi->pages[i] * 100 / mi->pages[base] : 0, of);
}

void vm_kmem_text_info(FILE *f, const struct vm_meminfo *mi)
{
	unsigned i;

	fprintf(f, "                 PAGES        TOTAL      PERCENTAGE\n");
	info_line(f, mi, VM_MI_TOTAL, VM_MI_TOTAL, NULL);
	for (i = VM_MI_FREE; i <= VM_MI_SLAB; i++)
		info_line(f, mi, i, VM_MI_TOTAL, "TOTAL MEM");
	fputc('\n', f);
	info_line(f, mi, VM_MI_HUGE_TOTAL, VM_MI_HUGE_TOTAL, NULL);
	info_line(f, mi, VM_MI_HUGE_FREE, VM_MI_HUGE_TOTAL, "TOTAL HUGE");
	fputc('\n', f);
	info_line(f, mi, VM_MI_SWAP_TOTAL, VM_MI_SWAP_TOTAL, NULL);
	info_line(f, mi, VM_MI_SWAP_USED, VM_MI_SWAP_TOTAL, "TOTAL SWAP");
	info_line(f, mi, VM_MI_SWAP_FREE, VM_MI_SWAP_TOTAL, "TOTAL SWAP");
	fputc('\n', f);
	info_line(f, mi, VM_MI_COMMIT_LIMIT, VM_MI_COMMIT_LIMIT, NULL);
	info_line(f, mi, VM_MI_COMMITTED, VM_MI_COMMIT_LIMIT, "TOTAL LIMIT");
}

void vm_kmem_text_cache_header(FILE *f)
{
	fprintf(f, "CACHE             OBJSIZE  ALLOCATED     TOTAL  SLABS  SSIZE  NAME\n");
}

void vm_kmem_text_cache(FILE *f, const struct vm_slab_cache *c)
{
	fprintf(f, "%-16" PRIx64 " %8u  ", c->addr, c->objsize);
	if (c->counted)
		fprintf(f, "%9" PRIu64 "  %8" PRIu64 "  %5" PRIu64 "  ", c->allocated, c->total,
			c->slabs);
	else
		fprintf(f, "%9s  %8s  %5s  ", "?", "?", "?");
	fprintf(f, "%4" PRIu64 "k  %s\n", c->ssize / 1024, c->name);
}

static void slab_line(FILE *f, const struct vm_slab *s)
{
	fprintf(f, "  %-16" PRIx64 "  %-16" PRIx64 "  %4d  %5u  %9u  %4u\n", s->slab, s->mem,
		s->node, s->objects, s->inuse, s->objects - s->inuse);
}

static const char slab_hdr[] = "  SLAB              MEMORY            NODE  TOTAL  ALLOCATED  FREE\n";

static void slab_objects(FILE *f, const struct vm_slab *s)
{
	unsigned i;

	fprintf(f, "%s", slab_hdr);
	slab_line(f, s);
	fprintf(f, "  FREE / [ALLOCATED]\n");
	for (i = 0; s->obj && i < s->objects; i++) {
		const struct vm_slab_obj *o = &s->obj[i];

		fprintf(f, "  %s%" PRIx64 "%s", o->free ? " " : "[", o->addr, o->free ? "  " : "]");
		if (o->free && s->where == VM_SLAB_CPU)
			fprintf(f, "(cpu %d cache)", s->cpu);
		fputc('\n', f);
	}
}

static void slab_list(FILE *f, const char *title, int n, const struct vm_slab *v, size_t nv)
{
	size_t i;

	fprintf(f, "NODE %d %s:\n", n, title);
	if (!nv)
		fprintf(f, "  (empty)\n");
	else
		fprintf(f, "%s", slab_hdr);
	for (i = 0; i < nv; i++)
		slab_line(f, &v[i]);
}

void vm_kmem_text_cache_detail(FILE *f, const struct vm_slab_detail *d)
{
	unsigned i;
	size_t j;

	vm_kmem_text_cache_header(f);
	vm_kmem_text_cache(f, &d->cache);
	for (i = 0; i < d->ncpu; i++) {
		const struct vm_slab_cpu *cp = &d->cpu[i];

		fprintf(f, "CPU %u KMEM_CACHE_CPU:\n  %" PRIx64 "\n", cp->cpu, cp->kmem_cache_cpu);
		fprintf(f, "CPU %u SLAB:\n", cp->cpu);
		if (cp->have_slab)
			slab_objects(f, &cp->slab);
		else
			fprintf(f, "  (empty)\n");
		fprintf(f, "CPU %u PARTIAL:\n", cp->cpu);
		if (!cp->npartial)
			fprintf(f, "  (empty)\n");
		for (j = 0; j < cp->npartial; j++)
			slab_objects(f, &cp->partial[j]);
	}
	/* v6.18+: the CPUs' sheaves and the nodes' barns */
	for (j = 0; j < d->nsheaves; j++) {
		const struct vm_slab_sheaf *sh = &d->sheaves[j];
		unsigned o;

		if (sh->kind == VM_SHEAF_BARN)
			fprintf(f, "NODE %d BARN SHEAF:\n", sh->node);
		else
			fprintf(f, "CPU %d %s SHEAF:\n", sh->cpu, vm_sheaf_kind_name(sh->kind));
		fprintf(f, "  SHEAF             OBJECTS  CAPACITY\n");
		fprintf(f, "  %-16" PRIx64 "  %7u  %8u\n", sh->addr, sh->size, sh->capacity);
		if (sh->size)
			fprintf(f, "  FREE\n");
		for (o = 0; sh->obj && o < sh->size; o++)
			fprintf(f, "   %" PRIx64 "\n", sh->obj[o]);
	}
	for (i = 0; i < d->nnode; i++) {
		const struct vm_slab_node *n = &d->node[i];

		fprintf(f, "KMEM_CACHE_NODE   NODE  SLABS  PARTIAL  PER-CPU\n");
		fprintf(f, "%" PRIx64 "  %4d  %5" PRIu64 "  %7" PRIu64 "  %7" PRIu64 "\n",
			n->kmem_cache_node, n->node, n->nr_slabs, n->nr_partial, n->per_cpu);
		slab_list(f, "PARTIAL", n->node, n->partial, n->npartial);
		if (n->full_tracked)
			slab_list(f, "FULL", n->node, n->full, n->nfull);
		else
			fprintf(f, "NODE %d FULL:\n  (not tracked)\n", n->node);
	}
	fputc('\n', f);
}

void vm_kmem_text_free_zone(FILE *f, const struct vm_nodes *nd, const struct vm_node *n,
			    const struct vm_zone *z, const struct vm_free_lists *fl, bool first)
{
	uint64_t ps = vm_mem_page_size(nd->k->mem);
	char b1[40], b2[40], b3[40], t[40];
	unsigned o, mt;

	fprintf(f, "%sZONE  NAME        SIZE    FREE  %s  START_PADDR  START_MAPNR\n",
		first ? "" : "\n", center(b1, sizeof(b1), 16, "MEM_MAP", false));
	snprintf(t, sizeof(t), "%" PRIx64, z->mem_map);
	center(b1, sizeof(b1), 16, t, false);
	snprintf(t, sizeof(t), "%" PRIx64, z->start_pfn * ps);
	center(b2, sizeof(b2), 11, t, true);
	snprintf(t, sizeof(t), "%" PRIu64, z->mem_map ? z->start_pfn - n->start_pfn : 0);
	center(b3, sizeof(b3), 11, t, true);
	fprintf(f, "%3u   %-9s %6" PRIu64 "  %6" PRIu64 "  %s  %s  %s\n", z->idx, z->name,
		z->spanned, z->nr_free, b1, b2, b3);
	if (!fl)
		return;
	fprintf(f, "AREA    SIZE  FREE_AREA_STRUCT  BLOCKS  PAGES\n");
	for (o = 0; o < nd->nr_orders; o++)
		for (mt = 0; mt < nd->nr_migrate; mt++) {
			char sz[32];

			snprintf(sz, sizeof(sz), "%" PRIu64 "k", (ps << o) / 1024);
			snprintf(t, sizeof(t), "%" PRIx64, fl->head[o][mt]);
			fprintf(f, "%3u  %7s  %s  %6" PRIu64 " %6" PRIu64 "\n", o, sz,
				center(b1, sizeof(b1), 16, t, false), fl->blocks[o][mt],
				fl->blocks[o][mt] << o);
		}
}

size_t vm_kmem_text_name_width(const struct vm_vmstat *st)
{
	size_t w = 0, i;

	for (i = 0; i < st->n; i++)
		if (strlen(st->name[i]) > w)
			w = strlen(st->name[i]);
	return w;
}

void vm_kmem_text_vmstat(FILE *f, const char *title, const struct vm_vmstat *st,
			 size_t width, bool blank_before)
{
	unsigned i;

	if (title)
		fprintf(f, "%s  %s:\n", blank_before ? "\n" : "", title);
	for (i = 0; i < st->n; i++) {
		if (st->kind == VM_VMSTAT_EVENT)
			fprintf(f, "%*s: %" PRIu64 "\n", (int)width, st->name[i],
				(uint64_t)st->value[i]);
		else
			fprintf(f, "%*s: %" PRId64 "\n", (int)width, st->name[i], st->value[i]);
	}
}

void vm_kmem_text_counters(FILE *f, const char *const *titles, const struct vm_vmstat *st,
			   const bool *ok, unsigned n)
{
	bool first = true;
	size_t w = 0;
	unsigned i;

	/* one width for the zone, node and NUMA names, as crash's */
	for (i = 0; i < n; i++)
		if (ok[i] && st[i].kind != VM_VMSTAT_EVENT && vm_kmem_text_name_width(&st[i]) > w)
			w = vm_kmem_text_name_width(&st[i]);
	for (i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		vm_kmem_text_vmstat(f, titles[i], &st[i], st[i].kind == VM_VMSTAT_EVENT ?
				    vm_kmem_text_name_width(&st[i]) : w, !first);
		first = false;
	}
}

void vm_kmem_text_free_total(FILE *f, uint64_t nr_free, uint64_t found)
{
	fprintf(f, "\nnr_free_pages: %" PRIu64 "  ", nr_free);
	if (nr_free == found)
		fprintf(f, "(verified)\n");
	else
		fprintf(f, "(found %" PRIu64 ")\n", found);
}

void vm_kmem_text_zone(FILE *f, const struct vm_zone *z, const struct vm_vmstat *st)
{
	fprintf(f, "NODE: %d  ZONE: %u  ADDR: %" PRIx64 "  NAME: \"%s\"\n", z->node, z->idx,
		z->addr, z->name);
	if (!z->spanned) {
		fprintf(f, "  [unpopulated]\n\n");
		return;
	}
	fprintf(f, "  SIZE: %" PRIu64, z->spanned);
	if (z->have_present && z->present < z->spanned)
		fprintf(f, "  PRESENT: %" PRIu64, z->present);
	fprintf(f, "  MIN/LOW/HIGH: %" PRIu64 "/%" PRIu64 "/%" PRIu64 "\n", z->wmark[0],
		z->wmark[1], z->wmark[2]);
	if (st) {
		fprintf(f, "  VM_STAT:\n");
		vm_kmem_text_vmstat(f, NULL, st, vm_kmem_text_name_width(st), false);
	}
	fprintf(f, "\n\n");
}

void vm_kmem_text_addr(FILE *f, const struct vm_addr_info *a)
{
	fprintf(f, "%-16" PRIx64 "  %-8s  ", a->addr, vm_addr_kind_name(a->kind));
	switch (a->kind) {
	case VM_ADDR_USER: fprintf(f, "user-space address"); break;
	case VM_ADDR_STACK:
		if (a->cpu < 0)
			fprintf(f, "stack of PID %" PRId32 " \"%s\" task %" PRIx64, a->pid, a->comm, a->task);
		else
			fprintf(f, "%s stack of CPU %d", a->stack_kind, a->cpu);
		fprintf(f, "  [%" PRIx64 "-%" PRIx64 ")", a->stack_lo, a->stack_hi);
		break;
	case VM_ADDR_SYMBOL:
		fprintf(f, "%s+%" PRIu64 " (%c)%s%s%s%s", a->sym, a->sym_off, a->sym_type,
		       a->module[0] ? " [" : "", a->module, a->module[0] ? "]" : "",
		       a->past_size ? " (past its end)" : "");
		break;
	case VM_ADDR_SLAB:
		fprintf(f, "%s  object %" PRIx64 "+%" PRIu64 "  size %u  %s", a->slab.cache.name,
		       a->slab.obj, a->vaddr - a->slab.obj, a->slab.cache.objsize,
		       !a->slab.in_object ? "(not in an object)" : a->slab.free ? "free" : "allocated");
		if (a->slab.free && a->slab.in_sheaf && a->slab.sheaf == VM_SHEAF_BARN)
			fprintf(f, " (node %d barn sheaf)", a->slab.sheaf_node);
		else if (a->slab.free && a->slab.in_sheaf)
			fprintf(f, " (cpu %d %s sheaf)", a->slab.cpu, vm_sheaf_kind_name(a->slab.sheaf));
		else if (a->slab.free && a->slab.cpu >= 0)
			fprintf(f, " (cpu %d cache)", a->slab.cpu);
		fprintf(f, "  slab %" PRIx64, a->slab.slab.slab);
		break;
	case VM_ADDR_VMALLOC: case VM_ADDR_MAPPED: case VM_ADDR_PAGE: case VM_ADDR_MEMMAP:
		break;
	default: fprintf(f, "%s", a->why);
	}
	if (a->have_vmap)
		fprintf(f, "%svmap %" PRIx64 "-%" PRIx64 "  size %" PRIu64 "  caller %s",
		       a->kind == VM_ADDR_VMALLOC ? "" : "  ", a->vmap.start, a->vmap.end,
		       a->vmap.end - a->vmap.start, a->caller[0] ? a->caller : "-");
	if (a->have_page)
		fprintf(f, "%spage %" PRIx64 "  phys %" PRIx64 "  flags %" PRIx64 "%s%s%s  count %" PRId32
		       "  mapcount %" PRId32 "  mapping %" PRIx64 "%s%s%s",
		       a->kind == VM_ADDR_PAGE || a->kind == VM_ADDR_MEMMAP ? "" : "  ",
		       a->page.page, a->phys, a->page.flags, a->page_flags[0] ? " (" : "",
		       a->page_flags, a->page_flags[0] ? ")" : "", a->page.refcount,
		       a->page.mapcount, a->page.mapping, a->page_type ? "  type " : "",
		       a->page_type ? a->page_type : "", a->in_dump ? "" : "  (not in the dump)");
	else if (a->have_phys)
		fprintf(f, "  phys %" PRIx64, a->phys);
	if (a->have_backing)
		fprintf(f, "  (stored in page %" PRIx64 ", phys %" PRIx64 ")", a->backing_page,
		       a->backing_phys);
	fputc('\n', f);
}
