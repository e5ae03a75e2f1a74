// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmps — crash's `ps`: every task of the dumped kernel.
 *
 * Exit status: 0 every task was listed (and every selector matched);
 * 1 the task list could not be walked, was cut short by a loop or a corrupt
 * pointer (what was readable is printed, the reason on stderr), or a
 * selected PID/task/command does not exist; 2 usage.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/runq.h"
#include "kernel/tasks.h"
#include "kernel/tasksel.h"
#include "out/cli.h"
#include "out/json.h"
#include "out/runq.h"

static const char usage[] =
	"Usage: vmps [options] DUMP [PID|TASK|COMMAND|PIDLIST...]\n"
	"       vmps --runq [--last-run|--times] DUMP\n"
	"List the tasks of a kernel crash dump, like crash's `ps`.\n"
	"Arguments select tasks: a decimal PID, a task_struct address (hex), a\n"
	"command name, or a PID list (1,93-98).  '>' marks the task each CPU was\n"
	"running.\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_PARENTS, NULL },
	{ VM_OPT_CHILDREN, NULL },
	{ VM_OPT_THREADS, NULL },
	{ VM_OPT_TIMES, NULL },
	{ VM_OPT_LAST_RUN, NULL },
	{ VM_OPT_SUMMARY, NULL },
	{ VM_OPT_RUNQ, "each CPU's run queue (crash's runq); with --last-run the rq "
	  "clock and last-run stamps (runq -t), with --times how long each has run "
	  "or waited (runq -m)" },
	{ VM_OPT_STATE, NULL },
	{ VM_OPT_COMM, NULL },
	{ VM_OPT_KTHREADS, "kernel threads only (crash's ps -k)" },
	{ VM_OPT_USER, NULL },
	{ VM_OPT_LEADERS, NULL },
	{ VM_OPT_ACTIVE, "only the tasks running on a CPU" },
	{ VM_OPT_NO_HEADER, "no column header" },
	{ VM_OPT_END, NULL },
};

/* crash's letters that mean something else in every program here */
static const struct vm_renamed renamed[] = {
	{ 'p', "--parents" }, { 'c', "--children" }, { 't', "--times" },
	{ 'l', "--last-run" }, { 'A', "-a" }, { 0, NULL },
};

enum mode { M_TABLE, M_PARENTS, M_CHILDREN, M_THREADS, M_TIMES, M_LASTRUN, M_SUMMARY };

enum sel_kind { SEL_PID, SEL_TASK, SEL_COMM };

struct sel {
	enum sel_kind kind;
	int32_t pid;
	uint64_t task;
	const char *comm;
	const char *arg;
	bool matched;
};

struct ps {
	struct vm_cli c;
	struct vm_tasklist tl;
	enum mode mode;
	bool kthreads, user, leaders, active, no_header;
	struct sel *sel;
	size_t nsel;
	struct vm_tasksel tsel;      /* --state, --comm, -p */
	bool runq;
	struct vm_json *j;
	int status;
};

static void add_sel(struct ps *ps, const char *arg)
{
	struct sel *s;
	void *p = realloc(ps->sel, (ps->nsel + 1) * sizeof(*ps->sel));

	if (!p)
		vm_cli_usage_error(&ps->c, "out of memory");
	ps->sel = p;
	s = &ps->sel[ps->nsel++];
	memset(s, 0, sizeof(*s));
	s->arg = arg;
	s->comm = arg;
	s->kind = SEL_COMM;
}

/* Decide what each argument is, now that the tasks are known: a decimal
 * number is a PID if some task has it, else (like any hex number) a task
 * address; anything else is a command name (a leading '\' escapes a
 * command that looks like a number, as in crash). */
static void resolve_sels(struct ps *ps)
{
	size_t i;

	for (i = 0; i < ps->nsel; i++) {
		struct sel *s = &ps->sel[i];
		const char *a = s->arg, *h = a;
		bool dec = *a != '\0', hex = *a != '\0';
		const char *p;

		if (a[0] == '\\') {
			s->comm = a + 1;
			continue;
		}
		if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
			h += 2, dec = false;
		for (p = a; *p; p++)
			if (!isdigit((unsigned char)*p))
				dec = false;
		if (!*h)
			hex = false;
		for (p = h; *p; p++)
			if (!isxdigit((unsigned char)*p))
				hex = false;
		if (dec && strlen(a) <= 9) {
			long v = strtol(a, NULL, 10);

			if (vm_tasklist_by_pid(&ps->tl, (int32_t)v) || !hex || strlen(a) < 9) {
				s->kind = SEL_PID;
				s->pid = (int32_t)v;
				continue;
			}
		}
		if (hex && strlen(h) <= 16) {
			s->kind = SEL_TASK;
			s->task = strtoull(h, NULL, 16);
		}
	}
}

static bool sel_match(struct sel *s, const struct vm_task_info *t)
{
	switch (s->kind) {
	case SEL_PID: return t->pid == s->pid;
	case SEL_TASK: return t->task == s->task;
	case SEL_COMM: return strcmp(t->comm, s->comm) == 0;
	}
	return false;
}

static bool selected(struct ps *ps, const struct vm_task_info *t)
{
	bool any = false;
	size_t i;

	if (!ps->nsel)
		return true;
	for (i = 0; i < ps->nsel; i++)
		if (sel_match(&ps->sel[i], t))
			any = ps->sel[i].matched = true;
	return any;
}

static bool filtered(const struct ps *ps, const struct vm_task_info *t)
{
	if (ps->kthreads && !t->kthread)
		return true;
	if (ps->user && t->kthread)
		return true;
	if (ps->active && t->active_cpu < 0)
		return true;
	return !vm_tasksel_match(&ps->tsel, t);
}

static const char *cpu_str(int cpu, char buf[16])
{
	if (cpu < 0)
		return "?";
	snprintf(buf, 16, "%d", cpu);
	return buf;
}

static double mem_pct(const struct ps *ps, const struct vm_task_info *t)
{
	if (!t->have_mem || !ps->tl.total_pages)
		return 0.0;
	return (double)t->rss * 100.0 / (double)ps->tl.total_pages;
}

static uint64_t kib(const struct ps *ps, uint64_t pages)
{
	return pages * ps->tl.page_size / 1024;
}

/* crash's task header line: PID, TASK, CPU, COMMAND */
static void task_line(const struct vm_task_info *t, const char *indent)
{
	char cb[16];

	printf("%sPID: %-7" PRId32 "  TASK: %-16" PRIx64 "  CPU: %-3s  COMMAND: \"%s\"\n",
	       indent, t->pid, t->task, cpu_str(t->cpu, cb), t->comm);
}

static void json_task(struct ps *ps, const struct vm_task_info *t, int depth)
{
	struct vm_json *j = ps->j;

	vm_json_begin(j);
	vm_json_ki64(j, "pid", t->pid);
	vm_json_ki64(j, "ppid", t->ppid);
	vm_json_ki64(j, "tgid", t->tgid);
	vm_json_ki64(j, "cpu", t->cpu);
	vm_json_khex(j, "task", t->task);
	vm_json_kstr(j, "state", t->st);
	vm_json_kstr(j, "state_name", t->state_name);
	vm_json_key(j, "mem_pct");
	vm_json_double(j, (double)(long long)(mem_pct(ps, t) * 10 + 0.5) / 10);
	vm_json_ku64(j, "vsz_kib", t->have_mem ? kib(ps, t->total_vm) : 0);
	vm_json_ku64(j, "rss_kib", t->have_mem ? kib(ps, t->rss) : 0);
	vm_json_kstr(j, "comm", t->comm);
	vm_json_kbool(j, "kernel_thread", t->kthread);
	vm_json_kbool(j, "idle", t->idle);
	vm_json_kbool(j, "active", t->active_cpu >= 0);
	if (t->active_cpu >= 0)
		vm_json_ki64(j, "active_cpu", t->active_cpu);
	vm_json_khex(j, "mm", t->mm);
	vm_json_khex(j, "parent", t->parent);
	vm_json_khex(j, "flags", t->flags);
	/* nanoseconds pass 2^53 after 104 days: strings (vmcoreutils(7)) */
	if (t->have_last_run)
		vm_json_kdec(j, "last_run_ns", t->last_run);
	if (t->have_times) {
		vm_json_kdec(j, "start_time_ns", t->start_time);
		vm_json_kdec(j, "utime_ns", t->utime);
		vm_json_kdec(j, "stime_ns", t->stime);
	}
	if (depth >= 0)
		vm_json_ki64(j, "depth", depth);
	vm_json_end(j);
}

static void table_header(void)
{
	/* TASK centred in the 16 columns of an address */
	printf("      PID    PPID  CPU       TASK        ST  %%MEM      VSZ      RSS  COMM\n");
}

static void table_row(struct ps *ps, const struct vm_task_info *t)
{
	char cb[16], pct[16];

	if (ps->c.opts.json) {
		json_task(ps, t, -1);
		return;
	}
	snprintf(pct, sizeof(pct), "%.1f", mem_pct(ps, t));
	printf("%s%7" PRId32 " %7" PRId32 " %3s  %16" PRIx64 " %3s  %4s %8" PRIu64 " %8" PRIu64
	       "  %s%s%s\n",
	       t->active_cpu >= 0 ? "> " : "  ", t->pid, t->ppid,
	       cpu_str(t->cpu, cb), t->task, t->st, pct,
	       t->have_mem ? kib(ps, t->total_vm) : 0, t->have_mem ? kib(ps, t->rss) : 0,
	       t->kthread ? "[" : "", t->comm, t->kthread ? "]" : "");
}

/* The tasks the options and arguments ask for, in list order.  With -G a
 * selected thread stands for its leader. */
static const struct vm_task_info **pick(struct ps *ps, size_t *np)
{
	const struct vm_task_info **out = calloc(ps->tl.n + 1, sizeof(*out));
	size_t i, n = 0, k;

	if (!out) {
		fprintf(stderr, "%s: out of memory\n", ps->c.prog);
		exit(VM_EXIT_FAIL);
	}
	for (i = 0; i < ps->tl.n; i++) {
		const struct vm_task_info *t = &ps->tl.t[i];

		if (!selected(ps, t))
			continue;
		if (ps->leaders && t->pid != t->tgid) {
			const struct vm_task_info *l = vm_tasklist_by_pid(&ps->tl, t->tgid);

			if (!ps->nsel || !l)
				continue;
			t = l;
		}
		if (filtered(ps, t))
			continue;
		for (k = 0; k < n && out[k] != t; k++)
			;
		if (k == n)
			out[n++] = t;
	}
	*np = n;
	return out;
}

static void show_table(struct ps *ps)
{
	const struct vm_task_info **v;
	size_t i, n;

	v = pick(ps, &n);
	if (!ps->no_header && !ps->c.opts.json)
		table_header();
	for (i = 0; i < n; i++)
		table_row(ps, v[i]);
	free(v);
}

static void show_parents(struct ps *ps)
{
	const struct vm_task_info **v, *chain[64];
	size_t i, n, depth, d;

	v = pick(ps, &n);
	for (i = 0; i < n; i++) {
		const struct vm_task_info *t = v[i];

		/* up to the root: init_task is its own parent */
		for (depth = 0; t && depth < 64; depth++) {
			chain[depth] = t;
			if (!t->parent || t->parent == t->task)
				break;
			t = vm_tasklist_by_task(&ps->tl, t->parent);
		}
		if (depth == 64)
			depth--;
		for (d = 0; d <= depth && chain[depth - d]; d++) {
			char ind[80];

			if (ps->c.opts.json) {
				json_task(ps, chain[depth - d], (int)d);
				continue;
			}
			memset(ind, ' ', d);
			ind[d] = '\0';
			task_line(chain[depth - d], ind);
		}
		if (!ps->c.opts.json)
			putchar('\n');
	}
	free(v);
}

static void show_children(struct ps *ps)
{
	const struct vm_task_info **v;
	size_t i, n, k, cnt;

	v = pick(ps, &n);
	for (i = 0; i < n; i++) {
		if (ps->c.opts.json)
			json_task(ps, v[i], 0);
		else
			task_line(v[i], "");
		for (k = cnt = 0; k < ps->tl.n; k++) {
			const struct vm_task_info *t = &ps->tl.t[k];

			/* the idle tasks' real_parent is an accident of boot */
			if (t->parent != v[i]->task || t == v[i] || t->idle)
				continue;
			cnt++;
			if (ps->c.opts.json)
				json_task(ps, t, 1);
			else
				task_line(t, "  ");
		}
		if (!ps->c.opts.json) {
			if (!cnt)
				printf("  (no children)\n");
			putchar('\n');
		}
	}
	free(v);
}

static void show_threads(struct ps *ps)
{
	const struct vm_task_info **v;
	size_t i, n, k, cnt, shown_idle = 0;

	v = pick(ps, &n);
	for (i = 0; i < n; i++) {
		const struct vm_task_info *l = v[i];

		/* a thread stands for its group, once */
		if (l->pid != l->tgid) {
			const struct vm_task_info *ld = vm_tasklist_by_pid(&ps->tl, l->tgid);
			size_t m;

			if (!ps->nsel || !ld)
				continue;
			for (m = 0; m < i && v[m] != ld; m++)
				;
			if (m < i)
				continue;
			l = ld;
		}
		/* the idle tasks share TGID 0: one group */
		if (l->pid == 0 && shown_idle++)
			continue;
		if (ps->c.opts.json)
			json_task(ps, l, 0);
		else
			task_line(l, "");
		for (k = cnt = 0; k < ps->tl.n; k++) {
			const struct vm_task_info *t = &ps->tl.t[k];

			if (t == l || t->tgid != l->tgid)
				continue;
			cnt++;
			if (ps->c.opts.json)
				json_task(ps, t, 1);
			else
				task_line(t, "  ");
		}
		if (!ps->c.opts.json) {
			if (!cnt)
				printf("  (no threads)\n");
			putchar('\n');
		}
	}
	free(v);
}

static int cmp_start(const void *a, const void *b)
{
	const struct vm_task_info *x = *(const struct vm_task_info *const *)a;
	const struct vm_task_info *y = *(const struct vm_task_info *const *)b;

	if (x->start_time != y->start_time)
		return x->start_time < y->start_time ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int cmp_last_run(const void *a, const void *b)
{
	const struct vm_task_info *x = *(const struct vm_task_info *const *)a;
	const struct vm_task_info *y = *(const struct vm_task_info *const *)b;

	if (x->last_run != y->last_run)
		return x->last_run > y->last_run ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void duration(uint64_t ns, char *buf, size_t len)
{
	uint64_t s = ns / 1000000000u, d = s / 86400;

	s %= 86400;
	if (d)
		snprintf(buf, len, "%" PRIu64 " days, %02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 d, s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 s / 3600, s / 60 % 60, s % 60);
}

static void show_times(struct ps *ps)
{
	const struct vm_task_info **v;
	size_t i, n;
	char buf[64];

	if (ps->tl.n && !ps->tl.t[0].have_times) {
		vm_cli_errorf(&ps->c, "task start/user/system times not available in "
			      "this kernel's task_struct");
		ps->status = VM_EXIT_FAIL;
		return;
	}
	v = pick(ps, &n);
	qsort(v, n, sizeof(*v), cmp_start);
	for (i = 0; i < n; i++) {
		const struct vm_task_info *t = v[i];

		if (ps->c.opts.json) {
			json_task(ps, t, -1);
			continue;
		}
		/* run time against the latest runqueue clock: both count
		 * nanoseconds since boot (sched_clock / CLOCK_MONOTONIC) */
		if (ps->tl.now_ns >= t->start_time)
			duration(ps->tl.now_ns - t->start_time, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "(unknown)");
		task_line(t, "");
		printf("    RUN TIME: %s\n", buf);
		printf("  START TIME: %" PRIu64 "\n", t->start_time);
		printf("       UTIME: %" PRIu64 "\n", t->utime);
		printf("       STIME: %" PRIu64 "\n\n", t->stime);
	}
	free(v);
}

static void show_last_run(struct ps *ps)
{
	const struct vm_task_info **v;
	size_t i, n;
	int w;

	if (!ps->tl.last_run_src) {
		vm_cli_errorf(&ps->c, "last-run timestamps do not exist in this kernel "
			      "(no sched_info.last_arrival or se.exec_start)");
		ps->status = VM_EXIT_FAIL;
		return;
	}
	v = pick(ps, &n);
	qsort(v, n, sizeof(*v), cmp_last_run);
	/* every stamp as wide as the largest, as crash pads them */
	w = n ? snprintf(NULL, 0, "%" PRIu64, v[0]->last_run) : 1;
	for (i = 0; i < n; i++) {
		if (ps->c.opts.json) {
			json_task(ps, v[i], -1);
			continue;
		}
		printf("[%*" PRIu64 "] [%s]  ", w, v[i]->last_run, v[i]->st);
		task_line(v[i], "");
	}
	free(v);
}

static void show_summary(struct ps *ps)
{
	const struct vm_task_info **v;
	struct vm_state_count s[32];
	size_t n, k, ns;

	v = pick(ps, &n);
	ns = vm_tasks_summary_of(v, n, s, 32);
	for (k = 0; k < ns; k++) {
		if (ps->c.opts.json) {
			vm_json_begin(ps->j);
			vm_json_kstr(ps->j, "state", s[k].st);
			vm_json_ku64(ps->j, "count", s[k].n);
			vm_json_end(ps->j);
		} else {
			printf("  %s: %zu\n", s[k].st, s[k].n);
		}
	}
	free(v);
}

/* --runq: crash's runq, runq -t (--last-run), runq -m (--times) */
static void show_runq(struct ps *ps, struct vm_kernel *k)
{
	enum vm_runq_view view = ps->mode == M_LASTRUN ? VM_RUNQ_STAMPS :
				 ps->mode == M_TIMES ? VM_RUNQ_SINCE : VM_RUNQ_QUEUES;
	struct vm_runq *q;
	struct vm_err e;
	unsigned n, c;

	if (vm_runqueues(k, &q, &n, &e) < 0) {
		vm_cli_error(&ps->c, &e);
		ps->status = VM_EXIT_FAIL;
		return;
	}
	vm_out_runq(stdout, ps->c.opts.json ? ps->j : NULL, q, n, view);
	for (c = 0; c < n; c++)
		if (q[c].err[0]) {
			vm_cli_errorf(&ps->c, "CPU %u's run queue: %s", c, q[c].err);
			ps->status = VM_EXIT_FAIL;
		}
	vm_runqueues_free(q, n);
}

static void set_mode(struct ps *ps, enum mode m, int id)
{
	if (ps->mode != M_TABLE && ps->mode != m)
		vm_cli_usage_error(&ps->c, "--%s cannot be combined with --parents, "
				   "--children, -g, --times, --last-run or -S",
				   vm_optdefs[id].name);
	ps->mode = m;
}

int main(int argc, char **argv)
{
	struct ps ps;
	struct vm_kernel *k = NULL;
	struct vm_err e = { 0 };
	const char *arg;
	size_t i;
	int opt;

	memset(&ps, 0, sizeof(ps));
	vm_tasksel_init(&ps.tsel);
	vm_cli_init(&ps.c, "vmps", usage, options, renamed, argc, argv);
	ps.j = &ps.c.j;
	while ((opt = vm_cli_next(&ps.c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_PARENTS: set_mode(&ps, M_PARENTS, opt); add_sel(&ps, arg); break;
		case VM_OPT_CHILDREN: set_mode(&ps, M_CHILDREN, opt); add_sel(&ps, arg); break;
		case VM_OPT_THREADS: set_mode(&ps, M_THREADS, opt); break;
		case VM_OPT_TIMES: set_mode(&ps, M_TIMES, opt); break;
		case VM_OPT_LAST_RUN: set_mode(&ps, M_LASTRUN, opt); break;
		case VM_OPT_SUMMARY: set_mode(&ps, M_SUMMARY, opt); break;
		case VM_OPT_KTHREADS: ps.kthreads = true; break;
		case VM_OPT_USER: ps.user = true; break;
		case VM_OPT_LEADERS: ps.leaders = true; break;
		case VM_OPT_ACTIVE: ps.active = true; break;
		case VM_OPT_NO_HEADER: ps.no_header = true; break;
		case VM_OPT_RUNQ: ps.runq = true; break;
		case VM_OPT_STATE:
		case VM_OPT_COMM:
			if ((opt == VM_OPT_STATE ? vm_tasksel_states(&ps.tsel, arg, &e)
						 : vm_tasksel_comm(&ps.tsel, arg, &e)) < 0)
				vm_cli_usage_error(&ps.c, "%s", e.msg);
			break;
		}
	}
	if (ps.runq && ((ps.mode != M_TABLE && ps.mode != M_LASTRUN && ps.mode != M_TIMES) ||
			!vm_tasksel_any(&ps.tsel) || ps.kthreads || ps.user || ps.leaders ||
			ps.active || optind + 1 < argc))
		vm_cli_usage_error(&ps.c, "--runq takes no task selection; only --last-run "
				   "or --times with it");
	if (ps.kthreads && ps.user)
		vm_cli_usage_error(&ps.c, "-K and -u exclude each other");
	if (optind >= argc)
		vm_cli_usage_error(&ps.c, "no DUMP given");
	ps.c.opts.dump_path = argv[optind++];
	for (; optind < argc; optind++) {
		const char *a = argv[optind];

		/* a PID list (1,93-98) */
		if (strpbrk(a, ",-") && strspn(a, "0123456789,-") == strlen(a)) {
			if (vm_tasksel_pids(&ps.tsel, a, &e) < 0)
				vm_cli_usage_error(&ps.c, "%s", e.msg);
			continue;
		}
		add_sel(&ps, a);
	}

	k = vm_kernel_open(&ps.c.opts, &e);
	if (k && ps.runq) {
		show_runq(&ps, k);
		goto out;
	}
	if (!k || vm_tasks_collect(k, ps.mode == M_TABLE || ps.c.opts.json ? 0 : VM_TASKS_NOMEM,
				   &ps.tl, &e) < 0) {
		vm_cli_error(&ps.c, &e);
		ps.status = VM_EXIT_FAIL;
		goto out;
	}
	if (ps.c.opts.verbose) {
		vm_cli_warn(&ps.c, "task states: %s", ps.tl.state_src);
		vm_cli_warn(&ps.c, "%%MEM against %s (%" PRIu64 " pages)",
			    ps.tl.total_pages_src ? ps.tl.total_pages_src : "nothing",
			    ps.tl.total_pages);
	}
	resolve_sels(&ps);
	switch (ps.mode) {
	case M_TABLE: show_table(&ps); break;
	case M_PARENTS: show_parents(&ps); break;
	case M_CHILDREN: show_children(&ps); break;
	case M_THREADS: show_threads(&ps); break;
	case M_TIMES: show_times(&ps); break;
	case M_LASTRUN: show_last_run(&ps); break;
	case M_SUMMARY: show_summary(&ps); break;
	}
	for (i = 0; i < ps.nsel; i++) {
		if (!ps.sel[i].matched) {
			vm_cli_errorf(&ps.c, "%s: no such task (PID, task address or command)",
				      ps.sel[i].arg);
			ps.status = VM_EXIT_FAIL;
		}
	}
	if (ps.tl.incomplete) {
		vm_cli_errorf(&ps.c, "WARNING: task list damaged, %zu tasks shown (some "
			      "may be missing): %s", ps.tl.n, ps.tl.warn.msg);
		ps.status = VM_EXIT_FAIL;
	}
out:
	vm_tasklist_free(&ps.tl);
	vm_tasksel_free(&ps.tsel);
	vm_kernel_close(k);
	free(ps.sel);
	return vm_cli_exit(&ps.c, ps.status);
}
