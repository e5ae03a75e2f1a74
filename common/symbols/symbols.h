/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Layer 4: one symbol table, built from whichever source exists:
 * vmlinux .symtab (elf/elffile.h), System.map, or the kernel's own kallsyms tables
 * read out of the dump.  Module symbols are added by the kernel layer
 * (it walks the module list).  Addresses are run-time addresses: the KASLR
 * slide is applied once, when a source is loaded.
 */
#ifndef VM_SYMBOLS_H
#define VM_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "../arch/arch.h"
#include "../err.h"
#include "../vmcore_types.h"

struct vm_symtab;


struct vm_symtab *vm_symtab_new(struct vm_err *e);
void vm_symtab_free(struct vm_symtab *st);

/* name and module are copied. */
int vm_symtab_add(struct vm_symtab *st, uint64_t addr, uint64_t size, char type,
		  const char *name, const char *module, struct vm_err *e);
/* Sort / index after adding; lookups call it implicitly if needed. */
void vm_symtab_finish(struct vm_symtab *st);

/*
 * Many symbols at once into an empty table, names not copied: on success
 * st keeps keep alive and calls release(keep) when freed; on failure keep
 * is still the caller's.
 * order (the address order of the n symbols: by address, ties by name,
 * then load order, as `nm -n`) and hash (the name index, of
 * vm_symtab_hash_build()'s shape) may be made by the loader or come from
 * an earlier run's table (cached): the order is checked (a cached one
 * that does not fit is refused) and the hash used only when it has the
 * shape of one; without them the table builds its own when needed.
 */
struct vm_symtab_bulk {
	size_t n;
	uint64_t (*addr)(const void *ctx, size_t i);
	const void *ctx;
	const char *types;          /* n type letters */
	const char *names;          /* NUL-terminated names ... */
	size_t names_len;
	const uint32_t *name_off;   /* ... symbol i's at names + name_off[i] */
	const uint32_t *order;      /* or NULL */
	/* order is known to be a permutation in address order (the loader
	 * made it from addresses it checked, or a run that accepted these
	 * very bytes did: vm_cache_entry.accepted_before): only its bounds
	 * are checked again */
	bool order_checked;
	const uint32_t *hash;       /* or NULL */
	size_t hash_size;
	void *keep;
	void (*release)(void *keep);
};
int vm_symtab_add_bulk(struct vm_symtab *st, const struct vm_symtab_bulk *b,
		       struct vm_err *e);
/* The symbols of a bulk description named name, through its hash, in
 * ascending order (the first max of them in out); how many there are, or
 * SIZE_MAX when it has no hash. */
size_t vm_symtab_bulk_named(const struct vm_symtab_bulk *b, const char *name,
			    uint32_t *out, size_t max);
/* Layout version of a bulk order and hash (and of the name hash function,
 * symtab_impl.h): caches of them say it.  2: hash by 8-byte words, no
 * longer FNV-1a. */
#define VM_SYMTAB_INDEX_VERSION 2

size_t vm_symtab_count(const struct vm_symtab *st);
/* i-th symbol in address order (for --list). */
const struct vm_sym *vm_symtab_at(struct vm_symtab *st, size_t i);

/* Exact name; module NULL = any (vmlinux preferred). */
const struct vm_sym *vm_sym_by_name(struct vm_symtab *st, const char *name,
				    const char *module);
/* Every symbol named name (module NULL = any), up to max, in address
 * order; returns how many there are in all (may exceed max). */
size_t vm_sym_by_name_all(struct vm_symtab *st, const char *name, const char *module,
			  const struct vm_sym **out, size_t max);
/* The symbol containing addr (highest addr <= addr; within its size, or
 * below the next symbol when size is unknown); *off = addr - sym->addr. */
const struct vm_sym *vm_sym_by_addr(struct vm_symtab *st, uint64_t addr,
				    uint64_t *off);

/* Loaders.  slide is added to every address from the file. */
int vm_symtab_load_elf(struct vm_symtab *st, const char *vmlinux, uint64_t slide,
		       struct vm_err *e);
int vm_symtab_load_sysmap(struct vm_symtab *st, const char *path, uint64_t slide,
			  struct vm_err *e);
/* The kernel's kallsyms tables through VMCOREINFO (6.0+) or the symbols
 * given; reads the dump. */
int vm_symtab_load_kallsyms(struct vm_symtab *st, struct vm_mem *m,
			    struct vm_err *e);
/* The same through the on-disk cache (../cache.h): cs (may be NULL) is the
 * dump file's record of what an earlier run found in it. */
struct vm_cache_sess;
int vm_symtab_load_kallsyms_cached(struct vm_symtab *st, struct vm_mem *m,
				   struct vm_cache_sess *cs, struct vm_err *e);

enum vm_sym_source vm_symtab_source(const struct vm_symtab *st);
void vm_symtab_set_source(struct vm_symtab *st, enum vm_sym_source src);

#endif
