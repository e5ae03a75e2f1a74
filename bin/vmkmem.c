// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmkmem — crash's `kmem`: where the memory went, and what an address is.
 *
 * Exit status: 0 everything asked was answered; 1 something was not (an
 * item of the table unknown, an address neither mapped nor in the dump, a
 * cache that does not exist, a walk cut short); what could be had is
 * printed, the reasons on stderr; 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/addrinfo.h"
#include "kernel/kernel.h"
#include "kernel/kmem_text.h"
#include "out/cli.h"
#include "out/json.h"
#include "out/kmem_json.h"

static const char usage[] =
	"Usage: vmkmem [options] DUMP [ADDRESS...]\n"
	"Kernel memory of a crash dump, like crash's `kmem`: memory use (the default),\n"
	"slab caches, free lists, zones, counters; with ADDRESS (hex), what each\n"
	"address is (symbol, stack, slab object, page, vmalloc area, user).\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_INFO, "memory use (crash's kmem -i); the default without ADDRESS" },
	{ VM_OPT_SLABS, NULL },
	{ VM_OPT_SLAB, NULL },
	{ VM_OPT_SORT, "--slabs order: name, objsize, allocated, total, slabs, ssize "
		       "or memory (slabs * ssize); numbers largest first" },
	{ VM_OPT_FREE, NULL },
	{ VM_OPT_ZONES, NULL },
	{ VM_OPT_COUNTERS, NULL },
	{ VM_OPT_PHYSICAL, NULL },
	{ VM_OPT_NO_HEADER, "no column header (--slabs)" },
	{ VM_OPT_END, NULL },
};

/* crash's letters that mean something else in every program here */
static const struct vm_renamed renamed[] = {
	{ 's', "--slabs" }, { 'S', "--slab" }, { 'f', "--free" }, { 0, NULL },
};

enum mode { M_INFO, M_SLABS, M_SLAB, M_FREE, M_ZONES, M_COUNTERS, M_ADDR };

struct km {
	struct vm_cli c;
	struct vm_kernel *k;
	struct vm_json *j;
	enum mode mode;
	const char *slab, *sort;
	bool phys, no_header;
	int status;
};

static void fail(struct km *km, const struct vm_err *e)
{
	vm_cli_error(&km->c, e);
	km->status = VM_EXIT_FAIL;
}

static void show_info(struct km *km)
{
	struct vm_meminfo mi;
	struct vm_err e = { 0 };
	unsigned i;

	if (vm_meminfo_collect(km->k, 0, &mi, &e) < 0)
		return fail(km, &e);
	if (km->c.opts.json)
		vm_kmem_json_info(km->j, &mi);
	else
		vm_kmem_text_info(stdout, &mi);
	for (i = 0; i < VM_MI_NR; i++) {
		if (!mi.have[i]) {
			vm_cli_errorf(&km->c, "%s: %s", vm_meminfo_label(i), mi.why[i].msg);
			km->status = VM_EXIT_FAIL;
		} else if (km->c.opts.verbose) {
			vm_cli_warn(&km->c, "%s: %s", vm_meminfo_label(i), mi.src[i]);
		}
	}
	if (mi.memmap_unreadable)
		vm_cli_warn(&km->c, "%s: SHARED: %" PRIu64 " struct pages not in the dump",
			    km->c.opts.dump_path, mi.memmap_unreadable);
}

static void show_slabs(struct km *km)
{
	const struct vm_slab_cache *c, **v;
	struct vm_slab_detail d;
	struct vm_err e = { 0 };
	struct vm_slub *s = vm_slub_open(km->k, &e);
	size_t n, i;

	if (!s || vm_slub_caches(s, km->mode == M_SLABS, &c, &n, &e) < 0)
		return fail(km, &e), vm_slub_close(s);
	if (km->c.opts.verbose)
		vm_cli_warn(&km->c, "slab: %s", vm_slub_how(s));
	if (km->mode == M_SLAB) {
		const struct vm_slab_cache *one = vm_slub_cache_named(s, km->slab);

		if (!one) {
			vm_cli_errorf(&km->c, "no slab cache named %s", km->slab);
			km->status = VM_EXIT_FAIL;
		} else if (vm_slub_detail(s, one, &d, &e) < 0) {
			fail(km, &e);
		} else {
			if (km->c.opts.json)
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
	if (!km->c.opts.json && !km->no_header)
		vm_kmem_text_cache_header(stdout);
	for (i = 0; v && i < n; i++) {
		km->c.opts.json ? vm_kmem_json_cache(km->j, v[i]) : vm_kmem_text_cache(stdout, v[i]);
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

			if (km->mode == M_FREE && zn->nr_free) {
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
			if (km->mode == M_ZONES && zn->spanned &&
			    vm_vmstat_local(km->k, &nd, VM_VMSTAT_ZONE, zn->addr, &st, &e) == 0)
				stp = &st;
			if (km->c.opts.json)
				vm_kmem_json_zone(km->j, &nd, zn, flp, stp);
			else if (km->mode == M_FREE)
				vm_kmem_text_free_zone(stdout, &nd, &nd.node[i], zn, flp, !i && !z);
			else
				vm_kmem_text_zone(stdout, zn, stp);
		}
	if (km->mode == M_FREE && !km->c.opts.json)
		vm_kmem_text_free_total(stdout, sum, found);
	if (km->c.opts.verbose)
		vm_cli_warn(&km->c, "nodes: %s", nd.how);
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
		if (ok[i] && km->c.opts.verbose)
			vm_cli_warn(&km->c, "%s: %s", titles[i], st[i].how);
		if (ok[i] && km->c.opts.json)
			vm_kmem_json_counters(km->j, titles[i], &st[i]);
	}
	if (!km->c.opts.json)
		vm_kmem_text_counters(stdout, titles, st, ok, 4);
}

static void show_addrs(struct km *km, char **args, int n)
{
	struct vm_err e = { 0 };
	struct vm_addrinfo *ai = vm_addrinfo_open(km->k, &e);
	struct vm_addr_info a;
	int i, r, bad = 0;
	uint64_t v;

	for (i = 0; i < n; i++)
		if (!vm_cli_parse_hex(args[i], &v))
			vm_cli_usage_error(&km->c, "%s: not a hex address", args[i]);
	if (!ai)
		return fail(km, &e);
	for (i = 0; i < n; i++) {
		vm_cli_parse_hex(args[i], &v);
		r = vm_addrinfo_lookup(ai, v, km->phys, &a, &e);
		if (r < 0) {
			struct vm_err pe = e;

			vm_fail(&e, pe.code, "%s: %s", args[i], pe.msg);
			vm_cli_error(&km->c, &e);
			bad++;
			continue;
		}
		bad += r;
		km->c.opts.json ? vm_kmem_json_addr(km->j, &a) : vm_kmem_text_addr(stdout, &a);
	}
	if (bad) {
		fflush(stdout);
		vm_cli_errorf(&km->c, "%d of %d addresses not answered", bad, n);
		km->status = VM_EXIT_FAIL;
	}
	vm_addrinfo_close(ai);
}

static void set_mode(struct km *km, enum mode m)
{
	if (km->mode != M_INFO && km->mode != m)
		vm_cli_usage_error(&km->c, "-i, --slabs, --slab, --free, -z and --counters "
				   "exclude each other");
	km->mode = m;
}

int main(int argc, char **argv)
{
	struct km km;
	struct vm_err e = { 0 };
	bool explicit_info = false;
	const char *arg;
	int opt;

	memset(&km, 0, sizeof(km));
	vm_cli_init(&km.c, "vmkmem", usage, options, renamed, argc, argv);
	km.j = &km.c.j;
	while ((opt = vm_cli_next(&km.c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_INFO: set_mode(&km, M_INFO); explicit_info = true; break;
		case VM_OPT_SLABS: set_mode(&km, M_SLABS); break;
		case VM_OPT_SLAB: set_mode(&km, M_SLAB); km.slab = arg; break;
		case VM_OPT_FREE: set_mode(&km, M_FREE); break;
		case VM_OPT_ZONES: set_mode(&km, M_ZONES); break;
		case VM_OPT_COUNTERS: set_mode(&km, M_COUNTERS); break;
		case VM_OPT_PHYSICAL: km.phys = true; break;
		case VM_OPT_NO_HEADER: km.no_header = true; break;
		case VM_OPT_SORT:
			if (vm_slab_sort(NULL, 0, arg) < 0)
				vm_cli_usage_error(&km.c, "--sort %s: not one of name, objsize, "
						   "allocated, total, slabs, ssize, memory", arg);
			km.sort = arg;
			break;
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&km.c, "no DUMP given");
	km.c.opts.dump_path = argv[optind++];
	if (optind < argc) {
		if (km.mode != M_INFO || explicit_info)
			vm_cli_usage_error(&km.c, "ADDRESS arguments go without -i, --slabs, "
					   "--slab, --free, -z, --counters");
		km.mode = M_ADDR;
	}
	if (km.sort && km.mode != M_SLABS)
		vm_cli_usage_error(&km.c, "--sort goes with --slabs");
	if (km.phys && km.mode != M_ADDR)
		vm_cli_usage_error(&km.c, "-P goes with ADDRESS arguments");
	km.k = vm_kernel_open(&km.c.opts, &e);
	if (!km.k) {
		vm_cli_error(&km.c, &e);
		return vm_cli_exit(&km.c, VM_EXIT_FAIL);
	}
	switch (km.mode) {
	case M_INFO: show_info(&km); break;
	case M_SLABS: case M_SLAB: show_slabs(&km); break;
	case M_FREE: case M_ZONES: show_zones(&km); break;
	case M_COUNTERS: show_counters(&km); break;
	case M_ADDR: show_addrs(&km, argv + optind, argc - optind); break;
	}
	vm_kernel_close(km.k);
	return vm_cli_exit(&km.c, km.status);
}
