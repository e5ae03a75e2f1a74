// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The symbol table and its loaders on small inputs written here: lookups
 * (aliases, duplicates, ends of vmlinux and of modules), System.map with a
 * KASLR slide, and the kallsyms decoder on tables encoded the way
 * scripts/kallsyms.c (v6.1) encodes them, in a raw memory image: token
 * table, one- and two-byte name lengths, base-relative offsets with and
 * without absolute per-CPU values, and corrupt tables.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/arch.h"
#include "dump/dump.h"
#include "symbols/symbols.h"
#include "symbols/symtab_impl.h"
#include "vmcoreinfo/vmcoreinfo.h"

static int failed, n;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		failed = 1;
}

static void test_lookups(void)
{
	struct vm_err e = { 0 };
	struct vm_symtab *st = vm_symtab_new(&e);
	const struct vm_sym *s, *all[4];
	uint64_t off = 0;

	vm_symtab_add(st, 0xffffffff81000000ull, 0, 'T', "startup_64", NULL, &e);
	vm_symtab_add(st, 0xffffffff81000000ull, 0, 'T', "_text", NULL, &e);
	vm_symtab_add(st, 0xffffffff81000000ull, 0, 't', "a_local", NULL, &e);
	vm_symtab_add(st, 0xffffffff81001000ull, 0x20, 't', "c_stop", NULL, &e);
	vm_symtab_add(st, 0xffffffff81002000ull, 0x20, 't', "c_stop", NULL, &e);
	vm_symtab_add(st, 0xffffffff81003000ull, 0, 'B', "_end", NULL, &e);
	vm_symtab_add(st, 0x2bec0, 0, 'D', "runqueues", NULL, &e);
	vm_symtab_add(st, 0xffffffffc0000000ull, 0x10, 't', "mod_a", "m1", &e);
	vm_symtab_add(st, 0xffffffffc0000010ull, 0x10, 'T', "c_stop", "m1", &e);
	vm_symtab_finish(st);

	ok(vm_symtab_count(st) == 9, "9 symbols");
	ok(!strcmp(vm_symtab_at(st, 0)->name, "runqueues") &&
	   !strcmp(vm_symtab_at(st, 1)->name, "_text") &&
	   !strcmp(vm_symtab_at(st, 2)->name, "a_local") &&
	   !strcmp(vm_symtab_at(st, 3)->name, "startup_64"),
	   "address order, ties by name like nm -n");
	s = vm_sym_by_addr(st, 0xffffffff81000010ull, &off);
	ok(s && !strcmp(s->name, "_text") && off == 0x10, "alias: a global name wins");
	s = vm_sym_by_name(st, "c_stop", NULL);
	ok(s && !s->module && s->addr == 0xffffffff81001000ull, "duplicate name: vmlinux, lowest");
	ok(vm_sym_by_name_all(st, "c_stop", NULL, all, 4) == 3 &&
	   all[0]->addr < all[1]->addr && all[1]->addr < all[2]->addr, "all duplicates, in order");
	s = vm_sym_by_name(st, "c_stop", "m1");
	ok(s && s->module && !strcmp(s->module, "m1"), "by name within a module");
	ok(vm_sym_by_addr(st, 0xffffffff81003010ull, &off) == NULL, "nothing past _end");
	s = vm_sym_by_addr(st, 0xffffffffc0000015ull, &off);
	ok(s && !strcmp(s->name, "c_stop") && s->module && off == 5, "module address");
	ok(vm_sym_by_addr(st, 0xffffffffc0000100ull, &off) == NULL,
	   "nothing past a module's last sized symbol");
	ok(vm_sym_by_addr(st, 0x2bec0, &off) == NULL, "per-CPU offsets name no address");
	ok(vm_sym_by_name(st, "nosuch", NULL) == NULL, "unknown name");
	vm_symtab_free(st);
}

/* k symbols of one name cost k^2/2 probes to index: a table made of
 * thousands of one name is refused (the decoder's index) or scanned (the
 * table's own), never indexed for hours. */
static void test_alike_names(void)
{
	struct vm_err e = { 0 };
	struct vm_symtab *st = vm_symtab_new(&e);
	const struct vm_sym *s;
	enum { K = 16384 };
	uint32_t *h = malloc(K * sizeof(*h)), *t = NULL;
	size_t size = 0, i;

	for (i = 0; i < K; i++)
		h[i] = 0x1234;
	ok(vm_symtab_hash_build(h, K, &t, &size, &e) < 0 && e.code == VM_ECORRUPT && !t,
	   "an index of %d equal names is refused: %s", K, e.msg);
	for (i = 0; i < 100; i++)
		h[i] = (uint32_t)(i * 2654435761u);
	ok(vm_symtab_hash_build(h, 100, &t, &size, &e) == 0 && t && size >= 200,
	   "an index of distinct names is made");
	free(t);
	free(h);
	for (i = 0; i < K; i++)
		vm_symtab_add(st, 0xffffffff81000000ull + 16 * i, 16, 't', "same", NULL, &e);
	vm_symtab_add(st, 0xffffffff81100000ull, 16, 'T', "other", NULL, &e);
	vm_symtab_finish(st);
	for (i = 0; i < 5; i++) {
		s = vm_sym_by_name(st, i & 1 ? "same" : "other", NULL);
		if (!s || s->addr != (i & 1 ? 0xffffffff81000000ull : 0xffffffff81100000ull))
			break;
	}
	ok(i == 5, "lookups among %d alike names still answer (by scanning)", K);
	vm_symtab_free(st);
}

static void test_sysmap(void)
{
	char path[] = "/tmp/vm-sysmap-XXXXXX";
	int fd = mkstemp(path);
	struct vm_err e = { 0 };
	struct vm_symtab *st;
	const struct vm_sym *s;
	FILE *f;

	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fputs("0000000000000000 D __per_cpu_start\n"
	      "000000000002bec0 D runqueues\n"
	      "0000000001000000 A phys_startup_64\n"
	      "ffffffff81000000 T _text\n"
	      "ffffffff81234560 T schedule\n"
	      "ffffffff835e2000 A init_per_cpu__gdt_page\n", f);
	fclose(f);
	st = vm_symtab_new(&e);
	ok(vm_symtab_load_sysmap(st, path, 0x3bc00000, &e) == 0, "System.map loads");
	s = vm_sym_by_name(st, "schedule", NULL);
	ok(s && s->addr == 0xffffffffbce34560ull, "text symbol slid");
	s = vm_sym_by_name(st, "runqueues", NULL);
	ok(s && s->addr == 0x2bec0, "per-CPU offset not slid");
	s = vm_sym_by_name(st, "phys_startup_64", NULL);
	ok(s && s->addr == 0x1000000, "absolute value below the image not slid");
	ok(vm_symtab_source(st) == VM_SYMSRC_SYSMAP, "source is System.map");
	vm_symtab_free(st);

	/* Debian's placeholder */
	f = fopen(path, "w");
	fputs("ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n", f);
	fclose(f);
	st = vm_symtab_new(&e);
	e.code = 0;
	ok(vm_symtab_load_sysmap(st, path, 0, &e) < 0 && e.code == VM_EFORMAT,
	   "placeholder System.map refused: %s", e.msg);
	vm_symtab_free(st);
	unlink(path);
}

/* ---- kallsyms in a raw image ---- */

#define IMG_PA 0x100000u           /* the image's physical load address */
#define IMG_VA UINT64_C(0xffffffff81000000)
#define RAW_SIZE (IMG_PA + 0x10000u)
#define OFF_OFFSETS 0x1000u
#define OFF_BASE 0x2000u
#define OFF_NUM 0x2008u
#define OFF_NAMES 0x2010u
#define OFF_TTABLE 0x3000u
#define OFF_TINDEX 0x3800u

static uint8_t raw[RAW_SIZE];

static void put(uint32_t at, const void *p, size_t len)
{
	memcpy(raw + IMG_PA + at, p, len);
}

static void put32(uint32_t at, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	put(at, b, 4);
}

static void put64(uint32_t at, uint64_t v)
{
	put32(at, (uint32_t)v);
	put32(at + 4, (uint32_t)(v >> 32));
}

struct ksym {
	uint64_t addr;
	const char *typed_name;    /* type letter + name */
};

/*
 * Tokens 0x80 and up are the strings of multi[] (two longer than the
 * decoder's fixed-size token moves, one of them a first token with the
 * type letter); every other byte value b stands for the character b.  A
 * name is encoded greedily, the longest token that fits first.  Names
 * longer than 127 tokens take two length bytes (v6.1: low 7 bits | 0x80,
 * then the rest).
 */
static const char *const multi[] = {
	"Tsched", "ule", "Tlong_token_prefix_", "_a_very_long_token_of_forty_characters__",
};
#define NMULTI (sizeof(multi) / sizeof(multi[0]))

static void encode(const struct ksym *syms, unsigned nsyms, int abs_percpu, uint64_t base,
		   uint32_t num_override)
{
	uint32_t toff = 0, npos = OFF_NAMES;
	unsigned i;

	memset(raw, 0, sizeof(raw));
	for (i = 0; i < 256; i++) {
		char tok[64];

		if (i >= 0x80 && i - 0x80 < NMULTI)
			strcpy(tok, multi[i - 0x80]);
		else {
			tok[0] = (char)i;
			tok[1] = '\0';
		}
		put(OFF_TINDEX + 2 * i, (uint8_t[]){ (uint8_t)toff, (uint8_t)(toff >> 8) }, 2);
		put(OFF_TTABLE + toff, tok, strlen(tok) + 1);
		toff += (uint32_t)strlen(tok) + 1;
	}
	for (i = 0; i < nsyms; i++) {
		const char *nm = syms[i].typed_name;
		uint8_t enc[600];
		size_t len = 0, k, best, bl;

		for (k = 0; nm[k] && len < sizeof(enc);) {
			for (best = 0, bl = 1; best < NMULTI; best++) {
				bl = strlen(multi[best]);
				if (!strncmp(nm + k, multi[best], bl))
					break;
			}
			if (best < NMULTI) {
				enc[len++] = (uint8_t)(0x80 + best);
				k += bl;
			} else {
				enc[len++] = (uint8_t)nm[k++];
			}
		}
		if (len < 128) {
			raw[IMG_PA + npos++] = (uint8_t)len;
		} else {
			raw[IMG_PA + npos++] = (uint8_t)((len & 0x7f) | 0x80);
			raw[IMG_PA + npos++] = (uint8_t)(len >> 7);
		}
		put(npos, enc, len);
		npos += (uint32_t)len;
		if (!abs_percpu)
			put32(OFF_OFFSETS + 4 * i, (uint32_t)(syms[i].addr - base));
		else if (syms[i].addr < base)
			put32(OFF_OFFSETS + 4 * i, (uint32_t)syms[i].addr);
		else
			put32(OFF_OFFSETS + 4 * i, (uint32_t)(int32_t)(base - 1 - syms[i].addr));
	}
	put64(OFF_BASE, base);
	put32(OFF_NUM, num_override ? num_override : nsyms);
}

static struct vm_mem *open_raw(const char *path, const char *extra, struct vm_dump **d,
			       struct vm_vmcoreinfo **vi, struct vm_err *e)
{
	struct vm_dump_opts dopts = { .have_raw_base = true, .raw_base = 0, .raw_machine = 62 };
	char text[1024];
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(raw, 1, sizeof(raw), f) != sizeof(raw) || fclose(f))
		return NULL;
	snprintf(text, sizeof(text),
		 "OSRELEASE=6.1.0\nKERNELOFFSET=0\nNUMBER(phys_base)=%" PRId64 "\n"
		 "SYMBOL(kallsyms_num_syms)=%" PRIx64 "\nSYMBOL(kallsyms_names)=%" PRIx64 "\n"
		 "SYMBOL(kallsyms_token_table)=%" PRIx64 "\nSYMBOL(kallsyms_token_index)=%" PRIx64 "\n"
		 "SYMBOL(kallsyms_offsets)=%" PRIx64 "\nSYMBOL(kallsyms_relative_base)=%" PRIx64 "\n%s",
		 (int64_t)IMG_PA - 0x1000000, IMG_VA + OFF_NUM, IMG_VA + OFF_NAMES,
		 IMG_VA + OFF_TTABLE, IMG_VA + OFF_TINDEX, IMG_VA + OFF_OFFSETS,
		 IMG_VA + OFF_BASE, extra);
	*d = vm_dump_open(path, &dopts, e);
	if (!*d)
		return NULL;
	*vi = vm_vmcoreinfo_parse(text, strlen(text), e);
	return vm_mem_open(*d, *vi, NULL, e);
}

static int load(const char *path, const char *extra, struct vm_symtab **stp, struct vm_err *e)
{
	struct vm_dump *d = NULL;
	struct vm_vmcoreinfo *vi = NULL;
	struct vm_mem *m = open_raw(path, extra, &d, &vi, e);
	int r = -1;

	*stp = vm_symtab_new(e);
	if (m && *stp)
		r = vm_symtab_load_kallsyms(*stp, m, e);
	vm_mem_close(m);
	vm_vmcoreinfo_free(vi);
	vm_dump_close(d);
	return r;
}

static void test_kallsyms(void)
{
	char path[] = "/tmp/vm-kallsyms-XXXXXX";
	int fd = mkstemp(path);
	char longname[260];
	/* in address order, as scripts/kallsyms.c writes them (the per-CPU
	 * offsets first) */
	struct ksym syms[5] = {
		{ 0x2bec0, "Drunqueues" },
		{ 0xffffffff81000000ull, "T_text" },
		{ 0xffffffff81000100ull, "Tschedule" },
		{ 0xffffffff81000200ull, longname },
		{ 0xffffffff81000300ull, "dinit_task" },
	};
	const uint64_t base = 0xffffffff81000000ull;
	struct vm_symtab *st;
	const struct vm_sym *s;
	struct vm_err e = { 0 };
	int pass;

	if (fd < 0)
		return;
	close(fd);
	longname[0] = 't';
	memset(longname + 1, 'x', 199);
	longname[200] = '\0';
	for (pass = 0; pass < 2; pass++) {
		const char *mode = pass ? "absolute per-CPU" : "base-relative";
		unsigned nsyms = pass ? 5 : 4;   /* no per-CPU symbol without abs percpu */
		struct ksym use[5];

		/* no per-CPU symbol without absolute per-CPU */
		memcpy(use, pass ? syms : syms + 1, nsyms * sizeof(use[0]));
		encode(use, nsyms, pass, base, 0);
		/* the encoding is checked against symbols VMCOREINFO names */
		ok(load(path, "SYMBOL(schedule)=ffffffff81000100\nSYMBOL(init_task)=ffffffff81000300\n",
			&st, &e) == 0, "%s: kallsyms decode (%s)", mode, e.code ? e.msg : "ok");
		s = vm_sym_by_name(st, "schedule", NULL);
		ok(s && s->addr == 0xffffffff81000100ull && s->type == 'T',
		   "%s: multi-char tokens, type from the first token", mode);
		s = vm_sym_by_name(st, longname + 1, NULL);
		ok(s && s->addr == 0xffffffff81000200ull && s->type == 't',
		   "%s: a 200-byte name (two length bytes, v6.1)", mode);
		s = vm_sym_by_name(st, "init_task", NULL);
		ok(s && s->addr == 0xffffffff81000300ull && s->type == 'd', "%s: last symbol", mode);
		if (pass) {
			s = vm_sym_by_name(st, "runqueues", NULL);
			ok(s && s->addr == 0x2bec0, "absolute per-CPU: per-CPU value kept absolute");
		}
		ok(vm_symtab_count(st) == nsyms, "%s: %u symbols", mode, nsyms);
		vm_symtab_free(st);
	}

	/* VMCOREINFO puts a symbol elsewhere: no encoding fits, and no names */
	encode(syms, 5, 1, base, 0);
	e.code = 0;
	ok(load(path, "SYMBOL(schedule)=ffffffff81000180\n", &st, &e) < 0 && e.code == VM_ECORRUPT &&
	   strstr(e.msg, "no address encoding puts schedule at 0xffffffff81000180") &&
	   vm_symtab_count(st) == 0, "an encoding that decodes no reference symbol right is an error: %s",
	   e.msg);
	vm_symtab_free(st);
	/* and none to check against at all */
	e.code = 0;
	ok(load(path, "", &st, &e) < 0 && e.code == VM_ECORRUPT && strstr(e.msg, "cannot be verified"),
	   "no reference symbol: the encoding is not guessed: %s", e.msg);
	vm_symtab_free(st);

	/* a damaged token table: the token of 'h' made "x" */
	encode(syms, 5, 1, base, 0);
	put(OFF_TTABLE + 2 * 'h' - 1, "x", 1);   /* token i < 0x80 at 2i - 1 */
	e.code = 0;
	ok(load(path, "SYMBOL(schedule)=ffffffff81000100\n", &st, &e) < 0 && e.code == VM_ECORRUPT &&
	   strstr(e.msg, "kallsyms_token_table damaged") && vm_symtab_count(st) == 0,
	   "damaged token table: an error, no names: %s", e.msg);
	vm_symtab_free(st);
	/* an address table out of order */
	{
		struct ksym bad[5];

		memcpy(bad, syms, sizeof(bad));
		bad[3].addr = 0xffffffff81000050ull;
		encode(bad, 5, 1, base, 0);
		e.code = 0;
		ok(load(path, "SYMBOL(schedule)=ffffffff81000100\n", &st, &e) < 0 &&
		   e.code == VM_ECORRUPT && strstr(e.msg, "address table damaged") &&
		   vm_symtab_count(st) == 0, "damaged address table: an error, no names: %s", e.msg);
		vm_symtab_free(st);
	}

	encode(syms, 5, 1, base, 0xffffffffu);
	e.code = 0;
	ok(load(path, "", &st, &e) < 0 && e.code == VM_ECORRUPT,
	   "absurd kallsyms_num_syms refused: %s", e.msg);
	vm_symtab_free(st);

	/* a name length of three ULEB128 bytes (the second has the
	 * continuation bit): the kernel writes at most two */
	encode(syms, 5, 1, base, 0);
	{
		uint8_t *nm = raw + IMG_PA + OFF_NAMES;
		size_t k;

		for (k = 0; k < 64; k++)
			if (nm[k] == (0x80 | (200 & 0x7f)) && nm[k + 1] == 200 >> 7) {
				nm[k + 1] |= 0x80;
				break;
			}
		e.code = 0;
		ok(k < 64 && load(path, "", &st, &e) < 0 && e.code == VM_ECORRUPT &&
		   strstr(e.msg, "longer than two bytes"),
		   "a three-byte name length refused: %s", e.msg);
		vm_symtab_free(st);
	}

	/* more symbols than names: the reader runs off the end of the dump */
	encode(syms, 5, 1, base, 40000);
	e.code = 0;
	ok(load(path, "", &st, &e) < 0 && e.msg[0], "a table running past the end of the dump: %s", e.msg);
	vm_symtab_free(st);

	/* no kallsyms symbols in VMCOREINFO (a kernel before v6.0) */
	{
		struct vm_dump_opts dopts = { .have_raw_base = true, .raw_machine = 62 };
		const char *text = "OSRELEASE=5.15.0\nNUMBER(phys_base)=-15728640\n";
		struct vm_dump *d = vm_dump_open(path, &dopts, &e);
		struct vm_vmcoreinfo *vi = vm_vmcoreinfo_parse(text, strlen(text), &e);
		struct vm_mem *m = d ? vm_mem_open(d, vi, NULL, &e) : NULL;

		st = vm_symtab_new(&e);
		e.code = 0;
		ok(m && vm_symtab_load_kallsyms(st, m, &e) < 0 && e.code == VM_ENOENT &&
		   strstr(e.msg, "v6.0"), "pre-6.0 VMCOREINFO without _stext: clear error: %s", e.msg);
		vm_symtab_free(st);
		vm_mem_close(m);
		vm_vmcoreinfo_free(vi);
		vm_dump_close(d);
	}
	unlink(path);
}

/* Tokens longer than the decoder's fixed-size moves (first and later),
 * a name cut at KSYM_NAME_LEN (512), aliases at one address in name
 * order, and _end found through the decoded name index. */
static void test_kallsyms_tokens(void)
{
	char path[] = "/tmp/vm-kallsyms-XXXXXX";
	int fd = mkstemp(path);
	static char huge[1 + 20 * 40 + 1], want[513];
	const char *lt = "long_token_prefix_x_a_very_long_token_of_forty_characters__y";
	const uint64_t base = 0xffffffff81000000ull;
	struct ksym syms[] = {
		{ base, "T_text" },
		{ base + 0x100, "Tschedule" },
		{ base + 0x200, "Tlong_token_prefix_x_a_very_long_token_of_forty_characters__y" },
		{ base + 0x300, huge },
		{ base + 0x400, "Tzeta" },
		{ base + 0x400, "tmid" },
		{ base + 0x400, "Talpha" },
		{ base + 0x500, "B_end" },
	};
	const struct vm_sym *s;
	struct vm_symtab *st;
	struct vm_err e = { 0 };
	uint64_t off;
	size_t i;

	if (fd < 0)
		return;
	close(fd);
	huge[0] = 't';
	for (i = 0; i < 20; i++)
		memcpy(huge + 1 + 40 * i, multi[3], 40);
	memcpy(want, huge + 1, 512);
	want[512] = '\0';
	encode(syms, sizeof(syms) / sizeof(syms[0]), 0, base, 0);
	ok(load(path, "SYMBOL(schedule)=ffffffff81000100\n", &st, &e) == 0,
	   "long tokens: decode (%s)", e.code ? e.msg : "ok");
	s = vm_sym_by_name(st, lt, NULL);
	ok(s && s->addr == base + 0x200 && s->type == 'T',
	   "a first token and a later one longer than 16 characters");
	s = vm_sym_by_name(st, want, NULL);
	ok(s && s->addr == base + 0x300 && s->type == 't' && strlen(s->name) == 512,
	   "an 800-character name is cut at 512, and found by that name");
	ok(vm_symtab_count(st) == 8 && !strcmp(vm_symtab_at(st, 4)->name, "alpha") &&
	   !strcmp(vm_symtab_at(st, 5)->name, "mid") && !strcmp(vm_symtab_at(st, 6)->name, "zeta"),
	   "aliases in address order by name, like nm -n");
	s = vm_sym_by_addr(st, base + 0x404, &off);
	ok(s && !strcmp(s->name, "alpha") && off == 4, "an alias address names the first global");
	ok(vm_sym_by_addr(st, base + 0x510, &off) == NULL && vm_sym_by_addr(st, base + 0x4f0, &off),
	   "nothing past _end (looked up through the decoded name index)");
	vm_symtab_free(st);
	unlink(path);
}

int main(void)
{
	test_lookups();
	test_alike_names();
	test_sysmap();
	test_kallsyms();
	test_kallsyms_tokens();
	printf("1..%d\n", n);
	return failed;
}
