// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dumpcheck: drive the dump layer alone, for tests.
 *
 *   dumpcheck [-r RAW_BASE] [-i] [-V] [-n] [-a] DUMP [PFN...]
 *     DUMP is what the programs take: a file, "-", or p1,p2,p3
 *     -i   print the dump info (key: value lines; "describe:" is what
 *          vmsys prints as FORMAT, which finds every part of a split set)
 *     -V   print the VMCOREINFO text
 *     -n   list the notes: name type descsz
 *     -a   read every pfn below max_pfn; print counts of read / excluded
 *     -x   print a page read as its first 16 bytes in hex, not a hash
 *     -P FILE  write every page below max_pfn that reads to FILE: u64 pfn
 *          (little-endian), then the page; print "pages: N" (the peer
 *          check tests/peer/libkdumpfile.sh compares them)
 *     PFN  read that page (0x... or decimal) and print "pfn P: HASH" (FNV-1a)
 * Errors print "dumpcheck: FILE: message" on one line.  Exit 0 if all went
 * well, 1 if the open or a read failed (an excluded page is a failure too,
 * but -a counts excluded pages instead), 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump/dump.h"

static const char *code_name(int c)
{
	static const char *const names[] = {
		"OK", "EIO", "EFORMAT", "ETRUNC", "ENOPAGE", "ENOMAP",
		"ENOENT", "ENOMEM", "EUNSUP", "ECORRUPT", "EINVAL", "EMISMATCH",
	};

	return c >= 0 && c < (int)(sizeof(names) / sizeof(names[0])) ?
	       names[c] : "?";
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static void print_info(struct vm_dump *d)
{
	const struct vm_dump_info *in = vm_dump_info(d);
	char desc[512];

	vm_dump_describe(d, desc, sizeof(desc));
	printf("describe: %s\n", desc);
	printf("format: %s\n", in->format_name);
	if (in->inner_name)
		printf("inner: %s\n", in->inner_name);
	printf("compression:%s%s%s%s%s\n",
	       in->compression & VM_COMP_NONE ? " none" : "",
	       in->compression & VM_COMP_ZLIB ? " zlib" : "",
	       in->compression & VM_COMP_LZO ? " lzo" : "",
	       in->compression & VM_COMP_SNAPPY ? " snappy" : "",
	       in->compression & VM_COMP_ZSTD ? " zstd" : "");
	printf("partial: %s\n", in->partial ? "yes" : "no");
	printf("dump_level: %d\n", in->dump_level);
	printf("machine: %u\n", in->e_machine);
	printf("page_size: %u\n", in->page_size);
	printf("nr_cpus: %d\n", in->nr_cpus);
	printf("max_pfn: %#" PRIx64 "\n", in->max_pfn);
	printf("ram_pages: %" PRIu64 "\n", in->ram_pages);
	printf("release: %s\n", in->uts_release);
	printf("machine_name: %s\n", in->uts_machine);
	printf("timestamp: %" PRId64 "\n", in->timestamp_sec);
	printf("ranges: %zu\n", vm_dump_nr_ranges(d));
	for (size_t i = 0; i < vm_dump_nr_ranges(d); i++) {
		const struct vm_phys_range *r = vm_dump_range(d, i);

		printf("range: %#" PRIx64 "-%#" PRIx64 "\n", r->start,
		       r->start + r->size);
	}
	printf("notes: %zu\n", vm_dump_nr_notes(d));
	size_t len;

	vm_dump_vmcoreinfo(d, &len);
	printf("vmcoreinfo_bytes: %zu\n", len);
}

int main(int argc, char **argv)
{
	struct vm_dump_opts o = { 0 };
	struct vm_err e = { 0 };
	bool info = false, vmci = false, notes = false, all = false, hex = false;
	const char *pages = NULL;
	int c, rc = 0;

	while ((c = getopt(argc, argv, "r:iVnaxP:")) != -1) {
		switch (c) {
		case 'r':
			o.have_raw_base = true;
			o.raw_base = strtoull(optarg, NULL, 0);
			break;
		case 'i': info = true; break;
		case 'V': vmci = true; break;
		case 'n': notes = true; break;
		case 'a': all = true; break;
		case 'x': hex = true; break;
		case 'P': pages = optarg; break;
		default:
			fprintf(stderr, "usage: dumpcheck [-r BASE] [-iVnax] [-P FILE] "
				"DUMP [PFN...]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: dumpcheck [-r BASE] [-iVnax] FILE [PFN...]\n");
		return 2;
	}
	const char *path = argv[optind++];
	struct vm_dump *d = vm_dump_open(path, &o, &e);

	if (!d) {
		fprintf(stderr, "dumpcheck: %s: %s [%s]\n", path, e.msg,
			code_name(e.code));
		return 1;
	}
	if (info)
		print_info(d);
	if (vmci) {
		size_t len;
		const char *t = vm_dump_vmcoreinfo(d, &len);

		if (t)
			fwrite(t, 1, len, stdout);
	}
	if (notes)
		for (size_t i = 0; i < vm_dump_nr_notes(d); i++) {
			const struct vm_note *n = vm_dump_note(d, i);

			printf("%s %u %zu\n", n->name, n->type, n->descsz);
		}

	const struct vm_dump_info *in = vm_dump_info(d);
	uint8_t *page = malloc(in->page_size);

	if (!page)
		return 1;
	if (all) {
		uint64_t ok = 0, excl = 0;

		for (uint64_t pfn = 0; pfn < in->max_pfn; pfn++) {
			if (vm_dump_read_phys(d, pfn * in->page_size, page,
					      in->page_size, &e) == 0) {
				ok++;
			} else if (e.code == VM_ENOPAGE) {
				excl++;
			} else {
				fprintf(stderr, "dumpcheck: %s: %s [%s]\n", path,
					e.msg, code_name(e.code));
				rc = 1;
				break;
			}
		}
		printf("read: %" PRIu64 " excluded: %" PRIu64 "\n", ok, excl);
	}
	if (pages) {
		FILE *f = fopen(pages, "w");
		uint64_t n = 0;

		if (!f) {
			perror(pages);
			return 1;
		}
		for (uint64_t pfn = 0; pfn < in->max_pfn; pfn++) {
			uint8_t le[8];

			if (vm_dump_pfn_present(d, pfn, &e) != 1 ||
			    vm_dump_read_phys(d, pfn * in->page_size, page,
					      in->page_size, &e) < 0)
				continue;
			for (int i = 0; i < 8; i++)
				le[i] = (uint8_t)(pfn >> (8 * i));
			fwrite(le, 1, 8, f);
			fwrite(page, 1, in->page_size, f);
			n++;
		}
		if (fclose(f) != 0) {
			perror(pages);
			return 1;
		}
		printf("pages: %" PRIu64 "\n", n);
	}
	for (int i = optind; i < argc; i++) {
		uint64_t pfn = strtoull(argv[i], NULL, 0);

		if (vm_dump_read_phys(d, pfn * in->page_size, page,
				      in->page_size, &e) < 0) {
			fprintf(stderr, "dumpcheck: %s: %s [%s]\n", path, e.msg,
				code_name(e.code));
			rc = 1;
			continue;
		}
		if (hex) {
			printf("pfn %#" PRIx64 ":", pfn);
			for (int j = 0; j < 16; j++)
				printf(" %02x", page[j]);
			putchar('\n');
		} else {
			printf("pfn %#" PRIx64 ": %016" PRIx64 "\n", pfn,
			       fnv(page, in->page_size));
		}
	}
	free(page);
	vm_dump_close(d);
	return rc;
}
