// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cacheforge DUMP WHAT: put a forged entry in the on-disk cache, as someone
 * who can write the cache directory would, with valid checksums, for
 * tests/cache.bats: the programs must notice what they can check and then
 * answer as with -o nocache.
 *
 *   kallsyms-count     the dump's kallsyms entry with its symbol count
 *                      (the first word of the derived part, kallsyms.c's
 *                      struct kc_hdr) set to 0xffffffff
 *   init_task=DELTA    init_task at _stext + DELTA in the dump file's
 *                      record and in the entry keyed by its kallsyms tables
 *                      (datasyms.c, layout version 1)
 *
 * Both the entry and the dump file's record point at the forgery.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "kernel/debuginfo.h"
#include "kernel/kernel.h"

static void note(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "cacheforge: %s\n", msg);
}

static int record(const struct vm_opts *o, const char *dump, const struct vm_cache_ref *ref)
{
	struct stat st;
	struct vm_cache_sess *s;

	if (stat(dump, &st) < 0 || !(s = vm_cache_sess_open(o, &st)))
		return -1;
	vm_cache_sess_put(s, ref);
	vm_cache_sess_close(s);
	return 0;
}

static int forge_count(const struct vm_opts *o, const struct vm_cache_ref *r,
		       const char *dump)
{
	struct vm_cache_part in[VM_CACHE_MAX_INPUTS], der;
	struct vm_cache_entry ent;
	struct vm_cache_ref ref, nref;
	uint32_t bad = 0xffffffff;
	unsigned i;
	void *copy;

	if (!r) {
		fprintf(stderr, "cacheforge: no kallsyms entry for %s\n", dump);
		return -1;
	}
	ref = *r;
	if (vm_cache_open_ref(o, &ref, &ent) < 0) {
		fprintf(stderr, "cacheforge: kallsyms entry not readable\n");
		return -1;
	}
	for (i = 0; i < ent.nin; i++)
		in[i] = (struct vm_cache_part){ ent.in[i], ent.in_len[i] };
	copy = malloc(ent.der_len);
	if (!copy)
		return -1;
	memcpy(copy, ent.der, ent.der_len);
	memcpy(copy, &bad, sizeof(bad));
	der = (struct vm_cache_part){ copy, ent.der_len };
	if (vm_cache_store(o, ref.kind, ref.kind_version, in, ent.nin, &der, 1, &nref) < 0) {
		fprintf(stderr, "cacheforge: could not store\n");
		return -1;
	}
	vm_cache_entry_release(&ent);
	free(copy);
	return record(o, dump, &nref);
}

static int forge_init_task(const struct vm_opts *o, const struct vm_cache_ref *kr,
			   const char *dump, uint64_t delta)
{
	struct vm_cache_ref ref;
	struct vm_cache_part in, der = { &delta, sizeof(delta) };

	if (kr) {
		in = (struct vm_cache_part){ &kr->fp, sizeof(kr->fp) };
		vm_cache_store(o, "init_task", 1, &in, 1, &der, 1, NULL);
	}
	memset(&ref, 0, sizeof(ref));
	snprintf(ref.kind, sizeof(ref.kind), "init_task");
	ref.kind_version = 1;
	ref.value[0] = delta;
	return record(o, dump, &ref);
}

int main(int argc, char **argv)
{
	struct vm_opts o = { 0 };
	const struct vm_cache_ref *r;
	struct vm_cache_ref kref;
	struct vm_kernel *k;
	struct vm_err e;
	uint64_t addr;
	bool have;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: cacheforge DUMP kallsyms-count|init_task=DELTA\n");
		return 2;
	}
	o.note = getenv("CACHEFORGE_V") ? note : NULL;
	k = vm_kernel_open(argv[1], &o, &e);
	if (!k) {
		fprintf(stderr, "cacheforge: %s\n", e.msg);
		return 1;
	}
	/* the genuine entries first, so that there is something to forge */
	if (!vm_kernel_symtab_core(k, &e) || vm_kernel_symbol(k, "init_task", &addr, &e) < 0) {
		fprintf(stderr, "cacheforge: %s\n", e.msg);
		vm_kernel_close(k);
		return 1;
	}
	r = vm_cache_sess_get(k->cache, "kallsyms");
	have = r != NULL;
	if (have)
		kref = *r;
	/* its own record is written here: the forgery goes over it */
	vm_kernel_close(k);
	if (!strcmp(argv[2], "kallsyms-count"))
		rc = forge_count(&o, have ? &kref : NULL, argv[1]);
	else if (!strncmp(argv[2], "init_task=", 10))
		rc = forge_init_task(&o, have ? &kref : NULL, argv[1],
				     strtoull(argv[2] + 10, NULL, 0));
	else
		rc = -1;
	return rc < 0;
}
