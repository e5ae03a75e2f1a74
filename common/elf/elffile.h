/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ELF files on disk -- a vmlinux, a module's .ko, a separate .debug file --
 * for every layer that reads one: symbols (.symtab), types (DWARF, BTF),
 * kernel (build-id, linux_banner, unwind tables).  The one ELF reader of
 * libvmcore; it sits at the bottom beside dump/, so types/ still needs
 * neither arch/ nor symbols/.  (A dump that is an ELF core is read by
 * dump/elf.c through the dump's own byte source, flattened or not.)
 *
 * The file is mapped read-only: a 400 MB vmlinux costs the pages touched.
 * Every offset, size and count comes from the file and is checked before
 * use; every field is read in the byte order and class (ELF32/ELF64) the
 * file declares.
 *
 * Section contents (vm_elffile_sec_data) are what a reader of the section
 * wants: compressed debug sections (SHF_COMPRESSED zlib/zstd, legacy
 * .zdebug_*) inflated, and in a relocatable object (.ko, ET_REL) the
 * non-allocated sections (.debug_*) with their relocations (.rela.debug_*,
 * .rel.debug_*) applied, so that DW_FORM_strp offsets and addresses point
 * where they should.  Done on first use, kept until close.
 *
 * Addresses in a .ko are section-relative (every section at 0) unless the
 * caller places sections with vm_elffile_sec_place() first: then the
 * relocations resolve symbols of a placed section against its address,
 * e.g. the run-time address of the module's .text from the dump.
 */
#ifndef VM_ELF_ELFFILE_H
#define VM_ELF_ELFFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../err.h"

struct vm_elffile;

/* One section header, as the file has it (decoded). */
struct vm_elfsec {
	const char *name;          /* as in the file (".zdebug_info" stays) */
	const char *dwarf_name;    /* ".debug_info" for ".zdebug_info" too */
	uint32_t type;             /* SHT_* */
	uint64_t flags;            /* SHF_* */
	uint64_t addr;             /* sh_addr (or where it was placed) */
	uint64_t offset, size;     /* in the file (size: stored, compressed) */
	uint32_t link, info;
	uint64_t entsize;
};

/* Open and map path; the ELF and section headers are read and checked. */
struct vm_elffile *vm_elffile_open(const char *path, struct vm_err *e);
/* The same for an image already in memory (a decompressed .ko.xz): buf
 * (malloc'd) becomes the file's, freed by vm_elffile_close() and on
 * failure; name stands for the path in messages.  vm_elffile_fd() is -1. */
struct vm_elffile *vm_elffile_open_mem(const char *name, void *buf, size_t size,
				       struct vm_err *e);
void vm_elffile_close(struct vm_elffile *f);

const char *vm_elffile_path(const struct vm_elffile *f);
uint16_t vm_elffile_machine(const struct vm_elffile *f);   /* EM_* */
uint16_t vm_elffile_type(const struct vm_elffile *f);      /* ET_EXEC, ET_REL ... */
bool vm_elffile_le(const struct vm_elffile *f);            /* ELFDATA2LSB */
bool vm_elffile_is64(const struct vm_elffile *f);          /* ELFCLASS64 */
/* The file as it was opened: size, mtime, and its descriptor (for pread
 * of a big section that need not stay mapped: vm_elffile_sec_stored). */
uint64_t vm_elffile_size(const struct vm_elffile *f);
uint64_t vm_elffile_mtime_ns(const struct vm_elffile *f);
int vm_elffile_fd(const struct vm_elffile *f);

/* ---- sections ---- */

unsigned vm_elffile_nsec(const struct vm_elffile *f);
/* Section i (0 .. nsec-1), NULL past the end. */
const struct vm_elfsec *vm_elffile_sec(const struct vm_elffile *f, unsigned i);
/* Index of the first section named name, or of ".zdebug_X" for
 * ".debug_X"; -1 if none. */
int vm_elffile_sec_index(const struct vm_elffile *f, const char *name);
const struct vm_elfsec *vm_elffile_sec_named(const struct vm_elffile *f,
					     const char *name);

/* Contents of section i, inflated and relocated as needed; cached until
 * close.  A SHT_NOBITS section has none (NULL, 0). */
int vm_elffile_sec_data(struct vm_elffile *f, unsigned i, const uint8_t **data,
			size_t *size, struct vm_err *e);
/* The same by name: -1 with VM_ENOENT when there is no such section. */
int vm_elffile_sec_data_named(struct vm_elffile *f, const char *name,
			      const uint8_t **data, size_t *size, struct vm_err *e);
/* Size of section i's contents once inflated, without inflating them. */
int vm_elffile_sec_size(struct vm_elffile *f, unsigned i, uint64_t *size,
			struct vm_err *e);
/* Section i is stored compressed. */
bool vm_elffile_sec_compressed(const struct vm_elffile *f, unsigned i);
/* Section i's contents are its bytes at *file_off as stored (not
 * compressed, nothing to relocate, inside the file): true, else false. */
bool vm_elffile_sec_stored(const struct vm_elffile *f, unsigned i,
			   uint64_t *file_off);

/* ET_REL only: section i is loaded at addr.  Relocations applied later
 * resolve symbols defined in section i to addr + st_value (without a
 * placement, to st_value: section-relative), and vm_elffile_sec(i)->addr
 * says addr.  Before the contents of a section with relocations are
 * read (else VM_EINVAL: they were relocated already); reading .symtab
 * first is fine. */
int vm_elffile_sec_place(struct vm_elffile *f, unsigned i, uint64_t addr,
			 struct vm_err *e);

/* Bytes at link-time address vaddr from the allocated section holding
 * them (not NOBITS: a separate .debug file has no .rodata contents). */
int vm_elffile_read(struct vm_elffile *f, uint64_t vaddr, void *buf, size_t len,
		    struct vm_err *e);

/* ---- notes ---- */

/* Each note of each SHT_NOTE section; cb returns < 0 to stop (returned). */
typedef int (*vm_elffile_note_cb)(void *arg, const char *name, uint32_t type,
				  const uint8_t *desc, size_t descsz);
int vm_elffile_each_note(const struct vm_elffile *f, vm_elffile_note_cb cb,
			 void *arg);

/* NT_GNU_BUILD_ID descriptor (at most bufsz bytes): 1 and *len set, 0 if
 * the file has none. */
int vm_elffile_build_id(const struct vm_elffile *f, uint8_t *buf, size_t bufsz,
			size_t *len);
/* Lower-case hex of the build-id into buf (>= 2*64+1 bytes); "" if none. */
void vm_elffile_build_id_hex(const struct vm_elffile *f, char *buf, size_t n);

/* ---- symbols (.symtab) ---- */

bool vm_elffile_has_symtab(const struct vm_elffile *f);

/* Each named .symtab symbol that is defined (not SHN_UNDEF) and not a
 * section or file symbol: its value (link-time address, section-relative
 * in a .ko), size, nm's letter for it (binutils' classification, the one
 * System.map shows), section index (st_shndx, SHN_ABS ... included) and
 * that section's name ("" for special indexes).  cb returns < 0 to stop;
 * that is returned.  -1 with VM_ENOENT when there is no .symtab. */
typedef int (*vm_elffile_sym_cb)(void *arg, const char *name, uint64_t value,
				 uint64_t size, char type, unsigned shndx,
				 const char *secname);
int vm_elffile_each_symbol(struct vm_elffile *f, vm_elffile_sym_cb cb, void *arg,
			   struct vm_err *e);

/* Value and size (may be NULL) of the first defined .symtab symbol named
 * name: 0, or -1 with VM_ENOENT. */
int vm_elffile_symbol(struct vm_elffile *f, const char *name, uint64_t *value,
		      uint64_t *size, struct vm_err *e);

#endif
