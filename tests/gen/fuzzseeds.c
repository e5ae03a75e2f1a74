// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzzseeds: seed inputs for the memory-image harnesses (tests/fuzz/memimg.h
 * format), made from a real dump by tests/fuzz/seeds.sh.
 *
 *   fuzzseeds printk DUMP OUTDIR     printk harness seeds:
 *       rb-real       every byte the ringbuffer decoder reads from DUMP
 *                     (the recorded reads of one vm_printk_open), with the
 *                     dump's printk VMCOREINFO lines
 *       rb-small-*    a 16-descriptor, 1 KiB ringbuffer written the way
 *                     prb_reserve()/prb_commit() write, with DUMP's records
 *                     and DUMP's layout: wrapped data blocks, reusable
 *                     descriptors, a committed newest record
 *       log-*         the same records as v3.5-v5.9 struct printk_log
 *                     records in a 2 KiB log_buf (wrap marker, dictionary,
 *                     caller ids, log_first_seq)
 *       plain-*       a pre-v3.5 character log_buf, rotated
 *   fuzzseeds vmcoreinfo DUMP OUTFILE   the dump's VMCOREINFO text
 *   fuzzseeds orc DUMP OUTDIR        orc harness seeds, one per CPU: its
 *       registers, the stack its sp is on, the layout the unwinder asks
 *       for, and the vmlinux ORC entries of every pc the real unwinder met
 *       (with their neighbours) as a compact table at the same run-time
 *       addresses
 *   fuzzseeds kallsyms DUMP OUTDIR   kallsyms harness seeds: the first N
 *       symbols of DUMP's own kallsyms tables, re-laid compactly (N = 40,
 *       400, 1000), base-relative and absolute
 *
 * The synthetic layouts follow the kernel's writers (kernel/printk/
 * printk_ringbuffer.c, kernel/printk/printk.c log_store(), emit_log_char())
 * so that mutations start from inputs the decoders fully accept.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "arch/unwind.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/stack.h"
#include "vmcoreinfo/vmcoreinfo.h"

#define MAXREG 64

struct region {
	uint64_t va;
	size_t len;
	uint8_t *data;
};

struct img {
	uint8_t flags;
	char vi[8192];
	size_t vilen;
	struct region r[MAXREG];
	size_t n;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzzseeds: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void vi_add(struct img *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void vi_add(struct img *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->vi + m->vilen, sizeof(m->vi) - m->vilen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(m->vi) - m->vilen)
		die("VMCOREINFO text too long");
	m->vilen += (size_t)n;
}

static uint8_t *region_add(struct img *m, uint64_t va, size_t len)
{
	struct region *r;

	if (m->n == MAXREG)
		die("too many regions");
	r = &m->r[m->n++];
	r->va = va;
	r->len = len;
	r->data = calloc(1, len ? len : 1);
	if (!r->data)
		die("out of memory");
	return r->data;
}

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void img_write(const struct img *m, const char *dir, const char *name)
{
	char path[4096];
	uint8_t h[12];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		die("%s: cannot create", path);
	h[0] = m->flags;
	put(h + 1, m->vilen, 2);
	fwrite(h, 1, 3, f);
	fwrite(m->vi, 1, m->vilen, f);
	for (size_t i = 0; i < m->n; i++) {
		put(h, m->r[i].va, 8);
		put(h + 8, m->r[i].len, 4);
		fwrite(h, 1, 12, f);
		fwrite(m->r[i].data, 1, m->r[i].len, f);
	}
	if (fclose(f) != 0)
		die("%s: write failed", path);
}

static void img_free(struct img *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->r[i].data);
	m->n = 0;
}

/* ---- the real dump ---- */

static struct vm_kernel *open_dump(const char *path, struct vm_opts *o)
{
	struct vm_err e;
	struct vm_kernel *k;

	memset(o, 0, sizeof(*o));
	k = vm_kernel_open(path, o, &e);
	if (!k)
		die("%s: %s", path, e.msg);
	if (!k->vi)
		die("%s: no VMCOREINFO", path);
	if (!vm_kernel_mem(k, &e))
		die("%s: %s", path, e.msg);
	return k;
}

/* VMCOREINFO lines whose key contains one of the words. */
static void vi_copy_lines(struct img *m, const struct vm_vmcoreinfo *vi,
			  const char *const *words, const char *skip)
{
	const char *key, *val;

	for (size_t i = 0; (key = vm_vmci_key_at(vi, i, &val)); i++) {
		int want = 0;

		for (size_t w = 0; words[w]; w++)
			if (strstr(key, words[w]))
				want = 1;
		if (want && !(skip && !strcmp(key, skip)))
			vi_add(m, "%s=%s\n", key, val);
	}
}

/* Recording memory source: every read is kept, merged into regions. */
struct rec_ctx {
	struct vm_mem *m;
	struct img *img;
};

static int rec_read(void *ctx, uint64_t va, void *buf, size_t len, struct vm_err *e)
{
	struct rec_ctx *c = ctx;
	struct img *m = c->img;

	if (vm_kread(c->m, va, buf, len, e) < 0)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		struct region *r = &m->r[i];

		if (va >= r->va && va + len <= r->va + r->len) {
			memcpy(r->data + (va - r->va), buf, len);
			return 0;
		}
		/* extends a region: merge when adjacent or overlapping */
		if (va <= r->va + r->len && va + len >= r->va) {
			uint64_t lo = va < r->va ? va : r->va;
			uint64_t hi = va + len > r->va + r->len ? va + len : r->va + r->len;
			uint8_t *d = calloc(1, (size_t)(hi - lo));

			if (!d)
				die("out of memory");
			memcpy(d + (r->va - lo), r->data, r->len);
			memcpy(d + (va - lo), buf, len);
			free(r->data);
			r->data = d;
			r->va = lo;
			r->len = (size_t)(hi - lo);
			return 0;
		}
	}
	memcpy(region_add(m, va, len), buf, len);
	return 0;
}

static const char *const printk_words[] = { "prb", "printk", "log_", "latched_seq",
	"atomic_long_t", "clear_seq", NULL };

static void seed_rb_real(struct vm_kernel *k, const char *dir)
{
	struct img m = { 0 };
	struct rec_ctx c = { vm_kernel_mem(k, NULL), &m };
	struct vm_printk_src src = { 0 };
	struct vm_printk *p;
	struct vm_err e;

	vi_copy_lines(&m, k->vi, printk_words, NULL);
	src.ctx = &c;
	src.read = rec_read;
	src.vi = k->vi;
	src.ptr_size = 8;
	src.page_size = 4096;
	p = vm_printk_open(&src, 0, &e);
	if (!p)
		die("printk: %s", e.msg);
	fprintf(stderr, "fuzzseeds: rb-real: %zu records, %zu regions\n",
		vm_printk_count(p), m.n);
	vm_printk_close(p);
	img_write(&m, dir, "rb-real");
	img_free(&m);
}

/* ---- synthetic logs from the real records ---- */

struct lrec {
	uint64_t seq, ts;
	uint32_t caller;
	uint8_t level, facility;
	const char *text;
	size_t len;
	const char *subsys, *device;
};

static uint64_t off_of(const struct vm_vmcoreinfo *vi, const char *m)
{
	uint64_t v;

	if (vm_vmci_offset(vi, m, &v) < 0)
		die("VMCOREINFO has no OFFSET(%s)", m);
	return v;
}

static uint64_t size_of(const struct vm_vmcoreinfo *vi, const char *t)
{
	uint64_t v;

	if (vm_vmci_size(vi, t, &v) < 0)
		die("VMCOREINFO has no SIZE(%s)", t);
	return v;
}

#define RB_BASE UINT64_C(0xffffffff82000000)

/*
 * A ringbuffer with 2^count_bits descriptors and a 2^size_bits byte data
 * ring holding recs[0..n) written in order, as prb_reserve() would: ids
 * and lpos start at 0 (the kernel starts them just below the first wrap,
 * which the decoder masks the same way), data blocks that would cross the
 * ring's end go to its start, the oldest records are made reusable when
 * their data or descriptor is needed.
 */
static void seed_rb_small(const struct vm_vmcoreinfo *vi, const struct lrec *recs,
			  size_t n, unsigned count_bits, unsigned size_bits,
			  uint64_t id0, const char *dir, const char *name)
{
	const uint64_t w = 8, count = 1ull << count_bits, size = 1ull << size_bits;
	uint64_t o_dr = off_of(vi, "printk_ringbuffer.desc_ring");
	uint64_t o_tr = off_of(vi, "printk_ringbuffer.text_data_ring");
	uint64_t o_cb = off_of(vi, "prb_desc_ring.count_bits");
	uint64_t o_descs = off_of(vi, "prb_desc_ring.descs");
	uint64_t o_infos = off_of(vi, "prb_desc_ring.infos");
	uint64_t o_head = off_of(vi, "prb_desc_ring.head_id");
	uint64_t o_tail = off_of(vi, "prb_desc_ring.tail_id");
	uint64_t dsz = size_of(vi, "prb_desc"), isz = size_of(vi, "printk_info");
	uint64_t o_sv = off_of(vi, "prb_desc.state_var");
	uint64_t o_tl = off_of(vi, "prb_desc.text_blk_lpos");
	uint64_t o_b = off_of(vi, "prb_data_blk_lpos.begin");
	uint64_t o_n = off_of(vi, "prb_data_blk_lpos.next");
	uint64_t o_seq = off_of(vi, "printk_info.seq");
	uint64_t o_ts = off_of(vi, "printk_info.ts_nsec");
	uint64_t o_tlen = off_of(vi, "printk_info.text_len");
	uint64_t o_caller = off_of(vi, "printk_info.caller_id");
	uint64_t o_dev = off_of(vi, "printk_info.dev_info");
	uint64_t o_sub = off_of(vi, "dev_printk_info.subsystem");
	uint64_t o_devn = off_of(vi, "dev_printk_info.device");
	uint64_t o_sb = off_of(vi, "prb_data_ring.size_bits");
	uint64_t o_data = off_of(vi, "prb_data_ring.data");
	uint64_t o_hl = off_of(vi, "prb_data_ring.head_lpos");
	uint64_t o_tlp = off_of(vi, "prb_data_ring.tail_lpos");
	uint64_t rb_size = size_of(vi, "printk_ringbuffer");
	const uint64_t idmask = ~0ull >> 2;
	struct img m = { 0 };
	uint64_t va_prb = RB_BASE, va_rb = RB_BASE + 64, va_descs = RB_BASE + 0x1000;
	uint64_t va_infos = va_descs + 0x10000, va_data = va_infos + 0x40000;
	uint8_t *prb, *rb, *descs, *infos, *data;
	uint64_t head_lpos = 0, tail_lpos = 0, tail_i = 0, i;
	uint64_t *begin = calloc(n ? n : 1, sizeof(*begin));
	uint64_t *next = calloc(n ? n : 1, sizeof(*next));

	if (!begin || !next)
		die("out of memory");
	vi_copy_lines(&m, vi, printk_words, "SYMBOL(prb)");
	vi_add(&m, "SYMBOL(prb)=%" PRIx64 "\n", va_prb);
	prb = region_add(&m, va_prb, 64 + (size_t)rb_size);
	rb = prb + 64;
	put(prb, va_rb, 8);
	descs = region_add(&m, va_descs, (size_t)(count * dsz));
	infos = region_add(&m, va_infos, (size_t)(count * isz));
	data = region_add(&m, va_data, (size_t)size);

	for (i = 0; i < n; i++) {
		uint64_t id = (id0 + i) & idmask, bsz = (w + recs[i].len + w - 1) & ~(w - 1);
		uint64_t b = head_lpos, nx, at;
		uint8_t *d = descs + (id & (count - 1)) * dsz;
		uint8_t *in = infos + (id & (count - 1)) * isz;

		if (bsz > size / 2)
			continue;
		if ((b & (size - 1)) + bsz >= size) { /* get_next_lpos() */
			nx = (b | (size - 1)) + 1 + bsz;    /* wraps: data at 0 */
			at = 0;
		} else {
			nx = b + bsz;
			at = b & (size - 1);
		}
		/* make room: in the data ring, and in the descriptor ring */
		while (tail_i < i && (nx - tail_lpos > size || i - tail_i >= count)) {
			uint64_t tid = (id0 + tail_i) & idmask;
			uint8_t *td = descs + (tid & (count - 1)) * dsz;

			if (i - tail_i < count + 1)  /* still its own slot */
				put(td + o_sv, tid | 3ull << 62, 8);   /* reusable */
			tail_lpos = next[tail_i];
			tail_i++;
		}
		if (tail_i == i)
			tail_lpos = b;
		put(data + at, id, 8);
		memcpy(data + at + w, recs[i].text, recs[i].len);
		begin[i] = b;
		next[i] = nx;
		head_lpos = nx;
		/* finalized, except the newest, still committed */
		put(d + o_sv, id | (i + 1 == n ? 1ull : 2ull) << 62, 8);
		put(d + o_tl + o_b, b, 8);
		put(d + o_tl + o_n, nx, 8);
		memset(in, 0, (size_t)isz);
		put(in + o_seq, recs[i].seq, 8);
		put(in + o_ts, recs[i].ts, 8);
		put(in + o_tlen, recs[i].len, 2);
		in[o_tlen + 2] = recs[i].facility;
		in[o_tlen + 3] = (uint8_t)(recs[i].level << 5);
		put(in + o_caller, recs[i].caller, 4);
		strncpy((char *)in + o_dev + o_sub, recs[i].subsys, 15);
		strncpy((char *)in + o_dev + o_devn, recs[i].device, 47);
	}
	put(rb + o_dr + o_cb, count_bits, 4);
	put(rb + o_dr + o_descs, va_descs, 8);
	put(rb + o_dr + o_infos, va_infos, 8);
	put(rb + o_dr + o_head, (id0 + n - 1) & idmask, 8);
	put(rb + o_dr + o_tail, (id0 + tail_i) & idmask, 8);
	put(rb + o_tr + o_sb, size_bits, 4);
	put(rb + o_tr + o_data, va_data, 8);
	put(rb + o_tr + o_hl, head_lpos, 8);
	put(rb + o_tr + o_tlp, tail_lpos, 8);
	img_write(&m, dir, name);
	img_free(&m);
	free(begin);
	free(next);
}

#define LOG_BASE UINT64_C(0xffffffff83000000)

/*
 * struct printk_log records in a log_buf of buflen bytes, written as
 * log_store() does: a record that would not leave room for a header
 * before the end gets a zeroed header (the wrap marker) and goes to 0;
 * log_first_idx moves past the records overwritten.
 */
static void seed_log(const struct lrec *recs, size_t n, uint32_t buflen, int caller,
		     int dicts, int seqs, const char *dir, const char *name)
{
	const unsigned hdr = caller ? 20 : 16;
	struct img m = { 0 };
	uint64_t va_ptr = LOG_BASE, va_len = LOG_BASE + 8, va_first = LOG_BASE + 16;
	uint64_t va_next = LOG_BASE + 20, va_clear = LOG_BASE + 24;
	uint64_t va_fseq = LOG_BASE + 32, va_nseq = LOG_BASE + 40, va_buf = LOG_BASE + 0x1000;
	uint8_t *vars, *buf;
	uint32_t *start = calloc(n ? n : 1, sizeof(*start));
	uint32_t next = 0, first_idx = 0, first_i = 0, i;

	if (!start)
		die("out of memory");
	vi_add(&m, "SYMBOL(log_buf)=%" PRIx64 "\n", va_ptr);
	vi_add(&m, "SYMBOL(log_buf_len)=%" PRIx64 "\n", va_len);
	vi_add(&m, "SYMBOL(log_first_idx)=%" PRIx64 "\n", va_first);
	vi_add(&m, "SYMBOL(clear_idx)=%" PRIx64 "\n", va_clear);
	vi_add(&m, "SYMBOL(log_next_idx)=%" PRIx64 "\n", va_next);
	if (seqs) {
		vi_add(&m, "SYMBOL(log_first_seq)=%" PRIx64 "\n", va_fseq);
		vi_add(&m, "SYMBOL(log_next_seq)=%" PRIx64 "\n", va_nseq);
	}
	vi_add(&m, "SIZE(printk_log)=%u\n", hdr);
	vi_add(&m, "OFFSET(printk_log.ts_nsec)=0\nOFFSET(printk_log.len)=8\n"
		   "OFFSET(printk_log.text_len)=10\nOFFSET(printk_log.dict_len)=12\n");
	if (caller)
		vi_add(&m, "OFFSET(printk_log.caller_id)=16\n");
	m.flags = 1 << 2 | (seqs ? 1 << 3 : 0);   /* FZ_MEM_LEVEL, FZ_MEM_SEQ */
	vars = region_add(&m, va_ptr, 48);
	buf = region_add(&m, va_buf, buflen);
	put(vars, va_buf, 8);
	put(vars + 8, buflen, 4);

	for (i = 0; i < n; i++) {
		char dict[96] = "";
		size_t dlen = 0;
		uint32_t len;

		if (dicts && recs[i].subsys[0])
			dlen = (size_t)snprintf(dict, sizeof(dict), "SUBSYSTEM=%s%cDEVICE=%s",
						recs[i].subsys, 0, recs[i].device);
		len = (uint32_t)((hdr + recs[i].len + dlen + 3) & ~3u);
		if (len + hdr > buflen / 2)
			die("record of %u bytes too big for a %u-byte log_buf", len, buflen);
		/* log_make_free_space(): drop the oldest records until there
		 * is contiguous room for the record and a wrap header */
		for (;;) {
			uint32_t free_sp;
			int empty = first_i == i;

			first_idx = empty ? next : start[first_i];
			if (next > first_idx || empty)
				free_sp = buflen - next > first_idx ? buflen - next : first_idx;
			else
				free_sp = first_idx - next;
			if (free_sp >= len + hdr || empty)
				break;
			first_i++;
		}
		if (next + len + hdr > buflen) {
			memset(buf + next, 0, hdr);    /* wrap marker */
			next = 0;
		}
		put(buf + next, recs[i].ts, 8);
		put(buf + next + 8, len, 2);
		put(buf + next + 10, recs[i].len, 2);
		put(buf + next + 12, dlen, 2);
		buf[next + 14] = recs[i].facility;
		buf[next + 15] = (uint8_t)(recs[i].level << 5);
		if (caller)
			put(buf + next + 16, recs[i].caller, 4);
		memcpy(buf + next + hdr, recs[i].text, recs[i].len);
		memcpy(buf + next + hdr + recs[i].len, dict, dlen);
		start[i] = next;
		next += len;
	}
	first_idx = first_i < n ? start[first_i] : next;
	put(vars + 16, first_idx, 4);
	put(vars + 20, next, 4);
	put(vars + 24, first_idx, 4);
	put(vars + 32, first_i < n ? recs[first_i].seq : 0, 8);
	put(vars + 40, n ? recs[n - 1].seq + 1 : 0, 8);
	img_write(&m, dir, name);
	img_free(&m);
	free(start);
}

/* The character log_buf of kernels before v3.5: "<L>[ s.us] text\n". */
static void seed_plain(const struct lrec *recs, size_t n, uint32_t buflen,
		       const char *dir, const char *name)
{
	struct img m = { 0 };
	uint64_t va_ptr = LOG_BASE, va_end = LOG_BASE + 8, va_len = LOG_BASE + 16;
	uint64_t va_buf = LOG_BASE + 0x1000;
	uint8_t *vars, *buf;
	uint32_t end = 0;

	vi_add(&m, "SYMBOL(log_buf)=%" PRIx64 "\nSYMBOL(log_end)=%" PRIx64 "\n"
		   "SYMBOL(log_buf_len)=%" PRIx64 "\nSYMBOL(logged_chars)=%" PRIx64 "\n",
	       va_ptr, va_end, va_len, LOG_BASE + 24);
	vars = region_add(&m, va_ptr, 32);
	buf = region_add(&m, va_buf, buflen);
	put(vars, va_buf, 8);
	put(vars + 16, buflen, 4);
	for (size_t i = 0; i < n; i++) {
		char line[1200];
		int l = snprintf(line, sizeof(line), "<%u>[%5" PRIu64 ".%06" PRIu64 "] %.*s\n",
				 recs[i].level, recs[i].ts / 1000000000,
				 recs[i].ts % 1000000000 / 1000, (int)recs[i].len, recs[i].text);

		for (int c = 0; c < l && c < (int)sizeof(line) - 1; c++)
			buf[end++ & (buflen - 1)] = (uint8_t)line[c];
	}
	put(vars + 8, end, 4);
	img_write(&m, dir, name);
	img_free(&m);
}

static void seeds_printk(const char *dump, const char *dir)
{
	struct vm_opts o;
	struct vm_kernel *k = open_dump(dump, &o);
	struct vm_printk *p;
	struct vm_err e;
	struct lrec *recs;
	size_t n, i;

	seed_rb_real(k, dir);
	p = vm_printk_open_kernel(k, VM_PRINTK_WANT_LEVEL, &e);
	if (!p)
		die("%s: printk: %s", dump, e.msg);
	n = vm_printk_count(p);
	recs = calloc(n ? n : 1, sizeof(*recs));
	if (!recs)
		die("out of memory");
	for (i = 0; i < n; i++) {
		const struct vm_printk_rec *r = vm_printk_at(p, i);

		recs[i] = (struct lrec){ r->seq, r->ts_nsec, r->caller_id, r->level,
					 r->facility, r->text, r->text_len, r->subsystem,
					 r->device };
		if (recs[i].len > 900)
			recs[i].len = 900;
	}
	/* a few records that fit, then enough to wrap each ring twice */
	seed_rb_small(k->vi, recs, n < 6 ? n : 6, 4, 10, 0, dir, "rb-small-fit");
	seed_rb_small(k->vi, recs, n < 60 ? n : 60, 4, 10, 0, dir, "rb-small-wrap");
	seed_rb_small(k->vi, recs + n / 2, n - n / 2 < 40 ? n - n / 2 : 40, 3, 11,
		      (~0ull >> 2) - 10, dir, "rb-small-idwrap");
	seed_log(recs, n < 8 ? n : 8, 2048, 0, 0, 0, dir, "log-fit");
	seed_log(recs, n < 80 ? n : 80, 2048, 1, 1, 1, dir, "log-wrap-caller-dict");
	seed_log(recs + n / 3, n / 3 < 50 ? n / 3 : 50, 4096, 0, 1, 0, dir, "log-wrap");
	seed_plain(recs, n < 10 ? n : 10, 2048, dir, "plain-fit");
	seed_plain(recs, n < 60 ? n : 60, 2048, dir, "plain-rotated");
	free(recs);
	vm_printk_close(p);
	vm_kernel_close(k);
}

/* ---- kallsyms ---- */

#define KS_BASE UINT64_C(0xffffffff81000000)

static uint64_t sym_of(const struct vm_vmcoreinfo *vi, const char *s)
{
	uint64_t v;

	if (vm_vmci_symbol(vi, s, &v) < 0)
		die("VMCOREINFO has no SYMBOL(%s)", s);
	return v;
}

static void kread(struct vm_mem *mem, uint64_t va, void *buf, size_t len)
{
	struct vm_err e;

	if (vm_kread(mem, va, buf, len, &e) < 0)
		die("%s", e.msg);
}

static void seed_kallsyms(struct vm_kernel *k, uint32_t want, int absolute,
			  const char *dir, const char *name)
{
	const struct vm_vmcoreinfo *vi = k->vi;
	struct vm_mem *mem = vm_kernel_mem(k, NULL);
	uint64_t a_off = sym_of(vi, "kallsyms_offsets"), a_base = sym_of(vi, "kallsyms_relative_base");
	uint64_t a_num = sym_of(vi, "kallsyms_num_syms"), a_names = sym_of(vi, "kallsyms_names");
	uint64_t a_tt = sym_of(vi, "kallsyms_token_table"), a_ti = sym_of(vi, "kallsyms_token_index");
	uint32_t num, i;
	uint64_t base, pos = 0, tt_len = a_ti > a_tt && a_ti - a_tt < 65536 ? a_ti - a_tt : 4096;
	struct img m = { 0 };
	uint8_t *names, *img;
	int32_t *offs;
	char vref[700] = "";

	kread(mem, a_num, &num, 4);
	kread(mem, a_base, &base, 8);
	if (want > num)
		want = num;
	offs = calloc(want, 4);
	names = malloc(1 << 20);
	if (!offs || !names)
		die("out of memory");
	kread(mem, a_off, offs, (size_t)want * 4);
	/* the first `want` names: a length (1 or 2 bytes), then tokens */
	for (i = 0; i < want; i++) {
		uint8_t b[2];
		unsigned len;

		kread(mem, a_names + pos, b, 2);
		len = b[0] & 0x80 ? (b[0] & 0x7fu) | (unsigned)b[1] << 7 : b[0];
		len += b[0] & 0x80 ? 2 : 1;
		if (pos + len > (1 << 20))
			die("names too long");
		kread(mem, a_names + pos, names + pos, len);
		pos += len;
	}
	/* layout: addresses | relative_base | num_syms | names | token_table | token_index */
	size_t addr_sz = (size_t)want * (absolute ? 8 : 4);
	size_t o_base = (addr_sz + 7) & ~(size_t)7, o_num = o_base + 8, o_names = o_num + 8;
	size_t o_tt = (o_names + (size_t)pos + 7) & ~(size_t)7;
	size_t o_ti = (o_tt + (size_t)tt_len + 7) & ~(size_t)7, total = o_ti + 512;

	img = region_add(&m, KS_BASE, total);
	for (i = 0; i < want; i++) {
		if (absolute) {
			/* ABSOLUTE_PERCPU decoding of the real table */
			uint64_t a = offs[i] >= 0 ? (uint64_t)offs[i]
						  : base - 1 - (uint64_t)(int64_t)offs[i];
			put(img + (size_t)i * 8, a, 8);
		} else {
			put(img + (size_t)i * 4, (uint32_t)offs[i], 4);
		}
	}
	put(img + o_base, base, 8);
	put(img + o_num, want, 4);
	memcpy(img + o_names, names, (size_t)pos);
	kread(mem, a_tt, img + o_tt, (size_t)tt_len);
	kread(mem, a_ti, img + o_ti, 512);
	if (absolute) {
		vi_add(&m, "SYMBOL(kallsyms_addresses)=%" PRIx64 "\n", KS_BASE);
	} else {
		vi_add(&m, "SYMBOL(kallsyms_offsets)=%" PRIx64 "\n", KS_BASE);
		vi_add(&m, "SYMBOL(kallsyms_relative_base)=%" PRIx64 "\n", KS_BASE + o_base);
	}
	/* the decoder checks its encoding against a symbol VMCOREINFO also
	 * names: the last text symbol of the cut, under its decoded name */
	{
		char nm[600];
		uint64_t p = 0, ref = UINT64_MAX;
		uint8_t *tt = img + o_tt, *ti = img + o_ti;

		for (i = 0; i < want; i++) {
			unsigned len = names[p] & 0x80 ? (names[p] & 0x7fu) | (unsigned)names[p + 1] << 7
						       : names[p];
			size_t q = p + (names[p] & 0x80 ? 2 : 1), n = 0, j;

			for (j = 0; j < len && n + 64 < sizeof(nm); j++) {
				const char *t = (const char *)tt + (ti[2 * names[q + j]] |
								    ti[2 * names[q + j] + 1] << 8);

				n += (size_t)snprintf(nm + n, sizeof(nm) - n, "%s", t);
			}
			p = q + len;
			if (nm[0] == 'T' || nm[0] == 't')
				ref = i;
			if (ref == i) {
				uint64_t a = offs[i] >= 0 ? (uint64_t)offs[i]
							  : base - 1 - (uint64_t)(int64_t)offs[i];

				snprintf(vref, sizeof(vref), "SYMBOL(%s)=%" PRIx64 "\n", nm + 1, a);
			}
		}
		if (ref != UINT64_MAX)
			vi_add(&m, "%s", vref);
	}
	vi_add(&m, "SYMBOL(kallsyms_num_syms)=%" PRIx64 "\n", KS_BASE + o_num);
	vi_add(&m, "SYMBOL(kallsyms_names)=%" PRIx64 "\n", KS_BASE + o_names);
	vi_add(&m, "SYMBOL(kallsyms_token_table)=%" PRIx64 "\n", KS_BASE + o_tt);
	vi_add(&m, "SYMBOL(kallsyms_token_index)=%" PRIx64 "\n", KS_BASE + o_ti);
	vi_add(&m, "KERNELOFFSET=0\n");
	img_write(&m, dir, name);
	img_free(&m);
	free(offs);
	free(names);
}

static void seeds_kallsyms(const char *dump, const char *dir)
{
	struct vm_opts o;
	struct vm_kernel *k = open_dump(dump, &o);

	seed_kallsyms(k, 40, 0, dir, "ks-40");
	seed_kallsyms(k, 400, 0, dir, "ks-400");
	seed_kallsyms(k, 1000, 0, dir, "ks-1000");
	seed_kallsyms(k, 300, 1, dir, "ks-abs-300");
	vm_kernel_close(k);
}

/* The dump's VMCOREINFO text as the dump layer hands it over. */
static void seed_vmcoreinfo(const char *dump, const char *out)
{
	struct vm_err e;
	struct vm_dump *d = vm_dump_open(dump, NULL, &e);
	const char *t;
	size_t len;
	FILE *f;

	if (!d)
		die("%s: %s", dump, e.msg);
	t = vm_dump_vmcoreinfo(d, &len);
	if (!t)
		die("%s: no VMCOREINFO", dump);
	f = fopen(out, "wb");
	if (!f || fwrite(t, 1, len, f) != len || fclose(f) != 0)
		die("%s: write failed", out);
	vm_dump_close(d);
}

/* ---- ORC ---- */

#define ORC_BASE UINT64_C(0xffffffff81000000)

static uint64_t ksym(struct vm_kernel *k, const char *name)
{
	struct vm_err e;
	uint64_t v;

	if (vm_kernel_symbol(k, name, &v, &e) < 0)
		die("symbol %s: %s", name, e.msg);
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void seeds_orc(const char *dump, const char *dir)
{
	static const char *const ptregs[] = { "r15", "r14", "r13", "r12", "bp", "bx",
		"r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di", "orig_ax", "ip",
		"cs", "flags", "sp", "ss", NULL };
	static const char *const members[][2] = { { "task_struct", "stack" },
		{ "task_struct", "thread.sp" }, { "inactive_task_frame", "bp" },
		{ "inactive_task_frame", "ret_addr" } };
	static const char *const sizes[] = { "thread_union", "inactive_task_frame",
		"pt_regs", NULL };
	static const char *const syms[] = { "_stext", "_etext", "_sinittext",
		"_einittext", "ret_from_fork", NULL };
	struct vm_opts o;
	struct vm_kernel *k = open_dump(dump, &o);
	struct vm_mem *mem = vm_kernel_mem(k, NULL);
	const struct vm_arch *arch = vm_mem_arch(mem);
	uint64_t ip0 = ksym(k, "__start_orc_unwind_ip"), ip1 = ksym(k, "__stop_orc_unwind_ip");
	uint64_t orc0 = ksym(k, "__start_orc_unwind"), num = (ip1 - ip0) / 4;
	struct vm_err e;
	struct vm_bt *b = vm_bt_open(k, 0, &e);

	if (!b)
		die("%s: backtrace: %s", dump, e.msg);
	for (int cpu = 0; cpu < vm_mem_nr_cpu_regs(mem) && cpu < 4; cpu++) {
		struct vm_unwind_res res = { 0 };
		struct vm_stack_area areas[VM_UNWIND_MAX_STACKS];
		struct vm_regs r;
		uint64_t idx[3 * (VM_UNWIND_MAX_FRAMES + 1)], sp, v;
		size_t nidx = 0, n, i, j;
		unsigned na;
		struct img m = { 0 };
		char name[32];

		if (vm_mem_cpu_regs(mem, cpu, &r, &e) < 0 || vm_bt_regs(b, 0, cpu, &r, &res, &e) < 0)
			continue;
		/* the ORC entries for each pc (the last entry at or below it)
		 * and its neighbours, so the compact table answers alike */
		for (i = 0; i < res.n; i++) {
			uint64_t pc = res.frames[i].pc, lo = 0, hi = num, at = 0;

			while (lo < hi) {
				uint64_t mid = lo + (hi - lo) / 2;
				int32_t rel;

				kread(mem, ip0 + 4 * mid, &rel, 4);
				if (ip0 + 4 * mid + (uint64_t)(int64_t)rel <= pc) {
					at = mid;
					lo = mid + 1;
				} else {
					hi = mid;
				}
			}
			for (j = at ? at - 1 : 0; j <= at + 1 && j < num; j++)
				idx[nidx++] = j;
		}
		qsort(idx, nidx, sizeof(*idx), cmp_u64);
		for (i = n = 0; i < nidx; i++)
			if (!n || idx[i] != idx[n - 1])
				idx[n++] = idx[i];
		/* ip table (self-relative s32) and orc entries (6 bytes) */
		uint8_t *t = region_add(&m, ORC_BASE, (size_t)n * 10 + 8);

		for (i = 0; i < n; i++) {
			int32_t rel;
			uint64_t ip;

			kread(mem, ip0 + 4 * idx[i], &rel, 4);
			ip = ip0 + 4 * idx[i] + (uint64_t)(int64_t)rel;
			put(t + 4 * i, (uint64_t)(ip - (ORC_BASE + 4 * i)), 4);
			kread(mem, orc0 + 6 * idx[i], t + 4 * n + 6 * i, 6);
		}
		vi_add(&m, "OSRELEASE=%s\n", vm_vmci_get(k->vi, "OSRELEASE"));
		vi_add(&m, "SYMBOL(__start_orc_unwind_ip)=%" PRIx64 "\n", ORC_BASE);
		vi_add(&m, "SYMBOL(__stop_orc_unwind_ip)=%" PRIx64 "\n", ORC_BASE + 4 * n);
		vi_add(&m, "SYMBOL(__start_orc_unwind)=%" PRIx64 "\n", ORC_BASE + 4 * n);
		vi_add(&m, "SYMBOL(__stop_orc_unwind)=%" PRIx64 "\n", ORC_BASE + 10 * n);
		for (i = 0; syms[i]; i++)
			if (vm_kernel_symbol(k, syms[i], &v, &e) == 0)
				vi_add(&m, "SYMBOL(%s)=%" PRIx64 "\n", syms[i], v);
		for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
			if (vm_kernel_offsetof(k, members[i][0], members[i][1], &v, NULL, &e) == 0)
				vi_add(&m, "OFFSET(%s.%s)=%" PRIu64 "\n", members[i][0],
				       members[i][1], v);
		for (i = 0; sizes[i]; i++)
			if (vm_kernel_sizeof(k, sizes[i], &v, &e) == 0)
				vi_add(&m, "SIZE(%s)=%" PRIu64 "\n", sizes[i], v);
		for (i = 0; ptregs[i]; i++)
			if (vm_kernel_offsetof(k, "pt_regs", ptregs[i], &v, NULL, &e) == 0)
				vi_add(&m, "OFFSET(pt_regs.%s)=%" PRIu64 "\n", ptregs[i], v);
		for (i = 0; i < arch->nr_regs && i < VM_MAX_REGS; i++)
			if ((r.valid >> i) & 1)
				vi_add(&m, "REG(%s)=%" PRIx64 "\n", arch->reg_names[i], r.r[i]);
		vi_add(&m, "CPU=%d\n", cpu);
		/* the stack sp is on, as far as it is readable from sp's page */
		sp = r.r[arch->sp_reg];
		na = vm_bt_stacks(b, 0, cpu, areas, VM_UNWIND_MAX_STACKS);
		for (i = 0; i < res.nstacks; i++)
			areas[i] = res.stacks[i];
		na = res.nstacks ? res.nstacks : na;
		for (i = 0; i < na; i++) {
			uint64_t lo = areas[i].lo, hi = areas[i].hi, a;
			uint8_t page[4096];

			if (sp < lo || sp >= hi || hi - lo > (64u << 10))
				continue;
			for (a = sp & ~UINT64_C(4095); a < hi; a += 4096)
				if (vm_kread(mem, a, page, 4096, &e) == 0)
					memcpy(region_add(&m, a, 4096), page, 4096);
		}
		snprintf(name, sizeof(name), "orc-cpu%d", cpu);
		fprintf(stderr, "fuzzseeds: %s: %u frames, %zu ORC entries, %zu regions\n",
			name, res.n, n, m.n);
		img_write(&m, dir, name);
		img_free(&m);
		vm_unwind_res_free(&res);
	}
	vm_bt_close(b);
	vm_kernel_close(k);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: fuzzseeds printk|kallsyms|orc DUMP OUTDIR\n"
				"       fuzzseeds vmcoreinfo DUMP OUTFILE\n");
		return 2;
	}
	if (!strcmp(argv[1], "vmcoreinfo"))
		seed_vmcoreinfo(argv[2], argv[3]);
	else if (!strcmp(argv[1], "printk"))
		seeds_printk(argv[2], argv[3]);
	else if (!strcmp(argv[1], "kallsyms"))
		seeds_kallsyms(argv[2], argv[3]);
	else if (!strcmp(argv[1], "orc"))
		seeds_orc(argv[2], argv[3]);
	else
		die("unknown seed kind %s", argv[1]);
	return 0;
}
