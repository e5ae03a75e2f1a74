/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The relocations a KASLR kernel applies to its own image at boot, read
 * from the vmlinux's link-time relocation sections (.rela.text and
 * friends: the vmlinux of a CONFIG_RELOCATABLE x86 kernel is linked with
 * --emit-relocs, which arch/x86/tools/relocs turns into vmlinux.relocs).
 * Applied to the file's bytes they give the code as it was after the
 * boot code moved the kernel and before anything patched it: what the
 * dump's memory is compared with.
 */
#ifndef VM_KRELOC_H
#define VM_KRELOC_H

#include <stddef.h>
#include <stdint.h>

#include "../err.h"

struct vm_elffile;
struct vm_kreloc;

/* NULL with VM_ENOENT when the file has no relocation sections (a
 * stripped or debuginfo-only vmlinux), VM_EUNSUP for an architecture
 * whose boot relocation is not this kind. */
struct vm_kreloc *vm_kreloc_open(struct vm_elffile *f, struct vm_err *e);
void vm_kreloc_free(struct vm_kreloc *r);
size_t vm_kreloc_count(const struct vm_kreloc *r);

/* Relocate buf, the file's bytes at link-time address link..link+len, for
 * a kernel that runs slide bytes above its link address.  Fields that
 * buf holds only in part are left: read 8 bytes more on each side than
 * needed. */
void vm_kreloc_apply(const struct vm_kreloc *r, uint64_t link, uint8_t *buf, size_t len,
		     uint64_t slide);

#endif
