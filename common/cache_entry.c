// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Content-addressed entries and per-file records (cache.h).
 *
 * An entry file, KIND-FINGERPRINT.ent:
 *   struct ent_hdr
 *   input part 0, padded to 8 bytes; part 1 ... (the bytes it was made from)
 *   the derived payload
 * The fingerprint covers the kind, its layout version and every input
 * part with its length.  Host byte order: the cache is per machine.
 *
 * A per-file record, file-FINGERPRINT.rec (fingerprint of the identity):
 *   struct rec_hdr, then nref struct vm_cache_ref.
 */
#include "cache.h"
#include "cache_impl.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ENT_MAGIC "VMCUENT\1"
#define REC_MAGIC "VMCUREC\1"
#define ENT_FORMAT 1
#define REC_FORMAT 1
#define REC_MAX_REFS 16
/* A file changed less than this before a record would be written is not
 * recorded: a later change within the same timestamp tick could not be
 * told apart (git's "racy" index entries). */
#define RACY_S 2

struct ent_hdr {
	char magic[8];
	uint32_t format;
	uint32_t hdr_len;
	char kind[16];
	uint32_t kind_version;
	uint32_t nin;
	struct vm_fp fp;
	uint64_t nonce;
	uint64_t in_len[VM_CACHE_MAX_INPUTS];
	uint64_t in_total;          /* inputs with padding */
	uint64_t der_len;
	uint64_t in_sum, der_sum;
	uint64_t hdr_sum;           /* of the header up to here */
};

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static bool kind_ok(const char *kind)
{
	const char *p;

	if (!*kind || strlen(kind) >= sizeof(((struct ent_hdr *)0)->kind))
		return false;
	for (p = kind; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static struct vm_fp input_fp(const char *kind, uint32_t kind_version,
			     const struct vm_cache_part *in, size_t nin)
{
	struct vm_fp_state s;
	char k[16] = { 0 };
	uint64_t w[2] = { kind_version, nin };
	size_t i;

	snprintf(k, sizeof(k), "%s", kind);
	vm_fp_init(&s, 0);
	vm_fp_update(&s, k, sizeof(k));
	vm_fp_update(&s, w, sizeof(w));
	for (i = 0; i < nin; i++) {
		uint64_t len = in[i].len;

		vm_fp_update(&s, &len, sizeof(len));
		vm_fp_update(&s, in[i].p, in[i].len);
	}
	return vm_fp_final(&s);
}

static void ent_name(const char *kind, const struct vm_fp *fp, char *buf, size_t n)
{
	snprintf(buf, n, "%s-%016llx%016llx.ent", kind, (unsigned long long)fp->h[0],
		 (unsigned long long)fp->h[1]);
}

void vm_cache_entry_release(struct vm_cache_entry *ent)
{
	vm_cache_release(&ent->blob);
	memset(ent, 0, sizeof(*ent));
}

static int64_t ns_of(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* ref says the file was verified as it is now, long enough after it was
 * last changed for a later change to show in its times. */
static bool unchanged_since_check(const struct vm_cache_ref *ref, const struct stat *st)
{
	int64_t newest = ns_of(&st->st_mtim) > ns_of(&st->st_ctim) ? ns_of(&st->st_mtim)
								   : ns_of(&st->st_ctim);

	return ref && ref->checked_at && ref->ent_ino == (uint64_t)st->st_ino &&
	       ref->ent_size == (uint64_t)st->st_size &&
	       ref->ent_mtime_ns == ns_of(&st->st_mtim) &&
	       ref->ent_ctime_ns == ns_of(&st->st_ctim) &&
	       ref->checked_at - newest >= (int64_t)RACY_S * 1000000000;
}

/* After the checksums were verified: when, and of which file. */
static void note_checked(struct vm_cache_ref *ref, const struct stat *st)
{
	struct timespec now;

	ref->ent_ino = (uint64_t)st->st_ino;
	ref->ent_size = (uint64_t)st->st_size;
	ref->ent_mtime_ns = ns_of(&st->st_mtim);
	ref->ent_ctime_ns = ns_of(&st->st_ctim);
	ref->checked_at = clock_gettime(CLOCK_REALTIME, &now) == 0 ? ns_of(&now) : 0;
}

/* Map and check everything but the inputs' bytes (and, when trusted says
 * the file is unchanged since it was verified, but the derived payload's
 * checksum); fills ent. */
static int ent_open(const struct vm_opts *o, const char *kind, uint32_t kind_version,
		    const struct vm_fp *fp, const struct vm_cache_ref *trusted,
		    struct vm_cache_entry *ent, struct stat *st)
{
	const struct ent_hdr *h;
	struct vm_err e;
	char name[64];
	size_t i, off;
	int dfd, r;

	memset(ent, 0, sizeof(*ent));
	if (!kind_ok(kind))
		return -1;
	dfd = vm_cache_dirfd(o, false, &e);
	if (dfd < 0)
		return -1;
	ent_name(kind, fp, name, sizeof(name));
	r = vm_cache_map_at(dfd, name, &ent->blob, st, &e);
	close(dfd);
	if (r != 0)
		return -1;
	h = ent->blob.data;
	if (ent->blob.len < sizeof(*h) || memcmp(h->magic, ENT_MAGIC, 8) ||
	    h->format != ENT_FORMAT || h->hdr_len != sizeof(*h) ||
	    strncmp(h->kind, kind, sizeof(h->kind)) || h->kind_version != kind_version ||
	    h->fp.h[0] != fp->h[0] || h->fp.h[1] != fp->h[1] ||
	    h->nin > VM_CACHE_MAX_INPUTS ||
	    vm_cache_sum(h, offsetof(struct ent_hdr, hdr_sum)) != h->hdr_sum)
		goto bad;
	off = sizeof(*h);
	for (i = 0; i < h->nin; i++) {
		if (h->in_len[i] > ent->blob.len - off ||
		    pad8(h->in_len[i]) > ent->blob.len - off)
			goto bad;
		ent->in[i] = (const char *)ent->blob.data + off;
		ent->in_len[i] = h->in_len[i];
		off += pad8(h->in_len[i]);
	}
	if (off - sizeof(*h) != h->in_total || h->der_len != ent->blob.len - off)
		goto bad;
	ent->nin = h->nin;
	ent->der = (const char *)ent->blob.data + off;
	ent->der_len = h->der_len;
	snprintf(ent->ref.kind, sizeof(ent->ref.kind), "%s", kind);
	ent->ref.kind_version = kind_version;
	ent->ref.fp = *fp;
	ent->ref.nonce = h->nonce;
	if (trusted && trusted->nonce == h->nonce && unchanged_since_check(trusted, st)) {
		ent->ref = *trusted;
		return 1;
	}
	if (vm_cache_sum(ent->der, ent->der_len) != h->der_sum)
		goto bad;
	return 0;
bad:
	vm_cache_entry_release(ent);
	return -1;
}

int vm_cache_lookup(const struct vm_opts *o, const char *kind, uint32_t kind_version,
		    const struct vm_cache_part *in, size_t nin, struct vm_cache_entry *ent)
{
	struct vm_fp fp;
	struct stat st;
	size_t i;

	memset(ent, 0, sizeof(*ent));
	if (!vm_cache_enabled(o) || nin > VM_CACHE_MAX_INPUTS || !kind_ok(kind))
		return -1;
	fp = input_fp(kind, kind_version, in, nin);
	if (ent_open(o, kind, kind_version, &fp, NULL, ent, &st) < 0)
		return -1;
	/* the fingerprint only names the file: the bytes decide */
	if (ent->nin != nin)
		goto bad;
	for (i = 0; i < nin; i++)
		if (ent->in_len[i] != in[i].len || memcmp(ent->in[i], in[i].p, in[i].len))
			goto bad;
	/* the stored inputs equal ours, so their checksum holds too */
	note_checked(&ent->ref, &st);
	return 0;
bad:
	vm_cache_entry_release(ent);
	return -1;
}

static int store_named(const struct vm_opts *o, const char *kind, uint32_t kind_version,
		       const struct vm_fp *fp, const struct vm_cache_part *in, size_t nin,
		       const struct vm_cache_part *der, size_t nder,
		       struct vm_cache_ref *ref);

/*
 * A stream's entry is named by its length and a sample of its bytes (the
 * first 4 KiB and 64 bytes of every 64 KiB): enough to tell apart the
 * streams of two kernel builds, for a fraction of the cost of hashing
 * megabytes; the bytes are compared whole anyway.
 */
#define SAMPLE_HEAD 4096u
#define SAMPLE_EVERY 65536u
#define SAMPLE_LEN 64u
/* a stream this large is no entry's input (aliases: a few MB) */
#define STREAM_MAX ((uint64_t)256 << 20)

struct stream_pass {
	struct vm_fp_state fp;
	uint64_t len, at;
	const uint8_t *want;      /* compare: the stored input; gather: the copy */
	uint8_t *copy;
};

/* Length and sample in one pass (each pass reads every stored page). */
static int stream_sample(void *ctx, const void *p, size_t n)
{
	struct stream_pass *sp = ctx;
	const uint8_t *b = p;
	uint64_t at = sp->at, end;

	if (n > STREAM_MAX - sp->at)
		return -1;
	end = sp->at + n;

	while (at < end) {
		uint64_t win = at < SAMPLE_HEAD ? 0 : at - at % SAMPLE_EVERY;
		uint64_t win_end = win + (win ? SAMPLE_LEN : SAMPLE_HEAD);

		if (at < win_end) {
			uint64_t stop = win_end < end ? win_end : end;

			vm_fp_update(&sp->fp, b + (at - sp->at), (size_t)(stop - at));
			at = stop;
		} else {
			at = win + SAMPLE_EVERY < end ? win + SAMPLE_EVERY : end;
		}
	}
	sp->at = end;
	return 0;
}

static int stream_cmp(void *ctx, const void *p, size_t n)
{
	struct stream_pass *sp = ctx;

	if (n > sp->len - sp->at || memcmp(sp->want + sp->at, p, n))
		return -1;
	sp->at += n;
	return 0;
}

static int stream_copy(void *ctx, const void *p, size_t n)
{
	struct stream_pass *sp = ctx;

	if (n > sp->len - sp->at)
		return -1;
	memcpy(sp->copy + sp->at, p, n);
	sp->at += n;
	return 0;
}

/* Length and name of a stream: 0, or -1 when it cannot be read. */
static int stream_name(const char *kind, uint32_t kind_version,
		       const struct vm_cache_stream *in, struct stream_pass *sp,
		       struct vm_fp *fp)
{
	char k[16] = { 0 };
	uint64_t w[2] = { kind_version, 0x5354524e };   /* "STRN": sample, then length */

	memset(sp, 0, sizeof(*sp));
	snprintf(k, sizeof(k), "%s", kind);
	vm_fp_init(&sp->fp, 0);
	vm_fp_update(&sp->fp, k, sizeof(k));
	vm_fp_update(&sp->fp, w, sizeof(w));
	if (in->each(in->ctx, stream_sample, sp) < 0)
		return -1;
	sp->len = sp->at;
	vm_fp_update(&sp->fp, &sp->len, sizeof(sp->len));
	*fp = vm_fp_final(&sp->fp);
	sp->at = 0;
	return 0;
}

int vm_cache_lookup_stream(const struct vm_opts *o, const char *kind, uint32_t kind_version,
			   const struct vm_cache_stream *in, struct vm_cache_entry *ent)
{
	struct stream_pass sp;
	struct vm_fp fp;
	struct stat st;

	memset(ent, 0, sizeof(*ent));
	if (!vm_cache_enabled(o) || !kind_ok(kind) ||
	    stream_name(kind, kind_version, in, &sp, &fp) < 0 ||
	    ent_open(o, kind, kind_version, &fp, NULL, ent, &st) < 0)
		return -1;
	/* the name only says where to look: the bytes decide */
	if (ent->nin != 1 || ent->in_len[0] != sp.len)
		goto bad;
	sp.want = ent->in[0];
	if (in->each(in->ctx, stream_cmp, &sp) < 0 || sp.at != sp.len)
		goto bad;
	note_checked(&ent->ref, &st);
	return 0;
bad:
	vm_cache_entry_release(ent);
	return -1;
}

int vm_cache_store_stream(const struct vm_opts *o, const char *kind, uint32_t kind_version,
			  const struct vm_cache_stream *in,
			  const struct vm_cache_part *der, size_t nder,
			  struct vm_cache_ref *ref)
{
	struct vm_cache_part part;
	struct stream_pass sp;
	struct vm_fp fp;
	int r = -1;

	if (!vm_cache_enabled(o) || !kind_ok(kind) ||
	    stream_name(kind, kind_version, in, &sp, &fp) < 0 || !sp.len)
		return -1;
	sp.copy = malloc((size_t)sp.len);
	if (sp.copy && in->each(in->ctx, stream_copy, &sp) == 0 && sp.at == sp.len) {
		part.p = sp.copy;
		part.len = (size_t)sp.len;
		r = store_named(o, kind, kind_version, &fp, &part, 1, der, nder, ref);
	}
	free(sp.copy);
	return r;
}

int vm_cache_open_ref(const struct vm_opts *o, const struct vm_cache_ref *ref,
		      struct vm_cache_entry *ent)
{
	const struct ent_hdr *h;
	struct stat st;
	size_t n;
	int r;

	memset(ent, 0, sizeof(*ent));
	if (!vm_cache_enabled(o) || ref->kind[sizeof(ref->kind) - 1])
		return -1;
	r = ent_open(o, ref->kind, ref->kind_version, &ref->fp, ref, ent, &st);
	if (r < 0)
		return -1;
	h = ent->blob.data;
	/* rewritten since the ref was taken: another writer's bytes */
	if (h->nonce != ref->nonce)
		goto bad;
	if (r == 1) {
		ent->accepted_before = true;
		return 0;
	}
	/* the inputs were compared when the ref was taken; now they are
	 * handed out as they are stored, so check them too */
	n = ent->nin ? (size_t)((const char *)ent->der - (const char *)ent->in[0]) : 0;
	if (n && vm_cache_sum(ent->in[0], n) != h->in_sum)
		goto bad;
	ent->ref.value[0] = ref->value[0];
	ent->ref.value[1] = ref->value[1];
	note_checked(&ent->ref, &st);
	return 0;
bad:
	vm_cache_entry_release(ent);
	return -1;
}

int vm_cache_store(const struct vm_opts *o, const char *kind, uint32_t kind_version,
		   const struct vm_cache_part *in, size_t nin,
		   const struct vm_cache_part *der, size_t nder,
		   struct vm_cache_ref *ref)
{
	struct vm_fp fp;

	if (nin > VM_CACHE_MAX_INPUTS || !kind_ok(kind))
		return -1;
	fp = input_fp(kind, kind_version, in, nin);
	return store_named(o, kind, kind_version, &fp, in, nin, der, nder, ref);
}

static int store_named(const struct vm_opts *o, const char *kind, uint32_t kind_version,
		       const struct vm_fp *fp, const struct vm_cache_part *in, size_t nin,
		       const struct vm_cache_part *der, size_t nder,
		       struct vm_cache_ref *ref)
{
	static const uint8_t zero[8];
	const void *parts[1 + 2 * VM_CACHE_MAX_INPUTS + 8];
	size_t lens[1 + 2 * VM_CACHE_MAX_INPUTS + 8], np = 0, i;
	struct vm_fp_state ss;
	struct ent_hdr h;
	struct vm_err e;
	char name[64];
	int dfd, r;

	if (!vm_cache_enabled(o) || nin > VM_CACHE_MAX_INPUTS || nder > 8 || !kind_ok(kind))
		return -1;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, ENT_MAGIC, 8);
	h.format = ENT_FORMAT;
	h.hdr_len = sizeof(h);
	snprintf(h.kind, sizeof(h.kind), "%s", kind);
	h.kind_version = kind_version;
	h.nin = (uint32_t)nin;
	h.fp = *fp;
	h.nonce = vm_cache_nonce();
	parts[np] = &h;
	lens[np++] = sizeof(h);
	vm_fp_init(&ss, 0x5eed5eed5eed5eedull);
	for (i = 0; i < nin; i++) {
		h.in_len[i] = in[i].len;
		h.in_total += pad8(in[i].len);
		parts[np] = in[i].p;
		lens[np++] = in[i].len;
		parts[np] = zero;
		lens[np++] = pad8(in[i].len) - in[i].len;
		vm_fp_update(&ss, in[i].p, in[i].len);
		vm_fp_update(&ss, zero, pad8(in[i].len) - in[i].len);
	}
	h.in_sum = vm_fp_final(&ss).h[0];
	vm_fp_init(&ss, 0x5eed5eed5eed5eedull);
	for (i = 0; i < nder; i++) {
		h.der_len += der[i].len;
		parts[np] = der[i].p;
		lens[np++] = der[i].len;
		vm_fp_update(&ss, der[i].p, der[i].len);
	}
	h.der_sum = vm_fp_final(&ss).h[0];
	h.hdr_sum = vm_cache_sum(&h, offsetof(struct ent_hdr, hdr_sum));
	dfd = vm_cache_dirfd(o, true, &e);
	if (dfd < 0)
		return -1;
	ent_name(kind, &h.fp, name, sizeof(name));
	r = vm_cache_write_at(dfd, name, parts, lens, np, &e);
	close(dfd);
	if (r < 0)
		return -1;
	if (ref) {
		memset(ref, 0, sizeof(*ref));
		snprintf(ref->kind, sizeof(ref->kind), "%s", kind);
		ref->kind_version = kind_version;
		ref->fp = h.fp;
		ref->nonce = h.nonce;
	}
	return 0;
}

/* ---- per-file records ---- */

struct rec_hdr {
	char magic[8];
	uint32_t format;
	uint32_t nref;
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
	uint64_t sum;        /* of the refs */
	uint64_t hdr_sum;    /* of the header up to here */
};

struct vm_cache_sess {
	const struct vm_opts *o;
	struct rec_hdr id;
	int64_t with_newest;  /* the other file's newer time (0: none) */
	char name[64];
	struct vm_cache_ref refs[REC_MAX_REFS];
	unsigned nref;
	bool dirty, tainted;
};

static struct vm_cache_sess *sess_open(const struct vm_opts *o, const struct stat *st,
				       const struct stat *with)
{
	struct vm_cache_sess *s;
	struct vm_cache_blob b;
	struct vm_fp_state fs;
	struct vm_fp fp;
	struct vm_err e;
	const struct rec_hdr *h;

	if (!vm_cache_enabled(o) || !st || !S_ISREG(st->st_mode) ||
	    (with && !S_ISREG(with->st_mode)))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->o = o;
	memcpy(s->id.magic, REC_MAGIC, 8);
	s->id.format = REC_FORMAT;
	s->id.dev = (uint64_t)st->st_dev;
	s->id.ino = (uint64_t)st->st_ino;
	s->id.size = (uint64_t)st->st_size;
	s->id.mtime_s = st->st_mtim.tv_sec;
	s->id.mtime_ns = st->st_mtim.tv_nsec;
	s->id.ctime_s = st->st_ctim.tv_sec;
	s->id.ctime_ns = st->st_ctim.tv_nsec;
	/* the name says which file; the record repeats the identity */
	vm_fp_init(&fs, 0x66696c65);
	vm_fp_update(&fs, &s->id, sizeof(s->id));
	if (with) {
		/* read together with another file: that one's identity is in
		 * the name too (a name of its own: never a record of the dump
		 * file alone) */
		uint64_t w[7] = {
			(uint64_t)with->st_dev, (uint64_t)with->st_ino, (uint64_t)with->st_size,
			(uint64_t)with->st_mtim.tv_sec, (uint64_t)with->st_mtim.tv_nsec,
			(uint64_t)with->st_ctim.tv_sec, (uint64_t)with->st_ctim.tv_nsec,
		};

		vm_fp_update(&fs, "with", 4);
		vm_fp_update(&fs, w, sizeof(w));
		s->with_newest = with->st_mtim.tv_sec > with->st_ctim.tv_sec ?
				 with->st_mtim.tv_sec : with->st_ctim.tv_sec;
	}
	fp = vm_fp_final(&fs);
	snprintf(s->name, sizeof(s->name), "file-%016llx%016llx.rec",
		 (unsigned long long)fp.h[0], (unsigned long long)fp.h[1]);
	if (vm_cache_map_file(o, s->name, &b, &e) < 0)
		return s;
	h = b.data;
	if (b.len >= sizeof(*h) && !memcmp(h->magic, REC_MAGIC, 8) &&
	    h->format == REC_FORMAT && h->nref <= REC_MAX_REFS &&
	    b.len == sizeof(*h) + h->nref * sizeof(struct vm_cache_ref) &&
	    vm_cache_sum(h, offsetof(struct rec_hdr, hdr_sum)) == h->hdr_sum &&
	    h->dev == s->id.dev && h->ino == s->id.ino && h->size == s->id.size &&
	    h->mtime_s == s->id.mtime_s && h->mtime_ns == s->id.mtime_ns &&
	    h->ctime_s == s->id.ctime_s && h->ctime_ns == s->id.ctime_ns &&
	    vm_cache_sum(h + 1, h->nref * sizeof(struct vm_cache_ref)) == h->sum) {
		memcpy(s->refs, h + 1, h->nref * sizeof(struct vm_cache_ref));
		s->nref = h->nref;
	}
	vm_cache_release(&b);
	return s;
}

struct vm_cache_sess *vm_cache_sess_open(const struct vm_opts *o, const struct stat *st)
{
	return sess_open(o, st, NULL);
}

struct vm_cache_sess *vm_cache_sess_open_with(const struct vm_opts *o, const struct stat *st,
					      const struct stat *with)
{
	return with ? sess_open(o, st, with) : NULL;
}

const struct vm_opts *vm_cache_sess_opts(const struct vm_cache_sess *s)
{
	return s ? s->o : NULL;
}

const struct vm_cache_ref *vm_cache_sess_get(const struct vm_cache_sess *s,
					     const char *kind)
{
	unsigned i;

	for (i = 0; s && i < s->nref; i++)
		if (!strncmp(s->refs[i].kind, kind, sizeof(s->refs[i].kind)))
			return &s->refs[i];
	return NULL;
}

void vm_cache_sess_put(struct vm_cache_sess *s, const struct vm_cache_ref *ref)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->nref; i++)
		if (!strncmp(s->refs[i].kind, ref->kind, sizeof(ref->kind)))
			break;
	if (i == REC_MAX_REFS)
		return;
	if (i < s->nref && !memcmp(&s->refs[i], ref, sizeof(*ref)))
		return;
	s->refs[i] = *ref;
	if (i == s->nref)
		s->nref++;
	s->dirty = true;
}

void vm_cache_sess_taint(struct vm_cache_sess *s)
{
	if (s)
		s->tainted = true;
}

bool vm_cache_sess_may_write(const struct vm_cache_sess *s)
{
	struct timespec now;
	int64_t newest;

	if (!s || s->tainted || clock_gettime(CLOCK_REALTIME, &now) < 0)
		return false;
	newest = s->id.mtime_s > s->id.ctime_s ? s->id.mtime_s : s->id.ctime_s;
	if (s->with_newest > newest)
		newest = s->with_newest;
	return now.tv_sec - newest >= RACY_S;
}

void vm_cache_sess_ident(const struct vm_cache_sess *s, char stem[33], int64_t ident[7])
{
	/* "file-" + 32 hex digits + ".rec" */
	memcpy(stem, s->name + 5, 32);
	stem[32] = '\0';
	ident[0] = (int64_t)s->id.dev;
	ident[1] = (int64_t)s->id.ino;
	ident[2] = (int64_t)s->id.size;
	ident[3] = s->id.mtime_s;
	ident[4] = s->id.mtime_ns;
	ident[5] = s->id.ctime_s;
	ident[6] = s->id.ctime_ns;
}

void vm_cache_sess_close(struct vm_cache_sess *s)
{
	struct rec_hdr h;
	const void *parts[2];
	size_t lens[2];
	struct vm_err e;

	if (!s)
		return;
	if (!s->dirty || !vm_cache_sess_may_write(s))
		goto out;
	h = s->id;
	h.nref = s->nref;
	h.sum = vm_cache_sum(s->refs, s->nref * sizeof(struct vm_cache_ref));
	h.hdr_sum = vm_cache_sum(&h, offsetof(struct rec_hdr, hdr_sum));
	parts[0] = &h;
	lens[0] = sizeof(h);
	parts[1] = s->refs;
	lens[1] = s->nref * sizeof(struct vm_cache_ref);
	vm_cache_write_file(s->o, s->name, parts, lens, 2, &e);
out:
	free(s);
}
