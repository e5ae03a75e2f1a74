// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's tables of the code it rewrites at boot or run time.
 * Layouts as in Linux 6.1 (checked against the types of the kernel at
 * hand, so other versions are read right or skipped, not misread):
 *
 *  .altinstructions  struct alt_instr {s32 instr_offset; s32 repl_offset;
 *                    u16 cpuid; u8 instrlen; u8 replacementlen;}
 *                    (arch/x86/include/asm/alternative.h; arm64:
 *                    orig_offset/alt_offset/cpufeature/orig_len/alt_len,
 *                    arch/arm64/include/asm/alternative-macros.h);
 *                    instr_offset relative to itself (v4.7+).
 *  __jump_table      struct jump_entry {s32 code; s32 target; long key;}
 *                    relative with HAVE_ARCH_JUMP_LABEL_RELATIVE (x86,
 *                    arm64, v5.0+), else unsigned long code
 *                    (include/linux/jump_label.h).
 *  __mcount_loc      unsigned long call sites (scripts/recordmcount or
 *                    objtool --mcount, or -fpatchable-function-entry's
 *                    __patchable_function_entries merged into it); the
 *                    vmlinux brackets it with __start_mcount_loc /
 *                    __stop_mcount_loc (include/asm-generic/vmlinux.lds.h).
 *  .retpoline_sites  s32 relative (v5.16+, arch/x86/kernel/alternative.c
 *  .return_sites     apply_retpolines() / apply_returns(), v5.19+)
 *  .static_call_sites struct static_call_site {s32 addr; s32 key;} (v5.10+)
 *  .parainstructions struct paravirt_patch_site {u8 *instr; u8 type; u8 len;}
 *  .smp_locks        s32 relative: LOCK prefixes (alternatives_smp_unlock)
 *  .ibt_endbr_seal   s32 relative: ENDBR64 of functions no indirect call
 *                    reaches, poisoned to "nopl -0x2a(%rax)" by
 *                    apply_seal_endbr() (objtool --ibt, v5.18+)
 *  runtime_ptr_SYM,  s32 relative to the immediate of a "movabs" (x86) or
 *  runtime_shift_SYM the movz/movk sequence (arm64) that
 *                    runtime_const_init() fills in (runtime-const.h,
 *                    v6.11+); one section per symbol
 *
 * All but __jump_table and .static_call_sites are in init sections the
 * running kernel freed, so they are read from the file.
 */
#include "patchsites.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../elf/elffile.h"
#include "../rd.h"
#include "modko.h"

/* no kernel has more than a few hundred thousand of each */
#define MAX_TABLE_BYTES (64u << 20)

enum kind {
	K_ALT, K_JUMP, K_FTRACE, K_STATIC_CALL, K_PARAVIRT, K_RETPOLINE, K_RETURN,
	K_SMP_LOCK, K_ENDBR_SEAL, K_RUNTIME_CONST, K_NKINDS
};

static const char *const kind_name[K_NKINDS] = {
	[K_ALT] = "alternative", [K_JUMP] = "jump label", [K_FTRACE] = "ftrace call site",
	[K_STATIC_CALL] = "static call", [K_PARAVIRT] = "paravirt patch",
	[K_RETPOLINE] = "retpoline", [K_RETURN] = "return thunk", [K_SMP_LOCK] = "lock prefix",
	[K_ENDBR_SEAL] = "IBT endbr seal", [K_RUNTIME_CONST] = "runtime constant",
};
static const char *const kind_table[K_NKINDS] = {
	[K_ALT] = ".altinstructions", [K_JUMP] = "__jump_table", [K_FTRACE] = "__mcount_loc",
	[K_STATIC_CALL] = ".static_call_sites", [K_PARAVIRT] = ".parainstructions",
	[K_RETPOLINE] = ".retpoline_sites", [K_RETURN] = ".return_sites",
	[K_SMP_LOCK] = ".smp_locks", [K_ENDBR_SEAL] = ".ibt_endbr_seal",
	[K_RUNTIME_CONST] = "runtime_ptr_*, runtime_shift_*",
};

struct site {
	uint64_t addr;
	uint32_t len;
	uint8_t kind;
};

struct vm_patchsites {
	struct site *s;
	size_t n, cap;
	size_t per_kind[K_NKINDS];
	uint32_t maxlen;
	char summary[768];
};

static int add(struct vm_patchsites *ps, uint64_t addr, uint32_t len, enum kind k,
	       struct vm_err *e)
{
	if (ps->n == ps->cap) {
		size_t nc = ps->cap ? 2 * ps->cap : 1024;
		struct site *ns = vm_realloc_array(ps->s, nc, sizeof(*ns), e);

		if (!ns)
			return -1;
		ps->s = ns;
		ps->cap = nc;
	}
	if (!len)
		len = 1;
	ps->s[ps->n++] = (struct site){ addr, len, (uint8_t)k };
	ps->per_kind[k]++;
	if (len > ps->maxlen)
		ps->maxlen = len;
	return 0;
}

/* How to read one table: entry size, where the site is, how long. */
struct layout {
	unsigned size;             /* entry size */
	unsigned off, width;       /* the site member: offset, 4 relative / 8 absolute */
	int len_off;               /* u8 length member, or -1 */
	uint32_t len;              /* fixed length when len_off < 0 */
};

static int member(struct vm_kernel *k, const char *type, const char *const *names,
		  uint64_t *off, uint64_t *size)
{
	struct vm_err ie;

	for (; *names; names++)
		if (vm_kernel_offsetof(k, type, *names, off, size, &ie) == 0)
			return 0;
	return -1;
}

/* The layout of kind k's entries in this kernel; -1 if its types do not
 * describe them (then the table is left out, with a note). */
static int layout(struct vm_kernel *k, enum kind kd, bool x86, struct layout *l)
{
	static const char *const alt_site[] = { "instr_offset", "orig_offset", NULL };
	static const char *const alt_len[] = { "instrlen", "orig_len", NULL };
	static const char *const jump_code[] = { "code", NULL };
	static const char *const sc_addr[] = { "addr", NULL };
	static const char *const pv_instr[] = { "instr", NULL };
	static const char *const pv_len[] = { "len", NULL };
	uint64_t size, off, msize, loff, lsize;
	struct vm_err ie;

	memset(l, 0, sizeof(*l));
	l->len_off = -1;
	switch (kd) {
	case K_ALT:
		if (vm_kernel_sizeof(k, "alt_instr", &size, &ie) < 0 ||
		    member(k, "alt_instr", alt_site, &off, &msize) < 0 ||
		    member(k, "alt_instr", alt_len, &loff, &lsize) < 0 || msize != 4 || lsize != 1)
			return -1;
		l->len_off = (int)loff;
		break;
	case K_JUMP:
		if (vm_kernel_sizeof(k, "jump_entry", &size, &ie) < 0 ||
		    member(k, "jump_entry", jump_code, &off, &msize) < 0 ||
		    (msize != 4 && msize != 8))
			return -1;
		l->len = x86 ? 5 : 4;
		break;
	case K_STATIC_CALL:
		if (vm_kernel_sizeof(k, "static_call_site", &size, &ie) < 0 ||
		    member(k, "static_call_site", sc_addr, &off, &msize) < 0 || msize != 4)
			return -1;
		l->len = 5;
		break;
	case K_PARAVIRT:
		if (vm_kernel_sizeof(k, "paravirt_patch_site", &size, &ie) < 0 ||
		    member(k, "paravirt_patch_site", pv_instr, &off, &msize) < 0 ||
		    member(k, "paravirt_patch_site", pv_len, &loff, &lsize) < 0 ||
		    msize != 8 || lsize != 1)
			return -1;
		l->len_off = (int)loff;
		break;
	case K_FTRACE:
		size = off = 0;
		msize = 8;
		/* x86: the 5-byte call __fentry__; arm64: the two nops of
		 * -fpatchable-function-entry=2 */
		l->len = x86 ? 5 : 8;
		break;
	default:
		/* s32 arrays */
		size = 4;
		off = 0;
		msize = 4;
		l->len = kd == K_RETPOLINE ? 6 : kd == K_SMP_LOCK ? 1 : kd == K_ENDBR_SEAL ? 4 : 5;
		break;
	}
	if (!size)
		size = msize;
	if (size > 64 || off + msize > size || (l->len_off >= 0 && (uint64_t)l->len_off >= size))
		return -1;
	l->size = (unsigned)size;
	l->off = (unsigned)off;
	l->width = (unsigned)msize;
	return 0;
}

/* Entries of one table: d[0..n) whose first byte is at run-time address
 * base; absolute site values get slide added. */
static int parse(struct vm_patchsites *ps, enum kind kd, const struct layout *l,
		 const uint8_t *d, size_t n, uint64_t base, uint64_t slide, struct vm_err *e)
{
	/* the last entry may end where its members do: the table is
	 * assembled entry by entry (v5.10's _PVSITE: .balign 8, .quad, two
	 * .bytes), so the padding sizeof counts after the last is not there */
	size_t i, need = l->off + l->width;

	if (l->len_off >= 0 && (size_t)l->len_off + 1 > need)
		need = (size_t)l->len_off + 1;
	for (i = 0; i + need <= n; i += l->size) {
		const uint8_t *p = d + i + l->off;
		uint64_t site;
		uint32_t len = l->len_off >= 0 ? d[i + (unsigned)l->len_off] : l->len;

		if (l->width == 4)
			site = base + i + l->off + (uint64_t)(int64_t)(int32_t)vm_rd32(p, true);
		else
			site = vm_rd64(p, true) + slide;
		if (add(ps, site, len, kd, e) < 0)
			return -1;
	}
	return 0;
}

static int cmp_site(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void finish(struct vm_patchsites *ps)
{
	unsigned k;
	size_t used = 0;

	qsort(ps->s, ps->n, sizeof(*ps->s), cmp_site);
	ps->summary[0] = '\0';
	for (k = 0; k < K_NKINDS; k++) {
		if (!ps->per_kind[k])
			continue;
		used += (size_t)snprintf(ps->summary + used, sizeof(ps->summary) - used,
					 "%s%zu %s (%s)", used ? ", " : "", ps->per_kind[k],
					 kind_name[k], kind_table[k]);
		if (used >= sizeof(ps->summary))
			break;
	}
	if (!ps->summary[0])
		snprintf(ps->summary, sizeof(ps->summary), "no patch tables");
}

/* The vmlinux's tables are bracketed by symbols. */
static const struct {
	enum kind k;
	const char *start, *stop;
} vmlinux_tables[] = {
	{ K_ALT, "__alt_instructions", "__alt_instructions_end" },
	{ K_JUMP, "__start___jump_table", "__stop___jump_table" },
	{ K_FTRACE, "__start_mcount_loc", "__stop_mcount_loc" },
	{ K_STATIC_CALL, "__start_static_call_sites", "__stop_static_call_sites" },
	{ K_PARAVIRT, "__parainstructions", "__parainstructions_end" },
	{ K_RETPOLINE, "__retpoline_sites", "__retpoline_sites_end" },
	{ K_RETURN, "__return_sites", "__return_sites_end" },
	{ K_SMP_LOCK, "__smp_locks", "__smp_locks_end" },
	{ K_ENDBR_SEAL, "__ibt_endbr_seal", "__ibt_endbr_seal_end" },
};

/* The runtime constants: a section of s32 entries per symbol. */
static int runtime_consts(struct vm_patchsites *ps, struct vm_elffile *ef, bool x86,
			  uint64_t slide, struct vm_err *e)
{
	unsigned i, nsec = vm_elffile_nsec(ef);

	for (i = 1; i < nsec; i++) {
		const struct vm_elfsec *sec = vm_elffile_sec(ef, i);
		bool ptr = !strncmp(sec->name, "runtime_ptr_", 12);
		struct layout l = { .size = 4, .off = 0, .width = 4, .len_off = -1 };
		const uint8_t *d;
		struct vm_err ie;
		size_t n;

		if (!ptr && strncmp(sec->name, "runtime_shift_", 14))
			continue;
		if (!sec->addr || vm_elffile_sec_data(ef, i, &d, &n, &ie) < 0 ||
		    n > MAX_TABLE_BYTES)
			continue;
		/* x86: the imm64 of movabs or the imm8 of shr; arm64: four
		 * movz/movk or one ubfx/lsr */
		l.len = ptr ? (x86 ? 8 : 16) : (x86 ? 1 : 4);
		if (parse(ps, K_RUNTIME_CONST, &l, d, n, sec->addr + slide, slide, e) < 0)
			return -1;
	}
	return 0;
}

struct vm_patchsites *vm_patchsites_vmlinux(struct vm_kernel *k, const char *vmlinux,
					    uint64_t slide, struct vm_err *e)
{
	struct vm_patchsites *ps = vm_calloc(1, sizeof(*ps), e);
	struct vm_elffile *ef;
	bool x86;
	unsigned i;

	if (!ps)
		return NULL;
	ef = vm_elffile_open(vmlinux, e);
	if (!ef) {
		free(ps);
		return NULL;
	}
	x86 = vm_elffile_machine(ef) == 62;   /* EM_X86_64 */
	for (i = 0; i < sizeof(vmlinux_tables) / sizeof(vmlinux_tables[0]); i++) {
		uint64_t a, b, sz;
		struct layout l;
		struct vm_err ie;
		uint8_t *d;

		if (vm_elffile_symbol(ef, vmlinux_tables[i].start, &a, &sz, &ie) < 0 ||
		    vm_elffile_symbol(ef, vmlinux_tables[i].stop, &b, &sz, &ie) < 0 || b <= a)
			continue;
		if (layout(k, vmlinux_tables[i].k, x86, &l) < 0) {
			vm_kernel_note(k, "patch sites: the kernel's types do not describe %s "
				       "entries; left out", kind_table[vmlinux_tables[i].k]);
			continue;
		}
		if (b - a > MAX_TABLE_BYTES) {
			vm_kernel_note(k, "patch sites: %s of %" PRIu64 " bytes; left out",
				       kind_table[vmlinux_tables[i].k], b - a);
			continue;
		}
		d = vm_malloc((size_t)(b - a), e);
		if (!d)
			goto fail;
		if (vm_elffile_read(ef, a, d, (size_t)(b - a), &ie) < 0) {
			vm_kernel_note(k, "patch sites: %s: %s", kind_table[vmlinux_tables[i].k],
				       ie.msg);
			free(d);
			continue;
		}
		if (parse(ps, vmlinux_tables[i].k, &l, d, (size_t)(b - a), a + slide, slide, e) < 0) {
			free(d);
			goto fail;
		}
		free(d);
	}
	if (runtime_consts(ps, ef, x86, slide, e) < 0)
		goto fail;
	vm_elffile_close(ef);
	finish(ps);
	return ps;
fail:
	vm_elffile_close(ef);
	vm_patchsites_free(ps);
	return NULL;
}

struct vm_patchsites *vm_patchsites_module(struct vm_kernel *k, struct vm_modko *ko,
					   struct vm_err *e)
{
	struct vm_patchsites *ps = vm_calloc(1, sizeof(*ps), e);
	struct vm_elffile *f = vm_modko_elf(ko);
	bool x86 = vm_elffile_machine(f) == 62;
	unsigned i, t, nsec = vm_elffile_nsec(f);

	if (!ps)
		return NULL;
	for (i = 1; i < nsec; i++) {
		const char *name = vm_elffile_sec(f, i)->name;
		uint64_t base = vm_modko_section_addr(ko, i);
		const uint8_t *d;
		struct layout l;
		struct vm_err ie;
		size_t n;

		for (t = 0; t < K_NKINDS; t++)
			if (!strcmp(name, kind_table[t]))
				break;
		if (t == K_NKINDS || !base)
			continue;
		if (layout(k, (enum kind)t, x86, &l) < 0) {
			vm_kernel_note(k, "patch sites: the kernel's types do not describe %s "
				       "entries; left out", name);
			continue;
		}
		d = vm_modko_section_data(ko, i, &n, &ie);
		if (!d) {
			vm_kernel_note(k, "patch sites: %s", ie.msg);
			continue;
		}
		/* relocated: absolute values are run-time addresses already */
		if (parse(ps, (enum kind)t, &l, d, n, base, 0, e) < 0) {
			vm_patchsites_free(ps);
			return NULL;
		}
	}
	finish(ps);
	return ps;
}

void vm_patchsites_free(struct vm_patchsites *ps)
{
	if (!ps)
		return;
	free(ps->s);
	free(ps);
}

size_t vm_patchsites_count(const struct vm_patchsites *ps)
{
	return ps->n;
}

const char *vm_patchsites_summary(const struct vm_patchsites *ps)
{
	return ps->summary;
}

/* Does site x account for a difference in [lo, hi)?  An alternative or
 * paravirt site covers its whole length (its first bytes may be the same
 * in memory and file); the others are rewritten from their first byte,
 * and their length is the instruction's (x86 jump labels are 2 or 5
 * bytes since v5.16): they must start in the difference. */
static bool covers(const struct site *x, uint64_t lo, uint64_t hi)
{
	if (x->kind == K_ALT || x->kind == K_PARAVIRT)
		return x->addr < hi && x->addr + x->len > lo;
	return x->addr >= lo && x->addr < hi;
}

size_t vm_patchsites_find(const struct vm_patchsites *ps, uint64_t lo, uint64_t hi,
			  char *buf, size_t n)
{
	size_t a = 0, b = ps->n, i, used = 0, found = 0;
	bool seen[K_NKINDS] = { false };
	unsigned k;

	if (n)
		buf[0] = '\0';
	/* first site with addr >= lo - maxlen */
	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (ps->s[mid].addr + ps->maxlen <= lo)
			a = mid + 1;
		else
			b = mid;
	}
	for (i = a; i < ps->n && ps->s[i].addr < hi; i++)
		if (covers(&ps->s[i], lo, hi))
			seen[ps->s[i].kind] = true;
	for (k = 0; k < K_NKINDS; k++) {
		if (!seen[k])
			continue;
		found++;
		if (used < n)
			used += (size_t)snprintf(buf + used, n - used, "%s%s (%s)",
						 used ? ", " : "", kind_name[k], kind_table[k]);
	}
	return found;
}
