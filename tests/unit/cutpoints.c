// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cutpoints [-p N] DUMP: the file offsets at which tests/sweep.bats cuts a
 * dump, one "OFFSET LABEL" line each, sorted, every offset once (the first
 * label wins).  The formats are parsed here on their own, from the format
 * facts (not through common/dump, whose handling of the cuts is what the
 * sweep tests):
 *
 *   kdump-compressed  every field boundary of disk_dump_header and
 *                     kdump_sub_header, the VMCOREINFO and notes blocks (and
 *                     each note header in it), block boundaries up to the
 *                     page descriptors, inside both bitmaps, the descriptor
 *                     table (first, middle, last; inside a descriptor), the
 *                     first page's data, N sampled pages (start and middle)
 *   ELF64             ELF header fields, each program header, the notes
 *                     (each note header, name, desc), each PT_LOAD's start,
 *                     N sampled pages
 *   flattened         the 4096-byte header, the first 16 records (header,
 *                     header middle, data, data middle), N sampled records
 *                     further on, the end marker
 *
 * N (-p, default 8) bounds the page samples, which are where the programs
 * do real work.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct cut {
	uint64_t off;
	size_t seq;
	char label[96];
};

static struct cut *cuts;
static size_t ncuts, capcuts;
static uint64_t fsize;

static void add(uint64_t off, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(uint64_t off, const char *fmt, ...)
{
	va_list ap;

	/* a cut at 0 is the empty file; at fsize the file is whole */
	if (off == 0 || off >= fsize)
		return;
	if (ncuts == capcuts) {
		capcuts = capcuts ? 2 * capcuts : 256;
		cuts = realloc(cuts, capcuts * sizeof(*cuts));
		if (!cuts)
			exit(1);
	}
	cuts[ncuts].off = off;
	cuts[ncuts].seq = ncuts;
	va_start(ap, fmt);
	vsnprintf(cuts[ncuts].label, sizeof(cuts[ncuts].label), fmt, ap);
	va_end(ap);
	ncuts++;
}

static int cmp(const void *a, const void *b)
{
	const struct cut *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->seq < y->seq ? -1 : 1;   /* the first label wins */
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static const uint8_t *map;

static void notes(uint64_t off, uint64_t len, const char *what)
{
	uint64_t p = off, end = off + len;
	int i = 0;

	add(off, "%s start", what);
	add(off + len / 2, "%s middle", what);
	while (p + 12 <= end && p + 12 <= fsize && i < 32) {
		uint32_t nsz = le32(map + p), dsz = le32(map + p + 4);
		uint64_t name = p + 12, desc = name + ((nsz + 3ull) & ~3ull);

		if (!nsz && !dsz)
			break;
		add(p, "%s note %d header", what, i);
		add(p + 6, "%s note %d inside header", what, i);
		add(name, "%s note %d name", what, i);
		add(desc, "%s note %d desc", what, i);
		add(desc + dsz / 2, "%s note %d desc middle", what, i);
		p = desc + ((dsz + 3ull) & ~3ull);
		i++;
	}
	add(end, "%s end", what);
}

static void kdump(int pages)
{
	static const struct { unsigned off; const char *name; } dh[] = {
		{ 8, "header_version" }, { 12, "utsname.sysname" }, { 77, "utsname.nodename" },
		{ 142, "utsname.release" }, { 207, "utsname.version" }, { 272, "utsname.machine" },
		{ 337, "utsname.domainname" }, { 402, "padding" }, { 408, "timestamp" },
		{ 424, "status" }, { 428, "block_size" }, { 432, "sub_hdr_size" },
		{ 436, "bitmap_blocks" }, { 440, "max_mapnr" }, { 444, "total_ram_blocks" },
		{ 448, "device_blocks" }, { 452, "written_blocks" }, { 456, "current_cpu" },
		{ 460, "nr_cpus" }, { 464, "tasks[]" },
	}, sh[] = {
		{ 0, "phys_base" }, { 8, "dump_level" }, { 12, "split" }, { 16, "start_pfn" },
		{ 24, "end_pfn" }, { 32, "offset_vmcoreinfo" }, { 40, "size_vmcoreinfo" },
		{ 48, "offset_note" }, { 56, "size_note" }, { 64, "offset_eraseinfo" },
		{ 72, "size_eraseinfo" }, { 80, "start_pfn_64" }, { 88, "end_pfn_64" },
		{ 96, "max_mapnr_64" }, { 104, "sub-header end" },
	};
	uint32_t version = le32(map + 8), bs = le32(map + 428), sub = le32(map + 432);
	uint32_t bmb = le32(map + 436);
	uint64_t maxpfn = le32(map + 440), bm, half, desc, ndesc = 0, i;
	int nr_cpus = (int)le32(map + 460);

	add(4, "header signature middle");
	for (i = 0; i < sizeof(dh) / sizeof(dh[0]); i++)
		add(dh[i].off, "header %s", dh[i].name);
	if (nr_cpus > 0 && nr_cpus < 4096)
		add(464 + 8ull * (unsigned)nr_cpus, "header end of tasks[]");
	if (bs < 512 || bs > (1u << 20) || (bs & (bs - 1)) || (uint64_t)bs * 2 > fsize)
		return;
	for (i = 0; i < sizeof(sh) / sizeof(sh[0]); i++)
		add(bs + sh[i].off, "sub-header %s", sh[i].name);
	if (version >= 6 && (uint64_t)bs + 104 <= fsize && le64(map + bs + 96))
		maxpfn = le64(map + bs + 96);
	if (version >= 3 && (uint64_t)bs + 48 <= fsize) {
		uint64_t vo = le64(map + bs + 32), vl = le64(map + bs + 40);

		add(vo, "vmcoreinfo start");
		add(vo + vl / 2, "vmcoreinfo middle");
		add(vo + vl, "vmcoreinfo end");
	}
	if (version >= 4 && (uint64_t)bs + 64 <= fsize)
		notes(le64(map + bs + 48), le64(map + bs + 56), "notes");
	bm = (1ull + sub) * bs;
	half = (uint64_t)bmb * bs / 2;
	for (i = 1; i <= 1ull + sub + bmb && i <= 64; i++)
		add(i * bs, "block %llu boundary", (unsigned long long)i);
	if (bm + 2 * half > fsize)
		return;
	add(bm + 1, "bitmap 1 first byte");
	add(bm + half / 2, "bitmap 1 middle");
	add(bm + half - 1, "bitmap 1 last byte");
	add(bm + half, "bitmap 2 start");
	add(bm + half + half / 2, "bitmap 2 middle");
	add(bm + 2 * half - 1, "bitmap 2 last byte");
	for (i = 0; i < maxpfn && i / 8 < half; i++)
		ndesc += (map[bm + half + i / 8] >> (i % 8)) & 1;
	desc = bm + 2 * half;
	add(desc, "descriptors start");
	add(desc + 12, "inside descriptor 0 (size)");
	add(desc + 24, "descriptor 1");
	add(desc + ndesc / 2 * 24, "descriptor %llu (middle)", (unsigned long long)ndesc / 2);
	add(desc + ndesc / 2 * 24 + 8, "inside descriptor %llu", (unsigned long long)ndesc / 2);
	add(desc + (ndesc - 1) * 24, "last descriptor");
	add(desc + ndesc * 24, "descriptors end");
	if (!ndesc || desc + ndesc * 24 > fsize)
		return;
	for (int s = 0; s <= pages; s++) {
		uint64_t k = s == 0 ? 0 : (ndesc - 1) * (uint64_t)s / (uint64_t)pages;
		const uint8_t *d = map + desc + k * 24;
		uint64_t off = le64(d);
		uint32_t size = le32(d + 8);

		add(off, "page data of descriptor %llu", (unsigned long long)k);
		add(off + size / 2, "inside page data of descriptor %llu", (unsigned long long)k);
	}
}

static void elf(int pages)
{
	const Elf64_Ehdr *eh = (const void *)map;
	uint64_t i, loads[64], nloads = 0;

	add(EI_NIDENT / 2, "e_ident middle");
	add(EI_NIDENT, "e_type");
	add(offsetof(Elf64_Ehdr, e_phoff), "e_phoff");
	add(offsetof(Elf64_Ehdr, e_phentsize), "e_phentsize");
	add(offsetof(Elf64_Ehdr, e_phnum), "e_phnum");
	add(sizeof(*eh), "end of ELF header");
	if (fsize < sizeof(*eh) || eh->e_phentsize != sizeof(Elf64_Phdr))
		return;
	if (eh->e_shoff && eh->e_shoff < fsize)
		add(eh->e_shoff, "section headers");
	for (i = 0; i < eh->e_phnum && i < 4096; i++) {
		uint64_t at = eh->e_phoff + i * sizeof(Elf64_Phdr);
		const Elf64_Phdr *ph = (const void *)(map + at);

		if (at + sizeof(*ph) > fsize)
			break;
		if (i < 16 || i + 1 == eh->e_phnum) {
			add(at, "program header %llu", (unsigned long long)i);
			add(at + offsetof(Elf64_Phdr, p_filesz), "program header %llu p_filesz",
			    (unsigned long long)i);
		}
		if (ph->p_type == PT_NOTE && ph->p_offset < fsize)
			notes(ph->p_offset, ph->p_filesz, "PT_NOTE");
		if (ph->p_type == PT_LOAD && ph->p_filesz && nloads < 64) {
			loads[nloads++] = at;
			add(ph->p_offset, "PT_LOAD %llu start", (unsigned long long)i);
			add(ph->p_offset + 2048, "inside PT_LOAD %llu first page", (unsigned long long)i);
		}
	}
	add(eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), "end of program headers");
	/* pages sampled across the loads' file data */
	for (int s = 1; s <= pages && nloads; s++) {
		const Elf64_Phdr *ph = (const void *)(map + loads[(uint64_t)s * nloads / (pages + 1)]);
		uint64_t off = ph->p_offset + (ph->p_filesz / 4096 * s / (pages + 1)) * 4096;

		add(off, "page in PT_LOAD at 0x%llx", (unsigned long long)ph->p_paddr);
		add(off + 1000, "inside page in PT_LOAD at 0x%llx", (unsigned long long)ph->p_paddr);
	}
}

static void flat(int pages)
{
	uint64_t p = 4096, n = 0, nrec = 0, q;

	add(13, "flattened signature end");
	add(16, "flattened type");
	add(24, "flattened version");
	add(32, "flattened header padding");
	add(4096, "first record header");
	/* count records first, to sample them evenly */
	for (q = 4096; q + 16 <= fsize; nrec++) {
		uint64_t len = be64(map + q + 8);

		if (be64(map + q) == UINT64_MAX || len > fsize - q - 16)
			break;
		q += 16 + len;
	}
	while (p + 16 <= fsize) {
		uint64_t off = be64(map + p), len = be64(map + p + 8);
		int take = n < 16 || (pages && nrec > 16 &&
				      (n - 16) % ((nrec - 16) / (uint64_t)pages + 1) == 0);

		if (off == UINT64_MAX && len == UINT64_MAX) {
			add(p, "end marker");
			add(p + 8, "inside end marker");
			break;
		}
		if (len > fsize - p - 16)
			break;
		if (take) {
			add(p, "record %llu header", (unsigned long long)n);
			add(p + 8, "record %llu size field", (unsigned long long)n);
			add(p + 16, "record %llu data", (unsigned long long)n);
			add(p + 16 + len / 2, "record %llu data middle", (unsigned long long)n);
		}
		p += 16 + len;
		n++;
	}
}

int main(int argc, char **argv)
{
	int pages = 8, fd;
	struct stat st;
	const char *path;

	if (argc == 4 && !strcmp(argv[1], "-p")) {
		pages = atoi(argv[2]);
		path = argv[3];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: cutpoints [-p PAGES] DUMP\n");
		return 2;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 64) {
		fprintf(stderr, "cutpoints: %s: cannot open or too small\n", path);
		return 1;
	}
	fsize = (uint64_t)st.st_size;
	map = mmap(NULL, (size_t)fsize, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "cutpoints: %s: mmap failed\n", path);
		return 1;
	}
	if (!memcmp(map, "KDUMP   ", 8))
		kdump(pages);
	else if (!memcmp(map, ELFMAG, SELFMAG))
		elf(pages);
	else if (!memcmp(map, "makedumpfile", 13))
		flat(pages);
	else {
		fprintf(stderr, "cutpoints: %s: not a dump format we cut\n", path);
		return 1;
	}
	qsort(cuts, ncuts, sizeof(*cuts), cmp);
	for (size_t i = 0; i < ncuts; i++)
		if (i == 0 || cuts[i].off != cuts[i - 1].off)
			printf("%llu %s\n", (unsigned long long)cuts[i].off, cuts[i].label);
	return 0;
}
