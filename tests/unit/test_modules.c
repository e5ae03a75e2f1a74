// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/kernel/modules.c and modules_find.c on the fixture
 * dumps, from the dump alone (kallsyms and BTF read out of it), against
 * what other tools and the guest itself said:
 *   - x86_64-6.1/SCN/crash.txt: crash's `mod` line (MODULE NAME BASE SIZE);
 *   - serial.log: the kernel's "Modules linked in: crashmod(O)" (taints);
 *     "FIXTURE-MARKER-4 crashmod loaded", printed after insmod returned,
 *     so the module is Live;
 *   - every serial.log under the corpus and tests/fixtures with a
 *     "=== GT modules ===" block (the guest's /proc/modules): name, size,
 *     state and base of each module, and no other module in the dump;
 *   - -o textonly (kallsyms data symbols hidden): the list head found in
 *     memory is the kernel's own `modules` symbol, with the same modules.
 * Skips a scenario whose fixture is absent.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/derived.h"
#include "kernel/kernel.h"
#include "kernel/modules.h"
#include "out/mod.h"
#include "types/types.h"

static int failures, tests;

static void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		failures++;
}

static struct vm_kernel *open_dump(const char *dump, struct vm_opts *o, bool textonly)
{
	struct vm_err e = { 0 };
	struct vm_kernel *k;

	memset(o, 0, sizeof(*o));
	if (textonly) {
		o->ov[0].key = "textonly";
		o->ov[0].value = "";
		o->nr_ov = 1;
	}
	k = vm_kernel_open(dump, o, &e);
	if (!k)
		ok(0, "%s: open: %s", dump, e.msg);
	return k;
}

static const struct vm_module *by_name(const struct vm_modlist *ml, const char *name)
{
	size_t i;

	for (i = 0; i < ml->n; i++)
		if (!strcmp(ml->mods[i].name, name))
			return &ml->mods[i];
	return NULL;
}

/* crash.txt: the line after the first `mod` header */
static int crash_mod(const char *path, uint64_t *mod, char *name, uint64_t *base,
		     uint64_t *size)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int r = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "MODULE") && strstr(line, "NAME") && strstr(line, "BASE")) {
			if (fgets(line, sizeof(line), f) &&
			    sscanf(line, "%" SCNx64 " %63s %" SCNx64 " %" SCNu64, mod, name,
				   base, size) == 4)
				r = 0;
			break;
		}
	fclose(f);
	return r;
}

/* "Modules linked in: crashmod(O)": the letters of module name */
static int oops_taints(const char *path, const char *name, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[1024], pat[96];
	int r = -1;

	if (!f)
		return -1;
	snprintf(pat, sizeof(pat), " %s(", name);
	while (r < 0 && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "Modules linked in:"), *q;

		if (!p || !(q = strstr(p, pat)))
			continue;
		q += strlen(pat);
		snprintf(out, len, "%.*s", (int)strcspn(q, ")"), q);
		r = 0;
	}
	fclose(f);
	return r;
}

static bool file_has(const char *path, const char *s)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, s) != NULL;
	fclose(f);
	return found;
}

/* crash.txt's "struct crashmod_state -o" block */
static char *crash_block(const char *path, const char *first)
{
	FILE *f = fopen(path, "r");
	char line[512], *out = NULL;
	size_t len = 0;
	FILE *o;
	bool in = false;

	if (!f)
		return NULL;
	o = open_memstream(&out, &len);
	while (fgets(line, sizeof(line), f)) {
		if (!in && !strcmp(line, first))
			in = true;
		if (in)
			fputs(line, o);
		if (in && !strncmp(line, "SIZE:", 5))
			break;
	}
	fclose(o);
	fclose(f);
	if (!in) {
		free(out);
		return NULL;
	}
	return out;
}

/* The module's types from its own BTF in the dump (no .ko): the layout
 * crash printed with the .ko's DWARF */
static void module_btf(struct vm_kernel *k, const char *scn, const char *crash)
{
	struct vm_err e = { 0 };
	struct vm_types *ts = vm_kernel_types(k, &e);
	const struct vm_type *t = ts ? vm_types_find(ts, "struct crashmod_state", &e) : NULL;
	char *want = crash_block(crash, "struct crashmod_state {\n"), *got = NULL;
	size_t len = 0;
	FILE *f;

	if (!want) {
		printf("# %s: no struct crashmod_state -o in crash.txt\n", scn);
		return;
	}
	f = open_memstream(&got, &len);
	if (!t || vm_types_print_def(ts, f, t, VM_TPRINT_OFFSETS, &e) < 0)
		fprintf(f, "error: %s\n", e.msg);
	fclose(f);
	ok(!strcmp(got, want), "%s: struct crashmod_state -o from crashmod's own BTF in the "
	   "dump = crash's from the .ko's DWARF", scn);
	if (strcmp(got, want))
		printf("# got:\n%s# want:\n%s", got, want);
	free(got);
	free(want);
}

static void crashmod(const char *fix, const char *scn, const char *file)
{
	char dump[1024], crash[1024], serial[1024], name[64], taints[32], want[32];
	uint64_t cmod, cbase, csize, head, real[4];
	char ko_bid[64] = "";
	const struct vm_modlist *ml;
	const struct vm_module *m;
	struct vm_opts o;
	struct vm_kernel *k;
	struct vm_err e = { 0 };

	snprintf(dump, sizeof(dump), "%s/x86_64-6.1/%s/%s", fix, scn, file);
	snprintf(crash, sizeof(crash), "%s/x86_64-6.1/%s/crash.txt", fix, scn);
	snprintf(serial, sizeof(serial), "%s/x86_64-6.1/%s/serial.log", fix, scn);
	if (access(dump, R_OK) || crash_mod(crash, &cmod, name, &cbase, &csize) < 0) {
		printf("# %s: fixture or crash.txt's mod line missing, skipped\n", scn);
		return;
	}
	{
		/* the .ko's build-id, from binutils */
		char cmd[1200];
		FILE *p;

		snprintf(cmd, sizeof(cmd), "readelf -n %s/x86_64-6.1/crashmod.ko 2>/dev/null | "
			 "sed -n 's/.*Build ID: *//p'", fix);
		p = popen(cmd, "r");
		if (p) {
			if (fgets(ko_bid, sizeof(ko_bid), p))
				ko_bid[strcspn(ko_bid, "\n")] = '\0';
			pclose(p);
		}
		if (!ko_bid[0])
			printf("# readelf or crashmod.ko missing: build-id not checked\n");
	}
	k = open_dump(dump, &o, false);
	if (!k)
		return;
	ml = vm_kernel_modules(k, &e);
	ok(ml != NULL, "%s: module list (%s)", scn, ml ? "ok" : e.msg);
	if (!ml) {
		vm_kernel_close(k);
		return;
	}
	ok(ml->n == 1, "%s: one module loaded, as crash's mod (got %zu)", scn, ml->n);
	m = by_name(ml, name);
	ok(m && m->addr == cmod && m->base == cbase && m->size == csize,
	   "%s: %s MODULE %" PRIx64 " BASE %" PRIx64 " SIZE %" PRIu64 " as crash's mod "
	   "(got %" PRIx64 " %" PRIx64 " %" PRIu64 ")", scn, name, cmod, cbase, csize,
	   m ? m->addr : 0, m ? m->base : 0, m ? m->size : 0);
	ok(m && m->state == VM_MODULE_LIVE && file_has(serial, "FIXTURE-MARKER-4 crashmod loaded"),
	   "%s: %s Live (insmod had returned) (got %s)", scn, name,
	   m ? vm_module_state_name(m->state) : "-");
	if (oops_taints(serial, name, want, sizeof(want)) == 0) {
		taints[0] = '\0';
		if (m)
			vm_module_taint_str(m, taints, sizeof(taints));
		ok(!strcmp(taints, want), "%s: %s taints \"%s\" as the oops's Modules linked "
		   "in (got \"%s\")", scn, name, want, taints);
	}
	/* CONFIG_STACKTRACE_BUILD_ID is off in the fixture's config; the
	 * build-id comes from the module's notes: the .ko's (readelf -n) */
	if (ko_bid[0]) {
		char hex[2 * VM_MOD_BUILD_ID_MAX + 1] = "";
		unsigned i;

		for (i = 0; m && i < m->build_id_len; i++)
			snprintf(hex + 2 * i, 3, "%02x", m->build_id[i]);
		ok(!strcmp(hex, ko_bid), "%s: %s build-id %s as readelf -n on crashmod.ko (got %s)",
		   scn, name, ko_bid, hex);
	}
	head = 0;
	if (vm_kernel_symbol(k, "modules", &head, &e) < 0)
		printf("# %s\n", e.msg);
	ok(head && head == ml->head && !ml->head_derived,
	   "%s: list head = kallsyms' modules %" PRIx64, scn, head);

	{
		/* the real ones, for the derived symbols below */
		const char *names[] = { "init_task", "modules", "btf_modules", "runqueues" };
		unsigned i;

		for (i = 0; i < 4; i++)
			if (vm_kernel_symbol(k, names[i], &real[i], &e) < 0)
				real[i] = 0;
	}
	module_btf(k, scn, crash);
	vm_kernel_close(k);

	/* the same dump as a kernel without KALLSYMS_ALL */
	k = open_dump(dump, &o, true);
	if (!k)
		return;
	{
		struct vm_derived_sym d[8];
		size_t n = vm_kernel_derived_symbols(k, d, 8), i;
		const char *names[] = { "init_task", "modules", "btf_modules", "runqueues" };
		unsigned j, good = 0;

		for (j = 0; j < 4; j++)
			for (i = 0; i < n; i++)
				if (!strcmp(d[i].name, names[j]) && d[i].addr == real[j] && real[j])
					good++;
		ok(n == 4 && good == 4, "%s -o textonly: init_task, modules, btf_modules, runqueues "
		   "found in memory at the addresses kallsyms gives them (%u of %zu)", scn, good, n);
	}
	ml = vm_kernel_modules(k, &e);
	ok(ml && ml->head_derived && ml->head == head,
	   "%s -o textonly: list head found in memory = modules %" PRIx64 " (got %" PRIx64
	   "%s%s)", scn, head, ml ? ml->head : 0, ml ? "" : ": ", ml ? "" : e.msg);
	m = ml ? by_name(ml, name) : NULL;
	ok(ml && ml->n == 1 && m && m->addr == cmod && m->base == cbase && m->size == csize,
	   "%s -o textonly: %s as crash's mod", scn, name);
	vm_kernel_close(k);
}

/* ---- the guest's /proc/modules (serial.log "=== GT modules ===") ---- */

struct procmod {
	char name[64], state[16];
	uint64_t size, base;
	char taints[16];
};

static int read_procmodules(const char *serial, struct procmod *pm, int max)
{
	FILE *f = fopen(serial, "r");
	char line[1024];
	bool in = false;
	int n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!strncmp(line, "=== GT modules", 14)) {
			in = true;
			n = 0;
			continue;
		}
		if (!in)
			continue;
		if (!strncmp(line, "=== ", 4))
			break;
		/* name size refcnt deps state address [(taints)] */
		if (n < max) {
			char refs[32], deps[512], t[32] = "";
			int c = sscanf(line, "%63s %" SCNu64 " %31s %511s %15s %" SCNx64 " %31s",
				       pm[n].name, &pm[n].size, refs, deps, pm[n].state,
				       &pm[n].base, t);

			if (c < 6)
				continue;
			pm[n].taints[0] = '\0';
			if (c == 7 && t[0] == '(')
				snprintf(pm[n].taints, sizeof(pm[n].taints), "%.*s",
					 (int)strcspn(t + 1, ")"), t + 1);
			n++;
		}
	}
	fclose(f);
	return n;
}

static void procmodules(const char *dir, const char *dump)
{
	char serial[2048], taints[32];
	struct procmod pm[256];
	const struct vm_modlist *ml;
	struct vm_opts o;
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	int n, i;

	snprintf(serial, sizeof(serial), "%s/serial.log", dir);
	n = read_procmodules(serial, pm, 256);
	if (n < 0)
		return;
	k = open_dump(dump, &o, false);
	if (!k)
		return;
	ml = vm_kernel_modules(k, &e);
	ok(ml != NULL, "%s: module list (%s)", dump, ml ? "ok" : e.msg);
	if (ml) {
		ok((int)ml->n == n, "%s: %d modules as the guest's /proc/modules (got %zu)",
		   dump, n, ml->n);
		for (i = 0; i < n; i++) {
			const struct vm_module *m = by_name(ml, pm[i].name);

			taints[0] = '\0';
			if (m)
				vm_module_taint_str(m, taints, sizeof(taints));
			ok(m && m->base == pm[i].base && m->size == pm[i].size &&
			   !strcmp(vm_module_state_name(m->state), pm[i].state) &&
			   !strcmp(taints, pm[i].taints),
			   "%s: %s base %" PRIx64 " size %" PRIu64 " %s (%s) as /proc/modules "
			   "(got %" PRIx64 " %" PRIu64 " %s (%s))", dump, pm[i].name, pm[i].base,
			   pm[i].size, pm[i].state, pm[i].taints, m ? m->base : 0,
			   m ? m->size : 0, m ? vm_module_state_name(m->state) : "-", taints);
		}
	}
	vm_kernel_close(k);
}

/* Every directory of the corpus (two levels) whose serial.log has the
 * guest's /proc/modules, with the dumps beside it. */
static void walk(const char *dir, int depth)
{
	char path[2048];
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	snprintf(path, sizeof(path), "%s/serial.log", dir);
	if (file_has(path, "=== GT modules")) {
		while ((de = readdir(d)))
			if (!strncmp(de->d_name, "vmcore", 6) &&
			    !strstr(de->d_name, ".zst") && !strstr(de->d_name, ".xz")) {
				snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
				procmodules(dir, path);
			}
		rewinddir(d);
	}
	while (depth > 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		walk(path, depth - 1);
	}
	closedir(d);
}

int main(void)
{
	const char *fix = getenv("VMCORE_FIXTURES");

	if (!fix)
		fix = "../shared/fixtures";
	if (access(fix, R_OK)) {
		printf("1..0 # SKIP corpus %s absent\n", fix);
		return 0;
	}
	crashmod(fix, "oops-module", "vmcore.kdump-zlib");
	crashmod(fix, "bug-module", "vmcore.kdump-snappy");
	crashmod(fix, "sysrq-c", "vmcore.kdump-zstd");
	walk(fix, 2);
	/* the kernel-span fixtures committed with the tree (their packed QEMU
	 * dumps are checked by tests/modules.bats through the programs) */
	walk("tests/fixtures", 1);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
