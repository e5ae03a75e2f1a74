// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmstruct — crash's `struct`: type layouts and typed values of a crash dump.
 *
 *   vmstruct DUMP TYPE                 the definition (crash "struct TYPE")
 *   vmstruct -s DUMP TYPE              with member offsets and SIZE
 *   vmstruct --flat DUMP TYPE          OFFSET SIZE TYPE NAME, one per line
 *   vmstruct DUMP TYPE ADDRESS         the value at ADDRESS (hex, SYMBOL,
 *                                      SYMBOL+OFF)
 *   vmstruct --members a,b.c DUMP TYPE ADDR   only those members
 *   vmstruct -n N DUMP TYPE ADDR       N consecutive values
 *   vmstruct DUMP VARIABLE[.member]    a variable with its own type (crash's
 *                                      p); -c N|all: a per-CPU one on CPU N
 *   vmstruct -r DUMP ADDRESS [COUNT]   memory words (crash's rd); -F symbols
 *   vmstruct -p PID DUMP TYPE.member   a member of PID's task (crash's task -R)
 *   vmstruct --walk MEMBER DUMP TYPE HEAD   the entries of a list, hlist,
 *                                      rbtree or XArray (crash's list, tree)
 * TYPE is "task_struct", "struct task_struct", "union rcu_special",
 * "enum pid_type", a typedef, or TYPE.member,member as crash takes it.
 *
 * Types come from DWARF (-k / a found vmlinux), else the vmlinux's .BTF,
 * else BTF read from the dump; module types from -M DIR's .ko files.
 *
 * Exit status: 0 ok; 1 the type or the memory could not be had (what was
 * readable is printed, the reason on stderr); 2 usage.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmcore.h"

/* -n: more values than this is a typo, not a question */
#define MAX_COUNT 1000000
#define MAX_MEMBERS 256

static const char usage[] =
	"Usage: vmstruct [options] DUMP TYPE [ADDRESS|SYMBOL[+OFFSET]]\n"
	"       vmstruct [options] DUMP struct|union|enum NAME [ADDRESS]\n"
	"       vmstruct [options] DUMP VARIABLE[.MEMBER]\n"
	"       vmstruct [options] -r DUMP ADDRESS [COUNT]\n"
	"       vmstruct [options] -p PID DUMP TYPE.MEMBER[,MEMBER]\n"
	"       vmstruct [options] --walk MEMBER|xarray DUMP TYPE HEAD\n"
	"Print a kernel type's layout, or the value of one at an address, like\n"
	"crash's `struct`.\n"
	"  TYPE                   task_struct, \"struct page\", \"union rcu_special\",\n"
	"                         \"enum pid_type\", a typedef; TYPE.m1,m2 selects\n"
	"                         members as crash does\n"
	"  ADDRESS                hex kernel address (0x optional), a symbol, or\n"
	"                         SYMBOL+OFFSET\n"
	"  VARIABLE               a kernel or module variable, printed with its own\n"
	"                         type as crash's p does (NAME.member for a part)\n"
	"  HEAD                   the list/tree head: an address, SYMBOL+OFFSET or\n"
	"                         a variable's member (init_task.tasks)\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_OFFSETS, "show each member's offset and the SIZE (crash's struct -o)" },
	{ VM_OPT_FLAT, NULL },
	{ VM_OPT_MEMBERS, NULL },
	{ VM_OPT_COUNT, NULL },
	{ VM_OPT_HEX, "integers in hex" },
	{ VM_OPT_DECIMAL, "integers in decimal (the default), pointers too" },
	{ VM_OPT_CPU, "a per-CPU VARIABLE's copy on CPU N, or 'all' (crash's p VAR:N)" },
	{ VM_OPT_RAW, "memory words at ADDRESS, COUNT of them (crash's rd)" },
	{ VM_OPT_FULL_SYMBOLS, "with -r, words that point into a symbol as the symbol "
	  "(crash's rd -s)" },
	{ VM_OPT_PID, "members of that task's TYPE (task_struct) at its address "
	  "(crash's task -R)" },
	{ VM_OPT_WALK, NULL },
	{ VM_OPT_END, NULL },
};

/* crash's struct letters that mean something else in every program here
 * (-o is an override and -m a System.map everywhere) */
static const struct vm_renamed renamed[] = {
	{ 'o', "-s/--offsets" }, { 'c', "-n" }, { 'd', "--decimal" }, { 0, NULL },
};

/* "pid,comm" -> members */
static unsigned split_members(char *list, char **out, unsigned max)
{
	unsigned n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(list, ",", &save); tok && n < max;
	     tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		if (*tok)
			out[n++] = tok;
	}
	return n;
}

/* -r ADDRESS [COUNT]: crash's rd */
static int words(struct vm_cli *c, int argc, char **argv, bool syms, struct vm_err *e)
{
	struct vm_kernel *k;
	const char *addr_arg;
	uint64_t count = 1;
	char *end;
	int rc;

	if (optind >= argc)
		vm_cli_usage_error(c, "-r needs an ADDRESS");
	addr_arg = argv[optind++];
	if (optind < argc) {
		errno = 0;
		count = strtoull(argv[optind], &end, 0);
		if (errno || *end || count == 0 || count > MAX_COUNT)
			vm_cli_usage_error(c, "COUNT wants 1 to %d, not '%s'", MAX_COUNT,
					   argv[optind]);
		optind++;
	}
	if (optind < argc)
		vm_cli_usage_error(c, "unexpected argument '%s'", argv[optind]);
	k = vm_kernel_open(c->dump, &c->opts, e);
	rc = k ? vm_out_memwords(k, addr_arg, count, syms, stdout, c->json ? &c->j : NULL, e)
	       : -1;
	vm_kernel_close(k);
	return rc;
}

/* -p: crash's task -R: the task's header, then the members */
static int task_members(struct vm_kernel *k, struct vm_cli *c, const char *pid_arg,
			struct vm_types *ts, const struct vm_type *t, char *const *members,
			unsigned nmembers, unsigned flags, struct vm_err *e)
{
	struct vm_tasklist *tl = vm_tasks_open(k, VM_TASKS_NOMEM, e);
	const struct vm_task_info *ti = NULL;
	struct vm_arg a;
	int rc = -1;

	if (!tl)
		return -1;
	if (vm_arg_resolve(k, tl, pid_arg, VM_ARG_PID | VM_ARG_TASK, &a, e) == 0)
		ti = a.kind == VM_ARG_PID ? vm_tasklist_by_pid(tl, a.pid)
					  : vm_tasklist_by_task(tl, a.addr);
	if (!ti) {
		vm_fail(e, VM_ENOENT, "%s: no such task", pid_arg);
	} else {
		if (!c->json)
			vm_out_task_header(stdout, ti, "");
		rc = vm_out_values(k, ts, t, ti->task, 1, members, nmembers, flags, stdout,
				   c->json ? &c->j : NULL, e);
	}
	vm_tasks_close(tl);
	return rc;
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	struct vm_err e = { 0 };
	struct vm_kernel *k = NULL;
	struct vm_types *ts;
	const struct vm_type *t;
	struct vm_arg a;
	char *members[MAX_MEMBERS], *mlist = NULL, *dot, *end;
	char tname[512];
	const char *addr_arg = NULL, *arg;
	enum vm_layout layout = VM_LAYOUT_DEF;
	unsigned nmembers = 0, flags = 0;
	uint64_t count = 1;
	bool flat = false, offsets = false, have_count = false, raw = false, syms = false;
	const char *pid_arg = NULL, *walk = NULL;
	char varexpr[512];
	int opt, rc = -1, cpu = VM_VAR_NO_CPU, r;

	vm_cli_init(&c, "vmstruct", usage, options, renamed, argc, argv);
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_OFFSETS: offsets = true; layout = VM_LAYOUT_OFFSETS; break;
		case VM_OPT_FLAT: flat = true; layout = VM_LAYOUT_FLAT; break;
		case VM_OPT_MEMBERS: mlist = (char *)arg; break;
		case VM_OPT_HEX: flags = (flags & ~(unsigned)VM_VALUE_DEC) | VM_VALUE_HEX; break;
		case VM_OPT_DECIMAL: flags &= ~(unsigned)VM_VALUE_HEX; break;
		case VM_OPT_COUNT:
			errno = 0;
			count = strtoull(arg, &end, 0);
			if (errno || *end || count == 0 || count > MAX_COUNT)
				vm_cli_usage_error(&c, "-n wants a count from 1 to %d, not '%s'",
						   MAX_COUNT, arg);
			have_count = true;
			break;
		case VM_OPT_CPU:
			if (!strcmp(arg, "all") || !strcmp(arg, "a")) {
				cpu = VM_VAR_ALL_CPUS;
				break;
			}
			errno = 0;
			cpu = (int)strtol(arg, &end, 10);
			if (errno || *end || end == arg || cpu < 0 || cpu >= 8192)
				vm_cli_usage_error(&c, "-c wants a CPU number or 'all', not '%s'", arg);
			break;
		case VM_OPT_RAW: raw = true; break;
		case VM_OPT_FULL_SYMBOLS: syms = true; break;
		case VM_OPT_PID: pid_arg = arg; break;
		case VM_OPT_WALK: walk = arg; break;
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.dump = argv[optind++];
	if (raw + (pid_arg != NULL) + (walk != NULL) + (cpu != VM_VAR_NO_CPU) > 1)
		vm_cli_usage_error(&c, "-r, -p, --walk and -c exclude each other");
	if (syms && !raw)
		vm_cli_usage_error(&c, "-F goes with -r");
	if (raw) {
		rc = words(&c, argc, argv, syms, &e);
		goto out;
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no TYPE given");
	/* "struct NAME" in two words, as crash takes it */
	if ((!strcmp(argv[optind], "struct") || !strcmp(argv[optind], "union") ||
	     !strcmp(argv[optind], "enum")) && optind + 1 < argc) {
		snprintf(tname, sizeof(tname), "%s %s", argv[optind], argv[optind + 1]);
		optind += 2;
	} else {
		snprintf(tname, sizeof(tname), "%s", argv[optind++]);
	}
	if (optind < argc)
		addr_arg = argv[optind++];
	if (optind < argc)
		vm_cli_usage_error(&c, "unexpected argument '%s'", argv[optind]);
	if (walk && !addr_arg)
		vm_cli_usage_error(&c, "--walk needs TYPE and HEAD");
	if (pid_arg && addr_arg)
		vm_cli_usage_error(&c, "-p gives the address: no ADDRESS");
	/* the whole word, for a VARIABLE.member */
	snprintf(varexpr, sizeof(varexpr), "%s", tname);
	/* crash's TYPE.member,member */
	dot = strchr(tname, '.');
	if (dot) {
		*dot = 0;
		nmembers = split_members(dot + 1, members, MAX_MEMBERS);
	}
	if (mlist)
		nmembers += split_members(mlist, members + nmembers, MAX_MEMBERS - nmembers);
	if (flat && offsets)
		vm_cli_usage_error(&c, "--flat and -s exclude each other");
	if ((flat || offsets) && addr_arg)
		vm_cli_usage_error(&c, "-s and --flat print layouts: give no ADDRESS");
	if ((mlist || have_count) && !addr_arg && !pid_arg && !walk)
		vm_cli_usage_error(&c, "--members and -n need an ADDRESS");

	k = vm_kernel_open(c.dump, &c.opts, &e);
	ts = k ? vm_kernel_types(k, &e) : NULL;
	t = ts ? vm_types_find(ts, tname, &e) : NULL;
	/* NAME.member without an address is a variable's member (a type's
	 * members need an address); no such type: a variable? */
	if (((t && dot) || (!t && ts && e.code == VM_ENOENT && !flat && !offsets &&
			    !have_count && !mlist)) && !addr_arg && !pid_arg && !walk) {
		struct vm_err ve = { 0 };

		r = vm_out_variable(k, varexpr, cpu, flags, stdout, c.json ? &c.j : NULL, &ve);
		if (r <= 0) {
			rc = r;
			e = ve;
			goto out;
		}
		if (!t) {
			if (ve.code != VM_ENOENT || strstr(ve.msg, "its type is unknown"))
				e = ve;
			else
				vm_fail(&e, VM_ENOENT, "no struct named %s, nor a variable", varexpr);
			goto out;
		}
	}
	if (cpu != VM_VAR_NO_CPU)
		vm_cli_usage_error(&c, "-c goes with a per-CPU VARIABLE");
	if (t && nmembers && !addr_arg && !pid_arg && !walk)
		vm_cli_usage_error(&c, "%s's members need an ADDRESS (or -p)", tname);
	if (!t)
		goto out;
	if (walk) {
		rc = vm_out_walk(k, walk, tname, addr_arg, members, nmembers, flags, stdout,
				 c.json ? &c.j : NULL, &e);
	} else if (pid_arg) {
		rc = task_members(k, &c, pid_arg, ts, t, members, nmembers, flags, &e);
	} else if (!addr_arg) {
		rc = vm_out_layout(ts, t, layout, stdout, c.json ? &c.j : NULL, &e);
	} else if (vm_arg_resolve(k, NULL, addr_arg, VM_ARG_ADDR | VM_ARG_SYMBOL, &a, &e) == 0) {
		rc = vm_out_values(k, ts, t, a.addr, count, members, nmembers, flags, stdout,
				   c.json ? &c.j : NULL, &e);
		/* --json: the error record is in the stream already */
		if (rc < 0 && c.json)
			c.json = false;
	}
out:
	if (rc < 0)
		vm_cli_error(&c, &e);
	vm_kernel_close(k);
	return vm_cli_exit(&c, rc < 0 ? VM_EXIT_FAIL : VM_EXIT_OK);
}
