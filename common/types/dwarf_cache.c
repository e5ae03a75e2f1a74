// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DWARF name index on disk, in the common cache directory (../cache.h
 * does the directory, the checks on open and the atomic writes).
 *
 * Unlike the dump's tables, a vmlinux's .debug_info is hundreds of MB:
 * hashing it on every run would cost more than building the index.  So
 * the index is keyed by the file it was built from, the way make or rsync
 * know a file unchanged: its build-id, path, device, inode and change
 * time are in the file name, its size and mtime and section sizes in the
 * index header (checked on load).  An index is saved only when the file
 * was last changed a few seconds before, so that a later change cannot
 * share the timestamps.  A file that fails any check (magic, version,
 * section sizes, build-id, checksum, internal offsets) is ignored and
 * rebuilt.
 */
#include "dwarf_index.h"

#include "../cache.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* see the racy-file note above */
#define RACY_S 2

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
	char name[NAME_MAX], id[2 * 64 + 1], real[PATH_MAX];
	uint64_t h = 0xcbf29ce484222325ull, w[4];
	struct stat st;
	unsigned i;
	int r;

	if (!vm_cache_enabled(NULL) || !realpath(file, real) || stat(real, &st) < 0)
		return -1;
	/* per file: copies of one vmlinux (say, one with compressed debug
	 * sections) each keep their own index, and a file replaced or
	 * rewritten in place gets a new one */
	h = fnv64(h, real, strlen(real));
	w[0] = (uint64_t)st.st_dev;
	w[1] = (uint64_t)st.st_ino;
	w[2] = (uint64_t)st.st_ctim.tv_sec;
	w[3] = (uint64_t)st.st_ctim.tv_nsec;
	h = fnv64(h, w, sizeof(w));
	if (build_id_len && build_id_len <= 64) {
		for (i = 0; i < build_id_len; i++)
			snprintf(id + 2 * i, 3, "%02x", build_id[i]);
		r = snprintf(name, sizeof(name), "dwarf-%s-%016llx.idx", id,
			     (unsigned long long)h);
	} else {
		r = snprintf(name, sizeof(name), "dwarf-file-%016llx.idx",
			     (unsigned long long)h);
	}
	if (r <= 0 || (size_t)r >= sizeof(name))
		return -1;
	return vm_cache_file_path(NULL, name, buf, n);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int vm_dwidx_load(struct vm_dwidx *idx, const char *path,
		  const struct vm_dwsecs *s, const uint8_t *build_id,
		  unsigned build_id_len, struct vm_err *e)
{
	const struct vm_dwidx_hdr *h;
	struct vm_cache_blob b;

	memset(idx, 0, sizeof(*idx));
	if (vm_cache_map_file(NULL, base_name(path), &b, e) < 0)
		return 0;
	if (b.len < sizeof(*h) || b.len > VM_ALLOC_CAP) {
		vm_fail(e, VM_EFORMAT, "%s: bad size", path);
		goto bad;
	}
	/* the mapping stays with the index for the rest of the run */
	idx->mem = b.map;
	idx->memsz = b.len;
	idx->mapped = true;
	h = idx->mem;
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
	vm_cache_release(&b);
	memset(idx, 0, sizeof(*idx));
	return 0;
}

int vm_dwidx_save(const struct vm_dwidx *idx, const char *path, struct vm_err *e)
{
	const struct vm_dwidx_hdr *h = idx->mem;
	const void *parts[1] = { idx->mem };
	size_t lens[1] = { idx->memsz };
	struct timespec now;

	if (!h || idx->memsz < sizeof(*h))
		return vm_fail(e, VM_EINVAL, "%s: no index to save", path);
	/* the file's identity is the key: a file changed a moment ago could
	 * change again without its times showing it */
	if (clock_gettime(CLOCK_REALTIME, &now) == 0 &&
	    (int64_t)now.tv_sec - (int64_t)(h->file_mtime_ns / 1000000000u) < RACY_S)
		return vm_fail(e, VM_EINVAL, "%s: changed less than %d s ago", path, RACY_S);
	return vm_cache_write_file(NULL, base_name(path), parts, lens, 1, e);
}
