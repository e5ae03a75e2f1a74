// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmsys — crash's `sys`: what the dump is and what the kernel was.
 *
 *   vmsys [options] DUMP...
 *
 * Any number of dumps, each answered on its own (-1: one line each, the
 * same columns for all; a dump that cannot be opened gets its line too,
 * with the reason in the ERROR column).
 *
 * Exit status: 0 every dump answered; 1 a dump could not be opened (or
 * nothing could be learnt from it), the others still answered; 2 usage.
 */
#include "vmcore.h"

static const char usage[] =
	"Usage: vmsys [options] DUMP...\n"
	"Print the system summary of kernel crash dumps, like crash's `sys`.\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_ONELINE, "one tab-separated line per dump, raw values (vmsys(1) "
	  "COLUMNS); no header unless --header" },
	{ VM_OPT_HEADER, "with -1: a header line first" },
	{ VM_OPT_NO_HEADER, "no header line (the default)" },
	{ VM_OPT_END, NULL },
};

enum mode { TEXT, ONELINE, JSON };

/* One dump: 0 answered, -1 not. */
static int one(struct vm_cli *c, const char *dump, enum mode m, bool first)
{
	struct vm_sysinfo si;
	struct vm_kernel *k;
	struct vm_err e = { 0 };

	c->dump = dump;
	k = vm_kernel_open(dump, &c->opts, &e);
	if (!k) {
		if (m == ONELINE)
			vm_out_sys_oneline_failed(stdout, dump, e.msg);
		vm_cli_error(c, &e);    /* stderr; --json: an error record */
		return -1;
	}
	vm_sysinfo_collect(k, &si);
	if (c->opts.verbose && si.why[0])
		vm_cli_warn(c, "%s: not known: %s", dump, si.why);
	if (m == JSON) {
		vm_out_sys_json(&c->j, &si, dump);
	} else if (m == ONELINE) {
		vm_out_sys_oneline(stdout, &si, dump);
	} else {
		if (!first)
			putchar('\n');
		vm_out_sys_text(stdout, &si, dump);
	}
	vm_kernel_close(k);
	return 0;
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	bool header = false;
	enum mode m = TEXT;
	const char *arg;
	int opt, i, status = VM_EXIT_OK;

	vm_cli_init(&c, "vmsys", usage, options, NULL, argc, argv);
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		if (opt == VM_OPT_ONELINE)
			m = ONELINE;
		else if (opt == VM_OPT_HEADER)
			header = true;
		else if (opt == VM_OPT_NO_HEADER)
			header = false;
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	if (c.json)
		m = JSON;
	if (m == ONELINE && header)
		vm_out_sys_header(stdout);
	for (i = optind; i < argc; i++) {
		if (one(&c, argv[i], m, i == optind) < 0)
			status = VM_EXIT_FAIL;
		/* each dump's lines out before the next is opened: a sweep
		 * piped on shows progress, and a crash loses nothing */
		fflush(stdout);
	}
	return vm_cli_exit(&c, status);
}
