// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_types: the type layer (DWARF and BTF backends, the name index and
 * its cache, names, paths) and the line tables, against crash's output in
 * tests/ref/oops-module/ (made by tests/ref/make-refs-vmstruct.sh) and the
 * fixture corpus.  Run from the source root; TAP output.
 *
 * References, never our own output:
 *   struct-o/NAME.txt      crash "struct NAME -o": sizes, member offsets
 *   dis-l-FUNC.txt         crash "dis -l": the source line of each address
 *   x86_64-6.1/System.map  link-time addresses (to undo KASLR)
 */
#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/elffile.h"
#include "types/lines.h"
#include "types/types.h"

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

/* ---- crash "struct -o" references ---- */

struct refmember {
	char name[128];
	long off;
};

struct refstruct {
	char name[64];
	bool is_union;
	long size;
	struct refmember m[400];
	int n;
};

/* Top-level members of a crash "struct NAME -o" file: lines at the first
 * indentation level with an offset. */
static int read_ref(const char *path, struct refstruct *r)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int indent0 = -1;

	memset(r, 0, sizeof(*r));
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *lb, *rb, *semi, *p;
		int ind;

		if (line[0] == '#')
			continue;
		if (!strncmp(line, "struct ", 7) || !strncmp(line, "union ", 6)) {
			r->is_union = line[0] == 'u';
			sscanf(line, "%*s %63s", r->name);
			continue;
		}
		if (!strncmp(line, "SIZE: ", 6)) {
			r->size = atol(line + 6);
			continue;
		}
		lb = strchr(line, '[');
		rb = lb ? strchr(lb, ']') : NULL;
		semi = strrchr(line, ';');
		if (!lb || !rb || !semi || strchr(line, '{') || r->n >= 400)
			continue;
		ind = (int)strspn(rb + 1, " ");
		if (indent0 < 0)
			indent0 = ind;
		if (ind != indent0 || rb[1 + ind] == '}')
			continue;
		/* the member name: last identifier before ';', '[', ' :' or ')' */
		*semi = 0;
		if ((p = strstr(rb + 1, " : ")))
			*p = 0;
		p = rb + 1 + ind;
		{
			char *q = p + strlen(p), *end;

			while (q > p && q[-1] == ']') {
				q = strrchr(p, '[');
				if (!q)
					break;
				*q = 0;
				q = p + strlen(p);
			}
			if (q > p && q[-1] == ')') {
				/* function pointer: "ret (*name)(args)" */
				char *o = strstr(p, "(*");

				if (!o)
					continue;
				o += 2;
				end = strchr(o, ')');
				if (!end)
					continue;
				*end = 0;
				snprintf(r->m[r->n].name, sizeof(r->m[0].name), "%s", o);
			} else {
				end = q;
				while (q > p && (q[-1] == '_' || (q[-1] >= '0' && q[-1] <= '9') ||
						 (q[-1] >= 'a' && q[-1] <= 'z') ||
						 (q[-1] >= 'A' && q[-1] <= 'Z')))
					q--;
				snprintf(r->m[r->n].name, sizeof(r->m[0].name), "%.*s",
					 (int)(end - q), q);
			}
		}
		r->m[r->n].off = strtol(lb + 1, NULL, 10);
		r->n++;
	}
	fclose(f);
	return r->name[0] && r->size ? 0 : -1;
}

static const char *const ref_structs[] = {
	"task_struct", "mm_struct", "super_block", "vm_struct", "page",
	"list_head", "module", "file", "inode", "dentry", "hlist_node",
	"rb_node", "vm_area_struct", "cred", "files_struct", "fs_struct",
	"nsproxy", "signal_struct", "sighand_struct", "address_space",
	"kobject", "timer_list", "work_struct", "mutex", "pid",
	"sched_entity", "thread_struct", "pt_regs", "kmem_cache", "zone",
	"pglist_data", "printk_ringbuffer", "prb_desc", "printk_info",
	"device", "sk_buff", "socket", "restart_block", "callback_head",
	"qspinlock", "rcu_special",
};

static void check_layouts(struct vm_types *ts, const char *label)
{
	static struct refstruct r;
	size_t i;
	int nstruct = 0, nmember = 0, bad = 0;

	for (i = 0; i < sizeof(ref_structs) / sizeof(ref_structs[0]); i++) {
		char path[256], tname[80];
		uint64_t size = 0, off;
		struct vm_err e;
		int j;

		snprintf(path, sizeof(path), "tests/ref/oops-module/struct-o/%s.txt",
			 ref_structs[i]);
		if (read_ref(path, &r) < 0)
			continue;
		snprintf(tname, sizeof(tname), "%s %s", r.is_union ? "union" : "struct",
			 r.name);
		if (vm_types_sizeof(ts, tname, &size, &e) < 0 || (long)size != r.size) {
			printf("# %s: %s size %" PRIu64 " (%s), crash %ld\n", label, tname,
			       size, e.msg, r.size);
			bad++;
		}
		for (j = 0; j < r.n; j++) {
			if (vm_types_member(ts, tname, r.m[j].name, &off, NULL, &e) < 0 ||
			    (long)off != r.m[j].off) {
				printf("# %s: %s.%s at %" PRIu64 " (%s), crash %ld\n", label,
				       tname, r.m[j].name, off, e.msg, r.m[j].off);
				bad++;
			}
			nmember++;
		}
		nstruct++;
	}
	ok(nstruct >= 25 && bad == 0, "%s: sizes and %d member offsets of %d types equal crash's",
	   label, nmember, nstruct);
}

static void check_api(struct vm_types *ts, const char *label)
{
	const struct vm_type *t, *mt;
	struct vm_member_loc loc;
	struct vm_err e;
	uint64_t se = 0, vr = 0, sz = 0;
	char buf[256];
	int64_t v = 0;

	/* se.vruntime = task_struct.se + sched_entity.vruntime, both from crash */
	{
		static struct refstruct a, b;
		long want = -1;
		int i, j;

		if (read_ref("tests/ref/oops-module/struct-o/task_struct.txt", &a) == 0 &&
		    read_ref("tests/ref/oops-module/struct-o/sched_entity.txt", &b) == 0)
			for (i = 0; i < a.n; i++)
				for (j = 0; j < b.n; j++)
					if (!strcmp(a.m[i].name, "se") && !strcmp(b.m[j].name, "vruntime"))
						want = a.m[i].off + b.m[j].off;
		int r = vm_types_member(ts, "task_struct", "se.vruntime", &se, &sz, &e);

		ok(r == 0 && (long)se == want && sz == 8,
		   "%s: se.vruntime at %" PRIu64 " size %" PRIu64 " (crash: %ld, 8)", label, se,
		   sz, want);
	}
	ok(vm_types_member(ts, "struct task_struct", "pid_links[1].pprev", &vr, &sz, &e) == 0 &&
	   sz == 8, "%s: array index in a member path", label);
	t = vm_types_find(ts, "task_struct", &e);
	ok(t && vm_type_member_path(ts, t, "comm", &loc, &e) == 0 &&
	   vm_type_name(ts, loc.type, NULL, buf, sizeof(buf), &e) > 0 &&
	   !strcmp(buf, "char [16]"), "%s: comm is \"%s\"", label, t ? buf : e.msg);
	t = vm_types_find(ts, "callback_head", &e);
	ok(t && vm_type_member_path(ts, t, "func", &loc, &e) == 0 &&
	   vm_type_name(ts, loc.type, NULL, buf, sizeof(buf), &e) > 0 &&
	   !strcmp(buf, "void (*)(struct callback_head *)"), "%s: func is \"%s\"", label, buf);
	t = vm_types_find(ts, "list_head", &e);
	ok(t && t->nmembers == 2 && (mt = vm_member_type(ts, &t->members[0], &e)) &&
	   vm_type_name(ts, mt, "next", buf, sizeof(buf), &e) > 0 &&
	   !strcmp(buf, "struct list_head *next"), "%s: %s", label, buf);
	/* typedef chains: pid_t -> __kernel_pid_t -> int */
	t = vm_types_find(ts, "pid_t", &e);
	mt = t ? vm_type_strip(ts, t, &e) : NULL;
	ok(t && t->kind == VM_TYPE_TYPEDEF && mt && mt->kind == VM_TYPE_INT &&
	   mt->size == 4 && (mt->flags & VM_TF_SIGNED), "%s: pid_t resolves to int", label);
	ok(vm_types_sizeof(ts, "unsigned long", &sz, &e) == 0 && sz == 8,
	   "%s: base type by its C name", label);
	/* enums: the kernel's own order of enum pid_type */
	v = -1;
	vm_types_enum_value(ts, "PIDTYPE_MAX", &v, &e);
	ok(v == 4, "%s: PIDTYPE_MAX = %" PRId64, label, v);
	t = vm_types_find(ts, "enum pid_type", &e);
	ok(t && t->kind == VM_TYPE_ENUM && t->nenums == 5 &&
	   vm_enum_name(t, 0) && !strcmp(vm_enum_name(t, 0), "PIDTYPE_PID"),
	   "%s: enum pid_type values", label);
	/* arrays: struct task_struct.pid_links is struct hlist_node [4] */
	t = vm_types_find(ts, "task_struct", &e);
	ok(t && vm_type_member_path(ts, t, "pid_links", &loc, &e) == 0 &&
	   loc.type->kind == VM_TYPE_ARRAY && loc.type->nelems == 4,
	   "%s: array bounds", label);
	/* bitfields: crash prints in_execve at byte 1320 (task_struct -o) */
	memset(&loc, 0, sizeof(loc));
	if (t)
		vm_type_member_path(ts, t, "in_execve", &loc, &e);
	ok(loc.bit_size == 1 && loc.bit_offset / 8 == 1320, "%s: bitfield in_execve bit %" PRIu64,
	   label, loc.bit_offset);
	ok(!vm_types_find(ts, "no_such_struct_xyz", &e) && e.code == VM_ENOENT &&
	   strstr(e.msg, "no struct named no_such_struct_xyz"), "%s: unknown: %s", label, e.msg);
	ok(vm_types_member(ts, "task_struct", "no_such_member", &vr, NULL, &e) < 0 &&
	   strstr(e.msg, "no member"), "%s: unknown member: %s", label, e.msg);
}

/* ---- line tables against crash "dis -l" ---- */

static uint64_t sysmap_addr(const char *map, const char *name)
{
	FILE *f = fopen(map, "r");
	char line[512], n[256], type;
	unsigned long long a;
	uint64_t r = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &type, n) == 3 && !strcmp(n, name)) {
			r = a;
			break;
		}
	fclose(f);
	return r;
}

/* part of a path inside the source tree: after the build directory
 * prefix (what crash's paths share) and any "./" */
static const char *tree(const char *p, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!strncmp(p, prefix, n))
		p += n;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	return p;
}

static void check_lines(const char *vmlinux, const char *map)
{
	static const char *const funcs[] = { "schedule", "panic", "do_exit", "__handle_sysrq" };
	struct vm_lines *l;
	struct vm_err e;
	int total = 0, bad = 0;
	size_t i;

	l = vm_lines_open(vmlinux, true, &e);
	ok(l != NULL, "lines: open %s", l ? "" : e.msg);
	if (!l)
		return;
	for (i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++) {
		char path[256], line[1024], file[1024] = "";
		unsigned lno = 0;
		uint64_t slide = 0, link = sysmap_addr(map, funcs[i]);
		FILE *f;

		snprintf(path, sizeof(path), "tests/ref/oops-module/dis-l-%s.txt", funcs[i]);
		f = fopen(path, "r");
		if (!f || !link) {
			if (f)
				fclose(f);
			continue;
		}
		while (fgets(line, sizeof(line), f)) {
			unsigned long long a;
			char sym[256];
			struct vm_line r;

			if (line[0] == '/') {
				char *c = strrchr(line, ':');

				if (c) {
					*c = 0;
					snprintf(file, sizeof(file), "%s", line);
					lno = (unsigned)atoi(c + 1);
				}
				continue;
			}
			if (sscanf(line, "0x%llx <%255[^>]>", &a, sym) != 2 || !lno)
				continue;
			if (!strcmp(sym, funcs[i]))
				slide = a - link;
			if (!slide)
				continue;
			total++;
			/* crash's build prefix: everything before the tree part */
			if (vm_lines_addr(l, a - slide, &r, &e) != 1 || r.line != lno ||
			    strcmp(r.rel, tree(file, "/usr/src/linux/"))) {
				bad++;
				printf("# %#llx <%s>: ours %s:%u, crash %s:%u\n", a, sym,
				       vm_lines_addr(l, a - slide, &r, &e) == 1 ? r.rel : "-",
				       r.line, tree(file, "/usr/src/linux/"), lno);
			}
		}
		fclose(f);
	}
	ok(total >= 20 && bad == 0, "lines: %d addresses of crash's dis -l, %d differ", total, bad);
	{
		uint64_t lo = 0, hi = 0, link = sysmap_addr(map, "schedule");
		struct vm_line *rows = NULL;
		size_t n = 0;

		int r = vm_lines_function(l, "schedule", &lo, &hi, &e);

		ok(r == 1 && lo == link && hi > lo,
		   "lines: schedule's range %#" PRIx64 "-%#" PRIx64, lo, hi);
		r = vm_lines_range(l, lo, hi, &rows, &n, &e);
		ok(r == 0 && n > 5 && rows[0].addr <= lo, "lines: %zu rows in schedule", n);
		free(rows);
	}
	{
		/* schedule+2 is get_current() inlined into schedule: crash's
		 * dis -l puts it at asm/current.h:15 */
		struct vm_inline_frame fr[8];
		uint64_t link = sysmap_addr(map, "schedule");
		int n = vm_lines_inlines(l, link + 2, fr, 8, &e);

		ok(n >= 2 && !strcmp(fr[0].func, "get_current") &&
		   !strcmp(fr[n - 1].func, "schedule") && fr[0].call_file &&
		   strstr(fr[0].call_file, "kernel/sched/core.c"),
		   "lines: inlined get_current in schedule (%d frames: %s called at %s:%u)",
		   n, n > 0 ? fr[0].func : e.msg, n > 0 && fr[0].call_file ? fr[0].call_file : "",
		   n > 0 ? fr[0].call_line : 0);
	}
	vm_lines_close(l);
}

/* ---- bad input ---- */

static int copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
	char buf[65536];
	size_t n;
	int rc = 0;

	if (!a || !b)
		rc = -1;
	while (!rc && (n = fread(buf, 1, sizeof(buf), a)) > 0)
		if (fwrite(buf, 1, n, b) != n)
			rc = -1;
	if (a)
		fclose(a);
	if (b && fclose(b))
		rc = -1;
	return rc;
}

static void patch(const char *path, uint64_t off, const void *bytes, size_t n)
{
	FILE *f = fopen(path, "r+b");

	if (!f)
		return;
	fseek(f, (long)off, SEEK_SET);
	fwrite(bytes, 1, n, f);
	fclose(f);
}

static void check_corrupt(const char *ko, const char *vmlinux, const char *tmpdir,
			  struct vm_opts *o0)
{
	/* damaged copies share the build-id: keep them out of the cache */
	struct vm_opts nc = *o0, *o = &nc;
	char path[512];
	struct vm_elffile *img;
	const struct vm_elfsec *s;
	struct vm_types *ts;
	struct vm_err e;
	uint64_t info_off = 0, abbrev_off = 0;
	const uint8_t *btf;
	size_t btf_len, i;
	int clean = 0, runs = 0;

	vm_opts_add_override(&nc, "nocache", NULL);
	img = vm_elffile_open(ko, &e);
	if (!img) {
		skip("crashmod.ko unreadable");
		return;
	}
	s = vm_elffile_sec_named(img, ".debug_info");
	if (s)
		info_off = s->offset;
	s = vm_elffile_sec_named(img, ".debug_abbrev");
	if (s)
		abbrev_off = s->offset;
	vm_elffile_close(img);
	/* a unit length far past the section */
	snprintf(path, sizeof(path), "%s/len.ko", tmpdir);
	if (info_off && copy_file(ko, path) == 0) {
		static const uint8_t big[4] = { 0xf0, 0xff, 0xff, 0x7f };

		patch(path, info_off, big, 4);
		ts = vm_types_new(o, &e);
		ok(vm_types_add_dwarf(ts, path, &e) < 0 && strstr(e.msg, ".debug_info"),
		   "corrupt unit length: %s", e.msg);
		vm_types_free(ts);
	}
	/* garbage abbreviations */
	snprintf(path, sizeof(path), "%s/abbrev.ko", tmpdir);
	if (abbrev_off && copy_file(ko, path) == 0) {
		uint8_t junk[64];

		memset(junk, 0xee, sizeof(junk));
		patch(path, abbrev_off, junk, sizeof(junk));
		ts = vm_types_new(o, &e);
		ok(vm_types_add_dwarf(ts, path, &e) < 0 && e.msg[0],
		   "corrupt .debug_abbrev: %s", e.msg);
		vm_types_free(ts);
	}
	/* random bytes all over .debug_info: a clean error or working lookups,
	 * never a crash (ASan build: make test SAN=1) */
	for (i = 0; i < 40 && info_off; i++) {
		uint64_t size;

		snprintf(path, sizeof(path), "%s/fuzz.ko", tmpdir);
		if (copy_file(ko, path) < 0)
			break;
		for (int k = 0; k < 16; k++) {
			uint8_t junk = (uint8_t)rand();

			/* the unit header (first 12 bytes) stays sane half the time */
			patch(path, info_off + (uint64_t)(i % 2 ? 12 : 0) +
			      (uint64_t)(rand() % (i % 2 ? 50000 : 64)), &junk, 1);
		}
		ts = vm_types_new(o, &e);
		if (vm_types_add_dwarf(ts, path, &e) < 0) {
			clean++;
		} else {
			const struct vm_type *t = vm_types_find(ts, "crashmod_state", &e);

			FILE *null = fopen("/dev/null", "w");

			if (t && null)
				vm_types_print_def(ts, null, t, VM_TPRINT_OFFSETS, &e);
			if (null)
				fclose(null);
			vm_types_sizeof(ts, "crashmod_node", &size, &e);
		}
		vm_types_free(ts);
		runs++;
	}
	ok(runs == 40, "40 randomly damaged .debug_info: %d refused, the rest answered", clean);

	/* BTF: header and records */
	img = vm_elffile_open(vmlinux, &e);
	if (!img || vm_elffile_sec_data_named(img, ".BTF", &btf, &btf_len, &e) < 0) {
		skip("no .BTF");
		vm_elffile_close(img);
		return;
	}
	{
		uint8_t *b = malloc(btf_len);

		memcpy(b, btf, btf_len);
		b[0] ^= 0xff;
		ts = vm_types_new(o, &e);
		ok(vm_types_add_btf(ts, b, btf_len, "damaged", &e) < 0 && strstr(e.msg, "magic"),
		   "BTF bad magic: %s", e.msg);
		vm_types_free(ts);
		memcpy(b, btf, btf_len);
		ts = vm_types_new(o, &e);
		ok(vm_types_add_btf(ts, b, btf_len / 2, "truncated", &e) < 0,
		   "BTF truncated: %s", e.msg);
		vm_types_free(ts);
		/* a record's kind/vlen: within the type section */
		memcpy(b, btf, btf_len);
		b[24 + 4 + 3] = 0x1f;   /* type 1's kind -> 31 */
		ts = vm_types_new(o, &e);
		ok(vm_types_add_btf(ts, b, btf_len, "bad kind", &e) < 0 && strstr(e.msg, "kind"),
		   "BTF unknown kind: %s", e.msg);
		vm_types_free(ts);
		clean = 0;
		for (i = 0; i < 200; i++) {
			uint64_t size;

			memcpy(b, btf, btf_len);
			for (int k = 0; k < 16; k++)
				b[24 + (size_t)rand() % (btf_len - 24)] = (uint8_t)rand();
			ts = vm_types_new(o, &e);
			if (vm_types_add_btf(ts, b, btf_len, "fuzz", &e) < 0) {
				clean++;
			} else {
				const struct vm_type *t = vm_types_find(ts, "task_struct", &e);
				FILE *null = fopen("/dev/null", "w");

				if (t)
					vm_types_print_def(ts, null, t, VM_TPRINT_OFFSETS, &e);
				vm_types_sizeof(ts, "page", &size, &e);
				fclose(null);
			}
			vm_types_free(ts);
		}
		ok(1, "200 randomly damaged BTF blobs: %d refused, no crash", clean);
		free(b);
	}
	vm_elffile_close(img);
}

static void check_cache(const char *ko, const char *cachedir, struct vm_opts *o)
{
	struct vm_types *ts;
	struct vm_err e;
	struct stat st;
	const struct vm_type *t;
	FILE *f, *p;
	char cmd[1200], idx[1024] = "";

	setenv("XDG_CACHE_HOME", cachedir, 1);
	for (int round = 0; round < 2; round++) {
		const char *want = round ? "from cache" : "built";
		int r;

		ts = vm_types_new(o, &e);
		r = ts ? vm_types_add_dwarf(ts, ko, &e) : -1;
		ok(r == 0 && strstr(vm_types_source_desc(ts, 0), want),
		   "cache: %s open: %s", round ? "second" : "first",
		   r == 0 ? vm_types_source_desc(ts, 0) : e.msg);
		vm_types_free(ts);
	}
	snprintf(cmd, sizeof(cmd), "ls %s/vmcoreutils/dwarf-*.idx 2>/dev/null | head -1", cachedir);
	p = popen(cmd, "r");
	if (p) {
		if (fgets(idx, sizeof(idx), p))
			idx[strcspn(idx, "\n")] = 0;
		pclose(p);
	}
	ok(idx[0] && stat(idx, &st) == 0, "cache: file %s", idx);
	/* corrupt it: the next open must notice and rebuild */
	f = fopen(idx, "r+b");
	if (f) {
		fseek(f, (long)st.st_size / 2, SEEK_SET);
		fputc(fgetc(f) ^ 0x55, f);
		fclose(f);
	}
	ts = vm_types_new(o, &e);
	t = NULL;
	ok(ts && vm_types_add_dwarf(ts, ko, &e) == 0 &&
	   strstr(vm_types_source_desc(ts, 0), "built") &&
	   (t = vm_types_find(ts, "crashmod_state", &e)) && t->size == 72,
	   "cache: a damaged index is rebuilt (crashmod_state SIZE 72 as crash says)");
	vm_types_free(ts);
	/* truncated */
	if (truncate(idx, 100) == 0) {
		ts = vm_types_new(o, &e);
		ok(ts && vm_types_add_dwarf(ts, ko, &e) == 0 &&
		   strstr(vm_types_source_desc(ts, 0), "built"), "cache: a truncated index is rebuilt");
		vm_types_free(ts);
	}
}

/* ---- DWARF 2..5 from the compiler itself ---- */

/* The same declarations are compiled into this test (the expected layout:
 * offsetof/sizeof, and the bit a bitfield sets) and into an object file
 * with each DWARF version, whose DWARF the type layer then reads. */
#define PROBE_SRC \
	"enum probe_e { PE_A = -2, PE_B = 7, PE_C = 0x12345 };\n" \
	"struct probe_in { short s; char c[3]; };\n" \
	"union probe_u { long l; struct probe_in in; unsigned char b[12]; };\n" \
	"struct probe {\n" \
	"	char tag;\n" \
	"	unsigned int f1 : 3, f2 : 9;\n" \
	"	unsigned long long big;\n" \
	"	struct probe_in arr[2][3];\n" \
	"	union probe_u u;\n" \
	"	struct { int anon_a; int anon_b : 5; };\n" \
	"	enum probe_e e;\n" \
	"	int (*fn)(const char *, ...);\n" \
	"	const volatile short *const cvp;\n" \
	"	int flex[];\n" \
	"};\n" \
	"struct probe probe_var;\n"

enum probe_e { PE_A = -2, PE_B = 7, PE_C = 0x12345 };
struct probe_in { short s; char c[3]; };
union probe_u { long l; struct probe_in in; unsigned char b[12]; };
struct probe {
	char tag;
	unsigned int f1 : 3, f2 : 9;
	unsigned long long big;
	struct probe_in arr[2][3];
	union probe_u u;
	struct { int anon_a; int anon_b : 5; };
	enum probe_e e;
	int (*fn)(const char *, ...);
	const volatile short *const cvp;
	int flex[];
};

/* the bit a bitfield occupies first, by setting it */
static long first_bit(void (*set)(struct probe *))
{
	unsigned char buf[sizeof(struct probe)];
	size_t i;

	memset(buf, 0, sizeof(buf));
	set((struct probe *)buf);
	for (i = 0; i < 8 * sizeof(buf); i++)
		if (buf[i / 8] >> (i % 8) & 1)
			return (long)i;
	return -1;
}

static void set_f2(struct probe *p) { p->f2 = 1; }
static void set_anon_b(struct probe *p) { p->anon_b = 1; }

static void check_compiled(const char *tmpdir, struct vm_opts *o)
{
	static const char *const flags[] = {
		"-gdwarf-2", "-gdwarf-3", "-gdwarf-4", "-gdwarf-5",
		"-gdwarf-5 -gz=zlib", "-gdwarf-4 -gstrict-dwarf",
	};
	char src[600], obj[600], cmd[1600];
	FILE *f;
	size_t i;

	snprintf(src, sizeof(src), "%s/probe.c", tmpdir);
	f = fopen(src, "w");
	if (!f) {
		skip("cannot write probe.c");
		return;
	}
	fputs(PROBE_SRC, f);
	fclose(f);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct vm_types *ts;
		struct vm_err e;
		struct vm_member_loc loc;
		const struct vm_type *t;
		uint64_t off = 0, sz = 0;
		int64_t v = 0;
		char name[256];
		int good = 1;

		snprintf(obj, sizeof(obj), "%s/probe%zu.o", tmpdir, i);
		snprintf(cmd, sizeof(cmd), "cc -c -O0 %s -o %s %s 2>/dev/null", flags[i], obj, src);
		if (system(cmd) != 0) {
			printf("ok %d - # SKIP cc %s failed\n", ++ntest, flags[i]);
			continue;
		}
		ts = vm_types_new(o, &e);
		if (!ts || vm_types_add_dwarf(ts, obj, &e) < 0) {
			ok(0, "%s: %s", flags[i], e.msg);
			vm_types_free(ts);
			continue;
		}
#define EXPECT(c, what) do { if (!(c)) { good = 0; printf("# %s: %s\n", flags[i], what); } } while (0)
		EXPECT(vm_types_sizeof(ts, "struct probe", &sz, &e) == 0 && sz == sizeof(struct probe), "sizeof");
		EXPECT(vm_types_member(ts, "probe", "big", &off, NULL, &e) == 0 &&
		       off == offsetof(struct probe, big), "big");
		EXPECT(vm_types_member(ts, "probe", "arr[1][2].c[1]", &off, &sz, &e) == 0 &&
		       off == offsetof(struct probe, arr[1][2].c[1]) && sz == 1, "arr[1][2].c[1]");
		EXPECT(vm_types_member(ts, "probe", "u.in.s", &off, NULL, &e) == 0 &&
		       off == offsetof(struct probe, u.in.s), "u.in.s");
		EXPECT(vm_types_member(ts, "probe", "anon_a", &off, NULL, &e) == 0 &&
		       off == offsetof(struct probe, anon_a), "anonymous member");
		EXPECT(vm_types_member(ts, "probe", "flex", &off, NULL, &e) == 0 &&
		       off == offsetof(struct probe, flex), "flex");
		t = vm_types_find(ts, "probe", &e);
		EXPECT(t && vm_type_member_path(ts, t, "f2", &loc, &e) == 0 && loc.bit_size == 9 &&
		       (long)loc.bit_offset == first_bit(set_f2), "bitfield f2");
		EXPECT(t && vm_type_member_path(ts, t, "anon_b", &loc, &e) == 0 && loc.bit_size == 5 &&
		       (long)loc.bit_offset == first_bit(set_anon_b), "bitfield in anonymous struct");
		EXPECT(t && vm_type_member_path(ts, t, "fn", &loc, &e) == 0 &&
		       vm_type_name(ts, loc.type, "fn", name, sizeof(name), &e) > 0 &&
		       !strcmp(name, "int (*fn)(const char *, ...)"), "function pointer name");
		EXPECT(t && vm_type_member_path(ts, t, "cvp", &loc, &e) == 0 &&
		       vm_type_name(ts, loc.type, NULL, name, sizeof(name), &e) > 0 &&
		       !strcmp(name, "const volatile short *const"), name);
		EXPECT(t && vm_type_member_path(ts, t, "arr", &loc, &e) == 0 &&
		       vm_type_name(ts, loc.type, NULL, name, sizeof(name), &e) > 0 &&
		       !strcmp(name, "struct probe_in [2][3]"), name);
		EXPECT(vm_types_enum_value(ts, "PE_A", &v, &e) == 0 && v == PE_A, "PE_A");
		EXPECT(vm_types_enum_value(ts, "PE_C", &v, &e) == 0 && v == PE_C, "PE_C");
		EXPECT((t = vm_types_var(ts, "probe_var", &e)) && t->kind == VM_TYPE_STRUCT &&
		       t->size == sizeof(struct probe), "variable's type");
#undef EXPECT
		ok(good, "%s: layout, bitfields, names, enums equal what the compiler built", flags[i]);
		vm_types_free(ts);
	}
}

/*
 * DWARF 2 gives member offsets as a block holding DW_OP_plus_uconst and a
 * ULEB128 (GCC -gdwarf-2: DW_FORM_block1 "02 23 08" for offset 8).  The
 * operand cut short inside its block is refused, not read as a number.
 */
static void check_member_uleb(const char *tmpdir, struct vm_opts *o0)
{
	static const char src[] =
		"struct ulebprobe { char tag; unsigned long long big; int x; };\n"
		"struct ulebprobe ulebprobe_var;\n";
	struct vm_opts nc = *o0, *o = &nc;
	char path[600], obj[600], cmd[1400];
	struct vm_types *ts;
	struct vm_err e;
	uint64_t off = 0;
	long at = -1, i;
	unsigned char *b;
	size_t n;
	FILE *f;

	vm_opts_add_override(&nc, "nocache", NULL);
	snprintf(path, sizeof(path), "%s/ulebprobe.c", tmpdir);
	snprintf(obj, sizeof(obj), "%s/ulebprobe.o", tmpdir);
	f = fopen(path, "w");
	if (!f) {
		skip("cannot write ulebprobe.c");
		return;
	}
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cc -c -O0 -gdwarf-2 -o %s %s 2>/dev/null", obj, path);
	if (system(cmd) != 0 || !(f = fopen(obj, "r+b"))) {
		skip("cc -gdwarf-2 failed");
		return;
	}
	b = malloc(1 << 20);
	n = b ? fread(b, 1, 1 << 20, f) : 0;
	for (i = 0; n >= 3 && i < (long)n - 2; i++)
		if (b[i] == 2 && b[i + 1] == 0x23 && b[i + 2] == 8) {
			at = i + 2;
			break;
		}
	ts = vm_types_new(o, &e);
	ok(at > 0 && vm_types_add_dwarf(ts, obj, &e) == 0 &&
	   vm_types_member(ts, "ulebprobe", "big", &off, NULL, &e) == 0 && off == 8,
	   "DWARF 2 member location DW_OP_plus_uconst 8 read (%s)", at > 0 ? "found" : "not found");
	vm_types_free(ts);
	if (at > 0) {
		fseek(f, at, SEEK_SET);
		fputc(0x88, f);     /* continuation bit, nothing follows in the block */
	}
	fclose(f);
	free(b);
	ts = vm_types_new(o, &e);
	ok(at > 0 && vm_types_add_dwarf(ts, obj, &e) == 0 &&
	   vm_types_member(ts, "ulebprobe", "big", &off, NULL, &e) < 0 &&
	   strstr(e.msg, "truncated"),
	   "DWARF 2 member location operand cut short: refused: %s", e.msg);
	vm_types_free(ts);
}

int main(void)
{
	char *vmlinux = fixture("x86_64-6.1/vmlinux.xz");
	char *ko = fixture("x86_64-6.1/crashmod.ko");
	char *map = fixture("x86_64-6.1/System.map");
	char tmpl[] = "/tmp/test_types.XXXXXX", *tmp;
	struct vm_opts o = { 0 };
	struct vm_types *ts;
	struct vm_err e;

	tmp = mkdtemp(tmpl);
	if (!tmp) {
		printf("1..0 # SKIP no temp dir\n");
		return 0;
	}
	setenv("XDG_CACHE_HOME", tmp, 1);
	srand(1);
	if (!vmlinux) {
		printf("ok 1 - # SKIP vmlinux fixture not available\n1..1\n");
		free(ko);
		free(map);
		return 0;
	}
	ts = vm_types_new(&o, &e);
	{
		int r = ts ? vm_types_add_dwarf(ts, vmlinux, &e) : -1;

		ok(r == 0, "DWARF: %s", r == 0 ? vm_types_source_desc(ts, 0) : e.msg);
	}
	check_layouts(ts, "DWARF");
	check_api(ts, "DWARF");
	vm_types_free(ts);
	ts = vm_types_new(&o, &e);
	{
		int r = ts ? vm_types_add_btf_file(ts, vmlinux, &e) : -1;

		ok(r == 0, "BTF: %s", r == 0 ? vm_types_source_desc(ts, 0) : e.msg);
	}
	check_layouts(ts, "BTF");
	check_api(ts, "BTF");
	vm_types_free(ts);
	if (map)
		check_lines(vmlinux, map);
	else
		skip("no System.map");
	check_compiled(tmp, &o);
	check_member_uleb(tmp, &o);
	if (ko) {
		check_corrupt(ko, vmlinux, tmp, &o);
		check_cache(ko, tmp, &o);
	} else {
		skip("no crashmod.ko");
	}
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmp);
	}
	free(vmlinux);
	free(ko);
	free(map);
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
