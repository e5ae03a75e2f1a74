// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/kernel/tasks.c, percpu.c, taskstate.c on the fixture
 * dumps (no vmlinux: kallsyms and BTF from the dump), against references
 * made by other tools:
 *   - the panic task = the task crash's `bt` shows (crash.txt's first PID:
 *     line), with crash's STATE for `sys`;
 *   - the task count = drgn's for_each_task() lines (drgn-ref.txt) + one
 *     idle task per CPU; crash's CPUS line gives present/offline CPUs;
 *   - per-CPU addresses: runqueues.idle of each CPU = drgn's idle tasks
 *     (tests/ref/SCN/drgn-tasks.txt);
 *   - btf_scan.c (how a kernel with text-only kallsyms gets its BTF): from
 *     kallsyms_token_index it finds exactly __start_BTF..__stop_BTF.
 * Skips when the corpus (VMCORE_FIXTURES, default ../shared/fixtures) is
 * absent.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/arch.h"
#include "kernel/btf_scan.h"
#include "kernel/kernel.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/tasks.h"
#include "kernel/taskstate.h"
#include "types/types.h"

static int failures, tests;

static void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		failures++;
}

struct crash_facts {
	int pid, cpu;
	uint64_t task;
	char comm[32];
	int cpus, offline;
};

/* crash.txt: CPUS: N [OFFLINE: M] and the first "PID:" line (bt) */
static int read_crash(const char *path, struct crash_facts *cf)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int got = 0;

	if (!f)
		return -1;
	memset(cf, 0, sizeof(*cf));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " CPUS: %d [OFFLINE: %d]", &cf->cpus, &cf->offline) >= 1)
			got |= 1;
		if (!(got & 2) &&
		    sscanf(line, "PID: %d TASK: %" SCNx64 " CPU: %d COMMAND: \"%31[^\"]\"",
			   &cf->pid, &cf->task, &cf->cpu, cf->comm) == 4)
			got |= 2;
	}
	fclose(f);
	return got == 3 ? 0 : -1;
}

static long count_drgn_tasks(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	long n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "# stack", 7))
			break;
		if (line[0] >= '0' && line[0] <= '9')
			n++;
	}
	fclose(f);
	return n;
}

/* drgn-tasks.txt: the TASK of PID 0 on cpu */
static uint64_t drgn_idle(const char *path, int cpu)
{
	FILE *f = fopen(path, "r");
	char line[512];
	uint64_t task, r = 0;
	int pid, ppid, c;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %d %d %" SCNx64, &pid, &ppid, &c, &task) == 4 &&
		    pid == 0 && c == cpu)
			r = task;
	fclose(f);
	return r;
}

static void scenario(const char *fix, const char *scn, const char *file)
{
	char dump[1024], crash[1024], drgn[1024], ref[1024];
	struct crash_facts cf;
	struct vm_opts o = { 0 };
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	struct vm_task_info pt, it;
	struct vm_cpumask present, online;
	struct vm_percpu pc;
	uint64_t listed, idle, n, rq, idle_task, init_task, off;
	long want;
	unsigned cpu;

	snprintf(dump, sizeof(dump), "%s/x86_64-6.1/%s/%s", fix, scn, file);
	snprintf(crash, sizeof(crash), "%s/x86_64-6.1/%s/crash.txt", fix, scn);
	snprintf(drgn, sizeof(drgn), "%s/x86_64-6.1/%s/drgn-ref.txt", fix, scn);
	snprintf(ref, sizeof(ref), "tests/ref/%s/drgn-tasks.txt", scn);
	if (access(dump, R_OK) || read_crash(crash, &cf) < 0) {
		printf("# %s: fixture or crash.txt missing, skipped\n", scn);
		return;
	}
	k = vm_kernel_open(dump, &o, &e);
	ok(k != NULL, "%s: open (%s)", scn, k ? "ok" : e.msg);
	if (!k)
		return;

	ok(vm_kernel_version(k, &e) == VM_KV(6, 1, 192), "%s: kernel version 6.1.192", scn);

	if (vm_panic_task(k, &pt, &e) < 0) {
		ok(0, "%s: panic task: %s", scn, e.msg);
	} else {
		ok(pt.pid == cf.pid && pt.task == cf.task && pt.active_cpu == cf.cpu &&
		   pt.cpu == cf.cpu && !strcmp(pt.comm, cf.comm),
		   "%s: panic task PID %d TASK %" PRIx64 " CPU %d \"%s\" as crash's bt "
		   "(got %d %" PRIx64 " %d \"%s\")", scn, cf.pid, cf.task, cf.cpu, cf.comm,
		   pt.pid, pt.task, pt.active_cpu, pt.comm);
		ok(!strcmp(pt.state_name, "TASK_RUNNING") && !strcmp(pt.st, "RU"),
		   "%s: panic task state TASK_RUNNING/RU (got %s/%s)", scn, pt.state_name, pt.st);
	}
	/* the log's "CPU: N PID: P" (what a text-only kallsyms falls back to) */
	{
		struct vm_printk *p = vm_printk_open_kernel(k, 0, &e);
		int lcpu = -1, lpid = -1, r = p ? vm_printk_panic_cpu(p, &lcpu, &lpid) : -1;

		ok(r == 1 && lcpu == cf.cpu && lpid == cf.pid,
		   "%s: the log's panic CPU %d PID %d as crash's bt (got %d: %d %d)", scn,
		   cf.cpu, cf.pid, r, lcpu, lpid);
		vm_printk_close(p);
	}

	want = count_drgn_tasks(drgn);
	if (vm_tasks_count2(k, &listed, &idle, &e) < 0) {
		ok(0, "%s: task count: %s", scn, e.msg);
	} else {
		ok((long)listed == want, "%s: %" PRIu64 " listed tasks = drgn's %ld", scn,
		   listed, want);
		ok((int)idle == cf.cpus, "%s: %" PRIu64 " idle tasks = crash's CPUS %d", scn,
		   idle, cf.cpus);
		int r = vm_tasks_count(k, &n, &e);

		ok(r == 0 && n == listed + idle,
		   "%s: vm_tasks_count = listed + idle = %" PRIu64, scn, n);
	}

	ok(vm_cpumask_read(k, VM_CPUS_PRESENT, &present, &e) == 0 &&
	   vm_cpumask_read(k, VM_CPUS_ONLINE, &online, &e) == 0 &&
	   (int)vm_cpumask_weight(&present) == cf.cpus &&
	   (int)(vm_cpumask_weight(&present) - vm_cpumask_weight(&online)) == cf.offline,
	   "%s: CPU masks: %d present, %d offline as crash's CPUS line", scn, cf.cpus,
	   cf.offline);

	if (vm_percpu_open(k, &pc, &e) < 0 ||
	    vm_kernel_offsetof(k, "rq", "idle", &off, NULL, &e) < 0) {
		ok(0, "%s: per-CPU: %s", scn, e.msg);
	} else {
		for (cpu = 0; cpu < pc.nr_cpu_ids; cpu++) {
			idle_task = 0;
			if (vm_percpu_lookup(&pc, "runqueues", cpu, &rq, &e) < 0 ||
			    vm_kread_u64(k->mem, rq + off, &idle_task, &e) < 0)
				printf("# %s\n", e.msg);
			ok(idle_task && idle_task == drgn_idle(ref, (int)cpu),
			   "%s: per_cpu(runqueues, %u).idle = drgn's idle task %" PRIx64, scn,
			   cpu, idle_task);
		}
		vm_percpu_close(&pc);
	}

	ok(vm_kernel_symbol(k, "init_task", &init_task, &e) == 0 &&
	   vm_task_read(k, init_task, &it, &e) == 0 && it.pid == 0 &&
	   !strcmp(it.comm, "swapper/0") && it.kthread,
	   "%s: init_task reads as PID 0 [swapper/0]", scn);
	vm_kernel_close(k);
}

static void states(void)
{
	struct vm_task_states ts;
	char b[3], name[96];

	/* no kernel: the v4.14+ layout */
	memset(&ts, 0, sizeof(ts));
	ts.interruptible = 1; ts.uninterruptible = 2; ts.stopped = 4; ts.traced = 8;
	ts.exit_dead = 0x10; ts.exit_zombie = 0x20; ts.parked = 0x40; ts.dead = 0x80;
	ts.wakekill = 0x100; ts.waking = 0x200; ts.noload = 0x400; ts.new_ = 0x800;
	ts.rtlock_wait = 0x1000; ts.freezable = 0x2000; ts.frozen = 0x8000;
	ok(!strcmp(vm_task_state_code(&ts, 0, 0, b), "RU"), "state 0 = RU");
	ok(!strcmp(vm_task_state_code(&ts, 0x1 | 0x2000, 0, b), "IN"), "S|FREEZABLE = IN");
	ok(!strcmp(vm_task_state_code(&ts, 0x402, 0, b), "ID"), "TASK_IDLE = ID");
	ok(!strcmp(vm_task_state_code(&ts, 0x102, 0, b), "UN"), "TASK_KILLABLE = UN");
	ok(!strcmp(vm_task_state_code(&ts, 0x104, 0, b), "ST"), "TASK_STOPPED = ST");
	ok(!strcmp(vm_task_state_code(&ts, 0x8, 0, b), "TR"), "TASK_TRACED = TR");
	ok(!strcmp(vm_task_state_code(&ts, 0x80, 0x20, b), "ZO"), "TASK_DEAD + EXIT_ZOMBIE = ZO");
	ok(!strcmp(vm_task_state_code(&ts, 0x80, 0x10, b), "DE"), "TASK_DEAD + EXIT_DEAD = DE");
	ok(!strcmp(vm_task_state_code(&ts, 0x40, 0, b), "PA"), "TASK_PARKED = PA");
	ok(!strcmp(vm_task_state_code(&ts, 0x200, 0, b), "WA"), "TASK_WAKING = WA");
	ok(!strcmp(vm_task_state_code(&ts, 0x800, 0, b), "NE"), "TASK_NEW = NE");
	ok(!strcmp(vm_task_state_code(&ts, 0x8000, 0, b), "UN"), "TASK_FROZEN = UN (kernel: D)");
	vm_task_state_name(&ts, 0x402, 0, name, sizeof(name));
	ok(!strcmp(name, "TASK_UNINTERRUPTIBLE|TASK_NOLOAD"), "name of TASK_IDLE (%s)", name);
	vm_task_state_name(&ts, 0, 0, name, sizeof(name));
	ok(!strcmp(name, "TASK_RUNNING"), "name of 0 (%s)", name);
}

static int take_parsed(void *ctx, const uint8_t *blob, size_t len, uint64_t va,
		       struct vm_err *e)
{
	struct vm_opts o = { 0 };
	struct vm_types *ts = vm_types_new(&o, e);
	int rc = ts ? vm_types_add_btf(ts, blob, len, "scan", e) : -1;

	vm_types_free(ts);
	if (rc == 0)
		*(size_t *)ctx = len;
	return rc;
}

static void btf_scan(const char *fix)
{
	char dump[1024];
	struct vm_opts o = { 0 };
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	uint64_t from, start, stop, where = 0;
	size_t len = 0;
	int rc;

	snprintf(dump, sizeof(dump), "%s/x86_64-6.1/oops-module/vmcore.kdump-zlib", fix);
	if (access(dump, R_OK) || !(k = vm_kernel_open(dump, &o, &e))) {
		printf("# btf scan: %s missing, skipped\n", dump);
		return;
	}
	if (vm_kernel_symbol(k, "kallsyms_token_index", &from, &e) < 0 ||
	    vm_kernel_symbol(k, "__start_BTF", &start, &e) < 0 ||
	    vm_kernel_symbol(k, "__stop_BTF", &stop, &e) < 0) {
		ok(0, "btf scan: symbols: %s", e.msg);
	} else {
		rc = vm_btf_scan(vm_kernel_mem(k, &e), from, 48u << 20, 256u << 20,
				 take_parsed, &len, &where, &e);
		ok(rc == 0 && where == start && len == stop - start,
		   "btf scan from kallsyms_token_index %#" PRIx64 ": %#" PRIx64 " + %zu "
		   "(__start_BTF %#" PRIx64 " + %" PRIu64 ")%s%s", from, where, len, start,
		   stop - start, rc ? ": " : "", rc ? e.msg : "");
		rc = vm_btf_scan(vm_kernel_mem(k, &e), stop, 1u << 20, 256u << 20,
				 take_parsed, &len, &where, &e);
		ok(rc < 0 && e.code == VM_ENOENT, "btf scan past __stop_BTF finds none (%s)",
		   rc ? e.msg : "found one");
		/* a start near the top of the address space: the scan covers
		 * its span and stops, va must not wrap to 0 and go on (a
		 * kallsyms harness finding: 2^64 - 128 never ended) */
		rc = vm_btf_scan(vm_kernel_mem(k, &e), UINT64_MAX - 127, 128u << 10,
				 256u << 20, take_parsed, &len, &where, &e);
		ok(rc < 0 && e.code == VM_ENOENT, "btf scan from 2^64 - 128 ends (%s)",
		   rc ? e.msg : "found one");
	}
	vm_kernel_close(k);
}

int main(void)
{
	const char *fix = getenv("VMCORE_FIXTURES");

	if (!fix)
		fix = "../shared/fixtures";
	states();
	scenario(fix, "sysrq-c", "vmcore.kdump-zstd");
	scenario(fix, "oops-module", "vmcore.kdump-zlib");
	scenario(fix, "bug-module", "vmcore.kdump-snappy");
	btf_scan(fix);
	printf("1..%d\n", tests);
	return failures != 0;
}
