/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Finding the KASLR slide of a dump that does not record it (a QEMU dump
 * of a kernel without VMCOREINFO): the kernel's page table comes from the
 * CPU notes (CR3), and linux_banner, whose link-time address the vmlinux or
 * System.map gives, is looked for at every possible slide.
 */
#ifndef VM_KASLR_H
#define VM_KASLR_H

#include <stddef.h>
#include <stdint.h>

#include "../arch/arch.h"
#include "../err.h"

/*
 * banner_link: link-time address of linux_banner.  banner: its expected
 * text (from the vmlinux), or NULL to accept any "Linux version " string
 * (System.map only).  On success *slide is set (and not yet applied: the
 * caller calls vm_mem_set_kaslr()).  VM_ENOENT if no slide fits, which with
 * a banner means the vmlinux is not this dump's kernel.
 */
int vm_kernel_find_kaslr(struct vm_mem *m, uint64_t banner_link, const char *banner,
			 size_t banner_len, uint64_t *slide, struct vm_err *e);

#endif
