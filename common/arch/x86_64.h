/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 register indices in struct vm_regs: the first 27 follow
 * user_regs_struct, which is also NT_PRSTATUS pr_reg's order
 * (arch/x86/include/asm/user_64.h); the rest come from QEMU's CPU note.
 */
#ifndef VM_X86_64_H
#define VM_X86_64_H

#include "arch.h"

enum vm_x86_64_reg {
	VM_X86_R15, VM_X86_R14, VM_X86_R13, VM_X86_R12,
	VM_X86_RBP, VM_X86_RBX, VM_X86_R11, VM_X86_R10,
	VM_X86_R9, VM_X86_R8, VM_X86_RAX, VM_X86_RCX,
	VM_X86_RDX, VM_X86_RSI, VM_X86_RDI, VM_X86_ORIG_RAX,
	VM_X86_RIP, VM_X86_CS, VM_X86_EFLAGS, VM_X86_RSP,
	VM_X86_SS, VM_X86_FS_BASE, VM_X86_GS_BASE, VM_X86_DS,
	VM_X86_ES, VM_X86_FS, VM_X86_GS,
	VM_X86_NR_PRSTATUS_REGS,              /* 27 */
	VM_X86_CR0 = VM_X86_NR_PRSTATUS_REGS,
	VM_X86_CR2, VM_X86_CR3, VM_X86_CR4,
	VM_X86_KERNEL_GS_BASE,
	VM_X86_NR_REGS
};

/* __START_KERNEL_map: where the kernel image is mapped (before KASLR's
 * slide); the same in 4- and 5-level paging. */
#define VM_X86_START_KERNEL_MAP UINT64_C(0xffffffff80000000)

extern const struct vm_arch vm_arch_x86_64;

#endif
