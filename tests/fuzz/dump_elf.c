// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF64 vmcore reader (common/dump/elf.c, notes.c): ELF header, program
 * headers (e_phoff anywhere, PN_XNUM), PT_NOTE parsing, PT_LOAD lookups;
 * then the arch view (NT_PRSTATUS / QEMU register notes, page-table walks).
 * Seeds: the head of the QEMU ELF and makedumpfile -E fixtures and
 * tests/data/dump/elf-*.spec.
 */
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const defs[] = { FZ_COMMON_FLAGS, "-max_len=262144", NULL };

	fz_default_flags(argc, argv, defs);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_dump_input(data, size, "\177ELF", 4);
}
