/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The DWARF name index: name -> DIE offset for the top-level named types
 * (struct, union, enum, typedef, base), enumerators, variables and
 * functions of every compile unit, plus the list of unit offsets.
 *
 * It is built by one pass over .debug_info that reads only the DIEs at
 * the top of each unit and jumps over everything else with DW_AT_sibling
 * (dwarf_scan.c, decoding with dwarf_form.c), laid out as one position-
 * independent blob (dwarf_index.c), and stored on disk (dwarf_cache.c) so
 * that a later run maps it and answers without touching .debug_info.
 *
 * Blob layout, in the host's byte order (the cache is per machine; a blob
 * from a host of the other order fails the version check, whose bytes
 * then read swapped):
 *   struct vm_dwidx_hdr
 *   uint64_t unit[nunit]          start offsets of units, ascending
 *   uint32_t bucket[nbucket]      1 + first entry of the chain, 0 = empty
 *   struct vm_dwidx_ent ent[nent]
 *   char str[strsz]               NUL-terminated names
 */
#ifndef VM_TYPES_DWARF_INDEX_H
#define VM_TYPES_DWARF_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../err.h"

#define VM_DWIDX_MAGIC "VMTIDX\0\1"
#define VM_DWIDX_VERSION 2

struct vm_dwidx_hdr {
	char magic[8];
	uint32_t version;
	uint32_t hdr_size;
	/* what the index was built from, checked on load */
	uint64_t info_size, abbrev_size, str_size;
	uint64_t file_size, file_mtime_ns;   /* the ELF file as it was */
	uint32_t build_id_len;
	uint8_t build_id[64];
	uint32_t nunit, nbucket, nent, strsz;
	uint64_t checksum;         /* of everything after the header */
};

struct vm_dwidx_ent {
	uint64_t die;              /* .debug_info offset */
	uint32_t name;             /* offset in str */
	uint32_t next;             /* 1 + next entry in the chain, 0 = end */
	uint32_t hash;
	uint32_t kind;             /* enum vm_tkind */
};

struct vm_dwidx {
	const struct vm_dwidx_hdr *hdr;
	const uint64_t *unit;
	const uint32_t *bucket;
	const struct vm_dwidx_ent *ent;
	const char *str;
	void *mem;                 /* the blob */
	size_t memsz;
	bool mapped;               /* mem is an mmap of the cache file */
};

/* The DWARF sections the scanner reads (all bytes already inflated).
 * info may be NULL: then .debug_info is read with pread() from info_fd at
 * file offset info_foff (it is stored uncompressed there). */
struct vm_dwsecs {
	const char *path;          /* for messages */
	const uint8_t *info, *abbrev, *str, *line_str, *str_offsets;
	int info_fd;
	uint64_t info_foff;
	size_t info_size, abbrev_size, str_size, line_str_size, str_offsets_size;
	bool le;
	bool str_terminated;       /* set by the scanner */
	uint64_t file_size, file_mtime_ns;
};

uint32_t vm_dwidx_hash(const char *s);

/* Scan .debug_info and build the blob (dwarf_scan.c).  build_id may be
 * NULL. */
int vm_dwidx_build(const struct vm_dwsecs *s, const uint8_t *build_id,
		   unsigned build_id_len, struct vm_dwidx *idx, struct vm_err *e);

/* ---- building: what a scan thread collects (dwarf_index.c) ---- */

/* The names one scan thread found: per (name, kind) the best DIE. */
struct vm_dwcand;
struct vm_dwnames {
	struct vm_dwcand *c;       /* dense */
	size_t n, capc;
	uint32_t *slot;            /* 1 + index into c, keyed by (name, kind) */
	size_t nslot;              /* power of two */
	char **chunks;             /* copies of names */
	size_t nchunks, chunk_used, chunk_cap;
};

/* A DIE at .debug_info offset die named name, of kind (enum vm_tkind);
 * of two DIEs for one name and kind the higher quality wins (a definition
 * over a declaration).  Names are deduplicated by address (.debug_str is
 * merged); transient: name lies in a buffer that is reused, so it is
 * compared by content in vm_dwidx_make instead. */
int vm_dwnames_add(struct vm_dwnames *b, const char *name, unsigned kind,
		   unsigned quality, uint64_t die, bool transient,
		   struct vm_err *e);
void vm_dwnames_free(struct vm_dwnames *b);

/* The blob from the names of nnames scan threads (equal names keep the
 * best quality, then the lowest offset: the result does not depend on how
 * the units were split between threads) and the nunits unit offsets
 * (ascending); attached.  build_id may be NULL. */
int vm_dwidx_make(struct vm_dwnames *names, unsigned nnames, const uint64_t *units,
		  size_t nunits, const struct vm_dwsecs *s, const uint8_t *build_id,
		  unsigned build_id_len, struct vm_dwidx *idx, struct vm_err *e);

/* Point idx's arrays into idx->mem after checking every count and offset
 * against memsz (used for freshly built and loaded blobs alike). */
int vm_dwidx_attach(struct vm_dwidx *idx, struct vm_err *e);

/* 1 found, 0 not found. */
int vm_dwidx_lookup(const struct vm_dwidx *idx, const char *name,
		    unsigned kind, uint64_t *die);
/* Unit containing a .debug_info offset: [*start, *end). -1 if none. */
int vm_dwidx_unit(const struct vm_dwidx *idx, uint64_t off, uint64_t info_size,
		  uint64_t *start, uint64_t *end);

uint64_t vm_dwidx_checksum(const void *p, size_t n);

/* On-disk cache (dwarf_cache.c), one file per build-id and path; an index
 * is used only for the file (size, mtime) it was built from.  load: 1
 * loaded, 0 absent/stale/corrupt (the reason in e), never -1. */
int vm_dwidx_cache_path(const uint8_t *build_id, unsigned build_id_len,
			const char *file, char *buf, size_t n);
int vm_dwidx_load(struct vm_dwidx *idx, const char *path,
		  const struct vm_dwsecs *s, const uint8_t *build_id,
		  unsigned build_id_len, struct vm_err *e);
int vm_dwidx_save(const struct vm_dwidx *idx, const char *path, struct vm_err *e);

void vm_dwidx_free(struct vm_dwidx *idx);

#endif
