// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_dump REF_ELF KDUMP [NAME=DUMP ...]
 * test_dump            (from the source root: finds the oops-module
 *                       fixtures with tests/fixture.sh, skips without them)
 *
 * Cross-checks the dump readers against QEMU's unfiltered ELF dump of the
 * same crash (REF_ELF).  KDUMP is the makedumpfile kdump-compressed file of
 * that crash; it decides which pages were filtered.  For KDUMP and each
 * NAME=DUMP (derived copies: lzo, uncompressed, flattened, makedumpfile -E
 * ELF) it reads ~3000 pfns spread over memory and checks:
 *   - a page the dump holds is byte-identical to the same page of REF_ELF;
 *   - a page the dump does not hold fails with VM_ENOPAGE, and KDUMP also
 *     says it was filtered (counted);
 *   - reads that cross page boundaries, VMCOREINFO equal to REF_ELF's.
 * A NAME starting with "elf" is makedumpfile -E output made from REF_ELF
 * (makedumpfile cannot write -E from a kdump file): it was filtered on its
 * own, so its excluded pages need not match KDUMP's, and it stores runs of
 * fewer than 256 filtered pages as zero-filled pages, so a zero page where
 * KDUMP has none is allowed there.
 * TAP output; exit 1 on any failure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dump/dump.h"

#define SPREAD 1500    /* pfns at a fixed stride over all of memory */
#define PRESENT 1500   /* pfns among those KDUMP holds */

static int test_no, failed;

static void tap(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#include <stdarg.h>
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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* The pfns to read: a stride over memory plus a stride over present pages. */
static uint64_t *pick_pfns(struct vm_dump *kd, size_t *nr)
{
	const struct vm_dump_info *in = vm_dump_info(kd);
	uint64_t max = in->max_pfn, npresent = 0, k = 0;
	uint64_t *v = malloc((SPREAD + PRESENT + 2) * sizeof(*v));
	struct vm_err e;
	size_t n = 0;

	if (!v)
		exit(1);
	for (uint64_t i = 0; i < SPREAD; i++)
		v[n++] = i * max / SPREAD + (i % 7);
	for (uint64_t pfn = 0; pfn < max; pfn++)
		npresent += vm_dump_pfn_present(kd, pfn, &e) == 1;
	for (uint64_t pfn = 0; pfn < max && n < SPREAD + PRESENT; pfn++) {
		if (vm_dump_pfn_present(kd, pfn, &e) != 1)
			continue;
		if (k++ % (npresent / PRESENT + 1) == 0)
			v[n++] = pfn;
	}
	*nr = n;
	return v;
}

static void check_dump(const char *name, const char *path, struct vm_dump *ref,
		       struct vm_dump *kd, const uint64_t *pfns, size_t nr)
{
	struct vm_err e = { 0 };
	double t0 = now();
	struct vm_dump *d = vm_dump_open(path, NULL, &e);
	double topen = now() - t0;
	int elf_e = strncmp(name, "elf", 3) == 0;

	tap(d != NULL, "%s: opens (%.1f ms)%s%s", name, topen * 1e3,
	    d ? "" : ": ", d ? "" : e.msg);
	if (!d)
		return;

	const struct vm_dump_info *in = vm_dump_info(d);
	uint32_t ps = in->page_size;
	uint8_t *a = malloc(3 * ps), *b = malloc(3 * ps);
	uint64_t same = 0, excl = 0, zeroed = 0, bad = 0;
	char why[1200] = "";

	if (!a || !b)
		exit(1);
	t0 = now();
	for (size_t i = 0; i < nr; i++) {
		uint64_t pa = pfns[i] * ps;
		int r = vm_dump_read_phys(d, pa, a, ps, &e);
		struct vm_err e2;
		int kp = vm_dump_pfn_present(kd, pfns[i], &e2);

		if (r == 0) {
			if (vm_dump_read_phys(ref, pa, b, ps, &e2) < 0) {
				bad++;
				snprintf(why, sizeof(why), "pfn %#" PRIx64
					 ": read here but not in the QEMU ELF: %s",
					 pfns[i], e2.msg);
			} else if (memcmp(a, b, ps) == 0) {
				same++;
			} else if (elf_e && kp == 0 && all_zero(a, ps)) {
				zeroed++;
			} else {
				bad++;
				snprintf(why, sizeof(why), "pfn %#" PRIx64
					 " differs from the QEMU ELF", pfns[i]);
			}
		} else if (e.code == VM_ENOPAGE && (kp == 0 || elf_e)) {
			excl++;
		} else {
			bad++;
			snprintf(why, sizeof(why), "pfn %#" PRIx64 ": %s "
				 "(kdump has it: %d)", pfns[i], e.msg, kp);
		}
	}
	double tread = now() - t0;

	tap(bad == 0 && same >= 1000 && excl >= 100,
	    "%s: %zu pfns: %" PRIu64 " identical to the QEMU ELF, %" PRIu64
	    " excluded (VM_ENOPAGE), %" PRIu64 " zero-filled excluded, %"
	    PRIu64 " wrong (%.1f ms)%s%s", name, nr, same, excl, zeroed, bad,
	    tread * 1e3, why[0] ? ": " : "", why);

	/* reads crossing page boundaries: two present neighbours */
	int cross_ok = 0, cross_tried = 0;

	for (size_t i = 0; i < nr && cross_tried < 20; i++) {
		uint64_t p = pfns[i];

		if (vm_dump_pfn_present(d, p, &e) != 1 ||
		    vm_dump_pfn_present(d, p + 1, &e) != 1 ||
		    vm_dump_pfn_present(d, p + 2, &e) != 1)
			continue;
		cross_tried++;
		uint64_t pa = p * ps + ps - 100 - (uint64_t)i % 64;
		size_t len = ps + 200;

		if (vm_dump_read_phys(d, pa, a, len, &e) == 0 &&
		    vm_dump_read_phys(ref, pa, b, len, &e) == 0 &&
		    (memcmp(a, b, len) == 0 || elf_e))
			cross_ok++;
	}
	tap(cross_tried > 0 && cross_ok == cross_tried,
	    "%s: %d of %d reads across page boundaries match", name, cross_ok,
	    cross_tried);

	int r = vm_dump_read_phys(d, in->max_pfn * ps, a, 8, &e);

	tap(r < 0 && e.code == VM_ENOPAGE, "%s: read at max_pfn %#" PRIx64
	    " fails with VM_ENOPAGE (%s)", name, in->max_pfn,
	    r < 0 ? e.msg : "it succeeded");

	size_t l1, l2;
	const char *v1 = vm_dump_vmcoreinfo(d, &l1);
	const char *v2 = vm_dump_vmcoreinfo(ref, &l2);

	tap(v1 && v2 && l1 == l2 && memcmp(v1, v2, l1) == 0,
	    "%s: VMCOREINFO (%zu bytes) equals the QEMU ELF's (%zu bytes)",
	    name, v1 ? l1 : 0, v2 ? l2 : 0);
	tap(vm_dump_nr_notes(d) > 0 && in->page_size == 4096 &&
	    in->nr_cpus > 0 && in->ram_pages > 0 && vm_dump_nr_ranges(d) > 0,
	    "%s: %zu notes, page size %u, %d cpus, %" PRIu64 " RAM pages, %zu "
	    "ranges", name, vm_dump_nr_notes(d), in->page_size, in->nr_cpus,
	    in->ram_pages, vm_dump_nr_ranges(d));
	free(a);
	free(b);
	vm_dump_close(d);
}

/* Path that tests/fixture.sh prints for spec, or NULL. */
static char *fixture(const char *spec)
{
	char cmd[256], line[4096];
	FILE *p;
	char *r = NULL;

	snprintf(cmd, sizeof(cmd), "tests/fixture.sh '%s' 2>/dev/null", spec);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	if (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			r = strdup(line);
	}
	if (pclose(p) != 0) {
		free(r);
		r = NULL;
	}
	return r;
}

/* No arguments: the oops-module fixtures and what can be derived. */
static int self_args(char ***argvp)
{
	static const char *const derived[] = { "lzo", "raw", "flat" };
	static char *v[8];
	static char buf[3][4200];
	int n = 0;

	v[n++] = "test_dump";
	v[n++] = fixture("x86_64-6.1/oops-module/vmcore.qemu.elf.zst");
	v[n++] = fixture("x86_64-6.1/oops-module/vmcore.kdump-zlib");
	if (!v[1] || !v[2])
		return 0;
	for (int i = 0; i < 3; i++) {
		char spec[32];
		char *path;

		snprintf(spec, sizeof(spec), "derive:%s", derived[i]);
		path = fixture(spec);
		if (!path) {
			printf("# %s: not available, not checked\n", spec);
			continue;
		}
		snprintf(buf[i], sizeof(buf[i]), "%s=%s", derived[i], path);
		free(path);
		v[n++] = buf[i];
	}
	*argvp = v;
	return n;
}

int main(int argc, char **argv)
{
	struct vm_err e = { 0 };
	struct vm_dump *ref, *kd;
	uint64_t *pfns;
	size_t nr;

	if (argc == 1) {
		argc = self_args(&argv);
		if (!argc) {
			printf("1..0 # SKIP oops-module fixtures not available\n");
			return 0;
		}
	}
	if (argc < 3) {
		fprintf(stderr, "usage: test_dump REF_ELF KDUMP [NAME=DUMP...]\n");
		return 2;
	}
	ref = vm_dump_open(argv[1], NULL, &e);
	if (!ref) {
		printf("not ok 1 - open %s: %s\n", argv[1], e.msg);
		return 1;
	}
	kd = vm_dump_open(argv[2], NULL, &e);
	if (!kd) {
		printf("not ok 1 - open %s: %s\n", argv[2], e.msg);
		return 1;
	}
	pfns = pick_pfns(kd, &nr);
	check_dump("kdump", argv[2], ref, kd, pfns, nr);
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq) {
			fprintf(stderr, "test_dump: NAME=DUMP expected: %s\n",
				argv[i]);
			return 2;
		}
		*eq = '\0';
		check_dump(argv[i], eq + 1, ref, kd, pfns, nr);
	}
	free(pfns);
	vm_dump_close(kd);
	vm_dump_close(ref);
	printf("1..%d\n", test_no);
	return failed ? 1 : 0;
}
