// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Variable-length records in log_buf, v3.5 (7ff9554bb578) to v5.9
 * (kernel/printk/printk.c; struct "log" until v3.11, 62e32ac3505a):
 *
 *   struct printk_log {
 *           u64 ts_nsec;      u16 len;  u16 text_len;  u16 dict_len;
 *           u8 facility;      u8 flags:5;  u8 level:3;
 *           u32 caller_id;    (v5.1+, CONFIG_PRINTK_CALLER)
 *   }  (__packed __aligned(4) with CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS)
 *
 * followed by text_len bytes of text and dict_len bytes of "KEY=VALUE\0..."
 * dictionary, padded to LOG_ALIGN; len covers all of it.  log_store() puts
 * an all-zero header (len == 0) where a record would not fit before the
 * end of the buffer and starts again at offset 0; it always leaves room
 * for that header.  Records run from log_first_idx to log_next_idx.
 *
 * VMCOREINFO (log_buf_vmcoreinfo_setup()) has SYMBOL(log_buf),
 * SYMBOL(log_buf_len), SYMBOL(log_first_idx), SYMBOL(clear_idx),
 * SYMBOL(log_next_idx), SIZE(printk_log) and OFFSET(printk_log.ts_nsec,
 * len, text_len, dict_len[, caller_id]).  log_first_seq is not there: the
 * sequence numbers need debuginfo, and are relative otherwise.
 */
#include "printk_impl.h"

#include <stdio.h>
#include <string.h>

#define LOG_MAX_LEN (1ULL << 31)        /* log_buf_len is a u32 */
#define LOG_MIN_ALIGN 4                 /* LOG_ALIGN is 4 or 8 */
#define RESYNC_BUDGET 50000000ULL       /* record checks spent resyncing */

struct plog {
	const char *name;        /* "printk_log" or "log" */
	uint64_t hdr;            /* sizeof(struct printk_log) */
	uint64_t o_ts, o_len, o_text_len, o_dict_len, o_caller, o_facility;
	bool has_caller, has_level;
	struct pk_region buf;    /* the whole log_buf */
	uint64_t first, next;    /* log_first_idx, log_next_idx */
	uint64_t budget;
};

static int layout(struct vm_printk *p, struct plog *L, struct vm_err *e)
{
	static const char *const names[] = { "printk_log", "log" };
	char missing[256] = "";
	size_t i;

	for (i = 0; i < 2; i++)
		if (pk_size(p, names[i], &L->hdr) == 0)
			break;
	if (i == 2)
		return vm_fail(e, VM_ENOENT,
			       "printk_log layout unknown: SIZE(printk_log) "
			       "missing from VMCOREINFO%s",
			       p->src->symbol ? " and debuginfo" : "");
	L->name = names[i];
	if (pk_offset(p, L->name, "ts_nsec", &L->o_ts) < 0)
		strcat(missing, " ts_nsec");
	if (pk_offset(p, L->name, "len", &L->o_len) < 0)
		strcat(missing, " len");
	if (pk_offset(p, L->name, "text_len", &L->o_text_len) < 0)
		strcat(missing, " text_len");
	if (pk_offset(p, L->name, "dict_len", &L->o_dict_len) < 0)
		strcat(missing, " dict_len");
	if (missing[0])
		return vm_fail(e, VM_ENOENT,
			       "%s layout unknown: OFFSET of%s missing",
			       L->name, missing);
	if (L->hdr > 4096 || L->o_ts + 8 > L->hdr || L->o_len + 2 > L->hdr ||
	    L->o_text_len + 2 > L->hdr || L->o_dict_len + 2 > L->hdr)
		return vm_fail(e, VM_ECORRUPT,
			       "%s layout inconsistent (size %llu)", L->name,
			       (unsigned long long)L->hdr);
	L->has_caller = pk_offset_opt(p, L->name, "caller_id", &L->o_caller) == 0 &&
			L->o_caller + 4 <= L->hdr;
	/* facility and the flags:5/level:3 byte follow dict_len */
	L->o_facility = pk_facility_offset(p, L->name, L->o_dict_len);
	L->has_level = L->o_facility + 2 <= L->hdr &&
		       (!L->has_caller || L->o_facility + 2 <= L->o_caller);
	return 0;
}

/*
 * Check the record at idx: 1 a record, 0 the wrap marker, -1 invalid (why,
 * unless NULL: resync checks millions of candidates and formatting each
 * reason would be most of its time).
 */
static int check_rec(struct vm_printk *p, struct plog *L, uint64_t idx,
		     char *why, size_t whysz)
{
	const uint8_t *h;
	uint64_t len, need;

	if (idx + L->hdr > L->buf.len) {
		if (why)
			snprintf(why, whysz, "record header at log_buf+%llu crosses "
				 "the end of the buffer", (unsigned long long)idx);
		return -1;
	}
	if (!pk_region_ok(p, &L->buf, (size_t)idx, (size_t)L->hdr)) {
		if (why)
			snprintf(why, whysz, "record at log_buf+%llu unreadable: %s",
			 (unsigned long long)idx, L->buf.why);
		return -1;
	}
	h = L->buf.buf + idx;
	len = pk_u16(p, h + L->o_len);
	if (len == 0)
		return 0;
	need = L->hdr + pk_u16(p, h + L->o_text_len) + pk_u16(p, h + L->o_dict_len);
	if (len < need || len % LOG_MIN_ALIGN || idx + len > L->buf.len) {
		if (why)
			snprintf(why, whysz, "record at log_buf+%llu has len %llu "
				 "(header %llu + text + dict = %llu, buffer %zu)",
			 (unsigned long long)idx, (unsigned long long)len,
			 (unsigned long long)L->hdr, (unsigned long long)need,
			 L->buf.len);
		return -1;
	}
	if (!pk_region_ok(p, &L->buf, (size_t)idx, (size_t)len)) {
		if (why)
			snprintf(why, whysz, "record at log_buf+%llu unreadable: %s",
			 (unsigned long long)idx, L->buf.why);
		return -1;
	}
	return 1;
}

static int add(struct vm_printk *p, struct plog *L, uint64_t idx,
	       struct vm_err *e)
{
	const uint8_t *h = L->buf.buf + idx;
	struct vm_printk_rec *r = pk_add_rec(p, e);

	if (!r)
		return -1;
	r->ts_nsec = pk_u64(p, h + L->o_ts);
	r->rflags = VM_PRINTK_R_HAS_TS;
	r->text = (const char *)h + L->hdr;
	r->text_len = pk_u16(p, h + L->o_text_len);
	r->dict_len = pk_u16(p, h + L->o_dict_len);
	r->dict = r->dict_len ? r->text + r->text_len : NULL;
	if (L->has_level) {
		r->facility = h[L->o_facility];
		pk_level_byte(p, h[L->o_facility + 1], &r->flags, &r->level);
		r->rflags |= VM_PRINTK_R_HAS_LEVEL;
	}
	if (L->has_caller) {
		r->caller_id = pk_u32(p, h + L->o_caller);
		r->rflags |= VM_PRINTK_R_HAS_CALLER;
	}
	return 0;
}

/* log_store() clears the whole header of a wrap marker, so a candidate
 * marker found while resyncing must be all zero (a bare len == 0 is too
 * easily found inside other data). */
static bool zero_header(const struct plog *L, uint64_t idx)
{
	uint64_t i;

	for (i = 0; i < L->hdr; i++)
		if (L->buf.buf[idx + i])
			return false;
	return true;
}

/*
 * Whether a chain of valid records from idx reaches log_next_idx, with at
 * most `wraps` wrap markers on the way.  Used to find where intact records
 * resume after a damaged one.
 */
static bool chain_ok(struct vm_printk *p, struct plog *L, uint64_t idx,
		     int wraps)
{
	uint64_t steps = 0, max = L->buf.len / L->hdr + 2;

	while (idx != L->next) {
		int c;

		if (!L->budget || ++steps > max)
			return false;
		L->budget--;
		c = check_rec(p, L, idx, NULL, 0);
		if (c < 0)
			return false;
		if (c == 0) {
			if (!wraps-- || idx == 0 || !zero_header(L, idx))
				return false;
			idx = 0;
			continue;
		}
		idx += pk_u16(p, L->buf.buf + idx + L->o_len);
	}
	return true;
}

/* Where intact records resume after damage at bad, or -1.  no_wrap: the
 * remaining records lie in (bad, log_next_idx] without a wrap marker. */
static int64_t resync(struct vm_printk *p, struct plog *L, uint64_t bad,
		      bool no_wrap)
{
	bool wrapped = no_wrap;
	uint64_t q;

	for (q = (bad + LOG_MIN_ALIGN) & ~(uint64_t)(LOG_MIN_ALIGN - 1);
	     ; q += LOG_MIN_ALIGN) {
		if (!wrapped && q + L->hdr > L->buf.len) {
			wrapped = true;
			q = 0;
		}
		if (wrapped && q > L->next)
			return -1;
		if (chain_ok(p, L, q, wrapped ? 0 : 1))
			return (int64_t)q;
		if (!L->budget)
			return -1;
	}
}

static int read_u32_sym(struct vm_printk *p, const char *name, uint64_t *out,
			struct vm_err *e)
{
	uint64_t a;
	uint8_t b[4];

	if (pk_symbol(p, name, &a) < 0)
		return vm_fail(e, VM_ENOENT, "no symbol %s", name);
	if (pk_read(p, a, b, 4, e) < 0) {
		vm_err_prefix(e, "reading %s at 0x%llx: ", name,
			      (unsigned long long)a);
		return -1;
	}
	*out = pk_u32(p, b);
	return 0;
}

int pk_open_structured(struct vm_printk *p, struct vm_err *e)
{
	uint64_t log_buf_sym, log_buf, len, idx, nrec = 0, max;
	uint64_t first_seq = 0, next_seq = 0, a;
	bool wrapped = false, have_first = false, have_next = false;
	size_t gap_at = (size_t)-1;
	struct plog L;
	char why[320];
	int c;

	memset(&L, 0, sizeof(L));
	L.budget = RESYNC_BUDGET;
	if (layout(p, &L, e) < 0)
		return -1;
	if (pk_symbol(p, "log_buf", &log_buf_sym) < 0)
		return vm_fail(e, VM_ENOENT, "no symbol log_buf");
	if (pk_read_word(p, log_buf_sym, p->src->ptr_size ? p->src->ptr_size : 8,
			 &log_buf, e) < 0) {
		vm_err_prefix(e, "reading log_buf at 0x%llx: ",
			      (unsigned long long)log_buf_sym);
		return -1;
	}
	if (read_u32_sym(p, "log_buf_len", &len, e) < 0 ||
	    read_u32_sym(p, "log_first_idx", &L.first, e) < 0 ||
	    read_u32_sym(p, "log_next_idx", &L.next, e) < 0)
		return -1;
	if (len < L.hdr || len > LOG_MAX_LEN || L.first >= len || L.next >= len)
		return vm_fail(e, VM_ECORRUPT,
			       "log_buf_len %llu, log_first_idx %llu, "
			       "log_next_idx %llu are inconsistent",
			       (unsigned long long)len,
			       (unsigned long long)L.first,
			       (unsigned long long)L.next);
	if (pk_region_read(p, &L.buf, log_buf, (size_t)len, e) < 0) {
		vm_err_prefix(e, "log_buf at 0x%llx (%llu bytes): ",
			      (unsigned long long)log_buf,
			      (unsigned long long)len);
		return -1;
	}
	if (p->flags & VM_PRINTK_WANT_SEQ) {
		uint8_t b[8];

		if (pk_symbol(p, "log_first_seq", &a) == 0 &&
		    pk_read(p, a, b, 8, e) == 0) {
			first_seq = pk_u64(p, b);
			have_first = true;
		}
		if (pk_symbol(p, "log_next_seq", &a) == 0 &&
		    pk_read(p, a, b, 8, e) == 0) {
			next_seq = pk_u64(p, b);
			have_next = true;
		}
	}

	max = len / L.hdr + 2;
	idx = L.first;
	while (idx != L.next) {
		if (++nrec > max) {
			snprintf(why, sizeof(why), "records loop back before "
				 "log_next_idx %llu", (unsigned long long)L.next);
			c = -1;
		} else {
			c = check_rec(p, &L, idx, why, sizeof(why));
		}
		if (c == 0 && (wrapped || idx == 0)) {
			snprintf(why, sizeof(why), "second wrap marker at "
				 "log_buf+%llu", (unsigned long long)idx);
			c = -1;
		}
		if (c == 0) {
			wrapped = true;
			idx = 0;
			continue;
		}
		if (c < 0) {
			/* records live in [first, next) when that does not
			 * wrap: a resync must not wander past next into
			 * stale records of an earlier lap */
			int64_t q = resync(p, &L, idx,
					   wrapped || L.first < L.next);

			if (pk_add_lost(p, false, 0, 0, e, "%s; %s", why,
					q < 0 ? "nothing after it could be read"
					      : "records resume further on") < 0)
				return -1;
			if (q < 0)
				break;
			if ((uint64_t)q < idx)
				wrapped = true;
			if (gap_at == (size_t)-1)
				gap_at = p->n;
			idx = (uint64_t)q;
			nrec = 0;
			continue;
		}
		if (add(p, &L, idx, e) < 0)
			return -1;
		idx += pk_u16(p, L.buf.buf + idx + L.o_len);
	}
	if (!p->n && p->nlost)
		return vm_fail(e, VM_ECORRUPT, "no record of log_buf at 0x%llx "
			       "could be read: %s", (unsigned long long)log_buf,
			       p->lost[0].why);

	/* Sequence numbers: forward from log_first_seq up to the first gap,
	 * backward from log_next_seq after it. */
	{
		size_t i, pre = gap_at == (size_t)-1 ? p->n : gap_at;

		for (i = 0; i < pre; i++)
			p->recs[i].seq = first_seq + i;
		for (i = pre; i < p->n; i++)
			p->recs[i].seq = have_next ? next_seq - (p->n - i)
						   : first_seq + i;
		p->seq_exact = have_first && (gap_at == (size_t)-1 || have_next);
		if (p->seq_exact && gap_at != (size_t)-1 && p->nlost &&
		    pre < p->n) {
			struct vm_printk_lost *l = &p->lost[0];
			uint64_t lo = pre ? p->recs[pre - 1].seq + 1 : first_seq;

			if (p->recs[pre].seq > lo) {
				l->seq_known = true;
				l->first_seq = lo;
				l->last_seq = p->recs[pre].seq - 1;
				l->count = l->last_seq - lo + 1;
			}
		}
	}
	p->has_caller = L.has_caller;
	p->has_level = L.has_level;
	return 0;
}
