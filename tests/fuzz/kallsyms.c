// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kallsyms decoder (common/symbols/kallsyms.c): kallsyms_num_syms,
 * token table and index, compressed names (one- and two-byte lengths),
 * absolute / base-relative / absolute-percpu addresses, as read out of a
 * dump.  The decoder reads through a struct vm_mem: rawmem.h builds a real
 * one over the memory image (memimg.h).  Seeds: compact tables cut from
 * the real fixture's kallsyms (tests/gen/fuzzseeds.c).  The same memory
 * then goes through the BTF header scan (common/kernel/btf_scan.c), which
 * a text-only kallsyms relies on: it starts after the kallsyms tables.
 */
#include "fuzz.h"

#include <stdbool.h>
#include "memimg.h"
#include "rawmem.h"

#include "kernel/btf_scan.h"
#include "symbols/symbols.h"
#include "types/types.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const defs[] = { FZ_COMMON_FLAGS, "-max_len=32768", NULL };

	fz_default_flags(argc, argv, defs);
	return 0;
}

static int take_btf(void *ctx, const uint8_t *blob, size_t len, uint64_t va,
		    struct vm_err *e)
{
	struct vm_opts o;
	struct vm_types *ts;
	int rc;

	(void)ctx;
	(void)va;
	memset(&o, 0, sizeof(o));
	ts = vm_types_new(&o, e);
	rc = ts ? vm_types_add_btf(ts, blob, len, "scan", e) : -1;
	vm_types_free(ts);
	return rc;
}

static void btf_scan(struct vm_mem *m, const struct vm_vmcoreinfo *vi)
{
	struct vm_err e;
	uint64_t from, where;

	if (vm_vmci_symbol(vi, "kallsyms_token_index", &from) < 0)
		from = FZ_KMAP;
	/* 128 KiB: a header and its start are where a mutation puts them;
	 * the whole window would cost a hundred times the decode */
	vm_btf_scan(m, from, 128u << 10, 1u << 20, take_btf, NULL, &where, &e);
}

/* The scan reads 128 KiB: only for inputs that hold a BTF magic, so the
 * decoder keeps its pace; libFuzzer learns the bytes from the memmem. */
static bool has_btf_magic(const uint8_t *data, size_t size)
{
	return memmem(data, size, "\x9f\xeb\x01", 3) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_mem mem;
	struct vm_vmcoreinfo *vi;
	struct vm_symtab *st = NULL;
	struct fz_raw raw;
	struct vm_err e;
	volatile uint64_t sink = 0;
	size_t i;

	fz_mem_parse(&mem, data, size);
	vi = vm_vmcoreinfo_parse(mem.vi ? mem.vi : "", mem.vilen, &e);
	if (!vi)
		return 0;
	if (fz_raw_open(&raw, &mem, vi) < 0) {
		vm_vmcoreinfo_free(vi);
		return 0;
	}
	if ((st = vm_symtab_new(&e)) && vm_symtab_load_kallsyms(st, raw.m, &e) == 0) {
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
	if (has_btf_magic(data, size))
		btf_scan(raw.m, vi);
	fz_raw_close(&raw);
	vm_vmcoreinfo_free(vi);
	(void)sink;
	return 0;
}
