// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmsys's fields: crash's labels and layout (sys), the same values in a
 * fixed tab-separated order, and JSON.  Every field is optional: what the
 * dump cannot tell is left out (text), "-" (one line) or absent (JSON).
 */
#include "../vmcore.h"
#include "../kernel/sysinfo.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "format.h"

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

/* -1 puts what a sweep over many dumps sorts and greps by first. */
static const int oneline_order[F_NR] = {
	F_DUMPFILE, F_RELEASE, F_MACHINE, F_CPUS, F_DATE, F_UPTIME, F_TASKS,
	F_MEMORY, F_PANIC, F_PID, F_COMMAND, F_TASK, F_CPU, F_STATE, F_FORMAT,
	F_NODENAME, F_VERSION, F_LOADAVG, F_PAGESIZE, F_KERNEL,
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

static void fill_dump(const struct vm_sysinfo *si, const char *dump, struct field *f)
{
	char taint[32] = "";

	if (si->have_taint && si->taint)
		vm_format_taint(si->taint, taint, sizeof(taint));
	setf(&f[F_KERNEL], "%s%s%s%s",
	     si->vmlinux ? si->vmlinux : "(none: the dump's VMCOREINFO, kallsyms, BTF)",
	     taint[0] ? "  [TAINTED: " : "", taint, taint[0] ? "]" : "");
	setf(&f[F_DUMPFILE], "%s%s", dump, si->partial ? "  [PARTIAL DUMP]" : "");
	setf(&f[F_FORMAT], "%s", si->format);
}

static void fill_loadavg(const struct vm_sysinfo *si, struct field *f)
{
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
		vm_format_duration(si->uptime_ns, buf, sizeof(buf));
		setf(&f[F_UPTIME], "%s", buf);
	}
	if (si->have_loadavg)
		fill_loadavg(si, f);
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

static void fill(const struct vm_sysinfo *si, const char *dump, struct field *f)
{
	int i;

	memset(f, 0, sizeof(*f) * F_NR);
	for (i = 0; i < F_NR; i++) {
		f[i].key = labels[i][0];
		f[i].jkey = labels[i][1];
	}
	fill_dump(si, dump, f);
	fill_kernel(si, f);
}

void vm_out_sys_text(FILE *out, const struct vm_sysinfo *si, const char *dump)
{
	struct field f[F_NR];
	int i;

	fill(si, dump, f);
	for (i = 0; i < F_NR; i++)
		if (f[i].have)
			fprintf(out, "%12s: %s\n", f[i].key, f[i].val);
}

void vm_out_sys_oneline(FILE *out, const struct vm_sysinfo *si, const char *dump,
			bool header)
{
	struct field f[F_NR];
	const struct field *x;
	const char *p;
	int i;

	fill(si, dump, f);
	for (i = 0; header && i < F_NR; i++)
		fprintf(out, "%s%c", f[oneline_order[i]].key, i + 1 < F_NR ? '\t' : '\n');
	for (i = 0; i < F_NR; i++) {
		x = &f[oneline_order[i]];
		if (!x->have)
			fputc('-', out);
		for (p = x->val; x->have && *p; p++)
			fputc(*p == '\t' || *p == '\n' ? ' ' : *p, out);
		fputc(i + 1 < F_NR ? '\t' : '\n', out);
	}
}

void vm_out_sys_json(struct vm_json *j, const struct vm_sysinfo *si, const char *dump)
{
	struct field f[F_NR];
	int i;

	fill(si, dump, f);
	vm_json_begin(j);
	for (i = 0; i < F_NR; i++)
		if (f[i].have)
			vm_json_kstr(j, f[i].jkey, f[i].val);
	vm_json_kbool(j, "partial", si->partial);
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
