// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Run queues (see runq.h).  Offsets come from the types; a member that
 * does not exist in this kernel (my_q without group scheduling, dl before
 * v3.14, fair_server before v6.8) turns its part off.
 */
#include "runq.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "percpu.h"
#include "rbtree.h"
#include "tasks.h"

/* cfs_rq -> my_q -> cfs_rq ...: task groups nest this deep at most */
#define MAX_GROUP_DEPTH 32

struct rq_layout {
	uint64_t curr, clock, rt, cfs, dl, fair_server, stop;
	bool have_clock, have_dl, have_fair_server, have_stop;
	uint64_t task_on_rq;
	uint64_t rt_active, prio_queue, nr_queues;     /* rt_rq.active, rt_prio_array.queue[] */
	uint64_t cfs_timeline, cfs_curr;               /* cfs_rq */
	bool have_cfs_curr;
	uint64_t dl_root;                              /* dl_rq.root */
	uint64_t se_run_node, se_my_q;                 /* sched_entity */
	bool have_se_my_q;
	uint64_t rt_run_list, rt_my_q;                 /* sched_rt_entity */
	bool have_rt_my_q;
	uint64_t dl_rb_node;                           /* sched_dl_entity */
	uint64_t task_se, task_rt, task_dl, task_prio;
	bool have_task_dl;
};

static bool opt(struct vm_kernel *k, const char *type, const char *member, uint64_t *off)
{
	struct vm_err e;

	return vm_kernel_offsetof(k, type, member, off, NULL, &e) == 0;
}

static int layout(struct vm_kernel *k, struct rq_layout *l, struct vm_err *e)
{
	uint64_t qsize;

	memset(l, 0, sizeof(*l));
	if (vm_kernel_offsetof(k, "rq", "curr", &l->curr, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "rq", "rt", &l->rt, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "rq", "cfs", &l->cfs, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "rt_rq", "active", &l->rt_active, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "rt_prio_array", "queue", &l->prio_queue, &qsize, e) < 0 ||
	    vm_kernel_offsetof(k, "cfs_rq", "tasks_timeline", &l->cfs_timeline, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "sched_entity", "run_node", &l->se_run_node, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "sched_rt_entity", "run_list", &l->rt_run_list, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "task_struct", "se", &l->task_se, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "task_struct", "rt", &l->task_rt, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "task_struct", "prio", &l->task_prio, NULL, e) < 0) {
		vm_err_prefix(e, "run queue layout: ");
		return -1;
	}
	/* MAX_RT_PRIO list heads (100) */
	l->nr_queues = qsize / 16;
	if (!l->nr_queues || l->nr_queues > 1024)
		return vm_fail(e, VM_EFORMAT, "rt_prio_array.queue has %" PRIu64 " bytes", qsize);
	l->have_clock = opt(k, "rq", "clock", &l->clock);
	l->have_cfs_curr = opt(k, "cfs_rq", "curr", &l->cfs_curr);
	l->have_se_my_q = opt(k, "sched_entity", "my_q", &l->se_my_q);
	l->have_rt_my_q = opt(k, "sched_rt_entity", "my_q", &l->rt_my_q);
	l->have_dl = opt(k, "rq", "dl", &l->dl) && opt(k, "dl_rq", "root", &l->dl_root) &&
		     opt(k, "sched_dl_entity", "rb_node", &l->dl_rb_node) &&
		     opt(k, "task_struct", "dl", &l->task_dl);
	l->have_fair_server = opt(k, "rq", "fair_server", &l->fair_server);
	l->have_stop = opt(k, "rq", "stop", &l->stop) &&
		       opt(k, "task_struct", "on_rq", &l->task_on_rq);
	return 0;
}

struct walker {
	struct vm_kernel *k;
	struct vm_mem *m;
	const struct rq_layout *l;
	struct vm_runq *q;
	size_t cap;
};

static void note_err(struct walker *w, const struct vm_err *e)
{
	if (!w->q->err[0])
		snprintf(w->q->err, sizeof(w->q->err), "%.*s", (int)sizeof(w->q->err) - 1,
			 e->msg);
}

static int add_task(struct walker *w, uint64_t task, char cls, int prio, unsigned depth)
{
	struct vm_task_info ti;
	struct vm_rq_task *t;
	struct vm_err e;

	if (w->q->n >= VM_RUNQ_MAX_TASKS) {
		vm_fail(&e, VM_ECORRUPT, "more than %u queued tasks", VM_RUNQ_MAX_TASKS);
		note_err(w, &e);
		return -1;
	}
	if (w->q->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 16;
		void *p = vm_realloc_array(w->q->t, nc, sizeof(*w->q->t), &e);

		if (!p) {
			note_err(w, &e);
			return -1;
		}
		w->q->t = p;
		w->cap = nc;
	}
	t = &w->q->t[w->q->n];
	memset(t, 0, sizeof(*t));
	t->task = task;
	t->cls = cls;
	t->prio = prio;
	t->depth = depth;
	t->pid = -1;
	if (vm_task_read(w->k, task, &ti, &e) == 0) {
		t->pid = ti.pid;
		memcpy(t->comm, ti.comm, sizeof(t->comm) - 1);
		t->have_last_run = ti.have_last_run;
		t->last_run = ti.last_run;
		if (cls != VM_SCHED_RT) {
			uint32_t p;

			if (vm_kread_u32(w->m, task + w->l->task_prio, &p, &e) == 0)
				t->prio = (int)p;
		}
	} else {
		note_err(w, &e);
	}
	w->q->n++;
	return 0;
}

/* RT: every queue of the prio array at arr; a group's entity recurses. */
static int walk_rt(struct walker *w, uint64_t arr, unsigned depth)
{
	const struct rq_layout *l = w->l;
	uint64_t i, node;
	struct vm_err e;

	if (depth > MAX_GROUP_DEPTH) {
		vm_fail(&e, VM_ECORRUPT, "RT groups nested deeper than %d", MAX_GROUP_DEPTH);
		note_err(w, &e);
		return -1;
	}
	for (i = 0; i < l->nr_queues; i++) {
		uint64_t head = arr + l->prio_queue + 16 * i;
		struct vm_list_walk lw;
		int r;

		vm_list_init(&lw, w->m, head, VM_RUNQ_MAX_TASKS, VM_LIST_CHECK_PREV);
		while ((r = vm_list_next(&lw, &node, &e)) == 1) {
			uint64_t rt_se = node - l->rt_run_list, my_q = 0;

			if (l->have_rt_my_q && vm_kread_u64(w->m, rt_se + l->rt_my_q, &my_q, &e) < 0) {
				note_err(w, &e);
				return -1;
			}
			if (my_q) {
				if (walk_rt(w, my_q + l->rt_active, depth + 1) < 0)
					return -1;
				continue;
			}
			if (add_task(w, rt_se - l->task_rt, VM_SCHED_RT, (int)i, depth) < 0)
				return -1;
		}
		if (r < 0) {
			vm_err_prefix(&e, "RT queue [%" PRIu64 "]: ", i);
			note_err(w, &e);
			return -1;
		}
	}
	return 0;
}

/* CFS: the running entity's group first (not in the tree), then the tree
 * in vruntime order, groups recursing. */
static int walk_cfs(struct walker *w, uint64_t cfs_rq, unsigned depth)
{
	const struct rq_layout *l = w->l;
	struct vm_rb_walk rw;
	struct vm_err e;
	uint64_t node, curr, my_q;
	int r;

	if (depth > MAX_GROUP_DEPTH) {
		vm_fail(&e, VM_ECORRUPT, "CFS groups nested deeper than %d", MAX_GROUP_DEPTH);
		note_err(w, &e);
		return -1;
	}
	if (l->have_se_my_q && l->have_cfs_curr) {
		if (vm_kread_u64(w->m, cfs_rq + l->cfs_curr, &curr, &e) < 0) {
			note_err(w, &e);
			return -1;
		}
		if (curr) {
			if (vm_kread_u64(w->m, curr + l->se_my_q, &my_q, &e) < 0) {
				note_err(w, &e);
				return -1;
			}
			if (my_q && walk_cfs(w, my_q, depth + 1) < 0)
				return -1;
		}
	}
	vm_rb_init(&rw, w->m, cfs_rq + l->cfs_timeline, VM_RUNQ_MAX_TASKS);
	while ((r = vm_rb_next(&rw, &node, &e)) == 1) {
		uint64_t se = node - l->se_run_node;

		my_q = 0;
		if (l->have_se_my_q && vm_kread_u64(w->m, se + l->se_my_q, &my_q, &e) < 0) {
			note_err(w, &e);
			return -1;
		}
		if (my_q) {
			if (walk_cfs(w, my_q, depth + 1) < 0)
				return -1;
			continue;
		}
		if (add_task(w, se - l->task_se, VM_SCHED_FAIR, 0, depth) < 0)
			return -1;
	}
	if (r < 0) {
		vm_err_prefix(&e, "CFS tree: ");
		note_err(w, &e);
		return -1;
	}
	return 0;
}

static int walk_dl(struct walker *w)
{
	const struct rq_layout *l = w->l;
	struct vm_rb_walk rw;
	struct vm_err e;
	uint64_t node;
	int r;

	vm_rb_init(&rw, w->m, w->q->dl_root, VM_RUNQ_MAX_TASKS);
	while ((r = vm_rb_next(&rw, &node, &e)) == 1) {
		uint64_t dl_se = node - l->dl_rb_node;

		/* the fair server (v6.8+) is a deadline entity of the rq */
		if (l->have_fair_server && dl_se == w->q->rq + l->fair_server)
			continue;
		if (add_task(w, dl_se - l->task_dl, VM_SCHED_DL, 0, 0) < 0)
			return -1;
	}
	if (r < 0) {
		vm_err_prefix(&e, "deadline tree: ");
		note_err(w, &e);
		return -1;
	}
	return 0;
}

static void one_cpu(struct vm_kernel *k, struct vm_mem *m, const struct rq_layout *l,
		    const struct vm_percpu *pc, struct vm_runq *q)
{
	struct walker w = { .k = k, .m = m, .l = l, .q = q };
	struct vm_task_info ti;
	struct vm_err e;

	if (vm_percpu_lookup(pc, "runqueues", q->cpu, &q->rq, &e) < 0) {
		q->rq = 0;
		note_err(&w, &e);
		return;
	}
	q->rt_array = q->rq + l->rt + l->rt_active;
	q->cfs_root = q->rq + l->cfs + l->cfs_timeline;
	q->dl_root = l->have_dl ? q->rq + l->dl + l->dl_root : 0;
	if (vm_kread_u64(m, q->rq + l->curr, &q->curr, &e) < 0) {
		note_err(&w, &e);
		return;
	}
	q->curr_pid = -1;
	if (q->curr && vm_task_read(k, q->curr, &ti, &e) == 0) {
		q->curr_pid = ti.pid;
		memcpy(q->curr_comm, ti.comm, sizeof(q->curr_comm) - 1);
		q->have_curr_last_run = ti.have_last_run;
		q->curr_last_run = ti.last_run;
	} else if (q->curr) {
		note_err(&w, &e);
	}
	if (l->have_clock) {
		if (vm_kread_u64(m, q->rq + l->clock, &q->clock, &e) == 0)
			q->have_clock = true;
		else
			note_err(&w, &e);
	}
	/* one broken queue does not hide the others */
	walk_rt(&w, q->rt_array, 0);
	walk_cfs(&w, q->rq + l->cfs, 0);
	if (q->dl_root)
		walk_dl(&w);
	if (l->have_stop) {
		uint64_t stop;
		uint32_t on_rq;

		/* TASK_ON_RQ_QUEUED (1); MIGRATING (2) is on no queue */
		if (vm_kread_u64(m, q->rq + l->stop, &stop, &e) < 0)
			note_err(&w, &e);
		else if (stop && stop != q->curr &&
			 vm_kread_u32(m, stop + l->task_on_rq, &on_rq, &e) == 0 && on_rq == 1)
			add_task(&w, stop, VM_SCHED_STOP, 0, 0);
	}
}

int vm_runqueues(struct vm_kernel *k, struct vm_runq **out, unsigned *n, struct vm_err *e)
{
	struct vm_mem *m = vm_kernel_mem(k, e);
	struct rq_layout l;
	struct vm_percpu pc;
	struct vm_cpumask online;
	struct vm_err me;
	struct vm_runq *q;
	bool have_online;
	unsigned cpu, found = 0;

	*out = NULL;
	*n = 0;
	if (!m || layout(k, &l, e) < 0 || vm_percpu_open(k, &pc, e) < 0)
		return -1;
	have_online = vm_cpumask_read(k, VM_CPUS_ONLINE, &online, &me) == 0;
	q = vm_calloc(pc.nr_cpu_ids, sizeof(*q), e);
	if (!q) {
		vm_percpu_close(&pc);
		return -1;
	}
	for (cpu = 0; cpu < pc.nr_cpu_ids; cpu++) {
		q[cpu].cpu = cpu;
		q[cpu].online = !have_online || vm_cpumask_test(&online, cpu);
		one_cpu(k, m, &l, &pc, &q[cpu]);
		found += q[cpu].rq != 0;
	}
	if (!found) {
		vm_fail(e, VM_ENOENT, "no CPU's run queue: %s", q[0].err);
		vm_runqueues_free(q, pc.nr_cpu_ids);
		vm_percpu_close(&pc);
		return -1;
	}
	*out = q;
	*n = pc.nr_cpu_ids;
	vm_percpu_close(&pc);
	return 0;
}

void vm_runqueues_free(struct vm_runq *rq, unsigned n)
{
	unsigned i;

	for (i = 0; rq && i < n; i++)
		free(rq[i].t);
	free(rq);
}
