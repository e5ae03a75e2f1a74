/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What crash's start-up banner and `sys` show, gathered from whatever the
 * dump can tell: the dump's own header, VMCOREINFO, and kernel memory.
 * Every field is optional; a field that cannot be had stays unset and the
 * reason is kept for -v.
 */
#ifndef VM_SYSINFO_H
#define VM_SYSINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "../vmcore_types.h"
#include "kernel.h"

/* Fills what it can; never fails (fields stay unset). */
void vm_sysinfo_collect(struct vm_kernel *k, struct vm_sysinfo *si);

/* When the kernel crashed, in seconds since the epoch: VMCOREINFO's
 * CRASHTIME, else the dump header's timestamp, else the timekeeper's
 * xtime_sec (needs its layout: types).  *src names the source; -1 with e
 * when the dump holds none. */
int vm_crash_time(struct vm_kernel *k, int64_t *t, const char **src, struct vm_err *e);

/* crash's MEMORY rounding: a total within 64 MiB below a GiB boundary is
 * shown as that boundary (memory holes make RAM a bit less than installed). */
uint64_t vm_sysinfo_round_memory(uint64_t bytes);

#endif
