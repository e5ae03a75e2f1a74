// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Task list walk and per-task facts (see tasks.h).
 *
 * Layouts come from types (DWARF or BTF) through vm_kernel_offsetof; which
 * members exist tells the kernel generation (__state vs state, thread_head
 * vs thread_group, mm rss_stat's shape).  Each task_struct is read once, as
 * one window covering the members used, and decoded from that buffer.
 * Kernels are little-endian 64-bit here (the arch layer's scope).
 */
#include "tasks.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "percpu.h"
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

struct layout {
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

static int member(struct layout *l, const char *type, const char *name,
		  struct fld *f, struct vm_err *e)
{
	f->ok = vm_kernel_offsetof(l->k, type, name, &f->off, &f->size, e) == 0;
	return f->ok ? 0 : -1;
}

static bool opt_member(struct layout *l, const char *type, const char *name,
		       struct fld *f)
{
	struct vm_err e;

	return member(l, type, name, f, &e) == 0;
}

static void widen(struct layout *l, const struct fld *f)
{
	if (f->ok && f->off + f->size > l->window)
		l->window = f->off + f->size;
}

static int layout_mm(struct layout *l)
{
	struct vm_err e;
	uint64_t sz;

	if (!opt_member(l, "mm_struct", "total_vm", &l->total_vm))
		return 0;
	/* v2.6.34..v6.1: struct mm_rss_stat { atomic_long_t count[]; } */
	if (opt_member(l, "mm_struct", "rss_stat", &l->mm_rss) &&
	    vm_kernel_sizeof(l->k, "mm_rss_stat", &sz, &e) == 0 && sz == l->mm_rss.size) {
		struct fld c;

		if (opt_member(l, "mm_rss_stat", "count", &c) && c.size >= 16) {
			l->mm_rss.off += c.off;
			l->rss_shape = RSS_ATOMIC;
			l->rss_n = (unsigned)(c.size / 8);
		}
	} else if (l->mm_rss.ok &&
		   vm_kernel_sizeof(l->k, "percpu_counter", &l->pcc_size, &e) == 0 &&
		   l->pcc_size && l->mm_rss.size % l->pcc_size == 0) {
		/* v6.2+: struct percpu_counter rss_stat[NR_MM_COUNTERS] */
		struct fld c, p;

		if (opt_member(l, "percpu_counter", "count", &c) &&
		    opt_member(l, "percpu_counter", "counters", &p)) {
			l->pcc_count = c.off;
			l->pcc_counters = p.off;
			l->rss_shape = RSS_PERCPU;
			l->rss_n = (unsigned)(l->mm_rss.size / l->pcc_size);
		}
	} else if (opt_member(l, "mm_struct", "_file_rss", &l->file_rss) &&
		   opt_member(l, "mm_struct", "_anon_rss", &l->anon_rss)) {
		l->rss_shape = RSS_OLD;          /* before v2.6.34 */
	}
	if (l->rss_n > VM_MM_COUNTERS_MAX)
		l->rss_n = VM_MM_COUNTERS_MAX;
	return 0;
}

static int layout_init(struct layout *l, struct vm_kernel *k, struct vm_err *e)
{
	struct fld f;

	memset(l, 0, sizeof(*l));
	l->k = k;
	l->m = vm_kernel_mem(k, e);
	if (!l->m)
		return -1;
	if (vm_kernel_sizeof(k, "task_struct", &l->task_size, e) < 0)
		return -1;
	if (member(l, "task_struct", "tasks", &l->tasks, e) < 0 ||
	    member(l, "task_struct", "pid", &l->pid, e) < 0 ||
	    member(l, "task_struct", "tgid", &l->tgid, e) < 0 ||
	    member(l, "task_struct", "comm", &l->comm, e) < 0 ||
	    member(l, "task_struct", "flags", &l->flags, e) < 0 ||
	    member(l, "task_struct", "mm", &l->mm, e) < 0)
		return -1;
	if (!opt_member(l, "task_struct", "real_parent", &l->parent) &&
	    member(l, "task_struct", "parent", &l->parent, e) < 0)
		return -1;
	/* v5.14 renamed state to __state (2f064a59a11f) and made it an int */
	if (!opt_member(l, "task_struct", "__state", &l->state) &&
	    member(l, "task_struct", "state", &l->state, e) < 0)
		return -1;
	opt_member(l, "task_struct", "exit_state", &l->exit_state);
	opt_member(l, "task_struct", "active_mm", &l->active_mm);
	/* task_cpu(): thread_info.cpu (v5.16+ with THREAD_INFO_IN_TASK),
	 * task_struct.cpu (v4.9..v5.15), thread_info at the stack base. */
	if (!opt_member(l, "task_struct", "thread_info.cpu", &l->cpu) &&
	    !opt_member(l, "task_struct", "cpu", &l->cpu) &&
	    opt_member(l, "task_struct", "stack", &l->stack) &&
	    opt_member(l, "thread_info", "cpu", &f)) {
		l->ti_cpu = f.off;
		l->cpu = f;
		l->cpu_on_stack = true;
	}
	/* threads: signal->thread_head (v3.14+), else thread_group */
	if (opt_member(l, "task_struct", "signal", &l->signal) &&
	    opt_member(l, "task_struct", "thread_node", &l->thread_node) &&
	    opt_member(l, "signal_struct", "thread_head", &f))
		l->thread_head = f.off;
	else
		l->thread_node.ok = false;
	opt_member(l, "task_struct", "thread_group", &l->thread_group);
	/* SPLIT_RSS_COUNTING: struct task_rss_stat { int events; int count[]; } */
	if (opt_member(l, "task_struct", "rss_stat.count", &l->rss_cache) &&
	    (l->rss_cache.size % 4 || l->rss_cache.size > 4 * VM_MM_COUNTERS_MAX))
		l->rss_cache.ok = false;
	/* crash's ps -l reads sched_info.last_arrival (CONFIG_SCHED_INFO) */
	if (opt_member(l, "task_struct", "sched_info.last_arrival", &l->last_run))
		l->last_run_src = "sched_info.last_arrival";
	else if (opt_member(l, "task_struct", "se.exec_start", &l->last_run))
		l->last_run_src = "se.exec_start";
	if (l->last_run.ok && l->last_run.size != 8)
		l->last_run.ok = false, l->last_run_src = NULL;
	opt_member(l, "task_struct", "start_time", &l->start_time);
	opt_member(l, "task_struct", "utime", &l->utime);
	opt_member(l, "task_struct", "stime", &l->stime);

	widen(l, &l->tasks); widen(l, &l->pid); widen(l, &l->tgid);
	widen(l, &l->parent); widen(l, &l->comm); widen(l, &l->state);
	widen(l, &l->exit_state); widen(l, &l->flags); widen(l, &l->mm);
	widen(l, &l->active_mm); widen(l, &l->signal); widen(l, &l->thread_node);
	widen(l, &l->thread_group); widen(l, &l->rss_cache); widen(l, &l->last_run);
	widen(l, &l->start_time); widen(l, &l->utime); widen(l, &l->stime);
	if (l->cpu_on_stack)
		widen(l, &l->stack);
	else
		widen(l, &l->cpu);
	if (l->window > TASK_WINDOW_CAP || l->window > l->task_size)
		return vm_fail(e, VM_EMISMATCH,
			       "task_struct members end at %" PRIu64 ", past its size %" PRIu64
			       ": types do not match this kernel", l->window, l->task_size);

	layout_mm(l);
	if (opt_member(l, "rq", "curr", &f)) {
		l->rq_curr = f.off;
		if (opt_member(l, "rq", "idle", &f)) {
			l->rq_idle = f.off;
			l->have_rq = true;
		}
		if (opt_member(l, "rq", "clock", &f) && f.size == 8) {
			l->rq_clock = f.off;
			l->have_rq_clock = true;
		}
	}
	vm_task_states_init(k, &l->states);
	/* PF_KTHREAD marks kernel threads since v2.6.27; before, no mm did. */
	l->pf_kthread = l->states.version == 0 || l->states.version >= VM_KV(2, 6, 27);
	return 0;
}

static uint64_t get_uint(const uint8_t *buf, const struct fld *f)
{
	uint64_t v = 0;

	if (!f->ok)
		return 0;
	switch (f->size) {
	case 1: return buf[f->off];
	case 2: { uint16_t x; memcpy(&x, buf + f->off, 2); return x; }
	case 4: { uint32_t x; memcpy(&x, buf + f->off, 4); return x; }
	default: memcpy(&v, buf + f->off, 8); return v;
	}
}

static int32_t get_i32(const uint8_t *buf, const struct fld *f)
{
	return (int32_t)(uint32_t)get_uint(buf, f);
}

/* Decode one task_struct; buf holds l->window bytes from task. */
static int decode_task(struct layout *l, uint64_t task, const uint8_t *buf,
		       struct vm_task_info *t, struct vm_err *e)
{
	struct vm_err re;
	unsigned i;

	memset(t, 0, sizeof(*t));
	t->task = task;
	t->cpu = -1;
	t->active_cpu = -1;
	t->pid = get_i32(buf, &l->pid);
	t->tgid = get_i32(buf, &l->tgid);
	if (t->pid < 0 || t->pid >= PID_LIMIT)
		return vm_fail(e, VM_ECORRUPT, "task at 0x%" PRIx64 " has PID %" PRId32
			       ": not a task_struct", task, t->pid);
	t->parent = get_uint(buf, &l->parent);
	t->state = (uint32_t)get_uint(buf, &l->state);
	t->exit_state = (uint32_t)get_uint(buf, &l->exit_state);
	t->flags = get_uint(buf, &l->flags);
	t->mm = get_uint(buf, &l->mm);
	t->active_mm = get_uint(buf, &l->active_mm);
	memcpy(t->comm, buf + l->comm.off,
	       l->comm.size < VM_TASK_COMM_LEN ? l->comm.size : VM_TASK_COMM_LEN);
	t->comm[VM_TASK_COMM_LEN] = '\0';
	for (i = 0; t->comm[i]; i++)
		if ((unsigned char)t->comm[i] < 0x20 || (unsigned char)t->comm[i] == 0x7f)
			t->comm[i] = '?';
	if (l->cpu_on_stack) {
		uint64_t stack = get_uint(buf, &l->stack);
		uint32_t c;

		if (stack && vm_kread_u32(l->m, stack + l->ti_cpu, &c, &re) == 0)
			t->cpu = (int)c;
	} else if (l->cpu.ok) {
		t->cpu = (int)(uint32_t)get_uint(buf, &l->cpu);
	}
	t->kthread = l->pf_kthread ? (t->flags & PF_KTHREAD) != 0 : t->mm == 0;
	vm_task_state_code(&l->states, t->state, t->exit_state, t->st);
	vm_task_state_name(&l->states, t->state, t->exit_state, t->state_name,
			   sizeof(t->state_name));
	if (l->last_run.ok) {
		t->last_run = get_uint(buf, &l->last_run);
		t->have_last_run = true;
	}
	if (l->start_time.ok && l->start_time.size == 8 && l->utime.ok && l->stime.ok) {
		t->start_time = get_uint(buf, &l->start_time);
		t->utime = get_uint(buf, &l->utime);
		t->stime = get_uint(buf, &l->stime);
		t->have_times = true;
	}
	if (l->rss_cache.ok) {
		for (i = 0; i < l->rss_cache.size / 4; i++) {
			int32_t v;

			memcpy(&v, buf + l->rss_cache.off + 4 * i, 4);
			t->rss_cache[i] = v;
		}
		t->have_rss_cache = true;
	}
	return 0;
}

static int read_task(struct layout *l, uint64_t task, uint8_t *buf,
		     struct vm_task_info *t, struct vm_err *e)
{
	if (vm_kread(l->m, task, buf, l->window, e) < 0) {
		vm_err_prefix(e, "task_struct at 0x%" PRIx64 ": ", task);
		return -1;
	}
	return decode_task(l, task, buf, t, e);
}

/* ---- the collection ---- */

struct collector {
	struct layout l;
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
	if (read_task(&c->l, task, c->buf, t, &re) < 0) {
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
	struct layout *l = &c->l;
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
	struct layout *l = &c->l;
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
		if (vm_percpu_symbol(&c->pc, "runqueues", cpu, &rq, &re) < 0)
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
	}
}

/* ---- memory counters ---- */

static int64_t read_s64(struct vm_mem *m, uint64_t addr, bool *ok)
{
	struct vm_err re;
	uint64_t v;

	if (vm_kread_u64(m, addr, &v, &re) < 0) {
		*ok = false;
		return 0;
	}
	return (int64_t)v;
}

/* The mm's own counters, count[i] for i < rss_n. */
static bool mm_counters(struct collector *c, uint64_t mm, int64_t *cnt)
{
	struct layout *l = &c->l;
	bool ok = true;
	unsigned i, cpu;

	memset(cnt, 0, sizeof(int64_t) * VM_MM_COUNTERS_MAX);
	switch (l->rss_shape) {
	case RSS_ATOMIC:
		for (i = 0; i < l->rss_n; i++)
			cnt[i] = read_s64(l->m, mm + l->mm_rss.off + 8ull * i, &ok);
		break;
	case RSS_PERCPU:
		for (i = 0; i < l->rss_n && ok; i++) {
			uint64_t fbc = mm + l->mm_rss.off + i * l->pcc_size, ptr, a;
			struct vm_err re;
			uint32_t v;

			cnt[i] = read_s64(l->m, fbc + l->pcc_count, &ok);
			if (vm_kread_u64(l->m, fbc + l->pcc_counters, &ptr, &re) < 0) {
				ok = false;
				break;
			}
			/* folded at CPU hot-unplug, so every possible CPU may hold
			 * a share, including those panic() marked offline */
			for (cpu = 0; ptr && c->have_pc && cpu < c->pc.nr_cpu_ids; cpu++)
				if (vm_percpu_ptr(&c->pc, ptr, cpu, &a, &re) == 0 &&
				    vm_kread_u32(l->m, a, &v, &re) == 0)
					cnt[i] += (int32_t)v;
		}
		break;
	case RSS_OLD:
		cnt[MM_FILE] = read_s64(l->m, mm + l->file_rss.off, &ok);
		cnt[MM_ANON] = read_s64(l->m, mm + l->anon_rss.off, &ok);
		break;
	case RSS_NONE:
		return false;
	}
	return ok;
}

static int cmp_by_mm(const void *a, const void *b)
{
	const struct vm_task_info *x = *(struct vm_task_info *const *)a;
	const struct vm_task_info *y = *(struct vm_task_info *const *)b;

	return x->mm < y->mm ? -1 : x->mm > y->mm;
}

static int fill_mem(struct collector *c, struct vm_err *e)
{
	struct layout *l = &c->l;
	struct vm_tasklist *tl = c->tl;
	struct vm_task_info **by_mm;
	size_t i, j, n = 0;

	if (!l->total_vm.ok)
		return 0;
	by_mm = vm_calloc(tl->n ? tl->n : 1, sizeof(*by_mm), e);
	if (!by_mm)
		return -1;
	for (i = 0; i < tl->n; i++)
		if (tl->t[i].mm)
			by_mm[n++] = &tl->t[i];
	qsort(by_mm, n, sizeof(*by_mm), cmp_by_mm);
	for (i = 0; i < n; i = j) {
		int64_t cnt[VM_MM_COUNTERS_MAX], sum = 0;
		uint64_t mm = by_mm[i]->mm, total_vm;
		struct vm_err re;
		bool ok;
		unsigned ci;

		/* the unsynced deltas of every task using this mm */
		for (j = i; j < n && by_mm[j]->mm == mm; j++)
			;
		ok = vm_kread_u64(l->m, mm + l->total_vm.off, &total_vm, &re) == 0;
		if (!ok)
			continue;      /* left without have_mem: shown as 0 */
		ok = mm_counters(c, mm, cnt);
		for (ci = 0; ok && ci < l->rss_n; ci++) {
			size_t t;

			if (l->rss_shape != RSS_OLD && ci != MM_FILE && ci != MM_ANON &&
			    ci != MM_SHMEM)
				continue;
			if (l->rss_cache.ok && ci < l->rss_cache.size / 4)
				for (t = i; t < j; t++)
					cnt[ci] += by_mm[t]->rss_cache[ci];
			if (cnt[ci] > 0)
				sum += cnt[ci];
		}
		if (l->rss_shape == RSS_OLD)
			sum = (cnt[MM_FILE] > 0 ? cnt[MM_FILE] : 0) +
			      (cnt[MM_ANON] > 0 ? cnt[MM_ANON] : 0);
		for (; i < j; i++) {
			by_mm[i]->total_vm = total_vm;
			by_mm[i]->rss = ok ? (uint64_t)sum : 0;
			by_mm[i]->have_mem = true;
		}
		i = j;
	}
	free(by_mm);
	return 0;
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
	if (layout_init(&c.l, k, e) < 0) {
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
	if (!(flags & VM_TASKS_NOMEM) && fill_mem(&c, e) < 0)
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

int vm_task_read(struct vm_kernel *k, uint64_t task, struct vm_task_info *out,
		 struct vm_err *e)
{
	struct layout l;
	uint8_t *buf;
	int r;

	if (layout_init(&l, k, e) < 0)
		return -1;
	buf = vm_malloc(l.window, e);
	if (!buf)
		return -1;
	r = read_task(&l, task, buf, out, e);
	free(buf);
	return r;
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

/* ---- the panic task ---- */

static int read_cpu_var(struct vm_kernel *k, struct vm_mem *m, const char *sym,
			int32_t *v)
{
	struct vm_err re;
	uint64_t addr;
	uint32_t x;

	if (vm_kernel_symbol(k, sym, &addr, &re) < 0 || vm_kread_u32(m, addr, &x, &re) < 0)
		return -1;
	*v = (int32_t)x;
	return 0;
}

int vm_panic_task(struct vm_kernel *k, struct vm_task_info *out, struct vm_err *e)
{
	struct vm_percpu pc;
	struct vm_cpumask online;
	struct vm_err re;
	struct layout l;
	const char *how = NULL;
	uint64_t rq, curr;
	int32_t cpu = -1, v;
	unsigned i;
	uint8_t *buf;
	int r;

	if (layout_init(&l, k, e) < 0)
		return -1;
	if (!l.have_rq)
		return vm_fail(e, VM_ENOENT, "panic task: no runqueue type (rq.curr) to find it");
	if (vm_percpu_open(k, &pc, e) < 0) {
		vm_err_prefix(e, "panic task: ");
		return -1;
	}
	/* panic_cpu: atomic_t, PANIC_CPU_INVALID (-1) until panic() or
	 * crash_kexec() claims it (v4.5, 1717f2096b54) */
	if (read_cpu_var(k, l.m, "panic_cpu", &v) == 0 && v >= 0 &&
	    (unsigned)v < pc.nr_cpu_ids)
		cpu = v, how = "panic_cpu";
	/* x86: crashing_cpu, set by kdump's NMI shootdown */
	else if (read_cpu_var(k, l.m, "crashing_cpu", &v) == 0 && v >= 0 &&
		 (unsigned)v < pc.nr_cpu_ids)
		cpu = v, how = "crashing_cpu";
	else if (vm_cpumask_read(k, VM_CPUS_ONLINE, &online, &re) == 0 &&
		 vm_cpumask_weight(&online) == 1) {
		for (i = 0; i < online.nbits; i++)
			if (vm_cpumask_test(&online, i))
				cpu = (int32_t)i;
		how = "the only online CPU";
	}
	if (cpu < 0) {
		vm_percpu_close(&pc);
		return vm_fail(e, VM_ENOENT, "panic task: no CPU recorded as panicking "
			       "(panic_cpu and crashing_cpu unset, several CPUs online)");
	}
	r = vm_percpu_symbol(&pc, "runqueues", (unsigned)cpu, &rq, e);
	vm_percpu_close(&pc);
	if (r < 0 || vm_kread_u64(l.m, rq + l.rq_curr, &curr, e) < 0) {
		vm_err_prefix(e, "panic task: current task of CPU %d (%s): ", cpu, how);
		return -1;
	}
	buf = vm_malloc(l.window, e);
	if (!buf)
		return -1;
	r = read_task(&l, curr, buf, out, e);
	free(buf);
	if (r < 0) {
		vm_err_prefix(e, "panic task (CPU %d from %s): ", cpu, how);
		return -1;
	}
	out->active_cpu = cpu;
	if (out->pid == 0)
		out->idle = true;
	return 0;
}
