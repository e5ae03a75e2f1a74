// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmlog — the kernel log (printk buffer) of a crash dump, like
 * `makedumpfile --dump-dmesg` and crash's `log`.
 *
 * Exit status: 0 the log was printed (records that could not be read are
 * named on stderr); 1 no record could be read (no VMCOREINFO and no
 * debuginfo, unreadable buffers, dump not openable); 2 usage.
 */
#include "vmcore.h"

static const char usage[] =
	"Usage: vmlog [options] DUMP\n"
	"Print the kernel log of a crash dump, like makedumpfile --dump-dmesg\n"
	"and crash's `log`.\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_NO_TIME, NULL },
	{ VM_OPT_CTIME, "wall-clock timestamps (crash time minus uptime plus each "
	  "record's seconds; see vmlog(1))" },
	{ VM_OPT_LEVEL, NULL },
	{ VM_OPT_CALLER, NULL },
	{ VM_OPT_DICT, NULL },
	{ VM_OPT_END, NULL },
};

/* crash's letters that mean something else in every program here (-m is
 * System.map everywhere: crash's log -m is -L) */
static const struct vm_renamed renamed[] = {
	{ 'c', "-C" }, { 0, NULL },
};

/* -T: the wall clock at timestamp 0 = crash time - the last record's whole
 * seconds (crash uses jiffies-based uptime; the log's newest record is as
 * close to the crash as the dump records). */
static int boot_time(struct vm_kernel *k, const struct vm_printk *p, int64_t *boot,
		     struct vm_err *e)
{
	const char *src;
	int64_t t;
	uint64_t up;

	if (vm_crash_time(k, &t, &src, e) < 0)
		return -1;
	if (vm_printk_uptime(p, &up) < 0)
		up = 0;
	*boot = t - (int64_t)(up / 1000000000ULL);
	vm_kernel_note(k, "-T: boot time %lld from %s", (long long)*boot, src);
	return 0;
}

/* Lost records on stderr and, with --json, as error records. */
static void warn_lost(struct vm_cli *c, const struct vm_printk *p)
{
	char msg[512];
	size_t i;

	for (i = 0; i < vm_printk_nr_lost(p); i++) {
		vm_out_log_lost(vm_printk_lost(p, i), msg, sizeof(msg));
		vm_cli_warn(c, "%s: %s", c->dump, msg);
		if (c->json)
			vm_out_log_lost_json(&c->j, vm_printk_lost(p, i));
	}
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	struct vm_err e = { 0 };
	struct vm_kernel *k;
	struct vm_printk *p = NULL;
	struct vm_logprint *lp = NULL;
	const struct vm_printk_rec *r;
	const char *arg;
	unsigned flags = 0;
	int64_t boot = 0;
	size_t pos = 0;
	int opt, rc = VM_EXIT_FAIL;

	vm_cli_init(&c, "vmlog", usage, options, renamed, argc, argv);
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_NO_TIME: flags |= VM_LOGP_NO_TIME; break;
		case VM_OPT_CTIME: flags |= VM_LOGP_CTIME; break;
		case VM_OPT_LEVEL: flags |= VM_LOGP_LEVEL; break;
		case VM_OPT_CALLER: flags |= VM_LOGP_CALLER; break;
		case VM_OPT_DICT: flags |= VM_LOGP_DICT; break;
		}
	}
	if (optind + 1 != argc)
		vm_cli_usage_error(&c, optind < argc ? "one DUMP only" : "no DUMP given");
	c.dump = argv[optind];
	if ((flags & VM_LOGP_NO_TIME) && (flags & VM_LOGP_CTIME))
		vm_cli_usage_error(&c, "-t and -T exclude each other");

	k = vm_kernel_open(c.dump, &c.opts, &e);
	if (!k || !(p = vm_printk_open_kernel(k, c.json ? VM_PRINTK_WANT_SEQ : 0, &e))) {
		vm_cli_error(&c, &e);
		goto out;
	}
	vm_kernel_note(k, "log: %s, %zu records, %zu lost runs", vm_printk_kind(p),
		       vm_printk_count(p), vm_printk_nr_lost(p));
	if ((flags & VM_LOGP_CTIME) && boot_time(k, p, &boot, &e) < 0) {
		vm_cli_warn(&c, "%s: -T: no crash time in the dump (%s); showing seconds "
			    "since boot", c.dump, e.msg);
		flags &= ~(unsigned)VM_LOGP_CTIME;
	}
	lp = vm_logprint_open(stdout, c.json ? &c.j : NULL, flags, boot, &e);
	if (!lp) {
		vm_cli_error(&c, &e);
		goto out;
	}
	while ((r = vm_printk_next(p, &pos)))
		vm_logprint_rec(lp, r);
	vm_logprint_close(lp);
	warn_lost(&c, p);
	rc = !vm_printk_count(p) && vm_printk_nr_lost(p) ? VM_EXIT_FAIL : VM_EXIT_OK;
out:
	vm_printk_close(p);
	vm_kernel_close(k);
	return vm_cli_exit(&c, rc);
}
