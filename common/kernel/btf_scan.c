// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's BTF in a dump whose symbols do not say where it is.
 *
 * __start_BTF is a data symbol: a kernel without KALLSYMS_ALL (Debian's
 * arm64 build) lists text symbols only, and VMCOREINFO does not name it.
 * The linker script puts .BTF at the end of the read-only data (RO_DATA:
 * .rodata, where the kallsyms tables live, then __ksymtab..., the notes,
 * .BTF), so the header is found by reading upward from the kallsyms
 * tables (or from _etext) and checking each 4-byte aligned offset for a
 * header whose sections fit together.  The first candidate that parses as
 * a whole is the kernel's BTF.
 */
#include "btf_scan.h"

#include <stdlib.h>
#include <string.h>

#include "../arch/arch.h"
#include "../rd.h"

#define SCAN_CHUNK  (64u << 10)
#define HDR_LEN     24u          /* struct btf_header of v5.2+ */
/* each candidate costs a read of the size it declares: a hostile dump
 * full of headers gets a few tries, not thousands */
#define MAX_CANDIDATES 16
#define MAX_CANDIDATE_BYTES (128ull << 20)

/* The total size the header at p declares, or 0 when it is not one:
 * magic 0xeB9F, version 1, and (as pahole and the kernel lay it out)
 * types at offset 0 right before the strings. */
static uint64_t btf_header_size(const uint8_t *p, uint64_t max)
{
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint64_t total;

	if (p[0] != 0x9f || p[1] != 0xeb || p[2] != 1)
		return 0;
	hdr_len = vm_le32(p + 4);
	type_off = vm_le32(p + 8);
	type_len = vm_le32(p + 12);
	str_off = vm_le32(p + 16);
	str_len = vm_le32(p + 20);
	if (hdr_len < HDR_LEN || hdr_len > 256 || type_off != 0 || !type_len ||
	    str_off != type_len || !str_len)
		return 0;
	total = (uint64_t)hdr_len + str_off + str_len;
	return total <= max ? total : 0;
}

/* Read [va, va+len) into buf; pages that cannot be read become zeros (no
 * header starts in them).  -1 when none of it could be read.  The first
 * failure that is not an excluded or unmapped page (a missing part of a
 * split set, a truncated file, an I/O error) is kept in *why: if the scan
 * finds nothing, that is the answer to give, not "no BTF header". */
static int read_chunk(struct vm_mem *m, uint64_t va, uint8_t *buf, size_t len,
		      struct vm_err *why)
{
	struct vm_err e;
	size_t off, got = 0;

	if (vm_kread(m, va, buf, len, &e) == 0)
		return 0;
	for (off = 0; off < len; off += 4096) {
		size_t n = len - off < 4096 ? len - off : 4096;

		if (vm_kread(m, va + off, buf + off, n, &e) == 0) {
			got++;
			continue;
		}
		memset(buf + off, 0, n);
		if (why->code == VM_EOK && e.code != VM_ENOPAGE &&
		    e.code != VM_ENOMAP)
			*why = e;
	}
	return got ? 0 : -1;
}

int vm_btf_scan(struct vm_mem *m, uint64_t from, uint64_t span, uint64_t max,
		vm_btf_accept_fn accept, void *ctx, uint64_t *where, struct vm_err *e)
{
	uint8_t *chunk, *blob;
	uint64_t va = from & ~UINT64_C(3), end = from + span, candidates = 0, bytes = 0;
	uint64_t done;
	struct vm_err why;
	int rc;

	if (end < from)
		end = UINT64_MAX;
	vm_err_clear(&why);
	chunk = vm_malloc(SCAN_CHUNK, e);
	if (!chunk)
		return -1;
	/* consecutive chunks overlap by a header, so none is cut in two; the
	 * count of bytes covered ends the loop, not va, which can wrap past
	 * the top of the address space (a fuzz finding: from = 2^64 - 128
	 * scanned the whole address space) */
	for (done = 0; done < span; done += SCAN_CHUNK - HDR_LEN, va += SCAN_CHUNK - HDR_LEN) {
		size_t i;

		if (va + SCAN_CHUNK < va)
			break;

		if (read_chunk(m, va, chunk, SCAN_CHUNK, &why) < 0)
			continue;
		for (i = 0; i + HDR_LEN <= SCAN_CHUNK; i += 4) {
			uint64_t size = btf_header_size(chunk + i, max);
			struct vm_err be;

			if (!size)
				continue;
			bytes += size;
			if (++candidates > MAX_CANDIDATES || bytes > MAX_CANDIDATE_BYTES) {
				free(chunk);
				return vm_fail(e, VM_ECORRUPT,
					       "no BTF: %llu headers (%llu bytes) from %#llx "
					       "to %#llx did not parse",
					       (unsigned long long)candidates,
					       (unsigned long long)bytes,
					       (unsigned long long)from,
					       (unsigned long long)(va + i));
			}
			blob = vm_malloc((size_t)size, &be);
			if (!blob) {
				free(chunk);
				*e = be;
				return -1;
			}
			if (vm_kread(m, va + i, blob, (size_t)size, &be) == 0) {
				rc = accept(ctx, blob, (size_t)size, va + i, &be);
				if (rc == 0) {
					free(blob);
					free(chunk);
					*where = va + i;
					return 0;
				}
			}
			free(blob);
		}
	}
	free(chunk);
	if (why.code != VM_EOK)
		return vm_fail(e, why.code, "no BTF header in %#llx..%#llx, "
			       "part of which could not be read: %s",
			       (unsigned long long)from, (unsigned long long)end,
			       why.msg);
	return vm_fail(e, VM_ENOENT,
		       "no BTF header in %#llx..%#llx (%llu candidate%s rejected)",
		       (unsigned long long)from, (unsigned long long)end,
		       (unsigned long long)candidates, candidates == 1 ? "" : "s");
}
