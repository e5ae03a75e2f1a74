// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper (not a unit test): where in an ELF dump file a kernel virtual
 * address lives, so a test can damage a copy of the dump at a chosen kernel
 * pointer (tests/vmps.bats: a task list with a loop / a bad pointer).
 *
 *   kvaddr2off [-k VMLINUX] DUMP ADDR [TYPE MEMBER]
 *
 * ADDR (hex) plus offsetof(TYPE, MEMBER) is translated through the dump's
 * page tables; prints "FILE_OFFSET VALUE": the decimal file offset of that
 * byte in DUMP and the 8-byte little-endian value stored there, in hex.
 * An ELF vmcore maps it through its PT_LOADs (p_offset + pa - p_paddr);
 * any other dump with uncompressed pages (makedumpfile without -c/-l/-p)
 * is searched for the page's contents, which must occur exactly once.
 * Exit 1 on any failure.
 */
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"

static int elf_offset(const char *path, uint64_t pa, uint64_t *off)
{
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned i;
	int r = -1;

	if (!f)
		return -1;
	if (fread(&eh, sizeof(eh), 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64)
		goto out;
	for (i = 0; i < eh.e_phnum; i++) {
		if (fseeko(f, (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize), SEEK_SET) ||
		    fread(&ph, sizeof(ph), 1, f) != 1)
			goto out;
		if (ph.p_type == PT_LOAD && pa >= ph.p_paddr &&
		    pa - ph.p_paddr < ph.p_filesz) {
			*off = ph.p_offset + (pa - ph.p_paddr);
			r = 0;
			break;
		}
	}
out:
	fclose(f);
	return r;
}

/* The unique place in the file holding the page that contains pa. */
static int search_page(struct vm_kernel *k, const char *path, uint64_t pa,
		       uint32_t psz, uint64_t *off)
{
	unsigned char page[65536];
	struct vm_err e;
	struct stat st;
	const unsigned char *map, *p, *hit = NULL;
	size_t left;
	int fd, n = 0;

	if (psz > sizeof(page) || vm_dump_read_phys(k->dump, pa - pa % psz, page, psz, &e) < 0)
		return -1;
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	for (p = map, left = (size_t)st.st_size;
	     (p = memmem(p, left, page, psz)) != NULL;
	     p++, left = (size_t)st.st_size - (size_t)(p - map)) {
		hit = p;
		n++;
	}
	if (n == 1)
		*off = (uint64_t)(hit - map) + pa % psz;
	munmap((void *)map, (size_t)st.st_size);
	return n == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct vm_opts o = { 0 };
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	struct vm_mem *m;
	uint64_t va, pa, off, moff = 0, v;
	const char *dump;
	int a = 1;

	if (argc > 2 && !strcmp(argv[1], "-k")) {
		o.vmlinux = argv[2];
		a = 3;
	}
	if (argc - a != 2 && argc - a != 4) {
		fprintf(stderr, "usage: kvaddr2off [-k VMLINUX] DUMP ADDR [TYPE MEMBER]\n");
		return 2;
	}
	dump = argv[a];
	va = strtoull(argv[a + 1], NULL, 16);
	k = vm_kernel_open(dump, &o, &e);
	if (!k || !(m = vm_kernel_mem(k, &e)))
		goto fail;
	if (argc - a == 4 &&
	    vm_kernel_offsetof(k, argv[a + 2], argv[a + 3], &moff, NULL, &e) < 0)
		goto fail;
	va += moff;
	if (vm_kvtop(m, va, &pa, &e) < 0 || vm_kread_u64(m, va, &v, &e) < 0)
		goto fail;
	if (elf_offset(dump, pa, &off) < 0 &&
	    search_page(k, dump, pa, vm_mem_page_size(m), &off) < 0) {
		fprintf(stderr, "kvaddr2off: %s: physical 0x%" PRIx64 " is neither in an "
			"ELF PT_LOAD nor in one uncompressed page of the file\n",
			dump, pa);
		vm_kernel_close(k);
		return 1;
	}
	printf("%" PRIu64 " %" PRIx64 "\n", off, v);
	vm_kernel_close(k);
	return 0;
fail:
	fprintf(stderr, "kvaddr2off: %s: %s\n", dump, e.msg);
	vm_kernel_close(k);
	return 1;
}
