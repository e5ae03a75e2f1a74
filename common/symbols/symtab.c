// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbol table storage: entries in one array in load order, names in a
 * string arena, an address-sorted index (binary search) and an
 * open-addressing hash by name.  Both indexes refer to load-order slots, so
 * symbols added later (module symbols, after the vmlinux or kallsyms
 * ones) are hashed incrementally and merged into the sorted order instead
 * of rebuilding either index from scratch; the hash is only built when a
 * name is first looked up.
 *
 * A table may start with a base added whole (vm_symtab_add_bulk: the
 * kernel's kallsyms, often straight from the on-disk cache): its symbols
 * are read from the caller's arrays and made into struct vm_sym only when
 * one is handed out, and its cached address order and name hash are used
 * where they lie; symbols added later get indexes of their own.  So a
 * program that asks for a few symbols touches a few pages of 100k+.
 */
#include "symtab_impl.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (1u << 20)
#define MAX_MODULES 4096
/* slots after a bulk base, before the array must grow */
#define BULK_SPARE 4096

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
};

struct vm_symtab {
	struct vm_sym *syms;        /* by slot (load order); base slots filled when used */
	size_t n, cap;
	/* the base: slots [0, nb), described by base (its arrays, kept alive
	 * by base.keep) */
	size_t nb;
	struct vm_symtab_bulk base;
	/* address order: the base's own cached order (border, nbo slots,
	 * borrowed) when there is one, followed by order; n_sorted in all */
	const uint32_t *border;
	size_t nbo;
	uint32_t *order;
	size_t n_sorted;
	/* name hashes: the base's cached one (bhash, borrowed) for [0, nb),
	 * and hash for slots [hash_from, n_hashed) */
	const uint32_t *bhash;
	size_t bhash_size;
	uint32_t *hash;             /* indexes into syms + 1; 0 = empty */
	size_t hash_size;           /* power of two */
	size_t hash_from, n_hashed;
	unsigned name_lookups;      /* scans so far; the hash pays off later */
	bool hash_refused;          /* names too alike to index: scans only */
	struct arena_chunk *arena;
	const char **modules;       /* interned module names */
	size_t nr_modules;
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
	if (st->base.release)
		st->base.release(st->base.keep);
	free(st);
}

/* ---- slots ---- */

static uint64_t s_addr(const struct vm_symtab *st, size_t i)
{
	return i < st->nb ? st->base.addr(st->base.ctx, i) : st->syms[i].addr;
}

static const char *s_name(const struct vm_symtab *st, size_t i)
{
	if (i < st->nb) {
		uint32_t off = st->base.name_off[i];

		/* the names end in a NUL (checked when added) */
		return off < st->base.names_len ? st->base.names + off : "";
	}
	return st->syms[i].name;
}

static char s_type(const struct vm_symtab *st, size_t i)
{
	return i < st->nb ? st->base.types[i] : st->syms[i].type;
}

static const char *s_module(const struct vm_symtab *st, size_t i)
{
	return i < st->nb ? NULL : st->syms[i].module;
}

/* The struct vm_sym of a slot, made on first use for the base. */
static const struct vm_sym *s_sym(struct vm_symtab *st, size_t i)
{
	struct vm_sym *s = &st->syms[i];

	if (i < st->nb && !s->name) {
		s->addr = s_addr(st, i);
		s->type = s_type(st, i);
		s->name = s_name(st, i);
	}
	return s;
}

/* Slot of the i-th symbol in address order (i < n_sorted). */
static size_t ord(const struct vm_symtab *st, size_t i)
{
	return i < st->nbo ? st->border[i] : st->order[i - st->nbo];
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
		/* base slots not made yet must stay empty */
		memset(ns + st->cap, 0, (ncap - st->cap) * sizeof(*ns));
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
static int cmp_slots(const struct vm_symtab *st, size_t a, size_t b)
{
	uint64_t xa = s_addr(st, a), ya = s_addr(st, b);
	const char *xm, *ym;

	if (xa != ya)
		return xa < ya ? -1 : 1;
	xm = s_module(st, a);
	ym = s_module(st, b);
	if (!xm != !ym)
		return xm ? 1 : -1;
	if (xm != ym)
		return strcmp(xm, ym);
	/* `nm -n` breaks ties by name */
	return strcmp(s_name(st, a), s_name(st, b));
}

/* cmp_slots' rule for base slots at one address (no module): insertion,
 * as the runs are short (aliases) */
void vm_symtab_order_ties(const char *names, const uint32_t *name_off, uint32_t *run,
			  size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint32_t v = run[i];

		for (j = i; j > 0 && strcmp(names + name_off[run[j - 1]], names + name_off[v]) > 0;
		     j--)
			run[j] = run[j - 1];
		run[j] = v;
	}
}

static uint32_t hash_str(const char *s)
{
	return vm_symname_hash(s, strlen(s));
}

/* Merge sort of slot numbers: stable (same name and address keep load
 * order) and near-linear on input that is sorted already (System.map,
 * kallsyms, and module symbols appended above the kernel's). */
static void merge_sort(const struct vm_symtab *st, uint32_t *a, uint32_t *tmp, size_t n)
{
	size_t mid, i, j, k;

	if (n < 2)
		return;
	if (n <= 16) {
		for (i = 1; i < n; i++) {
			uint32_t v = a[i];

			for (j = i; j > 0 && cmp_slots(st, a[j - 1], v) > 0; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
		return;
	}
	mid = n / 2;
	merge_sort(st, a, tmp, mid);
	merge_sort(st, a + mid, tmp, n - mid);
	if (cmp_slots(st, a[mid - 1], a[mid]) <= 0)
		return;
	memcpy(tmp, a, n * sizeof(*a));
	for (i = 0, j = mid, k = 0; i < mid && j < n;)
		a[k++] = cmp_slots(st, tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
	while (i < mid)
		a[k++] = tmp[i++];
	while (j < n)
		a[k++] = tmp[j++];
}

/* Merge the sorted runs a[0, mid) and a[mid, n). */
static void merge_runs(const struct vm_symtab *st, uint32_t *a, uint32_t *tmp,
		       size_t mid, size_t n)
{
	size_t i, j, k;

	if (mid == 0 || mid == n || cmp_slots(st, a[mid - 1], a[mid]) <= 0)
		return;
	memcpy(tmp, a, n * sizeof(*a));
	for (i = 0, j = mid, k = 0; i < mid && j < n;)
		a[k++] = cmp_slots(st, tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
	while (i < mid)
		a[k++] = tmp[i++];
	while (j < n)
		a[k++] = tmp[j++];
}

/* Probes allowed to index n names: ~12x the 7.2 arm64 kernel's own. */
#define HASH_PROBE_BUDGET(n) ((size_t)64 * (n) + ((size_t)1 << 26))

/* 0, or -1 when the table has no free slot or the probes allowed
 * (*budget) are spent. */
static int hash_insert(struct vm_symtab *st, size_t slot, size_t *budget)
{
	size_t h = hash_str(s_name(st, slot)) & (st->hash_size - 1), steps;

	for (steps = 0; st->hash[h]; steps++) {
		if (steps == st->hash_size || !*budget)
			return -1;
		--*budget;
		h = (h + 1) & (st->hash_size - 1);
	}
	st->hash[h] = (uint32_t)(slot + 1);
	return 0;
}

int vm_symtab_hash_build(const uint32_t *h, size_t n, uint32_t **table, size_t *size,
			 struct vm_err *e)
{
	size_t hs, i, x, steps = 0, budget = HASH_PROBE_BUDGET(n);
	uint32_t *t;

	if (n > UINT32_MAX / 4)
		return vm_fail(e, VM_ENOMEM, "too many symbols (%zu) to index", n);
	for (hs = 1024; hs < n * 2; hs *= 2)
		;
	t = vm_calloc(hs, sizeof(*t), e);
	if (!t)
		return -1;
	vm_prefault(t, hs * sizeof(*t));
	/* at most half full: every probe ends; but k symbols of one name
	 * cost k^2/2 probes, so a table where a great many share names (no
	 * kernel's: 6.1 has 256 "__func__.0" of 111k, 7.2 arm64 751 of 212k,
	 * 5.4M probes) is refused instead of taking hours */
	for (i = 0; i < n; i++) {
		for (x = h[i] & (hs - 1); t[x]; x = (x + 1) & (hs - 1))
			if (++steps > budget) {
				free(t);
				return vm_fail(e, VM_ECORRUPT, "symbol names: more than %zu "
					       "probes to index %zu names (thousands share a "
					       "name): not a kernel's table", budget, n);
			}
		t[x] = (uint32_t)(i + 1);
	}
	*table = t;
	*size = hs;
	return 0;
}

/* A program that asks for a handful of names (vmsys, vmps) is served
 * faster by scanning than by hashing 100k+ names first. */
#define SCAN_LOOKUPS 2

/* Bring the name hash of slots [hash_from, n) up to date; on allocation
 * failure lookups fall back to a linear scan. */
static void hash_update(struct vm_symtab *st)
{
	size_t hs, i, want = st->n - st->hash_from, budget = HASH_PROBE_BUDGET(want);

	if (st->hash_refused || (!st->hash && ++st->name_lookups <= SCAN_LOOKUPS))
		return;
	if (st->hash && st->n_hashed == st->n)
		return;
	if (!st->hash || want * 2 > st->hash_size) {
		for (hs = 1024; hs < want * 2; hs *= 2)
			;
		free(st->hash);
		st->hash = calloc(hs, sizeof(*st->hash));
		st->hash_size = st->hash ? hs : 0;
		st->n_hashed = st->hash_from;
		if (!st->hash)
			return;
	}
	for (i = st->n_hashed; i < st->n; i++)
		if (hash_insert(st, i, &budget) < 0) {
			/* names too alike to index: lookups scan, each in
			 * linear time, and no index is tried again */
			st->hash_refused = true;
			free(st->hash);
			st->hash = NULL;
			st->hash_size = 0;
			st->n_hashed = st->hash_from;
			return;
		}
	st->n_hashed = st->n;
}

/* The address of the last vmlinux symbol named _end in address order
 * (the highest), or UINT64_MAX.  A base with a name index is asked
 * through it: a text-only kallsyms has no _end, and a scan from the top
 * then compared all its names. */
static uint64_t vmlinux_end(const struct vm_symtab *st)
{
	uint64_t end = UINT64_MAX;
	size_t i, h, steps, size = st->bhash_size;

	if (!st->bhash) {
		for (i = st->n; i-- > 0;) {
			size_t s = ord(st, i);

			if (!s_module(st, s) && !strcmp(s_name(st, s), "_end"))
				return s_addr(st, s);
		}
		return end;
	}
	for (h = hash_str("_end") & (size - 1), steps = 0; st->bhash[h] && steps < size;
	     h = (h + 1) & (size - 1), steps++) {
		size_t s = st->bhash[h] - 1;

		if (s < st->nb && !strcmp(s_name(st, s), "_end") &&
		    (end == UINT64_MAX || s_addr(st, s) > end))
			end = s_addr(st, s);
	}
	for (i = st->nb; i < st->n; i++)
		if (!s_module(st, i) && !strcmp(s_name(st, i), "_end") &&
		    (end == UINT64_MAX || s_addr(st, i) > end))
			end = s_addr(st, i);
	return end;
}

void vm_symtab_finish(struct vm_symtab *st)
{
	uint32_t *order, *tmp;
	size_t i, nown;

	if (st->finished)
		return;
	if (st->n_sorted < st->n) {
		/* order holds the slots after the borrowed border */
		nown = st->n - st->nbo;
		order = realloc(st->order, nown * sizeof(*order));
		if (!order)
			return;   /* lookups see the old order: stale, never out of bounds */
		st->order = order;
		for (i = st->n_sorted; i < st->n; i++)
			order[i - st->nbo] = (uint32_t)i;
		tmp = malloc(st->n * sizeof(*tmp));
		if (!tmp)
			return;
		/* the new slots sort among themselves, then one merge */
		merge_sort(st, order + (st->n_sorted - st->nbo), tmp, st->n - st->n_sorted);
		merge_runs(st, order, tmp, st->n_sorted - st->nbo, nown);
		/* after the base's order unless they interleave (arm64
		 * modules lie below the kernel): then one owned order */
		if (st->nbo && nown && cmp_slots(st, st->border[st->nbo - 1], order[0]) > 0) {
			uint32_t *all = malloc(st->n * sizeof(*all));

			if (!all) {
				free(tmp);
				return;
			}
			memcpy(all, st->border, st->nbo * sizeof(*all));
			memcpy(all + st->nbo, order, nown * sizeof(*all));
			merge_runs(st, all, tmp, st->nbo, st->n);
			free(st->order);
			st->order = all;
			st->border = NULL;
			st->nbo = 0;
		}
		free(tmp);
		st->n_sorted = st->n;
	}
	st->vmlinux_end = vmlinux_end(st);
	st->finished = true;
}

/* A base's cached order: a permutation of [0, n) in address order.  The
 * marks are the caller's zeroed scratch. */
static bool order_fits(const struct vm_symtab *st, const uint32_t *order, size_t n,
		       uint8_t *seen)
{
	uint64_t prev = 0, a;
	size_t i;

	for (i = 0; i < n; i++) {
		if (order[i] >= n || seen[order[i]])
			return false;
		seen[order[i]] = 1;
		a = s_addr(st, order[i]);
		if (i && (a < prev || (a == prev && cmp_slots(st, order[i - 1], order[i]) > 0)))
			return false;
		prev = a;
	}
	return true;
}

/* Bounds only (this runs on every warm start): the largest entry, four
 * at a time in a loop the compiler makes vector code of. */
static bool order_in_bounds(const uint32_t *order, size_t n)
{
	uint32_t m[4] = { 0 }, max;
	size_t i, j;

	for (i = 0; i + 4 <= n; i += 4)
		for (j = 0; j < 4; j++)
			m[j] = order[i + j] > m[j] ? order[i + j] : m[j];
	for (; i < n; i++)
		m[0] = order[i] > m[0] ? order[i] : m[0];
	max = m[0] > m[1] ? m[0] : m[1];
	max = max > m[2] ? max : m[2];
	max = max > m[3] ? max : m[3];
	return n == 0 || max < n;
}

/* An add_bulk that failed leaves the table empty, as it found it. */
static int bulk_undo(struct vm_symtab *st)
{
	free(st->syms);
	st->syms = NULL;
	st->n = st->nb = st->cap = 0;
	memset(&st->base, 0, sizeof(st->base));
	return -1;
}

int vm_symtab_add_bulk(struct vm_symtab *st, const struct vm_symtab_bulk *b,
		       struct vm_err *e)
{
	uint8_t *seen;

	if (st->n || st->base.release)
		return vm_fail(e, VM_EINVAL, "bulk symbols into a table that has some");
	if (b->n > UINT32_MAX - BULK_SPARE - 1)
		return vm_fail(e, VM_ENOMEM, "too many symbols (%zu)", b->n);
	if (b->n && (!b->names_len || b->names[b->names_len - 1] != '\0'))
		return vm_fail(e, VM_ECORRUPT, "symbol names not NUL-terminated");
	/* zeroed and made slot by slot when used: calloc's pages are not
	 * touched until then */
	free(st->syms);
	st->syms = vm_calloc(b->n + BULK_SPARE, sizeof(*st->syms), e);
	if (!st->syms)
		return -1;
	st->cap = b->n + BULK_SPARE;
	st->n = st->nb = b->n;
	st->base = *b;
	st->finished = false;
	if (!b->n)
		return 0;
	/* a cached order must fit these symbols (a caller's entry that does
	 * not is damaged: it is refused and rebuilt); checked in full unless
	 * a run that accepted these bytes checked it.  The hash is used when
	 * it has the shape of one (every probe of it is bounded and checked) */
	if (b->order) {
		bool fits;

		if (b->order_checked) {
			fits = order_in_bounds(b->order, b->n);
		} else {
			seen = vm_calloc(b->n, 1, e);
			if (!seen)
				return bulk_undo(st);
			fits = order_fits(st, b->order, b->n, seen);
			free(seen);
		}
		if (!fits) {
			bulk_undo(st);
			return vm_fail(e, VM_ECORRUPT, "cached symbol order does not fit "
				       "the %zu symbols", b->n);
		}
		st->border = b->order;
		st->nbo = st->n_sorted = b->n;
	}
	if (b->hash && b->hash_size >= 1024 && !(b->hash_size & (b->hash_size - 1)) &&
	    b->hash_size >= 2 * b->n) {
		st->bhash = b->hash;
		st->bhash_size = b->hash_size;
		st->hash_from = st->n_hashed = b->n;
	}
	return 0;
}

size_t vm_symtab_count(const struct vm_symtab *st)
{
	return st->n;
}

const struct vm_sym *vm_symtab_at(struct vm_symtab *st, size_t i)
{
	vm_symtab_finish(st);
	return i < st->n_sorted ? s_sym(st, ord(st, i)) : NULL;
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

static bool matches(const struct vm_symtab *st, size_t slot, const char *name,
		    const char *module)
{
	const char *n = s_name(st, slot), *m;

	if (n[0] != name[0] || strcmp(n, name))
		return false;
	m = s_module(st, slot);
	return !module || (m && !strcmp(m, module));
}

/* Probe one open-addressing table: bounded, and every value checked (a
 * base's table comes from a cache). */
static void probe(struct vm_symtab *st, const uint32_t *t, size_t size, size_t lo,
		  size_t hi, const char *name, const char *module,
		  void (*fn)(const struct vm_sym *s, void *arg), void *arg)
{
	size_t h, steps;

	for (h = hash_str(name) & (size - 1), steps = 0; t[h] && steps < size;
	     h = (h + 1) & (size - 1), steps++)
		if (t[h] - 1 >= lo && t[h] - 1 < hi && matches(st, t[h] - 1, name, module))
			fn(s_sym(st, t[h] - 1), arg);
}

/* Call fn for every symbol named name (in module, if given). */
static void for_each_named(struct vm_symtab *st, const char *name, const char *module,
			   void (*fn)(const struct vm_sym *s, void *arg), void *arg)
{
	size_t i;

	if (st->bhash)
		probe(st, st->bhash, st->bhash_size, 0, st->nb, name, module, fn, arg);
	hash_update(st);
	if (!st->hash) {
		for (i = st->hash_from; i < st->n; i++)
			if (matches(st, i, name, module))
				fn(s_sym(st, i), arg);
		return;
	}
	probe(st, st->hash, st->hash_size, st->hash_from, st->n, name, module, fn, arg);
}

static void keep_best(const struct vm_sym *s, void *arg)
{
	const struct vm_sym **best = arg;

	if (!*best || better(s, *best))
		*best = s;
}

size_t vm_symtab_bulk_named(const struct vm_symtab_bulk *b, const char *name,
			    uint32_t *out, size_t max)
{
	size_t h, steps, n = 0, hs = b->hash_size, i;

	if (!b->hash || hs < 1024 || (hs & (hs - 1)))
		return SIZE_MAX;
	for (h = hash_str(name) & (hs - 1), steps = 0; b->hash[h] && steps < hs;
	     h = (h + 1) & (hs - 1), steps++) {
		uint32_t v = b->hash[h] - 1;

		if (v >= b->n || b->name_off[v] >= b->names_len ||
		    strcmp(b->names + b->name_off[v], name))
			continue;
		n++;
		/* the max smallest, ascending */
		if (!max || (n > max && out[max - 1] < v))
			continue;
		for (i = n <= max ? n - 1 : max - 1; i > 0 && out[i - 1] > v; i--)
			out[i] = out[i - 1];
		out[i] = v;
	}
	return n;
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
	const struct vm_sym *x = *(const struct vm_sym *const *)a,
			   *y = *(const struct vm_sym *const *)b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (!x->module != !y->module)
		return x->module ? 1 : -1;
	if (x->module != y->module)
		return strcmp(x->module, y->module);
	return strcmp(x->name, y->name);
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
static bool addressable(const struct vm_symtab *st, size_t slot)
{
	char t = s_type(st, slot);

	return t != 'A' && t != 'a' && t != 'U' && t != 'u' && s_addr(st, slot) >= 0x100000;
}

/* __sched_text_start, __irqentry_text_end ...: where a section of
 * functions begins or ends, not a function */
static bool section_marker(const char *name)
{
	size_t n = strlen(name);

	return (n > 11 && !strcmp(name + n - 11, "_text_start")) ||
	       (n > 9 && !strcmp(name + n - 9, "_text_end"));
}

static bool is_global(char t)
{
	return t >= 'A' && t <= 'Z';
}

const struct vm_sym *vm_sym_by_addr(struct vm_symtab *st, uint64_t addr,
				    uint64_t *off)
{
	size_t lo = 0, hi, i, first, best = SIZE_MAX;
	const struct vm_sym *s;

	vm_symtab_finish(st);
	hi = st->n_sorted;
	/* first index with an address above addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s_addr(st, ord(st, mid)) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	i = lo;
	while (i > 0 && !addressable(st, ord(st, i - 1)))
		i--;
	if (i == 0)
		return NULL;
	/* Aliases at one address: the first global one in name order (crash
	 * names 0xffffffff81000000 _stext, not _text or startup_64), a
	 * function before the marker of the section it opens (__switch_to,
	 * not __sched_text_start), else the first one. */
	for (first = i - 1;
	     first > 0 && s_addr(st, ord(st, first - 1)) == s_addr(st, ord(st, i - 1));
	     first--)
		;
	for (; first < i; first++) {
		size_t slot = ord(st, first);
		bool global = is_global(s_type(st, slot));
		const char *name = s_name(st, slot);

		if (!addressable(st, slot))
			continue;
		if (best == SIZE_MAX || (global && !is_global(s_type(st, best))) ||
		    (global && section_marker(s_name(st, best)) && !section_marker(name)))
			best = slot;
		if (global && !section_marker(name))
			break;
	}
	s = s_sym(st, best);
	if (!s->module && addr >= st->vmlinux_end)
		return NULL;
	/* A module's last symbol does not reach past its own size, nor does
	 * an unsized one reach into another module's symbols. */
	if (s->module && (i >= st->n_sorted || s_module(st, ord(st, i)) != s->module) &&
	    s->size && addr - s->addr >= s->size)
		return NULL;
	if (off)
		*off = addr - s->addr;
	return s;
}

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
 * gets right.  (Loaders that add one by one only: a bulk base is never
 * slid here.)
 */
void vm_symtab_apply_slide(struct vm_symtab *st, size_t first, uint64_t slide)
{
	uint64_t text_lo = UINT64_MAX;
	size_t i;

	if (!slide)
		return;
	if (first < st->nb)
		first = st->nb;
	/* moved slots invalidate the sorted index from the first of them */
	if (first < st->n_sorted) {
		st->n_sorted = 0;
		st->border = NULL;
		st->nbo = 0;
	}
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
