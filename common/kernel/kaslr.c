// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The slide is a multiple of the arch's kaslr_align below kaslr_max; a
 * wrong slide almost always lands on an unmapped page, so trying them all
 * (512 on x86_64) costs a few hundred page-table walks.  linux_banner
 * ("Linux version 6.1.192 (...) #2 SMP ...") names the exact build, so a
 * match is also the proof that the vmlinux belongs to the dump.
 */
#include "kaslr.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#define BANNER_PREFIX "Linux version "
#define BANNER_CMP_MAX 256

int vm_kernel_find_kaslr(struct vm_mem *m, uint64_t banner_link, const char *banner,
			 size_t banner_len, uint64_t *slide, struct vm_err *e)
{
	const struct vm_arch *a = vm_mem_arch(m);
	char buf[BANNER_CMP_MAX];
	size_t want;
	uint64_t s;
	unsigned tried = 0, mapped = 0;
	bool exact = banner != NULL;

	if (!a->kaslr_align || !a->kaslr_max)
		return vm_fail(e, VM_EUNSUP, "%s: no KASLR range known; give -o kaslr=",
			       a->name);
	if (banner) {
		want = banner_len < sizeof(buf) ? banner_len : sizeof(buf);
		if (want < sizeof(BANNER_PREFIX) - 1 ||
		    memcmp(banner, BANNER_PREFIX, sizeof(BANNER_PREFIX) - 1))
			return vm_fail(e, VM_EINVAL, "linux_banner in the vmlinux does not "
				       "start with \"%s\"", BANNER_PREFIX);
	} else {
		banner = BANNER_PREFIX;
		want = sizeof(BANNER_PREFIX) - 1;
	}
	for (s = 0; s < a->kaslr_max; s += a->kaslr_align) {
		struct vm_err ignore;

		tried++;
		if (vm_kread(m, banner_link + s, buf, want, &ignore) < 0)
			continue;
		mapped++;
		if (!memcmp(buf, banner, want)) {
			*slide = s;
			return 0;
		}
	}
	return vm_fail(e, VM_ENOENT,
		       "linux_banner (link address 0x%" PRIx64 ") is at none of %u possible "
		       "KASLR slides (%u were readable): the %s is not this dump's kernel, "
		       "or give -o kaslr=", banner_link, tried, mapped,
		       exact ? "vmlinux" : "System.map");
}
