// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/kernel/tasksel.c: task selection by state, command
 * regex and PID, and the per-state summary, on the x86 fixture dumps
 * against drgn's view of every task (x86_64-6.1/SCN/drgn-ref.txt: PID and
 * the kernel's state letter task_state_to_char() and comm), which lists
 * every task but the idle tasks (crash shows those as RU); and the
 * argument parsers' answers to bad input.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "kernel/tasks.h"
#include "kernel/tasksel.h"

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

struct dtask {
	int pid;
	char st[3];
	char comm[32];
};

/* the kernel's letter (fs/proc/array.c) as crash's code */
static const char *code_of(char c)
{
	switch (c) {
	case 'R': return "RU";
	case 'S': return "IN";
	case 'D': return "UN";
	case 'T': return "ST";
	case 't': return "TR";
	case 'Z': return "ZO";
	case 'X': return "DE";
	case 'P': return "PA";
	case 'I': return "ID";
	default: return "??";
	}
}

static int read_drgn(const char *path, struct dtask *d, int max)
{
	FILE *f = fopen(path, "r");
	char line[512], st[8];
	uint64_t task;
	int n = 0, ppid, cpu;

	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "# stack", 7))
			break;
		if (sscanf(line, "%d %d %d %" SCNx64 " %7s %*s %*s %31s", &d[n].pid, &ppid, &cpu,
			   &task, st, d[n].comm) == 6) {
			memcpy(d[n].st, code_of(st[0]), 3);
			n++;
		}
	}
	fclose(f);
	return n;
}

static void bad_input(void)
{
	struct vm_tasksel s;
	struct vm_err e = { 0 };

	vm_tasksel_init(&s);
	ok(vm_tasksel_states(&s, "UN,XX", &e) < 0 && e.code == VM_EINVAL &&
	   strstr(e.msg, "'XX'"), "unknown state XX refused (%s)", e.msg);
	ok(vm_tasksel_states(&s, "", &e) < 0, "empty state list refused");
	ok(vm_tasksel_states(&s, "UN,", &e) < 0, "state list ending in a comma refused");
	ok(vm_tasksel_states(&s, "RUN", &e) < 0, "three-letter state refused");
	ok(vm_tasksel_states(&s, "un,Ru", &e) == 0, "state codes in any case");
	ok(vm_tasksel_pids(&s, "1,x", &e) < 0, "PID 'x' refused (%s)", e.msg);
	ok(vm_tasksel_pids(&s, "5-2", &e) < 0, "reversed PID range refused");
	ok(vm_tasksel_pids(&s, "-1", &e) < 0, "negative PID refused");
	ok(vm_tasksel_pids(&s, "99999999999", &e) < 0, "PID past PID_MAX_LIMIT refused");
	ok(vm_tasksel_pids(&s, "1,2,", &e) < 0, "PID list ending in a comma refused");
	ok(vm_tasksel_comm(&s, "([a-z", &e) < 0 && e.code == VM_EINVAL,
	   "bad regex refused (%s)", e.msg);
	vm_tasksel_free(&s);
}

static void scenario(const char *fix, const char *scn, const char *file)
{
	static struct dtask d[4096];
	char dump[1024], ref[1024];
	struct vm_tasklist tl;
	struct vm_tasksel s;
	struct vm_state_count sc[32];
	struct vm_opts o = { 0 };
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	const char *const *c;
	size_t i, nsc, j;
	int nd, x;

	snprintf(dump, sizeof(dump), "%s/x86_64-6.1/%s/%s", fix, scn, file);
	snprintf(ref, sizeof(ref), "%s/x86_64-6.1/%s/drgn-ref.txt", fix, scn);
	nd = read_drgn(ref, d, 4096);
	if (access(dump, R_OK) || nd <= 0) {
		printf("# %s: fixture or drgn-ref.txt missing, skipped\n", scn);
		return;
	}
	k = vm_kernel_open(dump, &o, &e);
	if (!k || vm_tasks_collect(k, VM_TASKS_NOMEM, &tl, &e) < 0) {
		ok(0, "%s: tasks: %s", scn, e.msg);
		vm_kernel_close(k);
		return;
	}
	nsc = vm_tasks_summary(&tl, NULL, sc, 32);
	for (c = vm_task_state_codes; *c; c++) {
		size_t want = 0, got = 0, sum = 0;
		bool same = true;

		for (x = 0; x < nd; x++)
			want += !strcmp(d[x].st, *c);
		if (!strcmp(*c, "RU"))
			for (i = 0; i < tl.n; i++)
				want += tl.t[i].idle;
		vm_tasksel_init(&s);
		if (vm_tasksel_states(&s, *c, &e) < 0) {
			ok(0, "%s: %s: %s", scn, *c, e.msg);
			continue;
		}
		/* the same tasks, PID by PID */
		for (i = 0; i < tl.n; i++) {
			if (!vm_tasksel_match(&s, &tl.t[i]))
				continue;
			got++;
			if (tl.t[i].idle)
				continue;
			for (x = 0; x < nd && d[x].pid != tl.t[i].pid; x++)
				;
			if (x == nd || strcmp(d[x].st, *c))
				same = false;
		}
		for (j = 0; j < nsc; j++)
			if (!strcmp(sc[j].st, *c))
				sum = sc[j].n;
		if (want || got)
			ok(got == want && same && sum == want,
			   "%s: --state %s selects drgn's %zu tasks in that state (got %zu, "
			   "summary %zu)", scn, *c, want, got, sum);
		vm_tasksel_free(&s);
	}
	/* a regex on comm, and a PID list, as drgn's columns say */
	{
		size_t want = 0, got = 0;

		vm_tasksel_init(&s);
		if (vm_tasksel_comm(&s, "^kworker/[0-9]+:[0-9]+H?$", &e) == 0 &&
		    vm_tasksel_states(&s, "ID,IN", &e) == 0) {
			for (x = 0; x < nd; x++)
				want += !strncmp(d[x].comm, "kworker/", 8) &&
					strchr(d[x].comm + 8, ':') && !strchr(d[x].comm, '-') &&
					!strchr(d[x].comm, 'u') &&
					(!strcmp(d[x].st, "ID") || !strcmp(d[x].st, "IN"));
			for (i = 0; i < tl.n; i++)
				got += vm_tasksel_match(&s, &tl.t[i]);
			ok(want > 0 && got == want, "%s: --comm '^kworker/N:N' --state ID,IN: "
			   "%zu tasks as drgn's list (got %zu)", scn, want, got);
		}
		vm_tasksel_free(&s);
		vm_tasksel_init(&s);
		want = got = 0;
		if (vm_tasksel_pids(&s, "1,2,10-20", &e) == 0) {
			for (x = 0; x < nd; x++)
				want += d[x].pid == 1 || d[x].pid == 2 ||
					(d[x].pid >= 10 && d[x].pid <= 20);
			for (i = 0; i < tl.n; i++)
				got += vm_tasksel_match(&s, &tl.t[i]);
			ok(got == want, "%s: --pid 1,2,10-20: %zu tasks as drgn's list (got %zu)",
			   scn, want, got);
		}
		vm_tasksel_free(&s);
	}
	vm_tasklist_free(&tl);
	vm_kernel_close(k);
}

int main(void)
{
	const char *fix = getenv("VMCORE_FIXTURES");

	if (!fix)
		fix = "../shared/fixtures";
	bad_input();
	if (access(fix, R_OK) == 0) {
		scenario(fix, "oops-module", "vmcore.kdump-zlib");
		scenario(fix, "bug-module", "vmcore.kdump-snappy");
		scenario(fix, "sysrq-c", "vmcore.kdump-zstd");
	} else {
		printf("# corpus %s absent: fixture tests skipped\n", fix);
	}
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
