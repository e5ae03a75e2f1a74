// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbol files given with -k / -m (common/symbols/elf.c, sysmap.c): an
 * ELF .symtab (the input starts with the ELF magic) or a System.map (any
 * other input), then lookups by address and name.  Seeds: crashmod.ko,
 * small objects, the head of the fixture System.map.
 */
#include "fuzz.h"

#include "symbols/symbols.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const defs[] = { FZ_COMMON_FLAGS, "-max_len=262144", NULL };

	fz_default_flags(argc, argv, defs);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_symtab *st;
	struct vm_err e;
	volatile uint64_t sink = 0;
	const char *path = fz_file(data, size);
	int r;

	st = vm_symtab_new(&e);
	if (!st)
		return 0;
	if (size >= 4 && !memcmp(data, "\177ELF", 4))
		r = vm_symtab_load_elf(st, path, 0x1000, &e);
	else
		r = vm_symtab_load_sysmap(st, path, 0x1000, &e);
	if (r == 0) {
		size_t n = vm_symtab_count(st), i;
		const struct vm_sym *s, *all[4];
		uint64_t off;

		for (i = 0; i < n && i < 32; i++) {
			s = vm_symtab_at(st, i * (n / 32 + 1) < n ? i * (n / 32 + 1) : n - 1);
			sink += s->addr + strlen(s->name);
			if ((s = vm_sym_by_addr(st, s->addr + 3, &off)))
				sink += off;
			if (vm_sym_by_name_all(st, vm_symtab_at(st, i)->name, NULL, all, 4))
				sink++;
		}
		vm_sym_by_addr(st, 0, &off);
		vm_sym_by_addr(st, UINT64_MAX, &off);
		if (getenv("FZ_VERBOSE"))
			fprintf(stderr, "symfile: %zu symbols\n", n);
	} else if (getenv("FZ_VERBOSE")) {
		fprintf(stderr, "symfile: %s\n", e.msg);
	}
	vm_symtab_free(st);
	(void)sink;
	return 0;
}
