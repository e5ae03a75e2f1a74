/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data symbols a text-only kallsyms lacks.
 *
 * Without CONFIG_KALLSYMS_ALL (Debian's arm64 kernels) kallsyms lists text
 * symbols only, and VMCOREINFO names a dozen data symbols.  What the
 * programs need beyond those is found from what the dump proves: init_task
 * by its comm next to init_uts_ns (here); per-CPU areas from the
 * runqueues the tasks point to (percpu_derive.c).
 */
#ifndef VM_KERNEL_DATASYMS_H
#define VM_KERNEL_DATASYMS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

/* The symbol table (kallsyms) has text symbols but no data symbols. */
bool vm_kernel_text_only(struct vm_kernel *k);

/* init_task's address, found in memory (cached by build-id). */
int vm_derive_init_task(struct vm_kernel *k, uint64_t *addr, struct vm_err *e);

#endif
