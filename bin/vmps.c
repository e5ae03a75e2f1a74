// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmps — crash's `ps`: every task of the dumped kernel.
 *
 * Exit status: 0 every task was listed (and every selector matched);
 * 1 the task list could not be walked, was cut short by a loop or a corrupt
 * pointer (what was readable is printed, the reason on stderr), or a
 * selected PID/task/command does not exist; 2 usage.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmcore.h"

static const char usage[] =
	"Usage: vmps [options] DUMP [PID|TASK|COMMAND|PIDLIST...]\n"
	"       vmps --runq [--last-run|--times] DUMP\n"
	"List the tasks of a kernel crash dump, like crash's `ps`.\n"
	"Arguments select tasks: a decimal PID, a task_struct address (hex), a\n"
	"command name, or a PID list (1,93-98).  '>' marks the task each CPU was\n"
	"running.\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_PARENTS, NULL },
	{ VM_OPT_CHILDREN, NULL },
	{ VM_OPT_THREADS, NULL },
	{ VM_OPT_TIMES, NULL },
	{ VM_OPT_LAST_RUN, NULL },
	{ VM_OPT_SUMMARY, NULL },
	{ VM_OPT_RUNQ, "each CPU's run queue (crash's runq); with --last-run the rq "
	  "clock and last-run stamps (runq -t), with --times how long each has run "
	  "or waited (runq -m)" },
	{ VM_OPT_STATE, NULL },
	{ VM_OPT_COMM, NULL },
	{ VM_OPT_KTHREADS, "kernel threads only (crash's ps -k)" },
	{ VM_OPT_USER, NULL },
	{ VM_OPT_LEADERS, NULL },
	{ VM_OPT_ACTIVE, "only the tasks running on a CPU" },
	{ VM_OPT_NO_HEADER, "no column header" },
	{ VM_OPT_END, NULL },
};

/* crash's letters that mean something else in every program here */
static const struct vm_renamed renamed[] = {
	{ 'p', "--parents" }, { 'c', "--children" }, { 't', "--times" },
	{ 'l', "--last-run" }, { 'A', "-a" }, { 0, NULL },
};

/* the one view asked for (the views exclude each other) */
static void set_view(struct vm_cli *c, enum vm_ps_view *view, enum vm_ps_view v, int id)
{
	if (*view != VM_PS_TABLE && *view != v)
		vm_cli_usage_error(c, "--%s cannot be combined with --parents, --children, "
				   "-g, --times, --last-run or -S", vm_optdefs[id].name);
	*view = v;
}

int main(int argc, char **argv)
{
	static const struct { int opt; enum vm_ps_view view; } views[] = {
		{ VM_OPT_PARENTS, VM_PS_PARENTS }, { VM_OPT_CHILDREN, VM_PS_CHILDREN },
		{ VM_OPT_THREADS, VM_PS_THREADS }, { VM_OPT_TIMES, VM_PS_TIMES },
		{ VM_OPT_LAST_RUN, VM_PS_LASTRUN }, { VM_OPT_SUMMARY, VM_PS_SUMMARY },
	};
	struct vm_cli c;
	struct vm_kernel *k = NULL;
	struct vm_tasklist *tl = NULL;
	struct vm_task_sel *sel;
	const struct vm_task_info **v = NULL;
	struct vm_err e = { 0 };
	enum vm_ps_view view = VM_PS_TABLE;
	unsigned filter = 0, pso = 0;
	const char *arg, *why;
	size_t i, n, nsel = 0, nsel_ok;
	uint64_t pages;
	struct vm_tasksel *ts;
	bool runq = false;
	int opt, status = VM_EXIT_FAIL;

	vm_cli_init(&c, "vmps", usage, options, renamed, argc, argv);
	sel = calloc((size_t)argc, sizeof(*sel));
	ts = vm_tasksel_new(&e);
	if (!sel || !ts) {
		vm_cli_warn(&c, "out of memory");
		return vm_cli_exit(&c, VM_EXIT_FAIL);
	}
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		for (i = 0; i < sizeof(views) / sizeof(views[0]); i++)
			if (views[i].opt == opt)
				set_view(&c, &view, views[i].view, opt);
		if (opt == VM_OPT_PARENTS || opt == VM_OPT_CHILDREN)
			sel[nsel++].arg = arg;
		filter |= opt == VM_OPT_KTHREADS ? VM_PICK_KTHREADS : opt == VM_OPT_USER ?
			  VM_PICK_USER : opt == VM_OPT_LEADERS ? VM_PICK_LEADERS :
			  opt == VM_OPT_ACTIVE ? VM_PICK_ACTIVE : 0;
		if (opt == VM_OPT_NO_HEADER)
			pso |= VM_PSO_NO_HEADER;
		if (opt == VM_OPT_RUNQ)
			runq = true;
		if ((opt == VM_OPT_STATE && vm_tasksel_states(ts, arg, &e) < 0) ||
		    (opt == VM_OPT_COMM && vm_tasksel_comm(ts, arg, &e) < 0))
			vm_cli_usage_error(&c, "%s", e.msg);
	}
	if (runq && ((view != VM_PS_TABLE && view != VM_PS_LASTRUN && view != VM_PS_TIMES) ||
		     !vm_tasksel_any(ts) || filter || optind + 1 < argc))
		vm_cli_usage_error(&c, "--runq takes no task selection; only --last-run "
				   "or --times with it");
	if ((filter & VM_PICK_KTHREADS) && (filter & VM_PICK_USER))
		vm_cli_usage_error(&c, "-K and -u exclude each other");
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.dump = argv[optind++];
	for (; optind < argc; optind++) {
		arg = argv[optind];
		/* a PID list (1,93-98) */
		if (strpbrk(arg, ",-") && strspn(arg, "0123456789,-") == strlen(arg)) {
			if (vm_tasksel_pids(ts, arg, &e) < 0)
				vm_cli_usage_error(&c, "%s", e.msg);
		} else {
			sel[nsel++].arg = arg;
		}
	}

	k = vm_kernel_open(c.dump, &c.opts, &e);
	if (k && runq) {
		status = vm_out_runqueues(k, &c, view == VM_PS_LASTRUN ? VM_RUNQ_STAMPS :
					  view == VM_PS_TIMES ? VM_RUNQ_SINCE : VM_RUNQ_QUEUES);
		goto out;
	}
	tl = k ? vm_tasks_open(k, view == VM_PS_TABLE || c.json ? 0 : VM_TASKS_NOMEM, &e)
	       : NULL;
	if (!tl) {
		vm_cli_error(&c, &e);
		goto out;
	}
	if (c.opts.verbose) {
		why = vm_tasks_mem_source(tl, &pages);
		vm_cli_warn(&c, "task states: %s", vm_tasks_state_source(tl));
		vm_cli_warn(&c, "%%MEM against %s (%" PRIu64 " pages)", why ? why : "nothing",
			    pages);
	}
	/* PIDs, task addresses or commands, now that the tasks are known */
	for (i = 0; i < nsel; i++)
		vm_arg_resolve(k, tl, sel[i].arg, VM_ARG_PID | VM_ARG_TASK | VM_ARG_COMM,
			       &sel[i].a, &e);
	v = vm_tasks_pick(tl, sel, nsel, filter, &n, &e);
	/* --state, --comm, PID lists: all must hold */
	for (i = 0, nsel_ok = 0; v && i < n; i++)
		if (vm_tasksel_match(ts, v[i]))
			v[nsel_ok++] = v[i];
	n = v ? nsel_ok : n;
	status = VM_EXIT_OK;
	if (!v || vm_out_ps(stdout, c.json ? &c.j : NULL, tl, view, v, n,
			    pso | (nsel ? VM_PSO_SELECTED : 0), &e) < 0) {
		vm_cli_error(&c, &e);
		status = VM_EXIT_FAIL;
	}
	for (i = 0; i < nsel; i++) {
		if (!sel[i].matched) {
			vm_cli_errorf(&c, "%s: no such task (PID, task address or command)",
				      sel[i].arg);
			status = VM_EXIT_FAIL;
		}
	}
	if ((why = vm_tasks_damage(tl))) {
		vm_cli_errorf(&c, "WARNING: task list damaged, %zu tasks shown (some may be "
			      "missing): %s", vm_tasks_n(tl), why);
		status = VM_EXIT_FAIL;
	}
out:
	free(v);
	vm_tasks_close(tl);
	vm_kernel_close(k);
	vm_tasksel_close(ts);
	free(sel);
	return vm_cli_exit(&c, status);
}
