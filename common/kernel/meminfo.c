// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's `kmem -i` from the kernel's counters (see meminfo.h).
 */
#include "meminfo.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "datasyms.h"
#include "fld.h"
#include "list.h"
#include "memmap.h"
#include "nodes.h"
#include "page.h"
#include "percpu.h"
#include "slab.h"
#include "vmstat.h"

/* MAX_SWAPFILES is 32 minus a few reserved types */
#define SWAPFILES_MAX 32
/* HUGE_MAX_HSTATE: a handful of huge page sizes */
#define HSTATES_MAX 16
/* SWP_USED in swap_info_struct.flags, unchanged since v2.6 */
#define SWP_USED 0x1

static const struct {
	const char *label, *key;
} items[VM_MI_NR] = {
	[VM_MI_TOTAL] = { "TOTAL MEM", "total_mem" },
	[VM_MI_FREE] = { "FREE", "free" },
	[VM_MI_USED] = { "USED", "used" },
	[VM_MI_SHARED] = { "SHARED", "shared" },
	[VM_MI_BUFFERS] = { "BUFFERS", "buffers" },
	[VM_MI_CACHED] = { "CACHED", "cached" },
	[VM_MI_SLAB] = { "SLAB", "slab" },
	[VM_MI_HUGE_TOTAL] = { "TOTAL HUGE", "total_huge" },
	[VM_MI_HUGE_FREE] = { "HUGE FREE", "huge_free" },
	[VM_MI_SWAP_TOTAL] = { "TOTAL SWAP", "total_swap" },
	[VM_MI_SWAP_USED] = { "SWAP USED", "swap_used" },
	[VM_MI_SWAP_FREE] = { "SWAP FREE", "swap_free" },
	[VM_MI_COMMIT_LIMIT] = { "COMMIT LIMIT", "commit_limit" },
	[VM_MI_COMMITTED] = { "COMMITTED", "committed" },
};

const char *vm_meminfo_label(enum vm_meminfo_item i) { return items[i].label; }
const char *vm_meminfo_key(enum vm_meminfo_item i) { return items[i].key; }

struct ctx {
	struct vm_kernel *k;
	struct vm_mem *m;
	struct vm_meminfo *mi;
	struct vm_memmap mm;
	bool have_mm;
	struct vm_err mm_err;
	struct vm_page_layout pl;
	bool have_pl;
	struct vm_nodes nd;
	bool have_nd;
	struct vm_vmstat zst, nst;
	bool have_zst, have_nst;
};

static void set(struct vm_meminfo *mi, enum vm_meminfo_item i, uint64_t v, const char *src)
{
	mi->pages[i] = v;
	mi->have[i] = true;
	mi->src[i] = src;
}

static void miss(struct vm_meminfo *mi, enum vm_meminfo_item i, const struct vm_err *why)
{
	mi->have[i] = false;
	mi->why[i] = *why;
}

/* an unsigned long (or atomic_long_t) variable */
static int read_sym(struct ctx *c, const char *name, uint64_t *v, struct vm_err *e)
{
	uint64_t addr;

	if (vm_kernel_symbol(c->k, name, &addr, e) < 0)
		return -1;
	if (vm_kread_u64(c->m, addr, v, e) < 0) {
		vm_err_prefix(e, "%s: ", name);
		return -1;
	}
	return 0;
}

static int read_sym32(struct ctx *c, const char *name, uint32_t *v, struct vm_err *e)
{
	uint64_t addr;

	if (vm_kernel_symbol(c->k, name, &addr, e) < 0)
		return -1;
	if (vm_kread_u32(c->m, addr, v, e) < 0) {
		vm_err_prefix(e, "%s: ", name);
		return -1;
	}
	return 0;
}

static void total_ram(struct ctx *c)
{
	struct vm_meminfo *mi = c->mi;
	struct vm_err e;
	uint64_t v;

	if (read_sym(c, "_totalram_pages", &v, &e) == 0 && v)
		set(mi, VM_MI_TOTAL, v, "_totalram_pages");
	else if (read_sym(c, "totalram_pages", &v, &e) == 0 && v)
		set(mi, VM_MI_TOTAL, v, "totalram_pages");
	else if (c->have_nd && vm_nodes_managed(&c->nd))
		set(mi, VM_MI_TOTAL, vm_nodes_managed(&c->nd),
		    "the zones' managed_pages summed (no totalram_pages symbol)");
	else
		miss(mi, VM_MI_TOTAL, &e);
}

static void free_ram(struct ctx *c)
{
	uint64_t sum = 0;
	unsigned i, j;

	if (!c->have_nd)
		return;
	for (i = 0; i < c->nd.n; i++)
		for (j = 0; j < c->nd.node[i].nzones; j++)
			sum += c->nd.node[i].zone[j].nr_free;
	set(c->mi, VM_MI_FREE, sum, "the zones' vm_stat[NR_FREE_PAGES] summed");
}

/* ---- the mem_map walk: SHARED as crash counts it ---- */

struct walk {
	const struct vm_page_layout *pl;
	uint64_t shared, slab;
};

static int count_batch(void *ctx, uint64_t pfn, uint64_t page, const uint8_t *buf,
		       size_t n, struct vm_err *e)
{
	struct walk *w = ctx;
	const struct vm_page_layout *pl = w->pl;
	size_t i;

	for (i = 0; i < n; i++) {
		const uint8_t *p = buf + i * pl->psize;
		uint64_t flags = vm_fld_u(p, pl->psize, &pl->flags);
		int32_t count = (int32_t)vm_fld_u(p, pl->psize, &pl->refcount);
		uint32_t word = (uint32_t)vm_fld_u(p, pl->psize, &pl->mapcount);

		if (!(vm_fld_u(p, pl->psize, &pl->compound_head) & 1) &&
		    vm_page_is_slab(pl, flags, word))
			w->slab++;
		if (!vm_page_is_reserved(pl, flags) && count > 1)
			w->shared++;
	}
	return 0;
}

static void shared(struct ctx *c, unsigned flags)
{
	struct walk w = { .pl = &c->pl };
	struct vm_err e;

	if (flags & VM_MEMINFO_NO_SHARED) {
		vm_fail(&e, VM_EINVAL, "not counted (the mem_map walk was not asked for)");
		miss(c->mi, VM_MI_SHARED, &e);
		return;
	}
	if (!c->have_mm || !c->have_pl) {
		miss(c->mi, VM_MI_SHARED, &c->mm_err);
		return;
	}
	if (c->pl.pg_reserved < 0) {
		vm_fail(&e, VM_EMISMATCH, "enum pageflags has no PG_reserved");
		miss(c->mi, VM_MI_SHARED, &e);
		return;
	}
	if (vm_memmap_scan(&c->mm, count_batch, &w, &c->mi->memmap_unreadable, &e) < 0) {
		miss(c->mi, VM_MI_SHARED, &e);
		return;
	}
	set(c->mi, VM_MI_SHARED, w.shared,
	    "mem_map: pages not PG_reserved with _refcount > 1 (crash's count)");
	c->mi->slab_pages_flagged = w.slab;
}

/* ---- buffers: nr_blockdev_pages() ---- */

/* Without the symbol (kallsyms with text symbols only): every block
 * device inode is a struct bdev_inode in the bdev_cache slab cache, and
 * its vfs_inode.i_sb is blockdev_superblock.  An object is believed when
 * its superblock is "bdev" and lists the object's inode. */
#define BDEV_CANDIDATES 64

static bool bdev_sb_ok(struct ctx *c, uint64_t inode, uint64_t sb)
{
	struct vm_fld s_id, s_inodes, i_sb_list;
	struct vm_list_walk w;
	struct vm_err e;
	uint64_t node;
	char id[8];

	if (!sb || vm_fld_need(c->k, "super_block", "s_id", &s_id, &e) < 0 ||
	    vm_fld_need(c->k, "super_block", "s_inodes", &s_inodes, &e) < 0 ||
	    vm_fld_need(c->k, "inode", "i_sb_list", &i_sb_list, &e) < 0 ||
	    vm_kread_str(c->m, sb + s_id.off, id, sizeof(id), &e) < 0 || strcmp(id, "bdev"))
		return false;
	vm_list_init(&w, c->m, sb + s_inodes.off, 1u << 20, VM_LIST_CHECK_PREV);
	while (vm_list_next(&w, &node, &e) > 0)
		if (node == inode + i_sb_list.off)
			return true;
	return false;
}

static int bdev_sb_from_slab(struct ctx *c, uint64_t *sb, struct vm_err *e)
{
	struct vm_fld vfs_inode, i_sb;
	uint64_t obj[BDEV_CANDIDATES];
	struct vm_slub *s;
	size_t n = 0, i;
	int r = -1;

	if (!vm_kernel_text_only(c->k))
		return -1;          /* the symbol's absence is the answer's */
	if (vm_fld_need(c->k, "bdev_inode", "vfs_inode", &vfs_inode, e) < 0 ||
	    vm_fld_need(c->k, "inode", "i_sb", &i_sb, e) < 0)
		return -1;
	s = vm_slub_open(c->k, e);
	if (!s)
		return -1;
	if (vm_slub_objects(s, "bdev_cache", obj, BDEV_CANDIDATES, &n, e) == 0) {
		for (i = 0; i < n && r < 0; i++)
			if (vm_kread_u64(c->m, obj[i] + vfs_inode.off + i_sb.off, sb, e) == 0 &&
			    bdev_sb_ok(c, obj[i] + vfs_inode.off, *sb))
				r = 0;
		if (r < 0)
			vm_fail(e, VM_ENOENT, "none of %zu bdev_cache objects is an inode of a "
				"\"bdev\" superblock that lists it", n);
	}
	vm_slub_close(s);
	if (r < 0)
		vm_err_prefix(e, "no blockdev_superblock symbol, and from the bdev_cache slab: ");
	return r;
}

static int bdev_pages_v2(struct ctx *c, uint64_t *pages, struct vm_err *e)
{
	struct vm_fld s_inodes, i_sb_list, i_mapping, nrpages;
	struct vm_list_walk w;
	uint64_t sb, node, map, n;
	int r;

	/* v5.9+ (and back to v2.6.x kernels without all_bdevs): the block
	 * devices' inodes on blockdev_superblock->s_inodes */
	if (read_sym(c, "blockdev_superblock", &sb, e) < 0 && bdev_sb_from_slab(c, &sb, e) < 0)
		return -1;
	if (vm_fld_need(c->k, "super_block", "s_inodes", &s_inodes, e) < 0 ||
	    vm_fld_need(c->k, "inode", "i_sb_list", &i_sb_list, e) < 0 ||
	    vm_fld_need(c->k, "inode", "i_mapping", &i_mapping, e) < 0 ||
	    vm_fld_need(c->k, "address_space", "nrpages", &nrpages, e) < 0)
		return -1;
	*pages = 0;
	vm_list_init(&w, c->m, sb + s_inodes.off, 0, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, e)) > 0) {
		if (vm_kread_u64(c->m, node - i_sb_list.off + i_mapping.off, &map, e) < 0 ||
		    vm_kread_u64(c->m, map + nrpages.off, &n, e) < 0)
			return -1;
		*pages += n;
	}
	return r;
}

static int bdev_pages_v1(struct ctx *c, uint64_t *pages, struct vm_err *e)
{
	struct vm_fld bd_list, bd_inode, i_mapping, nrpages;
	struct vm_list_walk w;
	uint64_t head, node, inode, map, n;
	int r;

	/* before v5.9: struct block_device on all_bdevs */
	if (vm_kernel_symbol(c->k, "all_bdevs", &head, e) < 0)
		return -1;
	if (vm_fld_need(c->k, "block_device", "bd_list", &bd_list, e) < 0 ||
	    vm_fld_need(c->k, "block_device", "bd_inode", &bd_inode, e) < 0 ||
	    vm_fld_need(c->k, "inode", "i_mapping", &i_mapping, e) < 0 ||
	    vm_fld_need(c->k, "address_space", "nrpages", &nrpages, e) < 0)
		return -1;
	*pages = 0;
	vm_list_init(&w, c->m, head, 0, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, e)) > 0) {
		if (vm_kread_u64(c->m, node - bd_list.off + bd_inode.off, &inode, e) < 0 ||
		    vm_kread_u64(c->m, inode + i_mapping.off, &map, e) < 0 ||
		    vm_kread_u64(c->m, map + nrpages.off, &n, e) < 0)
			return -1;
		*pages += n;
	}
	return r;
}

static void buffers(struct ctx *c)
{
	struct vm_err e;
	uint64_t n;
	uint64_t addr;

	if (vm_kernel_symbol(c->k, "all_bdevs", &addr, &e) == 0) {
		if (bdev_pages_v1(c, &n, &e) == 0)
			set(c->mi, VM_MI_BUFFERS, n, "all_bdevs: block devices' nrpages");
		else
			miss(c->mi, VM_MI_BUFFERS, &e);
		return;
	}
	if (bdev_pages_v2(c, &n, &e) == 0)
		set(c->mi, VM_MI_BUFFERS, n, vm_kernel_text_only(c->k) ?
		    "blockdev_superblock's inodes' nrpages (the superblock from a bdev_cache object)" :
		    "blockdev_superblock's inodes' nrpages");
	else
		miss(c->mi, VM_MI_BUFFERS, &e);
}

/* ---- swap cache: NR_SWAPCACHE (v5.15+), else the swapper spaces ---- */

static int swapcache(struct ctx *c, uint64_t *pages, struct vm_err *e)
{
	struct vm_fld nrpages;
	uint64_t spaces, counts, asz;
	int64_t v;
	unsigned i, j;

	if (c->have_nst && vm_vmstat_get(&c->nst, "NR_SWAPCACHE", &v) == 0) {
		*pages = v > 0 ? (uint64_t)v : 0;
		return 0;
	}
	*pages = 0;
	if (vm_kernel_symbol(c->k, "swapper_spaces", &spaces, e) < 0)
		return 0;       /* no swap support: no swap cache */
	if (vm_fld_need(c->k, "address_space", "nrpages", &nrpages, e) < 0 ||
	    !(asz = vm_fld_sizeof(c->k, "address_space")))
		return -1;
	/* v4.11+: swapper_spaces[type] points to nr_swapper_spaces[type]
	 * address_spaces; before, swapper_spaces[] is the array itself */
	if (vm_kernel_symbol(c->k, "nr_swapper_spaces", &counts, e) == 0) {
		for (i = 0; i < SWAPFILES_MAX; i++) {
			uint32_t banks;
			uint64_t sa, n;

			if (vm_kread_u32(c->m, counts + 4ull * i, &banks, e) < 0 ||
			    vm_kread_u64(c->m, spaces + 8ull * i, &sa, e) < 0)
				return -1;
			if (!banks || !sa)
				continue;
			if (banks > (1u << 16))   /* 64 MiB of swap each: 4 TiB */
				return vm_fail(e, VM_ECORRUPT, "nr_swapper_spaces[%u] = %u", i, banks);
			for (j = 0; j < banks; j++) {
				if (vm_kread_u64(c->m, sa + j * asz + nrpages.off, &n, e) < 0)
					return -1;
				*pages += n;
			}
		}
		return 0;
	}
	for (i = 0; i < SWAPFILES_MAX; i++) {
		uint64_t n;

		if (vm_kread_u64(c->m, spaces + i * asz + nrpages.off, &n, e) < 0)
			return -1;
		*pages += n;
	}
	return 0;
}

static void cached(struct ctx *c)
{
	struct vm_meminfo *mi = c->mi;
	struct vm_err e;
	uint64_t swp;
	int64_t file, v;

	if (!c->have_nst || vm_vmstat_get(&c->nst, "NR_FILE_PAGES", &file) < 0) {
		if (!c->have_zst || vm_vmstat_get(&c->zst, "NR_FILE_PAGES", &file) < 0) {
			vm_fail(&e, VM_ENOENT, "no NR_FILE_PAGES counter");
			miss(mi, VM_MI_CACHED, &e);
			return;
		}
	}
	if (swapcache(c, &swp, &e) < 0 || !mi->have[VM_MI_BUFFERS]) {
		if (!mi->have[VM_MI_BUFFERS])
			e = mi->why[VM_MI_BUFFERS];
		miss(mi, VM_MI_CACHED, &e);
		return;
	}
	v = file - (int64_t)swp - (int64_t)mi->pages[VM_MI_BUFFERS];
	set(mi, VM_MI_CACHED, v > 0 ? (uint64_t)v : 0,
	    "NR_FILE_PAGES - swap cache - buffers");
}

static void slab(struct ctx *c)
{
	static const char *const names[][2] = {
		{ "NR_SLAB_RECLAIMABLE_B", "NR_SLAB_UNRECLAIMABLE_B" },  /* v5.9+ */
		{ "NR_SLAB_RECLAIMABLE", "NR_SLAB_UNRECLAIMABLE" },      /* v2.6.19+ */
		{ "NR_SLAB", NULL },
	};
	const struct vm_vmstat *st[2] = { c->have_nst ? &c->nst : NULL,
					  c->have_zst ? &c->zst : NULL };
	struct vm_err e;
	unsigned i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 2; j++) {
			int64_t a, b = 0;

			if (!st[j] || vm_vmstat_get(st[j], names[i][0], &a) < 0)
				continue;
			if (names[i][1] && vm_vmstat_get(st[j], names[i][1], &b) < 0)
				continue;
			set(c->mi, VM_MI_SLAB, (uint64_t)(a + b), names[i][0]);
			return;
		}
	vm_fail(&e, VM_ENOENT, "no NR_SLAB_* counter");
	miss(c->mi, VM_MI_SLAB, &e);
}

static void hugetlb(struct ctx *c)
{
	struct vm_fld order, nr, fr;
	uint64_t base, hsz, total = 0, freep = 0;
	uint32_t max = HSTATES_MAX, o;
	struct vm_err e;
	unsigned i;

	if (vm_kernel_symbol(c->k, "hstates", &base, &e) < 0) {
		/* a kallsyms without data symbols cannot tell; otherwise no
		 * hstates means no CONFIG_HUGETLBFS: no huge pages */
		if (vm_kernel_text_only(c->k) && vm_fld_sizeof(c->k, "hstate")) {
			miss(c->mi, VM_MI_HUGE_TOTAL, &e);
			miss(c->mi, VM_MI_HUGE_FREE, &e);
			return;
		}
		set(c->mi, VM_MI_HUGE_TOTAL, 0, "no hstates: no CONFIG_HUGETLBFS");
		set(c->mi, VM_MI_HUGE_FREE, 0, "no hstates: no CONFIG_HUGETLBFS");
		return;
	}
	hsz = vm_fld_sizeof(c->k, "hstate");
	if (!hsz || vm_fld_need(c->k, "hstate", "order", &order, &e) < 0 ||
	    vm_fld_need(c->k, "hstate", "nr_huge_pages", &nr, &e) < 0 ||
	    vm_fld_need(c->k, "hstate", "free_huge_pages", &fr, &e) < 0) {
		if (!hsz)
			vm_fail(&e, VM_EMISMATCH, "struct hstate: size unknown");
		miss(c->mi, VM_MI_HUGE_TOTAL, &e);
		miss(c->mi, VM_MI_HUGE_FREE, &e);
		return;
	}
	if (read_sym32(c, "hugetlb_max_hstate", &max, &e) < 0 || max > HSTATES_MAX)
		max = HSTATES_MAX;
	for (i = 0; i < max; i++) {
		uint64_t h = base + i * hsz, n, f;

		if (vm_kread_u32(c->m, h + order.off, &o, &e) < 0 ||
		    vm_kread_u64(c->m, h + nr.off, &n, &e) < 0 ||
		    vm_kread_u64(c->m, h + fr.off, &f, &e) < 0) {
			miss(c->mi, VM_MI_HUGE_TOTAL, &e);
			miss(c->mi, VM_MI_HUGE_FREE, &e);
			return;
		}
		if (!o || o > 30)
			continue;
		total += n << o;
		freep += f << o;
	}
	set(c->mi, VM_MI_HUGE_TOTAL, total, "hstates[]: nr_huge_pages << order");
	set(c->mi, VM_MI_HUGE_FREE, freep, "hstates[]: free_huge_pages << order");
}

static void swap(struct ctx *c)
{
	struct vm_fld flags, pages, inuse;
	uint64_t base, total = 0, used = 0;
	uint32_t nfiles;
	struct vm_err e;
	unsigned i;

	if (read_sym32(c, "nr_swapfiles", &nfiles, &e) < 0 ||
	    vm_kernel_symbol(c->k, "swap_info", &base, &e) < 0)
		goto fail;
	if (nfiles > SWAPFILES_MAX) {
		vm_fail(&e, VM_ECORRUPT, "nr_swapfiles is %u", nfiles);
		goto fail;
	}
	if (vm_fld_need(c->k, "swap_info_struct", "flags", &flags, &e) < 0 ||
	    vm_fld_need(c->k, "swap_info_struct", "pages", &pages, &e) < 0 ||
	    vm_fld_need(c->k, "swap_info_struct", "inuse_pages", &inuse, &e) < 0)
		goto fail;
	for (i = 0; i < nfiles; i++) {
		uint8_t buf[8];
		uint64_t si, f = 0, p = 0, u = 0;

		if (vm_kread_u64(c->m, base + 8ull * i, &si, &e) < 0)
			goto fail;
		if (!si)
			continue;
		if (vm_kread(c->m, si + flags.off, buf, flags.size > 8 ? 8 : flags.size, &e) < 0)
			goto fail;
		memcpy(&f, buf, flags.size > 8 ? 8 : flags.size);
		if (!(f & SWP_USED))
			continue;
		if (vm_kread(c->m, si + pages.off, &p, pages.size > 8 ? 8 : pages.size, &e) < 0 ||
		    vm_kread(c->m, si + inuse.off, &u, inuse.size > 8 ? 8 : inuse.size, &e) < 0)
			goto fail;
		total += p;
		used += u;
	}
	set(c->mi, VM_MI_SWAP_TOTAL, total, "swap_info[]: pages of SWP_USED devices");
	set(c->mi, VM_MI_SWAP_USED, used, "swap_info[]: inuse_pages");
	set(c->mi, VM_MI_SWAP_FREE, total - (used < total ? used : total), "TOTAL - USED");
	return;
fail:
	miss(c->mi, VM_MI_SWAP_TOTAL, &e);
	miss(c->mi, VM_MI_SWAP_USED, &e);
	miss(c->mi, VM_MI_SWAP_FREE, &e);
}

static void commit_limit(struct ctx *c)
{
	struct vm_meminfo *mi = c->mi;
	uint64_t kbytes = 0, allowed;
	uint32_t ratio;
	struct vm_err e;

	if (!mi->have[VM_MI_TOTAL] || !mi->have[VM_MI_HUGE_TOTAL] ||
	    !mi->have[VM_MI_SWAP_TOTAL]) {
		e = !mi->have[VM_MI_TOTAL] ? mi->why[VM_MI_TOTAL]
		    : !mi->have[VM_MI_HUGE_TOTAL] ? mi->why[VM_MI_HUGE_TOTAL]
						  : mi->why[VM_MI_SWAP_TOTAL];
		miss(mi, VM_MI_COMMIT_LIMIT, &e);
		return;
	}
	/* sysctl_overcommit_kbytes since v3.14; else the ratio */
	read_sym(c, "sysctl_overcommit_kbytes", &kbytes, &e);
	if (kbytes) {
		unsigned shift = (unsigned)__builtin_ctz(mi->page_size) - 10;

		allowed = kbytes >> shift;
	} else if (read_sym32(c, "sysctl_overcommit_ratio", &ratio, &e) == 0) {
		uint64_t ram = mi->pages[VM_MI_TOTAL], huge = mi->pages[VM_MI_HUGE_TOTAL];

		allowed = (ram > huge ? ram - huge : 0) * ratio / 100;
	} else {
		miss(mi, VM_MI_COMMIT_LIMIT, &e);
		return;
	}
	set(mi, VM_MI_COMMIT_LIMIT, allowed + mi->pages[VM_MI_SWAP_TOTAL],
	    kbytes ? "sysctl_overcommit_kbytes + swap" : "(ram - huge) * overcommit_ratio / 100 + swap");
}

static void committed(struct ctx *c)
{
	struct vm_meminfo *mi = c->mi;
	struct vm_fld count, counters;
	struct vm_percpu pc;
	struct vm_cpumask possible;
	uint64_t addr, ptr, a;
	int64_t sum;
	struct vm_err e;
	bool have_mask;
	unsigned cpu;

	if (vm_kernel_symbol(c->k, "vm_committed_as", &addr, &e) < 0 ||
	    vm_fld_need(c->k, "percpu_counter", "count", &count, &e) < 0 ||
	    vm_fld_need(c->k, "percpu_counter", "counters", &counters, &e) < 0 ||
	    vm_kread_u64(c->m, addr + count.off, (uint64_t *)&sum, &e) < 0 ||
	    vm_kread_u64(c->m, addr + counters.off, &ptr, &e) < 0) {
		miss(mi, VM_MI_COMMITTED, &e);
		return;
	}
	mi->committed_count = sum > 0 ? (uint64_t)sum : 0;
	mi->have_committed_count = true;
	if (ptr) {
		if (vm_percpu_open(c->k, &pc, &e) < 0) {
			vm_err_prefix(&e, "vm_committed_as per-CPU deltas: ");
			miss(mi, VM_MI_COMMITTED, &e);
			return;
		}
		have_mask = vm_cpumask_read(c->k, VM_CPUS_POSSIBLE, &possible, &e) == 0;
		/* every possible CPU: panic() took the others offline without
		 * folding their deltas, which /proc/meminfo summed a moment
		 * before (percpu_counter_sum() over the online CPUs) */
		for (cpu = 0; cpu < pc.nr_cpu_ids; cpu++) {
			uint32_t d;

			if (have_mask && !vm_cpumask_test(&possible, cpu))
				continue;
			if (pc.derived && !pc.offset[cpu])
				continue;
			if (vm_percpu_ptr(&pc, ptr, cpu, &a, &e) < 0 ||
			    vm_kread_u32(c->m, a, &d, &e) < 0) {
				vm_err_prefix(&e, "vm_committed_as delta of CPU %u: ", cpu);
				vm_percpu_close(&pc);
				miss(mi, VM_MI_COMMITTED, &e);
				return;
			}
			sum += (int32_t)d;
		}
		vm_percpu_close(&pc);
	}
	set(mi, VM_MI_COMMITTED, sum > 0 ? (uint64_t)sum : 0,
	    "vm_committed_as: count + every CPU's delta (percpu_counter_sum)");
}

int vm_meminfo_collect(struct vm_kernel *k, unsigned flags, struct vm_meminfo *mi,
		       struct vm_err *e)
{
	struct ctx c;
	struct vm_err re;
	unsigned i;

	memset(mi, 0, sizeof(*mi));
	memset(&c, 0, sizeof(c));
	c.k = k;
	c.mi = mi;
	c.m = vm_kernel_mem(k, e);
	if (!c.m)
		return -1;
	if (!vm_kernel_types(k, e)) {
		vm_err_prefix(e, "memory counters need the kernel's types: ");
		return -1;
	}
	mi->page_size = vm_mem_page_size(c.m);
	for (i = 0; i < VM_MI_NR; i++)
		vm_fail(&mi->why[i], VM_ENOENT, "not available");
	c.have_pl = vm_page_layout_init(k, &c.pl, &c.mm_err) == 0;
	c.have_mm = c.have_pl && vm_memmap_open(k, &c.mm, &c.mm_err) == 0;
	c.have_nd = vm_nodes_read(k, c.have_mm ? &c.mm : NULL, c.have_pl ? &c.pl : NULL,
				  &c.nd, &re) == 0;
	if (!c.have_nd) {
		miss(mi, VM_MI_FREE, &re);
		miss(mi, VM_MI_USED, &re);
	}
	c.have_zst = vm_vmstat_global(k, c.have_nd ? &c.nd : NULL, VM_VMSTAT_ZONE, &c.zst, &re) == 0;
	c.have_nst = vm_vmstat_global(k, c.have_nd ? &c.nd : NULL, VM_VMSTAT_NODE, &c.nst, &re) == 0;

	total_ram(&c);
	free_ram(&c);
	if (mi->have[VM_MI_TOTAL] && mi->have[VM_MI_FREE]) {
		uint64_t t = mi->pages[VM_MI_TOTAL], f = mi->pages[VM_MI_FREE];

		set(mi, VM_MI_USED, t > f ? t - f : 0, "TOTAL MEM - FREE");
	}
	shared(&c, flags);
	buffers(&c);
	cached(&c);
	slab(&c);
	hugetlb(&c);
	swap(&c);
	commit_limit(&c);
	committed(&c);

	if (c.have_nd)
		vm_nodes_free(&c.nd);
	if (c.have_mm)
		vm_memmap_close(&c.mm);
	if (c.have_pl)
		vm_page_layout_free(&c.pl);
	if (!mi->have[VM_MI_TOTAL]) {
		*e = mi->why[VM_MI_TOTAL];
		vm_err_prefix(e, "total memory: ");
		return -1;
	}
	return 0;
}
