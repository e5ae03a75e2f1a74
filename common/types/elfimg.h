/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sections of an ELF file (vmlinux, a .ko, a separate .debug file) as
 * the type and line backends need them: mapped read-only, compressed debug
 * sections (SHF_COMPRESSED zlib/zstd, legacy .zdebug_*) inflated on first
 * use, and relocatable objects (.ko) with their debug relocations applied so
 * that DW_FORM_strp and friends point where they should.
 *
 * Every offset and size comes from the file and is checked against the
 * mapping before it is used.
 */
#ifndef VM_TYPES_ELFIMG_H
#define VM_TYPES_ELFIMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../err.h"

struct vm_elfsec {
	const char *name;          /* as in the file (".zdebug_info" stays) */
	const char *dwarf_name;    /* ".debug_info" for ".zdebug_info" too */
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;             /* in the file */
	uint32_t link, info;
	uint64_t entsize;
	/* filled by vm_elfimg_load() */
	const uint8_t *data;
	size_t data_size;
	bool loaded, owned;
	char *owned_name;          /* dwarf_name of a .zdebug_ section */
};

struct vm_elfimg {
	const char *path;
	int fd;
	const uint8_t *map;
	size_t map_size;
	uint64_t mtime_ns;
	bool is64, le;
	uint16_t type;             /* ET_EXEC, ET_REL, ... */
	uint16_t machine;
	unsigned nsec;
	struct vm_elfsec *sec;
	uint8_t build_id[64];
	unsigned build_id_len;     /* 0: the file has none */
	void *mem;                 /* owned contents of an in-memory image */
	uint64_t *place;           /* ET_REL: run-time address per section */
};

struct vm_elfimg *vm_elfimg_open(const char *path, struct vm_err *e);
/* An image already in memory (a decompressed .ko.xz): buf is malloc'd and
 * becomes the image's, freed by vm_elfimg_close() (also on failure); name
 * is kept for messages. */
struct vm_elfimg *vm_elfimg_open_mem(const char *name, void *buf, size_t size,
				     struct vm_err *e);
void vm_elfimg_close(struct vm_elfimg *img);

/*
 * Place the sections of a relocatable object (a .ko) where the kernel
 * loaded them: addr[i] is section i's run-time address (0 for sections
 * not loaded), nsec entries.  Relocations applied to its debug sections
 * from then on add the address of the section a symbol is defined in, so
 * that DWARF addresses are run-time addresses and .text and
 * .text.unlikely no longer both start at 0.  Must come before the first
 * vm_elfimg_load() of a non-allocated section.
 */
int vm_elfimg_place(struct vm_elfimg *img, const uint64_t *addr, unsigned nsec,
		    struct vm_err *e);

/* Section by name (the DWARF name matches .zdebug_ too); NULL if absent. */
struct vm_elfsec *vm_elfimg_find(struct vm_elfimg *img, const char *name);
/* Index of a section, or -1. */
int vm_elfimg_index(struct vm_elfimg *img, const char *name);

/* Bytes of section i, inflated and relocated as needed (cached). */
int vm_elfimg_load(struct vm_elfimg *img, unsigned i, const uint8_t **data,
		   size_t *size, struct vm_err *e);
int vm_elfimg_load_named(struct vm_elfimg *img, const char *name,
			 const uint8_t **data, size_t *size, struct vm_err *e);

/* Size of section i's contents once inflated, without inflating it. */
int vm_elfimg_data_size(struct vm_elfimg *img, unsigned i, uint64_t *size,
			struct vm_err *e);
/* Whether section i is stored compressed. */
bool vm_elfimg_compressed(const struct vm_elfimg *img, unsigned i);

/* Lower-case hex of the build-id into buf (>= 2*64+1 bytes); "" if none. */
void vm_elfimg_build_id_hex(const struct vm_elfimg *img, char *buf, size_t n);

#endif
