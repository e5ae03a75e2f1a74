/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Layer 3: per-architecture knowledge behind one table of function pointers
 * (x86_64.c, arm64.c).  Generic code never says "x86".
 *
 * struct vm_mem is the kernel's virtual memory as seen through the dump:
 * kernel image mapping (KASLR, phys_base), direct map, and page-table walks
 * from the kernel's top-level table.  Every read names the virtual and the
 * physical address when it fails, and keeps VM_ENOPAGE (excluded from the
 * dump) apart from VM_ENOMAP (not mapped).
 */
#ifndef VM_ARCH_H
#define VM_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../dump/dump.h"
#include "../err.h"
#include "../opts.h"
#include "../vmcore_types.h"
#include "../vmcoreinfo/vmcoreinfo.h"

struct vm_mem;
struct vm_unwind_ops;

/* One register in a printed register block: "LABEL: value", the value in
 * `digits` hex digits.  A block is rows of these, each row ended by an
 * entry with reg < 0 and the block by two in a row (VM_REG_ROW, VM_REG_END). */
struct vm_reg_show {
	int reg;                 /* index in vm_regs.r; < 0: end of row */
	const char *label;       /* as printed, padding included: " R8" */
	unsigned digits;
};
#define VM_REG_ROW { -1, NULL, 0 }
#define VM_REG_END VM_REG_ROW, VM_REG_ROW

struct vm_arch {
	const char *name;        /* "x86_64" */
	uint16_t e_machine;
	unsigned nr_regs;
	const char *const *reg_names;   /* "rax", ... indexed like vm_regs.r */
	unsigned pc_reg, sp_reg, fp_reg;
	const char *pc_label;    /* the program counter as crash names it: "RIP" */
	/* how crash prints a register set (bt's exception frames); NULL:
	 * every register by its name, three a line */
	const struct vm_reg_show *reg_show;
	/* Fill arch state in m from VMCOREINFO, notes and overrides. */
	int (*init)(struct vm_mem *m, struct vm_err *e);
	/* Translate through the page table whose top level is at physical
	 * address pgd_pa; kernel addresses use the kernel's own table. */
	int (*vtop)(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, uint64_t *pa,
		    struct vm_err *e);
	/* Registers from one NT_PRSTATUS note's descriptor. */
	int (*prstatus_regs)(const void *desc, size_t descsz, struct vm_regs *r,
			     struct vm_err *e);
	/* Registers from one QEMU CPU-state note ("QEMU" name), if any. */
	int (*qemu_cpu_regs)(const void *desc, size_t descsz, struct vm_regs *r,
			     struct vm_err *e);
	void (*fini)(struct vm_mem *m);
	/* The kernel's linear map of RAM (x86_64 "direct map"): pa -> va
	 * (phys_to_virt, page_address) and back; -1 when the address is
	 * outside it or the map is unknown. */
	int (*lin_ptov)(const struct vm_mem *m, uint64_t pa, uint64_t *va);
	int (*lin_vtop)(const struct vm_mem *m, uint64_t va, uint64_t *pa);
	/* KASLR slides of the kernel image are multiples of kaslr_align below
	 * kaslr_max (for finding the slide when VMCOREINFO has none). */
	uint64_t kaslr_align, kaslr_max;
	/* Stack unwinder (unwind.h); NULL if the arch has none yet. */
	const struct vm_unwind_ops *unwind;
};

const struct vm_arch *vm_arch_by_machine(uint16_t e_machine);

/* ---- kernel virtual memory ---- */

struct vm_mem *vm_mem_open(struct vm_dump *d, const struct vm_vmcoreinfo *vi,
			   const struct vm_opts *o, struct vm_err *e);
void vm_mem_close(struct vm_mem *m);

const struct vm_arch *vm_mem_arch(const struct vm_mem *m);
struct vm_dump *vm_mem_dump(const struct vm_mem *m);
const struct vm_vmcoreinfo *vm_mem_vmcoreinfo(const struct vm_mem *m);

/* KASLR slide of the kernel image (0 if none), phys_base, direct-map base. */
uint64_t vm_mem_kaslr(const struct vm_mem *m);
uint64_t vm_mem_phys_base(const struct vm_mem *m);
uint64_t vm_mem_page_offset(const struct vm_mem *m);
uint32_t vm_mem_page_size(const struct vm_mem *m);
/* Human-readable account of how KASLR/phys_base/page_offset were found
 * (for -v). */
const char *vm_mem_how(const struct vm_mem *m);

/* True when the slide is known (VMCOREINFO, -o kaslr=, vm_mem_set_kaslr);
 * false for a dump without VMCOREINFO until the kernel layer finds it. */
bool vm_mem_kaslr_known(const struct vm_mem *m);
/* The options the view was opened with (may be NULL). */
const struct vm_opts *vm_mem_opts(const struct vm_mem *m);

/* Set the KASLR slide later (found from vmlinux + dump when VMCOREINFO has
 * none) */
void vm_mem_set_kaslr(struct vm_mem *m, uint64_t slide);

int vm_kvtop(struct vm_mem *m, uint64_t va, uint64_t *pa, struct vm_err *e);
/* The linear map alone, no page-table walk (see vm_arch.lin_ptov):
 * 0 and the address, or -1 (VM_ENOMAP) outside it. */
int vm_mem_lin_ptov(const struct vm_mem *m, uint64_t pa, uint64_t *va, struct vm_err *e);
int vm_mem_lin_vtop(const struct vm_mem *m, uint64_t va, uint64_t *pa, struct vm_err *e);
/* User (or any) address through the page table at physical pgd_pa. */
int vm_uvtop(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, uint64_t *pa,
	     struct vm_err *e);

/* Kernel virtual reads; may cross pages. */
int vm_kread(struct vm_mem *m, uint64_t va, void *buf, size_t len, struct vm_err *e);
/*
 * The kernel bytes [va, va + len) as the dump file stores them, handed to
 * fn piece by piece (pointers into the dump, valid during the call): for
 * each piece of the range up to a page boundary a 16-byte record (method,
 * stored length, offset in the dump page, piece length; little endian
 * u32s), then the dump page's stored bytes unless the piece before was in
 * the same dump page.  Equal sequences mean equal bytes
 * (vm_dump_read_stored), found without decompressing anything.  -1 when a
 * page cannot be read or fn returns -1.
 */
int vm_kread_stored(struct vm_mem *m, uint64_t va, uint64_t len,
		    int (*fn)(void *ctx, const void *p, size_t n), void *ctx,
		    struct vm_err *e);
int vm_kread_u8(struct vm_mem *m, uint64_t va, uint8_t *v, struct vm_err *e);
int vm_kread_u16(struct vm_mem *m, uint64_t va, uint16_t *v, struct vm_err *e);
int vm_kread_u32(struct vm_mem *m, uint64_t va, uint32_t *v, struct vm_err *e);
int vm_kread_u64(struct vm_mem *m, uint64_t va, uint64_t *v, struct vm_err *e);
/* NUL-terminated string of at most bufsz-1 bytes; returns its length. */
long vm_kread_str(struct vm_mem *m, uint64_t va, char *buf, size_t bufsz,
		  struct vm_err *e);
int vm_uread(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, void *buf,
	     size_t len, struct vm_err *e);

/* CPU registers at the crash: index 0..n-1 over NT_PRSTATUS notes (kdump) or
 * QEMU CPU notes; n = vm_mem_nr_cpu_regs(). */
int vm_mem_nr_cpu_regs(struct vm_mem *m);
int vm_mem_cpu_regs(struct vm_mem *m, int cpu, struct vm_regs *r, struct vm_err *e);

#endif
