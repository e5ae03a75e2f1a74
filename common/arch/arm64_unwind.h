/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The arm64 unwinder's ops table, for struct vm_arch (arm64.c). */
#ifndef VM_ARM64_UNWIND_H
#define VM_ARM64_UNWIND_H

#include "unwind.h"

extern const struct vm_unwind_ops vm_arm64_unwind;

#endif
