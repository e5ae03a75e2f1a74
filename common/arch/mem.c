// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct vm_mem: the kernel's virtual memory through the dump.  The
 * architecture translates (arch->vtop); this file caches translations,
 * splits reads at page boundaries and turns failures into messages that
 * name the virtual and the physical address.
 */
#include "mem_impl.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

#define NT_PRSTATUS_TYPE 1
#define TLB_SHIFT 12    /* granule of cached translations */

static const char *code_name(int code)
{
	switch (code) {
	case VM_ENOPAGE: return "excluded from or beyond the dump";
	case VM_ENOMAP: return "not mapped";
	case VM_EIO: return "I/O error";
	default: return "failed";
	}
}

void vm_mem_tlb_flush(struct vm_mem *m)
{
	size_t i;

	for (i = 0; i < VM_TLB_SIZE; i++)
		m->tlb[i].vpage = UINT64_MAX;
}

int vm_mem_read_phys(struct vm_mem *m, uint64_t pa, void *buf, size_t len,
		     struct vm_err *e)
{
	return vm_dump_read_phys(m->dump, pa, buf, len, e);
}

static void compose_how(struct vm_mem *m)
{
	snprintf(m->how, sizeof(m->how), "%s; KASLR %s; phys_base %s; direct map %s; page table %s",
		 m->how_paging[0] ? m->how_paging : m->arch->name,
		 m->how_kaslr[0] ? m->how_kaslr : "unknown",
		 m->how_phys_base[0] ? m->how_phys_base : "unknown",
		 m->how_page_offset[0] ? m->how_page_offset : "unknown",
		 m->how_kpgd[0] ? m->how_kpgd : "unknown");
}

struct vm_mem *vm_mem_open(struct vm_dump *d, const struct vm_vmcoreinfo *vi,
			   const struct vm_opts *o, struct vm_err *e)
{
	const struct vm_dump_info *info = vm_dump_info(d);
	const struct vm_arch *arch = vm_arch_by_machine(info->e_machine);
	struct vm_mem *m;

	if (!arch) {
		vm_fail(e, VM_EUNSUP, "no address translation for ELF machine %u%s",
			info->e_machine,
			info->e_machine ? "" : " (the dump does not say which)");
		return NULL;
	}
	m = vm_calloc(1, sizeof(*m), e);
	if (!m)
		return NULL;
	m->dump = d;
	m->vi = vi;
	m->opts = o;
	m->arch = arch;
	m->page_size = info->page_size ? info->page_size : 4096;
	vm_mem_tlb_flush(m);
	if (arch->init(m, e) < 0) {
		vm_err_prefix(e, "%s address translation: ", arch->name);
		vm_mem_close(m);
		return NULL;
	}
	compose_how(m);
	return m;
}

void vm_mem_close(struct vm_mem *m)
{
	if (!m)
		return;
	if (m->arch && m->arch->fini)
		m->arch->fini(m);
	free(m->prstatus);
	free(m->qemu);
	free(m);
}

const struct vm_arch *vm_mem_arch(const struct vm_mem *m) { return m->arch; }
struct vm_dump *vm_mem_dump(const struct vm_mem *m) { return m->dump; }
const struct vm_vmcoreinfo *vm_mem_vmcoreinfo(const struct vm_mem *m) { return m->vi; }
uint64_t vm_mem_kaslr(const struct vm_mem *m) { return m->kaslr; }
uint64_t vm_mem_phys_base(const struct vm_mem *m) { return m->phys_base; }
bool vm_mem_kaslr_known(const struct vm_mem *m) { return m->have_kaslr; }
uint64_t vm_mem_page_offset(const struct vm_mem *m) { return m->page_offset; }
uint32_t vm_mem_page_size(const struct vm_mem *m) { return m->page_size; }
const char *vm_mem_how(const struct vm_mem *m) { return m->how; }
const struct vm_opts *vm_mem_opts(const struct vm_mem *m) { return m->opts; }

void vm_mem_set_kaslr(struct vm_mem *m, uint64_t slide)
{
	m->kaslr = slide;
	m->have_kaslr = true;
	snprintf(m->how_kaslr, sizeof(m->how_kaslr),
		 "0x%" PRIx64 " (found: linux_banner in the dump)", slide);
	/* The arch may derive more from the slide (phys_base from the image
	 * mapping); re-running init keeps one code path for that. */
	if (m->arch->init) {
		struct vm_err ignore;

		m->arch->init(m, &ignore);
	}
	vm_mem_tlb_flush(m);
	compose_how(m);
}

static inline struct vm_tlb_ent *tlb_slot(struct vm_mem *m, uint64_t vpage)
{
	return &m->tlb[(vpage ^ (vpage >> 9)) % VM_TLB_SIZE];
}

static int vtop_cached(struct vm_mem *m, uint64_t pgd_pa, uint64_t va,
		       uint64_t *pa, struct vm_err *e)
{
	uint64_t vpage = va >> TLB_SHIFT;
	struct vm_tlb_ent *t = tlb_slot(m, vpage);

	if (t->vpage == vpage && t->pgd_pa == pgd_pa) {
		*pa = (t->ppage << TLB_SHIFT) | (va & ((1u << TLB_SHIFT) - 1));
		return 0;
	}
	if (m->arch->vtop(m, pgd_pa, va, pa, e) < 0)
		return -1;
	t->vpage = vpage;
	t->pgd_pa = pgd_pa;
	t->ppage = *pa >> TLB_SHIFT;
	return 0;
}

int vm_kvtop(struct vm_mem *m, uint64_t va, uint64_t *pa, struct vm_err *e)
{
	/* kpgd_pa may be unknown (0): the arch then translates only the linear
	 * ranges and says so for the rest. */
	return vtop_cached(m, m->have_kpgd ? m->kpgd_pa : UINT64_MAX, va, pa, e);
}

int vm_mem_lin_ptov(const struct vm_mem *m, uint64_t pa, uint64_t *va, struct vm_err *e)
{
	if (m->arch->lin_ptov && m->arch->lin_ptov(m, pa, va) == 0)
		return 0;
	return vm_fail(e, VM_ENOMAP, "pa 0x%" PRIx64 ": outside the kernel's linear map", pa);
}

int vm_mem_lin_vtop(const struct vm_mem *m, uint64_t va, uint64_t *pa, struct vm_err *e)
{
	if (m->arch->lin_vtop && m->arch->lin_vtop(m, va, pa) == 0)
		return 0;
	return vm_fail(e, VM_ENOMAP, "va 0x%" PRIx64 ": outside the kernel's linear map", va);
}

int vm_uvtop(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, uint64_t *pa,
	     struct vm_err *e)
{
	return vtop_cached(m, pgd_pa, va, pa, e);
}

static int read_virt(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, void *buf,
		     size_t len, struct vm_err *e)
{
	uint8_t *out = buf;
	uint64_t pos = va;
	size_t done = 0;

	while (done < len) {
		uint64_t pa, chunk = (1u << TLB_SHIFT) - (pos & ((1u << TLB_SHIFT) - 1));

		if (chunk > len - done)
			chunk = len - done;
		if (vtop_cached(m, pgd_pa, pos, &pa, e) < 0) {
			if (pos != va)
				vm_err_prefix(e, "reading %zu bytes at 0x%" PRIx64 ": ",
					      len, va);
			return -1;
		}
		if (vm_dump_read_phys(m->dump, pa, out + done, chunk, e) < 0) {
			int code = e ? e->code : VM_EIO;

			vm_err_prefix(e, "reading %zu bytes at va 0x%" PRIx64
				      " (pa 0x%" PRIx64 "): %s: ", len, pos, pa,
				      code_name(code));
			return -1;
		}
		done += chunk;
		pos += chunk;
	}
	return 0;
}

int vm_kread(struct vm_mem *m, uint64_t va, void *buf, size_t len, struct vm_err *e)
{
	return read_virt(m, m->have_kpgd ? m->kpgd_pa : UINT64_MAX, va, buf, len, e);
}

int vm_uread(struct vm_mem *m, uint64_t pgd_pa, uint64_t va, void *buf,
	     size_t len, struct vm_err *e)
{
	return read_virt(m, pgd_pa, va, buf, len, e);
}

int vm_kread_stored(struct vm_mem *m, uint64_t va, uint64_t len,
		    int (*fn)(void *ctx, const void *p, size_t n), void *ctx,
		    struct vm_err *e)
{
	uint64_t pgd = m->have_kpgd ? m->kpgd_pa : UINT64_MAX, pos = va, end = va + len;
	uint64_t prev_pfn = UINT64_MAX;
	uint32_t ps = vm_dump_info(m->dump)->page_size;

	if (end < va)
		return vm_fail(e, VM_EINVAL, "range 0x%" PRIx64 " + %" PRIu64 " wraps", va, len);
	while (pos < end) {
		uint64_t pa, pfn, chunk = (1u << TLB_SHIFT) - (pos & ((1u << TLB_SHIFT) - 1));
		struct vm_stored_page sp = { 0, NULL, 0 };
		uint8_t rec[16];

		if (chunk > end - pos)
			chunk = end - pos;
		if (vtop_cached(m, pgd, pos, &pa, e) < 0)
			return -1;
		pfn = pa / ps;
		if (pfn != prev_pfn && vm_dump_read_stored(m->dump, pfn, &sp, e) < 0) {
			vm_err_prefix(e, "stored form at va 0x%" PRIx64 " (pa 0x%" PRIx64 "): ",
				      pos, pa);
			return -1;
		}
		vm_wr32(rec, sp.method, true);
		vm_wr32(rec + 4, (uint32_t)sp.len, true);
		vm_wr32(rec + 8, (uint32_t)(pa % ps), true);
		vm_wr32(rec + 12, (uint32_t)chunk, true);
		if (fn(ctx, rec, sizeof(rec)) < 0 || (sp.len && fn(ctx, sp.p, sp.len) < 0))
			return vm_fail(e, VM_EIO, "stored form at va 0x%" PRIx64 ": not taken", pos);
		prev_pfn = pfn;
		pos += chunk;
	}
	return 0;
}

/* Dumps store the target's byte order: both supported arches are little
 * endian. */
int vm_kread_u8(struct vm_mem *m, uint64_t va, uint8_t *v, struct vm_err *e)
{
	return vm_kread(m, va, v, 1, e);
}

int vm_kread_u16(struct vm_mem *m, uint64_t va, uint16_t *v, struct vm_err *e)
{
	uint8_t b[2];

	if (vm_kread(m, va, b, 2, e) < 0)
		return -1;
	*v = vm_le16(b);
	return 0;
}

int vm_kread_u32(struct vm_mem *m, uint64_t va, uint32_t *v, struct vm_err *e)
{
	uint8_t b[4];

	if (vm_kread(m, va, b, 4, e) < 0)
		return -1;
	*v = vm_le32(b);
	return 0;
}

int vm_kread_u64(struct vm_mem *m, uint64_t va, uint64_t *v, struct vm_err *e)
{
	uint8_t b[8];

	if (vm_kread(m, va, b, 8, e) < 0)
		return -1;
	*v = vm_le64(b);
	return 0;
}

long vm_kread_str(struct vm_mem *m, uint64_t va, char *buf, size_t bufsz,
		  struct vm_err *e)
{
	size_t n = 0;

	if (bufsz == 0)
		return vm_fail(e, VM_EINVAL, "string at 0x%" PRIx64 ": no room", va);
	/* Page by page: a string that ends before an unreadable page reads. */
	while (n < bufsz - 1) {
		uint64_t pos = va + n;
		size_t chunk = (1u << TLB_SHIFT) - (pos & ((1u << TLB_SHIFT) - 1));
		char *nul;

		if (chunk > bufsz - 1 - n)
			chunk = bufsz - 1 - n;
		if (vm_kread(m, pos, buf + n, chunk, e) < 0) {
			vm_err_prefix(e, "string at 0x%" PRIx64 ": ", va);
			return -1;
		}
		nul = memchr(buf + n, '\0', chunk);
		if (nul)
			return (long)(nul - buf);
		n += chunk;
	}
	buf[n] = '\0';
	return (long)n;
}

/* ---- CPU registers from the notes ---- */

int vm_mem_index_cpu_notes(struct vm_mem *m, struct vm_err *e)
{
	size_t i, n = vm_dump_nr_notes(m->dump);

	if (m->cpus_indexed)
		return 0;
	m->prstatus = vm_calloc(n ? n : 1, sizeof(*m->prstatus), e);
	m->qemu = vm_calloc(n ? n : 1, sizeof(*m->qemu), e);
	if (!m->prstatus || !m->qemu) {
		free(m->prstatus);
		free(m->qemu);
		m->prstatus = m->qemu = NULL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct vm_note *nt = vm_dump_note(m->dump, i);

		if (!nt || !nt->name)
			continue;
		if (nt->type == NT_PRSTATUS_TYPE && !strcmp(nt->name, "CORE"))
			m->prstatus[m->nr_prstatus++] = nt;
		else if (!strcmp(nt->name, "QEMU"))
			m->qemu[m->nr_qemu++] = nt;
	}
	m->cpus_indexed = true;
	return 0;
}

int vm_mem_nr_cpu_regs(struct vm_mem *m)
{
	struct vm_err e;

	if (vm_mem_index_cpu_notes(m, &e) < 0)
		return 0;
	return m->nr_prstatus > m->nr_qemu ? m->nr_prstatus : m->nr_qemu;
}

/*
 * QEMU writes one NT_PRSTATUS and one "QEMU" note per vCPU in the same CPU
 * order; the QEMU note adds what NT_PRSTATUS lacks (control registers,
 * segment bases).  NT_PRSTATUS wins where both have a register: it is what
 * the kernel itself saved on a kdump.
 */
int vm_mem_cpu_regs(struct vm_mem *m, int cpu, struct vm_regs *r, struct vm_err *e)
{
	struct vm_regs q;
	int n = vm_mem_nr_cpu_regs(m);
	unsigned i;

	memset(r, 0, sizeof(*r));
	r->pid = -1;
	if (cpu < 0 || cpu >= n)
		return vm_fail(e, VM_ENOENT, "no saved registers for CPU %d (the dump has %d)",
			       cpu, n);
	if (cpu < m->nr_qemu && m->arch->qemu_cpu_regs) {
		const struct vm_note *nt = m->qemu[cpu];

		memset(&q, 0, sizeof(q));
		q.pid = -1;
		if (m->arch->qemu_cpu_regs(nt->desc, nt->descsz, &q, e) < 0) {
			vm_err_prefix(e, "QEMU CPU note %d: ", cpu);
			return -1;
		}
		*r = q;
	}
	if (cpu < m->nr_prstatus && m->arch->prstatus_regs) {
		const struct vm_note *nt = m->prstatus[cpu];

		memset(&q, 0, sizeof(q));
		q.pid = -1;
		if (m->arch->prstatus_regs(nt->desc, nt->descsz, &q, e) < 0) {
			vm_err_prefix(e, "NT_PRSTATUS note %d: ", cpu);
			return -1;
		}
		for (i = 0; i < VM_MAX_REGS; i++)
			if (q.valid & (1ull << i)) {
				r->r[i] = q.r[i];
				r->valid |= 1ull << i;
			}
		r->pid = q.pid;
	}
	return 0;
}
