/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Layer 2: the VMCOREINFO note, "KEY=VALUE\n" lines written by the kernel's
 * crash_save_vmcoreinfo() (kernel/crash_core.c).  SYMBOL() values are run-time
 * addresses (KASLR already applied); OFFSET/SIZE/LENGTH are decimal; NUMBER is
 * signed decimal; KERNELOFFSET and CRASHTIME are hex / decimal plain keys.
 */
#ifndef VM_VMCOREINFO_H
#define VM_VMCOREINFO_H

#include <stddef.h>
#include <stdint.h>

#include "../err.h"

struct vm_vmcoreinfo;

/* Parse text (need not be NUL-terminated).  Lines without '=' are ignored;
 * at most 65536 lines are kept. */
struct vm_vmcoreinfo *vm_vmcoreinfo_parse(const char *text, size_t len,
					  struct vm_err *e);
void vm_vmcoreinfo_free(struct vm_vmcoreinfo *vi);

/* Raw value of an exact key ("OSRELEASE", "SYMBOL(prb)"), or NULL. */
const char *vm_vmci_get(const struct vm_vmcoreinfo *vi, const char *key);

/* Typed accessors: 0 on success, -1 if absent or malformed (no message).
 * Unsigned values must start with a digit (no sign, no blank); SIZE,
 * OFFSET and LENGTH values above UINT32_MAX count as malformed. */
int vm_vmci_symbol(const struct vm_vmcoreinfo *vi, const char *name, uint64_t *out);
int vm_vmci_size(const struct vm_vmcoreinfo *vi, const char *type, uint64_t *out);
/* member is "struct.member" as the kernel writes it: "printk_info.seq" */
int vm_vmci_offset(const struct vm_vmcoreinfo *vi, const char *member, uint64_t *out);
int vm_vmci_length(const struct vm_vmcoreinfo *vi, const char *name, uint64_t *out);
int vm_vmci_number(const struct vm_vmcoreinfo *vi, const char *name, int64_t *out);
/* Plain key parsed as hex (KERNELOFFSET) or decimal (CRASHTIME, PAGESIZE). */
int vm_vmci_hex(const struct vm_vmcoreinfo *vi, const char *key, uint64_t *out);
int vm_vmci_dec(const struct vm_vmcoreinfo *vi, const char *key, int64_t *out);

/* Iterate all keys in file order; returns NULL past the end. */
const char *vm_vmci_key_at(const struct vm_vmcoreinfo *vi, size_t i, const char **value);

#endif
