/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Machine code to text, as gdb (and so crash's `dis`) prints it.
 *
 * Capstone decodes; this layer writes the text itself from capstone's
 * operand details, because capstone's own AT&T printer is LLVM's (size
 * suffixes on every mnemonic, ", " between operands, small numbers in
 * decimal, no 0x0 displacements) and crash users read binutils' layout:
 *
 *   x86_64 AT&T:  mov    0x30(%r12),%rax
 *                 incl   %gs:0x54e5be95(%rip)        # 0x1acc0
 *                 call   0xffffffff81244aa0 <generic_shutdown_super+96>
 *   x86_64 Intel: mov    rax,QWORD PTR [r12+0x30]
 *   arm64:        bl     0xffff800008123450 <panic>
 *
 * The layer knows nothing of symbols or dumps: a branch target and an
 * address an instruction computes (RIP-relative operand, adrp) are given
 * back as numbers, and vm_insn_text() asks the caller's symbolizer for the
 * "<name+off>" that follows them.
 */
#ifndef VM_DISASM_H
#define VM_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../err.h"
#include "../vmcore_types.h"

struct vm_dis;

/* e_machine: EM_X86_64 or EM_AARCH64 (elf.h). */
struct vm_dis *vm_dis_open(uint16_t e_machine, enum vm_dis_syntax syntax,
			   struct vm_err *e);
void vm_dis_close(struct vm_dis *d);

/* Longest and shortest instruction of the architecture. */
unsigned vm_dis_max_len(const struct vm_dis *d);
unsigned vm_dis_min_len(const struct vm_dis *d);

/*
 * Decode the instruction at code[0..len) (address addr).  Always fills
 * *out and returns its length (>= 1): bytes that are no instruction give a
 * "(bad)" one of the architecture's shortest length, as gdb shows them.
 * len smaller than the instruction also gives "(bad)".
 */
unsigned vm_dis_one(struct vm_dis *d, const uint8_t *code, size_t len, uint64_t addr,
		    struct vm_insn *out);

/* What an address in an instruction is. */
enum vm_dis_use {
	VM_USE_JUMP,     /* target of a jump or conditional branch */
	VM_USE_CALL,     /* target of a call */
	VM_USE_REF,      /* an address the instruction computes */
};

/* "<name+off>" for addr into buf (without the brackets); false if there
 * is no symbol there (or none should be shown for this use). */
typedef bool (*vm_dis_symbolizer)(void *arg, uint64_t addr, enum vm_dis_use use,
				  char *buf, size_t n);

/*
 * The instruction as gdb prints it after "ADDR <sym+off>:\t": mnemonic
 * padded to 6 columns and a space, the operands, and the target or
 * reference annotations (sym may be NULL: addresses only).
 */
void vm_insn_text(const struct vm_dis *d, const struct vm_insn *i,
		  vm_dis_symbolizer sym, void *arg, char *buf, size_t n);

#endif
