// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One task_struct: where its members are (types, once per run) and what
 * they say.  Which members exist tells the kernel generation (__state vs
 * state, thread_head vs thread_group, mm rss_stat's shape).  A task_struct
 * is read once, as one window covering the members used, and decoded from
 * that buffer.  Kernels are little-endian 64-bit here (the arch layer's
 * scope).
 */
#include "tasks_impl.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

static int member(struct task_layout *l, const char *type, const char *name,
		  struct fld *f, struct vm_err *e)
{
	f->ok = vm_kernel_offsetof(l->k, type, name, &f->off, &f->size, e) == 0;
	return f->ok ? 0 : -1;
}

static bool opt_member(struct task_layout *l, const char *type, const char *name,
		       struct fld *f)
{
	struct vm_err e;

	return member(l, type, name, f, &e) == 0;
}

static void widen(struct task_layout *l, const struct fld *f)
{
	if (f->ok && f->off + f->size > l->window)
		l->window = f->off + f->size;
}

static int layout_mm(struct task_layout *l)
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

int vm_task_layout_init(struct task_layout *l, struct vm_kernel *k, struct vm_err *e)
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

/* A field of the task_struct copy, in the target's (little-endian) order. */
static uint64_t get_uint(const uint8_t *buf, const struct fld *f)
{
	if (!f->ok)
		return 0;
	switch (f->size) {
	case 1: return buf[f->off];
	case 2: return vm_le16(buf + f->off);
	case 4: return vm_le32(buf + f->off);
	default: return vm_le64(buf + f->off);
	}
}

static int32_t get_i32(const uint8_t *buf, const struct fld *f)
{
	return (int32_t)(uint32_t)get_uint(buf, f);
}

/* Decode one task_struct; buf holds l->window bytes from task. */
static int decode_task(struct task_layout *l, uint64_t task, const uint8_t *buf,
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
		for (i = 0; i < l->rss_cache.size / 4; i++)
			t->rss_cache[i] = (int32_t)vm_le32(buf + l->rss_cache.off + 4 * i);
		t->have_rss_cache = true;
	}
	return 0;
}

int vm_task_layout_read(struct task_layout *l, uint64_t task, uint8_t *buf,
		     struct vm_task_info *t, struct vm_err *e)
{
	if (vm_kread(l->m, task, buf, l->window, e) < 0) {
		vm_err_prefix(e, "task_struct at 0x%" PRIx64 ": ", task);
		return -1;
	}
	return decode_task(l, task, buf, t, e);
}

int vm_task_read(struct vm_kernel *k, uint64_t task, struct vm_task_info *out,
		 struct vm_err *e)
{
	struct task_layout l;
	uint8_t *buf;
	int r;

	if (vm_task_layout_init(&l, k, e) < 0)
		return -1;
	buf = vm_malloc(l.window, e);
	if (!buf)
		return -1;
	r = vm_task_layout_read(&l, task, buf, out, e);
	free(buf);
	return r;
}

