// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The task list as programs hold it (an opaque handle, vmcore.h) and the
 * choice of tasks every task view makes: by PID, task address or command,
 * kernel threads or user tasks, group leaders, running tasks.
 */
#include "../vmcore.h"
#include "tasks.h"

#include <stdlib.h>
#include <string.h>

struct vm_tasklist *vm_tasks_open(struct vm_kernel *k, unsigned flags, struct vm_err *e)
{
	struct vm_tasklist *tl = vm_calloc(1, sizeof(*tl), e);

	if (!tl)
		return NULL;
	if (vm_tasks_collect(k, flags, tl, e) < 0) {
		free(tl);
		return NULL;
	}
	return tl;
}

void vm_tasks_close(struct vm_tasklist *tl)
{
	if (!tl)
		return;
	vm_tasklist_free(tl);
	free(tl);
}

size_t vm_tasks_n(const struct vm_tasklist *tl)
{
	return tl->n;
}

const struct vm_task_info *vm_tasks_at(const struct vm_tasklist *tl, size_t i)
{
	return i < tl->n ? &tl->t[i] : NULL;
}

const struct vm_task_info *vm_tasks_on_cpu(const struct vm_tasklist *tl, unsigned cpu)
{
	if (cpu >= tl->nr_cpu_ids || !tl->curr || !tl->curr[cpu])
		return NULL;
	return vm_tasklist_by_task(tl, tl->curr[cpu]);
}

unsigned vm_tasks_nr_cpus(const struct vm_tasklist *tl)
{
	return tl->nr_cpu_ids;
}

const char *vm_tasks_damage(const struct vm_tasklist *tl)
{
	return tl->incomplete ? tl->warn.msg : NULL;
}

const char *vm_tasks_state_source(const struct vm_tasklist *tl)
{
	return tl->state_src;
}

const char *vm_tasks_mem_source(const struct vm_tasklist *tl, uint64_t *pages)
{
	*pages = tl->total_pages;
	return tl->total_pages_src;
}

bool vm_task_sel_match(const struct vm_task_sel *s, const struct vm_task_info *t)
{
	switch (s->a.kind) {
	case VM_ARG_PID: return t->pid == s->a.pid;
	case VM_ARG_TASK: return t->task == s->a.addr;
	case VM_ARG_COMM: return strcmp(t->comm, s->a.name) == 0;
	}
	return false;
}

static bool selected(struct vm_task_sel *sel, size_t nsel, const struct vm_task_info *t)
{
	bool any = false;
	size_t i;

	if (!nsel)
		return true;
	for (i = 0; i < nsel; i++)
		if (vm_task_sel_match(&sel[i], t))
			any = sel[i].matched = true;
	return any;
}

static bool filtered(unsigned filter, const struct vm_task_info *t)
{
	return ((filter & VM_PICK_KTHREADS) && !t->kthread) ||
	       ((filter & VM_PICK_USER) && t->kthread) ||
	       ((filter & VM_PICK_ACTIVE) && t->active_cpu < 0);
}

const struct vm_task_info **vm_tasks_pick(const struct vm_tasklist *tl,
					  struct vm_task_sel *sel, size_t nsel,
					  unsigned filter, size_t *np, struct vm_err *e)
{
	const struct vm_task_info **out = vm_calloc(tl->n + 1, sizeof(*out), e);
	size_t i, n = 0, k;

	if (!out)
		return NULL;
	for (i = 0; i < tl->n; i++) {
		const struct vm_task_info *t = &tl->t[i];

		if (!selected(sel, nsel, t))
			continue;
		if ((filter & VM_PICK_LEADERS) && t->pid != t->tgid) {
			const struct vm_task_info *l = vm_tasklist_by_pid(tl, t->tgid);

			if (!nsel || !l)
				continue;
			t = l;
		}
		if (filtered(filter, t))
			continue;
		for (k = 0; k < n && out[k] != t; k++)
			;
		if (k == n)
			out[n++] = t;
	}
	*np = n;
	return out;
}
