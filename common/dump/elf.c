// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF64 core dumps: /proc/vmcore copies, QEMU dump-guest-memory, makedumpfile
 * -E; and raw memory images, which are read as one synthetic PT_LOAD.
 *
 * Physical addresses come from p_paddr only: QEMU leaves p_vaddr 0, and the
 * kernel's /proc/vmcore adds a PT_LOAD for the kernel text whose p_paddr
 * range overlaps a RAM PT_LOAD (same bytes), so loads may overlap.
 */
#include "dump_impl.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

#define MAX_PHNUM (1u << 20)
#define MAX_NOTE_SEG (64u << 20)

struct load {
	uint64_t paddr, memsz, filesz, offset;
};

struct elfdump {
	struct load *loads;        /* sorted by paddr */
	uint64_t *maxend;          /* max paddr + memsz of loads[0..i] */
	size_t nr;
	const char *what;          /* "PT_LOAD" or "raw image" for messages */
};

int vm_elf_detect(const uint8_t *hdr, size_t len)
{
	return len >= SELFMAG && memcmp(hdr, ELFMAG, SELFMAG) == 0;
}

static int cmp_load(const void *a, const void *b)
{
	const struct load *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/* A load containing physical address a (preferring one with file data
 * there), or NULL; *next is the start of the first load above a. */
static const struct load *find_load(const struct elfdump *x, uint64_t a,
				    uint64_t *next)
{
	size_t lo = 0, hi = x->nr;
	const struct load *best = NULL;

	while (lo < hi) { /* first load with paddr > a */
		size_t mid = lo + (hi - lo) / 2;

		if (x->loads[mid].paddr <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	*next = lo < x->nr ? x->loads[lo].paddr : UINT64_MAX;
	for (size_t i = lo; i-- > 0 && x->maxend[i] > a;) {
		const struct load *l = &x->loads[i];

		if (a - l->paddr < l->memsz) {
			if (a - l->paddr < l->filesz)
				return l;
			if (!best)
				best = l;
		}
	}
	return best;
}

static int elf_read_page(struct vm_dump *d, uint64_t pfn, void *buf,
			 struct vm_err *e)
{
	const struct elfdump *x = d->priv;
	uint32_t ps = d->info.page_size;
	uint64_t pa = pfn * ps, a = pa, end = pa + ps;
	uint8_t *out = buf;
	bool have = false, tail = false;

	if (pfn > UINT64_MAX / ps)
		return vm_fail(e, VM_ENOPAGE, "pfn %#llx is beyond any "
			       "physical address", (unsigned long long)pfn);
	/* A page may be made of several loads or have holes (loads need not
	 * be page-aligned: /proc/vmcore's first RAM load ends at 0x9fc00 on
	 * many PCs).  Bytes no load holds read as zero if some do. */
	while (a < end) {
		uint64_t next, n;
		const struct load *l = find_load(x, a, &next);

		if (!l) {
			n = (next < end ? next : end) - a;
			memset(out + (a - pa), 0, (size_t)n);
		} else {
			uint64_t in = a - l->paddr;

			n = l->memsz - in;
			if (n > end - a)
				n = end - a;
			if (in < l->filesz) {
				if (n > l->filesz - in)
					n = l->filesz - in;
				uint64_t off = l->offset + in;

				if (off > d->src.size || n > d->src.size - off)
					return vm_fail(e, VM_ETRUNC,
						       "physical address %#llx: "
						       "%s data at offset %#llx "
						       "is beyond the end of the "
						       "file (%#llx bytes): "
						       "truncated dump",
						       (unsigned long long)a,
						       x->what,
						       (unsigned long long)off,
						       (unsigned long long)d->src.size);
				if (vm_src_read(&d->src, off, out + (a - pa),
						(size_t)n, x->what, e) < 0)
					return -1;
				have = true;
			} else {
				/* makedumpfile -E writes a run of 256 or more
				 * excluded pages by ending the PT_LOAD's
				 * file data early (p_filesz < p_memsz); the
				 * tail was RAM that is not in the dump. */
				memset(out + (a - pa), 0, (size_t)n);
				tail = true;
			}
		}
		a += n;
	}
	if (!have)
		return vm_fail(e, VM_ENOPAGE, "page at physical address %#llx "
			       "(pfn %#llx) %s", (unsigned long long)pa,
			       (unsigned long long)pfn,
			       tail ? "was excluded from the dump (beyond "
				      "p_filesz of its PT_LOAD)"
				    : "is not in the dump");
	return 0;
}

static int elf_present(struct vm_dump *d, uint64_t pfn, struct vm_err *e)
{
	const struct elfdump *x = d->priv;
	uint32_t ps = d->info.page_size;
	uint64_t a, end, next;

	if (pfn > UINT64_MAX / ps - 1)
		return 0;
	for (a = pfn * ps, end = a + ps; a < end;) {
		const struct load *l = find_load(x, a, &next);

		if (l && a - l->paddr < l->filesz)
			return 1;
		a = l && l->paddr + l->memsz < next ? l->paddr + l->memsz
						    : next;
	}
	return 0;
}

static void elf_close(struct vm_dump *d)
{
	struct elfdump *x = d->priv;

	if (!x)
		return;
	free(x->loads);
	free(x->maxend);
	free(x);
	d->priv = NULL;
}

static const struct vm_dump_ops elf_ops = {
	.read_page = elf_read_page,
	.pfn_present = elf_present,
	.close = elf_close,
};

/* Sort the loads and derive max_pfn, ranges, ram_pages. */
static int finish_loads(struct vm_dump *d, struct elfdump *x, struct vm_err *e)
{
	uint32_t ps = d->info.page_size;
	uint64_t maxend = 0, bytes = 0;

	qsort(x->loads, x->nr, sizeof(*x->loads), cmp_load);
	x->maxend = vm_calloc(x->nr ? x->nr : 1, sizeof(*x->maxend), e);
	if (!x->maxend)
		return -1;
	for (size_t i = 0; i < x->nr; i++) {
		const struct load *l = &x->loads[i];

		if (l->paddr + l->memsz > maxend)
			maxend = l->paddr + l->memsz;
		x->maxend[i] = maxend;
		if (vm_dump_add_range(d, l->paddr, l->memsz, e) < 0)
			return -1;
		if (l->filesz < l->memsz)
			d->info.partial = true;
	}
	vm_dump_sort_ranges(d);
	for (size_t i = 0; i < d->nr_ranges; i++)
		bytes += d->ranges[i].size;
	d->info.ram_pages = bytes / ps;
	d->info.max_pfn = maxend / ps + (maxend % ps != 0);
	return 0;
}

/* Default page size by machine, when VMCOREINFO does not say. */
static uint32_t default_page_size(uint16_t machine)
{
	(void)machine; /* 4K is the default on every 64-bit arch we read */
	return 4096;
}

static int set_page_size(struct vm_dump *d, struct vm_err *e)
{
	uint32_t ps = vm_vmcoreinfo_pagesize(d);

	if (!ps)
		ps = default_page_size(d->info.e_machine);
	if (ps < 512 || ps > (1u << 20) || (ps & (ps - 1)))
		return vm_fail(e, VM_EFORMAT, "VMCOREINFO PAGESIZE=%u is not a "
			       "power of two in 512..1M", ps);
	d->info.page_size = ps;
	return 0;
}

/* The fields we use, from the file's bytes (little-endian: read_ehdr
 * refuses the other order); offsets from <elf.h>. */
#define LE16(b, T, f) vm_le16((b) + offsetof(T, f))
#define LE32(b, T, f) vm_le32((b) + offsetof(T, f))
#define LE64(b, T, f) vm_le64((b) + offsetof(T, f))

static void get_phdr(const uint8_t *b, Elf64_Phdr *ph)
{
	ph->p_type = LE32(b, Elf64_Phdr, p_type);
	ph->p_offset = LE64(b, Elf64_Phdr, p_offset);
	ph->p_paddr = LE64(b, Elf64_Phdr, p_paddr);
	ph->p_filesz = LE64(b, Elf64_Phdr, p_filesz);
	ph->p_memsz = LE64(b, Elf64_Phdr, p_memsz);
}

/* A kernel's name for e_machine, for messages; NULL if we do not know it. */
static const char *machine_name(unsigned em, bool is64)
{
	switch (em) {
	case EM_386: return "i386";
	case EM_X86_64: return "x86_64";
	case EM_ARM: return "arm";
	case EM_AARCH64: return "aarch64";
	case EM_PPC: return "ppc";
	case EM_PPC64: return "ppc64";
	case EM_S390: return is64 ? "s390x" : "s390";
	case EM_MIPS: return "mips";
	case EM_SPARC: return "sparc";
	case EM_SPARCV9: return "sparc64";
	case EM_IA_64: return "ia64";
	case EM_RISCV: return is64 ? "riscv64" : "riscv32";
	default: return NULL;
	}
}

static int read_ehdr(struct vm_dump *d, Elf64_Ehdr *eh, struct vm_err *e)
{
	uint8_t id[EI_NIDENT + 4], b[sizeof(Elf64_Ehdr)];

	if (vm_src_read(&d->src, 0, id, d->src.size < sizeof(id) ?
			EI_NIDENT : sizeof(id), "ELF header", e) < 0)
		return -1;
	bool be = id[EI_DATA] == ELFDATA2MSB;
	/* e_machine sits at offset 18 in both classes, in the file's order */
	unsigned em = d->src.size < sizeof(id) ? 0 :
		      vm_rd16(id + 18, !be);
	const char *m = machine_name(em, id[EI_CLASS] == ELFCLASS64);
	char of[64] = "";

	if (m)
		snprintf(of, sizeof(of), ", machine %s", m);
	if (id[EI_CLASS] == ELFCLASS32)
		return vm_fail(e, VM_EUNSUP, "an ELF32%s dump%s (not supported)",
			       be ? " big-endian" : "", of);
	if (id[EI_CLASS] != ELFCLASS64)
		return vm_fail(e, VM_EFORMAT, "ELF header at offset %#x: class "
			       "%u is neither ELF32 nor ELF64", EI_CLASS,
			       id[EI_CLASS]);
	if (be)
		return vm_fail(e, VM_EUNSUP, "a big-endian ELF64 dump%s (not "
			       "supported)", of);
	if (id[EI_DATA] != ELFDATA2LSB)
		return vm_fail(e, VM_EFORMAT, "ELF header at offset %#x: byte "
			       "order %u is neither little- nor big-endian",
			       EI_DATA, id[EI_DATA]);
	if (vm_src_read(&d->src, 0, b, sizeof(b), "ELF header", e) < 0)
		return -1;
	memset(eh, 0, sizeof(*eh));
	eh->e_type = LE16(b, Elf64_Ehdr, e_type);
	eh->e_machine = LE16(b, Elf64_Ehdr, e_machine);
	eh->e_phoff = LE64(b, Elf64_Ehdr, e_phoff);
	eh->e_shoff = LE64(b, Elf64_Ehdr, e_shoff);
	eh->e_phentsize = LE16(b, Elf64_Ehdr, e_phentsize);
	eh->e_phnum = LE16(b, Elf64_Ehdr, e_phnum);
	eh->e_shentsize = LE16(b, Elf64_Ehdr, e_shentsize);
	eh->e_shnum = LE16(b, Elf64_Ehdr, e_shnum);
	eh->e_shstrndx = LE16(b, Elf64_Ehdr, e_shstrndx);
	if (eh->e_type != ET_CORE)
		return vm_fail(e, VM_EFORMAT, "ELF header at offset %#zx: "
			       "e_type %u is not ET_CORE",
			       offsetof(Elf64_Ehdr, e_type), eh->e_type);
	return 0;
}

/*
 * Xen's domain dumps in ELF (xc_core, `xl dump-core`) have no program
 * headers: the domain's pages are the section .xen_pages, found with
 * .xen_p2m/.xen_pfn, .xen_prstatus and .note.Xen (Xen's
 * xen/include/public/elfnote.h XEN_ELFNOTE_DUMPCORE_*; libkdumpfile's
 * elfdump.c takes a file with .xen_pages for xc_core_elf).  1 if d is one.
 */
#define MAX_SHNUM 4096
#define MAX_SHSTRTAB (1u << 20)

static int is_xc_core_elf(struct vm_dump *d, const Elf64_Ehdr *eh)
{
	uint64_t size = d->src.size;
	uint8_t raw[sizeof(Elf64_Shdr)];
	uint64_t str_off, str_size;
	void *own;
	const char *names;
	int found = 0;

	if (!eh->e_shoff || !eh->e_shnum || eh->e_shnum > MAX_SHNUM ||
	    eh->e_shentsize < sizeof(Elf64_Shdr) || eh->e_shstrndx >= eh->e_shnum ||
	    eh->e_shoff > size ||
	    (uint64_t)eh->e_shnum * eh->e_shentsize > size - eh->e_shoff)
		return 0;
	if (vm_src_read(&d->src, eh->e_shoff + (uint64_t)eh->e_shstrndx *
			eh->e_shentsize, raw, sizeof(raw), "", NULL) < 0)
		return 0;
	str_off = LE64(raw, Elf64_Shdr, sh_offset);
	str_size = LE64(raw, Elf64_Shdr, sh_size);
	if (!str_size || str_size > MAX_SHSTRTAB || str_off > size ||
	    str_size > size - str_off)
		return 0;
	names = vm_src_get(&d->src, str_off, (size_t)str_size, &own, "", NULL);
	if (!names)
		return 0;
	for (unsigned i = 0; i < eh->e_shnum && !found; i++) {
		uint32_t name;

		if (vm_src_read(&d->src, eh->e_shoff + (uint64_t)i * eh->e_shentsize,
				raw, sizeof(raw), "", NULL) < 0)
			break;
		name = LE32(raw, Elf64_Shdr, sh_name);
		if (name < str_size &&
		    strnlen(names + name, str_size - name) == 10 &&
		    memcmp(names + name, ".xen_pages", 10) == 0)
			found = 1;
	}
	free(own);
	return found;
}

/*
 * A kdump of a Xen host (hypervisor and dom0, /proc/vmcore under Xen): its
 * memory is machine memory, which the dom0 kernel maps through Xen's
 * physical-to-machine table.  Told by the notes Xen's kexec adds, named
 * "Xen": XEN_ELFNOTE_CRASH_INFO (0x1000001), XEN_ELFNOTE_CRASH_REGS
 * (0x1000002) (Xen's public/elfnote.h; crash xen_dom0.h), or Xen's own
 * VMCOREINFO_XEN.
 */
static bool is_xen_host_dump(const struct vm_dump *d)
{
	for (size_t i = 0; i < d->nr_notes; i++) {
		const struct vm_note *n = &d->notes[i];

		if ((strcmp(n->name, "Xen") == 0 &&
		     (n->type == 0x1000001 || n->type == 0x1000002)) ||
		    strcmp(n->name, "VMCOREINFO_XEN") == 0)
			return true;
	}
	return false;
}

/* e_phnum, or the real count from section 0's sh_info (PN_XNUM). */
static int get_phnum(struct vm_dump *d, const Elf64_Ehdr *eh, uint64_t *phnum,
		     struct vm_err *e)
{
	uint8_t sh[sizeof(Elf64_Shdr)];

	*phnum = eh->e_phnum;
	if (eh->e_phnum != PN_XNUM)
		return 0;
	if (eh->e_shoff == 0 ||
	    vm_src_read(&d->src, eh->e_shoff, sh, sizeof(sh),
			"section header 0 (e_phnum is PN_XNUM)", e) < 0)
		return vm_fail(e, VM_ETRUNC, "e_phnum is PN_XNUM but section "
			       "header 0 at e_shoff %#llx is not in the file",
			       (unsigned long long)eh->e_shoff);
	*phnum = LE32(sh, Elf64_Shdr, sh_info);
	return 0;
}

int vm_elf_open(struct vm_dump *d, struct vm_err *e)
{
	Elf64_Ehdr eh;
	uint64_t phnum, size = d->src.size;
	struct elfdump *x;

	if (read_ehdr(d, &eh, e) < 0)
		return -1;
	if (get_phnum(d, &eh, &phnum, e) < 0)
		return -1;
	if (phnum == 0 && is_xc_core_elf(d, &eh))
		return vm_fail(e, VM_EUNSUP, "a Xen xc_core dump in ELF (not "
			       "supported)");
	if (phnum == 0 || phnum > MAX_PHNUM)
		return vm_fail(e, VM_EFORMAT, "ELF header: %llu program headers "
			       "(expected 1..%u)", (unsigned long long)phnum,
			       MAX_PHNUM);
	if (eh.e_phentsize < sizeof(Elf64_Phdr))
		return vm_fail(e, VM_EFORMAT, "ELF header at offset %#zx: "
			       "e_phentsize %u < %zu",
			       offsetof(Elf64_Ehdr, e_phentsize),
			       eh.e_phentsize, sizeof(Elf64_Phdr));
	if (eh.e_phoff > size || phnum * eh.e_phentsize > size - eh.e_phoff)
		return vm_fail(e, VM_ETRUNC, "program headers at offset %#llx "
			       "(e_phoff; %llu x %u bytes) run past the end of "
			       "the file "
			       "(%#llx bytes)", (unsigned long long)eh.e_phoff,
			       (unsigned long long)phnum, eh.e_phentsize,
			       (unsigned long long)size);

	x = vm_calloc(1, sizeof(*x), e);
	if (!x)
		return -1;
	d->priv = x;
	d->ops = &elf_ops;
	x->what = "PT_LOAD";
	x->loads = vm_calloc((size_t)phnum, sizeof(*x->loads), e);
	if (!x->loads)
		return -1;

	int nr_prstatus = 0;
	/* Every PT_NOTE is copied: several pointing at the same bytes must
	 * not multiply a small file into gigabytes. */
	uint64_t note_total = 0;

	for (uint64_t i = 0; i < phnum; i++) {
		uint64_t at = eh.e_phoff + i * eh.e_phentsize;
		uint8_t raw[sizeof(Elf64_Phdr)];
		Elf64_Phdr ph;

		if (vm_src_read(&d->src, at, raw, sizeof(raw), "program header",
				e) < 0)
			return -1;
		get_phdr(raw, &ph);
		if (ph.p_type == PT_LOAD && ph.p_memsz) {
			if (ph.p_filesz > ph.p_memsz ||
			    ph.p_paddr + ph.p_memsz < ph.p_paddr ||
			    ph.p_offset + ph.p_filesz < ph.p_offset)
				return vm_fail(e, VM_ECORRUPT, "PT_LOAD at "
					       "offset %#llx: p_paddr %#llx "
					       "p_filesz %#llx p_memsz %#llx "
					       "p_offset %#llx are inconsistent",
					       (unsigned long long)at,
					       (unsigned long long)ph.p_paddr,
					       (unsigned long long)ph.p_filesz,
					       (unsigned long long)ph.p_memsz,
					       (unsigned long long)ph.p_offset);
			x->loads[x->nr++] = (struct load){
				ph.p_paddr, ph.p_memsz, ph.p_filesz, ph.p_offset };
		} else if (ph.p_type == PT_NOTE && ph.p_filesz) {
			void *buf;

			if (ph.p_filesz > MAX_NOTE_SEG || ph.p_offset > size ||
			    ph.p_filesz > size - ph.p_offset)
				return vm_fail(e, VM_ETRUNC, "PT_NOTE at offset "
					       "%#llx: %#llx bytes at %#llx run "
					       "past the end of the file "
					       "(%#llx bytes)",
					       (unsigned long long)at,
					       (unsigned long long)ph.p_filesz,
					       (unsigned long long)ph.p_offset,
					       (unsigned long long)size);
			note_total += ph.p_filesz;
			if (note_total > MAX_NOTE_SEG)
				return vm_fail(e, VM_ECORRUPT, "PT_NOTE at offset "
					       "%#llx: the notes add up to more "
					       "than %u MiB",
					       (unsigned long long)at,
					       MAX_NOTE_SEG >> 20);
			buf = vm_malloc((size_t)ph.p_filesz, e);
			if (!buf)
				return -1;
			if (vm_src_read(&d->src, ph.p_offset, buf,
					(size_t)ph.p_filesz, "PT_NOTE", e) < 0) {
				free(buf);
				return -1;
			}
			if (vm_notes_parse(d, buf, (size_t)ph.p_filesz,
					   ph.p_offset, e) < 0)
				return -1;
		}
	}
	if (is_xen_host_dump(d))
		return vm_fail(e, VM_EUNSUP, "a Xen host dump (hypervisor and "
			       "dom0 in machine memory) (not supported)");
	for (size_t i = 0; i < d->nr_notes; i++)
		if (d->notes[i].type == NT_PRSTATUS &&
		    strcmp(d->notes[i].name, "CORE") == 0)
			nr_prstatus++;

	struct vm_dump_info *in = &d->info;

	if (!in->format)
		in->format = VM_FMT_ELF;
	in->format_name = "ELF64 vmcore";
	in->e_machine = eh.e_machine;
	in->nr_cpus = nr_prstatus ? nr_prstatus : -1;
	if (set_page_size(d, e) < 0)
		return -1;
	return finish_loads(d, x, e);
}

int vm_raw_open(struct vm_dump *d, const struct vm_dump_opts *o,
		struct vm_err *e)
{
	struct elfdump *x = vm_calloc(1, sizeof(*x), e);

	if (!x)
		return -1;
	d->priv = x;
	d->ops = &elf_ops;
	x->what = "raw image";
	if (d->src.size == 0)
		return vm_fail(e, VM_EFORMAT, "empty file");
	if (o->raw_base + d->src.size < o->raw_base)
		return vm_fail(e, VM_EINVAL, "raw_base %#llx + file size wraps",
			       (unsigned long long)o->raw_base);
	x->loads = vm_calloc(1, sizeof(*x->loads), e);
	if (!x->loads)
		return -1;
	x->loads[0] = (struct load){ o->raw_base, d->src.size, d->src.size, 0 };
	x->nr = 1;
	d->info.format = VM_FMT_RAW;
	d->info.format_name = "raw";
	d->info.e_machine = o->raw_machine ? o->raw_machine :
#if defined(__aarch64__)
		EM_AARCH64;
#else
		EM_X86_64;
#endif
	d->info.page_size = default_page_size(d->info.e_machine);
	return finish_loads(d, x, e);
}
