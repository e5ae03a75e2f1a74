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
	if (km->c.opts.json) {
		vm_json_begin(km->j);
		vm_json_ku64(km->j, "page_size", mi.page_size);
		for (i = 0; i < VM_MI_NR; i++) {
			vm_json_key(km->j, vm_meminfo_key(i));
			mi.have[i] ? vm_json_u64(km->j, mi.pages[i]) : vm_json_null(km->j);
		}
		if (mi.have_committed_count)
			vm_json_ku64(km->j, "committed_count", mi.committed_count);
		vm_json_ku64(km->j, "slab_pages_flagged", mi.slab_pages_flagged);
		vm_json_end(km->j);
	} else {
		vm_kmem_text_info(stdout, &mi);
	}
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

static void json_cache(struct km *km, const struct vm_slab_cache *c)
{
	vm_json_begin(km->j);
	vm_json_khex(km->j, "cache", c->addr);
	vm_json_kstr(km->j, "name", c->name);
	vm_json_ku64(km->j, "objsize", c->objsize);
	vm_json_ku64(km->j, "size", c->size);
	if (c->counted) {
		vm_json_ku64(km->j, "allocated", c->allocated);
		vm_json_ku64(km->j, "total", c->total);
		vm_json_ku64(km->j, "slabs", c->slabs);
	}
	vm_json_ku64(km->j, "ssize", c->ssize);
	vm_json_end(km->j);
}

static const char *sort_key;

static uint64_t sort_val(const struct vm_slab_cache *c)
{
	switch (sort_key[0]) {
	case 'o': return c->objsize;
	case 'a': return c->allocated;
	case 't': return c->total;
	case 's': return sort_key[1] == 'l' ? c->slabs : c->ssize;
	default: return c->slabs * c->ssize;       /* memory */
	}
}

static int cmp_cache(const void *a, const void *b)
{
	const struct vm_slab_cache *x = *(const struct vm_slab_cache *const *)a;
	const struct vm_slab_cache *y = *(const struct vm_slab_cache *const *)b;

	if (!strcmp(sort_key, "name"))
		return strcmp(x->name, y->name);
	return sort_val(x) < sort_val(y) ? 1 : sort_val(x) > sort_val(y) ? -1 : 0;
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
			vm_kmem_text_cache_detail(stdout, &d);
			vm_slub_detail_free(&d);
		}
		return vm_slub_close(s);
	}
	v = calloc(n + 1, sizeof(*v));
	for (i = 0; v && i < n; i++)
		v[i] = &c[i];
	if (v && km->sort) {
		sort_key = km->sort;
		qsort(v, n, sizeof(*v), cmp_cache);
	}
	if (!km->c.opts.json && !km->no_header)
		vm_kmem_text_cache_header(stdout);
	for (i = 0; v && i < n; i++) {
		km->c.opts.json ? json_cache(km, v[i]) : vm_kmem_text_cache(stdout, v[i]);
		if (!v[i]->counted) {
			size_t nl = strlen(v[i]->name);
			bool named = !strncmp(v[i]->why.msg, v[i]->name, nl) &&
				     v[i]->why.msg[nl] == ':';

			vm_cli_errorf(&km->c, "%s%s%s", named ? "" : v[i]->name,
				      named ? "" : ": ", v[i]->why.msg);
			km->status = VM_EXIT_FAIL;
		}
	}
	free(v);
	vm_slub_close(s);
}

static void json_zone(struct km *km, const struct vm_zone *z, const struct vm_free_lists *fl,
		      const struct vm_vmstat *st, unsigned orders, unsigned mts)
{
	unsigned i, o, mt;

	vm_json_begin(km->j);
	vm_json_ki64(km->j, "node", z->node);
	vm_json_ku64(km->j, "zone", z->idx);
	vm_json_kstr(km->j, "name", z->name);
	vm_json_khex(km->j, "addr", z->addr);
	vm_json_ku64(km->j, "start_pfn", z->start_pfn);
	vm_json_ku64(km->j, "spanned", z->spanned);
	vm_json_ku64(km->j, "present", z->present);
	vm_json_ku64(km->j, "managed", z->managed);
	vm_json_ku64(km->j, "free", z->nr_free);
	if (z->have_wmark) {
		vm_json_ku64(km->j, "min", z->wmark[0]);
		vm_json_ku64(km->j, "low", z->wmark[1]);
		vm_json_ku64(km->j, "high", z->wmark[2]);
	}
	if (fl) {       /* blocks[order][migrate type] */
		vm_json_key(km->j, "free_blocks");
		vm_json_arr_begin(km->j);
		for (o = 0; o < orders; o++) {
			vm_json_arr_begin(km->j);
			for (mt = 0; mt < mts; mt++)
				vm_json_u64(km->j, fl->blocks[o][mt]);
			vm_json_arr_end(km->j);
		}
		vm_json_arr_end(km->j);
		vm_json_ku64(km->j, "free_pages_listed", fl->pages);
	}
	if (st) {
		vm_json_key(km->j, "vm_stat");
		vm_json_obj_begin(km->j);
		for (i = 0; i < st->n; i++)
			vm_json_ki64(km->j, st->name[i], st->value[i]);
		vm_json_obj_end(km->j);
	}
	vm_json_end(km->j);
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
				json_zone(km, zn, flp, stp, nd.nr_orders, nd.nr_migrate);
			else if (km->mode == M_FREE)
				vm_kmem_text_free_zone(stdout, &nd, &nd.node[i], zn, flp, !i && !z);
			else
				vm_kmem_text_zone(stdout, zn, stp);
		}
	if (km->mode == M_FREE && !km->c.opts.json) {
		printf("\nnr_free_pages: %" PRIu64 "  ", sum);
		printf(sum == found ? "(verified)\n" : "(found %" PRIu64 ")\n", found);
	}
	if (km->c.opts.verbose)
		vm_cli_warn(&km->c, "nodes: %s", nd.how);
	vm_nodes_free(&nd);
}

static void show_counters(struct km *km)
{
	static const char *const titles[] = { "VM_ZONE_STAT", "VM_NODE_STAT", "VM_EVENT_STATES" };
	struct vm_vmstat st[3];
	struct vm_nodes nd;
	struct vm_err e = { 0 }, ne = { 0 };
	bool have_nd = false, ok[3];
	size_t w = 0;
	unsigned i, j;

	for (i = 0; i < 3; i++) {
		ok[i] = vm_vmstat_global(km->k, have_nd ? &nd : NULL, i, &st[i], &e) == 0;
		if (!ok[i] && i < 2 && !have_nd && e.code == VM_ENOENT &&
		    (have_nd = vm_nodes_open(km->k, &nd, &ne) == 0))
			ok[i] = vm_vmstat_global(km->k, &nd, i, &st[i], &e) == 0;
		if (!ok[i])
			fail(km, &e);
		if (ok[i] && i < 2 && vm_kmem_text_name_width(&st[i]) > w)
			w = vm_kmem_text_name_width(&st[i]);
	}
	for (i = 0; i < 3; i++) {
		if (!ok[i])
			continue;
		if (km->c.opts.json) {
			for (j = 0; j < st[i].n; j++) {
				vm_json_begin(km->j);
				vm_json_kstr(km->j, "group", titles[i]);
				vm_json_kstr(km->j, "name", st[i].name[j]);
				vm_json_ki64(km->j, "value", st[i].value[j]);
				vm_json_end(km->j);
			}
			continue;
		}
		vm_kmem_text_vmstat(stdout, titles[i], &st[i],
				    i < 2 ? w : vm_kmem_text_name_width(&st[i]), i > 0);
		if (km->c.opts.verbose)
			vm_cli_warn(&km->c, "%s: %s", titles[i], st[i].how);
	}
	if (have_nd)
		vm_nodes_free(&nd);
}

static void addr_text(const struct vm_addr_info *a)
{
	printf("%-16" PRIx64 "  %-8s  ", a->addr, vm_addr_kind_name(a->kind));
	switch (a->kind) {
	case VM_ADDR_USER: printf("user-space address"); break;
	case VM_ADDR_STACK:
		if (a->cpu < 0)
			printf("stack of PID %" PRId32 " \"%s\" task %" PRIx64, a->pid, a->comm, a->task);
		else
			printf("%s stack of CPU %d", a->stack_kind, a->cpu);
		printf("  [%" PRIx64 "-%" PRIx64 ")", a->stack_lo, a->stack_hi);
		break;
	case VM_ADDR_SYMBOL:
		printf("%s+%" PRIu64 " (%c)%s%s%s%s", a->sym, a->sym_off, a->sym_type,
		       a->module[0] ? " [" : "", a->module, a->module[0] ? "]" : "",
		       a->past_size ? " (past its end)" : "");
		break;
	case VM_ADDR_SLAB:
		printf("%s  object %" PRIx64 "+%" PRIu64 "  size %u  %s", a->slab.cache.name,
		       a->slab.obj, a->vaddr - a->slab.obj, a->slab.cache.objsize,
		       !a->slab.in_object ? "(not in an object)" : a->slab.free ? "free" : "allocated");
		if (a->slab.free && a->slab.cpu >= 0)
			printf(" (cpu %d cache)", a->slab.cpu);
		printf("  slab %" PRIx64, a->slab.slab.slab);
		break;
	case VM_ADDR_VMALLOC: case VM_ADDR_MAPPED: case VM_ADDR_PAGE: case VM_ADDR_MEMMAP:
		break;
	default: printf("%s", a->why);
	}
	if (a->have_vmap)
		printf("%svmap %" PRIx64 "-%" PRIx64 "  size %" PRIu64 "  caller %s",
		       a->kind == VM_ADDR_VMALLOC ? "" : "  ", a->vmap.start, a->vmap.end,
		       a->vmap.end - a->vmap.start, a->caller[0] ? a->caller : "-");
	if (a->have_page)
		printf("%spage %" PRIx64 "  phys %" PRIx64 "  flags %" PRIx64 "%s%s%s  count %" PRId32
		       "  mapcount %" PRId32 "  mapping %" PRIx64 "%s%s%s",
		       a->kind == VM_ADDR_PAGE || a->kind == VM_ADDR_MEMMAP ? "" : "  ",
		       a->page.page, a->phys, a->page.flags, a->page_flags[0] ? " (" : "",
		       a->page_flags, a->page_flags[0] ? ")" : "", a->page.refcount,
		       a->page.mapcount, a->page.mapping, a->page_type ? "  type " : "",
		       a->page_type ? a->page_type : "", a->in_dump ? "" : "  (not in the dump)");
	else if (a->have_phys)
		printf("  phys %" PRIx64, a->phys);
	if (a->have_backing)
		printf("  (stored in page %" PRIx64 ", phys %" PRIx64 ")", a->backing_page,
		       a->backing_phys);
	putchar('\n');
}

static void addr_json(struct km *km, const struct vm_addr_info *a)
{
	struct vm_json *j = km->j;

	vm_json_begin(j);
	vm_json_khex(j, "addr", a->addr);
	vm_json_kstr(j, "kind", vm_addr_kind_name(a->kind));
	if (a->kind == VM_ADDR_STACK) {
		vm_json_kstr(j, "stack", a->stack_kind);
		vm_json_khex(j, "stack_lo", a->stack_lo);
		vm_json_khex(j, "stack_hi", a->stack_hi);
		a->cpu < 0 ? vm_json_ki64(j, "pid", a->pid) : vm_json_ki64(j, "cpu", a->cpu);
		if (a->cpu < 0)
			vm_json_kstr(j, "comm", a->comm), vm_json_khex(j, "task", a->task);
	}
	if (a->kind == VM_ADDR_SYMBOL) {
		vm_json_kstr(j, "symbol", a->sym);
		vm_json_ku64(j, "offset", a->sym_off);
		if (a->module[0])
			vm_json_kstr(j, "module", a->module);
		if (a->past_size)
			vm_json_kbool(j, "past_size", true);
	}
	if (a->have_slab) {
		vm_json_kstr(j, "cache", a->slab.cache.name);
		vm_json_khex(j, "cache_addr", a->slab.cache.addr);
		vm_json_khex(j, "object", a->slab.obj);
		vm_json_ku64(j, "objsize", a->slab.cache.objsize);
		vm_json_kbool(j, "in_object", a->slab.in_object);
		vm_json_kbool(j, "free", a->slab.free);
		if (a->slab.cpu >= 0)
			vm_json_ki64(j, "free_cpu", a->slab.cpu);
		vm_json_khex(j, "slab", a->slab.slab.slab);
	}
	if (a->have_vmap) {
		vm_json_khex(j, "vmap_area", a->vmap.va);
		vm_json_khex(j, "vm_struct", a->vmap.vm);
		vm_json_khex(j, "start", a->vmap.start);
		vm_json_khex(j, "end", a->vmap.end);
		vm_json_kstr(j, "caller", a->caller);
	}
	if (a->have_phys)
		vm_json_khex(j, "phys", a->phys);
	if (a->have_backing) {
		vm_json_khex(j, "backing_page", a->backing_page);
		vm_json_khex(j, "backing_phys", a->backing_phys);
	}
	if (a->have_page) {
		vm_json_khex(j, "page", a->page.page);
		vm_json_khex(j, "flags", a->page.flags);
		vm_json_kstr(j, "flag_names", a->page_flags);
		vm_json_ki64(j, "count", a->page.refcount);
		vm_json_ki64(j, "mapcount", a->page.mapcount);
		vm_json_khex(j, "mapping", a->page.mapping);
		vm_json_khex(j, "index", a->page.index);
		if (a->page_type)
			vm_json_kstr(j, "page_type", a->page_type);
		vm_json_kbool(j, "in_dump", a->in_dump);
	}
	if (a->why[0])
		vm_json_kstr(j, "why", a->why);
	vm_json_end(j);
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
		km->c.opts.json ? addr_json(km, &a) : addr_text(&a);
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
	static const char *const keys[] = { "name", "objsize", "allocated", "total", "slabs",
					     "ssize", "memory", NULL };
	struct km km;
	struct vm_err e = { 0 };
	bool explicit_info = false;
	const char *arg;
	int opt, i;

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
			for (i = 0; keys[i] && strcmp(keys[i], arg); i++)
				;
			if (!keys[i])
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
