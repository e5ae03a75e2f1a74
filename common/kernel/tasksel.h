/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Choosing tasks from a collected task list, as crash's `foreach` and
 * `ps -S` do: by state code (crash's two letters: RU IN UN ST TR ZO DE SW
 * WA PA ID NE), by a regular expression on the command name, by PID, and
 * a count of the tasks in each state.  Several criteria must all hold; a
 * criterion with several values (UN,RU) holds when any value does.
 */
#ifndef VM_TASKSEL_H
#define VM_TASKSEL_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasks.h"

/* At most this many PID ranges in one selection (a command line's worth). */
#define VM_TASKSEL_MAX_PIDS 4096

struct vm_pid_range {
	int32_t lo, hi;
};

struct vm_tasksel {
	uint32_t states;             /* bit i: vm_task_state_codes[i]; 0 any */
	bool have_comm;
	regex_t comm;                /* POSIX extended, unanchored (grep -E) */
	struct vm_pid_range *pids;   /* NULL: any PID */
	size_t npids;
};

/* The codes a state list may name, in crash's order; NULL-terminated. */
extern const char *const vm_task_state_codes[];

void vm_tasksel_init(struct vm_tasksel *s);
void vm_tasksel_free(struct vm_tasksel *s);
/* The same on the heap (vmcore.h's handle). */
struct vm_tasksel *vm_tasksel_new(struct vm_err *e);
void vm_tasksel_close(struct vm_tasksel *s);

/* Add states from a comma-separated list ("UN,RU", case-insensitive);
 * VM_EINVAL naming the codes it knows for anything else. */
int vm_tasksel_states(struct vm_tasksel *s, const char *list, struct vm_err *e);
/* Command names matching the extended regular expression re (one per
 * selection; a second call replaces the first). */
int vm_tasksel_comm(struct vm_tasksel *s, const char *re, struct vm_err *e);
/* Add PIDs from "1,93,100-120". */
int vm_tasksel_pids(struct vm_tasksel *s, const char *list, struct vm_err *e);

/* Nothing was asked: every task is selected. */
bool vm_tasksel_any(const struct vm_tasksel *s);
bool vm_tasksel_match(const struct vm_tasksel *s, const struct vm_task_info *t);

struct vm_state_count {
	char st[3];
	size_t n;
};

/* crash's `ps -S`: each state code with its number of (selected) tasks, in
 * the order the states first occur in the list.  Returns how many states
 * were written (at most max). */
size_t vm_tasks_summary(const struct vm_tasklist *tl, const struct vm_tasksel *s,
			struct vm_state_count *out, size_t max);
/* The same over tasks v[0..n) chosen by the caller. */
size_t vm_tasks_summary_of(const struct vm_task_info *const *v, size_t n,
			   struct vm_state_count *out, size_t max);

#endif
