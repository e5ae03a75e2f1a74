// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kallsyms decoder (common/symbols/kallsyms.c): kallsyms_num_syms,
 * token table and index, compressed names (one- and two-byte lengths),
 * absolute / base-relative / absolute-percpu addresses, as read out of a
 * dump.  The decoder reads through a struct vm_mem, so the harness builds
 * a real one: the memory image (memimg.h; regions inside the kernel image
 * mapping) becomes a raw dump, and x86_64 translates the image map
 * linearly with -o phys_base=0.  Seeds: compact tables cut from the real
 * fixture's kallsyms (tests/gen/fuzzseeds.c).
 */
#include "fuzz.h"
#include "memimg.h"

#include <elf.h>

#include "symbols/symbols.h"

#define KMAP 0xffffffff80000000ull   /* __START_KERNEL_map */
#define IMG_MAX (4u << 20)           /* raw image: 4 MiB of the image map */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const defs[] = { FZ_COMMON_FLAGS, "-max_len=32768", NULL };

	fz_default_flags(argc, argv, defs);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_mem mem;
	static uint8_t *img;
	struct vm_dump_opts dopts = { .have_raw_base = true, .raw_machine = EM_X86_64 };
	struct vm_opts opts;
	struct vm_vmcoreinfo *vi = NULL;
	struct vm_dump *d = NULL;
	struct vm_mem *m = NULL;
	struct vm_symtab *st = NULL;
	struct vm_err e;
	uint64_t lo = UINT64_MAX, hi = 0, off;
	volatile uint64_t sink = 0;
	size_t i;

	if (!img && !(img = malloc(IMG_MAX)))
		abort();
	fz_mem_parse(&mem, data, size);
	/* The regions go into one raw image spanning them, if they lie in the
	 * kernel image mapping within IMG_MAX of each other. */
	for (i = 0; i < mem.n; i++) {
		if (mem.r[i].va < KMAP || !mem.r[i].len)
			continue;
		if (mem.r[i].va < lo)
			lo = mem.r[i].va;
		if (mem.r[i].va + mem.r[i].len > hi)
			hi = mem.r[i].va + mem.r[i].len;
	}
	if (lo == UINT64_MAX)
		return 0;
	lo &= ~4095ull;
	if (hi - lo > IMG_MAX)
		hi = lo + IMG_MAX;
	memset(img, 0, (size_t)(hi - lo));
	for (i = mem.n; i-- > 0;) { /* the first region wins, as in fz_mem_read */
		const struct fz_region *r = &mem.r[i];

		if (r->va < lo || r->va >= hi || !r->len)
			continue;
		off = r->va - lo;
		memcpy(img + off, r->data, (size_t)(r->len < hi - r->va ? r->len : hi - r->va));
	}
	dopts.raw_base = lo - KMAP;
	d = vm_dump_open(fz_file(img, (size_t)(hi - lo)), &dopts, &e);
	if (!d)
		return 0;
	vi = vm_vmcoreinfo_parse(mem.vi ? mem.vi : "", mem.vilen, &e);
	memset(&opts, 0, sizeof(opts));
	opts.nr_ov = 1;
	opts.ov[0].key = "phys_base";
	opts.ov[0].value = "0";
	if (vi && (m = vm_mem_open(d, vi, &opts, &e)) && (st = vm_symtab_new(&e)) &&
	    vm_symtab_load_kallsyms(st, m, &e) == 0) {
		size_t n = vm_symtab_count(st);
		const struct vm_sym *s, *first = vm_symtab_at(st, 0);
		uint64_t o;

		for (i = 0; i < n && i < 64; i++) {
			s = vm_symtab_at(st, i * (n / 64 + 1) < n ? i * (n / 64 + 1) : n - 1);
			sink += s->addr + (uint64_t)strlen(s->name) + (uint64_t)s->type;
			if ((s = vm_sym_by_addr(st, s->addr + 1, &o)))
				sink += o;
		}
		if (first && vm_sym_by_name(st, first->name, NULL))
			sink++;
		if (getenv("FZ_VERBOSE"))
			fprintf(stderr, "kallsyms: %zu symbols, first %s at 0x%llx\n", n,
				first ? first->name : "-",
				first ? (unsigned long long)first->addr : 0ull);
	} else if (getenv("FZ_VERBOSE")) {
		fprintf(stderr, "kallsyms: %s\n", e.msg);
	}
	vm_symtab_free(st);
	vm_mem_close(m);
	vm_vmcoreinfo_free(vi);
	vm_dump_close(d);
	(void)sink;
	return 0;
}
