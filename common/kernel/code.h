/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel code as instructions: the API is public (vmcore_code.h). */
#ifndef VM_CODE_H
#define VM_CODE_H

#include "../disasm/disasm.h"
#include "../types/lines.h"
#include "../vmcore_code.h"
#include "kernel.h"

/* The label for an address an instruction names (branch target, RIP-
 * relative operand) where crash shows one (the disassembler's
 * symbolizer). */
bool vm_code_symbolize(struct vm_code *c, uint64_t addr, enum vm_dis_use use, char *buf,
		       size_t n);

#endif
