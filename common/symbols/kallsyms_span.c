// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stored form of the kallsyms tables (vm_kread_stored): the key of the
 * cache alias that lets another dump of a build already seen find its
 * decoded symbols without decompressing the tables (../cache_alias.c).
 *
 * The tables sit together in .rodata (scripts/kallsyms.c writes them as
 * one file), so one span covers them all: from the lowest table start to
 * the highest end known before reading (token index, number of symbols,
 * address tables).  The names table's end is only known after walking it;
 * the caller stores an alias only when everything it read lay inside the
 * span, so equal stored spans give equal inputs.  Where each table starts
 * in the span heads the key: the same bytes read from other places are
 * other inputs.
 */
#include "kallsyms_impl.h"

#include <stdlib.h>
#include <string.h>

#include "../cache.h"
#include "../rd.h"

/* More than this between the first and last table is not one kallsyms
 * (a 6.1 x86_64 kernel's are 2.2 MB). */
#define SPAN_MAX (64u << 20)

void ksym_span_bounds(const struct ksym_tables *t, const uint64_t *tab_va,
		      const unsigned *tab_w, unsigned ntab, uint64_t *lo, uint64_t *hi)
{
	uint64_t l = t->names, h = t->names + 1;
	const uint64_t starts[] = { t->ttable, t->tindex, t->num_at };
	const uint64_t ends[] = { t->ttable + 1, t->tindex + 512, t->num_at + 4 };
	unsigned i;

	for (i = 0; i < 3; i++) {
		if (!starts[i])
			continue;
		if (starts[i] < l)
			l = starts[i];
		if (ends[i] > h)
			h = ends[i];
	}
	for (i = 0; i < ntab; i++) {
		uint64_t end = tab_va[i] + (uint64_t)t->num * tab_w[i];

		if (tab_va[i] < l)
			l = tab_va[i];
		if (end > h)
			h = end;
	}
	*lo = l;
	*hi = h;
}

static int stored_each(void *ctx, int (*fn)(void *fctx, const void *p, size_t n), void *fctx)
{
	struct ksym_stored *ks = ctx;

	if (fn(fctx, ks->hdr, sizeof(ks->hdr)) < 0)
		return -1;
	return vm_kread_stored(ks->m, ks->lo, ks->hi - ks->lo, fn, fctx, NULL);
}

int ksym_stored_init(struct ksym_stored *ks, struct vm_mem *m, const struct ksym_tables *t,
		     const uint64_t *tab_va, const unsigned *tab_w, unsigned ntab,
		     struct vm_cache_stream *stream)
{
	uint64_t w[KSYM_STORED_WORDS];
	unsigned i, k = 0;

	if (ntab > KSYM_MAX_TABS)
		return -1;
	ksym_span_bounds(t, tab_va, tab_w, ntab, &ks->lo, &ks->hi);
	if (ks->hi < ks->lo || ks->hi - ks->lo > SPAN_MAX)
		return -1;
	memset(w, 0, sizeof(w));
	w[k++] = t->num;
	w[k++] = t->names - ks->lo;
	w[k++] = t->ttable ? t->ttable - ks->lo : UINT64_MAX;
	w[k++] = t->tindex - ks->lo;
	for (i = 0; i < ntab; i++) {
		w[k++] = tab_va[i] - ks->lo;
		w[k++] = tab_w[i];
	}
	for (i = 0; i < KSYM_STORED_WORDS; i++)
		vm_wr64(ks->hdr + 8 * i, w[i], true);
	ks->m = m;
	stream->each = stored_each;
	stream->ctx = ks;
	return 0;
}
