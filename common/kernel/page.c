// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct page decoding (see page.h).
 */
#include "page.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../types/types.h"

#define TYPE_NAMES_BYTES 512

static void add_type(struct vm_page_layout *pl, size_t *used, const char *name,
		     size_t nlen, uint32_t value)
{
	unsigned i;
	char *dst;

	if (pl->ntypes == VM_PAGETYPES_MAX || *used + nlen + 1 > TYPE_NAMES_BYTES)
		return;
	dst = pl->names + *used;
	for (i = 0; i < nlen; i++)
		dst[i] = (char)tolower((unsigned char)name[i]);
	dst[nlen] = '\0';
	for (i = 0; i < pl->ntypes; i++)
		if (!strcmp(pl->types[i].name, dst))
			return;          /* VMCOREINFO's came first */
	*used += nlen + 1;
	pl->types[pl->ntypes].name = dst;
	pl->types[pl->ntypes].value = value;
	/* v6.12+ types are the top byte; older ones are the whole word */
	pl->types[pl->ntypes].top_byte = (value & 0x00ffffffu) == 0;
	if (!strcmp(dst, "slab"))
		pl->slab_type = (int)pl->ntypes;
	if (!strcmp(dst, "buddy"))
		pl->buddy_type = (int)pl->ntypes;
	pl->ntypes++;
}

/* NUMBER(PAGE_<TYPE>_MAPCOUNT_VALUE) from VMCOREINFO (buddy since v2.6.39,
 * offline v5.0, slab/hugetlb/unaccepted v6.10+) */
static void types_from_vmcoreinfo(struct vm_page_layout *pl, size_t *used)
{
	const char *key, *val;
	size_t i;

	if (!pl->k->vi)
		return;
	for (i = 0; (key = vm_vmci_key_at(pl->k->vi, i, &val)) != NULL; i++) {
		static const char pre[] = "NUMBER(PAGE_", suf[] = "_MAPCOUNT_VALUE)";
		size_t kl = strlen(key);
		long long v;
		char *end;

		if (kl <= sizeof(pre) + sizeof(suf) - 2 || strncmp(key, pre, sizeof(pre) - 1) ||
		    strcmp(key + kl - (sizeof(suf) - 1), suf))
			continue;
		v = strtoll(val, &end, 0);
		if (end == val)
			continue;
		add_type(pl, used, key + sizeof(pre) - 1, kl - (sizeof(pre) - 1) - (sizeof(suf) - 1),
			 (uint32_t)v);
	}
}

/* enum pagetype (v6.10+): PG_<type> bits (v6.10, v6.11) or PGTY_<type>
 * top-byte values (v6.12+). */
static void types_from_enum(struct vm_page_layout *pl, size_t *used)
{
	const struct vm_type *t;
	struct vm_types *ts;
	struct vm_err e;
	unsigned i;

	ts = vm_kernel_types(pl->k, &e);
	if (!ts || !(t = vm_types_find(ts, "enum pagetype", &e)))
		return;
	for (i = 0; i < t->nenums; i++) {
		const char *n = t->enums[i].name;
		uint64_t v = (uint64_t)t->enums[i].value;

		if (!strncmp(n, "PGTY_", 5) && v >= 0xf0 && v < 0xff)
			add_type(pl, used, n + 5, strlen(n + 5), (uint32_t)(v << 24));
		else if (!strncmp(n, "PG_", 3) && v && !(v & (v - 1)) && v < 0x10000000)
			add_type(pl, used, n + 3, strlen(n + 3), ~(uint32_t)v);
	}
}

static void pageflags(struct vm_page_layout *pl)
{
	const struct vm_type *t;
	struct vm_types *ts;
	struct vm_err e;
	int64_t v;
	unsigned i;

	pl->pg_reserved = pl->pg_slab = pl->pg_head = pl->pg_buddy_flag = -1;
	ts = vm_kernel_types(pl->k, &e);
	t = ts ? vm_types_find(ts, "enum pageflags", &e) : NULL;
	if (t) {
		for (i = 0; i < t->nenums; i++)
			if (!strcmp(t->enums[i].name, "__NR_PAGEFLAGS"))
				pl->nr_pageflags = (unsigned)t->enums[i].value;
		if (pl->nr_pageflags > VM_PAGEFLAGS_MAX)
			pl->nr_pageflags = VM_PAGEFLAGS_MAX;
		/* first name of each bit: the aliases (PG_checked ...) follow
		 * __NR_PAGEFLAGS in the enum */
		for (i = 0; i < t->nenums; i++) {
			const char *n = t->enums[i].name;
			int64_t b = t->enums[i].value;

			if (b < 0 || b >= (int64_t)pl->nr_pageflags || strncmp(n, "PG_", 3) ||
			    pl->flag_name[b])
				continue;
			pl->flag_name[b] = n + 3;
		}
	}
	for (i = 0; i < pl->nr_pageflags; i++) {
		if (!pl->flag_name[i])
			continue;
		if (!strcmp(pl->flag_name[i], "reserved"))
			pl->pg_reserved = (int)i;
		else if (!strcmp(pl->flag_name[i], "slab"))
			pl->pg_slab = (int)i;
		else if (!strcmp(pl->flag_name[i], "head") || !strcmp(pl->flag_name[i], "compound"))
			pl->pg_head = (int)i;
		else if (!strcmp(pl->flag_name[i], "buddy"))
			pl->pg_buddy_flag = (int)i;     /* v2.6.x PG_buddy */
	}
	/* VMCOREINFO NUMBER(PG_slab) (v3.x..v6.9) confirms or stands in */
	if (pl->k->vi && vm_vmci_number(pl->k->vi, "PG_slab", &v) == 0 && v >= 0 && v < 64 &&
	    pl->pg_slab < 0)
		pl->pg_slab = (int)v;
}

int vm_page_layout_init(struct vm_kernel *k, struct vm_page_layout *pl, struct vm_err *e)
{
	size_t used = 0;

	memset(pl, 0, sizeof(*pl));
	pl->k = k;
	pl->slab_type = pl->buddy_type = -1;
	if (vm_kernel_sizeof(k, "page", &pl->psize, e) < 0) {
		vm_err_prefix(e, "struct page: ");
		return -1;
	}
	if (vm_fld_need(k, "page", "flags", &pl->flags, e) < 0 ||
	    (!vm_fld_opt(k, "page", "_refcount", &pl->refcount) &&
	     vm_fld_need(k, "page", "_count", &pl->refcount, e) < 0) ||
	    vm_fld_need(k, "page", "mapping", &pl->mapping, e) < 0) {
		vm_err_prefix(e, "struct page: ");
		return -1;
	}
	/* the page_type / _mapcount word */
	if (!vm_fld_opt(k, "page", "_mapcount", &pl->mapcount))
		vm_fld_opt(k, "page", "page_type", &pl->mapcount);
	/* page->index became __folio_index in v6.16 (acc53a0b4c15) */
	if (!vm_fld_opt(k, "page", "index", &pl->index))
		vm_fld_opt(k, "page", "__folio_index", &pl->index);
	vm_fld_opt(k, "page", "private", &pl->private_);
	if (!vm_fld_opt(k, "page", "compound_head", &pl->compound_head) &&
	    vm_fld_opt(k, "page", "compound_info", &pl->compound_head)) {
		struct vm_fld tails;

		pl->compound_mask = !(pl->psize & (pl->psize - 1)) &&
				    vm_fld_opt(k, "zone", "vmemmap_tails", &tails);
	}
	vm_fld_opt(k, "page", "lru", &pl->lru);
	if (pl->flags.size > 8)
		pl->flags.size = 8;          /* memdesc_flags_t { unsigned long f; } */
	if (pl->psize > 512 || pl->flags.off + 8 > pl->psize ||
	    vm_fld_end(&pl->refcount) > pl->psize || vm_fld_end(&pl->mapping) > pl->psize)
		return vm_fail(e, VM_EMISMATCH, "struct page: members past its size %" PRIu64
			       ": types do not match this kernel", pl->psize);
	pageflags(pl);
	pl->names = vm_malloc(TYPE_NAMES_BYTES, e);
	if (!pl->names)
		return -1;
	types_from_vmcoreinfo(pl, &used);
	types_from_enum(pl, &used);
	pl->have_types = pl->ntypes > 0 && pl->mapcount.ok && pl->mapcount.size == 4;
	if (pl->pg_slab >= 0)
		pl->slab_how = "PG_slab page flag";
	else if (pl->slab_type >= 0 && pl->have_types)
		pl->slab_how = "slab page type";
	return 0;
}

void vm_page_layout_free(struct vm_page_layout *pl)
{
	free(pl->names);
	pl->names = NULL;
}

static int type_of(const struct vm_page_layout *pl, uint32_t word)
{
	unsigned i;

	if (!pl->have_types)
		return -1;
	for (i = 0; i < pl->ntypes; i++) {
		if (pl->types[i].top_byte ? (word >> 24) == (pl->types[i].value >> 24)
					  : word == pl->types[i].value)
			return (int)i;
	}
	return -1;
}

bool vm_page_is_slab(const struct vm_page_layout *pl, uint64_t flags, uint32_t type_word)
{
	if (pl->pg_slab >= 0)
		return (flags >> pl->pg_slab) & 1;
	return pl->slab_type >= 0 && type_of(pl, type_word) == pl->slab_type;
}

bool vm_page_is_buddy(const struct vm_page_layout *pl, uint64_t flags, uint32_t type_word)
{
	if (pl->buddy_type >= 0 && type_of(pl, type_word) == pl->buddy_type)
		return true;
	return pl->pg_buddy_flag >= 0 && ((flags >> pl->pg_buddy_flag) & 1);
}

bool vm_page_is_reserved(const struct vm_page_layout *pl, uint64_t flags)
{
	return pl->pg_reserved >= 0 && ((flags >> pl->pg_reserved) & 1);
}

void vm_page_decode(const struct vm_page_layout *pl, uint64_t page, uint64_t pfn,
		    const uint8_t *buf, struct vm_page_info *pi)
{
	size_t len = pl->psize;
	uint64_t ch;

	memset(pi, 0, sizeof(*pi));
	pi->page = page;
	pi->pfn = pfn;
	pi->flags = vm_fld_u(buf, len, &pl->flags);
	pi->refcount = (int32_t)vm_fld_u(buf, len, &pl->refcount);
	pi->raw_mapcount = (uint32_t)vm_fld_u(buf, len, &pl->mapcount);
	pi->mapping = vm_fld_u(buf, len, &pl->mapping);
	pi->index = vm_fld_u(buf, len, &pl->index);
	pi->private_ = vm_fld_u(buf, len, &pl->private_);
	pi->type = type_of(pl, pi->raw_mapcount);
	pi->mapcount = pi->type >= 0 ? 0 : (int32_t)pi->raw_mapcount + 1;
	ch = vm_fld_u(buf, len, &pl->compound_head);
	pi->head = page;
	if (ch & 1) {
		pi->tail = true;
		pi->head = pl->compound_mask ? page & ch : ch - 1;
	}
	pi->slab = !pi->tail && vm_page_is_slab(pl, pi->flags, pi->raw_mapcount);
}

int vm_page_read(const struct vm_page_layout *pl, struct vm_mem *m, uint64_t page,
		 uint64_t pfn, struct vm_page_info *pi, struct vm_err *e)
{
	uint8_t buf[512];

	if (vm_kread(m, page, buf, pl->psize, e) < 0) {
		vm_err_prefix(e, "struct page at 0x%" PRIx64 ": ", page);
		return -1;
	}
	vm_page_decode(pl, page, pfn, buf, pi);
	if (pi->tail) {
		struct vm_err he;
		uint8_t hbuf[512];
		uint64_t f, hch = 0;
		uint32_t w;

		/* the head page says whether the compound page is a slab */
		if (vm_kread(m, pi->head, hbuf, pl->psize, &he) == 0) {
			f = vm_fld_u(hbuf, pl->psize, &pl->flags);
			w = (uint32_t)vm_fld_u(hbuf, pl->psize, &pl->mapcount);
			hch = vm_fld_u(hbuf, pl->psize, &pl->compound_head);
			pi->slab = !(hch & 1) && vm_page_is_slab(pl, f, w);
		}
	}
	return 0;
}

size_t vm_page_flag_names(const struct vm_page_layout *pl, uint64_t flags,
			  char *buf, size_t len)
{
	size_t n = 0;
	unsigned i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < pl->nr_pageflags; i++) {
		int w;

		if (!((flags >> i) & 1) || !pl->flag_name[i])
			continue;
		w = snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "," : "",
			     pl->flag_name[i]);
		if (w > 0)
			n += (size_t)w;
	}
	return n;
}

const char *vm_page_type_name(const struct vm_page_layout *pl, const struct vm_page_info *pi)
{
	return pi->type >= 0 ? pl->types[pi->type].name : NULL;
}
