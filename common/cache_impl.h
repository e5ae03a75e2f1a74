/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to common/cache*.c. */
#ifndef VM_CACHE_IMPL_H
#define VM_CACHE_IMPL_H

#include "cache.h"

/* The cache directory, opened O_DIRECTORY|O_NOFOLLOW, owned by us, mode
 * 0700 (made so when ours); created when create.  -1 with the reason. */
int vm_cache_dirfd(const struct vm_opts *o, bool create, struct vm_err *e);
/* st (may be NULL) receives the file's fstat. */
int vm_cache_map_at(int dfd, const char *name, struct vm_cache_blob *b,
		    struct stat *st, struct vm_err *e);
int vm_cache_write_at(int dfd, const char *name, const void *const *parts,
		      const size_t *lens, size_t n, struct vm_err *e);
/* Bring the directory under its size cap, oldest first, never keep. */
void vm_cache_evict(int dfd, const char *keep);
uint64_t vm_cache_max_bytes(void);
uint64_t vm_cache_sum(const void *p, size_t n);
uint64_t vm_cache_nonce(void);
/* The per-file record's identity, for files about the same dump file
 * (cache_pages.c): stem, the 32 hex digits naming it; ident, the file's
 * device, inode, size, mtime s/ns, ctime s/ns. */
void vm_cache_sess_ident(const struct vm_cache_sess *s, char stem[33], int64_t ident[7]);
/* A file about the dump file may be written now: the run met no
 * corruption, and the file did not change in the last seconds. */
bool vm_cache_sess_may_write(const struct vm_cache_sess *s);

#endif
