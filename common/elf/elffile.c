// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An ELF file opened (elffile.h): the mapping, the ELF header, section
 * headers and names, notes and the build-id, reads at link-time addresses.
 */
#include "elf_impl.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../rd.h"

#define MAX_SECTIONS (1u << 20)

static int map_file(struct vm_elffile *f, struct vm_err *e)
{
	struct stat st;
	void *p;

	f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return vm_fail(e, VM_EIO, "%s: %s", f->path, strerror(errno));
	if (fstat(f->fd, &st) < 0)
		return vm_fail(e, VM_EIO, "%s: %s", f->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return vm_fail(e, VM_EFORMAT, "%s: not a regular file", f->path);
	if (st.st_size < EI_NIDENT)
		return vm_fail(e, VM_ETRUNC, "%s: %lld bytes, too small for ELF",
			       f->path, (long long)st.st_size);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, f->fd, 0);
	if (p == MAP_FAILED)
		return vm_fail(e, VM_EIO, "%s: mmap: %s", f->path, strerror(errno));
	f->map = p;
	f->map_size = (size_t)st.st_size;
	f->mtime_ns = (uint64_t)st.st_mtim.tv_sec * 1000000000u +
		      (uint64_t)st.st_mtim.tv_nsec;
	return 0;
}

/* Field offsets of Elf64_Shdr and Elf32_Shdr; flags, addr, offset, size
 * and entsize are words of the class (8 or 4 bytes), the rest 4 bytes. */
struct shdr_layout {
	uint8_t name, type, flags, addr, offset, size, link, info, entsize;
};

#define SHDR_LAYOUT(T) { offsetof(T, sh_name), offsetof(T, sh_type), \
	offsetof(T, sh_flags), offsetof(T, sh_addr), offsetof(T, sh_offset), \
	offsetof(T, sh_size), offsetof(T, sh_link), offsetof(T, sh_info), \
	offsetof(T, sh_entsize) }
static const struct shdr_layout shdr64 = SHDR_LAYOUT(Elf64_Shdr);
static const struct shdr_layout shdr32 = SHDR_LAYOUT(Elf32_Shdr);

/* One section header at s into x; returns sh_name. */
static uint32_t get_shdr(const struct vm_elffile *f, const uint8_t *s,
			 struct vm_elfsec *x)
{
	const struct shdr_layout *l = f->is64 ? &shdr64 : &shdr32;
	unsigned w = f->is64 ? 8 : 4;
	bool le = f->le;

	x->type = vm_rd32(s + l->type, le);
	x->flags = vm_rdn(s + l->flags, w, le);
	x->addr = vm_rdn(s + l->addr, w, le);
	x->offset = vm_rdn(s + l->offset, w, le);
	x->size = vm_rdn(s + l->size, w, le);
	x->link = vm_rd32(s + l->link, le);
	x->info = vm_rd32(s + l->info, le);
	x->entsize = vm_rdn(s + l->entsize, w, le);
	return vm_rd32(s + l->name, le);
}

static int name_sections(struct vm_elffile *f, unsigned shstrndx,
			 const uint32_t *name_off, struct vm_err *e)
{
	const struct esec *strsec;
	const char *str;
	unsigned i;

	if (shstrndx >= f->nsec)
		return vm_fail(e, VM_EFORMAT, "%s: e_shstrndx %u out of %u sections",
			       f->path, shstrndx, f->nsec);
	strsec = &f->sec[shstrndx];
	if (strsec->h.type == SHT_NOBITS || !vm_elf_in_file(f, strsec))
		return vm_fail(e, VM_ETRUNC, "%s: section name table outside the file",
			       f->path);
	str = (const char *)f->map + strsec->h.offset;
	for (i = 0; i < f->nsec; i++) {
		struct esec *x = &f->sec[i];
		uint64_t no = name_off[i];

		x->h.name = "";
		x->h.dwarf_name = "";
		if (no >= strsec->h.size || !memchr(str + no, 0, strsec->h.size - no))
			continue;
		x->h.name = str + no;
		x->h.dwarf_name = x->h.name;
		if (!strncmp(x->h.name, ".zdebug_", 8)) {
			/* ".zdebug_info" is ".debug_info" compressed */
			x->owned_name = vm_malloc(strlen(x->h.name), e);
			if (!x->owned_name)
				return -1;
			x->owned_name[0] = '.';
			strcpy(x->owned_name + 1, x->h.name + 2);
			x->h.dwarf_name = x->owned_name;
		}
	}
	return 0;
}

static int read_sections(struct vm_elffile *f, struct vm_err *e)
{
	const uint8_t *h = f->map;
	uint64_t shoff;
	unsigned shentsize, shnum, shstrndx, i;
	uint32_t *name_off;
	int rc;

	if (memcmp(h, ELFMAG, SELFMAG))
		return vm_fail(e, VM_EFORMAT, "%s: not an ELF file", f->path);
	if (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64)
		return vm_fail(e, VM_EFORMAT, "%s: bad ELF class %u", f->path,
			       h[EI_CLASS]);
	if (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)
		return vm_fail(e, VM_EFORMAT, "%s: bad ELF data encoding %u",
			       f->path, h[EI_DATA]);
	f->is64 = h[EI_CLASS] == ELFCLASS64;
	f->le = h[EI_DATA] == ELFDATA2LSB;
	if (f->map_size < (f->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return vm_fail(e, VM_ETRUNC, "%s: ELF header truncated", f->path);
	f->type = vm_rd16(h + offsetof(Elf64_Ehdr, e_type), f->le);
	f->machine = vm_rd16(h + offsetof(Elf64_Ehdr, e_machine), f->le);
	if (f->is64) {
		shoff = vm_rd64(h + offsetof(Elf64_Ehdr, e_shoff), f->le);
		shentsize = vm_rd16(h + offsetof(Elf64_Ehdr, e_shentsize), f->le);
		shnum = vm_rd16(h + offsetof(Elf64_Ehdr, e_shnum), f->le);
		shstrndx = vm_rd16(h + offsetof(Elf64_Ehdr, e_shstrndx), f->le);
	} else {
		shoff = vm_rd32(h + offsetof(Elf32_Ehdr, e_shoff), f->le);
		shentsize = vm_rd16(h + offsetof(Elf32_Ehdr, e_shentsize), f->le);
		shnum = vm_rd16(h + offsetof(Elf32_Ehdr, e_shnum), f->le);
		shstrndx = vm_rd16(h + offsetof(Elf32_Ehdr, e_shstrndx), f->le);
	}
	if (shentsize != (f->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)))
		return vm_fail(e, VM_EFORMAT, "%s: section header size %u",
			       f->path, shentsize);
	if (shoff == 0 || shoff >= f->map_size)
		return vm_fail(e, VM_EFORMAT, "%s: no section headers (e_shoff %#llx)",
			       f->path, (unsigned long long)shoff);
	/* e_shnum 0 with sections: the count is in section 0's sh_size */
	if (shnum == 0) {
		struct vm_elfsec s0;

		if (f->map_size - shoff < shentsize)
			return vm_fail(e, VM_ETRUNC, "%s: section header 0 truncated",
				       f->path);
		get_shdr(f, h + shoff, &s0);
		shnum = s0.size > MAX_SECTIONS ? MAX_SECTIONS + 1 : (unsigned)s0.size;
	}
	if (shnum == 0 || shnum > MAX_SECTIONS ||
	    (f->map_size - shoff) / shentsize < shnum)
		return vm_fail(e, VM_ETRUNC, "%s: %u section headers at %#llx do not fit in %zu bytes",
			       f->path, shnum, (unsigned long long)shoff, f->map_size);
	/* e_shstrndx SHN_XINDEX: the index is in section 0's sh_link */
	if (shstrndx == SHN_XINDEX) {
		struct vm_elfsec s0;

		get_shdr(f, h + shoff, &s0);
		shstrndx = s0.link;
	}
	f->sec = vm_calloc(shnum, sizeof(*f->sec), e);
	name_off = vm_calloc(shnum, sizeof(*name_off), e);
	if (!f->sec || !name_off) {
		free(name_off);
		return -1;
	}
	f->nsec = shnum;
	f->symtab = -1;
	for (i = 0; i < shnum; i++) {
		name_off[i] = get_shdr(f, h + shoff + (uint64_t)i * shentsize,
				       &f->sec[i].h);
		if (f->symtab < 0 && f->sec[i].h.type == SHT_SYMTAB)
			f->symtab = (int)i;
	}
	rc = name_sections(f, shstrndx, name_off, e);
	free(name_off);
	return rc;
}

struct bid {
	uint8_t *buf;
	size_t bufsz, len;
};

static int bid_note(void *arg, const char *name, uint32_t type,
		    const uint8_t *desc, size_t descsz)
{
	struct bid *b = arg;

	if (type != NT_GNU_BUILD_ID || strcmp(name, "GNU") || descsz == 0 ||
	    descsz > b->bufsz)
		return 0;
	memcpy(b->buf, desc, descsz);
	b->len = descsz;
	return 1;
}

struct vm_elffile *vm_elffile_open(const char *path, struct vm_err *e)
{
	struct vm_elffile *f = vm_calloc(1, sizeof(*f), e);
	struct bid b;

	if (!f)
		return NULL;
	f->fd = -1;
	f->path = vm_strdup(path, e);
	if (!f->path || map_file(f, e) < 0 || read_sections(f, e) < 0) {
		vm_elffile_close(f);
		return NULL;
	}
	b.buf = f->build_id;
	b.bufsz = sizeof(f->build_id);
	b.len = 0;
	/* a "build-id" longer than 64 bytes is none that we know */
	if (vm_elffile_each_note(f, bid_note, &b) == 1)
		f->build_id_len = (unsigned)b.len;
	return f;
}

struct vm_elffile *vm_elffile_open_mem(const char *name, void *buf, size_t size,
				       struct vm_err *e)
{
	struct vm_elffile *f = vm_calloc(1, sizeof(*f), e);
	struct bid b;

	if (!f) {
		free(buf);
		return NULL;
	}
	f->fd = -1;
	f->mem = buf;
	f->map = buf;
	f->map_size = size;
	f->path = vm_strdup(name, e);
	if (!f->path) {
		vm_elffile_close(f);
		return NULL;
	}
	if (size < EI_NIDENT) {
		vm_fail(e, VM_ETRUNC, "%s: %zu bytes, too small for ELF", f->path, size);
		vm_elffile_close(f);
		return NULL;
	}
	if (read_sections(f, e) < 0) {
		vm_elffile_close(f);
		return NULL;
	}
	b.buf = f->build_id;
	b.bufsz = sizeof(f->build_id);
	b.len = 0;
	if (vm_elffile_each_note(f, bid_note, &b) == 1)
		f->build_id_len = (unsigned)b.len;
	return f;
}

void vm_elffile_close(struct vm_elffile *f)
{
	unsigned i;

	if (!f)
		return;
	for (i = 0; i < f->nsec; i++) {
		if (f->sec[i].owned)
			free((void *)f->sec[i].data);
		free(f->sec[i].owned_name);
	}
	free(f->sec);
	free(f->nm_class);
	if (f->mem)
		free(f->mem);
	else if (f->map)
		munmap((void *)f->map, f->map_size);
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f);
}

const char *vm_elffile_path(const struct vm_elffile *f) { return f->path; }
uint16_t vm_elffile_machine(const struct vm_elffile *f) { return f->machine; }
uint16_t vm_elffile_type(const struct vm_elffile *f) { return f->type; }
bool vm_elffile_le(const struct vm_elffile *f) { return f->le; }
bool vm_elffile_is64(const struct vm_elffile *f) { return f->is64; }
uint64_t vm_elffile_size(const struct vm_elffile *f) { return f->map_size; }
uint64_t vm_elffile_mtime_ns(const struct vm_elffile *f) { return f->mtime_ns; }
int vm_elffile_fd(const struct vm_elffile *f) { return f->fd; }
unsigned vm_elffile_nsec(const struct vm_elffile *f) { return f->nsec; }

const struct vm_elfsec *vm_elffile_sec(const struct vm_elffile *f, unsigned i)
{
	return i < f->nsec ? &f->sec[i].h : NULL;
}

static bool is_zdebug(const char *name, const char *want)
{
	/* ".zdebug_info" stands for ".debug_info" */
	return !strncmp(name, ".zdebug_", 8) && !strncmp(want, ".debug_", 7) &&
	       !strcmp(name + 8, want + 7);
}

int vm_elffile_sec_index(const struct vm_elffile *f, const char *name)
{
	unsigned i;

	for (i = 0; i < f->nsec; i++)
		if (!strcmp(f->sec[i].h.name, name))
			return (int)i;
	for (i = 0; i < f->nsec; i++)
		if (is_zdebug(f->sec[i].h.name, name))
			return (int)i;
	return -1;
}

const struct vm_elfsec *vm_elffile_sec_named(const struct vm_elffile *f,
					     const char *name)
{
	int i = vm_elffile_sec_index(f, name);

	return i < 0 ? NULL : &f->sec[i].h;
}

int vm_elffile_each_note(const struct vm_elffile *f, vm_elffile_note_cb cb,
			 void *arg)
{
	unsigned i;

	for (i = 0; i < f->nsec; i++) {
		const struct esec *s = &f->sec[i];
		const uint8_t *p, *end;

		if (s->h.type != SHT_NOTE || !vm_elf_in_file(f, s))
			continue;
		p = f->map + s->h.offset;
		end = p + s->h.size;
		/* Elf32_Nhdr and Elf64_Nhdr are alike: three 4-byte words,
		 * name and descriptor each padded to 4 bytes */
		while (end - p >= 12) {
			uint32_t namesz = vm_rd32(p, f->le);
			uint32_t descsz = vm_rd32(p + 4, f->le);
			uint32_t type = vm_rd32(p + 8, f->le);
			size_t nsz = ((size_t)namesz + 3) & ~(size_t)3;
			size_t dsz = ((size_t)descsz + 3) & ~(size_t)3;
			char name[64];
			int rc;

			p += 12;
			if (nsz > (size_t)(end - p) || dsz > (size_t)(end - p - nsz) ||
			    descsz > dsz)
				break;
			/* names are short ("GNU", "Linux", "Xen"): a longer
			 * one is passed cut, and never matches theirs */
			memcpy(name, p, namesz < sizeof(name) ? namesz : sizeof(name) - 1);
			name[namesz < sizeof(name) ? namesz : sizeof(name) - 1] = 0;
			rc = cb(arg, name, type, p + nsz, descsz);
			if (rc)
				return rc;
			p += nsz + dsz;
		}
	}
	return 0;
}

int vm_elffile_build_id(const struct vm_elffile *f, uint8_t *buf, size_t bufsz,
			size_t *len)
{
	size_t n = f->build_id_len < bufsz ? f->build_id_len : bufsz;

	if (!f->build_id_len)
		return 0;
	memcpy(buf, f->build_id, n);
	*len = n;
	return 1;
}

void vm_elffile_build_id_hex(const struct vm_elffile *f, char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned i;

	if (n == 0)
		return;
	buf[0] = 0;
	for (i = 0; i < f->build_id_len && 2 * i + 2 < n; i++) {
		buf[2 * i] = hex[f->build_id[i] >> 4];
		buf[2 * i + 1] = hex[f->build_id[i] & 15];
		buf[2 * i + 2] = 0;
	}
}

int vm_elffile_read(struct vm_elffile *f, uint64_t vaddr, void *buf, size_t len,
		    struct vm_err *e)
{
	unsigned i;

	for (i = 0; i < f->nsec; i++) {
		const struct vm_elfsec *h = &f->sec[i].h;
		const uint8_t *d;
		size_t n;

		if (!(h->flags & SHF_ALLOC) || h->type == SHT_NOBITS ||
		    vaddr < h->addr || vaddr - h->addr >= h->size)
			continue;
		if (len > h->size - (vaddr - h->addr))
			return vm_fail(e, VM_ENOENT, "%s: %zu bytes at %#llx run past "
				       "the end of their section", f->path, len,
				       (unsigned long long)vaddr);
		if (vm_elffile_sec_data(f, i, &d, &n, e) < 0)
			return -1;
		if (vaddr - h->addr > n || len > n - (vaddr - h->addr))
			return vm_fail(e, VM_ETRUNC, "%s: section %s holds %zu of "
				       "its %llu bytes", f->path, h->name, n,
				       (unsigned long long)h->size);
		memcpy(buf, d + (vaddr - h->addr), len);
		return 0;
	}
	return vm_fail(e, VM_ENOENT, "%s: no section holds address %#llx",
		       f->path, (unsigned long long)vaddr);
}
