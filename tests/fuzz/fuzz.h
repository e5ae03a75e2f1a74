/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the libFuzzer harnesses tests/fuzz/NAME.c (one parser each).
 * Each harness is built twice:
 *   - `make fuzz`: clang -fsanitize=fuzzer,address,undefined ->
 *     build-fuzz/fuzz/NAME, libFuzzer's own main();
 *   - `make`: the normal compiler, linked with tests/fuzz/driver/replay.c
 *     (a main() that feeds files) -> $(O)/fuzz-replay/NAME; tests/fuzz.bats
 *     replays tests/fuzz/regress/NAME/ through it in `make test`.
 *
 * FZ_VERBOSE=1 in the environment makes a harness say on stderr what it
 * decoded (how a seed is checked to be accepted in full).
 *
 * Harness state here is per process (the memfd, flags parsed once): fine
 * for test programs, never in common/.
 */
#ifndef VM_FUZZ_H
#define VM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch/arch.h"
#include "dump/dump.h"
#include "err.h"
#include "opts.h"
#include "vmcoreinfo/vmcoreinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The library opens dumps by path: the input goes into one memfd per
 * process, reopened through /proc/self/fd (a regular file: mmap works).
 * fz_memfd() empties it and sets its size (holes read as zeros). */
static inline int fz_memfd(size_t size, const char **path)
{
	static int fd = -1;
	static char p[64];

	if (fd < 0) {
		fd = memfd_create("fuzz-input", MFD_CLOEXEC);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)size) < 0) {
		perror("memfd truncate");
		abort();
	}
	*path = p;
	return fd;
}

static inline void fz_memfd_write(int fd, const void *data, size_t size, uint64_t off)
{
	if (size && pwrite(fd, data, size, (off_t)off) != (ssize_t)size) {
		perror("memfd write");
		abort();
	}
}

static inline const char *fz_file(const uint8_t *data, size_t size)
{
	const char *path;

	fz_memfd_write(fz_memfd(size, &path), data, size, 0);
	return path;
}

/* Little-endian fields of the harness input formats. */
static inline uint64_t fz_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/*
 * Default libFuzzer flags for our harnesses, appended unless the command
 * line gives them: a unit that runs for seconds is a hang to us (the
 * programs promise bounded run time), and allocations from file data must
 * stay far below 1 GiB.  Works because libFuzzer parses flags after
 * LLVMFuzzerInitialize().
 */
static inline void fz_default_flags(int *argc, char ***argv, const char *const *defs)
{
	static char *nargv[64];
	int n = 0, i, j;

	for (i = 0; i < *argc && n < 48; i++)
		nargv[n++] = (*argv)[i];
	for (j = 0; defs[j] && n < 63; j++) {
		size_t klen = strcspn(defs[j], "=");
		int given = 0;

		for (i = 1; i < *argc; i++)
			if (!strncmp((*argv)[i], defs[j], klen + 1))
				given = 1;
		if (!given)
			nargv[n++] = (char *)defs[j];
	}
	nargv[n] = NULL;
	*argc = n;
	*argv = nargv;
}

/* ASan keeps 256 MiB of freed memory by default; our harnesses free
 * megabytes per input (page caches, bitmaps), so a smaller quarantine keeps
 * RSS and page faults down.  ASAN_OPTIONS still overrides this. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=16";
}

#define FZ_COMMON_FLAGS "-timeout=20", "-rss_limit_mb=2560", "-malloc_limit_mb=1100"

/* ---- walking an opened dump: what every program does first ---- */

/* Bounded reads over what the dump says it holds: notes, VMCOREINFO,
 * the first and last page of each range, pages around the edges. */
static inline void fz_exercise_dump(struct vm_dump *d)
{
	const struct vm_dump_info *in = vm_dump_info(d);
	static uint8_t buf[3 << 20];
	volatile unsigned sink = 0;
	struct vm_err e;
	size_t i, n, len, reads = 0;
	const char *vi;

	for (i = 0; i < vm_dump_nr_notes(d); i++) {
		const struct vm_note *no = vm_dump_note(d, i);
		const uint8_t *p = no->desc;

		sink += (unsigned)strlen(no->name);
		if (no->descsz)
			sink += p[0] + p[no->descsz - 1];
	}
	vi = vm_dump_vmcoreinfo(d, &len);
	if (vi && len)
		sink += (unsigned)vi[0] + (unsigned)vi[len - 1];
	n = vm_dump_nr_ranges(d);
	for (i = 0; i < n && reads < 64; i++) {
		const struct vm_phys_range *r = vm_dump_range(d, i);
		uint64_t ps = in->page_size ? in->page_size : 4096;

		vm_dump_pfn_present(d, r->start / ps, &e);
		if (vm_dump_read_phys(d, r->start, buf, ps, &e) == 0)
			sink += buf[0];
		if (r->size > ps &&
		    vm_dump_read_phys(d, r->start + r->size - ps, buf, ps, &e) == 0)
			sink += buf[ps - 1];
		/* a read that crosses pages and the range end */
		if (r->size >= ps && r->start + r->size - ps / 2 > r->start)
			vm_dump_read_phys(d, r->start + r->size - ps / 2, buf, ps, &e);
		reads += 3;
	}
	/* every pfn of a small dump: descriptor lookups, decompression */
	if (in->page_size && in->page_size <= sizeof(buf))
		for (uint64_t pfn = 0; pfn < in->max_pfn && pfn < 48; pfn++)
			if (vm_dump_pfn_present(d, pfn, &e) == 1 &&
			    vm_dump_read_phys(d, pfn * in->page_size, buf,
					      in->page_size, &e) == 0)
				sink += buf[0];
	vm_dump_pfn_present(d, UINT64_MAX, &e);
	vm_dump_read_phys(d, UINT64_MAX - 16, buf, 8, &e);
	(void)sink;
}

/* The arch view a program sets up next: VMCOREINFO, register notes,
 * page-table walks of a few addresses VMCOREINFO names. */
static inline void fz_exercise_mem(struct vm_dump *d)
{
	static const char *const syms[] = { "init_uts_ns", "prb", "mem_section",
		"init_top_pgt", "swapper_pg_dir", "_stext", "kallsyms_names" };
	struct vm_vmcoreinfo *vi = NULL;
	struct vm_opts o;
	struct vm_mem *m;
	struct vm_regs r;
	struct vm_err e;
	uint8_t buf[64];
	uint64_t va, pa;
	size_t len;
	const char *text = vm_dump_vmcoreinfo(d, &len);

	memset(&o, 0, sizeof(o));
	if (text)
		vi = vm_vmcoreinfo_parse(text, len, &e);
	m = vm_mem_open(d, vi, &o, &e);
	if (m) {
		for (int i = 0; i < vm_mem_nr_cpu_regs(m) && i < 8; i++)
			vm_mem_cpu_regs(m, i, &r, &e);
		for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
			if (vi && vm_vmci_symbol(vi, syms[i], &va) == 0) {
				vm_kvtop(m, va, &pa, &e);
				vm_kread(m, va, buf, sizeof(buf), &e);
			}
		vm_kread(m, vm_mem_page_offset(m), buf, sizeof(buf), &e);
		vm_mem_close(m);
	}
	vm_vmcoreinfo_free(vi);
}

/* A dump harness: the input with the format's signature forced at offset 0
 * (so mutations explore the format, not the detection). */
static inline int fz_dump_input(const uint8_t *data, size_t size,
				const char *magic, size_t mlen)
{
	static uint8_t *copy;
	static size_t cap;
	struct vm_dump *d;
	struct vm_err e;

	if (size < mlen)
		return 0;
	if (size > cap) {
		free(copy);
		cap = size;
		copy = malloc(cap);
		if (!copy)
			abort();
	}
	memcpy(copy, data, size);
	memcpy(copy, magic, mlen);
	d = vm_dump_open(fz_file(copy, size), NULL, &e);
	if (!d)
		return 0;
	fz_exercise_dump(d);
	fz_exercise_mem(d);
	vm_dump_close(d);
	return 0;
}

#endif
