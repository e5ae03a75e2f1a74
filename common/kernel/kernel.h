/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Layer 6: the kernel as a whole.  struct vm_kernel ties the layers together
 * for bin/: open the dump, parse VMCOREINFO, set up the arch view; symbols
 * and types are loaded lazily, on the first call that needs them, from the
 * best source available (-k vmlinux, found vmlinux, -m System.map, the
 * dump's own kallsyms / BTF).
 */
#ifndef VM_KERNEL_H
#define VM_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "../arch/arch.h"
#include "../dump/dump.h"
#include "../err.h"
#include "../opts.h"
#include "../symbols/symbols.h"
#include "../vmcoreinfo/vmcoreinfo.h"

struct vm_types;
struct vm_modlist;
struct vm_cache_sess;
struct vm_koindex;

struct vm_kernel {
	const struct vm_opts *opts;
	struct vm_dump *dump;
	struct vm_vmcoreinfo *vi;     /* NULL if the dump has none */
	struct vm_mem *mem;           /* NULL if no arch view could be set up */
	/* lazily loaded; use the accessors */
	struct vm_symtab *symtab;
	struct vm_types *types;
	const char *vmlinux_path;     /* chosen vmlinux (from -k or search) */
	char *vmlinux_alloc;          /* owns vmlinux_path when it was searched */
	bool modules_loaded;
	bool symtab_tried, types_tried;
	struct vm_err sym_err, types_err;   /* why a lazy load failed */
	struct vm_err mem_err;              /* why there is no arch view */
	bool vmlinux_tried;                 /* debuginfo.c searched/verified */
	struct vm_err vmlinux_err;          /* why there is no vmlinux */
	struct vm_modlist *modlist;         /* modules.c; NULL until walked */
	struct vm_err modules_err;          /* why the module walk failed */
	uint64_t init_task;                 /* datasyms.c found it (text-only kallsyms) */
	struct vm_err init_task_err;        /* why it could not */
	uint64_t modules_head;              /* modules_find.c found it (text-only) */
	struct vm_err modules_head_err;
	struct vm_cache_sess *cache;        /* the dump file's cache record, or NULL */
	struct vm_cache_pages *pages;       /* its page store, or NULL */
	struct vm_koindex *koidx;           /* kofind.c: the .ko files found */
	bool koidx_tried;
	struct vm_err koidx_err;
	uint64_t *ko_said;                  /* modko.c: modules whose .ko refusal was said */
	size_t nko_said;
};

/* Opens the dump at path and what can be had without debuginfo (o may be
 * NULL: no options).  Fails only when the dump itself cannot be opened; a
 * missing VMCOREINFO or arch view is left NULL and explained by the
 * accessors that need it. */
struct vm_kernel *vm_kernel_open(const char *path, const struct vm_opts *o,
				 struct vm_err *e);
void vm_kernel_close(struct vm_kernel *k);

/* Needs the arch view (vm_mem); fails with the reason it is missing. */
struct vm_mem *vm_kernel_mem(struct vm_kernel *k, struct vm_err *e);
struct vm_symtab *vm_kernel_symtab(struct vm_kernel *k, struct vm_err *e);
struct vm_types *vm_kernel_types(struct vm_kernel *k, struct vm_err *e);

/* Address of a kernel symbol: VMCOREINFO SYMBOL() first, then the kernel's
 * symbol table (loaded at the first call: a vmlinux search and check, or
 * the dump's kallsyms), then -- only for a name the kernel lacks -- the
 * modules' symbols (a walk of the module list, which needs the types). */
int vm_kernel_symbol(struct vm_kernel *k, const char *name, uint64_t *addr,
		     struct vm_err *e);
/* Offset of a (possibly dotted) member: VMCOREINFO OFFSET() first, then
 * types.  size may be NULL. */
int vm_kernel_offsetof(struct vm_kernel *k, const char *type, const char *member,
		       uint64_t *off, uint64_t *size, struct vm_err *e);
int vm_kernel_sizeof(struct vm_kernel *k, const char *type, uint64_t *size,
		     struct vm_err *e);

/* The run met corruption or a failed check in what the cache keeps: record
 * nothing about this dump file in the cache (entries, made only from
 * verified derivations, are unaffected). */
void vm_kernel_cache_taint(struct vm_kernel *k);

/* -v messages: where a source came from.  Handed to opts->note (set by bin/)
 * so the library never writes to stdout/stderr itself. */
void vm_kernel_note(struct vm_kernel *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A warning, without -v too: something the answer had to do without (a
 * module's .ko refused for its types), through opts->warn. */
void vm_kernel_warn(struct vm_kernel *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
