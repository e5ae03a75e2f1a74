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
 *
 * Decoding means decompressing ~2 MB of dump pages and expanding 100k+
 * names, so the decoded base-relative table is cached on disk under the
 * kernel's BUILD-ID (../cache.h).  Offsets are relative to
 * kallsyms_relative_base, which KASLR moves: that one word is always read
 * from this dump, so the cache is right for every boot of the build.
 */
#include "symtab_impl.h"

#include "../cache.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

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

/* Make [pos, pos + n) of the names readable in r->buf. */
static int names_ensure(struct names_rd *r, size_t n, struct vm_err *e)
{
	struct vm_err ignore;
	size_t want = NAMES_CHUNK;

	if (r->pos >= r->buf_off && r->pos + n <= r->buf_off + r->buf_len)
		return 0;
	if (r->pos + n > KSYM_NAMES_CAP)
		return vm_fail(e, VM_ECORRUPT,
			       "kallsyms_names longer than %u bytes", KSYM_NAMES_CAP);
	r->buf_off = r->pos;
	r->buf_len = 0;
	/* Never read past a page we do not need: the last chunk may touch an
	 * unmapped page after the table, so shrink to page-sized reads. */
	while (vm_kread(r->m, r->base + r->pos, r->buf, want, &ignore) < 0) {
		size_t to_page = 4096 - ((r->base + r->pos) & 4095);

		if (want <= to_page || want <= n) {
			vm_err_prefix(e, "kallsyms_names at offset %" PRIu64 ": ", r->pos);
			return vm_kread(r->m, r->base + r->pos, r->buf, n, e);
		}
		want = want / 2 > to_page ? want / 2 : to_page;
		if (want < n)
			want = n;
	}
	r->buf_len = want;
	return 0;
}

static int get_sym(const struct vm_vmcoreinfo *vi, const char *name, uint64_t *v,
		   struct vm_err *e)
{
	if (!vi || vm_vmci_symbol(vi, name, v) < 0)
		return vm_fail(e, VM_ENOENT, "VMCOREINFO has no SYMBOL(%s) (kernels "
			       "before v6.0 do not export the kallsyms tables)", name);
	return 0;
}

/* The decoded table: raw address words, types, names. */
struct ksyms {
	uint32_t num;
	bool base_relative, abs_percpu;
	uint64_t relbase;
	int64_t *raw;          /* s32 offset (base-relative) or address */
	char *types;
	uint32_t *name_off;
	char *names;           /* NUL-separated */
	size_t names_len, names_cap;
	/* set when the arrays point into a cache mapping */
	struct vm_cache_blob blob;
};

static void ksyms_free(struct ksyms *k)
{
	if (k->blob.map) {
		vm_cache_release(&k->blob);
	} else {
		free(k->raw);
		free(k->types);
		free(k->name_off);
		free(k->names);
	}
	memset(k, 0, sizeof(*k));
}

/* Make room for len more bytes and a NUL at the end of the names. */
static int names_reserve(struct ksyms *k, size_t len, struct vm_err *e)
{
	if (k->names_len + len + 1 > k->names_cap) {
		size_t cap = k->names_cap ? k->names_cap * 2 : 1u << 20;
		char *n;

		while (cap < k->names_len + len + 1)
			cap *= 2;
		n = vm_realloc_array(k->names, cap, 1, e);
		if (!n)
			return -1;
		k->names = n;
		k->names_cap = cap;
	}
	return 0;
}

static int read_tokens(struct vm_mem *m, uint64_t a_ttable, uint64_t a_tindex,
		       char **ttable_out, uint16_t tindex[256], struct vm_err *e)
{
	uint8_t raw_tidx[512];
	size_t ttable_len = 0;
	char *ttable;
	unsigned i;

	if (vm_kread(m, a_tindex, raw_tidx, sizeof(raw_tidx), e) < 0) {
		vm_err_prefix(e, "kallsyms_token_index: ");
		return -1;
	}
	for (i = 0; i < 256; i++) {
		tindex[i] = vm_le16(raw_tidx + 2 * i);
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
		free(ttable);
		return -1;
	}
	ttable[ttable_len] = '\0';
	for (i = 0; i < 256; i++)
		if (!memchr(ttable + tindex[i], '\0', ttable_len - tindex[i])) {
			free(ttable);
			return vm_fail(e, VM_ECORRUPT, "kallsyms token %u at offset %u is "
				       "not terminated", i, tindex[i]);
		}
	*ttable_out = ttable;
	return 0;
}

/* Expand every name of kallsyms_names into k.  Each entry is a length
 * (one byte, or two since v6.1) and that many token numbers; the first
 * character of the first token is the symbol's type letter. */
static int read_names(struct vm_mem *m, uint64_t a_names, const char *ttable,
		      const uint16_t tindex[256], struct ksyms *k, struct vm_err *e)
{
	struct names_rd rd = { 0 };
	uint8_t tlen[256];
	size_t maxtok = 1;
	uint32_t i;
	int ret = -1;

	for (i = 0; i < 256; i++) {
		size_t l = strlen(ttable + tindex[i]);

		tlen[i] = (uint8_t)(l > 255 ? 255 : l);
		if (tlen[i] > maxtok)
			maxtok = tlen[i];
	}
	rd.m = m;
	rd.base = a_names;
	rd.buf = vm_malloc(NAMES_CHUNK, e);
	if (!rd.buf)
		return -1;
	rd.buf_off = UINT64_MAX;
	for (i = 0; i < k->num; i++) {
		const uint8_t *p, *q;
		uint64_t len64;
		unsigned len, j;
		size_t start;
		char *out;

		if (names_ensure(&rd, 2, e) < 0)
			goto out;
		p = q = rd.buf + (rd.pos - rd.buf_off);
		/* the length: ULEB128 of at most two bytes (since v6.1,
		 * "kallsyms: support \"big\" kernel symbols"; one byte
		 * before) */
		if (vm_uleb128(&q, p + 2, &len64) != 0) {
			vm_fail(e, VM_ECORRUPT, "kallsyms symbol %u: name length "
				"%#x %#x is longer than two bytes", i, p[0], p[1]);
			goto out;
		}
		len = (unsigned)len64;
		rd.pos += (uint64_t)(q - p);
		if (len == 0) {
			vm_fail(e, VM_ECORRUPT, "kallsyms symbol %u has an empty name", i);
			goto out;
		}
		if (names_ensure(&rd, len, e) < 0)
			goto out;
		p = rd.buf + (rd.pos - rd.buf_off);
		rd.pos += len;
		/* room for the worst case; the name ends where it ends */
		if (names_reserve(k, (size_t)len * maxtok, e) < 0)
			goto out;
		start = k->names_len;
		out = k->names + start;
		k->types[i] = tlen[p[0]] ? ttable[tindex[p[0]]] : '?';
		for (j = 0; j < len; j++) {
			const char *t = ttable + tindex[p[j]];
			size_t l = tlen[p[j]];

			if (j == 0 && l) {
				t++;
				l--;
			}
			memcpy(out, t, l);
			out += l;
		}
		*out = '\0';
		if (out - (k->names + start) > KSYM_NAME_MAX)
			k->names[start + KSYM_NAME_MAX] = '\0';
		k->names_len = start + strlen(k->names + start) + 1;
		k->name_off[i] = (uint32_t)start;
		if (k->names_len > UINT32_MAX) {
			vm_fail(e, VM_ECORRUPT, "kallsyms names exceed 4 GiB");
			goto out;
		}
	}
	ret = 0;
out:
	free(rd.buf);
	return ret;
}

static int read_addrs(struct vm_mem *m, uint64_t a_offsets, uint64_t a_addrs,
		      struct ksyms *k, struct vm_err *e)
{
	void *tab;
	uint32_t i, neg = 0;

	tab = vm_calloc(k->num, k->base_relative ? 4 : 8, e);
	if (!tab)
		return -1;
	if (vm_kread(m, k->base_relative ? a_offsets : a_addrs, tab,
		     (size_t)k->num * (k->base_relative ? 4 : 8), e) < 0) {
		vm_err_prefix(e, k->base_relative ? "kallsyms_offsets: " : "kallsyms_addresses: ");
		free(tab);
		return -1;
	}
	for (i = 0; i < k->num; i++) {
		if (k->base_relative) {
			k->raw[i] = (int32_t)vm_le32((const uint8_t *)tab + 4 * (size_t)i);
			neg += k->raw[i] < 0;
		} else {
			k->raw[i] = (int64_t)vm_le64((const uint8_t *)tab + 8 * (size_t)i);
		}
	}
	k->abs_percpu = k->base_relative && neg > k->num / 2;
	free(tab);
	return 0;
}

static int decode(struct vm_mem *m, struct ksyms *k, struct vm_err *e)
{
	const struct vm_vmcoreinfo *vi = vm_mem_vmcoreinfo(m);
	uint64_t a_num, a_names, a_ttable, a_tindex, a_offsets = 0, a_addrs = 0;
	uint16_t tindex[256];
	char *ttable = NULL;
	int ret = -1;

	if (get_sym(vi, "kallsyms_num_syms", &a_num, e) < 0 ||
	    get_sym(vi, "kallsyms_names", &a_names, e) < 0 ||
	    get_sym(vi, "kallsyms_token_table", &a_ttable, e) < 0 ||
	    get_sym(vi, "kallsyms_token_index", &a_tindex, e) < 0)
		return -1;
	if (!k->base_relative && get_sym(vi, "kallsyms_addresses", &a_addrs, e) < 0)
		return -1;
	if (k->base_relative)
		vm_vmci_symbol(vi, "kallsyms_offsets", &a_offsets);
	if (vm_kread_u32(m, a_num, &k->num, e) < 0) {
		vm_err_prefix(e, "kallsyms_num_syms: ");
		return -1;
	}
	if (k->num == 0 || k->num > KSYM_MAX_SYMS)
		return vm_fail(e, VM_ECORRUPT, "kallsyms_num_syms at 0x%" PRIx64 " is %u",
			       a_num, k->num);
	k->raw = vm_calloc(k->num, sizeof(*k->raw), e);
	k->types = k->raw ? vm_calloc(k->num, 1, e) : NULL;
	k->name_off = k->types ? vm_calloc(k->num, sizeof(*k->name_off), e) : NULL;
	if (!k->name_off)
		return -1;
	if (read_tokens(m, a_ttable, a_tindex, &ttable, tindex, e) < 0)
		return -1;
	if (read_addrs(m, a_offsets, a_addrs, k, e) == 0 &&
	    read_names(m, a_names, ttable, tindex, k, e) == 0)
		ret = 0;
	free(ttable);
	return ret;
}

/* Cache layout: u32 num, u32 flags, u64 names_len; raw[num] (i64);
 * types (padded to 8); name_off[num] (u32, padded to 8); names. */
#define KC_ABS_PERCPU 1u

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

static void cache_store(struct vm_mem *m, const char *key, const struct ksyms *k)
{
	static const uint8_t zero[8];
	uint32_t hdr32[2] = { k->num, k->abs_percpu ? KC_ABS_PERCPU : 0 };
	uint64_t hdr[2];
	const void *parts[7];
	size_t lens[7];

	memcpy(&hdr[0], hdr32, 8);
	hdr[1] = k->names_len;
	parts[0] = hdr; lens[0] = sizeof(hdr);
	parts[1] = k->raw; lens[1] = (size_t)k->num * 8;
	parts[2] = k->types; lens[2] = k->num;
	parts[3] = zero; lens[3] = pad8(k->num) - k->num;
	parts[4] = k->name_off; lens[4] = (size_t)k->num * 4;
	parts[5] = zero; lens[5] = pad8((size_t)k->num * 4) - (size_t)k->num * 4;
	parts[6] = k->names; lens[6] = k->names_len;
	vm_cache_put(vm_mem_opts(m), "kallsyms", key, parts, lens, 7);
}

/* Point k's arrays into a cached blob, after checking every bound. */
static int cache_load(struct vm_mem *m, const char *key, struct ksyms *k)
{
	struct vm_cache_blob b;
	const uint8_t *p;
	uint32_t hdr32[2];
	uint64_t names_len;
	size_t need, i;

	if (vm_cache_get(vm_mem_opts(m), "kallsyms", key, &b) < 0)
		return -1;
	p = b.data;
	if (b.len < 16)
		goto bad;
	memcpy(hdr32, p, 8);
	memcpy(&names_len, p + 8, 8);
	if (hdr32[0] == 0 || hdr32[0] > KSYM_MAX_SYMS || names_len == 0 ||
	    names_len > UINT32_MAX)
		goto bad;
	need = 16 + (size_t)hdr32[0] * 8 + pad8(hdr32[0]) + pad8((size_t)hdr32[0] * 4) +
	       names_len;
	if (need != b.len)
		goto bad;
	k->num = hdr32[0];
	k->abs_percpu = hdr32[1] & KC_ABS_PERCPU;
	k->raw = (int64_t *)(uintptr_t)(p + 16);
	k->types = (char *)(uintptr_t)(p + 16 + (size_t)k->num * 8);
	k->name_off = (uint32_t *)(uintptr_t)(p + 16 + (size_t)k->num * 8 + pad8(k->num));
	k->names = (char *)(uintptr_t)(p + need - names_len);
	k->names_len = names_len;
	if (k->names[names_len - 1] != '\0')
		goto bad;
	for (i = 0; i < k->num; i++)
		if (k->name_off[i] >= names_len)
			goto bad;
	k->blob = b;
	return 0;
bad:
	vm_cache_release(&b);
	memset(k, 0, sizeof(*k));
	return -1;
}

static uint64_t ksym_addr(const struct ksyms *k, uint32_t i)
{
	int64_t off = k->raw[i];

	if (!k->base_relative)
		return (uint64_t)off;
	if (!k->abs_percpu)
		return k->relbase + (uint32_t)(int32_t)off;
	if (off >= 0)
		return (uint64_t)off;
	return k->relbase - 1 - (uint64_t)off;
}

int vm_symtab_load_kallsyms(struct vm_symtab *st, struct vm_mem *m,
			    struct vm_err *e)
{
	const struct vm_vmcoreinfo *vi = vm_mem_vmcoreinfo(m);
	const char *key = vi ? vm_vmci_get(vi, "BUILD-ID") : NULL;
	struct ksyms k = { 0 };
	uint64_t a_base = 0, a_offsets;
	uint32_t i;
	int ret = -1;

	k.base_relative = vm_vmci_symbol(vi, "kallsyms_offsets", &a_offsets) == 0 &&
			  vm_vmci_symbol(vi, "kallsyms_relative_base", &a_base) == 0;
	if (k.base_relative && vm_kread_u64(m, a_base, &k.relbase, e) < 0) {
		vm_err_prefix(e, "kallsyms_relative_base: ");
		return -1;
	}
	/* Only base-relative tables are position independent, so only they
	 * are cached. */
	if (!(k.base_relative && key && cache_load(m, key, &k) == 0)) {
		if (decode(m, &k, e) < 0)
			goto out;
		if (k.base_relative && key)
			cache_store(m, key, &k);
	}
	for (i = 0; i < k.num; i++)
		if (vm_symtab_add(st, ksym_addr(&k, i), 0, k.types[i],
				  k.names + k.name_off[i], NULL, e) < 0)
			goto out;
	vm_symtab_set_source(st, VM_SYMSRC_KALLSYMS);
	ret = 0;
out:
	ksyms_free(&k);
	return ret;
}
