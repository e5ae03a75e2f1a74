// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/kernel/vars.c (variables with their own types,
 * per-CPU variables, SYMBOL+OFF) and entries.c / rbtree.c / xarray.c on
 * the fixture dumps, against crash 8.0.2 on the same dumps
 * (tests/ref/SCN/mods/NAME.txt, made by tests/ref/make-refs-mods.sh):
 *   p jiffies_64, p/x jiffies_64, p init_task.comm, p cpu_number (its
 *   type and per-CPU addresses), p cpu_number:a, p irq_stat:a,
 *   p crashmod_state.answer; list module.list -H modules, list
 *   crashmod_node.link -H crashmod_state+48, tree -t rbtree vmap_area_root,
 *   tree -t xarray irq_desc_tree / init_pid_ns.idr.idr_rt.
 * Values print through the type layer's printer as crash's p does, with
 * crash's "$N = " left out.  With DWARF (-k vmlinux, -M for crashmod) and,
 * for the per-CPU variables, from the dump's BTF alone; on the arm64 dump
 * per_cpu(cpu_number, n) is n.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/entries.h"
#include "kernel/kernel.h"
#include "kernel/percpu.h"
#include "kernel/tasks.h"
#include "kernel/vars.h"
#include "out/var.h"
#include "out/words.h"
#include "out/walk.h"
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

/* A reference file without its first (# command) line, "$N = " removed,
 * or NULL when absent. */
static char *ref(const char *scn, const char *name)
{
	char path[512], line[4096];
	size_t len = 0, cap = 1 << 16;
	char *out;
	FILE *f;
	bool first = true;

	snprintf(path, sizeof(path), "tests/ref/%s/mods/%s.txt", scn, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	out = calloc(1, cap);
	while (out && fgets(line, sizeof(line), f)) {
		char *d = strstr(line, "$"), *q;

		if (first) {
			first = false;
			continue;
		}
		/* "jiffies_64 = $1 = 4" -> "jiffies_64 = 4"; "$2 = 0x.." -> "0x.." */
		if (d && (q = strstr(d, " = ")) && q - d < 8 && (d == line || d[-1] == ' ')) {
			memmove(d, q + 3, strlen(q + 3) + 1);
		}
		if (len + strlen(line) + 1 > cap)
			break;
		memcpy(out + len, line, strlen(line) + 1);
		len += strlen(line);
	}
	fclose(f);
	return out;
}

struct env_ctx {
	struct vm_mem *m;
};

static int read_cb(void *p, uint64_t addr, void *buf, size_t len, struct vm_err *e)
{
	struct env_ctx *c = p;

	return vm_kread(c->m, addr, buf, len, e);
}

/* v's value at addr as the type layer prints it, prefixed like crash */
static char *print_var(struct vm_kernel *k, const struct vm_var *v, uint64_t addr,
		       const char *prefix, unsigned flags)
{
	struct env_ctx c = { k->mem };
	struct vm_value_env env = { &c, read_cb, NULL };
	struct vm_err e;
	char *out = NULL;
	size_t len = 0;
	uint8_t buf[8192];
	FILE *f;

	if (v->size > sizeof(buf) || vm_kread(k->mem, addr, buf, (size_t)v->size, &e) < 0)
		return NULL;
	f = open_memstream(&out, &len);
	fputs(prefix, f);
	if (vm_value_print(v->ts, f, v->type, addr, buf, (size_t)v->size, &env, flags, 0,
			   &e) < 0)
		fprintf(f, "<%s>", e.msg);
	fputc('\n', f);
	fclose(f);
	return out;
}

/* common/out/var.c's text for v on cpu */
static char *out_var(struct vm_kernel *k, const struct vm_var *v, const struct vm_percpu *pc,
		     int cpu, unsigned flags)
{
	struct env_ctx c = { k->mem };
	struct vm_value_env env = { &c, read_cb, NULL };
	struct vm_err e;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (vm_out_var(f, NULL, v, pc, cpu, &env, flags, &e) < 0)
		fprintf(f, "error: %s\n", e.msg);
	fclose(f);
	return out;
}

static void same(const char *got, const char *want, const char *what)
{
	ok(got && want && !strcmp(got, want), "%s%s", what, want ? "" : " (no reference)");
	if (got && want && strcmp(got, want))
		printf("# got:\n%s# want:\n%s", got, want);
}

static void check_values(const char *scn, struct vm_kernel *k, bool dwarf)
{
	struct vm_var v;
	struct vm_percpu pc;
	struct vm_err e = { 0 };
	uint64_t addr;
	char *got, *want, label[256];
	const char *how = dwarf ? "DWARF" : "BTF";

	if (dwarf) {
		if (vm_var_lookup(k, "jiffies_64", &v, &e) == 0) {
			got = out_var(k, &v, NULL, VM_VAR_NO_CPU, 0);
			want = ref(scn, "p-jiffies_64");
			snprintf(label, sizeof(label), "%s %s: p jiffies_64 as crash", scn, how);
			same(got, want, label);
			free(got);
			free(want);
			got = out_var(k, &v, NULL, VM_VAR_NO_CPU, VM_VPRINT_HEX);
			want = ref(scn, "px-jiffies_64");
			snprintf(label, sizeof(label), "%s %s: p/x jiffies_64 as crash", scn, how);
			same(got, want, label);
			free(got);
			free(want);
		} else {
			ok(0, "%s: jiffies_64: %s", scn, e.msg);
		}
		if (vm_var_lookup(k, "init_task.comm", &v, &e) == 0) {
			got = out_var(k, &v, NULL, VM_VAR_NO_CPU, 0);
			want = ref(scn, "p-init_task.comm");
			snprintf(label, sizeof(label), "%s %s: p init_task.comm as crash", scn, how);
			same(got, want, label);
			free(got);
			free(want);
		} else {
			ok(0, "%s: init_task.comm: %s", scn, e.msg);
		}
		if (vm_var_lookup(k, "crashmod_state.answer", &v, &e) == 0 &&
		    vm_var_addr(&v, NULL, 0, &addr, &e) == 0) {
			got = print_var(k, &v, addr, "", 0);
			want = ref(scn, "p-crashmod_state.answer");
			snprintf(label, sizeof(label), "%s %s: p crashmod_state.answer (module "
				 "variable, -M) as crash", scn, how);
			same(got, want, label);
			ok(v.module && !strcmp(v.module, "crashmod"), "%s: crashmod_state is "
			   "crashmod's", scn);
			free(got);
			free(want);
		} else {
			ok(0, "%s: crashmod_state.answer: %s", scn, e.msg);
		}
	} else {
		/* the dump's BTF has no VAR for a plain global: said, not guessed */
		ok(vm_var_lookup(k, "jiffies_64", &v, &e) < 0 && e.code == VM_ENOENT &&
		   strstr(e.msg, "per-CPU variables only"), "%s BTF: jiffies_64's type "
		   "unknown, and why (%s)", scn, e.msg);
	}

	/* crash's task -R thread.sp 1: a member of PID 1's task_struct */
	{
		struct vm_tasklist tl;
		const struct vm_task_info *t;
		char *r = ref(scn, "task-R-thread.sp-1"), *line2 = r ? strchr(r, '\n') : NULL;

		if (vm_tasks_collect(k, VM_TASKS_NOMEM, &tl, &e) == 0) {
			t = vm_tasklist_by_pid(&tl, 1);
			if (t && vm_var_at(k, "task_struct", t->task, "thread.sp", &v, &e) == 0 &&
			    vm_var_addr(&v, NULL, 0, &addr, &e) == 0 &&
			    (got = print_var(k, &v, addr, "  thread.sp = ", 0))) {
				char *nl = line2 ? strchr(line2 + 1, '\n') : NULL;

				if (nl)
					*nl = '\0';
				/* crash ends a member line with a comma */
				got[strlen(got) - 1] = ',';
				snprintf(label, sizeof(label), "%s %s: task -R thread.sp 1 as crash",
					 scn, how);
				ok(line2 && !strcmp(got, line2 + 1), "%s", label);
				if (line2 && strcmp(got, line2 + 1))
					printf("# got '%s' want '%s'\n", got, line2 + 1);
				free(got);
			} else {
				ok(0, "%s %s: PID 1 thread.sp: %s", scn, how, e.msg);
			}
			vm_tasklist_free(&tl);
		}
		free(r);
	}

	/* per-CPU: the type and the addresses, then each CPU's value */
	if (vm_var_lookup(k, "cpu_number", &v, &e) < 0 || vm_percpu_open(k, &pc, &e) < 0) {
		ok(0, "%s %s: cpu_number: %s", scn, how, e.msg);
		return;
	}
	got = out_var(k, &v, &pc, VM_VAR_NO_CPU, 0);
	want = ref(scn, "p-cpu_number");
	snprintf(label, sizeof(label), "%s %s: p cpu_number (per-CPU type and addresses) as "
		 "crash", scn, how);
	same(got, want, label);
	free(got);
	free(want);
	got = out_var(k, &v, &pc, VM_VAR_ALL_CPUS, 0);
	want = ref(scn, "p-cpu_number-a");
	snprintf(label, sizeof(label), "%s %s: p cpu_number:a as crash", scn, how);
	same(got, want, label);
	free(got);
	free(want);
	if (vm_var_lookup(k, "irq_stat", &v, &e) == 0) {
		got = out_var(k, &v, &pc, VM_VAR_ALL_CPUS, 0);
		want = ref(scn, "p-irq_stat-a");
		snprintf(label, sizeof(label), "%s %s: p irq_stat:a (per-CPU struct) as crash",
			 scn, how);
		same(got, want, label);
		free(got);
		free(want);
		got = out_var(k, &v, &pc, 1, 0);
		want = ref(scn, "p-irq_stat-1");
		snprintf(label, sizeof(label), "%s %s: p irq_stat:1 as crash", scn, how);
		same(got, want, label);
		free(got);
		free(want);
	} else {
		ok(0, "%s %s: irq_stat: %s", scn, how, e.msg);
	}
	vm_percpu_close(&pc);
}

/* crash's list/tree output: the entries' addresses, with -s their
 * members, as common/out/walk.c prints them */
static void check_walk(const char *scn, struct vm_kernel *k, const char *refname,
		       const char *type, const char *member, const char *head,
		       enum vm_walk_kind kind, const char *members)
{
	struct env_ctx c = { k->mem };
	struct vm_value_env env = { &c, read_cb, NULL };
	struct vm_entries w;
	struct vm_err e = { 0 };
	struct vm_types *ts = vm_kernel_types(k, &e);
	const struct vm_type *t = ts && type ? vm_types_find(ts, type, &e) : NULL;
	char *out = NULL, *want, label[256], *mv[1] = { (char *)members };
	size_t len = 0;
	FILE *f;

	want = ref(scn, refname);
	if (!want) {
		printf("# %s: no reference %s\n", scn, refname);
		return;
	}
	f = open_memstream(&out, &len);
	if (vm_entries_open(k, type, member, head, kind, 0, &w, &e) < 0 ||
	    vm_out_entries(f, NULL, &w, ts, t, mv, members ? 1 : 0, &env, 0, &e) < 0)
		fprintf(f, "error: %s\n", e.msg);
	fclose(f);
	snprintf(label, sizeof(label), "%s: %s %s%s%s from %s%s%s as crash's %s", scn,
		 vm_walk_kind_name(kind), type ? type : "", member ? "." : "",
		 member ? member : "", head, members ? " -s " : "", members ? members : "",
		 refname);
	same(out, want, label);
	free(out);
	free(want);
}

static void scenario(const char *fix, const char *scn, const char *file,
		     const char *vmlinux)
{
	char dump[1024], moddir[1024];
	struct vm_opts o;
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	uint64_t a, b;

	snprintf(dump, sizeof(dump), "%s/x86_64-6.1/%s/%s", fix, scn, file);
	snprintf(moddir, sizeof(moddir), "%s/x86_64-6.1", fix);
	if (access(dump, R_OK)) {
		printf("# %s: fixture absent, skipped\n", scn);
		return;
	}
	/* from the dump alone (BTF) */
	memset(&o, 0, sizeof(o));
	k = vm_kernel_open(dump, &o, &e);
	if (!k) {
		ok(0, "%s: open: %s", scn, e.msg);
		return;
	}
	check_values(scn, k, false);
	ok(vm_kernel_resolve_addr(k, "schedule+82", &a, &e) == 0 &&
	   vm_kernel_symbol(k, "schedule", &b, &e) == 0 && a == b + 82,
	   "%s: schedule+82 = schedule + 82", scn);
	ok(vm_kernel_resolve_addr(k, "schedule+0x52", &a, &e) == 0 && a == b + 0x52,
	   "%s: schedule+0x52", scn);
	ok(vm_kernel_resolve_addr(k, "schedule+x", &a, &e) < 0 && e.code == VM_EINVAL,
	   "%s: schedule+x refused (%s)", scn, e.msg);
	ok(vm_kernel_resolve_addr(k, "no_such_symbol_here+1", &a, &e) < 0 &&
	   e.code == VM_ENOENT, "%s: unknown symbol refused (%s)", scn, e.msg);
	/* crash's rd: words and their bytes */
	{
		const char *names[] = { "rd-jiffies_64-3", "rd-crashmod_state-9" };
		const char *syms[] = { "jiffies_64", "crashmod_state" };
		const uint64_t counts[] = { 3, 9 };
		struct env_ctx c = { k->mem };
		struct vm_value_env env = { &c, read_cb, NULL };
		unsigned i;

		for (i = 0; i < 2; i++) {
			char *out = NULL, *want = ref(scn, names[i]), label[128];
			size_t len = 0;
			FILE *f = open_memstream(&out, &len);

			if (vm_kernel_resolve_addr(k, syms[i], &a, &e) < 0 ||
			    vm_out_words(f, NULL, a, counts[i], false, &env, &e) < 0)
				fprintf(f, "error: %s\n", e.msg);
			fclose(f);
			snprintf(label, sizeof(label), "%s: rd %s %" PRIu64 " as crash", scn, syms[i],
				 counts[i]);
			same(out, want, label);
			free(out);
			free(want);
		}
	}
	check_walk(scn, k, "list-modules", "module", "list", "modules", VM_WALK_AUTO, "name");
	check_walk(scn, k, "tree-vmap_area_root", "vmap_area", "rb_node", "vmap_area_root",
		   VM_WALK_RBTREE, NULL);
	check_walk(scn, k, "tree-irq_desc_tree", NULL, NULL, "irq_desc_tree", VM_WALK_XARRAY,
		   NULL);
	vm_kernel_close(k);
	if (!vmlinux)
		return;
	/* with DWARF, and the module's .ko */
	memset(&o, 0, sizeof(o));
	o.vmlinux = vmlinux;
	o.moddir = moddir;
	k = vm_kernel_open(dump, &o, &e);
	if (!k) {
		ok(0, "%s: open: %s", scn, e.msg);
		return;
	}
	check_values(scn, k, true);
	check_walk(scn, k, "list-crashmod_nodes", "crashmod_node", "link", "crashmod_state.nodes",
		   VM_WALK_AUTO, "id");
	check_walk(scn, k, "list-o-crashmod_nodes", "crashmod_node", "link",
		   "crashmod_state.nodes", VM_WALK_AUTO, NULL);
	check_walk(scn, k, "tree-init_pid_ns.idr", "pid", NULL, "init_pid_ns.idr.idr_rt",
		   VM_WALK_AUTO, NULL);
	check_walk(scn, k, "tree-s-init_pid_ns.idr", "pid", NULL, "init_pid_ns.idr.idr_rt",
		   VM_WALK_AUTO, "level");
	check_walk(scn, k, "tree-vmap_area_root", "vmap_area", "rb_node", "vmap_area_root",
		   VM_WALK_AUTO, NULL);
	vm_kernel_close(k);
}

static void arm64(const char *fix)
{
	char dump[1024];
	struct vm_opts o = { 0 };
	struct vm_kernel *k;
	struct vm_err e = { 0 };
	struct vm_var v;
	struct vm_percpu pc;
	unsigned cpu;

	snprintf(dump, sizeof(dump), "%s/arm64-6.1-debian/vmcore.qemu-kdump-zlib", fix);
	if (access(dump, R_OK))
		return;
	k = vm_kernel_open(dump, &o, &e);
	if (!k || vm_var_lookup(k, "cpu_number", &v, &e) < 0 || vm_percpu_open(k, &pc, &e) < 0) {
		ok(0, "arm64: cpu_number: %s", e.msg);
		vm_kernel_close(k);
		return;
	}
	ok(v.percpu && pc.nr_cpu_ids == 2, "arm64: cpu_number is per-CPU (BTF DATASEC), 2 CPUs");
	for (cpu = 0; cpu < pc.nr_cpu_ids; cpu++) {
		uint64_t addr;
		uint32_t val = 99;

		bool got = vm_var_addr(&v, &pc, cpu, &addr, &e) == 0 &&
			   vm_kread_u32(k->mem, addr, &val, &e) == 0;

		ok(got && val == cpu, "arm64: per_cpu(cpu_number, %u) = %u (got %u)", cpu, cpu,
		   val);
	}
	vm_percpu_close(&pc);
	vm_kernel_close(k);
}

int main(void)
{
	const char *fix = getenv("VMCORE_FIXTURES");
	char *vmlinux;

	if (!fix)
		fix = "../shared/fixtures";
	if (access(fix, R_OK)) {
		printf("1..0 # SKIP corpus %s absent\n", fix);
		return 0;
	}
	vmlinux = fixture("x86_64-6.1/vmlinux.xz");
	if (!vmlinux)
		printf("# vmlinux fixture not available: DWARF checks skipped\n");
	scenario(fix, "oops-module", "vmcore.kdump-zlib", vmlinux);
	scenario(fix, "bug-module", "vmcore.kdump-snappy", vmlinux);
	scenario(fix, "sysrq-c", "vmcore.kdump-zstd", vmlinux);
	arm64(fix);
	free(vmlinux);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
