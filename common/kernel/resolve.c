// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One reading of what a command-line argument names, for every program:
 * a PID, a task address, a command name, a kernel address or a symbol,
 * each with an optional +OFFSET where an address is meant.
 *
 *   - "\NAME" is a command name (when names are accepted), as in crash;
 *   - decimal digits are a PID when tasks are meant: always with fewer
 *     than 9 digits, else when a task has that PID, else a task address;
 *   - hex digits (0x optional, at most 16) are a task address, or an
 *     address -- unless, without 0x, a symbol has that very name ("dead",
 *     "add"): VMCOREINFO's SYMBOL() or the kernel's own symbol table, not
 *     the modules' (no module walk for a hex word);
 *   - anything else is a command name (tasks) or a symbol, looked up in
 *     VMCOREINFO, the kernel's symbols, then the modules'.
 */
#include "../vmcore.h"
#include "kernel.h"
#include "tasks.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "debuginfo.h"

#define TASK_KINDS (VM_ARG_PID | VM_ARG_TASK)
#define ADDR_KINDS (VM_ARG_ADDR | VM_ARG_SYMBOL)

static bool all_of(const char *s, size_t n, int (*is)(int))
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* s[0..n) as hex, 0x optional, at most 16 digits */
static bool hex_word(const char *s, size_t n, uint64_t *v, bool *has0x)
{
	*has0x = n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (*has0x) {
		s += 2;
		n -= 2;
	}
	if (!all_of(s, n, isxdigit) || n > 16)
		return false;
	*v = 0;
	while (n--)
		*v = *v << 4 | (uint64_t)(isdigit((unsigned char)*s) ? *s - '0' :
					   tolower((unsigned char)*s) - 'a' + 10), s++;
	return true;
}

/* "+OFF": decimal or 0x hex */
static bool offset(const char *s, uint64_t *off)
{
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*off = strtoull(s, &end, 0);
	return !errno && !*end;
}

unsigned vm_arg_kinds(const char *arg, unsigned accept)
{
	size_t n = strlen(arg), base = strcspn(arg, "+");
	unsigned k = 0;
	uint64_t v, off;
	bool x;

	if ((accept & VM_ARG_COMM) && arg[0] == '\\' && arg[1])
		return VM_ARG_COMM;
	if ((accept & VM_ARG_PID) && all_of(arg, n, isdigit) && n <= 10 &&
	    strtoull(arg, NULL, 10) <= INT32_MAX)
		k |= VM_ARG_PID;
	if ((accept & VM_ARG_TASK) && hex_word(arg, n, &v, &x))
		k |= VM_ARG_TASK;
	if ((accept & VM_ARG_COMM) && *arg)
		k |= VM_ARG_COMM;
	if (accept & ADDR_KINDS) {
		if (arg[base] && !offset(arg + base + 1, &off))
			return k;
		if ((accept & VM_ARG_ADDR) && hex_word(arg, base, &v, &x))
			k |= VM_ARG_ADDR;
		if ((accept & VM_ARG_SYMBOL) && base && !x)
			k |= VM_ARG_SYMBOL;
	}
	return k;
}

/* A symbol of exactly this name in what costs nothing more to ask:
 * VMCOREINFO and the kernel's own table (loaded once anyway). */
static bool cheap_symbol(struct vm_kernel *k, const char *name, uint64_t *addr)
{
	struct vm_symtab *st;
	const struct vm_sym *s;
	struct vm_err e;

	if (k->vi && vm_vmci_symbol(k->vi, name, addr) == 0)
		return true;
	st = vm_kernel_symtab_core(k, &e);
	s = st ? vm_sym_by_name(st, name, NULL) : NULL;
	if (s)
		*addr = s->addr;
	return s != NULL;
}

static int resolve_task(const struct vm_tasklist *tl, const char *arg, unsigned accept,
			struct vm_arg *out, struct vm_err *e)
{
	size_t n = strlen(arg);
	unsigned kinds = vm_arg_kinds(arg, accept);
	uint64_t v;
	bool x;

	if (kinds == VM_ARG_COMM && arg[0] == '\\') {
		out->kind = VM_ARG_COMM;
		out->name = arg + 1;
		return 0;
	}
	if (kinds & VM_ARG_PID) {
		long pid = strtol(arg, NULL, 10);

		if (!(kinds & VM_ARG_TASK) || n < 9 ||
		    (tl && vm_tasklist_by_pid(tl, (int32_t)pid))) {
			out->kind = VM_ARG_PID;
			out->pid = (int32_t)pid;
			return 0;
		}
	}
	if ((kinds & VM_ARG_TASK) && hex_word(arg, n, &v, &x)) {
		out->kind = VM_ARG_TASK;
		out->addr = v;
		return 0;
	}
	if (kinds & VM_ARG_COMM) {
		out->kind = VM_ARG_COMM;
		out->name = arg;
		return 0;
	}
	return vm_fail(e, VM_EINVAL, "%s: not a PID or task address", arg);
}

static int resolve_addr(struct vm_kernel *k, const char *arg, unsigned accept,
			struct vm_arg *out, struct vm_err *e)
{
	size_t base = strcspn(arg, "+");
	char name[512];
	uint64_t v, a;
	bool x;

	if (arg[base] && !offset(arg + base + 1, &out->off))
		return vm_fail(e, VM_EINVAL, "%s: bad offset (decimal or 0x hex)", arg);
	if (base >= sizeof(name))
		return vm_fail(e, VM_EINVAL, "%.64s...: name too long", arg);
	memcpy(name, arg, base);
	name[base] = '\0';
	out->name = arg;
	out->name_len = (unsigned)base;
	if ((accept & VM_ARG_ADDR) && hex_word(name, base, &v, &x) &&
	    (x || !(accept & VM_ARG_SYMBOL) || !cheap_symbol(k, name, &a))) {
		out->kind = VM_ARG_ADDR;
		out->addr = v + out->off;
		return 0;
	}
	if (!(accept & VM_ARG_SYMBOL) || !base)
		return vm_fail(e, VM_EINVAL, "%s: not an address", arg);
	out->kind = VM_ARG_SYMBOL;
	if (accept & VM_ARG_NAME_ONLY)
		return 0;
	if (vm_kernel_symbol(k, name, &a, e) < 0)
		return -1;
	out->addr = a + out->off;
	return 0;
}

int vm_arg_resolve(struct vm_kernel *k, const struct vm_tasklist *tl, const char *arg,
		   unsigned accept, struct vm_arg *out, struct vm_err *e)
{
	memset(out, 0, sizeof(*out));
	if (accept & (TASK_KINDS | VM_ARG_COMM))
		return resolve_task(tl, arg, accept, out, e);
	if (accept & ADDR_KINDS)
		return resolve_addr(k, arg, accept, out, e);
	return vm_fail(e, VM_EINVAL, "%s: nothing to resolve it to", arg);
}
