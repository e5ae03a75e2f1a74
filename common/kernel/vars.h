/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel and module variables by name, with their own types (crash's `p`):
 * "jiffies_64", "init_task.comm", "runqueues.nr_running", "crashmod_state",
 * and SYMBOL+OFFSET addresses.
 *
 * Where things come from:
 *  - the address: VMCOREINFO SYMBOL(), the symbol table (kallsyms, -k,
 *    -m; module symbols), or what the library found in memory on a
 *    text-only kallsyms (init_task, modules; per-CPU variables through
 *    BTF's DATASEC);
 *  - the type: DWARF (-k / a found vmlinux; a module's .ko, -M or found) or
 *    BTF VAR records.  pahole encodes VARs for per-CPU variables only
 *    (before its global_var feature), so without DWARF a plain global's
 *    type is not known: VM_ENOENT says so, and TYPE ADDRESS still works;
 *  - per-CPU: BTF puts the variable in section ".data..percpu", or its
 *    symbol lies in [__per_cpu_start, __per_cpu_end).  Its address is
 *    then CPU n's copy (percpu.h).
 */
#ifndef VM_VARS_H
#define VM_VARS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"
#include "percpu.h"

struct vm_types;
struct vm_type;

#define VM_VAR_NAME_MAX 128

struct vm_var {
	char name[VM_VAR_NAME_MAX];  /* the variable (without the member path) */
	const char *path;            /* member path after the name ("" none) */
	uint64_t sym;                /* its symbol's value (per-CPU: as the
				      * symbol table has it, an offset on
				      * x86_64) */
	const char *module;          /* owning module, NULL for the kernel */
	bool percpu;
	struct vm_types *ts;
	const struct vm_type *var_type;   /* the variable's type */
	const struct vm_type *type;       /* the member's (= var_type without a path) */
	uint64_t off;                /* byte offset of the member in the variable */
	uint32_t bit_off, bit_size;  /* a bitfield member: bits past off, width */
	uint64_t size;               /* bytes of the member (of its storage unit) */
};

/*
 * Resolve expr ("NAME", "NAME.member.path", "NAME.arr[3]"): symbol, type,
 * per-CPU or not.  Fails with VM_ENOENT when the name is no symbol or its
 * type is unknown (the message says which, and why).
 */
int vm_var_lookup(struct vm_kernel *k, const char *expr, struct vm_var *v,
		  struct vm_err *e);

/* The same for an object of type TYPE at addr ("task_struct" at a task's
 * address with path "thread.sp": crash's task -R), path "" for all of
 * it; v->name is TYPE. */
int vm_var_at(struct vm_kernel *k, const char *type, uint64_t addr, const char *path,
	      struct vm_var *v, struct vm_err *e);

/* Address of v (of its member): for a per-CPU variable CPU cpu's copy
 * (pc opened by the caller, cpu < pc->nr_cpu_ids), else cpu is ignored
 * and pc may be NULL. */
int vm_var_addr(const struct vm_var *v, const struct vm_percpu *pc, unsigned cpu,
		uint64_t *addr, struct vm_err *e);

/* "0xADDR", "ADDR" (hex), "SYMBOL", "SYMBOL+OFF" (OFF decimal or 0x hex):
 * a kernel virtual address.  A hex word that is also a symbol's name is
 * the symbol unless written with 0x. */
int vm_kernel_resolve_addr(struct vm_kernel *k, const char *arg, uint64_t *addr,
			   struct vm_err *e);

#endif
