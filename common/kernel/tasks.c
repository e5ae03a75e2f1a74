// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The task list walk (see tasks.h): idle tasks from the runqueues, the
 * thread group leaders on init_task.tasks, each group's threads; then the
 * active marks, PPIDs and memory counters.  Every list is walked bounded
 * and checked (list.h); a break is a warning, not the end.
 */
#include "tasks.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "tasks_impl.h"

struct collector {
	struct task_layout l;
	struct vm_percpu pc;
	bool have_pc;
	struct vm_tasklist *tl;
	size_t cap;
	uint64_t *set;           /* open-addressed task addresses */
	size_t set_cap;
	uint8_t *buf;
	uint64_t max_tasks;
	unsigned nwarn;
};

static size_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

static bool set_has(const struct collector *c, uint64_t task)
{
	size_t i;

	if (!c->set_cap)
		return false;
	for (i = hash64(task) & (c->set_cap - 1); c->set[i]; i = (i + 1) & (c->set_cap - 1))
		if (c->set[i] == task)
			return true;
	return false;
}

static int set_add(struct collector *c, uint64_t task, struct vm_err *e)
{
	size_t i;

	if ((c->tl->n + 1) * 2 > c->set_cap) {
		size_t ncap = c->set_cap ? c->set_cap * 2 : 256, j;
		uint64_t *ns = vm_calloc(ncap, sizeof(uint64_t), e);

		if (!ns)
			return -1;
		for (j = 0; j < c->set_cap; j++) {
			if (!c->set[j])
				continue;
			for (i = hash64(c->set[j]) & (ncap - 1); ns[i]; i = (i + 1) & (ncap - 1))
				;
			ns[i] = c->set[j];
		}
		free(c->set);
		c->set = ns;
		c->set_cap = ncap;
	}
	for (i = hash64(task) & (c->set_cap - 1); c->set[i]; i = (i + 1) & (c->set_cap - 1))
		;
	c->set[i] = task;
	return 0;
}

static void warn(struct collector *c, const struct vm_err *w)
{
	c->tl->incomplete = true;
	if (c->nwarn++ == 0)
		c->tl->warn = *w;
}

/* Read and append a task unless already listed.  Returns 1 added, 0 known,
 * -1 fatal (memory), -2 unreadable/corrupt (warned). */
static int add_task(struct collector *c, uint64_t task, bool idle, int idle_cpu,
		    struct vm_err *e)
{
	struct vm_tasklist *tl = c->tl;
	struct vm_task_info *t;
	struct vm_err re;

	if (!task || set_has(c, task))
		return 0;
	if (tl->n >= c->max_tasks) {
		vm_fail(&re, VM_ECORRUPT, "more than %" PRIu64 " tasks: stopped "
			"(a loop or corrupt pointers)", c->max_tasks);
		warn(c, &re);
		return -2;
	}
	if (tl->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 128;
		void *p = vm_realloc_array(tl->t, ncap, sizeof(*tl->t), e);

		if (!p)
			return -1;
		tl->t = p;
		c->cap = ncap;
	}
	t = &tl->t[tl->n];
	if (vm_task_layout_read(&c->l, task, c->buf, t, &re) < 0) {
		warn(c, &re);
		return -2;
	}
	if (idle) {
		t->idle = true;
		if (t->cpu < 0)
			t->cpu = idle_cpu;
	}
	if (set_add(c, task, e) < 0)
		return -1;
	tl->n++;
	return 1;
}

static int add_threads(struct collector *c, const struct vm_task_info *leader_in,
		       struct vm_err *e)
{
	struct task_layout *l = &c->l;
	struct vm_list_walk w;
	struct vm_err we;
	uint64_t node, head, signal, leader = leader_in->task, node_off;
	int r;

	if (l->thread_node.ok) {
		if (vm_kread_u64(l->m, leader + l->signal.off, &signal, &we) < 0 || !signal) {
			if (!signal && leader_in->exit_state)
				return 0;        /* reaped leader keeps no signal */
			if (signal)
				vm_err_prefix(&we, "task 0x%" PRIx64 " signal: ", leader);
			else
				vm_fail(&we, VM_ECORRUPT, "task 0x%" PRIx64 " (PID %" PRId32
					") has no signal_struct", leader, leader_in->pid);
			warn(c, &we);
			return 0;
		}
		head = signal + l->thread_head;
		node_off = l->thread_node.off;
	} else if (l->thread_group.ok) {
		head = leader + l->thread_group.off;
		node_off = l->thread_group.off;
	} else {
		return 0;
	}
	vm_list_init(&w, l->m, head, c->max_tasks, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, &we)) > 0)
		if (add_task(c, node - node_off, false, -1, e) == -1)
			return -1;
	if (r < 0) {
		vm_err_prefix(&we, "threads of PID %" PRId32 " (task 0x%" PRIx64 "): ",
			      leader_in->pid, leader);
		warn(c, &we);
	}
	return 0;
}

/* Add the leader at node and its threads. */
static int add_group(struct collector *c, uint64_t node, struct vm_err *e)
{
	uint64_t task = node - c->l.tasks.off;
	size_t idx = c->tl->n;
	int r = add_task(c, task, false, -1, e);

	if (r == -1)
		return -1;
	if (r == 1) {
		struct vm_task_info leader = c->tl->t[idx];

		return add_threads(c, &leader, e);
	}
	return 0;
}

static void read_runqueues(struct collector *c)
{
	struct task_layout *l = &c->l;
	struct vm_tasklist *tl = c->tl;
	struct vm_cpumask possible;
	struct vm_err re;
	uint64_t rq, idle, clk;
	unsigned cpu;
	bool have_mask;

	if (!c->have_pc || !l->have_rq)
		return;
	have_mask = vm_cpumask_read(l->k, VM_CPUS_POSSIBLE, &possible, &re) == 0;
	for (cpu = 0; cpu < tl->nr_cpu_ids; cpu++) {
		if (have_mask && !vm_cpumask_test(&possible, cpu))
			continue;
		if (vm_percpu_lookup(&c->pc, "runqueues", cpu, &rq, &re) < 0)
			return;
		if (vm_kread_u64(l->m, rq + l->rq_curr, &tl->curr[cpu], &re) < 0 ||
		    vm_kread_u64(l->m, rq + l->rq_idle, &idle, &re) < 0) {
			vm_err_prefix(&re, "runqueue of CPU %u at 0x%" PRIx64 ": ", cpu, rq);
			warn(c, &re);
			continue;
		}
		if (l->have_rq_clock && vm_kread_u64(l->m, rq + l->rq_clock, &clk, &re) == 0 &&
		    clk > tl->now_ns)
			tl->now_ns = clk;
		if (add_task(c, idle, true, (int)cpu, &re) == -1)
			return;
	}
}

/* The forward walk broke: walk backwards from the head to pick up the
 * tasks past the break, until a task already seen or the next break.
 * Returns the number of tasks added, -1 on a fatal error. */
static long recover_backwards(struct collector *c, uint64_t head, struct vm_err *e)
{
	struct vm_list_walk w;
	struct vm_err we;
	uint64_t node;
	size_t before = c->tl->n;

	vm_list_init(&w, c->l.m, head, c->max_tasks, VM_LIST_CHECK_PREV);
	while (vm_list_prev(&w, &node, &we) > 0) {
		if (set_has(c, node - c->l.tasks.off))
			break;
		if (add_group(c, node, e) < 0)
			return -1;
	}
	return (long)(c->tl->n - before);
}

static void total_pages(struct collector *c)
{
	struct vm_tasklist *tl = c->tl;
	struct vm_kernel *k = c->l.k;
	struct vm_err re;
	uint64_t addr, v, pa;

	/* _totalram_pages (atomic_long_t, v5.0+) or totalram_pages: MemTotal,
	 * the denominator ps(1) uses for %MEM. */
	if (vm_kernel_symbol(k, "_totalram_pages", &addr, &re) == 0 &&
	    vm_kread_u64(c->l.m, addr, &v, &re) == 0 && v) {
		tl->total_pages = v;
		tl->total_pages_src = "_totalram_pages";
		return;
	}
	if (vm_kernel_symbol(k, "totalram_pages", &addr, &re) == 0 &&
	    vm_kread_u64(c->l.m, addr, &v, &re) == 0 && v) {
		tl->total_pages = v;
		tl->total_pages_src = "totalram_pages";
		return;
	}
	/* crash's denominator: the PFN of high_memory */
	if (vm_kernel_symbol(k, "high_memory", &addr, &re) == 0 &&
	    vm_kread_u64(c->l.m, addr, &v, &re) == 0 && v &&
	    vm_kvtop(c->l.m, v - 1, &pa, &re) == 0) {
		tl->total_pages = pa / tl->page_size + 1;
		tl->total_pages_src = "high_memory";
		return;
	}
	/* a text-only kallsyms has none of those: the RAM the dump
	 * describes, a few percent above MemTotal (reserved memory) */
	if (vm_dump_info(k->dump)->ram_pages && tl->page_size) {
		const struct vm_dump_info *di = vm_dump_info(k->dump);

		/* the dump's blocks may be larger than the kernel's pages
		 * (QEMU writes 64K blocks for arm64) */
		tl->total_pages = di->ram_pages * di->page_size / tl->page_size;
		tl->total_pages_src = "the dump's RAM pages (no totalram_pages symbol)";
	}
}

static int cmp_task(const void *a, const void *b)
{
	const struct vm_task_info *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	/* crash orders PID 0 by CPU */
	if (x->pid == 0 && x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->task < y->task ? -1 : x->task > y->task;
}

static void mark_active(struct collector *c, struct vm_err *e)
{
	struct vm_tasklist *tl = c->tl;
	unsigned cpu;
	size_t i;

	for (cpu = 0; cpu < tl->nr_cpu_ids; cpu++) {
		if (!tl->curr[cpu])
			continue;
		/* a current task missing from the lists (corrupt list, or a
		 * task between unhash and its last switch) is still shown */
		if (!set_has(c, tl->curr[cpu]))
			add_task(c, tl->curr[cpu], false, -1, e);
	}
	for (i = 0; i < tl->n; i++)
		for (cpu = 0; cpu < tl->nr_cpu_ids; cpu++)
			if (tl->curr[cpu] == tl->t[i].task) {
				tl->t[i].active_cpu = (int)cpu;
				break;
			}
}

struct addr_idx {
	uint64_t task;
	size_t i;
};

static int cmp_addr_idx(const void *a, const void *b)
{
	const struct addr_idx *x = a, *y = b;

	return x->task < y->task ? -1 : x->task > y->task;
}

/* PPID from real_parent; the idle tasks show 0, as in crash: their
 * real_parent is whichever task ran fork_idle() at boot (PID 1 on v6.1),
 * an accident of how they are made, not a parent. */
static int fill_ppid(struct collector *c, struct vm_err *e)
{
	struct vm_tasklist *tl = c->tl;
	struct addr_idx *ix, key, *hit;
	struct vm_err re;
	size_t i;

	ix = vm_calloc(tl->n ? tl->n : 1, sizeof(*ix), e);
	if (!ix)
		return -1;
	for (i = 0; i < tl->n; i++) {
		ix[i].task = tl->t[i].task;
		ix[i].i = i;
	}
	qsort(ix, tl->n, sizeof(*ix), cmp_addr_idx);
	for (i = 0; i < tl->n; i++) {
		struct vm_task_info *t = &tl->t[i];
		uint32_t pid;

		t->ppid = 0;
		if (t->idle || t->pid == 0 || !t->parent)
			continue;
		key.task = t->parent;
		hit = bsearch(&key, ix, tl->n, sizeof(*ix), cmp_addr_idx);
		if (hit)
			t->ppid = tl->t[hit->i].pid;
		else if (vm_kread_u32(c->l.m, t->parent + c->l.pid.off, &pid, &re) == 0)
			t->ppid = (int32_t)pid;
	}
	free(ix);
	return 0;
}

static uint64_t task_bound(struct collector *c)
{
	struct vm_tasklist *tl = c->tl;
	uint64_t b;

	/* every task_struct takes RAM: no more of them than fit in it */
	if (tl->total_pages && c->l.task_size) {
		b = tl->total_pages * tl->page_size / c->l.task_size + 16;
		if (b < PID_LIMIT)
			return b;
	}
	return PID_LIMIT;
}

int vm_tasks_collect(struct vm_kernel *k, unsigned flags, struct vm_tasklist *tl,
		     struct vm_err *e)
{
	struct collector c;
	struct vm_list_walk w;
	struct vm_err we, pe;
	uint64_t init_task, node, head;
	int r, ret = -1;

	memset(tl, 0, sizeof(*tl));
	memset(&c, 0, sizeof(c));
	c.tl = tl;
	if (vm_task_layout_init(&c.l, k, e) < 0) {
		vm_err_prefix(e, "task list: ");
		return -1;
	}
	tl->state_src = c.l.states.source;
	tl->last_run_src = c.l.last_run_src;
	tl->page_size = vm_mem_page_size(c.l.m);
	if (!tl->page_size)
		tl->page_size = 4096;
	if (vm_kernel_symbol(k, "init_task", &init_task, e) < 0) {
		vm_err_prefix(e, "task list: ");
		return -1;
	}
	c.buf = vm_malloc(c.l.window, e);
	if (!c.buf)
		return -1;
	if (vm_percpu_open(k, &c.pc, &pe) == 0) {
		c.have_pc = true;
		tl->nr_cpu_ids = c.pc.nr_cpu_ids;
	} else {
		vm_err_prefix(&pe, "per-CPU data (idle and current tasks): ");
		warn(&c, &pe);
		tl->nr_cpu_ids = 1;
	}
	tl->curr = vm_calloc(tl->nr_cpu_ids, sizeof(uint64_t), e);
	if (!tl->curr)
		goto out;
	total_pages(&c);
	c.max_tasks = task_bound(&c);

	read_runqueues(&c);
	/* init_task is CPU 0's idle task; listed even without runqueues */
	if (add_task(&c, init_task, true, 0, e) == -1)
		goto out;

	head = init_task + c.l.tasks.off;
	vm_list_init(&w, c.l.m, head, c.max_tasks, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, &we)) > 0)
		if (add_group(&c, node, e) < 0)
			goto out;
	if (r < 0) {
		long got;
		size_t len;

		vm_err_prefix(&we, "task list (init_task.tasks): ");
		got = recover_backwards(&c, head, e);
		if (got < 0)
			goto out;
		len = strlen(we.msg);
		snprintf(we.msg + len, sizeof(we.msg) - len,
			 "; %ld tasks recovered walking back from the list's end", got);
		warn(&c, &we);
	}
	mark_active(&c, e);
	if (!(flags & VM_TASKS_NOMEM) &&
	    vm_tasks_fill_mem(&c.l, c.have_pc ? &c.pc : NULL, tl, e) < 0)
		goto out;
	qsort(tl->t, tl->n, sizeof(*tl->t), cmp_task);
	if (fill_ppid(&c, e) < 0)
		goto out;
	if (c.nwarn > 1) {
		size_t len = strlen(tl->warn.msg);

		snprintf(tl->warn.msg + len, sizeof(tl->warn.msg) - len,
			 " (and %u more problems)", c.nwarn - 1);
	}
	ret = 0;
out:
	if (ret < 0)
		vm_tasklist_free(tl);
	free(c.buf);
	free(c.set);
	if (c.have_pc)
		vm_percpu_close(&c.pc);
	return ret;
}

void vm_tasklist_free(struct vm_tasklist *tl)
{
	free(tl->t);
	free(tl->curr);
	tl->t = NULL;
	tl->curr = NULL;
	tl->n = 0;
}

const struct vm_task_info *vm_tasklist_by_pid(const struct vm_tasklist *tl, int32_t pid)
{
	size_t i;

	for (i = 0; i < tl->n; i++)
		if (tl->t[i].pid == pid)
			return &tl->t[i];
	return NULL;
}

const struct vm_task_info *vm_tasklist_by_task(const struct vm_tasklist *tl, uint64_t task)
{
	size_t i;

	for (i = 0; i < tl->n; i++)
		if (tl->t[i].task == task)
			return &tl->t[i];
	return NULL;
}

int vm_tasks_count2(struct vm_kernel *k, uint64_t *listed, uint64_t *idle,
		    struct vm_err *e)
{
	struct vm_tasklist tl;
	size_t i;

	if (vm_tasks_collect(k, VM_TASKS_NOMEM, &tl, e) < 0)
		return -1;
	*listed = *idle = 0;
	for (i = 0; i < tl.n; i++) {
		if (tl.t[i].idle)
			(*idle)++;
		else
			(*listed)++;
	}
	if (tl.incomplete) {
		vm_fail(e, tl.warn.code ? tl.warn.code : VM_ECORRUPT,
			"counted %zu tasks before the walk broke: %s", tl.n, tl.warn.msg);
		vm_tasklist_free(&tl);
		return -1;
	}
	vm_tasklist_free(&tl);
	return 0;
}

int vm_tasks_count(struct vm_kernel *k, uint64_t *n, struct vm_err *e)
{
	uint64_t listed = 0, idle = 0;
	int r = vm_tasks_count2(k, &listed, &idle, e);

	*n = listed + idle;
	return r;
}

