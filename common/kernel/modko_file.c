// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a module file: plain, or compressed the ways distributions ship
 * them (xz: Debian, Fedora, SUSE; zstd: Ubuntu, Arch; gzip), decided by
 * the file's magic, not its name.  And the .ko's symbol table.
 */
#include "modko_impl.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "../file.h"
#include "../rd.h"

/* No module is near this; a bigger output is a decompression bomb. */
#define MAX_KO_SIZE ((size_t)512 << 20)
#define MAX_KO_FILE ((size_t)256 << 20)

/* Grow out to hold at least need more bytes. */
static int grow(uint8_t **out, size_t *cap, size_t used, const char *path,
		struct vm_err *e)
{
	size_t nc = *cap ? *cap * 2 : 1 << 20;
	uint8_t *n;

	if (*cap >= MAX_KO_SIZE)
		return vm_fail(e, VM_ENOMEM, "%s: decompresses to more than %zu MB",
			       path, MAX_KO_SIZE >> 20);
	if (nc > MAX_KO_SIZE)
		nc = MAX_KO_SIZE;
	n = realloc(*out, nc);
	if (!n)
		return vm_fail(e, VM_ENOMEM, "%s: no memory for %zu bytes", path, nc);
	*out = n;
	*cap = nc;
	(void)used;
	return 0;
}

static int unxz(const char *path, const uint8_t *in, size_t n, uint8_t **out,
		size_t *size, struct vm_err *e)
{
	lzma_stream s = LZMA_STREAM_INIT;
	size_t cap = 0;
	lzma_ret r;

	*out = NULL;
	if (lzma_stream_decoder(&s, 256u << 20, LZMA_CONCATENATED) != LZMA_OK)
		return vm_fail(e, VM_ENOMEM, "%s: xz decoder", path);
	s.next_in = in;
	s.avail_in = n;
	do {
		if (s.avail_out == 0) {
			size_t used = cap - s.avail_out;

			if (grow(out, &cap, used, path, e) < 0)
				goto fail;
			s.next_out = *out + used;
			s.avail_out = cap - used;
		}
		r = lzma_code(&s, LZMA_FINISH);
	} while (r == LZMA_OK);
	if (r != LZMA_STREAM_END) {
		vm_fail(e, VM_EFORMAT, "%s: corrupt xz data (lzma error %d)", path, (int)r);
		goto fail;
	}
	*size = cap - s.avail_out;
	lzma_end(&s);
	return 0;
fail:
	lzma_end(&s);
	free(*out);
	*out = NULL;
	return -1;
}

static int unzstd(const char *path, const uint8_t *in, size_t n, uint8_t **out,
		  size_t *size, struct vm_err *e)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, n, 0 };
	ZSTD_outBuffer ob = { NULL, 0, 0 };
	size_t cap = 0, r = 1;

	unsigned long long said = ZSTD_getFrameContentSize(in, n);

	*out = NULL;
	/* a frame that says its size (zstd(1) writes it) is refused before
	 * anything is decompressed; one that does not is stopped by grow() */
	if (said != ZSTD_CONTENTSIZE_UNKNOWN && said != ZSTD_CONTENTSIZE_ERROR &&
	    said > MAX_KO_SIZE) {
		ZSTD_freeDStream(z);
		return vm_fail(e, VM_ENOMEM, "%s: decompresses to more than %zu MB (%llu bytes, "
			       "its zstd frame says)", path, MAX_KO_SIZE >> 20, said);
	}
	if (!z)
		return vm_fail(e, VM_ENOMEM, "%s: zstd decoder", path);
	ZSTD_initDStream(z);
	while (ib.pos < ib.size || r != 0) {
		if (ob.pos == ob.size) {
			if (grow(out, &cap, ob.pos, path, e) < 0)
				goto fail;
			ob.dst = *out;
			ob.size = cap;
		}
		r = ZSTD_decompressStream(z, &ob, &ib);
		if (ZSTD_isError(r)) {
			vm_fail(e, VM_EFORMAT, "%s: corrupt zstd data (%s)", path,
				ZSTD_getErrorName(r));
			goto fail;
		}
		if (ib.pos == ib.size && r != 0 && ob.pos < ob.size) {
			vm_fail(e, VM_ETRUNC, "%s: zstd data ends early", path);
			goto fail;
		}
	}
	*size = ob.pos;
	ZSTD_freeDStream(z);
	return 0;
fail:
	ZSTD_freeDStream(z);
	free(*out);
	*out = NULL;
	return -1;
}

static int ungzip(const char *path, const uint8_t *in, size_t n, uint8_t **out,
		  size_t *size, struct vm_err *e)
{
	z_stream z;
	size_t cap = 0, used = 0;
	int r;

	*out = NULL;
	memset(&z, 0, sizeof(z));
	if (n > UINT32_MAX || inflateInit2(&z, 15 + 32) != Z_OK)
		return vm_fail(e, VM_ENOMEM, "%s: zlib decoder", path);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	do {
		if (used == cap) {
			if (grow(out, &cap, used, path, e) < 0)
				goto fail;
		}
		z.next_out = *out + used;
		z.avail_out = (uInt)(cap - used);
		r = inflate(&z, Z_NO_FLUSH);
		used = cap - z.avail_out;
	} while (r == Z_OK);
	if (r != Z_STREAM_END) {
		vm_fail(e, VM_EFORMAT, "%s: corrupt gzip data (zlib %d)", path, r);
		goto fail;
	}
	inflateEnd(&z);
	*size = used;
	return 0;
fail:
	inflateEnd(&z);
	free(*out);
	*out = NULL;
	return -1;
}

int vm_modko_slurp(const char *path, uint8_t **buf, size_t *size, struct vm_err *e)
{
	static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const uint8_t zst[] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const uint8_t gz[] = { 0x1f, 0x8b };
	uint8_t *raw = NULL;
	size_t n = 0;
	int rc;

	if (vm_read_file(path, MAX_KO_FILE, "a module", &raw, &n, e) < 0)
		return -1;
	if (n >= sizeof(xz) && !memcmp(raw, xz, sizeof(xz)))
		rc = unxz(path, raw, n, buf, size, e);
	else if (n >= sizeof(zst) && !memcmp(raw, zst, sizeof(zst)))
		rc = unzstd(path, raw, n, buf, size, e);
	else if (n >= sizeof(gz) && !memcmp(raw, gz, sizeof(gz)))
		rc = ungzip(path, raw, n, buf, size, e);
	else {
		*buf = raw;
		*size = n;
		return 0;
	}
	free(raw);
	return rc;
}

struct vm_elffile *vm_modko_file_open(const char *path, struct vm_err *e)
{
	uint8_t *buf;
	size_t size;

	if (vm_modko_slurp(path, &buf, &size, e) < 0)
		return NULL;
	return vm_elffile_open_mem(path, buf, size, e);
}

/* ---- .symtab ---- */

/* .symtab and its string table, as the file has them. */
static bool symtab(struct vm_elffile *f, const uint8_t **sym, size_t *nsym,
		   const uint8_t **str, size_t *nstr)
{
	unsigned i, n = vm_elffile_nsec(f);
	struct vm_err ie;

	for (i = 0; i < n; i++) {
		const struct vm_elfsec *s = vm_elffile_sec(f, i);

		if (s->type != SHT_SYMTAB || s->link >= n)
			continue;
		return vm_elffile_sec_data(f, i, sym, nsym, &ie) == 0 &&
		       vm_elffile_sec_data(f, s->link, str, nstr, &ie) == 0 && *sym && *str;
	}
	return false;
}

size_t vm_modko_nsyms(struct vm_elffile *f)
{
	const uint8_t *sym, *str;
	size_t nsym, nstr;

	if (!symtab(f, &sym, &nsym, &str, &nstr))
		return 0;
	return nsym / (vm_elffile_is64(f) ? 24 : 16);
}

bool vm_modko_sym(struct vm_elffile *f, size_t i, struct vm_kosym *out)
{
	const uint8_t *sym, *str, *p;
	size_t nsym, nstr;
	bool le = vm_elffile_le(f), is64 = vm_elffile_is64(f);
	uint32_t name;

	if (!symtab(f, &sym, &nsym, &str, &nstr) || i >= nsym / (is64 ? 24 : 16))
		return false;
	p = sym + i * (is64 ? 24 : 16);
	name = vm_rd32(p, le);
	if (is64) {
		out->bind = p[4] >> 4;
		out->type = p[4] & 15;
		out->shndx = vm_rd16(p + 6, le);
		out->value = vm_rd64(p + 8, le);
		out->size = vm_rd64(p + 16, le);
	} else {
		out->value = vm_rd32(p + 4, le);
		out->size = vm_rd32(p + 8, le);
		out->bind = p[12] >> 4;
		out->type = p[12] & 15;
		out->shndx = vm_rd16(p + 14, le);
	}
	out->name = "";
	if (name < nstr && memchr(str + name, 0, nstr - name))
		out->name = (const char *)str + name;
	return true;
}
