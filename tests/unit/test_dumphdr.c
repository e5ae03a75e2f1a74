// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_dumphdr: the kdump header checks on headers built here field by
 * field (common/dump/kdump.c vm_kdump_parse_hdr, vm_kdump_same_dump):
 * byte order and 32-bit layouts refused by name, split parts' ranges,
 * what makes two parts one dump.  TAP output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dump/dump_impl.h"

static int test_no, failed;

static void tap(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failed++;
}

static void put(uint8_t *p, unsigned off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

/* An LP64 little-endian header as makedumpfile 1.7 writes it: 4K blocks,
 * one sub-header block, two bitmap blocks, 64 pfns. */
static void good(uint8_t *dh, uint8_t *sh)
{
	memset(dh, 0, VM_KDUMP_DH_SIZE);
	memset(sh, 0, VM_KDUMP_SH_SIZE);
	memcpy(dh, "KDUMP   ", 8);
	put(dh, 8, 6, 4);                      /* header_version */
	memcpy(dh + 12, "Linux", 5);           /* utsname.sysname */
	memcpy(dh + 12 + 2 * 65, "6.1.0", 5);  /* release */
	memcpy(dh + 12 + 4 * 65, "x86_64", 6); /* machine */
	put(dh, 408, 1700000000, 8);           /* timestamp.tv_sec */
	put(dh, 416, 123456, 8);               /* timestamp.tv_usec */
	put(dh, 424, 1, 4);                    /* status: zlib */
	put(dh, 428, 4096, 4);                 /* block_size */
	put(dh, 432, 1, 4);                    /* sub_hdr_size */
	put(dh, 436, 2, 4);                    /* bitmap_blocks */
	put(dh, 440, 64, 4);                   /* max_mapnr */
	put(dh, 460, 2, 4);                    /* nr_cpus */
	put(sh, 8, 31, 4);                     /* dump_level */
	put(sh, 96, 64, 8);                    /* max_mapnr_64 */
}

static void split(uint8_t *sh, uint64_t start, uint64_t end)
{
	put(sh, 12, 1, 4);
	put(sh, 16, start, 8);
	put(sh, 24, end, 8);
	put(sh, 80, start, 8);
	put(sh, 88, end, 8);
}

static int parse(const uint8_t *dh, const uint8_t *sh, struct vm_kdump_hdr *h,
		 struct vm_err *e)
{
	vm_err_clear(e);
	return vm_kdump_parse_hdr(dh, sh, 1 << 20, h, e);
}

int main(void)
{
	uint8_t dh[VM_KDUMP_DH_SIZE], sh[VM_KDUMP_SH_SIZE];
	uint8_t dh2[VM_KDUMP_DH_SIZE], sh2[VM_KDUMP_SH_SIZE];
	struct vm_kdump_hdr a, b;
	struct vm_err e;
	char why[160];
	int r;

	good(dh, sh);
	r = parse(dh, sh, &a, &e);
	tap(r == 0 && !a.split && a.start_pfn == 0 && a.end_pfn == 64 &&
	    a.block_size == 4096 && a.desc_off == 4 * 4096,
	    "LP64 little-endian header: whole dump, descriptors after 4 blocks (%s)",
	    e.msg);

	/* big-endian: header_version 6 as a ppc64 makedumpfile writes it */
	good(dh, sh);
	put(dh, 8, 0x06000000, 4);
	memcpy(dh + 12 + 4 * 65, "ppc64\0", 6);
	r = parse(dh, sh, &a, &e);
	tap(r < 0 && e.code == VM_EUNSUP &&
	    !strcmp(e.msg, "a big-endian kdump-compressed dump, machine ppc64 (not supported)"),
	    "big-endian header refused by name: %s", e.msg);

	/* 32-bit by machine name */
	good(dh, sh);
	memcpy(dh + 12 + 4 * 65, "armv7l", 6);
	r = parse(dh, sh, &a, &e);
	tap(r < 0 && e.code == VM_EUNSUP && strstr(e.msg, "a 32-bit kdump-compressed dump, machine armv7l"),
	    "32-bit machine refused by name: %s", e.msg);

	/* 32-bit by layout: block size, bitmaps, max_mapnr where ILP32 has
	 * them (416, 424, 428), nonsense at the LP64 places */
	good(dh, sh);
	memcpy(dh + 12 + 4 * 65, "Unknown", 7);
	memset(dh + 408, 0, 56);
	put(dh, 416, 4096, 4);
	put(dh, 424, 2, 4);
	put(dh, 428, 64, 4);
	r = parse(dh, sh, &a, &e);
	tap(r < 0 && e.code == VM_EUNSUP && strstr(e.msg, "a 32-bit kdump-compressed dump"),
	    "32-bit layout refused by its fields: %s", e.msg);

	/* a 64-bit header whose time stamp happens to look like a 32-bit
	 * block size is still 64-bit */
	good(dh, sh);
	put(dh, 416, 4096, 4);
	r = parse(dh, sh, &a, &e);
	tap(r == 0, "LP64 header with tv_usec 4096 is LP64 (%s)", e.msg);

	/* split part: v6 range, the truncated 32-bit copies ignored */
	good(dh, sh);
	split(sh, 8, 40);
	put(sh, 16, 0xffffffff, 8);
	r = parse(dh, sh, &a, &e);
	tap(r == 0 && a.split && a.start_pfn == 8 && a.end_pfn == 40,
	    "split part v6: pfns 8..40 from start/end_pfn_64 (%s)", e.msg);
	put(dh, 8, 5, 4);
	put(sh, 16, 8, 8);
	r = parse(dh, sh, &a, &e);
	tap(r == 0 && a.split && a.start_pfn == 8 && a.end_pfn == 40,
	    "split part v5: pfns 8..40 from start/end_pfn (%s)", e.msg);
	put(dh, 8, 1, 4);
	r = parse(dh, sh, &a, &e);
	tap(r == 0 && !a.split, "header_version 1 has no split flag");

	good(dh, sh);
	split(sh, 40, 8);
	r = parse(dh, sh, &a, &e);
	tap(r < 0 && e.code == VM_ECORRUPT && strstr(e.msg, "pfns 0x28..0x8 are not within"),
	    "split range backwards refused: %s", e.msg);
	split(sh, 8, 65);
	r = parse(dh, sh, &a, &e);
	tap(r < 0 && e.code == VM_ECORRUPT, "split range past max_mapnr refused: %s", e.msg);
	split(sh, 8, 40);
	put(sh, 12, 7, 4);
	r = parse(dh, sh, &a, &e);
	tap(r < 0 && e.code == VM_ECORRUPT && strstr(e.msg, "split flag 7"),
	    "split flag other than 1 refused: %s", e.msg);
	split(sh, 64, 64);
	r = parse(dh, sh, &a, &e);
	tap(r == 0 && a.start_pfn == 64 && a.end_pfn == 64,
	    "an empty part at the end is a part (%s)", e.msg);

	/* one dump: all but the time stamp and the part's range */
	good(dh, sh);
	split(sh, 0, 8);
	parse(dh, sh, &a, &e);
	good(dh2, sh2);
	split(sh2, 8, 64);
	put(dh2, 416, 654321, 8);
	put(sh2, 64, 0x123456, 8); /* offset_eraseinfo: after each part's data */
	parse(dh2, sh2, &b, &e);
	tap(vm_kdump_same_dump(&a, &b, why, sizeof(why)) == 1,
	    "parts of one dump: time stamp and eraseinfo may differ");
	memcpy(dh2 + 12 + 65, "other", 5);
	parse(dh2, sh2, &b, &e);
	tap(vm_kdump_same_dump(&a, &b, why, sizeof(why)) == 0 &&
	    !strcmp(why, "its kdump header differs at offset 0x4d (utsname)"),
	    "another nodename: %s", why);
	good(dh2, sh2);
	split(sh2, 8, 64);
	put(sh2, 8, 1, 4);
	parse(dh2, sh2, &b, &e);
	tap(vm_kdump_same_dump(&a, &b, why, sizeof(why)) == 0 &&
	    strstr(why, "dump_level"), "another dump level: %s", why);
	good(dh2, sh2);
	put(dh2, 436, 4, 4);
	parse(dh2, sh2, &b, &e);
	tap(vm_kdump_same_dump(&a, &b, why, sizeof(why)) == 0 &&
	    strstr(why, "bitmap_blocks"), "other bitmap blocks: %s", why);
	good(dh2, sh2);
	parse(dh2, sh2, &b, &e);
	tap(vm_kdump_same_dump(&a, &b, why, sizeof(why)) == 0 &&
	    strstr(why, "not part of a makedumpfile --split set"),
	    "a whole dump is not a part: %s", why);

	printf("1..%d\n", test_no);
	return failed != 0;
}
