// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_elf: the ELF layer (common/elf/) against binutils on the fixture
 * corpus, and on small ELF files this test writes byte by byte (both byte
 * orders, both classes) for the paths a damaged file takes.
 *
 * References, never our own output:
 *   nm --defined-only FILE     every symbol: value, letter, name
 *   readelf -n FILE            the build-id
 *   readelf --debug-dump=aranges crashmod.ko
 *                              address ranges as relocated with every
 *                              section at 0 (readelf relocates ET_REL)
 * Run from the source root; TAP output.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/elffile.h"
#include "rd.h"
#include "types/lines.h"

static int ntest, nfail;

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%s %d - ", cond ? "ok" : "not ok", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void skip(const char *why)
{
	printf("ok %d - # SKIP %s\n", ++ntest, why);
}

static char *fixture(const char *spec)
{
	char cmd[512], buf[4096];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "tests/fixture.sh %s 2>/dev/null", spec);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	if (!fgets(buf, sizeof(buf), p)) {
		pclose(p);
		return NULL;
	}
	if (pclose(p) != 0)
		return NULL;
	buf[strcspn(buf, "\n")] = 0;
	return access(buf, R_OK) == 0 ? strdup(buf) : NULL;
}

/* ---- symbols against nm ---- */

struct line {
	char s[300];
};

struct lines {
	struct line *v;
	size_t n, cap;
};

static void add_line(struct lines *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
	}
	snprintf(l->v[l->n++].s, sizeof(l->v[0].s), "%s", s);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(((const struct line *)a)->s, ((const struct line *)b)->s);
}

static int sym_line(void *arg, const char *name, uint64_t value, uint64_t size,
		    char type, unsigned shndx, const char *secname)
{
	char s[300];

	snprintf(s, sizeof(s), "%016" PRIx64 " %c %s", value, type, name);
	add_line(arg, s);
	return 0;
}

static void check_nm(const char *path, const char *label)
{
	struct lines ours = { 0 }, ref = { 0 };
	struct vm_elffile *f;
	struct vm_err e;
	char cmd[4200], buf[400];
	size_t i, diff = 0;
	FILE *p;

	f = vm_elffile_open(path, &e);
	ok(f != NULL, "%s opens: %s", label, f ? "yes" : e.msg);
	if (!f)
		return;
	ok(vm_elffile_each_symbol(f, sym_line, &ours, &e) == 0, "%s: symbols read", label);
	vm_elffile_close(f);
	snprintf(cmd, sizeof(cmd), "nm --defined-only '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	while (p && fgets(buf, sizeof(buf), p)) {
		buf[strcspn(buf, "\n")] = 0;
		add_line(&ref, buf);
	}
	if (!p || pclose(p) != 0 || !ref.n) {
		skip("nm failed");
		goto out;
	}
	qsort(ours.v, ours.n, sizeof(*ours.v), cmp_line);
	qsort(ref.v, ref.n, sizeof(*ref.v), cmp_line);
	for (i = 0; i < ours.n && i < ref.n; i++)
		if (strcmp(ours.v[i].s, ref.v[i].s)) {
			if (!diff)
				printf("# first difference: ours '%s', nm '%s'\n",
				       ours.v[i].s, ref.v[i].s);
			diff++;
		}
	ok(ours.n == ref.n && !diff, "%s: %zu symbols, as nm lists them (%zu, %zu differ)",
	   label, ours.n, ref.n, diff);
out:
	free(ours.v);
	free(ref.v);
}

static void check_build_id(const char *path, const char *label)
{
	struct vm_elffile *f;
	struct vm_err e;
	char cmd[4200], buf[400], want[200] = "", hex[200];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf -n '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	while (p && fgets(buf, sizeof(buf), p)) {
		char *b = strstr(buf, "Build ID: ");

		if (b)
			sscanf(b + 10, "%199s", want);
	}
	if (p)
		pclose(p);
	if (!want[0]) {
		skip("readelf shows no build-id");
		return;
	}
	f = vm_elffile_open(path, &e);
	if (!f) {
		ok(0, "%s opens: %s", label, e.msg);
		return;
	}
	vm_elffile_build_id_hex(f, hex, sizeof(hex));
	ok(!strcmp(hex, want), "%s: build-id %s, readelf says %s", label, hex, want);
	vm_elffile_close(f);
}

/* ---- .debug_aranges of a .ko: relocated, placed ---- */

struct ranges {
	uint64_t lo[64], len[64];
	unsigned n;
};

/* DWARF 2-5 .debug_aranges with 32-bit lengths and 8-byte addresses. */
static void parse_aranges(const uint8_t *d, size_t n, bool le, struct ranges *r)
{
	size_t off = 0;

	r->n = 0;
	while (n - off >= 16) {
		uint32_t len = vm_rd32(d + off, le);
		size_t end = off + 4 + len, t = off + 16;

		if (len < 12 || end > n || d[off + 10] != 8)
			break;
		for (; t + 16 <= end && r->n < 64; t += 16) {
			r->lo[r->n] = vm_rd64(d + t, le);
			r->len[r->n] = vm_rd64(d + t + 8, le);
			r->n++;
		}
		off = end;
	}
}

static void check_place(const char *ko)
{
	const uint64_t base = 0xffffffffc0a00000ull;
	struct ranges un, pl, ref = { .n = 0 };
	struct vm_elffile *f;
	uint64_t v;
	const uint8_t *d;
	size_t n;
	struct vm_err e;
	char cmd[4200], buf[400];
	unsigned i, bad = 0;
	FILE *p;

	f = vm_elffile_open(ko, &e);
	if (!f || vm_elffile_sec_data_named(f, ".debug_aranges", &d, &n, &e) < 0) {
		ok(0, "crashmod.ko .debug_aranges: %s", e.msg);
		vm_elffile_close(f);
		return;
	}
	parse_aranges(d, n, vm_elffile_le(f), &un);
	ok(vm_elffile_sec_place(f, 3, base, &e) < 0 && e.code == VM_EINVAL,
	   "placing a section after relocations were applied: refused (%s)", e.msg);
	vm_elffile_close(f);

	snprintf(cmd, sizeof(cmd), "readelf --debug-dump=aranges '%s' 2>/dev/null", ko);
	p = popen(cmd, "r");
	while (p && fgets(buf, sizeof(buf), p)) {
		unsigned long long a, l;

		if (sscanf(buf, " %16llx %16llx", &a, &l) == 2 && ref.n < 64 &&
		    strlen(buf) > 30) {
			ref.lo[ref.n] = a;
			ref.len[ref.n++] = l;
		}
	}
	if (p)
		pclose(p);
	for (i = 0; i < un.n && i < ref.n; i++)
		if (un.lo[i] != ref.lo[i] || un.len[i] != ref.len[i])
			bad++;
	ok(un.n && un.n == ref.n && !bad,
	   "crashmod.ko .debug_aranges relocated at 0: %u ranges as readelf (%u), %u differ",
	   un.n, ref.n, bad);

	/* every allocated section at base: each range moves by base (the
	 * symbols read first, as a caller finding sections by symbol does) */
	f = vm_elffile_open(ko, &e);
	if (f)
		vm_elffile_symbol(f, "crashmod_init", &v, NULL, &e);
	for (i = 1; f && i < vm_elffile_nsec(f); i++)
		if ((vm_elffile_sec(f, i)->flags & SHF_ALLOC) &&
		    vm_elffile_sec_place(f, i, base, &e) < 0)
			break;
	if (!f || vm_elffile_sec_data_named(f, ".debug_aranges", &d, &n, &e) < 0) {
		ok(0, "placed crashmod.ko: %s", e.msg);
		vm_elffile_close(f);
		return;
	}
	parse_aranges(d, n, vm_elffile_le(f), &pl);
	bad = 0;
	for (i = 0; i < un.n && i < pl.n; i++)
		if (pl.len[i] != un.len[i] ||
		    pl.lo[i] != (un.len[i] || un.lo[i] ? un.lo[i] + base : 0))
			bad++;
	ok(pl.n == un.n && !bad && vm_elffile_sec(f, 3)->addr == base,
	   "sections placed at %#" PRIx64 ": every range moved by it (%u differ)",
	   base, bad);
	vm_elffile_close(f);
}

/* ---- a .ko's line table with its sections placed ---- */

/* Offsets that start exactly one row in the whole module's line table
 * (readelf --debug-dump=decodedline): at those, no tool's choice among
 * several rows at one address matters. */
static int unique_rows(const char *ko, uint64_t *v, int max)
{
	char cmd[4200], buf[600];
	uint64_t all[4096];
	int n = 0, u = 0, i, j;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf --debug-dump=decodedline '%s' 2>/dev/null", ko);
	p = popen(cmd, "r");
	while (p && fgets(buf, sizeof(buf), p) && n < 4096) {
		char f[300], a[40];
		unsigned line;

		if (sscanf(buf, "%299s %u %39s", f, &line, a) == 3 && !strncmp(a, "0x", 2))
			all[n++] = strtoull(a, NULL, 16);
	}
	if (p)
		pclose(p);
	for (i = 0; i < n && u < max; i++) {
		int c = 0;

		for (j = 0; j < n; j++)
			c += all[j] == all[i];
		if (c == 1)
			v[u++] = all[i];
	}
	return u;
}

/*
 * Every allocated section of crashmod.ko at its own base, as a module's
 * sections are in memory.  objdump -d -l of each text section names the
 * source line where it changes; at the offsets that start one row only,
 * the line at base + offset must be objdump's.  Without the placement the
 * sections overlap at 0 and the answer could come from any of them.
 */
static void check_ko_lines(const char *ko)
{
	const uint64_t base = 0xffffffffc0200000ull, step = 0x10000;
	uint64_t uniq[4096];
	int nuniq = unique_rows(ko, uniq, 4096);
	struct vm_elffile *f = vm_elffile_open(ko, NULL);
	struct vm_lines *l;
	struct vm_err e;
	unsigned i, same = 0, asked = 0;

	if (!f || nuniq == 0) {
		skip("crashmod.ko or readelf's line table unavailable");
		vm_elffile_close(f);
		return;
	}
	for (i = 1; i < vm_elffile_nsec(f); i++)
		if ((vm_elffile_sec(f, i)->flags & SHF_ALLOC) &&
		    vm_elffile_sec_place(f, i, base + i * step, &e) < 0)
			break;
	/* f belongs to l from here; it stays valid until vm_lines_close */
	l = vm_lines_open_elf(f, false, &e);
	if (!l) {
		ok(0, "crashmod.ko placed: line tables: %s", e.msg);
		return;
	}
	for (i = 1; i < vm_elffile_nsec(f); i++) {
		const struct vm_elfsec *sec = vm_elffile_sec(f, i);
		char cmd[4400], buf[600], want[600] = "";
		FILE *p;

		if (!(sec->flags & SHF_EXECINSTR) || !strncmp(sec->name, ".init", 5))
			continue;
		snprintf(cmd, sizeof(cmd), "objdump -d -l --section=%s '%s' 2>/dev/null",
			 sec->name, ko);
		p = popen(cmd, "r");
		while (p && fgets(buf, sizeof(buf), p)) {
			unsigned long long a;
			struct vm_line row;
			char got[600];
			int k;

			if (buf[0] == '/') {        /* "/path/file.c:NN" */
				snprintf(want, sizeof(want), "%s", buf);
				want[strcspn(want, " \n")] = 0;
				continue;
			}
			if (!want[0] || sscanf(buf, " %llx:", &a) != 1 || !strchr(buf, '\t'))
				continue;
			for (k = 0; k < nuniq && uniq[k] != a; k++)
				;
			if (k < nuniq) {
				asked++;
				if (vm_lines_addr(l, base + i * step + a, &row, &e) == 1) {
					snprintf(got, sizeof(got), "%s:%u", row.file, row.line);
					if (!strcmp(got, want))
						same++;
					else
						printf("# %s+%#llx: %s, objdump %s\n", sec->name,
						       a, got, want);
				}
			}
			want[0] = 0;        /* only the first address after a change */
		}
		if (p)
			pclose(p);
	}
	ok(asked >= 10 && same == asked,
	   "crashmod.ko with its sections placed: the line at %u run-time addresses "
	   "is objdump's (%u equal)", asked, same);
	vm_lines_close(l);
}

/* ---- small ELF files written here ---- */

struct xsec {
	const char *name;
	uint32_t type, link, info;
	uint64_t flags, addr, entsize;
	const void *data;
	size_t size;
};

/* An ELF file of the given class and byte order: header, section data,
 * .shstrtab, section headers.  Returns its size; buf holds it. */
static size_t mkelf(uint8_t *buf, size_t cap, bool is64, bool le, uint16_t type,
		    const struct xsec *sec, unsigned nsec)
{
	size_t ehsz = is64 ? 64 : 52, shsz = is64 ? 64 : 40;
	size_t off = ehsz, shoff, names = 0, nameoff[16], dataoff[16];
	char shstr[512] = "";
	unsigned i, n = nsec + 2;     /* + the null section + .shstrtab */

	memset(buf, 0, cap);
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = is64 ? ELFCLASS64 : ELFCLASS32;
	buf[EI_DATA] = le ? ELFDATA2LSB : ELFDATA2MSB;
	buf[EI_VERSION] = EV_CURRENT;
	vm_wr16(buf + 16, type, le);
	vm_wr16(buf + 18, is64 ? EM_X86_64 : EM_386, le);
	names = 1;
	for (i = 0; i < nsec; i++) {
		nameoff[i] = names;
		strcpy(shstr + names, sec[i].name);
		names += strlen(sec[i].name) + 1;
	}
	nameoff[nsec] = names;
	strcpy(shstr + names, ".shstrtab");
	names += 10;
	for (i = 0; i < nsec; i++) {
		off = (off + 7) & ~(size_t)7;
		if (sec[i].data)
			memcpy(buf + off, sec[i].data, sec[i].size);
		dataoff[i] = off;
		off += sec[i].data ? sec[i].size : 0;
	}
	memcpy(buf + off, shstr, names);
	shoff = (off + names + 7) & ~(size_t)7;
	for (i = 0; i < n; i++) {
		uint8_t *s = buf + shoff + i * shsz;
		const struct xsec *x = i && i <= nsec ? &sec[i - 1] : NULL;
		uint64_t o = x ? dataoff[i - 1] : i ? off : 0;
		uint64_t sz = x ? x->size : i ? names : 0;

		if (i == 0)
			continue;
		vm_wr32(s, (uint32_t)nameoff[i - 1], le);
		vm_wr32(s + 4, x ? x->type : SHT_STRTAB, le);
		if (is64) {
			vm_wr64(s + 8, x ? x->flags : 0, le);
			vm_wr64(s + 0x10, x ? x->addr : 0, le);
			vm_wr64(s + 0x18, o, le);
			vm_wr64(s + 0x20, sz, le);
			vm_wr32(s + 0x28, x ? x->link : 0, le);
			vm_wr32(s + 0x2c, x ? x->info : 0, le);
			vm_wr64(s + 0x38, x ? x->entsize : 0, le);
		} else {
			vm_wr32(s + 8, (uint32_t)(x ? x->flags : 0), le);
			vm_wr32(s + 0xc, (uint32_t)(x ? x->addr : 0), le);
			vm_wr32(s + 0x10, (uint32_t)o, le);
			vm_wr32(s + 0x14, (uint32_t)sz, le);
			vm_wr32(s + 0x18, x ? x->link : 0, le);
			vm_wr32(s + 0x1c, x ? x->info : 0, le);
			vm_wr32(s + 0x24, (uint32_t)(x ? x->entsize : 0), le);
		}
	}
	if (is64) {
		vm_wr64(buf + 0x28, shoff, le);
		vm_wr16(buf + 0x34, (uint16_t)ehsz, le);
		vm_wr16(buf + 0x3a, (uint16_t)shsz, le);
		vm_wr16(buf + 0x3c, (uint16_t)n, le);
		vm_wr16(buf + 0x3e, (uint16_t)(n - 1), le);
	} else {
		vm_wr32(buf + 0x20, (uint32_t)shoff, le);
		vm_wr16(buf + 0x28, (uint16_t)ehsz, le);
		vm_wr16(buf + 0x2e, (uint16_t)shsz, le);
		vm_wr16(buf + 0x30, (uint16_t)n, le);
		vm_wr16(buf + 0x32, (uint16_t)(n - 1), le);
	}
	return shoff + n * shsz;
}

static char tmpdir[64];

static const char *put(const char *name, const uint8_t *b, size_t n)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (f) {
		fwrite(b, 1, n, f);
		fclose(f);
	}
	return path;
}

struct onesym {
	char name[32], type;
	uint64_t value, size;
	unsigned shndx;
	const char *sec;
	int count;
};

static int one_sym(void *arg, const char *name, uint64_t value, uint64_t size,
		   char type, unsigned shndx, const char *secname)
{
	struct onesym *o = arg;

	if (!o->count++) {
		snprintf(o->name, sizeof(o->name), "%s", name);
		o->type = type;
		o->value = value;
		o->size = size;
		o->shndx = shndx;
		o->sec = secname;
	}
	return 0;
}

/* A .text, a .symtab with one global function in it, a .strtab, a
 * GNU build-id note; every field in the class and order asked for. */
static void check_orders(void)
{
	static uint8_t buf[4096];
	static const uint8_t text[16] = { 0x90 };
	unsigned c;

	for (c = 0; c < 4; c++) {
		bool is64 = c & 1, le = c & 2;
		const char *what = is64 ? (le ? "ELF64 LSB" : "ELF64 MSB")
					: (le ? "ELF32 LSB" : "ELF32 MSB");
		uint8_t sym[48] = { 0 }, note[12 + 4 + 8];
		static const char str[] = "\0my_func";
		struct xsec s[4] = {
			{ ".text", SHT_PROGBITS, 0, 0, SHF_ALLOC | SHF_EXECINSTR,
			  0x1000, 0, text, sizeof(text) },
			{ ".symtab", SHT_SYMTAB, 3, 1, 0, 0, is64 ? 24 : 16, sym,
			  is64 ? 48 : 32 },
			{ ".strtab", SHT_STRTAB, 0, 0, 0, 0, 0, str, sizeof(str) },
			{ ".note.gnu.build-id", SHT_NOTE, 0, 0, SHF_ALLOC, 0, 0, note,
			  sizeof(note) },
		};
		uint8_t *y = sym + (is64 ? 24 : 16);
		struct onesym o = { .count = 0 };
		struct vm_elffile *f;
		struct vm_err e;
		char hex[140];
		uint8_t got[4];
		size_t n;

		vm_wr32(y, 1, le);
		if (is64) {
			y[4] = STB_GLOBAL << 4 | STT_FUNC;
			vm_wr16(y + 6, 1, le);
			vm_wr64(y + 8, 0x1004, le);
			vm_wr64(y + 16, 12, le);
		} else {
			vm_wr32(y + 4, 0x1004, le);
			vm_wr32(y + 8, 12, le);
			y[12] = STB_GLOBAL << 4 | STT_FUNC;
			vm_wr16(y + 14, 1, le);
		}
		vm_wr32(note, 4, le);
		vm_wr32(note + 4, 8, le);
		vm_wr32(note + 8, NT_GNU_BUILD_ID, le);
		memcpy(note + 12, "GNU", 4);
		memcpy(note + 16, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
		n = mkelf(buf, sizeof(buf), is64, le, ET_EXEC, s, 4);
		f = vm_elffile_open(put("order.elf", buf, n), &e);
		if (!f) {
			ok(0, "%s: opens: %s", what, e.msg);
			continue;
		}
		vm_elffile_each_symbol(f, one_sym, &o, &e);
		ok(o.count == 1 && !strcmp(o.name, "my_func") && o.type == 'T' &&
		   o.value == 0x1004 && o.size == 12 && o.shndx == 1 &&
		   !strcmp(o.sec, ".text"),
		   "%s: symbol %s %c %#" PRIx64 " size %" PRIu64 " in %s", what,
		   o.name, o.type, o.value, o.size, o.sec ? o.sec : "?");
		vm_elffile_build_id_hex(f, hex, sizeof(hex));
		ok(!strcmp(hex, "0123456789abcdef"), "%s: build-id %s", what, hex);
		ok(vm_elffile_read(f, 0x1000, got, 4, &e) == 0 && got[0] == 0x90 &&
		   vm_elffile_read(f, 0x100e, got, 4, &e) < 0 && e.code == VM_ENOENT &&
		   vm_elffile_read(f, 0x2000, got, 1, &e) < 0,
		   "%s: reads by address inside .text only", what);
		ok(vm_elffile_sec_place(f, 1, 0, &e) < 0 && e.code == VM_EINVAL,
		   "%s: an ET_EXEC's sections cannot be placed (%s)", what, e.msg);
		vm_elffile_close(f);
	}
}

/* Damaged files: a clear error, never a crash or a wrong answer. */
static void check_damaged(void)
{
	static uint8_t buf[4096], b2[4096];
	static const uint8_t data[32];
	struct xsec s[2] = {
		{ ".debug_info", SHT_PROGBITS, 0, 0, SHF_COMPRESSED, 0, 0, data, sizeof(data) },
		{ ".symtab", SHT_SYMTAB, 1, 0, 0, 0, 24, data, sizeof(data) },
	};
	struct vm_elffile *f;
	const uint8_t *d;
	struct vm_err e;
	uint64_t v;
	size_t n, len;

	len = mkelf(buf, sizeof(buf), true, true, ET_REL, s, 2);

	/* a compressed section claiming 1 TiB in 8 bytes of zlib */
	memcpy(b2, buf, len);
	vm_wr32(b2 + 64, ELFCOMPRESS_ZLIB, true);
	vm_wr64(b2 + 64 + 8, 1ull << 40, true);
	f = vm_elffile_open(put("z.elf", b2, len), &e);
	ok(f && vm_elffile_sec_data(f, 1, &d, &n, &e) < 0 && strstr(e.msg, "implausible"),
	   "compressed section with an implausible size: %s", f ? e.msg : "not opened");
	ok(f && vm_elffile_sec_size(f, 1, &v, &e) == 0 && v == 1ull << 40,
	   "... its size is what the header says, without inflating");
	vm_elffile_close(f);

	/* .symtab whose sh_link names a section that is no string table */
	f = vm_elffile_open(put("link.elf", buf, len), &e);
	ok(f && vm_elffile_symbol(f, "x", &v, NULL, &e) < 0 && strstr(e.msg, "string table"),
	   "symbol table linked to a non-string-table: %s", f ? e.msg : "not opened");
	vm_elffile_close(f);

	/* a section whose data lies past the end of the file */
	memcpy(b2, buf, len);
	{
		uint64_t shoff = vm_le64(b2 + 0x28);

		vm_wr64(b2 + shoff + 64 + 0x18, 1u << 20, true);
	}
	f = vm_elffile_open(put("past.elf", b2, len), &e);
	ok(f && vm_elffile_sec_data(f, 1, &d, &n, &e) < 0 && e.code == VM_ETRUNC,
	   "section past the end of the file: %s", f ? e.msg : "not opened");
	vm_elffile_close(f);

	/* section headers: wrong entry size, too many, header cut */
	memcpy(b2, buf, len);
	vm_wr16(b2 + 0x3a, 63, true);
	f = vm_elffile_open(put("shent.elf", b2, len), &e);
	ok(!f && strstr(e.msg, "section header size"), "e_shentsize 63: %s", e.msg);
	memcpy(b2, buf, len);
	vm_wr16(b2 + 0x3c, 0xffff, true);
	f = vm_elffile_open(put("shnum.elf", b2, len), &e);
	ok(!f && e.code == VM_ETRUNC, "e_shnum past the file: %s", e.msg);
	f = vm_elffile_open(put("short.elf", buf, 40), &e);
	ok(!f && e.code == VM_ETRUNC, "ELF header cut at 40 bytes: %s", e.msg);
	memcpy(b2, buf, len);
	b2[EI_DATA] = 7;
	f = vm_elffile_open(put("data.elf", b2, len), &e);
	ok(!f && strstr(e.msg, "data encoding"), "EI_DATA 7: %s", e.msg);
	memcpy(b2, buf, len);
	vm_wr16(b2 + 0x3e, 40, true);
	f = vm_elffile_open(put("shstrndx.elf", b2, len), &e);
	ok(!f && strstr(e.msg, "e_shstrndx"), "e_shstrndx out of range: %s", e.msg);
}

/* Notes: a build-id longer than any GNU one, a note whose sizes run past
 * its section. */
static void check_notes(void)
{
	static uint8_t buf[4096], note[12 + 4 + 68 + 12 + 4];
	struct xsec s[1] = {
		{ ".notes", SHT_NOTE, 0, 0, SHF_ALLOC, 0, 0, note, sizeof(note) },
	};
	struct vm_elffile *f;
	struct vm_err e;
	char hex[200];
	size_t len;

	vm_wr32(note, 4, true);
	vm_wr32(note + 4, 68, true);
	vm_wr32(note + 8, NT_GNU_BUILD_ID, true);
	memcpy(note + 12, "GNU", 4);
	/* then a note claiming 4 GiB of descriptor */
	vm_wr32(note + 84, 4, true);
	vm_wr32(note + 88, 0xfffffff0u, true);
	vm_wr32(note + 92, NT_GNU_BUILD_ID, true);
	memcpy(note + 96, "GNU", 4);
	len = mkelf(buf, sizeof(buf), true, true, ET_EXEC, s, 1);
	f = vm_elffile_open(put("notes.elf", buf, len), &e);
	if (!f) {
		ok(0, "notes file opens: %s", e.msg);
		return;
	}
	vm_elffile_build_id_hex(f, hex, sizeof(hex));
	ok(hex[0] == 0, "68-byte build-id and a note running past its section: "
	   "no build-id (%s)", hex[0] ? hex : "none");
	vm_elffile_close(f);
}

int main(void)
{
	char *ko = fixture("x86_64-6.1/crashmod.ko");
	char *vmlinux = fixture("x86_64-6.1/vmlinux.xz");

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_elf.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	check_orders();
	check_damaged();
	check_notes();
	if (ko) {
		check_nm(ko, "crashmod.ko");
		check_build_id(ko, "crashmod.ko");
		check_place(ko);
		check_ko_lines(ko);
	} else {
		skip("fixture x86_64-6.1/crashmod.ko not available");
	}
	if (vmlinux) {
		check_nm(vmlinux, "vmlinux");
		check_build_id(vmlinux, "vmlinux");
	} else {
		skip("fixture x86_64-6.1/vmlinux.xz not available");
	}
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			perror("rm");
	}
	free(ko);
	free(vmlinux);
	printf("1..%d\n", ntest);
	return nfail != 0;
}
