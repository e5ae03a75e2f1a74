// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * makedumpfile flattened format (common/dump/flat.c, src.c): the record
 * index, overlapping and out-of-order records, reads of the logical file
 * through it, and whichever reader the logical file holds.  Seeds: the
 * head of the flattened fixtures and tests/data/dump/flat-*.spec.
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
	/* "makedumpfile" and its NUL: the signature field is 16 bytes */
	return fz_dump_input(data, size, "makedumpfile\0\0\0", 16);
}
