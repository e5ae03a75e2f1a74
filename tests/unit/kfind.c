// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kfind [-t] DUMP: where kernel structures lie in the dump FILE, for
 * tests/corrupt.bats, which damages them in a copy.  One line each:
 *
 *   NAME FILE_OFFSET SIZE VA
 *
 * VA is the kernel virtual address (0 for file-only things).  The library
 * finds the structures (VMCOREINFO, symbols from the dump's kallsyms, member
 * offsets from its BTF or VMCOREINFO, vm_kvtop); the physical -> file
 * offset step is done here from the format, and works only where pages are
 * stored as they are: ELF dumps and kdump-compressed dumps written without
 * compression (`tests/fixture.sh derive:raw`).
 *
 *   vmcoreinfo              the VMCOREINFO text
 *   vmci.KEY                the value of KEY=VALUE in it ("vmci.SYMBOL(prb)")
 *   pt.LEVEL.NAME           the page-table entry (8 bytes) that maps symbol
 *                           NAME at each level (pgd, p4d, pud, pmd, pte;
 *                           present levels only), NAME = prb's descriptor
 *                           array ("descs"), init_task (both in the kernel
 *                           image map) and the second task ("task1", in the
 *                           direct map)
 *   task.N.tasks_next       tasks.next of the N-th task of the task list
 *                           (0 = init_task), N < 4
 *   prb.count_bits prb.head_id prb.tail_id prb.descs prb.text_data
 *                           fields of the printk ring (prb_desc_ring,
 *                           prb_data_ring pointers)
 *   desc.I.state_var desc.I.text_blk_lpos info.I.text_len text.I
 *                           the descriptor, printk_info and text of the
 *                           I-th record from the tail (I in 0, middle, last)
 *   modsym.MOD.I.st_name    st_name of the I-th (I in 1..3) Elf64_Sym of
 *                           module MOD's symbol table (mod_kallsyms.symtab)
 *   stack.cpuN.pageP        the P-th page (P < 4) of the stack CPU N was on
 *                           at the crash, from the page of its saved sp
 *   ksym.TABLE              the start of a kallsyms table (TABLE =
 *                           kallsyms_token_table, _token_index, _names,
 *                           _offsets, _num_syms), 16 bytes
 *   btf.header              the BTF header at __start_BTF (24 bytes)
 *   btf.all                 __start_BTF .. __stop_BTF (in file order from
 *                           its first page: tests/fuzz/programs.sh picks
 *                           bytes in it)
 *
 * -t: instead, every task_struct of the task list as its pieces within
 * pages, "taskmem.N.OFFSET" (for tests/fuzz/flip.sh).
 */
#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch/arch.h"
#include "kernel/kernel.h"
#include "kernel/modules.h"
#include "vmcoreinfo/vmcoreinfo.h"

static const uint8_t *map;
static uint64_t fsize;

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Physical address -> file offset, or UINT64_MAX. */
static uint64_t pa_to_off(uint64_t pa)
{
	if (!memcmp(map, ELFMAG, SELFMAG)) {
		const Elf64_Ehdr *eh = (const void *)map;

		for (unsigned i = 0; i < eh->e_phnum; i++) {
			const Elf64_Phdr *ph = (const void *)(map + eh->e_phoff + i * sizeof(*ph));

			if (ph->p_type == PT_LOAD && pa >= ph->p_paddr &&
			    pa - ph->p_paddr < ph->p_filesz)
				return ph->p_offset + (pa - ph->p_paddr);
		}
		return UINT64_MAX;
	}
	if (!memcmp(map, "KDUMP   ", 8)) {
		uint32_t bs = (uint32_t)le(map + 428, 4), sub = (uint32_t)le(map + 432, 4);
		uint32_t bmb = (uint32_t)le(map + 436, 4);
		uint64_t bm = (1ull + sub) * bs, half = (uint64_t)bmb * bs / 2;
		uint64_t pfn = pa / bs, rank = 0, i;
		const uint8_t *b2 = map + bm + half, *d;

		if (pfn / 8 >= half || !((b2[pfn / 8] >> (pfn % 8)) & 1))
			return UINT64_MAX;
		for (i = 0; i < pfn / 8; i++)
			rank += (uint64_t)__builtin_popcount(b2[i]);
		rank += (uint64_t)__builtin_popcount(b2[pfn / 8] & ((1u << (pfn % 8)) - 1));
		d = map + bm + 2 * half + rank * 24;
		/* stored as is: size == block size and no compression flag */
		if (le(d + 8, 4) != bs || (le(d + 12, 4) & 0x27))
			return UINT64_MAX;
		return le(d, 8) + pa % bs;
	}
	return UINT64_MAX;
}

static struct vm_kernel *k;
static bool all_tasks;

static void emit(const char *name, uint64_t va, uint64_t size)
{
	struct vm_err e;
	uint64_t pa, off;

	if (vm_kvtop(k->mem, va, &pa, &e) < 0) {
		fprintf(stderr, "kfind: %s at 0x%" PRIx64 ": %s\n", name, va, e.msg);
		return;
	}
	off = pa_to_off(pa);
	if (off == UINT64_MAX || off + size > fsize) {
		fprintf(stderr, "kfind: %s at 0x%" PRIx64 " (pa 0x%" PRIx64 "): not stored "
			"uncompressed in the file\n", name, va, pa);
		return;
	}
	printf("%s %" PRIu64 " %" PRIu64 " 0x%" PRIx64 "\n", name, off, size, va);
}

static uint64_t rd(uint64_t va, unsigned n)
{
	uint8_t b[8] = { 0 };
	struct vm_err e;

	if (vm_kread(k->mem, va, b, n, &e) < 0) {
		fprintf(stderr, "kfind: %s\n", e.msg);
		exit(1);
	}
	return le(b, n);
}

static uint64_t off_of(const char *type, const char *member)
{
	struct vm_err e;
	uint64_t v;

	if (vm_kernel_offsetof(k, type, member, &v, NULL, &e) < 0) {
		fprintf(stderr, "kfind: %s.%s: %s\n", type, member, e.msg);
		exit(1);
	}
	return v;
}

static uint64_t size_of(const char *type)
{
	struct vm_err e;
	uint64_t v;

	if (vm_kernel_sizeof(k, type, &v, &e) < 0) {
		fprintf(stderr, "kfind: sizeof %s: %s\n", type, e.msg);
		exit(1);
	}
	return v;
}

/* The x86_64 page-table walk of va, entry by entry. */
static void page_table(const char *name, uint64_t va)
{
	static const char *const lv[] = { "pte", "pmd", "pud", "p4d", "pgd" };
	int64_t l5 = 0;
	uint64_t table, top;
	struct vm_err e;
	uint8_t b[8];

	if (vm_vmci_symbol(k->vi, "init_top_pgt", &top) < 0)
		return;
	vm_vmci_number(k->vi, "pgtable_l5_enabled", &l5);
	if (vm_kvtop(k->mem, top, &table, &e) < 0)
		return;
	for (int level = l5 ? 4 : 3; level >= 0; level--) {
		uint64_t idx = (va >> (12 + 9 * level)) & 511, ent_pa = table + 8 * idx;
		uint64_t off = pa_to_off(ent_pa), ent;
		char what[64];

		if (!l5 && level == 4)
			continue;
		if (vm_dump_read_phys(k->dump, ent_pa, b, 8, &e) < 0)
			return;
		ent = le(b, 8);
		if (off != UINT64_MAX) {
			snprintf(what, sizeof(what), "pt.%s.%s", lv[level], name);
			printf("%s %" PRIu64 " 8 0x%" PRIx64 "\n", what, off, va);
		}
		if (!(ent & 1) || (level && level < 3 && (ent & 0x80)))
			return;   /* not present, or a huge page: the walk ends */
		table = ent & 0x000ffffffffff000ull;
	}
}

int main(int argc, char **argv)
{
	struct vm_opts o;
	struct vm_err e;
	struct stat st;
	const char *vi;
	size_t vilen;
	int fd;

	if (argc == 3 && !strcmp(argv[1], "-t")) {
		all_tasks = true;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: kfind [-t] DUMP\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	fsize = (uint64_t)st.st_size;
	map = mmap(NULL, (size_t)fsize, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 1;
	memset(&o, 0, sizeof(o));
	k = vm_kernel_open(argv[1], &o, &e);
	if (!k || !k->vi || !vm_kernel_mem(k, &e)) {
		fprintf(stderr, "kfind: %s: %s\n", argv[1], k ? e.msg : "cannot open");
		return 1;
	}

	/* VMCOREINFO: the bytes the library parsed, found in the file */
	vi = vm_dump_vmcoreinfo(k->dump, &vilen);
	const uint8_t *at = vi ? memmem(map, (size_t)fsize, vi, vilen) : NULL;
	if (at) {
		const char *key, *val;

		printf("vmcoreinfo %zu %zu 0\n", (size_t)(at - map), vilen);
		for (size_t i = 0; (key = vm_vmci_key_at(k->vi, i, &val)); i++) {
			char pat[300];
			int n = snprintf(pat, sizeof(pat), "\n%s=%s\n", key, val);
			const uint8_t *p = memmem(at, vilen, pat, (size_t)n);

			if (p && n < (int)sizeof(pat))
				printf("vmci.%s %zu %zu 0\n", key,
				       (size_t)(p - map) + 2 + strlen(key), strlen(val));
		}
	}

	/* the kallsyms tables and the BTF (tests/poison.bats) */
	{
		static const char *const tabs[] = {
			"kallsyms_token_table", "kallsyms_token_index", "kallsyms_names",
			"kallsyms_offsets", "kallsyms_num_syms",
		};
		char name[64];
		uint64_t va;

		for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
			if (vm_vmci_symbol(k->vi, tabs[i], &va) == 0) {
				snprintf(name, sizeof(name), "ksym.%s", tabs[i]);
				emit(name, va, 16);
			}
		if (vm_kernel_symbol(k, "__start_BTF", &va, &e) == 0) {
			uint64_t stop;

			emit("btf.header", va, 24);
			if (vm_kernel_symbol(k, "__stop_BTF", &stop, &e) == 0 && stop > va)
				emit("btf.all", va, stop - va);
		}
	}

	/* the printk ring */
	uint64_t prb, rb, dr, descs, infos, head, tail, count, data, dsz, isz, tdr;
	if (vm_vmci_symbol(k->vi, "prb", &prb) == 0) {
		rb = rd(prb, 8);
		dr = rb + off_of("printk_ringbuffer", "desc_ring");
		tdr = rb + off_of("printk_ringbuffer", "text_data_ring");
		emit("prb.count_bits", dr + off_of("prb_desc_ring", "count_bits"), 4);
		emit("prb.descs", dr + off_of("prb_desc_ring", "descs"), 8);
		emit("prb.head_id", dr + off_of("prb_desc_ring", "head_id"), 8);
		emit("prb.tail_id", dr + off_of("prb_desc_ring", "tail_id"), 8);
		emit("prb.text_data", tdr + off_of("prb_data_ring", "data"), 8);
		count = 1ull << rd(dr + off_of("prb_desc_ring", "count_bits"), 4);
		descs = rd(dr + off_of("prb_desc_ring", "descs"), 8);
		infos = rd(dr + off_of("prb_desc_ring", "infos"), 8);
		head = rd(dr + off_of("prb_desc_ring", "head_id"), 8) & (~0ull >> 2);
		tail = rd(dr + off_of("prb_desc_ring", "tail_id"), 8) & (~0ull >> 2);
		data = rd(tdr + off_of("prb_data_ring", "data"), 8);
		dsz = size_of("prb_desc");
		isz = size_of("printk_info");
		page_table("descs", descs);
		for (int w = 0; w < 3; w++) {
			uint64_t n = ((head - tail) & (~0ull >> 2)) + 1;
			uint64_t i = w == 0 ? 0 : w == 1 ? n / 2 : n - 1;
			uint64_t id = (tail + i) & (~0ull >> 2), slot = id & (count - 1);
			uint64_t d = descs + slot * dsz, lpos, sz;
			char name[64];
			unsigned tb = (unsigned)rd(tdr + off_of("prb_data_ring", "size_bits"), 4);

			snprintf(name, sizeof(name), "desc.%" PRIu64 ".state_var", i);
			emit(name, d + off_of("prb_desc", "state_var"), 8);
			snprintf(name, sizeof(name), "desc.%" PRIu64 ".text_blk_lpos", i);
			emit(name, d + off_of("prb_desc", "text_blk_lpos"), 16);
			snprintf(name, sizeof(name), "info.%" PRIu64 ".text_len", i);
			emit(name, infos + slot * isz + off_of("printk_info", "text_len"), 2);
			lpos = rd(d + off_of("prb_desc", "text_blk_lpos") +
				  off_of("prb_data_blk_lpos", "begin"), 8);
			sz = rd(d + off_of("prb_desc", "text_blk_lpos") +
				off_of("prb_data_blk_lpos", "next"), 8) - lpos;
			if (!(lpos & 1) && sz < 4096 && tb < 40) {
				snprintf(name, sizeof(name), "text.%" PRIu64, i);
				emit(name, data + (lpos & ((1ull << tb) - 1)), sz);
			}
		}
	}

	/* the task list, from init_task through tasks.next */
	uint64_t task, o_tasks;
	if (all_tasks && vm_kernel_symbol(k, "init_task", &task, &e) == 0) {
		/* every task_struct, page piece by page piece */
		uint64_t lhead, tsize = size_of("task_struct");

		o_tasks = off_of("task_struct", "tasks");
		lhead = task + o_tasks;
		for (int i = 0; i < 4096; i++) {
			for (uint64_t a = task; a < task + tsize;) {
				uint64_t n = 4096 - (a & 4095);
				char name[64];

				if (n > task + tsize - a)
					n = task + tsize - a;
				snprintf(name, sizeof(name), "taskmem.%d.%" PRIu64, i, a - task);
				emit(name, a, n);
				a += n;
			}
			task = rd(task + o_tasks, 8);
			if (task == lhead)
				break;
			task -= o_tasks;
		}
		vm_kernel_close(k);
		return 0;
	}
	if (vm_kernel_symbol(k, "init_task", &task, &e) == 0) {
		o_tasks = off_of("task_struct", "tasks");
		page_table("init_task", task);
		for (int i = 0; i < 4; i++) {
			char name[64];

			snprintf(name, sizeof(name), "task.%d.tasks_next", i);
			emit(name, task + o_tasks, 8);
			task = rd(task + o_tasks, 8) - o_tasks;
			if (i == 0)
				page_table("task1", task);   /* the direct map */
		}
	} else {
		fprintf(stderr, "kfind: init_task: %s\n", e.msg);
	}
	/* each module's symbol table: st_name of its first symbols */
	const struct vm_modlist *ml = vm_kernel_modules(k, &e);

	for (size_t i = 0; ml && i < ml->n && i < 8; i++) {
		uint64_t ks = rd(ml->mods[i].addr + off_of("module", "kallsyms"), 8);
		uint64_t symtab = rd(ks + off_of("mod_kallsyms", "symtab"), 8);

		for (int j = 1; j < 4; j++) {
			char name[96];

			snprintf(name, sizeof(name), "modsym.%s.%d.st_name", ml->mods[i].name, j);
			emit(name, symtab + 24ull * (uint64_t)j, 4);
		}
	}

	/* the kernel stacks the CPUs were on: the pages from each one's sp */
	const struct vm_arch *arch = vm_mem_arch(k->mem);

	for (int cpu = 0; cpu < vm_mem_nr_cpu_regs(k->mem) && cpu < 8; cpu++) {
		struct vm_regs r;
		uint64_t sp;

		if (vm_mem_cpu_regs(k->mem, cpu, &r, &e) < 0 ||
		    !((r.valid >> arch->sp_reg) & 1))
			continue;
		sp = r.r[arch->sp_reg];
		for (int pg = 0; pg < 4; pg++) {
			char name[64];

			snprintf(name, sizeof(name), "stack.cpu%d.page%d", cpu, pg);
			emit(name, (sp & ~4095ull) + 4096ull * (uint64_t)pg, 4096);
		}
	}
	vm_kernel_close(k);
	return 0;
}
