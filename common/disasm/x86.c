// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 instructions in binutils' layout (what gdb, and so crash's `dis`,
 * prints), built from capstone's operand details.
 *
 * The rules are binutils' (opcodes/i386-dis.c, as in gdb 10.2 which crash
 * 8.0.2 embeds), checked against crash's output on the fixtures:
 *  - AT&T operands source first, joined by ',' without a space;
 *    Intel destination first with "SIZE PTR" on memory operands.
 *  - a size suffix (b/w/l/q) only where no register operand gives the
 *    size: "movl $0x0,(%rax)", "incl %gs:...", "mov %eax,(%rdx)";
 *    push/pop/call/jmp through memory have none in 64-bit mode.
 *  - immediates in hex, as unsigned numbers of the operand's size:
 *    "or $0xffffffff,%eax", "and $0xfffffffffffffff0,%rsp".
 *  - a displacement that is encoded is printed, zero too: "0x0(%rbp)",
 *    "nopl 0x0(%rax,%rax,1)"; negative ones with a minus sign; the index
 *    always with its scale; an address without base or index as an
 *    unsigned 64-bit number ("%gs:0x28").
 *  - a RIP-relative operand is followed by "        # 0xADDR" (the caller
 *    adds "<sym>").
 *  - prefixes that change nothing they could apply to are words before the
 *    mnemonic: "data16", "cs" (a retpoline call), "lock", "rep".
 */
#include "disasm_impl.h"
#include "../rd.h"

#include <stdio.h>
#include <string.h>

struct pfx {
	unsigned n66, n67;
	uint8_t seg;          /* last segment override, 0 if none */
	bool lock, rep, repne;
	uint8_t rex;
	unsigned len;         /* legacy + REX prefix bytes */
};

static void scan_prefixes(const uint8_t *b, unsigned len, struct pfx *p)
{
	unsigned i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < len; i++) {
		switch (b[i]) {
		case 0x66: p->n66++; continue;
		case 0x67: p->n67++; continue;
		case 0xf0: p->lock = true; continue;
		case 0xf2: p->repne = true; p->rep = false; continue;
		case 0xf3: p->rep = true; p->repne = false; continue;
		case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
			p->seg = b[i];
			continue;
		}
		break;
	}
	if (i < len && (b[i] & 0xf0) == 0x40) {
		p->rex = b[i];
		i++;
	}
	p->len = i;
}

static const char *seg_name(uint8_t b)
{
	switch (b) {
	case 0x2e: return "cs";
	case 0x36: return "ss";
	case 0x3e: return "ds";
	case 0x26: return "es";
	case 0x64: return "fs";
	case 0x65: return "gs";
	}
	return "";
}

static char size_suffix(unsigned size)
{
	switch (size) {
	case 1: return 'b';
	case 2: return 'w';
	case 4: return 'l';
	case 8: return 'q';
	}
	return 0;
}

static const char *intel_ptr(unsigned size)
{
	switch (size) {
	case 1: return "BYTE PTR ";
	case 2: return "WORD PTR ";
	case 4: return "DWORD PTR ";
	case 6: return "FWORD PTR ";
	case 8: return "QWORD PTR ";
	case 10: return "TBYTE PTR ";
	case 16: return "XMMWORD PTR ";
	case 32: return "YMMWORD PTR ";
	case 64: return "ZMMWORD PTR ";
	}
	return "";
}

static uint64_t mask(int64_t v, unsigned size)
{
	if (size >= 8 || size == 0)
		return (uint64_t)v;
	return (uint64_t)v & ((1ull << (8 * size)) - 1);
}

enum strop { S_NONE, S_STOS, S_LODS, S_SCAS, S_MOVS, S_CMPS, S_INS, S_OUTS };

static enum strop string_op(const cs_insn *ci)
{
	const cs_x86 *x = &ci->detail->x86;

	switch (ci->id) {
	case X86_INS_STOSB: case X86_INS_STOSW: case X86_INS_STOSD: case X86_INS_STOSQ:
		return S_STOS;
	case X86_INS_LODSB: case X86_INS_LODSW: case X86_INS_LODSD: case X86_INS_LODSQ:
		return S_LODS;
	case X86_INS_SCASB: case X86_INS_SCASW: case X86_INS_SCASD: case X86_INS_SCASQ:
		return S_SCAS;
	case X86_INS_CMPSB: case X86_INS_CMPSW: case X86_INS_CMPSD: case X86_INS_CMPSQ:
		/* CMPSD is also SSE2's compare of doubles (0f c2) */
		return x->opcode[0] == 0xa6 || x->opcode[0] == 0xa7 ? S_CMPS : S_NONE;
	case X86_INS_MOVSB: case X86_INS_MOVSW: case X86_INS_MOVSD: case X86_INS_MOVSQ:
		/* MOVSD is also SSE2's move of a double (f2 0f 10) */
		return x->opcode[0] == 0xa4 || x->opcode[0] == 0xa5 ? S_MOVS : S_NONE;
	case X86_INS_INSB: case X86_INS_INSW: case X86_INS_INSD:
		return S_INS;
	case X86_INS_OUTSB: case X86_INS_OUTSW: case X86_INS_OUTSD:
		return S_OUTS;
	}
	return S_NONE;
}

/* The operand size of a string instruction, from the opcode and prefixes. */
static unsigned string_size(const cs_x86 *x, const struct pfx *p)
{
	if (!(x->opcode[0] & 1))
		return 1;
	if (p->rex & 8)
		return 8;
	return p->n66 ? 2 : 4;
}

struct fmt {
	struct vm_dis *d;
	const cs_insn *ci;
	const cs_x86 *x;
	struct pfx p;
	bool intel;
	bool seg_used;        /* the segment prefix went into a memory operand */
	struct vm_insn *out;
};

static const char *reg(const struct fmt *f, x86_reg r)
{
	const char *n = cs_reg_name(f->d->h, r);

	return n ? n : "?";
}

static void put_reg(struct fmt *f, struct dis_buf *s, x86_reg r)
{
	dis_put(s, f->intel ? "%s" : "%%%s", reg(f, r));
}

static void put_signed(struct dis_buf *s, int64_t v, bool plus)
{
	if (v < 0)
		dis_put(s, "-0x%llx", (unsigned long long)(0 - (uint64_t)v));
	else
		dis_put(s, plus ? "+0x%llx" : "0x%llx", (unsigned long long)v);
}

/* Does the ModRM/SIB encoding of this instruction carry a displacement,
 * and a SIB byte? */
static void mem_encoding(const struct fmt *f, bool *disp, bool *sib)
{
	const cs_x86 *x = f->x;
	unsigned mod = x->modrm >> 6, rm = x->modrm & 7;

	*sib = f->x->encoding.modrm_offset && mod != 3 && rm == 4;
	*disp = x->encoding.disp_offset != 0;
	if (!f->x->encoding.modrm_offset)
		*disp = true;   /* moffs (a0-a3): an address only */
}

static void put_mem(struct fmt *f, struct dis_buf *s, const cs_x86_op *op, bool ptr)
{
	const x86_op_mem *m = &op->mem;
	bool riprel = m->base == X86_REG_RIP;
	bool havebase = m->base != X86_REG_INVALID && !riprel;
	bool haveindex = m->index != X86_REG_INVALID && m->index != X86_REG_RIZ &&
			 m->index != X86_REG_EIZ;
	bool hasdisp, sib, riz = false;
	const char *seg = NULL;

	mem_encoding(f, &hasdisp, &sib);
	if (m->segment != X86_REG_INVALID) {
		seg = reg(f, m->segment);
		f->seg_used = true;
	}
	/* binutils names a SIB byte without index that a plain ModRM could
	 * have said: "lea 0x0(%rsi,%riz,1),%esi" */
	if (sib && !haveindex && havebase && m->base != X86_REG_RSP &&
	    m->base != X86_REG_R12 && m->base != X86_REG_ESP && m->base != X86_REG_R12D)
		riz = true;
	if (riprel) {
		f->out->has_ref = true;
		f->out->ref = f->ci->address + f->ci->size + (uint64_t)m->disp;
	}
	if (f->intel) {
		if (ptr)
			dis_put(s, "%s", intel_ptr(op->size));
		if (seg)
			dis_put(s, "%s:", seg);
		if (!havebase && !haveindex && !riprel && !riz) {
			/* binutils says ds: for an absolute address */
			dis_put(s, "%s0x%llx", seg ? "" : "ds:", (unsigned long long)m->disp);
			return;
		}
		dis_put(s, "[");
		if (riprel)
			dis_put(s, "rip");
		else if (havebase)
			dis_put(s, "%s", reg(f, m->base));
		if (haveindex || riz)
			dis_put(s, "%s%s*%d", havebase ? "+" : "",
				    haveindex ? reg(f, m->index) : "riz", m->scale);
		if (hasdisp)
			put_signed(s, m->disp, true);
		dis_put(s, "]");
		return;
	}
	if (seg)
		dis_put(s, "%%%s:", seg);
	if (hasdisp) {
		if (havebase || haveindex || riprel || riz)
			put_signed(s, m->disp, false);
		else
			dis_put(s, "0x%llx", (unsigned long long)m->disp);
	}
	if (riprel) {
		dis_put(s, "(%%rip)");
	} else if (havebase || haveindex || riz) {
		dis_put(s, "(");
		if (havebase)
			dis_put(s, "%%%s", reg(f, m->base));
		if (haveindex || riz)
			dis_put(s, ",%%%s,%d", haveindex ? reg(f, m->index) : "riz",
				    m->scale);
		dis_put(s, ")");
	}
}

static bool is_branch(const cs_insn *ci)
{
	const cs_detail *dt = ci->detail;
	unsigned i;

	for (i = 0; i < dt->groups_count; i++)
		if (dt->groups[i] == CS_GRP_JUMP || dt->groups[i] == CS_GRP_CALL)
			return true;
	return false;
}

static bool in_group(const cs_insn *ci, uint8_t g)
{
	unsigned i;

	for (i = 0; i < ci->detail->groups_count; i++)
		if (ci->detail->groups[i] == g)
			return true;
	return false;
}

/* Instructions binutils gives a size suffix when no register says the
 * size (its templates with the 'S'/'Q' size markers that matter in
 * 64-bit code). */
static bool suffixable(unsigned id)
{
	switch (id) {
	case X86_INS_MOV: case X86_INS_ADD: case X86_INS_SUB: case X86_INS_AND:
	case X86_INS_OR: case X86_INS_XOR: case X86_INS_ADC: case X86_INS_SBB:
	case X86_INS_CMP: case X86_INS_TEST: case X86_INS_INC: case X86_INS_DEC:
	case X86_INS_NEG: case X86_INS_NOT: case X86_INS_MUL: case X86_INS_IMUL:
	case X86_INS_DIV: case X86_INS_IDIV: case X86_INS_SHL: case X86_INS_SHR:
	case X86_INS_SAR: case X86_INS_SAL: case X86_INS_ROL: case X86_INS_ROR:
	case X86_INS_RCL: case X86_INS_RCR: case X86_INS_BT: case X86_INS_BTS:
	case X86_INS_BTR: case X86_INS_BTC: case X86_INS_NOP:
		return true;
	}
	return false;
}

static bool shift(unsigned id)
{
	switch (id) {
	case X86_INS_SHL: case X86_INS_SHR: case X86_INS_SAR: case X86_INS_SAL:
	case X86_INS_ROL: case X86_INS_ROR: case X86_INS_RCL: case X86_INS_RCR:
		return true;
	}
	return false;
}

/* A register operand that is a shift count does not give the size. */
static bool sizing_reg(const struct fmt *f, unsigned i)
{
	const cs_x86_op *op = &f->x->operands[i];

	if (op->type != X86_OP_REG)
		return false;
	if (op->reg == X86_REG_CL && i > 0 && shift(f->ci->id))
		return false;   /* shll %cl,(%rax) */
	return true;
}

static bool shift_by_one(const struct fmt *f)
{
	uint8_t op = f->x->opcode[0];

	return (op == 0xd0 || op == 0xd1) && f->x->op_count == 2 &&
	       f->x->operands[1].type == X86_OP_IMM;
}

static void put_operand(struct fmt *f, struct dis_buf *s, unsigned i)
{
	const cs_x86_op *op = &f->x->operands[i];
	bool branch = is_branch(f->ci);

	switch (op->type) {
	case X86_OP_REG:
		if (branch)
			dis_put(s, f->intel ? "" : "*");
		/* binutils writes the port of in/out as a memory operand */
		if (op->reg == X86_REG_DX && !f->intel &&
		    (f->ci->id == X86_INS_IN || f->ci->id == X86_INS_OUT)) {
			dis_put(s, "(%%dx)");
			break;
		}
		put_reg(f, s, op->reg);
		break;
	case X86_OP_IMM:
		if (branch) {
			f->out->has_target = true;
			f->out->target = (uint64_t)op->imm;
			dis_put(s, "0x%llx", (unsigned long long)op->imm);
		} else if (f->intel && i == 1 && shift_by_one(f)) {
			dis_put(s, "1");   /* d0/d1: binutils' "shl eax,1" */
		} else {
			dis_put(s, f->intel ? "0x%llx" : "$0x%llx",
				    (unsigned long long)mask(op->imm, op->size));
		}
		break;
	case X86_OP_MEM:
		if (branch && !f->intel)
			dis_put(s, "*");
		put_mem(f, s, op, f->ci->id != X86_INS_LEA);
		break;
	default:
		dis_put(s, "?");
		break;
	}
}

/* stos %eax,%es:(%rdi) and friends: binutils spells out the implicit
 * operands. */
static void string_operands(struct fmt *f, struct dis_buf *s, enum strop k)
{
	static const char *const acc[][9] = {
		{ [1] = "al", [2] = "ax", [4] = "eax", [8] = "rax" },
	};
	unsigned size = string_size(f->x, &f->p);
	const char *a = acc[0][size];
	bool a32 = f->p.n67 > 0;
	const char *di = a32 ? "edi" : "rdi", *si = a32 ? "esi" : "rsi";
	const char *ptr = f->intel ? intel_ptr(size) : "";
	char dst[48], src[48];

	if (f->intel) {
		snprintf(dst, sizeof(dst), "%ses:[%s]", ptr, di);
		snprintf(src, sizeof(src), "%s%s:[%s]", ptr,
			 f->p.seg ? seg_name(f->p.seg) : "ds", si);
	} else {
		snprintf(dst, sizeof(dst), "%%es:(%%%s)", di);
		snprintf(src, sizeof(src), "%%%s:(%%%s)", f->p.seg ? seg_name(f->p.seg) : "ds", si);
	}
	f->seg_used = true;
	switch (k) {
	case S_STOS:
		if (f->intel)
			dis_put(s, "%s,%s", dst, a);
		else
			dis_put(s, "%%%s,%s", a, dst);
		break;
	case S_LODS:
		if (f->intel)
			dis_put(s, "%s,%s", a, src);
		else
			dis_put(s, "%s,%%%s", src, a);
		break;
	case S_SCAS:
		if (f->intel)
			dis_put(s, "%s,%s", a, dst);
		else
			dis_put(s, "%s,%%%s", dst, a);
		break;
	case S_MOVS:
		if (f->intel)
			dis_put(s, "%s,%s", dst, src);
		else
			dis_put(s, "%s,%s", src, dst);
		break;
	case S_CMPS:
		if (f->intel)
			dis_put(s, "%s,%s", src, dst);
		else
			dis_put(s, "%s,%s", dst, src);
		break;
	case S_INS:
		if (f->intel)
			dis_put(s, "%s,dx", dst);
		else
			dis_put(s, "(%%dx),%s", dst);
		break;
	case S_OUTS:
		if (f->intel)
			dis_put(s, "dx,%s", src);
		else
			dis_put(s, "%s,(%%dx)", src);
		break;
	case S_NONE:
		break;
	}
}

static void string_mnemonic(struct fmt *f, struct dis_buf *s, enum strop k)
{
	static const char *const base[] = {
		[S_STOS] = "stos", [S_LODS] = "lods", [S_SCAS] = "scas", [S_MOVS] = "movs",
		[S_CMPS] = "cmps", [S_INS] = "ins", [S_OUTS] = "outs",
	};
	char sfx = size_suffix(string_size(f->x, &f->p));

	if (f->p.rep)
		dis_put(s, k == S_CMPS || k == S_SCAS ? "repz " : "rep ");
	else if (f->p.repne)
		dis_put(s, k == S_CMPS || k == S_SCAS ? "repnz " : "repnz ");
	/* binutils suffixes the ones whose operands are both memory */
	if (!f->intel && (k == S_MOVS || k == S_CMPS || k == S_INS || k == S_OUTS))
		dis_put(s, "%s%c", base[k], sfx);
	else
		dis_put(s, "%s", base[k]);
}

/* binutils' name where it is not capstone's. */
static const char *gnu_name(const struct fmt *f, const char *name)
{
	bool w = f->p.rex & 8;

	switch (f->ci->id) {
	case X86_INS_CDQE: return f->intel ? "cdqe" : "cltq";
	case X86_INS_CQO: return f->intel ? "cqo" : "cqto";
	case X86_INS_CDQ: return f->intel ? "cdq" : "cltd";
	case X86_INS_CWDE: return f->intel ? "cwde" : "cwtl";
	case X86_INS_CBW: return f->intel ? "cbw" : "cbtw";
	case X86_INS_CWD: return f->intel ? "cwd" : "cwtd";
	case X86_INS_MOVSXD: return f->intel ? "movsxd" : "movslq";
	case X86_INS_PUSHFQ: return "pushf";
	case X86_INS_POPFQ: return "popf";
	case X86_INS_RETF: case X86_INS_RETFQ: return w ? "lretq" : "lret";
	case X86_INS_SYSRET: return w ? "sysretq" : "sysretl";
	case X86_INS_UD2B: return "ud1";
	}
	return name;
}

/*
 * ud1 (0f b9 /r): capstone 4 decodes it without its ModRM byte ("ud2b",
 * two bytes), binutils with it; the kernel's static-call trampolines end
 * in "ud1 %esp,%ecx" (0f b9 cc) as a signature.  Register forms and
 * ModRM memory forms without SIB are decoded here.
 */
static bool ud1(struct fmt *f, const uint8_t *code, size_t len)
{
	static const char *const r64[] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	static const char *const r32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
		"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
	const char *const *rn = f->p.rex & 8 ? r64 : r32;
	struct vm_insn *out = f->out;
	unsigned at = f->p.len + 2, mod, reg, rm, n;
	struct dis_buf s;
	int64_t disp = 0;
	char m[64];

	if (len < at + 1 || code[f->p.len] != 0x0f || code[f->p.len + 1] != 0xb9)
		return false;
	mod = code[at] >> 6;
	reg = (code[at] >> 3 & 7) | (f->p.rex & 4 ? 8 : 0);
	rm = (code[at] & 7) | (f->p.rex & 1 ? 8 : 0);
	n = at + 1;
	if (mod != 3 && (rm & 7) == 4)
		return false;   /* SIB: not seen in kernel code */
	if (mod == 1 || mod == 2 || (mod == 0 && (rm & 7) == 5)) {
		unsigned dl = mod == 1 ? 1 : 4;

		if (len < n + dl)
			return false;
		disp = dl == 1 ? (int8_t)code[n]
			       : (int32_t)vm_le32(code + n);
		n += dl;
	}
	if (n > VM_INSN_MAX)
		return false;
	out->len = n;
	memcpy(out->bytes, code, n);
	dis_buf_init(&s, m, sizeof(m));
	if (mod == 3) {
		dis_put(&s, f->intel ? "%s" : "%%%s", rn[rm]);
	} else if (mod == 0 && (rm & 7) == 5) {
		out->has_ref = true;
		out->ref = out->addr + n + (uint64_t)disp;
		if (f->intel) {
			dis_put(&s, "%s[rip", intel_ptr(f->p.rex & 8 ? 8 : 4));
			put_signed(&s, disp, true);
			dis_put(&s, "]");
		} else {
			put_signed(&s, disp, false);
			dis_put(&s, "(%%rip)");
		}
	} else if (f->intel) {
		dis_put(&s, "%s[%s", intel_ptr(f->p.rex & 8 ? 8 : 4), r64[rm]);
		if (mod)
			put_signed(&s, disp, true);
		dis_put(&s, "]");
	} else {
		if (mod)
			put_signed(&s, disp, false);
		dis_put(&s, "(%%%s)", r64[rm]);
	}
	snprintf(out->mnemonic, sizeof(out->mnemonic), "ud1");
	if (f->intel)
		snprintf(out->operands, sizeof(out->operands), "%s,%s", rn[reg], m);
	else
		snprintf(out->operands, sizeof(out->operands), "%s,%%%s", m, rn[reg]);
	out->flow = VM_FLOW_STOP;
	return true;
}

/*
 * Instructions capstone 4 does not know, or worse, decodes as another
 * one (f3 0f 09 as wbinvd, 66 0f ae f0 as mfence, f3 0f c7 f8 as rdseed):
 * the ones kernels use, by their encoding (Intel SDM vol. 2).
 */
struct special {
	uint8_t pfx;            /* mandatory prefix: 0, 0x66, 0xf2, 0xf3 */
	uint8_t op[3];
	uint8_t nop;            /* opcode bytes */
	int8_t reg;             /* ModRM reg field for "op /r" forms, -1: none */
	const char *name;
	uint8_t rsize;          /* ModRM rm register operand: 4, 8, 0 none,
	                           9 = 8 with REX.W else 4 (and name + 'q'/'d') */
};

static const struct special specials[] = {
	{ 0, { 0x0f, 0x01, 0xe8 }, 3, -1, "serialize", 0 },
	{ 0xf3, { 0x0f, 0x01, 0xe8 }, 3, -1, "setssbsy", 0 },
	{ 0xf3, { 0x0f, 0x09 }, 2, -1, "wbnoinvd", 0 },
	{ 0, { 0x0f, 0x01, 0xee }, 3, -1, "rdpkru", 0 },
	{ 0, { 0x0f, 0x01, 0xef }, 3, -1, "wrpkru", 0 },
	{ 0, { 0x0f, 0x01, 0xc5 }, 3, -1, "pconfig", 0 },
	{ 0x66, { 0x0f, 0x01, 0xcc }, 3, -1, "tdcall", 0 },
	{ 0x66, { 0x0f, 0x01, 0xcf }, 3, -1, "seamcall", 0 },
	{ 0xf3, { 0x0f, 0xc7 }, 2, 7, "rdpid", 8 },
	{ 0x66, { 0x0f, 0xae }, 2, 6, "tpause", 4 },
	{ 0xf2, { 0x0f, 0xae }, 2, 6, "umwait", 4 },
	{ 0xf3, { 0x0f, 0xae }, 2, 6, "umonitor", 8 },
	{ 0xf3, { 0x0f, 0xae }, 2, 5, "incssp", 9 },
	{ 0xf3, { 0x0f, 0x1e }, 2, 1, "rdssp", 9 },
};

bool vm_dis_x86_special(struct vm_dis *d, const uint8_t *code, size_t len,
			struct vm_insn *out)
{
	static const char *const r64[] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	static const char *const r32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
		"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
	struct pfx p;
	unsigned i, at, n, mandatory = 0;

	scan_prefixes(code, len > VM_INSN_MAX ? VM_INSN_MAX : (unsigned)len, &p);
	if (p.n66)
		mandatory = 0x66;
	if (p.rep)
		mandatory = 0xf3;
	if (p.repne)
		mandatory = 0xf2;
	/* only the mandatory prefix, and REX, may come with these */
	if (p.n66 + p.rep + p.repne > 1 || p.lock || p.seg || p.n67)
		return false;
	at = p.len;
	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
		const struct special *s = &specials[i];
		unsigned rm, size = s->rsize;
		char name[24];

		if (s->pfx != mandatory || len < at + s->nop + (s->reg >= 0) ||
		    memcmp(code + at, s->op, s->nop))
			continue;
		n = at + s->nop;
		if (s->reg >= 0) {
			uint8_t m = code[n];

			if (m >> 6 != 3 || ((m >> 3) & 7) != (unsigned)s->reg)
				continue;
			rm = (m & 7) | (p.rex & 1 ? 8 : 0);
			n++;
		} else {
			rm = 0;
		}
		if (n > VM_INSN_MAX)
			return false;
		out->len = n;
		memcpy(out->bytes, code, n);
		snprintf(name, sizeof(name), "%s", s->name);
		if (size == 9) {
			size = p.rex & 8 ? 8 : 4;
			snprintf(name, sizeof(name), "%s%c", s->name, size == 8 ? 'q' : 'd');
		}
		snprintf(out->mnemonic, sizeof(out->mnemonic), "%s", name);
		if (size)
			snprintf(out->operands, sizeof(out->operands),
				 d->syntax == VM_DIS_INTEL ? "%s" : "%%%s",
				 size == 8 ? r64[rm] : r32[rm]);
		return true;
	}
	return false;
}

bool vm_dis_x86_format(struct vm_dis *d, const cs_insn *ci, const uint8_t *code,
		       size_t len, struct vm_insn *out)
{
	struct fmt f = { .d = d, .ci = ci, .x = &ci->detail->x86, .out = out,
			 .intel = d->syntax == VM_DIS_INTEL };
	struct dis_buf mn, ops;
	const char *name = gnu_name(&f, cs_insn_name(d->h, ci->id));
	enum strop sk = string_op(ci);
	unsigned i, nops = f.x->op_count;
	bool branch = is_branch(ci), anyreg = false, hasmem = false;
	char words[64] = "";
	struct dis_buf w;

	scan_prefixes(ci->bytes, ci->size, &f.p);
	if (!name)
		return false;
	if (ci->id == X86_INS_UD2B)
		return ud1(&f, code, len);
	dis_buf_init(&ops, out->operands, sizeof(out->operands));
	if (shift_by_one(&f) && !f.intel)
		nops = 1;
	if (sk != S_NONE) {
		string_operands(&f, &ops, sk);
	} else if (ci->id == X86_INS_NOP && nops == 0 && f.p.n66 >= 1 &&
		   ci->size == f.p.n66 + 1 && ci->bytes[ci->size - 1] == 0x90) {
		/* 66 90, and 66 66 66 66 90 (K8_NOP5_ATOMIC: the ftrace NOP
		 * that kernels before v5.14's fixed NOPs chose on a K8-like
		 * CPU such as QEMU's qemu64): binutils calls it what it is,
		 * the other 66s "data16" */
		dis_put(&ops, f.intel ? "ax,ax" : "%%ax,%%ax");
		name = "xchg";
	} else {
		bool reverse = !f.intel && ci->id != X86_INS_ENTER;

		for (i = 0; i < nops; i++) {
			unsigned k = reverse ? nops - 1 - i : i;

			if (i)
				dis_put(&ops, ",");
			put_operand(&f, &ops, k);
		}
	}
	for (i = 0; i < f.x->op_count; i++) {
		if (sizing_reg(&f, i))
			anyreg = true;
		if (f.x->operands[i].type == X86_OP_MEM)
			hasmem = true;
	}

	/* prefix words */
	dis_buf_init(&w, words, sizeof(words));
	if (f.p.n66 > 1 && sk == S_NONE)
		for (i = 1; i < f.p.n66; i++)
			dis_put(&w, "data16 ");
	if (f.p.lock)
		dis_put(&w, "lock ");
	if (sk == S_NONE) {
		if (f.p.rep && (ci->id == X86_INS_RET))
			dis_put(&w, "repz ");
		else if (f.p.repne && (branch || ci->id == X86_INS_RET))
			dis_put(&w, "bnd ");
	}
	if (f.p.seg && !f.seg_used) {
		if (f.p.seg == 0x3e && branch && nops == 1 &&
		    f.x->operands[0].type != X86_OP_IMM)
			dis_put(&w, "notrack ");
		else
			dis_put(&w, "%s ", seg_name(f.p.seg));
	}
	if (f.p.n67 && !hasmem && sk == S_NONE)
		dis_put(&w, "addr32 ");

	dis_buf_init(&mn, out->mnemonic, sizeof(out->mnemonic));
	dis_put(&mn, "%s", words);
	if (sk != S_NONE) {
		string_mnemonic(&f, &mn, sk);
	} else if (!f.intel && (ci->id == X86_INS_MOVZX || ci->id == X86_INS_MOVSX) &&
		   nops == 2) {
		dis_put(&mn, "%s%c%c", ci->id == X86_INS_MOVZX ? "movz" : "movs",
			    size_suffix(f.x->operands[1].size),
			    size_suffix(f.x->operands[0].size));
	} else {
		char sfx = 0;

		if (!f.intel && !anyreg && hasmem && suffixable(ci->id))
			for (i = 0; i < f.x->op_count && !sfx; i++)
				if (f.x->operands[i].type == X86_OP_MEM)
					sfx = size_suffix(f.x->operands[i].size);
		dis_put(&mn, "%s", name);
		if (sfx)
			dis_put(&mn, "%c", sfx);
	}
	/* what it does to the flow */
	if (in_group(ci, CS_GRP_CALL))
		out->flow = VM_FLOW_CALL;
	else if (in_group(ci, CS_GRP_RET) || in_group(ci, CS_GRP_IRET))
		out->flow = VM_FLOW_RET;
	else if (ci->id == X86_INS_JMP || ci->id == X86_INS_LJMP)
		out->flow = VM_FLOW_JUMP;
	else if (in_group(ci, CS_GRP_JUMP))
		out->flow = VM_FLOW_BRANCH;
	else if (ci->id == X86_INS_UD2 || ci->id == X86_INS_HLT)
		out->flow = VM_FLOW_STOP;
	out->indirect = (out->flow == VM_FLOW_CALL || out->flow == VM_FLOW_JUMP) &&
			!out->has_target;
	return true;
}
