// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding a loaded module's .ko, checking that it is the file that was
 * loaded, and placing its sections where the kernel put them.
 *
 * Kernel facts used (offsets always from VMCOREINFO/types):
 *  - module->sect_attrs lists every SHF_ALLOC section the loader placed,
 *    with its address (kernel/module/sysfs.c add_sect_attrs(), v2.6.7+;
 *    read by modules.c).  The .note.gnu.build-id section is one of them,
 *    so the build-id of the loaded module is in memory even where
 *    struct module has no build_id field (that needs
 *    CONFIG_STACKTRACE_BUILD_ID, v5.14+).
 *  - module->srcversion points to the .modinfo "srcversion=" string
 *    (kernel/module/main.c setup_modinfo_srcversion); modpost writes one
 *    only for modules with MODULE_VERSION or with
 *    CONFIG_MODULE_SRCVERSION_ALL.
 */
#include "modko_impl.h"

#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../types/lines.h"
#include "../rd.h"
#include "debuginfo.h"
#include "kofind.h"

#define MAX_SRCVERSION 64

/* ---- what the dump says about the loaded module ---- */

static const struct vm_mod_section *msec(const struct vm_mod_section *s, unsigned n,
					 const char *name)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return &s[i];
	return NULL;
}

/* The GNU build-id note at addr in module memory: its length, 0 if none. */
static unsigned mem_build_id(struct vm_kernel *k, uint64_t addr, uint8_t *id, unsigned max)
{
	uint8_t b[16 + 64];
	struct vm_err ie;
	uint32_t namesz, descsz, type;

	if (vm_kread(k->mem, addr, b, 16, &ie) < 0)
		return 0;
	namesz = vm_rd32(b, true);
	descsz = vm_rd32(b + 4, true);
	type = vm_rd32(b + 8, true);
	if (namesz != 4 || memcmp(b + 12, "GNU", 4) || type != NT_GNU_BUILD_ID ||
	    descsz == 0 || descsz > max || descsz > 64)
		return 0;
	if (vm_kread(k->mem, addr + 16, id, descsz, &ie) < 0)
		return 0;
	return descsz;
}

static bool mem_srcversion(struct vm_kernel *k, const struct vm_module *m, char *buf,
			   size_t n)
{
	struct vm_err ie;
	uint64_t off, p;

	if (vm_kernel_offsetof(k, "module", "srcversion", &off, NULL, &ie) < 0 ||
	    vm_kread_u64(k->mem, m->addr + off, &p, &ie) < 0 || !p)
		return false;
	return vm_kread_str(k->mem, p, buf, n, &ie) > 0;
}

static bool ko_srcversion(struct vm_elffile *f, char *buf, size_t n)
{
	const uint8_t *d, *p, *end;
	size_t sz;
	struct vm_err ie;

	if (vm_elffile_sec_data_named(f, ".modinfo", &d, &sz, &ie) < 0 || !d)
		return false;
	for (p = d, end = d + sz; p < end;) {
		const uint8_t *z = memchr(p, 0, (size_t)(end - p));
		size_t l = z ? (size_t)(z - p) : (size_t)(end - p);

		if (l > 11 && !memcmp(p, "srcversion=", 11) && l - 11 < n) {
			memcpy(buf, p + 11, l - 11);
			buf[l - 11] = '\0';
			return true;
		}
		p += l + 1;
	}
	return false;
}

static void hex(const uint8_t *b, unsigned n, char *out, size_t outsz)
{
	unsigned i;

	out[0] = '\0';
	for (i = 0; i < n && 2 * i + 2 < outsz; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* Tell the ELF layer where each loaded section is (before anything
 * relocated is read). */
static int place_sections(struct vm_modko *ko, struct vm_elffile *f, struct vm_err *e)
{
	unsigned i;

	for (i = 1; i < ko->nsec; i++)
		if (ko->place[i] && vm_elffile_sec_place(f, i, ko->place[i], e) < 0)
			return -1;
	return 0;
}

/* Section addresses of the file from the module's sect_attrs. */
static int place(struct vm_modko *ko, const struct vm_mod_section *ms, unsigned nms,
		 struct vm_err *e)
{
	unsigned i, placed = 0;

	ko->nsec = vm_elffile_nsec(ko->elf);
	ko->place = vm_calloc(ko->nsec ? ko->nsec : 1, sizeof(*ko->place), e);
	ko->reloc = vm_calloc(ko->nsec ? ko->nsec : 1, sizeof(*ko->reloc), e);
	if (!ko->place || !ko->reloc)
		return -1;
	for (i = 1; i < ko->nsec; i++) {
		const struct vm_elfsec *sec = vm_elffile_sec(ko->elf, i);
		const struct vm_mod_section *s;

		if (!(sec->flags & SHF_ALLOC) || !sec->name[0])
			continue;
		s = msec(ms, nms, sec->name);
		if (s) {
			ko->place[i] = s->addr;
			placed++;
		}
	}
	if (!placed)
		return vm_fail(e, VM_EMISMATCH, "%s: none of its sections is among the "
			       "loaded %s's", ko->path, ko->m->name);
	return place_sections(ko, ko->elf, e);
}

/* Every function and object symbol of the file against the module's own
 * kallsyms; 1 all that could be compared agree, 0 none could, -1 not. */
static int symbols_agree(struct vm_modko *ko, struct vm_symtab *st, unsigned *checked,
			 struct vm_err *e)
{
	size_t i, n = vm_modko_nsyms(ko->elf);
	unsigned bad = 0;
	struct vm_kosym s;
	const char *first_bad = NULL;

	*checked = 0;
	for (i = 1; i < n; i++) {
		const struct vm_sym *have;

		const char *secname;

		if (!vm_modko_sym(ko->elf, i, &s) || !s.name[0] ||
		    (s.type != STT_FUNC && s.type != STT_OBJECT) ||
		    s.shndx == 0 || s.shndx >= ko->nsec || !ko->place[s.shndx])
			continue;
		/* .init code is freed; its symbols are gone from kallsyms */
		secname = vm_elffile_sec(ko->elf, s.shndx)->name;
		if (!strncmp(secname, ".init", 5) || !strncmp(secname, ".exit", 5))
			continue;
		have = vm_sym_by_name(st, s.name, ko->m->name);
		if (!have)
			continue;
		(*checked)++;
		if (have->addr != ko->place[s.shndx] + s.value) {
			bad++;
			if (!first_bad)
				first_bad = s.name;
		}
	}
	if (bad)
		return vm_fail(e, VM_EMISMATCH, "%s does not match the loaded %s: %u of %u "
			       "symbols at other addresses (%s)", ko->path, ko->m->name,
			       bad, *checked, first_bad);
	return *checked > 0;
}

/* Is this the file of the loaded module?  0 yes (ko->match says why),
 * -1 no (VM_EMISMATCH) or cannot tell. */
static int verify(struct vm_modko *ko, const struct vm_mod_section *ms, unsigned nms,
		  struct vm_err *e)
{
	const struct vm_mod_section *note = msec(ms, nms, ".note.gnu.build-id");
	char a[MAX_SRCVERSION + 1], b[MAX_SRCVERSION + 1], h1[140], h2[140];
	uint8_t id[64], fid[64];
	size_t flen = 0;
	unsigned n = 0, checked;
	struct vm_symtab *st;
	int r;

	if (vm_elffile_build_id(ko->elf, fid, sizeof(fid), &flen) != 1)
		flen = 0;
	if (note && flen)
		n = mem_build_id(ko->k, note->addr, id, sizeof(id));
	if (n) {
		hex(fid, (unsigned)flen, h1, sizeof(h1));
		hex(id, n, h2, sizeof(h2));
		if (n != flen || memcmp(id, fid, n))
			return vm_fail(e, VM_EMISMATCH, "%s: build-id %s, the loaded %s has %s",
				       ko->path, h1, ko->m->name, h2);
		snprintf(ko->match, sizeof(ko->match), "build-id %s", h1);
		return 0;
	}
	if (mem_srcversion(ko->k, ko->m, a, sizeof(a)) && ko_srcversion(ko->elf, b, sizeof(b))) {
		if (strcmp(a, b))
			return vm_fail(e, VM_EMISMATCH, "%s: srcversion %s, the loaded %s has %s",
				       ko->path, b, ko->m->name, a);
		snprintf(ko->match, sizeof(ko->match), "srcversion %s", a);
		return 0;
	}
	st = vm_kernel_symtab(ko->k, e);
	if (!st)
		return -1;
	r = symbols_agree(ko, st, &checked, e);
	if (r < 0)
		return -1;
	if (r == 0)
		return vm_fail(e, VM_EMISMATCH, "%s: cannot tell whether it is the loaded %s "
			       "(no build-id, srcversion or symbols to compare)",
			       ko->path, ko->m->name);
	snprintf(ko->match, sizeof(ko->match), "%u symbols at their addresses", checked);
	return 0;
}

/* The file once more, its sections placed: a line table takes the file
 * it reads for its own. */
struct vm_elffile *vm_modko_open_placed(struct vm_modko *ko, struct vm_err *e)
{
	struct vm_elffile *f = vm_modko_file_open(ko->path, e);

	if (!f)
		return NULL;
	if (vm_elffile_nsec(f) != ko->nsec || place_sections(ko, f, e) < 0) {
		if (!e->code)
			vm_fail(e, VM_EFORMAT, "%s changed while it was read", ko->path);
		vm_elffile_close(f);
		return NULL;
	}
	return f;
}

static struct vm_modko *try_open(struct vm_kernel *k, const struct vm_module *m,
				 const char *path, const struct vm_mod_section *ms,
				 unsigned nms, struct vm_err *e)
{
	struct vm_modko *ko = vm_calloc(1, sizeof(*ko), e);

	if (!ko)
		return NULL;
	ko->k = k;
	ko->m = m;
	ko->path = vm_strdup(path, e);
	if (!ko->path || !(ko->elf = vm_modko_file_open(path, e)))
		goto fail;
	if (vm_elffile_type(ko->elf) != ET_REL) {
		vm_fail(e, VM_EFORMAT, "%s: not a relocatable object (ELF type %u)",
			path, vm_elffile_type(ko->elf));
		goto fail;
	}
	if (k->mem && vm_elffile_machine(ko->elf) != vm_mem_arch(k->mem)->e_machine) {
		vm_fail(e, VM_EMISMATCH, "%s: ELF machine %u, the dump is %s", path,
			vm_elffile_machine(ko->elf), vm_mem_arch(k->mem)->name);
		goto fail;
	}
	if (place(ko, ms, nms, e) < 0 || verify(ko, ms, nms, e) < 0)
		goto fail;
	return ko;
fail:
	vm_modko_close(ko);
	return NULL;
}

struct vm_modko *vm_modko_open(struct vm_kernel *k, const struct vm_module *m,
			       struct vm_err *e)
{
	struct vm_kofiles f;
	struct vm_mod_section *ms = NULL;
	struct vm_modko *ko = NULL;
	unsigned nms = 0, i;
	struct vm_err first;

	vm_err_clear(&first);
	if (vm_kofind(k, m->name, &f, e) < 0)
		return NULL;
	if (vm_kernel_module_sections(k, m, &ms, &nms, e) < 0)
		return NULL;
	/* best first: the debug tree's copy, which has DWARF */
	for (i = 0; i < f.n && !ko; i++) {
		struct vm_err ie;

		ko = try_open(k, m, f.path[i], ms, nms, &ie);
		if (!ko && !first.code)
			first = ie;
	}
	if (!ko)
		*e = first;
	else
		vm_kernel_note(k, "modules: %s: %s (%s)", m->name, ko->path, ko->match);
	free(ms);
	return ko;
}

bool vm_modko_first_refusal(struct vm_kernel *k, const struct vm_module *m)
{
	uint64_t *n;
	size_t i;

	for (i = 0; i < k->nko_said; i++)
		if (k->ko_said[i] == m->addr)
			return false;
	/* out of memory: said again rather than never */
	n = realloc(k->ko_said, (k->nko_said + 1) * sizeof(*n));
	if (n) {
		k->ko_said = n;
		k->ko_said[k->nko_said++] = m->addr;
	}
	return true;
}

void vm_modko_close(struct vm_modko *ko)
{
	unsigned i;

	if (!ko)
		return;
	vm_lines_close(ko->lines);
	if (ko->reloc)
		for (i = 0; i < ko->nsec; i++)
			free(ko->reloc[i]);
	free(ko->reloc);
	free(ko->place);
	vm_elffile_close(ko->elf);
	free(ko->path);
	free(ko);
}

const char *vm_modko_path(const struct vm_modko *ko)
{
	return ko->path;
}

const struct vm_module *vm_modko_module(const struct vm_modko *ko)
{
	return ko->m;
}

const char *vm_modko_match(const struct vm_modko *ko)
{
	return ko->match;
}

struct vm_elffile *vm_modko_elf(struct vm_modko *ko)
{
	return ko->elf;
}

uint64_t vm_modko_section_addr(const struct vm_modko *ko, unsigned i)
{
	return i < ko->nsec ? ko->place[i] : 0;
}

struct vm_lines *vm_modko_lines(struct vm_modko *ko, struct vm_err *e)
{
	if (!ko->lines_tried) {
		struct vm_elffile *f;

		ko->lines_tried = true;
		f = vm_modko_open_placed(ko, &ko->lines_err);
		if (f)
			ko->lines = vm_lines_open_elf(f, false, &ko->lines_err);
	}
	if (!ko->lines)
		*e = ko->lines_err;
	return ko->lines;
}
