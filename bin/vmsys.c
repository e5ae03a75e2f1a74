// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmsys — crash's `sys`: what the dump is and what the kernel was.
 *
 * Exit status: 0 all fields the dump can tell were printed; 1 the dump could
 * not be opened (or nothing could be learnt from it); 2 usage.
 */
#include "vmcore.h"

static const char usage[] =
	"Usage: vmsys [options] DUMP\n"
	"Print the system summary of a kernel crash dump, like crash's `sys`.\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_ONELINE, "one tab-separated line (for many dumps); no header "
	  "unless --header" },
	{ VM_OPT_HEADER, "with -1: a header line first" },
	{ VM_OPT_NO_HEADER, "no header line (the default)" },
	{ VM_OPT_END, NULL },
};

int main(int argc, char **argv)
{
	struct vm_cli c;
	struct vm_sysinfo si;
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	bool oneline = false, header = false;
	const char *arg;
	int opt;

	vm_cli_init(&c, "vmsys", usage, options, NULL, argc, argv);
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		if (opt == VM_OPT_ONELINE)
			oneline = true;
		else if (opt == VM_OPT_HEADER)
			header = true;
		else if (opt == VM_OPT_NO_HEADER)
			header = false;
	}
	if (optind + 1 != argc)
		vm_cli_usage_error(&c, optind >= argc ? "no DUMP given" : "too many arguments");
	c.dump = argv[optind];

	k = vm_kernel_open(c.dump, &c.opts, &e);
	if (!k) {
		vm_cli_error(&c, &e);
		return vm_cli_exit(&c, VM_EXIT_FAIL);
	}
	vm_sysinfo_collect(k, &si);
	if (c.opts.verbose && si.why[0])
		vm_cli_warn(&c, "not known: %s", si.why);
	if (c.json)
		vm_out_sys_json(&c.j, &si, c.dump);
	else if (oneline)
		vm_out_sys_oneline(stdout, &si, c.dump, header);
	else
		vm_out_sys_text(stdout, &si, c.dump);
	vm_kernel_close(k);
	return vm_cli_exit(&c, VM_EXIT_OK);
}
