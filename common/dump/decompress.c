// SPDX-License-Identifier: GPL-2.0-or-later
/* Page decompression for kdump-compressed dumps: one page in, one page out. */
#include "dump_impl.h"

#include <stdint.h>
#include <stdlib.h>

#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

void vm_zctx_fini(struct vm_zctx *z)
{
	if (z->zs) {
		inflateEnd(z->zs);
		free(z->zs);
	}
	if (z->zstd)
		ZSTD_freeDCtx(z->zstd);
	z->zs = z->zstd = NULL;
}

/* One zlib-format page through a reused stream; the adler32 trailer is
 * still checked, so a corrupt page is still caught. */
static int inflate_page(struct vm_zctx *z, const void *src, size_t src_len,
			void *out, size_t out_len, struct vm_err *e)
{
	z_stream *zs = z->zs;
	int r;

	if (!zs) {
		zs = calloc(1, sizeof(*zs));
		if (!zs)
			return vm_fail(e, VM_ENOMEM, "zlib: out of memory");
		if (inflateInit(zs) != Z_OK) {
			free(zs);
			return vm_fail(e, VM_ENOMEM, "zlib: inflateInit failed");
		}
		z->zs = zs;
	} else if (inflateReset(zs) != Z_OK) {
		return vm_fail(e, VM_ECORRUPT, "zlib: inflateReset failed");
	}
	if (src_len > UINT32_MAX || out_len > UINT32_MAX)
		return vm_fail(e, VM_ECORRUPT, "zlib: page too large");
	zs->next_in = (Bytef *)(uintptr_t)src;
	zs->avail_in = (uInt)src_len;
	zs->next_out = out;
	zs->avail_out = (uInt)out_len;
	r = inflate(zs, Z_FINISH);
	if (r != Z_STREAM_END)
		return vm_fail(e, VM_ECORRUPT, "zlib: %s",
			       r == Z_BUF_ERROR || r == Z_OK ? "page longer than expected or truncated"
							     : (zs->msg ? zs->msg : zError(r)));
	if (zs->total_out != out_len)
		return vm_fail(e, VM_ECORRUPT, "zlib: %lu bytes, expected %zu",
			       (unsigned long)zs->total_out, out_len);
	return 0;
}

int vm_decompress(struct vm_zctx *z, unsigned method, const void *src,
		  size_t src_len, void *out, size_t out_len, struct vm_err *e)
{
	if (z && method == VM_COMP_ZLIB)
		return inflate_page(z, src, src_len, out, out_len, e);
	if (z && method == VM_COMP_ZSTD && !z->zstd)
		z->zstd = ZSTD_createDCtx();
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
		size_t n = z && z->zstd ? ZSTD_decompressDCtx(z->zstd, out, out_len, src, src_len)
					: ZSTD_decompress(out, out_len, src, src_len);

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
