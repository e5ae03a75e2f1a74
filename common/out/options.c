// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one option table (cli.h).  A letter, and a long name, means one thing
 * in every program that has it; vmcoreutils(7) OPTIONS lists this table and
 * the README's Changelog the spellings that moved to make it so.  Where
 * crash's habit and consistency disagreed, consistency won: crash's
 * `ps -p` is --parents here because -p selects a task everywhere.
 */
#include "cli.h"

#define NOARG NULL

const struct vm_optdef vm_optdefs[VM_OPT_NR] = {
	[VM_OPT_VMLINUX] = { 'k', "vmlinux", "FILE",
		"vmlinux with DWARF and/or BTF (default: search by build-id/release, "
		"then use what the dump holds)" },
	[VM_OPT_SYSMAP] = { 'm', "sysmap", "FILE", "System.map" },
	[VM_OPT_MODULES] = { 'M', "modules", "DIR", "directory holding module .ko files" },
	[VM_OPT_OVERRIDE] = { 'o', "override", "KEY[=VALUE]",
		"override for broken dumps (repeatable); the keys:" },
	[VM_OPT_VERBOSE] = { 'v', "verbose", NOARG, "say on stderr which sources were used" },
	[VM_OPT_JSON] = { 0, "json", NOARG, "JSON lines output (vmcoreutils(7): JSON OUTPUT)" },
	[VM_OPT_HELP] = { 'h', "help", NOARG, "this help" },
	[VM_OPT_VERSION] = { 'V', "version", NOARG, "version" },

	[VM_OPT_ACTIVE] = { 'a', "active", NOARG, "the tasks running on a CPU at the crash" },
	[VM_OPT_ALL] = { 'A', "all", NOARG, "every task" },
	[VM_OPT_CPU] = { 'c', "cpu", "N", "the task running on CPU N (repeatable)" },
	[VM_OPT_PID] = { 'p', "pid", "PID|TASK",
		"tasks by decimal PID (a list: 1,93-98) or task_struct address "
		"(repeatable)" },
	[VM_OPT_KTHREADS] = { 'K', "kthreads", NOARG, "kernel threads only" },
	[VM_OPT_USER] = { 'u', "user", NOARG, "user tasks only" },
	[VM_OPT_LEADERS] = { 'G', "group-leaders", NOARG, "thread group leaders only" },
	[VM_OPT_STATE] = { 0, "state", "LIST",
		"tasks in these states, crash's codes: RU,IN,UN,ST,TR,ZO,DE,SW,WA,PA,ID,NE "
		"(crash's foreach STATE)" },
	[VM_OPT_COMM] = { 0, "comm", "REGEX",
		"tasks whose command matches the extended regular expression "
		"(crash's foreach 'REGEX')" },

	[VM_OPT_NO_HEADER] = { 'H', "no-header", NOARG, "no header line" },
	[VM_OPT_HEADER] = { 0, "header", NOARG, "a header line first" },
	[VM_OPT_ONELINE] = { '1', "oneline", NOARG, "one tab-separated line" },
	[VM_OPT_HEX] = { 'x', "hex", NOARG, "numbers in hex" },
	[VM_OPT_DECIMAL] = { 0, "decimal", NOARG, "numbers in decimal" },
	[VM_OPT_OFFSETS] = { 's', "offsets", NOARG, "show offsets" },
	[VM_OPT_LINES] = { 'l', "lines", NOARG, "source file and line (DWARF)" },

	[VM_OPT_FULL] = { 'f', "full", NOARG, "each frame's stack words" },
	[VM_OPT_FULL_SYMBOLS] = { 'F', "full-symbols", NOARG,
		"the same, words shown as symbols where they are" },
	[VM_OPT_RAW] = { 'r', "raw", NOARG, "raw dump of the whole task stack" },
	[VM_OPT_EFRAMES] = { 'e', "eframes", NOARG, "search the stacks for exception frames" },
	[VM_OPT_NO_ORC] = { 0, "no-orc", NOARG, "do not use the ORC tables (frame pointers)" },
	[VM_OPT_ORC_FILE] = { 0, "orc-file", NOARG,
		"ORC tables from the vmlinux file (-k), not memory" },
	[VM_OPT_NO_SCAN] = { 0, "no-scan", NOARG, "no stack scan when unwinding fails" },
	[VM_OPT_SP] = { 0, "sp", "ADDR",
		"start at stack address ADDR: the return address (x86_64) or frame "
		"record (arm64) at or above it (crash's bt -S)" },
	[VM_OPT_IP] = { 0, "ip", "ADDR",
		"with --sp, start at pc ADDR with stack pointer --sp (crash's bt -I)" },

	[VM_OPT_PARENTS] = { 0, "parents", "PID|TASK",
		"the task and its parents, from the top (repeatable; crash's ps -p)" },
	[VM_OPT_CHILDREN] = { 0, "children", "PID|TASK",
		"the task and its children (repeatable; crash's ps -c)" },
	[VM_OPT_THREADS] = { 'g', "threads", NOARG, "thread groups: each leader and its threads" },
	[VM_OPT_TIMES] = { 0, "times", NOARG,
		"run time, start time, user and system time (crash's ps -t)" },
	[VM_OPT_LAST_RUN] = { 0, "last-run", NOARG,
		"last-run timestamps (ns), most recent first (crash's ps -l)" },
	[VM_OPT_SUMMARY] = { 'S', "summary", NOARG, "number of tasks in each state" },
	[VM_OPT_RUNQ] = { 0, "runq", NOARG,
		"each CPU's run queue: current task, queued tasks per scheduling class "
		"(crash's runq)" },

	[VM_OPT_NO_TIME] = { 't', "no-time", NOARG, "no timestamps" },
	[VM_OPT_CTIME] = { 'T', "ctime", NOARG,
		"wall-clock timestamps (crash time minus uptime plus each record's "
		"seconds)" },
	[VM_OPT_LEVEL] = { 'L', "level", NOARG,
		"each record's level as <N> (crash's log -m)" },
	[VM_OPT_CALLER] = { 'C', "caller", NOARG,
		"each record's caller id ([    T123], [      C1])" },
	[VM_OPT_DICT] = { 'd', "dict", NOARG,
		"dev_info / dictionary lines (SUBSYSTEM=, DEVICE=) under each record" },

	[VM_OPT_FLAT] = { 0, "flat", NOARG,
		"OFFSET SIZE TYPE NAME per member (tab separated, nested members as "
		"a.b.c), for awk" },
	[VM_OPT_MEMBERS] = { 0, "members", "LIST",
		"comma-separated members to print (se.vruntime, pids[1])" },
	[VM_OPT_COUNT] = { 'n', "count", "N", "N consecutive values from ADDRESS" },
	[VM_OPT_WALK] = { 0, "walk", "MEMBER",
		"the entries linked through MEMBER (list_head, hlist_node, rb_node) "
		"from a head, or 'xarray' for an XArray's (crash's list -H, tree)" },

	[VM_OPT_SEARCH] = { 'q', "search", "STRING", "every symbol whose name contains STRING" },
	[VM_OPT_LIST] = { 0, "list", NOARG, "every symbol, sorted by address, like System.map" },
	[VM_OPT_MODULE] = { 0, "module", "MODULE", "the symbols of one loaded module" },
	[VM_OPT_SOURCE] = { 0, "source", "DIR", "with -l, print that source line from DIR" },
	[VM_OPT_LSMOD] = { 0, "lsmod", NOARG,
		"the loaded modules: address, name, base, size, state, taints, build-id "
		"(crash's mod)" },

	[VM_OPT_INFO] = { 'i', "info", NOARG, "memory use (crash's kmem -i)" },
	[VM_OPT_SLABS] = { 0, "slabs", NOARG, "every slab cache (crash's kmem -s)" },
	[VM_OPT_SLAB] = { 0, "slab", "NAME", "one slab cache's slabs and objects (crash's kmem -S)" },
	[VM_OPT_SORT] = { 0, "sort", "KEY", "order the records by KEY" },
	[VM_OPT_FREE] = { 0, "free", NOARG,
		"free pages per zone and order (crash's kmem -f)" },
	[VM_OPT_ZONES] = { 'z', "zones", NOARG, "per-zone counters (crash's kmem -z)" },
	[VM_OPT_COUNTERS] = { 0, "counters", NOARG,
		"the vm_stat counters by name (crash's kmem -V)" },
	[VM_OPT_PHYSICAL] = { 'P', "physical", NOARG,
		"ADDRESS arguments are physical addresses (crash's kmem -P)" },
	[VM_OPT_REVERSE] = { 0, "reverse", NOARG,
		"from the function's start up to and including TARGET (crash's dis -r)" },
	[VM_OPT_FORWARD] = { 0, "forward", NOARG,
		"from TARGET to the function's end (crash's dis -f)" },
	[VM_OPT_INLINES] = { 0, "inlines", NOARG,
		"with -l, the inlined calls each source line is in" },
	[VM_OPT_FUNCTION_SOURCE] = { 0, "function-source", NOARG,
		"the function's source around TARGET (crash's dis -s)" },
	[VM_OPT_SYNTAX] = { 0, "syntax", "intel|att",
		"x86 instruction syntax: binutils' Intel, or AT&T (the default)" },
	[VM_OPT_FILE] = { 0, "file", NOARG,
		"code from the vmlinux or module .ko, not the dump's memory" },
	[VM_OPT_DIFF] = { 0, "diff", NOARG,
		"where the dump's code differs from the vmlinux/.ko, and which kernel "
		"table says why" },
};
