// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbol table storage: entries in one array in load order, names in a
 * string arena, an address-sorted index (binary search) and an
 * open-addressing hash by name.  Both indexes refer to load-order slots, so
 * symbols added later (module symbols, after the vmlinux or kallsyms
 * ones) are hashed incrementally and merged into the sorted order instead
 * of rebuilding either index from scratch; the hash is only built when a
 * name is first looked up.
 */
#include "symtab_impl.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (1u << 20)
#define MAX_MODULES 4096

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
};

struct vm_symtab {
	struct vm_sym *syms;        /* load order */
	size_t n, cap;
	uint32_t *order;            /* slots in address order (n_sorted valid) */
	size_t n_sorted;
	size_t n_hashed;            /* slots [0, n_hashed) are in hash */
	unsigned name_lookups;      /* scans so far; the hash pays off later */
	struct arena_chunk *arena;
	const char **modules;       /* interned module names */
	size_t nr_modules;
	uint32_t *hash;             /* indexes into syms + 1; 0 = empty */
	size_t hash_size;           /* power of two */
	bool finished;
	uint64_t vmlinux_end;       /* _end: vmlinux names nothing past it */
	enum vm_sym_source source;
};

struct vm_symtab *vm_symtab_new(struct vm_err *e)
{
	return vm_calloc(1, sizeof(struct vm_symtab), e);
}

void vm_symtab_free(struct vm_symtab *st)
{
	struct arena_chunk *c, *next;

	if (!st)
		return;
	for (c = st->arena; c; c = next) {
		next = c->next;
		free(c);
	}
	free(st->syms);
	free(st->order);
	free(st->modules);
	free(st->hash);
	free(st);
}

static const char *arena_dup(struct vm_symtab *st, const char *s, struct vm_err *e)
{
	size_t len = strlen(s) + 1;
	struct arena_chunk *c = st->arena;
	char *p;

	if (!c || c->cap - c->used < len) {
		size_t cap = len > ARENA_CHUNK ? len : ARENA_CHUNK;

		c = vm_malloc(sizeof(*c) + cap, e);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = st->arena;
		st->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	c->used += len;
	return p;
}

static const char *intern_module(struct vm_symtab *st, const char *mod,
				 struct vm_err *e)
{
	const char **nm;
	size_t i;

	for (i = st->nr_modules; i-- > 0;)
		if (!strcmp(st->modules[i], mod))
			return st->modules[i];
	if (st->nr_modules >= MAX_MODULES) {
		vm_fail(e, VM_ENOMEM, "more than %u modules", MAX_MODULES);
		return NULL;
	}
	nm = vm_realloc_array(st->modules, st->nr_modules + 1, sizeof(*nm), e);
	if (!nm)
		return NULL;
	st->modules = nm;
	nm[st->nr_modules] = arena_dup(st, mod, e);
	if (!nm[st->nr_modules])
		return NULL;
	return nm[st->nr_modules++];
}

int vm_symtab_add(struct vm_symtab *st, uint64_t addr, uint64_t size, char type,
		  const char *name, const char *module, struct vm_err *e)
{
	struct vm_sym *s;

	if (st->n == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 4096;
		struct vm_sym *ns;

		if (ncap > UINT32_MAX - 1)
			return vm_fail(e, VM_ENOMEM, "too many symbols (%zu)", st->n);
		ns = vm_realloc_array(st->syms, ncap, sizeof(*ns), e);
		if (!ns)
			return -1;
		st->syms = ns;
		st->cap = ncap;
	}
	s = &st->syms[st->n];
	s->addr = addr;
	s->size = size;
	s->type = type;
	s->name = arena_dup(st, name, e);
	if (!s->name)
		return -1;
	s->module = NULL;
	if (module) {
		s->module = intern_module(st, module, e);
		if (!s->module)
			return -1;
	}
	st->n++;
	st->finished = false;
	return 0;
}

/* Address order like `nm -n` / System.map: by address; vmlinux before
 * modules; then by name. */
static int cmp_sym(const void *a, const void *b)
{
	const struct vm_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (!x->module != !y->module)
		return x->module ? 1 : -1;
	if (x->module != y->module)
		return strcmp(x->module, y->module);
	/* `nm -n` breaks ties by name */
	return strcmp(x->name, y->name);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* Merge sort of slot numbers: stable (same name and address keep load
 * order) and near-linear on input that is sorted already (System.map,
 * kallsyms, and module symbols appended above the kernel's). */
static void merge_sort(const struct vm_sym *syms, uint32_t *a, uint32_t *tmp, size_t n)
{
	size_t mid, i, j, k;

	if (n < 2)
		return;
	if (n <= 16) {
		for (i = 1; i < n; i++) {
			uint32_t v = a[i];

			for (j = i; j > 0 && cmp_sym(&syms[a[j - 1]], &syms[v]) > 0; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
		return;
	}
	mid = n / 2;
	merge_sort(syms, a, tmp, mid);
	merge_sort(syms, a + mid, tmp, n - mid);
	if (cmp_sym(&syms[a[mid - 1]], &syms[a[mid]]) <= 0)
		return;
	memcpy(tmp, a, n * sizeof(*a));
	for (i = 0, j = mid, k = 0; i < mid && j < n;)
		a[k++] = cmp_sym(&syms[tmp[j]], &syms[tmp[i]]) < 0 ? tmp[j++] : tmp[i++];
	while (i < mid)
		a[k++] = tmp[i++];
	while (j < n)
		a[k++] = tmp[j++];
}

static void hash_insert(struct vm_symtab *st, size_t slot)
{
	size_t h = hash_str(st->syms[slot].name) & (st->hash_size - 1);

	while (st->hash[h])
		h = (h + 1) & (st->hash_size - 1);
	st->hash[h] = (uint32_t)(slot + 1);
}

/* A program that asks for a handful of names (vmsys, vmps) is served
 * faster by scanning than by hashing 100k+ names first. */
#define SCAN_LOOKUPS 2

/* Bring the name hash up to date; on allocation failure lookups fall back
 * to a linear scan. */
static void hash_update(struct vm_symtab *st)
{
	size_t hs, i;

	if (!st->hash && ++st->name_lookups <= SCAN_LOOKUPS)
		return;
	if (st->hash && st->n_hashed == st->n)
		return;
	if (!st->hash || st->n * 2 > st->hash_size) {
		for (hs = 1024; hs < st->n * 2; hs *= 2)
			;
		free(st->hash);
		st->hash = calloc(hs, sizeof(*st->hash));
		st->hash_size = st->hash ? hs : 0;
		st->n_hashed = 0;
		if (!st->hash)
			return;
	}
	for (i = st->n_hashed; i < st->n; i++)
		hash_insert(st, i);
	st->n_hashed = st->n;
}

void vm_symtab_finish(struct vm_symtab *st)
{
	uint32_t *order, *tmp;
	size_t i;

	if (st->finished)
		return;
	order = realloc(st->order, (st->n ? st->n : 1) * sizeof(*order));
	if (!order)
		return;   /* lookups see the old order: stale, never out of bounds */
	st->order = order;
	for (i = st->n_sorted; i < st->n; i++)
		order[i] = (uint32_t)i;
	tmp = malloc((st->n ? st->n : 1) * sizeof(*tmp));
	if (!tmp)
		return;
	/* the new slots sort among themselves, then one merge pass */
	merge_sort(st->syms, order + st->n_sorted, tmp, st->n - st->n_sorted);
	merge_sort(st->syms, order, tmp, st->n);
	free(tmp);
	st->n_sorted = st->n;
	st->vmlinux_end = UINT64_MAX;
	for (i = st->n; i-- > 0;)
		if (!st->syms[order[i]].module && !strcmp(st->syms[order[i]].name, "_end")) {
			st->vmlinux_end = st->syms[order[i]].addr;
			break;
		}
	st->finished = true;
}

size_t vm_symtab_count(const struct vm_symtab *st)
{
	return st->n;
}

const struct vm_sym *vm_symtab_at(struct vm_symtab *st, size_t i)
{
	vm_symtab_finish(st);
	return i < st->n_sorted ? &st->syms[st->order[i]] : NULL;
}

/* Several symbols may share a name (static functions in different files,
 * the same name in two modules): prefer vmlinux, then global over local,
 * then the lowest address, so the answer does not depend on hash order. */
static bool better(const struct vm_sym *a, const struct vm_sym *b)
{
	bool ga = a->type >= 'A' && a->type <= 'Z', gb = b->type >= 'A' && b->type <= 'Z';

	if (!a->module != !b->module)
		return !a->module;
	if (ga != gb)
		return ga;
	return a->addr < b->addr;
}

static bool matches(const struct vm_sym *s, const char *name, const char *module)
{
	return s->name[0] == name[0] && !strcmp(s->name, name) &&
	       (!module || (s->module && !strcmp(s->module, module)));
}

/* Call fn for every symbol named name (in module, if given). */
static void for_each_named(struct vm_symtab *st, const char *name, const char *module,
			   void (*fn)(const struct vm_sym *s, void *arg), void *arg)
{
	size_t h, i;

	hash_update(st);
	if (!st->hash) {
		for (i = 0; i < st->n; i++)
			if (matches(&st->syms[i], name, module))
				fn(&st->syms[i], arg);
		return;
	}
	for (h = hash_str(name) & (st->hash_size - 1); st->hash[h];
	     h = (h + 1) & (st->hash_size - 1))
		if (matches(&st->syms[st->hash[h] - 1], name, module))
			fn(&st->syms[st->hash[h] - 1], arg);
}

static void keep_best(const struct vm_sym *s, void *arg)
{
	const struct vm_sym **best = arg;

	if (!*best || better(s, *best))
		*best = s;
}

const struct vm_sym *vm_sym_by_name(struct vm_symtab *st, const char *name,
				    const char *module)
{
	const struct vm_sym *best = NULL;

	for_each_named(st, name, module, keep_best, &best);
	return best;
}

static int cmp_symp(const void *a, const void *b)
{
	return cmp_sym(*(const struct vm_sym *const *)a,
		       *(const struct vm_sym *const *)b);
}

struct collect {
	const struct vm_sym **out;
	size_t n, max;
};

static void collect_one(const struct vm_sym *s, void *arg)
{
	struct collect *c = arg;

	if (c->n < c->max)
		c->out[c->n] = s;
	c->n++;
}

size_t vm_sym_by_name_all(struct vm_symtab *st, const char *name, const char *module,
			  const struct vm_sym **out, size_t max)
{
	struct collect c = { out, 0, max };

	for_each_named(st, name, module, collect_one, &c);
	qsort(out, c.n < max ? c.n : max, sizeof(*out), cmp_symp);
	return c.n;
}

/* Symbols that name no code or data location: absolute values and the
 * zero-based per-CPU offsets.  They are never the answer to "what is at
 * this address". */
static bool addressable(const struct vm_sym *s)
{
	return s->type != 'A' && s->type != 'a' && s->type != 'U' && s->type != 'u' &&
	       s->addr >= 0x100000;
}

#define SYM(i) (st->syms[st->order[i]])

/* __sched_text_start, __irqentry_text_end ...: where a section of
 * functions begins or ends, not a function */
static bool section_marker(const char *name)
{
	size_t n = strlen(name);

	return (n > 11 && !strcmp(name + n - 11, "_text_start")) ||
	       (n > 9 && !strcmp(name + n - 9, "_text_end"));
}

const struct vm_sym *vm_sym_by_addr(struct vm_symtab *st, uint64_t addr,
				    uint64_t *off)
{
	size_t lo = 0, hi, i, first;
	const struct vm_sym *best = NULL;

	vm_symtab_finish(st);
	hi = st->n_sorted;
	/* first index with syms[i].addr > addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (SYM(mid).addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	i = lo;
	while (i > 0 && !addressable(&SYM(i - 1)))
		i--;
	if (i == 0)
		return NULL;
	/* Aliases at one address: the first global one in name order (crash
	 * names 0xffffffff81000000 _stext, not _text or startup_64), a
	 * function before the marker of the section it opens (__switch_to,
	 * not __sched_text_start), else the first one. */
	for (first = i - 1; first > 0 && SYM(first - 1).addr == SYM(i - 1).addr;
	     first--)
		;
	for (; first < i; first++) {
		const struct vm_sym *s = &SYM(first);
		bool global = s->type >= 'A' && s->type <= 'Z';

		if (!addressable(s))
			continue;
		if (!best || (global && !(best->type >= 'A' && best->type <= 'Z')) ||
		    (global && section_marker(best->name) && !section_marker(s->name)))
			best = s;
		if (global && !section_marker(s->name))
			break;
	}
	if (!best->module && addr >= st->vmlinux_end)
		return NULL;
	/* A module's last symbol does not reach past its own size, nor does
	 * an unsized one reach into another module's symbols. */
	if (best->module && (i >= st->n_sorted || SYM(i).module != best->module) &&
	    best->size && addr - best->addr >= best->size)
		return NULL;
	if (off)
		*off = addr - best->addr;
	return best;
}

#undef SYM

enum vm_sym_source vm_symtab_source(const struct vm_symtab *st)
{
	return st->source;
}

void vm_symtab_set_source(struct vm_symtab *st, enum vm_sym_source src)
{
	st->source = src;
}

/*
 * Add slide to the symbols loaded since index first, except those below the
 * lowest text symbol: absolute values (phys_startup_64, text_size) and, on
 * x86_64 SMP, the per-CPU variables, which are zero-based offsets that
 * KASLR does not move (CONFIG_KALLSYMS_ABSOLUTE_PERCPU).  On arm64 the
 * per-CPU symbols are in the image and move with it, which the same rule
 * gets right.
 */
void vm_symtab_apply_slide(struct vm_symtab *st, size_t first, uint64_t slide)
{
	uint64_t text_lo = UINT64_MAX;
	size_t i;

	if (!slide)
		return;
	/* moved slots invalidate the sorted index from the first of them */
	if (first < st->n_sorted)
		st->n_sorted = 0;
	for (i = first; i < st->n; i++) {
		char t = st->syms[i].type;

		if ((t == 'T' || t == 't') && st->syms[i].addr < text_lo)
			text_lo = st->syms[i].addr;
	}
	for (i = first; i < st->n; i++)
		if (st->syms[i].addr >= text_lo)
			st->syms[i].addr += slide;
	st->finished = false;
}
