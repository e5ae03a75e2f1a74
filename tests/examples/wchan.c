// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wchan — a program written as a third party would write one, against
 * libvmcore's public header only (it is built with nothing else on its
 * include path): the tasks in given states and what each waits in.
 *
 *   wchan DUMP [STATE...]
 *
 * One line per task whose state is one of STATE (crash's codes: UN, the D
 * state, by default; IN, ID, RU ...): "PID STATE COMM WCHAN", WCHAN being
 * the first function of its stack outside the scheduler, which is what the
 * kernel calls the task's wait channel (/proc/PID/wchan: get_wchan()
 * skips the functions between __sched_text_start and __sched_text_end,
 * kernel/sched/core.c in_sched_functions()).  "-" when the walk finds none.
 *
 * Exit status: 0 listed; 1 the dump, its tasks or its unwinder could not
 * be had; 2 usage.
 */
#include <stdlib.h>
#include <string.h>

#include "vmcore.h"

/* The wait channel of task t: the first call frame outside .sched.text. */
static const char *wchan(struct vm_bt *b, struct vm_symtab *st, uint64_t lo, uint64_t hi,
			 const struct vm_task_info *t, char *buf, size_t len)
{
	struct vm_err e;
	struct vm_trace *tr = vm_trace_task(b, t, &e);
	unsigned i;

	snprintf(buf, len, "-");
	for (i = 0; tr && i < vm_trace_n(tr); i++) {
		const struct vm_frame *f = vm_trace_frame(tr, i);

		if (f->kind != VM_FRAME_CALL || (f->pc - 1 >= lo && f->pc - 1 < hi))
			continue;
		if (!vm_sym_format(st, f->pc, VM_SYMF_RET, buf, len, NULL))
			snprintf(buf, len, "-");
		break;
	}
	vm_trace_free(tr);
	return buf;
}

static bool wanted(const struct vm_task_info *t, int argc, char **argv)
{
	int i;

	if (argc <= 2)
		return !strcmp(t->st, "UN");
	for (i = 2; i < argc; i++)
		if (!strcmp(t->st, argv[i]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct vm_err e = { 0 };
	struct vm_kernel *k = NULL;
	struct vm_tasklist *tl = NULL;
	struct vm_bt *b = NULL;
	struct vm_symtab *st = NULL;
	uint64_t lo = 0, hi = 0;
	char buf[256];
	size_t i;
	int rc = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: wchan DUMP [STATE...]\n");
		return 2;
	}
	if (!(k = vm_kernel_open(argv[1], NULL, &e)) ||
	    !(tl = vm_tasks_open(k, VM_TASKS_NOMEM, &e)) ||
	    !(b = vm_bt_open(k, 0, &e)) || !(st = vm_kernel_symtab(k, &e)) ||
	    vm_kernel_symbol(k, "__sched_text_start", &lo, &e) < 0 ||
	    vm_kernel_symbol(k, "__sched_text_end", &hi, &e) < 0) {
		fprintf(stderr, "wchan: %s: %s\n", argv[1], e.msg);
		goto out;
	}
	for (i = 0; i < vm_tasks_n(tl); i++) {
		const struct vm_task_info *t = vm_tasks_at(tl, i);

		if (wanted(t, argc, argv))
			printf("%d %s %s %s\n", t->pid, t->st, t->comm,
			       wchan(b, st, lo, hi, t, buf, sizeof(buf)));
	}
	rc = 0;
out:
	vm_bt_close(b);
	vm_tasks_close(tl);
	vm_kernel_close(k);
	return rc;
}
