/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Layer 1: a dump is "physical memory + notes".
 *
 * One reader per format behind struct vm_dump_ops; the format is detected by
 * content, never by file name.  Physical reads go through a small page cache
 * in dump.c so that compressed pages are decompressed once and only when read.
 */
#ifndef VM_DUMP_H
#define VM_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../err.h"

enum vm_dump_format {
	VM_FMT_ELF = 1,   /* ELF64 vmcore: /proc/vmcore copy, QEMU, makedumpfile -E */
	VM_FMT_KDUMP,     /* kdump-compressed ("KDUMP   ") */
	VM_FMT_FLAT,      /* makedumpfile flattened (-F) wrapping a kdump or ELF */
	VM_FMT_RAW,       /* raw memory image at -o raw_base= */
};

/* Compression methods seen in a kdump-compressed dump (bit set). */
enum {
	VM_COMP_NONE = 1 << 0,
	VM_COMP_ZLIB = 1 << 1,
	VM_COMP_LZO = 1 << 2,
	VM_COMP_SNAPPY = 1 << 3,
	VM_COMP_ZSTD = 1 << 4,
};

/* One ELF note: from PT_NOTE of an ELF dump, or the notes block of a
 * kdump-compressed header (sub-header v4+).  Pointers stay valid until close. */
struct vm_note {
	uint32_t type;
	const char *name;      /* "CORE", "VMCOREINFO", "QEMU", ... (NUL-terminated) */
	const void *desc;
	size_t descsz;
};

/* A run of physical memory the dump covers (PT_LOAD, or the kdump first
 * bitmap's set runs), sorted by start, non-overlapping. */
struct vm_phys_range {
	uint64_t start;        /* physical address */
	uint64_t size;         /* bytes */
};

struct vm_dump_info {
	enum vm_dump_format format;
	const char *format_name;   /* "ELF64 vmcore", "kdump-compressed", ... */
	const char *inner_name;    /* flattened: the wrapped format's name; else NULL */
	unsigned compression;      /* VM_COMP_* methods declared/seen (kdump) */
	bool partial;              /* pages were filtered out (dump_level != 0 or
	                              kdump bitmap2 != bitmap1) */
	int dump_level;            /* makedumpfile -d level if known, else -1 */
	uint16_t e_machine;        /* EM_X86_64, EM_AARCH64 ... (0 = unknown) */
	uint32_t page_size;        /* dump's page size (block_size for kdump);
	                              the unit of pfns here.  Not always the
	                              kernel's: QEMU 7.2 writes arm64 kdumps in
	                              64K blocks for 4K-page kernels (VMCOREINFO
	                              PAGESIZE has the kernel's) */
	int nr_cpus;               /* from the header, or counted NT_PRSTATUS; -1 */
	uint64_t max_pfn;          /* one past the highest pfn the dump describes */
	uint64_t ram_pages;        /* pages of RAM the source machine had (sum of
	                              ranges: kdump 1st bitmap, ELF PT_LOADs).
	                              crash's MEMORY is the kernel's present
	                              pages instead (191.5 MB vs 192 MB here) */
	/* kdump header utsname and time, if the format has them ("" if not) */
	char uts_sysname[66], uts_nodename[66], uts_release[66];
	char uts_version[66], uts_machine[66], uts_domainname[66];
	int64_t timestamp_sec;     /* kdump header's timestamp, or 0 */
	uint64_t file_size;
};

struct vm_dump;

struct vm_dump_opts {
	bool have_raw_base;        /* -o raw_base=ADDR: treat as raw image */
	uint64_t raw_base;
	uint16_t raw_machine;      /* e_machine for raw images (default host) */
};

/*
 * path is one dump file ("-": standard input, when it is a file), or the
 * parts of a makedumpfile --split set joined by commas ("p1,p2,p3"; a
 * name that exists as a file is never split).  A split part named alone
 * finds the other parts in its directory.  Formats we recognise but do
 * not read fail with VM_EUNSUP and their name ("an LKCD dump (not
 * supported)").
 */
struct vm_dump *vm_dump_open(const char *path, const struct vm_dump_opts *o,
			     struct vm_err *e);
void vm_dump_close(struct vm_dump *d);

const struct vm_dump_info *vm_dump_info(const struct vm_dump *d);
/* The file opened (a split set's first part). */
const char *vm_dump_path(const struct vm_dump *d);
/* What the dump is, for people: "kdump-compressed (zlib)", "kdump-
 * compressed in flattened (zlib)", "kdump-compressed (zlib), split set of
 * 3 parts" (every part of a set is found first; missing pfns are named). */
void vm_dump_describe(struct vm_dump *d, char *buf, size_t len);
/* fstat(2) of the file as opened (not of the path, which may have been
 * replaced since): the cache recognises the file by it.  -1 for a split
 * set (its other parts are files of their own). */
struct stat;
int vm_dump_stat(const struct vm_dump *d, struct stat *st);

/*
 * Read len bytes of physical memory at paddr (may cross pages).
 * Fails with VM_ENOPAGE if any page in the range is excluded or outside the
 * dump; the message names the physical address.
 */
int vm_dump_read_phys(struct vm_dump *d, uint64_t paddr, void *buf, size_t len,
		      struct vm_err *e);

/*
 * A page as the dump file stores it: method 0 and the page's bytes, or a
 * VM_COMP_* method and its compressed bytes (valid until the next read).
 * Decompression is a function of (method, bytes), so equal stored forms
 * are equal pages: what was derived from one page's bytes holds for the
 * other without decompressing it (the cache's aliases, ../cache.h).
 */
struct vm_stored_page {
	unsigned method;
	const void *p;
	size_t len;
};
int vm_dump_read_stored(struct vm_dump *d, uint64_t pfn, struct vm_stored_page *sp,
			struct vm_err *e);
/*
 * Pages kept decompressed from an earlier run (the cache's page store,
 * ../cache_pages.c), for dumps with a stored form of their own: get()
 * gives a kept page's bytes or NULL (then the page is read as always);
 * put() is shown each page this run had to decompress.  Set by the layer
 * above, which owns ctx; NULL turns it off.
 */
struct vm_dump_page_keep {
	/* *stable: the bytes stay where they are while the dump is open (a
	 * mapped store), so they need not be copied */
	const void *(*get)(void *ctx, uint64_t pfn, bool *stable);
	void (*put)(void *ctx, uint64_t pfn, const void *page);
	void *ctx;
};
void vm_dump_set_page_keep(struct vm_dump *d, const struct vm_dump_page_keep *k);
/* Pages read between hold(true) and hold(false) (nested) are not shown to
 * put(): they are read to derive a cache entry, which keeps them itself. */
void vm_dump_page_keep_hold(struct vm_dump *d, bool hold);

/* Whether pages have a stored form of their own (compressed kdump pages):
 * else the stored form is the page and says nothing a read would not. */
bool vm_dump_has_stored_form(const struct vm_dump *d);
/* 1 if the dump holds this pfn, 0 if excluded/absent, -1 on error. */
int vm_dump_pfn_present(struct vm_dump *d, uint64_t pfn, struct vm_err *e);

size_t vm_dump_nr_notes(const struct vm_dump *d);
const struct vm_note *vm_dump_note(const struct vm_dump *d, size_t i);

/* Raw VMCOREINFO text (not NUL-terminated necessarily; *len set), from the
 * ELF note or the kdump header block; NULL if the dump has none. */
const char *vm_dump_vmcoreinfo(const struct vm_dump *d, size_t *len);

size_t vm_dump_nr_ranges(const struct vm_dump *d);
const struct vm_phys_range *vm_dump_range(const struct vm_dump *d, size_t i);

#endif
