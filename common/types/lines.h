/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source lines from DWARF line programs (DWARF 2-5, via libdwarf):
 * address -> file:line, a function's address range -> its line rows, and
 * the chain of inlined calls at an address.  For vmsym -l, vmdis -l,
 * vmbt -l.
 *
 * Addresses are the DWARF's own (link-time): callers subtract the KASLR
 * slide from run-time kernel addresses.  A module's .ko has addresses
 * relative to its sections (each at 0, so .text and .init.text overlap)
 * unless its sections were placed at their run-time addresses
 * (vm_elffile_sec_place, then vm_lines_open_elf): then run-time addresses
 * are asked for directly.
 *
 * The unit holding an address is found with .debug_aranges; its line
 * program is decoded once and kept for later questions.
 */
#ifndef VM_TYPES_LINES_H
#define VM_TYPES_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../err.h"
#include "../vmcore_types.h"

struct vm_lines;

struct vm_elffile;

/* use_cache: the DWARF name index cache (as vm_types_add_dwarf). */
struct vm_lines *vm_lines_open(const char *path, bool use_cache, struct vm_err *e);
/* The same from an ELF file already open (elf/elffile.h: a .ko with its
 * sections placed); elf belongs to the result, or is closed on error. */
struct vm_lines *vm_lines_open_elf(struct vm_elffile *elf, bool use_cache,
				   struct vm_err *e);
void vm_lines_close(struct vm_lines *l);


/* The row covering addr: 1 found, 0 no line information there, -1 error.
 * Strings live until vm_lines_close(). */
int vm_lines_addr(struct vm_lines *l, uint64_t addr, struct vm_line *out,
		  struct vm_err *e);

/* Every row in [lo, hi), in address order, one per address (the row in
 * effect there).  *rows is malloc'd; free() it. */
int vm_lines_range(struct vm_lines *l, uint64_t lo, uint64_t hi,
		   struct vm_line **rows, size_t *n, struct vm_err *e);

/* A function's address range from its DWARF (DW_AT_low_pc/high_pc):
 * 1 found, 0 no such function with code, -1 error. */
int vm_lines_function(struct vm_lines *l, const char *name, uint64_t *lo,
		      uint64_t *hi, struct vm_err *e);

/* The inlined calls at addr, innermost first: frame 0 is the function
 * inlined deepest (func), called from call_file:call_line in frame 1's
 * function, ...; the last frame is the real (out-of-line) function, with
 * no call site.  Returns the number of frames (0 if none known), -1. */
int vm_lines_inlines(struct vm_lines *l, uint64_t addr,
		     struct vm_inline_frame *out, size_t max, struct vm_err *e);

#endif
