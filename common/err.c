// SPDX-License-Identifier: GPL-2.0-or-later
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int vm_fail(struct vm_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void vm_err_prefix(struct vm_err *e, const char *fmt, ...)
{
	char pre[512], old[sizeof(e->msg)];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	size_t n;

	memcpy(old, e->msg, sizeof(old));
	n = strnlen(pre, sizeof(e->msg) - 1);
	memcpy(e->msg, pre, n);
	/* truncation of a long chain of context is fine */
	snprintf(e->msg + n, sizeof(e->msg) - n, "%.*s",
		 (int)(sizeof(e->msg) - n - 1), old);
}

void vm_err_clear(struct vm_err *e)
{
	if (e) {
		e->code = VM_EOK;
		e->msg[0] = '\0';
	}
}

/* Small buffers fault in as they always did; above this, pages are
 * left to fault in as used: a size read from a damaged dump must not make
 * memory resident before a read fails. */
#define PREFAULT_MIN ((size_t)1 << 20)
#define PREFAULT_MAX ((size_t)32 << 20)

void vm_prefault(void *p, size_t n)
{
	if (!p || n < PREFAULT_MIN || n > PREFAULT_MAX)
		return;
#ifdef MADV_POPULATE_WRITE
	{
		uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
		uintptr_t z = ((uintptr_t)p + n) & ~(uintptr_t)4095;

		if (z > a)
			(void)madvise((void *)a, z - a, MADV_POPULATE_WRITE);
	}
#endif
}

void *vm_malloc(size_t n, struct vm_err *e)
{
	void *p;

	if (n > VM_ALLOC_CAP) {
		vm_fail(e, VM_ENOMEM, "refusing to allocate %zu bytes", n);
		return NULL;
	}
	p = malloc(n ? n : 1);
	if (!p)
		vm_fail(e, VM_ENOMEM, "out of memory allocating %zu bytes", n);
	return p;
}

void *vm_calloc(size_t nmemb, size_t size, struct vm_err *e)
{
	void *p;

	if (size && nmemb > VM_ALLOC_CAP / size) {
		vm_fail(e, VM_ENOMEM, "refusing to allocate %zu x %zu bytes",
			nmemb, size);
		return NULL;
	}
	p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		vm_fail(e, VM_ENOMEM, "out of memory allocating %zu x %zu bytes",
			nmemb, size);
	return p;
}

void *vm_realloc_array(void *p, size_t nmemb, size_t size, struct vm_err *e)
{
	void *q;

	if (size && nmemb > VM_ALLOC_CAP / size) {
		vm_fail(e, VM_ENOMEM, "refusing to allocate %zu x %zu bytes",
			nmemb, size);
		return NULL;
	}
	q = realloc(p, (nmemb && size) ? nmemb * size : 1);
	if (!q)
		vm_fail(e, VM_ENOMEM, "out of memory allocating %zu x %zu bytes",
			nmemb, size);
	return q;
}

char *vm_strdup(const char *s, struct vm_err *e)
{
	size_t n = strlen(s) + 1;
	char *p = vm_malloc(n, e);

	if (p)
		memcpy(p, s, n);
	return p;
}
