// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmbt — crash's `bt`: backtraces of the dumped kernel's tasks.
 *
 * Layout as crash prints it, so habits and awk scripts carry over:
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
 *
 * Exit status: 0 every trace reached the bottom of its stack; 1 some trace
 * stopped early (what was found is printed) or a task was not found or
 * nothing could be unwound; 2 usage.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/unwind.h"
#include "kernel/kernel.h"
#include "kernel/srclines.h"
#include "kernel/stack.h"
#include "kernel/tasksel.h"
#include "kernel/tasks.h"
#include "out/cli.h"
#include "out/json.h"
#include "kernel/debuginfo.h"
#include "symbols/symbols.h"
#include "types/lines.h"

static const char usage[] =
	"Usage: vmbt [options] DUMP [PID|TASK...]\n"
	"Backtraces of a kernel crash dump's tasks, like crash's `bt`.\n"
	"Default: the task that panicked.  Arguments select tasks by decimal PID\n"
	"or task_struct address (hex).\n";

/* crash's bt letters that mean something else in every program here */
static const struct vm_renamed renamed[] = {
	{ 'S', "--sp" }, { 'I', "--ip" }, { 0, NULL },
};

static const struct vm_progopt options[] = {
	{ VM_OPT_ACTIVE, "the task running on each CPU" },
	{ VM_OPT_ALL, "every task (crash's `foreach bt`)" },
	{ VM_OPT_CPU, NULL },
	{ VM_OPT_PID, NULL },
	{ VM_OPT_FULL, NULL },
	{ VM_OPT_FULL_SYMBOLS, NULL },
	{ VM_OPT_LINES, "source file and line of each frame" },
	{ VM_OPT_OFFSETS, "function+offset for each frame" },
	{ VM_OPT_RAW, NULL },
	{ VM_OPT_EFRAMES, NULL },
	{ VM_OPT_NO_ORC, NULL },
	{ VM_OPT_ORC_FILE, NULL },
	{ VM_OPT_NO_SCAN, NULL },
	{ VM_OPT_STATE, "every task in these states (crash's foreach UN bt)" },
	{ VM_OPT_COMM, NULL },
	{ VM_OPT_SP, NULL },
	{ VM_OPT_IP, NULL },
	{ VM_OPT_END, NULL },
};

struct bt {
	struct vm_cli c;
	struct vm_kernel *k;
	struct vm_mem *m;
	struct vm_bt *b;
	struct vm_symtab *st;
	const struct vm_arch *arch;
	bool full, fullsym, lines, offsets, raw, eframes;
	uint64_t text_lo;               /* lowest kernel symbol (for -F) */
	struct vm_srclines *sl;         /* -l: kernel and module lines */
	struct vm_json *j;
	int status;
	unsigned incomplete, traces;
	uint64_t sp, ip;                /* --sp, --ip: a manual start */
};

/* ---- symbols ---- */

/* FUNC of a return address: the call is the byte before it. */
static const struct vm_sym *sym_of(struct bt *p, uint64_t pc, bool ret, uint64_t *off)
{
	const struct vm_sym *s;

	if (!p->st)
		return NULL;
	s = vm_sym_by_addr(p->st, ret ? pc - 1 : pc, off);
	if (!s)
		return NULL;
	if (ret)
		(*off)++;
	return s;
}

/* "name+off" (decimal, as crash) or "name"; "" when unknown. */
static void symstr(struct bt *p, uint64_t v, bool ret, bool with_off, char *buf,
		   size_t len)
{
	uint64_t off = 0;
	const struct vm_sym *s = sym_of(p, v, ret, &off);

	if (!s)
		snprintf(buf, len, "%s", "");
	else if (with_off && off)
		snprintf(buf, len, "%s+%" PRIu64, s->name, off);
	else
		snprintf(buf, len, "%s", s->name);
}

/* -F: a word as crash's format_stack_entry shows it: a symbol when the
 * value lies inside one, else hex. */
static void word_str(struct bt *p, uint64_t v, char *buf, size_t len)
{
	const struct vm_sym *s = NULL;
	uint64_t off = 0;

	if (p->fullsym && p->st && v >= p->text_lo)
		s = vm_sym_by_addr(p->st, v, &off);
	/* off == size: a return address after a call to a noreturn function
	 * at the very end of the caller */
	if (s && ((s->size && off <= s->size) || (!s->size && off < 65536))) {
		char tmp[256];

		if (off)
			snprintf(tmp, sizeof(tmp), "%s+%" PRIu64, s->name, off);
		else
			snprintf(tmp, sizeof(tmp), "%s", s->name);
		snprintf(buf, len, "%-16s", tmp);
	} else {
		snprintf(buf, len, "%016" PRIx64, v);
	}
}

/* ---- text output ---- */

static void print_words(struct bt *p, uint64_t from, uint64_t to)
{
	uint64_t a, v;
	unsigned i = 0;
	char w[300];
	struct vm_err e;

	if (!from || to < from || to - from > 65536)
		return;
	for (a = from; a <= to; a += 8, i++) {
		if (!(i & 1))
			printf("%s    %" PRIx64 ": ", i ? "\n" : "", a);
		if (vm_kread_u64(p->m, a, &v, &e) < 0)
			snprintf(w, sizeof(w), "%-16s", "????????????????");
		else
			word_str(p, v, w, sizeof(w));
		printf("%s ", w);
	}
	printf("\n");
}

/* Other architectures: every known register, three a line. */
static void print_regs_generic(const struct vm_arch *a, const struct vm_regs *r)
{
	unsigned i, k = 0;

	for (i = 0; i < a->nr_regs && i < VM_MAX_REGS; i++) {
		if (!(r->valid >> i & 1))
			continue;
		printf("%s%8s: %016" PRIx64, k % 3 ? "  " : "    ", a->reg_names[i], r->r[i]);
		if (++k % 3 == 0)
			printf("\n");
	}
	if (k % 3)
		printf("\n");
}

static void print_regs(const struct vm_arch *a, const struct vm_regs *r)
{
	const uint64_t *x = r->r;

	if (a->e_machine != 62) {       /* EM_X86_64 */
		print_regs_generic(a, r);
		return;
	}
	/* crash's x86_64 block; struct vm_regs follows user_regs_struct
	 * (arch/x86_64.h) */
	printf("    RIP: %016" PRIx64 "  RSP: %016" PRIx64 "  RFLAGS: %08" PRIx64 "\n",
	       x[16], x[19], x[18]);
	printf("    RAX: %016" PRIx64 "  RBX: %016" PRIx64 "  RCX: %016" PRIx64 "\n",
	       x[10], x[5], x[11]);
	printf("    RDX: %016" PRIx64 "  RSI: %016" PRIx64 "  RDI: %016" PRIx64 "\n",
	       x[12], x[13], x[14]);
	printf("    RBP: %016" PRIx64 "   R8: %016" PRIx64 "   R9: %016" PRIx64 "\n",
	       x[4], x[9], x[8]);
	printf("    R10: %016" PRIx64 "  R11: %016" PRIx64 "  R12: %016" PRIx64 "\n",
	       x[7], x[6], x[3]);
	printf("    R13: %016" PRIx64 "  R14: %016" PRIx64 "  R15: %016" PRIx64 "\n",
	       x[2], x[1], x[0]);
	printf("    ORIG_RAX: %016" PRIx64 "  CS: %04" PRIx64 "  SS: %04" PRIx64 "\n",
	       x[15], x[17], x[20]);
}

/* -l: "    FILE: LINE" as crash prints it.  A return address's line is
 * the call's (pc - 1).  Kernel and module text alike (kernel/srclines.h);
 * a table that cannot be opened is said once. */
static bool line_of(struct bt *p, uint64_t pc, bool ret, struct vm_line *l)
{
	struct vm_err e = { 0 };
	int r;

	if (!p->sl)
		return false;
	r = vm_srclines_at(p->sl, ret ? pc - 1 : pc, l, &e);
	if (r < 0) {
		fflush(stdout);
		vm_cli_warn(&p->c, "-l: no source lines: %s", e.msg);
	}
	return r == 1;
}

static void print_line(struct bt *p, uint64_t pc, bool ret)
{
	struct vm_line l;

	if (line_of(p, pc, ret, &l))
		printf("    %s: %u\n", l.file, l.line);
}

/* crash names the program counter by the arch's own name */
static const char *pc_label(const struct vm_arch *a)
{
	return a->e_machine == 62 ? "RIP" : "PC";
}

static void print_eframe(struct bt *p, const struct vm_regs *r, bool user)
{
	char s[300];

	if (!user) {
		symstr(p, r->r[p->arch->pc_reg], false, true, s, sizeof(s));
		printf("    [exception %s: %s]\n", pc_label(p->arch),
		       s[0] ? s : "unknown or invalid address");
	}
	print_regs(p->arch, r);
	if (!user && p->lines)
		print_line(p, r->r[p->arch->pc_reg], false);
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

static void print_frame_line(struct bt *p, unsigned level, uint64_t sp, uint64_t pc,
			     bool ret, const struct vm_frame *f)
{
	char name[300];
	uint64_t off = 0;
	const struct vm_sym *s = sym_of(p, pc, ret, &off);

	if (!s)
		snprintf(name, sizeof(name), "(unknown)");
	else if (p->offsets && off)
		snprintf(name, sizeof(name), "%s+%" PRIu64, s->name, off);
	else
		snprintf(name, sizeof(name), "%s", s->name);
	printf("%s#%u [%8" PRIx64 "] %s at %" PRIx64, level < 10 ? " " : "", level, sp,
	       name, pc);
	if (s && s->module)
		printf(" [%s]", s->module);
	if (f->how == VM_UNW_SCAN)
		printf(" (scan)");
	else if (f->unreliable)
		printf(" (guess)");
	printf("\n");
	if (p->lines)
		print_line(p, pc, ret);
}

static void print_header(const struct vm_task_info *t)
{
	char cpu[16];

	if (t->cpu >= 0)
		snprintf(cpu, sizeof(cpu), "%d", t->cpu);
	else
		snprintf(cpu, sizeof(cpu), "-");
	printf("PID: %-7d  TASK: %" PRIx64 "  CPU: %-3s  COMMAND: \"%s\"\n", t->pid,
	       t->task, cpu, t->comm);
}

static void print_text(struct bt *p, const struct vm_unwind_res *res)
{
	unsigned i, level = 0;
	uint64_t frameptr = 0, sp;
	int prev_stack = -1;
	bool scan_said = false;
	char lab[32];

	for (i = 0; i < res->n; i++) {
		const struct vm_frame *f = &res->frames[i];

		if (f->how == VM_UNW_SCAN && !scan_said) {
			printf("    [unwinding failed: %s; frames below found by "
			       "scanning the stack]\n", res->stop);
			scan_said = true;
		}
		switch (f->kind) {
		case VM_FRAME_START:
			if (f->how == VM_UNW_MANUAL) {
				/* --sp/--ip: a frame at the given pc and sp */
				print_frame_line(p, level++, f->sp, f->pc, false, f);
				prev_stack = f->stack;
				frameptr = f->sp;
				break;
			}
			if (f->user)
				printf("    [exception %s: user space]\n", pc_label(p->arch));
			print_eframe(p, &f->regs, f->user);
			prev_stack = f->stack;
			frameptr = 0;
			break;
		case VM_FRAME_CALL:
			if (i && f->stack != prev_stack && prev_stack >= 0) {
				printf("--- <%s stack> ---\n",
				       stack_label(res, prev_stack, lab, sizeof(lab)));
				frameptr = 0;
			}
			/* A sleeping task's first frame shows its saved stack
			 * pointer, as crash does. */
			sp = f->how == VM_UNW_SAVED ? f->regs_addr : f->slot;
			if (p->full && frameptr)
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
				printf("--- <%s stack> ---\n",
				       stack_label(res, prev_stack, lab, sizeof(lab)));
				print_frame_line(p, level++, f->sp, f->pc, false, f);
				frameptr = f->sp + 8;
			}
			prev_stack = f->stack;
			break;
		}
	}
	if (res->stop[0] && !scan_said)
		printf("    [unwinding stopped: %s]\n", res->stop);
	else if (res->stop[0] && !(res->n && res->frames[res->n - 1].user))
		printf("    [end of stack scan]\n");
}

/* ---- JSON ---- */

static const char *const how_names[] = { "regs", "saved", "orc", "fp", "scan", "manual" };

static void json_regs(struct bt *p, const struct vm_regs *r)
{
	unsigned i;

	vm_json_key(p->j, "regs");
	vm_json_obj_begin(p->j);
	for (i = 0; i < p->arch->nr_regs && i < VM_MAX_REGS; i++)
		if (r->valid >> i & 1)
			vm_json_khex(p->j, p->arch->reg_names[i], r->r[i]);
	vm_json_obj_end(p->j);
}

/* {"error": MSG, "pid": PID, "task": TASK}: a trace that stopped or could
 * not start. */
static void json_error(struct bt *p, const struct vm_task_info *t, const char *msg)
{
	vm_json_error_begin(p->j, msg);
	vm_json_ki64(p->j, "pid", t->pid);
	vm_json_khex(p->j, "task", t->task);
	vm_json_end(p->j);
}

static void print_json(struct bt *p, const struct vm_task_info *t,
		       const struct vm_unwind_res *res)
{
	unsigned i, level = 0;

	for (i = 0; i < res->n; i++) {
		const struct vm_frame *f = &res->frames[i];
		bool ret = f->kind == VM_FRAME_CALL;
		const struct vm_sym *s;
		uint64_t off = 0;

		vm_json_begin(p->j);
		vm_json_ki64(p->j, "pid", t->pid);
		vm_json_khex(p->j, "task", t->task);
		vm_json_ki64(p->j, "cpu", t->cpu);
		vm_json_kstr(p->j, "comm", t->comm);
		vm_json_ku64(p->j, "index", i);
		if (ret)
			vm_json_ku64(p->j, "level", level++);
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
		s = f->user ? NULL : sym_of(p, f->pc, ret, &off);
		if (s) {
			vm_json_kstr(p->j, "function", s->name);
			vm_json_ku64(p->j, "offset", off);
			if (s->module)
				vm_json_kstr(p->j, "module", s->module);
		}
		if (p->lines && s) {
			struct vm_line l;

			if (line_of(p, f->pc, ret, &l)) {
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
	if (res->stop[0])
		json_error(p, t, res->stop);
}

/* ---- -r and -e ---- */

static void raw_dump(struct bt *p, const struct vm_stack_area *a)
{
	uint64_t addr, v;
	char w[300];
	struct vm_err e;
	bool save = p->fullsym;

	p->fullsym = true;
	for (addr = a->lo; addr < a->hi; addr += 16) {
		unsigned i;

		printf("%" PRIx64 ":  ", addr);
		for (i = 0; i < 2; i++) {
			if (vm_kread_u64(p->m, addr + 8 * i, &v, &e) < 0)
				snprintf(w, sizeof(w), "%-16s", "????????????????");
			else
				word_str(p, v, w, sizeof(w));
			printf("%s ", w);
		}
		printf("\n");
	}
	p->fullsym = save;
}

static void eframe_search(struct bt *p, const struct vm_task_info *t)
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
				printf("\n  CPU %d %s STACK:\n", a[i].cpu, a[i].name);
			said = true;
			printf("\n  %s-MODE EXCEPTION FRAME AT: %" PRIx64 "\n",
			       user ? "USER" : "KERNEL", addr);
			print_eframe(p, &r, user);
		}
	}
}

/* ---- one task ---- */

static void backtrace(struct bt *p, const struct vm_task_info *t, bool blank)
{
	struct vm_unwind_res res = { 0 };
	struct vm_err e = { 0 };
	bool from_regs;

	p->traces++;
	if (!p->c.opts.json) {
		if (blank)
			printf("\n");
		print_header(t);
	}
	if (p->raw || p->eframes) {
		struct vm_stack_area a[VM_UNWIND_MAX_STACKS];

		if (p->raw && vm_bt_stacks(p->b, t->task, -1, a, 1) == 1)
			raw_dump(p, &a[0]);
		if (p->eframes)
			eframe_search(p, t);
		return;
	}
	from_regs = false;
	if ((p->sp ? vm_bt_manual(p->b, t, p->sp, p->ip, &res, &e)
		   : vm_bt_task(p->b, t, &res, &from_regs, &e)) < 0) {
		if (p->c.opts.json) {
			json_error(p, t, e.msg);
		} else {
			printf("    [unwinding stopped: %s]\n", e.msg);
		}
		p->incomplete++;
		return;
	}
	/* A running task whose CPU left no registers in the dump: its last
	 * saved frame is stale, say so. */
	if (!p->c.opts.json && t->active_cpu >= 0 && !from_regs && !p->sp)
		printf("    [running on CPU %d, but the dump has no registers for it: "
		       "trace from its last task switch]\n", t->active_cpu);
	if (p->c.opts.json)
		print_json(p, t, &res);
	else
		print_text(p, &res);
	if (res.stop[0])
		p->incomplete++;
	vm_unwind_res_free(&res);
	fflush(stdout);
}

/* ---- selection ---- */

static bool parse_task_arg(const char *s, int32_t *pid, uint64_t *task)
{
	char *end;
	bool hex = !strncmp(s, "0x", 2) || strlen(s) > 10;
	const char *q;

	for (q = s; *q && !hex; q++)
		if (isxdigit((unsigned char)*q) && !isdigit((unsigned char)*q))
			hex = true;
	if (hex) {
		*task = strtoull(s, &end, 16);
		*pid = -1;
	} else {
		long v = strtol(s, &end, 10);

		if (v < 0 || v > INT32_MAX)
			return false;
		*pid = (int32_t)v;
		*task = 0;
	}
	return *end == '\0' && end != s;
}

int main(int argc, char **argv)
{
	struct bt p = { 0 };
	struct vm_tasklist tl = { 0 };
	struct vm_err e = { 0 };
	const char **sel = NULL, *arg;
	int *cpus = NULL;
	size_t nsel = 0, ncpus = 0, i;
	bool active = false, all = false, blank = false, filter = false;
	struct vm_tasksel tsel;
	unsigned flags = 0;
	int opt;

	vm_tasksel_init(&tsel);
	vm_cli_init(&p.c, "vmbt", usage, options, renamed, argc, argv);
	p.j = &p.c.j;
	sel = calloc((size_t)argc, sizeof(*sel));
	cpus = calloc((size_t)argc, sizeof(*cpus));
	if (!sel || !cpus) {
		vm_cli_warn(&p.c, "out of memory");
		p.status = VM_EXIT_FAIL;
		goto out;
	}
	while ((opt = vm_cli_next(&p.c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_ACTIVE: active = true; break;
		case VM_OPT_ALL: all = true; break;
		case VM_OPT_CPU: {
			char *end;
			long v = strtol(arg, &end, 10);

			if (*end || end == arg || v < 0 || v > 8191)
				vm_cli_usage_error(&p.c, "-c %s: not a CPU number", arg);
			cpus[ncpus++] = (int)v;
			break;
		}
		case VM_OPT_PID:
			/* a PID list (1,93-98) selects like --state */
			if (strpbrk(arg, ",-")) {
				if (vm_tasksel_pids(&tsel, arg, &e) < 0)
					vm_cli_usage_error(&p.c, "%s", e.msg);
				filter = true;
			} else {
				sel[nsel++] = arg;
			}
			break;
		case VM_OPT_STATE:
		case VM_OPT_COMM:
			if ((opt == VM_OPT_STATE ? vm_tasksel_states(&tsel, arg, &e)
						 : vm_tasksel_comm(&tsel, arg, &e)) < 0)
				vm_cli_usage_error(&p.c, "%s", e.msg);
			filter = true;
			break;
		case VM_OPT_SP:
		case VM_OPT_IP:
			if (!vm_cli_parse_hex(arg, opt == VM_OPT_SP ? &p.sp : &p.ip) ||
			    !(opt == VM_OPT_SP ? p.sp : p.ip))
				vm_cli_usage_error(&p.c, "--%s %s: not an address",
						   vm_optdefs[opt].name, arg);
			break;
		case VM_OPT_FULL: p.full = true; break;
		case VM_OPT_FULL_SYMBOLS: p.full = p.fullsym = true; break;
		case VM_OPT_LINES: p.lines = true; break;
		case VM_OPT_OFFSETS: p.offsets = true; break;
		case VM_OPT_RAW: p.raw = true; break;
		case VM_OPT_EFRAMES: p.eframes = true; break;
		case VM_OPT_NO_ORC: flags |= VM_BT_NO_TABLE; break;
		case VM_OPT_ORC_FILE: flags |= VM_BT_FILE_TABLE; break;
		case VM_OPT_NO_SCAN: flags |= VM_BT_NO_SCAN; break;
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&p.c, "no DUMP given");
	p.c.opts.dump_path = argv[optind++];
	for (; optind < argc; optind++)
		sel[nsel++] = argv[optind];
	if (p.c.opts.json && (p.raw || p.eframes || p.full))
		vm_cli_usage_error(&p.c, "--json gives frames: not with -f, -F, -r or -e");
	if ((active || all) + (nsel || ncpus) + filter > 1 || (active && all))
		vm_cli_usage_error(&p.c, "choose one of -a, -A, -c, --state/--comm/-p LIST "
				   "and task selectors");
	if (p.ip && !p.sp)
		vm_cli_usage_error(&p.c, "--ip needs --sp");
	if (p.sp && (active || all || filter || ncpus || nsel > 1))
		vm_cli_usage_error(&p.c, "--sp starts one task's trace: give at most one task");
	for (i = 0; i < nsel; i++) {
		int32_t pid;
		uint64_t task;

		if (!parse_task_arg(sel[i], &pid, &task))
			vm_cli_usage_error(&p.c, "%s: not a PID or task address", sel[i]);
	}

	p.k = vm_kernel_open(&p.c.opts, &e);
	if (!p.k || !(p.m = vm_kernel_mem(p.k, &e)) ||
	    !(p.b = vm_bt_open(p.k, flags, &e))) {
		vm_cli_error(&p.c, &e);
		p.status = VM_EXIT_FAIL;
		goto out;
	}
	if (p.c.opts.verbose)
		vm_cli_warn(&p.c, "unwinder: %s", vm_bt_how(p.b));
	p.arch = vm_bt_arch(p.b);
	p.st = vm_kernel_symtab(p.k, &e);
	if (p.st) {
		const struct vm_sym *s = vm_sym_by_name(p.st, "_text", NULL);

		p.text_lo = s ? s->addr : UINT64_C(0xffffffff80000000);
	}
	if (p.lines && !(p.sl = vm_srclines_new(p.k, &e))) {
		vm_cli_error(&p.c, &e);
		p.status = VM_EXIT_FAIL;
		goto out;
	}

	if (!active && !all && !nsel && !ncpus && !filter) {
		struct vm_task_info t;

		if (vm_panic_task(p.k, &t, &e) < 0) {
			vm_cli_error(&p.c, &e);
			p.status = VM_EXIT_FAIL;
		} else {
			backtrace(&p, &t, false);
		}
		goto done;
	}
	if (vm_tasks_collect(p.k, VM_TASKS_NOMEM, &tl, &e) < 0) {
		vm_cli_error(&p.c, &e);
		p.status = VM_EXIT_FAIL;
		goto done;
	}
	if (tl.incomplete)
		vm_cli_warn(&p.c, "task list incomplete: %s", tl.warn.msg);
	if (all || filter) {
		for (i = 0; i < tl.n; i++) {
			if (filter && !vm_tasksel_match(&tsel, &tl.t[i]))
				continue;
			backtrace(&p, &tl.t[i], blank);
			blank = true;
		}
	} else if (active || ncpus) {
		unsigned c, n = active ? tl.nr_cpu_ids : (unsigned)ncpus;

		for (c = 0; c < n; c++) {
			unsigned cpu = active ? c : (unsigned)cpus[c];
			const struct vm_task_info *t = NULL;
			struct vm_task_info ti;

			if (cpu < tl.nr_cpu_ids && tl.curr && tl.curr[cpu])
				t = vm_tasklist_by_task(&tl, tl.curr[cpu]);
			if (!t) {
				if (!active) {
					vm_cli_errorf(&p.c, "CPU %u: no running task known", cpu);
					p.status = VM_EXIT_FAIL;
				}
				continue;
			}
			ti = *t;
			ti.active_cpu = (int)cpu;
			backtrace(&p, &ti, blank);
			blank = true;
		}
	} else {
		for (i = 0; i < nsel; i++) {
			int32_t pid;
			uint64_t task;
			const struct vm_task_info *t;
			struct vm_task_info ti;

			parse_task_arg(sel[i], &pid, &task);
			t = task ? vm_tasklist_by_task(&tl, task) : vm_tasklist_by_pid(&tl, pid);
			if (!t && task && vm_task_read(p.k, task, &ti, &e) == 0)
				t = &ti;
			if (!t) {
				vm_cli_errorf(&p.c, "%s: no such task", sel[i]);
				p.status = VM_EXIT_FAIL;
				continue;
			}
			backtrace(&p, t, blank);
			blank = true;
		}
	}
done:
	if (p.incomplete) {
		if (p.traces > 1)
			vm_cli_warn(&p.c, "%s: %u of %u backtraces stopped before the "
				    "bottom of the stack", p.c.opts.dump_path,
				    p.incomplete, p.traces);
		else
			vm_cli_warn(&p.c, "%s: the backtrace stopped before the bottom of "
				    "the stack", p.c.opts.dump_path);
		p.status = VM_EXIT_FAIL;
	}
out:
	vm_tasklist_free(&tl);
	vm_tasksel_free(&tsel);
	vm_srclines_free(p.sl);
	vm_bt_close(p.b);
	vm_kernel_close(p.k);
	free(sel);
	free(cpus);
	return vm_cli_exit(&p.c, p.status);
}
