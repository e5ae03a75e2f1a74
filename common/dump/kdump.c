// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump-compressed ("diskdump") dumps as makedumpfile and QEMU write them,
 * alone or as one part of a `makedumpfile --split` set (split.c).
 *
 * Layout, in blocks of header.block_size bytes:
 *   block 0           struct disk_dump_header ("KDUMP   ")
 *   block 1..         struct kdump_sub_header (sub_hdr_size blocks)
 *   then              bitmap_blocks blocks: 1st bitmap (pages the machine
 *                     had) in the first half, 2nd bitmap (pages dumped) in
 *                     the second; bit (pfn % 8) of byte pfn / 8
 *   then              one 24-byte page descriptor per page set in the 2nd
 *                     bitmap, in pfn order, then the page data
 * A part of a split set (sub-header split = 1, header_version >= 2) has
 * the same headers and the same two bitmaps (of the whole machine) as
 * every other part; its descriptors and data cover only its own pfn range
 * [start_pfn, end_pfn), the first one being that of the first dumped page
 * at or after start_pfn (makedumpfile.c write_kdump_pages_and_bitmap_cyclic,
 * libkdumpfile tests/mkdiskdump.c start_pdidx).
 *
 * Header fields are in the writer's byte order and C layout; we read the
 * LP64 little-endian layout (x86_64, arm64, ppc64le, riscv64 ...) and name
 * the big-endian (s390x, ppc64) and 32-bit (i386, arm) ones we refuse.
 */
#include "dump_impl.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

#define KDUMP_SIG "KDUMP   "
#define DH_SIZE VM_KDUMP_DH_SIZE
#define SH_SIZE VM_KDUMP_SH_SIZE

/* struct disk_dump_header, LP64 */
#define DH_VERSION 8
#define DH_UTSNAME 12          /* struct new_utsname: 6 x 65 chars */
#define DH_MACHINE (DH_UTSNAME + 4 * 65)
#define DH_TV_SEC 408          /* struct timeval, 8-aligned after utsname */
#define DH_STATUS 424
#define DH_BLOCK_SIZE 428
#define DH_SUB_HDR_SIZE 432
#define DH_BITMAP_BLOCKS 436
#define DH_MAX_MAPNR 440
#define DH_NR_CPUS 460
/* The 32-bit writers' layout (ILP32: 4-byte timeval after 2 bytes of
 * padding): libkdumpfile diskdump.c struct disk_dump_header_32. */
#define DH32_BLOCK_SIZE 416
#define DH32_BITMAP_BLOCKS 424
#define DH32_MAX_MAPNR 428

/* struct kdump_sub_header, LP64; fields appear with header_version */
#define SH_PHYS_BASE 0
#define SH_DUMP_LEVEL 8
#define SH_SPLIT 12            /* v2+ */
#define SH_START_PFN 16        /* v2+, unsigned long */
#define SH_END_PFN 24
#define SH_OFF_VMCOREINFO 32   /* v3+ */
#define SH_SIZE_VMCOREINFO 40
#define SH_OFF_NOTE 48         /* v4+ */
#define SH_SIZE_NOTE 56
#define SH_START_PFN_64 80     /* v6+ (makedumpfile 1.5.4) */
#define SH_END_PFN_64 88
#define SH_MAX_MAPNR_64 96

/* disk_dump_header.status */
#define DH_ZLIB 0x1
#define DH_LZO 0x2
#define DH_SNAPPY 0x4
#define DH_INCOMPLETE 0x8
#define DH_ZSTD 0x20

/* page_desc.flags */
#define PD_ZLIB 0x1
#define PD_LZO 0x2
#define PD_SNAPPY 0x4
#define PD_ZSTD 0x20

#define PD_SIZE 24             /* { int64 offset; u32 size; u32 flags;
				    u64 page_flags } */
#define CHUNK_WORDS 8          /* rank prefix sum every 512 bits */
#define MAX_BLOCK_SIZE (1u << 20)
#define MAX_VMCOREINFO (1u << 20)
#define MAX_NOTES_SIZE (64u << 20)

struct kdump {
	struct vm_kdump_hdr h;
	uint64_t max_mapnr;
	uint32_t block_size;
	uint64_t desc_end;         /* end of this file's descriptor table */
	uint64_t nr_dumped;        /* pages set in the 2nd bitmap */
	uint64_t *bm2;             /* 2nd bitmap as words, bits >= max_mapnr 0 */
	uint64_t *bm1;             /* 1st bitmap as words, same */
	size_t nr_words;
	uint64_t *rank;            /* set bits of bm2 before each chunk */
	uint8_t *zbuf;             /* compressed page when not mapped */
	struct vm_zctx zctx;
	struct vm_split *set;      /* split part: the set (split.c), else NULL */
};

int vm_kdump_detect(const uint8_t *hdr, size_t len)
{
	return len >= 8 && memcmp(hdr, KDUMP_SIG, 8) == 0;
}

/* Bitmap bytes -> words, keeping only bits below nbits. */
static uint64_t *load_bitmap(const uint8_t *b, uint64_t nbits, size_t nwords,
			     struct vm_err *e)
{
	uint64_t *w = vm_calloc(nwords ? nwords : 1, sizeof(*w), e);
	uint64_t nbytes = (nbits + 7) / 8;

	if (!w)
		return NULL;
	/* bit (pfn % 8) of byte pfn / 8: little-endian words */
	for (uint64_t i = 0; i < nbytes; i += 8)
		w[i / 8] = vm_rdn(b + i, nbytes - i < 8 ? (unsigned)(nbytes - i) : 8, true);
	if (nbits % 64)
		w[nbits / 64] &= ((uint64_t)1 << (nbits % 64)) - 1;
	return w;
}

static int test_bit(const uint64_t *w, uint64_t pfn)
{
	return (w[pfn / 64] >> (pfn % 64)) & 1;
}

/* Set bits of the 2nd bitmap below pfn (pfn <= max_mapnr): the index of
 * pfn's descriptor in a whole dump. */
static uint64_t rank_of(const struct kdump *k, uint64_t pfn)
{
	size_t word = (size_t)(pfn / 64), c = word / CHUNK_WORDS;
	uint64_t r = k->rank[c];

	for (size_t i = c * CHUNK_WORDS; i < word; i++)
		r += (uint64_t)__builtin_popcountll(k->bm2[i]);
	if (pfn % 64)
		r += (uint64_t)__builtin_popcountll(
			k->bm2[word] & (((uint64_t)1 << (pfn % 64)) - 1));
	return r;
}

int vm_kdump_same_bitmaps(const struct vm_dump *d, const struct vm_src *src,
			  uint64_t start, uint64_t end, struct vm_err *e)
{
	const struct kdump *k = d->priv;
	uint8_t buf[4096];

	/* byte by byte over [start, end): both bitmaps; the partial bytes
	 * at the ends are compared under a mask */
	for (int half = 0; half < 2; half++) {
		const uint64_t *w = half ? k->bm2 : k->bm1;
		uint64_t base = k->h.bm_off + (half ? k->h.bm_len / 2 : 0);

		for (uint64_t byte = start / 8; byte * 8 < end;) {
			size_t n = sizeof(buf);

			if ((end + 7) / 8 - byte < n)
				n = (size_t)((end + 7) / 8 - byte);
			if (vm_src_read(src, base + byte, buf, n, "kdump bitmap",
					e) < 0)
				return -1;
			for (size_t i = 0; i < n; i++, byte++) {
				uint8_t mine = (uint8_t)(w[byte / 8] >> (8 * (byte % 8)));
				uint8_t mask = 0xff;

				if (byte * 8 < start)
					mask &= (uint8_t)(0xff << (start % 8));
				if (byte * 8 + 8 > end)
					mask &= (uint8_t)(0xff >> (byte * 8 + 8 - end));
				if ((mine ^ buf[i]) & mask)
					return 0;
			}
		}
	}
	return 1;
}

uint64_t vm_kdump_rank(const struct vm_dump *d, uint64_t pfn)
{
	return rank_of(d->priv, pfn);
}

bool vm_kdump_dumped(const struct vm_dump *d, uint64_t pfn)
{
	const struct kdump *k = d->priv;

	return pfn < k->max_mapnr && test_bit(k->bm2, pfn);
}

const struct vm_kdump_hdr *vm_kdump_hdr(const struct vm_dump *d)
{
	return &((const struct kdump *)d->priv)->h;
}

static int kdump_present(struct vm_dump *d, uint64_t pfn, struct vm_err *e)
{
	return vm_kdump_dumped(d, pfn);
}

static const char *method_name(unsigned m)
{
	switch (m) {
	case VM_COMP_ZLIB: return "zlib";
	case VM_COMP_LZO: return "lzo";
	case VM_COMP_SNAPPY: return "snappy";
	case VM_COMP_ZSTD: return "zstd";
	default: return "uncompressed";
	}
}

static const char *flag_name(uint32_t flags)
{
	switch (flags & (PD_ZLIB | PD_LZO | PD_SNAPPY | PD_ZSTD)) {
	case 0: return "uncompressed";
	case PD_ZLIB: return "zlib";
	case PD_LZO: return "lzo";
	case PD_SNAPPY: return "snappy";
	case PD_ZSTD: return "zstd";
	default: return "bad-flags";
	}
}

/* Where pfn's page is stored and how: its descriptor checked, then
 * *method (0 = plain), the file offset and size of its bytes. */
static int kdump_locate(struct vm_dump *d, const struct vm_src *src, uint64_t pfn,
			uint64_t idx, uint64_t desc_end, unsigned *method_out,
			uint64_t *off_out, uint32_t *size_out, uint64_t *doff_out,
			struct vm_err *e)
{
	struct kdump *k = d->priv;
	uint64_t pa = pfn * k->block_size;
	uint64_t doff = k->h.desc_off + idx * PD_SIZE;
	uint8_t pd[PD_SIZE];
	bool incomplete = k->h.status & DH_INCOMPLETE;

	if (doff + PD_SIZE > src->size) {
		if (incomplete)
			return vm_fail(e, VM_ENOPAGE, "page at physical "
				       "address %#llx (pfn %#llx) was not "
				       "written (incomplete dump)",
				       (unsigned long long)pa,
				       (unsigned long long)pfn);
		return vm_fail(e, VM_ECORRUPT, "pfn %#llx: page descriptor at "
			       "offset %#llx is beyond the end of the file",
			       (unsigned long long)pfn,
			       (unsigned long long)doff);
	}
	if (vm_src_read(src, doff, pd, sizeof(pd), "page descriptor", e) < 0)
		return -1;

	uint64_t off = vm_le64(pd);
	uint32_t size = vm_le32(pd + 8), flags = vm_le32(pd + 12);
	unsigned method = 0;

	if (off == 0 && size == 0 && incomplete)
		return vm_fail(e, VM_ENOPAGE, "page at physical address %#llx "
			       "(pfn %#llx) was not written (incomplete dump)",
			       (unsigned long long)pa, (unsigned long long)pfn);
	/* Page data follows the descriptor table in every writer, so a
	 * descriptor pointing back into it has been read from garbage. */
	if (size == 0 || size > k->block_size || off < desc_end ||
	    off > src->size || size > src->size - off)
		return vm_fail(e, VM_ECORRUPT, "pfn %#llx: page descriptor at "
			       "offset %#llx: %s data at offset %#llx, %u "
			       "bytes, is outside the page data (%#llx..%#llx)",
			       (unsigned long long)pfn,
			       (unsigned long long)doff, flag_name(flags),
			       (unsigned long long)off, size,
			       (unsigned long long)desc_end,
			       (unsigned long long)src->size);
	switch (flags & (PD_ZLIB | PD_LZO | PD_SNAPPY | PD_ZSTD)) {
	case 0: method = 0; break;
	case PD_ZLIB: method = VM_COMP_ZLIB; break;
	case PD_LZO: method = VM_COMP_LZO; break;
	case PD_SNAPPY: method = VM_COMP_SNAPPY; break;
	case PD_ZSTD: method = VM_COMP_ZSTD; break;
	default:
		return vm_fail(e, VM_ECORRUPT, "pfn %#llx: page descriptor at "
			       "offset %#llx has flags %#x (several "
			       "compressions)", (unsigned long long)pfn,
			       (unsigned long long)doff, flags);
	}
	if (!method && size != k->block_size)
		return vm_fail(e, VM_ECORRUPT, "pfn %#llx: page descriptor at "
			       "offset %#llx: uncompressed page at offset %#llx "
			       "has %u bytes, not %u", (unsigned long long)pfn,
			       (unsigned long long)doff,
			       (unsigned long long)off, size, k->block_size);
	*method_out = method;
	*off_out = off;
	*size_out = size;
	*doff_out = doff;
	return 0;
}

/* A page's stored bytes: in the mapping when they lie in one piece of it,
 * else read into zbuf (valid until the next page). */
static const void *stored_bytes(struct kdump *k, const struct vm_src *src, uint64_t off,
				uint32_t size, struct vm_err *e)
{
	const void *z = vm_src_ptr(src, off, size);

	if (z)
		return z;
	if (vm_src_read(src, off, k->zbuf, size, "page data", e) < 0)
		return NULL;
	return k->zbuf;
}

int vm_kdump_read_desc(struct vm_dump *d, const struct vm_src *src,
		       uint64_t pfn, uint64_t idx, uint64_t desc_end,
		       void *buf, struct vm_err *e)
{
	struct kdump *k = d->priv;
	unsigned method;
	uint64_t off, doff;
	uint32_t size;

	if (kdump_locate(d, src, pfn, idx, desc_end, &method, &off, &size, &doff, e) < 0)
		return -1;
	if (!method)
		return vm_src_read(src, off, buf, size, "page data", e);

	const void *z = stored_bytes(k, src, off, size, e);

	if (!z)
		return -1;
	if (vm_decompress(&k->zctx, method, z, size, buf, k->block_size, e) < 0) {
		vm_err_prefix(e, "pfn %#llx: %s page at offset %#llx (%u bytes, "
			      "descriptor at %#llx) does not decompress: ",
			      (unsigned long long)pfn, method_name(method),
			      (unsigned long long)off, size,
			      (unsigned long long)doff);
		e->code = VM_ECORRUPT;
		return -1;
	}
	d->decompressed = true;
	return 0;
}

static int kdump_read_page(struct vm_dump *d, uint64_t pfn, void *buf,
			   struct vm_err *e)
{
	struct kdump *k = d->priv;
	uint64_t pa = pfn * k->block_size;

	if (pfn >= k->max_mapnr)
		return vm_fail(e, VM_ENOPAGE, "physical address %#llx (pfn "
			       "%#llx) is beyond the dump's last pfn %#llx",
			       (unsigned long long)pa, (unsigned long long)pfn,
			       (unsigned long long)(k->max_mapnr - 1));
	if (!test_bit(k->bm2, pfn))
		return vm_fail(e, VM_ENOPAGE, "page at physical address %#llx "
			       "(pfn %#llx) %s", (unsigned long long)pa,
			       (unsigned long long)pfn,
			       test_bit(k->bm1, pfn) ?
			       "was excluded from the dump" :
			       "is not in the dump (not RAM)");
	if (k->set)
		return vm_split_read_page(d, k->set, pfn, buf, e);
	return vm_kdump_read_desc(d, &d->src, pfn, rank_of(k, pfn),
				  k->desc_end, buf, e);
}

/* The page as the file holds it, not decompressed (dump_impl.h); a split
 * set's pages come through read_page (its parts are files of their own). */
static int kdump_read_stored(struct vm_dump *d, uint64_t pfn, struct vm_stored_page *sp,
			     struct vm_err *e)
{
	struct kdump *k = d->priv;
	uint64_t off, doff;
	uint32_t size;

	if (k->set || pfn >= k->max_mapnr || !test_bit(k->bm2, pfn))
		return 1;
	if (kdump_locate(d, &d->src, pfn, rank_of(k, pfn), k->desc_end, &sp->method,
			 &off, &size, &doff, e) < 0)
		return -1;
	sp->len = size;
	sp->p = stored_bytes(k, &d->src, off, size, e);
	return sp->p ? 0 : -1;
}

static void kdump_close(struct vm_dump *d)
{
	struct kdump *k = d->priv;

	if (!k)
		return;
	vm_split_free(k->set);
	free(k->bm1);
	free(k->bm2);
	free(k->rank);
	free(k->zbuf);
	vm_zctx_fini(&k->zctx);
	free(k);
	d->priv = NULL;
}

static const struct vm_dump_ops kdump_ops = {
	.read_page = kdump_read_page,
	.read_stored = kdump_read_stored,
	.pfn_present = kdump_present,
	.close = kdump_close,
};

bool vm_kdump_is_split(const struct vm_dump *d)
{
	const struct kdump *k = d->priv;

	return d->ops == &kdump_ops && k && k->set;
}

void vm_kdump_describe_set(struct vm_dump *d, char *buf, size_t len)
{
	struct kdump *k = d->priv;

	buf[0] = '\0';
	if (d->ops == &kdump_ops && k->set)
		vm_split_describe(d, k->set, buf, len);
}

static void copy_uts(char *dst, const uint8_t *src)
{
	memcpy(dst, src, 65);
	dst[65] = '\0';
}

/* The header is the writer's C struct: 32-bit kernels' makedumpfile has a
 * 4-byte long and timeval, shifting every field after utsname. */
static bool is_32bit_machine(const char *m)
{
	static const char *const tab[] = { "i386", "i486", "i586", "i686",
		"armv7l", "armv6l", "armv5tel", "arm", "mips", "ppc", "s390",
		"sh4", "sparc" };

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strncmp(m, tab[i], 65) == 0)
			return true;
	return false;
}

/* A header layout is plausible when its block size is a power of two in
 * range and its bitmaps have a bit for every pfn: the test libkdumpfile's
 * diskdump.c try_header() uses to tell the 32- and 64-bit layouts apart. */
static bool layout_plausible(uint32_t bs, uint32_t bitmap_blocks,
			     uint32_t max_mapnr)
{
	return bs >= 512 && bs <= MAX_BLOCK_SIZE && !(bs & (bs - 1)) &&
	       (uint64_t)8 * bitmap_blocks * bs >= max_mapnr;
}

/* "ppc64" from the header's utsname.machine, printable only ("" if not). */
static void header_machine(const uint8_t *h, char out[66])
{
	size_t i;

	for (i = 0; i < 65 && h[DH_MACHINE + i]; i++) {
		uint8_t c = h[DH_MACHINE + i];

		if (c < 0x21 || c > 0x7e) {
			i = 0;
			break;
		}
		out[i] = (char)c;
	}
	out[i] = '\0';
}

/* ", machine ppc64", or "" when the header does not say. */
static void of_kernel(const char *m, char *out, size_t len)
{
	if (!m[0])
		out[0] = '\0';
	else
		snprintf(out, len, ", machine %s", m);
}

/* The dumps we do not read, named by what the header proves. */
static int refuse_layout(const uint8_t *h, struct vm_err *e)
{
	char m[66], of[96];
	int32_t version = (int32_t)vm_le32(h + DH_VERSION);
	bool le_ok = version >= 1 && version <= 1000;
	bool be_ok = (int32_t)vm_be32(h + DH_VERSION) >= 1 &&
		     (int32_t)vm_be32(h + DH_VERSION) <= 1000;

	header_machine(h, m);
	of_kernel(m, of, sizeof(of));
	/* header_version is 1..6 today in every writer: read the other way
	 * round it is 2^24 and more. */
	if (!le_ok && be_ok)
		return vm_fail(e, VM_EUNSUP, "a big-endian kdump-compressed "
			       "dump%s (not supported)", of);
	if (!le_ok)
		return 0; /* vm_kdump_read_hdr says what is wrong */
	bool l64 = layout_plausible(vm_le32(h + DH_BLOCK_SIZE),
				    vm_le32(h + DH_BITMAP_BLOCKS),
				    vm_le32(h + DH_MAX_MAPNR));
	bool l32 = layout_plausible(vm_le32(h + DH32_BLOCK_SIZE),
				    vm_le32(h + DH32_BITMAP_BLOCKS),
				    vm_le32(h + DH32_MAX_MAPNR));

	if (is_32bit_machine(m) || (!l64 && l32))
		return vm_fail(e, VM_EUNSUP, "a 32-bit kdump-compressed "
			       "dump%s (not supported)", of);
	return 0;
}

int vm_kdump_parse_hdr(const uint8_t *h, const uint8_t *sh, uint64_t size,
		       struct vm_kdump_hdr *kh, struct vm_err *e)
{
	memset(kh, 0, sizeof(*kh));
	memcpy(kh->dh, h, DH_SIZE);
	memcpy(kh->sh, sh, SH_SIZE);
	if (refuse_layout(h, e) < 0)
		return -1;

	int version = (int)vm_le32(h + DH_VERSION);
	uint32_t bs = vm_le32(h + DH_BLOCK_SIZE);
	uint32_t sub_blocks = vm_le32(h + DH_SUB_HDR_SIZE);
	uint32_t bitmap_blocks = vm_le32(h + DH_BITMAP_BLOCKS);
	uint64_t max_mapnr = vm_le32(h + DH_MAX_MAPNR);
	/* size 0: a sibling probe, which reads the two headers only */
	bool whole = size != 0;

	if (version < 1 || version > 1000)
		return vm_fail(e, VM_EFORMAT, "kdump header at offset %#x: "
			       "header_version %d is not 1..1000", DH_VERSION,
			       version);
	if (bs < 512 || bs > MAX_BLOCK_SIZE || (bs & (bs - 1)))
		return vm_fail(e, VM_EFORMAT, "kdump header at offset %#x: "
			       "block_size %u is not a power of two in "
			       "512..%u", DH_BLOCK_SIZE, bs, MAX_BLOCK_SIZE);
	if (sub_blocks == 0 ||
	    (whole && ((uint64_t)sub_blocks + 1) * bs > size))
		return vm_fail(e, VM_ETRUNC, "kdump header at offset %#x: "
			       "sub-header of %u blocks of %u bytes does not fit "
			       "in the file (%llu bytes)", DH_SUB_HDR_SIZE,
			       sub_blocks, bs, (unsigned long long)size);
	/* v6 (makedumpfile 1.5.4) moved max_mapnr to 64 bits; the 32-bit
	 * header field is then truncated. */
	if (version >= 6 && vm_le64(sh + SH_MAX_MAPNR_64))
		max_mapnr = vm_le64(sh + SH_MAX_MAPNR_64);

	uint64_t bm_off = ((uint64_t)sub_blocks + 1) * bs;
	uint64_t bm_len = (uint64_t)bitmap_blocks * bs;
	uint64_t half = bm_len / 2;

	if (bitmap_blocks == 0 || (whole && bm_len > size - bm_off))
		return vm_fail(e, VM_ETRUNC, "kdump bitmaps at offset %#llx: "
			       "%u blocks (%llu bytes) but the file has %llu "
			       "bytes after the sub-header",
			       (unsigned long long)bm_off, bitmap_blocks,
			       (unsigned long long)bm_len,
			       (unsigned long long)(size - bm_off));
	if (max_mapnr == 0 || max_mapnr > half * 8)
		return vm_fail(e, VM_ECORRUPT, "kdump header: max_mapnr %#llx "
			       "needs %llu bitmap bytes, the bitmaps at offset "
			       "%#llx have %llu each", (unsigned long long)max_mapnr,
			       (unsigned long long)((max_mapnr + 7) / 8),
			       (unsigned long long)bm_off,
			       (unsigned long long)half);

	kh->version = version;
	kh->status = vm_le32(h + DH_STATUS);
	kh->block_size = bs;
	kh->max_mapnr = max_mapnr;
	kh->dump_level = (int)vm_le32(sh + SH_DUMP_LEVEL);
	kh->bm_off = bm_off;
	kh->bm_len = bm_len;
	kh->desc_off = bm_off + bm_len;
	kh->start_pfn = 0;
	kh->end_pfn = max_mapnr;
	if (version >= 3) {
		kh->vmci_off = vm_le64(sh + SH_OFF_VMCOREINFO);
		kh->vmci_len = vm_le64(sh + SH_SIZE_VMCOREINFO);
	}
	if (version >= 4) {
		kh->note_off = vm_le64(sh + SH_OFF_NOTE);
		kh->note_len = vm_le64(sh + SH_SIZE_NOTE);
	}
	/* The split flag and the part's range came with header_version 2;
	 * version 6 added 64-bit copies of the range (the older fields are
	 * truncated to 32 bits by makedumpfile's write_kdump_header()). */
	if (version >= 2 && vm_le32(sh + SH_SPLIT) != 0) {
		uint32_t split = vm_le32(sh + SH_SPLIT);

		if (split != 1)
			return vm_fail(e, VM_ECORRUPT, "kdump sub-header at "
				       "offset %#llx: split flag %u (a split "
				       "part says 1)",
				       (unsigned long long)bs + SH_SPLIT, split);
		kh->split = true;
		kh->start_pfn = vm_le64(sh + SH_START_PFN);
		kh->end_pfn = vm_le64(sh + SH_END_PFN);
		if (version >= 6) {
			kh->start_pfn = vm_le64(sh + SH_START_PFN_64);
			kh->end_pfn = vm_le64(sh + SH_END_PFN_64);
		}
		if (kh->start_pfn > kh->end_pfn || kh->end_pfn > max_mapnr)
			return vm_fail(e, VM_ECORRUPT, "kdump sub-header at "
				       "offset %#llx: split part's pfns "
				       "%#llx..%#llx are not within the dump's "
				       "0..%#llx", (unsigned long long)bs +
				       (version >= 6 ? SH_START_PFN_64 : SH_START_PFN),
				       (unsigned long long)kh->start_pfn,
				       (unsigned long long)kh->end_pfn,
				       (unsigned long long)max_mapnr);
	}
	return 0;
}

int vm_kdump_read_hdr(const struct vm_src *s, struct vm_kdump_hdr *kh,
		      struct vm_err *e)
{
	uint8_t h[DH_SIZE], sh[SH_SIZE] = { 0 };
	uint32_t bs, sub_blocks;

	memset(kh, 0, sizeof(*kh));
	if (vm_src_read(s, 0, h, DH_SIZE, "kdump header", e) < 0)
		return -1;
	bs = vm_le32(h + DH_BLOCK_SIZE);
	sub_blocks = vm_le32(h + DH_SUB_HDR_SIZE);
	/* the sub-header when the header places it inside the file; if it
	 * does not, vm_kdump_parse_hdr says what is wrong */
	if (bs >= 512 && bs <= MAX_BLOCK_SIZE && sub_blocks &&
	    ((uint64_t)sub_blocks + 1) * bs <= s->size &&
	    vm_src_read(s, bs, sh, SH_SIZE, "kdump sub-header", e) < 0)
		return -1;
	return vm_kdump_parse_hdr(h, sh, s->size, kh, e);
}

/* Which header field holds byte offset off of disk_dump_header. */
static const char *dh_field(size_t off)
{
	if (off < DH_VERSION)
		return "signature";
	if (off < DH_UTSNAME)
		return "header_version";
	if (off < DH_UTSNAME + 6 * 65)
		return "utsname";
	if (off < DH_BLOCK_SIZE)
		return "status";
	if (off < DH_SUB_HDR_SIZE)
		return "block_size";
	if (off < DH_BITMAP_BLOCKS)
		return "sub_hdr_size";
	if (off < DH_MAX_MAPNR)
		return "bitmap_blocks";
	if (off < DH_NR_CPUS)
		return "max_mapnr and block counts";
	return "nr_cpus";
}

int vm_kdump_same_dump(const struct vm_kdump_hdr *a,
		       const struct vm_kdump_hdr *b, char *why, size_t len)
{
	static const struct { unsigned off, width; const char *name; } sub[] = {
		{ SH_PHYS_BASE, 8, "phys_base" },
		{ SH_DUMP_LEVEL, 4, "dump_level" },
		{ SH_SIZE_VMCOREINFO, 8, "size_vmcoreinfo" },
		{ SH_SIZE_NOTE, 8, "size_note" },
		{ SH_MAX_MAPNR_64, 8, "max_mapnr_64" },
	};

	/* makedumpfile --reassemble and crash take files as parts of one
	 * dump when their whole disk_dump_header is equal
	 * (store_splitting_info(), add_diskdump_data()).  We let the time
	 * stamp differ (libkdumpfile's test generator stamps each part with
	 * the time it wrote it) and check what matters more, by content:
	 * the rest of the header, the sub-header fields that describe the
	 * dump rather than the part (eraseinfo, written after each part's
	 * data, may sit elsewhere in each), VMCOREINFO (with the kernel's
	 * CRASHTIME) and the bitmaps over the part's pfns (split.c). */
	for (size_t i = 0; i < DH_SIZE; i++)
		if (a->dh[i] != b->dh[i] && (i < DH_TV_SEC || i >= DH_STATUS)) {
			snprintf(why, len, "its kdump header differs at offset "
				 "%#zx (%s)", i, dh_field(i));
			return 0;
		}
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		if (sub[i].off >= SH_OFF_VMCOREINFO && a->version < 3)
			continue;
		if (sub[i].off == SH_SIZE_NOTE && a->version < 4)
			continue;
		if (sub[i].off == SH_MAX_MAPNR_64 && a->version < 6)
			continue;
		if (memcmp(a->sh + sub[i].off, b->sh + sub[i].off, sub[i].width)) {
			snprintf(why, len, "its kdump sub-header's %s differs",
				 sub[i].name);
			return 0;
		}
	}
	if (!a->split || !b->split) {
		snprintf(why, len, "it is %s",
			 b->split ? "part of a split set, the first file is not"
				  : "not part of a makedumpfile --split set");
		return 0;
	}
	return 1;
}

static uint16_t machine_from_uts(const char *m)
{
	static const struct { const char *name; uint16_t em; } tab[] = {
		{ "x86_64", EM_X86_64 }, { "aarch64", EM_AARCH64 },
		{ "arm64", EM_AARCH64 }, { "ppc64le", EM_PPC64 },
		{ "riscv64", EM_RISCV }, { "loongarch64", EM_LOONGARCH },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(m, tab[i].name) == 0)
			return tab[i].em;
	return 0;
}

/*
 * QEMU writes utsname.machine "Unknown" for targets without a name (arm64
 * in 7.2); the size of an NT_PRSTATUS note still tells the two we know:
 * struct elf_prstatus is 336 bytes on x86_64 (27 registers) and 392 on
 * arm64 (34 registers).
 */
static uint16_t machine_from_notes(const struct vm_dump *d)
{
	for (size_t i = 0; i < d->nr_notes; i++) {
		const struct vm_note *n = &d->notes[i];

		if (n->type != NT_PRSTATUS || strcmp(n->name, "CORE") != 0)
			continue;
		if (n->descsz == 336)
			return EM_X86_64;
		if (n->descsz == 392)
			return EM_AARCH64;
	}
	return 0;
}

/* Compute info from the bitmaps: RAM pages, ranges, partial. */
static int scan_bitmaps(struct vm_dump *d, struct kdump *k, struct vm_err *e)
{
	uint64_t run = 0, ram = 0, dumped = 0;
	bool in = false, differ = false;
	size_t nchunks = (k->nr_words + CHUNK_WORDS - 1) / CHUNK_WORDS;

	k->rank = vm_calloc(nchunks + 1, sizeof(*k->rank), e);
	if (!k->rank)
		return -1;
	for (size_t i = 0; i < k->nr_words; i++) {
		uint64_t w1 = k->bm1[i], w2 = k->bm2[i];

		if (i % CHUNK_WORDS == 0)
			k->rank[i / CHUNK_WORDS] = dumped;
		dumped += (uint64_t)__builtin_popcountll(w2);
		ram += (uint64_t)__builtin_popcountll(w1);
		if (w1 != w2)
			differ = true;
		if ((w1 == 0 && !in) || (w1 == UINT64_MAX && in))
			continue;
		for (unsigned b = 0; b < 64; b++) {
			bool set = (w1 >> b) & 1;
			uint64_t pfn = (uint64_t)i * 64 + b;

			if (set && !in) {
				run = pfn;
				in = true;
			} else if (!set && in) {
				if (vm_dump_add_range(d, run * k->block_size,
						      (pfn - run) * k->block_size,
						      e) < 0)
					return -1;
				in = false;
			}
		}
	}
	if (in && vm_dump_add_range(d, run * k->block_size,
				    (k->max_mapnr - run) * k->block_size, e) < 0)
		return -1;
	k->rank[nchunks] = dumped;
	k->nr_dumped = dumped;
	d->info.ram_pages = ram;
	if (differ)
		d->info.partial = true;
	return 0;
}

int vm_kdump_read_vmcoreinfo(const struct vm_src *s,
			     const struct vm_kdump_hdr *kh, const void **p,
			     void **own, struct vm_err *e)
{
	uint64_t size = s->size, off = kh->vmci_off, len = kh->vmci_len;

	*p = NULL;
	*own = NULL;
	if (!len)
		return 0;
	if (len > MAX_VMCOREINFO || off > size || len > size - off)
		return vm_fail(e, VM_ECORRUPT, "kdump sub-header at offset "
			       "%#llx: VMCOREINFO at %#llx, %llu bytes, is "
			       "outside the file (%#llx bytes)",
			       (unsigned long long)(kh->block_size +
						    SH_OFF_VMCOREINFO),
			       (unsigned long long)off,
			       (unsigned long long)len,
			       (unsigned long long)size);
	*p = vm_src_get(s, off, (size_t)len, own, "VMCOREINFO", e);
	return *p ? 0 : -1;
}

static int read_notes_and_vmcoreinfo(struct vm_dump *d,
				     const struct vm_kdump_hdr *kh,
				     struct vm_err *e)
{
	uint64_t size = d->src.size;
	const void *p;
	void *own;

	if (vm_kdump_read_vmcoreinfo(&d->src, kh, &p, &own, e) < 0)
		return -1;
	if (p && vm_dump_set_vmcoreinfo(d, p, (size_t)kh->vmci_len, e) < 0) {
		free(own);
		return -1;
	}
	free(own);
	if (kh->note_len) {
		uint64_t off = kh->note_off, len = kh->note_len;
		void *buf;

		if (len > MAX_NOTES_SIZE || off > size || len > size - off)
			return vm_fail(e, VM_ECORRUPT, "kdump sub-header at "
				       "offset %#llx: notes at %#llx, %llu "
				       "bytes, are outside the file (%#llx "
				       "bytes)",
				       (unsigned long long)(kh->block_size +
							    SH_OFF_NOTE),
				       (unsigned long long)off,
				       (unsigned long long)len,
				       (unsigned long long)size);
		buf = vm_malloc((size_t)len, e);
		if (!buf)
			return -1;
		if (vm_src_read(&d->src, off, buf, (size_t)len, "notes", e) < 0) {
			free(buf);
			return -1;
		}
		if (vm_notes_parse(d, buf, (size_t)len, off, e) < 0)
			return -1;
	}
	return 0;
}

int vm_kdump_open(struct vm_dump *d, const char *const *parts, size_t nparts,
		  struct vm_err *e)
{
	struct vm_kdump_hdr kh;
	struct kdump *k;
	uint64_t size = d->src.size;
	const uint8_t *h = kh.dh;

	if (vm_kdump_read_hdr(&d->src, &kh, e) < 0)
		return -1;
	if (nparts > 1 && !kh.split)
		return vm_fail(e, VM_EINVAL, "the first of %zu files is not "
			       "a part of a makedumpfile --split set (its "
			       "sub-header's split flag is 0): name one dump "
			       "only", nparts);

	k = vm_calloc(1, sizeof(*k), e);
	if (!k)
		return -1;
	d->priv = k;
	d->ops = &kdump_ops;
	k->h = kh;
	k->max_mapnr = kh.max_mapnr;
	k->block_size = kh.block_size;
	k->nr_words = (size_t)((kh.max_mapnr + 63) / 64);

	struct vm_dump_info *in = &d->info;
	uint32_t status = kh.status;

	if (!in->format)
		in->format = VM_FMT_KDUMP;
	in->format_name = "kdump-compressed";
	in->page_size = kh.block_size;
	in->max_pfn = kh.max_mapnr;
	in->nr_cpus = (int)vm_le32(h + DH_NR_CPUS);
	in->dump_level = kh.dump_level;
	in->partial = in->dump_level > 0;
	in->timestamp_sec = (int64_t)vm_le64(h + DH_TV_SEC);
	copy_uts(in->uts_sysname, h + DH_UTSNAME);
	copy_uts(in->uts_nodename, h + DH_UTSNAME + 65);
	copy_uts(in->uts_release, h + DH_UTSNAME + 130);
	copy_uts(in->uts_version, h + DH_UTSNAME + 195);
	copy_uts(in->uts_machine, h + DH_UTSNAME + 260);
	copy_uts(in->uts_domainname, h + DH_UTSNAME + 325);
	if (status & DH_ZLIB)
		in->compression |= VM_COMP_ZLIB;
	if (status & DH_LZO)
		in->compression |= VM_COMP_LZO;
	if (status & DH_SNAPPY)
		in->compression |= VM_COMP_SNAPPY;
	if (status & DH_ZSTD)
		in->compression |= VM_COMP_ZSTD;
	if (!in->compression)
		in->compression = VM_COMP_NONE;

	/* The bitmaps are small (1/32768 of RAM with 4K pages each). */
	void *own;
	const uint8_t *bm = vm_src_get(&d->src, kh.bm_off, (size_t)kh.bm_len,
				       &own, "kdump bitmaps", e);
	if (!bm)
		return -1;
	k->bm1 = load_bitmap(bm, kh.max_mapnr, k->nr_words, e);
	k->bm2 = k->bm1 ? load_bitmap(bm + kh.bm_len / 2, kh.max_mapnr,
				      k->nr_words, e)
			: NULL;
	free(own);
	if (!k->bm2 || scan_bitmaps(d, k, e) < 0)
		return -1;

	/* A split part's descriptors are those of its own pfn range. */
	uint64_t ndesc = rank_of(k, kh.end_pfn) - rank_of(k, kh.start_pfn);

	k->desc_end = kh.desc_off + ndesc * PD_SIZE;
	if (k->desc_end > size && !(status & DH_INCOMPLETE))
		return vm_fail(e, VM_ETRUNC, "kdump page descriptors at offset "
			       "%#llx: %llu pages dumped need %llu bytes, the "
			       "file ends at %#llx", (unsigned long long)kh.desc_off,
			       (unsigned long long)ndesc,
			       (unsigned long long)(ndesc * PD_SIZE),
			       (unsigned long long)size);
	k->zbuf = vm_malloc(kh.block_size, e);
	if (!k->zbuf)
		return -1;

	if (read_notes_and_vmcoreinfo(d, &kh, e) < 0)
		return -1;
	in->e_machine = machine_from_uts(in->uts_machine);
	if (!in->e_machine)
		in->e_machine = machine_from_notes(d);
	if (kh.split) {
		k->set = vm_split_new(d, parts, nparts, k->desc_end, e);
		if (!k->set)
			return -1;
	}
	return 0;
}
