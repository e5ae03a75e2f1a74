// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's `bt` layout, so habits and awk scripts carry over:
 *
 *   PID: 1        TASK: ff4eb3bfc1128000  CPU: 0    COMMAND: "init"
 *    #0 [ff6aecd400013d88] panic at ffffffffab15e7da
 *   ...
 *       [exception RIP: crashmod_level2.constprop.0+19]
 *       RIP: ffffffffc012c1b8  RSP: ff2d700d00013e10  RFLAGS: 00000246
 *       (register block)
 *
 * "#N [SLOT] FUNC at PC": PC is a return address into FUNC, read from the
 * stack at SLOT.  Exception frames print their registers; the registers a
 * walk started from (a CPU's, from the dump's notes) print first, in the
 * same form.  Crossing to another stack prints "--- <NAME stack> ---".
 * Frames found only by scanning the stack end in "(scan)"; a walk that
 * could not reach the bottom of the stack ends in a "[unwinding stopped:
 * ...]" line.
 */
#include "../vmcore.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/debuginfo.h"
#include "../kernel/srclines.h"
#include "../kernel/stack.h"
#include "../types/lines.h"
#include "format.h"

struct vm_btprint {
	struct vm_kernel *k;
	struct vm_bt *b;
	struct vm_mem *m;
	struct vm_symtab *st;
	const struct vm_arch *arch;
	unsigned flags;
	FILE *f;
	struct vm_json *j;
	uint64_t text_lo;               /* lowest kernel symbol (for -F) */
	struct vm_srclines *sl;         /* -l: kernel and module lines */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	uint64_t sp, ip;                /* vm_btprint_start: a manual start */
	char note[1100];
};

struct vm_btprint *vm_btprint_open(struct vm_kernel *k, struct vm_bt *b, unsigned flags,
				   FILE *f, struct vm_json *j, struct vm_err *e)
{
	struct vm_btprint *p = vm_calloc(1, sizeof(*p), e);
	struct vm_err se = { 0 };

	if (!p)
		return NULL;
	p->k = k;
	p->b = b;
	p->flags = flags;
	p->f = f;
	p->j = j;
	p->arch = vm_bt_arch(b);
	p->m = vm_kernel_mem(k, e);
	if (!p->m) {
		free(p);
		return NULL;
	}
	p->st = vm_kernel_symtab(k, &se);
	if (p->st) {
		const struct vm_sym *s = vm_sym_by_name(p->st, "_text", NULL);

		p->text_lo = s ? s->addr : UINT64_C(0xffffffff80000000);
	}
	if ((flags & VM_BTP_LINES) && !(p->sl = vm_srclines_new(k, e))) {
		free(p);
		return NULL;
	}
	return p;
}

void vm_btprint_close(struct vm_btprint *p)
{
	if (!p)
		return;
	vm_srclines_free(p->sl);
	free(p);
}

void vm_btprint_on_warn(struct vm_btprint *p, void (*warn)(void *ctx, const char *msg),
			void *ctx)
{
	p->warn = warn;
	p->warn_ctx = ctx;
}

void vm_btprint_start(struct vm_btprint *p, uint64_t sp, uint64_t ip)
{
	p->sp = sp;
	p->ip = ip;
}

const char *vm_btprint_note(const struct vm_btprint *p)
{
	return p->note[0] ? p->note : NULL;
}

/* ---- registers ---- */

/* Every known register, three a line (arches without a crash layout). */
static void regs_generic(FILE *f, const struct vm_arch *a, const struct vm_regs *r)
{
	unsigned i, k = 0;

	for (i = 0; i < a->nr_regs && i < VM_MAX_REGS; i++) {
		if (!(r->valid >> i & 1))
			continue;
		fprintf(f, "%s%8s: %016" PRIx64, k % 3 ? "  " : "    ", a->reg_names[i], r->r[i]);
		if (++k % 3 == 0)
			fputc('\n', f);
	}
	if (k % 3)
		fputc('\n', f);
}

/* A register block as crash prints it (the arch's layout), indented. */
static void out_regs(FILE *f, const struct vm_arch *a, const struct vm_regs *r)
{
	const struct vm_reg_show *s = a->reg_show;
	bool first = true;

	if (!s) {
		regs_generic(f, a, r);
		return;
	}
	for (; s->reg >= 0 || s[1].reg >= 0; s++) {
		if (s->reg < 0) {
			fputc('\n', f);
			first = true;
			continue;
		}
		fprintf(f, "%s%s: %0*" PRIx64, first ? "    " : "  ", s->label,
			(int)s->digits, r->r[s->reg]);
		first = false;
	}
	fputc('\n', f);
}

/* ---- text ---- */

/* -F: a word as crash's format_stack_entry shows it: a symbol when the
 * value lies inside one, else hex. */
static void word_str(struct vm_btprint *p, uint64_t v, bool sym, char *buf, size_t len)
{
	char tmp[256];

	if (sym && v >= p->text_lo &&
	    vm_sym_format(p->st, v, VM_SYMF_OFF | VM_SYMF_INSIDE | VM_SYMF_END_OK,
			  tmp, sizeof(tmp), NULL))
		snprintf(buf, len, "%-16s", tmp);
	else
		snprintf(buf, len, "%016" PRIx64, v);
}

static void print_words(struct vm_btprint *p, uint64_t from, uint64_t to)
{
	uint64_t a, v;
	unsigned i = 0;
	char w[300];
	struct vm_err e;

	if (!from || to < from || to - from > 65536)
		return;
	for (a = from; a <= to; a += 8, i++) {
		if (!(i & 1))
			fprintf(p->f, "%s    %" PRIx64 ": ", i ? "\n" : "", a);
		if (vm_kread_u64(p->m, a, &v, &e) < 0)
			snprintf(w, sizeof(w), "%-16s", "????????????????");
		else
			word_str(p, v, p->flags & VM_BTP_FULLSYM, w, sizeof(w));
		fprintf(p->f, "%s ", w);
	}
	fputc('\n', p->f);
}

/* -l: "    FILE: LINE" as crash prints it.  A return address's line is
 * the call's (pc - 1).  Kernel and module text alike (kernel/srclines.h);
 * a table that cannot be opened is said once, through the warn hook. */
static bool line_of(struct vm_btprint *p, uint64_t pc, bool ret, struct vm_line *l)
{
	struct vm_err e = { 0 };
	char msg[sizeof(e.msg) + 32];
	int r;

	if (!p->sl)
		return false;
	r = vm_srclines_at(p->sl, ret ? pc - 1 : pc, l, &e);
	if (r < 0 && p->warn) {
		fflush(p->f);
		snprintf(msg, sizeof(msg), "-l: no source lines: %s", e.msg);
		p->warn(p->warn_ctx, msg);
	}
	return r == 1;
}

static void print_line(struct vm_btprint *p, uint64_t pc, bool ret)
{
	struct vm_line l;

	if ((p->flags & VM_BTP_LINES) && line_of(p, pc, ret, &l))
		fprintf(p->f, "    %s: %u\n", l.file, l.line);
}

static void print_eframe(struct vm_btprint *p, const struct vm_regs *r, bool user)
{
	char s[300];
	uint64_t pc = r->r[p->arch->pc_reg];

	if (!user) {
		vm_sym_format(p->st, pc, VM_SYMF_OFF, s, sizeof(s), NULL);
		fprintf(p->f, "    [exception %s: %s]\n", p->arch->pc_label,
			s[0] ? s : "unknown or invalid address");
	}
	out_regs(p->f, p->arch, r);
	if (!user)
		print_line(p, pc, false);
}

static const char *stack_label(const struct vm_unwind_res *res, int i, char *buf,
			       size_t len)
{
	if (i < 0 || (unsigned)i >= res->nstacks)
		snprintf(buf, len, "unknown");
	else if (!strcmp(res->stacks[i].name, "IRQ") || !strcmp(res->stacks[i].name, "task"))
		snprintf(buf, len, "%s", res->stacks[i].name);
	else
		snprintf(buf, len, "%s exception", res->stacks[i].name);
	return buf;
}

static void print_frame_line(struct vm_btprint *p, unsigned level, uint64_t sp,
			     uint64_t pc, bool ret, const struct vm_frame *f)
{
	char name[300];
	const struct vm_sym *s;

	s = vm_sym_format(p->st, pc, (ret ? VM_SYMF_RET : 0) |
			  ((p->flags & VM_BTP_OFFSETS) ? VM_SYMF_OFF : 0),
			  name, sizeof(name), NULL);
	fprintf(p->f, "%s#%u [%8" PRIx64 "] %s at %" PRIx64, level < 10 ? " " : "", level,
		sp, s ? name : "(unknown)", pc);
	if (s && s->module)
		fprintf(p->f, " [%s]", s->module);
	if (f->how == VM_UNW_SCAN)
		fputs(" (scan)", p->f);
	else if (f->unreliable)
		fputs(" (guess)", p->f);
	fputc('\n', p->f);
	print_line(p, pc, ret);
}

static void print_text(struct vm_btprint *p, const struct vm_unwind_res *res)
{
	unsigned i, level = 0;
	uint64_t frameptr = 0, sp;
	int prev_stack = -1;
	bool scan_said = false;
	char lab[32];

	for (i = 0; i < res->n; i++) {
		const struct vm_frame *f = &res->frames[i];

		if (f->how == VM_UNW_SCAN && !scan_said) {
			fprintf(p->f, "    [unwinding failed: %s; frames below found by "
				"scanning the stack]\n", res->stop);
			scan_said = true;
		}
		switch (f->kind) {
		case VM_FRAME_START:
			if (f->how == VM_UNW_MANUAL) {
				/* a manual start: a frame at the given pc and sp */
				print_frame_line(p, level++, f->sp, f->pc, false, f);
				prev_stack = f->stack;
				frameptr = f->sp;
				break;
			}
			if (f->user)
				fprintf(p->f, "    [exception %s: user space]\n", p->arch->pc_label);
			print_eframe(p, &f->regs, f->user);
			prev_stack = f->stack;
			frameptr = 0;
			break;
		case VM_FRAME_CALL:
			if (i && f->stack != prev_stack && prev_stack >= 0) {
				fprintf(p->f, "--- <%s stack> ---\n",
					stack_label(res, prev_stack, lab, sizeof(lab)));
				frameptr = 0;
			}
			/* A sleeping task's first frame shows its saved stack
			 * pointer, as crash does. */
			sp = f->how == VM_UNW_SAVED ? f->regs_addr : f->slot;
			if ((p->flags & VM_BTP_FULL) && frameptr)
				print_words(p, frameptr, sp);
			print_frame_line(p, level++, sp, f->pc, true, f);
			frameptr = sp + 8;
			prev_stack = f->stack;
			break;
		case VM_FRAME_INTR:
			print_eframe(p, &f->regs, f->user);
			if (f->user)
				break;
			if (f->stack != prev_stack) {
				/* The interrupted context is on another stack:
				 * crash's "--- <NMI exception stack> ---" and
				 * a frame line for the interrupted pc. */
				fprintf(p->f, "--- <%s stack> ---\n",
					stack_label(res, prev_stack, lab, sizeof(lab)));
				print_frame_line(p, level++, f->sp, f->pc, false, f);
				frameptr = f->sp + 8;
			}
			prev_stack = f->stack;
			break;
		}
	}
	if (res->stop[0] && !scan_said)
		fprintf(p->f, "    [unwinding stopped: %s]\n", res->stop);
	else if (res->stop[0] && !(res->n && res->frames[res->n - 1].user))
		fputs("    [end of stack scan]\n", p->f);
}

/* ---- JSON ---- */

static const char *const how_names[] = { "regs", "saved", "orc", "fp", "scan", "manual" };

/* {"error": MSG, "pid": PID, "task": TASK}: a trace that stopped or could
 * not start. */
static void json_error(struct vm_btprint *p, const struct vm_task_info *t, const char *msg)
{
	vm_json_error_begin(p->j, msg);
	vm_json_ki64(p->j, "pid", t->pid);
	vm_json_khex(p->j, "task", t->task);
	vm_json_end(p->j);
}

/* every register the frame has, by the arch's names */
static void json_regs(struct vm_btprint *p, const struct vm_regs *r)
{
	unsigned i;

	vm_json_key(p->j, "regs");
	vm_json_obj_begin(p->j);
	for (i = 0; i < p->arch->nr_regs && i < VM_MAX_REGS; i++)
		if (r->valid >> i & 1)
			vm_json_khex(p->j, p->arch->reg_names[i], r->r[i]);
	vm_json_obj_end(p->j);
}

static void json_frame(struct vm_btprint *p, const struct vm_task_info *t,
		       const struct vm_unwind_res *res, unsigned i, unsigned *level)
{
	const struct vm_frame *f = &res->frames[i];
	bool ret = f->kind == VM_FRAME_CALL;
	const struct vm_sym *s;
	struct vm_line l;
	uint64_t off = 0;
	char name[8];

	vm_json_begin(p->j);
	vm_json_ki64(p->j, "pid", t->pid);
	vm_json_khex(p->j, "task", t->task);
	vm_json_ki64(p->j, "cpu", t->cpu);
	vm_json_kstr(p->j, "comm", t->comm);
	vm_json_ku64(p->j, "index", i);
	if (ret)
		vm_json_ku64(p->j, "level", (*level)++);
	vm_json_kstr(p->j, "kind", f->kind == VM_FRAME_START ? "start" :
		     ret ? "call" : f->user ? "user" : "exception");
	vm_json_kstr(p->j, "how", how_names[f->how < sizeof(how_names) / sizeof(how_names[0]) ? f->how : 0]);
	vm_json_khex(p->j, "pc", f->pc);
	vm_json_khex(p->j, "sp", f->sp);
	if (ret)
		vm_json_khex(p->j, "slot", f->slot);
	if (f->kind == VM_FRAME_INTR)
		vm_json_khex(p->j, "regs_addr", f->regs_addr);
	if (f->stack >= 0 && (unsigned)f->stack < res->nstacks)
		vm_json_kstr(p->j, "stack", res->stacks[f->stack].name);
	s = f->user ? NULL : vm_sym_format(p->st, f->pc, ret ? VM_SYMF_RET : 0,
					   name, sizeof(name), &off);
	if (s) {
		vm_json_kstr(p->j, "function", s->name);
		vm_json_ku64(p->j, "offset", off);
		if (s->module)
			vm_json_kstr(p->j, "module", s->module);
		if ((p->flags & VM_BTP_LINES) && line_of(p, f->pc, ret, &l)) {
			vm_json_kstr(p->j, "file", l.file);
			vm_json_ku64(p->j, "line", l.line);
		}
	}
	if (f->unreliable)
		vm_json_kbool(p->j, "unreliable", true);
	if (f->kind != VM_FRAME_CALL)
		json_regs(p, &f->regs);
	if (vm_json_end(p->j) < 0)
		json_error(p, t, vm_json_why(p->j));
}

static void print_json(struct vm_btprint *p, const struct vm_task_info *t,
		       const struct vm_unwind_res *res)
{
	unsigned i, level = 0;

	for (i = 0; i < res->n; i++)
		json_frame(p, t, res, i, &level);
	if (res->stop[0])
		json_error(p, t, res->stop);
}

/* ---- -r and -e ---- */

static void raw_dump(struct vm_btprint *p, const struct vm_stack_area *a)
{
	uint64_t addr, v;
	char w[300];
	struct vm_err e;

	for (addr = a->lo; addr < a->hi; addr += 16) {
		unsigned i;

		fprintf(p->f, "%" PRIx64 ":  ", addr);
		for (i = 0; i < 2; i++) {
			if (vm_kread_u64(p->m, addr + 8 * i, &v, &e) < 0)
				snprintf(w, sizeof(w), "%-16s", "????????????????");
			else
				word_str(p, v, true, w, sizeof(w));
			fprintf(p->f, "%s ", w);
		}
		fputc('\n', p->f);
	}
}

static void eframe_search(struct vm_btprint *p, const struct vm_task_info *t)
{
	struct vm_stack_area a[VM_UNWIND_MAX_STACKS];
	unsigned n = vm_bt_stacks(p->b, t->task, t->active_cpu, a, VM_UNWIND_MAX_STACKS);
	size_t rs = vm_bt_regs_size(p->b);
	unsigned i;

	for (i = 0; i < n; i++) {
		uint64_t addr;
		bool said = false;

		for (addr = a[i].lo; addr + rs <= a[i].hi; addr += 8) {
			struct vm_regs r;
			bool user;

			if (!vm_bt_regs_at(p->b, addr, &r, &user))
				continue;
			/* the task stack first, as crash; then the CPU's */
			if (a[i].cpu >= 0 && !said)
				fprintf(p->f, "\n  CPU %d %s STACK:\n", a[i].cpu, a[i].name);
			said = true;
			fprintf(p->f, "\n  %s-MODE EXCEPTION FRAME AT: %" PRIx64 "\n",
				user ? "USER" : "KERNEL", addr);
			print_eframe(p, &r, user);
		}
	}
}

/* ---- one task ---- */

int vm_btprint_task(struct vm_btprint *p, const struct vm_task_info *t, bool blank)
{
	struct vm_unwind_res res = { 0 };
	struct vm_err e = { 0 };
	bool from_regs;
	int rc;

	if (!p->j) {
		if (blank)
			fputc('\n', p->f);
		vm_out_task_header(p->f, t, "");
	}
	if (p->flags & (VM_BTP_RAW | VM_BTP_EFRAMES)) {
		struct vm_stack_area a[VM_UNWIND_MAX_STACKS];

		if ((p->flags & VM_BTP_RAW) && vm_bt_stacks(p->b, t->task, -1, a, 1) == 1)
			raw_dump(p, &a[0]);
		if (p->flags & VM_BTP_EFRAMES)
			eframe_search(p, t);
		return 0;
	}
	from_regs = false;
	if ((p->sp ? vm_bt_manual(p->b, t, p->sp, p->ip, &res, &e)
		   : vm_bt_task(p->b, t, &res, &from_regs, &e)) < 0) {
		if (p->j)
			json_error(p, t, e.msg);
		else
			fprintf(p->f, "    [unwinding stopped: %s]\n", e.msg);
		return 1;
	}
	/* A running task whose CPU left no registers in the dump: its last
	 * saved frame is stale, say so. */
	if (!p->j && t->active_cpu >= 0 && !from_regs && !p->sp)
		fprintf(p->f, "    [running on CPU %d, but the dump has no registers for it: "
			"trace from its last task switch]\n", t->active_cpu);
	if (p->j)
		print_json(p, t, &res);
	else
		print_text(p, &res);
	rc = res.stop[0] ? 1 : 0;
	vm_unwind_res_free(&res);
	fflush(p->f);
	return rc;
}
