// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmkmem's JSON records (see kmem_json.h).
 */
#include "kmem_json.h"

void vm_kmem_json_info(struct vm_json *j, const struct vm_meminfo *mi)
{
	unsigned i;

	vm_json_begin(j);
	vm_json_ku64(j, "page_size", mi->page_size);
	for (i = 0; i < VM_MI_NR; i++) {
		vm_json_key(j, vm_meminfo_key(i));
		if (mi->have[i])
			vm_json_u64(j, mi->pages[i]);
		else
			vm_json_null(j);
	}
	if (mi->have_committed_count)
		vm_json_ku64(j, "committed_count", mi->committed_count);
	vm_json_ku64(j, "slab_pages_flagged", mi->slab_pages_flagged);
	vm_json_end(j);
}

void vm_kmem_json_cache(struct vm_json *j, const struct vm_slab_cache *c)
{
	vm_json_begin(j);
	vm_json_khex(j, "cache", c->addr);
	vm_json_kstr(j, "name", c->name);
	vm_json_ku64(j, "objsize", c->objsize);
	vm_json_ku64(j, "size", c->size);
	if (c->counted) {
		vm_json_ku64(j, "allocated", c->allocated);
		vm_json_ku64(j, "total", c->total);
		vm_json_ku64(j, "slabs", c->slabs);
	}
	vm_json_ku64(j, "ssize", c->ssize);
	vm_json_end(j);
}

void vm_kmem_json_zone(struct vm_json *j, const struct vm_nodes *nd, const struct vm_zone *z,
		       const struct vm_free_lists *fl, const struct vm_vmstat *st)
{
	unsigned i, o, mt;

	vm_json_begin(j);
	vm_json_ki64(j, "node", z->node);
	vm_json_ku64(j, "zone", z->idx);
	vm_json_kstr(j, "name", z->name);
	vm_json_khex(j, "addr", z->addr);
	vm_json_ku64(j, "start_pfn", z->start_pfn);
	vm_json_ku64(j, "spanned", z->spanned);
	vm_json_ku64(j, "present", z->present);
	vm_json_ku64(j, "managed", z->managed);
	vm_json_ku64(j, "free", z->nr_free);
	if (z->have_wmark) {
		vm_json_ku64(j, "min", z->wmark[0]);
		vm_json_ku64(j, "low", z->wmark[1]);
		vm_json_ku64(j, "high", z->wmark[2]);
	}
	if (fl) {       /* blocks[order][migrate type] */
		vm_json_key(j, "free_blocks");
		vm_json_arr_begin(j);
		for (o = 0; o < nd->nr_orders; o++) {
			vm_json_arr_begin(j);
			for (mt = 0; mt < nd->nr_migrate; mt++)
				vm_json_u64(j, fl->blocks[o][mt]);
			vm_json_arr_end(j);
		}
		vm_json_arr_end(j);
		vm_json_ku64(j, "free_pages_listed", fl->pages);
	}
	if (st) {
		vm_json_key(j, "vm_stat");
		vm_json_obj_begin(j);
		for (i = 0; i < st->n; i++)
			vm_json_ki64(j, st->name[i], st->value[i]);
		vm_json_obj_end(j);
	}
	vm_json_end(j);
}

static void json_slab(struct vm_json *j, const struct vm_slab_cache *c, const struct vm_slab *sl)
{
	static const char *const where[] = {
		[VM_SLAB_UNLISTED] = "unlisted", [VM_SLAB_CPU] = "cpu",
		[VM_SLAB_CPU_PARTIAL] = "cpu_partial", [VM_SLAB_NODE_PARTIAL] = "node_partial",
		[VM_SLAB_NODE_FULL] = "node_full",
	};
	unsigned i;

	vm_json_begin(j);
	vm_json_kstr(j, "cache", c->name);
	vm_json_khex(j, "slab", sl->slab);
	vm_json_khex(j, "memory", sl->mem);
	vm_json_ki64(j, "node", sl->node);
	vm_json_ku64(j, "total", sl->objects);
	vm_json_ku64(j, "allocated", sl->inuse);
	vm_json_ku64(j, "free", sl->objects - sl->inuse);
	vm_json_kstr(j, "where", where[sl->where]);
	if (sl->where == VM_SLAB_CPU || sl->where == VM_SLAB_CPU_PARTIAL)
		vm_json_ki64(j, "cpu", sl->cpu);
	if (sl->obj) {
		vm_json_key(j, "objects");
		vm_json_arr_begin(j);
		for (i = 0; i < sl->objects; i++) {
			vm_json_obj_begin(j);
			vm_json_khex(j, "addr", sl->obj[i].addr);
			vm_json_kbool(j, "free", sl->obj[i].free);
			vm_json_obj_end(j);
		}
		vm_json_arr_end(j);
	}
	vm_json_end(j);
}

static void json_sheaf(struct vm_json *j, const struct vm_slab_cache *c,
		       const struct vm_slab_sheaf *sh)
{
	unsigned i;

	vm_json_begin(j);
	vm_json_kstr(j, "cache", c->name);
	vm_json_khex(j, "sheaf", sh->addr);
	vm_json_kstr(j, "where", vm_sheaf_kind_name(sh->kind));
	if (sh->kind == VM_SHEAF_BARN)
		vm_json_ki64(j, "node", sh->node);
	else
		vm_json_ki64(j, "cpu", sh->cpu);
	vm_json_ku64(j, "size", sh->size);
	vm_json_ku64(j, "capacity", sh->capacity);
	vm_json_key(j, "objects");
	vm_json_arr_begin(j);
	for (i = 0; sh->obj && i < sh->size; i++)
		vm_json_hex(j, sh->obj[i]);
	vm_json_arr_end(j);
	vm_json_end(j);
}

void vm_kmem_json_slab_detail(struct vm_json *j, const struct vm_slab_detail *d)
{
	unsigned i;
	size_t k;

	for (k = 0; k < d->nsheaves; k++)
		json_sheaf(j, &d->cache, &d->sheaves[k]);

	for (i = 0; i < d->ncpu; i++) {
		if (d->cpu[i].have_slab)
			json_slab(j, &d->cache, &d->cpu[i].slab);
		for (k = 0; k < d->cpu[i].npartial; k++)
			json_slab(j, &d->cache, &d->cpu[i].partial[k]);
	}
	for (i = 0; i < d->nnode; i++) {
		for (k = 0; k < d->node[i].npartial; k++)
			json_slab(j, &d->cache, &d->node[i].partial[k]);
		for (k = 0; k < d->node[i].nfull; k++)
			json_slab(j, &d->cache, &d->node[i].full[k]);
	}
}

void vm_kmem_json_counters(struct vm_json *j, const char *group, const struct vm_vmstat *st)
{
	unsigned i;

	for (i = 0; i < st->n; i++) {
		vm_json_begin(j);
		vm_json_kstr(j, "group", group);
		vm_json_kstr(j, "name", st->name[i]);
		vm_json_ki64(j, "value", st->value[i]);
		vm_json_end(j);
	}
}

void vm_kmem_json_addr(struct vm_json *j, const struct vm_addr_info *a)
{
	vm_json_begin(j);
	vm_json_khex(j, "addr", a->addr);
	vm_json_kstr(j, "kind", vm_addr_kind_name(a->kind));
	if (a->kind == VM_ADDR_STACK) {
		vm_json_kstr(j, "stack", a->stack_kind);
		vm_json_khex(j, "stack_lo", a->stack_lo);
		vm_json_khex(j, "stack_hi", a->stack_hi);
		a->cpu < 0 ? vm_json_ki64(j, "pid", a->pid) : vm_json_ki64(j, "cpu", a->cpu);
		if (a->cpu < 0)
			vm_json_kstr(j, "comm", a->comm), vm_json_khex(j, "task", a->task);
	}
	if (a->kind == VM_ADDR_SYMBOL) {
		vm_json_kstr(j, "symbol", a->sym);
		vm_json_ku64(j, "offset", a->sym_off);
		if (a->module[0])
			vm_json_kstr(j, "module", a->module);
		if (a->past_size)
			vm_json_kbool(j, "past_size", true);
	}
	if (a->have_slab) {
		vm_json_kstr(j, "cache", a->slab.cache.name);
		vm_json_khex(j, "cache_addr", a->slab.cache.addr);
		vm_json_khex(j, "object", a->slab.obj);
		vm_json_ku64(j, "objsize", a->slab.cache.objsize);
		vm_json_kbool(j, "in_object", a->slab.in_object);
		vm_json_kbool(j, "free", a->slab.free);
		if (a->slab.cpu >= 0)
			vm_json_ki64(j, "free_cpu", a->slab.cpu);
		if (a->slab.in_sheaf) {
			vm_json_kstr(j, "sheaf", vm_sheaf_kind_name(a->slab.sheaf));
			if (a->slab.sheaf == VM_SHEAF_BARN)
				vm_json_ki64(j, "sheaf_node", a->slab.sheaf_node);
		}
		vm_json_khex(j, "slab", a->slab.slab.slab);
	}
	if (a->have_vmap) {
		vm_json_khex(j, "vmap_area", a->vmap.va);
		vm_json_khex(j, "vm_struct", a->vmap.vm);
		vm_json_khex(j, "start", a->vmap.start);
		vm_json_khex(j, "end", a->vmap.end);
		vm_json_kstr(j, "caller", a->caller);
	}
	if (a->have_phys)
		vm_json_khex(j, "phys", a->phys);
	if (a->have_backing) {
		vm_json_khex(j, "backing_page", a->backing_page);
		vm_json_khex(j, "backing_phys", a->backing_phys);
	}
	if (a->have_page) {
		vm_json_khex(j, "page", a->page.page);
		vm_json_khex(j, "flags", a->page.flags);
		vm_json_kstr(j, "flag_names", a->page_flags);
		vm_json_ki64(j, "count", a->page.refcount);
		vm_json_ki64(j, "mapcount", a->page.mapcount);
		vm_json_khex(j, "mapping", a->page.mapping);
		vm_json_khex(j, "index", a->page.index);
		if (a->page_type)
			vm_json_kstr(j, "page_type", a->page_type);
		vm_json_kbool(j, "in_dump", a->in_dump);
	}
	if (a->why[0])
		vm_json_kstr(j, "why", a->why);
	vm_json_end(j);
}
