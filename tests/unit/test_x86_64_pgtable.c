// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 address translation on hand-built page tables: a raw memory image
 * (-o raw_base) holding 4- and 5-level tables with 4 KiB, 2 MiB and 1 GiB
 * leaves, an SME C-bit in every entry, and VMCOREINFO text naming them.
 * The fixture dumps only have 5-level tables; this covers the rest and
 * every error path (not present at each level, non-canonical, a table
 * outside the dump) without a real dump.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/arch.h"
#include "arch/x86_64.h"
#include "dump/dump.h"
#include "vmcoreinfo/vmcoreinfo.h"

#define MEM_SIZE (8u << 20)
#define P 0x1ull            /* present */
#define RW 0x2ull
#define PSE 0x80ull
#define SME (UINT64_C(1) << 47)

static int failed, n;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		failed = 1;
}

static uint8_t *mem;

static void set(uint64_t table, unsigned idx, uint64_t val)
{
	uint64_t v = val;
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		mem[table + 8 * idx + i] = (uint8_t)v;
}

static unsigned ix(uint64_t va, int level) /* level 0 = PTE .. 4 = PGD (LA57) */
{
	return (unsigned)(va >> (12 + 9 * level)) & 511;
}

/*
 * Layout (physical):
 *   0x001000 top table (PGD in 5-level, P4D/"PGD" in 4-level)
 *   0x002000 P4D (5-level only)   0x003000 PUD for the kernel half's image
 *   0x004000 PMD (image)          0x005000 PUD for the direct map (1 GiB leaf)
 *   0x006000 PUD/PMD/PTE chain for a vmalloc address: 0x6000 PUD, 0x7000
 *   PMD, 0x8000 PTE; data pages 0x10000 (4K leaf) and 0x200000 (2M leaf)
 */
static void build(int la57, uint64_t image_va, uint64_t dmap_va, uint64_t vmalloc_va)
{
	uint64_t top = 0x1000, p4d = la57 ? 0x2000 : 0x1000;
	int i;

	memset(mem, 0, MEM_SIZE);
	if (la57) {
		/* one P4D under each used PGD slot */
		set(top, ix(image_va, 4), p4d | P | RW | SME);
		set(top, ix(dmap_va, 4), 0x9000 | P | RW | SME);
		set(top, ix(vmalloc_va, 4), 0xa000 | P | RW | SME);
		set(0x9000, ix(dmap_va, 3), 0x5000 | P | RW | SME);
		set(0xa000, ix(vmalloc_va, 3), 0x6000 | P | RW | SME);
	} else {
		set(top, ix(dmap_va, 3), 0x5000 | P | RW | SME);
		set(top, ix(vmalloc_va, 3), 0x6000 | P | RW | SME);
	}
	set(p4d, ix(image_va, 3), 0x3000 | P | RW | SME);
	set(0x3000, ix(image_va, 2), 0x4000 | P | RW | SME);
	/* image: 2 MiB leaf at pa 0x200000; the next 2 MiB not present */
	set(0x4000, ix(image_va, 1), 0x200000 | P | RW | PSE | SME);
	/* direct map: a 1 GiB leaf at pa 0 */
	set(0x5000, ix(dmap_va, 2), 0 | P | RW | PSE | SME);
	/* vmalloc: 4 KiB pages: page 0 -> 0x10000, page 1 -> 0x12000 (not
	 * contiguous), page 2 not present, PMD entry 1 points past the dump */
	set(0x6000, ix(vmalloc_va, 2), 0x7000 | P | RW | SME);
	set(0x7000, ix(vmalloc_va, 1), 0x8000 | P | RW | SME);
	set(0x7000, ix(vmalloc_va, 1) + 1, 0x40000000ull | P | RW | SME);
	set(0x8000, ix(vmalloc_va, 0), 0x10000 | P | RW | SME);
	set(0x8000, ix(vmalloc_va, 0) + 1, 0x12000 | P | RW | SME);
	for (i = 0; i < 4096; i++) {
		mem[0x10000 + i] = (uint8_t)('a' + i % 26);
		mem[0x12000 + i] = (uint8_t)('A' + i % 26);
	}
	memcpy(mem + 0x10000 + 4091, "hello", 5);   /* string across pages */
	memcpy(mem + 0x12000, "world", 6);
	memcpy(mem + 0x200000 + 0x1234, "image!", 7);
}

static struct vm_mem *open_mem(const char *path, const char *vmci, struct vm_opts *o,
			       struct vm_dump **dp, struct vm_vmcoreinfo **vip, struct vm_err *e)
{
	struct vm_dump_opts dopts = { .have_raw_base = true, .raw_base = 0,
				      .raw_machine = 62 };

	*dp = vm_dump_open(path, &dopts, e);
	if (!*dp)
		return NULL;
	*vip = vmci ? vm_vmcoreinfo_parse(vmci, strlen(vmci), e) : NULL;
	return vm_mem_open(*dp, *vip, o, e);
}

static void run(const char *path, int la57)
{
	const uint64_t image = 0xffffffff81000000ull;
	const uint64_t dmap = la57 ? 0xff11000000000000ull : 0xffff888000000000ull;
	const uint64_t vmal = la57 ? 0xffa0000000000000ull : 0xffffc90000000000ull;
	const int lv = la57 ? 5 : 4;
	char vmci[512], buf[64];
	struct vm_opts o = { 0 };
	struct vm_err e = { 0 };
	struct vm_dump *d;
	struct vm_vmcoreinfo *vi;
	struct vm_mem *m;
	uint64_t pa = 0;
	FILE *f;
	int r;

	build(la57, image, dmap, vmal);
	f = fopen(path, "wb");
	if (!f || fwrite(mem, 1, MEM_SIZE, f) != MEM_SIZE || fclose(f)) {
		ok(0, "writing %s", path);
		return;
	}
	/* phys_base chosen so that the image map (va - __START_KERNEL_map +
	 * phys_base) agrees with the tables: 0xffffffff81000000 -> 0x200000 */
	snprintf(vmci, sizeof(vmci),
		 "OSRELEASE=6.1.0\nPAGESIZE=4096\nSYMBOL(init_top_pgt)=%" PRIx64 "\n"
		 "NUMBER(phys_base)=%" PRId64 "\nNUMBER(pgtable_l5_enabled)=%d\n"
		 "NUMBER(sme_mask)=%" PRIu64 "\nKERNELOFFSET=0\n",
		 (uint64_t)(0xffffffff80000000ull + 0x1000 - (0x200000 - 0x1000000)),
		 (int64_t)0x200000 - 0x1000000, la57, SME);
	m = open_mem(path, vmci, &o, &d, &vi, &e);
	ok(m != NULL, "%d-level: open (%s)", lv, m ? vm_mem_how(m) : e.msg);
	if (!m)
		return;
	r = vm_kvtop(m, image + 0x1234, &pa, &e);
	ok(r == 0 && pa == 0x201234,
	   "%d-level: 2 MiB leaf: image va -> pa 0x%" PRIx64, lv, pa);
	ok(vm_kread_str(m, image + 0x1234, buf, sizeof(buf), &e) == 6 && !strcmp(buf, "image!"),
	   "%d-level: read through the 2 MiB leaf", lv);
	r = vm_kvtop(m, dmap + 0x3456789, &pa, &e);
	ok(r == 0 && pa == 0x3456789,
	   "%d-level: 1 GiB leaf: direct map va -> pa 0x%" PRIx64, lv, pa);
	ok(vm_mem_page_offset(m) == dmap, "%d-level: direct map base found: 0x%" PRIx64, lv,
	   vm_mem_page_offset(m));
	r = vm_kvtop(m, vmal + 0x1008, &pa, &e);
	ok(r == 0 && pa == 0x12008,
	   "%d-level: 4 KiB leaf -> pa 0x%" PRIx64, lv, pa);
	ok(vm_kread_str(m, vmal + 4091, buf, sizeof(buf), &e) == 10 &&
	   !strcmp(buf, "helloworld"),
	   "%d-level: string read across two non-contiguous pages", lv);
	{
		char two[8];

		ok(vm_kread(m, vmal + 4094, two, 4, &e) == 0 && two[0] == mem[0x10000 + 4094] &&
		   two[2] == 'w', "%d-level: vm_kread splits at the page boundary", lv);
	}
	e.code = 0;
	ok(vm_kvtop(m, vmal + 0x2000, &pa, &e) < 0 && e.code == VM_ENOMAP &&
	   strstr(e.msg, "PTE entry") && strstr(e.msg, "not present"),
	   "%d-level: unmapped 4 KiB page names the PTE: %s", lv, e.msg);
	e.code = 0;
	ok(vm_kvtop(m, image + 0x200000, &pa, &e) < 0 && e.code == VM_ENOMAP &&
	   strstr(e.msg, "PMD entry"), "%d-level: past the 2 MiB leaf: %s", lv, e.msg);
	e.code = 0;
	ok(vm_kvtop(m, vmal + 0x200000, &pa, &e) < 0 && e.code == VM_ENOPAGE &&
	   strstr(e.msg, "PTE entry"), "%d-level: a table outside the dump is VM_ENOPAGE: %s",
	   lv, e.msg);
	e.code = 0;
	ok(vm_kvtop(m, 0x00007f0000000000ull, &pa, &e) < 0 && e.code == VM_ENOMAP &&
	   strstr(e.msg, "PGD entry"),
	   "%d-level: user half not mapped at the top: %s", lv, e.msg);
	if (!la57) {
		e.code = 0;
		ok(vm_kvtop(m, 0xff11000000000000ull, &pa, &e) < 0 && e.code == VM_ENOMAP &&
		   strstr(e.msg, "not canonical"), "4-level: a 5-level address is not canonical: %s",
		   e.msg);
	}
	e.code = 0;
	ok(vm_kread(m, vmal + 0x1ff0, buf, 32, &e) < 0 && strstr(e.msg, "not mapped"),
	   "%d-level: a read running onto an unmapped page fails: %s", lv, e.msg);
	vm_mem_close(m);
	vm_vmcoreinfo_free(vi);
	vm_dump_close(d);

	/* no VMCOREINFO: -o pgd= / phys_base= / vabits= give the view */
	{
		char pgd[32], pb[32];

		snprintf(pgd, sizeof(pgd), "pgd=0x1000");
		snprintf(pb, sizeof(pb), "phys_base=%" PRId64, (int64_t)0x200000 - 0x1000000);
		o.nr_ov = 0;
		ok(vm_opts_add_override(&o, pgd, &e) == 0 &&
		   vm_opts_add_override(&o, pb, &e) == 0 &&
		   vm_opts_add_override(&o, la57 ? "vabits=57" : "vabits=48", &e) == 0,
		   "-o pgd=, phys_base= (negative), vabits= parse");
		m = open_mem(path, NULL, &o, &d, &vi, &e);
		ok(m != NULL, "%d-level: opens from -o pgd=, phys_base=, vabits= (%s)", lv,
		   m ? vm_mem_how(m) : e.msg);
		if (m) {
			/* the SME bit is unknown here: entries keep it, so the
			 * walk lands at pa | bit 47 -- the override for that
			 * case is VMCOREINFO's sme_mask; check the image map */
			ok(vm_kread_str(m, image + 0x1234, buf, sizeof(buf), &e) == 6 &&
			   !strcmp(buf, "image!"),
			   "%d-level: image read with overrides (tables unreadable "
			   "without sme_mask: the image map stands in)", lv);
			vm_mem_close(m);
			vm_dump_close(d);
		}
		o.nr_ov = 0;
		vm_opts_add_override(&o, "vabits=52", &e);
		vm_opts_add_override(&o, pgd, &e);
		m = open_mem(path, NULL, &o, &d, &vi, &e);
		ok(m == NULL && e.code == VM_EINVAL, "-o vabits=52 refused: %s", m ? "" : e.msg);
		if (m)
			vm_mem_close(m);
		else
			vm_dump_close(d);
	}
}

int main(void)
{
	char path[] = "/tmp/vm-pgtable-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0) {
		printf("not ok 1 - mkstemp\n");
		return 1;
	}
	close(fd);
	mem = calloc(1, MEM_SIZE);
	if (!mem)
		return 1;
	run(path, 0);
	run(path, 1);
	unlink(path);
	free(mem);
	printf("1..%d\n", n);
	return failed;
}
