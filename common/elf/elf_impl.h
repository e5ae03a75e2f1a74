/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to common/elf/: the open file (elffile.c: headers, names, notes),
 * section contents (elfdata.c: inflate, relocate), symbols (elfsym.c).
 */
#ifndef VM_ELF_IMPL_H
#define VM_ELF_IMPL_H

#include "elffile.h"

struct esec {
	struct vm_elfsec h;        /* what vm_elffile_sec() shows */
	const uint8_t *data;       /* contents, once loaded */
	size_t data_size;
	bool loaded, owned;        /* owned: data is ours to free */
	bool placed;               /* h.addr was set by vm_elffile_sec_place */
	char *owned_name;          /* dwarf_name of a .zdebug_ section */
};

struct vm_elffile {
	char *path;
	int fd;                    /* -1 for an image in memory */
	const uint8_t *map;
	size_t map_size;
	void *mem;                 /* vm_elffile_open_mem's buffer: freed, not unmapped */
	uint64_t mtime_ns;
	bool is64, le;
	uint16_t type;             /* ET_EXEC, ET_REL, ... */
	uint16_t machine;
	unsigned nsec;
	struct esec *sec;
	bool relocated;            /* relocations were applied to a section */
	uint8_t build_id[64];
	unsigned build_id_len;     /* 0: the file has none */
	int symtab;                /* section index of .symtab, -1 if none */
	char *nm_class;            /* nm letter (lower case) per section */
};

/* One symbol table entry, decoded. */
struct vm_elf_rawsym {
	uint32_t name;
	uint8_t bind, type;
	uint16_t shndx;
	uint64_t value, size;
};

/* The entry at p of a symbol table (Elf64_Sym or Elf32_Sym as the file's
 * class says; 24 or 16 bytes there). */
void vm_elf_get_sym(const struct vm_elffile *f, const uint8_t *p,
		    struct vm_elf_rawsym *s);

/* Section i's stored bytes lie inside the mapping. */
static inline bool vm_elf_in_file(const struct vm_elffile *f, const struct esec *s)
{
	return s->h.offset <= f->map_size && s->h.size <= f->map_size - s->h.offset;
}

#endif
