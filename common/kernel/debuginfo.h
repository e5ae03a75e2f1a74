/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Choosing and checking the kernel's debuginfo (debuginfo.c), and the
 * symbol table built from it.  vm_kernel_symtab() (kernel.h) is the usual
 * entry; these are for callers that need a part of it.
 */
#ifndef VM_DEBUGINFO_H
#define VM_DEBUGINFO_H

#include "kernel.h"

/*
 * The vmlinux for this dump: -k FILE, else the first match among
 * /usr/lib/debug/.build-id/xx/rest.debug (VMCOREINFO BUILD-ID),
 * /usr/lib/debug/boot/vmlinux-R, /usr/lib/debug/lib/modules/R/vmlinux,
 * /boot/vmlinux-R, and vmlinux-R / vmlinux next to the dump (R =
 * OSRELEASE).  A file whose build-id (or, without one, linux_banner)
 * differs from the dump's is refused: VM_EMISMATCH for -k, skipped (with a
 * -v note) when searched.  When the dump does not record the KASLR slide,
 * finding linux_banner sets it (vm_mem_set_kaslr).  Sets k->vmlinux_path.
 * NULL with VM_ENOENT when there is none.  Cached.
 */
const char *vm_kernel_vmlinux(struct vm_kernel *k, struct vm_err *e);

/* VMCOREUTILS_DEBUG_ROOT, which stands for / in the system paths searched
 * for a vmlinux or a module's .ko (debug packages unpacked elsewhere;
 * tests); "" when unset or not absolute. */
const char *vm_debug_root(void);

/* The crashed kernel's release (VMCOREINFO OSRELEASE, else the dump
 * header's), or NULL. */
const char *vm_kernel_release(struct vm_kernel *k);

/* -k, -m and -M files that belong to another kernel (VM_EMISMATCH, naming
 * both build-ids or the first symbol that differs); called by
 * vm_kernel_open(). */
int vm_kernel_check_debuginfo(struct vm_kernel *k, struct vm_err *e);

/* The symbol table without module symbols (cheaper: no module walk, no
 * types); vm_kernel_symtab() is this plus vm_kernel_load_modules(). */
struct vm_symtab *vm_kernel_symtab_core(struct vm_kernel *k, struct vm_err *e);

#endif
