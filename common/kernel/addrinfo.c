// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address classification (see addrinfo.h).  Each source (symbols, tasks'
 * stacks, slab caches, vmalloc areas, the mem_map) is read the first time
 * an address needs it.
 */
#include "addrinfo.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memmap.h"
#include "modules.h"
#include "stack.h"
#include "tasks.h"

struct stk {
	uint64_t lo, hi, task;
	int32_t pid;
	int cpu;
	char comm[17];
	char kind[16];
};

struct vm_addrinfo {
	struct vm_kernel *k;
	struct vm_mem *m;
	uint64_t user_top;
	bool sym_tried;
	struct vm_symtab *st;
	uint64_t img_lo, img_hi;
	struct vm_memmap mm;
	bool have_mm;
	struct vm_err mm_err;
	struct vm_page_layout pl;
	bool have_pl;
	struct vm_slub *slub;
	bool slub_tried;
	struct vm_err slub_err;
	struct vm_vmap_list vl;
	bool vl_tried, have_vl;
	struct vm_err vl_err;
	bool stk_tried;
	struct stk *stk;
	size_t nstk;
	struct vm_err stk_err;
};

static const char *const kind_names[] = {
	[VM_ADDR_USER] = "user", [VM_ADDR_STACK] = "stack", [VM_ADDR_SYMBOL] = "symbol",
	[VM_ADDR_SLAB] = "slab", [VM_ADDR_PAGE] = "page", [VM_ADDR_MEMMAP] = "mem_map",
	[VM_ADDR_VMALLOC] = "vmalloc", [VM_ADDR_MAPPED] = "mapped",
	[VM_ADDR_EXCLUDED] = "excluded", [VM_ADDR_UNMAPPED] = "unmapped",
};

const char *vm_addr_kind_name(enum vm_addr_kind k)
{
	return kind_names[k];
}

struct vm_addrinfo *vm_addrinfo_open(struct vm_kernel *k, struct vm_err *e)
{
	struct vm_addrinfo *ai = vm_calloc(1, sizeof(*ai), e);
	uint64_t po;

	if (!ai)
		return NULL;
	ai->k = k;
	ai->m = vm_kernel_mem(k, e);
	if (!ai->m) {
		free(ai);
		return NULL;
	}
	/* the user half: x86_64 47 bits (56 with LA57, whose direct map
	 * lies below 0xffff000000000000), arm64 VA_BITS (-PAGE_OFFSET) */
	po = vm_mem_page_offset(ai->m);
	if (!strcmp(vm_mem_arch(ai->m)->name, "x86_64"))
		ai->user_top = po && po < 0xffff000000000000ull ? 1ull << 56 : 1ull << 47;
	else
		ai->user_top = po ? -po : 1ull << 48;
	ai->have_mm = vm_memmap_open(k, &ai->mm, &ai->mm_err) == 0;
	ai->have_pl = vm_page_layout_init(k, &ai->pl, &ai->mm_err) == 0;
	return ai;
}

void vm_addrinfo_close(struct vm_addrinfo *ai)
{
	if (!ai)
		return;
	vm_slub_close(ai->slub);
	vm_vmap_list_free(&ai->vl);
	free(ai->stk);
	if (ai->have_pl)
		vm_page_layout_free(&ai->pl);
	if (ai->have_mm)
		vm_memmap_close(&ai->mm);
	free(ai);
}

/* ---- sources, read on first use ---- */

static void symbols(struct vm_addrinfo *ai)
{
	struct vm_err e;
	uint64_t v;

	if (ai->sym_tried)
		return;
	ai->sym_tried = true;
	ai->st = vm_kernel_symtab(ai->k, &e);
	if (!ai->st)
		return;
	vm_kernel_load_modules(ai->k, &e);
	if (vm_kernel_symbol(ai->k, "_text", &v, &e) == 0 ||
	    vm_kernel_symbol(ai->k, "_stext", &v, &e) == 0)
		ai->img_lo = v;
	/* _end where kallsyms has data symbols; else the text's end */
	if (vm_kernel_symbol(ai->k, "_end", &v, &e) == 0 ||
	    vm_kernel_symbol(ai->k, "__bss_stop", &v, &e) == 0 ||
	    vm_kernel_symbol(ai->k, "_etext", &v, &e) == 0)
		ai->img_hi = v;
}

static int cmp_stk(const void *a, const void *b)
{
	const struct stk *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int add_stk(struct vm_addrinfo *ai, size_t *cap, const struct vm_stack_area *a,
		   const struct vm_task_info *t, struct vm_err *e)
{
	struct stk *s;

	if (ai->nstk == *cap) {
		size_t ncap = *cap ? *cap * 2 : 128;
		void *p = vm_realloc_array(ai->stk, ncap, sizeof(*ai->stk), e);

		if (!p)
			return -1;
		ai->stk = p;
		*cap = ncap;
	}
	s = &ai->stk[ai->nstk++];
	memset(s, 0, sizeof(*s));
	s->lo = a->lo;
	s->hi = a->hi;
	s->cpu = a->cpu;
	snprintf(s->kind, sizeof(s->kind), "%s", a->name);
	if (t) {
		s->task = t->task;
		s->pid = t->pid;
		snprintf(s->comm, sizeof(s->comm), "%s", t->comm);
	}
	return 0;
}

static void stacks(struct vm_addrinfo *ai)
{
	struct vm_stack_area a[VM_UNWIND_MAX_STACKS];
	struct vm_tasklist tl;
	struct vm_bt *b;
	size_t cap = 0, i;
	unsigned n, j, cpu;

	if (ai->stk_tried)
		return;
	ai->stk_tried = true;
	if (vm_tasks_collect(ai->k, VM_TASKS_NOMEM, &tl, &ai->stk_err) < 0)
		return;
	b = vm_bt_open(ai->k, VM_BT_NO_TABLE, &ai->stk_err);
	if (!b) {
		vm_tasklist_free(&tl);
		return;
	}
	for (i = 0; i < tl.n; i++) {
		n = vm_bt_stacks(b, tl.t[i].task, -1, a, 1);
		if (n && !strcmp(a[0].name, "task") && add_stk(ai, &cap, &a[0], &tl.t[i],
							       &ai->stk_err) < 0)
			goto out;
	}
	for (cpu = 0; cpu < tl.nr_cpu_ids && cpu < 4096; cpu++) {
		n = vm_bt_stacks(b, 0, (int)cpu, a, VM_UNWIND_MAX_STACKS);
		for (j = 0; j < n; j++)
			if (add_stk(ai, &cap, &a[j], NULL, &ai->stk_err) < 0)
				goto out;
	}
	qsort(ai->stk, ai->nstk, sizeof(*ai->stk), cmp_stk);
out:
	vm_bt_close(b);
	vm_tasklist_free(&tl);
}

static const struct stk *stack_of(struct vm_addrinfo *ai, uint64_t addr)
{
	size_t i;

	stacks(ai);
	for (i = 0; i < ai->nstk; i++)
		if (addr >= ai->stk[i].lo && addr < ai->stk[i].hi)
			return &ai->stk[i];
	return NULL;
}

static struct vm_slub *slub(struct vm_addrinfo *ai)
{
	if (!ai->slub_tried) {
		ai->slub_tried = true;
		ai->slub = vm_slub_open(ai->k, &ai->slub_err);
	}
	return ai->slub;
}

static const struct vm_vmap_list *vmaps(struct vm_addrinfo *ai)
{
	if (!ai->vl_tried) {
		ai->vl_tried = true;
		ai->have_vl = vm_vmap_areas(ai->k, &ai->vl, &ai->vl_err) == 0;
	}
	return ai->have_vl ? &ai->vl : NULL;
}

/* ---- the answers ---- */

static void symbolize(struct vm_addrinfo *ai, uint64_t addr, char *buf, size_t len)
{
	const struct vm_sym *s;
	uint64_t off;

	buf[0] = '\0';
	symbols(ai);
	if (!ai->st || !addr)
		return;
	s = vm_sym_by_addr(ai->st, addr, &off);
	if (!s)
		return;
	if (s->module)
		snprintf(buf, len, "%s+%" PRIu64 " [%s]", s->name, off, s->module);
	else
		snprintf(buf, len, "%s+%" PRIu64, s->name, off);
}

static bool in_dump(struct vm_addrinfo *ai, uint64_t pa)
{
	const struct vm_dump_info *di = vm_dump_info(ai->k->dump);
	struct vm_err e;

	return di->page_size && vm_dump_pfn_present(ai->k->dump, pa / di->page_size, &e) == 1;
}

/* the struct page of physical address pa, if the mem_map has it */
static void page_of(struct vm_addrinfo *ai, uint64_t pa, struct vm_addr_info *in)
{
	uint64_t pfn, page;
	struct vm_err e;

	in->have_phys = true;
	in->phys = pa;
	in->in_dump = in_dump(ai, pa);
	if (!ai->have_mm || !ai->have_pl)
		return;
	pfn = pa >> ai->mm.page_shift;
	if (vm_memmap_page(&ai->mm, pfn, &page, &e) < 0 ||
	    vm_page_read(&ai->pl, ai->m, page, pfn, &in->page, &e) < 0)
		return;
	in->have_page = true;
	vm_page_flag_names(&ai->pl, in->page.flags, in->page_flags, sizeof(in->page_flags));
	in->page_type = vm_page_type_name(&ai->pl, &in->page);
}

/* kallsyms leaves out its own tables (kallsyms_names ...) and a few
 * more; VMCOREINFO names some of those: the nearest one below addr, if
 * nearer than the symbol table's (at below) */
static bool vmci_symbol(struct vm_addrinfo *ai, uint64_t addr, uint64_t below,
			struct vm_addr_info *in)
{
	const char *key, *val;
	uint64_t best = 0, v;
	size_t i, blen = 0;
	const char *bname = NULL;

	if (!ai->k->vi)
		return false;
	for (i = 0; (key = vm_vmci_key_at(ai->k->vi, i, &val)) != NULL; i++) {
		size_t kl = strlen(key);

		if (kl < 9 || strncmp(key, "SYMBOL(", 7) || key[kl - 1] != ')')
			continue;
		v = strtoull(val, NULL, 16);
		if (v <= addr && v > below && v >= best && v >= ai->img_lo) {
			best = v;
			bname = key + 7;
			blen = kl - 8;
		}
	}
	if (!bname)
		return false;
	snprintf(in->sym, sizeof(in->sym), "%.*s", (int)blen, bname);
	in->sym_off = addr - best;
	in->sym_type = '?';
	return true;
}

/* The module's nearest symbol at or below addr, whatever its size. */
static const struct vm_sym *module_nearest(struct vm_addrinfo *ai, uint64_t addr,
					   const char *module, uint64_t *off)
{
	size_t lo = 0, hi = vm_symtab_count(ai->st), i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vm_symtab_at(ai->st, mid)->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i > 0; i--) {
		const struct vm_sym *s = vm_symtab_at(ai->st, i - 1);

		if (s->module && !strcmp(s->module, module)) {
			*off = addr - s->addr;
			return s;
		}
		if (lo - i > 64)
			break;
	}
	return NULL;
}

static bool try_symbol(struct vm_addrinfo *ai, uint64_t addr, struct vm_addr_info *in)
{
	const struct vm_module *mod;
	const struct vm_sym *s;
	uint64_t off;

	symbols(ai);
	if (!ai->st)
		return false;
	mod = vm_kernel_module_by_addr(ai->k, addr);
	if (!mod && !(ai->img_lo && addr >= ai->img_lo && addr < ai->img_hi))
		return false;
	s = vm_sym_by_addr(ai->st, addr, &off);
	if (!mod && vmci_symbol(ai, addr, s ? s->addr : 0, in))
		return true;
	if (mod && (!s || !s->module || strcmp(s->module, mod->name)) &&
	    (s = module_nearest(ai, addr, mod->name, &off)) != NULL) {
		/* past the end of the module's last symbol below addr (its
		 * size says so): named after it as crash does, and flagged */
		in->past_size = true;
	} else if (mod && (!s || !s->module || strcmp(s->module, mod->name))) {
		/* module memory without a symbol below it */
		snprintf(in->module, sizeof(in->module), "%s", mod->name);
		snprintf(in->sym, sizeof(in->sym), "(module %s)", mod->name);
		in->sym_off = addr - mod->base;
		in->sym_type = '?';
		return true;
	}
	if (!s)
		return false;
	snprintf(in->sym, sizeof(in->sym), "%s", s->name);
	in->sym_off = off;
	in->sym_type = s->type;
	if (s->module)
		snprintf(in->module, sizeof(in->module), "%s", s->module);
	return true;
}

static int linear(struct vm_addrinfo *ai, uint64_t addr, uint64_t pa, struct vm_addr_info *in,
		  struct vm_err *e)
{
	struct vm_slub *s;
	int r;

	page_of(ai, pa, in);
	in->kind = VM_ADDR_PAGE;
	if (!in->have_page || !in->page.slab)
		return 0;
	s = slub(ai);
	if (!s) {
		snprintf(in->why, sizeof(in->why), "a slab page, but the slab caches cannot be "
			 "read: %.1000s", ai->slub_err.msg);
		return 0;
	}
	r = vm_slub_lookup(s, addr, &in->slab, e);
	if (r < 0) {
		if (e->code == VM_ENOPAGE) {
			in->kind = VM_ADDR_EXCLUDED;
			snprintf(in->why, sizeof(in->why), "slab page whose objects are not in "
				 "the dump: %.1000s", e->msg);
			return 1;
		}
		return -1;
	}
	if (r == 1) {
		in->kind = VM_ADDR_SLAB;
		in->have_slab = true;
	}
	return 0;
}

static int classify(struct vm_addrinfo *ai, uint64_t addr, struct vm_addr_info *in,
		    struct vm_err *e)
{
	const struct vm_vmap_area *va;
	const struct vm_vmap_list *vl;
	const struct stk *sk;
	uint64_t pa, pfn, page;
	struct vm_err te;

	in->vaddr = addr;
	if (addr < ai->user_top) {
		in->kind = VM_ADDR_USER;
		return 0;
	}
	if (addr < 0x8000000000000000ull) {
		in->kind = VM_ADDR_UNMAPPED;
		snprintf(in->why, sizeof(in->why), "not a canonical address (between the "
			 "user and kernel halves)");
		return 1;
	}
	sk = stack_of(ai, addr);
	if (sk) {
		in->kind = VM_ADDR_STACK;
		in->stack_lo = sk->lo;
		in->stack_hi = sk->hi;
		in->pid = sk->pid;
		in->task = sk->task;
		in->cpu = sk->cpu;
		snprintf(in->comm, sizeof(in->comm), "%s", sk->comm);
		snprintf(in->stack_kind, sizeof(in->stack_kind), "%s", sk->kind);
		if ((vl = vmaps(ai)) && (va = vm_vmap_find(vl, addr))) {
			in->have_vmap = true;
			in->vmap = *va;
			symbolize(ai, va->caller, in->caller, sizeof(in->caller));
		}
		if (vm_kvtop(ai->m, addr, &pa, &te) == 0)
			page_of(ai, pa, in);
		return 0;
	}
	if (try_symbol(ai, addr, in)) {
		in->kind = VM_ADDR_SYMBOL;
		if (vm_kvtop(ai->m, addr, &pa, &te) == 0)
			page_of(ai, pa, in);
		return 0;
	}
	if (vm_mem_lin_vtop(ai->m, addr, &pa, NULL) == 0)
		return linear(ai, addr, pa, in, e);
	if (ai->have_mm && vm_memmap_pfn(&ai->mm, addr, &pfn, &page)) {
		in->kind = VM_ADDR_MEMMAP;
		if (ai->have_pl && vm_page_read(&ai->pl, ai->m, page, pfn, &in->page, &te) == 0) {
			uint64_t bpa, bpage;

			if (vm_kvtop(ai->m, addr, &bpa, &te) == 0 &&
			    vm_memmap_page(&ai->mm, bpa >> ai->mm.page_shift, &bpage, &te) == 0) {
				in->have_backing = true;
				in->backing_phys = bpa;
				in->backing_page = bpage;
			}
			in->have_page = true;
			in->have_phys = true;
			in->phys = pfn << ai->mm.page_shift;
			in->in_dump = in_dump(ai, in->phys);
			vm_page_flag_names(&ai->pl, in->page.flags, in->page_flags,
					   sizeof(in->page_flags));
			in->page_type = vm_page_type_name(&ai->pl, &in->page);
			return 0;
		}
		in->kind = VM_ADDR_EXCLUDED;
		snprintf(in->why, sizeof(in->why), "struct page of pfn 0x%" PRIx64 " at 0x%" PRIx64
			 ": %.1000s", pfn, page, te.msg);
		return 1;
	}
	if ((vl = vmaps(ai)) && (va = vm_vmap_find(vl, addr))) {
		in->kind = VM_ADDR_VMALLOC;
		in->have_vmap = true;
		in->vmap = *va;
		symbolize(ai, va->caller, in->caller, sizeof(in->caller));
		if (vm_kvtop(ai->m, addr, &pa, &te) == 0)
			page_of(ai, pa, in);
		else
			snprintf(in->why, sizeof(in->why), "%.1000s", te.msg);
		return 0;
	}
	if (vm_kvtop(ai->m, addr, &pa, &te) == 0) {
		in->kind = VM_ADDR_MAPPED;
		page_of(ai, pa, in);
		return 0;
	}
	in->kind = te.code == VM_ENOPAGE ? VM_ADDR_EXCLUDED : VM_ADDR_UNMAPPED;
	snprintf(in->why, sizeof(in->why), "%.1000s", te.msg);
	return 1;
}

int vm_addrinfo_lookup(struct vm_addrinfo *ai, uint64_t addr, bool phys,
		       struct vm_addr_info *info, struct vm_err *e)
{
	uint64_t va;
	int r;

	memset(info, 0, sizeof(*info));
	info->addr = addr;
	info->phys_given = phys;
	info->cpu = -1;
	if (!phys)
		return classify(ai, addr, info, e);
	if (vm_mem_lin_ptov(ai->m, addr, &va, NULL) == 0) {
		info->vaddr = va;
		r = linear(ai, va, addr, info, e);
		return r;
	}
	page_of(ai, addr, info);
	if (info->have_page) {
		info->kind = VM_ADDR_PAGE;
		return 0;
	}
	info->kind = VM_ADDR_UNMAPPED;
	snprintf(info->why, sizeof(info->why), "physical address 0x%" PRIx64 " is in no "
		 "present memory section%s", addr,
		 ai->have_mm ? "" : " (the mem_map cannot be read)");
	return 1;
}
