/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loaded modules as crash's `mod` lists them (vmsym --lsmod):
 *
 *        MODULE       NAME            BASE         SIZE  STATE  TAINTS  BUILD-ID  OBJECT FILE
 *   ffffffffc012e100  crashmod  ffffffffc012c000  16384  Live   O       751dd3..  -
 *
 * MODULE, NAME, BASE and SIZE laid out as crash does (NAME and SIZE as
 * wide as the widest), then what crash does not show: the module's state
 * and taint letters as /proc/modules words them, its build-id, and the
 * .ko whose symbols were added ("-": none; crash's "(not loaded)").  SIZE
 * is /proc/modules' size.  One JSON record per module with --json.
 */
#ifndef VM_OUT_MOD_H
#define VM_OUT_MOD_H

#include <stdbool.h>
#include <stdio.h>

#include "../kernel/modules.h"
#include "json.h"

/* The module's taint letters ("O", "PE"; "" untainted) as /proc/modules
 * prints them between parentheses (vm_format_taint). */
void vm_module_taint_str(const struct vm_module *m, char *buf, size_t len);
void vm_out_modules(FILE *f, struct vm_json *j, const struct vm_modlist *ml, bool header);

#endif
