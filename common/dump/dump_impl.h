/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to common/dump/.
 *
 * Readers of the two "real" formats (ELF, kdump-compressed) do not read the
 * file directly: they read a *logical file* (struct vm_src), which is either
 * the plain file (mmap or pread) or the logical file that a makedumpfile
 * flattened stream describes, served from an index built once at open.  So a
 * flattened dump is "a kdump or ELF file, stored differently", not a third
 * reader.
 */
#ifndef VM_DUMP_IMPL_H
#define VM_DUMP_IMPL_H

#include <stdint.h>
#include <sys/types.h>

#include "dump.h"

struct vm_dump_ops {
	/* Read one whole page (info.page_size bytes) of pfn into buf.
	 * VM_ENOPAGE for excluded/absent pages. */
	int (*read_page)(struct vm_dump *d, uint64_t pfn, void *buf,
			 struct vm_err *e);
	/* Optional: pfn's page as the file stores it (vm_dump_read_stored);
	 * 1 when this pfn has no stored form of its own (then read_page). */
	int (*read_stored)(struct vm_dump *d, uint64_t pfn, struct vm_stored_page *sp,
			   struct vm_err *e);
	int (*pfn_present)(struct vm_dump *d, uint64_t pfn, struct vm_err *e);
	void (*close)(struct vm_dump *d);
};

/* One piece of the logical file of a flattened dump. */
struct vm_flat_seg {
	uint64_t loff;         /* offset in the logical file */
	uint64_t len;
	uint64_t foff;         /* where the bytes are in the real file */
};

/* The logical file the format readers parse. */
struct vm_src {
	int fd;
	uint64_t file_size;        /* size of the real file */
	uint64_t size;             /* size of the logical file */
	const uint8_t *map;        /* whole real file mapped, or NULL (pread) */
	struct vm_flat_seg *segs;  /* flattened: sorted, non-overlapping */
	size_t nr_segs;
};

/* Direct-mapped cache of whole pages, keyed by pfn. */
struct vm_page_cache {
	size_t nr;                 /* entries (power of two) */
	uint64_t *pfn;             /* UINT64_MAX = empty */
	const uint8_t **at;        /* the page: in data, or a kept page */
	uint8_t *data;             /* nr * page_size bytes, allocated lazily */
};

struct vm_dump {
	char *path;                /* the file opened first (a split set's
				      first part) */
	struct vm_src src;
	struct vm_dump_info info;

	struct vm_note *notes;
	size_t nr_notes;
	void **note_bufs;          /* copies of note segments (own) */
	size_t nr_note_bufs;

	char *vmcoreinfo;          /* own copy, NUL-terminated */
	size_t vmcoreinfo_len;

	struct vm_phys_range *ranges;
	size_t nr_ranges;

	struct vm_page_cache cache;
	struct vm_dump_page_keep keep; /* vm_dump_set_page_keep(); get NULL: none */
	unsigned keep_held;        /* vm_dump_page_keep_hold() depth */
	bool decompressed;         /* the last read_page decompressed its page */
	const struct vm_dump_ops *ops;
	void *priv;                /* per-format reader state */
};

/* ---- src.c: the logical file ---- */

/* Open path read-only, map it if it is a regular file; refuses pipes.
 * "-" is standard input, which must then be a file too. */
int vm_src_open(struct vm_src *s, const char *path, struct vm_err *e);
/* Device and inode of the opened file (to tell one file named twice). */
int vm_src_id(const struct vm_src *s, dev_t *dev, ino_t *ino);
void vm_src_close(struct vm_src *s);
/* Read exactly len bytes at logical offset off; VM_ETRUNC names how much of
 * what (what = "kdump header" ...) was there. */
int vm_src_read(const struct vm_src *s, uint64_t off, void *buf, size_t len,
		const char *what, struct vm_err *e);
/* Pointer to len bytes at off without copying, when the logical file is
 * the mapped plain file; NULL otherwise (use vm_src_read). */
const void *vm_src_ptr(const struct vm_src *s, uint64_t off, size_t len);
/* Bytes at off as a buffer: mapped pointer or a malloc'd copy (*own set to
 * it, to be freed).  Checks bounds. */
const void *vm_src_get(const struct vm_src *s, uint64_t off, size_t len,
		       void **own, const char *what, struct vm_err *e);

/* ---- flat.c ---- */
/* 1 if the real file starts with a flattened header, 0 if not. */
int vm_flat_detect(const struct vm_src *s);
/* Index the records; afterwards vm_src_* serve the logical file. */
int vm_flat_index(struct vm_src *s, struct vm_err *e);
/* Bytes [off, off+len) of the logical file from the first max_records
 * records alone, without indexing the stream (a sibling probe): 0 when
 * they covered every byte, -1 if not. */
int vm_flat_read_head(const struct vm_src *s, uint64_t off, void *buf,
		      size_t len, unsigned max_records);

/* ---- elf.c, kdump.c: readers; fill d->info/notes/ranges/ops/priv ---- */
int vm_elf_detect(const uint8_t *hdr, size_t len);
int vm_elf_open(struct vm_dump *d, struct vm_err *e);
int vm_kdump_detect(const uint8_t *hdr, size_t len);
/* parts: the files named (parts[0] is d's own file); more than one only
 * for the parts of a split set. */
int vm_kdump_open(struct vm_dump *d, const char *const *parts, size_t nparts,
		  struct vm_err *e);
int vm_raw_open(struct vm_dump *d, const struct vm_dump_opts *o,
		struct vm_err *e);

/* ---- kdump.c: what split.c needs of one kdump-compressed file ---- */
#define VM_KDUMP_DH_SIZE 464   /* struct disk_dump_header, LP64 */
#define VM_KDUMP_SH_SIZE 104   /* struct kdump_sub_header, LP64, v6 */

struct vm_kdump_hdr {
	uint8_t dh[VM_KDUMP_DH_SIZE];  /* as read: a split set's identity */
	uint8_t sh[VM_KDUMP_SH_SIZE];
	int version;
	uint32_t status, block_size;
	uint64_t max_mapnr;
	int dump_level;
	bool split;                    /* one part of a --split set */
	uint64_t start_pfn, end_pfn;   /* the part's pfns; whole dump if not */
	uint64_t vmci_off, vmci_len;   /* 0 before header_version 3 */
	uint64_t note_off, note_len;   /* 0 before header_version 4 */
	uint64_t bm_off, bm_len, desc_off;
};

/* Check and decode the two headers.  size is the file's; 0 for a probe
 * that has read the headers only (no check that the parts fit).  Refuses
 * big-endian and 32-bit layouts by name (VM_EUNSUP). */
int vm_kdump_parse_hdr(const uint8_t *dh, const uint8_t *sh, uint64_t size,
		       struct vm_kdump_hdr *kh, struct vm_err *e);
int vm_kdump_read_hdr(const struct vm_src *s, struct vm_kdump_hdr *kh,
		      struct vm_err *e);
/* 1 if b is a part of the same dump as a; 0 with the reason in why. */
int vm_kdump_same_dump(const struct vm_kdump_hdr *a,
		       const struct vm_kdump_hdr *b, char *why, size_t len);
/* The VMCOREINFO bytes a header points at (*p NULL if none; *own to
 * free). */
int vm_kdump_read_vmcoreinfo(const struct vm_src *s,
			     const struct vm_kdump_hdr *kh, const void **p,
			     void **own, struct vm_err *e);
/* 1 if both bitmaps of file src (a part with the same header as d's
 * file) equal d's over pfns [start, end), 0 if not, -1 on error. */
int vm_kdump_same_bitmaps(const struct vm_dump *d, const struct vm_src *src,
			  uint64_t start, uint64_t end, struct vm_err *e);
/* Of d, an opened kdump file: its header; the pages dumped below pfn;
 * whether the 2nd bitmap has pfn. */
const struct vm_kdump_hdr *vm_kdump_hdr(const struct vm_dump *d);
uint64_t vm_kdump_rank(const struct vm_dump *d, uint64_t pfn);
bool vm_kdump_dumped(const struct vm_dump *d, uint64_t pfn);
/* Read pfn through descriptor number idx of file src, whose descriptor
 * table ends (and page data starts) at desc_end. */
int vm_kdump_read_desc(struct vm_dump *d, const struct vm_src *src,
		       uint64_t pfn, uint64_t idx, uint64_t desc_end,
		       void *buf, struct vm_err *e);

/* ", split set of 3 parts" for a split part, else "" */
void vm_kdump_describe_set(struct vm_dump *d, char *buf, size_t len);
/* d is a part of a split set (its other parts are other files). */
bool vm_kdump_is_split(const struct vm_dump *d);

/* ---- split.c: makedumpfile --split sets ---- */
struct vm_split;
/* The set d's file (parts[0]) belongs to: the other parts named, or, when
 * it is named alone, those found in its directory.  Nothing but d's own
 * file is opened here: each other part when a page of it is read. */
struct vm_split *vm_split_new(struct vm_dump *d, const char *const *parts,
			      size_t nparts, uint64_t desc_end,
			      struct vm_err *e);
void vm_split_free(struct vm_split *set);
/* A page the 2nd bitmap says is dumped, from the part that holds it. */
int vm_split_read_page(struct vm_dump *d, struct vm_split *set, uint64_t pfn,
		       void *buf, struct vm_err *e);
/* ", split set of 3 parts" (finding every part first), with the pfns no
 * part holds when some are missing. */
void vm_split_describe(struct vm_dump *d, struct vm_split *set, char *buf,
		       size_t len);

/* ---- unsupported.c: formats we recognise and do not read ---- */
/* -1 (VM_EUNSUP, "an LKCD dump (not supported)") if the logical file's
 * first bytes hdr[0..len) are one of them, else 0. */
int vm_unsupported_format(const struct vm_src *s, const uint8_t *hdr,
			  size_t len, struct vm_err *e);

/* ---- notes.c ---- */
/* Parse an ELF note area (a copy the dump owns from now on) at logical file
 * offset base, appending to d->notes; sets d->vmcoreinfo from a VMCOREINFO
 * note if none was set yet. */
int vm_notes_parse(struct vm_dump *d, void *buf, size_t len, uint64_t base,
		   struct vm_err *e);
/* Set d->vmcoreinfo to a copy of text (trailing NULs dropped). */
int vm_dump_set_vmcoreinfo(struct vm_dump *d, const void *text, size_t len,
			   struct vm_err *e);
/* PAGESIZE= from VMCOREINFO, or 0. */
uint32_t vm_vmcoreinfo_pagesize(const struct vm_dump *d);

/* ---- decompress.c ---- */
/* Decompressor state kept across pages: zlib's stream and zstd's context
 * cost an allocation (tens of KiB) each when made per page, which is most
 * of the time of reading a compressed table.  Zero-initialize; free with
 * vm_zctx_fini. */
struct vm_zctx {
	void *zs;          /* z_stream, after the first zlib page */
	void *zstd;        /* ZSTD_DCtx, after the first zstd page */
};
void vm_zctx_fini(struct vm_zctx *z);

/* Decompress src (method = VM_COMP_*) into exactly out_len bytes.
 * -1 with a message (no location) on failure or a length mismatch.
 * z may be NULL (one-shot). */
int vm_decompress(struct vm_zctx *z, unsigned method, const void *src,
		  size_t src_len, void *out, size_t out_len, struct vm_err *e);

/* ---- dump.c helpers for readers ---- */
/* Append range [start, start+size), merging with the last one if adjacent. */
int vm_dump_add_range(struct vm_dump *d, uint64_t start, uint64_t size,
		      struct vm_err *e);
/* Sort and merge d->ranges (readers that add out of order). */
void vm_dump_sort_ranges(struct vm_dump *d);

#endif
