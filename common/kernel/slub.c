// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SLUB walks (see slab.h).  Every list is bounded and loop-checked
 * (list.h), every free list is bounded by its slab's object count and
 * checked to stay inside its slab.
 */
#include "slab.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fld.h"
#include "list.h"
#include "memmap.h"
#include "nodes.h"
#include "page.h"
#include "percpu.h"

/* include/linux/slab.h, unchanged since v2.6.22 */
#define SLAB_RED_ZONE 0x00000400u
#define SLAB_STORE_USER 0x00010000u
/* kmem_cache_order_objects: order << 16 | objects (v2.6.26+) */
#define OO_SHIFT 16
#define OO_MASK 0xffffu
/* a kmem_cache is a few hundred bytes plus node[MAX_NUMNODES] (per_node[]
 * of 16 bytes each since v7.1: 16 KiB with NODES_SHIFT 10) */
#define CACHE_WINDOW_MAX (64u << 10)
/* more caches than this on one list is a loop or garbage */
#define CACHES_MAX 65536

enum fp_mode { FP_UNKNOWN = -1, FP_PLAIN, FP_XOR_ADDR, FP_XOR_SWAB };

struct vm_slub {
	struct vm_kernel *k;
	struct vm_mem *m;
	struct vm_memmap mm;
	struct vm_page_layout pl;
	struct vm_nodes nd;
	bool have_nd;
	struct vm_percpu pc;
	bool have_pc;
	struct vm_err pc_err;            /* why not */
	struct vm_cpumask possible;
	bool have_possible;
	uint64_t cache_window;
	struct vm_fld c_cpu_slab, c_flags, c_size, c_objsize, c_offset, c_oo, c_name, c_list,
		c_random, c_red_left_pad, c_node;
	const char *slab_type;          /* "slab" (v5.17+) or "page" */
	struct vm_fld s_cache, s_freelist, s_list, s_next;
	uint64_t inuse_bit, objects_bit;
	unsigned inuse_bits, objects_bits;
	struct vm_fld cc_freelist, cc_slab, cc_partial;
	struct vm_fld n_nr_partial, n_partial, n_nr_slabs, n_total_objects, n_full, n_barn;
	bool has_cpu_slab;
	/* sheaves (v6.18+; the only per-CPU caches since v7.0, cf338283652f) */
	bool has_sheaves;
	struct vm_fld c_cpu_sheaves, c_sheaf_capacity, pcs_main, pcs_spare, pcs_rcu, sh_size, sh_capacity,
		sh_cache, sh_objects, sh_barn_list, b_full, b_nr_full;
	/* kmem_cache.per_node[] of {barn, node} since v7.1 (5ba6bc27b1f9) */
	bool per_node;
	struct vm_fld c_per_node, pn_node, pn_barn;
	uint64_t pn_size;
	uint64_t slab_window;
	unsigned nr_node_ids;
	/* text-only kallsyms: __per_cpu_start, found by what it predicts */
	uint64_t pcpu_start;
	bool pcpu_tried, pcpu_found;
	struct vm_err pcpu_err;
	int fp_mode;
	struct vm_slab_cache *caches;
	size_t ncaches;
	bool listed;
	const char *list_how;
	char how[256];
};

/* ---- layout ---- */

static int layout(struct vm_slub *s, struct vm_err *e)
{
	struct vm_kernel *k = s->k;
	const char *st;

	s->has_cpu_slab = vm_fld_opt(k, "kmem_cache", "cpu_slab", &s->c_cpu_slab);
	s->has_sheaves = vm_fld_opt(k, "kmem_cache", "cpu_sheaves", &s->c_cpu_sheaves);
	if (!s->has_cpu_slab && !s->has_sheaves)
		return vm_fail(e, VM_EUNSUP, "struct kmem_cache has neither cpu_slab nor "
			       "cpu_sheaves: not the SLUB allocator (SLAB and SLOB are not "
			       "supported)");
	if (s->has_sheaves &&
	    (vm_fld_need(k, "slub_percpu_sheaves", "main", &s->pcs_main, e) < 0 ||
	     vm_fld_need(k, "slab_sheaf", "size", &s->sh_size, e) < 0 ||
	     vm_fld_need(k, "slab_sheaf", "cache", &s->sh_cache, e) < 0 ||
	     vm_kernel_offsetof(k, "slab_sheaf", "objects", &s->sh_objects.off, NULL, e) < 0))
		return -1;          /* objects[] is a flexible array: an offset, no size */
	if (s->has_sheaves) {
		vm_fld_opt(k, "slub_percpu_sheaves", "spare", &s->pcs_spare);
		vm_fld_opt(k, "slub_percpu_sheaves", "rcu_free", &s->pcs_rcu);
		vm_fld_opt(k, "slab_sheaf", "capacity", &s->sh_capacity);
		vm_fld_opt(k, "kmem_cache", "sheaf_capacity", &s->c_sheaf_capacity);
		vm_fld_opt(k, "slab_sheaf", "barn_list", &s->sh_barn_list);
		vm_fld_opt(k, "node_barn", "sheaves_full", &s->b_full);
		vm_fld_opt(k, "node_barn", "nr_full", &s->b_nr_full);
		vm_fld_opt(k, "kmem_cache_node", "barn", &s->n_barn);
	}
	if (vm_fld_need(k, "kmem_cache", "flags", &s->c_flags, e) < 0 ||
	    vm_fld_need(k, "kmem_cache", "size", &s->c_size, e) < 0 ||
	    vm_fld_need(k, "kmem_cache", "object_size", &s->c_objsize, e) < 0 ||
	    vm_fld_need(k, "kmem_cache", "offset", &s->c_offset, e) < 0 ||
	    vm_fld_need(k, "kmem_cache", "oo", &s->c_oo, e) < 0 ||
	    vm_fld_need(k, "kmem_cache", "name", &s->c_name, e) < 0 ||
	    vm_fld_need(k, "kmem_cache", "list", &s->c_list, e) < 0)
		return -1;
	vm_fld_opt(k, "kmem_cache", "random", &s->c_random);
	vm_fld_opt(k, "kmem_cache", "red_left_pad", &s->c_red_left_pad);
	/* node[MAX_NUMNODES]; v7.1 made it per_node[] of
	 * struct kmem_cache_per_node_ptrs { barn, node } (5ba6bc27b1f9) */
	if (!vm_fld_opt(k, "kmem_cache", "node", &s->c_node)) {
		if (vm_fld_need(k, "kmem_cache", "per_node", &s->c_per_node, e) < 0 ||
		    vm_fld_need(k, "kmem_cache_per_node_ptrs", "node", &s->pn_node, e) < 0 ||
		    !(s->pn_size = vm_fld_sizeof(k, "kmem_cache_per_node_ptrs")))
			return vm_fail(e, VM_EUNSUP, "struct kmem_cache has neither node[] nor "
				       "per_node[]: layout unknown");
		vm_fld_opt(k, "kmem_cache_per_node_ptrs", "barn", &s->pn_barn);
		s->per_node = true;
		/* node[] and per_node[] are both the tail of the struct */
		s->c_node = s->c_per_node;
		if (s->pn_size > 64 || s->c_per_node.size % s->pn_size)
			return vm_fail(e, VM_EMISMATCH, "struct kmem_cache_per_node_ptrs: "
				       "size %" PRIu64, s->pn_size);
	}
	s->cache_window = s->c_node.off + s->c_node.size;
	if (vm_fld_end(&s->c_list) > s->cache_window)
		s->cache_window = vm_fld_end(&s->c_list);
	if (s->cache_window > CACHE_WINDOW_MAX || s->c_node.size % 8)
		return vm_fail(e, VM_EMISMATCH, "struct kmem_cache: node[] ends at %" PRIu64
			       ": types do not match this kernel", s->cache_window);

	/* struct slab (v5.17+) or the slab fields of struct page */
	st = vm_fld_opt(k, "slab", "slab_cache", &s->s_cache) ? "slab" : "page";
	s->slab_type = st;
	if ((!strcmp(st, "page") && vm_fld_need(k, st, "slab_cache", &s->s_cache, e) < 0) ||
	    vm_fld_need(k, st, "freelist", &s->s_freelist, e) < 0 ||
	    vm_fld_bits(k, st, "inuse", &s->inuse_bit, &s->inuse_bits, e) < 0 ||
	    vm_fld_bits(k, st, "objects", &s->objects_bit, &s->objects_bits, e) < 0)
		return -1;
	if (!vm_fld_opt(k, st, "slab_list", &s->s_list) &&
	    vm_fld_need(k, st, "lru", &s->s_list, e) < 0)
		return -1;
	vm_fld_opt(k, st, "next", &s->s_next);
	s->slab_window = s->mm.psize;
	if (vm_fld_end(&s->s_freelist) > s->slab_window || vm_fld_end(&s->s_cache) > s->slab_window ||
	    (s->inuse_bit + s->inuse_bits + 7) / 8 > s->slab_window ||
	    (s->objects_bit + s->objects_bits + 7) / 8 > s->slab_window)
		return vm_fail(e, VM_EMISMATCH, "struct %s: slab members past the struct "
			       "page it overlays", st);

	if (s->has_cpu_slab &&
	    (vm_fld_need(k, "kmem_cache_cpu", "freelist", &s->cc_freelist, e) < 0 ||
	     (!vm_fld_opt(k, "kmem_cache_cpu", "slab", &s->cc_slab) &&
	      vm_fld_need(k, "kmem_cache_cpu", "page", &s->cc_slab, e) < 0)))
		return -1;
	if (s->has_cpu_slab)
		vm_fld_opt(k, "kmem_cache_cpu", "partial", &s->cc_partial);
	if (vm_fld_need(k, "kmem_cache_node", "nr_partial", &s->n_nr_partial, e) < 0 ||
	    vm_fld_need(k, "kmem_cache_node", "partial", &s->n_partial, e) < 0)
		return -1;
	vm_fld_opt(k, "kmem_cache_node", "nr_slabs", &s->n_nr_slabs);
	vm_fld_opt(k, "kmem_cache_node", "total_objects", &s->n_total_objects);
	vm_fld_opt(k, "kmem_cache_node", "full", &s->n_full);
	s->fp_mode = s->c_random.ok ? FP_UNKNOWN : FP_PLAIN;
	return 0;
}

/* kmem_cache.node[] holds nr_node_ids entries: kmem_cache_init() sizes
 * each kmem_cache to end there (the rest of node[MAX_NUMNODES] is the
 * next object).  nr_node_ids, else one past the highest online node. */
static unsigned node_ids(struct vm_slub *s)
{
	uint64_t addr, mask[VM_NODES_MAX / 64], sz = 8;
	struct vm_err re;
	uint32_t v;
	unsigned i, n = 1;

	if (vm_kernel_symbol(s->k, "nr_node_ids", &addr, &re) == 0 &&
	    vm_kread_u32(s->m, addr, &v, &re) == 0 && v >= 1 && v <= VM_NODES_MAX)
		return v;
	if (vm_kernel_symbol(s->k, "node_online_map", &addr, &re) < 0)
		return 1;
	if (s->k->vi && vm_vmci_size(s->k->vi, "nodemask_t", &sz) < 0)
		sz = 8;
	if (sz > sizeof(mask))
		sz = sizeof(mask);
	memset(mask, 0, sizeof(mask));
	if (vm_kread(s->m, addr, mask, sz, &re) < 0)
		return 1;
	for (i = 0; i < sz * 8; i++)
		if ((mask[i / 64] >> (i % 64)) & 1)
			n = i + 1;
	return n;
}

struct vm_slub *vm_slub_open(struct vm_kernel *k, struct vm_err *e)
{
	struct vm_slub *s = vm_calloc(1, sizeof(*s), e);
	struct vm_err re;

	if (!s)
		return NULL;
	s->k = k;
	s->m = vm_kernel_mem(k, e);
	if (!s->m)
		goto fail;
	if (vm_memmap_open(k, &s->mm, e) < 0)
		goto fail0;
	if (vm_page_layout_init(k, &s->pl, e) < 0)
		goto fail1;
	if (layout(s, e) < 0) {
		vm_err_prefix(e, "slab caches: ");
		goto fail2;
	}
	s->have_pc = vm_percpu_open(k, &s->pc, &s->pc_err) == 0;
	s->have_possible = vm_cpumask_read(k, VM_CPUS_POSSIBLE, &s->possible, &re) == 0;
	s->have_nd = vm_nodes_read(k, &s->mm, &s->pl, &s->nd, &re) == 0;
	s->nr_node_ids = node_ids(s);
	return s;
fail2:
	vm_page_layout_free(&s->pl);
fail1:
	vm_memmap_close(&s->mm);
fail0:
fail:
	free(s);
	return NULL;
}

void vm_slub_close(struct vm_slub *s)
{
	if (!s)
		return;
	if (s->have_pc)
		vm_percpu_close(&s->pc);
	if (s->have_nd)
		vm_nodes_free(&s->nd);
	vm_page_layout_free(&s->pl);
	vm_memmap_close(&s->mm);
	free(s->caches);
	free(s);
}

const char *vm_slub_how(const struct vm_slub *s)
{
	struct vm_slub *w = (struct vm_slub *)s;

	snprintf(w->how, sizeof(w->how), "caches from %s; %s in struct %s; free pointers %s",
		 s->list_how ? s->list_how : "(not listed)",
		 s->pl.slab_how ? s->pl.slab_how : "slab pages unknown", s->slab_type,
		 s->fp_mode == FP_PLAIN ? "plain" :
		 s->fp_mode == FP_XOR_ADDR ? "hardened (ptr ^ random ^ address)" :
		 s->fp_mode == FP_XOR_SWAB ? "hardened (ptr ^ random ^ swab(address))" :
					     "hardened (encoding not yet seen)");
	return s->how;
}

/* ---- one cache ---- */

static int read_cache(struct vm_slub *s, uint64_t addr, struct vm_slab_cache *c,
		      struct vm_err *e)
{
	uint64_t len = s->c_node.off + (s->per_node ? s->pn_size : 8) * s->nr_node_ids, name, oo;
	struct vm_err re;
	uint8_t *buf;
	int ret = -1;

	/* only as far as this kernel's kmem_caches reach (see node_ids()) */
	if (len < vm_fld_end(&s->c_list))
		len = vm_fld_end(&s->c_list);
	if (len > s->cache_window)
		len = s->cache_window;

	memset(c, 0, sizeof(*c));
	c->addr = addr;
	buf = vm_malloc(len, e);
	if (!buf)
		return -1;
	if (vm_kread(s->m, addr, buf, len, e) < 0) {
		vm_err_prefix(e, "kmem_cache at 0x%" PRIx64 ": ", addr);
		goto out;
	}
	name = vm_fld_u(buf, len, &s->c_name);
	if (!name || vm_kread_str(s->m, name, c->name, sizeof(c->name), &re) < 0)
		snprintf(c->name, sizeof(c->name), "(unknown)");
	c->size = (uint32_t)vm_fld_u(buf, len, &s->c_size);
	c->objsize = (uint32_t)vm_fld_u(buf, len, &s->c_objsize);
	c->offset = (uint32_t)vm_fld_u(buf, len, &s->c_offset);
	c->flags = vm_fld_u(buf, len, &s->c_flags);
	oo = vm_fld_u(buf, len, &s->c_oo);
	c->order = (unsigned)(oo >> OO_SHIFT);
	c->objects = (unsigned)(oo & OO_MASK);
	c->cpu_slab = vm_fld_u(buf, len, &s->c_cpu_slab);
	c->cpu_sheaves = vm_fld_u(buf, len, &s->c_cpu_sheaves);
	c->sheaf_capacity = (uint32_t)vm_fld_u(buf, len, &s->c_sheaf_capacity);
	c->random = vm_fld_u(buf, len, &s->c_random);
	if (c->flags & SLAB_RED_ZONE)
		c->red_left_pad = (uint32_t)vm_fld_u(buf, len, &s->c_red_left_pad);
	if (!c->size || c->size > (64u << 20) || c->order > 20 || c->offset >= c->size ||
	    c->red_left_pad >= c->size) {
		vm_fail(e, VM_ECORRUPT, "kmem_cache at 0x%" PRIx64 " (%s): size %u, order %u, "
			"free pointer offset %u: not a kmem_cache", addr, c->name, c->size,
			c->order, c->offset);
		goto out;
	}
	c->ssize = (uint64_t)vm_mem_page_size(s->m) << c->order;
	ret = 0;
out:
	free(buf);
	return ret;
}

/* ---- slabs ---- */

struct slab_raw {
	uint64_t cache, freelist, next;
	unsigned inuse, objects;
};

static int read_slab(struct vm_slub *s, uint64_t slab, struct slab_raw *r, struct vm_err *e)
{
	uint8_t buf[512];
	uint64_t len = s->slab_window;

	if (vm_kread(s->m, slab, buf, len, e) < 0) {
		vm_err_prefix(e, "slab 0x%" PRIx64 ": ", slab);
		return -1;
	}
	r->cache = vm_fld_u(buf, len, &s->s_cache);
	r->freelist = vm_fld_u(buf, len, &s->s_freelist);
	r->next = vm_fld_u(buf, len, &s->s_next);
	r->inuse = (unsigned)vm_bits_u(buf, len, s->inuse_bit, s->inuse_bits);
	r->objects = (unsigned)vm_bits_u(buf, len, s->objects_bit, s->objects_bits);
	return 0;
}

/* the slab's memory and node from its struct slab address */
static int slab_place(struct vm_slub *s, uint64_t slab, struct vm_slab *out, struct vm_err *e)
{
	uint64_t pfn, page;
	const struct vm_zone *z;

	if (!vm_memmap_pfn(&s->mm, slab, &pfn, &page) || page != slab)
		return vm_fail(e, VM_ECORRUPT, "slab pointer 0x%" PRIx64 " is not a struct page",
			       slab);
	if (vm_mem_lin_ptov(s->m, pfn << s->mm.page_shift, &out->mem, e) < 0)
		return -1;
	out->slab = slab;
	out->node = -1;
	if (s->have_nd && (z = vm_nodes_zone_of(&s->nd, pfn)) != NULL)
		out->node = z->node;
	return 0;
}

static uint64_t fp_decode(int mode, const struct vm_slab_cache *c, uint64_t stored,
			  uint64_t at)
{
	switch (mode) {
	case FP_XOR_ADDR: return stored ^ c->random ^ at;
	case FP_XOR_SWAB: return stored ^ c->random ^ __builtin_bswap64(at);
	default: return stored;
	}
}

/* Index of object address q in the slab, or -1. */
static long obj_index(const struct vm_slab_cache *c, uint64_t mem, unsigned objects, uint64_t q)
{
	uint64_t d;

	if (q < mem + c->red_left_pad)
		return -1;
	d = q - mem - c->red_left_pad;
	if (d % c->size || d / c->size >= objects)
		return -1;
	return (long)(d / c->size);
}

/*
 * Walk a free list from first (already decoded) through the objects of the
 * slab at mem: mark[] gets 1 per object on it.  Returns the count, -1 when
 * the chain leaves the slab, repeats or is unreadable (e says where).
 */
static long walk_freelist(struct vm_slub *s, const struct vm_slab_cache *c, int mode,
			  uint64_t mem, unsigned objects, uint64_t first, uint8_t *mark,
			  struct vm_err *e)
{
	uint64_t q = first, stored;
	long n = 0, i;

	while (q) {
		i = obj_index(c, mem, objects, q);
		if (i < 0)
			return vm_fail(e, VM_ECORRUPT, "%s: free object 0x%" PRIx64 " is not an "
				       "object of slab memory 0x%" PRIx64, c->name, q, mem);
		if (mark[i])
			return vm_fail(e, VM_ECORRUPT, "%s: free list loops at object 0x%" PRIx64,
				       c->name, q);
		mark[i] = 1;
		if (++n > (long)objects)
			return vm_fail(e, VM_ECORRUPT, "%s: free list longer than the slab",
				       c->name);
		if (vm_kread_u64(s->m, q + c->offset, &stored, e) < 0)
			return -1;
		q = fp_decode(mode, c, stored, q + c->offset);
	}
	return n;
}

/* The free list with the encoding of this dump (found on first use). */
static long freelist(struct vm_slub *s, const struct vm_slab_cache *c, uint64_t mem,
		     unsigned objects, uint64_t first, uint8_t *mark, struct vm_err *e)
{
	static const int modes[] = { FP_XOR_SWAB, FP_XOR_ADDR };
	unsigned i;
	long n;

	if (!first)
		return 0;
	if (s->fp_mode != FP_UNKNOWN)
		return walk_freelist(s, c, s->fp_mode, mem, objects, first, mark, e);
	for (i = 0; i < 2; i++) {
		memset(mark, 0, objects);
		n = walk_freelist(s, c, modes[i], mem, objects, first, mark, e);
		if (n >= 0) {
			s->fp_mode = modes[i];
			return n;
		}
	}
	memset(mark, 0, objects);
	return vm_fail(e, VM_ECORRUPT, "%s: the free list at 0x%" PRIx64 " decodes under "
		       "no known free-pointer encoding", c->name, first);
}

/* Read one slab: counts, place and (objs) each object's state.
 * cpu_freelist is the CPU's lockless list when this is a CPU's slab. */
static int slab_info(struct vm_slub *s, const struct vm_slab_cache *c, uint64_t slab,
		     enum vm_slab_where where, int cpu, uint64_t cpu_freelist, bool objs,
		     struct vm_slab *out, uint64_t *next, struct vm_err *e)
{
	struct slab_raw r;
	uint8_t *mark;
	long nc = 0;
	unsigned i;

	memset(out, 0, sizeof(*out));
	out->where = where;
	out->cpu = cpu;
	if (slab_place(s, slab, out, e) < 0 || read_slab(s, slab, &r, e) < 0)
		return -1;
	if (next)
		*next = r.next;
	if (r.cache != c->addr)
		return vm_fail(e, VM_ECORRUPT, "slab 0x%" PRIx64 " on %s's lists belongs to "
			       "cache 0x%" PRIx64, slab, c->name, r.cache);
	if (!r.objects || r.inuse > r.objects ||
	    (uint64_t)r.objects * c->size > (c->ssize << 1))
		return vm_fail(e, VM_ECORRUPT, "%s: slab 0x%" PRIx64 " has %u objects, %u in "
			       "use", c->name, slab, r.objects, r.inuse);
	out->objects = r.objects;
	out->inuse = r.inuse;
	if (!objs && where != VM_SLAB_CPU)
		return 0;
	mark = vm_calloc(r.objects, 1, e);
	if (!mark)
		return -1;
	if (r.freelist && freelist(s, c, out->mem, r.objects, r.freelist, mark, e) < 0)
		goto fail;
	if (where == VM_SLAB_CPU && cpu_freelist) {
		uint8_t *m2 = vm_calloc(r.objects, 1, e);

		if (!m2)
			goto fail;
		nc = freelist(s, c, out->mem, r.objects, cpu_freelist, m2, e);
		for (i = 0; nc >= 0 && i < r.objects; i++)
			if (m2[i])
				mark[i] = 2;
		free(m2);
		if (nc < 0)
			goto fail;
	}
	/* a CPU slab's inuse counts the objects on the CPU's lockless list as
	 * used; objects freed from other CPUs went to slab->freelist and were
	 * taken off inuse (crash's kmem -S arithmetic) */
	if (where == VM_SLAB_CPU)
		out->inuse = r.objects - (unsigned)nc - (r.freelist ? r.objects - r.inuse : 0);
	if (objs) {
		out->obj = vm_calloc(r.objects, sizeof(*out->obj), e);
		if (!out->obj)
			goto fail;
		for (i = 0; i < r.objects; i++) {
			out->obj[i].addr = out->mem + (uint64_t)i * c->size + c->red_left_pad;
			out->obj[i].free = mark[i] != 0;
			/* crash's "(cpu N cache)": every free object of a CPU's
			 * slab, on its lockless list or the slab's own (objects
			 * freed remotely, which only that CPU takes back) */
			out->obj[i].cpu = mark[i] && where == VM_SLAB_CPU ? cpu : -1;
		}
	}
	free(mark);
	return 0;
fail:
	free(mark);
	return -1;
}

/* ---- the cache list ---- */

static bool in_linear(struct vm_slub *s, uint64_t va)
{
	uint64_t pa;

	return vm_mem_lin_vtop(s->m, va, &pa, NULL) == 0;
}

/* Without slab_caches: a slab page's cache, whose list runs through
 * every cache and the head (the one node outside slab memory). */
struct head_hunt {
	struct vm_slub *s;
	uint64_t cache;
};

static int hunt_slab(void *ctx, uint64_t pfn, uint64_t page, const uint8_t *buf,
		     size_t n, struct vm_err *e)
{
	struct head_hunt *h = ctx;
	const struct vm_page_layout *pl = &h->s->pl;
	size_t i;

	for (i = 0; i < n; i++) {
		const uint8_t *p = buf + i * pl->psize;

		if ((vm_fld_u(p, pl->psize, &pl->compound_head) & 1) ||
		    !vm_page_is_slab(pl, vm_fld_u(p, pl->psize, &pl->flags),
				     (uint32_t)vm_fld_u(p, pl->psize, &pl->mapcount)))
			continue;
		h->cache = vm_fld_u(p, pl->psize, &h->s->s_cache);
		if (h->cache)
			return -1;          /* found: stop */
	}
	return 0;
}

static int find_head(struct vm_slub *s, uint64_t *head, struct vm_err *e)
{
	struct head_hunt h = { .s = s };
	struct vm_list_walk w;
	uint64_t node, unreadable;
	int r;

	if (vm_kernel_symbol(s->k, "slab_caches", head, e) == 0) {
		s->list_how = "slab_caches";
		return 0;
	}
	if (!s->pl.slab_how)
		return vm_fail(e, VM_ENOENT, "no slab_caches symbol, and no way to tell slab "
			       "pages (neither PG_slab nor a slab page type)");
	vm_memmap_scan(&s->mm, hunt_slab, &h, &unreadable, e);
	if (!h.cache)
		return vm_fail(e, VM_ENOENT, "no slab_caches symbol, and no slab page in the "
			       "dump's mem_map");
	vm_list_init(&w, s->m, h.cache + s->c_list.off, CACHES_MAX, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, e)) > 0) {
		if (!in_linear(s, node)) {
			*head = node;
			s->list_how = "the list of a slab page's cache (no slab_caches symbol)";
			return 0;
		}
	}
	if (r == 0)
		vm_fail(e, VM_ECORRUPT, "the list of kmem_cache 0x%" PRIx64 " has no head "
			"outside slab memory", h.cache);
	vm_err_prefix(e, "slab_caches (found from kmem_cache 0x%" PRIx64 "): ", h.cache);
	return -1;
}

static int list_caches(struct vm_slub *s, struct vm_err *e)
{
	struct vm_list_walk w;
	uint64_t head, node;
	size_t cap = 0;
	int r;

	if (s->listed)
		return 0;
	if (find_head(s, &head, e) < 0)
		return -1;
	vm_list_init(&w, s->m, head, CACHES_MAX, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, e)) > 0) {
		if (s->ncaches == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			void *p = vm_realloc_array(s->caches, ncap, sizeof(*s->caches), e);

			if (!p)
				return -1;
			s->caches = p;
			cap = ncap;
		}
		if (read_cache(s, node - s->c_list.off, &s->caches[s->ncaches], e) < 0)
			return -1;
		s->ncaches++;
	}
	if (r < 0) {
		vm_err_prefix(e, "slab cache list: ");
		return -1;
	}
	s->listed = true;
	return 0;
}

/* ---- sheaves ---- */

/* objects one sheaf may hold: sheaf_capacity is a few dozen to a few
 * hundred */
#define SHEAF_OBJECTS_MAX 4096u
#define BARN_SHEAVES_MAX 65536u

static const char *const sheaf_kinds[] = {
	[VM_SHEAF_MAIN] = "main", [VM_SHEAF_SPARE] = "spare", [VM_SHEAF_RCU] = "rcu_free",
	[VM_SHEAF_BARN] = "barn",
};

const char *vm_sheaf_kind_name(enum vm_sheaf_kind k)
{
	return sheaf_kinds[k];
}

static int cpu_ptr(struct vm_slub *s, uint64_t ptr, unsigned cpu, uint64_t *addr,
		   struct vm_err *e);
static bool cpu_ok(struct vm_slub *s, unsigned cpu);
static int node_ptrs(struct vm_slub *s, const struct vm_slab_cache *c, uint64_t *ptr,
		     unsigned *n, struct vm_err *e);

/* A cache whose sheaf_capacity is 0 (the boot caches, debugging caches,
 * SLUB_TINY) has no sheaves of its own: since v7.0 every CPU's main sheaf is
 * then the one static, empty bootstrap_sheaf (cache NULL, size 0) that all
 * such caches share -- the kernel's cache_has_sheaves(). */
static bool has_real_sheaves(const struct vm_slub *s, const struct vm_slab_cache *c)
{
	return !s->c_sheaf_capacity.ok || c->sheaf_capacity;
}

static int read_sheaf(struct vm_slub *s, const struct vm_slab_cache *c, uint64_t addr,
		      bool objs, struct vm_slab_sheaf *sh, struct vm_err *e)
{
	uint64_t cache = 0, sz = 0, cap = 0;

	sh->addr = addr;
	if (vm_kread(s->m, addr + s->sh_cache.off, &cache, 8, e) < 0 ||
	    vm_kread(s->m, addr + s->sh_size.off, &sz, s->sh_size.size > 8 ? 8 : s->sh_size.size, e) < 0 ||
	    (s->sh_capacity.ok &&
	     vm_kread(s->m, addr + s->sh_capacity.off, &cap,
		      s->sh_capacity.size > 8 ? 8 : s->sh_capacity.size, e) < 0)) {
		vm_err_prefix(e, "%s: sheaf 0x%" PRIx64 ": ", c->name, addr);
		return -1;
	}
	/* capacity shares a union with the list link once a sheaf is on a
	 * barn's list: only the cache and the size are checked */
	if (cache != c->addr || sz > SHEAF_OBJECTS_MAX)
		return vm_fail(e, VM_ECORRUPT, "%s: sheaf 0x%" PRIx64 " of cache 0x%" PRIx64
			       " holds %" PRIu64 " objects: not this cache's sheaf", c->name,
			       addr, cache, sz);
	sh->size = (unsigned)sz;
	sh->capacity = cap <= SHEAF_OBJECTS_MAX ? (unsigned)cap : 0;
	/* a barn's sheaf has its list link over the capacity: the cache's */
	if (sh->kind == VM_SHEAF_BARN || !s->sh_capacity.ok)
		sh->capacity = c->sheaf_capacity;
	if (!objs || !sz)
		return 0;
	sh->obj = vm_calloc(sz, sizeof(uint64_t), e);
	if (!sh->obj || vm_kread(s->m, addr + s->sh_objects.off, sh->obj, 8 * sz, e) < 0) {
		free(sh->obj);
		sh->obj = NULL;
		vm_err_prefix(e, "%s: sheaf 0x%" PRIx64 " objects: ", c->name, addr);
		return -1;
	}
	return 0;
}

static int add_sheaf(struct vm_slab_sheaf **v, size_t *n, size_t *cap,
		     const struct vm_slab_sheaf *sh, struct vm_err *e)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *p = vm_realloc_array(*v, ncap, sizeof(**v), e);

		if (!p)
			return -1;
		*v = p;
		*cap = ncap;
	}
	(*v)[(*n)++] = *sh;
	return 0;
}

static void free_sheaves(struct vm_slab_sheaf *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].obj);
	free(v);
}

/* Every sheaf of the cache: each CPU's main, spare and rcu_free, and
 * the full sheaves in each node's barn (empty ones hold nothing). */
static int collect_sheaves(struct vm_slub *s, const struct vm_slab_cache *c, bool objs,
			   struct vm_slab_sheaf **out, size_t *nout, uint64_t *objects,
			   struct vm_err *e)
{
	const struct vm_fld *pcs[3] = { &s->pcs_main, &s->pcs_spare, &s->pcs_rcu };
	uint64_t ptr[VM_NODES_MAX];
	size_t cap = 0;
	unsigned cpu, k, nn, i;

	*out = NULL;
	*nout = 0;
	*objects = 0;
	if (!s->has_sheaves || !c->cpu_sheaves || !has_real_sheaves(s, c))
		return 0;
	if (!s->have_pc)
		return vm_fail(e, VM_ENOENT, "per-CPU offsets unknown (%s): sheaves cannot be "
			       "read", s->pc_err.msg);
	for (cpu = 0; cpu < s->pc.nr_cpu_ids; cpu++) {
		uint64_t a;

		if (!cpu_ok(s, cpu))
			continue;
		if (cpu_ptr(s, c->cpu_sheaves, cpu, &a, e) < 0)
			goto fail;
		for (k = 0; k < 3; k++) {
			struct vm_slab_sheaf sh = { .kind = k, .cpu = (int)cpu, .node = -1 };
			uint64_t p;

			if (!pcs[k]->ok)
				continue;
			if (vm_kread_u64(s->m, a + pcs[k]->off, &p, e) < 0)
				goto fail;
			if (!p)
				continue;
			if (read_sheaf(s, c, p, objs, &sh, e) < 0 ||
			    add_sheaf(out, nout, &cap, &sh, e) < 0)
				goto fail;
			*objects += sh.size;
		}
	}
	if (!s->b_full.ok || !s->sh_barn_list.ok || node_ptrs(s, c, ptr, &nn, e) < 0)
		return s->b_full.ok && s->sh_barn_list.ok ? -1 : 0;
	for (i = 0; i < nn; i++) {
		struct vm_list_walk w;
		uint64_t barn = 0, node;
		int r;

		if (s->per_node && s->pn_barn.ok) {
			if (vm_kread_u64(s->m, c->addr + s->c_node.off + i * s->pn_size +
					 s->pn_barn.off, &barn, e) < 0)
				goto fail;
		} else if (s->n_barn.ok && ptr[i]) {
			if (vm_kread_u64(s->m, ptr[i] + s->n_barn.off, &barn, e) < 0)
				goto fail;
		}
		if (!barn)
			continue;
		vm_list_init(&w, s->m, barn + s->b_full.off, BARN_SHEAVES_MAX, VM_LIST_CHECK_PREV);
		while ((r = vm_list_next(&w, &node, e)) > 0) {
			struct vm_slab_sheaf sh = { .kind = VM_SHEAF_BARN, .cpu = -1, .node = (int)i };

			if (read_sheaf(s, c, node - s->sh_barn_list.off, objs, &sh, e) < 0 ||
			    add_sheaf(out, nout, &cap, &sh, e) < 0)
				goto fail;
			*objects += sh.size;
		}
		if (r < 0) {
			vm_err_prefix(e, "%s: node %u barn's full sheaves: ", c->name, i);
			goto fail;
		}
	}
	return 0;
fail:
	free_sheaves(*out, *nout);
	*out = NULL;
	*nout = 0;
	return -1;
}

/* ---- counting ---- */

static bool cpu_ok(struct vm_slub *s, unsigned cpu)
{
	if (s->have_possible && !vm_cpumask_test(&s->possible, cpu))
		return false;
	return !(s->pc.derived && !s->pc.offset[cpu]);
}

static int node_ptrs(struct vm_slub *s, const struct vm_slab_cache *c, uint64_t *ptr,
		     unsigned *n, struct vm_err *e)
{
	unsigned i, max = (unsigned)(s->c_node.size / (s->per_node ? s->pn_size : 8));

	if (max > s->nr_node_ids)
		max = s->nr_node_ids;
	if (!s->per_node) {
		if (vm_kread(s->m, c->addr + s->c_node.off, ptr, 8ull * max, e) < 0)
			return -1;
	} else {
		for (i = 0; i < max; i++)
			if (vm_kread_u64(s->m, c->addr + s->c_node.off + i * s->pn_size +
					 s->pn_node.off, &ptr[i], e) < 0)
				return -1;
	}
	*n = max;
	for (i = 0; i < max; i++)
		if (ptr[i] && !in_linear(s, ptr[i]))
			return vm_fail(e, VM_ECORRUPT, "%s: node[%u] = 0x%" PRIx64 " is not in "
				       "the linear map", c->name, i, ptr[i]);
	return 0;
}

/* free objects of the slabs on a list (partial: objects - inuse) */
static int list_slabs(struct vm_slub *s, const struct vm_slab_cache *c, uint64_t head,
		      uint64_t max, enum vm_slab_where where, bool keep, bool objs,
		      struct vm_slab **out, size_t *nout, uint64_t *freeobj, struct vm_err *e)
{
	struct vm_list_walk w;
	uint64_t node;
	size_t cap = 0;
	int r;

	vm_list_init(&w, s->m, head, max + 1, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, e)) > 0) {
		struct vm_slab sl;

		if (slab_info(s, c, node - s->s_list.off, where, -1, 0, objs, &sl, NULL, e) < 0)
			return -1;
		if (freeobj)
			*freeobj += sl.objects - sl.inuse;
		if (!keep) {
			free(sl.obj);
			continue;
		}
		if (*nout == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			void *p = vm_realloc_array(*out, ncap, sizeof(**out), e);

			if (!p) {
				free(sl.obj);
				return -1;
			}
			*out = p;
			cap = ncap;
		}
		(*out)[(*nout)++] = sl;
	}
	return r;
}

struct kcc {                     /* one CPU's kmem_cache_cpu */
	uint64_t addr, freelist, slab, partial;
};

static int find_pcpu_start(struct vm_slub *s, struct vm_err *e);

/* per_cpu_ptr(): with __per_cpu_offset[] known, the percpu layer's; on a
 * text-only kallsyms the CPU's section copy (derived from its runqueue)
 * minus __per_cpu_start, which find_pcpu_start() finds */
static int cpu_ptr(struct vm_slub *s, uint64_t ptr, unsigned cpu, uint64_t *addr,
		   struct vm_err *e)
{
	if (!s->pc.derived)
		return vm_percpu_ptr(&s->pc, ptr, cpu, addr, e);
	if (cpu >= s->pc.nr_cpu_ids || !s->pc.offset[cpu])
		return vm_fail(e, VM_ENOENT, "CPU %u: per-CPU area unknown", cpu);
	if (find_pcpu_start(s, e) < 0)
		return -1;
	*addr = ptr + s->pc.offset[cpu] - s->pcpu_start;
	return 0;
}

static int read_kcc(struct vm_slub *s, const struct vm_slab_cache *c, unsigned cpu,
		    struct kcc *k, struct vm_err *e)
{
	uint8_t buf[64];
	uint64_t len = vm_fld_end(&s->cc_freelist);

	memset(k, 0, sizeof(*k));
	if (vm_fld_end(&s->cc_slab) > len)
		len = vm_fld_end(&s->cc_slab);
	if (vm_fld_end(&s->cc_partial) > len)
		len = vm_fld_end(&s->cc_partial);
	if (len > sizeof(buf))
		return vm_fail(e, VM_EMISMATCH, "struct kmem_cache_cpu larger than expected");
	if (cpu_ptr(s, c->cpu_slab, cpu, &k->addr, e) < 0 ||
	    vm_kread(s->m, k->addr, buf, len, e) < 0) {
		vm_err_prefix(e, "%s: kmem_cache_cpu of CPU %u: ", c->name, cpu);
		return -1;
	}
	k->freelist = vm_fld_u(buf, len, &s->cc_freelist);
	k->slab = vm_fld_u(buf, len, &s->cc_slab);
	k->partial = vm_fld_u(buf, len, &s->cc_partial);
	return 0;
}

/*
 * __per_cpu_start without a symbol.  It is page-aligned (PERCPU_SECTION)
 * and lies at most a few MB below the lowest cpu_slab (or cpu_sheaves)
 * pointer (the boot caches' come early in the first chunk).  The right
 * value makes every cache's kmem_cache_cpu of the first known CPU name, as
 * its slab, a struct page of a slab of that same cache (or none) -- or its
 * slub_percpu_sheaves name a main sheaf of that cache; a wrong one reads
 * other per-CPU data, where that does not happen.
 */
#define PCPU_SEARCH (8ull << 20)
#define PCPU_PROBE_CACHES 32

/* the cache's __percpu pointer: kmem_cache_cpu, else the sheaves */
static uint64_t pcpu_of(const struct vm_slub *s, const struct vm_slab_cache *c)
{
	return s->has_cpu_slab ? c->cpu_slab : c->cpu_sheaves;
}

static int find_pcpu_start(struct vm_slub *s, struct vm_err *e)
{
	uint64_t pmin = UINT64_MAX, phi = UINT64_MAX, ps = vm_mem_page_size(s->m), x, lo,
		 base = 0;
	unsigned cpu, i, best_ok = 0;
	size_t c;

	if (s->pcpu_tried) {
		if (!s->pcpu_found && e)
			*e = s->pcpu_err;
		return s->pcpu_found ? 0 : -1;
	}
	s->pcpu_tried = true;
	for (cpu = 0; cpu < s->pc.nr_cpu_ids && !base; cpu++)
		base = s->pc.offset[cpu];
	/* the lowest pointer into the first chunk: a section offset where the
	 * section is linked at 0, else a kernel address (arm64; x86_64 since
	 * v6.15), and then pointers into later, vmalloc'ed chunks (the same
	 * __per_cpu_offset[] applies) can be any number below it */
	for (c = 0; c < s->ncaches; c++) {
		x = pcpu_of(s, &s->caches[c]);
		if (!x)
			continue;
		if (x >> 63)
			phi = x < phi ? x : phi;
		else
			pmin = x < pmin ? x : pmin;
	}
	if (phi != UINT64_MAX)
		pmin = phi;
	if (!base || pmin == UINT64_MAX)
		return vm_fail(&s->pcpu_err, VM_ENOENT, "__per_cpu_start unknown (kallsyms "
			       "has text symbols only) and no cache to find it by"), *e = s->pcpu_err, -1;
	lo = pmin > PCPU_SEARCH ? pmin - PCPU_SEARCH : 0;
	/* x86_64 SMP links .data..percpu at 0 (zero-based): 0 is a candidate */
	for (x = pmin & ~(ps - 1);; x -= ps) {
		unsigned ok = 0, bad = 0;

		for (c = 0, i = 0; c < s->ncaches && i < PCPU_PROBE_CACHES && !bad; c++) {
			const struct vm_slab_cache *vc = &s->caches[c];
			uint64_t slab, owner, pfn, page;
			struct vm_err re;

			if (!pcpu_of(s, vc) || (!s->has_cpu_slab && !has_real_sheaves(s, vc)))
				continue;
			i++;
			/* the CPU's slab (kmem_cache_cpu.slab) is a slab of this
			 * cache; its main sheaf is a sheaf of this cache */
			if (vm_kread_u64(s->m, pcpu_of(s, vc) + base - x +
					 (s->has_cpu_slab ? s->cc_slab.off : s->pcs_main.off),
					 &slab, &re) < 0) {
				bad++;
				continue;
			}
			if (!slab)
				continue;
			if (s->has_cpu_slab ?
			    (!vm_memmap_pfn(&s->mm, slab, &pfn, &page) || page != slab ||
			     vm_kread_u64(s->m, slab + s->s_cache.off, &owner, &re) < 0) :
			    (!in_linear(s, slab) ||
			     vm_kread_u64(s->m, slab + s->sh_cache.off, &owner, &re) < 0))
				bad++;
			else if (owner != vc->addr)
				bad++;
			else
				ok++;
		}
		if (!bad && ok > best_ok) {
			best_ok = ok;
			s->pcpu_start = x;
			s->pcpu_found = true;
		}
		if (x < lo + ps)
			break;
	}
	if (best_ok < 2) {
		s->pcpu_start = 0;
		s->pcpu_found = false;
		return vm_fail(&s->pcpu_err, VM_ENOENT, "__per_cpu_start unknown (kallsyms has "
			       "text symbols only): no candidate below 0x%" PRIx64 " makes the "
			       "caches' CPU slabs theirs", pmin), *e = s->pcpu_err, -1;
	}
	vm_kernel_note(s->k, "slab: __per_cpu_start 0x%" PRIx64 ", found by %u caches' CPU "
		       "slabs (kallsyms has text symbols only)", s->pcpu_start, best_ok);
	return 0;
}

/* A CPU's partial slabs: a chain through slab->next, at most as many
 * as the cache has slabs. */
static int cpu_partials(struct vm_slub *s, const struct vm_slab_cache *c, unsigned cpu,
			uint64_t first, uint64_t max, bool keep, struct vm_slab **out,
			size_t *nout, uint64_t *freeobj, struct vm_err *e)
{
	uint64_t p = first, n = 0;
	size_t cap = 0;

	while (p) {
		struct vm_slab sl;
		uint64_t next;

		if (++n > max)
			return vm_fail(e, VM_ECORRUPT, "%s: CPU %u's partial list is longer than "
				       "the cache's %" PRIu64 " slabs", c->name, cpu, max);
		if (slab_info(s, c, p, VM_SLAB_CPU_PARTIAL, (int)cpu, 0, keep, &sl, &next, e) < 0)
			return -1;
		*freeobj += sl.objects - sl.inuse;
		if (keep) {
			if (*nout == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				void *q = vm_realloc_array(*out, ncap, sizeof(**out), e);

				if (!q) {
					free(sl.obj);
					return -1;
				}
				*out = q;
				cap = ncap;
			}
			(*out)[(*nout)++] = sl;
		} else {
			free(sl.obj);
		}
		p = next;
	}
	return 0;
}

/* Everything about one cache; d may be NULL (counts only). */
static int walk_cache(struct vm_slub *s, struct vm_slab_cache *c, struct vm_slab_detail *d,
		      struct vm_err *e)
{
	uint64_t ptr[VM_NODES_MAX], freeobj = 0, total = 0, slabs = 0, per_node[VM_NODES_MAX];
	unsigned nn, i, cpu;

	if (!s->n_nr_slabs.ok || !s->n_total_objects.ok)
		return vm_fail(e, VM_EUNSUP, "kmem_cache_node has no nr_slabs/total_objects "
			       "(a kernel without CONFIG_SLUB_DEBUG): slab totals unknown");
	if (!s->have_pc)
		return vm_fail(e, VM_ENOENT, "per-CPU offsets unknown (%s): CPU slabs cannot be "
			       "read", s->pc_err.msg);
	if (node_ptrs(s, c, ptr, &nn, e) < 0)
		return -1;
	memset(per_node, 0, sizeof(per_node));
	for (i = 0; i < nn; i++)
		if (ptr[i]) {
			uint64_t v;

			if (vm_kread_u64(s->m, ptr[i] + s->n_nr_slabs.off, &v, e) < 0)
				return -1;
			slabs += v;
		}
	if (d) {
		d->cpu = vm_calloc(s->pc.nr_cpu_ids, sizeof(*d->cpu), e);
		if (!d->cpu)
			return -1;
	}
	for (cpu = 0; s->has_cpu_slab && cpu < s->pc.nr_cpu_ids; cpu++) {
		struct vm_slab_cpu *dc = NULL, tmp;
		struct kcc k;

		if (!cpu_ok(s, cpu))
			continue;
		if (read_kcc(s, c, cpu, &k, e) < 0)
			return -1;
		if (d) {
			dc = &d->cpu[d->ncpu++];
		} else {
			dc = &tmp;
		}
		memset(dc, 0, sizeof(*dc));
		dc->cpu = cpu;
		dc->kmem_cache_cpu = k.addr;
		if (k.slab) {
			if (slab_info(s, c, k.slab, VM_SLAB_CPU, (int)cpu, k.freelist, d != NULL,
				      &dc->slab, NULL, e) < 0)
				return -1;
			dc->have_slab = true;
			freeobj += dc->slab.objects - dc->slab.inuse;
			if (dc->slab.node >= 0 && dc->slab.node < VM_NODES_MAX)
				per_node[dc->slab.node]++;
			if (!d)
				free(dc->slab.obj);
		}
		if (k.partial && cpu_partials(s, c, cpu, k.partial, slabs, d != NULL,
					      &dc->partial, &dc->npartial, &freeobj, e) < 0)
			return -1;
	}
	if (d) {
		d->node = vm_calloc(nn, sizeof(*d->node), e);
		if (!d->node)
			return -1;
	}
	for (i = 0; i < nn; i++) {
		struct vm_slab_node tmpn, *dn = d ? &d->node[d->nnode] : &tmpn;
		uint64_t v;

		if (!ptr[i])
			continue;
		memset(dn, 0, sizeof(*dn));
		dn->node = (int)i;
		dn->kmem_cache_node = ptr[i];
		dn->per_cpu = per_node[i];
		if (vm_kread_u64(s->m, ptr[i] + s->n_nr_partial.off, &dn->nr_partial, e) < 0 ||
		    vm_kread_u64(s->m, ptr[i] + s->n_nr_slabs.off, &dn->nr_slabs, e) < 0 ||
		    vm_kread_u64(s->m, ptr[i] + s->n_total_objects.off, &v, e) < 0)
			return -1;
		total += v;
		if (d)
			d->nnode++;
		if (list_slabs(s, c, ptr[i] + s->n_partial.off, slabs, VM_SLAB_NODE_PARTIAL,
			       d != NULL, false, &dn->partial, &dn->npartial, &freeobj, e) < 0) {
			vm_err_prefix(e, "%s: node %u partial list: ", c->name, i);
			return -1;
		}
		dn->full_tracked = s->n_full.ok && (c->flags & SLAB_STORE_USER);
		if (d && dn->full_tracked &&
		    list_slabs(s, c, ptr[i] + s->n_full.off, slabs, VM_SLAB_NODE_FULL, true,
			       false, &dn->full, &dn->nfull, NULL, e) < 0) {
			vm_err_prefix(e, "%s: node %u full list: ", c->name, i);
			return -1;
		}
	}
	/* objects on sheaves came out of slabs (their inuse counts them) and
	 * are free to the cache's users */
	if (s->has_sheaves) {
		struct vm_slab_sheaf *sh;
		size_t nsh;
		uint64_t cached;

		if (collect_sheaves(s, c, d != NULL, &sh, &nsh, &cached, e) < 0)
			return -1;
		freeobj += cached;
		if (d) {
			d->sheaves = sh;
			d->nsheaves = nsh;
		} else {
			free_sheaves(sh, nsh);
		}
	}
	c->total = total;
	c->slabs = slabs;
	c->allocated = total > freeobj ? total - freeobj : 0;
	c->counted = true;
	return 0;
}

int vm_slub_caches(struct vm_slub *s, bool count, const struct vm_slab_cache **out,
		   size_t *n, struct vm_err *e)
{
	size_t i;

	if (list_caches(s, e) < 0)
		return -1;
	for (i = 0; count && i < s->ncaches; i++) {
		struct vm_slab_cache *c = &s->caches[i];

		if (!c->counted && !c->why.code && walk_cache(s, c, NULL, &c->why) < 0) {
			size_t nl = strlen(c->name);

			/* the reason names the cache, once */
			if (strncmp(c->why.msg, c->name, nl) || c->why.msg[nl] != ':')
				vm_err_prefix(&c->why, "%s: ", c->name);
			c->counted = false;
		}
	}
	*out = s->caches;
	*n = s->ncaches;
	return 0;
}

const struct vm_slab_cache *vm_slub_cache_named(struct vm_slub *s, const char *name)
{
	struct vm_err e;
	size_t i;

	if (list_caches(s, &e) < 0)
		return NULL;
	for (i = 0; i < s->ncaches; i++)
		if (!strcmp(s->caches[i].name, name))
			return &s->caches[i];
	return NULL;
}

/* ---- ordering ---- */

static uint64_t key_val(const struct vm_slab_cache *c, char key)
{
	switch (key) {
	case 'o': return c->objsize;
	case 'a': return c->allocated;
	case 't': return c->total;
	case 'l': return c->slabs;
	case 's': return c->ssize;
	default: return c->slabs * c->ssize;     /* memory */
	}
}

#define CMP_BY(k)                                                              \
	static int cmp_##k(const void *a, const void *b)                       \
	{                                                                      \
		uint64_t x = key_val(*(const struct vm_slab_cache *const *)a, #k[0]); \
		uint64_t y = key_val(*(const struct vm_slab_cache *const *)b, #k[0]); \
		return x < y ? 1 : x > y ? -1 : 0;                             \
	}
CMP_BY(o) CMP_BY(a) CMP_BY(t) CMP_BY(l) CMP_BY(s) CMP_BY(m)
#undef CMP_BY

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(const struct vm_slab_cache *const *)a)->name,
		      (*(const struct vm_slab_cache *const *)b)->name);
}

int vm_slab_sort(const struct vm_slab_cache **v, size_t n, const char *key)
{
	static const struct { const char *key; int (*cmp)(const void *, const void *); } k[] = {
		{ "name", cmp_name }, { "objsize", cmp_o }, { "allocated", cmp_a },
		{ "total", cmp_t }, { "slabs", cmp_l }, { "ssize", cmp_s }, { "memory", cmp_m },
	};
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strcmp(k[i].key, key)) {
			/* n 0: the key checked only (v may be NULL, which qsort
			 * must not get) */
			if (n > 1)
				qsort(v, n, sizeof(*v), k[i].cmp);
			return 0;
		}
	return -1;
}

static void free_slabs(struct vm_slab *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].obj);
	free(v);
}

void vm_slub_detail_free(struct vm_slab_detail *d)
{
	unsigned i;

	for (i = 0; d->cpu && i < d->ncpu; i++) {
		free(d->cpu[i].slab.obj);
		free_slabs(d->cpu[i].partial, d->cpu[i].npartial);
	}
	for (i = 0; d->node && i < d->nnode; i++) {
		free_slabs(d->node[i].partial, d->node[i].npartial);
		free_slabs(d->node[i].full, d->node[i].nfull);
	}
	free_sheaves(d->sheaves, d->nsheaves);
	free(d->cpu);
	free(d->node);
	memset(d, 0, sizeof(*d));
}

int vm_slub_detail(struct vm_slub *s, const struct vm_slab_cache *c,
		   struct vm_slab_detail *d, struct vm_err *e)
{
	memset(d, 0, sizeof(*d));
	d->cache = *c;
	if (walk_cache(s, &d->cache, d, e) < 0) {
		vm_slub_detail_free(d);
		return -1;
	}
	return 0;
}

/* ---- an object of a cache, from the mem_map ---- */

struct obj_hunt {
	struct vm_slub *s;
	const struct vm_slab_cache *c;
	uint64_t *obj;
	size_t max, n;
	struct vm_err err;
};

static int hunt_obj(void *ctx, uint64_t pfn, uint64_t page, const uint8_t *buf,
		    size_t n, struct vm_err *e)
{
	struct obj_hunt *h = ctx;
	const struct vm_page_layout *pl = &h->s->pl;
	size_t i;
	unsigned j;

	for (i = 0; i < n && h->n < h->max; i++) {
		const uint8_t *p = buf + i * pl->psize;
		struct vm_slab sl;

		if ((vm_fld_u(p, pl->psize, &pl->compound_head) & 1) ||
		    !vm_page_is_slab(pl, vm_fld_u(p, pl->psize, &pl->flags),
				     (uint32_t)vm_fld_u(p, pl->psize, &pl->mapcount)) ||
		    vm_fld_u(p, pl->psize, &h->s->s_cache) != h->c->addr)
			continue;
		if (slab_info(h->s, h->c, page + i * pl->psize, VM_SLAB_UNLISTED, -1, 0, true,
			      &sl, NULL, &h->err) < 0)
			continue;
		for (j = 0; j < sl.objects && h->n < h->max; j++)
			if (!sl.obj[j].free)
				h->obj[h->n++] = sl.obj[j].addr;
		free(sl.obj);
	}
	return h->n < h->max ? 0 : -1;      /* enough: stop */
}

int vm_slub_objects(struct vm_slub *s, const char *cache, uint64_t *obj, size_t max,
		    size_t *n, struct vm_err *e)
{
	struct obj_hunt h = { .s = s, .obj = obj, .max = max };
	uint64_t unreadable;

	*n = 0;
	h.c = vm_slub_cache_named(s, cache);
	if (!h.c)
		return vm_fail(e, VM_ENOENT, "no slab cache named %s", cache);
	vm_memmap_scan(&s->mm, hunt_obj, &h, &unreadable, e);
	if (!h.n)
		return vm_fail(e, VM_ENOENT, "no allocated %s object in the dump%s%s", cache,
			       h.err.code ? ": " : "", h.err.code ? h.err.msg : "");
	*n = h.n;
	return 0;
}

/* ---- one address ---- */

/* Is obj on one of the cache's sheaves?  (Allocated as far as its slab
 * knows, free as far as the cache's users do.) */
static int sheaf_of(struct vm_slub *s, const struct vm_slab_cache *c, uint64_t obj,
		    struct vm_slab_hit *hit, struct vm_err *e)
{
	struct vm_slab_sheaf *sh;
	size_t n, i;
	uint64_t total;
	unsigned j;

	if (!s->has_sheaves)
		return 0;
	if (collect_sheaves(s, c, true, &sh, &n, &total, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		for (j = 0; j < sh[i].size; j++)
			if (sh[i].obj[j] == obj) {
				hit->free = true;
				hit->in_sheaf = true;
				hit->sheaf = sh[i].kind;
				hit->cpu = sh[i].cpu;
				hit->sheaf_node = sh[i].node;
				goto out;
			}
out:
	free_sheaves(sh, n);
	return 0;
}

int vm_slub_lookup(struct vm_slub *s, uint64_t addr, struct vm_slab_hit *hit,
		   struct vm_err *e)
{
	struct vm_page_info pi;
	uint64_t pa, pfn, page, slab, kaddr;
	const struct vm_slab_cache *c = NULL;
	struct vm_slab_cache one;
	struct slab_raw r;
	enum vm_slab_where where = VM_SLAB_UNLISTED;
	uint64_t cpu_freelist = 0;
	int cpu = -1;
	size_t i;
	long idx;

	memset(hit, 0, sizeof(*hit));
	hit->cpu = -1;
	if (vm_mem_lin_vtop(s->m, addr, &pa, NULL) < 0)
		return 0;
	pfn = pa >> s->mm.page_shift;
	if (vm_memmap_page(&s->mm, pfn, &page, e) < 0)
		return 0;
	if (vm_page_read(&s->pl, s->m, page, pfn, &pi, e) < 0)
		return -1;
	if (!pi.slab)
		return 0;
	slab = pi.head;
	if (read_slab(s, slab, &r, e) < 0)
		return -1;
	if (list_caches(s, e) == 0) {
		for (i = 0; i < s->ncaches; i++)
			if (s->caches[i].addr == r.cache)
				c = &s->caches[i];
	}
	if (!c) {
		if (read_cache(s, r.cache, &one, e) < 0) {
			vm_err_prefix(e, "slab 0x%" PRIx64 ": ", slab);
			return -1;
		}
		c = &one;
	}
	/* a CPU's slab has a second free list */
	for (i = 0; s->has_cpu_slab && s->have_pc && i < s->pc.nr_cpu_ids; i++) {
		struct kcc k;

		if (!cpu_ok(s, (unsigned)i) || read_kcc(s, c, (unsigned)i, &k, e) < 0)
			continue;
		if (k.slab == slab) {
			where = VM_SLAB_CPU;
			cpu = (int)i;
			cpu_freelist = k.freelist;
			break;
		}
	}
	if (slab_info(s, c, slab, where, cpu, cpu_freelist, true, &hit->slab, NULL, e) < 0)
		return -1;
	hit->cache = *c;
	kaddr = addr;
	idx = kaddr >= hit->slab.mem ? (long)((kaddr - hit->slab.mem) / c->size) : -1;
	if (idx >= 0 && idx < (long)hit->slab.objects) {
		const struct vm_slab_obj *o = &hit->slab.obj[idx];

		hit->obj = o->addr;
		hit->in_object = kaddr >= o->addr && kaddr < o->addr + c->objsize;
		hit->free = o->free;
		hit->cpu = o->cpu;
		if (!o->free && sheaf_of(s, c, o->addr, hit, e) < 0) {
			free(hit->slab.obj);
			hit->slab.obj = NULL;
			return -1;
		}
	}
	free(hit->slab.obj);
	hit->slab.obj = NULL;
	return 1;
}
