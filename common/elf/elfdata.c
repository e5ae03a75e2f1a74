// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Section contents (elffile.h): stored bytes straight from the mapping,
 * compressed debug sections inflated, a relocatable object's debug
 * sections with their relocations applied.
 */
#include "elf_impl.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "../rd.h"

#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2
#endif

/* A compressed section claiming more than this per input byte is lying:
 * deflate's best case is about 1032:1. */
#define MAX_INFLATE_RATIO 1100

static int inflate_zlib(const struct vm_elffile *f, const struct esec *s,
			const uint8_t *in, size_t inlen, uint8_t *out,
			size_t outlen, struct vm_err *e)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return vm_fail(e, VM_ENOMEM, "%s: %s: inflateInit failed",
			       f->path, s->h.name);
	z.next_in = (Bytef *)in;
	z.next_out = out;
	/* zlib counts in uInt: feed it in pieces for sections over 4 GiB */
	do {
		size_t in_left = inlen - (size_t)((const uint8_t *)z.next_in - in);
		size_t out_left = outlen - (size_t)(z.next_out - out);

		z.avail_in = in_left > 1u << 30 ? 1u << 30 : (uInt)in_left;
		z.avail_out = out_left > 1u << 30 ? 1u << 30 : (uInt)out_left;
		rc = inflate(&z, Z_NO_FLUSH);
	} while (rc == Z_OK && (z.avail_out == 0 || z.avail_in == 0) &&
		 (size_t)(z.next_out - out) < outlen &&
		 (const uint8_t *)z.next_in < in + inlen);
	inflateEnd(&z);
	if (rc != Z_STREAM_END || (size_t)(z.next_out - out) != outlen)
		return vm_fail(e, VM_EFORMAT,
			       "%s: %s: corrupt zlib data (inflated %zu of %zu bytes, zlib %d)",
			       f->path, s->h.name, (size_t)(z.next_out - out),
			       outlen, rc);
	return 0;
}

static int inflate_zstd(const struct vm_elffile *f, const struct esec *s,
			const uint8_t *in, size_t inlen, uint8_t *out,
			size_t outlen, struct vm_err *e)
{
	size_t r = ZSTD_decompress(out, outlen, in, inlen);

	if (ZSTD_isError(r) || r != outlen)
		return vm_fail(e, VM_EFORMAT, "%s: %s: corrupt zstd data (%s)",
			       f->path, s->h.name,
			       ZSTD_isError(r) ? ZSTD_getErrorName(r) : "short");
	return 0;
}

bool vm_elffile_sec_compressed(const struct vm_elffile *f, unsigned i)
{
	return i < f->nsec && ((f->sec[i].h.flags & SHF_COMPRESSED) ||
			       !strncmp(f->sec[i].h.name, ".zdebug_", 8));
}

/* The compression header of a compressed section: type, inflated size,
 * header length. */
static int chdr(const struct vm_elffile *f, const struct esec *s,
		const uint8_t *raw, size_t rawlen, uint32_t *ctype,
		uint64_t *usize, size_t *hdr, struct vm_err *e)
{
	if (s->h.flags & SHF_COMPRESSED) {
		/* Elf64_Chdr { ch_type, ch_reserved, ch_size, ch_addralign },
		 * Elf32_Chdr { ch_type, ch_size, ch_addralign } */
		*hdr = f->is64 ? sizeof(Elf64_Chdr) : sizeof(Elf32_Chdr);
		if (rawlen < *hdr)
			return vm_fail(e, VM_ETRUNC, "%s: %s: compression header truncated",
				       f->path, s->h.name);
		*ctype = vm_rd32(raw, f->le);
		*usize = f->is64 ? vm_rd64(raw + 8, f->le) : vm_rd32(raw + 4, f->le);
		return 0;
	}
	/* legacy .zdebug_*: "ZLIB" + big-endian 64-bit size */
	*hdr = 12;
	if (rawlen < *hdr || memcmp(raw, "ZLIB", 4))
		return vm_fail(e, VM_EFORMAT, "%s: %s: no ZLIB header",
			       f->path, s->h.name);
	*ctype = ELFCOMPRESS_ZLIB;
	*usize = vm_be64(raw + 4);
	return 0;
}

static int decompress(struct vm_elffile *f, struct esec *s, const uint8_t *raw,
		      size_t rawlen, struct vm_err *e)
{
	uint32_t ctype;
	uint64_t usize;
	size_t hdr;
	uint8_t *out;
	int rc;

	if (chdr(f, s, raw, rawlen, &ctype, &usize, &hdr, e) < 0)
		return -1;
	if (ctype != ELFCOMPRESS_ZLIB && ctype != ELFCOMPRESS_ZSTD)
		return vm_fail(e, VM_EUNSUP, "%s: %s: compression type %u",
			       f->path, s->h.name, ctype);
	if (usize == 0 || usize > VM_ALLOC_CAP ||
	    usize / MAX_INFLATE_RATIO > rawlen)
		return vm_fail(e, VM_EFORMAT, "%s: %s: implausible size %llu for %zu compressed bytes",
			       f->path, s->h.name, (unsigned long long)usize, rawlen);
	out = vm_malloc((size_t)usize, e);
	if (!out)
		return -1;
	rc = ctype == ELFCOMPRESS_ZLIB
		? inflate_zlib(f, s, raw + hdr, rawlen - hdr, out, usize, e)
		: inflate_zstd(f, s, raw + hdr, rawlen - hdr, out, usize, e);
	if (rc < 0) {
		free(out);
		return -1;
	}
	s->data = out;
	s->data_size = (size_t)usize;
	s->owned = true;
	return 0;
}

/*
 * A .ko is ET_REL: its .debug_info holds zeros where .debug_str and
 * .debug_abbrev offsets go, and the real values are in .rela.debug_info.
 * Only absolute data relocations appear in debug sections: their width, 0
 * for "none", -1 for a type we do not know.
 */
static int reloc_width(uint16_t machine, uint32_t type)
{
	switch (machine) {
	case EM_X86_64:
		if (type == R_X86_64_64)
			return 8;
		if (type == R_X86_64_32 || type == R_X86_64_32S)
			return 4;
		break;
	case EM_AARCH64:
		if (type == R_AARCH64_ABS64)
			return 8;
		if (type == R_AARCH64_ABS32)
			return 4;
		break;
	case EM_386:
		if (type == R_386_32)
			return 4;
		break;
	case EM_PPC64:
		if (type == R_PPC64_ADDR64)
			return 8;
		if (type == R_PPC64_ADDR32)
			return 4;
		break;
	case EM_S390:
		if (type == R_390_64)
			return 8;
		if (type == R_390_32)
			return 4;
		break;
	case EM_RISCV:
		if (type == R_RISCV_64)
			return 8;
		if (type == R_RISCV_32)
			return 4;
		break;
	}
	return type == 0 ? 0 : -1;
}

/* One relocation entry at p: offset, symbol index, type, addend. */
static void get_rel(const struct vm_elffile *f, const uint8_t *p, bool rela,
		    uint64_t *off, uint64_t *symi, uint32_t *type, uint64_t *addend)
{
	uint64_t info;

	*addend = 0;
	if (f->is64) {
		*off = vm_rd64(p, f->le);
		info = vm_rd64(p + 8, f->le);
		*symi = info >> 32;
		*type = (uint32_t)info;
		if (rela)
			*addend = vm_rd64(p + 16, f->le);
	} else {
		*off = vm_rd32(p, f->le);
		info = vm_rd32(p + 4, f->le);
		*symi = info >> 8;
		*type = info & 0xff;
		if (rela)
			*addend = (uint64_t)(int64_t)(int32_t)vm_rd32(p + 8, f->le);
	}
}

/* S of a relocation: the symbol's value, plus its section's address when
 * the caller placed that section. */
static uint64_t sym_value(const struct vm_elffile *f, const uint8_t *sym)
{
	struct vm_elf_rawsym s;

	vm_elf_get_sym(f, sym, &s);
	if (s.shndx != SHN_UNDEF && s.shndx < f->nsec && f->sec[s.shndx].placed)
		return s.value + f->sec[s.shndx].h.addr;
	return s.value;
}

static int apply_relocs(struct vm_elffile *f, unsigned idx, struct vm_err *e)
{
	struct esec *s = &f->sec[idx];
	unsigned r;

	for (r = 0; r < f->nsec; r++) {
		const struct esec *rs = &f->sec[r];
		const struct esec *sym;
		size_t relsz, symsz, n, i;
		bool rela = rs->h.type == SHT_RELA;

		if ((rs->h.type != SHT_RELA && rs->h.type != SHT_REL) ||
		    rs->h.info != idx)
			continue;
		if (rs->h.link >= f->nsec)
			return vm_fail(e, VM_EFORMAT, "%s: %s: bad symbol table link %u",
				       f->path, rs->h.name, rs->h.link);
		sym = &f->sec[rs->h.link];
		relsz = f->is64 ? (rela ? 24 : 16) : (rela ? 12 : 8);
		symsz = f->is64 ? 24 : 16;
		if (!vm_elf_in_file(f, rs) || !vm_elf_in_file(f, sym))
			return vm_fail(e, VM_ETRUNC, "%s: %s outside the file",
				       f->path, rs->h.name);
		n = rs->h.size / relsz;
		for (i = 0; i < n; i++) {
			uint64_t off, symi, addend, value;
			uint32_t type;
			int width;
			uint8_t *dst;

			get_rel(f, f->map + rs->h.offset + i * relsz, rela, &off,
				&symi, &type, &addend);
			width = reloc_width(f->machine, type);
			if (width == 0)
				continue;
			if (width < 0)
				return vm_fail(e, VM_EUNSUP, "%s: %s: relocation type %u at %#llx",
					       f->path, rs->h.name, type,
					       (unsigned long long)off);
			if (off > s->data_size || s->data_size - off < (size_t)width ||
			    symi >= sym->h.size / symsz)
				return vm_fail(e, VM_EFORMAT, "%s: %s: relocation %zu out of range (offset %#llx, symbol %llu)",
					       f->path, rs->h.name, i,
					       (unsigned long long)off,
					       (unsigned long long)symi);
			value = sym_value(f, f->map + sym->h.offset + symi * symsz);
			dst = (uint8_t *)s->data + off;
			if (!rela)
				addend = vm_rdn(dst, (unsigned)width, f->le);
			vm_wrn(dst, (unsigned)width, value + addend, f->le);
		}
	}
	return 0;
}

/* Some relocation section applies to section idx. */
static bool has_relocs(const struct vm_elffile *f, unsigned idx)
{
	unsigned r;

	for (r = 0; r < f->nsec; r++)
		if ((f->sec[r].h.type == SHT_RELA || f->sec[r].h.type == SHT_REL) &&
		    f->sec[r].h.info == idx)
			return true;
	return false;
}

static int load(struct vm_elffile *f, struct esec *s, unsigned i, struct vm_err *e)
{
	const uint8_t *raw;

	if (s->h.type == SHT_NOBITS) {
		s->data = NULL;
		s->data_size = 0;
		return 0;
	}
	if (!vm_elf_in_file(f, s))
		return vm_fail(e, VM_ETRUNC,
			       "%s: section %s (offset %#llx, %llu bytes) extends past the end of the file (%zu bytes)",
			       f->path, s->h.name, (unsigned long long)s->h.offset,
			       (unsigned long long)s->h.size, f->map_size);
	raw = f->map + s->h.offset;
	if (vm_elffile_sec_compressed(f, i)) {
		if (decompress(f, s, raw, s->h.size, e) < 0)
			return -1;
	} else {
		s->data = raw;
		s->data_size = s->h.size;
	}
	if (f->type == ET_REL && !(s->h.flags & SHF_ALLOC) && has_relocs(f, i)) {
		if (!s->owned) {
			uint8_t *copy = vm_malloc(s->data_size ? s->data_size : 1, e);

			if (!copy)
				return -1;
			memcpy(copy, s->data, s->data_size);
			s->data = copy;
			s->owned = true;
		}
		f->relocated = true;
		if (apply_relocs(f, i, e) < 0) {
			free((void *)s->data);
			s->data = NULL;
			s->owned = false;
			return -1;
		}
	}
	return 0;
}

int vm_elffile_sec_data(struct vm_elffile *f, unsigned i, const uint8_t **data,
			size_t *size, struct vm_err *e)
{
	struct esec *s;

	if (i >= f->nsec)
		return vm_fail(e, VM_EINVAL, "%s: no section %u", f->path, i);
	s = &f->sec[i];
	if (!s->loaded) {
		if (load(f, s, i, e) < 0)
			return -1;
		s->loaded = true;
	}
	*data = s->data;
	*size = s->data_size;
	return 0;
}

int vm_elffile_sec_data_named(struct vm_elffile *f, const char *name,
			      const uint8_t **data, size_t *size, struct vm_err *e)
{
	int i = vm_elffile_sec_index(f, name);

	if (i < 0)
		return vm_fail(e, VM_ENOENT, "%s: no %s section", f->path, name);
	return vm_elffile_sec_data(f, (unsigned)i, data, size, e);
}

int vm_elffile_sec_size(struct vm_elffile *f, unsigned i, uint64_t *size,
			struct vm_err *e)
{
	const struct esec *s;
	uint32_t ctype;
	size_t hdr;

	if (i >= f->nsec)
		return vm_fail(e, VM_EINVAL, "%s: no section %u", f->path, i);
	s = &f->sec[i];
	if (s->loaded) {
		*size = s->data_size;
		return 0;
	}
	if (s->h.type == SHT_NOBITS) {
		*size = 0;
		return 0;
	}
	if (!vm_elffile_sec_compressed(f, i)) {
		*size = s->h.size;
		return 0;
	}
	if (!vm_elf_in_file(f, s))
		return vm_fail(e, VM_ETRUNC, "%s: section %s outside the file",
			       f->path, s->h.name);
	return chdr(f, s, f->map + s->h.offset, s->h.size, &ctype, size, &hdr, e);
}

bool vm_elffile_sec_stored(const struct vm_elffile *f, unsigned i,
			   uint64_t *file_off)
{
	const struct esec *s;

	if (i >= f->nsec)
		return false;
	s = &f->sec[i];
	/* an image in memory has no descriptor to read from */
	if (f->fd < 0 || s->h.type == SHT_NOBITS || vm_elffile_sec_compressed(f, i) ||
	    (f->type == ET_REL && !(s->h.flags & SHF_ALLOC) && has_relocs(f, i)) ||
	    !vm_elf_in_file(f, s))
		return false;
	*file_off = s->h.offset;
	return true;
}

int vm_elffile_sec_place(struct vm_elffile *f, unsigned i, uint64_t addr,
			 struct vm_err *e)
{
	if (i >= f->nsec)
		return vm_fail(e, VM_EINVAL, "%s: no section %u", f->path, i);
	if (f->type != ET_REL)
		return vm_fail(e, VM_EINVAL, "%s: not a relocatable object: its "
			       "sections have their addresses", f->path);
	if (f->relocated)
		return vm_fail(e, VM_EINVAL, "%s: section %s placed after "
			       "relocations were applied", f->path,
			       f->sec[i].h.name);
	f->sec[i].h.addr = addr;
	f->sec[i].placed = true;
	return 0;
}
