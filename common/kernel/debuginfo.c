// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which symbol source to use, and proof that it belongs to the dump.
 * A vmlinux from another build gives wrong answers that look right (crash
 * happily uses one), so every source is checked against what the dump says
 * about itself: VMCOREINFO BUILD-ID (since v5.9, 0935288c6e00), else
 * linux_banner read from the dump, else VMCOREINFO SYMBOL() addresses
 * (System.map).
 */
#include "debuginfo.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../elf/elffile.h"
#include "kaslr.h"
#include "modules.h"

#define BUILD_ID_MAX 64
#define BANNER_MAX 512

const char *vm_kernel_release(struct vm_kernel *k)
{
	const char *r = k->vi ? vm_vmci_get(k->vi, "OSRELEASE") : NULL;

	if (r && *r)
		return r;
	r = vm_dump_info(k->dump)->uts_release;
	return *r ? r : NULL;
}

/* VMCOREINFO BUILD-ID as bytes; 0 if absent or malformed. */
static size_t dump_build_id(struct vm_kernel *k, uint8_t *out, char *hex, size_t hexsz)
{
	const char *s = k->vi ? vm_vmci_get(k->vi, "BUILD-ID") : NULL;
	size_t n = 0;

	if (!s)
		return 0;
	while (s[0] && s[1] && n < BUILD_ID_MAX) {
		unsigned v;

		if (sscanf(s, "%2x", &v) != 1)
			return 0;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	if (*s && *s != ' ')
		return 0;
	snprintf(hex, hexsz, "%s", vm_vmci_get(k->vi, "BUILD-ID"));
	return n;
}

static void to_hex(const uint8_t *b, size_t n, char *out, size_t outsz)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n && 2 * i + 2 < outsz; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static uint64_t slide_of(struct vm_kernel *k)
{
	uint64_t v;

	if (k->mem)
		return vm_mem_kaslr(k->mem);
	if (k->vi && vm_vmci_hex(k->vi, "KERNELOFFSET", &v) == 0)
		return v;
	return 0;
}

/* linux_banner as the vmlinux has it; 0 with *len, -1 if unavailable. */
static int file_banner(struct vm_elffile *ef, uint64_t *addr, char *buf, size_t *len)
{
	uint64_t size = 0;
	struct vm_err ignore;
	size_t n;

	if (vm_elffile_symbol(ef, "linux_banner", addr, &size, &ignore) < 0)
		return -1;
	n = size && size < BANNER_MAX ? (size_t)size : BANNER_MAX - 1;
	/* a separate .debug file has no .rodata contents */
	while (n > 16 && vm_elffile_read(ef, *addr, buf, n, &ignore) < 0)
		n /= 2;
	if (n <= 16)
		return -1;
	buf[n] = '\0';
	*len = strnlen(buf, n);
	return 0;
}

/*
 * 0: the file is this dump's kernel (how says why); -1 with VM_EMISMATCH
 * when it is not; -1 with another code when the file is unusable.
 */
static int verify_vmlinux(struct vm_kernel *k, struct vm_elffile *ef, char *how,
			  size_t howsz, struct vm_err *e)
{
	const char *path = vm_elffile_path(ef);
	uint8_t dbid[BUILD_ID_MAX], fbid[BUILD_ID_MAX];
	char dhex[2 * BUILD_ID_MAX + 1], fhex[2 * BUILD_ID_MAX + 1];
	size_t dn = dump_build_id(k, dbid, dhex, sizeof(dhex)), fn = 0;
	int have_fbid = vm_elffile_build_id(ef, fbid, sizeof(fbid), &fn);
	char fbanner[BANNER_MAX], dbanner[BANNER_MAX];
	uint64_t baddr = 0;
	size_t blen = 0;
	bool have_fbanner;
	struct vm_err ie;

	if (dn && have_fbid) {
		to_hex(fbid, fn, fhex, sizeof(fhex));
		if (dn != fn || memcmp(dbid, fbid, dn))
			return vm_fail(e, VM_EMISMATCH,
				       "%s does not belong to this dump: its build-id is %s, "
				       "the dump's kernel has %s (VMCOREINFO BUILD-ID)",
				       path, fhex, dhex);
		snprintf(how, howsz, "build-id %s matches VMCOREINFO", fhex);
	}
	/* build-id matched and the slide is known: nothing else to learn
	 * (skips a scan of .symtab) */
	if (how[0] && (!k->mem || vm_mem_kaslr_known(k->mem)))
		return 0;
	have_fbanner = file_banner(ef, &baddr, fbanner, &blen) == 0;
	if (k->mem && !vm_mem_kaslr_known(k->mem)) {
		/* no VMCOREINFO: the banner gives the slide, and proves the
		 * match when there was no build-id to compare */
		uint64_t slide;

		if (!baddr)
			return how[0] ? 0 : vm_fail(e, VM_ENOENT, "%s: no linux_banner "
						    "symbol to find the KASLR slide with", path);
		if (vm_kernel_find_kaslr(k->mem, baddr, have_fbanner ? fbanner : NULL,
					 have_fbanner ? blen : 0, &slide, &ie) < 0) {
			if (how[0] || !have_fbanner) {
				*e = ie;
				return -1;
			}
			return vm_fail(e, VM_EMISMATCH, "%s does not belong to this dump: %s",
				       path, ie.msg);
		}
		vm_mem_set_kaslr(k->mem, slide);
		vm_kernel_note(k, "kaslr: slide 0x%" PRIx64 " found from linux_banner", slide);
		if (!how[0])
			snprintf(how, howsz, "linux_banner found in the dump at slide 0x%" PRIx64,
				 slide);
		return 0;
	}
	if (how[0])
		return 0;
	if (have_fbanner && k->mem) {
		long n = vm_kread_str(k->mem, baddr + slide_of(k), dbanner, sizeof(dbanner), &ie);

		if (n >= 0) {
			if (strcmp(dbanner, fbanner)) {
				dbanner[strcspn(dbanner, "\n")] = '\0';
				fbanner[strcspn(fbanner, "\n")] = '\0';
				return vm_fail(e, VM_EMISMATCH,
					       "%s does not belong to this dump: its linux_banner is "
					       "\"%s\", the dump's is \"%s\"", path, fbanner, dbanner);
			}
			snprintf(how, howsz, "linux_banner matches the dump's");
			return 0;
		}
	}
	/* last resort: the release in the banner against OSRELEASE */
	if (have_fbanner && vm_kernel_release(k)) {
		const char *rel = vm_kernel_release(k);
		size_t rl = strlen(rel);

		if (strncmp(fbanner + 14, rel, rl) || fbanner[14 + rl] != ' ')
			return vm_fail(e, VM_EMISMATCH,
				       "%s does not belong to this dump: it is \"%.60s\", the "
				       "dump's kernel is %s", path, fbanner, rel);
		snprintf(how, howsz, "release %s matches; build not verified", rel);
		return 0;
	}
	snprintf(how, howsz, "not verified (no build-id, no linux_banner)");
	return 0;
}

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int try_candidate(struct vm_kernel *k, const char *path, bool given,
			 struct vm_err *e)
{
	struct vm_elffile *ef;
	char how[256] = "";
	struct vm_err ie;

	if (!given && !is_file(path))
		return 0;
	ef = vm_elffile_open(path, given ? e : &ie);
	if (!ef) {
		if (!given)
			vm_kernel_note(k, "vmlinux: %s skipped: %s", path, ie.msg);
		return given ? -1 : 0;
	}
	if (verify_vmlinux(k, ef, how, sizeof(how), given ? e : &ie) < 0) {
		vm_elffile_close(ef);
		if (!given)
			vm_kernel_note(k, "vmlinux: %s skipped: %s", path, ie.msg);
		return given ? -1 : 0;
	}
	vm_elffile_close(ef);
	free(k->vmlinux_alloc);
	k->vmlinux_alloc = vm_strdup(path, e);
	if (!k->vmlinux_alloc)
		return -1;
	k->vmlinux_path = k->vmlinux_alloc;
	vm_kernel_note(k, "vmlinux: %s (%s%s)", path, given ? "-k; " : "found; ", how);
	return 1;
}

const char *vm_debug_root(void)
{
	const char *r = getenv("VMCOREUTILS_DEBUG_ROOT");

	return r && *r == '/' ? r : "";
}

static int search_vmlinux(struct vm_kernel *k, struct vm_err *e)
{
	uint8_t bid[BUILD_ID_MAX];
	char hex[2 * BUILD_ID_MAX + 1], path[4096];
	const char *rel = vm_kernel_release(k), *root = vm_debug_root();
	/* the file opened: DUMP may be a list of split parts "p1,p2" */
	const char *dump = k->dump ? vm_dump_path(k->dump) : NULL;
	int r;

	/* the build-id path first: it names this very build */
	if (dump_build_id(k, bid, hex, sizeof(hex)) > 1) {
		snprintf(path, sizeof(path), "%s/usr/lib/debug/.build-id/%.2s/%s.debug",
			 root, hex, hex + 2);
		if ((r = try_candidate(k, path, false, e)) != 0)
			return r;
	}
	if (rel) {
		/* prefix + release + suffix */
		static const char *const pre[][2] = {
			{ "/usr/lib/debug/boot/vmlinux-", "" },
			{ "/usr/lib/debug/lib/modules/", "/vmlinux" },
			{ "/boot/vmlinux-", "" },
		};
		unsigned i;

		for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
			snprintf(path, sizeof(path), "%s%s%s%s", root, pre[i][0], rel, pre[i][1]);
			if ((r = try_candidate(k, path, false, e)) != 0)
				return r;
		}
	}
	if (dump) {
		const char *slash = strrchr(dump, '/');
		int dl = slash ? (int)(slash - dump) : 1;
		const char *dir = slash ? dump : ".";

		if (slash == dump)
			dl = 1;
		if (rel) {
			snprintf(path, sizeof(path), "%.*s/vmlinux-%s", dl, dir, rel);
			if ((r = try_candidate(k, path, false, e)) != 0)
				return r;
		}
		snprintf(path, sizeof(path), "%.*s/vmlinux", dl, dir);
		if ((r = try_candidate(k, path, false, e)) != 0)
			return r;
	}
	return 0;
}

const char *vm_kernel_vmlinux(struct vm_kernel *k, struct vm_err *e)
{
	int r;

	if (k->vmlinux_tried) {
		if (!k->vmlinux_path)
			*e = k->vmlinux_err;
		return k->vmlinux_path;
	}
	k->vmlinux_tried = true;
	vm_err_clear(&k->vmlinux_err);
	if (k->opts && k->opts->vmlinux)
		r = try_candidate(k, k->opts->vmlinux, true, &k->vmlinux_err);
	else
		r = search_vmlinux(k, &k->vmlinux_err);
	if (r == 0)
		vm_fail(&k->vmlinux_err, VM_ENOENT, "no vmlinux for %s found (give -k)",
			vm_kernel_release(k) ? vm_kernel_release(k) : "this kernel");
	if (r <= 0) {
		k->vmlinux_path = NULL;
		if (e)
			*e = k->vmlinux_err;
		return NULL;
	}
	return k->vmlinux_path;
}

/* The System.map must put the symbols VMCOREINFO names where the dump has
 * them (after the slide).  SYMBOL() is an address (&name, or an array's
 * name) for all but mem_section, which with SPARSEMEM_EXTREME is a pointer
 * whose value VMCOREINFO gives (kernel/crash_core.c,
 * VMCOREINFO_SYMBOL_ARRAY). */
static int verify_sysmap(struct vm_kernel *k, struct vm_symtab *st, const char *path,
			 struct vm_err *e)
{
	const char *key, *val;
	unsigned checked = 0;
	size_t i;

	for (i = 0; k->vi && (key = vm_vmci_key_at(k->vi, i, &val)); i++) {
		char name[128];
		const struct vm_sym *sym;
		size_t n = strlen(key);
		uint64_t v;

		if (strncmp(key, "SYMBOL(", 7) || key[n - 1] != ')' || n - 8 >= sizeof(name))
			continue;
		memcpy(name, key + 7, n - 8);
		name[n - 8] = '\0';
		if (!strcmp(name, "mem_section") || vm_vmci_symbol(k->vi, name, &v) < 0)
			continue;
		sym = vm_sym_by_name(st, name, NULL);
		if (!sym)
			continue;
		if (sym->addr != v)
			return vm_fail(e, VM_EMISMATCH,
				       "%s does not belong to this dump: %s is at 0x%" PRIx64
				       " in it (with slide 0x%" PRIx64 "), at 0x%" PRIx64
				       " in the dump (VMCOREINFO)", path, name, sym->addr,
				       slide_of(k), v);
		checked++;
	}
	if (checked)
		vm_kernel_note(k, "symbols: System.map %s (%u VMCOREINFO symbols match)", path,
			       checked);
	else
		vm_kernel_note(k, "symbols: System.map %s (not verified: no VMCOREINFO)", path);
	return 0;
}

static int load_sysmap(struct vm_kernel *k, struct vm_symtab *st, const char *path,
		       struct vm_err *e)
{
	if (k->mem && !vm_mem_kaslr_known(k->mem)) {
		/* the slide is unknown: read the map unslid once to find
		 * linux_banner's link address */
		struct vm_symtab *tmp = vm_symtab_new(e);
		const struct vm_sym *b;
		uint64_t slide;

		if (!tmp)
			return -1;
		if (vm_symtab_load_sysmap(tmp, path, 0, e) < 0) {
			vm_symtab_free(tmp);
			return -1;
		}
		b = vm_sym_by_name(tmp, "linux_banner", NULL);
		if (!b) {
			vm_symtab_free(tmp);
			return vm_fail(e, VM_ENOENT, "%s: no linux_banner; give -o kaslr=", path);
		}
		if (vm_kernel_find_kaslr(k->mem, b->addr, NULL, 0, &slide, e) < 0) {
			vm_symtab_free(tmp);
			return -1;
		}
		vm_symtab_free(tmp);
		vm_mem_set_kaslr(k->mem, slide);
		vm_kernel_note(k, "kaslr: slide 0x%" PRIx64 " found from linux_banner", slide);
	}
	if (vm_symtab_load_sysmap(st, path, slide_of(k), e) < 0)
		return -1;
	return verify_sysmap(k, st, path, e);
}

/* a core kernel symbol's address, or 0 */
static uint64_t core_sym(struct vm_symtab *st, const char *name)
{
	const struct vm_sym *s = vm_sym_by_name(st, name, NULL);

	return s ? s->addr : 0;
}

/* -o textonly: the symbols a kernel without CONFIG_KALLSYMS_ALL lists:
 * scripts/kallsyms keeps text symbols in _stext.._etext and
 * _sinittext.._einittext only (the letter alone is not enough: v7.x lists
 * jiffies, tasklist_lock and the like in .data as T and t). */
static int text_only(struct vm_symtab **stp, struct vm_err *e)
{
	struct vm_symtab *st = *stp, *t = vm_symtab_new(e);
	size_t i, n = vm_symtab_count(st);
	uint64_t etext = core_sym(st, "_etext"), sinit = core_sym(st, "_sinittext"),
		 einit = core_sym(st, "_einittext");

	if (!t)
		return -1;
	for (i = 0; i < n; i++) {
		const struct vm_sym *s = vm_symtab_at(st, i);

		if (!s->module && etext && sinit && einit && s->addr > etext &&
		    (s->addr < sinit || s->addr > einit))
			continue;
		if (strchr("tTwW", s->type) &&
		    vm_symtab_add(t, s->addr, s->size, s->type, s->name, s->module, e) < 0) {
			vm_symtab_free(t);
			return -1;
		}
	}
	vm_symtab_set_source(t, vm_symtab_source(st));
	vm_symtab_free(st);
	*stp = t;
	return 0;
}

struct vm_symtab *vm_kernel_symtab_core(struct vm_kernel *k, struct vm_err *e)
{
	struct vm_symtab *st;
	const char *vmlinux;
	struct vm_err ve;

	if (k->symtab)
		return k->symtab;
	if (k->symtab_tried) {
		*e = k->sym_err;
		return NULL;
	}
	k->symtab_tried = true;
	st = vm_symtab_new(&k->sym_err);
	if (!st)
		goto fail;
	vm_err_clear(&ve);
	vmlinux = vm_kernel_vmlinux(k, &ve);
	if (vmlinux && vm_symtab_load_elf(st, vmlinux, slide_of(k), &ve) == 0) {
		vm_kernel_note(k, "symbols: vmlinux %s (%zu symbols, slide 0x%" PRIx64 ")",
			       vmlinux, vm_symtab_count(st), slide_of(k));
	} else if (vmlinux && ve.code != VM_ENOENT) {
		k->sym_err = ve;
		goto fail;
	} else if (vmlinux) {
		/* a stripped vmlinux (types from its BTF still count): use the
		 * next source for names */
		vm_kernel_note(k, "symbols: %s", ve.msg);
		vm_symtab_free(st);
		st = vm_symtab_new(&k->sym_err);
		if (!st)
			goto fail;
		vmlinux = NULL;
		ve.code = VM_ENOENT;
	}
	if (vmlinux) {
		/* loaded above */
	} else if (ve.code != VM_ENOENT) {
		/* -k given but refused or unreadable: never fall back silently */
		k->sym_err = ve;
		goto fail;
	} else if (k->opts && k->opts->sysmap) {
		if (load_sysmap(k, st, k->opts->sysmap, &k->sym_err) < 0)
			goto fail;
	} else if (k->mem) {
		if (vm_symtab_load_kallsyms_cached(st, k->mem, k->cache, &k->sym_err) < 0) {
			vm_err_prefix(&k->sym_err, "no vmlinux, no System.map, and the dump's "
				      "kallsyms: ");
			goto fail;
		}
		vm_kernel_note(k, "symbols: kallsyms from the dump (%zu symbols)",
			       vm_symtab_count(st));
		if (vm_opt_has(k->opts, "textonly") && text_only(&st, &k->sym_err) < 0)
			goto fail;
	} else {
		vm_fail(&k->sym_err, VM_ENOENT, "no symbols: no vmlinux (-k), no System.map "
			"(-m), and no kernel memory view for the dump's kallsyms (%s)",
			k->mem_err.msg);
		goto fail;
	}
	vm_symtab_finish(st);
	k->symtab = st;
	return st;
fail:
	vm_symtab_free(st);
	*e = k->sym_err;
	return NULL;
}

struct vm_symtab *vm_kernel_symtab(struct vm_kernel *k, struct vm_err *e)
{
	struct vm_symtab *st = vm_kernel_symtab_core(k, e);
	struct vm_err me;

	if (!st)
		return NULL;
	/* The module walk needs struct module's layout from the types, and
	 * loading the types may itself look up symbols (__start_BTF): while
	 * the types are being loaded (or could not be), hand out the kernel's
	 * own symbols and walk the modules on a later call. */
	if (k->types_tried && !k->types)
		return st;
	if (!k->modules_loaded && vm_kernel_load_modules(k, &me) < 0)
		vm_kernel_note(k, "modules: no module symbols: %s", me.msg);
	return st;
}

/*
 * Debuginfo the user named must belong to the dump: checked when the
 * kernel is opened, so that every program refuses a wrong one alike,
 * before it answers anything (a program that never needs symbols must not
 * pass over it silently, nor one that does degrade to the dump's own
 * tables).  Only a proven mismatch refuses; an unreadable file is reported
 * by whatever needs it, as before.
 */
int vm_kernel_check_debuginfo(struct vm_kernel *k, struct vm_err *e)
{
	const struct vm_opts *o = k->opts;
	struct vm_err ie;
	size_t i;

	if (!o)
		return 0;
	if (o->vmlinux && !vm_kernel_vmlinux(k, &ie) && ie.code == VM_EMISMATCH) {
		*e = ie;
		return -1;
	}
	if (o->sysmap && o->vmlinux && k->mem) {
		/* the symbols come from the vmlinux: check the map apart */
		struct vm_symtab *st = vm_symtab_new(&ie);
		int r = st ? load_sysmap(k, st, o->sysmap, &ie) : -1;

		vm_symtab_free(st);
		if (r < 0 && ie.code == VM_EMISMATCH) {
			*e = ie;
			return -1;
		}
	} else if (o->sysmap && !vm_kernel_symtab_core(k, &ie) && ie.code == VM_EMISMATCH) {
		*e = ie;
		return -1;
	}
	if (o->moddir && k->mem) {
		const struct vm_modlist *ml = vm_kernel_modules(k, &ie);

		for (i = 0; ml && i < ml->n; i++)
			if (ml->mods[i].ko_refused[0])
				return vm_fail(e, VM_EMISMATCH, "%s", ml->mods[i].ko_refused);
	}
	return 0;
}
