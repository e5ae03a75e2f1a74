// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 stack unwinding over a dump.
 *
 * Order of trust: the ORC tables (the kernel's own unwinder data, read
 * from the dump so module tables come along, or from vmlinux with -k),
 * then frame pointers (kernels built with CONFIG_UNWINDER_FRAME_POINTER, and
 * code ORC does not cover, e.g. BPF), and last a scan of the stack for text
 * addresses, marked as such on every frame it yields.
 *
 * Stacks (arch/x86/kernel/dumpstack_64.c get_stack_info()):
 *  - the task stack, task->stack .. + THREAD_SIZE (sizeof(union thread_union));
 *  - the per-CPU IRQ stack: hardirq_stack_ptr (per-CPU; in pcpu_hot since
 *    v6.2) points at its top-most word, which holds the interrupted stack
 *    pointer (since v5.2);
 *  - the per-CPU IST exception stacks in the cpu_entry_area
 *    (cea_exception_stacks per-CPU pointer, since v5.2): #DF, NMI, #DB, #MC,
 *    #VC, #VC2 each with a guard page below; the hardware frame of the
 *    interrupted context is the pt_regs at the top of each.
 * A sleeping task starts from task->thread.sp, which points at the
 * struct inactive_task_frame __switch_to_asm() pushed (since v4.9).
 */
#include "x86_64_unwind_impl.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

/* ---- the walk ---- */

struct state {
	uint64_t pc, sp, bp;
	bool signal;
	struct vm_regs regs;      /* registers known at this frame */
	bool full, partial;       /* regs hold full pt_regs / an iret frame */
	struct vm_regs prev;      /* the full set before a partial frame */
	bool have_prev;
	int stack;                /* area index of sp */
	unsigned visited;         /* areas left behind */
	bool fp_last;             /* frame pointers: the last frame is done */
	bool bp_unknown;          /* a manual start: rbp not known yet */
};

struct walk {
	struct vm_unwinder *u;
	struct vm_unwind_res *res;
	unsigned max;
	struct state s;
	bool guess_task;          /* task stack unknown: infer it from an sp */
};

static int area_of(const struct vm_unwind_res *res, uint64_t addr, size_t len)
{
	return vm_unwind_area_of(res, addr, len);
}

/* Without the task's stack (no types for task_struct.stack), the first
 * kernel address outside the known stacks is taken to be on it: task stacks
 * are THREAD_SIZE aligned (THREAD_ALIGN for vmapped stacks, the page order
 * otherwise). */
static int guess_area(struct walk *w, uint64_t addr)
{
	struct vm_unwind_res *r = w->res;
	uint64_t ts = w->u->thread_size;

	if (!w->guess_task || !is_kernel_addr(addr) || r->nstacks >= VM_UNWIND_MAX_STACKS)
		return -1;
	w->guess_task = false;
	vm_stack_area_set(&r->stacks[r->nstacks], addr & ~(ts - 1), (addr & ~(ts - 1)) + ts,
		 "task", -1);
	return (int)r->nstacks++;
}

static int stack_read(struct walk *w, uint64_t addr, void *buf, size_t len,
		      struct vm_err *e)
{
	if (area_of(w->res, addr, len) < 0 && guess_area(w, addr) < 0)
		return vm_fail(e, VM_ECORRUPT, "address %" PRIx64 " is on none of "
			       "the task's stacks", addr);
	if (unw_read(&w->u->cache, addr, buf, len, e) < 0) {
		vm_err_prefix(e, "read of stack at %" PRIx64 " failed: ", addr);
		return -1;
	}
	return 0;
}

static int stack_read64(struct walk *w, uint64_t addr, uint64_t *v, struct vm_err *e)
{
	uint8_t b[8];

	if (stack_read(w, addr, b, 8, e) < 0)
		return -1;
	*v = vm_le64(b);
	return 0;
}

static struct vm_frame *push(struct walk *w)
{
	return vm_unwind_push(w->res);
}

static int read_ptregs(struct vm_unwinder *u, struct walk *w, uint64_t addr,
		       struct vm_regs *r, struct vm_err *e)
{
	uint8_t buf[512];
	unsigned i;

	if (w ? stack_read(w, addr, buf, (size_t)u->ptregs_size, e) < 0
	      : unw_read(&u->cache, addr, buf, (size_t)u->ptregs_size, e) < 0)
		return -1;
	memset(r, 0, sizeof(*r));
	r->pid = -1;
	for (i = 0; i < NR_PTREGS; i++) {
		r->r[i] = vm_le64(buf + u->ptregs_off[i]);
		r->valid |= UINT64_C(1) << i;
	}
	return 0;
}

/* Regs of the iret frame at addr (ip cs flags sp ss). */
static int read_iret(struct walk *w, uint64_t addr, struct vm_regs *r,
		     struct vm_err *e)
{
	uint64_t v[5];
	unsigned i;

	for (i = 0; i < 5; i++)
		if (stack_read64(w, addr + 8 * i, &v[i], e) < 0)
			return -1;
	memset(r, 0, sizeof(*r));
	r->pid = -1;
	for (i = 0; i < 5; i++) {
		r->r[PT_IP + i] = v[i];
		r->valid |= UINT64_C(1) << (PT_IP + i);
	}
	return 0;
}

static bool get_reg(const struct state *s, unsigned idx, uint64_t *v)
{
	if (s->full && (s->regs.valid >> idx & 1)) {
		*v = s->regs.r[idx];
		return true;
	}
	if (s->partial && s->have_prev) {
		*v = s->prev.r[idx];
		return true;
	}
	return false;
}

/* Enter the area of new_sp; 0 ok, -1 with e set. */
static int move_to(struct walk *w, uint64_t new_sp, uint64_t old_sp, bool to_user,
		   struct vm_err *e)
{
	struct state *s = &w->s;
	int a;

	if (to_user)
		return 0;
	a = area_of(w->res, new_sp, 1);
	if (a < 0)
		a = guess_area(w, new_sp);
	if (a < 0) {
		/* The top of a stack is a valid sp with nothing left on it. */
		a = area_of(w->res, new_sp - 1, 1);
		if (a < 0 || w->res->stacks[a].hi != new_sp)
			return vm_fail(e, VM_ECORRUPT, "stack pointer %" PRIx64
				       " is on none of the task's stacks", new_sp);
	}
	if (a == s->stack) {
		if (new_sp <= old_sp)
			return vm_fail(e, VM_ECORRUPT, "stack going in the wrong "
				       "direction (%" PRIx64 " -> %" PRIx64 ")",
				       old_sp, new_sp);
		return 0;
	}
	if (s->visited & (1u << a))
		return vm_fail(e, VM_ECORRUPT, "stack recursion: back on the %s stack "
			       "at %" PRIx64, w->res->stacks[a].name, new_sp);
	if (s->stack >= 0)
		s->visited |= 1u << s->stack;
	s->stack = a;
	return 0;
}

/* Does the text at ret follow a call instruction? */
static bool after_call(struct vm_unwinder *u, uint64_t ret);

/*
 * A manual start knows no rbp, and a function that keeps a frame pointer
 * (ORC sp_reg BP: push %rbp; mov %rsp,%rbp) needs it.  Its rbp points at
 * the record its prologue pushed: {caller's rbp, return address}: a
 * return address after a call, above a saved rbp, at or above sp
 * (find_bp() says which one).
 */
/* One step of look-ahead for find_bp(): from the candidate record at p
 * (saved rbp, return address ret), does the caller's ORC entry lead to
 * another return address (or the end of the stack)? */
static bool record_leads_on(struct walk *w, const struct vm_stack_area *a, uint64_t p,
			    uint64_t saved_bp, uint64_t ret)
{
	struct vm_err e = { 0 };
	struct orc o;
	uint64_t cfa, next;

	if (x86u_find_orc(w->u, ret - 1, &o, &e) <= 0)
		return false;
	if (o.type != ORC_T_CALL)
		return o.type == ORC_T_END || o.type == ORC_T_REGS ||
		       o.type == ORC_T_REGS_PARTIAL;
	if (o.sp_reg == ORC_REG_SP)
		cfa = p + 16 + (uint64_t)(int64_t)o.sp_offset;
	else if (o.sp_reg == ORC_REG_BP)
		cfa = saved_bp + (uint64_t)(int64_t)o.sp_offset;
	else
		return true;     /* indirect and register bases: no check */
	if (cfa <= p + 16 || cfa > a->hi || stack_read64(w, cfa - 8, &next, &e) < 0)
		return false;
	return w->u->env.is_text(w->u->env.arg, next) || w->u->env.is_text(w->u->env.arg, next - 1);
}

/* Does the call before ret call the function holding the walk's pc
 * directly (call rel32 to its start)? */
static bool calls_this_function(struct walk *w, uint64_t ret)
{
	const struct state *s = &w->s;
	struct vm_err e = { 0 };
	uint64_t start, target;
	const char *name;
	uint8_t b[5];

	if (!w->u->env.func_of ||
	    !w->u->env.func_of(w->u->env.arg, s->signal ? s->pc : s->pc - 1, &start, &name) ||
	    unw_read(&w->u->cache, ret - 5, b, sizeof(b), &e) < 0 || b[0] != 0xe8)
		return false;
	target = ret + (uint64_t)(int64_t)(int32_t)vm_rd32(b + 1, true);
	return target == start;
}

/*
 * Two passes.  The first takes only a record whose return address follows
 * a direct call of the function itself: stale records of calls the
 * function made earlier (its callees' frames below its own, or deeper
 * ones above them in the area its body reserved -- do_syscall_64's random
 * stack offset of v5.13+ leaves hundreds of bytes) call other functions.
 * The second, for a function reached through a pointer or a tail call,
 * takes the first record that leads on.
 */
static int find_bp(struct walk *w, struct vm_err *e)
{
	struct state *s = &w->s;
	const struct vm_stack_area *a;
	uint64_t p, next, ret;
	int pass;

	if (s->stack < 0)
		return vm_fail(e, VM_ECORRUPT, "frame pointer of %" PRIx64 " unknown", s->pc);
	a = &w->res->stacks[s->stack];
	for (pass = 0; pass < 2; pass++) {
		for (p = (s->sp + 7) & ~UINT64_C(7); p + 16 <= a->hi; p += 8) {
			if (stack_read64(w, p, &next, e) < 0 ||
			    stack_read64(w, p + 8, &ret, e) < 0)
				return -1;
			/* the caller's rbp is any value where it is no frame
			 * pointer: the return address above it must lead on */
			if (w->u->env.is_text && (w->u->env.is_text(w->u->env.arg, ret) ||
						  w->u->env.is_text(w->u->env.arg, ret - 1)) &&
			    after_call(w->u, ret) && (pass || calls_this_function(w, ret)) &&
			    record_leads_on(w, a, p, next, ret)) {
				s->bp = p;
				s->bp_unknown = false;
				return 0;
			}
		}
	}
	return vm_fail(e, VM_ECORRUPT, "frame pointer of %" PRIx64 " unknown: no frame "
		       "record above %" PRIx64, s->pc, s->sp);
}

/* One ORC (or frame-pointer fallback) step: 1 frame pushed, 0 end, -1 error */
static int step_orc(struct walk *w, struct vm_err *e)
{
	struct state *s = &w->s;
	struct orc o;
	uint64_t sp, old_sp = s->sp, tmp;
	bool indirect = false, unreliable = false;
	struct vm_frame *f;
	int r;

	r = x86u_find_orc(w->u, s->signal ? s->pc : s->pc - 1, &o, e);
	if (r < 0) {
		vm_err_prefix(e, "ORC lookup for %" PRIx64 ": ", s->pc);
		return -1;
	}
	if (r > 0 && s->bp_unknown &&
	    (o.sp_reg == ORC_REG_BP || o.sp_reg == ORC_REG_BP_INDIRECT || o.bp_reg == ORC_REG_BP) &&
	    find_bp(w, e) < 0)
		return -1;
	if (r == 0) {
		/* Code ORC does not describe (BPF, a module without tables):
		 * guess a frame-pointer frame, as the kernel does
		 * (orc_fp_entry). */
		o = (struct orc){ .type = ORC_T_CALL, .sp_reg = ORC_REG_BP,
				  .sp_offset = 16, .bp_reg = ORC_REG_PREV_SP,
				  .bp_offset = -16 };
		unreliable = true;
	}
	if (o.type == ORC_T_END)
		return 0;
	if (o.type == ORC_T_UNDEFINED)
		return vm_fail(e, VM_ECORRUPT, "no unwind information for %" PRIx64, s->pc);

	switch (o.sp_reg) {
	case ORC_REG_SP:
		sp = s->sp + (uint64_t)(int64_t)o.sp_offset;
		break;
	case ORC_REG_BP:
		sp = s->bp + (uint64_t)(int64_t)o.sp_offset;
		break;
	case ORC_REG_SP_INDIRECT:
		sp = s->sp;
		indirect = true;
		break;
	case ORC_REG_BP_INDIRECT:
		sp = s->bp + (uint64_t)(int64_t)o.sp_offset;
		indirect = true;
		break;
	case ORC_REG_R10:
	case ORC_REG_R13:
	case ORC_REG_DI:
	case ORC_REG_DX:
	case ORC_REG_AX: {
		static const unsigned idx[] = {
			[ORC_REG_R10] = VM_X86_R10, [ORC_REG_R13] = VM_X86_R13,
			[ORC_REG_DI] = VM_X86_RDI, [ORC_REG_DX] = VM_X86_RDX,
			[ORC_REG_AX] = VM_X86_RAX,
		};
		if (!get_reg(s, idx[o.sp_reg], &sp))
			return vm_fail(e, VM_ECORRUPT, "unwind at %" PRIx64 " needs a "
				       "register value that is not saved", s->pc);
		break;
	}
	default:
		return vm_fail(e, VM_ECORRUPT, "unknown ORC sp register %u at %" PRIx64,
			       o.sp_reg, s->pc);
	}
	if (indirect) {
		if (stack_read64(w, sp, &sp, e) < 0)
			return -1;
		if (o.sp_reg == ORC_REG_SP_INDIRECT)
			sp += (uint64_t)(int64_t)o.sp_offset;
	}

	f = push(w);
	if (!f)
		return vm_fail(e, VM_ENOMEM, "out of memory");
	f->how = unreliable ? VM_UNW_FP : VM_UNW_TABLE;
	f->unreliable = unreliable;
	switch (o.type) {
	case ORC_T_CALL:
		f->kind = VM_FRAME_CALL;
		f->slot = sp - 8;
		if (stack_read64(w, sp - 8, &f->pc, e) < 0)
			goto fail;
		f->sp = sp;
		s->pc = f->pc;
		s->sp = sp;
		s->full = s->partial = s->have_prev = false;
		break;
	case ORC_T_REGS:
		f->kind = VM_FRAME_INTR;
		f->regs_addr = sp;
		if (read_ptregs(w->u, w, sp, &f->regs, e) < 0)
			goto fail;
		f->pc = f->regs.r[PT_IP];
		f->sp = f->regs.r[PT_SP];
		f->user = (f->regs.r[PT_CS] & 3) != 0;
		s->regs = f->regs;
		s->full = true;
		s->partial = s->have_prev = false;
		s->pc = f->pc;
		s->sp = f->sp;
		break;
	case ORC_T_REGS_PARTIAL:
		f->kind = VM_FRAME_INTR;
		f->partial = true;
		/* IRET_FRAME_OFFSET: the hardware frame starts at pt_regs->ip */
		f->regs_addr = sp - w->u->ptregs_off[PT_IP];
		if (read_iret(w, sp, &f->regs, e) < 0)
			goto fail;
		f->pc = f->regs.r[PT_IP];
		f->sp = f->regs.r[PT_SP];
		f->user = (f->regs.r[PT_CS] & 3) != 0;
		if (s->full) {
			s->prev = s->regs;
			s->have_prev = true;
		}
		s->regs = f->regs;
		s->full = false;
		s->partial = true;
		s->pc = f->pc;
		s->sp = f->sp;
		break;
	default:
		vm_fail(e, VM_ECORRUPT, "unknown ORC entry type at %" PRIx64, s->pc);
		goto fail;
	}
	s->signal = o.signal;

	switch (o.bp_reg) {
	case ORC_REG_UNDEFINED:
		if (get_reg(s, VM_X86_RBP, &tmp)) {
			s->bp = tmp;
			s->bp_unknown = false;
		}
		break;
	case ORC_REG_PREV_SP:
		if (stack_read64(w, sp + (uint64_t)(int64_t)o.bp_offset, &s->bp, e) < 0)
			goto fail;
		s->bp_unknown = false;
		break;
	case ORC_REG_BP:
		if (stack_read64(w, s->bp + (uint64_t)(int64_t)o.bp_offset, &s->bp, e) < 0)
			goto fail;
		s->bp_unknown = false;
		break;
	default:
		vm_fail(e, VM_ECORRUPT, "unknown ORC bp register %u at %" PRIx64,
			o.bp_reg, s->pc);
		goto fail;
	}
	if (move_to(w, s->sp, old_sp, f->user, e) < 0)
		goto fail;
	f->stack = (int8_t)(f->user ? -1 : s->stack);
	return 1;
fail:
	w->res->n--;
	return -1;
}

/* The user-mode registers at the top of the task stack, as the last
 * frame; 1 pushed, 0 none (a kernel thread), -1 error. */
static int push_top_regs(struct walk *w, const struct vm_stack_area *a, unsigned how,
			 struct vm_err *e)
{
	struct vm_unwinder *u = w->u;
	struct vm_frame *f;
	struct vm_regs r;

	if (read_ptregs(u, w, a->hi - u->ptregs_size, &r, e) < 0)
		return -1;
	if ((r.r[PT_CS] & 3) != 3)
		return 0;
	f = push(w);
	if (!f)
		return vm_fail(e, VM_ENOMEM, "out of memory");
	f->kind = VM_FRAME_INTR;
	f->how = (uint8_t)how;
	f->regs_addr = a->hi - u->ptregs_size;
	f->regs = r;
	f->pc = r.r[PT_IP];
	f->sp = r.r[PT_SP];
	f->user = true;
	return 1;
}

/* Frame-pointer step (kernels without ORC): 1, 0 end, -1 error.
 * The chain's last frame sits just below the task's pt_regs (the kernel's
 * unwind_frame.c is_last_task_frame(): 2 words below, 1 more when GCC
 * realigned the stack, 3 more under ftrace). */
static int step_fp(struct walk *w, struct vm_err *e)
{
	struct state *s = &w->s;
	struct vm_frame *f;
	uint64_t bp = s->bp, old_sp = s->sp, next_bp, ret, last;
	const struct vm_stack_area *ta;

	if (s->fp_last) {
		s->fp_last = false;
		return push_top_regs(w, &w->res->stacks[s->stack], VM_UNW_FP, e);
	}
	if (bp == 0)
		return vm_fail(e, VM_ECORRUPT, "frame pointer chain ends (rbp 0) at %"
			       PRIx64, s->pc);
	f = push(w);
	if (!f)
		return vm_fail(e, VM_ENOMEM, "out of memory");
	f->how = VM_UNW_FP;
	if (bp & 1) {
		/* ENCODE_FRAME_POINTER: the entry code leaves pt_regs + 1 in rbp */
		f->kind = VM_FRAME_INTR;
		f->regs_addr = bp - 1;
		if (read_ptregs(w->u, w, bp - 1, &f->regs, e) < 0)
			goto fail;
		f->pc = f->regs.r[PT_IP];
		f->sp = f->regs.r[PT_SP];
		f->user = (f->regs.r[PT_CS] & 3) != 0;
		s->regs = f->regs;
		s->full = true;
		s->pc = f->pc;
		s->sp = f->sp;
		s->bp = f->regs.r[VM_X86_RBP];
		s->signal = true;
	} else {
		if (bp < s->sp && area_of(w->res, bp, 16) == s->stack)
			return w->res->n--, vm_fail(e, VM_ECORRUPT, "frame pointer %"
				PRIx64 " below the stack pointer %" PRIx64, bp, s->sp);
		if (stack_read64(w, bp, &next_bp, e) < 0 ||
		    stack_read64(w, bp + 8, &ret, e) < 0)
			goto fail;
		f->kind = VM_FRAME_CALL;
		f->slot = bp + 8;
		f->pc = ret;
		f->sp = bp + 16;
		s->pc = ret;
		s->sp = bp + 16;
		s->bp = next_bp;
		s->full = false;
		s->signal = false;
	}
	if (move_to(w, s->sp, old_sp, f->user, e) < 0)
		goto fail;
	f->stack = (int8_t)(f->user ? -1 : s->stack);
	if (!f->user && f->kind == VM_FRAME_CALL && s->stack >= 0) {
		ta = &w->res->stacks[s->stack];
		last = ta->hi - w->u->ptregs_size - 16;
		if (!strcmp(ta->name, "task") &&
		    (bp == last || bp == last - 8 || bp == last - 24))
			s->fp_last = true;
	}
	return 1;
fail:
	w->res->n--;
	return -1;
}

/* Does the text at ret follow a call instruction? */
static bool after_call(struct vm_unwinder *u, uint64_t ret)
{
	uint8_t b[7];
	struct vm_err e = { 0 };

	if (unw_read(&u->cache, ret - 7, b, 7, &e) < 0)
		return false;
	if (b[2] == 0xe8)                               /* call rel32 */
		return true;
	if (b[1] == 0xff && (b[2] & 0x38) == 0x10)      /* call *m32 (disp32) */
		return true;
	if (b[4] == 0xff && (b[5] & 0x38) == 0x10 && (b[5] & 0xc0) == 0x40)
		return true;                            /* call *disp8(%reg) */
	if (b[5] == 0xff && (b[6] & 0xf8) == 0xd0)      /* call *%reg */
		return true;
	return false;
}

/* Last resort: the next word above sp that is a return address into
 * kernel text.  Crosses to the next stack at the top of IRQ/exception
 * stacks.  1 frame pushed, 0 nothing left, -1 error. */
static int step_scan(struct walk *w, struct vm_err *e)
{
	struct vm_unwinder *u = w->u;
	struct state *s = &w->s;
	struct vm_frame *f;
	unsigned hops;

	if (!u->env.is_text || (u->env.flags & VM_UNWIND_NO_SCAN))
		return 0;
	for (hops = 0; hops < VM_UNWIND_MAX_STACKS; hops++) {
		const struct vm_stack_area *a;
		uint64_t p, v;

		if (s->stack < 0)
			return 0;
		a = &w->res->stacks[s->stack];
		p = s->sp < a->lo ? a->lo : (s->sp + 7) & ~UINT64_C(7);
		for (; p + 8 <= a->hi; p += 8) {
			if (stack_read64(w, p, &v, e) < 0)
				return -1;
			if (!u->env.is_text(u->env.arg, v) || !after_call(u, v))
				continue;
			f = push(w);
			if (!f)
				return vm_fail(e, VM_ENOMEM, "out of memory");
			f->kind = VM_FRAME_CALL;
			f->how = VM_UNW_SCAN;
			f->unreliable = true;
			f->slot = p;
			f->pc = v;
			f->sp = p + 8;
			f->stack = (int8_t)s->stack;
			s->pc = v;
			s->sp = p + 8;
			s->full = s->partial = false;
			s->signal = false;
			w->res->scanned = true;
			return 1;
		}
		/* End of this stack: where did it come from? */
		if (strcmp(a->name, "task") == 0) {
			/* The user-mode registers at the top of a task stack */
			if (s->sp > a->hi - u->ptregs_size)
				return 0;
			return push_top_regs(w, a, VM_UNW_SCAN, e);
		}
		if (strcmp(a->name, "IRQ") == 0) {
			if (stack_read64(w, a->hi - 8, &v, e) < 0)
				return -1;
			if (move_to(w, v, s->sp, false, e) < 0)
				return -1;
			s->sp = v;
			continue;
		}
		/* An exception stack: the hardware frame is at the top. */
		f = push(w);
		if (!f)
			return -1;
		f->kind = VM_FRAME_INTR;
		f->how = VM_UNW_SCAN;
		f->regs_addr = a->hi - u->ptregs_size;
		if (read_ptregs(u, w, f->regs_addr, &f->regs, e) < 0) {
			w->res->n--;
			return -1;
		}
		f->pc = f->regs.r[PT_IP];
		f->sp = f->regs.r[PT_SP];
		f->user = (f->regs.r[PT_CS] & 3) != 0;
		s->regs = f->regs;
		s->full = true;
		s->pc = f->pc;
		s->signal = true;
		if (!f->user && move_to(w, f->sp, s->sp, false, e) < 0) {
			w->res->n--;
			return -1;
		}
		s->sp = f->sp;
		f->stack = (int8_t)(f->user ? -1 : s->stack);
		return 1;
	}
	return 0;
}

/*
 * crash's bt -S SP [-I IP]: with a pc, the registers {pc, sp} (the pc is
 * where execution was: no "return address minus one" lookup); without,
 * the first return address at or above sp, as crash's own scan from SP
 * finds it.  0 with the first frame pushed (or res->stop saying why
 * not), -1 out of memory.
 */
static int start_manual(struct walk *w, const struct vm_unwind_req *req, struct vm_err *e)
{
	struct vm_unwind_res *res = w->res;
	struct state *s = &w->s;
	struct vm_err se = { 0 };
	struct vm_frame *f;
	uint8_t code[7];
	struct orc o;
	uint64_t v;
	int r;

	s->sp = req->start_sp;
	s->stack = area_of(res, s->sp, 1);
	if (s->stack < 0)
		s->stack = guess_area(w, s->sp);
	if (s->stack < 0) {
		res->stop_code = VM_EINVAL;
		snprintf(res->stop, sizeof(res->stop), "stack pointer %" PRIx64 " is on none "
			 "of the task's stacks%s", s->sp, res->nstacks ? "" : " (stack areas unknown)");
		return 0;
	}
	s->bp_unknown = true;
	if (req->start_pc) {
		f = push(w);
		if (!f)
			return vm_fail(e, VM_ENOMEM, "out of memory");
		f->kind = VM_FRAME_START;
		f->how = VM_UNW_MANUAL;
		f->pc = req->start_pc;
		f->sp = req->start_sp;
		f->stack = (int8_t)s->stack;
		f->regs.pid = -1;
		f->regs.r[PT_IP] = req->start_pc;
		f->regs.r[PT_SP] = req->start_sp;
		f->regs.r[PT_CS] = 0x10;     /* __KERNEL_CS */
		f->regs.valid = UINT64_C(1) << PT_IP | UINT64_C(1) << PT_SP | UINT64_C(1) << PT_CS;
		s->pc = req->start_pc;
		/* an instruction after a call is looked up as a return
		 * address (the call's ORC state is the same, and a call ending
		 * a function has the next function's entry after it) */
		s->signal = !after_call(w->u, req->start_pc) &&
			    !(x86u_find_orc(w->u, req->start_pc - 1, &o, &se) > 0 &&
			      o.type == ORC_T_END);
		return 0;
	}
	/* The word at sp itself is taken when it is a return address (text
	 * after a call; a call ending a function returns past its end, so
	 * v - 1 is what lies in text) or text whose code is not in the dump
	 * (a return into init text, freed after boot: start_kernel's frames
	 * under init_task), or the return into the entry code that ends a
	 * stack (ORC's end marker: secondary_startup_64 "returns" there with
	 * lretq) */
	if (!(s->sp & 7) && stack_read64(w, s->sp, &v, &se) == 0 && w->u->env.is_text &&
	    (w->u->env.is_text(w->u->env.arg, v) || w->u->env.is_text(w->u->env.arg, v - 1)) &&
	    (after_call(w->u, v) || unw_read(&w->u->cache, v - 7, code, sizeof(code), &se) < 0 ||
	     (x86u_find_orc(w->u, v - 1, &o, &se) > 0 && o.type == ORC_T_END))) {
		f = push(w);
		if (!f)
			return vm_fail(e, VM_ENOMEM, "out of memory");
		f->kind = VM_FRAME_CALL;
		f->how = VM_UNW_MANUAL;
		f->slot = s->sp;
		f->pc = v;
		f->sp = s->sp + 8;
		f->stack = (int8_t)s->stack;
		s->pc = v;
		s->sp += 8;
		return 0;
	}
	r = step_scan(w, &se);
	if (r < 0 && se.code == VM_ENOMEM)
		return vm_fail(e, VM_ENOMEM, "%s", se.msg);
	if (r <= 0) {
		res->stop_code = VM_ENOENT;
		snprintf(res->stop, sizeof(res->stop), "no return address at or above %" PRIx64
			 " on the %s stack%s%.512s", req->start_sp, res->stacks[s->stack].name,
			 r < 0 ? ": " : "", r < 0 ? se.msg : "");
		return 0;
	}
	f = &res->frames[res->n - 1];
	f->how = VM_UNW_MANUAL;
	f->unreliable = false;
	res->scanned = false;
	return 0;
}

static void add_cpu_areas(struct vm_unwinder *u, struct vm_unwind_res *res, int cpu)
{
	struct cpu_stacks *cs = x86u_cpu_stacks(u, cpu);
	unsigned i;

	for (i = 0; cs && i < cs->n && res->nstacks < VM_UNWIND_MAX_STACKS; i++)
		res->stacks[res->nstacks++] = cs->a[i];
}

static int x86_walk(struct vm_unwinder *u, const struct vm_unwind_req *req,
		    struct vm_unwind_res *res, struct vm_err *e)
{
	struct walk w = { .u = u, .res = res };
	struct state *s = &w.s;
	struct vm_err te = { 0 };
	struct vm_frame *f;
	bool use_orc = u->have_orc, use_fp = !(u->env.flags & VM_UNWIND_NO_FP);
	unsigned guard;
	int r, cpu = req->cpu;

	memset(res, 0, sizeof(*res));
	w.max = req->max_frames ? req->max_frames : VM_UNWIND_MAX_FRAMES;
	if (req->task && x86u_task_stack(u, req->task, &res->stacks[0], &te) == 0)
		res->nstacks = 1;
	if (cpu < 0 && (req->regs || req->start_sp)) {
		/* Which CPU's interrupt stacks hold the start sp? */
		uint64_t sp0 = req->start_sp ? req->start_sp : req->regs->r[PT_SP];
		int c;

		for (c = 0; c < u->ncpu && c < 1024 && cpu < 0; c++) {
			struct cpu_stacks *cs = x86u_cpu_stacks(u, c);
			unsigned i;

			for (i = 0; cs && i < cs->n; i++)
				if (sp0 >= cs->a[i].lo && sp0 < cs->a[i].hi)
					cpu = c;
		}
	}
	if (cpu >= 0)
		add_cpu_areas(u, res, cpu);
	memset(s, 0, sizeof(*s));
	s->stack = -1;
	w.guess_task = !req->task || !res->nstacks || strcmp(res->stacks[0].name, "task");

	if (req->start_sp) {
		if (start_manual(&w, req, e) < 0)
			return -1;
		if (res->stop[0] || (res->n && res->frames[res->n - 1].user))
			return 0;
	} else if (req->regs) {
		f = push(&w);
		if (!f)
			return vm_fail(e, VM_ENOMEM, "out of memory");
		f->kind = VM_FRAME_START;
		f->how = VM_UNW_REGS;
		f->regs = *req->regs;
		f->pc = req->regs->r[PT_IP];
		f->sp = req->regs->r[PT_SP];
		f->user = (req->regs->r[PT_CS] & 3) != 0;
		if (f->user)
			return 0;
		s->pc = f->pc;
		s->sp = f->sp;
		s->bp = req->regs->r[VM_X86_RBP];
		s->regs = *req->regs;
		s->full = true;
		s->signal = true;
		s->stack = area_of(res, s->sp, 1);
		if (s->stack < 0)
			s->stack = guess_area(&w, s->sp);
		f->stack = (int8_t)s->stack;
		if (s->stack < 0) {
			res->stop_code = VM_ECORRUPT;
			snprintf(res->stop, sizeof(res->stop), "stack pointer %" PRIx64
				 " is on none of the task's stacks%s", s->sp,
				 res->nstacks ? "" : " (stack areas unknown)");
			return 0;
		}
	} else {
		uint64_t tsp, bp, ret;

		if (!req->task)
			return vm_fail(e, VM_EINVAL, "no registers and no task to start from");
		if (!res->nstacks)
			return vm_fail(e, te.code, "%s", te.msg);
		if (!u->have_thread_sp)
			return vm_fail(e, VM_ENOENT, "offset of task_struct.thread.sp "
				       "unknown (no types)");
		if (unw_read64(&u->cache, req->task + u->off_thread_sp, &tsp, e) < 0) {
			vm_err_prefix(e, "task %" PRIx64 " thread.sp: ", req->task);
			return -1;
		}
		s->stack = area_of(res, tsp, u->itf_size);
		if (s->stack != 0) {
			res->stop_code = VM_ECORRUPT;
			snprintf(res->stop, sizeof(res->stop), "saved stack pointer %"
				 PRIx64 " is outside the task's stack %" PRIx64 "..%"
				 PRIx64, tsp, res->stacks[0].lo, res->stacks[0].hi);
			return 0;
		}
		if (stack_read64(&w, tsp + u->itf_bp, &bp, &te) < 0 ||
		    stack_read64(&w, tsp + u->itf_ret, &ret, &te) < 0) {
			res->stop_code = te.code;
			snprintf(res->stop, sizeof(res->stop), "%s", te.msg);
			return 0;
		}
		f = push(&w);
		if (!f)
			return vm_fail(e, VM_ENOMEM, "out of memory");
		f->kind = VM_FRAME_CALL;
		f->how = VM_UNW_SAVED;
		f->slot = tsp + u->itf_ret;
		f->regs_addr = tsp;
		f->pc = ret;
		f->sp = tsp + u->itf_size;
		f->stack = 0;
		s->pc = ret;
		s->sp = tsp + u->itf_size;
		s->bp = bp;
		/* A task that never ran returns straight to ret_from_fork's
		 * first instruction: no call precedes it. */
		s->signal = u->ret_from_fork && ret == u->ret_from_fork;
	}

	if (u->orc_err) {
		/* the kernel has ORC tables we cannot read: whatever follows
		 * is frame pointers or the scan, and the trace says why */
		res->stop_code = VM_EUNSUP;
		snprintf(res->stop, sizeof(res->stop), "ORC tables not used: %s", u->orc_why);
	}
	for (guard = 0; res->n < w.max; guard++) {
		struct vm_err se = { 0 };

		if (use_orc)
			r = step_orc(&w, &se);
		else if (use_fp)
			r = step_fp(&w, &se);
		else
			r = vm_fail(&se, VM_EUNSUP, "no unwind method (no ORC tables, "
				    "frame pointers off)");
		if (r == 0)
			return 0;
		if (r > 0) {
			if (res->frames[res->n - 1].user)
				return 0;
			continue;
		}
		/* Keep the first failure: it is the one worth reading. */
		if (!res->stop[0]) {
			res->stop_code = se.code ? se.code : VM_ECORRUPT;
			snprintf(res->stop, sizeof(res->stop), "%s", se.msg);
		}
		r = step_scan(&w, &se);
		if (r <= 0) {
			if (r < 0 && !res->stop[0])
				snprintf(res->stop, sizeof(res->stop), "%s", se.msg);
			return 0;
		}
		if (res->frames[res->n - 1].user)
			return 0;
	}
	if (!res->stop[0]) {
		res->stop_code = VM_ECORRUPT;
		snprintf(res->stop, sizeof(res->stop), "gave up after %u frames", w.max);
	}
	return 0;
}

/* Does addr hold an exception frame?  Segment selectors and flags are the
 * fingerprint: __KERNEL_CS 0x10 / __KERNEL_DS 0x18, __USER_CS 0x33 /
 * __USER_DS 0x2b (__USER32_CS 0x23), RFLAGS bit 1 always set and nothing
 * above bit 21. */
static bool x86_regs_at(struct vm_unwinder *u, uint64_t addr, struct vm_regs *r,
			bool *user)
{
	struct vm_err e = { 0 };
	uint64_t cs, ss, fl, ip, sp;

	if (read_ptregs(u, NULL, addr, r, &e) < 0)
		return false;
	cs = r->r[PT_CS];
	ss = r->r[PT_SS];
	fl = r->r[PT_FLAGS];
	ip = r->r[PT_IP];
	sp = r->r[PT_SP];
	if (!(fl & 2) || (fl >> 22))
		return false;
	if (cs == 0x10 && (ss == 0x18 || ss == 0)) {
		*user = false;
		return is_kernel_addr(sp) && u->env.is_text &&
		       u->env.is_text(u->env.arg, ip);
	}
	if ((cs == 0x33 || cs == 0x23) && ss == 0x2b) {
		*user = true;
		return ip < (UINT64_C(1) << 56) && sp < (UINT64_C(1) << 56);
	}
	return false;
}

const struct vm_unwind_ops vm_x86_64_unwind = {
	.open = x86u_open,
	.walk = x86_walk,
	.stacks = x86u_stacks,
	.regs_size = x86u_regs_size,
	.regs_at = x86_regs_at,
	.how = x86u_how,
	.close = x86u_close,
};
