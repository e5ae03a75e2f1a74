/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Each CPU's run queue at the crash, as crash's `runq` shows it: the
 * struct rq (the per-CPU variable runqueues), the task it was running
 * (rq->curr), and the tasks queued on it per scheduling class:
 *  - RT: rq->rt.active.queue[prio] lists of sched_rt_entity.run_list
 *    (a group's entity, my_q != NULL under RT_GROUP_SCHED, holds a
 *    nested rt_rq);
 *  - CFS: the rq->cfs.tasks_timeline rbtree of sched_entity.run_node in
 *    vruntime order (a group's entity, my_q != NULL under
 *    FAIR_GROUP_SCHED, holds a nested cfs_rq, also when it is the running
 *    entity cfs_rq->curr, which is not in the tree);
 *  - deadline: the rq->dl.root rbtree of sched_dl_entity.rb_node (a
 *    server entity of v6.8+, rq->fair_server, is no task and is skipped);
 *  - stop: the CPU's stopper thread rq->stop (migration/N, v2.6.37+)
 *    when it is queued (task->on_rq) and not running: it has no queue
 *    of its own, and crash's runq does not show it;
 * and the times crash's runq -t/-m show: rq->clock and each task's last
 * arrival on a CPU (sched_info.last_arrival, else se.exec_start).
 */
#ifndef VM_RUNQ_H
#define VM_RUNQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

/* Queued tasks per CPU beyond this are a loop or corruption. */
#define VM_RUNQ_MAX_TASKS 65536u

enum vm_sched_class {
	VM_SCHED_RT = 'R',
	VM_SCHED_FAIR = 'F',
	VM_SCHED_DL = 'D',
	VM_SCHED_STOP = 'S',
};

struct vm_rq_task {
	uint64_t task;
	int32_t pid;
	char comm[17];
	int prio;                  /* RT: the queue index; else task->prio */
	char cls;                  /* enum vm_sched_class */
	unsigned depth;            /* group nesting (0: the CPU's own queue) */
	bool have_last_run;
	uint64_t last_run;         /* ns, rq clock time of its last arrival */
};

struct vm_runq {
	unsigned cpu;
	bool online;
	uint64_t rq;               /* struct rq */
	uint64_t curr;             /* rq->curr */
	int32_t curr_pid;
	char curr_comm[17];
	bool have_curr_last_run;
	uint64_t curr_last_run;
	bool have_clock;
	uint64_t clock;            /* rq->clock, ns */
	uint64_t rt_array;         /* &rq->rt.active */
	uint64_t cfs_root;         /* &rq->cfs.tasks_timeline */
	uint64_t dl_root;          /* &rq->dl.root, 0 without deadline */
	struct vm_rq_task *t;      /* RT by queue, CFS, deadline, stop */
	size_t n;
	char err[512];             /* a queue that could not be walked ("" ok) */
};

/* Every CPU's run queue (nr_cpu_ids of them; a CPU whose per-CPU area is
 * unknown has rq 0 and err set).  Fails only when no run queue can be
 * found at all. */
int vm_runqueues(struct vm_kernel *k, struct vm_runq **out, unsigned *n, struct vm_err *e);
void vm_runqueues_free(struct vm_runq *rq, unsigned n);

#endif
