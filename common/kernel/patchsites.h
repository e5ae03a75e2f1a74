/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The places where the kernel rewrites its own code after it is loaded,
 * from the kernel's own tables: what tells a patched instruction (memory
 * differs from the vmlinux or .ko, as it should) from a corrupted one.
 *
 * Each table is read from the file (vmlinux, or a module's relocated
 * sections); most of them live in init sections the running kernel has
 * freed.  Entry layouts come from the kernel's types (BTF or DWARF:
 * struct alt_instr, jump_entry, static_call_site, paravirt_patch_site),
 * never from the release string.
 */
#ifndef VM_PATCHSITES_H
#define VM_PATCHSITES_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

struct vm_modko;
struct vm_patchsites;

/* The vmlinux's tables, at run-time addresses (link-time + slide). */
struct vm_patchsites *vm_patchsites_vmlinux(struct vm_kernel *k, const char *vmlinux,
					    uint64_t slide, struct vm_err *e);
/* A module's tables, from its .ko placed where it was loaded. */
struct vm_patchsites *vm_patchsites_module(struct vm_kernel *k, struct vm_modko *ko,
					   struct vm_err *e);
void vm_patchsites_free(struct vm_patchsites *ps);

/* How many sites of all kinds, and a one-line account ("2519
 * alternatives, 16472 return thunks, ...") for -v. */
size_t vm_patchsites_count(const struct vm_patchsites *ps);
const char *vm_patchsites_summary(const struct vm_patchsites *ps);

/* The sites that account for a difference in [lo, hi): how many kinds,
 * and what they are into buf: "alternative (.altinstructions)", several
 * joined by ", " when more than one table lists the place. */
size_t vm_patchsites_find(const struct vm_patchsites *ps, uint64_t lo, uint64_t hi,
			  char *buf, size_t n);

#endif
