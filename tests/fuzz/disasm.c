// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The disassembler (common/disasm: capstone, and the binutils-layout
 * formatting of x86_64 AT&T and Intel and of arm64, with the encodings
 * decoded by hand): code bytes come straight from a dump's memory, so any
 * bytes must give text, never a crash or an overrun.  Input: one byte
 * choosing the architecture and syntax, eight of base address, then code,
 * decoded through to its end as vmdis walks a function.  No seeds needed:
 * the input is code, any bytes are valid.
 */
#include "fuzz.h"

#include <elf.h>

#include "disasm/disasm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const defs[] = { FZ_COMMON_FLAGS, "-max_len=4096", NULL };

	fz_default_flags(argc, argv, defs);
	return 0;
}

static bool sym(void *arg, uint64_t addr, enum vm_dis_use use, char *buf, size_t n)
{
	(void)arg;
	if ((addr & 3) == 0)
		return false;
	snprintf(buf, n, "f%d+%u", (int)use, (unsigned)(addr & 0xff));
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_dis *d[3];
	struct vm_insn in;
	char text[600];
	uint64_t base = 0;
	size_t pos;
	unsigned k, i;

	if (!d[0]) {
		struct vm_err e;

		d[0] = vm_dis_open(EM_X86_64, VM_DIS_ATT, &e);
		d[1] = vm_dis_open(EM_X86_64, VM_DIS_INTEL, &e);
		d[2] = vm_dis_open(EM_AARCH64, VM_DIS_ATT, &e);
		if (!d[0] || !d[1] || !d[2])
			abort();
	}
	if (size < 9)
		return 0;
	k = data[0] % 3;
	for (i = 0; i < 8; i++)
		base |= (uint64_t)data[1 + i] << (8 * i);
	data += 9;
	size -= 9;
	for (pos = 0; pos < size;) {
		unsigned len = vm_dis_one(d[k], data + pos, size - pos, base + pos, &in);

		if (len == 0 || len > VM_INSN_MAX || len > size - pos + vm_dis_min_len(d[k]))
			abort();
		vm_insn_text(d[k], &in, sym, NULL, text, sizeof(text));
		if (strlen(text) >= sizeof(text))
			abort();
		pos += len;
	}
	return 0;
}
