/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to common/symbols/kallsyms*.c: where the kernel's kallsyms tables
 * are, and the address encodings they may be in.
 */
#ifndef VM_KALLSYMS_IMPL_H
#define VM_KALLSYMS_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "../arch/arch.h"
#include "../err.h"
#include "../vmcoreinfo/vmcoreinfo.h"

#define KSYM_MAX_SYMS (1u << 24)       /* 16M: far above any kernel */

/* How an address table maps to addresses (kernel/kallsyms.c
 * kallsyms_sym_address() of each era). */
enum ksym_enc {
	KENC_ABSOLUTE = 1,   /* kallsyms_addresses[]: u64 addresses */
	KENC_BASE_REL,       /* base + (u32)kallsyms_offsets[i]  (v4.6+, 2213e9a66bb8) */
	KENC_ABS_PERCPU,     /* off >= 0: off; else base - 1 - off (KALLSYMS_ABSOLUTE_PERCPU) */
	KENC_PLACE_REL,      /* &kallsyms_offsets[i] + (s32)off  (v7.0+, a081b5789255d) */
};

/* One place an address table may be, in one encoding. */
struct ksym_addr_cand {
	enum ksym_enc enc;
	uint64_t tab;          /* kallsyms_addresses or kallsyms_offsets */
	uint64_t relbase_at;   /* address of kallsyms_relative_base (BASE_REL, ABS_PERCPU) */
};

#define KSYM_MAX_CANDS 8
#define KSYM_MAX_TABS 4                 /* distinct address tables read */

struct ksym_tables {
	uint32_t num;
	uint64_t num_at, names, ttable, tindex;
	struct ksym_addr_cand cand[KSYM_MAX_CANDS];
	unsigned ncand;
	bool scanned;          /* found by content, not through VMCOREINFO */
};

/* From VMCOREINFO's SYMBOL()s (v6.0+): 0, or -1 with VM_ENOENT when
 * VMCOREINFO does not export them. */
int ksym_tables_from_vmcoreinfo(struct vm_mem *m, const struct vm_vmcoreinfo *vi,
				struct ksym_tables *t, struct vm_err *e);

/* By content, in the kernel image between SYMBOL(_stext) and the data
 * symbols VMCOREINFO names (kernels before v6.0): 0 or -1. */
int ksym_tables_scan(struct vm_mem *m, const struct vm_vmcoreinfo *vi,
		     struct ksym_tables *t, struct vm_err *e);

/* The span holding the tables t and the address tables tab_va (entries
 * of tab_w bytes) as far as their ends are known before reading
 * (kallsyms_span.c). */
void ksym_span_bounds(const struct ksym_tables *t, const uint64_t *tab_va,
		      const unsigned *tab_w, unsigned ntab, uint64_t *lo, uint64_t *hi);
/* The stored form of that span (vm_kread_stored) headed by where each
 * table starts in it, as a stream (../cache.h) over *ks: 0, or -1 when the
 * tables lie too far apart to be one kallsyms. */
#define KSYM_STORED_WORDS (4 + 2 * KSYM_MAX_TABS)
struct ksym_stored {
	struct vm_mem *m;
	uint64_t lo, hi;
	uint8_t hdr[KSYM_STORED_WORDS * 8];
};
struct vm_cache_stream;
int ksym_stored_init(struct ksym_stored *ks, struct vm_mem *m, const struct ksym_tables *t,
		     const uint64_t *tab_va, const unsigned *tab_w, unsigned ntab,
		     struct vm_cache_stream *stream);

/* Check a token table/index pair at ttable/tindex: 0 and the table's
 * length in *len, or -1. */
int ksym_check_tokens(const uint8_t *ttable, size_t avail, const uint8_t tidx[512],
		      size_t *len);

#endif
