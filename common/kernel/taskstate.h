/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Task state bits of the dumped kernel and their names: crash's two-letter
 * codes (RU IN UN ID ST TR ZO DE PA WA NE) and the TASK_* names crash's
 * `sys`/`set` show.
 *
 * The bit values moved over time, so they come from the kernel version
 * (table below) and, where the dump holds it, from the kernel's own
 * task_state_array[] (fs/proc/array.c): entry i > 0 names the state whose
 * bit is 1 << (i - 1), which is a fact the dump proves.
 */
#ifndef VM_TASKSTATE_H
#define VM_TASKSTATE_H

#include <stdint.h>

#include "kernel.h"

/* Bit values; 0 = not in this kernel. */
struct vm_task_states {
	uint32_t interruptible, uninterruptible, stopped, traced;
	uint32_t exit_dead, exit_zombie, parked, dead;
	uint32_t wakekill, waking, noload, new_, rtlock_wait;
	uint32_t freezable, freezable_unsafe, frozen;
	uint32_t version;          /* VM_KV(a,b,c) the table was chosen by; 0 unknown */
	const char *source;        /* for -v: "v4.14+ table, checked against task_state_array" */
};

#define VM_KV(a, b, c) (((uint32_t)(a) << 16) | ((uint32_t)(b) << 8) | (uint32_t)((c) > 255 ? 255 : (c)))

/* The running kernel's version from VMCOREINFO OSRELEASE or init_uts_ns;
 * 0 with e set if neither can be read. */
uint32_t vm_kernel_version(struct vm_kernel *k, struct vm_err *e);

/* Fill the bit table for this kernel.  Never fails: without a version the
 * v4.14+ layout is assumed and source says so. */
void vm_task_states_init(struct vm_kernel *k, struct vm_task_states *ts);

/* crash's two-letter code for state|exit_state ("??" if no rule matches);
 * buf >= 3. */
const char *vm_task_state_code(const struct vm_task_states *ts, uint32_t state,
			       uint32_t exit_state, char buf[3]);
/* TASK_RUNNING, TASK_INTERRUPTIBLE|TASK_WAKEKILL, EXIT_ZOMBIE, ... */
void vm_task_state_name(const struct vm_task_states *ts, uint32_t state,
			uint32_t exit_state, char *buf, size_t len);

#endif
