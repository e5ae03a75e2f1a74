/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The x86_64 unwinder's ops table, for struct vm_arch (x86_64.c). */
#ifndef VM_X86_64_UNWIND_H
#define VM_X86_64_UNWIND_H

#include "unwind.h"

extern const struct vm_unwind_ops vm_x86_64_unwind;

#endif
