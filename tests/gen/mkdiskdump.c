// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkdiskdump SPEC OUT: build a small synthetic dump from a readable text
 * spec, for the dump layer's bad-input tests (tests/data/dump/ *.spec).
 * In the spirit of libkdumpfile's tests/mkdiskdump; written from the format
 * facts in common/dump/kdump.c, elf.c, flat.c.
 *
 * One directive per line, '#' starts a comment; numbers are decimal or 0x.
 *   format kdump|flat|elf     flat = a kdump file wrapped in flattened records
 *   flatrec N                 flattened record size (default 4096)
 *   flatshuffle SEED          write the records in a shuffled order, after
 *                             records of junk that the real ones overwrite
 * kdump:
 *   header_version N  block_size N  nr_cpus N  dump_level N  timestamp N
 *   max_mapnr N               (default: highest pfn used + 1)
 *   status WORD...            zlib lzo snappy zstd incomplete (or a number)
 *   sysname|nodename|release|version|machine|domainname STRING
 *   ram A[-B] ...             set pfns in the 1st bitmap
 *   page PFN METHOD CONTENT   a dumped page: bit in both bitmaps, a
 *                             descriptor, data.  METHOD none zlib lzo
 *                             snappy zstd, "bad-" prefix = corrupt the
 *                             compressed bytes.  CONTENT fill:0xNN|pattern
 *   nodesc PFN                bit in both bitmaps but no descriptor
 *   split START END           one part of a makedumpfile --split set: the
 *                             sub-header says so (split 1, the range in its
 *                             32- and 64-bit fields), the bitmaps are the
 *                             whole dump's, descriptors and data are those
 *                             of the pages in [START, END) only
 * elf:
 *   load PADDR MEMSZ [filesz N] CONTENT    a PT_LOAD
 * both:
 *   include FILE              read FILE's directives here (a path relative
 *                             to the including spec's directory)
 *   vmcoreinfo LINE           appended (with '\n') to VMCOREINFO
 *   note NAME TYPE SIZE       a note with SIZE bytes of 0x5a
 *   poke FIELD VALUE          after layout, overwrite a field (names below)
 *   truncate N                cut the output at N bytes
 * Fields: header.{version,status,block_size,sub_hdr_size,bitmap_blocks,
 * max_mapnr,nr_cpus} header32.{block_size,bitmap_blocks,max_mapnr}
 * sub.{dump_level,split,start_pfn,end_pfn,offset_vmcoreinfo,
 * size_vmcoreinfo,offset_note,size_note,start_pfn_64,end_pfn_64,max_mapnr_64} desc.N.{offset,size,
 * flags} ehdr.{ei_class,ei_data,e_machine,e_phoff,e_phentsize,e_phnum,e_shoff} phdr.N.{p_type,
 * p_offset,p_paddr,p_filesz,p_memsz} note.N.{namesz,descsz}
 */
#include <elf.h>
#include <errno.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define MAXN 4096

struct page {
	uint64_t pfn;
	char method[32];
	char content[64];
	int nodesc;
};

struct load {
	uint64_t paddr, memsz, filesz;
	char content[64];
};

struct note {
	char name[64];
	uint32_t type, size;
};

struct poke {
	char field[64];
	uint64_t value;
};

struct spec {
	char format[16];
	uint64_t flatrec;
	uint64_t flatshuffle;
	uint32_t header_version, block_size, status;
	int32_t nr_cpus, dump_level;
	int64_t timestamp;
	uint64_t max_mapnr;
	char uts[6][65];
	uint8_t *ram;              /* pfn bitmap of "ram" (bytes, MAXN*8 pfns) */
	struct page pages[MAXN];
	size_t nr_pages;
	struct load loads[64];
	size_t nr_loads;
	struct note notes[64];
	size_t nr_notes;
	char vmcoreinfo[8192];
	struct poke pokes[64];
	size_t nr_pokes;
	int64_t truncate;
	int split;
	uint64_t split_start, split_end;
	const char *file;
	int line;
};

/* Output buffer and where the parts landed, for pokes. */
struct out {
	uint8_t *b;
	size_t len, cap;
	uint64_t sub, desc, ehdr, phdr, notes;
	uint64_t note_off[64];
	size_t nr_note_off;
	uint32_t bs;
};

static void die(const struct spec *s, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkdiskdump: %s:%d: ", s->file, s->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t num(const struct spec *s, const char *t)
{
	char *end;
	uint64_t v;

	if (!t)
		die(s, "number expected");
	errno = 0;
	v = strtoull(t, &end, 0);
	if (errno || *end)
		die(s, "bad number '%s'", t);
	return v;
}

static void put(struct out *o, uint64_t off, const void *p, size_t n)
{
	if (off + n > o->cap) {
		size_t nc = (off + n) * 2;

		o->b = realloc(o->b, nc);
		if (!o->b) {
			perror("mkdiskdump");
			exit(1);
		}
		memset(o->b + o->cap, 0, nc - o->cap);
		o->cap = nc;
	}
	memcpy(o->b + off, p, n);
	if (off + n > o->len)
		o->len = off + n;
}

static void put_le(struct out *o, uint64_t off, uint64_t v, int width)
{
	uint8_t b[8];

	for (int i = 0; i < width; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(o, off, b, (size_t)width);
}

static void fill_content(const struct spec *s, const char *c, uint64_t pfn,
			 uint8_t *buf, size_t n)
{
	if (strncmp(c, "fill:", 5) == 0) {
		memset(buf, (int)num(s, c + 5), n);
	} else if (strcmp(c, "pattern") == 0) {
		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)(pfn * 7 + i / 16);
	} else {
		die(s, "content '%s': fill:0xNN or pattern", c);
	}
}

/* Compress a page; returns the size and the descriptor flag. */
static size_t compress_page(const struct spec *s, const char *method,
			    const uint8_t *in, size_t n, uint8_t *out,
			    size_t cap, uint32_t *flag)
{
	int bad = strncmp(method, "bad-", 4) == 0;
	const char *m = bad ? method + 4 : method;
	size_t len;

	if (strcmp(m, "none") == 0) {
		memcpy(out, in, n);
		*flag = 0;
		len = n;
	} else if (strcmp(m, "zlib") == 0) {
		uLongf l = cap;

		if (compress2(out, &l, in, n, 6) != Z_OK)
			die(s, "zlib failed");
		*flag = 0x1;
		len = l;
	} else if (strcmp(m, "lzo") == 0) {
		void *wrk = malloc(LZO1X_1_MEM_COMPRESS);
		lzo_uint l = cap;

		if (!wrk || lzo1x_1_compress(in, n, out, &l, wrk) != LZO_E_OK)
			die(s, "lzo failed");
		free(wrk);
		*flag = 0x2;
		len = l;
	} else if (strcmp(m, "snappy") == 0) {
		size_t l = cap;

		if (snappy_compress((const char *)in, n, (char *)out, &l) !=
		    SNAPPY_OK)
			die(s, "snappy failed");
		*flag = 0x4;
		len = l;
	} else if (strcmp(m, "zstd") == 0) {
		len = ZSTD_compress(out, cap, in, n, 1);
		if (ZSTD_isError(len))
			die(s, "zstd failed");
		*flag = 0x20;
	} else {
		die(s, "method '%s': none zlib lzo snappy zstd (bad- prefix)",
		    method);
		return 0;
	}
	if (bad) /* keep any small header, garble the stream after it */
		for (size_t i = len > 8 ? 2 : 0; i < len; i++)
			out[i] ^= 0xa5;
	return len;
}

static void set_bit(uint8_t *bm, uint64_t pfn)
{
	bm[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
}

static void parse(struct spec *s, FILE *f);

static void parse(struct spec *s, FILE *f)
{
	char line[8192];

	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '#'), *kw, *a, *b, *c;

		s->line++;
		if (p && strncmp(line, "vmcoreinfo", 10) != 0)
			*p = '\0';
		line[strcspn(line, "\n")] = '\0';
		kw = strtok(line, " \t");
		if (!kw)
			continue;
		if (strcmp(kw, "vmcoreinfo") == 0) {
			char *rest = kw + strlen(kw) + 1;

			while (*rest == ' ' || *rest == '\t')
				rest++;
			if (strlen(s->vmcoreinfo) + strlen(rest) + 2 >
			    sizeof(s->vmcoreinfo))
				die(s, "vmcoreinfo too long");
			strcat(s->vmcoreinfo, rest);
			strcat(s->vmcoreinfo, "\n");
			continue;
		}
		a = strtok(NULL, " \t");
		if (strcmp(kw, "include") == 0) {
			char inc[4096];
			const char *slash = strrchr(s->file, '/');
			const char *file = s->file;
			int at_line = s->line;
			FILE *f2;

			if (!a)
				die(s, "include FILE");
			snprintf(inc, sizeof(inc), "%.*s%s",
				 slash ? (int)(slash - s->file + 1) : 0, s->file, a);
			f2 = fopen(inc, "r");
			if (!f2)
				die(s, "include %s: %s", inc, strerror(errno));
			s->file = inc;
			s->line = 0;
			parse(s, f2);
			fclose(f2);
			s->file = file;
			s->line = at_line;
		} else if (strcmp(kw, "split") == 0) {
			s->split = 1;
			s->split_start = num(s, a);
			s->split_end = num(s, strtok(NULL, " \t"));
		} else if (strcmp(kw, "format") == 0) {
			snprintf(s->format, sizeof(s->format), "%s", a ? a : "");
		} else if (strcmp(kw, "flatrec") == 0) {
			s->flatrec = num(s, a);
		} else if (strcmp(kw, "flatshuffle") == 0) {
			s->flatshuffle = num(s, a);
		} else if (strcmp(kw, "header_version") == 0) {
			s->header_version = (uint32_t)num(s, a);
		} else if (strcmp(kw, "block_size") == 0) {
			s->block_size = (uint32_t)num(s, a);
		} else if (strcmp(kw, "nr_cpus") == 0) {
			s->nr_cpus = (int32_t)num(s, a);
		} else if (strcmp(kw, "dump_level") == 0) {
			s->dump_level = (int32_t)num(s, a);
		} else if (strcmp(kw, "timestamp") == 0) {
			s->timestamp = (int64_t)num(s, a);
		} else if (strcmp(kw, "max_mapnr") == 0) {
			s->max_mapnr = num(s, a);
		} else if (strcmp(kw, "status") == 0) {
			for (; a; a = strtok(NULL, " \t")) {
				if (!strcmp(a, "zlib")) s->status |= 0x1;
				else if (!strcmp(a, "lzo")) s->status |= 0x2;
				else if (!strcmp(a, "snappy")) s->status |= 0x4;
				else if (!strcmp(a, "incomplete")) s->status |= 0x8;
				else if (!strcmp(a, "zstd")) s->status |= 0x20;
				else s->status |= (uint32_t)num(s, a);
			}
		} else if (!strcmp(kw, "sysname") || !strcmp(kw, "nodename") ||
			   !strcmp(kw, "release") || !strcmp(kw, "version") ||
			   !strcmp(kw, "machine") || !strcmp(kw, "domainname")) {
			static const char *const names[] = { "sysname",
				"nodename", "release", "version", "machine",
				"domainname" };
			for (int i = 0; i < 6; i++)
				if (!strcmp(kw, names[i]))
					snprintf(s->uts[i], 65, "%s", a ? a : "");
		} else if (strcmp(kw, "ram") == 0) {
			for (; a; a = strtok(NULL, " \t")) {
				char *dash = strchr(a, '-');
				uint64_t lo, hi;

				if (dash)
					*dash = '\0';
				lo = num(s, a);
				hi = dash ? num(s, dash + 1) : lo;
				if (hi >= MAXN * 8 || lo > hi)
					die(s, "ram range beyond %d pfns", MAXN * 8);
				for (uint64_t p2 = lo; p2 <= hi; p2++)
					set_bit(s->ram, p2);
			}
		} else if (strcmp(kw, "page") == 0 || strcmp(kw, "nodesc") == 0) {
			struct page *pg;

			if (s->nr_pages == MAXN)
				die(s, "too many pages");
			pg = &s->pages[s->nr_pages++];
			pg->pfn = num(s, a);
			if (pg->pfn >= MAXN * 8)
				die(s, "pfn beyond %d", MAXN * 8);
			if (s->nr_pages > 1 && pg->pfn <= pg[-1].pfn)
				die(s, "pages must be in increasing pfn order");
			set_bit(s->ram, pg->pfn);
			if (kw[0] == 'n') {
				pg->nodesc = 1;
				continue;
			}
			b = strtok(NULL, " \t");
			c = strtok(NULL, " \t");
			if (!b || !c)
				die(s, "page PFN METHOD CONTENT");
			snprintf(pg->method, sizeof(pg->method), "%s", b);
			snprintf(pg->content, sizeof(pg->content), "%s", c);
		} else if (strcmp(kw, "load") == 0) {
			struct load *l;

			if (s->nr_loads == 64)
				die(s, "too many loads");
			l = &s->loads[s->nr_loads++];
			l->paddr = num(s, a);
			l->memsz = l->filesz = num(s, strtok(NULL, " \t"));
			b = strtok(NULL, " \t");
			if (b && strcmp(b, "filesz") == 0) {
				l->filesz = num(s, strtok(NULL, " \t"));
				b = strtok(NULL, " \t");
			}
			if (!b || l->filesz > l->memsz || l->filesz > (1 << 24))
				die(s, "load PADDR MEMSZ [filesz N] CONTENT");
			snprintf(l->content, sizeof(l->content), "%s", b);
		} else if (strcmp(kw, "note") == 0) {
			struct note *n;

			if (s->nr_notes == 64)
				die(s, "too many notes");
			n = &s->notes[s->nr_notes++];
			snprintf(n->name, sizeof(n->name), "%s", a ? a : "");
			n->type = (uint32_t)num(s, strtok(NULL, " \t"));
			n->size = (uint32_t)num(s, strtok(NULL, " \t"));
			if (n->size > 65536)
				die(s, "note too big");
		} else if (strcmp(kw, "poke") == 0) {
			if (s->nr_pokes == 64 || !a)
				die(s, "poke FIELD VALUE");
			snprintf(s->pokes[s->nr_pokes].field, 64, "%s", a);
			s->pokes[s->nr_pokes++].value = num(s, strtok(NULL, " \t"));
		} else if (strcmp(kw, "truncate") == 0) {
			s->truncate = (int64_t)num(s, a);
		} else {
			die(s, "unknown directive '%s'", kw);
		}
	}
}

/* The note area: every "note" line, then VMCOREINFO.  Returns its size. */
static size_t put_notes(const struct spec *s, struct out *o, uint64_t at)
{
	uint64_t off = at;
	uint8_t pad[65536 + 8];

	memset(pad, 0x5a, sizeof(pad));
	for (size_t i = 0; i <= s->nr_notes; i++) {
		const char *name;
		const void *desc;
		uint32_t type, size;

		if (i < s->nr_notes) {
			name = s->notes[i].name;
			type = s->notes[i].type;
			size = s->notes[i].size;
			desc = pad;
		} else if (s->vmcoreinfo[0]) {
			name = "VMCOREINFO";
			type = 0;
			size = (uint32_t)strlen(s->vmcoreinfo);
			desc = s->vmcoreinfo;
		} else {
			break;
		}
		uint32_t namesz = (uint32_t)strlen(name) + 1;
		uint8_t zero[4] = { 0 };

		o->note_off[o->nr_note_off++] = off;
		put_le(o, off, namesz, 4);
		put_le(o, off + 4, size, 4);
		put_le(o, off + 8, type, 4);
		off += 12;
		put(o, off, name, namesz);
		put(o, off + namesz, zero, (4 - namesz % 4) % 4);
		off += (namesz + 3) & ~3u;
		put(o, off, desc, size);
		put(o, off + size, zero, (4 - size % 4) % 4);
		off += (size + 3) & ~3u;
	}
	return (size_t)(off - at);
}

/* Whether this file holds pfn's descriptor and data. */
static int in_part(const struct spec *s, uint64_t pfn)
{
	return !s->split || (s->split_start <= pfn && pfn < s->split_end);
}

static void build_kdump(struct spec *s, struct out *o)
{
	uint32_t bs = s->block_size ? s->block_size : 4096;
	uint64_t maxpfn = 0;
	uint8_t h[464] = { 0 };

	if (bs < 512 || bs > (1 << 20))
		die(s, "block_size for layout must be 512..1M (poke for more)");
	o->bs = bs;
	for (uint64_t p = 0; p < MAXN * 8; p++)
		if (s->ram[p / 8] >> (p % 8) & 1)
			maxpfn = p + 1;
	uint64_t mapnr = s->max_mapnr ? s->max_mapnr : maxpfn;

	if (mapnr > MAXN * 8)
		die(s, "max_mapnr for layout must be <= %d (poke for more)",
		    MAXN * 8);
	/* sub-header: struct (104 bytes), VMCOREINFO, notes (which, as in
	 * makedumpfile's copy of /proc/vmcore's notes, repeat VMCOREINFO) */
	uint64_t sub = bs, vmci = sub + 104, vlen = strlen(s->vmcoreinfo);
	uint64_t noff = vmci + vlen;

	o->sub = sub;
	put(o, vmci, s->vmcoreinfo, vlen);
	o->notes = noff;
	size_t nlen = put_notes(s, o, noff);
	uint64_t sub_blocks = (104 + vlen + nlen + bs - 1) / bs;
	uint64_t bm = bs * (1 + sub_blocks);
	uint64_t half_blocks = ((mapnr + 7) / 8 + bs - 1) / bs;

	if (!half_blocks)
		half_blocks = 1;
	size_t half = (size_t)(half_blocks * bs);
	uint8_t *bm2 = calloc(half, 1);
	size_t ndesc = 0;

	if (!bm2)
		die(s, "out of memory");
	for (size_t i = 0; i < s->nr_pages; i++) {
		set_bit(bm2, s->pages[i].pfn);
		if (!s->pages[i].nodesc && in_part(s, s->pages[i].pfn))
			ndesc++;
	}
	/* bits at or above max_mapnr stay out of both bitmaps */
	uint8_t *bm1 = calloc(half, 1);

	if (!bm1)
		die(s, "out of memory");
	for (uint64_t p = 0; p < mapnr && p < MAXN * 8; p++) {
		if (s->ram[p / 8] >> (p % 8) & 1)
			set_bit(bm1, p);
	}
	for (uint64_t p = mapnr; p < (uint64_t)half * 8; p++)
		bm2[p / 8] &= (uint8_t)~(1u << (p % 8));
	put(o, bm, bm1, half);
	put(o, bm + half, bm2, half);
	free(bm1);
	free(bm2);

	uint64_t desc = bm + 2 * (uint64_t)half;
	uint64_t data = desc + ndesc * 24, d = desc;
	uint8_t *page = malloc(bs), *z = malloc(2 * bs + 1024);

	o->desc = desc;
	if (!page || !z)
		die(s, "out of memory");
	for (size_t i = 0; i < s->nr_pages; i++) {
		const struct page *pg = &s->pages[i];
		uint32_t flag;
		size_t n;

		if (pg->nodesc || !in_part(s, pg->pfn))
			continue;
		fill_content(s, pg->content, pg->pfn, page, bs);
		n = compress_page(s, pg->method, page, bs, z, 2 * bs + 1024,
				  &flag);
		put_le(o, d, data, 8);
		put_le(o, d + 8, n, 4);
		put_le(o, d + 12, flag, 4);
		put_le(o, d + 16, 0, 8);
		d += 24;
		put(o, data, z, n);
		data += n;
	}
	free(page);
	free(z);

	memcpy(h, "KDUMP   ", 8);
	put(o, 0, h, sizeof(h));
	put_le(o, 8, s->header_version ? s->header_version : 6, 4);
	for (int i = 0; i < 6; i++)
		put(o, 12 + 65 * (uint64_t)i, s->uts[i], 65);
	put_le(o, 408, (uint64_t)s->timestamp, 8);
	put_le(o, 424, s->status, 4);
	put_le(o, 428, bs, 4);
	put_le(o, 432, sub_blocks, 4);
	put_le(o, 436, 2 * half_blocks, 4);
	put_le(o, 440, mapnr, 4);
	put_le(o, 460, (uint64_t)(s->nr_cpus ? s->nr_cpus : 1), 4);
	put_le(o, sub + 8, (uint64_t)s->dump_level, 4);
	put_le(o, sub + 32, vlen ? vmci : 0, 8);
	put_le(o, sub + 40, vlen, 8);
	put_le(o, sub + 48, nlen ? noff : 0, 8);
	put_le(o, sub + 56, nlen, 8);
	put_le(o, sub + 96, mapnr, 8);
	if (s->split) {
		put_le(o, sub + 12, 1, 4);
		put_le(o, sub + 16, s->split_start, 8);
		put_le(o, sub + 24, s->split_end, 8);
		put_le(o, sub + 80, s->split_start, 8);
		put_le(o, sub + 88, s->split_end, 8);
	}
}

static void build_elf(struct spec *s, struct out *o)
{
	size_t nph = 1 + s->nr_loads;
	uint64_t phoff = 64, noff = phoff + nph * 56;
	size_t nlen;

	o->ehdr = 0;
	o->phdr = phoff;
	o->notes = noff;
	nlen = put_notes(s, o, noff);
	uint64_t data = (noff + nlen + 4095) & ~4095ull;

	Elf64_Ehdr eh = { 0 };

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = phoff;
	eh.e_ehsize = 64;
	eh.e_phentsize = 56;
	eh.e_phnum = (uint16_t)nph;
	put(o, 0, &eh, sizeof(eh));

	Elf64_Phdr ph = { .p_type = PT_NOTE, .p_offset = noff,
			  .p_filesz = nlen, .p_memsz = nlen };

	put(o, phoff, &ph, sizeof(ph));
	for (size_t i = 0; i < s->nr_loads; i++) {
		const struct load *l = &s->loads[i];
		uint8_t *buf = malloc(l->filesz ? l->filesz : 1);

		if (!buf)
			die(s, "out of memory");
		for (uint64_t off = 0; off < l->filesz; off += 4096)
			fill_content(s, l->content, (l->paddr + off) / 4096,
				     buf + off, l->filesz - off < 4096 ?
				     (size_t)(l->filesz - off) : 4096);
		ph = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = data,
				   .p_paddr = l->paddr, .p_filesz = l->filesz,
				   .p_memsz = l->memsz };
		put(o, phoff + 56 * (i + 1), &ph, sizeof(ph));
		put(o, data, buf, l->filesz);
		data += l->filesz;
		free(buf);
	}
}

struct field {
	const char *name;
	int region;                /* 0 file, 1 sub, 2 desc.N, 3 ehdr,
				      4 phdr.N, 5 note.N */
	unsigned off, width;
};

static const struct field fields[] = {
	{ "header.version", 0, 8, 4 }, { "header.status", 0, 424, 4 },
	{ "header.block_size", 0, 428, 4 }, { "header.sub_hdr_size", 0, 432, 4 },
	{ "header.bitmap_blocks", 0, 436, 4 }, { "header.max_mapnr", 0, 440, 4 },
	{ "header.nr_cpus", 0, 460, 4 },
	/* where a 32-bit writer's header has them */
	{ "header32.block_size", 0, 416, 4 },
	{ "header32.bitmap_blocks", 0, 424, 4 },
	{ "header32.max_mapnr", 0, 428, 4 },
	{ "sub.dump_level", 1, 8, 4 }, { "sub.split", 1, 12, 4 },
	{ "sub.start_pfn", 1, 16, 8 }, { "sub.end_pfn", 1, 24, 8 },
	{ "sub.start_pfn_64", 1, 80, 8 }, { "sub.end_pfn_64", 1, 88, 8 },
	{ "sub.offset_vmcoreinfo", 1, 32, 8 }, { "sub.size_vmcoreinfo", 1, 40, 8 },
	{ "sub.offset_note", 1, 48, 8 }, { "sub.size_note", 1, 56, 8 },
	{ "sub.max_mapnr_64", 1, 96, 8 },
	{ "offset", 2, 0, 8 }, { "size", 2, 8, 4 }, { "flags", 2, 12, 4 },
	{ "ehdr.ei_class", 3, 4, 1 }, { "ehdr.ei_data", 3, 5, 1 },
	{ "ehdr.e_machine", 3, 18, 2 },
	{ "ehdr.e_phoff", 3, 32, 8 }, { "ehdr.e_shoff", 3, 40, 8 },
	{ "ehdr.e_phentsize", 3, 54, 2 }, { "ehdr.e_phnum", 3, 56, 2 },
	{ "p_type", 4, 0, 4 }, { "p_offset", 4, 8, 8 }, { "p_paddr", 4, 24, 8 },
	{ "p_filesz", 4, 32, 8 }, { "p_memsz", 4, 40, 8 },
	{ "namesz", 5, 0, 4 }, { "descsz", 5, 4, 4 },
};

static void do_poke(const struct spec *s, struct out *o, const struct poke *pk)
{
	char name[64];
	const char *leaf = pk->field;
	long idx = -1;
	int region = -1;

	if (!strncmp(pk->field, "desc.", 5) || !strncmp(pk->field, "phdr.", 5) ||
	    !strncmp(pk->field, "note.", 5)) {
		char *dot;

		idx = strtol(pk->field + 5, &dot, 10);
		if (*dot != '.' || idx < 0)
			die(s, "poke %s: PART.N.FIELD", pk->field);
		leaf = dot + 1;
		region = pk->field[0] == 'd' ? 2 : pk->field[0] == 'p' ? 4 : 5;
	}
	snprintf(name, sizeof(name), "%s", leaf);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];
		uint64_t base;

		if (strcmp(f->name, name) || (region >= 0 && f->region != region))
			continue;
		switch (f->region) {
		case 0: base = 0; break;
		case 1: base = o->sub; break;
		case 2: base = o->desc + 24 * (uint64_t)idx; break;
		case 3: base = o->ehdr; break;
		case 4: base = o->phdr + 56 * (uint64_t)idx; break;
		default:
			if ((size_t)idx >= o->nr_note_off)
				die(s, "poke %s: no such note", pk->field);
			base = o->note_off[idx];
		}
		put_le(o, base + f->off, pk->value, (int)f->width);
		return;
	}
	die(s, "poke: unknown field '%s'", pk->field);
}

static void write_be(FILE *f, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		fputc((int)(v >> (8 * i)) & 0xff, f);
}

int main(int argc, char **argv)
{
	static struct spec s;
	struct out o = { 0 };
	FILE *in, *out;

	if (argc != 3) {
		fprintf(stderr, "usage: mkdiskdump SPEC OUT\n");
		return 2;
	}
	s.file = argv[1];
	s.ram = calloc(MAXN, 1);
	in = fopen(argv[1], "r");
	if (!in || !s.ram) {
		perror(argv[1]);
		return 1;
	}
	strcpy(s.format, "kdump");
	s.truncate = -1;
	parse(&s, in);
	fclose(in);
	s.line = 0;

	int flat = !strcmp(s.format, "flat");

	if (!strcmp(s.format, "elf"))
		build_elf(&s, &o);
	else if (flat || !strcmp(s.format, "kdump"))
		build_kdump(&s, &o);
	else
		die(&s, "format must be kdump, flat or elf");
	for (size_t i = 0; i < s.nr_pokes; i++)
		do_poke(&s, &o, &s.pokes[i]);

	out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	if (flat) {
		/* 4096-byte header, records of flatrec bytes, end marker;
		 * a truncate cuts the stream, not the logical file */
		uint64_t rec = s.flatrec ? s.flatrec : 4096;
		FILE *mem;
		char *buf = NULL;
		size_t blen = 0;

		mem = open_memstream(&buf, &blen);
		fwrite("makedumpfile\0\0\0\0", 1, 16, mem);
		write_be(mem, 1);
		write_be(mem, 1);
		for (int i = 32; i < 4096; i++)
			fputc(0, mem);
		size_t nrec = (size_t)((o.len + rec - 1) / rec);
		size_t *order = calloc(nrec ? nrec : 1, sizeof(*order));
		uint64_t seed = s.flatshuffle;

		if (!order)
			die(&s, "out of memory");
		for (size_t i = 0; i < nrec; i++)
			order[i] = i;
		if (seed) {
			/* junk records (odd offsets and sizes, overlapping
			 * several real ones) that the real records overwrite */
			for (size_t i = 0; i < nrec; i++) {
				seed = seed * 6364136223846793005ull + 1;
				uint64_t off = (seed >> 20) % o.len;
				uint64_t n = 1 + (seed >> 40) % (2 * rec);

				if (n > o.len - off)
					n = o.len - off;
				write_be(mem, off);
				write_be(mem, n);
				for (uint64_t j = 0; j < n; j++)
					fputc(0xee, mem);
			}
			for (size_t i = nrec; i > 1; i--) {
				seed = seed * 6364136223846793005ull + 1;
				size_t j = (size_t)((seed >> 33) % i), t;

				t = order[i - 1];
				order[i - 1] = order[j];
				order[j] = t;
			}
		}
		for (size_t i = 0; i < nrec; i++) {
			uint64_t off = order[i] * rec;
			uint64_t n = o.len - off < rec ? o.len - off : rec;

			write_be(mem, off);
			write_be(mem, n);
			fwrite(o.b + off, 1, (size_t)n, mem);
		}
		free(order);
		write_be(mem, UINT64_MAX);
		write_be(mem, UINT64_MAX);
		fclose(mem);
		if (s.truncate >= 0 && (size_t)s.truncate < blen)
			blen = (size_t)s.truncate;
		fwrite(buf, 1, blen, out);
		free(buf);
	} else {
		size_t n = o.len;

		if (s.truncate >= 0 && (size_t)s.truncate < n)
			n = (size_t)s.truncate;
		fwrite(o.b, 1, n, out);
	}
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	free(o.b);
	free(s.ram);
	return 0;
}
