/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to common/symbols/: helpers the loaders share. */
#ifndef VM_SYMTAB_IMPL_H
#define VM_SYMTAB_IMPL_H

#include "symbols.h"

/* Apply the KASLR slide to symbols [first, count) that lie in the kernel
 * image (at or above the lowest text symbol). */
void vm_symtab_apply_slide(struct vm_symtab *st, size_t first, uint64_t slide);

#endif
