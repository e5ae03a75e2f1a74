/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-CPU variables and CPU masks.
 *
 * A static per-CPU variable's copy for a CPU lives at its link address plus
 * __per_cpu_offset[cpu]; a dynamic __percpu pointer works the same way.  On
 * x86_64 SMP the .data..percpu section is linked at 0 (__per_cpu_start == 0),
 * so those symbols are offsets, not addresses, and must not carry the KASLR
 * slide: handled here whichever way the symbol table delivered them.
 * UP kernels have no __per_cpu_offset; every offset is 0 there.
 */
#ifndef VM_PERCPU_H
#define VM_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

/* Largest NR_CPUS a kernel config allows (x86 MAXSMP); a larger nr_cpu_ids
 * read from a dump is corruption. */
#define VM_CPUS_MAX 8192u

struct vm_cpumask {
	unsigned nbits;                       /* nr_cpu_ids */
	uint64_t w[VM_CPUS_MAX / 64];
};

enum vm_cpumask_kind {
	VM_CPUS_POSSIBLE,
	VM_CPUS_PRESENT,
	VM_CPUS_ONLINE,
	VM_CPUS_ACTIVE,
};

/* What per-CPU lookups need, read once. */
struct vm_percpu {
	struct vm_kernel *k;
	struct vm_mem *m;
	unsigned nr_cpu_ids;
	uint64_t *offset;          /* __per_cpu_offset[0..nr_cpu_ids-1] */
	bool zero_based;           /* percpu symbols are section offsets */
	uint64_t start;            /* __per_cpu_start as the symtab has it */
	/* text-only kallsyms: offset[] are the CPUs' section copies found
	 * from their runqueues (0: not found), variables come from BTF */
	bool derived;
	/* where vm_percpu_lookup looks: loaded by vm_percpu_open */
	struct vm_symtab *st;      /* the kernel's symbols (NULL: VMCOREINFO only) */
	struct vm_types *ts;       /* derived: variables placed by BTF DATASEC */
};

/* Reads nr_cpu_ids and __per_cpu_offset[] (on a text-only kallsyms: the
 * CPUs of the dump's CPU notes and vm_percpu_derive()).  This is where the
 * cost is: it loads the kernel's symbol table (vm_kernel_symtab_core: a
 * vmlinux search and build-id check, or the dump's kallsyms decoded) and,
 * on a text-only kallsyms, the types (the dump's BTF, or DWARF) and the
 * task list its derivation walks.  Free with vm_percpu_close. */
int vm_percpu_open(struct vm_kernel *k, struct vm_percpu *pc, struct vm_err *e);
void vm_percpu_close(struct vm_percpu *pc);
/* percpu_derive.c: pc->offset[] from the runqueues the tasks point to. */
int vm_percpu_derive(struct vm_kernel *k, struct vm_percpu *pc, struct vm_err *e);

/* Address of CPU cpu's copy of the static per-CPU variable at symbol address
 * sym_addr (as vm_kernel_symbol returned it). */
int vm_percpu_sym_addr(const struct vm_percpu *pc, uint64_t sym_addr,
		       unsigned cpu, uint64_t *addr, struct vm_err *e);
/* Same, by name ("runqueues"): a lookup in what vm_percpu_open loaded
 * (VMCOREINFO, the symbol table, BTF's DATASEC records), and nothing more:
 * no file is searched, nothing is decoded. */
int vm_percpu_lookup(const struct vm_percpu *pc, const char *name, unsigned cpu,
		     uint64_t *addr, struct vm_err *e);
/* per_cpu_ptr(): a dynamic __percpu pointer value for cpu. */
int vm_percpu_ptr(const struct vm_percpu *pc, uint64_t ptr, unsigned cpu,
		  uint64_t *addr, struct vm_err *e);

/* nr_cpu_ids (1 on kernels without it: UP). */
int vm_nr_cpu_ids(struct vm_kernel *k, unsigned *n, struct vm_err *e);

/* One of the kernel's CPU masks, nr_cpu_ids bits long:
 * __cpu_<kind>_mask (v4.5+), cpu_<kind>_bits (v2.6.29..v4.4),
 * cpu_<kind>_map (older). */
int vm_cpumask_read(struct vm_kernel *k, enum vm_cpumask_kind kind,
		    struct vm_cpumask *mask, struct vm_err *e);
bool vm_cpumask_test(const struct vm_cpumask *mask, unsigned cpu);
unsigned vm_cpumask_weight(const struct vm_cpumask *mask);

#endif
