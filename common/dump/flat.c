// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * makedumpfile's flattened format (-F; also what QEMU's dump-guest-memory
 * -z/-l/-s writes): a stream for pipes.  A 4096-byte header
 *   char signature[16] = "makedumpfile"; int64 type = 1; int64 version = 1
 * (big-endian), then records { int64 offset; int64 size } + size bytes, each
 * saying "these bytes go at this offset of the real dump", ended by an
 * offset/size pair of -1.  We index the records once and serve reads of the
 * logical file from the index (src.c).
 */
#include "dump_impl.h"

#include <stdlib.h>
#include <string.h>

#include "../rd.h"

#define FLAT_HDR_SIZE 4096
#define FLAT_SIG "makedumpfile"
#define FLAT_TYPE 1
#define FLAT_REC 16

int vm_flat_detect(const struct vm_src *s)
{
	uint8_t h[32];

	if (s->file_size < sizeof(h) ||
	    vm_src_read(s, 0, h, sizeof(h), "flattened header", NULL) < 0)
		return 0;
	return memcmp(h, FLAT_SIG, sizeof(FLAT_SIG)) == 0;
}

static int cmp_seg(const void *a, const void *b)
{
	const struct vm_flat_seg *x = a, *y = b;

	return x->loff < y->loff ? -1 : x->loff > y->loff;
}

/*
 * Records that overlap: a later one wins, as it would when the stream is
 * written out with seeks.  Rare (normal streams write every byte once), so
 * this slow path rebuilds the index inserting records in stream order.
 */
static int resolve_overlaps(struct vm_flat_seg *in, size_t n,
			    struct vm_flat_seg **outp, size_t *nout,
			    struct vm_err *e)
{
	/* each insertion adds at most 2 pieces (a split of one old piece) */
	struct vm_flat_seg *out = vm_calloc(2 * n + 1, sizeof(*out), e);
	size_t m = 0;

	if (!out)
		return -1;
	for (size_t k = 0; k < n; k++) {
		struct vm_flat_seg r = in[k];
		uint64_t rend = r.loff + r.len;
		size_t lo = 0, hi = m, j;

		while (lo < hi) { /* first piece ending after r.loff */
			size_t mid = (lo + hi) / 2;

			if (out[mid].loff + out[mid].len <= r.loff)
				lo = mid + 1;
			else
				hi = mid;
		}
		struct vm_flat_seg keep[2];
		size_t nkeep = 0;

		for (j = lo; j < m && out[j].loff < rend; j++) {
			struct vm_flat_seg o = out[j];
			uint64_t oend = o.loff + o.len;

			if (o.loff < r.loff) /* head survives */
				keep[nkeep++] = (struct vm_flat_seg){
					o.loff, r.loff - o.loff, o.foff };
			if (oend > rend) /* tail survives */
				keep[nkeep++] = (struct vm_flat_seg){
					rend, oend - rend,
					o.foff + (rend - o.loff) };
		}
		/* pieces lo..j-1 are replaced by keep[head], r, keep[tail] */
		struct vm_flat_seg rep[3];
		size_t nrep = 0;

		for (size_t t = 0; t < nkeep; t++)
			if (keep[t].loff < r.loff)
				rep[nrep++] = keep[t];
		rep[nrep++] = r;
		for (size_t t = 0; t < nkeep; t++)
			if (keep[t].loff >= rend)
				rep[nrep++] = keep[t];
		size_t removed = j - lo;

		memmove(&out[lo + nrep], &out[j], (m - j) * sizeof(*out));
		memcpy(&out[lo], rep, nrep * sizeof(*out));
		m = m - removed + nrep;
	}
	*outp = out;
	*nout = m;
	return 0;
}

int vm_flat_index(struct vm_src *s, struct vm_err *e)
{
	uint8_t h[32], rec[FLAT_REC];
	uint64_t off = FLAT_HDR_SIZE, lsize = 0;
	struct vm_flat_seg *segs = NULL;
	size_t n = 0, cap = 0;
	int sorted = 1;

	if (vm_src_read(s, 0, h, sizeof(h), "flattened header", e) < 0)
		return -1;
	if (vm_be64(h + 16) != FLAT_TYPE)
		return vm_fail(e, VM_EFORMAT,
			       "flattened header at offset 0x10: type %llu, "
			       "expected %d",
			       (unsigned long long)vm_be64(h + 16), FLAT_TYPE);
	if (s->file_size < FLAT_HDR_SIZE)
		return vm_fail(e, VM_ETRUNC,
			       "flattened header truncated at offset 0: %llu of "
			       "%d bytes", (unsigned long long)s->file_size,
			       FLAT_HDR_SIZE);
	for (;;) {
		if (vm_src_read(s, off, rec, sizeof(rec), "flattened record "
				"header", e) < 0) {
			vm_err_prefix(e, "no end marker: ");
			goto fail;
		}
		uint64_t loff = vm_be64(rec), len = vm_be64(rec + 8);

		if (loff == UINT64_MAX && len == UINT64_MAX)
			break;
		if (loff >> 62 || len >> 62) {
			vm_fail(e, VM_EFORMAT, "flattened record at offset %#llx:"
				" bad offset %#llx / size %#llx",
				(unsigned long long)off,
				(unsigned long long)loff,
				(unsigned long long)len);
			goto fail;
		}
		off += FLAT_REC;
		if (len > s->file_size - off) {
			vm_fail(e, VM_ETRUNC, "flattened record at offset %#llx "
				"truncated: %llu of %llu data bytes",
				(unsigned long long)(off - FLAT_REC),
				(unsigned long long)(s->file_size - off),
				(unsigned long long)len);
			goto fail;
		}
		if (len) {
			if (n == cap) {
				size_t nc = cap ? 2 * cap : 256;
				void *p = vm_realloc_array(segs, nc,
							   sizeof(*segs), e);
				if (!p)
					goto fail;
				segs = p;
				cap = nc;
			}
			if (n && loff < segs[n - 1].loff + segs[n - 1].len)
				sorted = 0;
			/* adjacent in both files: one segment */
			if (n && loff == segs[n - 1].loff + segs[n - 1].len &&
			    off == segs[n - 1].foff + segs[n - 1].len)
				segs[n - 1].len += len;
			else
				segs[n++] = (struct vm_flat_seg){ loff, len, off };
			if (loff + len > lsize)
				lsize = loff + len;
		}
		off += len;
	}
	if (!sorted) {
		struct vm_flat_seg *tmp = vm_calloc(n ? n : 1, sizeof(*tmp), e);
		int overlap = 0;

		if (!tmp)
			goto fail;
		memcpy(tmp, segs, n * sizeof(*tmp));
		qsort(tmp, n, sizeof(*tmp), cmp_seg);
		for (size_t i = 1; i < n; i++)
			if (tmp[i].loff < tmp[i - 1].loff + tmp[i - 1].len)
				overlap = 1;
		if (overlap) {
			struct vm_flat_seg *out;
			size_t m;

			free(tmp);
			if (resolve_overlaps(segs, n, &out, &m, e) < 0)
				goto fail;
			free(segs);
			segs = out;
			n = m;
		} else {
			free(segs);
			segs = tmp;
		}
	}
	s->segs = segs ? segs : vm_calloc(1, sizeof(*segs), e);
	if (!s->segs)
		return -1;
	s->nr_segs = n;
	s->size = lsize;
	return 0;
fail:
	free(segs);
	return -1;
}

int vm_flat_read_head(const struct vm_src *s, uint64_t off, void *buf,
		      size_t len, unsigned max_records)
{
	uint8_t rec[FLAT_REC], *out = buf;
	uint64_t at = FLAT_HDR_SIZE, covered = 0, end = off + len;

	memset(buf, 0, len);
	/* records in stream order: a later one overwrites an earlier one,
	 * as when the stream is written out; count the bytes once (records
	 * that overlap are rare, and then covered only overcounts, which
	 * a probe tolerates: it compares what it read) */
	for (unsigned n = 0; n < max_records; n++) {
		if (vm_src_read(s, at, rec, sizeof(rec), "", NULL) < 0)
			return -1;
		uint64_t loff = vm_be64(rec), rlen = vm_be64(rec + 8);

		if (loff == UINT64_MAX && rlen == UINT64_MAX)
			break;
		if (loff >> 62 || rlen >> 62 ||
		    rlen > s->file_size - at - FLAT_REC)
			return -1;
		at += FLAT_REC;
		if (loff < end && loff + rlen > off) {
			uint64_t lo = loff > off ? loff : off;
			uint64_t hi = loff + rlen < end ? loff + rlen : end;

			if (vm_src_read(s, at + (lo - loff), out + (lo - off),
					(size_t)(hi - lo), "", NULL) < 0)
				return -1;
			covered += hi - lo;
			if (covered >= len)
				return 0;
		}
		at += rlen;
	}
	return -1;
}
