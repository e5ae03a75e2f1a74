// SPDX-License-Identifier: GPL-2.0-or-later
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "VMCUCACH"
#define CACHE_VERSION 2
#define CACHE_MAX ((size_t)1 << 30)

struct cache_hdr {
	char magic[8];
	uint32_t version;
	uint32_t hdr_len;       /* sizeof(struct cache_hdr) */
	char kind[16];
	char key[96];
	uint64_t len;           /* payload bytes after the header */
	uint64_t sum;           /* checksum of the payload */
};

bool vm_cache_enabled(const struct vm_opts *o)
{
	return !vm_opt_has(o, "nocache");
}

static int cache_path(const char *kind, const char *key, char *buf, size_t n,
		      bool mkdirs)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char dir[PATH_MAX];
	int r;
	const char *p;

	/* the key becomes a file name: allow only what a build-id has */
	for (p = key; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '.' || *p == '_'))
			return -1;
	if (!*key || strlen(key) >= sizeof(((struct cache_hdr *)0)->key) ||
	    strlen(kind) >= sizeof(((struct cache_hdr *)0)->kind))
		return -1;
	if (x && *x == '/')
		r = snprintf(dir, sizeof(dir), "%s/vmcoreutils", x);
	else if (home && *home == '/')
		r = snprintf(dir, sizeof(dir), "%s/.cache/vmcoreutils", home);
	else
		return -1;
	if (r < 0 || (size_t)r >= sizeof(dir))
		return -1;
	if (mkdirs) {
		char parent[PATH_MAX];

		memcpy(parent, dir, sizeof(parent));
		*strrchr(parent, '/') = '\0';
		if (mkdir(parent, 0755) < 0 && errno != EEXIST)
			return -1;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	r = snprintf(buf, n, "%s/%s-%s.bin", dir, kind, key);
	return r > 0 && (size_t)r < n ? 0 : -1;
}

/* Four independent lanes of word-wise mixing: fast enough to check
 * megabytes on every run (the lanes let the CPU overlap the multiplies). */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static uint64_t checksum_update(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t l[4] = { h, h ^ 1, h ^ 2, h ^ 3 }, w[4];

	while (n >= 32) {
		memcpy(w, b, 32);
		l[0] = mix(l[0], w[0]);
		l[1] = mix(l[1], w[1]);
		l[2] = mix(l[2], w[2]);
		l[3] = mix(l[3], w[3]);
		b += 32;
		n -= 32;
	}
	h = mix(mix(mix(l[0], l[1]), l[2]), l[3]);
	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

int vm_cache_get(const struct vm_opts *o, const char *kind, const char *key,
		 struct vm_cache_blob *b)
{
	const struct cache_hdr *h;
	char path[PATH_MAX];
	struct stat st;
	void *map;
	int fd;

	memset(b, 0, sizeof(*b));
	if (!vm_cache_enabled(o) || cache_path(kind, key, path, sizeof(path), false) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size < sizeof(*h) || (size_t)st.st_size > CACHE_MAX) {
		close(fd);
		return -1;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	h = map;
	if (memcmp(h->magic, CACHE_MAGIC, 8) || h->version != CACHE_VERSION ||
	    h->hdr_len != sizeof(*h) || strncmp(h->kind, kind, sizeof(h->kind)) ||
	    strncmp(h->key, key, sizeof(h->key)) ||
	    h->len != (uint64_t)st.st_size - sizeof(*h) ||
	    checksum_update(0, (const char *)map + sizeof(*h), h->len) != h->sum) {
		munmap(map, (size_t)st.st_size);
		return -1;
	}
	b->data = (const char *)map + sizeof(*h);
	b->len = h->len;
	b->map = map;
	b->map_len = (size_t)st.st_size;
	return 0;
}

void vm_cache_release(struct vm_cache_blob *b)
{
	if (b->map)
		munmap(b->map, b->map_len);
	memset(b, 0, sizeof(*b));
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

void vm_cache_put(const struct vm_opts *o, const char *kind, const char *key,
		  const void *const *parts, const size_t *lens, size_t n)
{
	struct cache_hdr h;
	char path[PATH_MAX], tmp[PATH_MAX + 32];
	size_t i, total = 0;
	char *buf;
	int fd, ok;

	if (!vm_cache_enabled(o) || cache_path(kind, key, path, sizeof(path), true) < 0)
		return;
	for (i = 0; i < n; i++)
		total += lens[i];
	if (total > CACHE_MAX)
		return;
	/* one contiguous copy keeps the checksum independent of how the
	 * caller split its parts */
	buf = malloc(sizeof(h) + total);
	if (!buf)
		return;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, CACHE_MAGIC, 8);
	h.version = CACHE_VERSION;
	h.hdr_len = sizeof(h);
	snprintf(h.kind, sizeof(h.kind), "%s", kind);
	snprintf(h.key, sizeof(h.key), "%s", key);
	h.len = total;
	for (i = 0, total = 0; i < n; i++) {
		memcpy(buf + sizeof(h) + total, parts[i], lens[i]);
		total += lens[i];
	}
	h.sum = checksum_update(0, buf + sizeof(h), total);
	memcpy(buf, &h, sizeof(h));
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		ok = write_all(fd, buf, sizeof(h) + total) == 0;
		if (close(fd) < 0)
			ok = 0;
		if (!ok || rename(tmp, path) < 0)
			unlink(tmp);
	}
	free(buf);
}
