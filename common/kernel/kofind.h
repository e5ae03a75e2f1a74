/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where a loaded module's .ko may be: the one lookup behind module
 * symbols (modules.c), source lines and code (modko.c) and types
 * (types_load.c).
 *
 * The directories: -M DIR when given, else
 * ROOT/usr/lib/debug/lib/modules/RELEASE (debug packages: the unstripped
 * .ko, with DWARF) and ROOT/lib/modules/RELEASE, in that order (RELEASE
 * from the dump, ROOT = VMCOREUTILS_DEBUG_ROOT or /).  They are read
 * once per kernel handle, a few directories deep.  A module's files are
 * NAME.ko, NAME.ko.xz, NAME.ko.zst and NAME.ko.gz, '-' and '_' alike (a
 * module's name is its file's with '-' made '_': scripts/Makefile.lib
 * modname-flags, kernel/module/main.c).
 *
 * The candidates are not checked here: every caller opens them in order
 * and takes the first that is the loaded module (modko.h), so the debug
 * copy wins when both match.
 */
#ifndef VM_KOFIND_H
#define VM_KOFIND_H

#include <stdbool.h>

#include "kernel.h"

#define VM_KO_MAX_CANDIDATES 16

struct vm_kofiles {
	const char *path[VM_KO_MAX_CANDIDATES];   /* owned by the kernel handle */
	unsigned n;
};

/* The files that may be module name's, best first; -1 with VM_ENOENT
 * naming the directories searched when there is none (or no directory:
 * no -M and no release in the dump). */
int vm_kofind(struct vm_kernel *k, const char *name, struct vm_kofiles *out,
	      struct vm_err *e);

/* -M DIR given: a file there of another build is the user's mistake and
 * refused; a searched one is skipped. */
bool vm_kofind_given(const struct vm_kernel *k);

struct vm_koindex;
void vm_koindex_free(struct vm_koindex *x);

#endif
