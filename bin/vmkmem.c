// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmkmem — crash's `kmem`: where the memory went, and what an address is.
 *
 * Exit status: 0 everything asked was answered; 1 something was not (an
 * item of the table unknown, an address neither mapped nor in the dump, a
 * cache that does not exist, a walk cut short); what could be had is
 * printed, the reasons on stderr; 2 usage.
 */
#include "vmcore.h"

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

struct km {
	struct vm_cli c;
	enum vm_kmem_mode mode;
	struct vm_kmem_args a;
};

static void set_mode(struct km *km, enum vm_kmem_mode m)
{
	if (km->mode != VM_KMEM_INFO && km->mode != m)
		vm_cli_usage_error(&km->c, "-i, --slabs, --slab, --free, -z and --counters "
				   "exclude each other");
	km->mode = m;
}

int main(int argc, char **argv)
{
	struct km km = { .mode = VM_KMEM_INFO };
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	bool explicit_info = false;
	const char *arg;
	uint64_t v;
	int opt, i, status;

	vm_cli_init(&km.c, "vmkmem", usage, options, renamed, argc, argv);
	while ((opt = vm_cli_next(&km.c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_INFO: set_mode(&km, VM_KMEM_INFO); explicit_info = true; break;
		case VM_OPT_SLABS: set_mode(&km, VM_KMEM_SLABS); break;
		case VM_OPT_SLAB: set_mode(&km, VM_KMEM_SLAB); km.a.slab = arg; break;
		case VM_OPT_FREE: set_mode(&km, VM_KMEM_FREE); break;
		case VM_OPT_ZONES: set_mode(&km, VM_KMEM_ZONES); break;
		case VM_OPT_COUNTERS: set_mode(&km, VM_KMEM_COUNTERS); break;
		case VM_OPT_PHYSICAL: km.a.phys = true; break;
		case VM_OPT_NO_HEADER: km.a.no_header = true; break;
		case VM_OPT_SORT:
			if (!vm_out_kmem_sort_key_ok(arg))
				vm_cli_usage_error(&km.c, "--sort %s: not one of name, objsize, "
						   "allocated, total, slabs, ssize, memory", arg);
			km.a.sort = arg;
			break;
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&km.c, "no DUMP given");
	km.c.dump = argv[optind++];
	if (optind < argc) {
		if (km.mode != VM_KMEM_INFO || explicit_info)
			vm_cli_usage_error(&km.c, "ADDRESS arguments go without -i, --slabs, "
					   "--slab, --free, -z, --counters");
		km.mode = VM_KMEM_ADDR;
		km.a.addrs = argv + optind;
		km.a.naddrs = argc - optind;
		for (i = 0; i < km.a.naddrs; i++)
			if (!vm_cli_parse_hex(km.a.addrs[i], &v))
				vm_cli_usage_error(&km.c, "%s: not a hex address", km.a.addrs[i]);
	}
	if (km.a.sort && km.mode != VM_KMEM_SLABS)
		vm_cli_usage_error(&km.c, "--sort goes with --slabs");
	if (km.a.phys && km.mode != VM_KMEM_ADDR)
		vm_cli_usage_error(&km.c, "-P goes with ADDRESS arguments");
	k = vm_kernel_open(km.c.dump, &km.c.opts, &e);
	if (!k) {
		vm_cli_error(&km.c, &e);
		return vm_cli_exit(&km.c, VM_EXIT_FAIL);
	}
	status = vm_out_kmem(k, &km.c, km.mode, &km.a);
	vm_kernel_close(k);
	return vm_cli_exit(&km.c, status);
}
