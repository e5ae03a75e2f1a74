// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64: kernel address translation and register notes.
 *
 * As on x86_64 the page tables are the truth and two linear maps stand in
 * when a table page is missing:
 *  - the linear map: pa = va - PAGE_OFFSET + PHYS_OFFSET (__lm_to_phys),
 *    for va in [PAGE_OFFSET, PAGE_END);
 *  - the kernel image: pa = va - kimage_voffset (__kimg_to_phys).
 * PAGE_OFFSET is -(1 << VA_BITS) since v5.4 (14c127c957c1, "flip kernel VA
 * space"; the linear map is the lower half of the kernel range) and
 * -(1 << (VA_BITS - 1)) before.  VMCOREINFO has carried NUMBER(VA_BITS),
 * NUMBER(kimage_voffset) and NUMBER(PHYS_OFFSET) since v4.6-v4.12,
 * NUMBER(TCR_EL1_T1SZ) (the VA size the MMU really uses) since v5.9.
 */
#include "arm64.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64_unwind.h"
#include "mem_impl.h"
#include "../rd.h"

#define DESC_VALID (1ull << 0)
#define DESC_TABLE (1ull << 1)       /* table (levels 0-2) / page (level 3) */
#define DESC_ADDR_48 0x0000fffffffff000ull

struct arm64_priv {
	unsigned page_shift;         /* 12, 14, 16 */
	unsigned va_bits;            /* VA_BITS the kernel was built with */
	unsigned va_bits_actual;     /* what TTBR1 really spans */
	uint64_t kimage_voffset;
	uint64_t phys_offset;
	uint64_t page_end;           /* end of the linear map */
	bool have_voffset, have_phys_offset;
};

static const char *const arm64_reg_names[VM_ARM64_NR_REGS] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
	"x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19",
	"x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "fp",
	"lr", "sp", "pc", "pstate",
};

/* struct elf_prstatus: the common part (siginfo, cursig, pending/held
 * masks, pids, four timevals) is 112 bytes on every 64-bit arch, then
 * pr_reg (user_pt_regs: 34 x u64). */
#define PRSTATUS_PID_OFF 32
#define PRSTATUS_REG_OFF 112

static int arm64_prstatus_regs(const void *desc, size_t descsz, struct vm_regs *r,
			       struct vm_err *e)
{
	const uint8_t *d = desc;
	int i;

	if (descsz < PRSTATUS_REG_OFF + VM_ARM64_NR_REGS * 8)
		return vm_fail(e, VM_EFORMAT, "arm64 NT_PRSTATUS is %zu bytes, want >= %d",
			       descsz, PRSTATUS_REG_OFF + VM_ARM64_NR_REGS * 8);
	memset(r, 0, sizeof(*r));
	r->pid = (int32_t)vm_le32(d + PRSTATUS_PID_OFF);
	for (i = 0; i < VM_ARM64_NR_REGS; i++) {
		r->r[i] = vm_le64(d + PRSTATUS_REG_OFF + 8 * i);
		r->valid |= 1ull << i;
	}
	return 0;
}

/* Output address of a descriptor.  With 64K pages and 52-bit PAs
 * (ARMv8.2 LPA) bits [15:12] hold PA[51:48]. */
static uint64_t desc_addr(const struct arm64_priv *a, uint64_t d)
{
	uint64_t pa = d & DESC_ADDR_48 & ~((1ull << a->page_shift) - 1);

	if (a->page_shift == 16)
		pa |= ((d >> 12) & 0xf) << 48;
	return pa;
}

static int walk(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, uint64_t *pa,
		struct vm_err *e)
{
	const struct arm64_priv *a = m->arch_priv;
	unsigned bits = a->page_shift - 3;
	unsigned levels = (a->va_bits_actual - a->page_shift + bits - 1) / bits;
	uint64_t table = pgd_pa;
	unsigned l;

	for (l = 0; l < levels; l++) {
		unsigned shift = a->page_shift + bits * (levels - 1 - l);
		/* the top level indexes only the bits left over */
		unsigned ibits = l == 0 ? a->va_bits_actual - shift : bits;
		uint64_t idx = (va >> shift) & ((1ull << ibits) - 1);
		uint64_t ent_pa = table + 8 * idx, d;
		uint8_t b[8];
		int lvl = 4 - (int)levels + (int)l;   /* architectural level */

		if (vm_mem_read_phys(m, ent_pa, b, 8, e) < 0) {
			vm_err_prefix(e, "va 0x%" PRIx64 ": reading level %d entry %" PRIu64
				      " at pa 0x%" PRIx64 ": ", va, lvl, idx, ent_pa);
			return -1;
		}
		d = vm_le64(b);
		if (!(d & DESC_VALID))
			return vm_fail(e, VM_ENOMAP,
				       "va 0x%" PRIx64 " not mapped: level %d entry %" PRIu64
				       " at pa 0x%" PRIx64 " is 0x%" PRIx64 " (invalid)",
				       va, lvl, idx, ent_pa, d);
		if (l + 1 == levels || !(d & DESC_TABLE)) {
			/* a page (last level) or a block */
			uint64_t size = 1ull << shift;

			if (l + 1 == levels && !(d & DESC_TABLE))
				return vm_fail(e, VM_ENOMAP,
					       "va 0x%" PRIx64 ": level 3 entry 0x%" PRIx64
					       " is reserved", va, d);
			*pa = (desc_addr(a, d) & ~(size - 1)) | (va & (size - 1));
			return 0;
		}
		table = desc_addr(a, d);
	}
	return vm_fail(e, VM_ENOMAP, "va 0x%" PRIx64 ": no leaf", va);
}

static bool in_linear(const struct vm_mem *m, const struct arm64_priv *a, uint64_t va)
{
	return m->have_page_offset && va >= m->page_offset && va < a->page_end;
}

static int arm64_vtop(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, uint64_t *pa,
		      struct vm_err *e)
{
	struct arm64_priv *a = m->arch_priv;
	struct vm_err we = { 0 };

	if (pgd_pa != UINT64_MAX) {
		if (walk(m, pgd_pa, va, pa, &we) == 0)
			return 0;
		if (we.code == VM_ENOMAP) {
			if (e)
				*e = we;
			return -1;
		}
	}
	if (in_linear(m, a, va) && a->have_phys_offset) {
		*pa = va - m->page_offset + a->phys_offset;
		return 0;
	}
	if (a->have_voffset && va >= a->page_end) {
		*pa = va - a->kimage_voffset;
		return 0;
	}
	if (pgd_pa == UINT64_MAX)
		return vm_fail(e, VM_ENOMAP, "va 0x%" PRIx64 ": no kernel page table known "
			       "(VMCOREINFO swapper_pg_dir and kimage_voffset)", va);
	if (e)
		*e = we;
	return -1;
}

static int vmci_u64(struct vm_mem *m, const char *ovkey, const char *number,
		    uint64_t *v, char *how, size_t howsz, struct vm_err *e)
{
	int64_t n;
	int r = vm_opt_u64(m->opts, ovkey, v);

	if (r < 0)
		return vm_fail(e, VM_EINVAL, "-o %s=%s: not a number", ovkey,
			       vm_opt_get(m->opts, ovkey));
	if (r > 0) {
		snprintf(how, howsz, "%s 0x%" PRIx64 " (-o %s)", ovkey, *v, ovkey);
		return 1;
	}
	if (m->vi && number) {
		const char *s;
		char key[64];

		/* NUMBER(kimage_voffset) is printed in hex with 0x, unlike
		 * most NUMBER()s, so parse it either way. */
		snprintf(key, sizeof(key), "NUMBER(%s)", number);
		s = vm_vmci_get(m->vi, key);
		if (s && !strncmp(s, "0x", 2)) {
			*v = strtoull(s, NULL, 16);
			snprintf(how, howsz, "%s 0x%" PRIx64 " (VMCOREINFO)", number, *v);
			return 1;
		}
		if (vm_vmci_number(m->vi, number, &n) == 0) {
			*v = (uint64_t)n;
			snprintf(how, howsz, "%s 0x%" PRIx64 " (VMCOREINFO)", number, *v);
			return 1;
		}
	}
	return 0;
}

/* OSRELEASE "5.4.0-..." >= major.minor? Unknown releases count as new. */
static bool release_at_least(const struct vm_mem *m, int major, int minor)
{
	const char *rel = m->vi ? vm_vmci_get(m->vi, "OSRELEASE") : NULL;
	int ma, mi;

	if (!rel || sscanf(rel, "%d.%d", &ma, &mi) != 2)
		return true;
	return ma > major || (ma == major && mi >= minor);
}

static int arm64_layout(struct vm_mem *m, struct arm64_priv *a, struct vm_err *e)
{
	char how[128];
	uint64_t v;
	int64_t n;
	unsigned va_bits_min;

	v = 0;
	if (m->vi && vm_vmci_dec(m->vi, "PAGESIZE", &n) == 0)
		v = (uint64_t)n;
	if (v != 4096 && v != 16384 && v != 65536)
		return vm_fail(e, VM_EUNSUP, "arm64: PAGESIZE %" PRIu64
			       " in VMCOREINFO is not 4K, 16K or 64K", v);
	m->page_size = (uint32_t)v;
	a->page_shift = (unsigned)__builtin_ctzll(v);

	if (vmci_u64(m, "vabits", "VA_BITS", &v, how, sizeof(how), e) < 0)
		return -1;
	if (v < 36 || v > 52)
		return vm_fail(e, VM_EUNSUP, "arm64: VA_BITS %" PRIu64
			       " unknown (VMCOREINFO NUMBER(VA_BITS) or -o vabits=)", v);
	a->va_bits = a->va_bits_actual = (unsigned)v;
	/* 52-bit VA kernels on 48-bit hardware: TTBR1 spans 64 - T1SZ bits */
	if (m->vi && vm_vmci_get(m->vi, "NUMBER(TCR_EL1_T1SZ)")) {
		v = strtoull(vm_vmci_get(m->vi, "NUMBER(TCR_EL1_T1SZ)"), NULL, 0);
		if (v >= 12 && v <= 28)
			a->va_bits_actual = 64 - (unsigned)v;
	}
	snprintf(m->how_paging, sizeof(m->how_paging),
		 "arm64 %uK pages, VA_BITS %u (%u in use)", 1u << (a->page_shift - 10),
		 a->va_bits, a->va_bits_actual);

	va_bits_min = a->va_bits > 48 ? 48 : a->va_bits;
	if (release_at_least(m, 5, 4)) {
		m->page_offset = -(1ull << a->va_bits);
		a->page_end = -(1ull << (va_bits_min - 1));
	} else {
		m->page_offset = -(1ull << (a->va_bits - 1));
		a->page_end = UINT64_MAX;
	}
	m->have_page_offset = true;
	snprintf(m->how_page_offset, sizeof(m->how_page_offset),
		 "linear map 0x%" PRIx64 " (from VA_BITS and the release)", m->page_offset);
	return 0;
}

static int arm64_init(struct vm_mem *m, struct vm_err *e)
{
	struct arm64_priv *a = m->arch_priv;
	uint64_t v;
	int r;

	if (!a) {
		a = vm_calloc(1, sizeof(*a), e);
		if (!a)
			return -1;
		m->arch_priv = a;
	}
	if (!m->vi)
		return vm_fail(e, VM_EUNSUP, "arm64 dump without VMCOREINFO: give "
			       "-o vabits=, -o kimage_voffset= and -o phys_offset=");
	if (arm64_layout(m, a, e) < 0)
		return -1;

	r = vmci_u64(m, "kimage_voffset", "kimage_voffset", &a->kimage_voffset,
		     m->how_kpgd, sizeof(m->how_kpgd), e);
	if (r < 0)
		return -1;
	a->have_voffset = r > 0;
	r = vmci_u64(m, "phys_offset", "PHYS_OFFSET", &a->phys_offset,
		     m->how_phys_base, sizeof(m->how_phys_base), e);
	if (r < 0)
		return -1;
	a->have_phys_offset = r > 0;
	m->phys_base = a->phys_offset;
	m->have_phys_base = a->have_phys_offset;

	if (!m->have_kaslr) {
		r = vm_opt_u64(m->opts, "kaslr", &v);
		if (r < 0)
			return vm_fail(e, VM_EINVAL, "-o kaslr: not a number");
		if (r == 0 && vm_vmci_hex(m->vi, "KERNELOFFSET", &v) < 0)
			v = 0;
		m->kaslr = v;
		m->have_kaslr = true;
		snprintf(m->how_kaslr, sizeof(m->how_kaslr), "0x%" PRIx64 " (%s)", v,
			 r ? "-o kaslr" : "VMCOREINFO KERNELOFFSET");
	}

	/* swapper_pg_dir lives in the image: its pa is va - kimage_voffset */
	if (!m->have_kpgd && a->have_voffset &&
	    vm_vmci_symbol(m->vi, "swapper_pg_dir", &v) == 0) {
		m->kpgd_pa = v - a->kimage_voffset;
		m->have_kpgd = true;
		snprintf(m->how_kpgd, sizeof(m->how_kpgd),
			 "at pa 0x%" PRIx64 " (VMCOREINFO swapper_pg_dir - kimage_voffset)",
			 m->kpgd_pa);
	}
	if (!m->have_kpgd && !a->have_phys_offset)
		return vm_fail(e, VM_EUNSUP, "arm64: no swapper_pg_dir/kimage_voffset "
			       "and no PHYS_OFFSET in VMCOREINFO");
	return 0;
}

/* The linear map: va = PAGE_OFFSET + (pa - PHYS_OFFSET), below PAGE_END. */
static int arm64_lin_ptov(const struct vm_mem *m, uint64_t pa, uint64_t *va)
{
	const struct arm64_priv *a = m->arch_priv;
	uint64_t v;

	/* modulo 2^64: PHYS_OFFSET (memstart_addr) is "negative" when the
	 * linear region is randomized */
	if (!a || !m->have_page_offset || !a->have_phys_offset)
		return -1;
	v = m->page_offset + (pa - a->phys_offset);
	if (!in_linear(m, a, v))
		return -1;
	*va = v;
	return 0;
}

static int arm64_lin_vtop(const struct vm_mem *m, uint64_t va, uint64_t *pa)
{
	const struct arm64_priv *a = m->arch_priv;

	if (!a || !a->have_phys_offset || !in_linear(m, a, va))
		return -1;
	*pa = va - m->page_offset + a->phys_offset;
	return 0;
}

static void arm64_fini(struct vm_mem *m)
{
	free(m->arch_priv);
	m->arch_priv = NULL;
}

const struct vm_arch vm_arch_arm64 = {
	.name = "aarch64",
	.e_machine = 183,   /* EM_AARCH64 */
	.nr_regs = VM_ARM64_NR_REGS,
	.reg_names = arm64_reg_names,
	.pc_reg = VM_ARM64_PC,
	.sp_reg = VM_ARM64_SP,
	.fp_reg = VM_ARM64_FP,
	.pc_label = "PC",
	.reg_show = NULL,      /* every register, three a line */
	.init = arm64_init,
	.vtop = arm64_vtop,
	.prstatus_regs = arm64_prstatus_regs,
	.qemu_cpu_regs = NULL,
	.fini = arm64_fini,
	.lin_ptov = arm64_lin_ptov,
	.lin_vtop = arm64_lin_vtop,
	.unwind = &vm_arm64_unwind,
	/* arm64 KASLR moves the image in 2 MiB steps (MIN_KIMG_ALIGN) */
	.kaslr_align = 2ull << 20,
	.kaslr_max = 1ull << 47,
};
