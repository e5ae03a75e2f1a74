// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A module's code as the loader wrote it: the .ko's allocated sections
 * with their relocations applied for the addresses the sections got and
 * the kernel's symbols, the way apply_relocate_add() does it
 * (arch/x86/kernel/module.c, arch/arm64/kernel/module.c, v6.1).  What
 * the kernel changed afterwards (alternatives, jump labels, ftrace call
 * sites, static calls) is what --diff then finds.
 */
#include "modko_impl.h"

#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

static void wr(uint8_t *p, uint64_t v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* S of a relocation: where its symbol is at run time. */
static int sym_value(struct vm_modko *ko, struct vm_symtab *st, size_t symi,
		     uint64_t *v, struct vm_err *e)
{
	struct vm_kosym s;
	const struct vm_sym *ks;

	if (!vm_modko_sym(ko->elf, symi, &s))
		return vm_fail(e, VM_EFORMAT, "%s: relocation against symbol %zu of %zu",
			       ko->path, symi, vm_modko_nsyms(ko->elf));
	if (s.shndx == SHN_UNDEF) {
		/* the kernel's or another module's export */
		ks = vm_sym_by_name(st, s.name, NULL);
		if (!ks)
			return vm_fail(e, VM_ENOENT, "%s: undefined symbol %s is not in "
				       "the kernel's symbols", ko->path, s.name);
		*v = ks->addr;
		return 0;
	}
	if (s.shndx == SHN_ABS) {
		*v = s.value;
		return 0;
	}
	if (s.shndx >= ko->nsec)
		return vm_fail(e, VM_EUNSUP, "%s: symbol %s in section %u", ko->path,
			       s.name, s.shndx);
	*v = ko->place[s.shndx] + s.value;
	return 0;
}

static int x86_64(uint32_t type, uint8_t *loc, size_t room, uint64_t S, uint64_t A,
		  uint64_t P, bool *ok)
{
	uint64_t v;

	*ok = true;
	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
		if (room < 8)
			return -1;
		wr(loc, S + A, 8);
		return 0;
	case R_X86_64_32: case R_X86_64_32S:
		if (room < 4)
			return -1;
		wr(loc, S + A, 4);
		return 0;
	case R_X86_64_PC32: case R_X86_64_PLT32:
		if (room < 4)
			return -1;
		v = S + A - P;
		wr(loc, v, 4);
		return 0;
	case R_X86_64_PC64:
		if (room < 8)
			return -1;
		wr(loc, S + A - P, 8);
		return 0;
	}
	*ok = false;
	return 0;
}

/* Put v's bits [lo, lo+n) of an instruction word. */
static void field(uint8_t *loc, unsigned lo, unsigned n, uint64_t v)
{
	uint32_t w = vm_rd32(loc, true), m = (n >= 32 ? ~0u : ((1u << n) - 1)) << lo;

	w = (w & ~m) | (((uint32_t)v << lo) & m);
	wr(loc, w, 4);
}

static int arm64(uint32_t type, uint8_t *loc, size_t room, uint64_t S, uint64_t A,
		 uint64_t P, bool *ok)
{
	uint64_t v = S + A;

	*ok = true;
	if (type != R_AARCH64_NONE && room < 4)
		return -1;
	switch (type) {
	case R_AARCH64_NONE:
		return 0;
	case R_AARCH64_ABS64:
		if (room < 8)
			return -1;
		wr(loc, v, 8);
		return 0;
	case R_AARCH64_ABS32:
		wr(loc, v, 4);
		return 0;
	case R_AARCH64_PREL64:
		if (room < 8)
			return -1;
		wr(loc, v - P, 8);
		return 0;
	case R_AARCH64_PREL32:
		wr(loc, v - P, 4);
		return 0;
	case R_AARCH64_CALL26: case R_AARCH64_JUMP26:
		field(loc, 0, 26, (v - P) >> 2);
		return 0;
	case R_AARCH64_CONDBR19:
		field(loc, 5, 19, (v - P) >> 2);
		return 0;
	case R_AARCH64_TSTBR14:
		field(loc, 5, 14, (v - P) >> 2);
		return 0;
	case R_AARCH64_ADR_PREL_LO21:
		field(loc, 29, 2, v - P);
		field(loc, 5, 19, (v - P) >> 2);
		return 0;
	case R_AARCH64_ADR_PREL_PG_HI21: case R_AARCH64_ADR_PREL_PG_HI21_NC: {
		uint64_t pg = ((v & ~0xfffull) - (P & ~0xfffull)) >> 12;

		field(loc, 29, 2, pg);
		field(loc, 5, 19, pg >> 2);
		return 0;
	}
	case R_AARCH64_ADD_ABS_LO12_NC: case R_AARCH64_LDST8_ABS_LO12_NC:
		field(loc, 10, 12, v & 0xfff);
		return 0;
	case R_AARCH64_LDST16_ABS_LO12_NC:
		field(loc, 10, 12, (v & 0xfff) >> 1);
		return 0;
	case R_AARCH64_LDST32_ABS_LO12_NC:
		field(loc, 10, 12, (v & 0xfff) >> 2);
		return 0;
	case R_AARCH64_LDST64_ABS_LO12_NC:
		field(loc, 10, 12, (v & 0xfff) >> 3);
		return 0;
	case R_AARCH64_LDST128_ABS_LO12_NC:
		field(loc, 10, 12, (v & 0xfff) >> 4);
		return 0;
	}
	*ok = false;
	return 0;
}

static int relocate(struct vm_modko *ko, unsigned idx, uint8_t *data, size_t size,
		    struct vm_err *e)
{
	struct vm_elffile *f = ko->elf;
	struct vm_symtab *st = NULL;
	bool le = vm_elffile_le(f);
	uint16_t machine = vm_elffile_machine(f);
	unsigned r;

	for (r = 0; r < ko->nsec; r++) {
		const struct vm_elfsec *rs = vm_elffile_sec(f, r);
		bool rela = rs->type == SHT_RELA;
		size_t relsz = rela ? 24 : 16, n, i, rsize;
		const uint8_t *rd;

		if ((rs->type != SHT_RELA && rs->type != SHT_REL) || rs->info != idx)
			continue;
		if (!vm_elffile_is64(f))
			return vm_fail(e, VM_EUNSUP, "%s: 32-bit module", ko->path);
		if (vm_elffile_sec_data(f, r, &rd, &rsize, e) < 0)
			return -1;
		if (!st) {
			st = vm_kernel_symtab(ko->k, e);
			if (!st)
				return -1;
		}
		n = rsize / relsz;
		for (i = 0; i < n; i++) {
			const uint8_t *p = rd + i * relsz;
			uint64_t off = vm_rd64(p, le), info = vm_rd64(p + 8, le);
			uint64_t A = rela ? vm_rd64(p + 16, le) : 0, S = 0, P;
			uint32_t type = (uint32_t)info;
			bool ok;
			int rc;

			if (off >= size)
				return vm_fail(e, VM_EFORMAT, "%s: %s: relocation %zu at %#" PRIx64
					       " past the section (%zu bytes)", ko->path, rs->name,
					       i, off, size);
			if (type == 0)
				continue;
			if (sym_value(ko, st, info >> 32, &S, e) < 0) {
				vm_err_prefix(e, "%s: ", rs->name);
				return -1;
			}
			P = ko->place[idx] + off;
			if (machine == EM_X86_64)
				rc = x86_64(type, data + off, size - off, S, A, P, &ok);
			else if (machine == EM_AARCH64)
				rc = arm64(type, data + off, size - off, S, A, P, &ok);
			else
				return vm_fail(e, VM_EUNSUP, "%s: relocations of ELF machine %u",
					       ko->path, machine);
			if (rc < 0)
				return vm_fail(e, VM_EFORMAT, "%s: %s: relocation %zu at %#" PRIx64
					       " runs past the section", ko->path, rs->name, i, off);
			if (!ok)
				return vm_fail(e, VM_EUNSUP, "%s: %s: relocation type %u at %#"
					       PRIx64 " not handled", ko->path, rs->name, type, off);
		}
	}
	return 0;
}

const uint8_t *vm_modko_section_data(struct vm_modko *ko, unsigned i, size_t *size,
				     struct vm_err *e)
{
	const struct vm_elfsec *s = i < ko->nsec ? vm_elffile_sec(ko->elf, i) : NULL;
	const uint8_t *raw;
	size_t n;
	uint8_t *copy;

	if (!s || !(s->flags & SHF_ALLOC)) {
		vm_fail(e, VM_EINVAL, "%s: section %u is not loaded", ko->path, i);
		return NULL;
	}
	if (ko->reloc[i]) {
		*size = s->type == SHT_NOBITS ? 0 : s->size;
		return ko->reloc[i];
	}
	if (vm_elffile_sec_data(ko->elf, i, &raw, &n, e) < 0)
		return NULL;
	*size = n;
	copy = vm_malloc(n ? n : 1, e);
	if (!copy)
		return NULL;
	if (n)
		memcpy(copy, raw, n);
	if (relocate(ko, i, copy, n, e) < 0) {
		free(copy);
		return NULL;
	}
	ko->reloc[i] = copy;
	return copy;
}

int vm_modko_read(struct vm_modko *ko, uint64_t addr, void *buf, size_t len,
		  struct vm_err *e)
{
	unsigned i;

	for (i = 1; i < ko->nsec; i++) {
		const struct vm_elfsec *s = vm_elffile_sec(ko->elf, i);
		const uint8_t *d;
		size_t size;

		if (!(s->flags & SHF_ALLOC) || !ko->place[i] || s->type == SHT_NOBITS ||
		    addr < ko->place[i] || addr - ko->place[i] >= s->size)
			continue;
		if (len > s->size - (addr - ko->place[i]))
			return vm_fail(e, VM_EINVAL, "%s: %#" PRIx64 "+%zu runs past %s",
				       ko->path, addr, len, s->name);
		d = vm_modko_section_data(ko, i, &size, e);
		if (!d)
			return -1;
		if (addr - ko->place[i] + len > size)
			return vm_fail(e, VM_ETRUNC, "%s: %s shorter than its header says",
				       ko->path, s->name);
		memcpy(buf, d + (addr - ko->place[i]), len);
		return 0;
	}
	return vm_fail(e, VM_ENOENT, "%s: no loaded section holds %#" PRIx64, ko->path, addr);
}
