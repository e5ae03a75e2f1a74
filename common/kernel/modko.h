/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A loaded module's .ko file, found, checked against the module in the
 * dump and placed where the kernel loaded it: its DWARF line table at
 * run-time addresses (vmdis -l, and next vmbt -l / vmsym -l on module
 * frames) and its code as the file has it (vmdis --file / --diff).
 *
 *   struct vm_err e;
 *   const struct vm_module *m = vm_kernel_module_by_addr(k, pc);
 *   struct vm_modko *ko = m ? vm_modko_open(k, m, &e) : NULL;
 *   struct vm_lines *l = ko ? vm_modko_lines(ko, &e) : NULL;
 *   vm_lines_addr(l, pc, &line, &e);         (pc as it is: no slide)
 *   vm_modko_close(ko);                      (closes l too)
 */
#ifndef VM_MODKO_H
#define VM_MODKO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "modules.h"

struct vm_modko;
struct vm_lines;
struct vm_elffile;

/*
 * Find and open the .ko of loaded module m: the candidates kofind.h
 * lists (-M DIR, else the debug tree's and /lib/modules/RELEASE's), the
 * first that is the loaded module.  Each candidate is checked against
 * the module in memory, by the first of these both sides have:
 *   - the GNU build-id (the module's .note.gnu.build-id section, which the
 *     loader keeps in module memory at the address sect_attrs records),
 *   - the srcversion (module->srcversion, .modinfo's "srcversion="),
 *   - the addresses of its symbols against the module's own kallsyms;
 * a file that differs is refused (VM_EMISMATCH, naming what differed);
 * none found is VM_ENOENT.  When every candidate differs, the first's
 * reason is returned.  Its allocated sections are then placed at the
 * addresses the kernel recorded (sect_attrs).
 */
struct vm_modko *vm_modko_open(struct vm_kernel *k, const struct vm_module *m,
			       struct vm_err *e);
void vm_modko_close(struct vm_modko *ko);

/* A refused .ko (VM_EMISMATCH from vm_modko_open) is said once per
 * module, by whichever user of the file meets it first (types, source
 * lines): true the first time it is asked for m. */
bool vm_modko_first_refusal(struct vm_kernel *k, const struct vm_module *m);

/* A .ko file as ELF, decompressed by its magic (xz, zstd, gzip or
 * plain): neither checked against a module nor placed. */
struct vm_elffile *vm_modko_file_open(const char *path, struct vm_err *e);

const char *vm_modko_path(const struct vm_modko *ko);
const struct vm_module *vm_modko_module(const struct vm_modko *ko);
/* How the file was matched: "build-id 751dd3...", "srcversion ...",
 * "12 symbols". */
const char *vm_modko_match(const struct vm_modko *ko);

/* The ELF file (sections placed at their run-time addresses). */
struct vm_elffile *vm_modko_elf(struct vm_modko *ko);
/* Run-time address of section i; 0 if the kernel did not load it. */
uint64_t vm_modko_section_addr(const struct vm_modko *ko, unsigned i);

/* Source lines at run-time addresses (opened on first use, closed with
 * ko). */
struct vm_lines *vm_modko_lines(struct vm_modko *ko, struct vm_err *e);

/*
 * Allocated section i's bytes as the loader wrote them before it patched
 * anything (alternatives, jump labels, ftrace): the file's contents with
 * its relocations applied for the placed addresses and the kernel's
 * symbols.  Cached; NULL with e when a relocation cannot be resolved.
 */
const uint8_t *vm_modko_section_data(struct vm_modko *ko, unsigned i, size_t *size,
				     struct vm_err *e);

/* Bytes at run-time address addr from those relocated sections. */
int vm_modko_read(struct vm_modko *ko, uint64_t addr, void *buf, size_t len,
		  struct vm_err *e);

#endif
