// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64: kernel address translation and register notes.
 *
 * A page-table walk from the kernel's top-level table (init_top_pgt), 4- or
 * 5-level, with 1 GiB and 2 MiB leaves, answers every address: it alone
 * knows that freed __init pages of the image are unmapped.  When a table
 * page is missing from the dump (or no table is known), two linear maps
 * stand in:
 *  - kernel image: va - __START_KERNEL_map + phys_base (the kernel's own
 *    __pa_symbol()), for va inside the image mapping;
 *  - direct map: va - page_offset_base, for va below page_offset_base + RAM.
 *
 * page_offset_base is randomized by CONFIG_RANDOMIZE_MEMORY (since v4.8) and
 * VMCOREINFO does not carry it.  Without debuginfo we derive it from the
 * page tables, which are in every dump (makedumpfile never filters them):
 *  1. VMCOREINFO's SYMBOL(mem_section) is, with SPARSEMEM_EXTREME, the value
 *     of the mem_section pointer, a memblock allocation in the direct map;
 *     walking it gives pa, and page_offset_base = va - pa;
 *  2. else the first mapped address at or above the region's unrandomized
 *     start: the direct map is the first of the randomized regions
 *     (arch/x86/mm/kaslr.c) and maps pa 0 at its base.
 * Either result must be 1 GiB aligned (regions are PUD-aligned) and must map
 * back to pa 0; -o page_offset= overrides.
 */
#include "x86_64.h"
#include "x86_64_unwind.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem_impl.h"
#include "../rd.h"

#define PAGE_OFFSET_BASE_L4 UINT64_C(0xffff888000000000)  /* since v4.20 */
#define PAGE_OFFSET_BASE_L4_OLD UINT64_C(0xffff880000000000)
#define PAGE_OFFSET_BASE_L5 UINT64_C(0xff11000000000000)
#define GIB (1ull << 30)

#define PTE_PRESENT (1ull << 0)
#define PTE_PSE (1ull << 7)
#define PTE_PROTNONE (1ull << 8)    /* pte_present() counts it (user pages) */
/* __PHYSICAL_MASK_SHIFT is 52 on x86_64 */
#define PTE_ADDR_MASK 0x000ffffffffff000ull

struct x86_priv {
	bool la57;
	uint64_t sme_mask;          /* AMD SME C-bit, cleared from entries */
	uint64_t image_size;        /* KERNEL_IMAGE_SIZE */
	uint64_t max_pa;            /* end of the physical memory we know of */
	bool have_cr3;
	uint64_t cr3_pa;
	uint64_t cr4;
	bool have_cr4;
};

static const char *const level_names[] = { "PTE", "PMD", "PUD", "P4D", "PGD" };

/* ---- registers ---- */

static const char *const x86_reg_names[VM_X86_NR_REGS] = {
	"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10",
	"r9", "r8", "rax", "rcx", "rdx", "rsi", "rdi", "orig_rax",
	"rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds",
	"es", "fs", "gs", "cr0", "cr2", "cr3", "cr4", "kernel_gs_base",
};

/* crash's x86_64 register block (x86_64_print_eframe / bt's exception
 * frames), which every reader of `bt` output knows */
static const struct vm_reg_show x86_reg_show[] = {
	{ VM_X86_RIP, "RIP", 16 }, { VM_X86_RSP, "RSP", 16 }, { VM_X86_EFLAGS, "RFLAGS", 8 },
	VM_REG_ROW,
	{ VM_X86_RAX, "RAX", 16 }, { VM_X86_RBX, "RBX", 16 }, { VM_X86_RCX, "RCX", 16 },
	VM_REG_ROW,
	{ VM_X86_RDX, "RDX", 16 }, { VM_X86_RSI, "RSI", 16 }, { VM_X86_RDI, "RDI", 16 },
	VM_REG_ROW,
	{ VM_X86_RBP, "RBP", 16 }, { VM_X86_R8, " R8", 16 }, { VM_X86_R9, " R9", 16 },
	VM_REG_ROW,
	{ VM_X86_R10, "R10", 16 }, { VM_X86_R11, "R11", 16 }, { VM_X86_R12, "R12", 16 },
	VM_REG_ROW,
	{ VM_X86_R13, "R13", 16 }, { VM_X86_R14, "R14", 16 }, { VM_X86_R15, "R15", 16 },
	VM_REG_ROW,
	{ VM_X86_ORIG_RAX, "ORIG_RAX", 16 }, { VM_X86_CS, "CS", 4 }, { VM_X86_SS, "SS", 4 },
	VM_REG_END,
};

/*
 * struct elf_prstatus (include/linux/elfcore.h) on x86_64: pr_info (12),
 * pr_cursig (2) + pad, pr_sigpend, pr_sighold (8 each) -> 32: pr_pid;
 * pr_ppid, pr_pgrp, pr_sid, then four struct timevals (4 * 16) -> 112:
 * pr_reg (27 * 8 = 216), pr_fpvalid.  336 bytes in all.
 */
#define PRSTATUS_PID_OFF 32
#define PRSTATUS_REG_OFF 112

static int x86_prstatus_regs(const void *desc, size_t descsz, struct vm_regs *r,
			     struct vm_err *e)
{
	const uint8_t *p = desc;
	unsigned i;

	if (descsz < PRSTATUS_REG_OFF + VM_X86_NR_PRSTATUS_REGS * 8)
		return vm_fail(e, VM_EFORMAT,
			       "NT_PRSTATUS is %zu bytes, x86_64 needs %u", descsz,
			       PRSTATUS_REG_OFF + VM_X86_NR_PRSTATUS_REGS * 8);
	r->pid = (int32_t)vm_le32(p + PRSTATUS_PID_OFF);
	for (i = 0; i < VM_X86_NR_PRSTATUS_REGS; i++) {
		r->r[i] = vm_le64(p + PRSTATUS_REG_OFF + 8 * i);
		r->valid |= 1ull << i;
	}
	return 0;
}

/*
 * QEMU's "QEMU" note, QEMUCPUState (target/i386/arch_dump.c): u32 version,
 * u32 size, then rax rbx rcx rdx rsi rdi rsp rbp r8..r15 rip rflags (u64),
 * ten 24-byte segments {u32 selector, limit, flags, pad; u64 base}
 * (cs ds es fs gs ss ldt tr gdt idt), cr[0..4], and, when size says so,
 * kernel_gs_base.
 */
#define QS_GPR_OFF 8
#define QS_SEG_OFF 152
#define QS_SEG_SIZE 24
#define QS_CR_OFF (QS_SEG_OFF + 10 * QS_SEG_SIZE)   /* 392 */
#define QS_KGS_OFF (QS_CR_OFF + 5 * 8)               /* 432 */

static int x86_qemu_cpu_regs(const void *desc, size_t descsz, struct vm_regs *r,
			     struct vm_err *e)
{
	static const int gpr[18] = {
		VM_X86_RAX, VM_X86_RBX, VM_X86_RCX, VM_X86_RDX, VM_X86_RSI,
		VM_X86_RDI, VM_X86_RSP, VM_X86_RBP, VM_X86_R8, VM_X86_R9,
		VM_X86_R10, VM_X86_R11, VM_X86_R12, VM_X86_R13, VM_X86_R14,
		VM_X86_R15, VM_X86_RIP, VM_X86_EFLAGS,
	};
	static const int seg[6] = { VM_X86_CS, VM_X86_DS, VM_X86_ES,
				    VM_X86_FS, VM_X86_GS, VM_X86_SS };
	static const int cr[5] = { VM_X86_CR0, -1, VM_X86_CR2, VM_X86_CR3, VM_X86_CR4 };
	const uint8_t *p = desc;
	uint32_t size;
	unsigned i;

	if (descsz < QS_KGS_OFF)
		return vm_fail(e, VM_EFORMAT, "QEMU CPU note is %zu bytes, need %u",
			       descsz, QS_KGS_OFF);
	size = vm_le32(p + 4);
	for (i = 0; i < 18; i++) {
		r->r[gpr[i]] = vm_le64(p + QS_GPR_OFF + 8 * i);
		r->valid |= 1ull << gpr[i];
	}
	for (i = 0; i < 6; i++) {
		r->r[seg[i]] = vm_le32(p + QS_SEG_OFF + QS_SEG_SIZE * i);
		r->valid |= 1ull << seg[i];
	}
	r->r[VM_X86_FS_BASE] = vm_le64(p + QS_SEG_OFF + QS_SEG_SIZE * 3 + 16);
	r->r[VM_X86_GS_BASE] = vm_le64(p + QS_SEG_OFF + QS_SEG_SIZE * 4 + 16);
	r->valid |= 1ull << VM_X86_FS_BASE | 1ull << VM_X86_GS_BASE;
	for (i = 0; i < 5; i++) {
		if (cr[i] < 0)
			continue;
		r->r[cr[i]] = vm_le64(p + QS_CR_OFF + 8 * i);
		r->valid |= 1ull << cr[i];
	}
	if (size >= QS_KGS_OFF + 8 && descsz >= QS_KGS_OFF + 8) {
		r->r[VM_X86_KERNEL_GS_BASE] = vm_le64(p + QS_KGS_OFF);
		r->valid |= 1ull << VM_X86_KERNEL_GS_BASE;
	}
	return 0;
}

/* ---- page tables ---- */

static bool canonical(const struct x86_priv *x, uint64_t va)
{
	unsigned bits = x->la57 ? 57 : 48;
	uint64_t top = va >> (bits - 1);

	return top == 0 || top == (UINT64_MAX >> (bits - 1));
}

/* Walk the table at pgd_pa.  On success *pa and, if wanted, the size of
 * the leaf page (4K/2M/1G). */
static int walk(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, uint64_t *pa,
		uint64_t *leaf_size, struct vm_err *e)
{
	struct x86_priv *x = m->arch_priv;
	int top = x->la57 ? 4 : 3, level = top;    /* index into level_names */
	uint64_t table = pgd_pa, ent = 0;

	if (!canonical(x, va))
		return vm_fail(e, VM_ENOMAP, "va 0x%" PRIx64 " is not canonical (%d-level paging)",
			       va, x->la57 ? 5 : 4);
	for (; level >= 0; level--) {
		unsigned shift = 12 + 9 * (unsigned)level;
		unsigned idx = (unsigned)(va >> shift) & 511;
		uint64_t ent_pa = table + 8ull * idx;
		uint8_t b[8];
		uint64_t present = PTE_PRESENT;
		/* with 4 levels the P4D is folded: the top table is the PGD */
		const char *lname = level == top ? "PGD" : level_names[level];

		if (vm_mem_read_phys(m, ent_pa, b, 8, e) < 0) {
			vm_err_prefix(e, "va 0x%" PRIx64 ": reading %s entry %u at pa 0x%" PRIx64 ": ",
				      va, lname, idx, ent_pa);
			return -1;
		}
		ent = vm_le64(b);
		if (level == 0)
			present |= PTE_PROTNONE;
		if (!(ent & present))
			return vm_fail(e, VM_ENOMAP,
				       "va 0x%" PRIx64 " not mapped: %s entry %u at pa 0x%" PRIx64
				       " is 0x%" PRIx64 " (not present)",
				       va, lname, idx, ent_pa, ent);
		if ((level == 1 || level == 2) && (ent & PTE_PSE)) {
			uint64_t size = 1ull << shift;
			uint64_t base = ent & PTE_ADDR_MASK & ~x->sme_mask & ~(size - 1);

			*pa = base | (va & (size - 1));
			if (leaf_size)
				*leaf_size = size;
			return 0;
		}
		table = ent & PTE_ADDR_MASK & ~x->sme_mask;
	}
	*pa = table | (va & 0xfff);
	if (leaf_size)
		*leaf_size = 4096;
	return 0;
}

static bool in_image(const struct vm_mem *m, const struct x86_priv *x, uint64_t va)
{
	return va >= VM_X86_START_KERNEL_MAP &&
	       va - VM_X86_START_KERNEL_MAP < x->image_size;
}

static int x86_vtop(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, uint64_t *pa,
		    struct vm_err *e)
{
	struct x86_priv *x = m->arch_priv;
	struct vm_err we;

	/* The page tables are the truth (freed __init pages of the image are
	 * unmapped); the linear maps are the fallback when a table page is
	 * missing from the dump or the table is unknown. */
	if (pgd_pa != UINT64_MAX) {
		if (walk(m, pgd_pa, va, pa, NULL, &we) == 0)
			return 0;
		if (we.code == VM_ENOMAP) {
			if (e)
				*e = we;
			return -1;
		}
	}
	if (m->have_phys_base && in_image(m, x, va)) {
		*pa = va - VM_X86_START_KERNEL_MAP + m->phys_base;
		return 0;
	}
	if (m->have_page_offset && va >= m->page_offset &&
	    va - m->page_offset < x->max_pa) {
		*pa = va - m->page_offset;
		return 0;
	}
	if (pgd_pa == UINT64_MAX)
		return vm_fail(e, VM_ENOMAP,
			       "va 0x%" PRIx64 ": outside the kernel image and direct map, and "
			       "the kernel page table is unknown (no VMCOREINFO init_top_pgt "
			       "and no CR3 in the notes)", va);
	if (e)
		*e = we;
	return -1;
}

/*
 * Lowest mapped va in [start, end) under the table at pgd_pa, descending
 * only into present entries.  1 found, 0 none, -1 error reading a table.
 * *budget bounds the entries read: corrupt tables whose entries are all
 * present but lead to no leaf would otherwise be searched 512^4 times
 * over (a real table finds its first mapping within a few thousand).
 */
#define FIRST_MAPPED_BUDGET (1u << 16)

static int first_mapped(struct vm_mem *m, uint64_t table, int level, uint64_t base,
			uint64_t start, uint64_t end, uint64_t *va_out, uint64_t *pa_out,
			unsigned *budget, struct vm_err *e)
{
	struct x86_priv *x = m->arch_priv;
	unsigned shift = 12 + 9 * (unsigned)level;
	uint64_t span = 1ull << shift;
	unsigned idx;

	for (idx = 0; idx < 512; idx++) {
		uint64_t lo = base + (uint64_t)idx * span, hi;

		/* top level: indexes 256..511 are the sign-extended kernel half */
		if (level == (x->la57 ? 4 : 3) && idx >= 256)
			lo |= ~((1ull << (shift + 9)) - 1);
		hi = lo + span - 1;
		uint8_t b[8];
		uint64_t ent;
		int r;

		if (hi < start)
			continue;
		if (lo >= end)
			break;
		if (!*budget)
			return 0;
		--*budget;
		if (vm_mem_read_phys(m, table + 8ull * idx, b, 8, e) < 0)
			return -1;
		ent = vm_le64(b);
		if (!(ent & PTE_PRESENT))
			continue;
		if (level == 0 || ((level == 1 || level == 2) && (ent & PTE_PSE))) {
			uint64_t va = lo < start ? start : lo;

			*va_out = va;
			*pa_out = (ent & PTE_ADDR_MASK & ~x->sme_mask & ~(span - 1)) |
				  (va & (span - 1));
			return 1;
		}
		r = first_mapped(m, ent & PTE_ADDR_MASK & ~x->sme_mask, level - 1, lo,
				 start, end, va_out, pa_out, budget, e);
		if (r)
			return r;
	}
	return 0;
}

/* A direct-map base must be 1 GiB aligned and map back to pa 0. */
static bool check_page_offset(struct vm_mem *m, uint64_t po)
{
	struct vm_err e;
	uint64_t pa;

	if (po & (GIB - 1))
		return false;
	return walk(m, m->kpgd_pa, po, &pa, NULL, &e) == 0 && pa == 0;
}

static void find_page_offset(struct vm_mem *m)
{
	struct x86_priv *x = m->arch_priv;
	uint64_t va, pa, lo, hi;
	struct vm_err e;
	unsigned budget;
	int r;

	if (!m->have_kpgd)
		return;
	lo = x->la57 ? PAGE_OFFSET_BASE_L5 : PAGE_OFFSET_BASE_L4;
	/* the direct map lies below the image map (and below the cpu entry
	 * area, fixmap ...) */
	hi = VM_X86_START_KERNEL_MAP;
	if (m->vi && vm_vmci_symbol(m->vi, "mem_section", &va) == 0 &&
	    va >= lo && va < hi && walk(m, m->kpgd_pa, va, &pa, NULL, &e) == 0 &&
	    va >= pa && check_page_offset(m, va - pa)) {
		m->page_offset = va - pa;
		m->have_page_offset = true;
		snprintf(m->how_page_offset, sizeof(m->how_page_offset),
			 "0x%" PRIx64 " (from the page table entry of VMCOREINFO's mem_section pointer)",
			 m->page_offset);
		return;
	}
	budget = FIRST_MAPPED_BUDGET;
	r = first_mapped(m, m->kpgd_pa, x->la57 ? 4 : 3, 0, lo, hi, &va, &pa, &budget, &e);
	if (r == 1 && va >= pa && check_page_offset(m, va - pa)) {
		m->page_offset = va - pa;
		m->have_page_offset = true;
		snprintf(m->how_page_offset, sizeof(m->how_page_offset),
			 "0x%" PRIx64 " (first mapping above 0x%" PRIx64 " in the kernel page table)",
			 m->page_offset, lo);
		return;
	}
	/* before v4.20 the 4-level direct map began at 0xffff880000000000 */
	if (!x->la57) {
		budget = FIRST_MAPPED_BUDGET;
		r = first_mapped(m, m->kpgd_pa, 3, 0, PAGE_OFFSET_BASE_L4_OLD, hi, &va,
				 &pa, &budget, &e);
		if (r == 1 && va >= pa && check_page_offset(m, va - pa)) {
			m->page_offset = va - pa;
			m->have_page_offset = true;
			snprintf(m->how_page_offset, sizeof(m->how_page_offset),
				 "0x%" PRIx64 " (first mapping above 0x%" PRIx64
				 " in the kernel page table)",
				 m->page_offset, PAGE_OFFSET_BASE_L4_OLD);
		}
	}
}

static int override_u64(struct vm_mem *m, const char *key, uint64_t *v, bool *have,
			char *how, size_t howsz, struct vm_err *e)
{
	int r = vm_opt_u64(m->opts, key, v);

	if (r < 0)
		return vm_fail(e, VM_EINVAL, "-o %s=%s: not a number", key,
			       vm_opt_get(m->opts, key));
	if (r > 0) {
		*have = true;
		snprintf(how, howsz, "0x%" PRIx64 " (-o %s)", *v, key);
	}
	return 0;
}

/* CR3 and CR4 of the first CPU with a QEMU note (QEMU dumps). */
static void read_qemu_cr(struct vm_mem *m, struct x86_priv *x)
{
	struct vm_regs r;
	struct vm_err e;
	int i;

	if (vm_mem_index_cpu_notes(m, &e) < 0)
		return;
	for (i = 0; i < m->nr_qemu; i++) {
		memset(&r, 0, sizeof(r));
		if (x86_qemu_cpu_regs(m->qemu[i]->desc, m->qemu[i]->descsz, &r, &e) < 0)
			continue;
		/* CR3 low bits hold the PCID / flags; bit 63 is "no flush" */
		if (!(r.r[VM_X86_CR3] & PTE_ADDR_MASK))
			continue;
		x->cr3_pa = r.r[VM_X86_CR3] & PTE_ADDR_MASK;
		x->have_cr3 = true;
		x->cr4 = r.r[VM_X86_CR4];
		x->have_cr4 = true;
		return;
	}
}

static int x86_init(struct vm_mem *m, struct vm_err *e)
{
	struct x86_priv *x = m->arch_priv;
	const struct vm_dump_info *info = vm_dump_info(m->dump);
	uint64_t v;
	int64_t n;
	int r;

	if (!x) {
		x = vm_calloc(1, sizeof(*x), e);
		if (!x)
			return -1;
		m->arch_priv = x;
		read_qemu_cr(m, x);
	}
	m->page_size = 4096;
	x->max_pa = info->max_pfn ? info->max_pfn * 4096ull : 0;
	if (!x->max_pa || x->max_pa > (1ull << 52))
		x->max_pa = 1ull << 52;

	/* SME C-bit in entries; NUMBER(sme_mask) since v4.14 */
	x->sme_mask = 0;
	if (m->vi && vm_vmci_number(m->vi, "sme_mask", &n) == 0)
		x->sme_mask = (uint64_t)n;

	/* KERNEL_IMAGE_SIZE: 1 GiB with RANDOMIZE_BASE, else 512 MiB;
	 * NUMBER(KERNEL_IMAGE_SIZE) since v4.19 */
	x->image_size = 1ull << 30;
	if (m->vi && vm_vmci_number(m->vi, "KERNEL_IMAGE_SIZE", &n) == 0 && n > 0 &&
	    (uint64_t)n <= (1ull << 31))
		x->image_size = (uint64_t)n;

	/* paging depth: -o vabits=48|57, NUMBER(pgtable_l5_enabled) (v4.17+),
	 * the QEMU note's CR4.LA57 (bit 12), else 4-level */
	r = vm_opt_u64(m->opts, "vabits", &v);
	if (r < 0 || (r > 0 && v != 48 && v != 57))
		return vm_fail(e, VM_EINVAL, "-o vabits=%s: x86_64 takes 48 or 57",
			       vm_opt_get(m->opts, "vabits"));
	if (r > 0) {
		x->la57 = v == 57;
		snprintf(m->how_paging, sizeof(m->how_paging), "x86_64 %d-level paging (-o vabits)",
			 x->la57 ? 5 : 4);
	} else if (m->vi && vm_vmci_number(m->vi, "pgtable_l5_enabled", &n) == 0) {
		x->la57 = n != 0;
		snprintf(m->how_paging, sizeof(m->how_paging),
			 "x86_64 %d-level paging (VMCOREINFO pgtable_l5_enabled)", x->la57 ? 5 : 4);
	} else if (x->have_cr4) {
		x->la57 = (x->cr4 >> 12) & 1;
		snprintf(m->how_paging, sizeof(m->how_paging),
			 "x86_64 %d-level paging (CR4.LA57 in the QEMU note)", x->la57 ? 5 : 4);
	} else {
		x->la57 = false;
		snprintf(m->how_paging, sizeof(m->how_paging),
			 "x86_64 4-level paging (assumed; -o vabits=57 for 5-level)");
	}

	/* KASLR slide: -o kaslr=, else KERNELOFFSET (v4.8+, hex without 0x);
	 * vm_mem_set_kaslr() may have set it already */
	if (!m->have_kaslr) {
		if (override_u64(m, "kaslr", &m->kaslr, &m->have_kaslr, m->how_kaslr,
				 sizeof(m->how_kaslr), e) < 0)
			return -1;
		if (!m->have_kaslr && m->vi && vm_vmci_hex(m->vi, "KERNELOFFSET", &v) == 0) {
			m->kaslr = v;
			m->have_kaslr = true;
			snprintf(m->how_kaslr, sizeof(m->how_kaslr), "0x%" PRIx64 " (VMCOREINFO KERNELOFFSET)", v);
		}
		if (!m->have_kaslr && m->vi) {
			/* VMCOREINFO without KERNELOFFSET: a kernel without
			 * RANDOMIZE_BASE, or one older than v4.8 */
			m->kaslr = 0;
			m->have_kaslr = true;
			snprintf(m->how_kaslr, sizeof(m->how_kaslr),
				 "0 (VMCOREINFO has no KERNELOFFSET)");
		}
	}

	/* phys_base: -o phys_base=, else NUMBER(phys_base) (v4.10+; signed:
	 * a kernel loaded below its link address has a negative one) */
	if (!m->have_phys_base) {
		if (override_u64(m, "phys_base", &m->phys_base, &m->have_phys_base,
				 m->how_phys_base, sizeof(m->how_phys_base), e) < 0)
			return -1;
		if (!m->have_phys_base && m->vi &&
		    vm_vmci_number(m->vi, "phys_base", &n) == 0) {
			m->phys_base = (uint64_t)n;
			m->have_phys_base = true;
			snprintf(m->how_phys_base, sizeof(m->how_phys_base),
				 "0x%" PRIx64 " (VMCOREINFO)", m->phys_base);
		}
	}

	/* kernel top-level table: -o pgd= (physical), VMCOREINFO's
	 * init_top_pgt (v4.13+; init_level4_pgt before) through the image
	 * map, else the QEMU note's CR3 (the kernel half is shared by every
	 * page table, so any task's CR3 translates kernel addresses) */
	if (!m->have_kpgd) {
		static const char *const names[] = { "init_top_pgt", "init_level4_pgt",
						     "swapper_pg_dir" };
		unsigned i;

		if (override_u64(m, "pgd", &m->kpgd_pa, &m->have_kpgd, m->how_kpgd,
				 sizeof(m->how_kpgd), e) < 0)
			return -1;
		for (i = 0; !m->have_kpgd && m->have_phys_base && m->vi && i < 3; i++)
			if (vm_vmci_symbol(m->vi, names[i], &v) == 0 && in_image(m, x, v)) {
				m->kpgd_pa = v - VM_X86_START_KERNEL_MAP + m->phys_base;
				m->have_kpgd = true;
				snprintf(m->how_kpgd, sizeof(m->how_kpgd),
					 "at pa 0x%" PRIx64 " (VMCOREINFO %s)", m->kpgd_pa,
					 names[i]);
			}
		if (!m->have_kpgd && x->have_cr3) {
			m->kpgd_pa = x->cr3_pa;
			m->have_kpgd = true;
			snprintf(m->how_kpgd, sizeof(m->how_kpgd),
				 "at pa 0x%" PRIx64 " (CR3 in the QEMU CPU note)", m->kpgd_pa);
		}
	}

	/* Without phys_base but with page tables and the slide, the image
	 * mapping gives it: _text is at 0xffffffff81000000 + slide. */
	if (!m->have_phys_base && m->have_kpgd && m->have_kaslr) {
		uint64_t text = 0xffffffff81000000ull + m->kaslr, pa;
		struct vm_err ignore;

		if (m->vi)
			vm_vmci_symbol(m->vi, "_stext", &text);
		if (walk(m, m->kpgd_pa, text, &pa, NULL, &ignore) == 0) {
			m->phys_base = pa - (text - VM_X86_START_KERNEL_MAP);
			m->have_phys_base = true;
			snprintf(m->how_phys_base, sizeof(m->how_phys_base),
				 "0x%" PRIx64 " (page-table walk of the kernel text)",
				 m->phys_base);
		}
	}

	if (!m->have_page_offset) {
		if (override_u64(m, "page_offset", &m->page_offset, &m->have_page_offset,
				 m->how_page_offset, sizeof(m->how_page_offset), e) < 0)
			return -1;
		if (!m->have_page_offset)
			find_page_offset(m);
	}

	if (!m->have_kpgd && !m->have_phys_base)
		return vm_fail(e, VM_EUNSUP,
			       "no kernel page table and no phys_base (no VMCOREINFO and "
			       "no QEMU CPU note); give -o phys_base= and -o pgd=");
	return 0;
}

/* The direct map: va = page_offset_base + pa for pa below the RAM we
 * know of (the dump's highest pfn). */
static int x86_lin_ptov(const struct vm_mem *m, uint64_t pa, uint64_t *va)
{
	const struct x86_priv *x = m->arch_priv;

	if (!m->have_page_offset || !x || pa >= x->max_pa)
		return -1;
	*va = m->page_offset + pa;
	return 0;
}

static int x86_lin_vtop(const struct vm_mem *m, uint64_t va, uint64_t *pa)
{
	const struct x86_priv *x = m->arch_priv;

	if (!m->have_page_offset || !x || va < m->page_offset ||
	    va - m->page_offset >= x->max_pa)
		return -1;
	*pa = va - m->page_offset;
	return 0;
}

static void x86_fini(struct vm_mem *m)
{
	free(m->arch_priv);
	m->arch_priv = NULL;
}

const struct vm_arch vm_arch_x86_64 = {
	.name = "x86_64",
	.e_machine = 62,   /* EM_X86_64 */
	.nr_regs = VM_X86_NR_REGS,
	.reg_names = x86_reg_names,
	.pc_reg = VM_X86_RIP,
	.sp_reg = VM_X86_RSP,
	.fp_reg = VM_X86_RBP,
	.pc_label = "RIP",
	.reg_show = x86_reg_show,
	.init = x86_init,
	.vtop = x86_vtop,
	.prstatus_regs = x86_prstatus_regs,
	.qemu_cpu_regs = x86_qemu_cpu_regs,
	.fini = x86_fini,
	.lin_ptov = x86_lin_ptov,
	.lin_vtop = x86_lin_vtop,
	/* CONFIG_PHYSICAL_ALIGN's default and minimum on x86_64 is 2 MiB;
	 * the image stays inside the 1 GiB KERNEL_IMAGE_SIZE window */
	.kaslr_align = 2ull << 20,
	.kaslr_max = 1ull << 30,
	.unwind = &vm_x86_64_unwind,
};
