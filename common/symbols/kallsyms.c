// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's own symbol table (kernel/kallsyms.c), read out of the dump,
 * so a dump with no vmlinux and no System.map still gets names.
 *
 * Tables (all located through VMCOREINFO SYMBOL()s, exported since v6.0,
 * the series ending in f09bddbd8661 "vmcoreinfo: add kallsyms_num_syms
 * symbol"; their order in memory changed in v6.4 (404bad70fcf7), which is
 * why each is found by its own symbol and names are read as a stream):
 *   kallsyms_num_syms     u32 count
 *   kallsyms_names        per symbol: a length byte, then that many token
 *                         numbers; since v6.1 (73bbb94466fd) a length with
 *                         the top bit set continues in a second byte (low 7
 *                         bits first).  Earlier kernels never set the top
 *                         bit (names were < 128 bytes), so one decoder fits.
 *   kallsyms_token_table  256 NUL-terminated strings, kallsyms_token_index
 *                         their u16 offsets.  The first character of the
 *                         expanded name is the nm type letter.
 *   addresses, in one of three encodings:
 *     - kallsyms_addresses[]: absolute (before v4.6, and arches without
 *       CONFIG_KALLSYMS_BASE_RELATIVE);
 *     - kallsyms_offsets[] (s32) + kallsyms_relative_base, base-relative
 *       (v4.6+, 2213e9a66bb8): addr = base + (u32)off;
 *     - the same with CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86_64 SMP):
 *       off >= 0 is an absolute value (the zero-based per-CPU symbols),
 *       off < 0 means base - 1 - off.
 *   VMCOREINFO does not say which base-relative flavour is in use; with
 *   absolute per-CPU nearly every offset is negative, without it none is,
 *   so the sign of the majority decides.
 */
#include "symtab_impl.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KSYM_MAX_SYMS (1u << 24)       /* 16M: far above any kernel */
#define KSYM_NAMES_CAP (256u << 20)     /* bytes of compressed names */
#define KSYM_NAME_MAX 512               /* KSYM_NAME_LEN is 512 since v6.1 */
#define NAMES_CHUNK 65536

/* Sequential reader of kallsyms_names, fetched in chunks. */
struct names_rd {
	struct vm_mem *m;
	uint64_t base;
	uint8_t *buf;
	uint64_t buf_off;    /* offset of buf[0] within the names */
	size_t buf_len;
	uint64_t pos;
};

static int names_byte(struct names_rd *r, uint8_t *out, struct vm_err *e)
{
	struct vm_err ignore;

	if (r->pos < r->buf_off || r->pos >= r->buf_off + r->buf_len) {
		size_t want = NAMES_CHUNK;

		if (r->pos >= KSYM_NAMES_CAP)
			return vm_fail(e, VM_ECORRUPT,
				       "kallsyms_names longer than %u bytes", KSYM_NAMES_CAP);
		r->buf_off = r->pos;
		/* Never read past a page we do not need: the last chunk may
		 * touch an unmapped page after the table, so fall back to
		 * page-sized reads on failure. */
		if (vm_kread(r->m, r->base + r->pos, r->buf, want, &ignore) < 0) {
			want = 4096 - ((r->base + r->pos) & 4095);
			if (vm_kread(r->m, r->base + r->pos, r->buf, want, &ignore) < 0) {
				vm_err_prefix(e, "kallsyms_names at offset %" PRIu64 ": ",
					      r->pos);
				return -1;
			}
		}
		r->buf_len = want;
	}
	*out = r->buf[r->pos - r->buf_off];
	r->pos++;
	return 0;
}

/* The tables are in the target's (little-endian) byte order. */
static int32_t get_s32(const void *tab, uint32_t i)
{
	const uint8_t *p = (const uint8_t *)tab + 4 * (size_t)i;

	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			 (uint32_t)p[3] << 24);
}

static uint64_t get_u64(const void *tab, uint32_t i)
{
	const uint8_t *p = (const uint8_t *)tab + 8 * (size_t)i;
	uint64_t v = 0;
	int b;

	for (b = 7; b >= 0; b--)
		v = v << 8 | p[b];
	return v;
}

static int get_sym(const struct vm_vmcoreinfo *vi, const char *name, uint64_t *v,
		   struct vm_err *e)
{
	if (!vi || vm_vmci_symbol(vi, name, v) < 0)
		return vm_fail(e, VM_ENOENT, "VMCOREINFO has no SYMBOL(%s) (kernels "
			       "before v6.0 do not export the kallsyms tables)", name);
	return 0;
}

int vm_symtab_load_kallsyms(struct vm_symtab *st, struct vm_mem *m,
			    struct vm_err *e)
{
	const struct vm_vmcoreinfo *vi = vm_mem_vmcoreinfo(m);
	uint64_t a_num, a_names, a_ttable, a_tindex, a_offsets = 0, a_base = 0,
		 a_addrs = 0, relbase = 0;
	uint32_t num, i;
	uint16_t tindex[256];
	char *ttable = NULL;
	size_t ttable_len;
	uint8_t raw_tidx[512];
	void *addrs = NULL;
	bool base_relative, abs_percpu = false;
	struct names_rd rd = { 0 };
	int ret = -1;

	if (get_sym(vi, "kallsyms_num_syms", &a_num, e) < 0 ||
	    get_sym(vi, "kallsyms_names", &a_names, e) < 0 ||
	    get_sym(vi, "kallsyms_token_table", &a_ttable, e) < 0 ||
	    get_sym(vi, "kallsyms_token_index", &a_tindex, e) < 0)
		return -1;
	base_relative = vm_vmci_symbol(vi, "kallsyms_offsets", &a_offsets) == 0 &&
			vm_vmci_symbol(vi, "kallsyms_relative_base", &a_base) == 0;
	if (!base_relative && get_sym(vi, "kallsyms_addresses", &a_addrs, e) < 0)
		return -1;

	if (vm_kread_u32(m, a_num, &num, e) < 0) {
		vm_err_prefix(e, "kallsyms_num_syms: ");
		return -1;
	}
	if (num == 0 || num > KSYM_MAX_SYMS)
		return vm_fail(e, VM_ECORRUPT, "kallsyms_num_syms at 0x%" PRIx64 " is %u",
			       a_num, num);

	/* token index and table */
	if (vm_kread(m, a_tindex, raw_tidx, sizeof(raw_tidx), e) < 0) {
		vm_err_prefix(e, "kallsyms_token_index: ");
		return -1;
	}
	ttable_len = 0;
	for (i = 0; i < 256; i++) {
		tindex[i] = (uint16_t)(raw_tidx[2 * i] | raw_tidx[2 * i + 1] << 8);
		if (tindex[i] > ttable_len)
			ttable_len = tindex[i];
	}
	/* the last token starts at the highest index; tokens are short */
	ttable_len += 256;
	ttable = vm_malloc(ttable_len + 1, e);
	if (!ttable)
		return -1;
	if (vm_kread(m, a_ttable, ttable, ttable_len, e) < 0) {
		vm_err_prefix(e, "kallsyms_token_table: ");
		goto out;
	}
	ttable[ttable_len] = '\0';
	for (i = 0; i < 256; i++)
		if (!memchr(ttable + tindex[i], '\0', ttable_len - tindex[i])) {
			vm_fail(e, VM_ECORRUPT, "kallsyms token %u at offset %u is not "
				"terminated", i, tindex[i]);
			goto out;
		}

	/* addresses */
	addrs = vm_calloc(num, base_relative ? 4 : 8, e);
	if (!addrs)
		goto out;
	if (base_relative) {
		int32_t *off = addrs;
		uint32_t neg = 0;

		if (vm_kread(m, a_offsets, off, (size_t)num * 4, e) < 0 ||
		    vm_kread_u64(m, a_base, &relbase, e) < 0) {
			vm_err_prefix(e, "kallsyms_offsets: ");
			goto out;
		}
		for (i = 0; i < num; i++)
			if (get_s32(off, i) < 0)
				neg++;
		abs_percpu = neg > num / 2;
	} else if (vm_kread(m, a_addrs, addrs, (size_t)num * 8, e) < 0) {
		vm_err_prefix(e, "kallsyms_addresses: ");
		goto out;
	}

	rd.m = m;
	rd.base = a_names;
	rd.buf = vm_malloc(NAMES_CHUNK, e);
	if (!rd.buf)
		goto out;
	rd.buf_len = 0;
	rd.buf_off = UINT64_MAX;
	for (i = 0; i < num; i++) {
		char name[KSYM_NAME_MAX + 1];
		size_t nlen = 0;
		unsigned len;
		uint8_t b;
		uint64_t addr;
		bool first = true;
		char type = '?';

		if (names_byte(&rd, &b, e) < 0)
			goto out;
		len = b;
		if (len & 0x80) {
			if (names_byte(&rd, &b, e) < 0)
				goto out;
			len = (len & 0x7f) | (unsigned)b << 7;
		}
		if (len == 0) {
			vm_fail(e, VM_ECORRUPT, "kallsyms symbol %u has an empty name", i);
			goto out;
		}
		while (len--) {
			const char *t;

			if (names_byte(&rd, &b, e) < 0)
				goto out;
			for (t = ttable + tindex[b]; *t; t++) {
				if (first) {
					type = *t;
					first = false;
				} else if (nlen < KSYM_NAME_MAX) {
					name[nlen++] = *t;
				}
			}
		}
		name[nlen] = '\0';
		if (base_relative) {
			int32_t off = get_s32(addrs, i);

			if (!abs_percpu)
				addr = relbase + (uint32_t)off;
			else if (off >= 0)
				addr = (uint64_t)off;
			else
				addr = relbase - 1 - (uint64_t)(int64_t)off;
		} else {
			addr = get_u64(addrs, i);
		}
		if (vm_symtab_add(st, addr, 0, type, name, NULL, e) < 0)
			goto out;
	}
	vm_symtab_set_source(st, VM_SYMSRC_KALLSYMS);
	ret = 0;
out:
	free(rd.buf);
	free(addrs);
	free(ttable);
	return ret;
}
