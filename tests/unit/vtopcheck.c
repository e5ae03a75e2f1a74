// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtopcheck DUMP [KEY=VALUE...] < ADDRESSES
 *
 * Translates each kernel virtual address (hex, one a line; '#' lines and
 * anything after the first word are ignored) through vm_kvtop() and prints
 * "VA PA", "VA unmapped" (VM_ENOMAP) or "VA error MESSAGE".  KEY=VALUE are
 * -o overrides (novmcoreinfo: open as if the dump had no VMCOREINFO).
 * tests/vmsym.bats compares the output with crash's vtop references.
 * Also: "regs" as a KEY prints the CPU registers from the notes first, and
 * an input line "u PGD_PA VA [LEN]" prints the user bytes at VA through the
 * page table at PGD_PA (vm_uread).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "dump/dump.h"
#include "vmcoreinfo/vmcoreinfo.h"

int main(int argc, char **argv)
{
	struct vm_dump_opts dopts = { 0 };
	struct vm_opts o = { 0 };
	struct vm_err e = { 0 };
	struct vm_vmcoreinfo *vi = NULL;
	struct vm_dump *d;
	struct vm_mem *m;
	const char *text;
	char line[256];
	size_t len;
	int i, novi = 0, regs = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: vtopcheck DUMP [KEY=VALUE...] < ADDRESSES\n");
		return 2;
	}
	for (i = 2; i < argc && o.nr_ov < VM_MAX_OVERRIDES; i++) {
		if (!strcmp(argv[i], "novmcoreinfo")) {
			novi = 1;
			continue;
		}
		if (!strcmp(argv[i], "regs")) {
			regs = 1;
			continue;
		}
		if (vm_opts_add_override(&o, argv[i], &e) < 0) {
			fprintf(stderr, "vtopcheck: %s\n", e.msg);
			return 2;
		}
	}
	d = vm_dump_open(argv[1], &dopts, &e);
	if (!d) {
		fprintf(stderr, "vtopcheck: %s: %s\n", argv[1], e.msg);
		return 1;
	}
	text = vm_dump_vmcoreinfo(d, &len);
	if (text && !novi)
		vi = vm_vmcoreinfo_parse(text, len, &e);
	m = vm_mem_open(d, vi, &o, &e);
	if (!m) {
		fprintf(stderr, "vtopcheck: %s: %s\n", argv[1], e.msg);
		return 1;
	}
	fprintf(stderr, "vtopcheck: %s\n", vm_mem_how(m));
	if (regs) {
		const struct vm_arch *a = vm_mem_arch(m);
		int n = vm_mem_nr_cpu_regs(m), c;
		unsigned r;

		for (c = 0; c < n; c++) {
			struct vm_regs rg;

			if (vm_mem_cpu_regs(m, c, &rg, &e) < 0) {
				printf("cpu %d error %s\n", c, e.msg);
				continue;
			}
			printf("cpu %d pid %d", c, rg.pid);
			for (r = 0; r < a->nr_regs; r++)
				if (rg.valid & (1ull << r))
					printf(" %s=%" PRIx64, a->reg_names[r], rg.r[r]);
			putchar('\n');
		}
	}
	while (fgets(line, sizeof(line), stdin)) {
		unsigned long long va;
		uint64_t pa;
		char *end;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (line[0] == 'u') {
			/* "u PGD_PA VA [LEN]": the user bytes at VA through the
			 * page table at PGD_PA (vm_uread), NULs shown as blanks;
			 * without LEN up to the first NUL */
			unsigned long long pgd, ulen = 0;
			char str[257];
			size_t k, max;

			if (sscanf(line + 1, "%llx %llx %llx", &pgd, &va, &ulen) < 2)
				continue;
			max = ulen && ulen < sizeof(str) ? (size_t)ulen : sizeof(str) - 1;
			e.code = 0;
			for (k = 0; k < max; k++) {
				if (vm_uread(m, pgd, va + k, str + k, 1, &e) < 0)
					break;
				if (!str[k]) {
					if (!ulen)
						break;
					str[k] = ' ';
				}
			}
			str[k] = '\0';
			if (k == 0 && e.code)
				printf("%llx error %s\n", va, e.msg);
			else
				printf("%llx %s\n", va, str);
			continue;
		}
		va = strtoull(line, &end, 16);
		if (end == line)
			continue;
		if (vm_kvtop(m, va, &pa, &e) == 0)
			printf("%llx %" PRIx64 "\n", va, pa);
		else if (e.code == VM_ENOMAP)
			printf("%llx unmapped\n", va);
		else
			printf("%llx error %s\n", va, e.msg);
	}
	vm_mem_close(m);
	vm_vmcoreinfo_free(vi);
	vm_dump_close(d);
	return 0;
}
