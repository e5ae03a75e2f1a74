/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data symbols the library found in memory, for a kernel whose kallsyms
 * lists text symbols only (no CONFIG_KALLSYMS_ALL: Debian arm64): what
 * vm_kernel_symbol() answers for them and what vmsym lists with a
 * "(derived)" mark.
 *
 *   init_task      by its comm below init_uts_ns (datasyms.c)
 *   modules        the list head whose ring holds the struct modules
 *                  (modules_find.c)
 *   btf_modules    the list head of the modules' BTF (modules_find.c)
 *   per-CPU vars   their offset in .data..percpu from BTF's DATASEC, over
 *                  the per-CPU areas found through the runqueues
 *                  (percpu_derive.c); runqueues is the one that proves it
 */
#ifndef VM_DERIVED_H
#define VM_DERIVED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

struct vm_derived_sym {
	const char *name;
	uint64_t addr;             /* per-CPU: the offset in the per-CPU area */
	char type;                 /* 'D' data; 'd' a per-CPU offset */
	bool percpu;
	const char *how;           /* where it came from, for -v and --list */
};

/* name's address when the library can find it in memory: 1 found, 0 not
 * a symbol it finds this way, -1 it should be but could not (e says
 * why).  how may be NULL.  Only meaningful on a text-only kallsyms. */
int vm_kernel_derived_symbol(struct vm_kernel *k, const char *name, uint64_t *addr,
			     const char **how, struct vm_err *e);

/* The same as a whole record (name points at the caller's string). */
int vm_kernel_derived_lookup(struct vm_kernel *k, const char *name,
			     struct vm_derived_sym *d, struct vm_err *e);

/* The derived symbols that can be found in this dump (init_task,
 * modules, btf_modules, runqueues), up to max, in address order; how
 * many. */
size_t vm_kernel_derived_symbols(struct vm_kernel *k, struct vm_derived_sym *out,
				 size_t max);

#endif
