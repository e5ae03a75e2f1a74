// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DWARF name index on disk: $XDG_CACHE_HOME/vmcoreutils/ (default
 * ~/.cache/vmcoreutils), one file per build-id.  Written to a temporary
 * file and renamed, so a reader sees the old file or the new one, never
 * half of one.  A file that fails any check (magic, version, section
 * sizes, build-id, checksum, internal offsets) is ignored and rebuilt.
 */
#include "dwarf_index.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int cache_dir(char *buf, size_t n)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int r;

	if (x && *x == '/')
		r = snprintf(buf, n, "%s/vmcoreutils", x);
	else if (home && *home)
		r = snprintf(buf, n, "%s/.cache/vmcoreutils", home);
	else
		return -1;
	return r > 0 && (size_t)r < n ? 0 : -1;
}

static uint64_t fnv64(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

int vm_dwidx_cache_path(const uint8_t *build_id, unsigned build_id_len,
			const char *file, char *buf, size_t n)
{
	char dir[PATH_MAX], id[2 * 64 + 1], real[PATH_MAX];
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned i;
	int r;

	if (cache_dir(dir, sizeof(dir)) < 0 || !realpath(file, real))
		return -1;
	/* per build-id and path: copies of one vmlinux (say, one with
	 * compressed debug sections) each keep their own index */
	h = fnv64(h, real, strlen(real));
	if (build_id_len && build_id_len <= 64) {
		for (i = 0; i < build_id_len; i++)
			snprintf(id + 2 * i, 3, "%02x", build_id[i]);
		r = snprintf(buf, n, "%s/dwarf-%s-%08llx.idx", dir, id,
			     (unsigned long long)(h & 0xffffffff));
	} else {
		r = snprintf(buf, n, "%s/dwarf-file-%016llx.idx", dir,
			     (unsigned long long)h);
	}
	return r > 0 && (size_t)r < n ? 0 : -1;
}

int vm_dwidx_load(struct vm_dwidx *idx, const char *path,
		  const struct vm_dwsecs *s, const uint8_t *build_id,
		  unsigned build_id_len, struct vm_err *e)
{
	const struct vm_dwidx_hdr *h;
	struct stat st;
	void *p;
	int fd;

	memset(idx, 0, sizeof(*idx));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		vm_fail(e, VM_ENOENT, "%s: %s", path, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(*h) ||
	    (uint64_t)st.st_size > VM_ALLOC_CAP) {
		close(fd);
		vm_fail(e, VM_EFORMAT, "%s: bad size", path);
		return 0;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		vm_fail(e, VM_EIO, "%s: mmap: %s", path, strerror(errno));
		return 0;
	}
	idx->mem = p;
	idx->memsz = (size_t)st.st_size;
	idx->mapped = true;
	h = p;
	if (memcmp(h->magic, VM_DWIDX_MAGIC, 8) || h->version != VM_DWIDX_VERSION ||
	    h->hdr_size != sizeof(*h)) {
		vm_fail(e, VM_EFORMAT, "%s: not a current index file", path);
		goto bad;
	}
	if (h->info_size != s->info_size || h->abbrev_size != s->abbrev_size ||
	    h->str_size != s->str_size || h->file_size != s->file_size ||
	    h->file_mtime_ns != s->file_mtime_ns || h->build_id_len != build_id_len ||
	    (build_id_len && memcmp(h->build_id, build_id, build_id_len))) {
		vm_fail(e, VM_EMISMATCH, "%s: built from another file", path);
		goto bad;
	}
	if (vm_dwidx_checksum(h + 1, idx->memsz - sizeof(*h)) != h->checksum) {
		vm_fail(e, VM_EFORMAT, "%s: checksum mismatch", path);
		goto bad;
	}
	if (vm_dwidx_attach(idx, e) < 0) {
		vm_err_prefix(e, "%s: ", path);
		goto bad;
	}
	return 1;
bad:
	munmap(p, idx->memsz);
	memset(idx, 0, sizeof(*idx));
	return 0;
}

static int mkdirs(char *dir)
{
	char *q;

	for (q = dir + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = 0;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			*q = '/';
			return -1;
		}
		*q = '/';
	}
	return mkdir(dir, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int vm_dwidx_save(const struct vm_dwidx *idx, const char *path, struct vm_err *e)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 16];
	const char *slash = strrchr(path, '/');
	const uint8_t *p = idx->mem;
	size_t left = idx->memsz;
	int fd;

	if (!slash || (size_t)(slash - path) >= sizeof(dir))
		return vm_fail(e, VM_EINVAL, "%s: bad cache path", path);
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = 0;
	if (mkdirs(dir) < 0)
		return vm_fail(e, VM_EIO, "%s: %s", dir, strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return vm_fail(e, VM_EIO, "%s: %s", tmp, strerror(errno));
	while (left) {
		ssize_t w = write(fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			vm_fail(e, VM_EIO, "%s: write: %s", tmp,
				w < 0 ? strerror(errno) : "short write");
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, 0644) < 0 || close(fd) < 0) {
		vm_fail(e, VM_EIO, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		vm_fail(e, VM_EIO, "rename %s -> %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
