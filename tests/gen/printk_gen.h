/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synthetic kernel logs for tests: the three printk buffer formats laid out
 * the way the kernel's own writers lay them out, in a small "kernel memory"
 * image with a VMCOREINFO text describing it the way the kernel's
 * log_buf_vmcoreinfo_setup() does.  Used in-memory by tests/unit/test_printk.c
 * and written as an ELF vmcore by tests/gen/mkprintk.c.
 *
 * Each writer follows the kernel function named in its comment; the layouts
 * are C structs mirroring the kernel's definitions and compiled by the host
 * compiler (x86_64 / arm64 hosts: LP64 little-endian, like the kernels we
 * read), so offsets and bitfield placement come from the compiler, not from
 * the decoder's assumptions.  The generator also records which messages
 * survive, which is the expected answer.
 *
 * Header-only (static functions) so both users compile it in.
 */
#ifndef PRINTK_GEN_H
#define PRINTK_GEN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* every helper is static and some users need only part of them */
#define GEN_FN static __attribute__((unused))

/* ------------------------------------------------------------ memory */

#define GEN_BASE_VA 0xffffffff81000000ULL   /* x86_64 kernel image map */
#define GEN_MAP_BASE 0xffffffff80000000ULL  /* __START_KERNEL_map */
#define GEN_MAX_HOLES 8

struct gmem {
	uint64_t base;            /* va of mem[0] */
	uint8_t *mem;
	size_t size, brk;
	char *vmci;
	size_t vlen, vcap;
	/* pages the "dump" does not have: [lo, hi) virtual */
	uint64_t hole_lo[GEN_MAX_HOLES], hole_hi[GEN_MAX_HOLES];
	int nholes;
};

GEN_FN void gen_die(const char *msg)
{
	fprintf(stderr, "printk_gen: %s\n", msg);
	exit(99);
}

GEN_FN void gmem_init(struct gmem *g, size_t size)
{
	memset(g, 0, sizeof(*g));
	g->base = GEN_BASE_VA;
	g->size = size;
	g->mem = calloc(1, size);
	g->vcap = 1 << 16;
	g->vmci = calloc(1, g->vcap);
	if (!g->mem || !g->vmci)
		gen_die("out of memory");
}

GEN_FN void gmem_free(struct gmem *g)
{
	free(g->mem);
	free(g->vmci);
}

GEN_FN uint64_t gmem_alloc(struct gmem *g, size_t size, size_t align)
{
	size_t at = (g->brk + align - 1) / align * align;

	if (at + size > g->size)
		gen_die("memory image too small");
	g->brk = at + size;
	return g->base + at;
}

GEN_FN void *gmem_ptr(struct gmem *g, uint64_t va)
{
	if (va < g->base || va - g->base >= g->size)
		gen_die("address outside the image");
	return g->mem + (va - g->base);
}

GEN_FN void gmem_put64(struct gmem *g, uint64_t va, uint64_t v)
{
	memcpy(gmem_ptr(g, va), &v, 8);
}

GEN_FN void gmem_put32(struct gmem *g, uint64_t va, uint32_t v)
{
	memcpy(gmem_ptr(g, va), &v, 4);
}

GEN_FN void gmem_hole(struct gmem *g, uint64_t va, uint64_t len)
{
	if (g->nholes == GEN_MAX_HOLES)
		gen_die("too many holes");
	g->hole_lo[g->nholes] = va & ~4095ULL;
	g->hole_hi[g->nholes] = (va + len + 4095) & ~4095ULL;
	g->nholes++;
}

/* 0 and the bytes, or -1 when the range leaves the image or touches a hole */
GEN_FN int gmem_read(struct gmem *g, uint64_t va, void *buf, size_t len)
{
	int i;

	if (va < g->base || va - g->base > g->size || len > g->size - (va - g->base))
		return -1;
	for (i = 0; i < g->nholes; i++)
		if (va < g->hole_hi[i] && va + len > g->hole_lo[i])
			return -1;
	memcpy(buf, g->mem + (va - g->base), len);
	return 0;
}

__attribute__((format(printf, 2, 3)))
GEN_FN void vmci_add(struct gmem *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(g->vmci + g->vlen, g->vcap - g->vlen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= g->vcap - g->vlen)
		gen_die("VMCOREINFO too long");
	g->vlen += (size_t)n;
}

/* What crash_save_vmcoreinfo() and the x86_64 arch part write that the
 * memory layer needs for this image (phys_base 0: pa = va - map base). */
GEN_FN void vmci_common(struct gmem *g, const char *release)
{
	vmci_add(g, "OSRELEASE=%s\nPAGESIZE=4096\n", release);
	vmci_add(g, "SYMBOL(_stext)=%llx\n", (unsigned long long)g->base);
	vmci_add(g, "NUMBER(phys_base)=0\nKERNELOFFSET=0\n");
}

/* ------------------------------------------------------------ messages */

struct gen_msg {
	uint64_t seq;
	uint64_t ts_nsec;
	int level, facility;
	uint32_t caller_id;
	char text[1100];
	size_t text_len;
	char subsystem[16], device[48];
	char dict[128];           /* printk_log: "KEY=V\0KEY=V" */
	size_t dict_len;
	int alive;                /* still in the buffer */
	int damaged;              /* made unreadable by a test */
	int committed_only;       /* ringbuffer: left committed */
	int reserved;             /* ringbuffer: left reserved (unreadable) */
	int dataless;             /* ringbuffer: NO_LPOS record */
};

struct gen_log {
	struct gen_msg *m;
	size_t n, cap;
};

GEN_FN struct gen_msg *gen_new(struct gen_log *L)
{
	if (L->n == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 64;
		L->m = realloc(L->m, L->cap * sizeof(*L->m));
		if (!L->m)
			gen_die("out of memory");
	}
	memset(&L->m[L->n], 0, sizeof(L->m[0]));
	L->m[L->n].seq = L->n;
	return &L->m[L->n++];
}

/* A varied, reproducible message: lengths from 0 to ~300, some with
 * embedded newlines, tabs and non-printable bytes. */
GEN_FN void gen_text(struct gen_msg *m, unsigned i)
{
	static const char *const words[] = { "pci", "usb 1-1:", "ACPI:",
		"random:", "EXT4-fs (vda):", "\tindented", "x86/fpu:",
		"crashmod:", "BUG:", "e1000" };
	size_t n = 0, want = (i * 37u) % 300u;

	if (i % 53 == 7)
		want = 0;
	while (n < want) {
		int k = snprintf(m->text + n, sizeof(m->text) - n, "%s%s %u",
				 n ? " " : "", words[(i + n) % 10], i);

		if (k < 0 || (size_t)k >= sizeof(m->text) - n)
			break;
		n += (size_t)k;
	}
	if (n > want)
		n = want;
	if (i % 17 == 3 && n > 10)
		m->text[n / 2] = '\n';          /* multi-line record */
	if (i % 29 == 5 && n > 4)
		m->text[2] = (char)0x01;        /* non-printable */
	if (i % 31 == 6 && n > 4)
		m->text[3] = (char)0xe9;        /* high byte */
	m->text_len = n;
	m->ts_nsec = 1000000ULL * i + 123456ULL * (i % 7);
	m->level = (int)(i % 8);
	m->facility = i % 11 == 0 ? 1 : 0;
	m->caller_id = i % 5 == 0 ? (0x80000000u | (i % 4)) : 1 + i % 300;
	if (i % 13 == 4) {
		snprintf(m->subsystem, sizeof(m->subsystem), "pci");
		snprintf(m->device, sizeof(m->device), "+pci:0000:00:%02x.0", i % 32);
		/* the v3.5-v5.9 form of the same: a NUL-separated dictionary */
		m->dict_len = (size_t)snprintf(m->dict, sizeof(m->dict),
					       "SUBSYSTEM=pci") + 1;
		m->dict_len += (size_t)snprintf(m->dict + m->dict_len,
						sizeof(m->dict) - m->dict_len,
						"DEVICE=+pci:0000:00:%02x.0",
						i % 32);
	}
}

/* ------------------------------------------------- v3.5 - v5.9 printk_log */

/*
 * struct printk_log from kernel/printk/printk.c (v4.18 shown; caller_id
 * v5.1+ with CONFIG_PRINTK_CALLER).  With CONFIG_HAVE_EFFICIENT_UNALIGNED_
 * ACCESS (x86, arm64) it is "__packed __aligned(4)" and LOG_ALIGN is 4;
 * otherwise natural alignment (8) and LOG_ALIGN = __alignof__(struct
 * printk_log).
 */
struct g_plog4 {
	uint64_t ts_nsec;
	uint16_t len, text_len, dict_len;
	uint8_t facility;
	uint8_t flags:5;
	uint8_t level:3;
} __attribute__((packed, aligned(4)));

struct g_plog4c {
	uint64_t ts_nsec;
	uint16_t len, text_len, dict_len;
	uint8_t facility;
	uint8_t flags:5;
	uint8_t level:3;
	uint32_t caller_id;
} __attribute__((packed, aligned(4)));

struct g_plog8 {
	uint64_t ts_nsec;
	uint16_t len, text_len, dict_len;
	uint8_t facility;
	uint8_t flags:5;
	uint8_t level:3;
};

struct g_plog8c {
	uint64_t ts_nsec;
	uint16_t len, text_len, dict_len;
	uint8_t facility;
	uint8_t flags:5;
	uint8_t level:3;
	uint32_t caller_id;
};

#define LOG_NEWLINE 2      /* enum log_flags: the record ends a line */

struct plog_gen {
	struct gmem *g;
	int align8, caller;
	size_t hdr, log_align;
	uint64_t buf_va, len;
	/* the kernel's variables, mirrored here and stored at the end */
	uint32_t first_idx, next_idx, clear_idx;
	uint64_t first_seq, next_seq, clear_seq;
	uint64_t sym_log_buf, sym_len, sym_first, sym_next, sym_clear,
		 sym_first_seq, sym_next_seq;
	struct gen_log *L;
	size_t first_msg;      /* index in L of log_first_seq */
	const char *struct_name;
};

GEN_FN void plog_init(struct plog_gen *P, struct gmem *g, struct gen_log *L,
		      size_t buf_len, int align8, int caller, const char *name)
{
	memset(P, 0, sizeof(*P));
	P->g = g;
	P->L = L;
	P->align8 = align8;
	P->caller = caller;
	P->struct_name = name;
	P->hdr = align8 ? (caller ? sizeof(struct g_plog8c) : sizeof(struct g_plog8))
			: (caller ? sizeof(struct g_plog4c) : sizeof(struct g_plog4));
	P->log_align = align8 ? 8 : 4;
	P->len = buf_len;
	/* static char __log_buf[__LOG_BUF_LEN] __aligned(LOG_ALIGN) */
	P->buf_va = gmem_alloc(g, buf_len, 64);
	P->sym_log_buf = gmem_alloc(g, 8, 8);
	P->sym_len = gmem_alloc(g, 4, 4);
	P->sym_first = gmem_alloc(g, 4, 4);
	P->sym_next = gmem_alloc(g, 4, 4);
	P->sym_clear = gmem_alloc(g, 4, 4);
	P->sym_first_seq = gmem_alloc(g, 8, 8);
	P->sym_next_seq = gmem_alloc(g, 8, 8);
}

GEN_FN uint16_t plog_len_at(struct plog_gen *P, uint32_t idx)
{
	uint16_t v;

	memcpy(&v, (uint8_t *)gmem_ptr(P->g, P->buf_va) + idx + 8, 2);
	return v;
}

/* log_next(): a len == 0 header means "wrap: the record is at 0" */
GEN_FN uint32_t plog_next(struct plog_gen *P, uint32_t idx)
{
	uint16_t len = plog_len_at(P, idx);

	if (!len)
		return plog_len_at(P, 0);
	return idx + len;
}

/* logbuf_has_space() */
GEN_FN int plog_has_space(struct plog_gen *P, uint32_t msg_size, int empty)
{
	uint32_t free_;

	if (P->next_idx > P->first_idx || empty)
		free_ = (uint32_t)(P->len - P->next_idx) > P->first_idx
			? (uint32_t)(P->len - P->next_idx) : P->first_idx;
	else
		free_ = P->first_idx - P->next_idx;
	return free_ >= msg_size + P->hdr;
}

/* log_make_free_space() (v4.18 form, with clear_seq) */
GEN_FN int plog_make_free_space(struct plog_gen *P, uint32_t msg_size)
{
	while (P->first_seq < P->next_seq && !plog_has_space(P, msg_size, 0)) {
		P->first_idx = plog_next(P, P->first_idx);
		P->L->m[P->first_msg++].alive = 0;
		P->first_seq++;
	}
	if (P->clear_seq < P->first_seq) {
		P->clear_seq = P->first_seq;
		P->clear_idx = P->first_idx;
	}
	return plog_has_space(P, msg_size, P->first_seq == P->next_seq) ? 0 : -1;
}

/* msg_used_size() */
GEN_FN uint32_t plog_used_size(struct plog_gen *P, uint16_t text_len,
			       uint16_t dict_len, uint32_t *pad_len)
{
	uint32_t size = (uint32_t)P->hdr + text_len + dict_len;

	*pad_len = (uint32_t)(-size & (P->log_align - 1));
	return size + *pad_len;
}

/* log_store() */
GEN_FN void plog_store(struct plog_gen *P, struct gen_msg *m)
{
	static const char trunc_msg[] = "<truncated>";
	uint16_t text_len = (uint16_t)m->text_len, dict_len = (uint16_t)m->dict_len;
	uint16_t trunc_len = 0;
	uint32_t size, pad_len;
	uint8_t *buf = gmem_ptr(P->g, P->buf_va), *rec;

	size = plog_used_size(P, text_len, dict_len, &pad_len);
	if (plog_make_free_space(P, size)) {
		/* truncate_msg(): at most a quarter of the buffer */
		uint32_t max_text = (uint32_t)(P->len / 4);

		if (text_len > max_text)
			text_len = (uint16_t)max_text;
		trunc_len = (uint16_t)strlen(trunc_msg);
		dict_len = 0;
		size = plog_used_size(P, text_len + trunc_len, 0, &pad_len);
		if (plog_make_free_space(P, size))
			return;
		memcpy(m->text + text_len, trunc_msg, trunc_len);
		m->text_len = text_len + trunc_len;
		m->dict_len = 0;
	}
	if (P->next_idx + size + P->hdr > P->len) {
		/* the message + an empty header does not fit at the end */
		memset(buf + P->next_idx, 0, P->hdr);
		P->next_idx = 0;
	}
	rec = buf + P->next_idx;
	memcpy(rec + P->hdr, m->text, text_len);
	if (trunc_len)
		memcpy(rec + P->hdr + text_len, trunc_msg, trunc_len);
	memcpy(rec + P->hdr + text_len + trunc_len, m->dict, dict_len);
	memset(rec + P->hdr + text_len + trunc_len + dict_len, 0, pad_len);
#define FILL(T) do {                                                  \
		T h;                                                  \
		memset(&h, 0, sizeof(h));                             \
		h.ts_nsec = m->ts_nsec;                               \
		h.len = (uint16_t)size;                               \
		h.text_len = (uint16_t)(text_len + trunc_len);        \
		h.dict_len = dict_len;                                \
		h.facility = (uint8_t)m->facility;                    \
		h.level = (uint8_t)(m->level & 7);                    \
		h.flags = LOG_NEWLINE;                                \
		FILL_CALLER;                                          \
		memcpy(rec, &h, sizeof(h));                           \
	} while (0)
#define FILL_CALLER (void)0
	if (!P->caller) {
		if (P->align8)
			FILL(struct g_plog8);
		else
			FILL(struct g_plog4);
	}
#undef FILL_CALLER
#define FILL_CALLER h.caller_id = m->caller_id
	if (P->caller) {
		if (P->align8)
			FILL(struct g_plog8c);
		else
			FILL(struct g_plog4c);
	}
#undef FILL_CALLER
#undef FILL
	P->next_idx += size;
	P->next_seq++;
	m->alive = 1;
}

/* the variables and VMCOREINFO, as log_buf_vmcoreinfo_setup() has them */
GEN_FN void plog_finish(struct plog_gen *P, const char *release)
{
	struct gmem *g = P->g;
	const char *s = P->struct_name;

	gmem_put64(g, P->sym_log_buf, P->buf_va);
	gmem_put32(g, P->sym_len, (uint32_t)P->len);
	gmem_put32(g, P->sym_first, P->first_idx);
	gmem_put32(g, P->sym_next, P->next_idx);
	gmem_put32(g, P->sym_clear, P->clear_idx);
	gmem_put64(g, P->sym_first_seq, P->first_seq);
	gmem_put64(g, P->sym_next_seq, P->next_seq);
	vmci_common(g, release);
	vmci_add(g, "SYMBOL(log_buf)=%llx\n", (unsigned long long)P->sym_log_buf);
	vmci_add(g, "SYMBOL(log_buf_len)=%llx\n", (unsigned long long)P->sym_len);
	vmci_add(g, "SYMBOL(log_first_idx)=%llx\n", (unsigned long long)P->sym_first);
	vmci_add(g, "SYMBOL(clear_idx)=%llx\n", (unsigned long long)P->sym_clear);
	vmci_add(g, "SYMBOL(log_next_idx)=%llx\n", (unsigned long long)P->sym_next);
	vmci_add(g, "SIZE(%s)=%zu\n", s, P->hdr);
#define OFF(T, f) vmci_add(g, "OFFSET(%s.%s)=%zu\n", s, #f, offsetof(T, f))
	if (P->align8 && P->caller) {
		OFF(struct g_plog8c, ts_nsec); OFF(struct g_plog8c, len);
		OFF(struct g_plog8c, text_len); OFF(struct g_plog8c, dict_len);
		OFF(struct g_plog8c, caller_id);
	} else if (P->align8) {
		OFF(struct g_plog8, ts_nsec); OFF(struct g_plog8, len);
		OFF(struct g_plog8, text_len); OFF(struct g_plog8, dict_len);
	} else if (P->caller) {
		OFF(struct g_plog4c, ts_nsec); OFF(struct g_plog4c, len);
		OFF(struct g_plog4c, text_len); OFF(struct g_plog4c, dict_len);
		OFF(struct g_plog4c, caller_id);
	} else {
		OFF(struct g_plog4, ts_nsec); OFF(struct g_plog4, len);
		OFF(struct g_plog4, text_len); OFF(struct g_plog4, dict_len);
	}
#undef OFF
}

/* ------------------------------------------------- v5.10+ printk_ringbuffer */

/* kernel/printk/printk_ringbuffer.h and include/linux/dev_printk.h (v6.1) */
struct g_dev_printk_info {
	char subsystem[16];
	char device[48];
};

struct g_printk_info {
	uint64_t seq;
	uint64_t ts_nsec;
	uint16_t text_len;
	uint8_t facility;
	uint8_t flags:5;
	uint8_t level:3;
	uint32_t caller_id;
	struct g_dev_printk_info dev_info;
};

struct g_prb_data_blk_lpos {
	uint64_t begin, next;    /* unsigned long */
};

struct g_prb_desc {
	uint64_t state_var;      /* atomic_long_t */
	struct g_prb_data_blk_lpos text_blk_lpos;
};

struct g_prb_data_ring {
	unsigned int size_bits;
	uint64_t data;           /* char * */
	uint64_t head_lpos, tail_lpos;
};

struct g_prb_desc_ring {
	unsigned int count_bits;
	uint64_t descs, infos;
	uint64_t head_id, tail_id, last_finalized_id;
};

struct g_printk_ringbuffer {
	struct g_prb_desc_ring desc_ring;
	struct g_prb_data_ring text_data_ring;
	uint64_t fail;
};

#define G_SV_BITS 64
#define G_FLAGS_SHIFT (G_SV_BITS - 2)
#define G_ID_MASK (~(3ULL << G_FLAGS_SHIFT))
#define G_SV(id, st) (((uint64_t)(st) << G_FLAGS_SHIFT) | ((id) & G_ID_MASK))
enum { G_RESERVED, G_COMMITTED, G_FINALIZED, G_REUSABLE };
#define G_FAILED_LPOS 0x1ULL
#define G_NO_LPOS 0x3ULL

struct prb_gen {
	struct gmem *g;
	struct gen_log *L;
	unsigned count_bits, size_bits;
	uint64_t count, size;
	uint64_t rb_va, prb_sym, descs_va, infos_va, data_va;
	uint64_t head_id, tail_id, head_lpos, tail_lpos;
	size_t *msg_of_slot;    /* index in L of the record in each slot */
	uint64_t next_seq;
};

GEN_FN struct g_prb_desc *prb_desc(struct prb_gen *R, uint64_t id)
{
	return (struct g_prb_desc *)gmem_ptr(R->g, R->descs_va) +
	       (id & (R->count - 1));
}

GEN_FN struct g_printk_info *prb_info(struct prb_gen *R, uint64_t id)
{
	return (struct g_printk_info *)gmem_ptr(R->g, R->infos_va) +
	       (id & (R->count - 1));
}

GEN_FN uint8_t *prb_data(struct prb_gen *R)
{
	return gmem_ptr(R->g, R->data_va);
}

/* _DEFINE_PRINTKRB(): the bootstrap state */
GEN_FN void prb_init(struct prb_gen *R, struct gmem *g, struct gen_log *L,
		     unsigned count_bits, unsigned size_bits)
{
	uint64_t desc0_id;

	memset(R, 0, sizeof(*R));
	R->g = g;
	R->L = L;
	R->count_bits = count_bits;
	R->size_bits = size_bits;
	R->count = 1ULL << count_bits;
	R->size = 1ULL << size_bits;
	R->data_va = gmem_alloc(g, R->size, 8);
	R->descs_va = gmem_alloc(g, R->count * sizeof(struct g_prb_desc), 8);
	R->infos_va = gmem_alloc(g, R->count * sizeof(struct g_printk_info), 8);
	R->rb_va = gmem_alloc(g, sizeof(struct g_printk_ringbuffer), 8);
	R->prb_sym = gmem_alloc(g, 8, 8);
	R->msg_of_slot = calloc(R->count, sizeof(size_t));
	if (!R->msg_of_slot)
		gen_die("out of memory");
	for (uint64_t i = 0; i < R->count; i++)
		R->msg_of_slot[i] = (size_t)-1;
	desc0_id = (uint64_t)(-(int64_t)(R->count + 1)) & G_ID_MASK;
	prb_info(R, 0)->seq = (uint64_t)(-(int64_t)R->count);
	prb_info(R, R->count - 1)->seq = 0;
	prb_desc(R, R->count - 1)->state_var = G_SV(desc0_id, G_REUSABLE);
	prb_desc(R, R->count - 1)->text_blk_lpos.begin = G_FAILED_LPOS;
	prb_desc(R, R->count - 1)->text_blk_lpos.next = G_FAILED_LPOS;
	R->head_id = R->tail_id = desc0_id;
	/* BLK0_LPOS: -DATA_SIZE, so that lpos overflows on the first wrap */
	R->head_lpos = R->tail_lpos = (uint64_t)(-(int64_t)R->size);
}

#define DATA_INDEX(R, l) ((l) & ((R)->size - 1))
#define DATA_WRAPS(R, l) ((l) >> (R)->size_bits)

GEN_FN void prb_make_reusable(struct prb_gen *R, uint64_t id)
{
	struct g_prb_desc *d = prb_desc(R, id);
	size_t mi = R->msg_of_slot[id & (R->count - 1)];

	d->state_var = G_SV(id, G_REUSABLE);
	if (mi != (size_t)-1)
		R->L->m[mi].alive = 0;
}

/* data_push_tail(): free data up to lpos by making the owners reusable */
GEN_FN void prb_data_push_tail(struct prb_gen *R, uint64_t lpos)
{
	while ((int64_t)(lpos - R->tail_lpos) > 0) {
		uint64_t id, *idp = (uint64_t *)(prb_data(R) + DATA_INDEX(R, R->tail_lpos));
		struct g_prb_desc *d;

		id = *idp;
		d = prb_desc(R, id);
		if ((d->state_var & G_ID_MASK) != id)
			gen_die("data tail has no owner");
		prb_make_reusable(R, id);
		R->tail_lpos = d->text_blk_lpos.next;
	}
}

/* get_next_lpos() + data_alloc(): returns the data pointer */
GEN_FN uint8_t *prb_data_alloc(struct prb_gen *R, size_t text_len, uint64_t id,
			       struct g_prb_data_blk_lpos *blk)
{
	uint64_t size, begin, next;

	if (text_len == 0) {
		blk->begin = blk->next = G_NO_LPOS;
		return NULL;
	}
	/* to_blk_size(): the id word plus the text, aligned to the id */
	size = (text_len + 8 + 7) & ~7ULL;
	if (size > R->size - 8)
		gen_die("message larger than the data ring");
	begin = R->head_lpos;
	next = begin + size;
	if (DATA_WRAPS(R, begin) != DATA_WRAPS(R, next))
		next = (DATA_WRAPS(R, next) << R->size_bits) + size;
	prb_data_push_tail(R, next - R->size);
	R->head_lpos = next;
	memcpy(prb_data(R) + DATA_INDEX(R, begin), &id, 8);
	if (DATA_WRAPS(R, begin) != DATA_WRAPS(R, next)) {
		/* wrapping data blocks store their data at the beginning */
		memcpy(prb_data(R), &id, 8);
		blk->begin = begin;
		blk->next = next;
		return prb_data(R) + 8;
	}
	blk->begin = begin;
	blk->next = next;
	return prb_data(R) + DATA_INDEX(R, begin) + 8;
}

/* desc_reserve() + prb_reserve() + prb_commit()/prb_final_commit() */
GEN_FN void prb_store(struct prb_gen *R, struct gen_msg *m, int state)
{
	uint64_t id = (R->head_id + 1) & G_ID_MASK;
	uint64_t prev_wrap = (id - R->count) & G_ID_MASK;
	struct g_prb_desc *d;
	struct g_printk_info *info;
	uint8_t *data;

	if (prev_wrap == R->tail_id) {
		/* desc_push_tail(): recycle the oldest descriptor */
		struct g_prb_desc *t = prb_desc(R, R->tail_id);

		if ((t->state_var >> G_FLAGS_SHIFT) != G_REUSABLE &&
		    !(t->text_blk_lpos.next & 1))   /* LPOS_DATALESS */
			prb_data_push_tail(R, t->text_blk_lpos.next);
		prb_make_reusable(R, R->tail_id);
		R->tail_id = (R->tail_id + 1) & G_ID_MASK;
	}
	d = prb_desc(R, id);
	d->state_var = G_SV(id, G_RESERVED);
	R->head_id = id;
	info = prb_info(R, id);
	memset(info, 0, sizeof(*info));
	info->seq = R->next_seq++;
	m->seq = info->seq;
	data = prb_data_alloc(R, m->text_len, id, &d->text_blk_lpos);
	if (data)
		memcpy(data, m->text, m->text_len);
	else
		m->dataless = 1;
	info->text_len = (uint16_t)m->text_len;
	info->ts_nsec = m->ts_nsec;
	info->facility = (uint8_t)m->facility;
	info->level = (uint8_t)(m->level & 7);
	info->flags = LOG_NEWLINE;
	info->caller_id = m->caller_id;
	memcpy(info->dev_info.subsystem, m->subsystem, sizeof(m->subsystem));
	memcpy(info->dev_info.device, m->device, sizeof(m->device));
	d->state_var = G_SV(id, state);
	R->msg_of_slot[id & (R->count - 1)] = (size_t)(m - R->L->m);
	m->alive = 1;
	m->committed_only = state == G_COMMITTED;
	m->reserved = state == G_RESERVED;
}

/* the ring header, prb and VMCOREINFO as log_buf_vmcoreinfo_setup() (v6.1) */
GEN_FN void prb_finish(struct prb_gen *R, const char *release)
{
	struct gmem *g = R->g;
	struct g_printk_ringbuffer *rb = gmem_ptr(g, R->rb_va);

	rb->desc_ring.count_bits = R->count_bits;
	rb->desc_ring.descs = R->descs_va;
	rb->desc_ring.infos = R->infos_va;
	rb->desc_ring.head_id = R->head_id;
	rb->desc_ring.tail_id = R->tail_id;
	rb->desc_ring.last_finalized_id = R->head_id;
	rb->text_data_ring.size_bits = R->size_bits;
	rb->text_data_ring.data = R->data_va;
	rb->text_data_ring.head_lpos = R->head_lpos;
	rb->text_data_ring.tail_lpos = R->tail_lpos;
	gmem_put64(g, R->prb_sym, R->rb_va);
	vmci_common(g, release);
	vmci_add(g, "SYMBOL(prb)=%llx\n", (unsigned long long)R->prb_sym);
	vmci_add(g, "SYMBOL(printk_rb_static)=%llx\n", (unsigned long long)R->rb_va);
#define SZ(T) vmci_add(g, "SIZE(%s)=%zu\n", #T, sizeof(struct g_##T))
#define OFF(T, f) vmci_add(g, "OFFSET(%s.%s)=%zu\n", #T, #f, offsetof(struct g_##T, f))
	SZ(printk_ringbuffer);
	OFF(printk_ringbuffer, desc_ring);
	OFF(printk_ringbuffer, text_data_ring);
	OFF(printk_ringbuffer, fail);
	SZ(prb_desc_ring);
	OFF(prb_desc_ring, count_bits);
	OFF(prb_desc_ring, descs);
	OFF(prb_desc_ring, infos);
	OFF(prb_desc_ring, head_id);
	OFF(prb_desc_ring, tail_id);
	SZ(prb_desc);
	OFF(prb_desc, state_var);
	OFF(prb_desc, text_blk_lpos);
	SZ(prb_data_blk_lpos);
	OFF(prb_data_blk_lpos, begin);
	OFF(prb_data_blk_lpos, next);
	SZ(printk_info);
	OFF(printk_info, seq);
	OFF(printk_info, ts_nsec);
	OFF(printk_info, text_len);
	OFF(printk_info, caller_id);
	OFF(printk_info, dev_info);
	SZ(dev_printk_info);
	OFF(dev_printk_info, subsystem);
	vmci_add(g, "LENGTH(printk_info_subsystem)=16\n");
	OFF(dev_printk_info, device);
	vmci_add(g, "LENGTH(printk_info_device)=48\n");
	SZ(prb_data_ring);
	OFF(prb_data_ring, size_bits);
	OFF(prb_data_ring, data);
	OFF(prb_data_ring, head_lpos);
	OFF(prb_data_ring, tail_lpos);
#undef SZ
#undef OFF
	free(R->msg_of_slot);
	R->msg_of_slot = NULL;
}

/* ------------------------------------------------- before v3.5: plain */

struct plain_gen {
	struct gmem *g;
	uint64_t buf_va, len;
	uint32_t log_end;
	char *stream;            /* everything ever written, for the expectation */
	size_t slen, scap;
	uint64_t sym_log_buf, sym_end, sym_len, sym_logged;
};

GEN_FN void plain_init(struct plain_gen *Q, struct gmem *g, size_t len)
{
	memset(Q, 0, sizeof(*Q));
	Q->g = g;
	Q->len = len;
	Q->buf_va = gmem_alloc(g, len, 64);
	Q->sym_log_buf = gmem_alloc(g, 8, 8);
	Q->sym_end = gmem_alloc(g, 4, 4);
	Q->sym_len = gmem_alloc(g, 4, 4);
	Q->sym_logged = gmem_alloc(g, 4, 4);
}

/* emit_log_char() */
GEN_FN void plain_emit(struct plain_gen *Q, char c)
{
	((char *)gmem_ptr(Q->g, Q->buf_va))[Q->log_end & (Q->len - 1)] = c;
	Q->log_end++;
	if (Q->slen == Q->scap) {
		Q->scap = Q->scap ? Q->scap * 2 : 4096;
		Q->stream = realloc(Q->stream, Q->scap);
		if (!Q->stream)
			gen_die("out of memory");
	}
	Q->stream[Q->slen++] = c;
}

/* vprintk(): "<N>" and, with printk_time, "[%5lu.%06lu] " per line */
GEN_FN void plain_printk(struct plain_gen *Q, const struct gen_msg *m,
			 int with_time)
{
	char pre[64];
	size_t i;
	int n;

	if (with_time)
		n = snprintf(pre, sizeof(pre), "<%d>[%5lu.%06lu] ", m->level & 7,
			     (unsigned long)(m->ts_nsec / 1000000000ULL),
			     (unsigned long)(m->ts_nsec % 1000000000ULL / 1000));
	else
		n = snprintf(pre, sizeof(pre), "<%d>", m->level & 7);
	for (i = 0; i < (size_t)n; i++)
		plain_emit(Q, pre[i]);
	for (i = 0; i < m->text_len; i++)
		if (m->text[i] != '\n')      /* one line per message here */
			plain_emit(Q, m->text[i] ? m->text[i] : ' ');
	plain_emit(Q, '\n');
}

/* log_buf_kexec_setup() */
GEN_FN void plain_finish(struct plain_gen *Q, const char *release)
{
	struct gmem *g = Q->g;

	gmem_put64(g, Q->sym_log_buf, Q->buf_va);
	gmem_put32(g, Q->sym_end, Q->log_end);
	gmem_put32(g, Q->sym_len, (uint32_t)Q->len);
	gmem_put32(g, Q->sym_logged, Q->log_end < Q->len ? Q->log_end
							  : (uint32_t)Q->len);
	vmci_common(g, release);
	vmci_add(g, "SYMBOL(log_buf)=%llx\n", (unsigned long long)Q->sym_log_buf);
	vmci_add(g, "SYMBOL(log_end)=%llx\n", (unsigned long long)Q->sym_end);
	vmci_add(g, "SYMBOL(log_buf_len)=%llx\n", (unsigned long long)Q->sym_len);
	vmci_add(g, "SYMBOL(logged_chars)=%llx\n", (unsigned long long)Q->sym_logged);
}

/* ------------------------------------------------- expected output */

/*
 * One surviving record as makedumpfile --dump-dmesg prints it (the
 * escaping rule of its dump_log_entry(), with bytes >= 0x80 as \xNN).
 */
GEN_FN void gen_expect_line(FILE *f, const struct gen_msg *m, int caller)
{
	char pre[64];
	size_t i, n;

	n = (size_t)snprintf(pre, sizeof(pre), "[%5llu.%06llu] ",
			     (unsigned long long)(m->ts_nsec / 1000000000ULL),
			     (unsigned long long)(m->ts_nsec % 1000000000ULL / 1000));
	if (caller) {
		char id[16];

		snprintf(id, sizeof(id), "%c%u",
			 (m->caller_id & 0x80000000u) ? 'C' : 'T',
			 m->caller_id & 0x7fffffffu);
		n += (size_t)snprintf(pre + n, sizeof(pre) - n, "[%8s] ", id);
	}
	fputs(pre, f);
	for (i = 0; i < m->text_len; i++) {
		unsigned char c = (unsigned char)m->text[i];

		if (c == '\n')
			fprintf(f, "\n%*s", (int)n, "");
		else if ((c >= 0x20 && c < 0x7f) || (c >= 9 && c <= 13))
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fputc('\n', f);
}

#endif
