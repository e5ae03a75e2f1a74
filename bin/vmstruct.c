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
	"Print a kernel type's layout, or the value of one at an address, like\n"
	"crash's `struct`.\n"
	"  TYPE                   task_struct, \"struct page\", \"union rcu_special\",\n"
	"                         \"enum pid_type\", a typedef; TYPE.m1,m2 selects\n"
	"                         members as crash does\n"
	"  ADDRESS                hex kernel address (0x optional), a symbol, or\n"
	"                         SYMBOL+OFFSET\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_OFFSETS, "show each member's offset and the SIZE (crash's struct -o)" },
	{ VM_OPT_FLAT, NULL },
	{ VM_OPT_MEMBERS, NULL },
	{ VM_OPT_COUNT, NULL },
	{ VM_OPT_HEX, "integers in hex" },
	{ VM_OPT_DECIMAL, "integers in decimal (the default), pointers too" },
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
	bool flat = false, offsets = false, have_count = false;
	int opt, rc = -1;

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
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.dump = argv[optind++];
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
	if ((nmembers || have_count) && !addr_arg)
		vm_cli_usage_error(&c, "--members and -n need an ADDRESS");

	k = vm_kernel_open(c.dump, &c.opts, &e);
	ts = k ? vm_kernel_types(k, &e) : NULL;
	t = ts ? vm_types_find(ts, tname, &e) : NULL;
	if (!t)
		goto out;
	if (!addr_arg) {
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
