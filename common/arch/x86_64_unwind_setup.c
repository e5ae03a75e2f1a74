// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 unwinder set-up (see x86_64_unwind.c for the walk): where the ORC
 * tables are (memory, or the vmlinux file; each module's own), the layouts
 * the walk needs (task_struct.stack and thread.sp, inactive_task_frame,
 * pt_regs), and each CPU's IRQ and exception stacks.
 */
#include "x86_64_unwind_impl.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const estack_names[] = {
	"DF", "NMI", "DB", "MCE", "VC", "VC2",
};
/* crash's names for them, which people grep for */
static const char *const estack_labels[] = {
	"DOUBLEFAULT", "NMI", "DEBUG", "MCE", "VC", "VC2",
};

/* pt_regs member names in struct vm_regs index order */
static const char *const ptregs_names[NR_PTREGS] = {
	"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
	"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss",
};

void x86u_how_add(struct vm_unwinder *u, const char *fmt, ...)
{
	size_t l = strlen(u->how);
	va_list ap;

	if (l + 2 >= sizeof(u->how))
		return;
	if (l)
		u->how[l++] = ';', u->how[l++] = ' ', u->how[l] = '\0';
	va_start(ap, fmt);
	vsnprintf(u->how + l, sizeof(u->how) - l, fmt, ap);
	va_end(ap);
}

/* ---- set-up ---- */

/* vmlinux's tables from the file's sections (-k): 0 ok, -1 with why. */
static int orc_from_file(struct vm_unwinder *u, char *why, size_t len)
{
	const void *ipd = NULL, *od = NULL;
	size_t ips = 0, os = 0;
	uint64_t ipa = 0, oa = 0;

	if (!u->env.vmlinux_section ||
	    u->env.vmlinux_section(u->env.arg, ".orc_unwind_ip", &ipd, &ips, &ipa) < 0 ||
	    u->env.vmlinux_section(u->env.arg, ".orc_unwind", &od, &os, &oa) < 0) {
		snprintf(why, len, "no vmlinux file with .orc_unwind sections");
		return -1;
	}
	if (!ips || ips % 4 || os % 6 || ips / 4 != os / 6) {
		snprintf(why, len, "vmlinux .orc_unwind sections inconsistent");
		return -1;
	}
	/* Link-time addresses: the whole image moved by the KASLR slide, and
	 * the ip entries are relative to themselves, so they still hold. */
	u->vmlinux.ip_addr = ipa + vm_mem_kaslr(u->m);
	u->vmlinux.orc_addr = oa + vm_mem_kaslr(u->m);
	u->vmlinux.num = ips / 4;
	u->vmlinux.ip_data = ipd;
	u->vmlinux.orc_data = od;
	x86u_how_add(u, "ORC: %" PRIu64 " entries from vmlinux sections", u->vmlinux.num);
	return 0;
}

/* vmlinux's tables as the running kernel had them: 0 ok, -1 with why. */
static int orc_from_memory(struct vm_unwinder *u, char *why, size_t len)
{
	uint64_t ip0, ip1, o0, o1, lk0, lk1, nblk;
	uint32_t probe;
	struct vm_err e = { 0 };

	if (env_sym(u, "__start_orc_unwind_ip", &ip0) < 0 ||
	    env_sym(u, "__stop_orc_unwind_ip", &ip1) < 0 ||
	    env_sym(u, "__start_orc_unwind", &o0) < 0 ||
	    env_sym(u, "__stop_orc_unwind", &o1) < 0) {
		snprintf(why, len, "no __start_orc_unwind_ip symbols (kernel "
			 "without CONFIG_UNWINDER_ORC?)");
		return -1;
	}
	if (ip1 <= ip0 || o1 <= o0 || (ip1 - ip0) % 4 || (o1 - o0) % 6 ||
	    (ip1 - ip0) / 4 != (o1 - o0) / 6 || (ip1 - ip0) / 4 > (1u << 24)) {
		snprintf(why, len, "table symbols inconsistent (%" PRIx64 "..%" PRIx64
			 ", %" PRIx64 "..%" PRIx64 ")", ip0, ip1, o0, o1);
		return -1;
	}
	/* Probe both ends so a dump without the table pages says so here. */
	if (unw_read(&u->cache, ip0, &probe, 4, &e) < 0 ||
	    unw_read(&u->cache, o1 - 6, &probe, 4, &e) < 0) {
		snprintf(why, len, "table unreadable: %.200s", e.msg);
		return -1;
	}
	memset(&u->vmlinux, 0, sizeof(u->vmlinux));
	u->vmlinux.ip_addr = ip0;
	u->vmlinux.orc_addr = o0;
	u->vmlinux.num = (ip1 - ip0) / 4;
	if (env_sym(u, "orc_lookup", &lk0) == 0 &&
	    env_sym(u, "orc_lookup_end", &lk1) == 0 && lk1 > lk0 &&
	    u->stext && u->etext > u->stext) {
		nblk = (lk1 - lk0) / 4;
		/* lookup_num_blocks is what unwind_init() filled; 0 means it
		 * never ran and the index is empty. */
		if (env_sym(u, "lookup_num_blocks", &lk1) == 0 &&
		    unw_read(&u->cache, lk1, &probe, 4, &e) == 0 && probe <= nblk)
			nblk = probe;
		if (nblk > 1) {
			u->vmlinux.lookup_addr = lk0;
			u->vmlinux.lookup_blocks = nblk;
			u->vmlinux.lookup_lo = u->stext;
			u->vmlinux.lookup_hi = u->etext;
		}
	}
	x86u_how_add(u, "ORC: %" PRIu64 " entries from memory at %" PRIx64 "%s",
		u->vmlinux.num, ip0, u->vmlinux.lookup_addr ? ", with orc_lookup index" : "");
	return 0;
}

/* The .orc_header hash (v6.4+, 6.3.10+): 1 read, 0 the kernel has none,
 * -1 there but unreadable. */
static int orc_header(struct vm_unwinder *u, bool from_file, uint8_t hash[20],
		      char *why, size_t len)
{
	uint64_t h0, h1;
	struct vm_err e = { 0 };

	if (from_file) {
		const void *d;
		size_t sz;
		uint64_t a;

		if (!u->env.vmlinux_section ||
		    u->env.vmlinux_section(u->env.arg, ".orc_header", &d, &sz, &a) < 0)
			return 0;
		if (sz != 20) {
			snprintf(why, len, "vmlinux .orc_header is %zu bytes, not 20", sz);
			return -1;
		}
		memcpy(hash, d, 20);
		return 1;
	}
	if (env_sym(u, "__start_orc_header", &h0) < 0)
		return 0;
	if (env_sym(u, "__stop_orc_header", &h1) == 0 && h1 - h0 != 20) {
		snprintf(why, len, ".orc_header at %" PRIx64 " is %" PRIu64 " bytes, not 20",
			 h0, h1 - h0);
		return -1;
	}
	if (unw_read(&u->cache, h0, hash, 20, &e) < 0) {
		snprintf(why, len, ".orc_header unreadable: %.200s", e.msg);
		return -1;
	}
	return 1;
}

/* Functions whose first instruction has a plain CALL entry in every
 * kernel with ORC (see orc_family_of_entry()). */
static const char *const probe_funcs[] = {
	"schedule", "panic", "do_exit", "vfs_read", "vfs_write", "kthread",
	"worker_thread", "schedule_timeout", "wake_up_process", "msleep",
	"kmem_cache_free", "kfree", "copy_process", "do_idle", "mutex_lock",
	"__wake_up", "printk", "_printk", "filp_open", "vfs_open",
};

/* The ORC layout in use: from the header when there is one (and the
 * entries must agree), else from the entries.  0 and u->orc_version, or
 * -1 with why. */
static int orc_layout(struct vm_unwinder *u, bool from_file, char *why, size_t len)
{
	unsigned votes[5] = { 0 }, n = 0, i;
	uint8_t hash[20], raw[6];
	int hv = -1, fam = -1, r;
	const char *what = NULL;
	struct vm_err e = { 0 };
	uint64_t pc;

	if (u->env.orc_version) {
		u->orc_version = u->env.orc_version;
		x86u_how_add(u, "ORC layout v%d (given)", u->orc_version);
		return 0;
	}
	r = orc_header(u, from_file, hash, why, len);
	if (r < 0)
		return -1;
	if (r == 1 && (hv = orc_version_from_header(hash, &what)) < 0) {
		snprintf(why, len, "unknown .orc_header hash %02x%02x%02x%02x...: "
			 "struct orc_entry layout unknown", hash[0], hash[1], hash[2], hash[3]);
		return -1;
	}
	for (i = 0; i < sizeof(probe_funcs) / sizeof(probe_funcs[0]); i++) {
		if (env_sym(u, probe_funcs[i], &pc) < 0 ||
		    orc_table_find_raw(&u->cache, &u->vmlinux, pc, raw, &e) != 1)
			continue;
		r = orc_family_of_entry(raw);
		votes[r < 0 ? 0 : r]++;
		n++;
	}
	for (i = 1; i < 5; i++)
		if (votes[i] >= 3 && votes[i] * 4 >= n * 3)
			fam = (int)i;
	if (hv > 0) {
		/* the header names the layout; entries that plainly say
		 * otherwise mean the tables or the header are damaged */
		if (fam > 0 && fam != (hv == 2 ? 1 : hv)) {
			snprintf(why, len, ".orc_header says %s but the entries at %u function "
				 "starts read as another layout: ORC tables damaged", what, n);
			return -1;
		}
		u->orc_version = hv;
		x86u_how_add(u, "ORC layout v%d from .orc_header: %s", hv, what);
		return 0;
	}
	if (fam < 0) {
		snprintf(why, len, "no .orc_header, and the entries at %u function starts "
			 "match no known struct orc_entry layout (%u v1/v2, %u v6.4, %u v7.1, "
			 "%u none)", n, votes[1], votes[3], votes[4], votes[0]);
		return -1;
	}
	if (fam == 1) {
		/* v1 and v2 differ in the end-of-stack bit only */
		fam = 1;
		if (env_sym(u, "ret_from_fork", &pc) == 0 &&
		    orc_table_find_raw(&u->cache, &u->vmlinux, pc, raw, &e) == 1 &&
		    orc_v1_or_v2(raw) == 2)
			fam = 2;
	}
	u->orc_version = fam;
	x86u_how_add(u, "ORC layout v%d from the entries of %u of %u functions", fam,
		     votes[fam == 2 ? 1 : fam], n);
	return 0;
}

static void setup_orc(struct vm_unwinder *u)
{
	char why1[256] = "", why2[256] = "";
	bool file_first = u->env.flags & VM_UNWIND_FILE_TABLE;

	if (u->env.flags & VM_UNWIND_NO_TABLE) {
		x86u_how_add(u, "ORC: off (asked)");
		return;
	}
	env_sym(u, "_stext", &u->stext);
	env_sym(u, "_etext", &u->etext);
	env_sym(u, "_sinittext", &u->sinittext);
	env_sym(u, "_einittext", &u->einittext);

	/* Memory first: it is what ran.  The file when asked, or when the
	 * dump lacks the table pages. */
	if (file_first ? orc_from_file(u, why1, sizeof(why1)) == 0 ||
			 orc_from_memory(u, why2, sizeof(why2)) == 0
		       : orc_from_memory(u, why1, sizeof(why1)) == 0 ||
			 orc_from_file(u, why2, sizeof(why2)) == 0) {
		if (why1[0])
			x86u_how_add(u, "(%s)", why1);
	} else {
		x86u_how_add(u, "ORC: %s; %s", why1, why2);
		return;
	}
	if (orc_layout(u, u->vmlinux.orc_data != NULL, why1, sizeof(why1)) < 0) {
		/* decoding entries of an unknown layout would unwind wrongly
		 * and look right: no ORC at all, and say why */
		x86u_how_add(u, "ORC not used: %s", why1);
		u->orc_err = true;
		snprintf(u->orc_why, sizeof(u->orc_why), "%s", why1);
		return;
	}
	u->have_orc = true;
	if (env_member(u, "module", "arch.num_orcs", &u->mod_off_num, NULL) == 0 &&
	    env_member(u, "module", "arch.orc_unwind_ip", &u->mod_off_ip, NULL) == 0 &&
	    env_member(u, "module", "arch.orc_unwind", &u->mod_off_orc, NULL) == 0)
		u->have_mod_orc = true;
	else
		x86u_how_add(u, "module ORC: struct module layout unknown");
}

static void setup_layout(struct vm_unwinder *u)
{
	uint64_t off, sz;
	unsigned i;

	u->have_task_stack = env_member(u, "task_struct", "stack",
					&u->off_task_stack, NULL) == 0;
	u->have_thread_sp = env_member(u, "task_struct", "thread.sp",
				       &u->off_thread_sp, NULL) == 0;
	/* THREAD_SIZE: 16 KiB since v3.15 without KASAN */
	if (env_size(u, "thread_union", &sz) == 0 && sz >= 4096 && sz <= (1u << 20))
		u->thread_size = sz;
	else
		u->thread_size = 16384;
	/* struct inactive_task_frame (v4.9+): r15 r14 r13 r12 bx bp ret_addr */
	u->itf_size = 56;
	u->itf_bp = 40;
	u->itf_ret = 48;
	if (env_size(u, "inactive_task_frame", &sz) == 0 && sz <= 256 &&
	    env_member(u, "inactive_task_frame", "bp", &u->itf_bp, NULL) == 0 &&
	    env_member(u, "inactive_task_frame", "ret_addr", &u->itf_ret, NULL) == 0)
		u->itf_size = sz;
	/* pt_regs: the entry code's PUSH_REGS order, unchanged on x86_64;
	 * types confirm it when they are there. */
	u->ptregs_size = NR_PTREGS * 8;
	for (i = 0; i < NR_PTREGS; i++)
		u->ptregs_off[i] = 8 * i;
	if (env_size(u, "pt_regs", &sz) == 0 && sz >= NR_PTREGS * 8 && sz <= 512) {
		u->ptregs_size = sz;
		for (i = 0; i < NR_PTREGS; i++)
			if (env_member(u, "pt_regs", ptregs_names[i], &off, NULL) == 0 &&
			    off + 8 <= sz)
				u->ptregs_off[i] = off;
	}
	env_sym(u, "ret_from_fork", &u->ret_from_fork);
}

static void setup_percpu(struct vm_unwinder *u)
{
	uint64_t off, sz;
	unsigned i;

	u->ncpu = u->env.nr_cpus > 0 ? u->env.nr_cpus : vm_mem_nr_cpu_regs(u->m);
	if (u->ncpu <= 0)
		u->ncpu = 1;
	if (u->ncpu > 8192)
		u->ncpu = 8192;
	u->cpus = calloc((size_t)u->ncpu, sizeof(*u->cpus));
	if (!u->cpus)
		u->ncpu = 0;
	if (!u->env.percpu) {
		x86u_how_add(u, "no per-CPU lookups: IRQ and exception stacks unknown");
		return;
	}
	/* hardirq_stack_ptr moved into struct pcpu_hot in v6.2 */
	if (u->env.percpu(u->env.arg, "hardirq_stack_ptr", 0, &off) == 0)
		u->have_irqptr = true;
	else if (u->env.percpu(u->env.arg, "pcpu_hot", 0, &off) == 0 &&
		 env_member(u, "pcpu_hot", "hardirq_stack_ptr", &u->irqhot_off, NULL) == 0)
		u->have_irqptr = u->have_irqhot = true;
	/* IRQ_STACK_SIZE: 16 KiB without KASAN (struct irq_stack since v5.2) */
	if (env_size(u, "irq_stack", &sz) == 0 && sz >= 4096 && sz <= (1u << 20))
		u->irq_size = sz;
	else
		u->irq_size = 16384;

	if (u->env.percpu(u->env.arg, "cea_exception_stacks", 0, &off) == 0) {
		char name[32];
		bool typed = true;

		for (i = 0; i < NR_ESTACKS; i++) {
			snprintf(name, sizeof(name), "%s_stack", estack_names[i]);
			if (env_member(u, "cea_exception_stacks", name,
				       &u->est_off[i], &u->est_size[i]) < 0) {
				typed = false;
				break;
			}
		}
		if (!typed) {
			/* v5.10+ layout (VC stacks added) with 4 KiB guard pages
			 * and EXCEPTION_STKSZ 8 KiB, in enum
			 * exception_stack_ordering order */
			for (i = 0; i < NR_ESTACKS; i++) {
				u->est_off[i] = 4096 * (i + 1) + 8192 * i;
				u->est_size[i] = 8192;
			}
			x86u_how_add(u, "exception stacks: layout assumed (no types)");
		}
		u->have_cea = true;
	}
	x86u_how_add(u, "stacks: THREAD_SIZE %" PRIu64 ", IRQ %s (%" PRIu64 "), "
		"exception stacks %s", u->thread_size,
		u->have_irqptr ? "hardirq_stack_ptr" : "unknown", u->irq_size,
		u->have_cea ? "cea_exception_stacks" : "unknown");
}

struct vm_unwinder *x86u_open(struct vm_mem *m, const struct vm_unwind_env *env,
				    struct vm_err *e)
{
	struct vm_unwinder *u = vm_calloc(1, sizeof(*u), e);
	unsigned i;

	if (!u)
		return NULL;
	u->m = m;
	u->env = *env;
	u->cache.m = m;
	u->cache.data = vm_malloc(UNW_CACHE_PAGES * sizeof(*u->cache.data), e);
	if (!u->cache.data) {
		free(u);
		return NULL;
	}
	for (i = 0; i < UNW_CACHE_PAGES; i++)
		u->cache.va[i] = 1;
	setup_orc(u);
	setup_layout(u);
	setup_percpu(u);
	return u;
}

void x86u_close(struct vm_unwinder *u)
{
	if (!u)
		return;
	free(u->cpus);
	free(u->cache.data);
	free(u);
}

const char *x86u_how(struct vm_unwinder *u)
{
	return u->how;
}

size_t x86u_regs_size(struct vm_unwinder *u)
{
	return (size_t)u->ptregs_size;
}

int x86u_find_orc(struct vm_unwinder *u, uint64_t pc, struct orc *o, struct vm_err *e)
{
	uint64_t mod;
	unsigned i;

	if (pc == 0) {
		/* A call through a NULL pointer: the return address is on top
		 * (the kernel's null_orc_entry). */
		*o = (struct orc){ .sp_offset = 8, .sp_reg = ORC_REG_SP,
				   .bp_reg = ORC_REG_UNDEFINED, .type = ORC_T_CALL };
		return 1;
	}
	if ((pc >= u->stext && pc < u->etext) ||
	    (pc >= u->sinittext && pc < u->einittext))
		return orc_table_find(&u->cache, &u->vmlinux, u->orc_version, pc, o, e);
	if (!u->have_mod_orc || !u->env.module_of)
		return 0;
	mod = u->env.module_of(u->env.arg, pc);
	if (!mod)
		return 0;
	for (i = 0; i < u->nmods; i++)
		if (u->mods[i].mod == mod)
			break;
	if (i == u->nmods) {
		struct mod_orc *mo = &u->mods[u->nmods < MAX_MODS ? u->nmods++ : MAX_MODS - 1];
		uint64_t ipt, ot;
		uint32_t num;

		i = (unsigned)(mo - u->mods);
		memset(mo, 0, sizeof(*mo));
		mo->mod = mod;
		if (unw_read(&u->cache, mod + u->mod_off_num, &num, 4, e) == 0 &&
		    unw_read64(&u->cache, mod + u->mod_off_ip, &ipt, e) == 0 &&
		    unw_read64(&u->cache, mod + u->mod_off_orc, &ot, e) == 0 &&
		    num && num < (1u << 22) && is_kernel_addr(ipt) && is_kernel_addr(ot)) {
			mo->t.ip_addr = ipt;
			mo->t.orc_addr = ot;
			mo->t.num = num;
			mo->ok = true;
		}
	}
	if (!u->mods[i].ok)
		return 0;
	return orc_table_find(&u->cache, &u->mods[i].t, u->orc_version, pc, o, e);
}

/* ---- stacks ---- */

struct cpu_stacks *x86u_cpu_stacks(struct vm_unwinder *u, int cpu)
{
	struct cpu_stacks *cs;
	struct vm_err e = { 0 };
	uint64_t pcpu, p;
	unsigned i;

	if (cpu < 0 || cpu >= u->ncpu || !u->cpus)
		return NULL;
	cs = &u->cpus[cpu];
	if (cs->done)
		return cs;
	cs->done = true;
	if (u->have_irqptr &&
	    u->env.percpu(u->env.arg, u->have_irqhot ? "pcpu_hot" : "hardirq_stack_ptr",
			  cpu, &pcpu) == 0 &&
	    unw_read64(&u->cache, pcpu + (u->have_irqhot ? u->irqhot_off : 0), &p, &e) == 0 &&
	    is_kernel_addr(p) && (p & 7) == 0)
		vm_stack_area_set(&cs->a[cs->n++], p + 8 - u->irq_size, p + 8, "IRQ", cpu);
	if (u->have_cea &&
	    u->env.percpu(u->env.arg, "cea_exception_stacks", cpu, &pcpu) == 0 &&
	    unw_read64(&u->cache, pcpu, &p, &e) == 0 && is_kernel_addr(p))
		for (i = 0; i < NR_ESTACKS; i++)
			if (u->est_size[i])
				vm_stack_area_set(&cs->a[cs->n++], p + u->est_off[i],
					 p + u->est_off[i] + u->est_size[i],
					 estack_labels[i], cpu);
	return cs;
}

int x86u_task_stack(struct vm_unwinder *u, uint64_t task, struct vm_stack_area *a,
		      struct vm_err *e)
{
	uint64_t base;

	if (!u->have_task_stack)
		return vm_fail(e, VM_ENOENT, "offset of task_struct.stack unknown (no types)");
	if (unw_read64(&u->cache, task + u->off_task_stack, &base, e) < 0) {
		vm_err_prefix(e, "task %" PRIx64 " ->stack: ", task);
		return -1;
	}
	if (!is_kernel_addr(base) || base % 4096)
		return vm_fail(e, VM_ECORRUPT, "task %" PRIx64 ": bad stack pointer %" PRIx64,
			       task, base);
	vm_stack_area_set(a, base, base + u->thread_size, "task", -1);
	return 0;
}

unsigned x86u_stacks(struct vm_unwinder *u, uint64_t task, int cpu,
			   struct vm_stack_area *out, unsigned max)
{
	struct cpu_stacks *cs;
	struct vm_err e = { 0 };
	unsigned n = 0, i;

	if (task && max && x86u_task_stack(u, task, &out[0], &e) == 0)
		n++;
	cs = x86u_cpu_stacks(u, cpu);
	for (i = 0; cs && i < cs->n && n < max; i++)
		out[n++] = cs->a[i];
	return n;
}

