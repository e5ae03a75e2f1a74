// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the kernel's kallsyms tables are in the dump.
 *
 * v6.0+ exports them in VMCOREINFO (5fd8fea935a1 "vmcoreinfo: include
 * kallsyms symbols", f09bddbd8661 "vmcoreinfo: add kallsyms_num_syms
 * symbol").  Older kernels do not, but the tables are in the image's
 * read-only data all the same, laid out by scripts/kallsyms.c:
 *
 *   before v6.4:  addresses/offsets | relative_base | num_syms | names |
 *                 markers | token_table | token_index
 *   v6.4+:        num_syms | names | markers | token_table | token_index |
 *                 offsets | relative_base | seqs_of_names  (404bad70fcf7)
 *
 * each label aligned to 8 (4 on recent kernels), num_syms and markers
 * 8-byte words before ~v5.x ("PTR"), 4-byte ones since.  The token table
 * is the anchor: every character that occurs in a symbol name is its own
 * one-character token, so the ten digits sit in it as "0\0" .. "9\0", and
 * kallsyms_token_index follows it with 256 increasing u16 offsets that
 * must land exactly on its strings.  From there the markers (increasing
 * offsets into the names, one per 256 symbols, the first 0) lead back to
 * the names and num_syms, and the layouts above give the candidate
 * places of the address table.  Nothing found here is trusted until the
 * caller has decoded it and checked symbols against VMCOREINFO.
 */
#include "kallsyms_impl.h"

#include "../rd.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_MAX (160u << 20)           /* bytes of image searched at most */
#define TOK_WIN 16384u                  /* token table within this of the digits */
#define MARK_WIN 65536u                 /* markers: 16k entries of 4 bytes */
#define ENTRY_MAX 600u                  /* bytes of one compressed name, generous */

static uint64_t le(const uint8_t *p, unsigned n)
{
	return n == 2 ? vm_le16(p) : n == 4 ? vm_le32(p) : vm_le64(p);
}

static int need_sym(const struct vm_vmcoreinfo *vi, const char *name, uint64_t *v,
		    struct vm_err *e)
{
	if (vm_vmci_symbol(vi, name, v) < 0)
		return vm_fail(e, VM_ENOENT, "VMCOREINFO has no SYMBOL(%s)", name);
	return 0;
}

int ksym_tables_from_vmcoreinfo(struct vm_mem *m, const struct vm_vmcoreinfo *vi,
				struct ksym_tables *t, struct vm_err *e)
{
	uint64_t off, rb, ad;

	memset(t, 0, sizeof(*t));
	if (!vi)
		return vm_fail(e, VM_ENOENT, "no VMCOREINFO");
	if (need_sym(vi, "kallsyms_names", &t->names, e) < 0 ||
	    need_sym(vi, "kallsyms_num_syms", &t->num_at, e) < 0 ||
	    need_sym(vi, "kallsyms_token_table", &t->ttable, e) < 0 ||
	    need_sym(vi, "kallsyms_token_index", &t->tindex, e) < 0)
		return -1;
	if (vm_vmci_symbol(vi, "kallsyms_offsets", &off) == 0) {
		if (vm_vmci_symbol(vi, "kallsyms_relative_base", &rb) == 0) {
			t->cand[t->ncand++] = (struct ksym_addr_cand){ KENC_BASE_REL, off, rb };
			t->cand[t->ncand++] = (struct ksym_addr_cand){ KENC_ABS_PERCPU, off, rb };
		} else {
			/* v7.0 dropped kallsyms_relative_base: offsets are
			 * relative to their own place */
			t->cand[t->ncand++] = (struct ksym_addr_cand){ KENC_PLACE_REL, off, 0 };
		}
	}
	if (vm_vmci_symbol(vi, "kallsyms_addresses", &ad) == 0)
		t->cand[t->ncand++] = (struct ksym_addr_cand){ KENC_ABSOLUTE, ad, 0 };
	if (!t->ncand)
		return vm_fail(e, VM_ECORRUPT, "VMCOREINFO names the kallsyms tables but "
			       "neither kallsyms_offsets nor kallsyms_addresses");
	if (vm_kread_u32(m, t->num_at, &t->num, e) < 0) {
		vm_err_prefix(e, "kallsyms_num_syms: ");
		return -1;
	}
	if (t->num == 0 || t->num > KSYM_MAX_SYMS)
		return vm_fail(e, VM_ECORRUPT, "kallsyms_num_syms at 0x%" PRIx64 " is %u",
			       t->num_at, t->num);
	return 0;
}

int ksym_check_tokens(const uint8_t *tt, size_t avail, const uint8_t tidx[512],
		      size_t *len)
{
	unsigned i;

	if (le(tidx, 2) != 0)
		return -1;
	for (i = 0; i < 256; i++) {
		size_t at = le(tidx + 2 * i, 2), end;

		if (at >= avail)
			return -1;
		end = i < 255 ? le(tidx + 2 * i + 2, 2) : avail;
		if (i < 255 && end <= at + 1)
			return -1;
		/* printable characters up to the NUL that ends at next - 1 */
		for (; at < end && tt[at]; at++)
			if (tt[at] < 0x20 || tt[at] > 0x7e)
				return -1;
		if (at >= avail || tt[at] != '\0' || (i < 255 && at + 1 != end))
			return -1;
		if (i == 255)
			*len = at + 1;
	}
	return 0;
}

/* Read [va, va + len) of which only some pages may be in the dump:
 * missing pages read as zero and are flagged in *holes. */
static int read_window(struct vm_mem *m, uint64_t va, uint8_t *buf, size_t len,
		       bool *holes)
{
	struct vm_err ig;
	size_t done = 0;
	int any = 0;

	*holes = false;
	while (done < len) {
		size_t n = 4096 - ((va + done) & 4095);

		if (n > len - done)
			n = len - done;
		if (vm_kread(m, va + done, buf + done, n, &ig) < 0) {
			memset(buf + done, 0, n);
			*holes = true;
		} else {
			any = 1;
		}
		done += n;
	}
	return any ? 0 : -1;
}

/* The token table and index around the digit tokens at va `digits`. */
static int find_tokens(struct vm_mem *m, uint64_t digits, struct ksym_tables *t)
{
	uint64_t lo = digits - TOK_WIN, x;
	size_t wlen = 2 * TOK_WIN + 512, tlen;
	uint8_t *w = malloc(wlen);
	bool holes;
	int ret = -1;

	if (!w || read_window(m, lo, w, wlen, &holes) < 0)
		goto out;
	/* token_index: 2-aligned, after the digits, 256 u16 from 0 */
	for (x = (digits + 21) & ~UINT64_C(1); x + 512 <= lo + wlen && x < digits + TOK_WIN; x += 2) {
		const uint8_t *ix = w + (x - lo);
		uint64_t tt;

		if (ix[0] || ix[1])
			continue;
		tt = digits - le(ix + 2 * '0', 2);
		if (tt < lo || tt >= x)
			continue;
		if (ksym_check_tokens(w + (tt - lo), (size_t)(x - tt), ix, &tlen) < 0 ||
		    x - (tt + tlen) >= 8)
			continue;
		t->ttable = tt;
		t->tindex = x;
		ret = 0;
		break;
	}
out:
	free(w);
	return ret;
}

/* kallsyms_markers, ending just before the token table: their address,
 * count and entry size (4 or 8); the values in *mk (malloc'd). */
static int find_markers(struct vm_mem *m, const struct ksym_tables *t, unsigned esz,
			uint64_t *at, uint32_t **mk, uint32_t *count)
{
	uint64_t lo = t->ttable > MARK_WIN ? t->ttable - MARK_WIN : 0, p;
	size_t wlen = (size_t)(t->ttable - lo);
	uint8_t *w = malloc(wlen);
	uint32_t n = 0, *v = NULL;
	uint64_t prev;
	bool holes;
	int ret = -1;

	if (!w || read_window(m, lo, w, wlen, &holes) < 0)
		goto out;
	p = t->ttable;
	/* alignment padding before the token table */
	if (esz == 4 && p - 4 >= lo && le(w + (p - 4 - lo), 4) == 0)
		p -= 4;
	if (p - esz < lo || (prev = le(w + (p - esz - lo), esz)) == 0)
		goto out;
	for (;;) {
		uint64_t q = p - (uint64_t)esz * (n + 1), val;

		if (q < lo)
			goto out;
		val = le(w + (q - lo), esz);
		if (n && val >= prev)
			goto out;
		if (val > UINT32_MAX)
			goto out;
		prev = val;
		n++;
		if (val == 0) {
			*at = q;
			break;
		}
	}
	if (n < 2)
		goto out;
	v = malloc((size_t)n * 4);
	if (!v)
		goto out;
	for (uint32_t i = 0; i < n; i++)
		v[i] = (uint32_t)le(w + (*at + (uint64_t)esz * i - lo), esz);
	*mk = v;
	*count = n;
	ret = 0;
out:
	free(w);
	return ret;
}

/* Walk `count` compressed names from va; the address after them, or 0. */
static uint64_t walk_names(struct vm_mem *m, uint64_t va, uint32_t count)
{
	uint8_t buf[8192];
	uint64_t base = 1;
	size_t have = 0;
	struct vm_err ig;

	while (count--) {
		unsigned len;

		if (base == 1 || va < base || va + 2 > base + have) {
			base = va & ~UINT64_C(4095);
			if (vm_kread(m, base, buf, 4096, &ig) < 0)
				return 0;
			have = vm_kread(m, base + 4096, buf + 4096, 4096, &ig) < 0 ? 4096 : 8192;
			if (va + 2 > base + have && va + 1 != base + have)
				return 0;
		}
		len = buf[va - base];
		if (len & 0x80) {
			if (va + 2 > base + have)
				return 0;
			len = (len & 0x7f) | (unsigned)buf[va - base + 1] << 7;
			va++;
		}
		if (len == 0)
			return 0;
		va += 1 + len;
	}
	return va;
}

/* The names and num_syms before the markers at mat. */
static int find_names(struct vm_mem *m, struct ksym_tables *t, uint64_t mat,
		      const uint32_t *mk, uint32_t nmk, unsigned esz)
{
	uint64_t last = mk[nmk - 1], hi = mat - last, lo = hi - 256u * ENTRY_MAX - 16;
	size_t wlen = (size_t)(hi - lo);
	uint8_t *w = malloc(wlen);
	bool holes;
	int ret = -1;

	if (mat < last + 256u * ENTRY_MAX + 16 || !w || read_window(m, lo, w, wlen, &holes) < 0)
		goto out;
	/* names start S in [lo + 8, hi]: num_syms just before it, 4 or 8
	 * bytes before (label alignment) */
	for (uint64_t s = hi & ~UINT64_C(3); s >= lo + 8; s -= 4) {
		for (unsigned back = esz; back <= 8; back += 4) {
			uint64_t num = le(w + (s - back - lo), 4), end;

			if (num <= 256ull * (nmk - 1) || num > 256ull * nmk ||
			    (back == 8 && le(w + (s - 4 - lo), 4)))
				continue;
			/* the last 256-block ends where the markers begin */
			end = walk_names(m, s + last, (uint32_t)(num - 256ull * (nmk - 1)));
			if (!end || end > mat || mat - end >= 8)
				continue;
			if (walk_names(m, s, 256) != s + mk[1])
				continue;
			t->names = s;
			t->num_at = s - back;
			t->num = (uint32_t)num;
			ret = 0;
			goto out;
		}
	}
out:
	free(w);
	return ret;
}

static void add_cand(struct ksym_tables *t, enum ksym_enc enc, uint64_t tab, uint64_t rb)
{
	for (unsigned i = 0; i < t->ncand; i++)
		if (t->cand[i].enc == enc && t->cand[i].tab == tab && t->cand[i].relbase_at == rb)
			return;
	if (t->ncand < KSYM_MAX_CANDS)
		t->cand[t->ncand++] = (struct ksym_addr_cand){ enc, tab, rb };
}

/* Where the address table may be, for each layout (see the top). */
static void addr_cands(struct ksym_tables *t)
{
	uint64_t n4 = 4ull * t->num, rb, o;

	/* before v6.4: offsets | relative_base | num_syms, 8-aligned labels */
	rb = (t->num_at - 8) & ~UINT64_C(7);
	add_cand(t, KENC_ABS_PERCPU, (rb - n4) & ~UINT64_C(7), rb);
	add_cand(t, KENC_BASE_REL, (rb - n4) & ~UINT64_C(7), rb);
	add_cand(t, KENC_ABSOLUTE, t->num_at - 8ull * t->num, 0);
	/* v6.4+: token_index | offsets | relative_base (or none, v7.0+) */
	for (unsigned al = 4; al <= 8; al += 4) {
		o = (t->tindex + 512 + al - 1) & ~(uint64_t)(al - 1);
		rb = (o + n4 + 7) & ~UINT64_C(7);
		add_cand(t, KENC_BASE_REL, o, rb);
		add_cand(t, KENC_ABS_PERCPU, o, rb);
		add_cand(t, KENC_PLACE_REL, o, 0);
	}
}

/* The kernel image part to search: from the lowest data symbol VMCOREINFO
 * names down to _stext (read-only data sits right below .data). */
static int scan_range(const struct vm_vmcoreinfo *vi, uint64_t *lo, uint64_t *hi,
		      struct vm_err *e)
{
	uint64_t stext, v, data = UINT64_MAX;
	const char *key, *val;
	size_t i;

	if (vm_vmci_symbol(vi, "_stext", &stext) < 0)
		return vm_fail(e, VM_ENOENT, "VMCOREINFO has neither the kallsyms symbols "
			       "(v6.0+) nor SYMBOL(_stext) to search the image from");
	for (i = 0; (key = vm_vmci_key_at(vi, i, &val)); i++) {
		char name[128];
		size_t l;

		if (strncmp(key, "SYMBOL(", 7) || (l = strlen(key)) < 9 || l - 8 >= sizeof(name))
			continue;
		memcpy(name, key + 7, l - 8);
		name[l - 8] = '\0';
		if (vm_vmci_symbol(vi, name, &v) == 0 && v > stext && v < data)
			data = v;
	}
	if (data == UINT64_MAX || data - stext > SCAN_MAX)
		data = stext + SCAN_MAX;
	*lo = stext;
	*hi = (data + 4095) & ~UINT64_C(4095);
	return 0;
}

int ksym_tables_scan(struct vm_mem *m, const struct vm_vmcoreinfo *vi,
		     struct ksym_tables *t, struct vm_err *e)
{
	static const char digits[] = "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9";
	uint8_t page[4096 + sizeof(digits)];
	uint64_t lo = 0, hi = 0, va;
	unsigned found = 0;

	memset(t, 0, sizeof(*t));
	if (!vi)
		return vm_fail(e, VM_ENOENT, "no VMCOREINFO");
	if (scan_range(vi, &lo, &hi, e) < 0)
		return -1;
	/* downwards, a page at a time; the bytes of the page above are kept
	 * so a match across the boundary is seen */
	memset(page + 4096, 0xff, sizeof(digits));
	for (va = hi - 4096; va >= lo && va < hi; va -= 4096) {
		struct vm_err ig;
		const uint8_t *p = page;
		size_t left = sizeof(page);

		if (vm_kread(m, va, page, 4096, &ig) < 0) {
			memset(page + 4096, 0xff, sizeof(digits));
			continue;
		}
		while ((p = memmem(p, left, digits, sizeof(digits))) && p < page + 4096) {
			uint64_t at = va + (uint64_t)(p - page);
			uint32_t *mk = NULL, nmk = 0;
			uint64_t mat;

			found++;
			if (find_tokens(m, at, t) == 0) {
				for (unsigned esz = 4; esz <= 8; esz += 4) {
					if (find_markers(m, t, esz, &mat, &mk, &nmk) < 0)
						continue;
					if (find_names(m, t, mat, mk, nmk, esz) == 0) {
						free(mk);
						addr_cands(t);
						t->scanned = true;
						return 0;
					}
					free(mk);
					mk = NULL;
				}
			}
			p++;
			left = sizeof(page) - (size_t)(p - page);
		}
		memcpy(page + 4096, page, sizeof(digits));
	}
	return vm_fail(e, VM_ENOENT, "VMCOREINFO does not export the kallsyms tables "
		       "(kernels before v6.0) and no token table was found in the image "
		       "between 0x%" PRIx64 " and 0x%" PRIx64 " (%u candidate%s)", lo, hi,
		       found, found == 1 ? "" : "s");
}
