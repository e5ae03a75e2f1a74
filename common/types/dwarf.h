/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The DWARF backend's handle on one ELF file, shared with the line-table
 * code (lines.c): the file, its name index, and libdwarf views of single
 * units.
 *
 * libdwarf 20210528's dwarf_offdie_b() finds a DIE's unit by reading every
 * unit header (and unit DIE) before it: 70 ms for a DIE near the end of a
 * kernel's .debug_info.  A view shows libdwarf one unit as if it were the
 * whole .debug_info section, so the unit is found at once; the unit list
 * comes from our index.  .debug_loclists is never shown (libdwarf reads
 * every contribution's header when it is present and nothing here needs
 * locations); .debug_rnglists/.debug_ranges only to views that ask.
 */
#ifndef VM_TYPES_DWARF_H
#define VM_TYPES_DWARF_H

#include <stdbool.h>
#include <stdint.h>

#include <libdwarf.h>

#include "../err.h"
#include "dwarf_index.h"
#include "../elf/elffile.h"

struct vm_dwfile;

/* Open path's DWARF and its name index (cache per opts "nocache"). */
struct vm_dwfile *vm_dwfile_open(const char *path, bool use_cache,
				 struct vm_err *e);
/* The same from an ELF file already open (a .ko whose sections were
 * placed, elffile.h); elf belongs to the result, or is closed on error. */
struct vm_dwfile *vm_dwfile_open_elf(struct vm_elffile *elf, bool use_cache,
				     struct vm_err *e);
/* The same, with the name index made only when first needed
 * (vm_dwfile_index(), or a view of a unit not added below): reading a
 * unit's line table needs none. */
struct vm_dwfile *vm_dwfile_open_elf_lazy(struct vm_elffile *elf, bool use_cache,
					  struct vm_err *e);
/* The bounds of the unit at .debug_info offset start (from its header),
 * so that views of it need no index. */
int vm_dwfile_add_unit(struct vm_dwfile *f, uint64_t start, uint64_t end,
		       struct vm_err *e);
void vm_dwfile_close(struct vm_dwfile *f);

/* The name index (made now if the file was opened lazily; one that could
 * not be made is empty). */
const struct vm_dwidx *vm_dwfile_index(struct vm_dwfile *f);
struct vm_elffile *vm_dwfile_elf(const struct vm_dwfile *f);
/* "index from cache /path" / "index built in N ms, saved to /path" */
const char *vm_dwfile_how(const struct vm_dwfile *f);

/* The libdwarf view of the unit containing .debug_info offset off; *base
 * is the unit's offset (DIE offsets in the view are off - *base).
 * ranges: show .debug_rnglists/.debug_ranges too. */
Dwarf_Debug vm_dwfile_view(struct vm_dwfile *f, uint64_t off, bool ranges,
			   uint64_t *base, struct vm_err *e);

/* The DIE at a .debug_info offset (dwarf_dealloc_die() it). */
Dwarf_Die vm_dwfile_die(struct vm_dwfile *f, uint64_t off, bool ranges,
			uint64_t *base, struct vm_err *e);

/* libdwarf error -> vm_err (and frees it) */
int vm_dwfile_err(struct vm_dwfile *f, Dwarf_Debug dbg, Dwarf_Error de,
		  const char *what, uint64_t off, struct vm_err *e);

#endif
