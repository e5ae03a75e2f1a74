// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 stack walks by frame records.
 *
 * The kernel is always built with frame pointers on arm64: x29 points at
 * a record {caller's x29, x30 (return address)} on the stack.  Where a walk
 * starts:
 *  - an active CPU's registers (NT_PRSTATUS): pc, and x29's record;
 *  - a sleeping task: thread.cpu_context, saved by cpu_switch_to(): its pc
 *    is the return into __switch_to(), its fp __switch_to()'s record.
 * Exception entry (kernel_entry in entry.S, v4.14+) builds a record inside
 * pt_regs, pt_regs.stackframe = {interrupted x29, ELR}, and points x29 at
 * it, so the chain runs through interrupts; a record whose pt_regs holds
 * the same pc and x29 and an EL1 PSTATE is such a frame, and its registers
 * are reported.  Entry from EL0 zeroes the record (the "final frame" at the
 * top of the task stack): the walk ends there, with the user registers.
 * call_on_irq_stack() leaves its record on the task stack, so the chain
 * crosses from the IRQ stack back by itself; a record must lie on one of
 * the task's or the CPU's stacks, above the last one on the same stack.
 */
#include "arm64_unwind.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64_unwind_impl.h"
#include "../rd.h"

struct walk {
	struct vm_unwinder *u;
	struct vm_unwind_res *res;
	unsigned max;
	uint64_t fp;              /* the next record */
	int stack;                /* area of the last record, -1 none yet */
	uint64_t last_fp;
	unsigned visited;         /* bit i: area i left behind */
};

static int area_of(const struct vm_unwind_res *res, uint64_t addr, size_t len)
{
	return vm_unwind_area_of(res, addr, len);
}

static struct vm_frame *push(struct walk *w)
{
	return vm_unwind_push(w->res);
}

static int stop(struct walk *w, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int stop(struct walk *w, int code, const char *fmt, ...)
{
	va_list ap;

	/* the bottom of the stack is not a stop to report */
	w->res->stop_code = code;
	if (code == VM_EOK) {
		w->res->stop[0] = '\0';
		return 0;
	}
	va_start(ap, fmt);
	vsnprintf(w->res->stop, sizeof(w->res->stop), fmt, ap);
	va_end(ap);
	return 0;
}

/* struct user_pt_regs at addr into r. */
static int read_user_regs(struct vm_unwinder *u, uint64_t addr, struct vm_regs *r,
			  struct vm_err *e)
{
	uint8_t b[A64_USER_REGS * 8];
	int i;

	if (vm_kread(u->m, addr, b, sizeof(b), e) < 0)
		return -1;
	memset(r, 0, sizeof(*r));
	r->pid = -1;
	for (i = 0; i < A64_USER_REGS; i++) {
		r->r[i] = vm_le64(b + i * 8);
		r->valid |= 1ull << i;
	}
	return 0;
}

/* SPSR bits AArch64 defines: NZCV, DIT, UAO, PAN, SS, IL, SSBS, BTYPE,
 * DAIF, M[4:0]; a word with others set is not a saved PSTATE */
#define A64_PSTATE_BITS (UINT64_C(0xf0000000) | UINT64_C(0x01f00000) | \
			 UINT64_C(0x1000) | UINT64_C(0xc00) | UINT64_C(0x3c0) | \
			 UINT64_C(0x1f))

static bool kernel_mode(uint64_t pstate)
{
	unsigned mode = pstate & A64_MODE_MASK;

	return !(pstate & ~A64_PSTATE_BITS) && (mode == A64_EL1T || mode == A64_EL1H);
}

static bool user_mode(uint64_t pstate)
{
	return !(pstate & ~A64_PSTATE_BITS) && (pstate & 0x1f) == A64_EL0T;
}

/* Is the record at fp the frame record of an exception's pt_regs? */
static bool eframe_at(struct walk *w, uint64_t fp, uint64_t next_fp, uint64_t lr,
		      struct vm_regs *r, uint64_t *regs_addr)
{
	struct vm_unwinder *u = w->u;
	struct vm_err e;

	if (!u->have_ptregs || fp < u->off_stackframe)
		return false;
	*regs_addr = fp - u->off_stackframe;
	if (area_of(w->res, *regs_addr, (size_t)u->ptregs_size) < 0 ||
	    read_user_regs(u, *regs_addr, r, &e) < 0)
		return false;
	return kernel_mode(r->r[VM_ARM64_PSTATE]) && r->r[VM_ARM64_PC] == lr &&
	       r->r[VM_ARM64_FP] == next_fp;
}

/* The record at the top of the task stack is in the pt_regs of the entry
 * from user space (zeroed by kernel_entry): the user's registers. */
static bool user_final(struct walk *w, uint64_t fp, struct vm_regs *r, uint64_t *regs_addr)
{
	struct vm_unwinder *u = w->u;
	const struct vm_stack_area *t = &w->res->stacks[0];
	struct vm_err e;

	if (!u->have_ptregs || !w->res->nstacks || strcmp(t->name, "task") ||
	    fp != t->hi - u->ptregs_size + u->off_stackframe)
		return false;
	*regs_addr = t->hi - u->ptregs_size;
	return read_user_regs(u, *regs_addr, r, &e) == 0 && user_mode(r->r[VM_ARM64_PSTATE]) &&
	       (r->r[VM_ARM64_PC] || r->r[VM_ARM64_SP]);
}

static int push_eframe(struct walk *w, const struct vm_regs *r, uint64_t regs_addr,
		       bool user, struct vm_err *e)
{
	struct vm_frame *f = push(w);

	if (!f)
		return vm_fail(e, VM_ENOMEM, "out of memory");
	f->kind = VM_FRAME_INTR;
	f->how = VM_UNW_FP;
	f->regs = *r;
	f->regs_addr = regs_addr;
	f->pc = r->r[VM_ARM64_PC];
	f->sp = r->r[VM_ARM64_SP];
	f->user = user;
	f->stack = (int8_t)(user ? -1 : area_of(w->res, regs_addr, 1));
	return 1;
}

/* One record: 1 a frame was added, 0 the walk is over (res->stop says
 * why), -1 out of memory. */
static int step(struct walk *w, struct vm_err *e)
{
	struct vm_unwinder *u = w->u;
	struct vm_regs r;
	uint64_t fp = w->fp, next_fp, lr, regs_addr;
	struct vm_err re;
	struct vm_frame *f;
	int a;

	if (!fp)
		return stop(w, VM_EOK, "end of the frame records");
	if (user_final(w, fp, &r, &regs_addr)) {
		w->fp = 0;
		return push_eframe(w, &r, regs_addr, true, e);
	}
	if ((fp & 15) == 8) {
		/* Since v6.13 (arm64 "stacktrace: unwind exception boundaries")
		 * pt_regs ends in a struct frame_record_meta: a {0, 0} record
		 * and a type, 1 (FRAME_META_TYPE_FINAL) at the bottom of every
		 * task's stack, 2 (PT_REGS) at an exception boundary. */
		uint64_t rec[3];

		if (vm_kread(u->m, fp, rec, sizeof(rec), &re) == 0 && !rec[0] && !rec[1]) {
			if (rec[2] == 1)
				return stop(w, VM_EOK, "end of the frame records");
			a = area_of(w->res, fp, 24);
			if (rec[2] == 2 && u->have_ptregs && fp >= u->off_stackframe && a >= 0 &&
			    read_user_regs(u, fp - u->off_stackframe, &r, &re) == 0) {
				/* the interrupted context's registers: go on
				 * from its frame pointer */
				if (a != w->stack && w->stack >= 0)
					w->visited |= 1u << w->stack;
				w->stack = a;
				w->last_fp = fp;
				w->fp = user_mode(r.r[VM_ARM64_PSTATE]) ? 0 : r.r[VM_ARM64_FP];
				return push_eframe(w, &r, fp - u->off_stackframe,
						   user_mode(r.r[VM_ARM64_PSTATE]), e);
			}
			return stop(w, VM_ECORRUPT, "frame_record_meta at %" PRIx64 " of unknown "
				    "type %" PRIu64, fp, rec[2]);
		}
	}
	if (fp & 15)
		return stop(w, VM_ECORRUPT, "frame record %" PRIx64 " is not 16-byte aligned", fp);
	a = area_of(w->res, fp, 16);
	if (a < 0)
		return stop(w, VM_ECORRUPT, "frame record %" PRIx64 " is on none of the "
			    "task's stacks%s", fp, w->res->nstacks ? "" : " (stack areas unknown)");
	if (a == w->stack && fp <= w->last_fp)
		return stop(w, VM_ECORRUPT, "frame record %" PRIx64 " is not above the "
			    "last one (%" PRIx64 ")", fp, w->last_fp);
	if (a != w->stack && (w->visited >> a & 1))
		return stop(w, VM_ECORRUPT, "frame record %" PRIx64 " goes back to the %s "
			    "stack", fp, w->res->stacks[a].name);
	if (vm_kread_u64(u->m, fp, &next_fp, &re) < 0 ||
	    vm_kread_u64(u->m, fp + 8, &lr, &re) < 0)
		return stop(w, re.code, "frame record %" PRIx64 ": %s", fp, re.msg);
	if (a != w->stack && w->stack >= 0)
		w->visited |= 1u << w->stack;
	w->stack = a;
	w->last_fp = fp;
	w->fp = next_fp;
	lr = a64u_strip_pac(u, lr);
	if (!lr)
		return stop(w, VM_EOK, "end of the frame records");
	if (eframe_at(w, fp, next_fp, lr, &r, &regs_addr))
		return push_eframe(w, &r, regs_addr, false, e);
	f = push(w);
	if (!f)
		return vm_fail(e, VM_ENOMEM, "out of memory");
	f->kind = VM_FRAME_CALL;
	f->how = VM_UNW_FP;
	f->pc = lr;
	f->slot = fp + 8;
	f->sp = fp + 16;
	f->stack = (int8_t)a;
	if (u->env.is_text && !u->env.is_text(u->env.arg, lr)) {
		w->res->n--;
		return stop(w, VM_ECORRUPT, "return address %" PRIx64 " in the record at %"
			    PRIx64 " is not kernel text", lr, fp);
	}
	return 1;
}

static void add_cpu_areas(struct vm_unwinder *u, struct vm_unwind_res *res, int cpu)
{
	const struct a64_cpu *c = a64u_cpu_stacks(u, cpu);
	unsigned i;

	for (i = 0; c && i < c->n && res->nstacks < VM_UNWIND_MAX_STACKS; i++)
		res->stacks[res->nstacks++] = c->a[i];
}

/* The CPU whose own stacks hold sp, or -1. */
static int cpu_of_sp(struct vm_unwinder *u, uint64_t sp)
{
	int c;
	unsigned i;

	for (c = 0; c < u->ncpu && c < 1024; c++) {
		const struct a64_cpu *s = a64u_cpu_stacks(u, c);

		for (i = 0; s && i < s->n; i++)
			if (sp >= s->a[i].lo && sp < s->a[i].hi)
				return c;
	}
	return -1;
}

static int start_regs(struct walk *w, const struct vm_regs *r, struct vm_err *e)
{
	struct vm_frame *f = push(w);

	if (!f)
		return vm_fail(e, VM_ENOMEM, "out of memory");
	f->kind = VM_FRAME_START;
	f->how = VM_UNW_REGS;
	f->regs = *r;
	f->pc = r->r[VM_ARM64_PC];
	f->sp = r->r[VM_ARM64_SP];
	f->user = user_mode(r->r[VM_ARM64_PSTATE]);
	f->stack = (int8_t)area_of(w->res, f->sp, 1);
	w->fp = f->user ? 0 : r->r[VM_ARM64_FP];
	return 0;
}

static int start_saved(struct walk *w, uint64_t task, struct vm_err *e)
{
	struct vm_unwinder *u = w->u;
	uint64_t fp, sp, pc;
	struct vm_frame *f;

	if (!u->have_ctx)
		return vm_fail(e, VM_ENOENT, "offsets of thread.cpu_context unknown (no types)");
	if (vm_kread_u64(u->m, task + u->off_ctx_fp, &fp, e) < 0 ||
	    vm_kread_u64(u->m, task + u->off_ctx_sp, &sp, e) < 0 ||
	    vm_kread_u64(u->m, task + u->off_ctx_pc, &pc, e) < 0) {
		vm_err_prefix(e, "task %" PRIx64 " thread.cpu_context: ", task);
		return -1;
	}
	f = push(w);
	if (!f)
		return vm_fail(e, VM_ENOMEM, "out of memory");
	f->kind = VM_FRAME_CALL;
	f->how = VM_UNW_SAVED;
	f->pc = a64u_strip_pac(u, pc);
	f->sp = sp;
	f->slot = task + u->off_ctx_pc;
	f->regs_addr = sp;
	f->stack = (int8_t)area_of(w->res, sp, 1);
	w->fp = fp;
	return 0;
}

/* Does the instruction before ret branch with link (BL, BLR, BLRAA and
 * kin)?  A return address follows one. */
static bool after_bl(struct vm_unwinder *u, uint64_t ret, bool unreadable_ok)
{
	struct vm_err e;
	uint32_t insn;

	if (ret < 4 || vm_kread_u32(u->m, ret - 4, &insn, &e) < 0)
		return unreadable_ok;
	return (insn & 0xfc000000u) == 0x94000000u ||       /* BL imm26 */
	       (insn & 0xfffffc1fu) == 0xd63f0000u ||       /* BLR Xn */
	       (insn & 0xfefff800u) == 0xd63f0800u;         /* BLRAA/BLRAB(Z) */
}

/* A frame record at p: its return address is kernel text after a branch
 * with link, its next record 16-aligned above p on a known stack.  first: the record the caller pointed at, whose return
 * address may be into init text freed after boot (start_kernel's
 * frames), code no longer in the dump. */
static bool record_at(struct walk *w, uint64_t p, bool first)
{
	struct vm_unwinder *u = w->u;
	struct vm_err e;
	uint64_t next, lr;

	if (vm_kread_u64(u->m, p, &next, &e) < 0 || vm_kread_u64(u->m, p + 8, &lr, &e) < 0)
		return false;
	lr = a64u_strip_pac(u, lr);
	if (!u->env.is_text || !u->env.is_text(u->env.arg, lr) || !after_bl(u, lr, first))
		return false;
	/* next 0 ends the chain only in the final record (pt_regs), whose
	 * return address is 0 as well */
	return !(next & 15) && next > p && area_of(w->res, next, 16) >= 0;
}

/*
 * crash's bt -S SP [-I IP]: the first frame record at or above SP (SP
 * rounded down to 16 bytes, so the address in brackets on a frame line,
 * the record's return-address slot as crash has it, finds that record);
 * with IP, a first frame at IP.  0, or -1 out of memory.
 */
static int start_manual(struct walk *w, const struct vm_unwind_req *req, struct vm_err *e)
{
	struct vm_unwind_res *res = w->res;
	uint64_t p = req->start_sp & ~UINT64_C(15);
	int a = area_of(res, req->start_sp, 1);
	struct vm_frame *f;

	if (a < 0)
		return stop(w, VM_EINVAL, "stack pointer %" PRIx64 " is on none of the "
			    "task's stacks%s", req->start_sp,
			    res->nstacks ? "" : " (stack areas unknown)");
	for (; p + 16 <= res->stacks[a].hi; p += 16) {
		if (record_at(w, p, p == (req->start_sp & ~UINT64_C(15))))
			break;
		/* the final record in the task's pt_regs (zeroed by the
		 * entry from user space, or a kernel thread's end) */
		if (a == 0 && !strcmp(res->stacks[0].name, "task") && w->u->have_ptregs &&
		    p == res->stacks[0].hi - w->u->ptregs_size + w->u->off_stackframe)
			break;
	}
	if (p + 16 > res->stacks[a].hi)
		return stop(w, VM_ENOENT, "no frame record at or above %" PRIx64 " on the %s "
			    "stack", req->start_sp, res->stacks[a].name);
	w->fp = p;
	if (!req->start_pc)
		return 0;
	f = push(w);
	if (!f)
		return vm_fail(e, VM_ENOMEM, "out of memory");
	f->kind = VM_FRAME_START;
	f->how = VM_UNW_MANUAL;
	f->pc = req->start_pc;
	f->sp = req->start_sp;
	f->stack = (int8_t)a;
	f->regs.pid = -1;
	f->regs.r[VM_ARM64_PC] = req->start_pc;
	f->regs.r[VM_ARM64_SP] = req->start_sp;
	f->regs.r[VM_ARM64_FP] = p;
	f->regs.valid = UINT64_C(1) << VM_ARM64_PC | UINT64_C(1) << VM_ARM64_SP |
			UINT64_C(1) << VM_ARM64_FP;
	return 0;
}

static int a64_walk(struct vm_unwinder *u, const struct vm_unwind_req *req,
		    struct vm_unwind_res *res, struct vm_err *e)
{
	struct walk w = { .u = u, .res = res, .stack = -1 };
	struct vm_err te = { 0 };
	int cpu = req->cpu, r;

	memset(res, 0, sizeof(*res));
	w.max = req->max_frames ? req->max_frames : VM_UNWIND_MAX_FRAMES;
	if (req->task && a64u_task_stack(u, req->task, &res->stacks[0], &te) == 0)
		res->nstacks = 1;
	if (cpu < 0 && (req->regs || req->start_sp))
		cpu = cpu_of_sp(u, req->start_sp ? req->start_sp : req->regs->r[VM_ARM64_SP]);
	if (cpu >= 0)
		add_cpu_areas(u, res, cpu);
	if (req->start_sp) {
		r = start_manual(&w, req, e);
		if (r == 0 && res->stop_code)
			return 0;
	} else if (req->regs)
		r = start_regs(&w, req->regs, e);
	else if (!req->task)
		return vm_fail(e, VM_EINVAL, "no registers and no task to start from");
	else if (!res->nstacks)
		return vm_fail(e, te.code, "%s", te.msg);
	else
		r = start_saved(&w, req->task, e);
	if (r < 0)
		return -1;
	while (res->n < w.max) {
		r = step(&w, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		/* the record a manual start found */
		if (req->start_sp && !req->start_pc && res->n == 1)
			res->frames[0].how = VM_UNW_MANUAL;
		if (res->frames[res->n - 1].user)
			return stop(&w, VM_EOK, "user space");
	}
	return stop(&w, VM_ECORRUPT, "gave up after %u frames", w.max);
}

/* An exception frame at addr: PSTATE names EL0 or EL1, the pc is user
 * space or kernel text. */
static bool a64_regs_at(struct vm_unwinder *u, uint64_t addr, struct vm_regs *r,
			bool *user)
{
	struct vm_err e;
	uint64_t pc, sp, ps;

	if (read_user_regs(u, addr, r, &e) < 0)
		return false;
	pc = r->r[VM_ARM64_PC];
	sp = r->r[VM_ARM64_SP];
	ps = r->r[VM_ARM64_PSTATE];
	if (kernel_mode(ps)) {
		*user = false;
		return a64_kernel_addr(sp) && u->env.is_text && u->env.is_text(u->env.arg, pc);
	}
	/* user space: 48-bit (or 52-bit) addresses, a stack and code
	 * above the first page, no interrupts masked */
	if (user_mode(ps) && !(ps & 0x3c0)) {
		*user = true;
		return pc >= 4096 && pc < (UINT64_C(1) << 52) && sp >= 4096 &&
		       sp < (UINT64_C(1) << 52) && (sp & 15) == 0;
	}
	return false;
}

const struct vm_unwind_ops vm_arm64_unwind = {
	.open = a64u_open,
	.walk = a64_walk,
	.stacks = a64u_stacks,
	.regs_size = a64u_regs_size,
	.regs_at = a64_regs_at,
	.how = a64u_how,
	.close = a64u_close,
};
