// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page store (cache.h): pages of one dump file that runs had to
 * decompress, kept decompressed for the next run on the same file.
 *
 * A second question on a dump reads mostly the pages the first one read
 * (the task list, the log, stacks), and on a compressed dump most of its
 * time is inflating them again: ~60 K instructions a zlib page against
 * ~3 K to check a kept one.  The store is a file about the dump file as it
 * is, named and checked by the same identity as its record (device, inode,
 * size, mtime, ctime: a dump changed or replaced since gets another name
 * and the old store is never looked at), written only by a run that met no
 * corruption, when the dump did not change in the last seconds.  Every
 * page carries a checksum seeded by its pfn, verified each time it is
 * used: a damaged page (or one filed under another pfn) is read from the
 * dump as always and the store is rewritten without the old pages.
 *
 * pages-STEM.pag:
 *   struct pag_hdr
 *   nidx struct pag_idx, by pfn, strictly increasing
 *   nslots pages of page_size bytes (an index entry names its slot)
 * Host byte order, as every cache file.
 */
#include "cache.h"
#include "cache_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAG_MAGIC "VMCUPAG\1"
#define PAG_FORMAT 1
/* Kept pages per dump file: the few hundred a question reads, not a copy
 * of the dump (what bulk readers such as a full BTF or kallsyms decode
 * read is in their own entries; vm_dump_page_keep_hold()). */
#define PAG_MAX_BYTES ((size_t)16 << 20)

struct pag_hdr {
	char magic[8];
	uint32_t format;
	uint32_t page_size;
	int64_t ident[7];
	uint64_t nidx, nslots;
	uint64_t idx_sum;
	uint64_t hdr_sum;   /* of the header up to here */
};

struct pag_idx {
	uint64_t pfn;
	uint64_t slot;
	uint64_t sum;
};

struct vm_cache_pages {
	struct vm_cache_sess *s;
	size_t ps;
	size_t max_slots;
	char name[64];
	int64_t ident[7];
	/* the store as found (idx NULL: none or not usable) */
	struct vm_cache_blob b;
	const struct pag_idx *idx;
	size_t nidx, nslots;
	const uint8_t *pages;
	uint64_t *verified;   /* a bit per index entry: checksum verified */
	bool damaged;
	/* pages this run decompressed, in the order shown, and a map of
	 * their pfns (pfn + 1, 0 empty; 2 * max_slots entries) to their
	 * slots: a page read again in this run comes from here too */
	struct pag_idx *nidx_new;
	uint8_t *new_pages;
	size_t nnew, cap;
	uint64_t *map_pfn;
	uint32_t *map_slot;
	bool full;
};

static size_t map_size(const struct vm_cache_pages *p)
{
	return 2 * p->max_slots;
}

/* The map position of pfn: its entry, or the empty one where it goes. */
static size_t map_find(const struct vm_cache_pages *p, uint64_t pfn)
{
	size_t mask = map_size(p) - 1, h = (size_t)((pfn * 0x9e3779b97f4a7c15ull) >> 17) & mask;

	/* at most half full: every probe ends */
	while (p->map_pfn[h] && p->map_pfn[h] != pfn + 1)
		h = (h + 1) & mask;
	return h;
}

static uint64_t page_sum(uint64_t pfn, const void *page, size_t ps)
{
	struct vm_fp_state s;

	vm_fp_init(&s, pfn ^ 0x7061676573ull);
	vm_fp_update(&s, page, ps);
	return vm_fp_final(&s).h[0];
}

/* The store as written, if it is one for this file and page size with
 * consistent lengths, sums and order. */
static void take_store(struct vm_cache_pages *p)
{
	const struct pag_hdr *h = p->b.data;
	const struct pag_idx *idx;
	size_t i;

	if (p->b.len < sizeof(*h) || memcmp(h->magic, PAG_MAGIC, 8) ||
	    h->format != PAG_FORMAT || h->page_size != p->ps ||
	    vm_cache_sum(h, offsetof(struct pag_hdr, hdr_sum)) != h->hdr_sum ||
	    memcmp(h->ident, p->ident, sizeof(p->ident)) ||
	    h->nslots > p->max_slots || h->nidx > h->nslots ||
	    p->b.len != sizeof(*h) + h->nidx * sizeof(*idx) + h->nslots * p->ps)
		return;
	idx = (const struct pag_idx *)(h + 1);
	if (vm_cache_sum(idx, h->nidx * sizeof(*idx)) != h->idx_sum)
		return;
	for (i = 0; i < h->nidx; i++)
		if (idx[i].slot >= h->nslots || (i && idx[i].pfn <= idx[i - 1].pfn))
			return;
	p->verified = calloc((h->nidx + 63) / 64 + 1, sizeof(*p->verified));
	if (!p->verified)
		return;
	p->idx = idx;
	p->nidx = h->nidx;
	p->nslots = h->nslots;
	p->pages = (const uint8_t *)(idx + h->nidx);
}

struct vm_cache_pages *vm_cache_pages_open(struct vm_cache_sess *s, size_t page_size)
{
	struct vm_cache_pages *p;
	struct vm_err e;
	char stem[33];

	if (!s || !page_size || page_size > PAG_MAX_BYTES)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->s = s;
	p->ps = page_size;
	p->max_slots = PAG_MAX_BYTES / page_size;
	/* a power of two, for the map */
	while (p->max_slots & (p->max_slots - 1))
		p->max_slots &= p->max_slots - 1;
	vm_cache_sess_ident(s, stem, p->ident);
	snprintf(p->name, sizeof(p->name), "pages-%s.pag", stem);
	if (vm_cache_map_file(vm_cache_sess_opts(s), p->name, &p->b, &e) == 0)
		take_store(p);
	return p;
}

const void *vm_cache_pages_get(struct vm_cache_pages *p, uint64_t pfn, bool *stable)
{
	size_t lo = 0, hi, mid;
	const uint8_t *page;

	*stable = false;
	if (!p)
		return NULL;
	if (p->map_pfn) {
		size_t m = map_find(p, pfn);

		/* in a buffer the next put may move */
		if (p->map_pfn[m])
			return p->new_pages + (size_t)p->map_slot[m] * p->ps;
	}
	if (!p->idx || p->damaged)
		return NULL;
	hi = p->nidx;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p->idx[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == p->nidx || p->idx[lo].pfn != pfn)
		return NULL;
	page = p->pages + p->idx[lo].slot * p->ps;
	if (!(p->verified[lo / 64] >> (lo % 64) & 1)) {
		if (page_sum(pfn, page, p->ps) != p->idx[lo].sum) {
			/* not what was written: nothing more from it, rewritten */
			p->damaged = true;
			return NULL;
		}
		p->verified[lo / 64] |= (uint64_t)1 << (lo % 64);
	}
	*stable = true;
	return page;
}

void vm_cache_pages_put(struct vm_cache_pages *p, uint64_t pfn, const void *page)
{
	size_t room, m;

	if (!p || p->full)
		return;
	if (!p->map_pfn) {
		p->map_pfn = calloc(map_size(p), sizeof(*p->map_pfn));
		p->map_slot = calloc(map_size(p), sizeof(*p->map_slot));
		if (!p->map_pfn || !p->map_slot) {
			free(p->map_pfn);
			free(p->map_slot);
			p->map_pfn = NULL;
			p->map_slot = NULL;
			p->full = true;
			return;
		}
	}
	m = map_find(p, pfn);
	if (p->map_pfn[m])
		return;   /* put before in this run */
	room = p->max_slots;
	if (p->nnew >= room) {
		p->full = true;
		return;
	}
	if (p->nnew == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct pag_idx *ni;
		uint8_t *np;

		if (cap > room)
			cap = room;
		ni = realloc(p->nidx_new, cap * sizeof(*ni));
		if (ni)
			p->nidx_new = ni;
		np = ni ? realloc(p->new_pages, cap * p->ps) : NULL;
		if (!np) {
			p->full = true;
			return;
		}
		p->new_pages = np;
		p->cap = cap;
	}
	memcpy(p->new_pages + p->nnew * p->ps, page, p->ps);
	p->nidx_new[p->nnew].pfn = pfn;
	p->nidx_new[p->nnew].slot = p->nnew;
	p->nidx_new[p->nnew].sum = page_sum(pfn, page, p->ps);
	p->map_pfn[m] = pfn + 1;
	p->map_slot[m] = (uint32_t)p->nnew;
	p->nnew++;
}

static int cmp_idx(const void *a, const void *b)
{
	const struct pag_idx *x = a, *y = b;

	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* The old index (when kept) and the new pages' (slots after the old
 * ones), merged by pfn; a pfn met twice keeps its first page. */
static size_t merge(const struct vm_cache_pages *p, size_t old_n, size_t old_slots,
		    struct pag_idx *out)
{
	size_t i = 0, j = 0, n = 0;

	while (i < old_n || j < p->nnew) {
		struct pag_idx v;

		if (j == p->nnew || (i < old_n && p->idx[i].pfn <= p->nidx_new[j].pfn)) {
			v = p->idx[i++];
		} else {
			v = p->nidx_new[j++];
			v.slot += old_slots;
		}
		if (n && out[n - 1].pfn == v.pfn)
			continue;
		out[n++] = v;
	}
	return n;
}

static void write_store(struct vm_cache_pages *p)
{
	/* a run whose pages do not fit beside the kept ones starts afresh:
	 * the store holds what the latest questions read */
	bool keep_old = p->idx && !p->damaged && p->nslots + p->nnew <= p->max_slots;
	size_t old_n = keep_old ? p->nidx : 0, old_slots = keep_old ? p->nslots : 0;
	struct pag_idx *idx;
	struct pag_hdr h;
	const void *parts[4];
	size_t lens[4], n;
	struct vm_err e;

	qsort(p->nidx_new, p->nnew, sizeof(*p->nidx_new), cmp_idx);
	idx = malloc((old_n + p->nnew) * sizeof(*idx));
	if (!idx)
		return;
	n = merge(p, old_n, old_slots, idx);
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, PAG_MAGIC, 8);
	h.format = PAG_FORMAT;
	h.page_size = (uint32_t)p->ps;
	memcpy(h.ident, p->ident, sizeof(h.ident));
	h.nidx = n;
	h.nslots = old_slots + p->nnew;
	h.idx_sum = vm_cache_sum(idx, n * sizeof(*idx));
	h.hdr_sum = vm_cache_sum(&h, offsetof(struct pag_hdr, hdr_sum));
	parts[0] = &h;
	lens[0] = sizeof(h);
	parts[1] = idx;
	lens[1] = n * sizeof(*idx);
	parts[2] = p->pages;
	lens[2] = old_slots * p->ps;
	parts[3] = p->new_pages;
	lens[3] = p->nnew * p->ps;
	vm_cache_write_file(vm_cache_sess_opts(p->s), p->name, parts, lens, 4, &e);
	free(idx);
}

size_t vm_cache_pages_kept(const struct vm_cache_pages *p)
{
	return p ? p->nidx : 0;
}

bool vm_cache_pages_damaged(const struct vm_cache_pages *p)
{
	return p && p->damaged;
}

void vm_cache_pages_close(struct vm_cache_pages *p)
{
	if (!p)
		return;
	if (p->nnew && vm_cache_sess_may_write(p->s))
		write_store(p);
	vm_cache_release(&p->b);
	free(p->nidx_new);
	free(p->new_pages);
	free(p->map_pfn);
	free(p->map_slot);
	free(p->verified);
	free(p);
}
