// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_printk: the printk decoders (common/kernel/printk*.c) on synthetic
 * kernel memory laid out by tests/gen/printk_gen.h the way the kernel's own
 * writers do (log_store(), prb_reserve()/data_alloc(), emit_log_char()),
 * with VMCOREINFO as log_buf_vmcoreinfo_setup() writes it.  The expected
 * records are the generator's own account of which messages survive; the
 * decoder never sees it.  Also: damaged rings (corrupt descriptors, data
 * block ids, record lengths, pages missing from the dump), layouts missing
 * from VMCOREINFO, and the panic-line rule.  TAP output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "vmcoreinfo/vmcoreinfo.h"

#include "../gen/printk_gen.h"

static int test_no, failed;

__attribute__((format(printf, 2, 3)))
static int tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failed++;
	return ok;
}

/* ---- a src over a gmem ---- */

struct tctx {
	struct gmem *g;
	/* "debuginfo": symbols the VMCOREINFO does not have */
	uint64_t first_seq_sym, next_seq_sym;
	/* "debuginfo" for every lookup, in VMCOREINFO syntax (or NULL) */
	struct vm_vmcoreinfo *dbg;
};

static int t_read(void *ctx, uint64_t va, void *buf, size_t len,
		  struct vm_err *e)
{
	struct tctx *t = ctx;

	if (gmem_read(t->g, va, buf, len) < 0)
		return vm_fail(e, VM_ENOPAGE, "va 0x%llx: not in the test image",
			       (unsigned long long)va);
	return 0;
}

static int t_symbol(void *lctx, const char *name, uint64_t *out)
{
	struct tctx *t = lctx;

	if (!strcmp(name, "log_first_seq") && t->first_seq_sym) {
		*out = t->first_seq_sym;
		return 0;
	}
	if (!strcmp(name, "log_next_seq") && t->next_seq_sym) {
		*out = t->next_seq_sym;
		return 0;
	}
	return t->dbg ? vm_vmci_symbol(t->dbg, name, out) : -1;
}

static int t_offset(void *lctx, const char *type, const char *member,
		    uint64_t *out)
{
	struct tctx *t = lctx;
	char key[128];

	snprintf(key, sizeof(key), "%s.%s", type, member);
	return t->dbg ? vm_vmci_offset(t->dbg, key, out) : -1;
}

static int t_size(void *lctx, const char *type, uint64_t *out)
{
	struct tctx *t = lctx;

	return t->dbg ? vm_vmci_size(t->dbg, type, out) : -1;
}

struct setup {
	struct tctx t;
	struct vm_printk_src src;
	struct vm_vmcoreinfo *vi;
};

static void setup_src(struct setup *s, struct gmem *g)
{
	struct vm_err e;

	memset(s, 0, sizeof(*s));
	s->t.g = g;
	s->vi = vm_vmcoreinfo_parse(g->vmci, g->vlen, &e);
	if (!s->vi)
		gen_die(e.msg);
	s->src.ctx = &s->t;
	s->src.read = t_read;
	s->src.vi = s->vi;
	s->src.lctx = &s->t;
	s->src.symbol = t_symbol;
	s->src.ptr_size = 8;
	s->src.page_size = 4096;
}

/* ---- comparing ---- */

struct want {
	int caller, level, dev, dict, seq, dataless_ok;
};

/* Every alive, undamaged message in order, against the decoded records. */
static int compare(const char *what, const struct vm_printk *p,
		   const struct gen_log *L, struct want w)
{
	size_t i, k = 0;
	const struct vm_printk_rec *r;
	char why[256] = "";

	for (i = 0; i < L->n && !why[0]; i++) {
		const struct gen_msg *m = &L->m[i];

		if (!m->alive || m->damaged || m->reserved)
			continue;
		r = vm_printk_at(p, k++);
		if (!r) {
			snprintf(why, sizeof(why), "record for seq %llu missing",
				 (unsigned long long)m->seq);
			break;
		}
		if (w.seq && r->seq != m->seq)
			snprintf(why, sizeof(why), "seq %llu, want %llu",
				 (unsigned long long)r->seq,
				 (unsigned long long)m->seq);
		else if (r->ts_nsec != m->ts_nsec)
			snprintf(why, sizeof(why), "seq %llu: ts %llu want %llu",
				 (unsigned long long)m->seq,
				 (unsigned long long)r->ts_nsec,
				 (unsigned long long)m->ts_nsec);
		else if (r->text_len != m->text_len ||
			 memcmp(r->text, m->text, m->text_len))
			snprintf(why, sizeof(why), "seq %llu: text '%.*s' want '%.*s'",
				 (unsigned long long)m->seq, (int)r->text_len,
				 r->text, (int)m->text_len, m->text);
		else if (w.level && (!(r->rflags & VM_PRINTK_R_HAS_LEVEL) ||
				     r->level != m->level ||
				     r->facility != m->facility))
			snprintf(why, sizeof(why), "seq %llu: level %u/%u want %d/%d",
				 (unsigned long long)m->seq, r->level,
				 r->facility, m->level, m->facility);
		else if (w.caller && (!(r->rflags & VM_PRINTK_R_HAS_CALLER) ||
				      r->caller_id != m->caller_id))
			snprintf(why, sizeof(why), "seq %llu: caller %x want %x",
				 (unsigned long long)m->seq, r->caller_id,
				 m->caller_id);
		else if (!w.caller && (r->rflags & VM_PRINTK_R_HAS_CALLER))
			snprintf(why, sizeof(why), "seq %llu: caller id where "
				 "the kernel has none", (unsigned long long)m->seq);
		else if (w.dev && (strcmp(r->subsystem, m->subsystem) ||
				   strcmp(r->device, m->device)))
			snprintf(why, sizeof(why), "seq %llu: dev '%s' '%s'",
				 (unsigned long long)m->seq, r->subsystem,
				 r->device);
		else if (w.dict && (r->dict_len != m->dict_len ||
				    (m->dict_len && memcmp(r->dict, m->dict,
							   m->dict_len))))
			snprintf(why, sizeof(why), "seq %llu: dict length %zu want %zu",
				 (unsigned long long)m->seq, r->dict_len,
				 m->dict_len);
		else if (!w.dataless_ok && (r->rflags & VM_PRINTK_R_DATALESS) !=
			 (m->dataless ? VM_PRINTK_R_DATALESS : 0u))
			snprintf(why, sizeof(why), "seq %llu: data-less flag",
				 (unsigned long long)m->seq);
		else if (((r->rflags & VM_PRINTK_R_COMMITTED) != 0) !=
			 (m->committed_only != 0))
			snprintf(why, sizeof(why), "seq %llu: committed flag",
				 (unsigned long long)m->seq);
	}
	if (!why[0] && k != vm_printk_count(p))
		snprintf(why, sizeof(why), "%zu records decoded, %zu expected",
			 vm_printk_count(p), k);
	return tap(!why[0], "%s: %zu records%s%s", what, k, why[0] ? ": " : "",
		   why);
}

static size_t alive(const struct gen_log *L)
{
	size_t i, n = 0;

	for (i = 0; i < L->n; i++)
		n += L->m[i].alive && !L->m[i].damaged && !L->m[i].reserved;
	return n;
}

/* ---- printk_ringbuffer ---- */

static void build_prb(struct gmem *g, struct prb_gen *R, struct gen_log *L,
		      unsigned cbits, unsigned sbits, unsigned nmsg,
		      size_t reserved_at)
{
	unsigned i;

	gmem_init(g, (1u << sbits) + (1u << cbits) * 200 + 65536);
	memset(L, 0, sizeof(*L));
	prb_init(R, g, L, cbits, sbits);
	for (i = 0; i < nmsg; i++) {
		struct gen_msg *m = gen_new(L);
		int st = i + 1 == nmsg ? G_COMMITTED : G_FINALIZED;

		gen_text(m, i);
		if (i == reserved_at)
			st = G_RESERVED;
		prb_store(R, m, st);
	}
}

static void test_prb_basic(void)
{
	struct gmem g;
	struct prb_gen R;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;
	uint64_t up;
	size_t i, nd = 0;

	build_prb(&g, &R, &L, 6, 13, 500, (size_t)-1);
	prb_finish(&R, "6.1.0-gen");
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	if (!tap(p != NULL, "ringbuffer (64 descs, 8 KiB, 500 messages) opens%s%s",
		 p ? "" : ": ", p ? "" : e.msg))
		return;
	tap(vm_printk_format(p) == VM_PRINTK_RINGBUFFER, "ringbuffer detected");
	compare("ringbuffer after many wraps", p, &L,
		(struct want){ .caller = 1, .level = 1, .dev = 1, .seq = 1 });
	tap(vm_printk_nr_lost(p) == 0, "ringbuffer: nothing reported lost (%zu)",
	    vm_printk_nr_lost(p));
	tap(alive(&L) < 64 && alive(&L) > 10,
	    "ringbuffer: data ring evicted records (%zu alive)", alive(&L));
	for (i = 0; i < vm_printk_count(p); i++)
		nd += (vm_printk_at(p, i)->rflags & VM_PRINTK_R_DATALESS) != 0;
	tap(nd > 0, "ringbuffer: empty messages are data-less records (%zu)", nd);
	tap(vm_printk_uptime(p, &up) == 0 && up == L.m[L.n - 1].ts_nsec,
	    "uptime is the newest record's timestamp");
	vm_printk_close(p);

	/* level and facility without asking debuginfo: the derived offset */
	p = vm_printk_open(&s.src, 0, &e);
	if (p)
		compare("ringbuffer, level from the definition", p, &L,
			(struct want){ .caller = 1, .level = 1, .dev = 1, .seq = 1 });
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);
}

/* No VMCOREINFO: everything through the debuginfo callbacks, including
 * the facility offset VMCOREINFO never has (here moved, to see that it is
 * asked for and not derived). */
static void test_prb_debuginfo(void)
{
	struct gmem g;
	struct prb_gen R;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;
	char *text;
	size_t n;

	build_prb(&g, &R, &L, 6, 13, 300, (size_t)-1);
	prb_finish(&R, "6.1.0-gen");
	setup_src(&s, &g);
	n = g.vlen + 64;
	text = malloc(n);
	snprintf(text, n, "%.*sOFFSET(printk_info.facility)=%zu\n", (int)g.vlen,
		 g.vmci, offsetof(struct g_printk_info, facility));
	s.t.dbg = vm_vmcoreinfo_parse(text, strlen(text), &e);
	s.src.vi = NULL;
	s.src.offset = t_offset;
	s.src.size = t_size;
	p = vm_printk_open(&s.src, 0, &e);
	if (tap(p != NULL, "ringbuffer without VMCOREINFO, layout from debuginfo%s%s",
		p ? "" : ": ", p ? "" : e.msg))
		compare("ringbuffer, debuginfo layout", p, &L,
			(struct want){ .caller = 1, .level = 1, .dev = 1, .seq = 1 });
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.t.dbg);
	/* a facility offset from debuginfo wins over the derivation */
	snprintf(text, n, "%.*sOFFSET(printk_info.facility)=%zu\n", (int)g.vlen,
		 g.vmci, offsetof(struct g_printk_info, text_len));
	s.t.dbg = vm_vmcoreinfo_parse(text, strlen(text), &e);
	p = vm_printk_open(&s.src, 0, &e);
	tap(p && vm_printk_count(p) > 0 &&
	    vm_printk_at(p, 0)->facility ==
	    (uint8_t)vm_printk_at(p, 0)->text_len,
	    "ringbuffer: facility offset taken from debuginfo when it is there");
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.t.dbg);
	free(text);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);
}

static void test_prb_young(void)
{
	struct gmem g;
	struct prb_gen R;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;

	/* never wrapped: the bootstrap descriptor is still the tail */
	build_prb(&g, &R, &L, 8, 15, 20, (size_t)-1);
	prb_finish(&R, "6.1.0-gen");
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	if (tap(p != NULL, "young ringbuffer opens%s%s", p ? "" : ": ",
		p ? "" : e.msg))
		compare("young ringbuffer (bootstrap tail)", p, &L,
			(struct want){ .caller = 1, .level = 1, .dev = 1, .seq = 1 });
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);

	/* an empty one */
	build_prb(&g, &R, &L, 8, 15, 0, (size_t)-1);
	prb_finish(&R, "6.1.0-gen");
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	tap(p && vm_printk_count(p) == 0 && vm_printk_nr_lost(p) == 0,
	    "empty ringbuffer: no records, nothing lost");
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);
}

/* Find the newest alive, non-data-less message with text at least n long. */
static struct gen_msg *pick(struct gen_log *L, size_t from_end, size_t n)
{
	size_t i, seen = 0;

	for (i = L->n; i-- > 0;) {
		struct gen_msg *m = &L->m[i];

		if (m->alive && !m->dataless && !m->reserved && !m->damaged &&
		    !m->committed_only && m->text_len >= n && seen++ == from_end)
			return m;
	}
	gen_die("no message to damage");
	return NULL;
}

static int lost_has(const struct vm_printk *p, uint64_t seq, const char *why)
{
	size_t i;

	for (i = 0; i < vm_printk_nr_lost(p); i++) {
		const struct vm_printk_lost *l = vm_printk_lost(p, i);

		if (l->seq_known && l->first_seq <= seq && seq <= l->last_seq &&
		    strstr(l->why, why))
			return 1;
	}
	return 0;
}

static void test_prb_damaged(void)
{
	struct gmem g;
	struct prb_gen R;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;
	struct gen_msg *a, *b, *c;
	struct g_prb_desc *d = NULL;
	uint64_t rid = 0;
	size_t i;

	build_prb(&g, &R, &L, 6, 13, 400, 395);
	/* a: its descriptor's id field says another id */
	a = pick(&L, 3, 1);
	for (i = 0; i < R.count; i++)
		if (R.msg_of_slot[i] == (size_t)(a - L.m))
			d = (struct g_prb_desc *)gmem_ptr(&g, R.descs_va) + i;
	if (!d)
		gen_die("victim descriptor not found");
	d->state_var ^= 0x40;
	a->damaged = 1;
	/* b: its text block's id word overwritten */
	b = pick(&L, 6, 1);
	for (i = 0; i < R.count; i++)
		if (R.msg_of_slot[i] == (size_t)(b - L.m)) {
			struct g_prb_desc *db = (struct g_prb_desc *)
				gmem_ptr(&g, R.descs_va) + i;
			uint64_t off = db->text_blk_lpos.begin & (R.size - 1);

			if (DATA_WRAPS(&R, db->text_blk_lpos.begin) !=
			    DATA_WRAPS(&R, db->text_blk_lpos.next))
				off = 0;
			memcpy(&rid, prb_data(&R) + off, 8);
			rid ^= 0x1000;
			memcpy(prb_data(&R) + off, &rid, 8);
		}
	b->damaged = 1;
	prb_finish(&R, "6.1.0-gen");
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	if (!tap(p != NULL, "damaged ringbuffer opens%s%s", p ? "" : ": ",
		 p ? "" : e.msg))
		return;
	compare("damaged ringbuffer: every other record", p, &L,
		(struct want){ .caller = 1, .level = 1, .dev = 1, .seq = 1 });
	tap(lost_has(p, a->seq, "holds id"),
	    "descriptor with a wrong id: seq %llu reported lost",
	    (unsigned long long)a->seq);
	tap(lost_has(p, b->seq, "belongs to id"),
	    "text block with a wrong id: seq %llu reported lost",
	    (unsigned long long)b->seq);
	tap(lost_has(p, 395, "being written"),
	    "reserved record: seq 395 reported as being written");
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);

	/* a page of the text ring missing from the dump */
	build_prb(&g, &R, &L, 6, 14, 300, (size_t)-1);
	c = pick(&L, 10, 40);
	for (i = 0; i < R.count; i++)
		if (R.msg_of_slot[i] == (size_t)(c - L.m)) {
			struct g_prb_desc *dc = (struct g_prb_desc *)
				gmem_ptr(&g, R.descs_va) + i;
			uint64_t va = R.data_va + (dc->text_blk_lpos.begin & (R.size - 1));

			gmem_hole(&g, va + 8, 1);
			/* every record with text in that page is lost */
			for (size_t j = 0; j < L.n; j++) {
				struct gen_msg *m = &L.m[j];
				size_t k;

				if (!m->alive || m->dataless)
					continue;
				for (k = 0; k < R.count; k++) {
					struct g_prb_desc *dk;
					uint64_t b0, e0;

					if (R.msg_of_slot[k] != j)
						continue;
					dk = (struct g_prb_desc *)gmem_ptr(&g, R.descs_va) + k;
					b0 = R.data_va + (dk->text_blk_lpos.begin & (R.size - 1));
					if (DATA_WRAPS(&R, dk->text_blk_lpos.begin) !=
					    DATA_WRAPS(&R, dk->text_blk_lpos.next))
						b0 = R.data_va;
					e0 = b0 + 8 + m->text_len;
					if (b0 < g.hole_hi[0] && e0 > g.hole_lo[0])
						m->damaged = 1;
				}
			}
		}
	prb_finish(&R, "6.1.0-gen");
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	if (tap(p != NULL, "ringbuffer with a missing text page opens")) {
		compare("missing text page: the other records", p, &L,
			(struct want){ .caller = 1, .level = 1, .dev = 1, .seq = 1 });
		tap(lost_has(p, c->seq, "unreadable"),
		    "missing text page: seq %llu reported unreadable",
		    (unsigned long long)c->seq);
	}
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);
}

static void test_prb_bad_headers(void)
{
	struct gmem g;
	struct prb_gen R;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;
	struct g_printk_ringbuffer *rb;
	char *k;

	build_prb(&g, &R, &L, 6, 13, 100, (size_t)-1);
	prb_finish(&R, "6.1.0-gen");
	rb = gmem_ptr(&g, R.rb_va);

	rb->desc_ring.count_bits = 200;
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	tap(!p && strstr(e.msg, "count_bits 200"),
	    "count_bits out of range: clear error (%s)", p ? "opened" : e.msg);
	vm_printk_close(p);
	rb->desc_ring.count_bits = R.count_bits;

	rb->text_data_ring.size_bits = 99;
	p = vm_printk_open(&s.src, 0, &e);
	tap(!p && strstr(e.msg, "size_bits 99"),
	    "size_bits out of range: clear error (%s)", p ? "opened" : e.msg);
	vm_printk_close(p);
	rb->text_data_ring.size_bits = R.size_bits;

	/* tail far behind head: clamp to one ring's worth and say so */
	rb->desc_ring.tail_id -= 1000;
	p = vm_printk_open(&s.src, 0, &e);
	tap(p && vm_printk_count(p) > 0 && vm_printk_nr_lost(p) > 0 &&
	    strstr(vm_printk_lost(p, 0)->why, "ids behind head_id"),
	    "tail_id 1000 ids too far back: records read, damage reported");
	vm_printk_close(p);
	rb->desc_ring.tail_id += 1000;

	/* descriptors pointer into nothing: nothing readable, an error */
	rb->desc_ring.descs = 0xffffffffa0000000ULL;
	p = vm_printk_open(&s.src, 0, &e);
	tap(!p && strstr(e.msg, "no record"), "descs unreadable: error (%s)",
	    p ? "opened" : e.msg);
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);

	/* a VMCOREINFO without a member the decoder needs, no debuginfo */
	k = strstr(g.vmci, "OFFSET(prb_desc.state_var)");
	memcpy(k, "OFFSET(prb_desc.xtate_var)", 26);
	setup_src(&s, &g);
	s.src.symbol = NULL;
	p = vm_printk_open(&s.src, 0, &e);
	tap(!p && strstr(e.msg, "OFFSET(prb_desc.state_var)"),
	    "layout member missing: the error names it (%s)",
	    p ? "opened" : e.msg);
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);

	/* no VMCOREINFO and no debuginfo at all */
	s.src.vi = NULL;
	p = vm_printk_open(&s.src, 0, &e);
	tap(!p && strstr(e.msg, "no VMCOREINFO"),
	    "no VMCOREINFO: clear error (%s)", p ? "opened" : e.msg);
	vm_printk_close(p);
	gmem_free(&g);
	free(L.m);
}

/* ---- v3.5 - v5.9 printk_log ---- */

static void build_plog(struct gmem *g, struct plog_gen *P, struct gen_log *L,
		       size_t len, int align8, int caller, unsigned nmsg,
		       const char *name)
{
	unsigned i;

	gmem_init(g, len + 65536);
	memset(L, 0, sizeof(*L));
	L->cap = nmsg + 1;
	L->m = calloc(L->cap, sizeof(*L->m));
	plog_init(P, g, L, len, align8, caller, name);
	for (i = 0; i < nmsg; i++) {
		struct gen_msg *m = gen_new(L);

		gen_text(m, i);
		plog_store(P, m);
	}
}

static void test_plog(int align8, int caller, const char *name)
{
	struct gmem g;
	struct plog_gen P;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;
	char what[128];

	snprintf(what, sizeof(what), "struct %s, LOG_ALIGN %d, %s caller_id",
		 name, align8 ? 8 : 4, caller ? "with" : "without");
	build_plog(&g, &P, &L, 8192, align8, caller, 600, name);
	plog_finish(&P, caller ? "5.4.0-gen" : "4.18.0-gen");
	setup_src(&s, &g);
	s.t.first_seq_sym = P.sym_first_seq;
	s.t.next_seq_sym = P.sym_next_seq;
	p = vm_printk_open(&s.src, VM_PRINTK_WANT_SEQ, &e);
	if (!tap(p != NULL, "%s: opens%s%s", what, p ? "" : ": ", p ? "" : e.msg))
		return;
	tap(vm_printk_format(p) == VM_PRINTK_STRUCTURED, "%s: detected", what);
	compare(what, p, &L, (struct want){ .caller = caller, .level = 1,
					    .dict = 1, .seq = 1 });
	tap(vm_printk_seq_exact(p) && vm_printk_nr_lost(p) == 0 &&
	    alive(&L) < L.n, "%s: wrapped, exact seq, nothing lost", what);
	vm_printk_close(p);

	/* without debuginfo: no log_first_seq, relative numbers */
	s.src.symbol = NULL;
	p = vm_printk_open(&s.src, VM_PRINTK_WANT_SEQ, &e);
	tap(p && !vm_printk_seq_exact(p) && vm_printk_count(p) == alive(&L),
	    "%s: without debuginfo, same records, relative seq", what);
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);
}

static void test_plog_truncated(void)
{
	struct gmem g;
	struct plog_gen P;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;
	struct gen_msg *m;

	/* a message longer than the buffer allows: log_store() truncates it
	 * to a quarter of the buffer and appends "<truncated>" */
	gmem_init(&g, 65536);
	memset(&L, 0, sizeof(L));
	L.cap = 4;
	L.m = calloc(L.cap, sizeof(*L.m));
	plog_init(&P, &g, &L, 1024, 0, 0, "printk_log");
	m = gen_new(&L);
	gen_text(m, 1);
	memset(m->text, 'A', 1000);
	m->text_len = 1000;
	plog_store(&P, m);
	plog_finish(&P, "4.18.0-gen");
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	tap(p && vm_printk_count(p) == 1 &&
	    vm_printk_at(p, 0)->text_len == 256 + 11 &&
	    !memcmp(vm_printk_at(p, 0)->text + 256, "<truncated>", 11),
	    "printk_log: log_store()'s truncated record reads back");
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);
}

static uint32_t plog_idx_of(struct plog_gen *P, size_t msg)
{
	/* walk the generator's own chain from log_first_idx */
	uint32_t idx = P->first_idx;
	size_t i;

	for (i = P->first_msg; i < msg; i++) {
		if (!plog_len_at(P, idx))
			idx = 0;
		idx += plog_len_at(P, idx);
	}
	if (!plog_len_at(P, idx))
		idx = 0;
	return idx;
}

static void test_plog_damaged(void)
{
	struct gmem g;
	struct plog_gen P;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;
	size_t victim;
	uint32_t idx;
	uint16_t bad = 3;

	build_plog(&g, &P, &L, 8192, 0, 1, 500, "printk_log");
	victim = P.first_msg + (L.n - P.first_msg) / 2;
	idx = plog_idx_of(&P, victim);
	/* a length that is no record's: not a multiple of LOG_ALIGN */
	memcpy((uint8_t *)gmem_ptr(&g, P.buf_va) + idx + 8, &bad, 2);
	L.m[victim].damaged = 1;
	plog_finish(&P, "5.4.0-gen");
	setup_src(&s, &g);
	s.t.first_seq_sym = P.sym_first_seq;
	s.t.next_seq_sym = P.sym_next_seq;
	p = vm_printk_open(&s.src, VM_PRINTK_WANT_SEQ, &e);
	if (!tap(p != NULL, "printk_log with a corrupt record length opens"))
		return;
	compare("corrupt record length: records before and after it", p, &L,
		(struct want){ .caller = 1, .seq = 1, .dataless_ok = 1 });
	tap(vm_printk_nr_lost(p) == 1 && vm_printk_lost(p, 0)->seq_known &&
	    vm_printk_lost(p, 0)->first_seq == L.m[victim].seq &&
	    vm_printk_lost(p, 0)->last_seq == L.m[victim].seq,
	    "corrupt record length: exactly seq %llu reported lost (%s)",
	    (unsigned long long)L.m[victim].seq,
	    vm_printk_nr_lost(p) ? vm_printk_lost(p, 0)->why : "none");
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);

	/* log_first_idx beyond the buffer: error, not a crash */
	gmem_put32(&g, P.sym_first, 1u << 30);
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	tap(!p && strstr(e.msg, "inconsistent"),
	    "log_first_idx out of range: clear error (%s)", p ? "opened" : e.msg);
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);
}

/* ---- before v3.5: plain log_buf ---- */

static void test_plain(void)
{
	struct gmem g;
	struct plain_gen Q;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;
	const char *tail, *line;
	size_t i, k = 0, n;
	char why[200] = "";

	gmem_init(&g, 65536);
	memset(&L, 0, sizeof(L));
	plain_init(&Q, &g, 4096);
	for (i = 0; i < 150; i++) {
		struct gen_msg *m = gen_new(&L);

		gen_text(m, (unsigned)i);
		plain_printk(&Q, m, 1);
	}
	plain_finish(&Q, "2.6.32-gen");
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	if (!tap(p != NULL, "plain log_buf opens%s%s", p ? "" : ": ",
		 p ? "" : e.msg))
		return;
	/* expected: the last log_buf_len characters of the stream, by line,
	 * "<N>" taken off */
	tail = Q.stream + Q.slen - Q.len;
	for (line = tail; line < Q.stream + Q.slen && !why[0]; line += n + 1) {
		const char *nl = memchr(line, '\n', (size_t)(Q.stream + Q.slen - line));
		const struct vm_printk_rec *r = vm_printk_at(p, k++);
		const char *t = line;

		n = (size_t)(nl - line);
		if (n >= 3 && t[0] == '<' && t[2] == '>') {
			t += 3;
			if (!r || !(r->rflags & VM_PRINTK_R_HAS_LEVEL) ||
			    r->level != line[1] - '0')
				snprintf(why, sizeof(why), "line %zu: level", k);
		}
		if (!why[0] && (!r || r->text_len != n - (size_t)(t - line) ||
				memcmp(r->text, t, r->text_len)))
			snprintf(why, sizeof(why), "line %zu: '%.*s'", k,
				 (int)n, line);
	}
	if (!why[0] && k != vm_printk_count(p))
		snprintf(why, sizeof(why), "%zu lines, want %zu",
			 vm_printk_count(p), k);
	tap(!why[0], "plain log_buf rotated at log_end: %zu lines%s%s", k,
	    why[0] ? ": " : "", why);
	/* the text has microseconds */
	tap(vm_printk_at(p, vm_printk_count(p) - 1)->ts_nsec ==
	    L.m[L.n - 1].ts_nsec / 1000 * 1000 &&
	    (vm_printk_at(p, 1)->rflags & VM_PRINTK_R_TS_IN_TEXT),
	    "plain log_buf: timestamps parsed from the text");
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);
	free(Q.stream);
}

/* ---- the panic line ---- */

static void panic_case(const char *what, const char *const *texts,
		       const char *want)
{
	struct gmem g;
	struct prb_gen R;
	struct gen_log L;
	struct setup s;
	struct vm_err e;
	struct vm_printk *p;
	const char *line = NULL;
	size_t len = 0;
	int found;

	gmem_init(&g, 1 << 20);
	memset(&L, 0, sizeof(L));
	prb_init(&R, &g, &L, 6, 14);
	for (; *texts; texts++) {
		struct gen_msg *m = gen_new(&L);

		gen_text(m, 1);
		m->text_len = strlen(*texts);
		memcpy(m->text, *texts, m->text_len);
		prb_store(&R, m, G_FINALIZED);
	}
	prb_finish(&R, "6.1.0-gen");
	setup_src(&s, &g);
	p = vm_printk_open(&s.src, 0, &e);
	found = p && vm_printk_panic_line(p, &line, &len);
	tap(want ? found && len == strlen(want) && !memcmp(line, want, len)
		 : !found,
	    "panic line, %s: '%.*s'", what, found ? (int)len : 4,
	    found ? line : "none");
	vm_printk_close(p);
	vm_vmcoreinfo_free(s.vi);
	gmem_free(&g);
	free(L.m);
}

static void test_panic(void)
{
	/* what crash.txt's PANIC: shows for the corpus' three crashes */
	static const char *const sysrq[] = { "sysrq: Trigger a crash",
		"Kernel panic - not syncing: sysrq triggered crash",
		"CPU: 0 PID: 1 Comm: sh", NULL };
	static const char *const oops[] = {
		"BUG: kernel NULL pointer dereference, address: 0000000000000000",
		"#PF: supervisor read access in kernel mode",
		"Oops: 0000 [#1] PREEMPT SMP NOPTI", "RIP: 0010:f+0x13/0x1e",
		"Kernel panic - not syncing: Fatal exception", NULL };
	static const char *const bug[] = { "------------[ cut here ]------------",
		"kernel BUG at /usr/src/crashmod/crashmod.c:76!",
		"invalid opcode: 0000 [#1] PREEMPT SMP NOPTI",
		"Kernel panic - not syncing: Fatal exception", NULL };
	/* a general protection fault outranks an earlier Oops line */
	static const char *const gpf[] = { "Oops: 0002 [#1] SMP",
		"x\ngeneral protection fault: 0000 [#2] SMP\ny", NULL };
	static const char *const none[] = { "all is well", NULL };

	panic_case("sysrq-c", sysrq,
		   "Kernel panic - not syncing: sysrq triggered crash");
	panic_case("oops-module", oops, "Oops: 0000 [#1] PREEMPT SMP NOPTI");
	panic_case("bug-module", bug,
		   "kernel BUG at /usr/src/crashmod/crashmod.c:76!");
	panic_case("gpf inside a multi-line record", gpf,
		   "general protection fault: 0000 [#2] SMP");
	panic_case("no panic", none, NULL);
}

int main(void)
{
	test_prb_basic();
	test_prb_debuginfo();
	test_prb_young();
	test_prb_damaged();
	test_prb_bad_headers();
	test_plog(0, 0, "printk_log");
	test_plog(0, 1, "printk_log");
	test_plog(1, 0, "printk_log");
	test_plog(1, 1, "printk_log");
	test_plog(0, 0, "log");
	test_plog_truncated();
	test_plog_damaged();
	test_plain();
	test_panic();
	printf("1..%d\n", test_no);
	return failed ? 1 : 0;
}
