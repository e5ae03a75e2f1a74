/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loaded modules: the `modules` list, each module's address ranges, and
 * its symbols (from the module's own in-memory kallsyms, and from the .ko
 * file when -M DIR is given) added to the kernel's symbol table.
 */
#ifndef VM_MODULES_H
#define VM_MODULES_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

#define VM_MOD_NAME_MAX 64
#define VM_MOD_MAX_REGIONS 8

struct vm_mod_region {
	uint64_t base, size;
	const char *what;        /* "core", "text", "data", ... */
};

struct vm_module {
	uint64_t addr;           /* struct module */
	char name[VM_MOD_NAME_MAX];
	uint64_t base, size;     /* first region (crash's BASE / SIZE) */
	struct vm_mod_region regions[VM_MOD_MAX_REGIONS];
	unsigned nr_regions;
	size_t nr_syms;          /* symbols added from the dump */
	char *ko_path;           /* .ko whose symbols were added (-M), or NULL */
	size_t nr_ko_syms;
	char ko_refused[384];    /* why the .ko under -M is another build's, or "" */
};

struct vm_modlist {
	struct vm_module *mods;
	size_t n;
};

/*
 * Walk the module list once (offsets from VMCOREINFO/types) and add every
 * module's symbols to the symbol table; with opts->moddir also the symbols
 * of each module's .ko.  Sets k->modules_loaded even on failure, so the
 * walk is not repeated; returns -1 with the reason.
 */
int vm_kernel_load_modules(struct vm_kernel *k, struct vm_err *e);

/* The modules found (loads them if needed); NULL with e on failure. */
const struct vm_modlist *vm_kernel_modules(struct vm_kernel *k, struct vm_err *e);

/* The module whose ranges hold addr, or NULL. */
const struct vm_module *vm_kernel_module_by_addr(struct vm_kernel *k, uint64_t addr);

void vm_modlist_free(struct vm_modlist *ml);

#endif
