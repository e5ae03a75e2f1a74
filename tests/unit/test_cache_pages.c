// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/cache_pages.c, the page store of a dump file: what
 * a run put is what the next run gets, byte for byte and by pfn; a page
 * damaged on disk, a store of another page size, a file changed since and
 * a tainted run are never taken or written; the per-file cap holds.
 *
 * The "dump file" is tests/data/vmcore.kdump-zlib, only stat()ed: its
 * times are older than the 2 s a file must be left alone before anything
 * is recorded about it (a clean clone builds for longer than that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"

#define DUMP "tests/data/vmcore.kdump-zlib"
#define PS 4096

static int failures, tests;

static void ok(int cond, const char *what)
{
	tests++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tests, what);
	if (!cond)
		failures++;
}

static void fill(uint8_t *page, unsigned seed)
{
	for (size_t i = 0; i < PS; i++)
		page[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

static struct vm_cache_sess *sess(const struct stat *st)
{
	return vm_cache_sess_open(NULL, st);
}

/* The store file's name in dir (there is one at most). */
static int store_path(const char *dir, char *buf, size_t n)
{
	char cmd[512];
	FILE *f;
	int r = -1;

	snprintf(cmd, sizeof(cmd), "ls %s/pages-*.pag 2>/dev/null", dir);
	f = popen(cmd, "r");
	if (f && fgets(buf, (int)n, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		r = 0;
	}
	if (f)
		pclose(f);
	return r;
}

/* One byte of the last page of the store, changed. */
static int flip_near_end(const char *path)
{
	FILE *f = fopen(path, "r+b");
	int c, r = -1;

	if (!f)
		return -1;
	if (fseek(f, -10, SEEK_END) == 0 && (c = fgetc(f)) != EOF &&
	    fseek(f, -10, SEEK_END) == 0 && fputc(c ^ 0x55, f) != EOF)
		r = 0;
	if (fclose(f) != 0)
		r = -1;
	return r;
}

int main(void)
{
	char dir[] = "/tmp/vmcu-test-pages-XXXXXX", path[600], cmd[100];
	uint8_t page[PS], other[PS];
	struct vm_cache_sess *s;
	struct vm_cache_pages *p;
	struct stat st, st2;
	const uint8_t *got;
	FILE *f;
	unsigned i;
	bool stable;

	if (!mkdtemp(dir) || stat(DUMP, &st) < 0) {
		printf("Bail out! no temporary directory or no %s\n", DUMP);
		return 1;
	}
	setenv("VMCOREUTILS_CACHE", dir, 1);

	/* a first run: nothing kept; it puts three pages, one twice */
	s = sess(&st);
	p = vm_cache_pages_open(s, PS);
	ok(p && vm_cache_pages_kept(p) == 0, "a new dump file has no kept pages");
	ok(vm_cache_pages_get(p, 5, &stable) == NULL, "nothing to get from an absent store");
	for (i = 1; i <= 3; i++) {
		fill(page, i);
		vm_cache_pages_put(p, i * 100, page);
	}
	fill(page, 2);
	vm_cache_pages_put(p, 200, page);
	fill(page, 3);
	got = vm_cache_pages_get(p, 300, &stable);
	ok(got && !memcmp(got, page, PS) && !stable,
	   "a page put is given again in the same run (to be copied)");
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);
	ok(store_path(dir, path, sizeof(path)) == 0, "the run wrote a store");
	{
		struct stat sst;

		/* three slots of pages and little else: a page put twice is
		 * stored once */
		ok(stat(path, &sst) == 0 && sst.st_size > 3 * PS && sst.st_size < 4 * PS,
		   "three pages stored, the one put twice once");
	}

	/* the next run gets them, by pfn, byte for byte */
	s = sess(&st);
	p = vm_cache_pages_open(s, PS);
	ok(vm_cache_pages_kept(p) == 3, "three pages kept (the one put twice once)");
	fill(page, 2);
	got = vm_cache_pages_get(p, 200, &stable);
	ok(got && !memcmp(got, page, PS) && stable,
	   "pfn 200 gives the page put for it, where it stays until close");
	fill(page, 3);
	got = vm_cache_pages_get(p, 300, &stable);
	ok(got && !memcmp(got, page, PS), "pfn 300 gives the page put for it");
	ok(vm_cache_pages_get(p, 150, &stable) == NULL && vm_cache_pages_get(p, 0, &stable) == NULL &&
	   vm_cache_pages_get(p, 400, &stable) == NULL, "pfns never put give nothing");
	/* a run that adds a page keeps the old ones beside it */
	fill(page, 4);
	vm_cache_pages_put(p, 50, page);
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);
	s = sess(&st);
	p = vm_cache_pages_open(s, PS);
	got = vm_cache_pages_get(p, 50, &stable);
	ok(vm_cache_pages_kept(p) == 4 && got && !memcmp(got, page, PS),
	   "a page added by a later run is kept beside the others");
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);

	/* another page size: the store is not for it */
	s = sess(&st);
	p = vm_cache_pages_open(s, PS * 2);
	ok(vm_cache_pages_kept(p) == 0 && !vm_cache_pages_get(p, 100, &stable),
	   "a store of another page size is not taken");
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);

	/* the same file changed since (another mtime): another identity */
	st2 = st;
	st2.st_mtim.tv_sec -= 10;
	s = sess(&st2);
	p = vm_cache_pages_open(s, PS);
	ok(vm_cache_pages_kept(p) == 0, "a file with other times does not take the store");
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);

	/* one byte of a kept page changed on disk: not taken, store rewritten */
	ok(flip_near_end(path) == 0, "damaged a kept page");
	s = sess(&st);
	p = vm_cache_pages_open(s, PS);
	got = NULL;
	for (i = 0; i < 4; i++) {
		const uint64_t pfns[] = { 50, 100, 200, 300 };
		const uint8_t *g = vm_cache_pages_get(p, pfns[i], &stable);

		if (!g)
			break;
		got = g;
	}
	ok(i < 4 && vm_cache_pages_damaged(p), "the damaged page is not given, the store marked");
	ok(vm_cache_pages_get(p, 50, &stable) == NULL, "after damage nothing more comes from the store");
	fill(page, 9);
	vm_cache_pages_put(p, 700, page);
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);
	s = sess(&st);
	p = vm_cache_pages_open(s, PS);
	ok(vm_cache_pages_kept(p) == 1 && vm_cache_pages_get(p, 700, &stable) != NULL,
	   "the store was rewritten with this run's pages only");
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);

	/* a run that met corruption writes nothing */
	s = sess(&st);
	p = vm_cache_pages_open(s, PS);
	fill(page, 10);
	vm_cache_pages_put(p, 800, page);
	vm_cache_sess_taint(s);
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);
	s = sess(&st);
	p = vm_cache_pages_open(s, PS);
	ok(vm_cache_pages_get(p, 800, &stable) == NULL, "a tainted run wrote no page");
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);

	/* the cap: 16 MiB of pages a file; a run that reads more keeps the first */
	s = sess(&st);
	p = vm_cache_pages_open(s, PS);
	for (i = 0; i < 5000; i++) {
		fill(page, i);
		vm_cache_pages_put(p, 10000 + i, page);
	}
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);
	s = sess(&st);
	p = vm_cache_pages_open(s, PS);
	fill(other, 4095);
	got = vm_cache_pages_get(p, 10000 + 4095, &stable);
	ok(vm_cache_pages_kept(p) == 4096 && got && !memcmp(got, other, PS) &&
	   !vm_cache_pages_get(p, 10000 + 4096, &stable),
	   "a run past the cap keeps its first 16 MiB, and only its own pages");
	vm_cache_pages_close(p);
	vm_cache_sess_close(s);
	f = fopen(path, "rb");
	if (f) {
		fseek(f, 0, SEEK_END);
		ok(ftell(f) <= (16 << 20) + 4096 * 24 + 4096, "the store file is within the cap");
		fclose(f);
	} else {
		ok(0, "the store file is within the cap");
	}

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		failures++;
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
