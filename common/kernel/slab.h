/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SLUB allocator's caches, slabs and objects, as crash's `kmem -s`,
 * `kmem -S` and `kmem ADDRESS` show them.
 *
 * Caches: the slab_caches list (kmem_cache.list), newest first.  Without
 * a slab_caches symbol (kallsyms with text symbols only) any slab page of
 * the mem_map names a cache, whose list leads round to the head: the one
 * entry that is not a kmem_cache in slab memory.
 *
 * A slab: struct slab since v5.17 (d122019bf061, "mm: Split slab into its
 * own type"), the slab fields of its head struct page before; which one is
 * decided by whether struct slab exists with slab_cache.  Each CPU has a
 * kmem_cache_cpu (cpu_slab: the CPU's slab, its lockless freelist, its
 * partial slabs); each node a kmem_cache_node (nr_partial + partial list,
 * and with CONFIG_SLUB_DEBUG nr_slabs and total_objects).
 *
 * Counts (crash's): TOTAL = the nodes' total_objects, SLABS = the nodes'
 * nr_slabs, free = for each CPU (objects - inuse of its slab) + its
 * lockless freelist + (objects - inuse) of its partial slabs, plus
 * (objects - inuse) of every node-partial slab; ALLOCATED = TOTAL - free.
 *
 * Free pointers: the word at offset s->offset in a free object, stored
 * as ptr ^ s->random ^ swab(&word) with CONFIG_SLAB_FREELIST_HARDENED
 * since v5.7 (1ad53d9fa3f6), ptr ^ s->random ^ &word from v4.14
 * (2482ddec670f); which one is decided per dump by decoding a free list
 * under each and keeping the one that stays inside its slab.
 */
#ifndef VM_KERNEL_SLAB_H
#define VM_KERNEL_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

#define VM_SLAB_NAME_MAX 64

struct vm_slab_cache {
	uint64_t addr;
	char name[VM_SLAB_NAME_MAX];
	uint32_t size, objsize, offset, red_left_pad;
	uint64_t flags;
	unsigned order, objects;       /* kmem_cache.oo */
	uint64_t ssize;                /* PAGE_SIZE << order */
	uint64_t cpu_slab;             /* __percpu struct kmem_cache_cpu * */
	uint64_t cpu_sheaves;          /* __percpu struct slub_percpu_sheaves * */
	uint32_t sheaf_capacity;
	uint64_t random;
	/* crash's kmem -s counts */
	bool counted;
	uint64_t allocated, total, slabs;
	struct vm_err why;             /* !counted: why ("NAME: ...") */
};

enum vm_slab_where {
	VM_SLAB_UNLISTED,
	VM_SLAB_CPU,                   /* a CPU's slab */
	VM_SLAB_CPU_PARTIAL,
	VM_SLAB_NODE_PARTIAL,
	VM_SLAB_NODE_FULL,
};

struct vm_slab_obj {
	uint64_t addr;
	bool free;
	int cpu;                       /* free in this CPU's slab; -1 */
};

struct vm_slab {
	uint64_t slab;                 /* struct slab (its head struct page) */
	uint64_t mem;                  /* the slab's memory (page_address) */
	int node;                      /* -1 unknown */
	unsigned objects, inuse;       /* inuse net of a CPU freelist's objects */
	enum vm_slab_where where;
	int cpu;                       /* VM_SLAB_CPU / CPU_PARTIAL: which */
	struct vm_slab_obj *obj;       /* [objects], when asked for */
};

struct vm_slab_cpu {
	unsigned cpu;
	uint64_t kmem_cache_cpu;       /* this CPU's copy */
	bool have_slab;
	struct vm_slab slab;
	struct vm_slab *partial;
	size_t npartial;
};

struct vm_slab_node {
	int node;
	uint64_t kmem_cache_node;
	uint64_t nr_slabs, nr_partial, per_cpu;
	struct vm_slab *partial;
	size_t npartial;
	bool full_tracked;             /* SLAB_STORE_USER keeps a full list */
	struct vm_slab *full;
	size_t nfull;
};

/* The per-CPU and per-node object caches of v6.18+ SLUB ("sheaves"):
 * arrays of objects taken from slabs (so counted in their inuse) and
 * handed out without touching a slab.  Their objects are free to the
 * kernel's users: crash's "(cpu N cache)". */
enum vm_sheaf_kind { VM_SHEAF_MAIN, VM_SHEAF_SPARE, VM_SHEAF_RCU, VM_SHEAF_BARN };

struct vm_slab_sheaf {
	uint64_t addr;
	enum vm_sheaf_kind kind;
	int cpu;                       /* MAIN, SPARE, RCU: whose; -1 */
	int node;                      /* BARN: which node's; -1 */
	unsigned size, capacity;
	uint64_t *obj;                 /* [size], when asked for */
};

const char *vm_sheaf_kind_name(enum vm_sheaf_kind k);

struct vm_slab_detail {
	struct vm_slab_cache cache;    /* with its counts */
	struct vm_slab_sheaf *sheaves; /* with their objects */
	size_t nsheaves;
	struct vm_slab_cpu *cpu;
	unsigned ncpu;
	struct vm_slab_node *node;
	unsigned nnode;
	bool broken;                   /* a list or free list was cut short */
	struct vm_err warn;
};

struct vm_slab_hit {
	struct vm_slab_cache cache;    /* a copy (counts not filled) */
	struct vm_slab slab;           /* obj not filled */
	uint64_t obj;                  /* object start */
	bool in_object;                /* addr inside an object (not padding) */
	bool free;
	int cpu;                       /* free in a CPU's slab or sheaf; -1 */
	bool in_sheaf;                 /* ... on a sheaf: */
	enum vm_sheaf_kind sheaf;
	int sheaf_node;                /* BARN: the node */
};

struct vm_slub;

struct vm_slub *vm_slub_open(struct vm_kernel *k, struct vm_err *e);
void vm_slub_close(struct vm_slub *s);
/* Where the list came from, free-pointer encoding, for -v. */
const char *vm_slub_how(const struct vm_slub *s);

/* Every cache, list order; with count, crash's counts too (a cache whose
 * counts fail keeps counted false and why). */
int vm_slub_caches(struct vm_slub *s, bool count, const struct vm_slab_cache **out,
		   size_t *n, struct vm_err *e);
const struct vm_slab_cache *vm_slub_cache_named(struct vm_slub *s, const char *name);
/* Order caches by KEY: name; objsize, allocated, total, slabs, ssize or
 * memory (slabs * ssize), largest first.  -1 for another key. */
int vm_slab_sort(const struct vm_slab_cache **v, size_t n, const char *key);

/* Every slab of a cache as crash's kmem -S lists them, objects included
 * for the CPU slabs and CPU partial slabs. */
int vm_slub_detail(struct vm_slub *s, const struct vm_slab_cache *c,
		   struct vm_slab_detail *d, struct vm_err *e);
void vm_slub_detail_free(struct vm_slab_detail *d);

/* Up to max allocated objects of the named cache, found by scanning the
 * mem_map for its slabs (for kernels without the data symbol that leads
 * to what the objects belong to); *n how many. */
int vm_slub_objects(struct vm_slub *s, const char *cache, uint64_t *obj, size_t max,
		    size_t *n, struct vm_err *e);

/* The slab object at kernel address addr: 1 found, 0 addr is not in a
 * slab page, -1 error (a slab page whose cache or free list is corrupt). */
int vm_slub_lookup(struct vm_slub *s, uint64_t addr, struct vm_slab_hit *hit,
		   struct vm_err *e);

#endif
