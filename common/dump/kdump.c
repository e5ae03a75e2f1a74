// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump-compressed ("diskdump") dumps as makedumpfile and QEMU write them.
 *
 * Layout, in blocks of header.block_size bytes:
 *   block 0           struct disk_dump_header ("KDUMP   ")
 *   block 1..         struct kdump_sub_header (sub_hdr_size blocks)
 *   then              bitmap_blocks blocks: 1st bitmap (pages the machine
 *                     had) in the first half, 2nd bitmap (pages dumped) in
 *                     the second; bit (pfn % 8) of byte pfn / 8
 *   then              one 24-byte page descriptor per page set in the 2nd
 *                     bitmap, in pfn order, then the page data
 * Header fields are in the writer's byte order and C layout; we read the
 * LP64 little-endian layout (x86_64, arm64, ppc64le, riscv64 ...) and say
 * so clearly for big-endian (s390x, ppc64) and 32-bit writers.
 */
#include "dump_impl.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

#define KDUMP_SIG "KDUMP   "

/* struct disk_dump_header, LP64 */
#define DH_VERSION 8
#define DH_UTSNAME 12          /* struct new_utsname: 6 x 65 chars */
#define DH_TV_SEC 408          /* struct timeval, 8-aligned after utsname */
#define DH_STATUS 424
#define DH_BLOCK_SIZE 428
#define DH_SUB_HDR_SIZE 432
#define DH_BITMAP_BLOCKS 436
#define DH_MAX_MAPNR 440
#define DH_NR_CPUS 460
#define DH_SIZE 464

/* struct kdump_sub_header, LP64; fields appear with header_version */
#define SH_PHYS_BASE 0
#define SH_DUMP_LEVEL 8
#define SH_SPLIT 12
#define SH_OFF_VMCOREINFO 32   /* v3+ */
#define SH_SIZE_VMCOREINFO 40
#define SH_OFF_NOTE 48         /* v4+ */
#define SH_SIZE_NOTE 56
#define SH_MAX_MAPNR_64 96     /* v6+ */
#define SH_SIZE 104

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
	uint64_t max_mapnr;
	uint32_t block_size;
	uint64_t desc_off;         /* first page descriptor */
	uint64_t desc_end;         /* end of the descriptor table */
	uint64_t nr_dumped;        /* pages set in the 2nd bitmap */
	bool incomplete;
	uint64_t *bm2;             /* 2nd bitmap as words, bits >= max_mapnr 0 */
	uint64_t *bm1;             /* 1st bitmap as words, same */
	size_t nr_words;
	uint64_t *rank;            /* set bits of bm2 before each chunk */
	uint8_t *zbuf;             /* compressed page when not mapped */
	struct vm_zctx zctx;
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

/* Index of pfn's descriptor: set bits of the 2nd bitmap below pfn. */
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

static int kdump_present(struct vm_dump *d, uint64_t pfn, struct vm_err *e)
{
	const struct kdump *k = d->priv;

	return pfn < k->max_mapnr && test_bit(k->bm2, pfn);
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

static int kdump_read_page(struct vm_dump *d, uint64_t pfn, void *buf,
			   struct vm_err *e)
{
	struct kdump *k = d->priv;
	uint64_t pa = pfn * k->block_size;
	uint8_t pd[PD_SIZE];

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

	uint64_t doff = k->desc_off + rank_of(k, pfn) * PD_SIZE;

	if (doff + PD_SIZE > d->src.size) {
		if (k->incomplete)
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
	if (vm_src_read(&d->src, doff, pd, sizeof(pd), "page descriptor",
			e) < 0)
		return -1;

	uint64_t off = vm_le64(pd);
	uint32_t size = vm_le32(pd + 8), flags = vm_le32(pd + 12);
	unsigned method = 0;

	if (off == 0 && size == 0 && k->incomplete)
		return vm_fail(e, VM_ENOPAGE, "page at physical address %#llx "
			       "(pfn %#llx) was not written (incomplete dump)",
			       (unsigned long long)pa, (unsigned long long)pfn);
	/* Page data follows the descriptor table in every writer, so a
	 * descriptor pointing back into it has been read from garbage. */
	if (size == 0 || size > k->block_size || off < k->desc_end ||
	    off > d->src.size || size > d->src.size - off)
		return vm_fail(e, VM_ECORRUPT, "pfn %#llx: page descriptor at "
			       "offset %#llx: %s data at offset %#llx, %u "
			       "bytes, is outside the page data (%#llx..%#llx)",
			       (unsigned long long)pfn,
			       (unsigned long long)doff, flag_name(flags),
			       (unsigned long long)off, size,
			       (unsigned long long)k->desc_end,
			       (unsigned long long)d->src.size);
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
	if (!method)
		return vm_src_read(&d->src, off, buf, size, "page data", e);

	const void *z = vm_src_ptr(&d->src, off, size);

	if (!z) {
		if (vm_src_read(&d->src, off, k->zbuf, size, "page data", e) < 0)
			return -1;
		z = k->zbuf;
	}
	if (vm_decompress(&k->zctx, method, z, size, buf, k->block_size, e) < 0) {
		vm_err_prefix(e, "pfn %#llx: %s page at offset %#llx (%u bytes, "
			      "descriptor at %#llx) does not decompress: ",
			      (unsigned long long)pfn, method_name(method),
			      (unsigned long long)off, size,
			      (unsigned long long)doff);
		e->code = VM_ECORRUPT;
		return -1;
	}
	return 0;
}

static void kdump_close(struct vm_dump *d)
{
	struct kdump *k = d->priv;

	if (!k)
		return;
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
	.pfn_present = kdump_present,
	.close = kdump_close,
};

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
		"armv7l", "armv6l", "arm", "mips", "ppc", "s390" };

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strncmp(m, tab[i], 65) == 0)
			return true;
	return false;
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

static int read_notes_and_vmcoreinfo(struct vm_dump *d, const uint8_t *sh,
				     int version, struct vm_err *e)
{
	uint64_t size = d->src.size;

	if (version >= 3) {
		uint64_t off = vm_le64(sh + SH_OFF_VMCOREINFO);
		uint64_t len = vm_le64(sh + SH_SIZE_VMCOREINFO);

		if (len) {
			void *own;
			const void *p;

			if (len > MAX_VMCOREINFO || off > size || len > size - off)
				return vm_fail(e, VM_ECORRUPT, "kdump sub-header "
					       "at offset %#llx: VMCOREINFO at "
					       "%#llx, %llu bytes, is outside "
					       "the file (%#llx bytes)",
					       (unsigned long long)(d->info.page_size +
								    SH_OFF_VMCOREINFO),
					       (unsigned long long)off,
					       (unsigned long long)len,
					       (unsigned long long)size);
			p = vm_src_get(&d->src, off, (size_t)len, &own,
				       "VMCOREINFO", e);
			if (!p || vm_dump_set_vmcoreinfo(d, p, (size_t)len, e) < 0) {
				free(own);
				return -1;
			}
			free(own);
		}
	}
	if (version >= 4) {
		uint64_t off = vm_le64(sh + SH_OFF_NOTE);
		uint64_t len = vm_le64(sh + SH_SIZE_NOTE);

		if (len) {
			void *buf;

			if (len > MAX_NOTES_SIZE || off > size || len > size - off)
				return vm_fail(e, VM_ECORRUPT, "kdump sub-header "
					       "at offset %#llx: notes at %#llx, "
					       "%llu bytes, are outside the file "
					       "(%#llx bytes)",
					       (unsigned long long)(d->info.page_size +
								    SH_OFF_NOTE),
					       (unsigned long long)off,
					       (unsigned long long)len,
					       (unsigned long long)size);
			buf = vm_malloc((size_t)len, e);
			if (!buf)
				return -1;
			if (vm_src_read(&d->src, off, buf, (size_t)len, "notes",
					e) < 0) {
				free(buf);
				return -1;
			}
			if (vm_notes_parse(d, buf, (size_t)len, off, e) < 0)
				return -1;
		}
	}
	return 0;
}

int vm_kdump_open(struct vm_dump *d, struct vm_err *e)
{
	uint8_t h[DH_SIZE], sh[SH_SIZE];
	struct kdump *k;
	uint64_t size = d->src.size;

	if (vm_src_read(&d->src, 0, h, sizeof(h), "kdump header", e) < 0)
		return -1;

	int version = (int)vm_le32(h + DH_VERSION);
	uint32_t status = vm_le32(h + DH_STATUS);
	uint32_t bs = vm_le32(h + DH_BLOCK_SIZE);
	uint32_t sub_blocks = vm_le32(h + DH_SUB_HDR_SIZE);
	uint32_t bitmap_blocks = vm_le32(h + DH_BITMAP_BLOCKS);
	uint64_t max_mapnr = vm_le32(h + DH_MAX_MAPNR);

	if (version > 1000 && __builtin_bswap32((uint32_t)version) <= 1000)
		return vm_fail(e, VM_EUNSUP, "kdump header at offset %#x: "
			       "header_version is big-endian; big-endian dumps "
			       "are not supported", DH_VERSION);
	if (is_32bit_machine((const char *)h + DH_UTSNAME + 260))
		return vm_fail(e, VM_EUNSUP, "kdump header at offset %#x: "
			       "machine '%.64s' writes a 32-bit header layout, "
			       "which is not supported", DH_UTSNAME + 260,
			       (const char *)h + DH_UTSNAME + 260);
	if (version < 1 || version > 1000)
		return vm_fail(e, VM_EFORMAT, "kdump header at offset %#x: "
			       "header_version %d is not 1..1000", DH_VERSION,
			       version);
	if (bs < 512 || bs > MAX_BLOCK_SIZE || (bs & (bs - 1)))
		return vm_fail(e, VM_EFORMAT, "kdump header at offset %#x: "
			       "block_size %u is not a power of two in "
			       "512..%u", DH_BLOCK_SIZE, bs, MAX_BLOCK_SIZE);
	if (sub_blocks == 0 || ((uint64_t)sub_blocks + 1) * bs > size)
		return vm_fail(e, VM_ETRUNC, "kdump header at offset %#x: "
			       "sub-header of %u blocks of %u bytes does not fit "
			       "in the file (%llu bytes)", DH_SUB_HDR_SIZE,
			       sub_blocks, bs, (unsigned long long)size);
	if (vm_src_read(&d->src, bs, sh, sizeof(sh), "kdump sub-header", e) < 0)
		return -1;

	int split = (int)vm_le32(sh + SH_SPLIT);

	if (version >= 2 && split != 0) /* split: since v2 */
		return vm_fail(e, VM_EUNSUP, "kdump sub-header at offset %#llx: "
			       "one part of a makedumpfile --split set (split "
			       "%d); split dumps are not supported",
			       (unsigned long long)bs + SH_SPLIT, split);
	/* v6 (makedumpfile 1.5.4) moved max_mapnr to 64 bits; the 32-bit
	 * header field is then truncated. */
	if (version >= 6 && vm_le64(sh + SH_MAX_MAPNR_64))
		max_mapnr = vm_le64(sh + SH_MAX_MAPNR_64);

	uint64_t bm_off = ((uint64_t)sub_blocks + 1) * bs;
	uint64_t bm_len = (uint64_t)bitmap_blocks * bs;
	uint64_t half = bm_len / 2;

	if (bitmap_blocks == 0 || bm_len > size - bm_off)
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

	k = vm_calloc(1, sizeof(*k), e);
	if (!k)
		return -1;
	d->priv = k;
	d->ops = &kdump_ops;
	k->max_mapnr = max_mapnr;
	k->block_size = bs;
	k->incomplete = status & DH_INCOMPLETE;
	k->nr_words = (size_t)((max_mapnr + 63) / 64);

	struct vm_dump_info *in = &d->info;

	if (!in->format)
		in->format = VM_FMT_KDUMP;
	in->format_name = "kdump-compressed";
	in->page_size = bs;
	in->max_pfn = max_mapnr;
	in->nr_cpus = (int)vm_le32(h + DH_NR_CPUS);
	in->dump_level = (int)vm_le32(sh + SH_DUMP_LEVEL);
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
	const uint8_t *bm = vm_src_get(&d->src, bm_off, (size_t)bm_len, &own,
				       "kdump bitmaps", e);
	if (!bm)
		return -1;
	k->bm1 = load_bitmap(bm, max_mapnr, k->nr_words, e);
	k->bm2 = k->bm1 ? load_bitmap(bm + half, max_mapnr, k->nr_words, e)
			: NULL;
	free(own);
	if (!k->bm2 || scan_bitmaps(d, k, e) < 0)
		return -1;

	k->desc_off = bm_off + bm_len;
	k->desc_end = k->desc_off + k->nr_dumped * PD_SIZE;
	if (k->desc_end > size && !k->incomplete)
		return vm_fail(e, VM_ETRUNC, "kdump page descriptors at offset "
			       "%#llx: %llu pages dumped need %llu bytes, the "
			       "file ends at %#llx", (unsigned long long)k->desc_off,
			       (unsigned long long)k->nr_dumped,
			       (unsigned long long)(k->nr_dumped * PD_SIZE),
			       (unsigned long long)size);
	k->zbuf = vm_malloc(bs, e);
	if (!k->zbuf)
		return -1;

	if (read_notes_and_vmcoreinfo(d, sh, version, e) < 0)
		return -1;
	in->e_machine = machine_from_uts(in->uts_machine);
	if (!in->e_machine)
		in->e_machine = machine_from_notes(d);
	return 0;
}
