// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_disasm: common/disasm against binutils.  Each case is an encoding
 * and the text binutils prints for it: objdump 2.40
 * (objdump -D -b binary -m i386:x86-64 [-M intel]) where it agrees with
 * the gdb 10.2 in crash 8.0.2, else what crash printed on the fixtures
 * (marked).  Also the bad inputs: no bytes, an instruction cut short,
 * bytes that are no instruction.  TAP; exit 1 on a failure.
 */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disasm/disasm.h"

static int test_no, failed;

static void tap(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failed++;
}

struct tcase {
	const char *hex, *att, *intel;
};

static const struct tcase x86[] = {
	{ "55", "push   %rbp", "push   rbp" },
	{ "65488b1c2500ad0100", "mov    %gs:0x1ad00,%rbx", "mov    rbx,QWORD PTR gs:0x1ad00" },
	{ "0f1f440000", "nopl   0x0(%rax,%rax,1)", "nop    DWORD PTR [rax+rax*1+0x0]" },
	/* crash's (gdb 10.2); objdump 2.40 says "data16 cs nopw 0x0(...)" */
	{ "66662e0f1f840000000000", "data16 nopw %cs:0x0(%rax,%rax,1)", NULL },
	/* 5.10's ftrace NOP on QEMU (K8_NOP5_ATOMIC), crash's dis -l in
	 * tests/fixtures/x86_64-5.10/crash.txt; objdump 2.40 agrees */
	{ "6666666690", "data16 data16 data16 xchg %ax,%ax", "data16 data16 data16 xchg ax,ax" },
	{ "6690", "xchg   %ax,%ax", "xchg   ax,ax" },
	{ "f0480fb114f540950b83", "lock cmpxchg %rdx,-0x7cf46ac0(,%rsi,8)",
	  "lock cmpxchg QWORD PTR [rsi*8-0x7cf46ac0],rdx" },
	{ "c7400800000000", "movl   $0x0,0x8(%rax)", "mov    DWORD PTR [rax+0x8],0x0" },
	{ "d1e0", "shl    %eax", "shl    eax,1" },
	{ "d16008", "shll   0x8(%rax)", "shl    DWORD PTR [rax+0x8],1" },
	{ "d3e0", "shl    %cl,%eax", "shl    eax,cl" },
	{ "0fb9cc", "ud1    %esp,%ecx", "ud1    ecx,esp" },
	{ "0f01e8", "serialize ", "serialize " },
	{ "f30f09", "wbnoinvd ", "wbnoinvd " },
	{ "f30fc7f8", "rdpid  %rax", "rdpid  rax" },
	{ "660faef0", "tpause %eax", "tpause eax" },
	{ "f348ab", "rep stos %rax,%es:(%rdi)", "rep stos QWORD PTR es:[rdi],rax" },
	{ "a4", "movsb  %ds:(%rsi),%es:(%rdi)", "movs   BYTE PTR es:[rdi],BYTE PTR ds:[rsi]" },
	{ "ec", "in     (%dx),%al", "in     al,dx" },
	{ "ef", "out    %eax,(%dx)", "out    dx,eax" },
	{ "4863c7", "movslq %edi,%rax", "movsxd rax,edi" },
	{ "0fb6c0", "movzbl %al,%eax", "movzx  eax,al" },
	{ "83c8ff", "or     $0xffffffff,%eax", "or     eax,0xffffffff" },
	{ "4883e4f0", "and    $0xfffffffffffffff0,%rsp", "and    rsp,0xfffffffffffffff0" },
	{ "6690", "xchg   %ax,%ax", "xchg   ax,ax" },
	{ "8d742600", "lea    0x0(%rsi,%riz,1),%esi", "lea    esi,[rsi+riz*1+0x0]" },
	{ "488b4730", "mov    0x30(%rdi),%rax", "mov    rax,QWORD PTR [rdi+0x30]" },
	{ "65ff0595bee554", "incl   %gs:0x54e5be95(%rip)        # 0x54e5be9c",
	  "inc    DWORD PTR gs:[rip+0x54e5be95]        # 0x54e5be9c" },
	{ "e800000000", "call   0x5", "call   0x5" },
	/* crash's (gdb 10.2): a retpoline call keeps the cs prefix gcc puts
	 * on it (-mindirect-branch-cs-prefix) */
	{ "2ee800000000", "cs call 0x6", NULL },
};

static size_t unhex(const char *h, uint8_t *b)
{
	size_t n = 0;

	for (; h[0] && h[1]; h += 2) {
		unsigned v;

		sscanf(h, "%2x", &v);
		b[n++] = (uint8_t)v;
	}
	return n;
}

static void check(struct vm_dis *d, const char *hex, const char *want, const char *what)
{
	uint8_t b[32];
	size_t n = unhex(hex, b);
	struct vm_insn in;
	char text[512];
	unsigned len = vm_dis_one(d, b, n, 0, &in);

	vm_insn_text(d, &in, NULL, NULL, text, sizeof(text));
	tap(len == n && !strcmp(text, want), "%s %s: \"%s\" (%u of %zu bytes), binutils \"%s\"",
	    what, hex, text, len, n, want);
}

int main(void)
{
	struct vm_err e;
	struct vm_dis *att = vm_dis_open(EM_X86_64, VM_DIS_ATT, &e);
	struct vm_dis *intel = vm_dis_open(EM_X86_64, VM_DIS_INTEL, &e);
	struct vm_dis *a64 = vm_dis_open(EM_AARCH64, VM_DIS_ATT, &e);
	struct vm_insn in;
	char text[512];
	uint8_t b[16];
	size_t i;

	tap(att && intel && a64, "open the x86_64 and arm64 disassemblers");
	if (!att || !intel || !a64)
		return 1;
	for (i = 0; i < sizeof(x86) / sizeof(x86[0]); i++) {
		check(att, x86[i].hex, x86[i].att, "AT&T");
		if (x86[i].intel)
			check(intel, x86[i].hex, x86[i].intel, "Intel");
	}

	/* bad input: nothing, a call cut short, no instruction at all */
	tap(vm_dis_one(att, b, 0, 0, &in) == 1 && in.bad, "no bytes: one (bad) byte");
	unhex("e80000", b);
	tap(vm_dis_one(att, b, 3, 0, &in) == 1 && in.bad && !strcmp(in.mnemonic, "(bad)"),
	    "a call cut after 3 of 5 bytes: (bad)");
	unhex("06", b);   /* push %es: none in 64-bit mode */
	vm_dis_one(att, b, 1, 0, &in);
	vm_insn_text(att, &in, NULL, NULL, text, sizeof(text));
	tap(in.bad && !strcmp(text, "(bad)  "), "06 is no instruction in 64-bit mode: \"%s\"", text);

	/* flow and targets, what vmdis -r and the call checks rely on */
	unhex("e8fb0f0000", b);
	vm_dis_one(att, b, 5, 0x1000, &in);
	tap(in.flow == VM_FLOW_CALL && in.has_target && in.target == 0x2000,
	    "call rel32: flow call, target 0x2000");
	unhex("ffd0", b);
	vm_dis_one(att, b, 2, 0, &in);
	tap(in.flow == VM_FLOW_CALL && in.indirect && !strcmp(in.operands, "*%rax"),
	    "call *%%rax: indirect call");
	unhex("c3", b);
	vm_dis_one(att, b, 1, 0, &in);
	tap(in.flow == VM_FLOW_RET, "ret: flow ret");

	/* arm64 (binutils' layout; facts of the A64 encoding) */
	unhex("fd7bbfa9", b);   /* stp x29, x30, [sp, #-16]! */
	vm_dis_one(a64, b, 4, 0, &in);
	vm_insn_text(a64, &in, NULL, NULL, text, sizeof(text));
	tap(!strcmp(text, "stp\tx29, x30, [sp, #-16]!"), "arm64 stp pre-index: \"%s\"", text);
	unhex("3f2303d5", b);   /* hint #25 */
	vm_dis_one(a64, b, 4, 0, &in);
	tap(!strcmp(in.mnemonic, "paciasp"), "arm64 hint #25 is paciasp: \"%s\"", in.mnemonic);
	unhex("00000094", b);   /* bl . */
	vm_dis_one(a64, b, 4, 0x4000, &in);
	tap(in.flow == VM_FLOW_CALL && in.has_target && in.target == 0x4000,
	    "arm64 bl: flow call, target");
	unhex("010080d2", b);   /* movz x1, #0 */
	vm_dis_one(a64, b, 4, 0, &in);
	vm_insn_text(a64, &in, NULL, NULL, text, sizeof(text));
	tap(!strcmp(text, "mov\tx1, #0x0"), "arm64 movz as mov: \"%s\"", text);
	tap(vm_dis_one(a64, b, 2, 0, &in) == 2 && in.bad, "arm64: 2 of 4 bytes is (bad)");
	unhex("ffffffff", b);
	vm_dis_one(a64, b, 4, 0, &in);
	tap(in.bad && !strcmp(in.mnemonic, ".inst"), "arm64: undefined word is .inst");

	vm_dis_close(att);
	vm_dis_close(intel);
	vm_dis_close(a64);
	printf("1..%d\n", test_no);
	return failed ? 1 : 0;
}
