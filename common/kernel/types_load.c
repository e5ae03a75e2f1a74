// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the kernel's types come from, best first:
 *   1. DWARF of the vmlinux (-k, or the one debuginfo.c found),
 *   2. the vmlinux's .BTF section,
 *   3. BTF read out of the dump: the kernel keeps its own BTF in memory
 *      between __start_BTF and __stop_BTF (CONFIG_DEBUG_INFO_BTF, v5.2+),
 *      so a dump with no debuginfo file still has types; without those
 *      symbols (text-only kallsyms) btf_scan.c finds its header.
 * Module types come from the DWARF of the loaded modules' .ko files (-M
 * DIR, or found under the module directories: kofind.h; only a file that
 * is the loaded module, modko.h), else from each module's own BTF in the
 * dump (split BTF over the kernel's), added the first time a name is not
 * the kernel's.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cache.h"
#include "../types/types.h"
#include "btf_scan.h"
#include "debuginfo.h"
#include "modko.h"
#include "modules.h"

/* The kernel's BTF is a few MB (5.6 MB for a 6.1 x86_64 defconfig); more
 * than this between the two symbols is not BTF. */
#define MAX_BTF_BYTES (256u << 20)

/* The dump's BTF is the same for every dump of one kernel build: cached
 * (../cache.h) keyed by its bytes.  A dump file read before finds it
 * without locating and reading (decompressing) the BTF again; another dump
 * finds it after reading its own BTF and comparing. */
#define BTF_KIND "btf"
#define BTF_VERSION (2u << 16 | VM_BTF_INDEX_VERSION)
/* ... and a dump storing the same bytes for it (compressed alike) finds
 * it by them, without decompressing the BTF (../cache_alias.c) */
#define BTF_ALIAS "btf_stored"

static void entry_release(void *p)
{
	vm_cache_entry_release(p);
	free(p);
}

/* The types from a cache entry (the blob is its input, its name index the
 * derived part), without a copy; on success the types own ent. */
static int add_entry(struct vm_kernel *k, struct vm_types *ts,
		     struct vm_cache_entry *ent, const char *label, struct vm_err *e)
{
	struct vm_cache_ref ref = ent->ref;

	if (ent->nin != 1)
		return vm_fail(e, VM_EFORMAT, "cache entry of another layout");
	if (vm_types_add_btf_kept(ts, ent->in[0], ent->in_len[0], ent->der,
				  ent->der_len, label, ent, entry_release, e) < 0)
		return -1;
	vm_cache_sess_put(k->cache, &ref);
	return 0;
}

static int btf_cached(struct vm_kernel *k, struct vm_types *ts, struct vm_err *e)
{
	const struct vm_cache_ref *ref = vm_cache_sess_get(k->cache, BTF_KIND);
	struct vm_cache_entry *ent;

	if (!ref || !(ent = calloc(1, sizeof(*ent))))
		return 1;
	if (vm_cache_open_ref(k->opts, ref, ent) == 0 &&
	    add_entry(k, ts, ent, "the dump's memory (cached)", e) == 0)
		return 0;
	entry_release(ent);
	return 1;
}

/* A copy of the blob and its name index, owned by the types. */
struct btf_copy {
	void *blob;
	void *index;
};

static void copy_release(void *p)
{
	struct btf_copy *c = p;

	free(c->blob);
	free(c->index);
	free(c);
}

/* Not in the cache yet: index it, store it (*ref names the entry, when
 * one was written), and use it: the caller's buffer when *own is blob (it
 * is taken: *own becomes NULL), else a copy. */
static int add_and_store(struct vm_kernel *k, struct vm_types *ts, const uint8_t *blob,
			 size_t len, uint8_t **own, const char *label,
			 struct vm_cache_ref *ref, struct vm_err *e)
{
	struct vm_cache_part in = { blob, len }, der;
	struct btf_copy *c = vm_calloc(1, sizeof(*c), e);
	size_t n;

	if (!c)
		return -1;
	if (vm_btf_index_build(blob, len, &c->index, &n, e) < 0) {
		copy_release(c);
		return -1;
	}
	if (*own == blob) {
		c->blob = *own;
		*own = NULL;
	} else if ((c->blob = vm_malloc(len, e))) {
		memcpy(c->blob, blob, len);
	} else {
		copy_release(c);
		return -1;
	}
	if (vm_types_add_btf_kept(ts, c->blob, len, c->index, n, label, c, copy_release,
				  e) < 0) {
		copy_release(c);
		return -1;
	}
	der.p = c->index;
	der.len = n;
	if (vm_cache_store(k->opts, BTF_KIND, BTF_VERSION, &in, 1, &der, 1, ref) == 0)
		vm_cache_sess_put(k->cache, ref);
	else
		ref->kind[0] = '\0';
	return 0;
}

/* Only a blob that parses is taken, and only it goes into the cache. */
struct btf_take {
	struct vm_kernel *k;
	struct vm_types *ts;
	const char *how;
	struct vm_cache_ref ref;    /* the entry taken or written; kind "" if none */
	uint8_t *own;               /* a blob the types may keep instead of a copy */
};

static int take_btf(void *ctx, const uint8_t *blob, size_t len, uint64_t va,
		    struct vm_err *e)
{
	struct btf_take *t = ctx;
	struct vm_cache_part in = { blob, len };
	struct vm_cache_entry *ent;
	char label[128];

	snprintf(label, sizeof(label), "the dump's memory (%s %#llx)", t->how,
		 (unsigned long long)va);
	if (!vm_cache_enabled(t->k->opts)) {
		/* the caller's buffer is taken as it is (7 MB not copied) */
		if (t->own == blob) {
			if (vm_types_add_btf_kept(t->ts, blob, len, NULL, 0, label, t->own,
						  free, e) < 0)
				return -1;
			t->own = NULL;
			return 0;
		}
		return vm_types_add_btf(t->ts, blob, len, label, e);
	}
	ent = vm_calloc(1, sizeof(*ent), e);
	if (!ent)
		return -1;
	if (vm_cache_lookup(t->k->opts, BTF_KIND, BTF_VERSION, &in, 1, ent) == 0) {
		t->ref = ent->ref;
		if (add_entry(t->k, t->ts, ent, label, e) == 0)
			return 0;
	}
	entry_release(ent);
	return add_and_store(t->k, t->ts, blob, len, &t->own, label, &t->ref, e);
}

/* No __start_BTF (a kernel whose kallsyms has text symbols only): look
 * for the header after the kallsyms tables, which sit in .rodata before
 * it, or after _etext. */
#define BTF_SCAN_SPAN (48u << 20)
/* what a header found by scanning may declare: ten times a 6.1 kernel's */
#define BTF_SCAN_MAX (64u << 20)

static int btf_by_scan(struct vm_kernel *k, struct btf_take *t, struct vm_err *e)
{
	struct vm_mem *m = vm_kernel_mem(k, e);
	struct vm_err se;
	uint64_t from, where;
	int rc;

	if (!m)
		return -1;
	if (vm_kernel_symbol(k, "kallsyms_token_index", &from, &se) < 0 &&
	    vm_kernel_symbol(k, "_etext", &from, &se) < 0)
		return vm_fail(e, VM_ENOENT, "no __start_BTF, kallsyms_token_index "
			       "or _etext to look for BTF from");
	t->how = "BTF header found at";
	/* the scan's pages are not kept in the page store: the BTF is */
	vm_dump_page_keep_hold(k->dump, true);
	rc = vm_btf_scan(m, from, BTF_SCAN_SPAN, BTF_SCAN_MAX, take_btf, t, &where, e);
	vm_dump_page_keep_hold(k->dump, false);
	if (rc < 0) {
		vm_err_prefix(e, "no __start_BTF symbol, and ");
		return -1;
	}
	return 0;
}

/* The BTF's pages as the dump file stores them (../cache.h stream). */
struct btf_stored {
	struct vm_mem *m;
	uint64_t start, stop;
};

static int btf_stored_each(void *ctx, int (*fn)(void *fctx, const void *p, size_t n),
			   void *fctx)
{
	struct btf_stored *bs = ctx;

	return vm_kread_stored(bs->m, bs->start, bs->stop - bs->start, fn, fctx, NULL);
}

/* The entry a dump storing the same bytes for the BTF found: 0, or 1. */
static int btf_by_stored(struct vm_kernel *k, struct vm_types *ts,
			 const struct vm_cache_stream *stored, struct vm_err *e)
{
	struct vm_cache_entry *ent = calloc(1, sizeof(*ent));

	if (!ent)
		return 1;
	if (vm_cache_alias_open(k->opts, BTF_ALIAS, stored, ent) == 0) {
		struct vm_cache_ref ref = ent->ref;
		bool verified_now = !ent->accepted_before;

		if (add_entry(k, ts, ent, "the dump's memory (cached)", e) == 0) {
			/* its checksums were computed: say when, so the next
			 * dump like this one need not */
			if (verified_now)
				vm_cache_alias_store(k->opts, BTF_ALIAS, stored, &ref);
			return 0;
		}
	}
	entry_release(ent);
	return 1;
}

static int btf_from_dump(struct vm_kernel *k, struct vm_types *ts, struct vm_err *e)
{
	struct btf_take t = { .k = k, .ts = ts, .how = "__start_BTF" };
	uint64_t start, stop;
	struct vm_mem *m;
	struct btf_stored bs;
	struct vm_cache_stream stored = { btf_stored_each, &bs };
	uint8_t *buf;
	int rc;

	if (btf_cached(k, ts, e) == 0)
		return 0;

	if (vm_kernel_symbol(k, "__start_BTF", &start, e) < 0 ||
	    vm_kernel_symbol(k, "__stop_BTF", &stop, e) < 0) {
		if (btf_by_scan(k, &t, e) == 0)
			return 0;
		vm_err_prefix(e, "no BTF in the dump: ");
		return -1;
	}
	if (stop <= start || stop - start > MAX_BTF_BYTES)
		return vm_fail(e, VM_EFORMAT, "BTF in the dump: __start_BTF %#llx .. __stop_BTF %#llx is not a plausible range",
			       (unsigned long long)start, (unsigned long long)stop);
	m = vm_kernel_mem(k, e);
	if (!m)
		return -1;
	bs.m = m;
	bs.start = start;
	bs.stop = stop;
	/* uncompressed pages are their own stored form: no alias then */
	if (!vm_dump_has_stored_form(vm_mem_dump(m)))
		stored.each = NULL;
	if (stored.each && vm_cache_enabled(k->opts) && btf_by_stored(k, ts, &stored, e) == 0)
		return 0;
	buf = vm_malloc((size_t)(stop - start), e);
	if (!buf)
		return -1;
	vm_prefault(buf, (size_t)(stop - start));
	/* its pages are in the entry: not kept in the page store too */
	vm_dump_page_keep_hold(vm_mem_dump(m), true);
	rc = vm_kread(m, start, buf, (size_t)(stop - start), e);
	vm_dump_page_keep_hold(vm_mem_dump(m), false);
	if (rc < 0) {
		vm_err_prefix(e, "reading BTF from the dump (%#llx, %llu bytes): ",
			      (unsigned long long)start,
			      (unsigned long long)(stop - start));
		free(buf);
		return -1;
	}
	t.own = buf;
	rc = take_btf(&t, buf, (size_t)(stop - start), start, e);
	buf = t.own;
	if (rc == 0 && t.ref.kind[0] && stored.each)
		vm_cache_alias_store(k->opts, BTF_ALIAS, &stored, &t.ref);
	free(buf);
	return rc;
}

/* The kernel's BTF among the sources, for a module's split BTF to build
 * on: the one loaded, or the dump's added now (types from DWARF). */
static int btf_base(struct vm_kernel *k, struct vm_types *ts, unsigned *base,
		    struct vm_err *e)
{
	unsigned i;

	for (i = 0; i < vm_types_nsources(ts); i++)
		if (vm_types_source_kind(ts, i) != VM_TSRC_DWARF) {
			*base = i;
			return 0;
		}
	if (btf_from_dump(k, ts, e) < 0)
		return -1;
	*base = vm_types_nsources(ts) - 1;
	vm_kernel_note(k, "types: %s (the base of module BTF)",
		       vm_types_source_desc(ts, *base));
	return 0;
}

static void add_module_btf(struct vm_kernel *k, struct vm_types *ts, const struct vm_module *m,
			   bool *have_base, unsigned *base)
{
	struct vm_err e;
	uint8_t *data;
	size_t len;
	char label[160];

	if (vm_module_btf(k, m, &data, &len, &e) < 0) {
		vm_kernel_note(k, "types: module %s: %s", m->name, e.msg);
		return;
	}
	if (!*have_base && btf_base(k, ts, base, &e) < 0) {
		vm_kernel_note(k, "types: module %s's BTF needs the kernel's: %s", m->name, e.msg);
		free(data);
		return;
	}
	*have_base = true;
	snprintf(label, sizeof(label), "module %s (the dump's memory)", m->name);
	if (vm_types_add_btf_split(ts, data, len, *base, label, &e) < 0)
		vm_kernel_note(k, "types: module %s's BTF: %s", m->name, e.msg);
	else
		vm_kernel_note(k, "types: %s", vm_types_source_desc(ts, vm_types_nsources(ts) - 1));
	free(data);
}

/* A module's types from its .ko's DWARF: the file modko.h finds and
 * checks for lines and code, so that a .ko which is not the loaded
 * module (another build-id, srcversion or symbol addresses) gives no
 * types either.  0 added; -1 not (said: a refused file as a warning,
 * once per module with the source lines' (modko.h), the rest for -v). */
static int add_module_dwarf(struct vm_kernel *k, struct vm_types *ts,
			    const struct vm_module *m)
{
	struct vm_err e;
	struct vm_modko *ko = vm_modko_open(k, m, &e);
	struct vm_elffile *elf;
	int r;

	if (!ko) {
		if (e.code == VM_EMISMATCH && vm_modko_first_refusal(k, m))
			vm_kernel_warn(k, "module %s: %s; not used", m->name, e.msg);
		else if (e.code == VM_EMISMATCH)
			vm_kernel_note(k, "types: module %s: %s", m->name, e.msg);
		else
			vm_kernel_note(k, "types: module %s: %s", m->name, e.msg);
		return -1;
	}
	/* the file that passed, read again as it is stored (decompressed
	 * when it is a .ko.xz or .ko.zst): the types keep their own image */
	elf = vm_modko_file_open(vm_modko_path(ko), &e);
	r = elf ? vm_types_add_dwarf_elf(ts, elf, &e) : -1;
	if (r == 0)
		vm_kernel_note(k, "types: %s (%s)",
			       vm_types_source_desc(ts, vm_types_nsources(ts) - 1),
			       vm_modko_match(ko));
	else
		vm_kernel_note(k, "types: module %s: %s", m->name, e.msg);
	vm_modko_close(ko);
	return r;
}

/* Module types: a module's .ko DWARF (-M DIR, or found: kofind.h), else
 * its own BTF kept in the dump. */
static int add_modules(void *ctx, struct vm_types *ts)
{
	struct vm_kernel *k = ctx;
	const struct vm_modlist *ml;
	struct vm_err e;
	bool have_base = false;
	unsigned base = 0;
	size_t i;

	ml = vm_kernel_modules(k, &e);
	if (!ml) {
		vm_kernel_note(k, "types: no module types: %s", e.msg);
		return 0;
	}
	for (i = 0; i < ml->n; i++)
		if (add_module_dwarf(k, ts, &ml->mods[i]) < 0)
			add_module_btf(k, ts, &ml->mods[i], &have_base, &base);
	return 0;
}

struct vm_types *vm_kernel_types(struct vm_kernel *k, struct vm_err *e)
{
	struct vm_types *ts;
	struct vm_err ve, de, be;
	const char *path;
	bool nodwarf = vm_opt_has(k->opts, "nodwarf");

	if (k->types)
		return k->types;
	if (k->types_tried) {
		*e = k->types_err;
		return NULL;
	}
	k->types_tried = true;
	vm_err_clear(&k->types_err);
	ts = vm_types_new(k->opts, &k->types_err);
	if (!ts)
		goto fail;
	vm_err_clear(&de);
	vm_err_clear(&be);
	path = vm_kernel_vmlinux(k, &ve);
	if (path && !nodwarf) {
		if (vm_types_add_dwarf(ts, path, &de) == 0)
			vm_kernel_note(k, "types: %s", vm_types_source_desc(ts, 0));
		else
			vm_kernel_note(k, "types: %s", de.msg);
	}
	if (path && vm_types_nsources(ts) == 0) {
		if (vm_types_add_btf_file(ts, path, &be) == 0)
			vm_kernel_note(k, "types: %s", vm_types_source_desc(ts, 0));
		else
			vm_kernel_note(k, "types: %s", be.msg);
	}
	if (vm_types_nsources(ts) == 0) {
		struct vm_err me;

		if (btf_from_dump(k, ts, &me) == 0) {
			vm_kernel_note(k, "types: %s", vm_types_source_desc(ts, 0));
		} else {
			/* say why each source failed, most useful first */
			if (de.msg[0] && de.code != VM_ENOENT)
				k->types_err = de;
			else if (be.msg[0] && be.code != VM_ENOENT)
				k->types_err = be;
			else
				vm_fail(&k->types_err, VM_ENOENT, "no types: %s%s%s",
					path ? "" : ve.msg, path ? "" : "; ", me.msg);
			vm_types_free(ts);
			goto fail;
		}
	}
	k->types = ts;
	/* module types only when a name is not the kernel's: the module
	 * walk (which itself asks the types for offsets) costs */
	vm_types_set_miss(ts, add_modules, k);
	return ts;
fail:
	if (e)
		*e = k->types_err;
	return NULL;
}
