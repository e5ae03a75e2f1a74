// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper (not a unit test): rewrite any dump the library reads as a
 * plain ELF64 vmcore, so a test can damage chosen kernel bytes in a copy
 * (tests/kernels.bats: the ORC header, the kallsyms tables of the
 * zstd-compressed 7.2 fixtures, which no installed makedumpfile reads).
 *
 *   dump2elf DUMP OUT
 *
 * OUT has one PT_NOTE with every note of DUMP (VMCOREINFO added from the
 * kdump header when DUMP has it only there) and one PT_LOAD per run of
 * pages DUMP holds (p_vaddr 0, as QEMU writes them).  Exit 1 on failure.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump/dump.h"

static void die(const char *what)
{
	fprintf(stderr, "dump2elf: %s\n", what);
	exit(1);
}

struct run {
	uint64_t start, size;
};

static size_t pad4(size_t n) { return (n + 3) & ~(size_t)3; }

static void put_note(FILE *f, const char *name, uint32_t type, const void *desc, size_t dsz)
{
	Elf64_Nhdr h = { (Elf64_Word)(strlen(name) + 1), (Elf64_Word)dsz, type };
	static const char zero[4];

	fwrite(&h, sizeof(h), 1, f);
	fwrite(name, 1, h.n_namesz, f);
	fwrite(zero, 1, pad4(h.n_namesz) - h.n_namesz, f);
	fwrite(desc, 1, dsz, f);
	fwrite(zero, 1, pad4(dsz) - dsz, f);
}

int main(int argc, char **argv)
{
	struct vm_err e;
	struct vm_dump *d;
	const struct vm_dump_info *in;
	struct run *runs = NULL;
	size_t nrun = 0, cap = 0, i, n, visz = 0, notesz = 0;
	const char *vi;
	bool have_vi = false;
	uint64_t pfn, ps, off;
	FILE *f;
	uint8_t *page;

	if (argc != 3)
		die("usage: dump2elf DUMP OUT");
	d = vm_dump_open(argv[1], NULL, &e);
	if (!d)
		die(e.msg);
	in = vm_dump_info(d);
	ps = in->page_size ? in->page_size : 4096;
	page = malloc(ps);
	if (!page)
		die("out of memory");
	/* runs of present pages within the dump's ranges */
	for (i = 0; i < vm_dump_nr_ranges(d); i++) {
		const struct vm_phys_range *r = vm_dump_range(d, i);

		for (pfn = r->start / ps; pfn < (r->start + r->size) / ps; pfn++) {
			int p = vm_dump_pfn_present(d, pfn, &e);

			if (p < 0)
				die(e.msg);
			if (!p)
				continue;
			if (nrun && runs[nrun - 1].start + runs[nrun - 1].size == pfn * ps) {
				runs[nrun - 1].size += ps;
				continue;
			}
			if (nrun == cap) {
				cap = cap ? cap * 2 : 64;
				runs = realloc(runs, cap * sizeof(*runs));
				if (!runs)
					die("out of memory");
			}
			runs[nrun++] = (struct run){ pfn * ps, ps };
		}
	}
	n = vm_dump_nr_notes(d);
	for (i = 0; i < n; i++) {
		const struct vm_note *no = vm_dump_note(d, i);

		notesz += sizeof(Elf64_Nhdr) + pad4(strlen(no->name) + 1) + pad4(no->descsz);
		have_vi |= !strcmp(no->name, "VMCOREINFO");
	}
	vi = vm_dump_vmcoreinfo(d, &visz);
	if (!have_vi && vi)
		notesz += sizeof(Elf64_Nhdr) + pad4(sizeof("VMCOREINFO")) + pad4(visz);

	f = fopen(argv[2], "wb");
	if (!f)
		die("cannot create the output");
	{
		Elf64_Ehdr eh = { 0 };
		Elf64_Phdr ph = { 0 };

		memcpy(eh.e_ident, ELFMAG, SELFMAG);
		eh.e_ident[EI_CLASS] = ELFCLASS64;
		eh.e_ident[EI_DATA] = ELFDATA2LSB;
		eh.e_ident[EI_VERSION] = EV_CURRENT;
		eh.e_type = ET_CORE;
		eh.e_machine = in->e_machine;
		eh.e_version = EV_CURRENT;
		eh.e_phoff = sizeof(eh);
		eh.e_ehsize = sizeof(eh);
		eh.e_phentsize = sizeof(ph);
		eh.e_phnum = (Elf64_Half)(1 + nrun);
		fwrite(&eh, sizeof(eh), 1, f);
		off = sizeof(eh) + (1 + nrun) * sizeof(ph);
		ph.p_type = PT_NOTE;
		ph.p_offset = off;
		ph.p_filesz = notesz;
		fwrite(&ph, sizeof(ph), 1, f);
		off = (off + notesz + ps - 1) / ps * ps;
		for (i = 0; i < nrun; i++) {
			memset(&ph, 0, sizeof(ph));
			ph.p_type = PT_LOAD;
			ph.p_flags = PF_R | PF_W | PF_X;
			ph.p_offset = off;
			ph.p_paddr = runs[i].start;
			ph.p_filesz = ph.p_memsz = runs[i].size;
			ph.p_align = ps;
			fwrite(&ph, sizeof(ph), 1, f);
			off += runs[i].size;
		}
	}
	for (i = 0; i < n; i++) {
		const struct vm_note *no = vm_dump_note(d, i);

		put_note(f, no->name, no->type, no->desc, no->descsz);
	}
	if (!have_vi && vi)
		put_note(f, "VMCOREINFO", 0, vi, visz);
	if (fseek(f, (long)((sizeof(Elf64_Ehdr) + (1 + nrun) * sizeof(Elf64_Phdr) + notesz +
			     ps - 1) / ps * ps), SEEK_SET) < 0)
		die("seek failed");
	for (i = 0; i < nrun; i++)
		for (pfn = runs[i].start / ps; pfn < (runs[i].start + runs[i].size) / ps; pfn++) {
			if (vm_dump_read_phys(d, pfn * ps, page, ps, &e) < 0)
				die(e.msg);
			if (fwrite(page, 1, ps, f) != ps)
				die("write failed");
		}
	if (fclose(f) != 0)
		die("write failed");
	free(page);
	free(runs);
	vm_dump_close(d);
	return 0;
}
