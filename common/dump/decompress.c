// SPDX-License-Identifier: GPL-2.0-or-later
/* Page decompression for kdump-compressed dumps: one page in, one page out. */
#include "dump_impl.h"

#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

int vm_decompress(unsigned method, const void *src, size_t src_len,
		  void *out, size_t out_len, struct vm_err *e)
{
	switch (method) {
	case VM_COMP_ZLIB: {
		uLongf n = out_len;
		int r = uncompress(out, &n, src, src_len);

		if (r != Z_OK)
			return vm_fail(e, VM_ECORRUPT, "zlib: %s", zError(r));
		if (n != out_len)
			return vm_fail(e, VM_ECORRUPT, "zlib: %lu bytes, "
				       "expected %zu", (unsigned long)n, out_len);
		return 0;
	}
	case VM_COMP_LZO: {
		lzo_uint n = out_len;
		int r = lzo1x_decompress_safe(src, src_len, out, &n, NULL);

		if (r != LZO_E_OK)
			return vm_fail(e, VM_ECORRUPT, "lzo: error %d", r);
		if (n != out_len)
			return vm_fail(e, VM_ECORRUPT, "lzo: %lu bytes, "
				       "expected %zu", (unsigned long)n, out_len);
		return 0;
	}
	case VM_COMP_SNAPPY: {
		size_t n;

		if (snappy_uncompressed_length(src, src_len, &n) != SNAPPY_OK)
			return vm_fail(e, VM_ECORRUPT, "snappy: bad header");
		if (n != out_len)
			return vm_fail(e, VM_ECORRUPT, "snappy: %zu bytes, "
				       "expected %zu", n, out_len);
		if (snappy_uncompress(src, src_len, out, &n) != SNAPPY_OK)
			return vm_fail(e, VM_ECORRUPT, "snappy: bad data");
		return 0;
	}
	case VM_COMP_ZSTD: {
		size_t n = ZSTD_decompress(out, out_len, src, src_len);

		if (ZSTD_isError(n))
			return vm_fail(e, VM_ECORRUPT, "zstd: %s",
				       ZSTD_getErrorName(n));
		if (n != out_len)
			return vm_fail(e, VM_ECORRUPT, "zstd: %zu bytes, "
				       "expected %zu", n, out_len);
		return 0;
	}
	default:
		return vm_fail(e, VM_EUNSUP, "unknown compression %#x", method);
	}
}
