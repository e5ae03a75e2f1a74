/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A kernel variable with its own type as crash's `p` prints it (vmstruct
 * DUMP VARIABLE), crash's "$N = " left out:
 *
 *   jiffies_64 = 4294671581              a plain variable
 *   "swapper/0\000..."                    a member path, or -x (crash's p/x
 *                                         drops the name too)
 *   PER-CPU DATA TYPE:                    a per-CPU variable, no CPU asked
 *     int cpu_number;
 *   PER-CPU ADDRESSES:
 *     [0]: ff2228448b6159e0
 *   per_cpu(cpu_number, 1) = 1            a per-CPU variable on CPU 1
 *
 * One JSON record per value (per CPU) with --json.
 */
#ifndef VM_OUT_VAR_H
#define VM_OUT_VAR_H

#include <stdio.h>

#include "../kernel/vars.h"
#include "../types/types.h"
#include "json.h"
#include "../vmcore_types.h"


/* v's value(s) (cpu: a CPU, VM_VAR_NO_CPU or VM_VAR_ALL_CPUS; ignored for
 * a plain variable), with env for memory and symbols and vflags
 * VM_VPRINT_*.  -1 with e when a value could not be read (what could be is
 * printed). */
int vm_out_var(FILE *f, struct vm_json *j, const struct vm_var *v,
	       const struct vm_percpu *pc, int cpu, const struct vm_value_env *env,
	       unsigned vflags, struct vm_err *e);

#endif
