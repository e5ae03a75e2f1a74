// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 ORC tables: decoding the entries of every format version and
 * finding the entry for an address, from the dump's memory (tables as the
 * running kernel had them, module tables included) or from the vmlinux
 * file's sections.
 */
#include "x86_64_orc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"

int unw_read(struct unw_cache *c, uint64_t va, void *buf, size_t len,
	     struct vm_err *e)
{
	uint8_t *out = buf;

	while (len) {
		uint64_t page = va & ~UINT64_C(4095);
		size_t off = (size_t)(va - page), n = 4096 - off;
		size_t slot = (size_t)((page >> 12) % UNW_CACHE_PAGES);

		if (n > len)
			n = len;
		if (c->va[slot] != page) {
			if (vm_kread(c->m, page, c->data[slot], 4096, e) < 0) {
				c->va[slot] = 1;
				return -1;
			}
			c->va[slot] = page;
		}
		memcpy(out, c->data[slot] + off, n);
		out += n;
		va += n;
		len -= n;
	}
	return 0;
}

int unw_read64(struct unw_cache *c, uint64_t va, uint64_t *v, struct vm_err *e)
{
	uint8_t b[8];

	if (unw_read(c, va, b, 8, e) < 0)
		return -1;
	*v = vm_le64(b);
	return 0;
}

/*
 * The layout of struct orc_entry, from what the kernel holds.
 *
 * Since v6.4 (b9f174c811e3, also in 6.3.10+) vmlinux has an .orc_header
 * section: ORC_HASH, the SHA-1 of orc_types.h's ORC_REG_ and ORC_TYPE_
 * defines and struct orc_entry (scripts/orc_hash.sh).  Known hashes:
 */
static const struct {
	uint8_t hash[20];
	int version;
	const char *what;
} orc_hashes[] = {
	{ { 0xdb, 0x84, 0xae, 0xd4, 0x10, 0x3b, 0x31, 0xdd, 0x51, 0xe0,
	    0x17, 0xf8, 0xf7, 0x97, 0x83, 0xca, 0x98, 0x5c, 0x2c, 0x51 },
	  2, "v6.3 (ffb1b4a41016 'signal' bit)" },
	{ { 0xfe, 0x5d, 0x32, 0xbf, 0x58, 0x1b, 0xd6, 0x3b, 0x2c, 0xa9,
	    0xa5, 0xc6, 0x5b, 0xa5, 0xa6, 0x25, 0xea, 0xb3, 0xfe, 0x24 },
	  3, "v6.4 (fb799447ae29 split UNWIND_HINT_EMPTY)" },
	{ { 0x13, 0x7c, 0x36, 0xad, 0x76, 0x27, 0xc4, 0xdd, 0x55, 0x93,
	    0x21, 0x76, 0xbb, 0x0e, 0xcd, 0xbd, 0x50, 0x41, 0xfc, 0x82 },
	  4, "v7.1 (ORC_REG_* renumbered, ORC_REG_AX)" },
};

int orc_version_from_header(const uint8_t hash[20], const char **what)
{
	size_t i;

	for (i = 0; i < sizeof(orc_hashes) / sizeof(orc_hashes[0]); i++)
		if (!memcmp(hash, orc_hashes[i].hash, 20)) {
			if (what)
				*what = orc_hashes[i].what;
			return orc_hashes[i].version;
		}
	return -1;
}

/*
 * Without a header (before v6.4; RHEL 9's 5.14 carries 6.x layouts
 * without one), the entry at a function's first instruction tells: the
 * caller's return address is on top of the stack, sp_reg = SP, sp_offset
 * 8, bp_reg undefined, type CALL.  Its flags word reads
 *   0x0005 in v1/v2 (SP = 5, CALL = 0), 0x0205 in v3 (CALL = 2),
 *   0x0203 in v4 (SP = 3, CALL = 2).
 * v1 and v2 differ in where 'end' is (bit 10, bit 11): the entry of
 * ret_from_fork (UNWIND_HINT_EMPTY, sp_reg undefined) shows which.
 */
int orc_family_of_entry(const uint8_t raw[6])
{
	uint16_t fl = vm_le16(raw + 4);
	int16_t sp = (int16_t)vm_le16(raw);

	if (sp != 8)
		return -1;
	if ((fl & 0x3ff) == 0x005 && !(fl & 0xf000))
		return 1;
	if ((fl & 0x7ff) == 0x205 && !(fl & 0xf000))
		return 3;
	if ((fl & 0x7ff) == 0x203 && !(fl & 0xf000))
		return 4;
	return -1;
}

int orc_v1_or_v2(const uint8_t raw[6])
{
	uint16_t fl = vm_le16(raw + 4);

	if ((fl & 0xc0f) == 0x400)
		return 1;
	if ((fl & 0xc0f) == 0x800)
		return 2;
	return -1;
}

void orc_decode(const uint8_t raw[6], int version, struct orc *o)
{
	uint16_t fl = vm_le16(raw + 4);
	bool end;

	o->sp_offset = (int16_t)vm_le16(raw);
	o->bp_offset = (int16_t)vm_le16(raw + 2);
	o->sp_reg = fl & 0xf;
	o->bp_reg = (fl >> 4) & 0xf;
	o->signal = false;
	if (version >= 4) {
		/* v7.1 numbering -> the v4.14..v7.0 one used here */
		static const uint8_t reg4[16] = {
			ORC_REG_UNDEFINED, ORC_REG_AX, ORC_REG_DX, ORC_REG_SP,
			ORC_REG_BP, ORC_REG_DI, ORC_REG_R10, ORC_REG_R13,
			ORC_REG_PREV_SP, ORC_REG_SP_INDIRECT, ORC_REG_BP_INDIRECT,
			ORC_REG_BAD, ORC_REG_BAD, ORC_REG_BAD, ORC_REG_BAD, ORC_REG_BAD,
		};
		o->sp_reg = reg4[o->sp_reg];
		o->bp_reg = reg4[o->bp_reg];
	}
	if (version >= 3) {
		static const uint8_t t3[8] = {
			ORC_T_UNDEFINED, ORC_T_END, ORC_T_CALL, ORC_T_REGS,
			ORC_T_REGS_PARTIAL, ORC_T_UNDEFINED, ORC_T_UNDEFINED,
			ORC_T_UNDEFINED,
		};
		o->type = t3[(fl >> 8) & 7];
		o->signal = (fl >> 11) & 1;
		return;
	}
	if (version == 2) {
		o->signal = (fl >> 10) & 1;
		end = (fl >> 11) & 1;
	} else {
		end = (fl >> 10) & 1;
	}
	/* v1/v2: an undefined sp_reg is the end of the stack when 'end' is set
	 * (UNWIND_HINT_EMPTY), else a terminator with no information. */
	if (o->sp_reg == ORC_REG_UNDEFINED) {
		o->type = end ? ORC_T_END : ORC_T_UNDEFINED;
		return;
	}
	switch ((fl >> 8) & 3) {
	case 0: o->type = ORC_T_CALL; break;
	case 1: o->type = ORC_T_REGS; break;
	case 2: o->type = ORC_T_REGS_PARTIAL; break;
	default: o->type = ORC_T_UNDEFINED; break;
	}
	/* In v1 a regs frame means the next ip is exact, not a return
	 * address; later versions say so with 'signal'. */
	if (version == 1 && o->type != ORC_T_CALL)
		o->signal = true;
}

static int ip_at(struct unw_cache *c, const struct orc_table *t, uint64_t i,
		 uint64_t *ip, struct vm_err *e)
{
	uint8_t b[4];
	int32_t off;

	if (t->ip_data)
		memcpy(b, t->ip_data + 4 * i, 4);
	else if (unw_read(c, t->ip_addr + 4 * i, b, 4, e) < 0)
		return -1;
	off = (int32_t)vm_le32(b);
	*ip = t->ip_addr + 4 * i + (uint64_t)(int64_t)off;
	return 0;
}

static int lookup_at(struct unw_cache *c, const struct orc_table *t, uint64_t i,
		     uint32_t *v, struct vm_err *e)
{
	uint8_t b[4];

	if (unw_read(c, t->lookup_addr + 4 * i, b, 4, e) < 0)
		return -1;
	*v = vm_le32(b);
	return 0;
}

int orc_table_find(struct unw_cache *c, const struct orc_table *t, int version,
		   uint64_t pc, struct orc *out, struct vm_err *e)
{
	uint8_t raw[6];
	int r = orc_table_find_raw(c, t, pc, raw, e);

	if (r == 1)
		orc_decode(raw, version, out);
	return r;
}

int orc_table_find_raw(struct unw_cache *c, const struct orc_table *t, uint64_t pc,
		       uint8_t raw[6], struct vm_err *e)
{
	uint64_t first = 0, last, found, ip;
	bool have = false;

	if (!t->num)
		return 0;
	last = t->num - 1;
	/* The fast index narrows the search to one 256-byte block's entries;
	 * the kernel uses it the same way (unwind_orc.c orc_find()). */
	if (t->lookup_addr && pc >= t->lookup_lo && pc < t->lookup_hi) {
		uint64_t idx = (pc - t->lookup_lo) >> 8;
		uint32_t start, stop;

		if (idx + 1 < t->lookup_blocks &&
		    lookup_at(c, t, idx, &start, e) == 0 &&
		    lookup_at(c, t, idx + 1, &stop, e) == 0 &&
		    start < t->num && stop < t->num && start <= stop) {
			first = start;
			last = stop;
			/* the block's first entry covers the block start */
			have = true;
		}
	}
	found = first;
	while (first <= last) {
		uint64_t mid = first + (last - first) / 2;

		if (ip_at(c, t, mid, &ip, e) < 0)
			return -1;
		if (ip <= pc) {
			found = mid;
			have = true;
			first = mid + 1;
		} else {
			if (mid == 0)
				break;
			last = mid - 1;
		}
	}
	if (!have)
		return 0;
	if (t->orc_data)
		memcpy(raw, t->orc_data + 6 * found, 6);
	else if (unw_read(c, t->orc_addr + 6 * found, raw, 6, e) < 0)
		return -1;
	return 1;
}
