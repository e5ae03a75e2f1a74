// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DWARF backend (common/types/dwarf*.c, common/elf/) on an ELF file with
 * debug sections, as given with -k: our ELF section reader, the name index
 * scan, DIE decoding through libdwarf, then lookups, printing and member
 * walks (typewalk.h); then the line tables (types/lines.c: .debug_aranges,
 * the line program decoder, inlined calls).  The on-disk index cache is
 * off (-o nocache).  Seeds: crashmod.ko and small objects with DWARF 4
 * and 5.
 */
#include "fuzz.h"
#include "typewalk.h"
#include "types/lines.h"

/* Objects and modules whose sections were not placed have their code
 * from address 0: a row and the inlined calls every few bytes there. */
static void exercise_lines(const char *path)
{
	struct vm_inline_frame inl[8];
	struct vm_lines *l;
	struct vm_line ln;
	struct vm_err e;
	uint64_t a;

	l = vm_lines_open(path, false, &e);
	if (!l)
		return;
	for (a = 0; a < 0x2000; a += 7)
		if (vm_lines_addr(l, a, &ln, &e) > 0)
			vm_lines_inlines(l, a, inl, 8, &e);
	vm_lines_close(l);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* 64 KiB: the small-object seeds and module BTF mutate at ~10k
	 * executions a second, a 200 KiB module or a vmlinux's BTF at a tenth
	 * of that; tests/fuzz.bats replays the full-size seeds */
	static const char *const defs[] = { FZ_COMMON_FLAGS, "-max_len=65536", NULL };

	fz_default_flags(argc, argv, defs);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_opts o;
	struct vm_types *ts;
	struct vm_err e;

	memset(&o, 0, sizeof(o));
	vm_opts_add_override(&o, "nocache", NULL);
	ts = vm_types_new(&o, &e);
	if (!ts)
		return 0;
	if (vm_types_add_dwarf(ts, fz_file(data, size), &e) == 0) {
		fz_exercise_types(ts, data, size);
		if (getenv("FZ_VERBOSE")) {
			uint64_t sz = 0;
			int r = vm_types_sizeof(ts, "struct task_struct", &sz, &e);

			fprintf(stderr, "dwarf: sizeof(struct task_struct) %s %llu\n",
				r ? e.msg : "=", (unsigned long long)sz);
		}
	} else if (getenv("FZ_VERBOSE")) {
		fprintf(stderr, "dwarf: %s\n", e.msg);
	}
	vm_types_free(ts);
	exercise_lines(fz_file(data, size));
	return 0;
}
