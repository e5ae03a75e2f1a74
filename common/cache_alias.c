// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Aliases: an entry found by the bytes the dump file stores for its inputs
 * (compressed pages, vm_kread_stored) instead of the inputs themselves.
 * Decompression is a function of the stored bytes, so a dump whose stored
 * form equals one seen before has the same inputs, and the entry derived
 * from them is its own: another dump of a build already seen (written by
 * the same makedumpfile settings, as a fleet's are) finds its kallsyms and
 * BTF without decompressing megabytes to compare them.
 *
 * An alias is an entry like any other (cache_entry.c): its input is the
 * stored form, compared byte for byte as it streams from the dump (a few
 * MB, scattered over the file: gathered only to write an alias); its
 * payload the ref of the entry it names, opened as a per-file record's
 * refs are (vm_cache_open_ref: gone, damaged or rewritten since means no
 * alias).  Aliases are written only after the entry they name was accepted
 * for these very inputs.
 */
#include "cache.h"

#include <string.h>

#define ALIAS_VERSION 1u

int vm_cache_alias_open(const struct vm_opts *o, const char *kind,
			const struct vm_cache_stream *stored, struct vm_cache_entry *ent)
{
	struct vm_cache_entry a;
	struct vm_cache_ref ref;

	memset(ent, 0, sizeof(*ent));
	if (vm_cache_lookup_stream(o, kind, ALIAS_VERSION, stored, &a) < 0)
		return -1;
	if (a.der_len != sizeof(ref)) {
		vm_cache_entry_release(&a);
		return -1;
	}
	memcpy(&ref, a.der, sizeof(ref));
	vm_cache_entry_release(&a);
	return vm_cache_open_ref(o, &ref, ent);
}

void vm_cache_alias_store(const struct vm_opts *o, const char *kind,
			  const struct vm_cache_stream *stored,
			  const struct vm_cache_ref *target)
{
	struct vm_cache_part der = { target, sizeof(*target) };
	struct vm_cache_ref ref;

	vm_cache_store_stream(o, kind, ALIAS_VERSION, stored, &der, 1, &ref);
}
