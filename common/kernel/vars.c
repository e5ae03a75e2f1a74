// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Variables by name with their types (see vars.h).
 */
#include "vars.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../symbols/symbols.h"
#include "../types/types.h"
#include "datasyms.h"

#define PERCPU_SECTION ".data..percpu"

static bool is_hex_word(const char *s, uint64_t *v)
{
	const char *p = s;
	char *end;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!*p || strlen(p) > 16)
		return false;
	errno = 0;
	*v = strtoull(p, &end, 16);
	return !errno && !*end;
}

int vm_kernel_resolve_addr(struct vm_kernel *k, const char *arg, uint64_t *addr,
			   struct vm_err *e)
{
	char name[VM_VAR_NAME_MAX * 2];
	const char *plus = strchr(arg, '+');
	uint64_t off = 0, v, sa;
	struct vm_err se;

	if (!*arg)
		return vm_fail(e, VM_EINVAL, "empty address");
	if (plus) {
		char *end;

		errno = 0;
		off = strtoull(plus + 1, &end, 0);
		if (errno || end == plus + 1 || *end || plus[1] == '-')
			return vm_fail(e, VM_EINVAL, "bad offset in %s", arg);
		if ((size_t)(plus - arg) >= sizeof(name) || plus == arg)
			return vm_fail(e, VM_EINVAL, "bad symbol in %s", arg);
		memcpy(name, arg, (size_t)(plus - arg));
		name[plus - arg] = '\0';
	} else if ((size_t)snprintf(name, sizeof(name), "%s", arg) >= sizeof(name)) {
		return vm_fail(e, VM_EINVAL, "symbol name too long");
	}
	if (is_hex_word(name, &v)) {
		/* a hex word is an address unless a symbol has that name
		 * ("dead"): 0x says which */
		if (strncmp(name, "0x", 2) && strncmp(name, "0X", 2) &&
		    vm_kernel_symbol(k, name, &sa, &se) == 0)
			v = sa;
		*addr = v + off;
		return 0;
	}
	if (vm_kernel_symbol(k, name, addr, e) < 0)
		return -1;
	*addr += off;
	return 0;
}

/* The per-CPU section's bounds as the symbol table has them. */
static bool in_percpu_section(struct vm_kernel *k, uint64_t sym)
{
	struct vm_err e;
	uint64_t start, end;

	if (vm_kernel_symbol(k, "__per_cpu_start", &start, &e) < 0 ||
	    vm_kernel_symbol(k, "__per_cpu_end", &end, &e) < 0)
		return false;
	return sym >= start && sym < end;
}

static int split_name(const char *expr, struct vm_var *v, struct vm_err *e)
{
	size_t n = strcspn(expr, ".[");

	if (!n)
		return vm_fail(e, VM_EINVAL, "no variable name in '%s'", expr);
	if (n >= sizeof(v->name))
		return vm_fail(e, VM_EINVAL, "variable name too long");
	memcpy(v->name, expr, n);
	v->name[n] = '\0';
	v->path = expr + n + (expr[n] == '.');
	return 0;
}

static int apply_path(struct vm_var *v, const char *expr, struct vm_err *e);

int vm_var_lookup(struct vm_kernel *k, const char *expr, struct vm_var *v,
		  struct vm_err *e)
{
	struct vm_symtab *st;
	const struct vm_sym *s;
	struct vm_err se;
	char sec[64];
	uint64_t secoff;
	bool in_btf_sec;

	memset(v, 0, sizeof(*v));
	if (split_name(expr, v, e) < 0)
		return -1;
	v->ts = vm_kernel_types(k, e);
	if (!v->ts) {
		vm_err_prefix(e, "%s: ", v->name);
		return -1;
	}
	in_btf_sec = vm_types_var_section(v->ts, v->name, sec, sizeof(sec), &secoff, &se) == 0;

	/* the address */
	if (vm_kernel_symbol(k, v->name, &v->sym, &se) == 0) {
		st = vm_kernel_symtab(k, &se);
		s = st ? vm_sym_by_name(st, v->name, NULL) : NULL;
		if (s && s->addr == v->sym)
			v->module = s->module;
		v->percpu = (in_btf_sec && !strcmp(sec, PERCPU_SECTION)) ||
			    (!v->module && in_percpu_section(k, v->sym));
	} else if (in_btf_sec && !strcmp(sec, PERCPU_SECTION) && vm_kernel_text_only(k)) {
		/* text-only kallsyms: the offset in the per-CPU section, over
		 * the areas percpu.c found (zero-based there) */
		v->sym = secoff;
		v->percpu = true;
	} else {
		return vm_fail(e, VM_ENOENT, "no variable named %s (%s)", v->name, se.msg);
	}

	/* its type */
	v->var_type = vm_types_var(v->ts, v->name, &se);
	if (!v->var_type) {
		if (vm_types_source_kind(v->ts, 0) != VM_TSRC_DWARF)
			return vm_fail(e, VM_ENOENT, "%s: its type is unknown: the BTF describes "
				       "per-CPU variables only (use -k vmlinux for DWARF, or "
				       "give the type: TYPE %s)", v->name, v->name);
		return vm_fail(e, VM_ENOENT, "%s: its type is unknown: %s", v->name, se.msg);
	}
	if (v->var_type->kind == VM_TYPE_FUNC)
		return vm_fail(e, VM_EINVAL, "%s is a function, not a variable", v->name);
	return apply_path(v, expr, e);
}

/* v->type, off, bits and size from v->var_type and v->path */
static int apply_path(struct vm_var *v, const char *expr, struct vm_err *e)
{
	v->type = v->var_type;
	if (*v->path) {
		struct vm_member_loc loc;

		if (vm_type_member_path(v->ts, v->var_type, v->path, &loc, e) < 0) {
			vm_err_prefix(e, "%s: ", v->name);
			return -1;
		}
		v->type = loc.type;
		v->off = loc.bit_offset / 8;
		v->bit_off = (uint32_t)(loc.bit_offset % 8);
		v->bit_size = loc.bit_size;
	}
	if (vm_type_size(v->ts, v->type, &v->size, e) < 0) {
		vm_err_prefix(e, "%s: ", expr);
		return -1;
	}
	if (v->bit_size)
		v->size = (v->bit_off + v->bit_size + 7) / 8;
	return 0;
}

int vm_var_at(struct vm_kernel *k, const char *type, uint64_t addr, const char *path,
	      struct vm_var *v, struct vm_err *e)
{
	memset(v, 0, sizeof(*v));
	if ((size_t)snprintf(v->name, sizeof(v->name), "%s", type) >= sizeof(v->name))
		return vm_fail(e, VM_EINVAL, "type name too long");
	v->path = path ? path : "";
	v->sym = addr;
	v->ts = vm_kernel_types(k, e);
	if (!v->ts)
		return -1;
	v->var_type = vm_types_find(v->ts, type, e);
	if (!v->var_type)
		return -1;
	return apply_path(v, type, e);
}

int vm_var_addr(const struct vm_var *v, const struct vm_percpu *pc, unsigned cpu,
		uint64_t *addr, struct vm_err *e)
{
	uint64_t base;

	if (!v->percpu) {
		*addr = v->sym + v->off;
		return 0;
	}
	if (!pc)
		return vm_fail(e, VM_EINVAL, "%s is a per-CPU variable: which CPU?", v->name);
	if (vm_percpu_sym_addr(pc, v->sym, cpu, &base, e) < 0) {
		vm_err_prefix(e, "per_cpu(%s, %u): ", v->name, cpu);
		return -1;
	}
	*addr = base + v->off;
	return 0;
}
