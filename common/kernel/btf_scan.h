/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VM_KERNEL_BTF_SCAN_H
#define VM_KERNEL_BTF_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "../err.h"

struct vm_mem;

/* Asked about each plausible BTF blob found: 0 takes it (the scan ends),
 * -1 rejects it (the scan goes on).  blob is freed after the call. */
typedef int (*vm_btf_accept_fn)(void *ctx, const uint8_t *blob, size_t len,
				uint64_t va, struct vm_err *e);

/* Look for a BTF header in kernel memory [from, from + span), 4-byte
 * aligned, declaring at most max bytes; each one found is read whole and
 * handed to accept.  0 with *where set, or -1 (VM_ENOENT: none found). */
int vm_btf_scan(struct vm_mem *m, uint64_t from, uint64_t span, uint64_t max,
		vm_btf_accept_fn accept, void *ctx, uint64_t *where, struct vm_err *e);

#endif
