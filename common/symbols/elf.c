// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmlinux / .ko symbols through libelf.  Types follow nm's letters (the
 * ones System.map shows) derived from binding, symbol type and the flags of
 * the symbol's section.
 */
#include "elffile.h"
#include "symtab_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

struct vm_elffile {
	char *path;
	int fd;
	Elf *elf;
	size_t shstrndx;
	uint16_t machine;
	Elf_Scn *symtab;       /* NULL if stripped */
	size_t strndx;         /* .strtab's index */
};

static void elf_err(struct vm_err *e, const char *path, const char *what)
{
	vm_fail(e, VM_EFORMAT, "%s: %s: %s", path, what, elf_errmsg(-1));
}

struct vm_elffile *vm_elffile_open(const char *path, struct vm_err *e)
{
	struct vm_elffile *ef;
	GElf_Ehdr eh;
	Elf_Scn *scn = NULL;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		vm_fail(e, VM_EUNSUP, "libelf: %s", elf_errmsg(-1));
		return NULL;
	}
	ef = vm_calloc(1, sizeof(*ef), e);
	if (!ef)
		return NULL;
	ef->fd = -1;
	ef->path = vm_strdup(path, e);
	if (!ef->path)
		goto fail;
	ef->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ef->fd < 0) {
		vm_fail(e, VM_EIO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	ef->elf = elf_begin(ef->fd, ELF_C_READ_MMAP, NULL);
	if (!ef->elf || elf_kind(ef->elf) != ELF_K_ELF) {
		vm_fail(e, VM_EFORMAT, "%s: not an ELF file", path);
		goto fail;
	}
	if (!gelf_getehdr(ef->elf, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64) {
		vm_fail(e, VM_EFORMAT, "%s: not a 64-bit ELF file", path);
		goto fail;
	}
	ef->machine = eh.e_machine;
	if (elf_getshdrstrndx(ef->elf, &ef->shstrndx) < 0) {
		elf_err(e, path, "section names");
		goto fail;
	}
	while ((scn = elf_nextscn(ef->elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			ef->symtab = scn;
			ef->strndx = sh.sh_link;
			break;
		}
	}
	return ef;
fail:
	vm_elffile_close(ef);
	return NULL;
}

void vm_elffile_close(struct vm_elffile *ef)
{
	if (!ef)
		return;
	if (ef->elf)
		elf_end(ef->elf);
	if (ef->fd >= 0)
		close(ef->fd);
	free(ef->path);
	free(ef);
}

const char *vm_elffile_path(const struct vm_elffile *ef) { return ef->path; }
uint16_t vm_elffile_machine(const struct vm_elffile *ef) { return ef->machine; }

int vm_elffile_build_id(struct vm_elffile *ef, uint8_t *buf, size_t bufsz,
			size_t *len)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ef->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		while ((off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)d->d_buf + noff, "GNU", 4)) {
				size_t n = nh.n_descsz < bufsz ? nh.n_descsz : bufsz;

				memcpy(buf, (char *)d->d_buf + doff, n);
				*len = n;
				return 1;
			}
		}
	}
	return 0;
}

/* nm's letter for a symbol (binutils' bfd_decode_symclass on ELF). */
static char sym_type(struct vm_elffile *ef, const GElf_Sym *s)
{
	int bind = GELF_ST_BIND(s->st_info), type = GELF_ST_TYPE(s->st_info);
	bool global = bind != STB_LOCAL;
	GElf_Shdr sh;
	Elf_Scn *scn;
	char c;

	if (s->st_shndx == SHN_UNDEF)
		return bind == STB_WEAK ? (type == STT_OBJECT ? 'v' : 'w') : 'U';
	if (s->st_shndx == SHN_COMMON)
		return 'C';
	if (bind == STB_WEAK)
		return type == STT_OBJECT ? 'V' : 'W';
	if (type == STT_GNU_IFUNC)
		return 'i';
	if (s->st_shndx == SHN_ABS)
		return global ? 'A' : 'a';
	if (s->st_shndx >= SHN_LORESERVE)
		return '?';
	scn = elf_getscn(ef->elf, s->st_shndx);
	if (!scn || !gelf_getshdr(scn, &sh))
		return '?';
	if (!(sh.sh_flags & SHF_ALLOC))
		c = 'n';
	else if (sh.sh_flags & SHF_EXECINSTR)
		c = 't';
	else if (sh.sh_type == SHT_NOBITS)
		c = 'b';
	else if (sh.sh_flags & SHF_WRITE)
		c = 'd';
	else
		c = 'r';
	return global ? (char)(c - 'a' + 'A') : c;
}

/* scripts/mksysmap drops these (v2.6 .. v6.1). */
static bool sysmap_wants(const char *name, char type)
{
	if (!*name || strchr("aNUwnv?", type))
		return false;
	return name[0] != '$' && strncmp(name, ".L", 2) && strncmp(name, "__crc_", 6) &&
	       strncmp(name, "__kstrtab_", 10) && strncmp(name, "__kstrtabns_", 12) &&
	       strcmp(name, "L0");
}

int vm_elffile_each_symbol(struct vm_elffile *ef, vm_elffile_sym_cb cb, void *arg,
			   struct vm_err *e)
{
	Elf_Data *d;
	GElf_Shdr sh;
	size_t i, n;

	if (!ef->symtab)
		return vm_fail(e, VM_ENOENT, "%s: no .symtab (stripped)", ef->path);
	if (!gelf_getshdr(ef->symtab, &sh) || !sh.sh_entsize ||
	    !(d = elf_getdata(ef->symtab, NULL))) {
		elf_err(e, ef->path, ".symtab");
		return -1;
	}
	n = d->d_size / sizeof(Elf64_Sym);
	for (i = 1; i < n; i++) {
		GElf_Sym s;
		const char *name, *secname = "";
		int type;

		if (!gelf_getsym(d, (int)i, &s))
			break;
		type = GELF_ST_TYPE(s.st_info);
		if (type == STT_SECTION || type == STT_FILE || s.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(ef->elf, ef->strndx, s.st_name);
		if (!name || !*name)
			continue;
		if (s.st_shndx < SHN_LORESERVE) {
			Elf_Scn *scn = elf_getscn(ef->elf, s.st_shndx);
			GElf_Shdr ssh;

			if (scn && gelf_getshdr(scn, &ssh)) {
				const char *sn = elf_strptr(ef->elf, ef->shstrndx, ssh.sh_name);

				if (sn)
					secname = sn;
			}
		}
		if (cb(arg, name, s.st_value, s.st_size, sym_type(ef, &s), s.st_shndx,
		       secname) < 0)
			return -1;
	}
	return 0;
}

int vm_elffile_add_symbols(struct vm_elffile *ef, struct vm_symtab *st,
			   const char *module, struct vm_err *e)
{
	Elf_Data *d;
	GElf_Shdr sh;
	size_t i, n;
	char *types;
	unsigned nsec;
	size_t shnum;

	if (!ef->symtab)
		return vm_fail(e, VM_ENOENT, "%s: no .symtab (stripped)", ef->path);
	if (!gelf_getshdr(ef->symtab, &sh) || !(d = elf_getdata(ef->symtab, NULL))) {
		elf_err(e, ef->path, ".symtab");
		return -1;
	}
	/* one letter per section, computed once (110k symbols, ~40 sections) */
	if (elf_getshdrnum(ef->elf, &shnum) < 0 || shnum > 1u << 20) {
		elf_err(e, ef->path, "section count");
		return -1;
	}
	types = vm_malloc(shnum ? shnum : 1, e);
	if (!types)
		return -1;
	for (nsec = 0; nsec < shnum; nsec++) {
		Elf_Scn *scn = elf_getscn(ef->elf, nsec);
		GElf_Shdr ssh;
		char c = '?';

		if (scn && gelf_getshdr(scn, &ssh)) {
			if (!(ssh.sh_flags & SHF_ALLOC))
				c = 'n';
			else if (ssh.sh_flags & SHF_EXECINSTR)
				c = 't';
			else if (ssh.sh_type == SHT_NOBITS)
				c = 'b';
			else if (ssh.sh_flags & SHF_WRITE)
				c = 'd';
			else
				c = 'r';
		}
		types[nsec] = c;
	}
	n = d->d_size / sizeof(Elf64_Sym);
	for (i = 1; i < n; i++) {
		const Elf64_Sym *s = (const Elf64_Sym *)d->d_buf + i;
		int type = ELF64_ST_TYPE(s->st_info), bind = ELF64_ST_BIND(s->st_info);
		const char *name;
		char c;

		if (type == STT_SECTION || type == STT_FILE)
			continue;
		if (s->st_shndx != SHN_UNDEF && s->st_shndx != SHN_COMMON &&
		    bind != STB_WEAK && type != STT_GNU_IFUNC && s->st_shndx != SHN_ABS &&
		    s->st_shndx < shnum) {
			c = types[s->st_shndx];
			if (bind != STB_LOCAL)
				c = (char)(c - 'a' + 'A');
		} else {
			GElf_Sym gs;

			if (!gelf_getsym(d, (int)i, &gs))
				continue;
			c = sym_type(ef, &gs);
		}
		name = elf_strptr(ef->elf, ef->strndx, s->st_name);
		if (!name || !sysmap_wants(name, c))
			continue;
		if (vm_symtab_add(st, s->st_value, s->st_size, c, name, module, e) < 0) {
			free(types);
			return -1;
		}
	}
	free(types);
	return 0;
}

int vm_elffile_symbol(struct vm_elffile *ef, const char *name, uint64_t *value,
		      uint64_t *size, struct vm_err *e)
{
	Elf_Data *d;
	size_t i, n;

	if (!ef->symtab || !(d = elf_getdata(ef->symtab, NULL)))
		return vm_fail(e, VM_ENOENT, "%s: no .symtab", ef->path);
	n = d->d_size / sizeof(Elf64_Sym);
	for (i = 1; i < n; i++) {
		const Elf64_Sym *s = (const Elf64_Sym *)d->d_buf + i;
		const char *sn;

		if (s->st_shndx == SHN_UNDEF)
			continue;
		sn = elf_strptr(ef->elf, ef->strndx, s->st_name);
		if (sn && !strcmp(sn, name)) {
			*value = s->st_value;
			if (size)
				*size = s->st_size;
			return 0;
		}
	}
	return vm_fail(e, VM_ENOENT, "%s: no symbol %s", ef->path, name);
}

int vm_elffile_read(struct vm_elffile *ef, uint64_t vaddr, void *buf, size_t len,
		    struct vm_err *e)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ef->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    sh.sh_type == SHT_NOBITS || vaddr < sh.sh_addr ||
		    vaddr - sh.sh_addr >= sh.sh_size)
			continue;
		if (len > sh.sh_size - (vaddr - sh.sh_addr))
			return vm_fail(e, VM_ENOENT, "%s: %zu bytes at 0x%" PRIx64
				       " run past the end of their section", ef->path, len, vaddr);
		d = elf_getdata(scn, NULL);
		if (!d || d->d_size < sh.sh_size) {
			elf_err(e, ef->path, "section data");
			return -1;
		}
		memcpy(buf, (const char *)d->d_buf + (vaddr - sh.sh_addr), len);
		return 0;
	}
	return vm_fail(e, VM_ENOENT, "%s: no section holds address 0x%" PRIx64,
		       ef->path, vaddr);
}

int vm_symtab_load_elf(struct vm_symtab *st, const char *vmlinux, uint64_t slide,
		       struct vm_err *e)
{
	size_t first = vm_symtab_count(st);
	struct vm_elffile *ef = vm_elffile_open(vmlinux, e);
	int r;

	if (!ef)
		return -1;
	r = vm_elffile_add_symbols(ef, st, NULL, e);
	vm_elffile_close(ef);
	if (r < 0)
		return -1;
	vm_symtab_apply_slide(st, first, slide);
	vm_symtab_set_source(st, VM_SYMSRC_VMLINUX);
	return 0;
}
