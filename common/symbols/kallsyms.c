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
 * The tables are read out of the dump once, as bytes (read_inputs: the
 * names by their length bytes, without expanding them; every address table
 * a candidate encoding may use), and the symbol table is decoded from those
 * bytes alone.  So the decoded names are a function of exactly those bytes,
 * and they are cached on disk (../cache.h) keyed by them, with the symbol
 * table's address order and name hash: a second run on the same dump file
 * maps them without reading the tables, a dump of the same build finds them
 * after reading its own tables and comparing.  The encoding is checked
 * against this dump's VMCOREINFO on every load, cached or not, and the
 * addresses come from this dump's relative base (KASLR moves it).
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

/* The bytes decoding reads (all of them). */
struct ksyms_in {
	uint32_t hdr[2];          /* kallsyms_num_syms, number of tables */
	uint8_t tindex[512];      /* kallsyms_token_index */
	char *ttable;             /* kallsyms_token_table, ttable_len bytes (+ a NUL) */
	size_t ttable_len;
	uint8_t *names;           /* kallsyms_names, up to the end of the last name */
	size_t names_len;
	uint8_t *tab[KSYM_MAX_TABS];  /* address tables, NULL when unreadable */
	size_t tab_len[KSYM_MAX_TABS];
	struct vm_err tab_err[KSYM_MAX_TABS];
};

/* The distinct address tables the candidate encodings use, in candidate
 * order: (place, entry width). */
struct ksym_tabs {
	uint64_t va[KSYM_MAX_TABS];
	unsigned width[KSYM_MAX_TABS];
	unsigned n;
};

static void tabs_of(const struct ksym_tables *t, struct ksym_tabs *tb)
{
	unsigned c, j;

	tb->n = 0;
	for (c = 0; c < t->ncand; c++) {
		unsigned w = t->cand[c].enc == KENC_ABSOLUTE ? 8 : 4;

		for (j = 0; j < tb->n; j++)
			if (tb->va[j] == t->cand[c].tab && tb->width[j] == w)
				break;
		if (j == tb->n && tb->n < KSYM_MAX_TABS) {
			tb->va[tb->n] = t->cand[c].tab;
			tb->width[tb->n++] = w;
		}
	}
}

static void in_free(struct ksyms_in *in)
{
	unsigned i;

	free(in->ttable);
	free(in->names);
	for (i = 0; i < KSYM_MAX_TABS; i++)
		free(in->tab[i]);
	memset(in, 0, sizeof(*in));
}

/* Append to in->names from the dump until [0, need) is there, in chunks;
 * the last chunk may touch an unmapped page after the table, so it
 * shrinks to page-sized reads. */
static int names_more(struct vm_mem *m, uint64_t base, struct ksyms_in *in,
		      size_t *cap, size_t need, struct vm_err *e)
{
	struct vm_err ignore;
	size_t pos = in->names_len, want = NAMES_CHUNK;

	if (need > KSYM_NAMES_CAP)
		return vm_fail(e, VM_ECORRUPT,
			       "kallsyms_names longer than %u bytes", KSYM_NAMES_CAP);
	if (want < need - pos)
		want = need - pos;
	if (pos + want > *cap) {
		size_t nc = *cap ? *cap * 2 : 1u << 20;
		uint8_t *n;

		while (nc < pos + want)
			nc *= 2;
		n = vm_realloc_array(in->names, nc, 1, e);
		if (!n)
			return -1;
		vm_prefault(n, nc);
		in->names = n;
		*cap = nc;
	}
	while (vm_kread(m, base + pos, in->names + pos, want, &ignore) < 0) {
		size_t to_page = 4096 - ((base + pos) & 4095);

		if (want <= to_page || want <= need - pos) {
			want = need - pos;
			if (vm_kread(m, base + pos, in->names + pos, want, e) < 0) {
				vm_err_prefix(e, "kallsyms_names at offset %zu: ", pos);
				return -1;
			}
			break;
		}
		want = want / 2 > to_page ? want / 2 : to_page;
		if (want < need - pos)
			want = need - pos;
	}
	in->names_len = pos + want;
	return 0;
}

/* A name's length: ULEB128 of at most two bytes (since v6.1, "kallsyms:
 * support \"big\" kernel symbols"; one byte before).  0 with *pos past
 * it, or -1. */
static inline int name_len(const uint8_t *names, size_t *pos, size_t end, unsigned *len)
{
	const uint8_t *p = names + *pos, *q = p;
	uint64_t v;

	if (*pos < end && p[0] < 0x80) {   /* all but names of 128+ bytes */
		*len = p[0];
		++*pos;
		return 0;
	}
	if (vm_uleb128(&q, names + (end - *pos < 2 ? end : *pos + 2), &v) != 0)
		return -1;
	*pos += (size_t)(q - p);
	*len = (unsigned)v;
	return 0;
}

/* kallsyms_names up to the end of the num-th entry, by the length bytes:
 * each entry is a length and that many token numbers. */
static int read_names(struct vm_mem *m, uint64_t a_names, uint32_t num,
		      struct ksyms_in *in, struct vm_err *e)
{
	size_t cap = 0, pos = 0;
	unsigned len;
	uint32_t i;

	for (i = 0; i < num; i++) {
		/* the names already read, with one-byte lengths: in a tight loop */
		const uint8_t *b = in->names;
		const size_t end = in->names_len;

		for (; i < num && pos + 2 <= end && b[pos] < 0x80 && pos + 1 + b[pos] <= end; i++)
			pos += 1 + (size_t)b[pos];
		if (i == num)
			break;
		if (pos + 2 > in->names_len && names_more(m, a_names, in, &cap, pos + 2, e) < 0)
			return -1;
		if (name_len(in->names, &pos, in->names_len, &len) < 0)
			return vm_fail(e, VM_ECORRUPT, "kallsyms symbol %u: name length "
				       "%#x %#x is longer than two bytes", i, in->names[pos],
				       in->names[pos + 1]);
		if (pos + len > in->names_len &&
		    names_more(m, a_names, in, &cap, pos + len, e) < 0)
			return -1;
		pos += len;
	}
	/* what was read after the last entry is not the table's */
	in->names_len = pos;
	return 0;
}

static int read_inputs(struct vm_mem *m, const struct ksym_tables *t, struct ksyms_in *in,
		       struct vm_err *e)
{
	struct ksym_tabs tb;
	size_t max = 0;
	unsigned i;

	memset(in, 0, sizeof(*in));
	in->hdr[0] = t->num;
	if (vm_kread(m, t->tindex, in->tindex, sizeof(in->tindex), e) < 0) {
		vm_err_prefix(e, "kallsyms_token_index: ");
		return -1;
	}
	for (i = 0; i < 256; i++)
		if (vm_le16(in->tindex + 2 * i) > max)
			max = vm_le16(in->tindex + 2 * i);
	/* the last token starts at the highest index; tokens are short */
	in->ttable_len = max + 256;
	in->ttable = vm_malloc(in->ttable_len + 1, e);
	if (!in->ttable)
		goto fail;
	if (vm_kread(m, t->ttable, in->ttable, in->ttable_len, e) < 0) {
		vm_err_prefix(e, "kallsyms_token_table: ");
		goto fail;
	}
	in->ttable[in->ttable_len] = '\0';
	if (read_names(m, t->names, t->num, in, e) < 0)
		goto fail;
	/* every table an encoding may use: which one is known only once the
	 * names are (choose_enc) */
	tabs_of(t, &tb);
	in->hdr[1] = tb.n;
	for (i = 0; i < tb.n; i++) {
		in->tab_len[i] = (size_t)t->num * tb.width[i];
		in->tab[i] = vm_malloc(in->tab_len[i], &in->tab_err[i]);
		vm_prefault(in->tab[i], in->tab_len[i]);
		if (in->tab[i] && vm_kread(m, tb.va[i], in->tab[i], in->tab_len[i],
					   &in->tab_err[i]) < 0) {
			vm_err_prefix(&in->tab_err[i], tb.width[i] == 8 ? "kallsyms_addresses: "
					: "kallsyms_offsets: ");
			free(in->tab[i]);
			in->tab[i] = NULL;
		}
		if (!in->tab[i])
			in->tab_len[i] = 0;
	}
	return 0;
fail:
	in_free(in);
	return -1;
}

/* The decoded table: types, names, and the address tables' bytes (the
 * inputs', or a cache entry's). */
struct ksyms {
	uint32_t num;
	struct ksym_addr_cand enc;  /* the verified encoding */
	uint64_t relbase;
	struct ksym_tabs tb;        /* the tables ... */
	const uint8_t *tab[KSYM_MAX_TABS];   /* ... and their bytes (NULL: unread) */
	const uint8_t *raw;         /* the chosen encoding's table */
	char *types;
	uint32_t *name_off;
	char *names;           /* NUL-separated */
	size_t names_len, names_cap;
	uint8_t *tab_owned[KSYM_MAX_TABS];
	/* the symbol table's address order and name index (symbols.h
	 * vm_symtab_bulk): made by the decode (owned), or a cache entry's */
	const uint32_t *order;
	const uint32_t *hash;
	size_t hash_size;
	uint32_t *order_owned, *hash_owned;
};

static void ksyms_free(struct ksyms *k)
{
	unsigned i;

	free(k->types);
	free(k->name_off);
	free(k->names);
	free(k->order_owned);
	free(k->hash_owned);
	for (i = 0; i < KSYM_MAX_TABS; i++)
		free(k->tab_owned[i]);
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
		vm_prefault(n, cap);
		k->names = n;
		k->names_cap = cap;
	}
	return 0;
}

static int check_tokens(const struct ksyms_in *in, uint16_t tindex[256], struct vm_err *e)
{
	const char *ttable = in->ttable;
	unsigned i;

	for (i = 0; i < 256; i++)
		tindex[i] = vm_le16(in->tindex + 2 * i);
	for (i = 0; i < 256; i++)
		if (!memchr(ttable + tindex[i], '\0', in->ttable_len - tindex[i]))
			return vm_fail(e, VM_ECORRUPT, "kallsyms token %u at offset %u is "
				       "not terminated", i, tindex[i]);
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
	return 0;
bad:
	return vm_fail(e, VM_ECORRUPT, "kallsyms_token_table damaged: token %u (\"%.40s\") "
		       "is not made of the table's own characters", i, ttable + tindex[i]);
}

/* Every token's first TOK_MOVE characters, zero-filled: a token is
 * copied as one fixed-size move (and the rest of a longer one after it),
 * the output then moved on by its length; what the move wrote past the
 * token is overwritten by the next one, or lies past the name's end. */
#define TOK_MOVE 16
/* room past a name's end: the fixed-size moves, the hash's last word */
#define NAME_SLACK (TOK_MOVE + 8)

struct tokens {
	uint8_t head[256][TOK_MOVE];    /* token */
	uint8_t head1[256][TOK_MOVE];   /* the token without its first character */
	uint8_t len[256], len1[256];    /* their lengths (at most 255) */
	const char *text[256];          /* the whole token */
	char type[256];                 /* its first character, or '?' */
	size_t max;                     /* the longest */
};

static void tokens_init(const struct ksyms_in *in, const uint16_t tindex[256],
			struct tokens *tk)
{
	unsigned i;

	memset(tk->head, 0, sizeof(tk->head));
	memset(tk->head1, 0, sizeof(tk->head1));
	tk->max = 1;
	for (i = 0; i < 256; i++) {
		const char *t = in->ttable + tindex[i];
		size_t l = strlen(t);

		if (l > 255)
			l = 255;
		tk->text[i] = t;
		tk->type[i] = l ? t[0] : '?';
		memcpy(tk->head[i], t, l < TOK_MOVE ? l : TOK_MOVE);
		tk->len[i] = (uint8_t)l;
		if (l > 1)
			memcpy(tk->head1[i], t + 1, l - 1 < TOK_MOVE ? l - 1 : TOK_MOVE);
		tk->len1[i] = (uint8_t)(l ? l - 1 : 0);
		if (l > tk->max)
			tk->max = l;
	}
}

/* Token t at out, from head and len (or, skip = 1, from head1 and len1:
 * the token without its first character). */
static inline __attribute__((always_inline)) char *
copy_token(char *out, const struct tokens *tk, unsigned t, unsigned skip, bool long_tokens)
{
	size_t l = skip ? tk->len1[t] : tk->len[t];

	memcpy(out, skip ? tk->head1[t] : tk->head[t], TOK_MOVE);
	if (long_tokens && l > TOK_MOVE)
		memcpy(out + TOK_MOVE, tk->text[t] + skip + TOK_MOVE, l - TOK_MOVE);
	return out + l;
}

/* The tokens p[0, n) at out, the rest of a token longer than TOK_MOVE
 * only when the table has one (long_tokens); two a step: most tokens are
 * one or two characters, so the loop's own work counts.  Inlined into
 * one loop per kind of table. */
static inline __attribute__((always_inline)) char *
copy_tokens(char *out, const uint8_t *p, size_t n, const struct tokens *tk, bool long_tokens)
{
	const uint8_t *last = p + n - 1;

	for (; p < last; p += 2) {
		out = copy_token(out, tk, p[0], 0, long_tokens);
		out = copy_token(out, tk, p[1], 0, long_tokens);
	}
	if (p == last)
		out = copy_token(out, tk, p[0], 0, long_tokens);
	return out;
}

/* Expand every name into k, and hash it while it is in cache (h[i]); the
 * first character of the first token is the symbol's type letter. */
static int expand_names(const struct ksyms_in *in, const uint16_t tindex[256],
			struct ksyms *k, uint32_t *h, struct vm_err *e)
{
	struct tokens *tk = vm_malloc(sizeof(*tk), e);
	const uint8_t *names = in->names;
	const size_t names_len = in->names_len;
	const uint32_t num = k->num;
	/* the output in locals: stores through a char pointer could alias
	 * k's fields, which the compiler would then read again each time */
	char *buf = k->names, *types = k->types;
	uint32_t *name_off = k->name_off;
	size_t pos = 0, used = k->names_len, cap = k->names_cap, max;
	uint32_t i;

	if (!tk)
		return -1;
	tokens_init(in, tindex, tk);
	max = tk->max;
	for (i = 0; i < num; i++) {
		const uint8_t *p, *pe;
		unsigned len, t;
		size_t nl;
		char *out;

		/* read_names() read exactly this far */
		if (name_len(names, &pos, names_len, &len) < 0) {
			vm_fail(e, VM_ECORRUPT, "kallsyms symbol %u: name length longer than "
				"two bytes", i);
			goto fail;
		}
		if (len == 0) {
			vm_fail(e, VM_ECORRUPT, "kallsyms symbol %u has an empty name", i);
			goto fail;
		}
		if (len > names_len - pos) {
			vm_fail(e, VM_ECORRUPT, "kallsyms symbol %u runs past the names", i);
			goto fail;
		}
		p = names + pos;
		pe = p + len;
		pos += len;
		/* room for the worst case; the name ends where it ends */
		if (used + (size_t)len * max + NAME_SLACK + 1 > cap) {
			k->names_len = used;
			if (names_reserve(k, (size_t)len * max + NAME_SLACK, e) < 0)
				goto fail;
			buf = k->names;
			cap = k->names_cap;
		}
		out = buf + used;
		t = *p++;
		types[i] = tk->type[t];
		out = copy_token(out, tk, t, 1, true);
		if (max <= TOK_MOVE)
			out = copy_tokens(out, p, (size_t)(pe - p), tk, false);
		else
			out = copy_tokens(out, p, (size_t)(pe - p), tk, true);
		/* tokens hold no NUL: the name is all that was written; eight
		 * zero bytes after it end it and pad its hash's last word */
		nl = (size_t)(out - (buf + used));
		if (nl > KSYM_NAME_MAX)
			nl = KSYM_NAME_MAX;
		memset(buf + used + nl, 0, 8);
		h[i] = vm_symname_hash_zpad(buf + used, nl);
		name_off[i] = (uint32_t)used;
		used += nl + 1;
		if (used > UINT32_MAX) {
			vm_fail(e, VM_ECORRUPT, "kallsyms names exceed 4 GiB");
			goto fail;
		}
	}
	k->names_len = used;
	free(tk);
	return 0;
fail:
	k->names_len = used;
	free(tk);
	return -1;
}

/* Names and types of every symbol from the bytes (the addresses come
 * later, once their encoding is known). */
static int decode_names(const struct ksyms_in *in, struct ksyms *k, struct vm_err *e)
{
	uint16_t tindex[256];
	uint32_t *h;
	int r = -1;

	k->num = in->hdr[0];
	k->types = vm_malloc(k->num ? k->num : 1, e);
	k->name_off = k->types ? vm_calloc(k->num, sizeof(*k->name_off), e) : NULL;
	h = k->name_off ? vm_malloc(((size_t)k->num + 1) * sizeof(*h), e) : NULL;
	if (!h)
		return -1;
	/* the name index is made here, from the hashes taken while expanding:
	 * find_refs() looks the reference symbols up in it, and the table
	 * takes it whole */
	if (check_tokens(in, tindex, e) == 0 && expand_names(in, tindex, k, h, e) == 0 &&
	    vm_symtab_hash_build(h, k->num, &k->hash_owned, &k->hash_size, e) == 0) {
		k->hash = k->hash_owned;
		r = 0;
	}
	free(h);
	return r;
}

static inline __attribute__((always_inline)) uint64_t
enc_addr(const struct ksym_addr_cand *c, uint64_t relbase, uint32_t i, int64_t raw)
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
	if (k->hash) {
		/* a cached table has its name hash: the same first four of each */
		struct vm_symtab_bulk b = { 0 };
		size_t c;

		b.n = k->num;
		b.names = k->names;
		b.names_len = k->names_len;
		b.name_off = k->name_off;
		b.hash = k->hash;
		b.hash_size = k->hash_size;
		for (j = 0; j < n; j++) {
			c = vm_symtab_bulk_named(&b, r[j].name, r[j].idx, 4);
			if (c == SIZE_MAX)
				break;
			r[j].nidx = c < 4 ? (unsigned)c : 4;
		}
		if (j == n)
			goto keep;
		for (j = 0; j < n; j++)
			r[j].nidx = 0;
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
keep:
	/* keep the ones kallsyms has */
	for (i = j = 0; i < n; i++)
		if (r[i].nidx)
			r[j++] = r[i];
	return j;
}

/* The raw table word of symbol i under candidate c, from the bytes of
 * its table; -1 when that table could not be read. */
static int raw_word(const struct ksyms *k, const struct ksym_addr_cand *c, uint32_t i,
		    int64_t *raw)
{
	unsigned w = c->enc == KENC_ABSOLUTE ? 8 : 4, j;

	for (j = 0; j < k->tb.n; j++)
		if (k->tb.va[j] == c->tab && k->tb.width[j] == w)
			break;
	if (j == k->tb.n || !k->tab[j] || i >= k->num)
		return -1;
	*raw = w == 8 ? (int64_t)vm_le64(k->tab[j] + 8 * (size_t)i)
		      : (int32_t)vm_le32(k->tab[j] + 4 * (size_t)i);
	return 0;
}

/* Symbol i's address from the bytes of its table (at tab_va) in
 * encoding enc (k->enc.enc, or a constant where a loop is made for each
 * encoding). */
static inline __attribute__((always_inline)) uint64_t
addr_in(const uint8_t *tab, uint64_t tab_va, uint64_t relbase, uint32_t i,
	enum ksym_enc enc)
{
	struct ksym_addr_cand c = { enc, tab_va, 0 };
	int64_t raw = enc == KENC_ABSOLUTE ? (int64_t)vm_le64(tab + 8 * (size_t)i)
					   : (int32_t)vm_le32(tab + 4 * (size_t)i);

	return enc_addr(&c, relbase, i, raw);
}

static uint64_t ksym_addr(const struct ksyms *k, uint32_t i)
{
	return addr_in(k->raw, k->enc.tab, k->relbase, i, k->enc.enc);
}

static uint64_t ksym_addr_at(const void *ctx, size_t i)
{
	return ksym_addr(ctx, (uint32_t)i);
}

/* Decide the encoding: the candidate under which _stext (when kallsyms
 * has it) and most of the other reference symbols decode to the
 * addresses VMCOREINFO gives; a wrong encoding or a wrong table place
 * decodes none of them.  0, or -1 with the reason. */
static int choose_enc(struct vm_mem *m, const struct vm_vmcoreinfo *vi,
		      const struct ksym_tables *t, struct ksyms *k, struct vm_err *e)
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

				if (raw_word(k, cd, r[j].idx[x], &raw) < 0)
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
		unsigned w = t->cand[best].enc == KENC_ABSOLUTE ? 8 : 4;

		k->enc = t->cand[best];
		k->relbase = relbase[best];
		for (j = 0; j < k->tb.n; j++)
			if (k->tb.va[j] == k->enc.tab && k->tb.width[j] == w)
				k->raw = k->tab[j];
		if (!k->raw)
			return vm_fail(e, VM_EIO, "kallsyms: the %s table at 0x%" PRIx64
				       " was not read", enc_name(k->enc.enc), k->enc.tab);
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

/* ---- the cache ----
 * Inputs: hdr, tindex, ttable, names, the address tables (struct
 * ksyms_in).  Derived: struct kc_hdr; types[num] (padded to 8);
 * name_off[num]; order[num]; hash[hash_size] (u32 each, padded to 8);
 * names.  order and hash are the symbol table's (symbols.h
 * vm_symtab_bulk), made by the decode: the hash depends on the names
 * only, the order is checked against this dump's addresses when taken. */
#define KC_KIND "kallsyms"
#define KC_VERSION (2u << 16 | VM_SYMTAB_INDEX_VERSION)
#define KC_ALIAS "kallsyms_stored"

struct kc_hdr {
	uint32_t num, ntab;
	uint64_t names_len;
	uint64_t hash_size;
};

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

static size_t in_parts(const struct ksyms_in *in, struct vm_cache_part *p)
{
	size_t n = 0;
	unsigned i;

	p[n++] = (struct vm_cache_part){ in->hdr, sizeof(in->hdr) };
	p[n++] = (struct vm_cache_part){ in->tindex, sizeof(in->tindex) };
	p[n++] = (struct vm_cache_part){ in->ttable, in->ttable_len };
	p[n++] = (struct vm_cache_part){ in->names, in->names_len };
	for (i = 0; i < in->hdr[1]; i++)
		p[n++] = (struct vm_cache_part){ in->tab[i], in->tab_len[i] };
	return n;
}

static int cache_store(const struct vm_opts *o, const struct ksyms_in *in,
		       const struct ksyms *k, struct vm_cache_sess *cs,
		       struct vm_cache_ref *ref)
{
	static const uint8_t zero[8];
	struct vm_cache_part ip[4 + KSYM_MAX_TABS], dp[8];
	const uint32_t *order = k->order, *hash = k->hash;
	struct kc_hdr h = { k->num, in->hdr[1], k->names_len, k->hash_size };
	size_t hs = k->hash_size, words;
	unsigned i;

	/* an unread table would stand for bytes nobody compared */
	for (i = 0; i < in->hdr[1]; i++)
		if (!in->tab[i])
			return -1;
	if (!order || !hash)
		return -1;
	words = (size_t)k->num * 2 + hs;
	dp[0] = (struct vm_cache_part){ &h, sizeof(h) };
	dp[1] = (struct vm_cache_part){ k->types, k->num };
	dp[2] = (struct vm_cache_part){ zero, pad8(k->num) - k->num };
	dp[3] = (struct vm_cache_part){ k->name_off, (size_t)k->num * 4 };
	dp[4] = (struct vm_cache_part){ order, (size_t)k->num * 4 };
	dp[5] = (struct vm_cache_part){ hash, hs * 4 };
	dp[6] = (struct vm_cache_part){ zero, pad8(words * 4) - words * 4 };
	dp[7] = (struct vm_cache_part){ k->names, k->names_len };
	if (vm_cache_store(o, KC_KIND, KC_VERSION, ip, in_parts(in, ip), dp, 8, ref) < 0)
		return -1;
	vm_cache_sess_put(cs, ref);
	return 0;
}

/* Name the entry ref by the stored form of the tables, if everything read
 * for it lay in the span the stored form covers (kallsyms_span.c). */
static void alias_store(const struct vm_opts *o, const struct ksym_tables *t,
			const struct ksyms_in *in, const struct vm_cache_stream *stored,
			const struct vm_cache_ref *ref)
{
	const struct ksym_stored *ks;

	if (!stored)
		return;
	ks = stored->ctx;
	if (t->names + in->names_len > ks->hi || t->ttable + in->ttable_len > ks->hi)
		return;
	vm_cache_alias_store(o, KC_ALIAS, stored, ref);
}

/* What a table made from a cache entry keeps alive. */
struct kc_keep {
	struct vm_cache_entry ent;
	struct ksyms k;
};

static void kc_release(void *p)
{
	struct kc_keep *kk = p;

	vm_cache_entry_release(&kk->ent);
	free(kk);
}

/* The decoded names and the index from a cache entry, every length
 * checked: 0 (the arrays point into the entry), or -1. */
static int cache_names(struct kc_keep *kk, const struct ksym_tables *t,
		       const uint32_t **order, const uint32_t **hash, size_t *hs)
{
	const struct vm_cache_entry *ent = &kk->ent;
	const uint8_t *d = ent->der;
	struct ksyms *k = &kk->k;
	struct kc_hdr h;
	uint32_t hdr[2];
	size_t off;
	unsigned i;

	tabs_of(t, &k->tb);
	if (ent->nin != 4 + k->tb.n || ent->in_len[0] != sizeof(hdr) ||
	    ent->der_len < sizeof(h))
		return -1;
	memcpy(hdr, ent->in[0], sizeof(hdr));
	memcpy(&h, d, sizeof(h));
	if (hdr[0] != t->num || hdr[1] != k->tb.n || h.num != t->num || h.ntab != k->tb.n ||
	    h.names_len == 0 || h.names_len > UINT32_MAX || h.hash_size > (size_t)4 * h.num + 4096)
		return -1;
	for (i = 0; i < k->tb.n; i++) {
		/* an empty part: that table could not be read when stored */
		if (ent->in_len[4 + i] != (size_t)h.num * k->tb.width[i])
			return -1;
		k->tab[i] = ent->in[4 + i];
	}
	*hs = (size_t)h.hash_size;
	off = sizeof(h) + pad8(h.num) + pad8(((size_t)h.num * 2 + *hs) * 4);
	if (off + h.names_len != ent->der_len)
		return -1;
	k->num = h.num;
	k->types = (char *)(uintptr_t)(d + sizeof(h));
	k->name_off = (uint32_t *)(uintptr_t)(d + sizeof(h) + pad8(h.num));
	*order = k->name_off + h.num;
	*hash = *hs ? *order + h.num : NULL;
	k->order = *order;
	k->hash = *hash;
	k->hash_size = *hs;
	k->names = (char *)(uintptr_t)(d + off);
	k->names_len = h.names_len;
	if (k->names[h.names_len - 1] != '\0')
		return -1;
	for (i = 0; i < k->num; i++)
		if (k->name_off[i] >= k->names_len)
			return -1;
	return 0;
}

/* scripts/kallsyms.c sorts the table by address, and the kernel's own
 * lookups rely on it: an entry out of order is a damaged table.  The
 * symbol table's address order (symbols.h: ties by name) is made on the
 * way into order[num]: the identity but for aliases.  Inlined into one
 * loop per encoding. */
static inline __attribute__((always_inline)) int
check_order_in(const struct ksyms *k, uint32_t *order, enum ksym_enc enc, struct vm_err *e)
{
	/* in locals: the stores to order could alias k's fields */
	const uint32_t num = k->num;
	const uint8_t *tab = k->raw;
	const uint64_t tab_va = k->enc.tab, relbase = k->relbase;
	uint64_t prev, a;
	uint32_t i, j;

	if (!num)
		return 0;
	order[0] = 0;
	prev = addr_in(tab, tab_va, relbase, 0, enc);
	for (i = 1; i < num; i++, prev = a) {
		a = addr_in(tab, tab_va, relbase, i, enc);
		order[i] = i;
		if (__builtin_expect(a > prev, 1))
			continue;
		if (a < prev)
			return vm_fail(e, VM_ECORRUPT, "kallsyms address table damaged: "
				       "symbol %u (%s) at 0x%" PRIx64 " is below its "
				       "predecessor's 0x%" PRIx64, i,
				       k->names + k->name_off[i], a, prev);
		/* aliases: symbols i - 1 .. j - 1 share an address */
		for (j = i + 1; j < num && addr_in(tab, tab_va, relbase, j, enc) == a; j++)
			order[j] = j;
		vm_symtab_order_ties(k->names, k->name_off, order + i - 1, j - i + 1);
		i = j - 1;
	}
	return 0;
}

static int check_order(const struct ksyms *k, uint32_t *order, struct vm_err *e)
{
	switch (k->enc.enc) {
	case KENC_ABSOLUTE:
		return check_order_in(k, order, KENC_ABSOLUTE, e);
	case KENC_BASE_REL:
		return check_order_in(k, order, KENC_BASE_REL, e);
	case KENC_ABS_PERCPU:
		return check_order_in(k, order, KENC_ABS_PERCPU, e);
	case KENC_PLACE_REL:
		return check_order_in(k, order, KENC_PLACE_REL, e);
	}
	return vm_fail(e, VM_EINVAL, "kallsyms: no address encoding chosen");
}

static void fill_bulk(struct ksyms *k, struct vm_symtab_bulk *b)
{
	memset(b, 0, sizeof(*b));
	b->n = k->num;
	b->addr = ksym_addr_at;
	b->ctx = k;
	b->types = k->types;
	b->names = k->names;
	b->names_len = k->names_len;
	b->name_off = k->name_off;
	b->order = k->order;
	b->hash = k->hash;
	b->hash_size = k->hash_size;
}

/* The symbols from the entry in kk, its encoding checked as for a fresh
 * decode: 0 and st owns kk, or -1 (the entry released, kk the caller's). */
static int from_entry(struct kc_keep *kk, struct vm_mem *m, const struct vm_vmcoreinfo *vi,
		      const struct ksym_tables *t, struct vm_symtab *st,
		      struct vm_cache_sess *cs)
{
	struct vm_cache_ref r = kk->ent.ref;
	struct vm_symtab_bulk b;
	const uint32_t *order, *hash;
	struct vm_err ignore;
	uint32_t *mine;
	size_t hs;
	bool same;

	/* the encoding depends on this dump's VMCOREINFO too: chosen again;
	 * the order of the addresses only on the bytes, which a run that
	 * recorded this entry (accepted_before) found in order */
	if (cache_names(kk, t, &order, &hash, &hs) < 0 ||
	    choose_enc(m, vi, t, &kk->k, &ignore) < 0)
		goto bad;
	if (!kk->ent.accepted_before) {
		/* else checked here: the order this decode would make, which
		 * the entry's must be (cheaper than the table's own check of
		 * a foreign order) */
		mine = malloc(((size_t)kk->k.num + 1) * sizeof(*mine));
		same = mine && check_order(&kk->k, mine, &ignore) == 0 &&
		       !memcmp(mine, order, (size_t)kk->k.num * sizeof(*mine));
		free(mine);
		if (!same)
			goto bad;
	}
	fill_bulk(&kk->k, &b);
	b.order_checked = true;
	b.keep = kk;
	b.release = kc_release;
	if (vm_symtab_add_bulk(st, &b, &ignore) < 0)
		goto bad;
	vm_cache_sess_put(cs, &r);
	return 0;
bad:
	vm_cache_entry_release(&kk->ent);
	memset(&kk->k, 0, sizeof(kk->k));
	return -1;
}

/* The decoded table lives on with the symbols. */
static void decoded_release(void *p)
{
	struct ksyms *k = p;

	ksyms_free(k);
	free(k);
}

static int load_held(struct vm_symtab *st, struct vm_mem *m, struct vm_cache_sess *cs,
		     bool use_cache, struct vm_err *e);

static int load(struct vm_symtab *st, struct vm_mem *m, struct vm_cache_sess *cs,
		bool use_cache, struct vm_err *e)
{
	int r;

	/* the pages read to find and decode the tables are in the entry:
	 * not kept again in the dump file's page store */
	vm_dump_page_keep_hold(vm_mem_dump(m), true);
	r = load_held(st, m, cs, use_cache, e);
	vm_dump_page_keep_hold(vm_mem_dump(m), false);
	return r;
}

static int load_held(struct vm_symtab *st, struct vm_mem *m, struct vm_cache_sess *cs,
		     bool use_cache, struct vm_err *e)
{
	const struct vm_vmcoreinfo *vi = vm_mem_vmcoreinfo(m);
	const struct vm_opts *o = vm_mem_opts(m);
	const struct vm_cache_ref *ref = vm_cache_sess_get(cs, KC_KIND);
	struct vm_cache_part ip[4 + KSYM_MAX_TABS];
	struct kc_keep *kk = NULL;
	struct ksym_stored ks;
	struct vm_cache_stream stream, *stored = NULL;
	struct ksym_tabs tb;
	struct vm_symtab_bulk b;
	struct ksym_tables t;
	struct ksyms_in in;
	struct ksyms *k;
	struct vm_err ve;
	unsigned i;

	if (ksym_tables_from_vmcoreinfo(m, vi, &t, &ve) < 0) {
		if (ve.code != VM_ENOENT) {
			*e = ve;
			return -1;
		}
		if (ksym_tables_scan(m, vi, &t, e) < 0)
			return -1;
	}
	use_cache = use_cache && vm_cache_enabled(o);
	if (use_cache)
		kk = calloc(1, sizeof(*kk));
	/* 1. this dump file was read before: its entry, without the tables */
	if (kk && ref && vm_cache_open_ref(o, ref, &kk->ent) == 0 &&
	    from_entry(kk, m, vi, &t, st, cs) == 0)
		goto done;
	/* 2. a dump storing the same bytes for the tables (another dump of
	 * the build, compressed alike): its entry, without decompressing */
	tabs_of(&t, &tb);
	if (kk && vm_dump_has_stored_form(vm_mem_dump(m)) &&
	    ksym_stored_init(&ks, m, &t, tb.va, tb.width, tb.n, &stream) == 0)
		stored = &stream;
	if (stored && vm_cache_alias_open(o, KC_ALIAS, stored, &kk->ent) == 0) {
		struct vm_cache_ref r = kk->ent.ref;
		bool verified_now = !kk->ent.accepted_before;

		if (from_entry(kk, m, vi, &t, st, cs) == 0) {
			/* the entry's checksums were computed: say when, so the
			 * next dump like this one need not */
			if (verified_now)
				vm_cache_alias_store(o, KC_ALIAS, stored, &r);
			goto done;
		}
	}
	if (read_inputs(m, &t, &in, e) < 0) {
		free(kk);
		return -1;
	}
	/* 3. the entry made from the same bytes (another dump of the build) */
	if (kk && vm_cache_lookup(o, KC_KIND, KC_VERSION, ip, in_parts(&in, ip), &kk->ent) == 0) {
		struct vm_cache_ref r = kk->ent.ref;

		if (from_entry(kk, m, vi, &t, st, cs) == 0) {
			alias_store(o, &t, &in, stored, &r);
			in_free(&in);
			goto done;
		}
	}
	free(kk);
	/* 4. decode them */
	k = vm_calloc(1, sizeof(*k), e);
	if (!k)
		goto fail_in;
	tabs_of(&t, &k->tb);
	for (i = 0; i < k->tb.n; i++) {
		k->tab[i] = k->tab_owned[i] = in.tab[i];
		in.tab[i] = NULL;
	}
	if (decode_names(&in, k, e) < 0)
		goto fail_k;
	if (choose_enc(m, vi, &t, k, e) < 0) {
		/* an address table that could not be read says more */
		for (i = 0; i < k->tb.n; i++)
			if (!k->tab[i] && in.tab_err[i].code) {
				*e = in.tab_err[i];
				break;
			}
		goto fail_k;
	}
	k->order_owned = vm_malloc(((size_t)k->num + 1) * sizeof(*k->order_owned), e);
	if (!k->order_owned || check_order(k, k->order_owned, e) < 0)
		goto fail_k;
	k->order = k->order_owned;
	fill_bulk(k, &b);
	b.order_checked = true;    /* made from the addresses just checked */
	b.keep = k;
	b.release = decoded_release;
	if (vm_symtab_add_bulk(st, &b, e) < 0)
		goto fail_k;
	if (use_cache) {
		struct vm_cache_ref r;

		/* the tables are the entry's inputs too: lend them back */
		for (i = 0; i < k->tb.n; i++)
			in.tab[i] = (uint8_t *)(uintptr_t)k->tab[i];
		if (cache_store(o, &in, k, cs, &r) == 0)
			alias_store(o, &t, &in, stored, &r);
		for (i = 0; i < k->tb.n; i++)
			in.tab[i] = NULL;
	}
	in_free(&in);
done:
	vm_symtab_set_source(st, VM_SYMSRC_KALLSYMS);
	return 0;
fail_k:
	decoded_release(k);
fail_in:
	in_free(&in);
	return -1;
}

int vm_symtab_load_kallsyms(struct vm_symtab *st, struct vm_mem *m,
			    struct vm_err *e)
{
	return load(st, m, NULL, false, e);
}

int vm_symtab_load_kallsyms_cached(struct vm_symtab *st, struct vm_mem *m,
				   struct vm_cache_sess *cs, struct vm_err *e)
{
	return load(st, m, cs, true, e);
}
