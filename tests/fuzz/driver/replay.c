// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay [-v] [-m MIB] FILE|DIR...: feed each file (each regular file of a DIR, in
 * name order) to the harness's LLVMFuzzerTestOneInput, as libFuzzer would
 * replay a crash reproducer, but without libFuzzer: linked with each
 * tests/fuzz/NAME.c by the normal build into $(O)/fuzz-replay/NAME, so the
 * regression inputs in tests/fuzz/regress/NAME/ run in `make test` (and
 * under ASan with SAN=1).  Exit 0 when every input ran; a bug shows as a
 * sanitizer report or a signal.  -m MIB: exit 3 as soon as the peak RSS
 * passes MIB (what libFuzzer's -rss_limit_mb catches: an allocation sized
 * by the input and then filled).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int verbose;
static long rss_limit_mib;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "replay: %s: out of memory\n", path);
				exit(1);
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	if (verbose)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	/* a copy of exactly len bytes, so ASan sees reads past the input */
	uint8_t *in = malloc(len ? len : 1);

	if (!in)
		exit(1);
	memcpy(in, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(in, len);
	free(in);
	if (rss_limit_mib) {
		struct rusage ru;

		if (getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss / 1024 > rss_limit_mib) {
			fprintf(stderr, "replay: %s: peak RSS %ld MiB, over the %ld MiB limit\n",
				path, ru.ru_maxrss / 1024, rss_limit_mib);
			exit(3);
		}
	}
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int ret = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				exit(1);
		}
		names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (!names[n])
			exit(1);
		sprintf(names[n], "%s/%s", dir, de->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    run_file(names[i]) < 0)
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	int i, ret = 0, count = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;

		if (!strcmp(argv[i], "-v")) {
			verbose = 1;
			continue;
		}
		if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			rss_limit_mib = atol(argv[++i]);
			continue;
		}
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			ret = 1;
			continue;
		}
		if ((S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i])) < 0)
			ret = 1;
		count++;
	}
	if (!count) {
		fprintf(stderr, "usage: %s [-v] [-m MIB] FILE|DIR...\n", argv[0]);
		return 2;
	}
	return ret;
}
