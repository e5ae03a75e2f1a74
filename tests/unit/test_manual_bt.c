// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of the manual unwind starts (crash's bt -S SP / -S SP -I IP,
 * vm_bt_manual()) on every task of the fixture dumps: a walk restarted
 * from what frame N of the normal trace shows must give the normal trace
 * from there on, frame for frame (pc, stack pointer, kind), and stop
 * where it stops:
 *   - -S the frame's [slot] (the address crash prints in brackets):
 *     frames N, N+1, ...
 *   - -S the frame's sp -I its pc: a first frame at pc, then N+1, ...
 *   - -S the frame's sp alone: frames N+1, ... (the first return address
 *     or frame record above sp; counted, not required, where a stale
 *     return address lies in between -- the test reports how often).
 * The normal traces themselves are checked against crash and the guests'
 * /proc/PID/stack by tests/vmbt.bats.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "kernel/stack.h"
#include "kernel/tasks.h"

static int failures, tests;

static void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		failures++;
}

/* res from index from on equals ref from index rfrom on */
static bool same_tail(const struct vm_unwind_res *res, unsigned from,
		      const struct vm_unwind_res *ref, unsigned rfrom, char *why, size_t n)
{
	unsigned i;

	if (res->n - from != ref->n - rfrom) {
		snprintf(why, n, "%u frames after the start, the trace has %u", res->n - from,
			 ref->n - rfrom);
		return false;
	}
	for (i = 0; from + i < res->n; i++) {
		const struct vm_frame *a = &res->frames[from + i], *b = &ref->frames[rfrom + i];

		if (a->pc != b->pc || a->sp != b->sp || a->kind != b->kind) {
			snprintf(why, n, "frame %u: pc %" PRIx64 " sp %" PRIx64 " vs %" PRIx64
				 " %" PRIx64, rfrom + i, a->pc, a->sp, b->pc, b->sp);
			return false;
		}
	}
	if (strcmp(res->stop, ref->stop)) {
		snprintf(why, n, "stops with \"%.200s\", the trace with \"%.200s\"", res->stop, ref->stop);
		return false;
	}
	return true;
}

static void scenario(const char *label, const char *dump, bool arm64)
{
	struct vm_opts o = { 0 };
	struct vm_kernel *k;
	struct vm_tasklist tl;
	struct vm_err e = { 0 };
	struct vm_bt *b;
	size_t i;
	unsigned nframes = 0, slot_ok = 0, pc_ok = 0, sp_ok = 0, sp_tried = 0;
	char why[512], first_bad[1024] = "";

	if (access(dump, R_OK)) {
		printf("# %s: %s absent, skipped\n", label, dump);
		return;
	}
	k = vm_kernel_open(dump, &o, &e);
	if (!k || vm_tasks_collect(k, VM_TASKS_NOMEM, &tl, &e) < 0 ||
	    !(b = vm_bt_open(k, 0, &e))) {
		ok(0, "%s: open: %s", label, e.msg);
		vm_kernel_close(k);
		return;
	}
	for (i = 0; i < tl.n; i++) {
		const struct vm_task_info *t = &tl.t[i];
		struct vm_unwind_res ref, res;
		bool from_regs;
		unsigned n;

		if (vm_bt_task(b, t, &ref, &from_regs, &e) < 0)
			continue;
		for (n = 0; n < ref.n; n++) {
			const struct vm_frame *f = &ref.frames[n];

			/* arm64's sleeping tasks start from thread.cpu_context:
			 * that "slot" is in the task_struct, on no stack */
			if (f->kind != VM_FRAME_CALL || vm_unwind_area_of(&ref, f->slot, 8) < 0)
				continue;
			nframes++;
			/* -S [slot] */
			if (vm_bt_manual(b, t, f->slot, 0, &res, &e) == 0 && res.n &&
			    res.frames[0].how == VM_UNW_MANUAL && same_tail(&res, 0, &ref, n, why,
									   sizeof(why)))
				slot_ok++;
			else if (!first_bad[0])
				snprintf(first_bad, sizeof(first_bad), "PID %d frame %u -S %" PRIx64
					 ": %.400s", t->pid, n, f->slot, res.n ? why : e.msg);
			vm_unwind_res_free(&res);
			/* -S sp -I pc */
			if (vm_bt_manual(b, t, f->sp, f->pc, &res, &e) == 0 && res.n &&
			    res.frames[0].kind == VM_FRAME_START && res.frames[0].pc == f->pc &&
			    same_tail(&res, 1, &ref, n + 1, why, sizeof(why)))
				pc_ok++;
			else if (!first_bad[0] && !arm64)
				snprintf(first_bad, sizeof(first_bad), "PID %d frame %u -S %" PRIx64
					 " -I %" PRIx64 ": %.400s", t->pid, n, f->sp, f->pc,
					 res.n ? why : e.msg);
			vm_unwind_res_free(&res);
			/* -S sp: the frame above, unless a stale address is in
			 * between */
			if (n + 1 < ref.n && ref.frames[n + 1].kind == VM_FRAME_CALL) {
				sp_tried++;
				if (vm_bt_manual(b, t, f->sp, 0, &res, &e) == 0 &&
				    same_tail(&res, 0, &ref, n + 1, why, sizeof(why)))
					sp_ok++;
				vm_unwind_res_free(&res);
			}
		}
		vm_unwind_res_free(&ref);
	}
	ok(nframes > 0 && slot_ok == nframes, "%s: -S [slot] of each of %u frames restarts the "
	   "trace at that frame (%u did)", label, nframes, slot_ok);
	/* x86_64: exact (ORC from the pc).  arm64 has no unwind tables: the
	 * next frame record is looked for above sp, and a frame's sp there is
	 * its record + 16, below the callee's locals, where stale records
	 * of earlier calls lie; and a frame at the top of the IRQ stack has
	 * its caller's record on the task stack, out of reach of a search */
	ok(nframes > 0 && (arm64 ? pc_ok * 10 >= nframes * 9 : pc_ok == nframes),
	   "%s: -S sp -I pc of each of %u frames gives the frames above it (%u did%s)", label,
	   nframes, pc_ok, arm64 ? ", at least 90%" : "");
	if (first_bad[0])
		printf("# first difference: %s\n", first_bad);
	/* the must-show form: most frames have no stale return
	 * address between their sp and the next return address */
	ok(sp_tried > 0 && sp_ok * 10 >= sp_tried * 9, "%s: -S sp alone gives the frames above "
	   "for %u of %u frames (at least 90%%)", label, sp_ok, sp_tried);
	vm_bt_close(b);
	vm_tasklist_free(&tl);
	vm_kernel_close(k);
}

static void bad_input(const char *dump)
{
	struct vm_opts o = { 0 };
	struct vm_kernel *k;
	struct vm_tasklist tl;
	struct vm_unwind_res res;
	struct vm_err e = { 0 };
	struct vm_bt *b;
	const struct vm_task_info *t;

	if (access(dump, R_OK))
		return;
	k = vm_kernel_open(dump, &o, &e);
	if (!k || vm_tasks_collect(k, VM_TASKS_NOMEM, &tl, &e) < 0 ||
	    !(b = vm_bt_open(k, 0, &e))) {
		vm_kernel_close(k);
		return;
	}
	t = vm_tasklist_by_pid(&tl, 1);
	ok(t && vm_bt_manual(b, t, 0, 0, &res, &e) < 0 && e.code == VM_EINVAL,
	   "-S 0 refused (%s)", e.msg);
	if (t && vm_bt_manual(b, t, 0x1000, 0, &res, &e) == 0) {
		ok(res.stop_code == VM_EINVAL && strstr(res.stop, "none of the task's stacks"),
		   "-S on no stack of the task: %s", res.stop);
		vm_unwind_res_free(&res);
	}
	/* the top of the stack: nothing above it */
	if (t && vm_bt_manual(b, t, 0, 0, &res, &e) < 0) {
		struct vm_stack_area a[VM_UNWIND_MAX_STACKS];
		unsigned na = vm_bt_stacks(b, t->task, t->cpu, a, VM_UNWIND_MAX_STACKS);

		if (na && vm_bt_manual(b, t, a[0].hi - 8, 0, &res, &e) == 0) {
			ok(res.n <= 1, "-S at the last word of the task stack: %u frames (%s)",
			   res.n, res.stop[0] ? res.stop : "end");
			vm_unwind_res_free(&res);
		}
	}
	vm_bt_close(b);
	vm_tasklist_free(&tl);
	vm_kernel_close(k);
}

int main(void)
{
	const char *fix = getenv("VMCORE_FIXTURES");
	char p[1024];

	if (!fix)
		fix = "../shared/fixtures";
	if (access(fix, R_OK)) {
		printf("1..0 # SKIP corpus %s absent\n", fix);
		return 0;
	}
	snprintf(p, sizeof(p), "%s/x86_64-6.1/oops-module/vmcore.kdump-zlib", fix);
	scenario("oops-module", p, false);
	bad_input(p);
	snprintf(p, sizeof(p), "%s/x86_64-6.1/bug-module/vmcore.kdump-snappy", fix);
	scenario("bug-module", p, false);
	snprintf(p, sizeof(p), "%s/x86_64-6.1/sysrq-c/vmcore.kdump-zstd", fix);
	scenario("sysrq-c", p, false);
	snprintf(p, sizeof(p), "%s/arm64-6.1-debian/vmcore.qemu-kdump-zlib", fix);
	scenario("arm64", p, true);
	bad_input(p);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
