// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lkdf_pages OUT FILE...: every page libkdumpfile reads from a dump (the
 * files of a split set given together), for tests/peer/libkdumpfile.sh.
 *
 * Written against Debian's libkdumpfile-dev (0.5.1, bookworm) through its
 * public API only; built by the peer script, not by `make`, because that
 * package is a test dependency of this one check.
 *
 * stdout: "format: F", "byte_order: 0|1" (0 big-endian), "ptr_size: N",
 * "arch: NAME", "xen_type: N" (the attributes that say what the dump is;
 * "?" when absent), "pages: N", or "open: MESSAGE" and exit 1 when the
 * dump does not open.  OUT gets, for each pfn the file's page map has and
 * kdump_read() returns: u64 pfn (little-endian), then page_size bytes.
 * Exit 2 usage, 1 failure.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

static void attr_num(kdump_ctx_t *ctx, const char *key, const char *label)
{
	kdump_num_t n;

	if (kdump_get_number_attr(ctx, key, &n) == KDUMP_OK)
		printf("%s: %llu\n", label, (unsigned long long)n);
	else
		printf("%s: ?\n", label);
}

static void attr_str(kdump_ctx_t *ctx, const char *key, const char *label)
{
	const char *s;

	if (kdump_get_string_attr(ctx, key, &s) == KDUMP_OK)
		printf("%s: %s\n", label, s);
	else
		printf("%s: ?\n", label);
}

int main(int argc, char **argv)
{
	kdump_ctx_t *ctx;
	kdump_attr_t attr;
	kdump_num_t ps;
	kdump_addr_t pfn = 0;
	uint64_t pages = 0;
	int fds[64];
	unsigned n = 0;
	FILE *out;

	if (argc < 3 || argc - 2 > 64) {
		fprintf(stderr, "usage: lkdf_pages OUT FILE...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		fds[n] = open(argv[i], O_RDONLY);
		if (fds[n++] < 0) {
			perror(argv[i]);
			return 1;
		}
	}
	ctx = kdump_new();
	if (!ctx)
		return 1;
	if (kdump_open_fdset(ctx, n, fds) != KDUMP_OK) {
		printf("open: %s\n", kdump_get_err(ctx));
		return 1;
	}
	attr_str(ctx, "file.format", "format");
	attr_num(ctx, "arch.byte_order", "byte_order");
	attr_num(ctx, "arch.ptr_size", "ptr_size");
	attr_str(ctx, "arch.name", "arch");
	attr_num(ctx, "xen.type", "xen_type");
	out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	attr.type = KDUMP_BITMAP; /* the type asked for */
	if (kdump_get_number_attr(ctx, "arch.page_size", &ps) != KDUMP_OK ||
	    kdump_get_typed_attr(ctx, "file.pagemap", &attr) != KDUMP_OK ||
	    attr.type != KDUMP_BITMAP) {
		/* no page size or page map: no page to read */
		printf("pages: 0\n");
		fclose(out);
		return 0;
	}
	char *buf = malloc(ps);

	if (!buf)
		return 1;
	while (kdump_bmp_find_set(attr.val.bitmap, &pfn) == KDUMP_OK) {
		size_t len = ps;
		uint8_t le[8];

		if (kdump_read(ctx, KDUMP_MACHPHYSADDR, pfn * ps, buf, &len) ==
		    KDUMP_OK) {
			for (int i = 0; i < 8; i++)
				le[i] = (uint8_t)(pfn >> (8 * i));
			fwrite(le, 1, 8, out);
			fwrite(buf, 1, ps, out);
			pages++;
		}
		if (pfn + 1 == 0)
			break;
		pfn++;
	}
	printf("pages: %" PRIu64 "\n", pages);
	free(buf);
	kdump_free(ctx);
	return fclose(out) ? 1 : 0;
}
