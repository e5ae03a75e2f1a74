/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A vmlinux (or .ko, or separate .debug file) opened with libelf, for what
 * the symbols and kernel layers need besides .symtab: the GNU build-id, one
 * symbol's value, and bytes at a link-time address (linux_banner).  The
 * file is mapped, so a 400 MB vmlinux costs only the pages touched.
 */
#ifndef VM_ELFFILE_H
#define VM_ELFFILE_H

#include <stddef.h>
#include <stdint.h>

#include "../err.h"
#include "symbols.h"

struct vm_elffile;

struct vm_elffile *vm_elffile_open(const char *path, struct vm_err *e);
void vm_elffile_close(struct vm_elffile *ef);
const char *vm_elffile_path(const struct vm_elffile *ef);
uint16_t vm_elffile_machine(const struct vm_elffile *ef);

/* NT_GNU_BUILD_ID descriptor: 1 and *len set, 0 if the file has none. */
int vm_elffile_build_id(struct vm_elffile *ef, uint8_t *buf, size_t bufsz,
			size_t *len);

/* Value (link-time address) and size of the first .symtab symbol named
 * name: 0, or -1 with VM_ENOENT. */
int vm_elffile_symbol(struct vm_elffile *ef, const char *name, uint64_t *value,
		      uint64_t *size, struct vm_err *e);

/* Bytes at link-time address vaddr from the section that holds them
 * (not from NOBITS sections). */
int vm_elffile_read(struct vm_elffile *ef, uint64_t vaddr, void *buf, size_t len,
		    struct vm_err *e);

/* Add every .symtab symbol System.map would list (scripts/mksysmap's
 * filter), with sizes.  module: NULL for vmlinux.  Addresses as in the
 * file; the caller slides or relocates them. */
int vm_elffile_add_symbols(struct vm_elffile *ef, struct vm_symtab *st,
			   const char *module, struct vm_err *e);

/* Iterate .symtab for relocation of a .ko: cb gets each defined
 * symbol with its section index (st_shndx) and the section's name. */
typedef int (*vm_elffile_sym_cb)(void *arg, const char *name, uint64_t value,
				 uint64_t size, char type, unsigned shndx,
				 const char *secname);
int vm_elffile_each_symbol(struct vm_elffile *ef, vm_elffile_sym_cb cb, void *arg,
			   struct vm_err *e);

#endif
