// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump-compressed reader (common/dump/kdump.c, decompress.c, notes.c):
 * disk_dump_header, kdump_sub_header, VMCOREINFO and notes blocks, the two
 * bitmaps, page descriptors and compressed page data.  Seeds: the heads of
 * the real kdump fixtures and tests/data/dump/kdump-*.spec.
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
	return fz_dump_input(data, size, "KDUMP   ", 8);
}
