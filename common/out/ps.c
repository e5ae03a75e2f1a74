// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's ps layouts.  The table:
 *
 *         PID    PPID  CPU       TASK        ST  %MEM      VSZ      RSS  ACT  COMM
 *           1       0   0  ff22284481128000  RU   1.2     2260     1788   >   init
 *
 * ACT '>' marks what each CPU was running, kernel threads are in brackets; the
 * other views print crash's task header per task (format.h).
 */
#include "../vmcore.h"
#include "../kernel/tasks.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

struct ps {
	FILE *f;
	struct vm_json *j;
	const struct vm_tasklist *tl;
	unsigned flags;
};

static double mem_pct(const struct ps *ps, const struct vm_task_info *t)
{
	if (!t->have_mem || !ps->tl->total_pages)
		return 0.0;
	return (double)t->rss * 100.0 / (double)ps->tl->total_pages;
}

static uint64_t kib(const struct ps *ps, uint64_t pages)
{
	return pages * ps->tl->page_size / 1024;
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

/* a task in a tree view: its header indented, or a record with depth */
static void tree_task(struct ps *ps, const struct vm_task_info *t, int depth,
		      const char *indent)
{
	if (ps->j)
		json_task(ps, t, depth);
	else
		vm_out_task_header(ps->f, t, indent);
}

static void show_table(struct ps *ps, const struct vm_task_info **v, size_t n)
{
	size_t i;

	if (!(ps->flags & VM_PSO_NO_HEADER) && !ps->j)
		/* TASK centred in the 16 columns of an address */
		fputs("      PID    PPID  CPU       TASK        ST  %MEM      VSZ      RSS  ACT  COMM\n",
		      ps->f);
	for (i = 0; i < n; i++) {
		const struct vm_task_info *t = v[i];
		char cb[16], pct[16];

		if (ps->j) {
			json_task(ps, t, -1);
			continue;
		}
		snprintf(pct, sizeof(pct), "%.1f", mem_pct(ps, t));
		/* crash's columns, but its '>' for a task on a CPU moved from
		 * the front (where it shifted that row's fields for awk) to a
		 * column of its own, ACT, before COMM: every row has the same
		 * fields, $5 is ST and $8 RSS on each */
		fprintf(ps->f, "  %7" PRId32 " %7" PRId32 " %3s  %16" PRIx64 " %3s  %4s %8"
			PRIu64 " %8" PRIu64 "   %c   %s%s%s\n",
			t->pid, t->ppid,
			vm_format_cpu(t->cpu, cb, sizeof(cb)), t->task, t->st, pct,
			t->have_mem ? kib(ps, t->total_vm) : 0, t->have_mem ? kib(ps, t->rss) : 0,
			t->active_cpu >= 0 ? '>' : '-',
			t->kthread ? "[" : "", t->comm, t->kthread ? "]" : "");
	}
}

static void show_parents(struct ps *ps, const struct vm_task_info **v, size_t n)
{
	const struct vm_task_info *chain[64];
	size_t i, depth, d;

	for (i = 0; i < n; i++) {
		const struct vm_task_info *t = v[i];

		/* up to the root: init_task is its own parent */
		for (depth = 0; t && depth < 64; depth++) {
			chain[depth] = t;
			if (!t->parent || t->parent == t->task)
				break;
			t = vm_tasklist_by_task(ps->tl, t->parent);
		}
		if (depth == 64)
			depth--;
		for (d = 0; d <= depth && chain[depth - d]; d++) {
			char ind[80];

			memset(ind, ' ', d);
			ind[d] = '\0';
			tree_task(ps, chain[depth - d], (int)d, ind);
		}
		if (!ps->j)
			fputc('\n', ps->f);
	}
}

/* the members of a tree (children of v, or threads of group leader v) */
static void show_members(struct ps *ps, const struct vm_task_info *v, bool threads)
{
	const struct vm_tasklist *tl = ps->tl;
	size_t k, cnt = 0;

	tree_task(ps, v, 0, "");
	for (k = 0; k < tl->n; k++) {
		const struct vm_task_info *t = &tl->t[k];

		if (t == v)
			continue;
		/* the idle tasks' real_parent is an accident of boot */
		if (threads ? t->tgid != v->tgid : t->parent != v->task || t->idle)
			continue;
		cnt++;
		tree_task(ps, t, 1, "  ");
	}
	if (!ps->j)
		fprintf(ps->f, "%s\n", cnt ? "" : threads ? "  (no threads)\n" :
						   "  (no children)\n");
}

static void show_threads(struct ps *ps, const struct vm_task_info **v, size_t n)
{
	size_t i, shown_idle = 0;

	for (i = 0; i < n; i++) {
		const struct vm_task_info *l = v[i];

		/* a thread stands for its group, once */
		if (l->pid != l->tgid) {
			const struct vm_task_info *ld = vm_tasklist_by_pid(ps->tl, l->tgid);
			size_t m;

			if (!(ps->flags & VM_PSO_SELECTED) || !ld)
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
		show_members(ps, l, true);
	}
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

static void show_times(struct ps *ps, const struct vm_task_info **v, size_t n)
{
	char buf[64];
	size_t i;

	qsort(v, n, sizeof(*v), cmp_start);
	for (i = 0; i < n; i++) {
		const struct vm_task_info *t = v[i];

		if (ps->j) {
			json_task(ps, t, -1);
			continue;
		}
		/* run time against the latest runqueue clock: both count
		 * nanoseconds since boot (sched_clock / CLOCK_MONOTONIC) */
		if (ps->tl->now_ns >= t->start_time)
			vm_format_duration(ps->tl->now_ns - t->start_time, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "(unknown)");
		vm_out_task_header(ps->f, t, "");
		fprintf(ps->f, "    RUN TIME: %s\n", buf);
		fprintf(ps->f, "  START TIME: %" PRIu64 "\n", t->start_time);
		fprintf(ps->f, "       UTIME: %" PRIu64 "\n", t->utime);
		fprintf(ps->f, "       STIME: %" PRIu64 "\n\n", t->stime);
	}
}

static void show_last_run(struct ps *ps, const struct vm_task_info **v, size_t n)
{
	size_t i;
	int w;

	qsort(v, n, sizeof(*v), cmp_last_run);
	/* every stamp as wide as the largest, as crash pads them */
	w = n ? snprintf(NULL, 0, "%" PRIu64, v[0]->last_run) : 1;
	for (i = 0; i < n; i++) {
		if (ps->j) {
			json_task(ps, v[i], -1);
			continue;
		}
		fprintf(ps->f, "[%*" PRIu64 "] [%s]  ", w, v[i]->last_run, v[i]->st);
		vm_out_task_header(ps->f, v[i], "");
	}
}

static void show_summary(struct ps *ps, const struct vm_task_info **v, size_t n)
{
	struct { char st[3]; size_t n; } s[32];
	size_t i, k, ns = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < ns && strcmp(s[k].st, v[i]->st); k++)
			;
		if (k == ns) {
			if (ns == 32)
				continue;
			memcpy(s[ns].st, v[i]->st, 3);
			s[ns++].n = 0;
		}
		s[k].n++;
	}
	for (k = 0; k < ns; k++) {
		if (ps->j) {
			vm_json_begin(ps->j);
			vm_json_kstr(ps->j, "state", s[k].st);
			vm_json_ku64(ps->j, "count", s[k].n);
			vm_json_end(ps->j);
		} else {
			fprintf(ps->f, "  %s: %zu\n", s[k].st, s[k].n);
		}
	}
}

int vm_out_ps(FILE *f, struct vm_json *j, const struct vm_tasklist *tl,
	      enum vm_ps_view view, const struct vm_task_info **v, size_t n,
	      unsigned flags, struct vm_err *e)
{
	struct ps ps = { f, j, tl, flags };
	size_t i;

	switch (view) {
	case VM_PS_TABLE: show_table(&ps, v, n); break;
	case VM_PS_PARENTS: show_parents(&ps, v, n); break;
	case VM_PS_CHILDREN:
		for (i = 0; i < n; i++)
			show_members(&ps, v[i], false);
		break;
	case VM_PS_THREADS: show_threads(&ps, v, n); break;
	case VM_PS_TIMES:
		if (tl->n && !tl->t[0].have_times)
			return vm_fail(e, VM_EUNSUP, "task start/user/system times not "
				       "available in this kernel's task_struct");
		show_times(&ps, v, n);
		break;
	case VM_PS_LASTRUN:
		if (!tl->last_run_src)
			return vm_fail(e, VM_EUNSUP, "last-run timestamps do not exist in "
				       "this kernel (no sched_info.last_arrival or "
				       "se.exec_start)");
		show_last_run(&ps, v, n);
		break;
	case VM_PS_SUMMARY: show_summary(&ps, v, n); break;
	}
	return 0;
}
