/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sizes of a vmlinux's symbols, by address, without their names: what
 * the dump's own kallsyms (names and addresses, no sizes) lacks for
 * crash's function extents.  One pass over .symtab and a sort: a tenth of
 * building the vmlinux's whole symbol table.
 */
#ifndef VM_SYMSIZE_H
#define VM_SYMSIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "../err.h"

struct vm_symsizes;

/* From the vmlinux at path, for a kernel running slide above its link
 * addresses; NULL with e (VM_ENOENT: no .symtab). */
struct vm_symsizes *vm_symsizes_open(const char *vmlinux, uint64_t slide, struct vm_err *e);
void vm_symsizes_free(struct vm_symsizes *z);

/* The size of the symbols at run-time address addr (the largest, when
 * several start there): true and *size, false when no symbol starts
 * there. */
bool vm_symsizes_at(const struct vm_symsizes *z, uint64_t addr, uint64_t *size);

#endif
