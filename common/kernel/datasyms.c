// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Data symbols a text-only kallsyms lacks (see datasyms.h).
 *
 * init_task: the linker puts it at the start of .data (INIT_TASK_DATA,
 * right after init_stack), below init_uts_ns, which VMCOREINFO always
 * names.  sched_init() renames it "swapper/0" (plain "swapper" on UP), so
 * its comm is looked for going down from init_uts_ns; a hit is init_task
 * when its pid is 0 and its tasks list links back to it.
 */
#include "datasyms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cache.h"
#include "../symbols/symbols.h"
#include "debuginfo.h"

#define SCAN_CHUNK    (64u << 10)
#define SCAN_OVERLAP  16u
/* x86_64 6.1: 2.4 MB from init_task up to init_uts_ns */
#define SCAN_BELOW    (32u << 20)

bool vm_kernel_text_only(struct vm_kernel *k)
{
	struct vm_err e;
	/* the kernel's own table: no module walk from here */
	struct vm_symtab *st = vm_kernel_symtab_core(k, &e);

	/* jiffies is a data symbol of every kernel; _stext is text */
	return st && !vm_sym_by_name(st, "jiffies", NULL) &&
	       vm_sym_by_name(st, "_stext", NULL);
}

struct task_probe {
	struct vm_mem *m;
	uint64_t comm, pid, tasks, stack;
};

static bool is_init_task(const struct task_probe *p, uint64_t t)
{
	struct vm_err e;
	uint64_t next, back, stack;
	uint32_t pid;

	if (t & 7)
		return false;
	if (vm_kread_u32(p->m, t + p->pid, &pid, &e) < 0 || pid != 0 ||
	    vm_kread_u64(p->m, t + p->stack, &stack, &e) < 0 || !(stack >> 63) ||
	    vm_kread_u64(p->m, t + p->tasks, &next, &e) < 0 ||
	    vm_kread_u64(p->m, next + 8, &back, &e) < 0)
		return false;
	return back == t + p->tasks;
}

/* The candidates in one chunk read at va, highest first (the scan goes
 * down): 1 found, 0 none. */
static int scan_chunk(const struct task_probe *p, const uint8_t *buf, size_t len,
		      uint64_t va, uint64_t *out)
{
	static const char *const comms[] = { "swapper/0", "swapper" };
	size_t c, i;

	for (c = 0; c < 2; c++) {
		size_t n = strlen(comms[c]) + 1;

		for (i = len - n + 1; i-- > 0;) {
			if (buf[i] != 's' || memcmp(buf + i, comms[c], n) != 0)
				continue;
			if (va + i >= p->comm && is_init_task(p, va + i - p->comm)) {
				*out = va + i - p->comm;
				return 1;
			}
		}
	}
	return 0;
}

static int probe_init(struct vm_kernel *k, struct task_probe *p, struct vm_err *e)
{
	p->m = vm_kernel_mem(k, e);
	if (!p->m)
		return -1;
	if (vm_kernel_offsetof(k, "task_struct", "comm", &p->comm, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "task_struct", "pid", &p->pid, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "task_struct", "tasks", &p->tasks, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "task_struct", "stack", &p->stack, NULL, e) < 0)
		return -1;
	return 0;
}

static int scan_init_task(struct vm_kernel *k, const struct task_probe *pp,
			  uint64_t *out, struct vm_err *e)
{
	struct task_probe p = *pp;
	uint64_t anchor, va, low;
	uint8_t *buf;
	struct vm_err re;

	if (!k->vi || vm_vmci_symbol(k->vi, "init_uts_ns", &anchor) < 0)
		return vm_fail(e, VM_ENOENT, "no init_uts_ns in VMCOREINFO to look "
			       "for init_task from");
	buf = vm_malloc(SCAN_CHUNK + SCAN_OVERLAP, e);
	if (!buf)
		return -1;
	low = anchor > SCAN_BELOW ? anchor - SCAN_BELOW : 0;
	/* chunks end at the anchor and go down, overlapping by a comm */
	for (va = anchor; va > low;) {
		uint64_t start = va - low > SCAN_CHUNK ? va - SCAN_CHUNK : low;
		size_t len = (size_t)(va - start + (va == anchor ? 0 : SCAN_OVERLAP));

		if (vm_kread(p.m, start, buf, len, &re) == 0 &&
		    scan_chunk(&p, buf, len, start, out)) {
			free(buf);
			return 0;
		}
		va = start;
	}
	free(buf);
	return vm_fail(e, VM_ENOENT, "no init_task (comm \"swapper/0\", pid 0, a task "
		       "list) in the %u MB below init_uts_ns %#" PRIx64,
		       SCAN_BELOW >> 20, anchor);
}

/* What the scan checks of a candidate, for one taken from the cache. */
static bool looks_like_init_task(const struct task_probe *p, uint64_t t)
{
	char comm[16];
	struct vm_err e;

	if (vm_kread(p->m, t + p->comm, comm, sizeof(comm), &e) < 0)
		return false;
	comm[sizeof(comm) - 1] = '\0';
	return (!strcmp(comm, "swapper/0") || !strcmp(comm, "swapper")) &&
	       is_init_task(p, t);
}

/*
 * Cached as the distance from _stext (KASLR moves both): in this dump
 * file's record (a second run on the file skips the scan), and keyed by
 * the kallsyms tables' entry (the same build: another dump of it looks
 * there first).  Either is checked as the scan checks what it finds
 * before it is used; one that fails is dropped and the scan runs.
 */
#define IT_KIND "init_task"
#define IT_VERSION 1

int vm_derive_init_task(struct vm_kernel *k, uint64_t *addr, struct vm_err *e)
{
	const struct vm_cache_ref *ref = vm_cache_sess_get(k->cache, IT_KIND);
	const struct vm_cache_ref *kref = vm_cache_sess_get(k->cache, "kallsyms");
	struct vm_cache_part in;
	struct vm_cache_entry ent;
	struct vm_cache_ref nref;
	struct task_probe p;
	uint64_t stext, delta;
	bool have_stext;
	int rc;

	if (probe_init(k, &p, e) < 0)
		return -1;
	have_stext = k->vi && vm_vmci_symbol(k->vi, "_stext", &stext) == 0;
	if (have_stext && ref && looks_like_init_task(&p, stext + ref->value[0])) {
		*addr = stext + ref->value[0];
		return 0;
	}
	if (kref) {
		in.p = &kref->fp;
		in.len = sizeof(kref->fp);
	}
	if (have_stext && kref &&
	    vm_cache_lookup(k->opts, IT_KIND, IT_VERSION, &in, 1, &ent) == 0) {
		bool ok = ent.der_len == sizeof(delta);

		if (ok)
			memcpy(&delta, ent.der, sizeof(delta));
		vm_cache_entry_release(&ent);
		if (ok && looks_like_init_task(&p, stext + delta)) {
			*addr = stext + delta;
			goto record;
		}
	}
	/* what the scan reads is not kept in the page store: its answer is
	 * (the entry below, the record) */
	vm_dump_page_keep_hold(k->dump, true);
	rc = scan_init_task(k, &p, addr, e);
	vm_dump_page_keep_hold(k->dump, false);
	if (rc < 0)
		return -1;
	if (!have_stext)
		return 0;
	delta = *addr - stext;
	if (kref) {
		struct vm_cache_part der = { &delta, sizeof(delta) };

		vm_cache_store(k->opts, IT_KIND, IT_VERSION, &in, 1, &der, 1, NULL);
	}
record:
	memset(&nref, 0, sizeof(nref));
	snprintf(nref.kind, sizeof(nref.kind), "%s", IT_KIND);
	nref.kind_version = IT_VERSION;
	nref.value[0] = delta;
	vm_cache_sess_put(k->cache, &nref);
	return 0;
}
