// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bundle bin/ uses: dump + VMCOREINFO + arch view, with symbols and types
 * loaded lazily (debuginfo.c, types_load.c).  Lookups prefer what the dump
 * says about itself (VMCOREINFO), since that is right by construction for
 * this kernel, and fall back to debuginfo.
 */
#include "kernel.h"
#include "datasyms.h"
#include "derived.h"
#include "debuginfo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../cache.h"
#include "../types/types.h"
#include "debuginfo.h"
#include "modules.h"
#include "kofind.h"

/* a message to one of the program's callbacks (opts->note, opts->warn) */
static void say(void (*fn)(void *ctx, const char *msg), void *ctx, const char *fmt,
		va_list ap)
{
	char buf[1024];

	if (!fn)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fn(ctx, buf);
}

void vm_kernel_note(struct vm_kernel *k, const char *fmt, ...)
{
	va_list ap;

	if (!k->opts)
		return;
	va_start(ap, fmt);
	say(k->opts->note, k->opts->note_ctx, fmt, ap);
	va_end(ap);
}

void vm_kernel_warn(struct vm_kernel *k, const char *fmt, ...)
{
	va_list ap;

	if (!k->opts)
		return;
	va_start(ap, fmt);
	say(k->opts->warn, k->opts->warn_ctx, fmt, ap);
	va_end(ap);
}

static int open_vmcoreinfo(struct vm_kernel *k, struct vm_err *e)
{
	size_t len;
	const char *text = vm_dump_vmcoreinfo(k->dump, &len);

	if (!text) {
		vm_kernel_note(k, "vmcoreinfo: the dump has none");
		return 0;
	}
	/* -o novmcoreinfo: ignore a damaged note (and test the paths that
	 * work without one) */
	if (vm_opt_has(k->opts, "novmcoreinfo")) {
		vm_kernel_note(k, "vmcoreinfo: ignored (-o novmcoreinfo)");
		return 0;
	}
	k->vi = vm_vmcoreinfo_parse(text, len, e);
	if (!k->vi)
		return -1;
	vm_kernel_note(k, "vmcoreinfo: %zu bytes from the dump", len);
	return 0;
}

/* Options that leave what is read from the dump as it is: with -o keys
 * (a different KASLR offset, page table, no VMCOREINFO ...) or symbols from
 * -k / -m (which may find the slide, and the BTF, by other means) the same
 * file can give other bytes, so its record is neither used nor written.
 * with_vmlinux: -k is allowed (the record of the dump read with that
 * vmlinux file, vm_cache_sess_open_with()). */
static bool reads_as_is(const struct vm_opts *o, bool with_vmlinux)
{
	static const char *const keys[] = { "nocache", "textonly", "nodwarf" };
	unsigned i, j;

	if (o && ((o->vmlinux && !with_vmlinux) || o->sysmap))
		return false;
	for (i = 0; o && i < o->nr_ov; i++) {
		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
			if (!strcmp(o->ov[i].key, keys[j]))
				break;
		if (j == sizeof(keys) / sizeof(keys[0]))
			return false;
	}
	return true;
}

static const void *kept_get(void *ctx, uint64_t pfn, bool *stable)
{
	return vm_cache_pages_get(ctx, pfn, stable);
}

static void kept_put(void *ctx, uint64_t pfn, const void *page)
{
	vm_cache_pages_put(ctx, pfn, page);
}

static void open_cache(struct vm_kernel *k)
{
	struct stat st, vst;
	char dir[4096];

	if (!vm_cache_enabled(k->opts)) {
		vm_kernel_note(k, "cache: off");
		return;
	}
	if (vm_cache_dir_path(k->opts, dir, sizeof(dir)) < 0) {
		vm_kernel_note(k, "cache: no directory (no absolute HOME or XDG_CACHE_HOME)");
		return;
	}
	if (reads_as_is(k->opts, false) && vm_dump_stat(k->dump, &st) == 0) {
		k->cache = vm_cache_sess_open(k->opts, &st);
	} else if (k->opts && k->opts->vmlinux && reads_as_is(k->opts, true) &&
		   vm_dump_stat(k->dump, &st) == 0 && stat(k->opts->vmlinux, &vst) == 0) {
		/* a record of this dump file read with this vmlinux file:
		 * another run with both as they are reads what this one did */
		k->cache = vm_cache_sess_open_with(k->opts, &st, &vst);
	}
	vm_kernel_note(k, "cache: %s%s", dir, k->cache ? "" :
		       " (this dump file is not recorded: -m or -o keys, or not a "
		       "regular file)");
	if (k->cache && vm_dump_has_stored_form(k->dump)) {
		k->pages = vm_cache_pages_open(k->cache, vm_dump_info(k->dump)->page_size);
		if (k->pages) {
			struct vm_dump_page_keep keep = { kept_get, kept_put, k->pages };

			vm_dump_set_page_keep(k->dump, &keep);
			vm_kernel_note(k, "cache: %zu pages of this dump file kept "
				       "decompressed by earlier runs",
				       vm_cache_pages_kept(k->pages));
		}
	}
}

void vm_kernel_cache_taint(struct vm_kernel *k)
{
	vm_cache_sess_taint(k->cache);
}

struct vm_kernel *vm_kernel_open(const char *path, const struct vm_opts *o,
				 struct vm_err *e)
{
	struct vm_dump_opts dopts = { 0 };
	struct vm_kernel *k;
	uint64_t v;

	k = vm_calloc(1, sizeof(*k), e);
	if (!k)
		return NULL;
	k->opts = o;
	/* -o values were checked when parsed (opts.c) */
	if (vm_opt_u64(o, "raw_base", &v) > 0) {
		dopts.have_raw_base = true;
		dopts.raw_base = v;
	}
	k->dump = vm_dump_open(path, &dopts, e);
	if (!k->dump)
		goto fail;
	if (open_vmcoreinfo(k, e) < 0)
		goto fail;
	open_cache(k);
	/* No arch view is not fatal: vmsys and vmlog's header still work from
	 * the dump alone; later accessors say why memory is unreadable. */
	k->mem = vm_mem_open(k->dump, k->vi, o, &k->mem_err);
	if (k->mem)
		vm_kernel_note(k, "memory: %s", vm_mem_how(k->mem));
	else
		vm_kernel_note(k, "memory: no kernel address translation: %s",
			       k->mem_err.msg);
	if (vm_kernel_check_debuginfo(k, e) < 0) {
		vm_kernel_cache_taint(k);
		goto fail;
	}
	return k;
fail:
	vm_kernel_close(k);
	return NULL;
}

void vm_kernel_close(struct vm_kernel *k)
{
	if (!k)
		return;
	vm_modlist_free(k->modlist);
	vm_koindex_free(k->koidx);
	free(k->ko_said);
	vm_types_free(k->types);
	vm_symtab_free(k->symtab);
	vm_mem_close(k->mem);
	vm_vmcoreinfo_free(k->vi);
	if (vm_cache_pages_damaged(k->pages))
		vm_kernel_note(k, "cache: a kept page failed its checksum: read from "
			       "the dump, the page store rewritten");
	vm_dump_close(k->dump);
	/* the store first: it is written only if the session may still be */
	vm_cache_pages_close(k->pages);
	vm_cache_sess_close(k->cache);
	free(k->vmlinux_alloc);
	free(k);
}

struct vm_mem *vm_kernel_mem(struct vm_kernel *k, struct vm_err *e)
{
	if (!k->mem) {
		vm_fail(e, k->mem_err.code ? k->mem_err.code : VM_EUNSUP, "%s",
			k->mem_err.msg[0] ? k->mem_err.msg
					  : "no kernel address translation");
		return NULL;
	}
	return k->mem;
}

int vm_kernel_symbol(struct vm_kernel *k, const char *name, uint64_t *addr,
		     struct vm_err *e)
{
	struct vm_symtab *st;
	const struct vm_sym *s;
	struct vm_err me;

	if (k->vi && vm_vmci_symbol(k->vi, name, addr) == 0)
		return 0;
	st = vm_kernel_symtab_core(k, e);
	if (!st) {
		vm_err_prefix(e, "symbol %s: ", name);
		return -1;
	}
	s = vm_sym_by_name(st, name, NULL);
	/* the modules' symbols only for a name the kernel does not have:
	 * their walk needs the types and the module list */
	if (!s && !k->modules_loaded && vm_kernel_symtab(k, &me))
		s = vm_sym_by_name(st, name, NULL);
	if (s) {
		*addr = s->addr;
		return 0;
	}
	/* a text-only kallsyms: a few data symbols are found in memory */
	if (vm_kernel_text_only(k)) {
		int r = vm_kernel_derived_symbol(k, name, addr, NULL, e);

		if (r)
			return r > 0 ? 0 : -1;
	}
	return vm_fail(e, VM_ENOENT, "no symbol named %s", name);
}

/* VMCOREINFO names members "struct.member" with one level only. */
static int vmci_member(struct vm_kernel *k, const char *type, const char *member,
		       uint64_t *off)
{
	char key[256];

	if (!k->vi || strchr(member, '.') || strchr(member, '['))
		return -1;
	if ((size_t)snprintf(key, sizeof(key), "%s.%s", type, member) >= sizeof(key))
		return -1;
	return vm_vmci_offset(k->vi, key, off);
}

int vm_kernel_offsetof(struct vm_kernel *k, const char *type, const char *member,
		       uint64_t *off, uint64_t *size, struct vm_err *e)
{
	struct vm_types *ts;

	/* VMCOREINFO has no member sizes: only use it when none is asked. */
	if (!size && vmci_member(k, type, member, off) == 0)
		return 0;
	ts = vm_kernel_types(k, e);
	if (!ts) {
		if (size && vmci_member(k, type, member, off) == 0)
			vm_err_prefix(e, "size of %s.%s unknown without types: ",
				      type, member);
		else
			vm_err_prefix(e, "offset of %s.%s: ", type, member);
		return -1;
	}
	return vm_types_member(ts, type, member, off, size, e);
}

int vm_kernel_sizeof(struct vm_kernel *k, const char *type, uint64_t *size,
		     struct vm_err *e)
{
	struct vm_types *ts;

	if (k->vi && vm_vmci_size(k->vi, type, size) == 0)
		return 0;
	ts = vm_kernel_types(k, e);
	if (!ts) {
		vm_err_prefix(e, "size of %s: ", type);
		return -1;
	}
	return vm_types_sizeof(ts, type, size, e);
}
