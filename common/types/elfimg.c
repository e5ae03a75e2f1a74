// SPDX-License-Identifier: GPL-2.0-or-later
#include "elfimg.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "rd.h"

#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2
#endif

/* A compressed section claiming more than this per input byte is lying:
 * deflate's best case is about 1032:1. */
#define MAX_INFLATE_RATIO 1100

static int map_file(struct vm_elfimg *img, struct vm_err *e)
{
	struct stat st;
	void *p;

	img->fd = open(img->path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		return vm_fail(e, VM_EIO, "%s: %s", img->path, strerror(errno));
	if (fstat(img->fd, &st) < 0)
		return vm_fail(e, VM_EIO, "%s: %s", img->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return vm_fail(e, VM_EFORMAT, "%s: not a regular file", img->path);
	if (st.st_size < 16)
		return vm_fail(e, VM_ETRUNC, "%s: %lld bytes, too small for ELF",
			       img->path, (long long)st.st_size);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, img->fd, 0);
	if (p == MAP_FAILED)
		return vm_fail(e, VM_EIO, "%s: mmap: %s", img->path, strerror(errno));
	img->map = p;
	img->map_size = (size_t)st.st_size;
	img->mtime_ns = (uint64_t)st.st_mtim.tv_sec * 1000000000u +
			(uint64_t)st.st_mtim.tv_nsec;
	return 0;
}

static void find_build_id(struct vm_elfimg *img)
{
	unsigned i;

	for (i = 0; i < img->nsec; i++) {
		const struct vm_elfsec *s = &img->sec[i];
		const uint8_t *p, *end;

		if (s->type != SHT_NOTE || s->offset + s->size > img->map_size)
			continue;
		p = img->map + s->offset;
		end = p + s->size;
		while (end - p >= 12) {
			uint32_t namesz = vm_rd32(p, img->le);
			uint32_t descsz = vm_rd32(p + 4, img->le);
			uint32_t type = vm_rd32(p + 8, img->le);
			size_t nsz = ((size_t)namesz + 3) & ~(size_t)3;
			size_t dsz = ((size_t)descsz + 3) & ~(size_t)3;

			p += 12;
			if (nsz > (size_t)(end - p) || dsz > (size_t)(end - p - nsz))
				break;
			if (type == NT_GNU_BUILD_ID && namesz == 4 &&
			    !memcmp(p, "GNU", 4) && descsz > 0 &&
			    descsz <= sizeof(img->build_id)) {
				memcpy(img->build_id, p + nsz, descsz);
				img->build_id_len = descsz;
				return;
			}
			p += nsz + dsz;
		}
	}
}

static int read_sections(struct vm_elfimg *img, struct vm_err *e)
{
	const uint8_t *h = img->map;
	uint64_t shoff;
	unsigned shentsize, shnum, shstrndx, i;
	const struct vm_elfsec *strsec;

	if (memcmp(h, ELFMAG, SELFMAG))
		return vm_fail(e, VM_EFORMAT, "%s: not an ELF file", img->path);
	if (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64)
		return vm_fail(e, VM_EFORMAT, "%s: bad ELF class %u", img->path,
			       h[EI_CLASS]);
	if (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)
		return vm_fail(e, VM_EFORMAT, "%s: bad ELF data encoding %u",
			       img->path, h[EI_DATA]);
	img->is64 = h[EI_CLASS] == ELFCLASS64;
	img->le = h[EI_DATA] == ELFDATA2LSB;
	if (img->map_size < (img->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return vm_fail(e, VM_ETRUNC, "%s: ELF header truncated", img->path);
	img->type = vm_rd16(h + 16, img->le);
	img->machine = vm_rd16(h + 18, img->le);
	if (img->is64) {
		shoff = vm_rd64(h + 0x28, img->le);
		shentsize = vm_rd16(h + 0x3a, img->le);
		shnum = vm_rd16(h + 0x3c, img->le);
		shstrndx = vm_rd16(h + 0x3e, img->le);
	} else {
		shoff = vm_rd32(h + 0x20, img->le);
		shentsize = vm_rd16(h + 0x2e, img->le);
		shnum = vm_rd16(h + 0x30, img->le);
		shstrndx = vm_rd16(h + 0x32, img->le);
	}
	if (shentsize != (img->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)))
		return vm_fail(e, VM_EFORMAT, "%s: section header size %u",
			       img->path, shentsize);
	if (shoff == 0 || shoff >= img->map_size)
		return vm_fail(e, VM_EFORMAT, "%s: no section headers (e_shoff %#llx)",
			       img->path, (unsigned long long)shoff);
	/* e_shnum 0 with sections: the count is in section 0's sh_size */
	if (shnum == 0) {
		if (img->map_size - shoff < shentsize)
			return vm_fail(e, VM_ETRUNC, "%s: section header 0 truncated",
				       img->path);
		shnum = img->is64 ? (unsigned)vm_rd64(h + shoff + 0x20, img->le)
				  : vm_rd32(h + shoff + 0x14, img->le);
	}
	if (shstrndx == SHN_XINDEX)
		shstrndx = vm_rd32(h + shoff + (img->is64 ? 0x2c : 0x18), img->le);
	if (shnum == 0 || shnum > 1u << 20 ||
	    (img->map_size - shoff) / shentsize < shnum)
		return vm_fail(e, VM_ETRUNC, "%s: %u section headers at %#llx do not fit in %zu bytes",
			       img->path, shnum, (unsigned long long)shoff,
			       img->map_size);
	img->sec = vm_calloc(shnum, sizeof(*img->sec), e);
	if (!img->sec)
		return -1;
	img->nsec = shnum;
	for (i = 0; i < shnum; i++) {
		const uint8_t *s = h + shoff + (uint64_t)i * shentsize;
		struct vm_elfsec *x = &img->sec[i];

		if (img->is64) {
			x->type = vm_rd32(s + 4, img->le);
			x->flags = vm_rd64(s + 8, img->le);
			x->addr = vm_rd64(s + 0x10, img->le);
			x->offset = vm_rd64(s + 0x18, img->le);
			x->size = vm_rd64(s + 0x20, img->le);
			x->link = vm_rd32(s + 0x28, img->le);
			x->info = vm_rd32(s + 0x2c, img->le);
			x->entsize = vm_rd64(s + 0x38, img->le);
		} else {
			x->type = vm_rd32(s + 4, img->le);
			x->flags = vm_rd32(s + 8, img->le);
			x->addr = vm_rd32(s + 0xc, img->le);
			x->offset = vm_rd32(s + 0x10, img->le);
			x->size = vm_rd32(s + 0x14, img->le);
			x->link = vm_rd32(s + 0x18, img->le);
			x->info = vm_rd32(s + 0x1c, img->le);
			x->entsize = vm_rd32(s + 0x24, img->le);
		}
		x->name = "";
		x->dwarf_name = "";
		/* remember the name offset until the string table is known */
		x->data_size = vm_rd32(s, img->le);
	}
	if (shstrndx >= shnum)
		return vm_fail(e, VM_EFORMAT, "%s: e_shstrndx %u out of %u sections",
			       img->path, shstrndx, shnum);
	strsec = &img->sec[shstrndx];
	if (strsec->type == SHT_NOBITS || strsec->offset > img->map_size ||
	    strsec->size > img->map_size - strsec->offset)
		return vm_fail(e, VM_ETRUNC, "%s: section name table outside the file",
			       img->path);
	for (i = 0; i < shnum; i++) {
		struct vm_elfsec *x = &img->sec[i];
		uint64_t no = x->data_size;
		const char *str = (const char *)img->map + strsec->offset;

		x->data_size = 0;
		if (no < strsec->size && memchr(str + no, 0, strsec->size - no)) {
			x->name = str + no;
			x->dwarf_name = x->name;
			if (!strncmp(x->name, ".zdebug_", 8)) {
				/* ".zdebug_info" is ".debug_info" compressed */
				x->owned_name = vm_malloc(strlen(x->name), e);
				if (!x->owned_name)
					return -1;
				x->owned_name[0] = '.';
				strcpy(x->owned_name + 1, x->name + 2);
				x->dwarf_name = x->owned_name;
			}
		}
	}
	return 0;
}

struct vm_elfimg *vm_elfimg_open(const char *path, struct vm_err *e)
{
	struct vm_elfimg *img = vm_calloc(1, sizeof(*img), e);

	if (!img)
		return NULL;
	img->fd = -1;
	img->path = path;
	if (map_file(img, e) < 0 || read_sections(img, e) < 0) {
		vm_elfimg_close(img);
		return NULL;
	}
	find_build_id(img);
	return img;
}

struct vm_elfimg *vm_elfimg_open_mem(const char *name, void *buf, size_t size,
				     struct vm_err *e)
{
	struct vm_elfimg *img = vm_calloc(1, sizeof(*img), e);

	if (!img) {
		free(buf);
		return NULL;
	}
	img->fd = -1;
	img->path = name;
	img->mem = buf;
	img->map = buf;
	img->map_size = size;
	if (size < 16) {
		vm_fail(e, VM_ETRUNC, "%s: %zu bytes, too small for ELF", name, size);
		vm_elfimg_close(img);
		return NULL;
	}
	if (read_sections(img, e) < 0) {
		vm_elfimg_close(img);
		return NULL;
	}
	find_build_id(img);
	return img;
}

int vm_elfimg_place(struct vm_elfimg *img, const uint64_t *addr, unsigned nsec,
		    struct vm_err *e)
{
	unsigned i;

	if (img->type != ET_REL)
		return vm_fail(e, VM_EINVAL, "%s: not a relocatable object", img->path);
	if (nsec != img->nsec)
		return vm_fail(e, VM_EINVAL, "%s: %u section addresses for %u sections",
			       img->path, nsec, img->nsec);
	for (i = 0; i < img->nsec; i++)
		if (img->sec[i].loaded && !(img->sec[i].flags & SHF_ALLOC))
			return vm_fail(e, VM_EINVAL, "%s: placed after %s was relocated",
				       img->path, img->sec[i].name);
	free(img->place);
	img->place = vm_calloc(nsec ? nsec : 1, sizeof(*img->place), e);
	if (!img->place)
		return -1;
	memcpy(img->place, addr, (size_t)nsec * sizeof(*addr));
	return 0;
}

void vm_elfimg_close(struct vm_elfimg *img)
{
	unsigned i;

	if (!img)
		return;
	for (i = 0; i < img->nsec; i++) {
		if (img->sec[i].owned)
			free((void *)img->sec[i].data);
		free(img->sec[i].owned_name);
	}
	free(img->sec);
	free(img->place);
	if (img->mem)
		free(img->mem);
	else if (img->map)
		munmap((void *)img->map, img->map_size);
	if (img->fd >= 0)
		close(img->fd);
	free(img);
}

static bool is_zdebug(const char *name, const char *want)
{
	/* ".zdebug_info" stands for ".debug_info" */
	return !strncmp(name, ".zdebug_", 8) && !strncmp(want, ".debug_", 7) &&
	       !strcmp(name + 8, want + 7);
}

int vm_elfimg_index(struct vm_elfimg *img, const char *name)
{
	unsigned i;

	for (i = 0; i < img->nsec; i++)
		if (!strcmp(img->sec[i].name, name))
			return (int)i;
	for (i = 0; i < img->nsec; i++)
		if (is_zdebug(img->sec[i].name, name))
			return (int)i;
	return -1;
}

struct vm_elfsec *vm_elfimg_find(struct vm_elfimg *img, const char *name)
{
	int i = vm_elfimg_index(img, name);

	return i < 0 ? NULL : &img->sec[i];
}

static int inflate_zlib(const struct vm_elfimg *img, const struct vm_elfsec *s,
			const uint8_t *in, size_t inlen, uint8_t *out,
			size_t outlen, struct vm_err *e)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return vm_fail(e, VM_ENOMEM, "%s: %s: inflateInit failed",
			       img->path, s->name);
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
			       img->path, s->name, (size_t)(z.next_out - out),
			       outlen, rc);
	return 0;
}

static int inflate_zstd(const struct vm_elfimg *img, const struct vm_elfsec *s,
			const uint8_t *in, size_t inlen, uint8_t *out,
			size_t outlen, struct vm_err *e)
{
	size_t r = ZSTD_decompress(out, outlen, in, inlen);

	if (ZSTD_isError(r) || r != outlen)
		return vm_fail(e, VM_EFORMAT, "%s: %s: corrupt zstd data (%s)",
			       img->path, s->name,
			       ZSTD_isError(r) ? ZSTD_getErrorName(r) : "short");
	return 0;
}

static int decompress(struct vm_elfimg *img, struct vm_elfsec *s,
		      const uint8_t *raw, size_t rawlen, struct vm_err *e)
{
	uint32_t ctype;
	uint64_t usize;
	size_t hdr;
	uint8_t *out;
	int rc;

	if (s->flags & SHF_COMPRESSED) {
		hdr = img->is64 ? sizeof(Elf64_Chdr) : sizeof(Elf32_Chdr);
		if (rawlen < hdr)
			return vm_fail(e, VM_ETRUNC, "%s: %s: compression header truncated",
				       img->path, s->name);
		ctype = vm_rd32(raw, img->le);
		usize = img->is64 ? vm_rd64(raw + 8, img->le) : vm_rd32(raw + 4, img->le);
	} else {
		/* legacy .zdebug_*: "ZLIB" + big-endian 64-bit size */
		hdr = 12;
		if (rawlen < hdr || memcmp(raw, "ZLIB", 4))
			return vm_fail(e, VM_EFORMAT, "%s: %s: no ZLIB header",
				       img->path, s->name);
		ctype = ELFCOMPRESS_ZLIB;
		usize = vm_rd64(raw + 4, false);
	}
	if (ctype != ELFCOMPRESS_ZLIB && ctype != ELFCOMPRESS_ZSTD)
		return vm_fail(e, VM_EUNSUP, "%s: %s: compression type %u",
			       img->path, s->name, ctype);
	if (usize == 0 || usize > VM_ALLOC_CAP ||
	    usize / MAX_INFLATE_RATIO > rawlen)
		return vm_fail(e, VM_EFORMAT, "%s: %s: implausible size %llu for %zu compressed bytes",
			       img->path, s->name, (unsigned long long)usize, rawlen);
	out = vm_malloc((size_t)usize, e);
	if (!out)
		return -1;
	rc = ctype == ELFCOMPRESS_ZLIB
		? inflate_zlib(img, s, raw + hdr, rawlen - hdr, out, usize, e)
		: inflate_zstd(img, s, raw + hdr, rawlen - hdr, out, usize, e);
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
 * Only absolute data relocations appear in debug sections.
 */
static int reloc_kind(uint16_t machine, uint32_t type)
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

static int apply_relocs(struct vm_elfimg *img, unsigned idx, struct vm_err *e)
{
	struct vm_elfsec *s = &img->sec[idx];
	unsigned r;

	for (r = 0; r < img->nsec; r++) {
		const struct vm_elfsec *rs = &img->sec[r];
		const struct vm_elfsec *sym;
		size_t relsz, symsz, n, i;
		bool rela = rs->type == SHT_RELA;

		if ((rs->type != SHT_RELA && rs->type != SHT_REL) || rs->info != idx)
			continue;
		if (rs->link >= img->nsec)
			return vm_fail(e, VM_EFORMAT, "%s: %s: bad symbol table link %u",
				       img->path, rs->name, rs->link);
		sym = &img->sec[rs->link];
		relsz = img->is64 ? (rela ? 24 : 16) : (rela ? 12 : 8);
		symsz = img->is64 ? 24 : 16;
		if (rs->offset > img->map_size || rs->size > img->map_size - rs->offset ||
		    sym->offset > img->map_size || sym->size > img->map_size - sym->offset)
			return vm_fail(e, VM_ETRUNC, "%s: %s outside the file",
				       img->path, rs->name);
		n = rs->size / relsz;
		for (i = 0; i < n; i++) {
			const uint8_t *p = img->map + rs->offset + i * relsz;
			uint64_t off, info, symi, addend = 0, value;
			uint32_t type;
			int width;
			uint8_t *dst;

			if (img->is64) {
				off = vm_rd64(p, img->le);
				info = vm_rd64(p + 8, img->le);
				symi = info >> 32;
				type = (uint32_t)info;
				if (rela)
					addend = vm_rd64(p + 16, img->le);
			} else {
				off = vm_rd32(p, img->le);
				info = vm_rd32(p + 4, img->le);
				symi = info >> 8;
				type = info & 0xff;
				if (rela)
					addend = (uint64_t)(int64_t)(int32_t)vm_rd32(p + 8, img->le);
			}
			width = reloc_kind(img->machine, type);
			if (width == 0)
				continue;
			if (width < 0)
				return vm_fail(e, VM_EUNSUP, "%s: %s: relocation type %u at %#llx",
					       img->path, rs->name, type,
					       (unsigned long long)off);
			if (off > s->data_size || s->data_size - off < (size_t)width ||
			    symi >= sym->size / symsz)
				return vm_fail(e, VM_EFORMAT, "%s: %s: relocation %zu out of range (offset %#llx, symbol %llu)",
					       img->path, rs->name, i,
					       (unsigned long long)off,
					       (unsigned long long)symi);
			p = img->map + sym->offset + symi * symsz;
			value = img->is64 ? vm_rd64(p + 8, img->le) : vm_rd32(p + 4, img->le);
			if (img->place) {
				unsigned shndx = vm_rd16(p + (img->is64 ? 6 : 14), img->le);

				if (shndx > 0 && shndx < img->nsec)
					value += img->place[shndx];
			}
			dst = (uint8_t *)s->data + off;
			if (!rela)
				addend = vm_rdn(dst, (unsigned)width, img->le);
			value += addend;
			for (int b = 0; b < width; b++)
				dst[img->le ? b : width - 1 - b] = (uint8_t)(value >> (8 * b));
		}
	}
	return 0;
}

int vm_elfimg_load(struct vm_elfimg *img, unsigned i, const uint8_t **data,
		   size_t *size, struct vm_err *e)
{
	struct vm_elfsec *s;
	const uint8_t *raw;

	if (i >= img->nsec)
		return vm_fail(e, VM_EINVAL, "%s: no section %u", img->path, i);
	s = &img->sec[i];
	if (!s->loaded) {
		if (s->type == SHT_NOBITS) {
			s->data = NULL;
			s->data_size = 0;
		} else {
			if (s->offset > img->map_size ||
			    s->size > img->map_size - s->offset)
				return vm_fail(e, VM_ETRUNC,
					       "%s: section %s (offset %#llx, %llu bytes) extends past the end of the file (%zu bytes)",
					       img->path, s->name,
					       (unsigned long long)s->offset,
					       (unsigned long long)s->size,
					       img->map_size);
			raw = img->map + s->offset;
			if ((s->flags & SHF_COMPRESSED) ||
			    !strncmp(s->name, ".zdebug_", 8)) {
				if (decompress(img, s, raw, s->size, e) < 0)
					return -1;
			} else {
				s->data = raw;
				s->data_size = s->size;
			}
			if (img->type == ET_REL && !(s->flags & SHF_ALLOC)) {
				if (!s->owned) {
					uint8_t *copy = vm_malloc(s->data_size ? s->data_size : 1, e);

					if (!copy)
						return -1;
					memcpy(copy, s->data, s->data_size);
					s->data = copy;
					s->owned = true;
				}
				if (apply_relocs(img, i, e) < 0) {
					free((void *)s->data);
					s->data = NULL;
					s->owned = false;
					return -1;
				}
			}
		}
		s->loaded = true;
	}
	*data = s->data;
	*size = s->data_size;
	return 0;
}

int vm_elfimg_load_named(struct vm_elfimg *img, const char *name,
			 const uint8_t **data, size_t *size, struct vm_err *e)
{
	int i = vm_elfimg_index(img, name);

	if (i < 0)
		return vm_fail(e, VM_ENOENT, "%s: no %s section", img->path, name);
	return vm_elfimg_load(img, (unsigned)i, data, size, e);
}

void vm_elfimg_build_id_hex(const struct vm_elfimg *img, char *buf, size_t n)
{
	unsigned i;

	if (n == 0)
		return;
	buf[0] = 0;
	for (i = 0; i < img->build_id_len && 2 * i + 2 < n; i++) {
		static const char hex[] = "0123456789abcdef";

		buf[2 * i] = hex[img->build_id[i] >> 4];
		buf[2 * i + 1] = hex[img->build_id[i] & 15];
		buf[2 * i + 2] = 0;
	}
}

bool vm_elfimg_compressed(const struct vm_elfimg *img, unsigned i)
{
	return i < img->nsec && ((img->sec[i].flags & SHF_COMPRESSED) ||
				 !strncmp(img->sec[i].name, ".zdebug_", 8));
}

int vm_elfimg_data_size(struct vm_elfimg *img, unsigned i, uint64_t *size,
			struct vm_err *e)
{
	const struct vm_elfsec *s;
	const uint8_t *raw;

	if (i >= img->nsec)
		return vm_fail(e, VM_EINVAL, "%s: no section %u", img->path, i);
	s = &img->sec[i];
	if (s->loaded) {
		*size = s->data_size;
		return 0;
	}
	if (s->type == SHT_NOBITS) {
		*size = 0;
		return 0;
	}
	if (!vm_elfimg_compressed(img, i)) {
		*size = s->size;
		return 0;
	}
	if (s->offset > img->map_size || s->size > img->map_size - s->offset ||
	    s->size < 12)
		return vm_fail(e, VM_ETRUNC, "%s: section %s outside the file",
			       img->path, s->name);
	raw = img->map + s->offset;
	if (s->flags & SHF_COMPRESSED)
		*size = img->is64 ? (s->size >= sizeof(Elf64_Chdr) ? vm_rd64(raw + 8, img->le) : 0)
				  : vm_rd32(raw + 4, img->le);
	else
		*size = vm_rd64(raw + 4, false);
	return 0;
}
