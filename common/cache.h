/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small on-disk cache of derived data (decoded kallsyms, the kernel's BTF
 * blob), keyed by what identifies a kernel build (VMCOREINFO BUILD-ID), in
 * $XDG_CACHE_HOME/vmcoreutils (default ~/.cache/vmcoreutils).  The second
 * and every later dump of the same kernel skips decompressing and decoding
 * megabytes of tables.
 *
 * Files are written to a temporary name and renamed, so a reader sees a
 * whole old file or a whole new one.  Every file carries its kind, its key,
 * its length and a checksum; a file that fails any check is ignored (and
 * rewritten), so a corrupt or foreign cache can never change an answer.
 * Failures here are never errors: the caller just does the slow thing.
 */
#ifndef VM_CACHE_H
#define VM_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "opts.h"

struct vm_cache_blob {
	const void *data;
	size_t len;
	void *map;          /* private: the mapping to unmap */
	size_t map_len;
};

/* Whether caching is on for these options (-o nocache turns it off). */
bool vm_cache_enabled(const struct vm_opts *o);

/* Map the cached blob of (kind, key); 0 found and valid, -1 not. */
int vm_cache_get(const struct vm_opts *o, const char *kind, const char *key,
		 struct vm_cache_blob *b);
void vm_cache_release(struct vm_cache_blob *b);

/* Store a blob made of n parts (written back to back); best effort. */
void vm_cache_put(const struct vm_opts *o, const char *kind, const char *key,
		  const void *const *parts, const size_t *lens, size_t n);

#endif
