/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source lines of run-time kernel addresses, kernel and module alike, for
 * vmbt -l and vmsym -l: the vmlinux's line tables (the KASLR slide taken
 * off), or the line tables of the module's .ko (modko.h: found under -M
 * DIR, else under the debug tree's or /lib/modules/RELEASE (kofind.h),
 * checked against the loaded module by build-id or srcversion, its
 * sections placed where the kernel put them).
 * Each table is opened on first use and kept.
 *
 *   struct vm_srclines *sl = vm_srclines_new(k);
 *   r = vm_srclines_at(sl, pc, &line, &e);   1 line, 0 none, -1 table
 *   vm_srclines_free(sl);
 */
#ifndef VM_SRCLINES_H
#define VM_SRCLINES_H

#include <stdint.h>

#include "kernel.h"
#include "../types/lines.h"

struct vm_srclines;

/* NULL only when out of memory (e says so). */
struct vm_srclines *vm_srclines_new(struct vm_kernel *k, struct vm_err *e);
void vm_srclines_free(struct vm_srclines *sl);

/*
 * The line at addr (the caller passes a return address minus one when it
 * wants the call's line): 1 with *out set (strings live until
 * vm_srclines_free), 0 no line there.  -1 with e when the table that
 * would answer cannot be opened (no vmlinux; no .ko for the module, or a
 * .ko that is not the loaded one): said once per table, 0 after that, so
 * a caller can warn once per module; 0 from the start for a .ko the
 * types already refused with a warning (vm_modko_first_refusal).
 */
int vm_srclines_at(struct vm_srclines *sl, uint64_t addr, struct vm_line *out,
		   struct vm_err *e);

#endif
