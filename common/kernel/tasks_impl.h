/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to tasks*.c: where the members of task_struct, mm_struct and rq
 * are in this kernel (found once through types), and how one task_struct
 * is read and decoded.
 */
#ifndef VM_TASKS_IMPL_H
#define VM_TASKS_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "percpu.h"
#include "tasks.h"
#include "taskstate.h"

/* include/linux/sched.h, unchanged since v2.6.27 */
#define PF_KTHREAD 0x00200000u
/* PID_MAX_LIMIT on 64-bit: no valid PID is larger */
#define PID_LIMIT (4 * 1024 * 1024)
/* task_struct is ~2..16 KiB; more is a types mismatch */
#define TASK_WINDOW_CAP (64 * 1024)

enum { MM_FILE = 0, MM_ANON = 1, MM_SHMEM = 3 };   /* enum since v4.5 */

enum rss_shape { RSS_NONE, RSS_ATOMIC, RSS_PERCPU, RSS_OLD };

struct fld {
	uint64_t off, size;
	bool ok;
};

struct task_layout {
	struct vm_kernel *k;
	struct vm_mem *m;
	uint64_t task_size;
	struct fld tasks, pid, tgid, parent, comm, state, exit_state, flags, mm,
		active_mm, cpu, stack, signal, thread_node, thread_group, rss_cache,
		last_run, start_time, utime, stime;
	const char *last_run_src;
	uint64_t ti_cpu;                /* thread_info.cpu, stack-based case */
	bool cpu_on_stack;
	uint64_t thread_head;           /* signal_struct.thread_head */
	uint64_t window;                /* bytes of task_struct read */
	/* mm_struct */
	struct fld total_vm, mm_rss, file_rss, anon_rss;
	enum rss_shape rss_shape;
	unsigned rss_n;                 /* NR_MM_COUNTERS */
	uint64_t pcc_size, pcc_count, pcc_counters;
	/* runqueues */
	bool have_rq;
	uint64_t rq_curr, rq_idle, rq_clock;
	bool have_rq_clock;
	bool pf_kthread;
	struct vm_task_states states;
};

/* Find every member; fails only when a required one is missing. */
int vm_task_layout_init(struct task_layout *l, struct vm_kernel *k, struct vm_err *e);
/* Read the task_struct at task (l->window bytes into buf) and decode it;
 * no memory counters, active CPU or PPID (the list walk adds those). */
int vm_task_layout_read(struct task_layout *l, uint64_t task, uint8_t *buf,
			struct vm_task_info *t, struct vm_err *e);
/* total_vm and RSS of every task of tl (see tasks.h); pc may be NULL when
 * the per-CPU offsets are unknown (v6.2+ per-CPU counter shares are then
 * left out). */
int vm_tasks_fill_mem(const struct task_layout *l, const struct vm_percpu *pc,
		      struct vm_tasklist *tl, struct vm_err *e);

#endif
