// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPARSEMEM's mem_section[] decoded once into runs of struct pages (see
 * memmap.h).
 *
 * SPARSEMEM_EXTREME (every 64-bit config that can have much memory) makes
 * mem_section an array of NR_SECTION_ROOTS pointers to pages of
 * SECTIONS_PER_ROOT = PAGE_SIZE / sizeof(struct mem_section) entries
 * (allocated at boot since v4.15, 83e3c48729d9); without it mem_section is
 * the flat array itself.  VMCOREINFO's SYMBOL(mem_section) is the address of
 * that top array either way and LENGTH(mem_section) is NR_SECTION_ROOTS,
 * which is smaller than the number of sections exactly when the roots are
 * pointers.
 */
#include "memmap.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fld.h"

#define SECTION_HAS_MEM_MAP 0x2ull
/* at most six flag bits below the coded mem_map through v7.x */
#define SECTION_FLAGS_DEFAULT 6
/* 2^24 sections of 128 MiB: 2 PiB.  More is not a machine. */
#define MAX_SECTIONS (1ull << 24)
/* struct pages read at once by vm_memmap_scan */
#define SCAN_BATCH 256

static int need_vmci(struct vm_kernel *k, const char *what, uint64_t *v,
		     int (*get)(const struct vm_vmcoreinfo *, const char *, uint64_t *),
		     const char *key, struct vm_err *e)
{
	if (!k->vi || get(k->vi, key, v) < 0)
		return vm_fail(e, VM_ENOENT, "mem_map: VMCOREINFO has no %s "
			       "(SPARSEMEM's mem_section[] cannot be found)", what);
	return 0;
}

static int vmci_num(const struct vm_vmcoreinfo *vi, const char *key, uint64_t *v)
{
	int64_t n;

	if (vm_vmci_number(vi, key, &n) < 0 || n < 0)
		return -1;
	*v = (uint64_t)n;
	return 0;
}

static int cmp_by_page(const void *a, const void *b)
{
	const struct vm_memmap_run *x = a, *y = b;

	return x->page < y->page ? -1 : x->page > y->page;
}

/* Append section nr (its decoded mem_map base) to the runs. */
static int add_section(struct vm_memmap *mm, size_t *cap, uint64_t nr, uint64_t base,
		       struct vm_err *e)
{
	uint64_t pfn0 = nr * mm->pages_per_section;
	uint64_t page = base + pfn0 * mm->psize;
	struct vm_memmap_run *r;

	if (mm->nruns) {
		r = &mm->runs[mm->nruns - 1];
		if (r->pfn0 + r->npages == pfn0 && r->page + r->npages * mm->psize == page) {
			r->npages += mm->pages_per_section;
			goto done;
		}
	}
	if (mm->nruns == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *p = vm_realloc_array(mm->runs, ncap, sizeof(*mm->runs), e);

		if (!p)
			return -1;
		mm->runs = p;
		*cap = ncap;
	}
	r = &mm->runs[mm->nruns++];
	r->page = page;
	r->pfn0 = pfn0;
	r->npages = mm->pages_per_section;
done:
	mm->present_sections++;
	mm->max_pfn = pfn0 + mm->pages_per_section;
	return 0;
}

static uint64_t section_mask(struct vm_kernel *k)
{
	int64_t last;

	/* enum { SECTION_MARKED_PRESENT_BIT, ..., SECTION_MAP_LAST_BIT }
	 * where the kernel has it as an enum (v6.x); a #define before */
	if (vm_fld_enum(k, "SECTION_MAP_LAST_BIT", &last) == 0 && last > 0 && last < 12)
		return ~((1ull << last) - 1);
	return ~((1ull << SECTION_FLAGS_DEFAULT) - 1);
}

int vm_memmap_open(struct vm_kernel *k, struct vm_memmap *mm, struct vm_err *e)
{
	const struct vm_dump_info *di;
	uint64_t sym = 0, roots = 0, ssize = 0, smap_off = 0, sbits = 0, pbits = 0;
	uint64_t nr_mem_sections, per_root;
	uint64_t max_pa, nr, mask, nroots, r;
	uint8_t *buf = NULL;
	size_t cap = 0;
	bool extreme;
	int ret = -1;

	memset(mm, 0, sizeof(*mm));
	mm->k = k;
	mm->m = vm_kernel_mem(k, e);
	if (!mm->m)
		return -1;
	mm->page_size = vm_mem_page_size(mm->m);
	if (!mm->page_size || (mm->page_size & (mm->page_size - 1)))
		return vm_fail(e, VM_EUNSUP, "mem_map: page size %u unknown", mm->page_size);
	mm->page_shift = (unsigned)__builtin_ctz(mm->page_size);
	if (need_vmci(k, "SYMBOL(mem_section)", &sym, vm_vmci_symbol, "mem_section", e) < 0 ||
	    need_vmci(k, "LENGTH(mem_section)", &roots, vm_vmci_length, "mem_section", e) < 0 ||
	    need_vmci(k, "SIZE(mem_section)", &ssize, vm_vmci_size, "mem_section", e) < 0 ||
	    need_vmci(k, "OFFSET(mem_section.section_mem_map)", &smap_off, vm_vmci_offset,
		      "mem_section.section_mem_map", e) < 0 ||
	    need_vmci(k, "NUMBER(SECTION_SIZE_BITS)", &sbits, vmci_num, "SECTION_SIZE_BITS", e) < 0 ||
	    need_vmci(k, "NUMBER(MAX_PHYSMEM_BITS)", &pbits, vmci_num, "MAX_PHYSMEM_BITS", e) < 0)
		return -1;
	if (vm_kernel_sizeof(k, "page", &mm->psize, e) < 0) {
		vm_err_prefix(e, "mem_map: ");
		return -1;
	}
	if (mm->psize < 32 || mm->psize > 256 || ssize < 8 || ssize > 64 ||
	    smap_off + 8 > ssize || sbits <= mm->page_shift || sbits > 40 ||
	    pbits <= sbits || pbits > 64 || roots == 0)
		return vm_fail(e, VM_ECORRUPT, "mem_map: implausible layout (struct page "
			       "%" PRIu64 " bytes, mem_section %" PRIu64 ", SECTION_SIZE_BITS "
			       "%" PRIu64 ", MAX_PHYSMEM_BITS %" PRIu64 ")", mm->psize, ssize,
			       sbits, pbits);
	mm->section_bits = (unsigned)sbits;
	mm->pages_per_section = 1ull << (sbits - mm->page_shift);
	nr_mem_sections = pbits - sbits >= 63 ? UINT64_MAX : 1ull << (pbits - sbits);
	extreme = roots < nr_mem_sections;
	per_root = extreme ? mm->page_size / ssize : 1;
	if (extreme && (per_root == 0 || roots * per_root < nr_mem_sections / 2))
		return vm_fail(e, VM_ECORRUPT, "mem_map: LENGTH(mem_section) %" PRIu64
			       " roots of %" PRIu64 " sections cannot cover 2^%" PRIu64
			       " sections", roots, per_root, pbits - sbits);

	/* only sections below the highest address the dump holds can have
	 * RAM the dump describes */
	di = vm_dump_info(k->dump);
	max_pa = di->max_pfn * (uint64_t)(di->page_size ? di->page_size : mm->page_size);
	nr = (max_pa + (1ull << sbits) - 1) >> sbits;
	if (nr > nr_mem_sections)
		nr = nr_mem_sections;
	if (nr > MAX_SECTIONS)
		nr = MAX_SECTIONS;
	mm->nr_sections = nr;
	mask = section_mask(k);

	nroots = (nr + per_root - 1) / per_root;
	buf = vm_malloc(per_root * ssize, e);
	if (!buf)
		return -1;
	for (r = 0; r < nroots && r < roots; r++) {
		uint64_t base = sym, i;
		struct vm_err re;

		if (extreme) {
			if (vm_kread_u64(mm->m, sym + 8 * r, &base, &re) < 0) {
				vm_fail(e, re.code, "mem_map: mem_section root %" PRIu64
					" at 0x%" PRIx64 " unreadable: %s", r, sym + 8 * r, re.msg);
				goto out;
			}
			if (!base)
				continue;
		} else {
			base = sym + r * ssize;
		}
		if (vm_kread(mm->m, base, buf, per_root * ssize, &re) < 0) {
			vm_fail(e, re.code, "mem_map: mem_section[%" PRIu64 "] at 0x%" PRIx64
				" unreadable: %s", r * per_root, base, re.msg);
			goto out;
		}
		for (i = 0; i < per_root && r * per_root + i < nr; i++) {
			uint64_t coded;

			memcpy(&coded, buf + i * ssize + smap_off, 8);
			if (!(coded & SECTION_HAS_MEM_MAP) || !(coded & mask))
				continue;
			if (add_section(mm, &cap, r * per_root + i, coded & mask, e) < 0)
				goto out;
		}
	}
	if (!mm->nruns) {
		vm_fail(e, VM_ECORRUPT, "mem_map: no present section in mem_section[] at "
			"0x%" PRIx64 " below the dump's highest address 0x%" PRIx64, sym, max_pa);
		goto out;
	}
	mm->by_page = vm_calloc(mm->nruns, sizeof(*mm->by_page), e);
	if (!mm->by_page)
		goto out;
	memcpy(mm->by_page, mm->runs, mm->nruns * sizeof(*mm->runs));
	qsort(mm->by_page, mm->nruns, sizeof(*mm->by_page), cmp_by_page);
	ret = 0;
out:
	free(buf);
	if (ret < 0)
		vm_memmap_close(mm);
	return ret;
}

void vm_memmap_close(struct vm_memmap *mm)
{
	free(mm->runs);
	free(mm->by_page);
	mm->runs = mm->by_page = NULL;
	mm->nruns = 0;
}

int vm_memmap_page(const struct vm_memmap *mm, uint64_t pfn, uint64_t *page,
		   struct vm_err *e)
{
	size_t lo = 0, hi = mm->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vm_memmap_run *r = &mm->runs[mid];

		if (pfn < r->pfn0)
			hi = mid;
		else if (pfn >= r->pfn0 + r->npages)
			lo = mid + 1;
		else {
			*page = r->page + (pfn - r->pfn0) * mm->psize;
			return 0;
		}
	}
	return vm_fail(e, VM_ENOENT, "pfn 0x%" PRIx64 " is in no present memory section", pfn);
}

bool vm_memmap_pfn(const struct vm_memmap *mm, uint64_t addr, uint64_t *pfn,
		   uint64_t *page)
{
	size_t lo = 0, hi = mm->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vm_memmap_run *r = &mm->by_page[mid];

		if (addr < r->page)
			hi = mid;
		else if (addr - r->page >= r->npages * mm->psize)
			lo = mid + 1;
		else {
			uint64_t i = (addr - r->page) / mm->psize;

			*pfn = r->pfn0 + i;
			*page = r->page + i * mm->psize;
			return true;
		}
	}
	return false;
}

int vm_memmap_scan(const struct vm_memmap *mm,
		   int (*fn)(void *ctx, uint64_t pfn, uint64_t page, const uint8_t *buf,
			     size_t n, struct vm_err *e),
		   void *ctx, uint64_t *unreadable, struct vm_err *e)
{
	uint8_t *buf = vm_malloc(SCAN_BATCH * mm->psize, e);
	size_t ri;
	int ret = 0;

	if (!buf)
		return -1;
	*unreadable = 0;
	for (ri = 0; ri < mm->nruns && ret == 0; ri++) {
		const struct vm_memmap_run *r = &mm->runs[ri];
		uint64_t i;

		for (i = 0; i < r->npages && ret == 0; i += SCAN_BATCH) {
			uint64_t n = r->npages - i < SCAN_BATCH ? r->npages - i : SCAN_BATCH;
			uint64_t page = r->page + i * mm->psize, j, start = 0;
			struct vm_err re;

			if (vm_kread(mm->m, page, buf, n * mm->psize, &re) == 0) {
				ret = fn(ctx, r->pfn0 + i, page, buf, (size_t)n, e);
				continue;
			}
			/* part of the batch is missing: hand over what is there,
			 * one readable stretch at a time */
			for (j = 0; j <= n && ret == 0; j++) {
				bool ok = j < n && vm_kread(mm->m, page + j * mm->psize,
							    buf + j * mm->psize, mm->psize, &re) == 0;

				if (ok)
					continue;
				if (j > start)
					ret = fn(ctx, r->pfn0 + i + start, page + start * mm->psize,
						 buf + start * mm->psize, (size_t)(j - start), e);
				if (j < n)
					(*unreadable)++;
				start = j + 1;
			}
		}
	}
	free(buf);
	return ret;
}
