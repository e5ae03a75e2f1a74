/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 ORC unwind tables (private to common/arch/x86_64_*.c).
 *
 * The kernel links two parallel arrays (since v4.14, CONFIG_UNWINDER_ORC):
 * .orc_unwind_ip, int32 offsets each relative to its own address, sorted
 * (at build time since v5.6, else at boot), and .orc_unwind, 6-byte
 * struct orc_entry.  vmlinux also has orc_lookup[], a per-256-byte block
 * index into them filled at boot (so only in memory, not in the file), and
 * each module its own pair in mod->arch.
 *
 * Four encodings of the entry's 16-bit flags word:
 *   v1 (< v6.3)  sp_reg:4 bp_reg:4 type:2 end:1
 *   v2 (v6.3)    sp_reg:4 bp_reg:4 type:2 signal:1 end:1   (ffb1b4a41016)
 *   v3 (v6.4+)   sp_reg:4 bp_reg:4 type:3 signal:1          (fb799447ae29)
 *   v4 (v7.1+)   as v3, the ORC_REG_* numbers changed (AX 1, DX 2, SP 3,
 *                BP 4, DI 5, R10 6, R13 7, PREV_SP 8, SP_INDIRECT 9,
 *                BP_INDIRECT 10)
 * Which one a kernel uses is read from it (x86_64_orc.c), never from its
 * release string.  They are normalized to struct orc here.
 */
#ifndef VM_X86_64_ORC_H
#define VM_X86_64_ORC_H

#include <stdbool.h>
#include <stdint.h>

#include "mem_impl.h"

/* ORC_REG_* as numbered v4.14..v7.0 (arch/x86/include/asm/orc_types.h);
 * v7.1's numbers are mapped to these, and its new AX gets a number here. */
enum {
	ORC_REG_UNDEFINED = 0, ORC_REG_PREV_SP = 1, ORC_REG_DX = 2,
	ORC_REG_DI = 3, ORC_REG_BP = 4, ORC_REG_SP = 5, ORC_REG_R10 = 6,
	ORC_REG_R13 = 7, ORC_REG_BP_INDIRECT = 8, ORC_REG_SP_INDIRECT = 9,
	ORC_REG_AX = 10, ORC_REG_BAD = 15,
};

/* normalized entry types */
enum orc_type {
	ORC_T_UNDEFINED,      /* no information (a terminator) */
	ORC_T_END,            /* bottom of a kernel stack */
	ORC_T_CALL,
	ORC_T_REGS,           /* full pt_regs at the previous sp */
	ORC_T_REGS_PARTIAL,   /* hardware iret frame at the previous sp */
};

struct orc {
	int16_t sp_offset, bp_offset;
	uint8_t sp_reg, bp_reg;
	uint8_t type;         /* enum orc_type */
	bool signal;
};

struct orc_table {
	uint64_t ip_addr;     /* run-time address of ip[0] */
	uint64_t orc_addr;    /* run-time address of entry[0] */
	uint64_t num;
	/* file-backed copies (vmlinux sections), else read from memory */
	const uint8_t *ip_data, *orc_data;
	/* vmlinux's fast index, in memory only */
	uint64_t lookup_addr, lookup_blocks, lookup_lo, lookup_hi;
};

/* A page cache over vm_kread: walks read the same few pages again and
 * again (stack, table pages), and the dump layer may decompress on every
 * read. */
#define UNW_CACHE_PAGES 128

struct unw_cache {
	struct vm_mem *m;
	/* tags apart from the data: an open touches only the tags, not
	 * half a megabyte of pages a short walk never uses */
	uint64_t va[UNW_CACHE_PAGES];     /* page address, or 1 = empty */
	uint8_t (*data)[4096];            /* UNW_CACHE_PAGES, malloc'd */
};

int unw_read(struct unw_cache *c, uint64_t va, void *buf, size_t len,
	     struct vm_err *e);
int unw_read64(struct unw_cache *c, uint64_t va, uint64_t *v, struct vm_err *e);

/* Version of an .orc_header hash (2, 3, 4; *what describes it), or -1. */
int orc_version_from_header(const uint8_t hash[20], const char **what);
/* The layout family the entry at a function's first instruction shows:
 * 1 (v1 or v2), 3, 4, or -1 (not such an entry). */
int orc_family_of_entry(const uint8_t raw[6]);
/* v1 or v2 from an end-of-stack entry (ret_from_fork's), or -1. */
int orc_v1_or_v2(const uint8_t raw[6]);

/* Entry for pc in table t (rightmost entry with ip <= pc): 1 found,
 * 0 not covered, -1 read error. */
int orc_table_find(struct unw_cache *c, const struct orc_table *t, int version,
		   uint64_t pc, struct orc *out, struct vm_err *e);
int orc_table_find_raw(struct unw_cache *c, const struct orc_table *t, uint64_t pc,
		       uint8_t raw[6], struct vm_err *e);

void orc_decode(const uint8_t raw[6], int version, struct orc *out);

#endif
