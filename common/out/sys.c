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

/*
 * The machine view, one schema for -1 (tab-separated, a column each) and
 * --json (a key each): raw values, no decoration.  vmsys(1) documents the
 * columns in this order; new ones go at the end, so that `cut -f` and awk
 * scripts keep working.  Numbers are decimal, addresses and masks 0x-prefixed hex,
 * booleans true/false, times ISO 8601 UTC; a value the dump cannot tell is
 * "-" (-1) or absent (--json).
 */
enum raw_type { R_STR, R_NUM, R_ADDR, R_BOOL };  /* R_ADDR: also masks */

struct raw {
	const char *col;       /* -1 --header: "DUMPFILE" */
	const char *key;       /* --json: "dumpfile" */
	enum raw_type type;
	bool have;
	const char *s;         /* R_STR */
	int64_t n;             /* R_NUM, R_BOOL */
	uint64_t a;            /* R_ADDR */
};

enum {
	C_DUMPFILE, C_RELEASE, C_MACHINE, C_CPUS, C_DATE, C_UPTIME, C_TASKS,
	C_MEMORY, C_PANIC, C_PID, C_COMMAND, C_TASK, C_CPU, C_STATE, C_FORMAT,
	C_NODENAME, C_VERSION, C_LOADAVG, C_PAGESIZE, C_KERNEL, C_PARTIAL,
	C_OFFLINE, C_MHZ, C_TAINT, C_ERROR, C_NR
};

static const struct { const char *col, *key; enum raw_type type; } raw_cols[C_NR] = {
	[C_DUMPFILE] = { "DUMPFILE", "dumpfile", R_STR },
	[C_RELEASE] = { "RELEASE", "release", R_STR },
	[C_MACHINE] = { "MACHINE", "machine", R_STR },
	[C_CPUS] = { "CPUS", "cpus", R_NUM },
	[C_DATE] = { "DATE", "date", R_STR },
	[C_UPTIME] = { "UPTIME", "uptime", R_NUM },
	[C_TASKS] = { "TASKS", "tasks", R_NUM },
	[C_MEMORY] = { "MEMORY", "memory", R_NUM },
	[C_PANIC] = { "PANIC", "panic", R_STR },
	[C_PID] = { "PID", "pid", R_NUM },
	[C_COMMAND] = { "COMMAND", "command", R_STR },
	[C_TASK] = { "TASK", "task", R_ADDR },
	[C_CPU] = { "CPU", "cpu", R_NUM },
	[C_STATE] = { "STATE", "state", R_STR },
	[C_FORMAT] = { "FORMAT", "format", R_STR },
	[C_NODENAME] = { "NODENAME", "nodename", R_STR },
	[C_VERSION] = { "VERSION", "version", R_STR },
	[C_LOADAVG] = { "LOADAVG", "loadavg", R_STR },
	[C_PAGESIZE] = { "PAGESIZE", "pagesize", R_NUM },
	[C_KERNEL] = { "KERNEL", "kernel", R_STR },
	[C_PARTIAL] = { "PARTIAL", "partial", R_BOOL },
	[C_OFFLINE] = { "OFFLINE", "offline", R_NUM },
	[C_MHZ] = { "MHZ", "mhz", R_NUM },
	[C_TAINT] = { "TAINT", "taint", R_ADDR },
	[C_ERROR] = { "ERROR", "error", R_STR },
};

/* what raw values point to */
struct raw_bufs {
	char date[32], loadavg[64];
};

static void raw_num(struct raw *r, int64_t v)
{
	r->have = true;
	r->n = v;
}

static void raw_str(struct raw *r, const char *s)
{
	r->have = s != NULL;
	r->s = s;
}

static void raw_fill(struct raw *r, struct raw_bufs *b, const struct vm_sysinfo *si,
		     const char *dump, const char *error)
{
	int i;

	memset(r, 0, sizeof(*r) * C_NR);
	for (i = 0; i < C_NR; i++) {
		r[i].col = raw_cols[i].col;
		r[i].key = raw_cols[i].key;
		r[i].type = raw_cols[i].type;
	}
	raw_str(&r[C_DUMPFILE], dump);
	if (error) {
		raw_str(&r[C_ERROR], error);
		return;
	}
	raw_str(&r[C_FORMAT], si->format);
	raw_num(&r[C_PARTIAL], si->partial);
	raw_str(&r[C_KERNEL], si->vmlinux);
	if (si->have_release)
		raw_str(&r[C_RELEASE], si->release);
	if (si->have_machine)
		raw_str(&r[C_MACHINE], si->machine);
	if (si->mhz)
		raw_num(&r[C_MHZ], (int64_t)si->mhz);
	if (si->cpus > 0)
		raw_num(&r[C_CPUS], si->cpus);
	if (si->cpus > 0 && si->cpus_online >= 0 && si->cpus_online <= si->cpus)
		raw_num(&r[C_OFFLINE], si->cpus - si->cpus_online);
	if (si->have_time) {
		time_t t = (time_t)si->crash_time;
		struct tm tm;

		if (gmtime_r(&t, &tm) &&
		    strftime(b->date, sizeof(b->date), "%Y-%m-%dT%H:%M:%SZ", &tm))
			raw_str(&r[C_DATE], b->date);
	}
	if (si->have_uptime)
		raw_num(&r[C_UPTIME], (int64_t)(si->uptime_ns / 1000000000u));
	if (si->have_tasks)
		raw_num(&r[C_TASKS], (int64_t)si->tasks);
	if (si->memory_bytes)
		raw_num(&r[C_MEMORY], (int64_t)si->memory_bytes);
	if (si->have_panic)
		raw_str(&r[C_PANIC], si->panic);
	if (si->have_ptask) {
		raw_num(&r[C_PID], si->ptask_pid);
		raw_str(&r[C_COMMAND], si->ptask_comm);
		r[C_TASK].have = true;
		r[C_TASK].a = si->ptask;
		if (si->ptask_cpu >= 0)
			raw_num(&r[C_CPU], si->ptask_cpu);
		raw_str(&r[C_STATE], si->ptask_state);
	}
	if (si->have_nodename)
		raw_str(&r[C_NODENAME], si->nodename);
	if (si->have_version)
		raw_str(&r[C_VERSION], si->version);
	if (si->have_loadavg) {
		/* as /proc/loadavg: avenrun is fixed point, FSHIFT 11 bits
		 * (include/linux/sched/loadavg.h), rounded to 1/100 */
		uint64_t v[3];

		for (i = 0; i < 3; i++)
			v[i] = si->loadavg[i] + (1 << 11) / 200;
		snprintf(b->loadavg, sizeof(b->loadavg),
			 "%" PRIu64 ".%02" PRIu64 " %" PRIu64 ".%02" PRIu64 " %" PRIu64 ".%02" PRIu64,
			 v[0] >> 11, ((v[0] & 2047) * 100) >> 11,
			 v[1] >> 11, ((v[1] & 2047) * 100) >> 11,
			 v[2] >> 11, ((v[2] & 2047) * 100) >> 11);
		raw_str(&r[C_LOADAVG], b->loadavg);
	}
	if (si->page_size)
		raw_num(&r[C_PAGESIZE], si->page_size);
	if (si->have_taint) {
		r[C_TAINT].have = true;
		r[C_TAINT].a = si->taint;
	}
}

void vm_out_sys_header(FILE *out)
{
	int i;

	for (i = 0; i < C_NR; i++)
		fprintf(out, "%s%c", raw_cols[i].col, i + 1 < C_NR ? '\t' : '\n');
}

static void oneline(FILE *out, const struct raw *r)
{
	const char *p;
	int i;

	for (i = 0; i < C_NR; i++) {
		if (!r[i].have)
			fputc('-', out);
		else if (r[i].type == R_STR)
			/* a field never holds the separators; an empty one is "-" */
			for (p = *r[i].s ? r[i].s : "-"; *p; p++)
				fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, out);
		else if (r[i].type == R_ADDR)
			fprintf(out, "0x%" PRIx64, r[i].a);
		else if (r[i].type == R_BOOL)
			fputs(r[i].n ? "true" : "false", out);
		else
			fprintf(out, "%" PRId64, r[i].n);
		fputc(i + 1 < C_NR ? '\t' : '\n', out);
	}
}

void vm_out_sys_oneline(FILE *out, const struct vm_sysinfo *si, const char *dump)
{
	struct raw r[C_NR];
	struct raw_bufs b;

	raw_fill(r, &b, si, dump, NULL);
	oneline(out, r);
}

void vm_out_sys_oneline_failed(FILE *out, const char *dump, const char *error)
{
	struct raw r[C_NR];
	struct raw_bufs b;

	raw_fill(r, &b, NULL, dump, error);
	oneline(out, r);
}

void vm_out_sys_json(struct vm_json *j, const struct vm_sysinfo *si, const char *dump)
{
	struct raw r[C_NR];
	struct raw_bufs b;
	int i;

	raw_fill(r, &b, si, dump, NULL);
	vm_json_begin(j);
	for (i = 0; i < C_NR; i++) {
		if (!r[i].have)
			continue;
		switch (r[i].type) {
		case R_STR: vm_json_kstr(j, r[i].key, r[i].s); break;
		case R_ADDR: vm_json_khex(j, r[i].key, r[i].a); break;
		case R_BOOL: vm_json_kbool(j, r[i].key, r[i].n != 0); break;
		case R_NUM: vm_json_ki64(j, r[i].key, r[i].n); break;
		}
	}
	vm_json_end(j);
}
