// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VMCOREINFO parser (common/vmcoreinfo/vmcoreinfo.c) and every typed
 * accessor, asked for each key the text itself holds and for the keys the
 * other layers ask for.  Seeds: the VMCOREINFO notes of every fixture dump.
 */
#include "fuzz.h"

#include "vmcoreinfo/vmcoreinfo.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const defs[] = { FZ_COMMON_FLAGS, "-max_len=65536", NULL };

	fz_default_flags(argc, argv, defs);
	return 0;
}

/* "SYMBOL(prb)" -> what = "SYMBOL", inner = "prb" */
static int split_key(const char *key, char *what, char *inner, size_t n)
{
	const char *open = strchr(key, '('), *close;
	size_t wl, il;

	if (!open)
		return -1;
	close = strrchr(open, ')');
	if (!close || close[1])
		return -1;
	wl = (size_t)(open - key);
	il = (size_t)(close - open - 1);
	if (wl >= n || il >= n)
		return -1;
	memcpy(what, key, wl);
	what[wl] = '\0';
	memcpy(inner, open + 1, il);
	inner[il] = '\0';
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const plain[] = { "OSRELEASE", "PAGESIZE", "KERNELOFFSET",
		"CRASHTIME", "BUILD-ID", "" };
	struct vm_vmcoreinfo *vi;
	struct vm_err e;
	const char *key, *val;
	char what[300], inner[300];
	volatile uint64_t sink = 0;
	uint64_t u;
	int64_t s;
	size_t i;

	vi = vm_vmcoreinfo_parse((const char *)data, size, &e);
	if (!vi)
		return 0;
	/* each lookup scans every key: 256 keys keep an input's cost linear
	 * (a kernel writes about 100) */
	for (i = 0; (key = vm_vmci_key_at(vi, i, &val)) && i < 256; i++) {
		sink += strlen(key) + strlen(val);
		if (vm_vmci_get(vi, key) == NULL)
			abort(); /* a key the iterator gave must be found */
		vm_vmci_hex(vi, key, &u);
		vm_vmci_dec(vi, key, &s);
		if (split_key(key, what, inner, sizeof(what)) < 0)
			continue;
		if (!strcmp(what, "SYMBOL") && vm_vmci_symbol(vi, inner, &u) == 0)
			sink += u;
		if (!strcmp(what, "SIZE") && vm_vmci_size(vi, inner, &u) == 0)
			sink += u;
		if (!strcmp(what, "OFFSET") && vm_vmci_offset(vi, inner, &u) == 0)
			sink += u;
		if (!strcmp(what, "LENGTH") && vm_vmci_length(vi, inner, &u) == 0)
			sink += u;
		if (!strcmp(what, "NUMBER") && vm_vmci_number(vi, inner, &s) == 0)
			sink += (uint64_t)s;
	}
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		vm_vmci_get(vi, plain[i]);
		vm_vmci_hex(vi, plain[i], &u);
		vm_vmci_dec(vi, plain[i], &s);
	}
	vm_vmci_key_at(vi, (size_t)-1, &val);
	vm_vmcoreinfo_free(vi);
	(void)sink;
	return 0;
}
