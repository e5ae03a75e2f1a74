// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 instructions in binutils' layout (gdb, crash on arm64): mnemonic,
 * a tab, the operands; branch targets and adr/adrp addresses as plain
 * addresses (the caller adds "<sym+off>"); load/store offsets in decimal
 * ("[sp, #-48]!"); other immediates in hex as capstone writes them.
 * The hint-space instructions that pointer authentication and BTI kernels
 * start their functions with get their names (capstone 4 says "hint #0x19"
 * where binutils says "paciasp").
 */
#include "disasm_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *hint_name(unsigned imm)
{
	switch (imm) {
	case 7: return "xpaclri";
	case 8: return "pacia1716";
	case 10: return "pacib1716";
	case 12: return "autia1716";
	case 14: return "autib1716";
	case 16: return "esb";
	case 17: return "psb\tcsync";
	case 18: return "tsb\tcsync";
	case 20: return "csdb";
	case 24: return "paciaz";
	case 25: return "paciasp";
	case 26: return "pacibz";
	case 27: return "pacibsp";
	case 28: return "autiaz";
	case 29: return "autiasp";
	case 30: return "autibz";
	case 31: return "autibsp";
	case 32: return "bti";
	case 34: return "bti\tc";
	case 36: return "bti\tj";
	case 38: return "bti\tjc";
	}
	return NULL;
}

static bool in_group(const cs_insn *ci, uint8_t g)
{
	unsigned i;

	for (i = 0; i < ci->detail->groups_count; i++)
		if (ci->detail->groups[i] == g)
			return true;
	return false;
}

/* The last immediate operand: the branch target or adr/adrp address. */
static bool last_imm(const cs_insn *ci, uint64_t *v)
{
	const cs_arm64 *a = &ci->detail->arm64;

	if (!a->op_count || a->operands[a->op_count - 1].type != ARM64_OP_IMM)
		return false;
	*v = (uint64_t)a->operands[a->op_count - 1].imm;
	return true;
}

/*
 * Copy capstone's operand text, turning "#0x.." inside a memory operand
 * ([..] and the post-index amount after it) into decimal, and dropping the
 * '#' of the last operand when it is an address.
 */
static void rewrite_ops(const char *in, bool addr_last, struct dis_buf *s)
{
	const char *last = addr_last ? strrchr(in, '#') : NULL;
	bool inmem = false, postidx = false;
	const char *p;

	for (p = in; *p; p++) {
		if (*p == '[')
			inmem = true;
		else if (*p == ']') {
			inmem = false;
			postidx = true;
		}
		if (*p == '#' && p == last) {
			continue;
		}
		if (*p == '#' && (inmem || postidx) &&
		    (!strncmp(p + 1, "0x", 2) || !strncmp(p + 1, "-0x", 3))) {
			bool neg = p[1] == '-';
			char *end;
			unsigned long long v = strtoull(p + (neg ? 4 : 3), &end, 16);

			dis_put(s, "#%s%llu", neg ? "-" : "", v);
			p = end - 1;
			continue;
		}
		dis_put(s, "%c", *p);
	}
}

/* movz/movn Rd, #imm{, lsl #s} as binutils' "mov Rd, #value", where
 * its alias rule allows (not movz of 0 with a shift). */
static bool mov_alias(const cs_insn *ci, struct dis_buf *ops)
{
	const cs_arm64 *a = &ci->detail->arm64;
	const cs_arm64_op *im;
	uint64_t v;
	unsigned sh;
	bool w;

	if (a->op_count != 2 || a->operands[0].type != ARM64_OP_REG ||
	    a->operands[1].type != ARM64_OP_IMM)
		return false;
	im = &a->operands[1];
	sh = im->shift.type == ARM64_SFT_LSL ? im->shift.value : 0;
	if (sh > 48 || (ci->id == ARM64_INS_MOVZ && im->imm == 0 && sh))
		return false;
	v = (uint64_t)im->imm << sh;
	if (ci->id == ARM64_INS_MOVN)
		v = ~v;
	w = ci->op_str[0] == 'w';
	if (w)
		v &= 0xffffffffu;
	/* the register as capstone wrote it: up to the first comma */
	dis_put(ops, "%.*s, #0x%llx", (int)strcspn(ci->op_str, ","), ci->op_str,
		(unsigned long long)v);
	return true;
}

bool vm_dis_arm64_format(struct vm_dis *d, const cs_insn *ci, const uint8_t *code,
			 size_t len, struct vm_insn *out)
{
	struct dis_buf mn, ops;
	uint64_t v = 0;
	bool addr_last = false;
	unsigned id = ci->id;

	(void)d;
	(void)code;
	(void)len;
	dis_buf_init(&mn, out->mnemonic, sizeof(out->mnemonic));
	dis_buf_init(&ops, out->operands, sizeof(out->operands));
	if (id == ARM64_INS_HINT && ci->detail->arm64.op_count == 1 &&
	    ci->detail->arm64.operands[0].type == ARM64_OP_IMM) {
		const char *h = hint_name((unsigned)ci->detail->arm64.operands[0].imm);

		if (h) {
			const char *tab = strchr(h, '\t');

			if (tab) {
				dis_put(&mn, "%.*s", (int)(tab - h), h);
				dis_put(&ops, "%s", tab + 1);
			} else {
				dis_put(&mn, "%s", h);
			}
			return true;
		}
	}
	/* binutils writes movz/movn as mov of the value they make */
	if ((id == ARM64_INS_MOVZ || id == ARM64_INS_MOVN) && mov_alias(ci, &ops)) {
		dis_put(&mn, "mov");
		return true;
	}
	dis_put(&mn, "%s", ci->mnemonic);
	switch (id) {
	case ARM64_INS_BL:
		out->flow = VM_FLOW_CALL;
		addr_last = true;
		break;
	case ARM64_INS_BLR:
		out->flow = VM_FLOW_CALL;
		out->indirect = true;
		break;
	case ARM64_INS_B:
		/* b.cond is ARM64_INS_B with a condition code */
		out->flow = ci->detail->arm64.cc != ARM64_CC_INVALID &&
			    ci->detail->arm64.cc != ARM64_CC_AL ? VM_FLOW_BRANCH : VM_FLOW_JUMP;
		addr_last = true;
		break;
	case ARM64_INS_BR:
		out->flow = VM_FLOW_JUMP;
		out->indirect = true;
		break;
	case ARM64_INS_CBZ: case ARM64_INS_CBNZ: case ARM64_INS_TBZ: case ARM64_INS_TBNZ:
		out->flow = VM_FLOW_BRANCH;
		addr_last = true;
		break;
	case ARM64_INS_RET: case ARM64_INS_ERET:
		out->flow = VM_FLOW_RET;
		break;
	case ARM64_INS_BRK: case ARM64_INS_HLT:
		out->flow = VM_FLOW_STOP;
		break;
	case ARM64_INS_ADR: case ARM64_INS_ADRP:
		addr_last = true;
		break;
	default:
		if (in_group(ci, CS_GRP_CALL))
			out->flow = VM_FLOW_CALL;
		else if (in_group(ci, CS_GRP_RET))
			out->flow = VM_FLOW_RET;
		break;
	}
	if (addr_last && !last_imm(ci, &v))
		addr_last = false;
	rewrite_ops(ci->op_str, addr_last, &ops);
	if (addr_last) {
		if (id == ARM64_INS_ADR || id == ARM64_INS_ADRP) {
			out->has_ref = true;
			out->ref = v;
		} else {
			out->has_target = true;
			out->target = v;
		}
	}
	return true;
}
