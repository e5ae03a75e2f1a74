// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cache directory and its files (cache.h): where it is, who may own
 * it, how files are opened, written and evicted, and the fingerprint and
 * checksum everything in it uses.  Entries and per-file records on top of
 * this are in cache_entry.c.
 */
#include "cache.h"
#include "cache_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Nothing we cache comes near this; a larger file is not ours. */
#define CACHE_FILE_MAX ((uint64_t)1 << 31)
/* A hit refreshes the file's mtime (its "last used" for eviction) when it
 * is older than this; not on every hit, to keep hits read-only mostly. */
#define TOUCH_AFTER_S 600
/* Temporary files of writers that died are removed after this. */
#define STALE_TMP_S 3600
/* Eviction brings the directory down to this fraction of the cap. */
#define EVICT_TO_NUM 3
#define EVICT_TO_DEN 4

static bool env_off(const char *v)
{
	return v && (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "no") ||
		     !strcmp(v, "false") || !strcmp(v, "none"));
}

bool vm_cache_enabled(const struct vm_opts *o)
{
	return !vm_opt_has(o, "nocache") && !env_off(getenv("VMCOREUTILS_CACHE"));
}

int vm_cache_dir_path(const struct vm_opts *o, char *buf, size_t n)
{
	const char *c = getenv("VMCOREUTILS_CACHE"), *x = getenv("XDG_CACHE_HOME"),
		   *home = getenv("HOME");
	int r;

	if (!vm_cache_enabled(o))
		return -1;
	/* relative paths would depend on the working directory: ignored, as
	 * the XDG base directory spec says */
	if (c && *c == '/')
		r = snprintf(buf, n, "%s", c);
	else if (x && *x == '/')
		r = snprintf(buf, n, "%s/vmcoreutils", x);
	else if (home && *home == '/')
		r = snprintf(buf, n, "%s/.cache/vmcoreutils", home);
	else
		return -1;
	return r > 0 && (size_t)r < n ? 0 : -1;
}

/* mkdir -p with mode 0700 for what is created (the XDG spec's mode for
 * the base directories); existing components are left as they are. */
static int make_dirs(char *path)
{
	char *q;

	for (q = path + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*q = '/';
			return -1;
		}
		*q = '/';
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

int vm_cache_dirfd(const struct vm_opts *o, bool create, struct vm_err *e)
{
	char dir[PATH_MAX];
	struct stat st;
	int fd;

	if (vm_cache_dir_path(o, dir, sizeof(dir)) < 0)
		return vm_fail(e, VM_ENOENT, "no cache directory (caching off, or no "
			       "absolute HOME or XDG_CACHE_HOME)");
	if (create && make_dirs(dir) < 0)
		return vm_fail(e, VM_EIO, "%s: %s", dir, strerror(errno));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return vm_fail(e, errno == ENOENT ? VM_ENOENT : VM_EIO, "%s: %s", dir,
			       strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(fd);
		return vm_fail(e, VM_EIO, "%s: not a directory", dir);
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return vm_fail(e, VM_EINVAL, "%s belongs to uid %u, not to us: not used",
			       dir, (unsigned)st.st_uid);
	}
	/* ours: nobody else may add, rename or read entries (older versions
	 * made it 0755) */
	if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0) {
		close(fd);
		return vm_fail(e, VM_EIO, "%s: mode %o and chmod failed: %s", dir,
			       (unsigned)(st.st_mode & 07777), strerror(errno));
	}
	return fd;
}

int vm_cache_file_path(const struct vm_opts *o, const char *name, char *buf, size_t n)
{
	char dir[PATH_MAX];
	int r;

	if (vm_cache_dir_path(o, dir, sizeof(dir)) < 0)
		return -1;
	r = snprintf(buf, n, "%s/%s", dir, name);
	return r > 0 && (size_t)r < n ? 0 : -1;
}

static bool safe_name(const char *name)
{
	const char *p;

	if (!*name || *name == '.')
		return false;
	for (p = name; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '.' || *p == '_'))
			return false;
	return p - name < NAME_MAX;
}

void vm_cache_release(struct vm_cache_blob *b)
{
	if (b->map)
		munmap(b->map, b->map_len);
	memset(b, 0, sizeof(*b));
}

int vm_cache_map_at(int dfd, const char *name, struct vm_cache_blob *b,
		    struct stat *stp, struct vm_err *e)
{
	struct stat st;
	struct timespec now;
	void *map;
	int fd;

	memset(b, 0, sizeof(*b));
	if (!safe_name(name))
		return vm_fail(e, VM_EINVAL, "bad cache file name");
	/* O_NONBLOCK: a FIFO put in place of the file must not block the
	 * open; O_NOFOLLOW: nor may a symlink lead elsewhere */
	fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return vm_fail(e, errno == ENOENT ? VM_ENOENT : VM_EIO, "%s: %s", name,
			       strerror(errno));
	if (fstat(fd, &st) < 0) {
		vm_fail(e, VM_EIO, "%s: fstat: %s", name, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		vm_fail(e, VM_EFORMAT, "%s: not a regular file", name);
		goto fail;
	}
	if (st.st_uid != geteuid()) {
		vm_fail(e, VM_EINVAL, "%s: belongs to uid %u, not to us", name,
			(unsigned)st.st_uid);
		goto fail;
	}
	if (st.st_size <= 0 || (uint64_t)st.st_size > CACHE_FILE_MAX) {
		vm_fail(e, VM_EFORMAT, "%s: size %lld", name, (long long)st.st_size);
		goto fail;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		vm_fail(e, VM_EIO, "%s: mmap: %s", name, strerror(errno));
		goto fail;
	}
	/* last used, for eviction */
	if (clock_gettime(CLOCK_REALTIME, &now) == 0 &&
	    now.tv_sec - st.st_mtim.tv_sec > TOUCH_AFTER_S)
		futimens(fd, NULL);
	close(fd);
	if (stp)
		*stp = st;
	b->map = map;
	b->map_len = (size_t)st.st_size;
	b->data = map;
	b->len = (size_t)st.st_size;
	return 0;
fail:
	close(fd);
	return -1;
}

int vm_cache_map_file(const struct vm_opts *o, const char *name,
		      struct vm_cache_blob *b, struct vm_err *e)
{
	int dfd = vm_cache_dirfd(o, false, e), r;

	memset(b, 0, sizeof(*b));
	if (dfd < 0)
		return -1;
	r = vm_cache_map_at(dfd, name, b, NULL, e);
	close(dfd);
	return r;
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

static uint64_t random64(void)
{
	uint64_t v;
	struct timespec ts;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	v = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_sec ^
	    (uint64_t)getpid() << 32;
	return v;
}

uint64_t vm_cache_nonce(void)
{
	uint64_t v;

	do
		v = random64();
	while (v == 0);
	return v;
}

#define TMP_PREFIX ".tmp-"

int vm_cache_write_at(int dfd, const char *name, const void *const *parts,
		      const size_t *lens, size_t n, struct vm_err *e)
{
	char tmp[64];
	size_t i;
	int fd = -1, tries;

	if (!safe_name(name))
		return vm_fail(e, VM_EINVAL, "bad cache file name");
	/* a fresh name nobody can have prepared: O_EXCL refuses anything
	 * that exists, O_NOFOLLOW a dangling symlink */
	for (tries = 0; tries < 8 && fd < 0; tries++) {
		snprintf(tmp, sizeof(tmp), TMP_PREFIX "%ld-%016llx", (long)getpid(),
			 (unsigned long long)random64());
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno != EEXIST)
			return vm_fail(e, VM_EIO, "%s: %s", tmp, strerror(errno));
	}
	if (fd < 0)
		return vm_fail(e, VM_EIO, "no free temporary name");
	for (i = 0; i < n; i++)
		if (lens[i] && write_all(fd, parts[i], lens[i]) < 0) {
			vm_fail(e, VM_EIO, "%s: write: %s", tmp,
				errno ? strerror(errno) : "short write");
			close(fd);
			unlinkat(dfd, tmp, 0);
			return -1;
		}
	if (close(fd) < 0) {
		vm_fail(e, VM_EIO, "%s: %s", tmp, strerror(errno));
		unlinkat(dfd, tmp, 0);
		return -1;
	}
	if (renameat(dfd, tmp, dfd, name) < 0) {
		vm_fail(e, VM_EIO, "rename %s -> %s: %s", tmp, name, strerror(errno));
		unlinkat(dfd, tmp, 0);
		return -1;
	}
	vm_cache_evict(dfd, name);
	return 0;
}

int vm_cache_write_file(const struct vm_opts *o, const char *name,
			const void *const *parts, const size_t *lens, size_t n,
			struct vm_err *e)
{
	int dfd = vm_cache_dirfd(o, true, e), r;

	if (dfd < 0)
		return -1;
	r = vm_cache_write_at(dfd, name, parts, lens, n, e);
	close(dfd);
	return r;
}

/* ---- the size cap ---- */

uint64_t vm_cache_max_bytes(void)
{
	const char *s = getenv("VMCOREUTILS_CACHE_MAX");
	unsigned long long v;
	char *end;

	if (!s || !*s)
		return VM_CACHE_MAX_DEFAULT;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return VM_CACHE_MAX_DEFAULT;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	return *end ? VM_CACHE_MAX_DEFAULT : v;
}

struct cfile {
	char name[NAME_MAX + 1];
	uint64_t size;
	struct timespec mtime;
};

static int by_mtime(const void *a, const void *b)
{
	const struct cfile *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Files of ours: regular, owned by us.  Everything else in the directory
 * is left alone (and not counted). */
void vm_cache_evict(int dfd, const char *keep)
{
	uint64_t cap = vm_cache_max_bytes(), total = 0, target;
	struct cfile *f = NULL;
	size_t n = 0, cap_n = 0, i;
	struct timespec now;
	struct dirent *de;
	DIR *d;
	int fd2 = dup(dfd);

	if (fd2 < 0)
		return;
	d = fdopendir(fd2);
	if (!d) {
		close(fd2);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.' && strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)))
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (!strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX))) {
			/* a writer that died long ago */
			if (now.tv_sec - st.st_mtim.tv_sec > STALE_TMP_S)
				unlinkat(dfd, de->d_name, 0);
			continue;
		}
		/* version 1 and 2 files (keyed by BUILD-ID text): never read
		 * again */
		if (strlen(de->d_name) > 4 &&
		    !strcmp(de->d_name + strlen(de->d_name) - 4, ".bin")) {
			unlinkat(dfd, de->d_name, 0);
			continue;
		}
		total += (uint64_t)st.st_size;
		if (n == cap_n) {
			struct cfile *nf = realloc(f, (cap_n ? cap_n * 2 : 64) * sizeof(*f));

			if (!nf)
				goto out;
			f = nf;
			cap_n = cap_n ? cap_n * 2 : 64;
		}
		snprintf(f[n].name, sizeof(f[n].name), "%s", de->d_name);
		f[n].size = (uint64_t)st.st_size;
		f[n].mtime = st.st_mtim;
		n++;
	}
	if (total <= cap)
		goto out;
	target = cap / EVICT_TO_DEN * EVICT_TO_NUM;
	qsort(f, n, sizeof(*f), by_mtime);
	for (i = 0; i < n && total > target; i++) {
		if (keep && !strcmp(f[i].name, keep))
			continue;
		if (unlinkat(dfd, f[i].name, 0) == 0)
			total -= f[i].size;
	}
out:
	free(f);
	closedir(d);
}

/* ---- fingerprint and checksum ---- */

static inline uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void fp_blocks(struct vm_fp_state *s, const uint8_t *p, size_t nblocks)
{
	uint64_t l0 = s->lane[0], l1 = s->lane[1], l2 = s->lane[2], l3 = s->lane[3];

	/* four independent lanes: the multiplies overlap (about 14 GB/s) */
	while (nblocks--) {
		l0 = mix(l0, load64(p));
		l1 = mix(l1, load64(p + 8));
		l2 = mix(l2, load64(p + 16));
		l3 = mix(l3, load64(p + 24));
		p += 32;
	}
	s->lane[0] = l0;
	s->lane[1] = l1;
	s->lane[2] = l2;
	s->lane[3] = l3;
}

void vm_fp_init(struct vm_fp_state *s, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->lane[0] = seed ^ 0x243f6a8885a308d3ull;
	s->lane[1] = seed ^ 0x13198a2e03707344ull;
	s->lane[2] = seed ^ 0xa4093822299f31d0ull;
	s->lane[3] = seed ^ 0x082efa98ec4e6c89ull;
}

void vm_fp_update(struct vm_fp_state *s, const void *p, size_t n)
{
	const uint8_t *b = p;

	s->total += n;
	if (!n)
		return;
	if (s->nbuf) {
		size_t take = 32 - s->nbuf < n ? 32 - s->nbuf : n;

		memcpy(s->buf + s->nbuf, b, take);
		s->nbuf += take;
		b += take;
		n -= take;
		if (s->nbuf < 32)
			return;
		fp_blocks(s, s->buf, 1);
		s->nbuf = 0;
	}
	if (n >= 32) {
		fp_blocks(s, b, n / 32);
		b += n & ~(size_t)31;
		n &= 31;
	}
	if (n)
		memcpy(s->buf, b, n);
	s->nbuf = n;
}

struct vm_fp vm_fp_final(const struct vm_fp_state *s)
{
	struct vm_fp_state t = *s;
	struct vm_fp fp;
	uint64_t tail[4] = { 0, 0, 0, 0 };

	/* the tail, zero-padded, as one more block; the length decides
	 * what the padding meant */
	memcpy(tail, t.buf, t.nbuf);
	fp_blocks(&t, (const uint8_t *)tail, 1);
	fp.h[0] = mix(mix(mix(mix(t.total, t.lane[0]), t.lane[1]), t.lane[2]), t.lane[3]);
	fp.h[1] = mix(mix(mix(mix(~t.total, t.lane[3]), t.lane[2]), t.lane[1]), t.lane[0]);
	fp.h[0] = mix(fp.h[0], fp.h[1]);
	fp.h[1] = mix(fp.h[1], fp.h[0]);
	return fp;
}

uint64_t vm_cache_sum(const void *p, size_t n)
{
	struct vm_fp_state s;

	vm_fp_init(&s, 0x5eed5eed5eed5eedull);
	vm_fp_update(&s, p, n);
	return vm_fp_final(&s).h[0];
}
