// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log: format detection, the record index shared by the three
 * decoders (printk_ringbuffer.c, printk_log.c, printk_plain.c), memory
 * reads that survive holes, and the adapter onto a vm_kernel.
 */
#include "printk_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "../rd.h"

/* log_buf_len is at most 2 GiB (LOG_BUF_LEN_MAX); the ringbuffer's infos
 * array is 88/32 of it.  1 GiB per buffer covers log_buf_len=256M. */
#define PK_REGION_MAX (1u << 30)
#define PK_REGION_PROBE (16u << 20)

/* ---- lookups ---- */

int pk_symbol_vmci(struct vm_printk *p, const char *name, uint64_t *out)
{
	return p->src->vi ? vm_vmci_symbol(p->src->vi, name, out) : -1;
}

int pk_symbol(struct vm_printk *p, const char *name, uint64_t *out)
{
	if (pk_symbol_vmci(p, name, out) == 0)
		return 0;
	if (p->src->symbol)
		return p->src->symbol(p->src->lctx, name, out);
	return -1;
}

int pk_offset(struct vm_printk *p, const char *type, const char *member,
	      uint64_t *out)
{
	char key[128];

	snprintf(key, sizeof(key), "%s.%s", type, member);
	if (p->src->vi && vm_vmci_offset(p->src->vi, key, out) == 0)
		return 0;
	if (p->src->offset)
		return p->src->offset(p->src->lctx, type, member, out);
	return -1;
}

int pk_size(struct vm_printk *p, const char *type, uint64_t *out)
{
	if (p->src->vi && vm_vmci_size(p->src->vi, type, out) == 0)
		return 0;
	if (p->src->size)
		return p->src->size(p->src->lctx, type, out);
	return -1;
}

int pk_length(struct vm_printk *p, const char *name, uint64_t *out)
{
	return p->src->vi ? vm_vmci_length(p->src->vi, name, out) : -1;
}

int pk_offset_opt(struct vm_printk *p, const char *type, const char *member,
		  uint64_t *out)
{
	char key[128];

	if (!p->layout_vmci)
		return pk_offset(p, type, member, out);
	snprintf(key, sizeof(key), "%s.%s", type, member);
	return vm_vmci_offset(p->src->vi, key, out);
}

int pk_size_opt(struct vm_printk *p, const char *type, uint64_t *out)
{
	if (!p->layout_vmci)
		return pk_size(p, type, out);
	return vm_vmci_size(p->src->vi, type, out);
}

uint64_t pk_facility_offset(struct vm_printk *p, const char *type,
			    uint64_t last_len)
{
	uint64_t off;

	if (!p->layout_vmci && pk_offset(p, type, "facility", &off) == 0)
		return off;
	return last_len + 2;
}

/* ---- scalars ---- */

static uint64_t load(const struct vm_printk *p, const uint8_t *b, unsigned n)
{
	return vm_rdn(b, n, !(p->src && p->src->big_endian));
}

uint16_t pk_u16(const struct vm_printk *p, const uint8_t *b)
{
	return (uint16_t)load(p, b, 2);
}

uint32_t pk_u32(const struct vm_printk *p, const uint8_t *b)
{
	return (uint32_t)load(p, b, 4);
}

uint64_t pk_u64(const struct vm_printk *p, const uint8_t *b)
{
	return load(p, b, 8);
}

uint64_t pk_word(const struct vm_printk *p, const uint8_t *b, unsigned w)
{
	return load(p, b, w);
}

void pk_level_byte(const struct vm_printk *p, uint8_t b, uint8_t *flags,
		   uint8_t *level)
{
	/* "u8 flags:5; u8 level:3;" — GCC allocates bitfields from the least
	 * significant bit on little-endian targets and from the most
	 * significant bit on big-endian ones. */
	if (p->src->big_endian) {
		*flags = b >> 3;
		*level = b & 7;
	} else {
		*flags = b & 0x1f;
		*level = b >> 5;
	}
}

/* ---- memory ---- */

int pk_read(struct vm_printk *p, uint64_t va, void *buf, size_t len,
	    struct vm_err *e)
{
	return p->src->read(p->src->ctx, va, buf, len, e);
}

int pk_read_word(struct vm_printk *p, uint64_t va, unsigned w, uint64_t *out,
		 struct vm_err *e)
{
	uint8_t b[8];

	if (pk_read(p, va, b, w, e) < 0)
		return -1;
	*out = pk_word(p, b, w);
	return 0;
}

int pk_own(struct vm_printk *p, void *buf, struct vm_err *e)
{
	if (p->nowned == p->ownedcap) {
		size_t ncap = p->ownedcap ? p->ownedcap * 2 : 16;
		void **o = vm_realloc_array(p->owned, ncap, sizeof(*o), e);

		if (!o) {
			free(buf);
			return -1;
		}
		p->owned = o;
		p->ownedcap = ncap;
	}
	p->owned[p->nowned++] = buf;
	return 0;
}

const char *pk_strndup(struct vm_printk *p, const uint8_t *s, size_t max,
		       struct vm_err *e)
{
	size_t n = strnlen((const char *)s, max);
	char *c;

	if (n == 0)
		return "";
	c = vm_malloc(n + 1, e);
	if (!c || pk_own(p, c, e) < 0)
		return NULL;
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

int pk_region_alloc(struct vm_printk *p, struct pk_region *r, uint64_t va,
		    size_t len, struct vm_err *e)
{
	size_t npages;

	memset(r, 0, sizeof(*r));
	r->va = va;
	r->len = len;
	r->page = p->src->page_size ? p->src->page_size : 4096;
	if (va + len < va)
		return vm_fail(e, VM_ECORRUPT,
			       "region at 0x%llx + %zu wraps the address space",
			       (unsigned long long)va, len);
	/* The length comes from the dump (log_buf_len, size_bits, count_bits
	 * x SIZE()): a buffer the kernel allocated is memory at both ends,
	 * so check that before allocating what a corrupt length asks for. */
	if (len > PK_REGION_MAX)
		return vm_fail(e, VM_ECORRUPT, "buffer at 0x%llx of %zu bytes is "
			       "larger than %u MiB: corrupt length",
			       (unsigned long long)va, len, PK_REGION_MAX >> 20);
	if (len > PK_REGION_PROBE) {
		uint8_t b;

		if (pk_read(p, va, &b, 1, e) < 0 ||
		    pk_read(p, va + len - 1, &b, 1, e) < 0) {
			vm_err_prefix(e, "buffer at 0x%llx of %zu bytes (corrupt "
				      "length?): ", (unsigned long long)va, len);
			return -1;
		}
	}
	r->buf = vm_calloc(1, len ? len : 1, e);
	if (!r->buf || pk_own(p, r->buf, e) < 0)
		return -1;
	/* last page - first page + 1, without va + len + page wrapping */
	npages = len ? (size_t)((va + len - 1) / r->page - va / r->page + 1) : 1;
	r->state = vm_malloc(npages ? npages : 1, e);
	if (!r->state || pk_own(p, r->state, e) < 0)
		return -1;
	memset(r->state, PK_PAGE_UNREAD, npages ? npages : 1);
	return 0;
}

static void set_pages(struct pk_region *r, uint64_t a, uint64_t end, uint8_t st)
{
	uint64_t first = r->va / r->page, pg;

	for (pg = a / r->page; pg <= (end - 1) / r->page; pg++)
		r->state[pg - first] = st;
}

/* Read [off, off+len) of r page by page. */
static size_t fill_pages(struct vm_printk *p, struct pk_region *r, size_t off,
			 size_t len)
{
	uint64_t a = r->va + off, end = r->va + off + len;
	size_t got = 0;

	while (a < end) {
		/* to the page end, without computing it: the last page of the
		 * address space ends at 2^64 */
		uint64_t room = r->page - a % r->page;
		size_t n = (size_t)(room < end - a ? room : end - a);
		struct vm_err pe;

		if (pk_read(p, a, r->buf + (a - r->va), n, &pe) == 0) {
			set_pages(r, a, a + n, PK_PAGE_OK);
			got += n;
		} else {
			memset(r->buf + (a - r->va), 0, n);
			set_pages(r, a, a + n, PK_PAGE_BAD);
			if (!r->why[0])
				snprintf(r->why, sizeof(r->why), "%.199s", pe.msg);
		}
		a += n;
	}
	return got;
}

int pk_region_fill(struct vm_printk *p, struct pk_region *r, size_t off,
		   size_t len)
{
	struct vm_err e;

	if (!len)
		return 0;
	/* One read for the whole span: the dump layer decompresses each page
	 * once and no per-page call overhead is paid. */
	if (pk_read(p, r->va + off, r->buf + off, len, &e) == 0) {
		set_pages(r, r->va + off, r->va + off + len, PK_PAGE_OK);
		return 0;
	}
	/* why[] will name the first page that failed, not this span */
	return fill_pages(p, r, off, len) ? 0 : -1;
}

int pk_region_read(struct vm_printk *p, struct pk_region *r, uint64_t va,
		   size_t len, struct vm_err *e)
{
	if (pk_region_alloc(p, r, va, len, e) < 0)
		return -1;
	if (pk_region_fill(p, r, 0, len) < 0)
		return vm_fail(e, VM_ENOPAGE, "%s", r->why);
	return 0;
}

bool pk_region_ok(struct vm_printk *p, struct pk_region *r, size_t off,
		  size_t len)
{
	uint64_t first, pg, lo, hi;

	if (off > r->len || len > r->len - off)
		return false;
	if (!len)
		return true;
	first = r->va / r->page;
	lo = (r->va + off) / r->page;
	hi = (r->va + off + len - 1) / r->page;
	for (pg = lo; pg <= hi; pg++) {
		if (r->state[pg - first] == PK_PAGE_UNREAD) {
			/* lazily read the unread part of the span */
			uint64_t a = pg * r->page < r->va ? r->va : pg * r->page;

			fill_pages(p, r, (size_t)(a - r->va),
				   (size_t)(r->va + off + len - a));
		}
		if (r->state[pg - first] != PK_PAGE_OK)
			return false;
	}
	return true;
}

/* ---- records ---- */

struct vm_printk_rec *pk_add_rec(struct vm_printk *p, struct vm_err *e)
{
	struct vm_printk_rec *r;

	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 256;
		struct vm_printk_rec *nr = vm_realloc_array(p->recs, ncap,
							    sizeof(*nr), e);
		if (!nr)
			return NULL;
		p->recs = nr;
		p->cap = ncap;
	}
	r = &p->recs[p->n++];
	memset(r, 0, sizeof(*r));
	r->subsystem = "";
	r->device = "";
	return r;
}

int pk_add_lost(struct vm_printk *p, bool seq_known, uint64_t seq,
		uint64_t count, struct vm_err *e, const char *fmt, ...)
{
	struct vm_printk_lost *l;
	char why[sizeof(l->why)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (p->nlost) {
		l = &p->lost[p->nlost - 1];
		if (seq_known && l->seq_known && l->last_seq + 1 == seq &&
		    !strcmp(l->why, why)) {
			l->last_seq = seq + count - 1;
			l->count += count;
			return 0;
		}
	}
	if (p->nlost == p->lostcap) {
		size_t ncap = p->lostcap ? p->lostcap * 2 : 16;
		struct vm_printk_lost *nl = vm_realloc_array(p->lost, ncap,
							     sizeof(*nl), e);
		if (!nl)
			return -1;
		p->lost = nl;
		p->lostcap = ncap;
	}
	l = &p->lost[p->nlost++];
	memset(l, 0, sizeof(*l));
	l->seq_known = seq_known;
	l->first_seq = seq;
	l->last_seq = seq + (count ? count - 1 : 0);
	l->count = count;
	memcpy(l->why, why, sizeof(why));
	return 0;
}

/* ---- public API ---- */

const char *vm_printk_format_name(enum vm_printk_format f)
{
	switch (f) {
	case VM_PRINTK_RINGBUFFER:
		return "printk_ringbuffer";
	case VM_PRINTK_STRUCTURED:
		return "printk_log records";
	case VM_PRINTK_PLAIN:
		return "plain log_buf";
	default:
		return "none";
	}
}

void vm_printk_close(struct vm_printk *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nowned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->recs);
	free(p->lost);
	free(p);
}

/*
 * Which format: VMCOREINFO is authoritative when it names one of the
 * formats' symbols, so no debuginfo gets loaded for a question the dump
 * already answers; the fallback lookups are asked only after that.
 */
static enum vm_printk_format detect(struct vm_printk *p)
{
	static const struct {
		const char *sym;
		enum vm_printk_format f;
	} tab[] = {
		{ "prb", VM_PRINTK_RINGBUFFER },
		{ "log_first_idx", VM_PRINTK_STRUCTURED },
		{ "log_end", VM_PRINTK_PLAIN },
	};
	uint64_t a;
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (pk_symbol_vmci(p, tab[i].sym, &a) == 0) {
			p->layout_vmci = true;
			return tab[i].f;
		}
	if (!p->src->symbol)
		return VM_PRINTK_NONE;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (p->src->symbol(p->src->lctx, tab[i].sym, &a) == 0)
			return tab[i].f;
	return VM_PRINTK_NONE;
}

struct vm_printk *vm_printk_open(const struct vm_printk_src *src,
				 unsigned flags, struct vm_err *e)
{
	struct vm_printk *p = vm_calloc(1, sizeof(*p), e);
	int r;

	if (!p)
		return NULL;
	p->src = src;
	p->flags = flags;
	p->fmt = detect(p);
	switch (p->fmt) {
	case VM_PRINTK_RINGBUFFER:
		r = pk_open_ringbuffer(p, e);
		break;
	case VM_PRINTK_STRUCTURED:
		r = pk_open_structured(p, e);
		break;
	case VM_PRINTK_PLAIN:
		r = pk_open_plain(p, e);
		break;
	default:
		r = vm_fail(e, VM_ENOENT,
			    "no kernel log: none of the symbols prb (v5.10+), "
			    "log_first_idx (v3.5-v5.9) or log_end (before v3.5) "
			    "is known%s",
			    src->vi ? "" : " (the dump has no VMCOREINFO; "
					   "give the vmlinux with -k)");
	}
	p->src = NULL;
	if (r < 0) {
		vm_printk_close(p);
		return NULL;
	}
	return p;
}

enum vm_printk_format vm_printk_format(const struct vm_printk *p)
{
	return p->fmt;
}

size_t vm_printk_count(const struct vm_printk *p)
{
	return p->n;
}

const struct vm_printk_rec *vm_printk_at(const struct vm_printk *p, size_t i)
{
	return i < p->n ? &p->recs[i] : NULL;
}

const struct vm_printk_rec *vm_printk_next(const struct vm_printk *p,
					   size_t *pos)
{
	return *pos < p->n ? &p->recs[(*pos)++] : NULL;
}

bool vm_printk_seq_exact(const struct vm_printk *p)
{
	return p->seq_exact;
}

bool vm_printk_has_caller(const struct vm_printk *p)
{
	return p->has_caller;
}

bool vm_printk_has_level(const struct vm_printk *p)
{
	return p->has_level;
}

size_t vm_printk_nr_lost(const struct vm_printk *p)
{
	return p->nlost;
}

const struct vm_printk_lost *vm_printk_lost(const struct vm_printk *p,
					    size_t i)
{
	return i < p->nlost ? &p->lost[i] : NULL;
}

int vm_printk_uptime(const struct vm_printk *p, uint64_t *ns)
{
	size_t i;

	for (i = p->n; i-- > 0;)
		if (p->recs[i].rflags & VM_PRINTK_R_HAS_TS) {
			*ns = p->recs[i].ts_nsec;
			return 0;
		}
	return -1;
}

/* ---- on a vm_kernel ---- */

static int k_read(void *ctx, uint64_t va, void *buf, size_t len,
		  struct vm_err *e)
{
	return vm_kread(ctx, va, buf, len, e);
}

static int k_symbol(void *lctx, const char *name, uint64_t *out)
{
	struct vm_err e;

	return vm_kernel_symbol(lctx, name, out, &e);
}

static int k_offset(void *lctx, const char *type, const char *member,
		    uint64_t *out)
{
	struct vm_err e;

	return vm_kernel_offsetof(lctx, type, member, out, NULL, &e);
}

static int k_size(void *lctx, const char *type, uint64_t *out)
{
	struct vm_err e;

	return vm_kernel_sizeof(lctx, type, out, &e);
}

struct vm_printk *vm_printk_open_kernel(struct vm_kernel *k, unsigned flags,
					struct vm_err *e)
{
	struct vm_printk_src src = { 0 };
	struct vm_mem *m;

	m = vm_kernel_mem(k, e);
	if (!m) {
		vm_err_prefix(e, "cannot read kernel memory: ");
		return NULL;
	}
	src.ctx = m;
	src.read = k_read;
	src.vi = k->vi;
	src.lctx = k;
	src.symbol = k_symbol;
	src.offset = k_offset;
	src.size = k_size;
	/* Every architecture vm_arch supports (x86_64, arm64) is 64-bit
	 * little-endian. */
	src.ptr_size = 8;
	src.big_endian = false;
	src.page_size = vm_mem_page_size(m);
	return vm_printk_open(&src, flags, e);
}
