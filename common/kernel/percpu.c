// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-CPU addresses and CPU masks (see percpu.h).
 */
#include "percpu.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../types/types.h"
#include "datasyms.h"
#include "debuginfo.h"

int vm_nr_cpu_ids(struct vm_kernel *k, unsigned *n, struct vm_err *e)
{
	struct vm_mem *m = vm_kernel_mem(k, e);
	struct vm_err se;
	uint64_t addr;
	uint32_t v;

	if (!m)
		return -1;
	/* nr_cpu_ids is a variable on SMP kernels since v2.6.28 and the
	 * constant 1 on UP ones, which also lack __per_cpu_offset. */
	if (vm_kernel_symbol(k, "nr_cpu_ids", &addr, &se) < 0) {
		/* text-only kallsyms: the CPUs the dump saved registers of */
		if (vm_kernel_text_only(k) && vm_mem_nr_cpu_regs(m) > 0) {
			*n = (unsigned)vm_mem_nr_cpu_regs(m);
			return 0;
		}
		if (vm_kernel_symbol(k, "__per_cpu_offset", &addr, &se) == 0)
			return vm_fail(e, VM_ENOENT,
				       "nr_cpu_ids: no such symbol in an SMP kernel");
		*n = 1;
		return 0;
	}
	if (vm_kread_u32(m, addr, &v, e) < 0) {
		vm_err_prefix(e, "nr_cpu_ids at 0x%" PRIx64 ": ", addr);
		return -1;
	}
	if (v == 0 || v > VM_CPUS_MAX)
		return vm_fail(e, VM_ECORRUPT,
			       "nr_cpu_ids at 0x%" PRIx64 " is %u (expected 1..%u)",
			       addr, v, VM_CPUS_MAX);
	*n = v;
	return 0;
}

int vm_percpu_open(struct vm_kernel *k, struct vm_percpu *pc, struct vm_err *e)
{
	struct vm_err se;
	uint64_t addr, end;
	unsigned i;

	memset(pc, 0, sizeof(*pc));
	pc->k = k;
	pc->m = vm_kernel_mem(k, e);
	if (!pc->m)
		return -1;
	/* everything vm_percpu_lookup will use, loaded now */
	pc->st = vm_kernel_symtab_core(k, &se);
	if (vm_nr_cpu_ids(k, &pc->nr_cpu_ids, e) < 0)
		return -1;
	pc->offset = vm_calloc(pc->nr_cpu_ids, sizeof(uint64_t), e);
	if (!pc->offset)
		return -1;
	if (vm_kernel_symbol(k, "__per_cpu_offset", &addr, &se) < 0) {
		if (!vm_kernel_text_only(k))
			return 0;       /* UP: per-CPU variables are plain variables */
		if (vm_percpu_derive(k, pc, e) < 0 || !(pc->ts = vm_kernel_types(k, e))) {
			vm_percpu_close(pc);
			return -1;
		}
		return 0;
	}
	for (i = 0; i < pc->nr_cpu_ids; i++) {
		if (vm_kread_u64(pc->m, addr + 8 * (uint64_t)i, &pc->offset[i], e) < 0) {
			vm_err_prefix(e, "__per_cpu_offset[%u] at 0x%" PRIx64 ": ",
				      i, addr + 8 * (uint64_t)i);
			vm_percpu_close(pc);
			return -1;
		}
	}
	/* A section linked at 0 (x86_64) has __per_cpu_start below any kernel
	 * address: 0, or the KASLR slide if the symbol source added it to
	 * everything.  Kernel addresses on our 64-bit arches have the top bit
	 * set. */
	if (vm_kernel_symbol(k, "__per_cpu_start", &pc->start, &se) == 0 &&
	    !(pc->start >> 63)) {
		pc->zero_based = true;
		if (vm_kernel_symbol(k, "__per_cpu_end", &end, &se) == 0 &&
		    end < pc->start)
			pc->zero_based = false;
	}
	return 0;
}

void vm_percpu_close(struct vm_percpu *pc)
{
	free(pc->offset);
	pc->offset = NULL;
}

static int check_cpu(const struct vm_percpu *pc, unsigned cpu, struct vm_err *e)
{
	if (cpu >= pc->nr_cpu_ids)
		return vm_fail(e, VM_EINVAL, "CPU %u out of range (nr_cpu_ids %u)",
			       cpu, pc->nr_cpu_ids);
	return 0;
}

int vm_percpu_sym_addr(const struct vm_percpu *pc, uint64_t sym_addr,
		       unsigned cpu, uint64_t *addr, struct vm_err *e)
{
	if (check_cpu(pc, cpu, e) < 0)
		return -1;
	if (pc->derived && !pc->offset[cpu])
		return vm_fail(e, VM_ENOENT, "CPU %u: per-CPU area unknown (no task on "
			       "the task list leads to its runqueue)", cpu);
	if (pc->zero_based)
		*addr = pc->offset[cpu] + (sym_addr - pc->start);
	else
		*addr = pc->offset[cpu] + sym_addr;
	return 0;
}

int vm_percpu_lookup(const struct vm_percpu *pc, const char *name, unsigned cpu,
		     uint64_t *addr, struct vm_err *e)
{
	const struct vm_sym *s;
	uint64_t sym;

	if (pc->derived) {
		char sec[64];

		if (!pc->ts || vm_types_var_section(pc->ts, name, sec, sizeof(sec), &sym, e) < 0)
			return -1;
		if (strcmp(sec, ".data..percpu"))
			return vm_fail(e, VM_EFORMAT, "%s is in section %s, not per-CPU",
				       name, sec);
		return vm_percpu_sym_addr(pc, sym, cpu, addr, e);
	}
	if (pc->k->vi && vm_vmci_symbol(pc->k->vi, name, &sym) == 0)
		return vm_percpu_sym_addr(pc, sym, cpu, addr, e);
	s = pc->st ? vm_sym_by_name(pc->st, name, NULL) : NULL;
	if (!s)
		return vm_fail(e, VM_ENOENT, "no per-CPU symbol %s", name);
	return vm_percpu_sym_addr(pc, s->addr, cpu, addr, e);
}

int vm_percpu_ptr(const struct vm_percpu *pc, uint64_t ptr, unsigned cpu,
		  uint64_t *addr, struct vm_err *e)
{
	if (check_cpu(pc, cpu, e) < 0)
		return -1;
	if (pc->derived)
		return vm_fail(e, VM_EUNSUP, "dynamic per-CPU pointer %#" PRIx64 ": "
			       "needs __per_cpu_offset (kallsyms has text symbols only)", ptr);
	*addr = ptr + pc->offset[cpu];
	return 0;
}

static const char *const mask_names[][3] = {
	[VM_CPUS_POSSIBLE] = { "__cpu_possible_mask", "cpu_possible_bits", "cpu_possible_map" },
	[VM_CPUS_PRESENT] = { "__cpu_present_mask", "cpu_present_bits", "cpu_present_map" },
	[VM_CPUS_ONLINE] = { "__cpu_online_mask", "cpu_online_bits", "cpu_online_map" },
	[VM_CPUS_ACTIVE] = { "__cpu_active_mask", "cpu_active_bits", "cpu_active_map" },
};

int vm_cpumask_read(struct vm_kernel *k, enum vm_cpumask_kind kind,
		    struct vm_cpumask *mask, struct vm_err *e)
{
	struct vm_mem *m = vm_kernel_mem(k, e);
	struct vm_err se;
	uint64_t addr;
	unsigned i, nwords;
	int found = 0;

	if (!m)
		return -1;
	if ((unsigned)kind >= sizeof(mask_names) / sizeof(mask_names[0]))
		return vm_fail(e, VM_EINVAL, "unknown CPU mask kind %d", (int)kind);
	memset(mask, 0, sizeof(*mask));
	if (vm_nr_cpu_ids(k, &mask->nbits, e) < 0)
		return -1;
	for (i = 0; i < 3 && !found; i++)
		found = vm_kernel_symbol(k, mask_names[kind][i], &addr, &se) == 0;
	if (!found) {
		if (mask->nbits == 1) {      /* UP: the one CPU is everything */
			mask->w[0] = 1;
			return 0;
		}
		return vm_fail(e, VM_ENOENT, "no CPU mask symbol %s", mask_names[kind][0]);
	}
	nwords = (mask->nbits + 63) / 64;
	if (vm_kread(m, addr, mask->w, nwords * 8ull, e) < 0) {
		vm_err_prefix(e, "%s at 0x%" PRIx64 ": ", mask_names[kind][i - 1], addr);
		return -1;
	}
	/* Bits past nr_cpu_ids are not part of the mask. */
	if (mask->nbits % 64)
		mask->w[nwords - 1] &= (1ull << (mask->nbits % 64)) - 1;
	return 0;
}

bool vm_cpumask_test(const struct vm_cpumask *mask, unsigned cpu)
{
	return cpu < mask->nbits && (mask->w[cpu / 64] >> (cpu % 64) & 1);
}

unsigned vm_cpumask_weight(const struct vm_cpumask *mask)
{
	unsigned i, n = 0;

	for (i = 0; i < (mask->nbits + 63) / 64; i++)
		n += (unsigned)__builtin_popcountll(mask->w[i]);
	return n;
}
