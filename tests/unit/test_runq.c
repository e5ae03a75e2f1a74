// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/kernel/runq.c on the fixture dumps:
 *   - x86: each CPU's run queue address, current task, RT prio array and
 *     CFS root and queued tasks, as common/out/runq.c prints them, equal
 *     to crash 8.0.2's runq, runq -t (rq clock, the current task's last
 *     arrival) and runq -m (the time between them) on the same dump
 *     (tests/ref/SCN/mods/runq*.txt, tests/ref/make-refs-mods.sh);
 *   - every fixture, x86 and arm64: what the dump itself proves: every
 *     task in state RU that is no CPU's current task is queued on exactly
 *     one run queue, that of its CPU, and every queued task is RU.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "kernel/runq.h"
#include "kernel/tasks.h"
#include "out/runq.h"

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

static char *ref(const char *scn, const char *name)
{
	char path[512], line[1024];
	size_t len = 0;
	char *out = NULL;
	FILE *f, *o;

	snprintf(path, sizeof(path), "tests/ref/%s/mods/%s.txt", scn, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	o = open_memstream(&out, &len);
	if (fgets(line, sizeof(line), f))          /* the "# crash ..." line */
		while (fgets(line, sizeof(line), f))
			fputs(line, o);
	fclose(o);
	fclose(f);
	return out;
}

static void same(char *got, char *want, const char *label)
{
	ok(want && !strcmp(got, want), "%s%s", label, want ? "" : " (no reference)");
	if (want && strcmp(got, want))
		printf("# got:\n%s# want:\n%s", got, want);
	free(got);
	free(want);
}

/* common/out/runq.c's text of view */
static char *fmt(const struct vm_runq *q, unsigned n, enum vm_runq_view view)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	vm_out_runq(f, NULL, q, n, view);
	fclose(f);
	return out;
}

/* RU tasks that are not running are queued on their CPU, and only they */
static void consistency(const char *label, struct vm_kernel *k, const struct vm_runq *q,
			unsigned n)
{
	struct vm_tasklist tl;
	struct vm_err e = { 0 };
	size_t i, j, ru = 0, queued = 0, bad = 0;
	unsigned c;
	char first[256] = "";

	if (vm_tasks_collect(k, VM_TASKS_NOMEM, &tl, &e) < 0) {
		ok(0, "%s: tasks: %s", label, e.msg);
		return;
	}
	for (c = 0; c < n; c++)
		for (j = 0; j < q[c].n; j++) {
			const struct vm_task_info *t = vm_tasklist_by_task(&tl, q[c].t[j].task);

			queued++;
			if (!t || strcmp(t->st, "RU") || t->cpu != (int)c) {
				if (!first[0])
					snprintf(first, sizeof(first), "queued %" PRIx64 " on CPU %u "
						 "is %s on CPU %d", q[c].t[j].task, c,
						 t ? t->st : "no task", t ? t->cpu : -1);
				bad++;
			}
		}
	for (i = 0; i < tl.n; i++) {
		const struct vm_task_info *t = &tl.t[i];
		size_t hits = 0;

		if (strcmp(t->st, "RU") || t->idle || t->active_cpu >= 0)
			continue;
		ru++;
		for (c = 0; c < n; c++)
			for (j = 0; j < q[c].n; j++)
				hits += q[c].t[j].task == t->task;
		if (hits != 1) {
			if (!first[0])
				snprintf(first, sizeof(first), "RU task PID %d queued %zu times",
					 t->pid, hits);
			bad++;
		}
	}
	ok(bad == 0 && queued == ru, "%s: %zu queued tasks = the %zu RU tasks not running, "
	   "each on its CPU%s%s", label, queued, ru, first[0] ? ": " : "", first);
	for (c = 0; c < n; c++) {
		const struct vm_task_info *t = vm_tasklist_by_task(&tl, q[c].curr);

		ok(q[c].rq && t && t->active_cpu == (int)c, "%s: CPU %u's curr %" PRIx64
		   " is the task the tasks layer found running there", label, c, q[c].curr);
	}
	vm_tasklist_free(&tl);
}

static void scenario(const char *label, const char *dump, const char *scn)
{
	struct vm_opts o = { 0 };
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	struct vm_runq *q;
	unsigned n, c;

	if (access(dump, R_OK)) {
		printf("# %s: %s absent, skipped\n", label, dump);
		return;
	}
	k = vm_kernel_open(dump, &o, &e);
	if (!k || vm_runqueues(k, &q, &n, &e) < 0) {
		ok(0, "%s: run queues: %s", label, e.msg);
		vm_kernel_close(k);
		return;
	}
	for (c = 0; c < n; c++)
		ok(!q[c].err[0], "%s: CPU %u's queues walked%s%s", label, c, q[c].err[0] ? ": " : "",
		   q[c].err);
	if (scn) {
		char l[256];

		snprintf(l, sizeof(l), "%s: runq as crash's", label);
		same(fmt(q, n, VM_RUNQ_QUEUES), ref(scn, "runq"), l);
		snprintf(l, sizeof(l), "%s: runq -t as crash's", label);
		same(fmt(q, n, VM_RUNQ_STAMPS), ref(scn, "runq-t"), l);
		snprintf(l, sizeof(l), "%s: runq -m as crash's", label);
		same(fmt(q, n, VM_RUNQ_SINCE), ref(scn, "runq-m"), l);
	}
	consistency(label, k, q, n);
	vm_runqueues_free(q, n);
	vm_kernel_close(k);
}

int main(void)
{
	const char *fix = getenv("VMCORE_FIXTURES");
	char p[1024];

	if (!fix)
		fix = "../shared/fixtures";
	if (access(fix, R_OK)) {
		printf("1..0 # SKIP corpus %s absent\n", fix);
		return 0;
	}
	snprintf(p, sizeof(p), "%s/x86_64-6.1/oops-module/vmcore.kdump-zlib", fix);
	scenario("oops-module", p, "oops-module");
	snprintf(p, sizeof(p), "%s/x86_64-6.1/bug-module/vmcore.kdump-snappy", fix);
	scenario("bug-module", p, "bug-module");
	snprintf(p, sizeof(p), "%s/x86_64-6.1/sysrq-c/vmcore.kdump-zstd", fix);
	scenario("sysrq-c", p, "sysrq-c");
	snprintf(p, sizeof(p), "%s/arm64-6.1-debian/vmcore.qemu-kdump-zlib", fix);
	scenario("arm64", p, NULL);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
