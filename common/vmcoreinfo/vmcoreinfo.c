// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmcoreinfo.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VMCI_MAX_LINES 65536

struct vmci_kv {
	const char *key;
	const char *value;
};

struct vm_vmcoreinfo {
	char *text;            /* private copy, '=' and '\n' replaced by NUL */
	struct vmci_kv *kv;    /* in text order, for vm_vmci_key_at() */
	size_t *byname;        /* kv indices by key, a repeated key's last line first */
	size_t n;
};

/* Programs ask for dozens of keys; a sorted index keeps each lookup at a
 * dozen string compares for any note a hostile dump can carry. */
static int cmp_byname(const void *a, const void *b, void *arg)
{
	const struct vmci_kv *kv = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(kv[i].key, kv[j].key);

	if (c)
		return c;
	return i < j ? 1 : -1;
}

static int index_keys(struct vm_vmcoreinfo *vi, struct vm_err *e)
{
	size_t i;

	if (!vi->n)
		return 0;
	vi->byname = vm_calloc(vi->n, sizeof(*vi->byname), e);
	if (!vi->byname)
		return -1;
	for (i = 0; i < vi->n; i++)
		vi->byname[i] = i;
	qsort_r(vi->byname, vi->n, sizeof(*vi->byname), cmp_byname, vi->kv);
	return 0;
}

struct vm_vmcoreinfo *vm_vmcoreinfo_parse(const char *text, size_t len,
					  struct vm_err *e)
{
	struct vm_vmcoreinfo *vi = vm_calloc(1, sizeof(*vi), e);
	size_t cap = 0;
	char *p, *end;

	if (!vi)
		return NULL;
	vi->text = vm_malloc(len + 1, e);
	if (!vi->text)
		goto fail;
	memcpy(vi->text, text, len);
	vi->text[len] = '\0';
	/* The note is NUL-padded; a stray NUL ends the text like the kernel's
	 * own parsers (makedumpfile) treat it. */
	end = vi->text + strlen(vi->text);
	for (p = vi->text; p < end && vi->n < VMCI_MAX_LINES;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eq;

		if (!nl)
			nl = end;
		*nl = '\0';
		eq = strchr(p, '=');
		if (eq && eq != p) {
			*eq = '\0';
			if (vi->n == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				struct vmci_kv *kv = vm_realloc_array(vi->kv, ncap,
								      sizeof(*kv), e);
				if (!kv)
					goto fail;
				vi->kv = kv;
				cap = ncap;
			}
			vi->kv[vi->n].key = p;
			vi->kv[vi->n].value = eq + 1;
			vi->n++;
		}
		p = nl + 1;
	}
	if (index_keys(vi, e) < 0)
		goto fail;
	return vi;
fail:
	vm_vmcoreinfo_free(vi);
	return NULL;
}

void vm_vmcoreinfo_free(struct vm_vmcoreinfo *vi)
{
	if (!vi)
		return;
	free(vi->byname);
	free(vi->kv);
	free(vi->text);
	free(vi);
}

const char *vm_vmci_get(const struct vm_vmcoreinfo *vi, const char *key)
{
	size_t lo = 0, hi;

	if (!vi)
		return NULL;
	/* The first of equal keys in byname is the last line: later lines win
	 * (the kernel appends, and a re-saved key is newer). */
	hi = vi->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(vi->kv[vi->byname[mid]].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < vi->n && !strcmp(vi->kv[vi->byname[lo]].key, key))
		return vi->kv[vi->byname[lo]].value;
	return NULL;
}

static int parse_u(const char *s, int base, uint64_t *out)
{
	char *endp;
	unsigned long long v;

	/* strtoull() takes "-4" as 2^64-4 and skips blanks: an unsigned
	 * field starts with a digit */
	if (!s || !((*s >= '0' && *s <= '9') ||
		    (base == 16 && ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))))
		return -1;
	errno = 0;
	v = strtoull(s, &endp, base);
	if (errno || *endp)
		return -1;
	*out = v;
	return 0;
}

static int parse_s(const char *s, int64_t *out)
{
	char *endp;
	long long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtoll(s, &endp, 10);
	if (errno || *endp)
		return -1;
	*out = v;
	return 0;
}

static const char *get_wrapped(const struct vm_vmcoreinfo *vi, const char *what,
			       const char *name)
{
	char key[256];

	if ((size_t)snprintf(key, sizeof(key), "%s(%s)", what, name) >= sizeof(key))
		return NULL;
	return vm_vmci_get(vi, key);
}

int vm_vmci_symbol(const struct vm_vmcoreinfo *vi, const char *name, uint64_t *out)
{
	return parse_u(get_wrapped(vi, "SYMBOL", name), 16, out);
}

/* Sizes, offsets and lengths of kernel structures fit in 32 bits; a larger
 * value is corrupt, and refusing it here keeps every "offset + size <=
 * struct size" check of the callers free of 64-bit wrap-around. */
static int parse_u32(const char *s, uint64_t *out)
{
	uint64_t v;

	if (parse_u(s, 10, &v) < 0 || v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

int vm_vmci_size(const struct vm_vmcoreinfo *vi, const char *type, uint64_t *out)
{
	return parse_u32(get_wrapped(vi, "SIZE", type), out);
}

int vm_vmci_offset(const struct vm_vmcoreinfo *vi, const char *member, uint64_t *out)
{
	return parse_u32(get_wrapped(vi, "OFFSET", member), out);
}

int vm_vmci_length(const struct vm_vmcoreinfo *vi, const char *name, uint64_t *out)
{
	return parse_u32(get_wrapped(vi, "LENGTH", name), out);
}

int vm_vmci_number(const struct vm_vmcoreinfo *vi, const char *name, int64_t *out)
{
	return parse_s(get_wrapped(vi, "NUMBER", name), out);
}

int vm_vmci_hex(const struct vm_vmcoreinfo *vi, const char *key, uint64_t *out)
{
	return parse_u(vm_vmci_get(vi, key), 16, out);
}

int vm_vmci_dec(const struct vm_vmcoreinfo *vi, const char *key, int64_t *out)
{
	return parse_s(vm_vmci_get(vi, key), out);
}

const char *vm_vmci_key_at(const struct vm_vmcoreinfo *vi, size_t i, const char **value)
{
	if (!vi || i >= vi->n)
		return NULL;
	if (value)
		*value = vi->kv[i].value;
	return vi->kv[i].key;
}
