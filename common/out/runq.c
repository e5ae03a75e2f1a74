// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's runq views (see runq.h).  Column layouts follow crash's task.c:
 * dump_CFS_runqueues(), dump_RT_prio_array(), dump_task_runq_entry(),
 * dump_on_rq_timestamp(), dump_on_rq_milliseconds().
 */
#include "runq.h"

#include <inttypes.h>
#include <string.h>

static void entry(FILE *f, const struct vm_rq_task *t)
{
	fprintf(f, "     [%3d] PID: %-5d  TASK: %" PRIx64 "  COMMAND: \"%s\"\n", t->prio, t->pid,
		t->task, t->comm);
}

static unsigned class_tasks(FILE *f, const struct vm_runq *q, char cls)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < q->n; i++)
		if (q->t[i].cls == cls) {
			if (f)
				entry(f, &q->t[i]);
			n++;
		}
	return n;
}

static void queues(FILE *f, const struct vm_runq *q, unsigned n)
{
	unsigned c;

	for (c = 0; c < n; c++) {
		const struct vm_runq *r = &q[c];

		fprintf(f, "%sCPU %u ", c ? "\n" : "", r->cpu);
		if (!r->rq) {
			fprintf(f, "RUNQUEUE: unknown (%s)\n", r->err);
			continue;
		}
		fprintf(f, "RUNQUEUE: %" PRIx64 "\n", r->rq);
		if (r->curr_pid >= 0)
			fprintf(f, "  CURRENT: PID: %-5d  TASK: %" PRIx64 "  COMMAND: \"%s\"\n",
				r->curr_pid, r->curr, r->curr_comm);
		else
			fprintf(f, "  CURRENT: %" PRIx64 "\n", r->curr);
		fprintf(f, "  RT PRIO_ARRAY: %" PRIx64 "\n", r->rt_array);
		if (!class_tasks(f, r, VM_SCHED_RT))
			fprintf(f, "     [no tasks queued]\n");
		fprintf(f, "  CFS RB_ROOT: %" PRIx64 "\n", r->cfs_root);
		if (!class_tasks(f, r, VM_SCHED_FAIR))
			fprintf(f, "     [no tasks queued]\n");
		if (r->dl_root && class_tasks(NULL, r, VM_SCHED_DL)) {
			fprintf(f, "  DL RB_ROOT: %" PRIx64 "\n", r->dl_root);
			class_tasks(f, r, VM_SCHED_DL);
		}
		if (class_tasks(NULL, r, VM_SCHED_STOP)) {
			fprintf(f, "  STOP:\n");
			class_tasks(f, r, VM_SCHED_STOP);
		}
		if (r->err[0])
			fprintf(f, "  [queues incomplete: %s]\n", r->err);
	}
}

/* crash's indent before a task line under " CPU N: " */
static int task_indent(unsigned cpu)
{
	return cpu < 10 ? 8 : cpu < 100 ? 8 : cpu < 1000 ? 9 : 10;
}

static void stamps(FILE *f, const struct vm_runq *q, unsigned n)
{
	char buf[32];
	unsigned c;
	size_t i;

	for (c = 0; c < n; c++) {
		const struct vm_runq *r = &q[c];
		int w;

		fprintf(f, "%sCPU %u: ", c < 10 ? " " : "", c);
		if (!r->have_clock) {
			fprintf(f, "[unknown]\n");
			continue;
		}
		w = snprintf(buf, sizeof(buf), "%" PRIu64, r->clock);
		fprintf(f, "%s\n", buf);
		if (r->curr_pid >= 0)
			fprintf(f, "%*s%0*" PRIu64 "  PID: %-5d  TASK: %" PRIx64 "  COMMAND: \"%s\"\n",
				task_indent(c), "", w, r->have_curr_last_run ? r->curr_last_run : 0,
				r->curr_pid, r->curr, r->curr_comm);
		for (i = 0; i < r->n; i++)
			fprintf(f, "%*s%0*" PRIu64 "  PID: %-5d  TASK: %" PRIx64 "  COMMAND: \"%s\"\n",
				task_indent(c), "", w, r->t[i].have_last_run ? r->t[i].last_run : 0,
				r->t[i].pid, r->t[i].task, r->t[i].comm);
	}
}

/* crash's translate_nanoseconds(): "D HH:MM:SS.mmm" */
static void duration(uint64_t ns, char *buf, size_t len)
{
	uint64_t ms = ns / 1000000;

	snprintf(buf, len, "%" PRIu64 " %02" PRIu64 ":%02" PRIu64 ":%02" PRIu64 ".%03" PRIu64,
		 ms / 86400000, ms / 3600000 % 24, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

static void since(FILE *f, const struct vm_runq *q, unsigned n)
{
	char buf[64];
	unsigned c;
	size_t i;
	int maxdays = 0, indent = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4;

	/* crash pads the days to the width of the first CPU's clock's days */
	for (c = 0; c < n && !maxdays; c++)
		if (q[c].have_clock) {
			duration(q[c].clock, buf, sizeof(buf));
			maxdays = (int)strcspn(buf, " ");
		}
	for (c = 0; c < n; c++) {
		const struct vm_runq *r = &q[c];
		int pad = indent - (c < 10 ? 0 : c < 100 ? 1 : c < 1000 ? 2 : 4);
		uint64_t d;

		if (!r->have_clock || r->curr_pid < 0) {
			fprintf(f, "%*sCPU %u: [unknown]\n", pad, "", c);
			continue;
		}
		d = r->have_curr_last_run && r->clock > r->curr_last_run ?
			r->clock - r->curr_last_run : r->have_curr_last_run ? 0 : r->clock;
		duration(d, buf, sizeof(buf));
		fprintf(f, "%*sCPU %u: [%*s%s]  PID: %-5d  TASK: %" PRIx64 "  COMMAND: \"%s\"\n",
			pad, "", c, maxdays - (int)strcspn(buf, " "), "", buf, r->curr_pid, r->curr,
			r->curr_comm);
		for (i = 0; i < r->n; i++) {
			const struct vm_rq_task *t = &r->t[i];

			d = t->have_last_run && r->clock > t->last_run ? r->clock - t->last_run : 0;
			duration(d, buf, sizeof(buf));
			fprintf(f, "%*s       [%*s%s]  PID: %-5d  TASK: %" PRIx64 "  COMMAND: \"%s\"\n",
				pad + (c >= 10) + (c >= 100) + (c >= 1000), "",
				maxdays - (int)strcspn(buf, " "), "", buf, t->pid, t->task, t->comm);
		}
	}
}

static const char *class_name(char cls)
{
	switch (cls) {
	case VM_SCHED_RT: return "rt";
	case VM_SCHED_FAIR: return "fair";
	case VM_SCHED_DL: return "deadline";
	case VM_SCHED_STOP: return "stop";
	default: return "?";
	}
}

static void json(struct vm_json *j, const struct vm_runq *q, unsigned n)
{
	unsigned c;
	size_t i;

	for (c = 0; c < n; c++) {
		const struct vm_runq *r = &q[c];

		vm_json_begin(j);
		vm_json_ku64(j, "cpu", r->cpu);
		vm_json_kbool(j, "online", r->online);
		vm_json_khex(j, "rq", r->rq);
		vm_json_khex(j, "curr", r->curr);
		vm_json_ki64(j, "curr_pid", r->curr_pid);
		vm_json_kstr(j, "curr_comm", r->curr_comm);
		if (r->have_curr_last_run)
			vm_json_kdec(j, "curr_last_run", r->curr_last_run);
		if (r->have_clock)
			vm_json_kdec(j, "clock", r->clock);
		vm_json_khex(j, "rt_prio_array", r->rt_array);
		vm_json_khex(j, "cfs_rb_root", r->cfs_root);
		if (r->dl_root)
			vm_json_khex(j, "dl_rb_root", r->dl_root);
		vm_json_key(j, "queued");
		vm_json_arr_begin(j);
		for (i = 0; i < r->n; i++) {
			const struct vm_rq_task *t = &r->t[i];

			vm_json_obj_begin(j);
			vm_json_kstr(j, "class", class_name(t->cls));
			vm_json_ki64(j, "prio", t->prio);
			vm_json_ki64(j, "pid", t->pid);
			vm_json_khex(j, "task", t->task);
			vm_json_kstr(j, "comm", t->comm);
			vm_json_ku64(j, "group_depth", t->depth);
			if (t->have_last_run)
				vm_json_kdec(j, "last_run", t->last_run);
			if (t->have_last_run && r->have_clock && r->clock >= t->last_run)
				vm_json_kdec(j, "since_last_run_ns", r->clock - t->last_run);
			vm_json_obj_end(j);
		}
		vm_json_arr_end(j);
		if (r->err[0])
			vm_json_kstr(j, "error", r->err);
		vm_json_end(j);
	}
}

void vm_out_runq(FILE *f, struct vm_json *j, const struct vm_runq *q, unsigned n,
		 enum vm_runq_view view)
{
	if (j) {
		json(j, q, n);
		return;
	}
	switch (view) {
	case VM_RUNQ_QUEUES: queues(f, q, n); break;
	case VM_RUNQ_STAMPS: stamps(f, q, n); break;
	case VM_RUNQ_SINCE: since(f, q, n); break;
	}
}
