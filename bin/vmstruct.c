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
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "kernel/entries.h"
#include "kernel/kernel.h"
#include "kernel/percpu.h"
#include "kernel/tasks.h"
#include "kernel/vars.h"
#include "out/cli.h"
#include "out/json.h"
#include "out/value.h"
#include "out/var.h"
#include "out/walk.h"
#include "out/words.h"
#include "symbols/symbols.h"
#include "types/types.h"

/* -n: more values than this is a typo, not a question */
#define MAX_COUNT 1000000
#define MAX_MEMBERS 256
/* a symbol of unknown size covers at most this much after it */
#define UNSIZED_SPAN 0x10000

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

struct ctx {
	struct vm_cli *c;
	struct vm_kernel *k;
	struct vm_types *ts;
	struct vm_mem *mem;
	struct vm_symtab *st;
	bool st_tried;
	unsigned vflags;
	struct vm_json *j;
	bool recorded;           /* --json: an error record was written */
};

/* ---- memory and symbols for the value printer ---- */

static int read_cb(void *p, uint64_t addr, void *buf, size_t len, struct vm_err *e)
{
	struct ctx *x = p;

	return vm_kread(x->mem, addr, buf, len, e);
}

static int sym_cb(void *p, uint64_t addr, char *buf, size_t n)
{
	struct ctx *x = p;
	const struct vm_sym *s;
	uint64_t off;
	struct vm_err e;

	/* only kernel-half addresses: small values are not pointers into
	 * the kernel (and would hit per-CPU symbols, which start at 0) */
	if (!(addr >> 63))
		return 0;
	if (!x->st_tried) {
		x->st_tried = true;
		x->st = vm_kernel_symtab(x->k, &e);
	}
	if (!x->st)
		return 0;
	s = vm_sym_by_addr(x->st, addr, &off);
	if (!s || (s->size ? off >= s->size : off >= UNSIZED_SPAN))
		return 0;
	/* a vmlinux symbol table has sizes: a size-0 symbol there is a
	 * linker marker (_sdata, __end_rodata_aligned), which gdb and crash
	 * do not name pointers after */
	if (!s->size && !s->module && vm_symtab_source(x->st) == VM_SYMSRC_VMLINUX)
		return 0;
	if (off)
		snprintf(buf, n, "%s+%" PRIu64, s->name, off);
	else
		snprintf(buf, n, "%s", s->name);
	return 1;
}

/* ---- arguments ---- */

/* ADDRESS, SYMBOL or SYMBOL+OFFSET (OFFSET decimal or 0x hex). */
static int resolve_addr(struct ctx *x, const char *arg, uint64_t *addr,
			struct vm_err *e)
{
	char name[512];
	const char *plus = strchr(arg, '+');
	uint64_t off = 0, v, sa;
	struct vm_err se;

	/* a hex word is an address unless a symbol has that name ("dead") */
	if (!plus && vm_cli_parse_hex(arg, &v)) {
		if (strncmp(arg, "0x", 2) && vm_kernel_symbol(x->k, arg, &sa, &se) == 0)
			v = sa;
		*addr = v;
		return 0;
	}
	if (plus) {
		char *end;

		errno = 0;
		off = strtoull(plus + 1, &end, 0);
		if (errno || end == plus + 1 || *end)
			return vm_fail(e, VM_EINVAL, "bad offset in %s", arg);
		if ((size_t)(plus - arg) >= sizeof(name))
			return vm_fail(e, VM_EINVAL, "symbol name too long");
		memcpy(name, arg, (size_t)(plus - arg));
		name[plus - arg] = 0;
	} else {
		snprintf(name, sizeof(name), "%s", arg);
	}
	if (vm_cli_parse_hex(name, addr) && !strncmp(name, "0x", 2)) {
		*addr += off;
		return 0;
	}
	if (vm_kernel_symbol(x->k, name, addr, e) < 0)
		return -1;
	*addr += off;
	return 0;
}

/* ---- values ---- */

static int print_members(struct ctx *x, const struct vm_type *t, uint64_t addr,
			 const uint8_t *buf, size_t len, char **members,
			 unsigned nmembers, const struct vm_value_env *env,
			 struct vm_err *e)
{
	unsigned i;

	if (x->c->opts.json) {
		vm_json_key(x->j, "members");
		vm_json_obj_begin(x->j);
	}
	for (i = 0; i < nmembers; i++) {
		struct vm_member_loc loc;

		if (vm_type_member_path(x->ts, t, members[i], &loc, e) < 0)
			return -1;
		if (x->c->opts.json) {
			vm_json_key(x->j, members[i]);
			if (vm_out_value_json(x->j, x->ts, loc.type, buf, len, loc.bit_offset,
					      loc.bit_size, e) < 0)
				return -1;
			continue;
		}
		printf("  %s = ", members[i]);
		if (loc.bit_size || loc.bit_offset % 8) {
			uint64_t v;

			if (vm_value_scalar(x->ts, loc.type, buf, len, loc.bit_offset,
					    loc.bit_size, &v, e) < 0)
				return -1;
			printf(x->vflags & VM_VPRINT_HEX ? "0x%" PRIx64 : "%" PRIu64, v);
		} else {
			uint64_t off = loc.bit_offset / 8;

			if (vm_value_print(x->ts, stdout, loc.type, addr + off, buf + off,
					   len - off, env, x->vflags, 1, e) < 0)
				return -1;
		}
		printf(",\n");
	}
	if (x->c->opts.json)
		vm_json_obj_end(x->j);
	return 0;
}

/* --json: one record per value, {"type", "address", "value"|"members"};
 * a value that cannot be printed whole gets an error record instead. */
static int json_values(struct ctx *x, const struct vm_type *t, const char *tname,
		       uint64_t a, const uint8_t *buf, size_t size, char **members,
		       unsigned nmembers, const struct vm_value_env *env, struct vm_err *e)
{
	int rc;

	vm_json_begin(x->j);
	vm_json_kstr(x->j, "type", tname);
	vm_json_khex(x->j, "address", a);
	if (nmembers) {
		rc = print_members(x, t, a, buf, size, members, nmembers, env, e);
	} else {
		vm_json_key(x->j, "value");
		rc = vm_out_value_json(x->j, x->ts, t, buf, size, 0, 0, e);
	}
	if (rc == 0 && vm_json_end(x->j) == 0)
		return 0;
	if (rc == 0)
		vm_fail(e, VM_EFORMAT, "%s", vm_json_why(x->j));
	vm_json_discard(x->j);
	vm_json_error_begin(x->j, e->msg);
	vm_json_kstr(x->j, "type", tname);
	vm_json_khex(x->j, "address", a);
	vm_json_end(x->j);
	x->recorded = true;
	return -1;
}

static int print_values(struct ctx *x, const struct vm_type *t, const char *tname,
			uint64_t addr, uint64_t count, char **members,
			unsigned nmembers, struct vm_err *e)
{
	struct vm_value_env env = { x, read_cb, sym_cb };
	uint64_t size, i;
	uint8_t *buf;
	int rc = 0;

	if (vm_type_size(x->ts, t, &size, e) < 0)
		return -1;
	if (size == 0)
		return vm_fail(e, VM_EINVAL, "%s has no size", tname);
	/* the size is the type's word, from the dump (BTF) or a file: a
	 * corrupt one must not become a huge allocation and read */
	if (size > VM_VALUE_SIZE_MAX)
		return vm_fail(e, VM_ECORRUPT, "%s is %" PRIu64 " bytes by its type "
			       "information; no kernel object that large is printed "
			       "(at most %" PRIu64 " bytes)", tname, size,
			       (uint64_t)VM_VALUE_SIZE_MAX);
	x->mem = vm_kernel_mem(x->k, e);
	if (!x->mem)
		return -1;
	buf = vm_malloc((size_t)size, e);
	if (!buf)
		return -1;
	for (i = 0; i < count; i++) {
		uint64_t a = addr + i * size;

		if (vm_kread(x->mem, a, buf, (size_t)size, e) < 0) {
			rc = -1;
			break;
		}
		if (x->c->opts.json) {
			rc = json_values(x, t, tname, a, buf, (size_t)size, members,
					 nmembers, &env, e);
			if (rc < 0)
				break;
			continue;
		}
		if (i)
			putchar('\n');
		if (nmembers) {
			rc = print_members(x, t, a, buf, (size_t)size, members, nmembers,
					   &env, e);
		} else {
			printf("%s ", tname);
			rc = vm_value_print(x->ts, stdout, t, a, buf, (size_t)size, &env,
					    x->vflags, 0, e);
			putchar('\n');
		}
		if (rc < 0)
			break;
	}
	free(buf);
	return rc;
}

/* "task_struct.pid,comm" -> type "task_struct" + members */
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

/* ---- modes beyond crash's struct ---- */

/* VARIABLE[.member] with its own type (crash's p); cpu: VM_VAR_* or N */
static int print_variable(struct ctx *x, const struct vm_var *v, int cpu, struct vm_err *e)
{
	struct vm_value_env env = { x, read_cb, sym_cb };
	struct vm_percpu pc;
	int rc;

	x->mem = vm_kernel_mem(x->k, e);
	if (!x->mem)
		return -1;
	if (!v->percpu) {
		if (cpu != VM_VAR_NO_CPU)
			return vm_fail(e, VM_EINVAL, "%s is no per-CPU variable: -c does not apply",
				       v->name);
		return vm_out_var(stdout, x->c->opts.json ? x->j : NULL, v, NULL, cpu, &env,
				  x->vflags, e);
	}
	if (vm_percpu_open(x->k, &pc, e) < 0)
		return -1;
	rc = vm_out_var(stdout, x->c->opts.json ? x->j : NULL, v, &pc, cpu, &env, x->vflags, e);
	vm_percpu_close(&pc);
	return rc;
}

/* -r: crash's rd */
static int print_words(struct ctx *x, const char *addr_arg, uint64_t count, bool syms,
		       struct vm_err *e)
{
	struct vm_value_env env = { x, read_cb, sym_cb };
	uint64_t addr;

	x->mem = vm_kernel_mem(x->k, e);
	if (!x->mem || vm_kernel_resolve_addr(x->k, addr_arg, &addr, e) < 0)
		return -1;
	return vm_out_words(stdout, x->c->opts.json ? x->j : NULL, addr, count, syms, &env, e);
}

/* --walk: crash's list -H / tree */
static int print_walk(struct ctx *x, const char *link, const char *type, const char *head,
		      char **members, unsigned nmembers, struct vm_err *e)
{
	struct vm_value_env env = { x, read_cb, sym_cb };
	int kind = vm_walk_kind_parse(link);
	bool xa = kind == VM_WALK_XARRAY;
	const struct vm_type *t;
	struct vm_entries w;

	x->mem = vm_kernel_mem(x->k, e);
	if (!x->mem || !(t = vm_types_find(x->ts, type, e)) ||
	    vm_entries_open(x->k, type, xa ? NULL : link, head, xa ? VM_WALK_XARRAY : VM_WALK_AUTO,
			    0, &w, e) < 0)
		return -1;
	return vm_out_entries(stdout, x->c->opts.json ? x->j : NULL, &w, x->ts, t, members,
			      nmembers, &env, x->vflags, e);
}

/* -p: crash's task -R: the task's header, then the members */
static int print_task_members(struct ctx *x, const char *pid_arg, const struct vm_type *t,
			      const char *tname, char **members, unsigned nmembers,
			      struct vm_err *e)
{
	struct vm_tasklist tl;
	const struct vm_task_info *ti;
	char *end;
	long pid = strtol(pid_arg, &end, 10);
	uint64_t task;
	int rc;

	if (vm_tasks_collect(x->k, VM_TASKS_NOMEM, &tl, e) < 0)
		return -1;
	ti = *end || end == pid_arg ? NULL : vm_tasklist_by_pid(&tl, (int32_t)pid);
	if (!ti && vm_cli_parse_hex(pid_arg, &task))
		ti = vm_tasklist_by_task(&tl, task);
	if (!ti) {
		vm_tasklist_free(&tl);
		return vm_fail(e, VM_ENOENT, "%s: no such task", pid_arg);
	}
	if (!x->c->opts.json)
		printf("PID: %-7d  TASK: %" PRIx64 "  CPU: %-3d  COMMAND: \"%s\"\n", ti->pid,
		       ti->task, ti->cpu, ti->comm);
	rc = print_values(x, t, tname, ti->task, 1, members, nmembers, e);
	vm_tasklist_free(&tl);
	return rc;
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	struct ctx x = { 0 };
	struct vm_err e = { 0 };
	char *members[MAX_MEMBERS], *mlist = NULL, *tname_arg, *dot;
	char typebuf[512], tname[1024];
	const char *addr_arg = NULL, *arg;
	const struct vm_type *t = NULL;
	unsigned nmembers = 0;
	uint64_t count = 1, addr = 0;
	bool offsets = false, flat = false, have_count = false, raw = false, syms = false;
	const char *pid_arg = NULL, *walk = NULL;
	char varexpr[1024];
	int opt, rc = VM_EXIT_OK, cpu = VM_VAR_NO_CPU;

	vm_cli_init(&c, "vmstruct", usage, options, renamed, argc, argv);
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		char *end;

		switch (opt) {
		case VM_OPT_OFFSETS:
			offsets = true;
			break;
		case VM_OPT_FLAT:
			flat = true;
			break;
		case VM_OPT_MEMBERS:
			mlist = (char *)arg;
			break;
		case VM_OPT_COUNT:
			errno = 0;
			count = strtoull(arg, &end, 0);
			if (errno || *end || count == 0 || count > MAX_COUNT)
				vm_cli_usage_error(&c, "-n wants a count from 1 to %d, not '%s'",
						   MAX_COUNT, arg);
			have_count = true;
			break;
		case VM_OPT_HEX:
			x.vflags = (x.vflags & ~(unsigned)VM_VPRINT_DEC) | VM_VPRINT_HEX;
			break;
		case VM_OPT_DECIMAL:
			x.vflags = x.vflags & ~(unsigned)VM_VPRINT_HEX;
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
		case VM_OPT_RAW:
			raw = true;
			break;
		case VM_OPT_FULL_SYMBOLS:
			syms = true;
			break;
		case VM_OPT_PID:
			pid_arg = arg;
			break;
		case VM_OPT_WALK:
			walk = arg;
			break;
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.opts.dump_path = argv[optind++];
	if (raw + (pid_arg != NULL) + (walk != NULL) + (cpu != VM_VAR_NO_CPU) > 1)
		vm_cli_usage_error(&c, "-r, -p, --walk and -c exclude each other");
	if (syms && !raw)
		vm_cli_usage_error(&c, "-F goes with -r");
	if (raw) {
		/* -r ADDRESS [COUNT] */
		if (optind >= argc)
			vm_cli_usage_error(&c, "-r needs an ADDRESS");
		addr_arg = argv[optind++];
		if (optind < argc) {
			char *end;

			errno = 0;
			count = strtoull(argv[optind], &end, 0);
			if (errno || *end || count == 0 || count > MAX_COUNT)
				vm_cli_usage_error(&c, "COUNT wants 1 to %d, not '%s'", MAX_COUNT,
						   argv[optind]);
			optind++;
		}
		if (optind < argc)
			vm_cli_usage_error(&c, "unexpected argument '%s'", argv[optind]);
		x.c = &c;
		x.j = &c.j;
		x.k = vm_kernel_open(&c.opts, &e);
		rc = x.k ? print_words(&x, addr_arg, count, syms, &e) : -1;
		goto out;
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no TYPE given");
	tname_arg = argv[optind++];
	if ((!strcmp(tname_arg, "struct") || !strcmp(tname_arg, "union") ||
	     !strcmp(tname_arg, "enum")) && optind < argc) {
		snprintf(typebuf, sizeof(typebuf), "%s %s", tname_arg, argv[optind++]);
		tname_arg = typebuf;
	} else {
		snprintf(typebuf, sizeof(typebuf), "%s", tname_arg);
		tname_arg = typebuf;
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
	snprintf(varexpr, sizeof(varexpr), "%s", tname_arg);
	/* crash's TYPE.member,member */
	dot = strchr(tname_arg, '.');
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

	x.c = &c;
	x.j = &c.j;
	x.k = vm_kernel_open(&c.opts, &e);
	if (!x.k) {
		rc = -1;
		goto out;
	}
	x.ts = vm_kernel_types(x.k, &e);
	t = x.ts ? vm_types_find(x.ts, tname_arg, &e) : NULL;
	/* NAME.member without an address is a variable's member (a type's
	 * members need an address) */
	if (t && dot && !addr_arg && !pid_arg && !walk) {
		struct vm_var v;
		struct vm_err ve;

		if (vm_var_lookup(x.k, varexpr, &v, &ve) == 0) {
			rc = print_variable(&x, &v, cpu, &e);
			goto out;
		}
	}
	if (!t && x.ts && e.code == VM_ENOENT && !addr_arg && !pid_arg && !walk && !flat &&
	    !offsets && !have_count && !mlist) {
		/* no such type: a variable? */
		struct vm_var v;
		struct vm_err ve;

		if (vm_var_lookup(x.k, varexpr, &v, &ve) == 0) {
			rc = print_variable(&x, &v, cpu, &e);
			goto out;
		}
		if (ve.code != VM_ENOENT || strstr(ve.msg, "its type is unknown"))
			e = ve;
		else
			vm_fail(&e, VM_ENOENT, "no struct named %s, nor a variable", varexpr);
		rc = -1;
		goto out;
	}
	if (cpu != VM_VAR_NO_CPU)
		vm_cli_usage_error(&c, "-c goes with a per-CPU VARIABLE");
	if (t && nmembers && !addr_arg && !pid_arg && !walk)
		vm_cli_usage_error(&c, "%s's members need an ADDRESS (or -p)", tname_arg);
	if (!t || vm_type_name(x.ts, t, NULL, tname, sizeof(tname), &e) < 0) {
		rc = -1;
		goto out;
	}
	if (walk) {
		rc = print_walk(&x, walk, tname_arg, addr_arg, members, nmembers, &e);
	} else if (pid_arg) {
		rc = print_task_members(&x, pid_arg, t, tname, members, nmembers, &e);
	} else if (!addr_arg) {
		if (c.opts.json)
			rc = vm_out_layout_json(x.j, x.ts, t, &e);
		else if (flat)
			rc = vm_types_print_flat(x.ts, stdout, t, &e);
		else
			rc = vm_types_print_def(x.ts, stdout, t,
						offsets ? VM_TPRINT_OFFSETS : 0, &e);
	} else if (resolve_addr(&x, addr_arg, &addr, &e) < 0) {
		rc = -1;
	} else {
		rc = print_values(&x, t, tname, addr, count, members, nmembers, &e);
	}
out:
	if (rc < 0) {
		if (x.recorded)
			c.opts.json = false;     /* stderr only: the record is out */
		vm_cli_error(&c, &e);
		rc = VM_EXIT_FAIL;
	}
	vm_kernel_close(x.k);
	return vm_cli_exit(&c, rc);
}
