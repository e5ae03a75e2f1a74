/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loaded modules: the `modules` list, each module's address ranges, and
 * its symbols (from the module's own in-memory kallsyms, and from the .ko
 * file: -M DIR, or found, kofind.h) added to the kernel's symbol table.
 */
#ifndef VM_MODULES_H
#define VM_MODULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

#define VM_MOD_NAME_MAX 64
#define VM_MOD_MAX_REGIONS 8

struct vm_mod_region {
	uint64_t base, size;
	const char *what;        /* "core", "text", "data", ... */
};

/* enum module_state (include/linux/module.h; UNFORMED since v3.8) */
enum vm_module_state {
	VM_MODULE_LIVE = 0,
	VM_MODULE_COMING = 1,
	VM_MODULE_GOING = 2,
	VM_MODULE_UNFORMED = 3,
};

#define VM_MOD_BUILD_ID_MAX 20   /* BUILD_ID_SIZE_MAX */

struct vm_module {
	uint64_t addr;           /* struct module */
	char name[VM_MOD_NAME_MAX];
	/* base: where the text starts (crash's BASE, /proc/modules' address:
	 * core_layout.base, mem[MOD_TEXT].base, module_core); size: what
	 * /proc/modules prints (every region of the module; the init
	 * regions are empty once the module is live) */
	uint64_t base, size;
	struct vm_mod_region regions[VM_MOD_MAX_REGIONS];
	unsigned nr_regions;
	int state;               /* enum vm_module_state; -1 unknown */
	bool have_taints;
	uint64_t taints;         /* module->taints: TAINT_* bits */
	/* module->build_id (CONFIG_STACKTRACE_BUILD_ID, v5.14+), else the
	 * .note.gnu.build-id the kernel keeps among the module's notes */
	uint8_t build_id[VM_MOD_BUILD_ID_MAX];
	unsigned build_id_len;   /* 0: the module has none */
	char srcversion[32];     /* modinfo srcversion, "" if none */
	char version[64];        /* modinfo version, "" if none */
	size_t nr_syms;          /* symbols added from the dump */
	char *ko_path;           /* .ko whose symbols were added (kofind.h), or NULL */
	size_t nr_ko_syms;
	char err[256];           /* why a part of the module could not be read */
	char ko_refused[384];    /* why the .ko under -M is another build's, or "" */
};

struct vm_modlist {
	struct vm_module *mods;
	size_t n;
	uint64_t head;           /* the list head: the kernel's `modules` */
	bool head_derived;       /* found in memory (text-only kallsyms) */
};

/* "Live", "Loading", "Unloading", "Unformed" as /proc/modules words them. */
const char *vm_module_state_name(int state);

/*
 * Walk the module list once (offsets from VMCOREINFO/types) and add every
 * module's symbols to the symbol table, and those of each module's .ko
 * that its kallsyms lacks (-M DIR, or found: kofind.h).  Sets
 * k->modules_loaded even on failure, so the walk is not repeated; returns
 * -1 with the reason.
 */
int vm_kernel_load_modules(struct vm_kernel *k, struct vm_err *e);

/* The modules found (loads them if needed); NULL with e on failure. */
const struct vm_modlist *vm_kernel_modules(struct vm_kernel *k, struct vm_err *e);

/* The module whose ranges hold addr, or NULL. */
const struct vm_module *vm_kernel_module_by_addr(struct vm_kernel *k, uint64_t addr);

void vm_modlist_free(struct vm_modlist *ml);

/*
 * modules_find.c: the address of the `modules` list head found in memory,
 * for a kernel whose kallsyms has no data symbols.  The head is a
 * LIST_HEAD in the kernel's .data, above init_task; it is taken when the
 * ring it anchors holds only struct modules (state, name, mkobj.mod
 * pointing back) and leads back to it.  VM_ENOENT when no module is
 * loaded (an empty list looks like any other empty list).
 */
int vm_derive_modules_head(struct vm_kernel *k, uint64_t *head, struct vm_err *e);
/* The same for btf_modules (kernel/bpf/btf.c): the head whose ring holds
 * struct btf_modules pointing at loaded modules, their btf named alike. */
int vm_derive_btf_modules_head(struct vm_kernel *k, uint64_t *head, struct vm_err *e);

/*
 * modules_btf.c: module m's own BTF, split over the kernel's (v5.11+,
 * CONFIG_DEBUG_INFO_BTF_MODULES).  module->btf_data is cleared once the
 * module is live (do_init_module()); the kernel's copy is in the struct
 * btf that btf_modules lists for it.  *data is malloc'ed.  VM_ENOENT when
 * the module has none.
 */
int vm_module_btf(struct vm_kernel *k, const struct vm_module *m, uint8_t **data,
		  size_t *len, struct vm_err *e);

/* One section of a loaded module as the kernel recorded it (sect_attrs:
 * what `crash mod -s` and gdb's add-symbol-file relocate a .ko with). */
struct vm_mod_section {
	char name[64];
	uint64_t addr;
};

/* The sections of module m; *out is malloc'd (free() it).  -1 with the
 * reason when the kernel's types lack the attributes or memory is bad. */
int vm_kernel_module_sections(struct vm_kernel *k, const struct vm_module *m,
			      struct vm_mod_section **out, unsigned *n,
			      struct vm_err *e);

#endif
