// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * .symtab (elffile.h): iteration with nm's letters, lookup by name.
 * Letters follow binutils' classification of ELF symbols (the ones
 * System.map shows): from binding, symbol type and the flags of the
 * symbol's section.
 */
#include "elf_impl.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

/* Symbol at p (Elf64_Sym / Elf32_Sym layouts). */
void vm_elf_get_sym(const struct vm_elffile *f, const uint8_t *p,
		    struct vm_elf_rawsym *s)
{
	uint8_t info;

	s->name = vm_rd32(p, f->le);
	if (f->is64) {
		info = p[4];
		s->shndx = vm_rd16(p + 6, f->le);
		s->value = vm_rd64(p + 8, f->le);
		s->size = vm_rd64(p + 16, f->le);
	} else {
		s->value = vm_rd32(p + 4, f->le);
		s->size = vm_rd32(p + 8, f->le);
		info = p[12];
		s->shndx = vm_rd16(p + 14, f->le);
	}
	s->bind = info >> 4;
	s->type = info & 0xf;
}

/* The lower-case letter of a defined symbol in section i: by its flags. */
static char section_class(const struct vm_elfsec *h)
{
	if (!(h->flags & SHF_ALLOC))
		return 'n';
	if (h->flags & SHF_EXECINSTR)
		return 't';
	if (h->type == SHT_NOBITS)
		return 'b';
	if (h->flags & SHF_WRITE)
		return 'd';
	return 'r';
}

/* nm's letter for a symbol (binutils' bfd_decode_symclass on ELF). */
static char nm_letter(const struct vm_elffile *f,
		      const struct vm_elf_rawsym *s)
{
	bool global = s->bind != STB_LOCAL;
	char c;

	if (s->shndx == SHN_UNDEF)
		return s->bind == STB_WEAK ? (s->type == STT_OBJECT ? 'v' : 'w') : 'U';
	if (s->shndx == SHN_COMMON)
		return 'C';
	if (s->bind == STB_WEAK)
		return s->type == STT_OBJECT ? 'V' : 'W';
	if (s->type == STT_GNU_IFUNC)
		return 'i';
	if (s->shndx == SHN_ABS)
		return global ? 'A' : 'a';
	if (s->shndx >= SHN_LORESERVE || s->shndx >= f->nsec)
		return '?';
	c = f->nm_class[s->shndx];
	return global ? (char)(c - 'a' + 'A') : c;
}

bool vm_elffile_has_symtab(const struct vm_elffile *f)
{
	return f->symtab >= 0;
}

/* .symtab and its string table, checked; the letters per section made. */
static int symtab(struct vm_elffile *f, const uint8_t **syms, size_t *n,
		  const char **str, size_t *strsz, struct vm_err *e)
{
	const struct esec *s;
	const uint8_t *d;
	size_t sz, entsz = f->is64 ? 24 : 16;
	unsigned i;

	if (f->symtab < 0)
		return vm_fail(e, VM_ENOENT, "%s: no .symtab (stripped)", f->path);
	s = &f->sec[f->symtab];
	if (s->h.link >= f->nsec || f->sec[s->h.link].h.type != SHT_STRTAB)
		return vm_fail(e, VM_EFORMAT, "%s: .symtab: string table link %u "
			       "is no string table", f->path, s->h.link);
	if (vm_elffile_sec_data(f, (unsigned)f->symtab, syms, &sz, e) < 0 ||
	    vm_elffile_sec_data(f, s->h.link, &d, strsz, e) < 0)
		return -1;
	*str = (const char *)d;
	*n = sz / entsz;
	if (!f->nm_class) {
		f->nm_class = vm_malloc(f->nsec, e);
		if (!f->nm_class)
			return -1;
		for (i = 0; i < f->nsec; i++)
			f->nm_class[i] = section_class(&f->sec[i].h);
	}
	return 0;
}

/* A name in the string table; terminated tells that the table ends in
 * NUL (as every linker writes it), so every name in it is terminated. */
static const char *str_at(const char *str, size_t strsz, bool terminated,
			  uint32_t off)
{
	if (off >= strsz || (!terminated && !memchr(str + off, 0, strsz - off)))
		return NULL;
	return str + off;
}

typedef int (*sym_fn)(struct vm_elffile *f, const struct vm_elf_rawsym *s,
		      const char *name, void *arg);

/* fn for each defined (not SHN_UNDEF) symbol with a name in the string
 * table, the null symbol 0 left out; stops at fn's nonzero return, which
 * is returned. */
static int walk(struct vm_elffile *f, sym_fn fn, void *arg, struct vm_err *e)
{
	const uint8_t *syms = NULL;
	const char *str = NULL;
	size_t n = 0, strsz = 0, i, entsz = f->is64 ? 24 : 16;
	bool term;

	if (symtab(f, &syms, &n, &str, &strsz, e) < 0)
		return -1;
	term = strsz && !str[strsz - 1];
	for (i = 1; i < n; i++) {
		struct vm_elf_rawsym s;
		const char *name;
		int rc;

		vm_elf_get_sym(f, syms + i * entsz, &s);
		if (s.shndx == SHN_UNDEF)
			continue;
		name = str_at(str, strsz, term, s.name);
		if (name && (rc = fn(f, &s, name, arg)) != 0)
			return rc;
	}
	return 0;
}

struct each {
	vm_elffile_sym_cb cb;
	void *arg;
};

static int each_fn(struct vm_elffile *f, const struct vm_elf_rawsym *s,
		   const char *name, void *arg)
{
	const struct each *x = arg;
	const char *secname = "";

	if (s->type == STT_SECTION || s->type == STT_FILE || !*name)
		return 0;
	if (s->shndx < SHN_LORESERVE && s->shndx < f->nsec)
		secname = f->sec[s->shndx].h.name;
	return x->cb(x->arg, name, s->value, s->size, nm_letter(f, s), s->shndx,
		     secname);
}

int vm_elffile_each_symbol(struct vm_elffile *f, vm_elffile_sym_cb cb, void *arg,
			   struct vm_err *e)
{
	struct each x = { cb, arg };
	int rc = walk(f, each_fn, &x, e);

	return rc < 0 ? rc : 0;
}

struct find {
	const char *name;
	uint64_t value, size;
};

static int find_fn(struct vm_elffile *f, const struct vm_elf_rawsym *s,
		   const char *name, void *arg)
{
	struct find *x = arg;

	if (strcmp(name, x->name))
		return 0;
	x->value = s->value;
	x->size = s->size;
	return 1;
}

int vm_elffile_symbol(struct vm_elffile *f, const char *name, uint64_t *value,
		      uint64_t *size, struct vm_err *e)
{
	struct find x = { name, 0, 0 };
	int rc = walk(f, find_fn, &x, e);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return vm_fail(e, VM_ENOENT, "%s: no symbol %s", f->path, name);
	*value = x.value;
	if (size)
		*size = x.size;
	return 0;
}
