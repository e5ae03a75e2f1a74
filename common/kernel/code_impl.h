/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside code*.c: the disassembly session and what its files share. */
#ifndef VM_CODE_IMPL_H
#define VM_CODE_IMPL_H

#include "code.h"

#include "../elf/elffile.h"
#include "kreloc.h"
#include "modko.h"
#include "modules.h"
#include "patchsites.h"
#include "symsize.h"

#define CODE_MAX_MODS 256

struct code_mod {
	const struct vm_module *m;
	struct vm_modko *ko;
	bool tried;
	struct vm_err err;
	struct vm_patchsites *sites;
	bool sites_tried;
};

/* A page-sized window of code bytes from one source. */
struct code_page {
	uint64_t base;          /* page address; UINT64_MAX = empty */
	bool ok;
	struct vm_err err;
	uint8_t b[4096];
};

struct vm_code {
	struct vm_kernel *k;
	struct vm_code_opts o;
	struct vm_mem *mem;
	struct vm_symtab *st;          /* the table in use */
	struct vm_symtab *kst;         /* the dump's kallsyms, ours, when sizes
	                                  come from a vmlinux (sizes) */
	struct vm_symsizes *sizes;
	struct vm_dis *dis;
	uint64_t slide;
	bool modules_tried;
	/* the vmlinux: path, image for --file, line table */
	const char *vmlinux;
	bool vmlinux_tried;
	struct vm_err vmlinux_err;
	struct vm_elffile *vmimg;
	bool vmimg_tried;
	struct vm_err vmimg_err;
	struct vm_kreloc *kreloc;      /* its boot relocation (KASLR) */
	bool kreloc_tried;
	struct vm_err kreloc_err;
	unsigned long slid;            /* differences taken for boot relocations
	                                  without kreloc (code_diff.c) */
	struct vm_lines *lines;
	bool lines_tried;
	struct vm_err lines_err;
	struct vm_err line_err;        /* the last line lookup that failed */
	struct vm_patchsites *ksites;
	bool ksites_tried;
	struct vm_err ksites_err;
	/* modules, by the order they are first needed */
	struct code_mod mods[CODE_MAX_MODS];
	unsigned nmods;
	/* byte windows: [0..1] memory, [2..3] file */
	struct code_page page[4];
	unsigned page_next[2];
	char why[1100];                /* vm_code_lines_problem()'s answer */
};

/* A vmlinux or module symbol's size (0: unknown or none), and whether
 * sizes of its kind are known at all. */
uint64_t vm_code_sym_size(const struct vm_code *c, const struct vm_sym *s);
bool vm_code_sizes_known(const struct vm_code *c, const struct vm_sym *s);

/* The symbol holding addr as crash's value_search() finds it: the nearest
 * at or below, vmlinux's or (walking the modules on first need) a
 * module's. */
const struct vm_sym *vm_code_sym_at(struct vm_code *c, uint64_t addr, uint64_t *off);

/* The loaded module holding addr (modules walked on first need), and its
 * .ko opened on first need (NULL, with e, if none is usable). */
struct code_mod *vm_code_mod(struct vm_code *c, uint64_t addr);
/* addr is in one of the sections of the vmlinux the user named (-k): the
 * kernel's own, never a module's (false without one) */
bool vm_code_in_vmlinux(struct vm_code *c, uint64_t addr);
struct vm_modko *vm_code_modko(struct vm_code *c, struct code_mod *cm, struct vm_err *e);

/* TARGET -> its address, the function holding it and the offset there. */
int vm_code_resolve(struct vm_code *c, const char *target, uint64_t *addr,
		    const struct vm_sym **fs, uint64_t *foff, struct vm_err *e);

/* The source line at addr (1), none (0), or no line table (-1, e); with
 * inl, also the inlined calls there, innermost first (*ninl of them). */
int vm_code_line(struct vm_code *c, uint64_t addr, struct vm_line *line,
		 struct vm_inline_frame *inl, unsigned *ninl, struct vm_err *e);

/* The vmlinux's ELF image when the user named one (-k), else what is
 * already open; NULL if neither. */
struct vm_elffile *vm_code_vmimg_if_open(struct vm_code *c);

/* The vmlinux path (for lines and --file), or NULL with e. */
const char *vm_code_vmlinux(struct vm_code *c, struct vm_err *e);

/* Up to len bytes of code at addr from src (memory or file) into buf:
 * how many could be read (at least 1), or -1 with e when not even the
 * first byte can be. */
long vm_code_bytes(struct vm_code *c, enum vm_code_src src, uint64_t addr, uint8_t *buf,
		   size_t len, struct vm_err *e);

/* Decode and describe the instruction at addr from src into out. */
int vm_code_decode(struct vm_code *c, enum vm_code_src src, uint64_t addr,
		   struct vm_code_insn *out, struct vm_err *e);

/* Is this x86 instruction only padding (a nop of some length)? */
bool vm_code_is_padding(const struct vm_code *c, const struct vm_insn *in);

#endif
