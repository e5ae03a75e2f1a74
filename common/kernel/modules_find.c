// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The `modules` list head of a kernel whose kallsyms lists text symbols
 * only (see modules.h).
 *
 * `modules` is a LIST_HEAD in kernel/module/main.c (kernel/module.c before
 * v5.19): initialised data, so in the image's .data, which starts with
 * init_task (INIT_TASK_DATA) -- found in memory already (datasyms.c).  The
 * scan goes up from init_task looking for a {next, prev} pair whose next
 * is the `list` of a struct module:
 *   - state is an enum module_state (0..3),
 *   - name is a module name (1..55 of [A-Za-z0-9_-], NUL-terminated),
 *   - mkobj.mod points back at the module (module_kobject, v2.6.x+),
 *   - its list.prev is the candidate head, and prev's is a module too.
 * The whole ring is then walked: every node but the head must be such a
 * module.  A kernel with no module loaded has an empty list, which nothing
 * tells apart from the other empty lists: that is VM_ENOENT, said so.
 */
#include "modules.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cache.h"
#include "../rd.h"
#include "datasyms.h"
#include "list.h"

#define SCAN_CHUNK   (64u << 10)
/* x86_64 6.1: `modules` is 1.1 MB above init_task; .data of a distro
 * kernel is a few MB.  Reads past the image stop the scan earlier. */
#define SCAN_ABOVE   (32u << 20)
#define NAME_MAX_MOD 64u

struct mod_probe {
	struct vm_mem *m;
	uint64_t list, name, name_size, state, mkobj_mod;
};

static bool name_ok(const char *n, size_t len)
{
	size_t i;

	for (i = 0; i < len && n[i]; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' && n[i] <= 'Z') ||
		      (n[i] >= '0' && n[i] <= '9') || n[i] == '_' || n[i] == '-'))
			return false;
	return i > 0 && i < len;
}

/* Is the list_head at node the `list` of a struct module? */
static bool is_module_list(const struct mod_probe *p, uint64_t node)
{
	char name[NAME_MAX_MOD];
	struct vm_err e;
	uint64_t mod, back;
	uint32_t state;

	if (node & 7 || !(node >> 63) || node < p->list)
		return false;
	mod = node - p->list;
	if (vm_kread_u32(p->m, mod + p->state, &state, &e) < 0 || state > VM_MODULE_UNFORMED ||
	    vm_kread(p->m, mod + p->name, name, (size_t)p->name_size, &e) < 0 ||
	    !name_ok(name, (size_t)p->name_size) ||
	    vm_kread_u64(p->m, mod + p->mkobj_mod, &back, &e) < 0)
		return false;
	return back == mod;
}

/* Does the ring anchored at head hold modules only? */
static bool ring_ok(const struct mod_probe *p, uint64_t head)
{
	struct vm_list_walk w;
	struct vm_err e;
	uint64_t node;
	int r;

	vm_list_init(&w, p->m, head, 8192, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, &e)) == 1)
		if (!is_module_list(p, node))
			return false;
	return r == 0 && w.count > 0;
}

/* The pair {next, prev} at h heads the ring of modules. */
static bool is_modules_head(void *ctx, uint64_t h, uint64_t next, uint64_t prev)
{
	const struct mod_probe *p = ctx;
	struct vm_err e;
	uint64_t back;

	if (next == h || (next & 7) || (prev & 7) || !(next >> 63) || !(prev >> 63))
		return false;
	if (!is_module_list(p, next) ||
	    vm_kread_u64(p->m, next + 8, &back, &e) < 0 || back != h ||
	    !is_module_list(p, prev))
		return false;
	return ring_ok(p, h);
}

static int probe_layout(struct vm_kernel *k, struct mod_probe *p, struct vm_err *e)
{
	p->m = vm_kernel_mem(k, e);
	if (!p->m)
		return -1;
	if (vm_kernel_offsetof(k, "module", "list", &p->list, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "module", "name", &p->name, &p->name_size, e) < 0 ||
	    vm_kernel_offsetof(k, "module", "state", &p->state, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "module", "mkobj.mod", &p->mkobj_mod, NULL, e) < 0)
		return -1;
	if (p->name_size < 2 || p->name_size > NAME_MAX_MOD)
		return vm_fail(e, VM_EFORMAT, "module.name is %" PRIu64 " bytes", p->name_size);
	return 0;
}

typedef bool (*head_test)(void *ctx, uint64_t h, uint64_t next, uint64_t prev);

/* The first list head at or above init_task that test accepts. */
static int scan(struct vm_kernel *k, struct vm_mem *m, head_test test, void *ctx,
		const char *what, uint64_t *out, struct vm_err *e)
{
	uint64_t start, va;
	uint8_t *buf;
	struct vm_err re;

	if (vm_kernel_symbol(k, "init_task", &start, e) < 0)
		return -1;
	buf = vm_malloc(SCAN_CHUNK + 8, e);
	if (!buf)
		return -1;
	start &= ~UINT64_C(7);
	for (va = start; va - start < SCAN_ABOVE; va += SCAN_CHUNK) {
		size_t i;

		/* one word more, for the prev of a pair at the chunk's end */
		if (vm_kread(m, va, buf, SCAN_CHUNK + 8, &re) < 0)
			break;
		for (i = 0; i < SCAN_CHUNK; i += 8) {
			uint64_t next = vm_rd64(buf + i, true), prev = vm_rd64(buf + i + 8, true);

			if ((next >> 63) && (prev >> 63) && test(ctx, va + i, next, prev)) {
				*out = va + i;
				free(buf);
				return 0;
			}
		}
	}
	free(buf);
	return vm_fail(e, VM_ENOENT, "no %s in the %" PRIu64 " KB of kernel data above "
		       "init_task %#" PRIx64, what, (va - start) >> 10, start);
}

/* Does test accept the pair at h? */
static bool head_ok(struct vm_mem *m, head_test test, void *ctx, uint64_t h)
{
	uint8_t pair[16];
	struct vm_err re;

	return vm_kread(m, h, pair, sizeof(pair), &re) == 0 &&
	       test(ctx, h, vm_rd64(pair, true), vm_rd64(pair + 8, true));
}

/* The head test accepts, found by scan() or taken from the cache, as
 * init_task is (datasyms.c): the distance from _stext (KASLR moves both)
 * in this dump file's record, and keyed by the kallsyms tables' entry for
 * other dumps of the build; a cached value is tested like a found one
 * before use. */
#define HEAD_VERSION 1

static int find_head(struct vm_kernel *k, struct vm_mem *m, head_test test, void *ctx,
		     const char *kind, const char *what, uint64_t *head, struct vm_err *e)
{
	const struct vm_cache_ref *ref = vm_cache_sess_get(k->cache, kind);
	const struct vm_cache_ref *kref = vm_cache_sess_get(k->cache, "kallsyms");
	struct vm_cache_part in = { NULL, 0 };
	struct vm_cache_entry ent;
	struct vm_cache_ref nref;
	uint64_t stext = 0, delta, h = 0;
	bool have_stext = k->vi && vm_vmci_symbol(k->vi, "_stext", &stext) == 0;
	int rc;

	if (have_stext && ref && head_ok(m, test, ctx, stext + ref->value[0])) {
		*head = stext + ref->value[0];
		return 0;
	}
	if (kref) {
		in.p = &kref->fp;
		in.len = sizeof(kref->fp);
	}
	if (have_stext && kref &&
	    vm_cache_lookup(k->opts, kind, HEAD_VERSION, &in, 1, &ent) == 0) {
		bool ok = ent.der_len == sizeof(delta);

		if (ok)
			memcpy(&delta, ent.der, sizeof(delta));
		vm_cache_entry_release(&ent);
		if (ok && head_ok(m, test, ctx, stext + delta)) {
			*head = stext + delta;
			goto record;
		}
	}
	/* the scan's pages are not kept in the page store: its answer is */
	vm_dump_page_keep_hold(k->dump, true);
	rc = scan(k, m, test, ctx, what, &h, e);
	vm_dump_page_keep_hold(k->dump, false);
	if (rc < 0)
		return -1;
	*head = h;
	if (!have_stext)
		return 0;
	delta = h - stext;
	if (kref) {
		struct vm_cache_part der = { &delta, sizeof(delta) };

		vm_cache_store(k->opts, kind, HEAD_VERSION, &in, 1, &der, 1, NULL);
	}
record:
	memset(&nref, 0, sizeof(nref));
	snprintf(nref.kind, sizeof(nref.kind), "%s", kind);
	nref.kind_version = HEAD_VERSION;
	nref.value[0] = *head - stext;
	vm_cache_sess_put(k->cache, &nref);
	return 0;
}

int vm_derive_modules_head(struct vm_kernel *k, uint64_t *head, struct vm_err *e)
{
	struct mod_probe p;

	if (probe_layout(k, &p, e) < 0)
		return -1;
	if (find_head(k, p.m, is_modules_head, &p, "modules-head", "list of modules",
		      head, e) < 0) {
		vm_err_prefix(e, "(no module loaded?) ");
		return -1;
	}
	return 0;
}

/* ---- btf_modules: struct btf_module {list, module, btf} per module
 * with BTF (kernel/bpf/btf.c, v5.11+) ---- */

struct btfmod_probe {
	struct vm_mem *m;
	const struct vm_modlist *ml;
	uint64_t bm_list, bm_module, bm_btf, btf_name, btf_name_size;
};

/* node is the list of a btf_module whose module is a loaded one and whose
 * btf carries that module's name */
static bool is_btf_module(const struct btfmod_probe *p, uint64_t node)
{
	char name[NAME_MAX_MOD];
	struct vm_err e;
	uint64_t bm, mod, btf;
	size_t i;

	if (node & 7 || !(node >> 63) || node < p->bm_list)
		return false;
	bm = node - p->bm_list;
	if (vm_kread_u64(p->m, bm + p->bm_module, &mod, &e) < 0 ||
	    vm_kread_u64(p->m, bm + p->bm_btf, &btf, &e) < 0 ||
	    vm_kread(p->m, btf + p->btf_name, name, (size_t)p->btf_name_size, &e) < 0)
		return false;
	name[p->btf_name_size - 1] = '\0';
	for (i = 0; i < p->ml->n; i++)
		if (p->ml->mods[i].addr == mod && !strcmp(p->ml->mods[i].name, name))
			return true;
	return false;
}

static bool is_btf_modules_head(void *ctx, uint64_t h, uint64_t next, uint64_t prev)
{
	const struct btfmod_probe *p = ctx;
	struct vm_list_walk w;
	struct vm_err e;
	uint64_t node;
	int r;

	if (next == h || (next & 7) || (prev & 7) || !is_btf_module(p, next) ||
	    !is_btf_module(p, prev))
		return false;
	vm_list_init(&w, p->m, h, 8192, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, &e)) == 1)
		if (!is_btf_module(p, node))
			return false;
	return r == 0;
}

int vm_derive_btf_modules_head(struct vm_kernel *k, uint64_t *head, struct vm_err *e)
{
	struct btfmod_probe p;

	p.m = vm_kernel_mem(k, e);
	if (!p.m)
		return -1;
	p.ml = vm_kernel_modules(k, e);
	if (!p.ml)
		return -1;
	if (!p.ml->n)
		return vm_fail(e, VM_ENOENT, "no module loaded");
	if (vm_kernel_offsetof(k, "btf_module", "list", &p.bm_list, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "btf_module", "module", &p.bm_module, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "btf_module", "btf", &p.bm_btf, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "btf", "name", &p.btf_name, &p.btf_name_size, e) < 0)
		return -1;
	if (p.btf_name_size < 2 || p.btf_name_size > NAME_MAX_MOD)
		return vm_fail(e, VM_EFORMAT, "btf.name is %" PRIu64 " bytes", p.btf_name_size);
	return find_head(k, p.m, is_btf_modules_head, &p, "btfmods-head",
			 "list of module BTF (btf_modules)", head, e);
}
