// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmsys — crash's `sys`: what the dump is and what the kernel was.
 *
 * Exit status: 0 all fields the dump can tell were printed; 1 the dump could
 * not be opened (or nothing could be learnt from it); 2 usage.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/kernel.h"
#include "kernel/sysinfo.h"
#include "out/cli.h"
#include "out/json.h"

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

struct field {
	const char *key;      /* crash's label */
	const char *jkey;     /* JSON key */
	char val[512];
	bool have;
};

enum {
	F_KERNEL, F_DUMPFILE, F_FORMAT, F_CPUS, F_DATE, F_UPTIME, F_LOADAVG,
	F_TASKS, F_NODENAME, F_RELEASE, F_VERSION, F_MACHINE, F_MEMORY,
	F_PAGESIZE, F_PANIC, F_PID, F_COMMAND, F_TASK, F_CPU, F_STATE, F_NR
};

static const char *const labels[F_NR][2] = {
	{ "KERNEL", "kernel" }, { "DUMPFILE", "dumpfile" }, { "FORMAT", "format" },
	{ "CPUS", "cpus" }, { "DATE", "date" }, { "UPTIME", "uptime" },
	{ "LOAD AVERAGE", "load_average" }, { "TASKS", "tasks" },
	{ "NODENAME", "nodename" },
	{ "RELEASE", "release" }, { "VERSION", "version" },
	{ "MACHINE", "machine" }, { "MEMORY", "memory" },
	{ "PAGESIZE", "pagesize" }, { "PANIC", "panic" },
	{ "PID", "pid" }, { "COMMAND", "command" }, { "TASK", "task" },
	{ "CPU", "cpu" }, { "STATE", "state" },
};

static void setf(struct field *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void setf(struct field *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->val, sizeof(f->val), fmt, ap);
	va_end(ap);
	f->have = true;
}

static void fill_dump(struct vm_kernel *k, const struct vm_cli *c,
		      const struct vm_sysinfo *si, struct field *f)
{
	const struct vm_dump_info *di = vm_dump_info(k->dump);
	char fmt[512], taint[32] = "";

	if (si->have_taint && si->taint)
		vm_format_taint(si->taint, taint, sizeof(taint));
	setf(&f[F_KERNEL], "%s%s%s%s",
	     k->vmlinux_path ? k->vmlinux_path : "(none: the dump's VMCOREINFO, kallsyms, BTF)",
	     taint[0] ? "  [TAINTED: " : "", taint, taint[0] ? "]" : "");
	setf(&f[F_DUMPFILE], "%s%s", c->opts.dump_path,
	     di->partial ? "  [PARTIAL DUMP]" : "");
	vm_dump_describe(k->dump, fmt, sizeof(fmt));
	setf(&f[F_FORMAT], "%s", fmt);
}

static void fill_kernel(const struct vm_sysinfo *si, struct field *f)
{
	char buf[64];

	if (si->cpus > 0) {
		if (si->cpus_online >= 0 && si->cpus_online < si->cpus)
			setf(&f[F_CPUS], "%d [OFFLINE: %d]", si->cpus,
			     si->cpus - si->cpus_online);
		else
			setf(&f[F_CPUS], "%d", si->cpus);
	}
	if (si->have_time) {
		time_t t = (time_t)si->crash_time;
		struct tm tm;

		if (localtime_r(&t, &tm) &&
		    strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Z %Y", &tm))
			setf(&f[F_DATE], "%s", buf);
	}
	if (si->have_uptime) {
		uint64_t s = si->uptime_ns / 1000000000ULL;
		uint64_t d = s / 86400;

		s %= 86400;
		if (d)
			setf(&f[F_UPTIME], "%" PRIu64 " days, %02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			     d, s / 3600, s / 60 % 60, s % 60);
		else
			setf(&f[F_UPTIME], "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			     s / 3600, s / 60 % 60, s % 60);
	}
	if (si->have_loadavg) {
		/* avenrun is fixed point with FSHIFT 11 bits (include/linux/sched/loadavg.h);
		 * round to 1/100 as /proc/loadavg does. */
		uint64_t v[3];
		int i;

		for (i = 0; i < 3; i++)
			v[i] = si->loadavg[i] + (1 << 11) / 200;
		setf(&f[F_LOADAVG], "%" PRIu64 ".%02" PRIu64 ", %" PRIu64 ".%02" PRIu64 ", %" PRIu64 ".%02" PRIu64,
		     v[0] >> 11, ((v[0] & 2047) * 100) >> 11,
		     v[1] >> 11, ((v[1] & 2047) * 100) >> 11,
		     v[2] >> 11, ((v[2] & 2047) * 100) >> 11);
	}
	if (si->have_nodename)
		setf(&f[F_NODENAME], "%s", si->nodename);
	if (si->have_release)
		setf(&f[F_RELEASE], "%s", si->release);
	if (si->have_version)
		setf(&f[F_VERSION], "%s", si->version);
	if (si->have_machine) {
		if (si->mhz)
			setf(&f[F_MACHINE], "%s  (%" PRIu64 " Mhz)", si->machine, si->mhz);
		else
			setf(&f[F_MACHINE], "%s  (unknown Mhz)", si->machine);
	}
	if (si->memory_bytes) {
		vm_format_size(si->memory_bytes, buf, sizeof(buf));
		setf(&f[F_MEMORY], "%s", buf);
	}
	if (si->page_size)
		setf(&f[F_PAGESIZE], "%u", si->page_size);
	if (si->have_panic)
		setf(&f[F_PANIC], "\"%s\"%s", si->panic,
		     strstr(si->panic, "Oops: ") ? " (check log for details)" : "");
	if (si->have_tasks)
		setf(&f[F_TASKS], "%" PRIu64, si->tasks);
	if (si->have_ptask) {
		setf(&f[F_PID], "%d", si->ptask_pid);
		setf(&f[F_COMMAND], "\"%s\"", si->ptask_comm);
		setf(&f[F_TASK], "%" PRIx64, si->ptask);
		if (si->ptask_cpu >= 0)
			setf(&f[F_CPU], "%d", si->ptask_cpu);
		setf(&f[F_STATE], "%s (PANIC)", si->ptask_state);
	}
}

static void print_text(const struct field *f)
{
	int i;

	for (i = 0; i < F_NR; i++)
		if (f[i].have)
			printf("%12s: %s\n", f[i].key, f[i].val);
}

/* -1 puts what a sweep over many dumps sorts and greps by first. */
static const int oneline_order[F_NR] = {
	F_DUMPFILE, F_RELEASE, F_MACHINE, F_CPUS, F_DATE, F_UPTIME, F_TASKS,
	F_MEMORY, F_PANIC, F_PID, F_COMMAND, F_TASK, F_CPU, F_STATE, F_FORMAT,
	F_NODENAME, F_VERSION, F_LOADAVG, F_PAGESIZE, F_KERNEL,
};

static void print_oneline(const struct field *f, bool header)
{
	const struct field *x;
	const char *p;
	int i;

	for (i = 0; header && i < F_NR; i++)
		printf("%s%c", f[oneline_order[i]].key, i + 1 < F_NR ? '\t' : '\n');
	for (i = 0; i < F_NR; i++) {
		x = &f[oneline_order[i]];
		if (!x->have)
			fputc('-', stdout);
		for (p = x->val; x->have && *p; p++)
			fputc(*p == '\t' || *p == '\n' ? ' ' : *p, stdout);
		fputc(i + 1 < F_NR ? '\t' : '\n', stdout);
	}
}

static void print_json(struct vm_json *jw, struct vm_kernel *k,
		       const struct vm_sysinfo *si, const struct field *f)
{
	const struct vm_dump_info *di = vm_dump_info(k->dump);
	struct vm_json *j = jw;
	int i;

	vm_json_begin(j);
	for (i = 0; i < F_NR; i++)
		if (f[i].have)
			vm_json_kstr(j, f[i].jkey, f[i].val);
	vm_json_kbool(j, "partial", di->partial);
	if (si->cpus > 0)
		vm_json_ki64(j, "nr_cpus", si->cpus);
	if (si->cpus_online >= 0)
		vm_json_ki64(j, "nr_cpus_online", si->cpus_online);
	if (si->have_time)
		vm_json_ki64(j, "crash_time", si->crash_time);
	if (si->have_uptime)       /* ns: a string (vmcoreutils(7)) */
		vm_json_kdec(j, "uptime_ns", si->uptime_ns);
	if (si->memory_bytes)
		vm_json_ku64(j, "memory_bytes", si->memory_bytes);
	if (si->mhz)
		vm_json_ku64(j, "mhz", si->mhz);
	if (si->have_taint)
		vm_json_ku64(j, "taint", si->taint);
	if (si->have_panic)
		vm_json_kstr(j, "panic_message", si->panic);
	if (si->have_tasks) {
		vm_json_ku64(j, "nr_tasks", si->tasks);
		vm_json_ku64(j, "nr_threads_listed", si->tasks_listed);
	}
	if (si->have_ptask) {
		vm_json_ki64(j, "panic_pid", si->ptask_pid);
		vm_json_khex(j, "panic_task", si->ptask);
		vm_json_ki64(j, "panic_cpu", si->ptask_cpu);
	}
	vm_json_end(j);
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	struct field f[F_NR];
	struct vm_sysinfo si;
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	bool oneline = false, header = false;
	const char *arg;
	int opt, i;

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
	c.opts.dump_path = argv[optind];

	k = vm_kernel_open(&c.opts, &e);
	if (!k) {
		vm_cli_error(&c, &e);
		return vm_cli_exit(&c, VM_EXIT_FAIL);
	}
	vm_sysinfo_collect(k, &si);
	if (c.opts.verbose && si.why[0])
		vm_cli_warn(&c, "not known: %s", si.why);
	memset(f, 0, sizeof(f));
	for (i = 0; i < F_NR; i++) {
		f[i].key = labels[i][0];
		f[i].jkey = labels[i][1];
	}
	fill_dump(k, &c, &si, f);
	fill_kernel(&si, f);
	if (c.opts.json)
		print_json(&c.j, k, &si, f);
	else if (oneline)
		print_oneline(f, header);
	else
		print_text(f);
	vm_kernel_close(k);
	return vm_cli_exit(&c, VM_EXIT_OK);
}
