/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tasks of the dumped kernel, as crash's `ps` sees them.
 *
 * Which tasks: every thread group leader on init_task.tasks, every thread
 * of each group (signal->thread_head/thread_node since v3.14, else the
 * leader's thread_group ring; thread_group is gone in v6.7), and each
 * CPU's idle task (runqueues.idle: swapper/N, PID 0), which no list holds
 * except init_task for CPU 0.  A task is "active" when it is some CPU's
 * runqueues.curr at the crash.
 *
 * Per task: PID, TGID, PPID = real_parent->pid (what drgn and /proc's
 * parent link use; crash follows ->parent, which differs only for ptraced
 * tasks; 0 for the idle tasks, as crash shows them), CPU = task_cpu() (thread_info.cpu in v5.16+ with
 * THREAD_INFO_IN_TASK, task_struct.cpu in v4.9..v5.15, thread_info on the
 * stack before), state, comm, PF_* flags, mm, and the memory counters.
 *
 * RSS: the mm's counters (MM_FILEPAGES + MM_ANONPAGES + MM_SHMEMPAGES;
 * atomic_long_t count[] until v6.1, percpu_counter since v6.2, summed over
 * the possible CPUs) plus, under SPLIT_RSS_COUNTING (v2.6.34..v6.1), the
 * not-yet-synced deltas every task using that mm keeps in
 * task_struct.rss_stat.count[]; each counter's sum is clamped at 0 as
 * get_mm_counter() does.  Every thread sharing an mm shows the same RSS.
 */
#ifndef VM_TASKS_H
#define VM_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../vmcore_types.h"
#include "kernel.h"

struct vm_tasklist {
	struct vm_task_info *t;      /* sorted: PID, idle tasks by CPU */
	size_t n;
	unsigned nr_cpu_ids;
	uint64_t *curr;              /* [nr_cpu_ids]: runqueues.curr, 0 unknown */
	uint64_t total_pages;        /* RAM pages for %MEM; 0 unknown */
	const char *total_pages_src; /* "_totalram_pages", ... */
	uint32_t page_size;
	const char *last_run_src;    /* member used for last_run, NULL none */
	uint64_t now_ns;             /* latest runqueue clock (for run times) */
	const char *state_src;       /* how the state bits were chosen */
	bool incomplete;             /* a walk was cut short: see warn */
	struct vm_err warn;
};

/* Walk every task.  Returns -1 only if no task can be listed at all; a walk
 * cut short by a loop or a bad pointer returns 0 with incomplete set and
 * the reason in warn. */
int vm_tasks_collect(struct vm_kernel *k, unsigned flags, struct vm_tasklist *tl,
		     struct vm_err *e);
void vm_tasklist_free(struct vm_tasklist *tl);

/* Lookups in a collected list (NULL if absent; by_pid returns the first,
 * i.e. CPU 0's idle task for PID 0). */
const struct vm_task_info *vm_tasklist_by_pid(const struct vm_tasklist *tl, int32_t pid);
const struct vm_task_info *vm_tasklist_by_task(const struct vm_tasklist *tl, uint64_t task);

/* One task by address, without the list walk (no mm counters). */
int vm_task_read(struct vm_kernel *k, uint64_t task, struct vm_task_info *out,
		 struct vm_err *e);

/* crash's TASKS: every task it lists, i.e. all threads plus one idle task
 * per CPU.  drgn's for_each_task() count is this minus the idle tasks. */
int vm_tasks_count(struct vm_kernel *k, uint64_t *n, struct vm_err *e);
/* Same, split: threads on the task lists and idle tasks. */
int vm_tasks_count2(struct vm_kernel *k, uint64_t *listed, uint64_t *idle,
		    struct vm_err *e);

/*
 * The task that panicked: the current task of the CPU that ran panic().
 * That CPU is panic_cpu (kernel/panic.c, v4.5+; also claimed by
 * crash_kexec()), else x86's crashing_cpu (set when kdump shoots down the
 * other CPUs), else the only online CPU.  state_name is crash's form for
 * `sys` ("TASK_RUNNING"); out->active_cpu is the panicking CPU.
 */
int vm_panic_task(struct vm_kernel *k, struct vm_task_info *out, struct vm_err *e);

#endif
