/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The on-disk cache of what is slow to derive from a dump or a vmlinux
 * (decoded kallsyms, the kernel's BTF and its name index, init_task's
 * place, the DWARF name index of a vmlinux), in one directory:
 * $VMCOREUTILS_CACHE, else $XDG_CACHE_HOME/vmcoreutils, else
 * ~/.cache/vmcoreutils.  VMCOREUTILS_CACHE=off or -o nocache turn it off.
 *
 * The rule: the cache can change how fast an answer comes, never the
 * answer.  So
 *   - an entry is content-addressed: named by a fingerprint of the bytes
 *     it was derived from (its inputs), read from the dump at hand, and it
 *     stores those bytes; it is used only when they equal this dump's,
 *     byte for byte.  A fingerprint collision (by accident or made on
 *     purpose) costs a rebuild, never a wrong answer;
 *   - a dump file that was seen before (same device, inode, size, mtime
 *     and ctime, the way make and rsync recognise an unchanged file) finds
 *     its entries through a small per-file record without re-reading the
 *     inputs; the record names each entry by fingerprint and by the random
 *     nonce written into it, so an entry rewritten since is not taken;
 *   - the directory must belong to the user and is kept at mode 0700;
 *     files are created O_EXCL|O_NOFOLLOW under a temporary name and
 *     renamed into place; a file that is not a regular file owned by the
 *     user, or fails any check (magic, versions, lengths, checksums), is
 *     ignored and rewritten; files are opened O_NONBLOCK|O_NOFOLLOW, so a
 *     FIFO or symlink planted in the directory cannot block or redirect;
 *   - the directory is kept under a size cap ($VMCOREUTILS_CACHE_MAX,
 *     default 512 MiB), least recently used files first.
 * Failures here are never errors for the caller: it does the slow thing.
 */
#ifndef VM_CACHE_H
#define VM_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "err.h"
#include "opts.h"

/* Default size cap of the directory. */
#define VM_CACHE_MAX_DEFAULT ((uint64_t)512 << 20)

/* Whether the cache is on: not -o nocache, not VMCOREUTILS_CACHE=off. */
bool vm_cache_enabled(const struct vm_opts *o);

/* The directory (for messages and documentation); -1 if none can be had
 * (caching off, no HOME). */
int vm_cache_dir_path(const struct vm_opts *o, char *buf, size_t n);

/* ---- 128-bit fingerprints (not cryptographic: entries are verified by
 * comparing their stored inputs, so a collision only costs a rebuild) ---- */
struct vm_fp {
	uint64_t h[2];
};
struct vm_fp_state {
	uint64_t lane[4];
	uint64_t total;
	uint8_t buf[32];
	size_t nbuf;
};
void vm_fp_init(struct vm_fp_state *s, uint64_t seed);
void vm_fp_update(struct vm_fp_state *s, const void *p, size_t n);
struct vm_fp vm_fp_final(const struct vm_fp_state *s);

/* ---- a mapped file or entry ---- */
struct vm_cache_blob {
	const void *data;
	size_t len;
	void *map;          /* private: the mapping to unmap */
	size_t map_len;
};
void vm_cache_release(struct vm_cache_blob *b);

/* ---- raw files (for formats with their own header, dwarf_cache.c) ---- */
/* "DIR/name" for messages; -1 if there is no cache directory. */
int vm_cache_file_path(const struct vm_opts *o, const char *name, char *buf, size_t n);
/* Map the whole file name of the cache directory, after the checks above;
 * -1 with the reason in e (VM_ENOENT when absent). */
int vm_cache_map_file(const struct vm_opts *o, const char *name,
		      struct vm_cache_blob *b, struct vm_err *e);
/* Write name atomically from n parts; -1 with the reason in e. */
int vm_cache_write_file(const struct vm_opts *o, const char *name,
			const void *const *parts, const size_t *lens, size_t n,
			struct vm_err *e);

/* ---- content-addressed entries ---- */

/* Up to this many input parts per entry. */
#define VM_CACHE_MAX_INPUTS 8

struct vm_cache_part {
	const void *p;
	size_t len;
};

/* Names one entry exactly: kind, fingerprint of its inputs, and the nonce
 * the writer put in it. */
struct vm_cache_ref {
	char kind[16];
	uint32_t kind_version;
	uint32_t zero;       /* no padding: refs are compared and stored whole */
	struct vm_fp fp;
	uint64_t nonce;
	uint64_t value[2];   /* a small result kept in the per-file record */
	/* the entry file as it was when its checksums were last verified
	 * (checked_at): unchanged since, they are not computed again */
	uint64_t ent_ino, ent_size;
	int64_t ent_mtime_ns, ent_ctime_ns, checked_at;
};

/* An entry found: its inputs and derived payload as mapped (each part
 * 8-byte aligned), and the ref naming it. */
struct vm_cache_entry {
	const void *in[VM_CACHE_MAX_INPUTS];
	size_t in_len[VM_CACHE_MAX_INPUTS];
	unsigned nin;
	const void *der;
	size_t der_len;
	struct vm_cache_ref ref;
	/* vm_cache_open_ref() found the file as it was when a run last
	 * verified it and then recorded its ref: byte for byte what that run
	 * accepted, so checks of the payload it made need not be made again */
	bool accepted_before;
	struct vm_cache_blob blob;    /* private: the mapping */
};

/*
 * Look up the entry of kind (layout kind_version) derived from exactly the
 * bytes in[0..nin): 0 with *ent filled, -1 when there is none that
 * matches (absent, damaged, or made from other bytes).
 */
int vm_cache_lookup(const struct vm_opts *o, const char *kind, uint32_t kind_version,
		    const struct vm_cache_part *in, size_t nin, struct vm_cache_entry *ent);
/* The entry ref names (kind, version, fingerprint and nonce), without
 * reading the inputs again: 0 with *ent filled, -1 if it is gone, damaged
 * or was rewritten since.  Its checksums are verified unless the file is
 * as it was when they last were (same inode, size, mtime and ctime, the
 * times older than that check): a file changed since, even in place, has
 * new times.  ent->ref says when they were verified, for the record. */
int vm_cache_open_ref(const struct vm_opts *o, const struct vm_cache_ref *ref,
		      struct vm_cache_entry *ent);
void vm_cache_entry_release(struct vm_cache_entry *ent);
/* Store the derived payload (nder parts, back to back) of the inputs; 0
 * with *ref naming the new entry, -1 if it could not be written. */
int vm_cache_store(const struct vm_opts *o, const char *kind, uint32_t kind_version,
		   const struct vm_cache_part *in, size_t nin,
		   const struct vm_cache_part *der, size_t nder,
		   struct vm_cache_ref *ref);

/* ---- an input too scattered to gather: produced piece by piece, the
 * same pieces in the same order each time each() is called (it hands them
 * to fn and returns 0, or -1 when it could not) ---- */
struct vm_cache_stream {
	int (*each)(void *ctx, int (*fn)(void *fctx, const void *p, size_t n), void *fctx);
	void *ctx;
};
/* vm_cache_lookup() of the entry whose one input is the stream's bytes:
 * named by their length and a sample of them, compared whole as they
 * come, never copied. */
int vm_cache_lookup_stream(const struct vm_opts *o, const char *kind, uint32_t kind_version,
			   const struct vm_cache_stream *in, struct vm_cache_entry *ent);
/* vm_cache_store() of the entry whose one input is the stream's bytes
 * (gathered into one copy to be written). */
int vm_cache_store_stream(const struct vm_opts *o, const char *kind, uint32_t kind_version,
			  const struct vm_cache_stream *in,
			  const struct vm_cache_part *der, size_t nder,
			  struct vm_cache_ref *ref);

/* ---- aliases (cache_alias.c): an entry named by the stored form of its
 * inputs (the pages as the dump file holds them, vm_kread_stored) ---- */

/* The entry the alias of kind for these stored bytes names, opened as
 * vm_cache_open_ref() does: 0 with *ent filled, or -1. */
int vm_cache_alias_open(const struct vm_opts *o, const char *kind,
			const struct vm_cache_stream *stored, struct vm_cache_entry *ent);
/* Record that these stored bytes hold the inputs of the entry target
 * names; call only after that entry was accepted for them. */
void vm_cache_alias_store(const struct vm_opts *o, const char *kind,
			  const struct vm_cache_stream *stored,
			  const struct vm_cache_ref *target);

/* ---- what a dump file was found to hold (the per-file record) ---- */

struct vm_cache_sess;

/* For the dump file st describes (a regular file), under options o; NULL
 * when caching is off or the file cannot be recognised again (-o keys that
 * change what is read are given, or it is not a regular file). */
struct vm_cache_sess *vm_cache_sess_open(const struct vm_opts *o, const struct stat *st);
/* The same for the dump file read together with another regular file
 * (-k's vmlinux, which can decide what is read from the dump): a record of
 * its own, for that pair of files as they are, never the dump file's
 * alone; nothing is recorded when either changed in the last seconds. */
struct vm_cache_sess *vm_cache_sess_open_with(const struct vm_opts *o, const struct stat *st,
					      const struct stat *with);
/* The ref a previous run recorded for kind, or NULL. */
const struct vm_cache_ref *vm_cache_sess_get(const struct vm_cache_sess *s,
					     const char *kind);
/* This run found (or wrote) ref for this file's bytes; recorded at close. */
void vm_cache_sess_put(struct vm_cache_sess *s, const struct vm_cache_ref *ref);
/* The run met corruption or a failed check: record nothing for the file. */
void vm_cache_sess_taint(struct vm_cache_sess *s);
/* Write the record if anything is new (and the file was not changed in the
 * last seconds: its times must tell a later change apart); free. */
void vm_cache_sess_close(struct vm_cache_sess *s);
const struct vm_opts *vm_cache_sess_opts(const struct vm_cache_sess *s);

/* ---- the page store (cache_pages.c): pages of the dump file a run had
 * to decompress, kept decompressed for the next run on the file as it is
 * (the record's identity names and checks it; each page has a checksum,
 * verified whenever it is used) ---- */
struct vm_cache_pages;
/* NULL when there is no session or no memory. */
struct vm_cache_pages *vm_cache_pages_open(struct vm_cache_sess *s, size_t page_size);
/* pfn's page as a run decompressed it, or NULL (not kept, or damaged);
 * *stable when it stays there until close (else copy it before the next
 * put). */
const void *vm_cache_pages_get(struct vm_cache_pages *p, uint64_t pfn, bool *stable);
/* This run decompressed pfn's page (copied; up to a cap per file). */
void vm_cache_pages_put(struct vm_cache_pages *p, uint64_t pfn, const void *page);
/* Pages found kept at open; whether one failed its checksum since. */
size_t vm_cache_pages_kept(const struct vm_cache_pages *p);
bool vm_cache_pages_damaged(const struct vm_cache_pages *p);
/* Write the store if pages were added and the session may write; free.
 * Before vm_cache_sess_close() of its session. */
void vm_cache_pages_close(struct vm_cache_pages *p);

#endif
