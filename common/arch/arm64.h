/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64 register indices in struct vm_regs: struct user_pt_regs order
 * (arch/arm64/include/uapi/asm/ptrace.h), which is NT_PRSTATUS pr_reg's:
 * x0..x30, sp, pc, pstate.
 */
#ifndef VM_ARM64_H
#define VM_ARM64_H

#include "arch.h"

enum vm_arm64_reg {
	VM_ARM64_X0 = 0,
	VM_ARM64_FP = 29,     /* x29 */
	VM_ARM64_LR = 30,     /* x30 */
	VM_ARM64_SP = 31,
	VM_ARM64_PC = 32,
	VM_ARM64_PSTATE = 33,
	VM_ARM64_NR_REGS
};

extern const struct vm_arch vm_arch_arm64;

#endif
