/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error reporting for libvmcore.
 *
 * Library functions return 0 / -1 (or a pointer / NULL) and leave the reason
 * in a caller-owned struct vm_err.  Only bin/ prints.  The code lets callers
 * tell an excluded page (VM_ENOPAGE) from an I/O error or corruption.
 */
#ifndef VM_ERR_H
#define VM_ERR_H

#include <stddef.h>

enum vm_errcode {
	VM_EOK = 0,
	VM_EIO,       /* read(2)/open(2)/mmap(2) failed */
	VM_EFORMAT,   /* not the format we expected (bad magic, bad field) */
	VM_ETRUNC,    /* file ends before a structure it declares */
	VM_ENOPAGE,   /* page excluded from the dump (filtered) or not in it */
	VM_ENOMAP,    /* virtual address not mapped by the page tables */
	VM_ENOENT,    /* symbol / type / key not found */
	VM_ENOMEM,    /* allocation failed or size over a sane cap */
	VM_EUNSUP,    /* valid input we do not handle */
	VM_ECORRUPT,  /* kernel data structure inconsistent (loop, bad pointer) */
	VM_EINVAL,    /* bad argument from the user */
	VM_EMISMATCH, /* debuginfo does not belong to this dump */
};

struct vm_err {
	int code;
	char msg[1024];
};

/* Set *e and return -1.  e may be NULL. */
int vm_fail(struct vm_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepend context ("reading prb: ") to the message already in e. */
void vm_err_prefix(struct vm_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void vm_err_clear(struct vm_err *e);

/* Allocation helpers that report through e; size caps protect against
 * hostile lengths read from a dump. */
#define VM_ALLOC_CAP ((size_t)1 << 32) /* 4 GiB: nothing we read is larger */
void *vm_malloc(size_t n, struct vm_err *e);
/* A buffer of n bytes (1-32 MB) about to be filled whole (the BTF, the
 * kallsyms tables and names, their indexes): its pages mapped in one call
 * instead of a page fault each, which costs microseconds a page in a
 * virtual machine (a cold vmps: 5200 faults -> 900, 114 -> 93 ms).  Linux
 * 5.14+; an older kernel ignores it.  Not for buffers used sparsely. */
void vm_prefault(void *p, size_t n);
void *vm_calloc(size_t nmemb, size_t size, struct vm_err *e);
void *vm_realloc_array(void *p, size_t nmemb, size_t size, struct vm_err *e);
char *vm_strdup(const char *s, struct vm_err *e);

#endif
