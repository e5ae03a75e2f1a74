// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lockless printk_ringbuffer, since v5.10 (896fbe20b4e2), as defined in
 * kernel/printk/printk_ringbuffer.[ch]:
 *
 *   prb -> struct printk_ringbuffer {
 *            struct prb_desc_ring desc_ring {count_bits, descs, infos,
 *                                            head_id, tail_id, ...};
 *            struct prb_data_ring text_data_ring {size_bits, data,
 *                                                 head_lpos, tail_lpos};
 *            ... }
 *
 * Descriptor ids run from tail_id to head_id; id N lives in descs[N % count]
 * and infos[N % count].  A descriptor's state_var holds its id in the low
 * bits and its state in the top two bits (reserved 0, committed 1,
 * finalized 2, reusable 3, as released in v5.10; the development versions
 * before it had a "committed" bit 63 and a "reuse" bit 62, which this rule
 * reads as finalized and reusable).  Like crash and makedumpfile we show
 * committed and finalized records: the newest record is committed but not
 * finalized until the next one starts.
 *
 * A text block is the logical position range [begin, next) of the data
 * ring; its first unsigned long is the descriptor id.  A block that would
 * cross the end of the ring is stored at the ring's start instead (its
 * begin is one wrap behind its next).  Blocks with the low lpos bit set are
 * data-less: NO_LPOS (3) both ways is an empty message, FAILED_LPOS (1) a
 * message whose text was lost when it was written.
 *
 * Development versions between v5.9 and v5.10 kept a dictionary ring
 * (printk_ringbuffer.dict_data_ring, prb_desc.dict_blk_lpos,
 * printk_info.dict_len) and the printk_info inside the descriptor
 * (prb_desc.info); released v5.10 already has dev_printk_info instead.
 * Both shapes are read when VMCOREINFO (or debuginfo) names those members.
 */
#include "printk_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RB_MAX_COUNT_BITS 24    /* 16M descriptors: far beyond any kernel */
#define RB_MAX_SIZE_BITS 31     /* log_buf_len is at most 2 GiB (u32) */
#define RB_MAX_ARRAY (1ULL << 30)  /* bytes of descriptors or infos */

enum desc_state { DESC_RESERVED, DESC_COMMITTED, DESC_FINALIZED, DESC_REUSABLE };

struct rb_ring {
	uint64_t data_va;
	unsigned size_bits;
	uint64_t size;
	uint64_t head_lpos, tail_lpos;
	bool have_lpos;
	struct pk_region reg;
};

struct rb {
	unsigned w;                  /* sizeof(unsigned long) */
	uint64_t wmask;              /* all ones in w bytes */
	unsigned count_bits;
	uint64_t count;
	uint64_t idmask;
	uint64_t head_id, tail_id;
	uint64_t desc_size, o_state, o_text_lpos, o_dict_lpos, o_begin, o_next;
	bool has_dict;
	bool info_in_desc;           /* pre-release: prb_desc.info */
	uint64_t o_desc_info;
	uint64_t info_size, o_seq, o_ts, o_text_len, o_dict_len, o_caller;
	uint64_t o_facility;
	bool has_caller, has_level, has_dev;
	uint64_t o_dev, o_subsys, o_device, len_subsys, len_device;
	struct pk_region descs, infos;
	struct rb_ring text, dict;
};

/* Collects what is missing from the layout for one clear message. */
struct need {
	struct vm_printk *p;
	char missing[512];
};

static uint64_t need_off(struct need *n, const char *type, const char *member)
{
	uint64_t v;
	size_t l = strlen(n->missing);

	if (pk_offset(n->p, type, member, &v) == 0)
		return v;
	snprintf(n->missing + l, sizeof(n->missing) - l, "%sOFFSET(%s.%s)",
		 l ? ", " : "", type, member);
	return 0;
}

static uint64_t need_size(struct need *n, const char *type)
{
	uint64_t v;
	size_t l = strlen(n->missing);

	if (pk_size(n->p, type, &v) == 0)
		return v;
	snprintf(n->missing + l, sizeof(n->missing) - l, "%sSIZE(%s)",
		 l ? ", " : "", type);
	return 0;
}

static bool opt_off(struct vm_printk *p, const char *type, const char *member,
		    uint64_t *out)
{
	return pk_offset_opt(p, type, member, out) == 0;
}

static int layout(struct vm_printk *p, struct rb *rb, uint64_t *o_desc_ring,
		  uint64_t *o_text_ring, uint64_t *o_dict_ring, uint64_t o_dr[5],
		  uint64_t o_data[4], struct vm_err *e)
{
	struct need n = { .p = p };
	uint64_t lpos_size, dev_size;

	*o_desc_ring = need_off(&n, "printk_ringbuffer", "desc_ring");
	*o_text_ring = need_off(&n, "printk_ringbuffer", "text_data_ring");
	o_dr[0] = need_off(&n, "prb_desc_ring", "count_bits");
	o_dr[1] = need_off(&n, "prb_desc_ring", "descs");
	o_dr[3] = need_off(&n, "prb_desc_ring", "head_id");
	o_dr[4] = need_off(&n, "prb_desc_ring", "tail_id");
	rb->desc_size = need_size(&n, "prb_desc");
	rb->o_state = need_off(&n, "prb_desc", "state_var");
	rb->o_text_lpos = need_off(&n, "prb_desc", "text_blk_lpos");
	rb->o_begin = need_off(&n, "prb_data_blk_lpos", "begin");
	rb->o_next = need_off(&n, "prb_data_blk_lpos", "next");
	rb->info_size = need_size(&n, "printk_info");
	rb->o_seq = need_off(&n, "printk_info", "seq");
	rb->o_ts = need_off(&n, "printk_info", "ts_nsec");
	rb->o_text_len = need_off(&n, "printk_info", "text_len");
	o_data[0] = need_off(&n, "prb_data_ring", "size_bits");
	o_data[1] = need_off(&n, "prb_data_ring", "data");
	/* The descriptors' printk_info array, or (pre-release) inside each
	 * descriptor. */
	if (!opt_off(p, "prb_desc_ring", "infos", &o_dr[2])) {
		if (opt_off(p, "prb_desc", "info", &rb->o_desc_info))
			rb->info_in_desc = true;
		else
			o_dr[2] = need_off(&n, "prb_desc_ring", "infos");
	}
	if (n.missing[0])
		return vm_fail(e, VM_ENOENT,
			       "printk_ringbuffer layout unknown: %s missing "
			       "from VMCOREINFO%s",
			       n.missing, p->src->symbol ? " and debuginfo"
							  : " (no debuginfo)");
	rb->text.have_lpos = opt_off(p, "prb_data_ring", "head_lpos", &o_data[2]) &&
			     opt_off(p, "prb_data_ring", "tail_lpos", &o_data[3]);
	rb->has_dict = opt_off(p, "printk_ringbuffer", "dict_data_ring",
			       o_dict_ring) &&
		       opt_off(p, "prb_desc", "dict_blk_lpos", &rb->o_dict_lpos) &&
		       opt_off(p, "printk_info", "dict_len", &rb->o_dict_len);
	rb->has_caller = opt_off(p, "printk_info", "caller_id", &rb->o_caller) &&
			 rb->o_caller + 4 <= rb->info_size;
	/* Since v5.10 struct dev_printk_info {char subsystem[16];
	 * char device[48];}; VMCOREINFO gives offsets and LENGTH()s. */
	rb->has_dev = opt_off(p, "printk_info", "dev_info", &rb->o_dev) &&
		      opt_off(p, "dev_printk_info", "subsystem", &rb->o_subsys) &&
		      opt_off(p, "dev_printk_info", "device", &rb->o_device);
	if (rb->has_dev) {
		if (pk_length(p, "printk_info_subsystem", &rb->len_subsys) < 0)
			rb->len_subsys = rb->o_device > rb->o_subsys
				       ? rb->o_device - rb->o_subsys : 0;
		if (pk_length(p, "printk_info_device", &rb->len_device) < 0) {
			if (pk_size_opt(p, "dev_printk_info", &dev_size) == 0 &&
			    dev_size > rb->o_device)
				rb->len_device = dev_size - rb->o_device;
			else
				rb->has_dev = false;
		}
		if (rb->o_dev + rb->o_subsys + rb->len_subsys > rb->info_size ||
		    rb->o_dev + rb->o_device + rb->len_device > rb->info_size)
			rb->has_dev = false;
	}
	/* facility and the flags:5/level:3 byte are not in VMCOREINFO */
	rb->o_facility = pk_facility_offset(p, "printk_info",
					    rb->has_dict && rb->o_dict_len > rb->o_text_len
					    ? rb->o_dict_len : rb->o_text_len);
	rb->has_level = rb->o_facility + 2 <= rb->info_size &&
			(!rb->has_caller || rb->o_facility + 2 <= rb->o_caller);
	/* sizeof(unsigned long): struct prb_data_blk_lpos is two of them. */
	if (pk_size_opt(p, "prb_data_blk_lpos", &lpos_size) == 0 &&
	    (lpos_size == 8 || lpos_size == 16))
		rb->w = (unsigned)(lpos_size / 2);
	else
		rb->w = p->src->ptr_size ? p->src->ptr_size : 8;
	rb->wmask = rb->w == 8 ? ~0ULL : (1ULL << (8 * rb->w)) - 1;
	/* optional members outside their struct are not there */
	if (rb->has_dict &&
	    (rb->o_dict_len + 2 > rb->info_size ||
	     rb->o_dict_lpos + rb->o_begin + rb->w > rb->desc_size ||
	     rb->o_dict_lpos + rb->o_next + rb->w > rb->desc_size))
		rb->has_dict = false;
	if (rb->desc_size > 4096 || rb->info_size > 4096 ||
	    rb->o_state + rb->w > rb->desc_size ||
	    rb->o_text_lpos + rb->o_begin + rb->w > rb->desc_size ||
	    rb->o_text_lpos + rb->o_next + rb->w > rb->desc_size ||
	    rb->o_text_len + 2 > rb->info_size || rb->o_ts + 8 > rb->info_size ||
	    rb->o_seq + 8 > rb->info_size)
		return vm_fail(e, VM_ECORRUPT,
			       "printk_ringbuffer layout inconsistent: members "
			       "beyond SIZE(prb_desc)=%llu or SIZE(printk_info)=%llu",
			       (unsigned long long)rb->desc_size,
			       (unsigned long long)rb->info_size);
	return 0;
}

static uint64_t lpos_index(const struct rb_ring *r, uint64_t lpos)
{
	return lpos & (r->size - 1);
}

static uint64_t lpos_wraps(const struct rb *rb, const struct rb_ring *r,
			   uint64_t lpos)
{
	return (lpos & rb->wmask) >> r->size_bits;
}

/* Read a prb_data_ring's header and the part of its data that holds
 * records ([tail_lpos, head_lpos)); the rest is read on demand. */
static int read_data_ring(struct vm_printk *p, struct rb *rb,
			  struct rb_ring *r, uint64_t va, const uint64_t o[4],
			  const char *what, struct vm_err *e)
{
	uint8_t b[4];
	uint64_t used;

	if (pk_read(p, va + o[0], b, 4, e) < 0 ||
	    pk_read_word(p, va + o[1], rb->w, &r->data_va, e) < 0) {
		vm_err_prefix(e, "%s header at 0x%llx: ", what,
			      (unsigned long long)va);
		return -1;
	}
	r->size_bits = pk_u32(p, b);
	if (r->size_bits < 3 || r->size_bits > RB_MAX_SIZE_BITS ||
	    r->size_bits >= 8 * rb->w)
		return vm_fail(e, VM_ECORRUPT,
			       "%s at 0x%llx: size_bits %u out of range",
			       what, (unsigned long long)va, r->size_bits);
	r->size = 1ULL << r->size_bits;
	if (r->have_lpos &&
	    (pk_read_word(p, va + o[2], rb->w, &r->head_lpos, e) < 0 ||
	     pk_read_word(p, va + o[3], rb->w, &r->tail_lpos, e) < 0))
		r->have_lpos = false;
	if (pk_region_alloc(p, &r->reg, r->data_va, (size_t)r->size, e) < 0)
		return -1;
	used = (r->head_lpos - r->tail_lpos) & rb->wmask;
	if (!r->have_lpos || used > r->size) {
		pk_region_fill(p, &r->reg, 0, (size_t)r->size);
	} else {
		uint64_t start = lpos_index(r, r->tail_lpos);
		uint64_t first = used < r->size - start ? used : r->size - start;

		pk_region_fill(p, &r->reg, (size_t)start, (size_t)first);
		pk_region_fill(p, &r->reg, 0, (size_t)(used - first));
	}
	return 0;
}

/* Pre-read the array slots of ids tail..tail+n-1 (at most two spans). */
static void fill_slots(struct vm_printk *p, struct pk_region *reg,
		       uint64_t first_idx, uint64_t n, uint64_t count,
		       uint64_t elsize)
{
	uint64_t a = n < count - first_idx ? n : count - first_idx;

	pk_region_fill(p, reg, (size_t)(first_idx * elsize), (size_t)(a * elsize));
	if (n > a)
		pk_region_fill(p, reg, 0, (size_t)((n - a) * elsize));
}

/*
 * The data of one block, following get_data() in printk_ringbuffer.c.
 * Returns 1 with the data and its size (after the id word), 0 for an empty data-less
 * record, -1 with why[] when the text cannot be had.
 */
static int get_block(struct vm_printk *p, struct rb *rb, struct rb_ring *r,
		     uint64_t begin, uint64_t next, uint64_t id,
		     const uint8_t **data, size_t *size, char *why, size_t whysz)
{
	uint64_t off, len, bid;

	begin &= rb->wmask;
	next &= rb->wmask;
	if ((begin & 1) && (next & 1)) {
		if (begin == 3 && next == 3)      /* NO_LPOS */
			return 0;
		snprintf(why, whysz, "text not stored (ringbuffer full when "
			 "the message was written)");
		return -1;
	}
	if (lpos_wraps(rb, r, begin) == lpos_wraps(rb, r, next) && begin < next) {
		off = lpos_index(r, begin);
		len = next - begin;
	} else if (lpos_wraps(rb, r, begin + r->size) == lpos_wraps(rb, r, next)) {
		/* wrapping block: the data is at the start of the ring */
		off = 0;
		len = lpos_index(r, next);
	} else {
		snprintf(why, whysz, "invalid text block lpos 0x%llx..0x%llx",
			 (unsigned long long)begin, (unsigned long long)next);
		return -1;
	}
	if ((begin | next) & (rb->w - 1) || len < rb->w || off + len > r->size) {
		snprintf(why, whysz, "invalid text block lpos 0x%llx..0x%llx",
			 (unsigned long long)begin, (unsigned long long)next);
		return -1;
	}
	if (!pk_region_ok(p, &r->reg, (size_t)off, (size_t)len)) {
		snprintf(why, whysz, "text unreadable: %s", r->reg.why);
		return -1;
	}
	bid = pk_word(p, r->reg.buf + off, rb->w);
	if ((bid & rb->idmask) != id) {
		snprintf(why, whysz, "text block at 0x%llx belongs to id %llu",
			 (unsigned long long)(r->data_va + off),
			 (unsigned long long)(bid & rb->idmask));
		return -1;
	}
	*data = r->reg.buf + off + rb->w;
	*size = (size_t)(len - rb->w);
	return 1;
}

struct lost_run {
	uint64_t first_id, n;
	char why[320];
};

struct losses {
	struct lost_run *v;
	size_t n, cap;
};

static int add_loss(struct losses *L, uint64_t id, uint64_t idmask,
		    const char *why, struct vm_err *e)
{
	struct lost_run *l;

	if (L->n) {
		l = &L->v[L->n - 1];
		if (((l->first_id + l->n) & idmask) == id && !strcmp(l->why, why)) {
			l->n++;
			return 0;
		}
	}
	if (L->n == L->cap) {
		size_t ncap = L->cap ? L->cap * 2 : 8;
		struct lost_run *nv = vm_realloc_array(L->v, ncap, sizeof(*nv), e);

		if (!nv)
			return -1;
		L->v = nv;
		L->cap = ncap;
	}
	l = &L->v[L->n++];
	l->first_id = id;
	l->n = 1;
	snprintf(l->why, sizeof(l->why), "%s", why);
	return 0;
}

/* One descriptor: 1 record added, 0 skipped (expired), -1 lost (why). */
static int do_id(struct vm_printk *p, struct rb *rb, uint64_t id, char *why,
		 size_t whysz, struct vm_err *e)
{
	uint64_t idx = id & (rb->count - 1), sv, did;
	const uint8_t *d, *info, *text = NULL, *dict = NULL;
	size_t text_size = 0, dict_size = 0;
	struct vm_printk_rec *r;
	unsigned state;
	uint16_t text_len;
	int got;

	if (!pk_region_ok(p, &rb->descs, (size_t)(idx * rb->desc_size),
			  (size_t)rb->desc_size)) {
		snprintf(why, whysz, "descriptor unreadable: %s", rb->descs.why);
		return -1;
	}
	d = rb->descs.buf + idx * rb->desc_size;
	sv = pk_word(p, d + rb->o_state, rb->w);
	state = (unsigned)((sv >> (8 * rb->w - 2)) & 3);
	did = sv & rb->idmask;
	if (did != id) {
		snprintf(why, whysz, "descriptor %llu holds id %llu",
			 (unsigned long long)idx, (unsigned long long)did);
		return -1;
	}
	if (state == DESC_REUSABLE)
		return 0;
	if (state == DESC_RESERVED) {
		snprintf(why, whysz, "being written when the dump was taken");
		return -1;
	}
	if (rb->info_in_desc) {
		info = d + rb->o_desc_info;
		if (rb->o_desc_info + rb->info_size > rb->desc_size) {
			snprintf(why, whysz, "printk_info beyond the descriptor");
			return -1;
		}
	} else {
		if (!pk_region_ok(p, &rb->infos, (size_t)(idx * rb->info_size),
				  (size_t)rb->info_size)) {
			snprintf(why, whysz, "printk_info unreadable: %s",
				 rb->infos.why);
			return -1;
		}
		info = rb->infos.buf + idx * rb->info_size;
	}
	got = get_block(p, rb, &rb->text,
			pk_word(p, d + rb->o_text_lpos + rb->o_begin, rb->w),
			pk_word(p, d + rb->o_text_lpos + rb->o_next, rb->w), id,
			&text, &text_size, why, whysz);
	if (got < 0)
		return -1;
	if (rb->has_dict && rb->dict.size) {
		char dwhy[320];

		/* A lost dictionary does not lose the message. */
		if (get_block(p, rb, &rb->dict,
			      pk_word(p, d + rb->o_dict_lpos + rb->o_begin, rb->w),
			      pk_word(p, d + rb->o_dict_lpos + rb->o_next, rb->w),
			      id, &dict, &dict_size, dwhy, sizeof(dwhy)) <= 0)
			dict_size = 0;
	}
	r = pk_add_rec(p, e);
	if (!r)
		return -2;
	r->seq = pk_u64(p, info + rb->o_seq);
	r->ts_nsec = pk_u64(p, info + rb->o_ts);
	r->rflags = VM_PRINTK_R_HAS_TS;
	if (state == DESC_COMMITTED)
		r->rflags |= VM_PRINTK_R_COMMITTED;
	text_len = pk_u16(p, info + rb->o_text_len);
	if (got == 0) {
		r->rflags |= VM_PRINTK_R_DATALESS;
		text_size = 0;
		r->text = "";
	} else {
		r->text = (const char *)text;
	}
	/* Like makedumpfile, show what the block holds when text_len claims
	 * more (the kernel's reader would drop the record). */
	if (text_size < text_len) {
		if (got != 0)
			r->rflags |= VM_PRINTK_R_TRUNCATED;
		r->text_len = text_size;
	} else {
		r->text_len = text_len;
	}
	if (rb->has_level) {
		r->facility = info[rb->o_facility];
		pk_level_byte(p, info[rb->o_facility + 1], &r->flags, &r->level);
		r->rflags |= VM_PRINTK_R_HAS_LEVEL;
	}
	if (rb->has_caller) {
		r->caller_id = pk_u32(p, info + rb->o_caller);
		r->rflags |= VM_PRINTK_R_HAS_CALLER;
	}
	if (rb->has_dev) {
		r->subsystem = pk_strndup(p, info + rb->o_dev + rb->o_subsys,
					  (size_t)rb->len_subsys, e);
		r->device = pk_strndup(p, info + rb->o_dev + rb->o_device,
				       (size_t)rb->len_device, e);
		if (!r->subsystem || !r->device)
			return -2;
	}
	if (dict_size) {
		uint16_t dl = pk_u16(p, info + rb->o_dict_len);

		r->dict = (const char *)dict;
		r->dict_len = dl < dict_size ? dl : dict_size;
	}
	return 1;
}

/* Turn id runs into sequence numbers: consecutive ids carry consecutive
 * sequence numbers (prb_reserve() assigns both one by one), so a record
 * read on either side anchors the lost ones. */
static int report_losses(struct vm_printk *p, struct rb *rb,
			 const struct losses *L, bool have_anchor,
			 uint64_t anchor_id, uint64_t anchor_seq,
			 struct vm_err *e)
{
	size_t i;

	for (i = 0; i < L->n; i++) {
		const struct lost_run *l = &L->v[i];
		uint64_t seq = anchor_seq +
			((l->first_id - anchor_id) & rb->idmask);

		/* ids before the anchor: the masked distance is "negative" */
		if (((anchor_id - l->first_id) & rb->idmask) <= rb->count)
			seq = anchor_seq - ((anchor_id - l->first_id) & rb->idmask);
		if (pk_add_lost(p, have_anchor, have_anchor ? seq : 0, l->n, e,
				"%s", l->why) < 0)
			return -1;
	}
	return 0;
}

int pk_open_ringbuffer(struct vm_printk *p, struct vm_err *e)
{
	uint64_t o_desc_ring, o_text_ring, o_dict_ring = 0, o_dr[5] = { 0 };
	uint64_t o_data[4] = { 0 }, prb_sym, rb_va, dr, n, i, id;
	uint64_t anchor_id = 0, anchor_seq = 0;
	bool have_anchor = false;
	struct losses L = { 0 };
	struct rb rb;
	uint8_t b[4];
	char why[320];
	int ret = -1;

	memset(&rb, 0, sizeof(rb));
	if (pk_symbol(p, "prb", &prb_sym) < 0)
		return vm_fail(e, VM_ENOENT, "no symbol prb");
	if (layout(p, &rb, &o_desc_ring, &o_text_ring, &o_dict_ring, o_dr,
		   o_data, e) < 0)
		return -1;
	/* prb is a pointer to the ring (printk_rb_static, later
	 * printk_rb_dynamic when log_buf_len= was given). */
	if (pk_read_word(p, prb_sym, rb.w, &rb_va, e) < 0) {
		vm_err_prefix(e, "reading prb at 0x%llx: ",
			      (unsigned long long)prb_sym);
		return -1;
	}
	dr = rb_va + o_desc_ring;
	if (pk_read(p, dr + o_dr[0], b, 4, e) < 0 ||
	    pk_read_word(p, dr + o_dr[1], rb.w, &rb.descs.va, e) < 0 ||
	    (!rb.info_in_desc &&
	     pk_read_word(p, dr + o_dr[2], rb.w, &rb.infos.va, e) < 0) ||
	    pk_read_word(p, dr + o_dr[3], rb.w, &rb.head_id, e) < 0 ||
	    pk_read_word(p, dr + o_dr[4], rb.w, &rb.tail_id, e) < 0) {
		vm_err_prefix(e, "printk_ringbuffer at 0x%llx: ",
			      (unsigned long long)rb_va);
		return -1;
	}
	rb.count_bits = pk_u32(p, b);
	if (rb.count_bits > RB_MAX_COUNT_BITS || rb.count_bits < 1)
		return vm_fail(e, VM_ECORRUPT,
			       "printk_ringbuffer at 0x%llx: count_bits %u out "
			       "of range", (unsigned long long)rb_va,
			       rb.count_bits);
	rb.count = 1ULL << rb.count_bits;
	if (rb.count * rb.desc_size > RB_MAX_ARRAY ||
	    (!rb.info_in_desc && rb.count * rb.info_size > RB_MAX_ARRAY))
		return vm_fail(e, VM_ECORRUPT,
			       "printk_ringbuffer at 0x%llx: %llu descriptors "
			       "of %llu + %llu bytes is more than any kernel has",
			       (unsigned long long)rb_va,
			       (unsigned long long)rb.count,
			       (unsigned long long)rb.desc_size,
			       (unsigned long long)rb.info_size);
	/* DESC_ID_MASK: the state takes the top two bits of state_var */
	rb.idmask = rb.wmask >> 2;
	rb.head_id &= rb.idmask;
	rb.tail_id &= rb.idmask;
	if (read_data_ring(p, &rb, &rb.text, rb_va + o_text_ring, o_data,
			   "text_data_ring", e) < 0)
		return -1;
	if (rb.has_dict) {
		rb.dict.have_lpos = rb.text.have_lpos;
		if (read_data_ring(p, &rb, &rb.dict, rb_va + o_dict_ring, o_data,
				   "dict_data_ring", e) < 0)
			rb.has_dict = false;
	}
	if (pk_region_alloc(p, &rb.descs, rb.descs.va,
			    (size_t)(rb.count * rb.desc_size), e) < 0)
		return -1;
	if (!rb.info_in_desc &&
	    pk_region_alloc(p, &rb.infos, rb.infos.va,
			    (size_t)(rb.count * rb.info_size), e) < 0)
		return -1;

	n = ((rb.head_id - rb.tail_id) & rb.idmask) + 1;
	if (n > rb.count) {
		/* A consistent ring never spans more ids than descriptors. */
		if (pk_add_lost(p, false, 0, n - rb.count, e,
				"tail_id %llu is %llu ids behind head_id %llu, "
				"more than the %llu descriptors",
				(unsigned long long)rb.tail_id,
				(unsigned long long)n,
				(unsigned long long)rb.head_id,
				(unsigned long long)rb.count) < 0)
			return -1;
		n = rb.count;
		rb.tail_id = (rb.head_id - n + 1) & rb.idmask;
	}
	fill_slots(p, &rb.descs, rb.tail_id & (rb.count - 1), n, rb.count,
		   rb.desc_size);
	if (!rb.info_in_desc)
		fill_slots(p, &rb.infos, rb.tail_id & (rb.count - 1), n,
			   rb.count, rb.info_size);

	for (i = 0, id = rb.tail_id; i < n; i++, id = (id + 1) & rb.idmask) {
		int r = do_id(p, &rb, id, why, sizeof(why), e);

		if (r == -2)
			goto out;
		if (r < 0 && add_loss(&L, id, rb.idmask, why, e) < 0)
			goto out;
		if (r == 1 && !have_anchor) {
			have_anchor = true;
			anchor_id = id;
			anchor_seq = p->recs[p->n - 1].seq;
		}
	}
	if (report_losses(p, &rb, &L, have_anchor, anchor_id, anchor_seq, e) < 0)
		goto out;
	if (!p->n && !L.n) {
		ret = 0;      /* an empty log is an answer */
		p->seq_exact = true;
		goto out;
	}
	if (!p->n) {
		vm_fail(e, VM_ECORRUPT, "no record of the printk_ringbuffer at "
			"0x%llx could be read: %s", (unsigned long long)rb_va,
			L.v[0].why);
		goto out;
	}
	p->seq_exact = true;
	p->has_caller = rb.has_caller;
	p->has_level = rb.has_level;
	ret = 0;
out:
	free(L.v);
	return ret;
}
