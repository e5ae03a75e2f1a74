// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmkmem's answers (crash's kmem): each asks the kernel layer, prints text
 * (kmem_text.c) or JSON records (kmem_json.c), and reports what it could
 * not answer on the program's stderr through its vm_cli.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/addrinfo.h"
#include "../kernel/kernel.h"
#include "../vmcore.h"
#include "kmem_json.h"
#include "kmem_text.h"

struct km {
	struct vm_cli *c;
	struct vm_kernel *k;
	struct vm_json *j;
	enum vm_kmem_mode mode;
	const char *slab, *sort;
	bool no_header;
	int status;
};

static void fail(struct km *km, const struct vm_err *e)
{
	vm_cli_error(km->c, e);
	km->status = VM_EXIT_FAIL;
}

static void show_info(struct km *km)
{
	struct vm_meminfo mi;
	struct vm_err e = { 0 };
	unsigned i;

	if (vm_meminfo_collect(km->k, 0, &mi, &e) < 0)
		return fail(km, &e);
	if (km->c->json)
		vm_kmem_json_info(km->j, &mi);
	else
		vm_kmem_text_info(stdout, &mi);
	for (i = 0; i < VM_MI_NR; i++) {
		if (!mi.have[i]) {
			vm_cli_errorf(km->c, "%s: %s", vm_meminfo_label(i), mi.why[i].msg);
			km->status = VM_EXIT_FAIL;
		} else if (km->c->opts.verbose) {
			vm_cli_warn(km->c, "%s: %s", vm_meminfo_label(i), mi.src[i]);
		}
	}
	if (mi.memmap_unreadable)
		vm_cli_warn(km->c, "%s: SHARED: %" PRIu64 " struct pages not in the dump",
			    km->c->dump, mi.memmap_unreadable);
}

static void show_slabs(struct km *km)
{
	const struct vm_slab_cache *c, **v;
	struct vm_slab_detail d;
	struct vm_err e = { 0 };
	struct vm_slub *s = vm_slub_open(km->k, &e);
	size_t n, i;

	if (!s || vm_slub_caches(s, km->mode == VM_KMEM_SLABS, &c, &n, &e) < 0)
		return fail(km, &e), vm_slub_close(s);
	if (km->c->opts.verbose)
		vm_cli_warn(km->c, "slab: %s", vm_slub_how(s));
	if (km->mode == VM_KMEM_SLAB) {
		const struct vm_slab_cache *one = vm_slub_cache_named(s, km->slab);

		if (!one) {
			vm_cli_errorf(km->c, "no slab cache named %s", km->slab);
			km->status = VM_EXIT_FAIL;
		} else if (vm_slub_detail(s, one, &d, &e) < 0) {
			fail(km, &e);
		} else {
			if (km->c->json)
				vm_kmem_json_slab_detail(km->j, &d);
			else
				vm_kmem_text_cache_detail(stdout, &d);
			vm_slub_detail_free(&d);
		}
		return vm_slub_close(s);
	}
	v = calloc(n + 1, sizeof(*v));
	for (i = 0; v && i < n; i++)
		v[i] = &c[i];
	if (v && km->sort)
		vm_slab_sort(v, n, km->sort);
	if (!km->c->json && !km->no_header)
		vm_kmem_text_cache_header(stdout);
	for (i = 0; v && i < n; i++) {
		km->c->json ? vm_kmem_json_cache(km->j, v[i]) : vm_kmem_text_cache(stdout, v[i]);
		if (!v[i]->counted)
			fail(km, &v[i]->why);
	}
	free(v);
	vm_slub_close(s);
}

/* -f and -z: every zone of every node */
static void show_zones(struct km *km)
{
	struct vm_nodes nd;
	struct vm_err e = { 0 };
	uint64_t sum = 0, found = 0;
	unsigned i, z;

	if (vm_nodes_open(km->k, &nd, &e) < 0)
		return fail(km, &e);
	for (i = 0; i < nd.n; i++)
		for (z = 0; z < nd.node[i].nzones; z++) {
			const struct vm_zone *zn = &nd.node[i].zone[z];
			struct vm_free_lists fl, *flp = NULL;
			struct vm_vmstat st, *stp = NULL;

			if (km->mode == VM_KMEM_FREE && zn->nr_free) {
				if (vm_zone_free_lists(&nd, zn, &fl, &e) < 0) {
					fail(km, &e);
				} else {
					flp = &fl;
					found += fl.pages;
					if (fl.broken)
						fail(km, &fl.warn);
				}
			}
			sum += zn->nr_free;
			if (km->mode == VM_KMEM_ZONES && zn->spanned &&
			    vm_vmstat_local(km->k, &nd, VM_VMSTAT_ZONE, zn->addr, &st, &e) == 0)
				stp = &st;
			if (km->c->json)
				vm_kmem_json_zone(km->j, &nd, zn, flp, stp);
			else if (km->mode == VM_KMEM_FREE)
				vm_kmem_text_free_zone(stdout, &nd, &nd.node[i], zn, flp, !i && !z);
			else
				vm_kmem_text_zone(stdout, zn, stp);
		}
	if (km->mode == VM_KMEM_FREE && !km->c->json)
		vm_kmem_text_free_total(stdout, sum, found);
	if (km->c->opts.verbose)
		vm_cli_warn(km->c, "nodes: %s", nd.how);
	vm_nodes_free(&nd);
}

static void show_counters(struct km *km)
{
	/* crash's order; the NUMA counters of v4.14 .. v5.13 only */
	static const enum vm_vmstat_kind kind[] = { VM_VMSTAT_ZONE, VM_VMSTAT_NODE,
						    VM_VMSTAT_NUMA, VM_VMSTAT_EVENT };
	static const char *const titles[] = { "VM_ZONE_STAT", "VM_NODE_STAT", "VM_NUMA_STAT",
					      "VM_EVENT_STATES" };
	struct vm_vmstat st[4];
	struct vm_err e = { 0 };
	bool ok[4];
	unsigned i;

	for (i = 0; i < 4; i++) {
		ok[i] = vm_vmstat_global(km->k, NULL, kind[i], &st[i], &e) == 0;
		if (!ok[i] && !(kind[i] == VM_VMSTAT_NUMA && e.code == VM_EUNSUP))
			fail(km, &e);
		if (ok[i] && km->c->opts.verbose)
			vm_cli_warn(km->c, "%s: %s", titles[i], st[i].how);
		if (ok[i] && km->c->json)
			vm_kmem_json_counters(km->j, titles[i], &st[i]);
	}
	if (!km->c->json)
		vm_kmem_text_counters(stdout, titles, st, ok, 4);
}

static void show_addrs(struct km *km, char *const *args, int n, bool phys)
{
	struct vm_err e = { 0 };
	struct vm_addrinfo *ai = vm_addrinfo_open(km->k, &e);
	struct vm_addr_info a;
	int i, r, bad = 0;
	uint64_t v;

	if (!ai)
		return fail(km, &e);
	for (i = 0; i < n; i++) {
		vm_cli_parse_hex(args[i], &v);
		r = vm_addrinfo_lookup(ai, v, phys, &a, &e);
		if (r < 0) {
			struct vm_err pe = e;

			vm_fail(&e, pe.code, "%s: %s", args[i], pe.msg);
			vm_cli_error(km->c, &e);
			bad++;
			continue;
		}
		bad += r;
		km->c->json ? vm_kmem_json_addr(km->j, &a) : vm_kmem_text_addr(stdout, &a);
	}
	if (bad) {
		fflush(stdout);
		vm_cli_errorf(km->c, "%d of %d addresses not answered", bad, n);
		km->status = VM_EXIT_FAIL;
	}
	vm_addrinfo_close(ai);
}

int vm_out_kmem_sort_key_ok(const char *key)
{
	return vm_slab_sort(NULL, 0, key) == 0;
}

int vm_out_kmem(struct vm_kernel *k, struct vm_cli *c, enum vm_kmem_mode mode,
		const struct vm_kmem_args *a)
{
	struct km km = { .c = c, .k = k, .j = &c->j, .mode = mode, .slab = a->slab,
			 .sort = a->sort, .no_header = a->no_header, .status = VM_EXIT_OK };

	switch (mode) {
	case VM_KMEM_INFO: show_info(&km); break;
	case VM_KMEM_SLABS: case VM_KMEM_SLAB: show_slabs(&km); break;
	case VM_KMEM_FREE: case VM_KMEM_ZONES: show_zones(&km); break;
	case VM_KMEM_COUNTERS: show_counters(&km); break;
	case VM_KMEM_ADDR: show_addrs(&km, a->addrs, a->naddrs, a->phys); break;
	}
	return km.status;
}
