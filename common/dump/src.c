// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The logical file a format reader parses: the dump file itself (mapped when
 * possible, else pread), or the file a flattened stream describes (flat.c
 * builds the segment index; reads are served from it here).
 */
#include "dump_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not one is, for messages. */
static const char *kind_of(mode_t m)
{
	if (S_ISFIFO(m))
		return "a pipe";
	if (S_ISCHR(m))
		return "a character device (a terminal?)";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISDIR(m))
		return "a directory";
	return "not a regular file";
}

int vm_src_open(struct vm_src *s, const char *path, struct vm_err *e)
{
	bool in = strcmp(path, "-") == 0;
	struct stat st;

	memset(s, 0, sizeof(*s));
	/* "-" reads standard input, which works when it is the dump file
	 * itself (vmlog - < vmcore); a copy of the descriptor, so closing
	 * the dump leaves stdin alone */
	s->fd = in ? fcntl(0, F_DUPFD_CLOEXEC, 3) : open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return vm_fail(e, VM_EIO, "cannot open%s: %s",
			       in ? " standard input" : "", strerror(errno));
	if (fstat(s->fd, &st) < 0) {
		vm_fail(e, VM_EIO, "fstat: %s", strerror(errno));
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		s->file_size = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(s->fd, 0, SEEK_END);

		if (end < 0) {
			vm_fail(e, VM_EIO, "lseek: %s", strerror(errno));
			goto fail;
		}
		s->file_size = (uint64_t)end;
	} else {
		/* Formats need random access (kdump descriptors point
		 * anywhere, a flattened stream must be indexed). */
		vm_fail(e, VM_EUNSUP, "%s is %s; unsupported: a dump needs a "
			"seekable file: save it to a file first",
			in ? "standard input" : "the dump", kind_of(st.st_mode));
		goto fail;
	}
	s->size = s->file_size;
	if (s->file_size > 0 && S_ISREG(st.st_mode) &&
	    s->file_size <= (uint64_t)SIZE_MAX) {
		void *p = mmap(NULL, (size_t)s->file_size, PROT_READ,
			       MAP_PRIVATE, s->fd, 0);

		if (p != MAP_FAILED)
			s->map = p;
	}
	return 0;
fail:
	close(s->fd);
	s->fd = -1;
	return -1;
}

int vm_src_id(const struct vm_src *s, dev_t *dev, ino_t *ino)
{
	struct stat st;

	if (s->fd < 0 || fstat(s->fd, &st) < 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

void vm_src_close(struct vm_src *s)
{
	if (s->map)
		munmap((void *)s->map, (size_t)s->file_size);
	if (s->fd >= 0)
		close(s->fd);
	free(s->segs);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* Read from the real file. */
static int file_read(const struct vm_src *s, uint64_t off, void *buf,
		     size_t len, struct vm_err *e)
{
	uint8_t *p = buf;

	if (s->map) {
		memcpy(buf, s->map + off, len);
		return 0;
	}
	while (len) {
		ssize_t n = pread(s->fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return vm_fail(e, VM_EIO, "read at offset %#llx: %s",
				       (unsigned long long)off, strerror(errno));
		}
		if (n == 0)
			return vm_fail(e, VM_ETRUNC, "file ends at offset %#llx",
				       (unsigned long long)off);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* First segment whose end is beyond off. */
static size_t seg_find(const struct vm_src *s, uint64_t off)
{
	size_t lo = 0, hi = s->nr_segs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->segs[mid].loff + s->segs[mid].len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int vm_src_read(const struct vm_src *s, uint64_t off, void *buf, size_t len,
		const char *what, struct vm_err *e)
{
	if (off > s->size || len > s->size - off) {
		uint64_t have = off < s->size ? s->size - off : 0;

		return vm_fail(e, VM_ETRUNC,
			       "%s truncated at offset %#llx: %llu of %zu bytes",
			       what, (unsigned long long)off,
			       (unsigned long long)have, len);
	}
	if (!s->segs)
		return file_read(s, off, buf, len, e);

	/* Flattened: bytes no record wrote are zero, as in the file that
	 * `makedumpfile -R` would rebuild (it seeks over them). */
	uint8_t *p = buf;
	size_t i = seg_find(s, off);

	while (len) {
		const struct vm_flat_seg *g = i < s->nr_segs ? &s->segs[i] : NULL;
		uint64_t n;

		if (!g || off < g->loff) {
			n = g ? g->loff - off : len;
			if (n > len)
				n = len;
			memset(p, 0, (size_t)n);
		} else {
			n = g->loff + g->len - off;
			if (n > len)
				n = len;
			if (file_read(s, g->foff + (off - g->loff), p, (size_t)n,
				      e) < 0)
				return -1;
			i++;
		}
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

const void *vm_src_ptr(const struct vm_src *s, uint64_t off, size_t len)
{
	if (!s->map || off > s->size || len > s->size - off)
		return NULL;
	if (!s->segs)
		return s->map + off;
	size_t i = seg_find(s, off);

	if (i < s->nr_segs && s->segs[i].loff <= off &&
	    off + len <= s->segs[i].loff + s->segs[i].len)
		return s->map + s->segs[i].foff + (off - s->segs[i].loff);
	return NULL;
}

const void *vm_src_get(const struct vm_src *s, uint64_t off, size_t len,
		       void **own, const char *what, struct vm_err *e)
{
	const void *p;

	*own = NULL;
	if (off > s->size || len > s->size - off) {
		vm_src_read(s, off, NULL, len, what, e); /* bounds message */
		return NULL;
	}
	p = vm_src_ptr(s, off, len);
	if (p)
		return p;
	/* A flattened stream's logical file may be far larger than the
	 * stream (bytes no record wrote read as zero): a structure larger
	 * than the real file is mostly such holes, i.e. corrupt, and must
	 * not become an allocation of that size. */
	if (len > s->file_size) {
		vm_fail(e, VM_ECORRUPT, "%s at offset %#llx: %zu bytes, more "
			"than the whole file (%llu bytes)", what,
			(unsigned long long)off, len,
			(unsigned long long)s->file_size);
		return NULL;
	}
	*own = vm_malloc(len, e);
	if (!*own)
		return NULL;
	if (vm_src_read(s, off, *own, len, what, e) < 0) {
		free(*own);
		*own = NULL;
		return NULL;
	}
	return *own;
}
