// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmbt — crash's `bt`: backtraces of the dumped kernel's tasks, in crash's
 * layout (common/out/bt.c) or as JSON records, one per frame.
 *
 * Exit status: 0 every trace reached the bottom of its stack; 1 some trace
 * stopped early (what was found is printed) or a task was not found or
 * nothing could be unwound; 2 usage.
 */
#include <stdlib.h>
#include <string.h>

#include "vmcore.h"

static const char usage[] =
	"Usage: vmbt [options] DUMP [PID|TASK...]\n"
	"Backtraces of a kernel crash dump's tasks, like crash's `bt`.\n"
	"Default: the task that panicked.  Arguments select tasks by decimal PID\n"
	"or task_struct address (hex).\n";

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

/* crash's bt letters that mean something else in every program here */
static const struct vm_renamed renamed[] = {
	{ 'S', "--sp" }, { 'I', "--ip" }, { 0, NULL },
};

static void warn_cb(void *ctx, const char *msg)
{
	vm_cli_warn(ctx, "%s", msg);
}

struct run {
	struct vm_cli *c;
	struct vm_btprint *p;
	unsigned traces, incomplete;
	int status;
};

static void trace(struct run *r, const struct vm_task_info *t)
{
	r->incomplete += vm_btprint_task(r->p, t, r->traces++ > 0) != 0;
}

/* The tasks asked for: every one, each CPU's, the ones named. */
static void traces(struct run *r, struct vm_kernel *k, const struct vm_tasklist *tl,
		   bool all, const struct vm_tasksel *ts, bool active, int *cpus,
		   size_t ncpus, char **sel, size_t nsel)
{
	struct vm_task_info ti;
	struct vm_arg a;
	struct vm_err e;
	unsigned c, n = active ? vm_tasks_nr_cpus(tl) : (unsigned)ncpus;
	size_t i;

	for (i = 0; all && i < vm_tasks_n(tl); i++)
		if (vm_tasksel_match(ts, vm_tasks_at(tl, i)))
			trace(r, vm_tasks_at(tl, i));
	for (c = 0; (active || ncpus) && c < n; c++) {
		unsigned cpu = active ? c : (unsigned)cpus[c];
		const struct vm_task_info *t = vm_tasks_on_cpu(tl, cpu);

		if (t) {
			ti = *t;
			ti.active_cpu = (int)cpu;
			trace(r, &ti);
		} else if (!active) {
			vm_cli_errorf(r->c, "CPU %u: no running task known", cpu);
			r->status = VM_EXIT_FAIL;
		}
	}
	for (i = 0; i < nsel; i++) {
		const struct vm_task_info *t = NULL;

		if (vm_arg_resolve(k, tl, sel[i], VM_ARG_PID | VM_ARG_TASK, &a, &e) == 0)
			t = a.kind == VM_ARG_PID ? vm_tasklist_by_pid(tl, a.pid)
						 : vm_tasklist_by_task(tl, a.addr);
		/* a task the lists miss (a damaged list) can still be read */
		if (!t && a.kind == VM_ARG_TASK && vm_task_read(k, a.addr, &ti, &e) == 0)
			t = &ti;
		if (t) {
			trace(r, t);
		} else {
			vm_cli_errorf(r->c, "%s: no such task", sel[i]);
			r->status = VM_EXIT_FAIL;
		}
	}
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	struct run r = { .c = &c };
	struct vm_kernel *k = NULL;
	struct vm_bt *b = NULL;
	struct vm_tasklist *tl = NULL;
	struct vm_task_info t;
	struct vm_err e = { 0 };
	char **sel;
	int *cpus, opt;
	const char *arg;
	char *end;
	size_t nsel = 0, ncpus = 0, i;
	bool active = false, all = false, filter = false;
	unsigned pflags = 0, uflags = 0;
	uint64_t sp = 0, ip = 0;
	struct vm_tasksel *ts;
	long v;

	vm_cli_init(&c, "vmbt", usage, options, renamed, argc, argv);
	sel = calloc((size_t)argc, sizeof(*sel));
	cpus = calloc((size_t)argc, sizeof(*cpus));
	ts = vm_tasksel_new(&e);
	if (!sel || !cpus || !ts) {
		vm_cli_warn(&c, "out of memory");
		r.status = VM_EXIT_FAIL;
		goto out;
	}
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_ACTIVE: active = true; break;
		case VM_OPT_ALL: all = true; break;
		case VM_OPT_CPU:
			v = strtol(arg, &end, 10);
			if (*end || end == arg || v < 0 || v > 8191)
				vm_cli_usage_error(&c, "-c %s: not a CPU number", arg);
			cpus[ncpus++] = (int)v;
			break;
		case VM_OPT_PID:
			/* a PID list (1,93-98) selects like --state */
			if (strpbrk(arg, ",-")) {
				if (vm_tasksel_pids(ts, arg, &e) < 0)
					vm_cli_usage_error(&c, "%s", e.msg);
				filter = true;
			} else {
				sel[nsel++] = (char *)arg;
			}
			break;
		case VM_OPT_STATE:
		case VM_OPT_COMM:
			if ((opt == VM_OPT_STATE ? vm_tasksel_states(ts, arg, &e)
						 : vm_tasksel_comm(ts, arg, &e)) < 0)
				vm_cli_usage_error(&c, "%s", e.msg);
			filter = true;
			break;
		case VM_OPT_SP:
		case VM_OPT_IP:
			if (!vm_cli_parse_hex(arg, opt == VM_OPT_SP ? &sp : &ip) ||
			    !(opt == VM_OPT_SP ? sp : ip))
				vm_cli_usage_error(&c, "--%s %s: not an address",
						   vm_optdefs[opt].name, arg);
			break;
		case VM_OPT_FULL: pflags |= VM_BTP_FULL; break;
		case VM_OPT_FULL_SYMBOLS: pflags |= VM_BTP_FULL | VM_BTP_FULLSYM; break;
		case VM_OPT_LINES: pflags |= VM_BTP_LINES; break;
		case VM_OPT_OFFSETS: pflags |= VM_BTP_OFFSETS; break;
		case VM_OPT_RAW: pflags |= VM_BTP_RAW; break;
		case VM_OPT_EFRAMES: pflags |= VM_BTP_EFRAMES; break;
		case VM_OPT_NO_ORC: uflags |= VM_BT_NO_TABLE; break;
		case VM_OPT_ORC_FILE: uflags |= VM_BT_FILE_TABLE; break;
		case VM_OPT_NO_SCAN: uflags |= VM_BT_NO_SCAN; break;
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.dump = argv[optind++];
	for (; optind < argc; optind++)
		sel[nsel++] = argv[optind];
	if (c.json && (pflags & (VM_BTP_RAW | VM_BTP_EFRAMES | VM_BTP_FULL)))
		vm_cli_usage_error(&c, "--json gives frames: not with -f, -F, -r or -e");
	if ((active || all) + (nsel || ncpus) + filter > 1 || (active && all))
		vm_cli_usage_error(&c, "choose one of -a, -A, -c, --state/--comm/-p LIST "
				   "and task selectors");
	if (ip && !sp)
		vm_cli_usage_error(&c, "--ip needs --sp");
	if (sp && (active || all || filter || ncpus || nsel > 1))
		vm_cli_usage_error(&c, "--sp starts one task's trace: give at most one task");
	for (i = 0; i < nsel; i++)
		if (!vm_arg_kinds(sel[i], VM_ARG_PID | VM_ARG_TASK))
			vm_cli_usage_error(&c, "%s: not a PID or task address", sel[i]);

	k = vm_kernel_open(c.dump, &c.opts, &e);
	if (!k || !(b = vm_bt_open(k, uflags, &e)) ||
	    !(r.p = vm_btprint_open(k, b, pflags, stdout, c.json ? &c.j : NULL, &e))) {
		vm_cli_error(&c, &e);
		r.status = VM_EXIT_FAIL;
		goto out;
	}
	vm_btprint_on_warn(r.p, warn_cb, &c);
	vm_btprint_start(r.p, sp, ip);
	if (c.opts.verbose)
		vm_cli_warn(&c, "unwinder: %s", vm_bt_how(b));
	if (vm_btprint_note(r.p))
		vm_cli_warn(&c, "%s", vm_btprint_note(r.p));
	if (!active && !all && !nsel && !ncpus && !filter) {
		if (vm_panic_task(k, &t, &e) == 0)
			trace(&r, &t);
		else
			vm_cli_error(&c, &e), r.status = VM_EXIT_FAIL;
	} else if (!(tl = vm_tasks_open(k, VM_TASKS_NOMEM, &e))) {
		vm_cli_error(&c, &e);
		r.status = VM_EXIT_FAIL;
	} else {
		if (vm_tasks_damage(tl))
			vm_cli_warn(&c, "task list incomplete: %s", vm_tasks_damage(tl));
		traces(&r, k, tl, all || filter, ts, active, cpus, ncpus, sel, nsel);
	}
	if (r.incomplete) {
		if (r.traces > 1)
			vm_cli_warn(&c, "%s: %u of %u backtraces stopped before the bottom of "
				    "the stack", c.dump, r.incomplete, r.traces);
		else
			vm_cli_warn(&c, "%s: the backtrace stopped before the bottom of the "
				    "stack", c.dump);
		r.status = VM_EXIT_FAIL;
	}
out:
	vm_tasks_close(tl);
	vm_btprint_close(r.p);
	vm_bt_close(b);
	vm_kernel_close(k);
	vm_tasksel_close(ts);
	free(sel);
	free(cpus);
	return vm_cli_exit(&c, r.status);
}
