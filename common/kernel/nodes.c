// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Nodes and zones (see nodes.h).
 */
#include "nodes.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"

/* a zone name is one of a handful of short words */
static bool plausible_name(const char *s)
{
	size_t i;

	if (!s[0])
		return false;
	for (i = 0; s[i]; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return i < 16;
}

static int layout(struct vm_kernel *k, struct vm_nodes *nd, struct vm_err *e)
{
	int64_t v;

	nd->zone_size = vm_fld_sizeof(k, "zone");
	if (!nd->zone_size || nd->zone_size > 65536)
		return vm_fail(e, VM_EMISMATCH, "struct zone: size unknown (no types?)");
	if (vm_fld_need(k, "pglist_data", "node_zones", &nd->pgdat_node_zones, e) < 0 ||
	    vm_fld_need(k, "zone", "name", &nd->zone_name, e) < 0 ||
	    vm_fld_need(k, "zone", "zone_start_pfn", &nd->zone_start_pfn, e) < 0 ||
	    vm_fld_need(k, "zone", "spanned_pages", &nd->zone_spanned, e) < 0 ||
	    vm_fld_need(k, "zone", "vm_stat", &nd->zone_vm_stat, e) < 0 ||
	    vm_fld_need(k, "zone", "free_area", &nd->zone_free_area, e) < 0 ||
	    vm_fld_need(k, "free_area", "free_list", &nd->fa_free_list, e) < 0 ||
	    vm_fld_need(k, "free_area", "nr_free", &nd->fa_nr_free, e) < 0)
		return -1;
	vm_fld_opt(k, "zone", "present_pages", &nd->zone_present);
	vm_fld_opt(k, "zone", "managed_pages", &nd->zone_managed);
	/* _watermark since v5.0 (a921444382b4), watermark before */
	if (!vm_fld_opt(k, "zone", "_watermark", &nd->zone_wmark))
		vm_fld_opt(k, "zone", "watermark", &nd->zone_wmark);
	vm_fld_opt(k, "zone", "zone_pgdat", &nd->zone_pgdat);
	vm_fld_opt(k, "pglist_data", "node_start_pfn", &nd->pgdat_start_pfn);
	vm_fld_opt(k, "pglist_data", "node_spanned_pages", &nd->pgdat_spanned);
	vm_fld_opt(k, "pglist_data", "node_id", &nd->pgdat_id);
	vm_fld_opt(k, "pglist_data", "vm_stat", &nd->pgdat_vm_stat);
	nd->free_area_size = vm_fld_sizeof(k, "free_area");
	if (!nd->free_area_size || nd->zone_free_area.size % nd->free_area_size ||
	    nd->fa_free_list.size % 16)
		return vm_fail(e, VM_EMISMATCH, "struct free_area: layout unknown");
	nd->nr_orders = (unsigned)(nd->zone_free_area.size / nd->free_area_size);
	nd->nr_migrate = (unsigned)(nd->fa_free_list.size / 16);
	nd->max_nr_zones = (unsigned)(nd->pgdat_node_zones.size / nd->zone_size);
	if (nd->nr_orders == 0 || nd->nr_orders > VM_ORDERS_MAX || nd->nr_migrate == 0 ||
	    nd->nr_migrate > VM_MIGRATE_MAX || nd->max_nr_zones == 0 ||
	    nd->max_nr_zones > VM_ZONES_MAX)
		return vm_fail(e, VM_EMISMATCH, "struct zone: %u orders, %u migrate types, "
			       "%u zones: types do not match this kernel", nd->nr_orders,
			       nd->nr_migrate, nd->max_nr_zones);
	nd->nr_free_pages_item = vm_fld_enum(k, "NR_FREE_PAGES", &v) == 0 ? v : 0;
	return 0;
}

static int read_zone(struct vm_nodes *nd, struct vm_mem *m, struct vm_node *n,
		     unsigned i, struct vm_err *e)
{
	struct vm_zone *z = &n->zone[i];
	uint64_t len = nd->zone_size;
	uint8_t *buf = vm_malloc(len, e);
	uint64_t name;
	struct vm_err re;
	unsigned w;

	if (!buf)
		return -1;
	memset(z, 0, sizeof(*z));
	z->addr = n->pgdat + nd->pgdat_node_zones.off + i * nd->zone_size;
	z->node = n->id;
	z->idx = i;
	if (vm_kread(m, z->addr, buf, len, e) < 0) {
		vm_err_prefix(e, "zone %u of node %d at 0x%" PRIx64 ": ", i, n->id, z->addr);
		free(buf);
		return -1;
	}
	name = vm_fld_u(buf, len, &nd->zone_name);
	if (!name || vm_kread_str(m, name, z->name, sizeof(z->name), &re) < 0)
		snprintf(z->name, sizeof(z->name), "(unknown)");
	z->start_pfn = vm_fld_u(buf, len, &nd->zone_start_pfn);
	z->spanned = vm_fld_u(buf, len, &nd->zone_spanned);
	z->have_present = nd->zone_present.ok;
	z->present = vm_fld_u(buf, len, &nd->zone_present);
	z->have_managed = nd->zone_managed.ok;
	z->managed = vm_fld_u(buf, len, &nd->zone_managed);
	if (nd->zone_wmark.ok && nd->zone_wmark.size >= 24) {
		for (w = 0; w < 3; w++)
			memcpy(&z->wmark[w], buf + nd->zone_wmark.off + 8 * w, 8);
		z->have_wmark = true;
	}
	if (nd->zone_vm_stat.size >= 8 * (uint64_t)(nd->nr_free_pages_item + 1))
		memcpy(&z->nr_free, buf + nd->zone_vm_stat.off + 8 * nd->nr_free_pages_item, 8);
	free(buf);
	return 0;
}

static int add_node(struct vm_nodes *nd, struct vm_mem *m, uint64_t pgdat, int id,
		    struct vm_err *e)
{
	struct vm_node *n;
	struct vm_err re;
	uint64_t v;
	uint32_t v32;
	unsigned i;
	void *p;

	if (nd->n >= VM_NODES_MAX)
		return vm_fail(e, VM_ECORRUPT, "more than %u memory nodes", VM_NODES_MAX);
	p = vm_realloc_array(nd->node, nd->n + 1, sizeof(*nd->node), e);
	if (!p)
		return -1;
	nd->node = p;
	n = &nd->node[nd->n];
	memset(n, 0, sizeof(*n));
	n->pgdat = pgdat;
	n->id = id;
	if (nd->pgdat_id.ok && vm_kread_u32(m, pgdat + nd->pgdat_id.off, &v32, &re) == 0 &&
	    id < 0)
		n->id = (int32_t)v32;
	if (nd->pgdat_start_pfn.ok && vm_kread_u64(m, pgdat + nd->pgdat_start_pfn.off, &v, &re) == 0)
		n->start_pfn = v;
	if (nd->pgdat_spanned.ok && vm_kread_u64(m, pgdat + nd->pgdat_spanned.off, &v, &re) == 0)
		n->spanned = v;
	n->nzones = nd->max_nr_zones;
	for (i = 0; i < n->nzones; i++)
		if (read_zone(nd, m, n, i, e) < 0)
			return -1;
	nd->n++;
	return 0;
}

/* node_online_map (VMCOREINFO SYMBOL, a nodemask_t), or only node 0 */
static int online_nodes(struct vm_kernel *k, struct vm_mem *m, uint64_t *mask,
			unsigned nbits)
{
	uint64_t addr, sz = 8;
	struct vm_err re;
	unsigned i;

	memset(mask, 0, (nbits + 63) / 64 * 8);
	if (vm_kernel_symbol(k, "node_online_map", &addr, &re) < 0) {
		mask[0] = 1;
		return 0;
	}
	if (k->vi && vm_vmci_size(k->vi, "nodemask_t", &sz) < 0)
		sz = 8;
	if (sz > nbits / 8)
		sz = nbits / 8;
	for (i = 0; i < sz / 8; i++)
		if (vm_kread_u64(m, addr + 8 * i, &mask[i], &re) < 0) {
			mask[0] |= 1;
			return 0;
		}
	return 0;
}

static int from_node_data(struct vm_nodes *nd, struct vm_mem *m, struct vm_err *e)
{
	uint64_t base, len = VM_NODES_MAX, online[VM_NODES_MAX / 64], p;
	struct vm_kernel *k = nd->k;
	struct vm_err re;
	unsigned i;

	if (vm_kernel_symbol(k, "node_data", &base, &re) < 0)
		return 1;
	if (k->vi && vm_vmci_length(k->vi, "node_data", &len) == 0 && len > VM_NODES_MAX)
		len = VM_NODES_MAX;
	online_nodes(k, m, online, VM_NODES_MAX);
	for (i = 0; i < len && i < VM_NODES_MAX; i++) {
		if (!((online[i / 64] >> (i % 64)) & 1))
			continue;
		if (vm_kread_u64(m, base + 8ull * i, &p, e) < 0) {
			vm_err_prefix(e, "node_data[%u]: ", i);
			return -1;
		}
		if (!p)
			continue;
		if (add_node(nd, m, p, (int)i, e) < 0)
			return -1;
	}
	nd->how = "node_data[]";
	return nd->n ? 0 : vm_fail(e, VM_ECORRUPT, "node_data[] at 0x%" PRIx64
				   " holds no online node", base);
}

/* ---- the text-only way: from a free page to its zone ---- */

struct buddy_hunt {
	struct vm_nodes *nd;
	const struct vm_memmap *mm;
	const struct vm_page_layout *pl;
	struct vm_mem *m;
	unsigned want;               /* online nodes */
	struct vm_err err;
	bool fatal;
};

static bool pfn_known(const struct vm_nodes *nd, uint64_t pfn)
{
	unsigned i;

	for (i = 0; i < nd->n; i++)
		if (pfn >= nd->node[i].start_pfn &&
		    pfn - nd->node[i].start_pfn < nd->node[i].spanned)
			return true;
	return false;
}

/* zone = list head - free_area[order].free_list[mt]: the candidate that
 * its pgdat confirms */
static int zone_from_head(struct buddy_hunt *h, uint64_t head, uint64_t order,
			  uint64_t *pgdat_out)
{
	struct vm_nodes *nd = h->nd;
	unsigned mt, zi;

	for (mt = 0; mt < nd->nr_migrate; mt++) {
		uint64_t zone = head - nd->zone_free_area.off - order * nd->free_area_size -
				nd->fa_free_list.off - 16ull * mt, pgdat, nm;
		struct vm_err re;
		char name[16];

		if (vm_kread_u64(h->m, zone + nd->zone_pgdat.off, &pgdat, &re) < 0 || !pgdat)
			continue;
		for (zi = 0; zi < nd->max_nr_zones; zi++)
			if (pgdat + nd->pgdat_node_zones.off + zi * nd->zone_size == zone)
				break;
		if (zi == nd->max_nr_zones)
			continue;
		if (vm_kread_u64(h->m, zone + nd->zone_name.off, &nm, &re) < 0 ||
		    vm_kread_str(h->m, nm, name, sizeof(name), &re) < 0 || !plausible_name(name))
			continue;
		*pgdat_out = pgdat;
		return 0;
	}
	return -1;
}

static int hunt_batch(void *ctx, uint64_t pfn, uint64_t page, const uint8_t *buf,
		      size_t n, struct vm_err *e)
{
	struct buddy_hunt *h = ctx;
	struct vm_nodes *nd = h->nd;
	size_t i;

	for (i = 0; i < n; i++) {
		struct vm_page_info pi;
		struct vm_list_walk w;
		uint64_t node, p, pp, pgdat;
		struct vm_err we;
		int r;

		if (pfn_known(nd, pfn + i))
			continue;
		vm_page_decode(h->pl, page + i * h->mm->psize, pfn + i, buf + i * h->mm->psize, &pi);
		if (!vm_page_is_buddy(h->pl, pi.flags, pi.raw_mapcount) || pi.private_ >= nd->nr_orders)
			continue;
		/* along the free list to the first entry that is no struct page */
		vm_list_init(&w, h->m, pi.page + h->pl->lru.off, 1u << 24, VM_LIST_CHECK_PREV);
		while ((r = vm_list_next(&w, &node, &we)) > 0)
			if (!vm_memmap_pfn(h->mm, node - h->pl->lru.off, &p, &pp) ||
			    pp != node - h->pl->lru.off)
				break;
		if (r <= 0)
			continue;
		if (zone_from_head(h, node, pi.private_, &pgdat) < 0)
			continue;
		if (add_node(nd, h->m, pgdat, -1, e) < 0) {
			h->fatal = true;
			return -1;
		}
		if (nd->n >= h->want)
			return -1;           /* done: stop the scan */
	}
	return 0;
}

static int from_free_page(struct vm_nodes *nd, const struct vm_memmap *mm,
			  const struct vm_page_layout *pl, struct vm_mem *m,
			  struct vm_err *e)
{
	struct buddy_hunt h = { .nd = nd, .mm = mm, .pl = pl, .m = m };
	uint64_t online[VM_NODES_MAX / 64], unreadable;
	unsigned i;

	if (!mm || !pl || !pl->lru.ok || !nd->zone_pgdat.ok || pl->buddy_type < 0)
		return vm_fail(e, VM_ENOENT, "the memory nodes: no node_data or "
			       "contig_page_data symbol, and no free-page marker "
			       "(VMCOREINFO NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)) to find them by");
	online_nodes(nd->k, m, online, VM_NODES_MAX);
	for (i = 0; i < VM_NODES_MAX; i++)
		h.want += (online[i / 64] >> (i % 64)) & 1;
	if (!h.want)
		h.want = 1;
	if (vm_memmap_scan(mm, hunt_batch, &h, &unreadable, e) < 0 && h.fatal)
		return -1;
	if (!nd->n)
		return vm_fail(e, VM_ENOENT, "the memory nodes: no node_data or "
			       "contig_page_data symbol, and no free page in the dump "
			       "leads to a zone");
	nd->how = "found from a free page's list (no node_data symbol)";
	return 0;
}

static int cmp_node(const void *a, const void *b)
{
	const struct vm_node *x = a, *y = b;

	return x->id - y->id;
}

int vm_nodes_read(struct vm_kernel *k, const struct vm_memmap *mm,
		  const struct vm_page_layout *pl, struct vm_nodes *nd, struct vm_err *e)
{
	struct vm_mem *m;
	uint64_t addr;
	struct vm_err re;
	int r;

	memset(nd, 0, sizeof(*nd));
	nd->k = k;
	m = vm_kernel_mem(k, e);
	if (!m)
		return -1;
	if (layout(k, nd, e) < 0) {
		vm_err_prefix(e, "memory zones: ");
		return -1;
	}
	r = from_node_data(nd, m, e);
	if (r < 0)
		goto fail;
	if (r > 0 && vm_kernel_symbol(k, "contig_page_data", &addr, &re) == 0) {
		if (add_node(nd, m, addr, 0, e) < 0)
			goto fail;
		nd->how = "contig_page_data";
	} else if (r > 0 && from_free_page(nd, mm, pl, m, e) < 0) {
		goto fail;
	}
	qsort(nd->node, nd->n, sizeof(*nd->node), cmp_node);
	if (mm) {
		unsigned i, j;

		for (i = 0; i < nd->n; i++)
			for (j = 0; j < nd->node[i].nzones; j++) {
				struct vm_zone *z = &nd->node[i].zone[j];

				if (z->spanned && vm_memmap_page(mm, z->start_pfn, &z->mem_map, &re) < 0)
					z->mem_map = 0;
			}
	}
	return 0;
fail:
	vm_nodes_free(nd);
	return -1;
}

int vm_nodes_open(struct vm_kernel *k, struct vm_nodes *nd, struct vm_err *e)
{
	struct vm_memmap mm;
	struct vm_page_layout pl;
	struct vm_err re;
	bool have_mm, have_pl;
	int r;

	have_mm = vm_memmap_open(k, &mm, &re) == 0;
	have_pl = vm_page_layout_init(k, &pl, &re) == 0;
	r = vm_nodes_read(k, have_mm ? &mm : NULL, have_pl ? &pl : NULL, nd, e);
	if (have_pl)
		vm_page_layout_free(&pl);
	if (have_mm)
		vm_memmap_close(&mm);
	return r;
}

void vm_nodes_free(struct vm_nodes *nd)
{
	free(nd->node);
	nd->node = NULL;
	nd->n = 0;
}

uint64_t vm_nodes_managed(const struct vm_nodes *nd)
{
	uint64_t sum = 0;
	unsigned i, j;

	for (i = 0; i < nd->n; i++)
		for (j = 0; j < nd->node[i].nzones; j++)
			sum += nd->node[i].zone[j].managed;
	return sum;
}

const struct vm_zone *vm_nodes_zone_of(const struct vm_nodes *nd, uint64_t pfn)
{
	unsigned i, j;

	for (i = 0; i < nd->n; i++)
		for (j = 0; j < nd->node[i].nzones; j++) {
			const struct vm_zone *z = &nd->node[i].zone[j];

			if (z->spanned && pfn >= z->start_pfn && pfn - z->start_pfn < z->spanned)
				return z;
		}
	return NULL;
}

int vm_zone_free_lists(const struct vm_nodes *nd, const struct vm_zone *z,
		       struct vm_free_lists *out, struct vm_err *e)
{
	struct vm_mem *m = vm_kernel_mem(nd->k, e);
	unsigned o, mt;

	memset(out, 0, sizeof(*out));
	if (!m)
		return -1;
	for (o = 0; o < nd->nr_orders; o++) {
		uint64_t fa = z->addr + nd->zone_free_area.off + o * nd->free_area_size;
		struct vm_err re;

		if (vm_kread_u64(m, fa + nd->fa_nr_free.off, &out->nr_free[o], &re) < 0) {
			vm_err_prefix(&re, "zone %s free_area[%u]: ", z->name, o);
			*e = re;
			return -1;
		}
		for (mt = 0; mt < nd->nr_migrate; mt++) {
			uint64_t head = fa + nd->fa_free_list.off + 16ull * mt, node, cnt = 0;
			struct vm_list_walk w;
			int r;

			out->head[o][mt] = head;
			/* no more blocks on one list than the zone has pages */
			vm_list_init(&w, m, head, z->spanned + 1, VM_LIST_CHECK_PREV);
			while ((r = vm_list_next(&w, &node, &re)) > 0)
				cnt++;
			out->blocks[o][mt] = cnt;
			out->pages += cnt << o;
			if (r < 0 && !out->broken) {
				out->broken = true;
				vm_err_prefix(&re, "zone %s free_area[%u].free_list[%u]: ", z->name,
					      o, mt);
				out->warn = re;
			}
		}
	}
	return 0;
}
