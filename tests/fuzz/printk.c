// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log decoders (common/kernel/printk*.c) through their memory
 * callback: printk_ringbuffer (v5.10+), printk_log records (v3.5-v5.9) and
 * the plain log_buf (before v3.5); which one runs is chosen, as in a real
 * dump, by the SYMBOL()s in the input's VMCOREINFO text.  Input format:
 * memimg.h.  Seeds: the real ring of the fixture dumps (every byte the
 * decoder read) and small synthetic rings of all three formats built from
 * the real records (tests/gen/fuzzseeds.c).
 */
#include "fuzz.h"
#include "memimg.h"

#include "kernel/printk.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const defs[] = { FZ_COMMON_FLAGS, "-max_len=1048576", NULL };

	fz_default_flags(argc, argv, defs);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_mem mem;
	struct vm_printk_src src;
	struct vm_vmcoreinfo *vi;
	struct vm_printk *p;
	struct vm_err e;
	volatile unsigned sink = 0;
	unsigned flags = 0;
	const char *line;
	size_t i, pos = 0, len;
	uint64_t ns;

	fz_mem_parse(&mem, data, size);
	vi = vm_vmcoreinfo_parse(mem.vi ? mem.vi : "", mem.vilen, &e);
	if (!vi)
		return 0;
	memset(&src, 0, sizeof(src));
	src.ctx = &mem;
	src.read = fz_mem_read;
	src.vi = vi;
	src.ptr_size = mem.flags & FZ_MEM_PTR4 ? 4 : 8;
	src.big_endian = mem.flags & FZ_MEM_BE;
	src.page_size = mem.flags & FZ_MEM_PAGE1K ? 1024 : 4096;
	if (mem.flags & FZ_MEM_LEVEL)
		flags |= VM_PRINTK_WANT_LEVEL;
	if (mem.flags & FZ_MEM_SEQ)
		flags |= VM_PRINTK_WANT_SEQ;
	p = vm_printk_open(&src, flags, &e);
	if (p) {
		const struct vm_printk_rec *r;

		/* touch every byte a printer would: ASan checks the bounds */
		while ((r = vm_printk_next(p, &pos))) {
			for (i = 0; i < r->text_len; i++)
				sink += (unsigned char)r->text[i];
			for (i = 0; i < r->dict_len; i++)
				sink += (unsigned char)r->dict[i];
			sink += (unsigned)strlen(r->subsystem) + (unsigned)strlen(r->device);
		}
		for (i = 0; i < vm_printk_nr_lost(p); i++)
			sink += (unsigned)strlen(vm_printk_lost(p, i)->why);
		if (vm_printk_panic_line(p, &line, &len) == 1 && len)
			sink += (unsigned char)line[0] + (unsigned char)line[len - 1];
		vm_printk_uptime(p, &ns);
		sink += vm_printk_seq_exact(p) + vm_printk_has_caller(p) +
			vm_printk_has_level(p) + (unsigned)vm_printk_format(p);
		if (getenv("FZ_VERBOSE"))
			fprintf(stderr, "printk: %s, %zu records, %zu lost runs\n",
				vm_printk_format_name(vm_printk_format(p)),
				vm_printk_count(p), vm_printk_nr_lost(p));
		vm_printk_close(p);
	} else if (getenv("FZ_VERBOSE")) {
		fprintf(stderr, "printk: %s\n", e.msg);
	}
	vm_vmcoreinfo_free(vi);
	(void)sink;
	return 0;
}
