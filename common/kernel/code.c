// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The disassembly session: symbols (crash's <sym+off>), modules and their
 * .ko files, and what a TARGET names.
 */
#include "code_impl.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debuginfo.h"

#define MAX_DUPS 16
/* a symbol without a size names addresses up to this far above it */
#define UNSIZED_REACH (1u << 20)

/*
 * With a vmlinux, the kernel's table would be the vmlinux's .symtab: names
 * and sizes of 100k+ symbols, most of a run's time.  The dump's own
 * kallsyms (decoded once per kernel build and cached) has the same names
 * at the same addresses when it lists data symbols too; the sizes then
 * come from the vmlinux by address alone (symsize.h).  Module symbols
 * still come through the kernel's table (need_modules()).
 */
static void fast_symbols(struct vm_code *c)
{
	const struct vm_opts *o = c->k->opts;
	struct vm_err ie;
	const char *vmlinux;
	size_t i;
	bool data = false;

	if (!o || o->sysmap || vm_opt_has(o, "textonly"))
		return;
	vmlinux = vm_code_vmlinux(c, &ie);
	if (!vmlinux)
		return;
	c->kst = vm_symtab_new(&ie);
	/* the kernel's cache record: a dump read before gets its decoded
	 * names from the entry, without reading the tables again */
	if (!c->kst || vm_symtab_load_kallsyms_cached(c->kst, c->mem, c->k->cache, &ie) < 0)
		goto no;
	vm_symtab_finish(c->kst);
	/* text only (no CONFIG_KALLSYMS_ALL): the vmlinux's names are needed */
	/* (from the top: data and bss lie above the text, and each symbol
	 * looked at is made into a struct vm_sym) */
	for (i = vm_symtab_count(c->kst); i-- > 0 && !data;) {
		char t = vm_symtab_at(c->kst, i)->type;

		data = t == 'D' || t == 'd' || t == 'B' || t == 'b' || t == 'R' || t == 'r';
	}
	if (!data)
		goto no;
	c->sizes = vm_symsizes_open(vmlinux, c->slide, &ie);
	if (!c->sizes)
		goto no;
	c->st = c->kst;
	vm_kernel_note(c->k, "vmdis: symbols from the dump's kallsyms (%zu), sizes from %s",
		       vm_symtab_count(c->kst), vmlinux);
	return;
no:
	vm_symtab_free(c->kst);
	c->kst = NULL;
}

uint64_t vm_code_sym_size(const struct vm_code *c, const struct vm_sym *s)
{
	uint64_t z;

	if (!s->module && c->sizes)
		return vm_symsizes_at(c->sizes, s->addr, &z) ? z : 0;
	return s->size;
}

bool vm_code_sizes_known(const struct vm_code *c, const struct vm_sym *s)
{
	return s->module || c->sizes || vm_symtab_source(c->st) == VM_SYMSRC_VMLINUX;
}

struct vm_code *vm_code_open(struct vm_kernel *k, const struct vm_code_opts *o,
			     struct vm_err *e)
{
	struct vm_code *c;
	unsigned i;

	c = vm_calloc(1, sizeof(*c), e);
	if (!c)
		return NULL;
	c->k = k;
	c->o = *o;
	c->mem = vm_kernel_mem(k, e);
	if (!c->mem)
		goto fail;
	fast_symbols(c);
	if (!c->st)
		c->st = vm_kernel_symtab_core(k, e);
	if (!c->st)
		goto fail;
	c->dis = vm_dis_open(vm_mem_arch(c->mem)->e_machine, o->syntax, e);
	if (!c->dis)
		goto fail;
	c->slide = vm_mem_kaslr(c->mem);
	for (i = 0; i < 4; i++)
		c->page[i].base = UINT64_MAX;
	return c;
fail:
	vm_code_close(c);
	return NULL;
}

void vm_code_close(struct vm_code *c)
{
	unsigned i;

	if (!c)
		return;
	for (i = 0; i < c->nmods; i++) {
		vm_patchsites_free(c->mods[i].sites);
		vm_modko_close(c->mods[i].ko);
	}
	vm_patchsites_free(c->ksites);
	vm_symsizes_free(c->sizes);
	vm_symtab_free(c->kst);
	vm_lines_close(c->lines);
	vm_kreloc_free(c->kreloc);
	vm_elffile_close(c->vmimg);
	vm_dis_close(c->dis);
	free(c);
}

/* ---- symbols ---- */

static void need_modules(struct vm_code *c)
{
	struct vm_err ie;

	if (c->modules_tried)
		return;
	c->modules_tried = true;
	if (vm_kernel_load_modules(c->k, &ie) < 0) {
		vm_kernel_note(c->k, "no module symbols: %s", ie.msg);
		return;
	}
	/* the kernel's table now has the modules' symbols too */
	if (c->kst) {
		struct vm_symtab *st = vm_kernel_symtab(c->k, &ie);

		if (st)
			c->st = st;
	}
}

/* The symbol holding addr as crash's value_search() finds it: the nearest
 * one at or below, vmlinux's or a module's. */
const struct vm_sym *vm_code_sym_at(struct vm_code *c, uint64_t addr, uint64_t *off)
{
	const struct vm_sym *s = vm_sym_by_addr(c->st, addr, off);

	/* Not vmlinux's: a module's (modules are only walked when an address
	 * in the kernel half has no vmlinux symbol) */
	if ((!s || s->module) && (addr >> 63) && !c->modules_tried) {
		need_modules(c);
		s = vm_sym_by_addr(c->st, addr, off);
	}
	return s;
}

/*
 * crash's symbol names (symbols.c): of several symbols at one address the
 * first by strcmp() (its table is sorted so, as nm -n), passing over
 * ".text.*", "SyS_*" and "*_text_start" markers when another is there;
 * and gcc's clone suffixes ".isra.N", ".part.N", ".llvm.N" cut off
 * (strip_symbol_end(); ".constprop.N" and ".cold" stay).
 */
static bool crash_skips(const char *name)
{
	size_t l = strlen(name);

	return !strncmp(name, ".text.", 6) || !strncmp(name, "SyS_", 4) ||
	       !strncmp(name, "compat_SyS_", 11) ||
	       (l >= 11 && !strcmp(name + l - 11, "_text_start"));
}

/* Index of the first symbol at or above addr. */
static size_t first_at(struct vm_code *c, uint64_t addr)
{
	size_t lo = 0, hi = vm_symtab_count(c->st);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vm_symtab_at(c->st, mid)->addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool real(const struct vm_sym *a)
{
	return a->type != 'A' && a->type != 'a' && a->type != 'U' && a->type != 'u';
}

/* A section of the vmlinux that starts at addr: crash's table has the
 * section symbols bfd reports under the section's name. */
static const char *section_at(struct vm_code *c, uint64_t addr)
{
	struct vm_elffile *img = vm_code_vmimg_if_open(c);
	unsigned i, n = img ? vm_elffile_nsec(img) : 0;

	for (i = 1; i < n; i++) {
		const struct vm_elfsec *s = vm_elffile_sec(img, i);

		/* .text sorts before _stext, which starts crash's table */
		if ((s->flags & 2 /* SHF_ALLOC */) && s->addr && s->addr + c->slide == addr &&
		    strcmp(s->name, ".text"))
			return s->name;
	}
	return NULL;
}

/* The name crash gives the symbol s, addr being in it: at its address the
 * first of its aliases by strcmp() (value_search() returns the first
 * match of its name-sorted table), inside it the last one (it returns the
 * entry before the first symbol past addr). */
static const char *crash_alias(struct vm_code *c, const struct vm_sym *s, uint64_t addr)
{
	size_t i;
	const char *best = s->name;
	bool exact = addr == s->addr;

	for (i = first_at(c, s->addr); i < vm_symtab_count(c->st); i++) {
		const struct vm_sym *a = vm_symtab_at(c->st, i);

		if (a->addr != s->addr)
			break;
		if (a->module != s->module || !real(a))
			continue;
		if (exact && crash_skips(best) != crash_skips(a->name)) {
			if (crash_skips(best))
				best = a->name;
			continue;
		}
		if (exact ? strcmp(a->name, best) < 0 : strcmp(a->name, best) > 0)
			best = a->name;
	}
	if (!s->module) {
		const char *sec = section_at(c, s->addr);

		if (sec && (exact ? strcmp(sec, best) < 0 : strcmp(sec, best) > 0) &&
		    !(exact && crash_skips(sec)))
			best = sec;
	}
	return best;
}

static void crash_name(const char *name, uint64_t off, char *buf, size_t n)
{
	static const char *const strip[] = { ".isra.", ".part.", ".llvm." };
	size_t l = strlen(name), i;
	const char *p;

	for (i = 0; i < sizeof(strip) / sizeof(strip[0]); i++)
		if ((p = strstr(name, strip[i])) && (size_t)(p - name) < l)
			l = (size_t)(p - name);
	if (off)
		snprintf(buf, n, "%.*s+%" PRIu64, (int)l, name, off);
	else
		snprintf(buf, n, "%.*s", (int)l, name);
}

bool vm_code_label(struct vm_code *c, uint64_t addr, char *buf, size_t n)
{
	uint64_t off;
	const struct vm_sym *s = vm_code_sym_at(c, addr, &off);

	if (!s)
		return false;
	crash_name(crash_alias(c, s, addr), addr - s->addr, buf, n);
	return true;
}

static bool is_code(const struct vm_sym *s)
{
	return s->type == 'T' || s->type == 't' || s->type == 'W' || s->type == 'w';
}

/*
 * Whether gdb, which prints crash's disassembly, names a symbol for addr
 * (gdb 10 minsyms.c lookup_minimal_symbol_by_pc_section(), printcmd.c
 * build_address_symbolic()): scanning down from addr past symbols without
 * a size to the first with one, that one if addr is inside it, else the
 * nearest size-less one, and never a size-less data symbol.  Only where
 * sizes are known (a vmlinux's .symtab, modules' kallsyms).
 */
static bool gdb_names(struct vm_code *c, const struct vm_sym *p, uint64_t addr)
{
	const struct vm_sym *zero = NULL;
	size_t i = first_at(c, p->addr + 1), steps = 0;

	/* Without sizes (kallsyms, System.map) a symbol seems to reach up
	 * to the next one, across data the table does not name (Debian's
	 * arm64 kallsyms has text only: "adrp x0, <_etext+3969024>").  A
	 * symbol farther below than any function is long names nothing. */
	if (!vm_code_sizes_known(c, p))
		return addr - p->addr < UNSIZED_REACH;
	while (i-- > 0 && steps++ < 1024) {
		const struct vm_sym *a = vm_symtab_at(c->st, i);

		if (a->module != p->module)
			break;
		uint64_t size;

		if (!real(a) || a->addr > addr)
			continue;
		size = vm_code_sym_size(c, a);
		if (!size) {
			if (!zero)
				zero = a;
			continue;
		}
		if (addr - a->addr < size)
			return true;
		break;
	}
	return zero && is_code(zero);
}

bool vm_code_symbolize(struct vm_code *c, uint64_t addr, enum vm_dis_use use, char *buf,
		       size_t n)
{
	uint64_t off;
	const struct vm_sym *s = vm_code_sym_at(c, addr, &off);

	if (!s)
		return false;
	/* crash names a jump's bare target itself (x86_64_dis_filter()) */
	if ((use != VM_USE_JUMP || (!vm_code_sizes_known(c, s) && off >= UNSIZED_REACH)) &&
	    !gdb_names(c, s, addr))
		return false;
	return vm_code_label(c, addr, buf, n);
}

/* ---- modules ---- */

struct code_mod *vm_code_mod(struct vm_code *c, uint64_t addr)
{
	const struct vm_module *m;
	unsigned i;

	if (!(addr >> 63))
		return NULL;
	need_modules(c);
	m = vm_kernel_module_by_addr(c->k, addr);
	if (!m)
		return NULL;
	for (i = 0; i < c->nmods; i++)
		if (c->mods[i].m == m)
			return &c->mods[i];
	if (c->nmods == CODE_MAX_MODS)
		return NULL;
	c->mods[c->nmods].m = m;
	return &c->mods[c->nmods++];
}

struct vm_modko *vm_code_modko(struct vm_code *c, struct code_mod *cm, struct vm_err *e)
{
	if (!cm->tried) {
		cm->tried = true;
		cm->ko = vm_modko_open(c->k, cm->m, &cm->err);
	}
	if (!cm->ko)
		*e = cm->err;
	return cm->ko;
}

const char *vm_code_vmlinux(struct vm_code *c, struct vm_err *e)
{
	if (!c->vmlinux_tried) {
		c->vmlinux_tried = true;
		c->vmlinux = vm_kernel_vmlinux(c->k, &c->vmlinux_err);
		/* the vmlinux may have told the slide (dumps without VMCOREINFO) */
		c->slide = vm_mem_kaslr(c->mem);
	}
	if (!c->vmlinux)
		*e = c->vmlinux_err;
	return c->vmlinux;
}

/* ---- targets ---- */

static bool is_text(const struct vm_sym *s)
{
	return s->type == 'T' || s->type == 't' || s->type == 'W' || s->type == 'w';
}

/* The first text symbol named name (vmlinux's first); how many in all. */
static const struct vm_sym *text_by_name(struct vm_code *c, const char *name, size_t *n)
{
	const struct vm_sym *found[MAX_DUPS];
	size_t i, cnt, text = 0;
	const struct vm_sym *first = NULL;

	cnt = vm_sym_by_name_all(c->st, name, NULL, found, MAX_DUPS);
	for (i = 0; i < cnt && i < MAX_DUPS; i++)
		if (is_text(found[i])) {
			if (!first)
				first = found[i];
			text++;
		}
	*n = text;
	if (!first && cnt)
		return found[0];   /* a data symbol: the caller says so */
	return first;
}

/* crash knows "__nvmem_cell_read.part.0" as "__nvmem_cell_read" (see
 * crash_name()): the one clone of name with such a suffix. */
static const struct vm_sym *stripped_clone(struct vm_code *c, const char *name)
{
	static const char *const strip[] = { ".isra.", ".part.", ".llvm." };
	const struct vm_sym *found = NULL;
	size_t i, j, l = strlen(name);

	for (i = 0; i < vm_symtab_count(c->st); i++) {
		const struct vm_sym *s = vm_symtab_at(c->st, i);

		if (strncmp(s->name, name, l) || s->name[l] != '.' || !is_text(s))
			continue;
		for (j = 0; j < sizeof(strip) / sizeof(strip[0]); j++)
			if (!strncmp(s->name + l, strip[j], strlen(strip[j])))
				break;
		if (j == sizeof(strip) / sizeof(strip[0]))
			continue;
		if (found)
			return NULL;   /* more than one: let the user choose */
		found = s;
	}
	return found;
}

static int not_found(struct vm_code *c, const char *name, struct vm_err *e)
{
	char alt[768] = "";
	size_t i, l = strlen(name), n = 0;

	need_modules(c);
	/* like crash: offer the compiler's clones (name.constprop.0 ...) */
	for (i = 0; i < vm_symtab_count(c->st) && n < 8; i++) {
		const struct vm_sym *s = vm_symtab_at(c->st, i);
		size_t used = strlen(alt);

		if (strncmp(s->name, name, l) || s->name[l] != '.' || !is_text(s))
			continue;
		snprintf(alt + used, sizeof(alt) - used, "%s%s%s%s%s", n ? ", " : "", s->name,
			 s->module ? " [" : "", s->module ? s->module : "", s->module ? "]" : "");
		n++;
	}
	if (n)
		return vm_fail(e, VM_ENOENT, "symbol not found: %s (possible alternatives: %s)",
			       name, alt);
	return vm_fail(e, VM_ENOENT, "symbol not found: %s", name);
}

/* The address after the function that starts at s: its size, its DWARF
 * range, or the next symbol. */
static uint64_t func_end(struct vm_code *c, const struct vm_sym *s, const char **from)
{
	size_t lo = 0, hi = vm_symtab_count(c->st);
	uint64_t size = vm_code_sym_size(c, s);

	if (size) {
		*from = "symbol size";
		return s->addr + size;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vm_symtab_at(c->st, mid)->addr <= s->addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < vm_symtab_count(c->st); lo++) {
		const struct vm_sym *n = vm_symtab_at(c->st, lo);

		if (n->addr > s->addr && n->module == s->module) {
			*from = "next symbol";
			return n->addr;
		}
		if (n->module != s->module)
			break;
	}
	/* a module's last function: the end of its region */
	if (s->module) {
		const struct vm_module *m = vm_kernel_module_by_addr(c->k, s->addr);
		unsigned j;

		for (j = 0; m && j < m->nr_regions; j++)
			if (s->addr >= m->regions[j].base &&
			    s->addr - m->regions[j].base < m->regions[j].size) {
				*from = "module region";
				return m->regions[j].base + m->regions[j].size;
			}
	}
	*from = "no end known";
	return s->addr + 4096;
}

/* Without a size, a function "ends" at the next symbol, after the nops the
 * assembler aligned that one with (x86: .p2align fill): leave them out. */
static uint64_t trim_padding(struct vm_code *c, uint64_t start, uint64_t end)
{
	struct vm_code_insn ci;
	struct vm_err ie;
	uint64_t pos = start, last = start;
	unsigned n = 0;

	if (vm_mem_arch(c->mem)->e_machine != 62 /* EM_X86_64 */)
		return end;
	while (pos < end && n++ < 100000) {
		if (vm_code_decode(c, c->o.src, pos, &ci, &ie) < 0)
			return end;
		pos += ci.in.len;
		if (!vm_code_is_padding(c, &ci.in))
			last = pos;
	}
	return last > start ? last : end;
}

static int parse_offset(const char *s, uint64_t *off)
{
	char *end;
	unsigned long long v;

	if (!*s)
		return -1;
	errno = 0;
	v = strtoull(s, &end, !strncmp(s, "0x", 2) || !strncmp(s, "0X", 2) ? 16 : 10);
	if (errno || *end)
		return -1;
	*off = v;
	return 0;
}

int vm_code_resolve(struct vm_code *c, const char *target, uint64_t *addr,
		   const struct vm_sym **fs, uint64_t *foff, struct vm_err *e)
{
	char name[512];
	const char *plus = strchr(target, '+');
	const struct vm_sym *s;
	uint64_t off = 0;
	size_t n;
	bool is_addr = false;

	if (strlen(target) >= sizeof(name))
		return vm_fail(e, VM_EINVAL, "target too long: %.40s...", target);
	snprintf(name, sizeof(name), "%.*s", plus ? (int)(plus - target) : (int)strlen(target),
		 target);
	if (plus && parse_offset(plus + 1, &off) < 0)
		return vm_fail(e, VM_EINVAL, "bad offset in %s (decimal, or hex with 0x)",
			       target);
	if (vm_parse_hex(name, addr) && (!strncmp(name, "0x", 2) || !vm_sym_by_name(c->st, name, NULL)))
		is_addr = true;
	if (is_addr) {
		*addr += off;
		if (!(*addr >> 63))
			return vm_fail(e, VM_EINVAL, "0x%" PRIx64 " is a user-space address",
				       *addr);
		s = vm_code_sym_at(c, *addr, foff);
		if (!s)
			return vm_fail(e, VM_ENOENT, "0x%" PRIx64 " is in no function (no "
				       "symbol at or below it)", *addr);
		if (!is_text(s))
			return vm_fail(e, VM_ENOENT, "0x%" PRIx64 " is in no function: it "
				       "is in %s (%c, not code)", *addr, s->name, s->type);
		*fs = s;
		return 0;
	}
	s = text_by_name(c, name, &n);
	if (!s) {
		need_modules(c);
		s = text_by_name(c, name, &n);
	}
	if (!s)
		s = stripped_clone(c, name);
	if (!s)
		return not_found(c, name, e);
	if (!is_text(s))
		return vm_fail(e, VM_ENOENT, "%s is not a function (%c at 0x%" PRIx64 ")",
			       name, s->type, s->addr);
	if (n > 1)
		vm_kernel_note(c->k, "%s: %zu functions of that name; the first, at "
			       "0x%" PRIx64 ", is shown (give an address for another)",
			       name, n, s->addr);
	*addr = s->addr + off;
	*fs = s;
	*foff = off;
	return 0;
}

int vm_code_span(struct vm_code *c, const char *target, enum vm_code_range r,
		 unsigned long count, struct vm_code_span *sp, struct vm_err *e)
{
	const struct vm_sym *s;
	uint64_t addr, off;

	memset(sp, 0, sizeof(*sp));
	if (vm_code_resolve(c, target, &addr, &s, &off, e) < 0)
		return -1;
	sp->target = addr;
	sp->func = s->addr;
	sp->func_name = s->name;
	sp->module = s->module;
	sp->func_end = func_end(c, s, &sp->end_from);
	/* a table with sizes (vmlinux .symtab) left an assembly symbol's
	 * size out: crash shows it to the next symbol, so do we */
	if (!vm_code_sizes_known(c, s) && !strcmp(sp->end_from, "next symbol"))
		sp->func_end = trim_padding(c, sp->func, sp->func_end);
	switch (r) {
	case VM_RANGE_FUNCTION:
		sp->start = off ? addr : sp->func;
		sp->end = off ? UINT64_MAX : sp->func_end;
		sp->count = off ? 1 : 0;
		break;
	case VM_RANGE_COUNT:
		sp->start = addr;
		sp->end = UINT64_MAX;
		sp->count = count;
		break;
	case VM_RANGE_UPTO:
		sp->start = sp->func;
		sp->stop = addr;
		sp->end = UINT64_MAX;
		break;
	case VM_RANGE_FROM:
		sp->start = addr;
		sp->end = sp->func_end > addr ? sp->func_end : addr + 1;
		break;
	}
	sp->pos = sp->start;
	return 0;
}
