// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's own symbol table (kernel/kallsyms.c), read out of the dump,
 * so a dump with no vmlinux and no System.map still gets names.
 *
 * Tables (found by kallsyms_find.c: through VMCOREINFO since v6.0, by
 * content before):
 *   kallsyms_num_syms     u32 count
 *   kallsyms_names        per symbol: a length byte, then that many token
 *                         numbers; since v6.1 (73bbb94466fd) a length with
 *                         the top bit set continues in a second byte (low 7
 *                         bits first).  Earlier kernels never set the top
 *                         bit (names were < 128 bytes), so one decoder fits.
 *   kallsyms_token_table  256 NUL-terminated strings, kallsyms_token_index
 *                         their u16 offsets.  The first character of the
 *                         expanded name is the nm type letter.
 *   addresses, in one of four encodings (kallsyms_impl.h enum ksym_enc):
 *     absolute kallsyms_addresses[] (before v4.6, and arches without
 *     KALLSYMS_BASE_RELATIVE); kallsyms_offsets[] relative to
 *     kallsyms_relative_base (v4.6+), with or without
 *     KALLSYMS_ABSOLUTE_PERCPU (x86_64 SMP until v6.15: off >= 0 is an
 *     absolute per-CPU offset, off < 0 means base - 1 - off); and since
 *     v7.0 (a081b5789255d "kallsyms: Get rid of kallsyms relative base")
 *     offsets relative to their own place, with no relative base at all.
 *   Neither VMCOREINFO nor the tables say which: every encoding the tables
 *   allow is tried on the symbols VMCOREINFO also names (SYMBOL(_stext),
 *   SYMBOL(init_uts_ns) ...), and the one that puts all of them where
 *   VMCOREINFO says wins.  None matching is an error, never a guess.
 *
 * Decoding means decompressing ~2 MB of dump pages and expanding 100k+
 * names, so the decoded names and raw offsets are cached on disk under
 * the kernel's BUILD-ID (../cache.h).  Offsets do not move with KASLR (the
 * base, or each offset's own place, does), and the encoding is checked
 * against this dump's VMCOREINFO on every load, cached or not.
 */
#include "symtab_impl.h"

#include "../cache.h"
#include "kallsyms_impl.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

#define KSYM_NAMES_CAP (256u << 20)     /* bytes of compressed names */
#define KSYM_NAME_MAX 512               /* KSYM_NAME_LEN is 512 since v6.1 */
#define NAMES_CHUNK 65536
#define KSYM_MAX_REFS 8                 /* VMCOREINFO symbols checked */

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

/* The decoded table: raw address words, types, names. */
struct ksyms {
	uint32_t num;
	struct ksym_addr_cand enc;  /* the verified encoding */
	uint64_t relbase;
	int64_t *raw;          /* s32 offset, or an absolute address */
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
	/* scripts/kallsyms.c starts from one token per character that occurs
	 * in a symbol, at that character's own number, and builds the others
	 * from pairs of tokens at numbers no character uses: a one-character
	 * token stands at its own number, and every character of every token
	 * has its own one-character token.  A damaged table breaks that. */
	for (i = 0; i < 256; i++) {
		const unsigned char *t = (const unsigned char *)ttable + tindex[i];

		if (t[0] && !t[1] && t[0] != i)
			goto bad;
		for (; *t; t++) {
			const char *c = ttable + tindex[*t];

			if ((unsigned char)c[0] != *t || c[1])
				goto bad;
		}
	}
	*ttable_out = ttable;
	return 0;
bad:
	vm_fail(e, VM_ECORRUPT, "kallsyms_token_table damaged: token %u (\"%.40s\") is not "
		"made of the table's own characters", i, ttable + tindex[i]);
	free(ttable);
	return -1;
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

/* The whole address table of the chosen encoding into k->raw. */
static int read_addrs(struct vm_mem *m, struct ksyms *k, struct vm_err *e)
{
	bool abs = k->enc.enc == KENC_ABSOLUTE;
	void *tab;
	uint32_t i;

	tab = vm_calloc(k->num, abs ? 8 : 4, e);
	if (!tab)
		return -1;
	if (vm_kread(m, k->enc.tab, tab, (size_t)k->num * (abs ? 8 : 4), e) < 0) {
		vm_err_prefix(e, abs ? "kallsyms_addresses: " : "kallsyms_offsets: ");
		free(tab);
		return -1;
	}
	for (i = 0; i < k->num; i++)
		k->raw[i] = abs ? (int64_t)vm_le64((const uint8_t *)tab + 8 * (size_t)i)
				: (int32_t)vm_le32((const uint8_t *)tab + 4 * (size_t)i);
	free(tab);
	return 0;
}

/* Names and types of every symbol (the addresses come later, once their
 * encoding is known). */
static int decode_names(struct vm_mem *m, const struct ksym_tables *t, struct ksyms *k,
			struct vm_err *e)
{
	uint16_t tindex[256];
	char *ttable = NULL;
	int ret = -1;

	k->num = t->num;
	k->raw = vm_calloc(k->num, sizeof(*k->raw), e);
	k->types = k->raw ? vm_calloc(k->num, 1, e) : NULL;
	k->name_off = k->types ? vm_calloc(k->num, sizeof(*k->name_off), e) : NULL;
	if (!k->name_off)
		return -1;
	if (read_tokens(m, t->ttable, t->tindex, &ttable, tindex, e) < 0)
		return -1;
	if (read_names(m, t->names, ttable, tindex, k, e) == 0)
		ret = 0;
	free(ttable);
	return ret;
}

/* Cache layout: u32 num, u32 flags, u64 names_len; raw[num] (i64);
 * types (padded to 8); name_off[num] (u32, padded to 8); names.  Only
 * offset tables are cached (raw = the s32 as read); absolute addresses
 * move with KASLR. */
static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

static void cache_store(struct vm_mem *m, const char *key, const struct ksyms *k)
{
	static const uint8_t zero[8];
	uint32_t hdr32[2] = { k->num, 0 };
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
	for (i = 0; i < k->num; i++)
		if (k->raw[i] < INT32_MIN || k->raw[i] > INT32_MAX)
			goto bad;
	k->blob = b;
	return 0;
bad:
	vm_cache_release(&b);
	memset(k, 0, sizeof(*k));
	return -1;
}

static uint64_t enc_addr(const struct ksym_addr_cand *c, uint64_t relbase, uint32_t i,
			 int64_t raw)
{
	switch (c->enc) {
	case KENC_ABSOLUTE:
		return (uint64_t)raw;
	case KENC_BASE_REL:
		return relbase + (uint32_t)(int32_t)raw;
	case KENC_ABS_PERCPU:
		return raw >= 0 ? (uint64_t)raw : relbase - 1 - (uint64_t)raw;
	case KENC_PLACE_REL:
		return c->tab + 4 * (uint64_t)i + (uint64_t)raw;
	}
	return 0;
}

static uint64_t ksym_addr(const struct ksyms *k, uint32_t i)
{
	return enc_addr(&k->enc, k->relbase, i, k->raw[i]);
}

static const char *enc_name(enum ksym_enc enc)
{
	switch (enc) {
	case KENC_ABSOLUTE: return "absolute";
	case KENC_BASE_REL: return "base-relative";
	case KENC_ABS_PERCPU: return "base-relative with absolute per-CPU";
	case KENC_PLACE_REL: return "place-relative";
	}
	return "?";
}

/* Symbols both VMCOREINFO and kallsyms name: what the encoding is
 * checked against.  _stext first (in every kallsyms, text-only too).
 * VMCOREINFO_SYMBOL_ARRAY() entries of pointer variables hold the
 * pointer's value, not the variable's address (mem_section with
 * SPARSEMEM_EXTREME, vmemmap): those are left out. */
struct kref {
	char name[64];
	uint64_t want;
	uint32_t idx[4];
	unsigned nidx;
};

static unsigned find_refs(const struct vm_vmcoreinfo *vi, const struct ksyms *k,
			  struct kref *r)
{
	uint64_t lenmask = 0;
	uint8_t first[256] = { 0 };
	const char *key, *val;
	unsigned n = 0, j;
	size_t i;

	for (i = 0; vi && n < KSYM_MAX_REFS && (key = vm_vmci_key_at(vi, i, &val)); i++) {
		size_t l = strlen(key);

		if (strncmp(key, "SYMBOL(", 7) || l < 9 || l - 8 >= sizeof(r->name) ||
		    key[l - 1] != ')')
			continue;
		memcpy(r[n].name, key + 7, l - 8);
		r[n].name[l - 8] = '\0';
		if (vm_vmci_symbol(vi, r[n].name, &r[n].want) < 0 ||
		    !strcmp(r[n].name, "mem_section") || !strcmp(r[n].name, "vmemmap"))
			continue;
		r[n].nidx = 0;
		if (!strcmp(r[n].name, "_stext") && n) {
			struct kref t = r[0];

			r[0] = r[n];
			r[n] = t;
		}
		n++;
	}
	for (j = 0; j < n; j++) {
		lenmask |= UINT64_C(1) << (strlen(r[j].name) & 63);
		first[(uint8_t)r[j].name[0]] = 1;
	}
	for (i = 0; i < k->num; i++) {
		const char *s = k->names + k->name_off[i];
		size_t l;

		if (!first[(uint8_t)s[0]])
			continue;
		l = i + 1 < k->num && k->name_off[i + 1] > k->name_off[i]
			    ? k->name_off[i + 1] - k->name_off[i] - 1 : strlen(s);
		if (!(lenmask & UINT64_C(1) << (l & 63)))
			continue;
		for (j = 0; j < n; j++)
			if (r[j].nidx < 4 && !strcmp(s, r[j].name))
				r[j].idx[r[j].nidx++] = (uint32_t)i;
	}
	/* keep the ones kallsyms has */
	for (i = j = 0; i < n; i++)
		if (r[i].nidx)
			r[j++] = r[i];
	return j;
}

/* The raw table word of symbol i under candidate c (from the cache's
 * copy when there is one: same table, same values). */
static int raw_word(struct vm_mem *m, const struct ksyms *k, bool cached,
		    const struct ksym_addr_cand *c, uint32_t i, int64_t *raw, struct vm_err *e)
{
	uint32_t v32;
	uint64_t v64;

	if (cached && c->enc != KENC_ABSOLUTE) {
		*raw = k->raw[i];
		return 0;
	}
	if (c->enc == KENC_ABSOLUTE) {
		if (vm_kread_u64(m, c->tab + 8 * (uint64_t)i, &v64, e) < 0)
			return -1;
		*raw = (int64_t)v64;
		return 0;
	}
	if (vm_kread_u32(m, c->tab + 4 * (uint64_t)i, &v32, e) < 0)
		return -1;
	*raw = (int32_t)v32;
	return 0;
}

/* Decide the encoding: the candidate under which _stext (when kallsyms
 * has it) and most of the other reference symbols decode to the
 * addresses VMCOREINFO gives; a wrong encoding or a wrong table place
 * decodes none of them.  0, or -1 with the reason. */
static int choose_enc(struct vm_mem *m, const struct vm_vmcoreinfo *vi,
		      const struct ksym_tables *t, struct ksyms *k, bool cached,
		      struct vm_err *e)
{
	struct kref r[KSYM_MAX_REFS];
	unsigned nr = find_refs(vi, k, r), c, j, x, best = 0, bestn = 0;
	uint64_t relbase[KSYM_MAX_CANDS] = { 0 }, got[KSYM_MAX_CANDS] = { 0 };
	char tried[600] = "";
	size_t tl = 0;

	if (!nr)
		return vm_fail(e, VM_ECORRUPT, "kallsyms: none of VMCOREINFO's SYMBOL()s "
			       "(_stext ...) is among the %u decoded names, so the address "
			       "encoding cannot be verified", k->num);
	for (c = 0; c < t->ncand; c++) {
		const struct ksym_addr_cand *cd = &t->cand[c];
		unsigned match = 0, miss = 0;
		struct vm_err re;

		if (cd->relbase_at && vm_kread_u64(m, cd->relbase_at, &relbase[c], &re) < 0)
			continue;
		for (j = 0; j < nr; j++) {
			bool hit = false;

			for (x = 0; x < r[j].nidx && !hit; x++) {
				int64_t raw;
				uint64_t a;

				if (raw_word(m, k, cached, cd, r[j].idx[x], &raw, &re) < 0)
					break;
				a = enc_addr(cd, relbase[c], r[j].idx[x], raw);
				if (j == 0 && x == 0)
					got[c] = a;
				hit = a == r[j].want;
			}
			if (hit)
				match++;
			else
				miss++;
		}
		if (match > miss && match > bestn &&
		    (strcmp(r[0].name, "_stext") || got[c] == r[0].want)) {
			best = c;
			bestn = match;
		}
	}
	if (bestn) {
		k->enc = t->cand[best];
		k->relbase = relbase[best];
		return 0;
	}
	for (c = 0; c < t->ncand && tl + 80 < sizeof(tried); c++)
		tl += (size_t)snprintf(tried + tl, sizeof(tried) - tl, "%s%s at %" PRIx64
				       " gives %" PRIx64, c ? "; " : "",
				       enc_name(t->cand[c].enc), t->cand[c].tab, got[c]);
	return vm_fail(e, VM_ECORRUPT, "kallsyms: no address encoding puts %s at "
		       "0x%" PRIx64 " as VMCOREINFO says (%s): tables corrupt or of an "
		       "unknown layout", r[0].name, r[0].want, tried);
}

/* Find the tables, decode the names (or take them from the cache) and
 * settle the encoding: 0, or -1. */
static int load(struct vm_mem *m, const struct vm_vmcoreinfo *vi, struct ksyms *k,
		struct vm_err *e)
{
	const char *key = vi ? vm_vmci_get(vi, "BUILD-ID") : NULL;
	struct ksym_tables t;
	struct vm_err ve;

	if (ksym_tables_from_vmcoreinfo(m, vi, &t, &ve) < 0) {
		if (ve.code != VM_ENOENT) {
			*e = ve;
			return -1;
		}
		if (ksym_tables_scan(m, vi, &t, e) < 0)
			return -1;
	}
	/* The cache holds names and raw offsets of this build; whether they
	 * still decode to this dump's VMCOREINFO is checked here as for a
	 * fresh decode, and a cache that fails is not believed. */
	if (key && cache_load(m, key, k) == 0) {
		if (k->num == t.num && choose_enc(m, vi, &t, k, true, &ve) == 0)
			return 0;
		ksyms_free(k);
	}
	if (decode_names(m, &t, k, e) < 0 || choose_enc(m, vi, &t, k, false, e) < 0 ||
	    read_addrs(m, k, e) < 0)
		return -1;
	if (key && k->enc.enc != KENC_ABSOLUTE)
		cache_store(m, key, k);
	return 0;
}

int vm_symtab_load_kallsyms(struct vm_symtab *st, struct vm_mem *m,
			    struct vm_err *e)
{
	const struct vm_vmcoreinfo *vi = vm_mem_vmcoreinfo(m);
	struct ksyms k = { 0 };
	uint32_t i;
	int ret = -1;

	if (load(m, vi, &k, e) < 0)
		goto out;
	/* scripts/kallsyms.c sorts the table by address, and the kernel's
	 * own lookups rely on it: an entry out of order is a damaged table */
	for (i = 1; i < k.num; i++)
		if (ksym_addr(&k, i) < ksym_addr(&k, i - 1)) {
			vm_fail(e, VM_ECORRUPT, "kallsyms address table damaged: symbol %u "
				"(%s) at 0x%" PRIx64 " is below its predecessor's 0x%" PRIx64,
				i, k.names + k.name_off[i], ksym_addr(&k, i), ksym_addr(&k, i - 1));
			goto out;
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
