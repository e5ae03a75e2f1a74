// SPDX-License-Identifier: GPL-2.0-or-later
#include "opts.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Every key any layer reads (grep vm_opt_ common/), and only those.
 * vmcoreutils(7) describes each; keep the two in step (tests/cli.bats). */
const struct vm_override_key vm_override_keys[] = {
	{ "kaslr", VM_OVK_NUMBER, "OFFSET",
	  "KASLR offset of the kernel image (the panic's \"Kernel Offset:\")" },
	{ "phys_base", VM_OVK_NUMBER, "ADDR",
	  "x86_64: physical address the kernel image was loaded at" },
	{ "page_offset", VM_OVK_NUMBER, "ADDR",
	  "start of the direct map of physical memory" },
	{ "pgd", VM_OVK_NUMBER, "PADDR",
	  "physical address of the kernel's top-level page table" },
	{ "vabits", VM_OVK_VABITS, "BITS",
	  "virtual address bits (x86_64: 48 or 57; arm64: 36 to 52)" },
	{ "kimage_voffset", VM_OVK_NUMBER, "OFFSET",
	  "arm64: kernel image virtual-to-physical offset" },
	{ "phys_offset", VM_OVK_NUMBER, "ADDR",
	  "arm64: physical address where the linear map starts" },
	{ "raw_base", VM_OVK_NUMBER, "ADDR",
	  "DUMP is a raw memory image starting at physical ADDR" },
	{ "novmcoreinfo", VM_OVK_FLAG, NULL,
	  "ignore the dump's VMCOREINFO note" },
	{ "nocache", VM_OVK_FLAG, NULL,
	  "neither read nor write the on-disk cache" },
	{ "nodwarf", VM_OVK_FLAG, NULL,
	  "take types from the vmlinux's BTF, not its DWARF" },
	{ "textonly", VM_OVK_FLAG, NULL,
	  "use only the text symbols of the dump's kallsyms" },
	{ NULL, 0, NULL, NULL },
};

static const struct vm_override_key *find_key(const char *key, size_t len)
{
	const struct vm_override_key *k;

	for (k = vm_override_keys; k->key; k++)
		if (strlen(k->key) == len && !strncmp(k->key, key, len))
			return k;
	return NULL;
}

/* Decimal or 0x-prefixed hex, the whole string, no blanks; a leading '-'
 * gives the two's complement (phys_base below the image's link address is
 * "negative", as VMCOREINFO's NUMBER(phys_base) may print it). */
static bool parse_number(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long r;
	bool neg = *s == '-', hex;

	s += neg;
	hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (!isdigit((unsigned char)*s) || (hex && !isxdigit((unsigned char)s[2])))
		return false;
	errno = 0;
	r = strtoull(s, &end, hex ? 16 : 10);
	if (errno || *end)
		return false;
	*v = neg ? -(uint64_t)r : r;
	return true;
}

bool vm_parse_hex(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long r;

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	if (!*s || !isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	r = strtoull(s, &end, 16);
	if (errno || *end)
		return false;
	*v = r;
	return true;
}

int vm_opts_add_override(struct vm_opts *o, const char *arg, struct vm_err *e)
{
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct vm_override_key *k = find_key(arg, klen);
	const char *val = eq ? eq + 1 : NULL;
	struct vm_override *ov;
	uint64_t v = 0;

	if (!klen)
		return vm_fail(e, VM_EINVAL, "-o wants KEY=VALUE or KEY, not '%s'", arg);
	if (!k)
		return vm_fail(e, VM_EINVAL, "-o %.*s: unknown key",
			       (int)(klen > 64 ? 64 : klen), arg);
	switch (k->kind) {
	case VM_OVK_FLAG:
		if (val)
			return vm_fail(e, VM_EINVAL, "-o %s takes no value", k->key);
		val = "";
		break;
	case VM_OVK_NUMBER:
	case VM_OVK_VABITS:
		if (!val || !*val)
			return vm_fail(e, VM_EINVAL, "-o %s wants a value: %s=%s",
				       k->key, k->key, k->arg);
		if (!parse_number(val, &v))
			return vm_fail(e, VM_EINVAL, "-o %s=%.64s: not a number (decimal "
				       "or 0x hex)", k->key, val);
		if (k->kind == VM_OVK_VABITS && (val[0] == '-' || v < 36 || v > 57))
			return vm_fail(e, VM_EINVAL, "-o %s=%.64s: not a number of "
				       "virtual address bits (36 to 57)", k->key, val);
		break;
	}
	if (o->nr_ov >= VM_MAX_OVERRIDES)
		return vm_fail(e, VM_EINVAL, "too many -o options (at most %d)",
			       VM_MAX_OVERRIDES);
	ov = &o->ov[o->nr_ov++];
	ov->key = k->key;
	ov->value = val;
	ov->num = v;
	return 0;
}

static const struct vm_override *find(const struct vm_opts *o, const char *key)
{
	unsigned i;

	if (!o)
		return NULL;
	/* the last one given wins */
	for (i = o->nr_ov; i-- > 0;)
		if (!strcmp(o->ov[i].key, key))
			return &o->ov[i];
	return NULL;
}

const char *vm_opt_get(const struct vm_opts *o, const char *key)
{
	const struct vm_override *ov = find(o, key);

	return ov ? ov->value : NULL;
}

bool vm_opt_has(const struct vm_opts *o, const char *key)
{
	return find(o, key) != NULL;
}

int vm_opt_u64(const struct vm_opts *o, const char *key, uint64_t *out)
{
	const struct vm_override *ov = find(o, key);

	if (!ov)
		return 0;
	*out = ov->num;
	return 1;
}
