/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small formatters every printer shares, so that one thing is printed one
 * way: symbol+offset, durations, sizes, taint flags, crash's task header
 * (declared in vmcore.h: programs use them too), and what only the
 * printers need.
 */
#ifndef VM_OUT_FORMAT_H
#define VM_OUT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "../vmcore.h"

/* "name" or "name+OFF" (flags: VM_SYMF_OFF, VM_SYMF_HEX) */
void vm_format_symoff(const char *name, uint64_t off, unsigned flags, char *buf,
		      size_t len);

/* The CPU column: "0", or "-" when unknown (as every unknown field in this
 * toolbox); buf >= 12. */
const char *vm_format_cpu(int cpu, char *buf, size_t len);

#endif
