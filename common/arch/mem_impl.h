/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to common/arch/: struct vm_mem as the per-arch code fills it. */
#ifndef VM_MEM_IMPL_H
#define VM_MEM_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

/* A software TLB: repeated reads of one page skip the page-table walk.
 * Direct-mapped on the virtual page number; 4 KiB granules only. */
#define VM_TLB_SIZE 512

struct vm_tlb_ent {
	uint64_t pgd_pa;     /* table the entry came from */
	uint64_t vpage;      /* va >> 12, or UINT64_MAX for an empty slot */
	uint64_t ppage;      /* pa >> 12 */
};

struct vm_mem {
	struct vm_dump *dump;
	const struct vm_vmcoreinfo *vi;    /* may be NULL */
	const struct vm_opts *opts;        /* may be NULL */
	const struct vm_arch *arch;
	uint32_t page_size;

	/* Filled by arch->init; the have_ flags say whether a value is known. */
	uint64_t kaslr;
	uint64_t phys_base;
	uint64_t page_offset;
	uint64_t kpgd_pa;                  /* kernel's top-level table */
	bool have_kaslr, have_phys_base, have_page_offset, have_kpgd;
	/* where each value came from, for vm_mem_how() */
	char how_kaslr[128], how_phys_base[128], how_page_offset[160];
	char how_kpgd[128], how_paging[96];
	char how[768];

	void *arch_priv;                   /* owned by the arch; freed in fini */

	struct vm_tlb_ent tlb[VM_TLB_SIZE];

	/* CPU notes, indexed once on first use */
	bool cpus_indexed;
	int nr_prstatus, nr_qemu;
	const struct vm_note **prstatus;   /* i-th NT_PRSTATUS note */
	const struct vm_note **qemu;       /* i-th "QEMU" CPU note */
};

/* Drop every cached translation (after the arch view changes). */
void vm_mem_tlb_flush(struct vm_mem *m);

/* Physical read of the kernel's view: a failure names the va and level in
 * the caller's message; here only pa. */
int vm_mem_read_phys(struct vm_mem *m, uint64_t pa, void *buf, size_t len,
		     struct vm_err *e);

/* Index of the CPU notes (NT_PRSTATUS "CORE" and "QEMU"); 0 or -1. */
int vm_mem_index_cpu_notes(struct vm_mem *m, struct vm_err *e);

#endif
