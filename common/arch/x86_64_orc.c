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

int orc_version_for_release(const char *release)
{
	unsigned maj, min;

	if (!release || sscanf(release, "%u.%u", &maj, &min) != 2)
		return -1;
	if (maj > 6 || (maj == 6 && min >= 4))
		return 3;
	if (maj == 6 && min == 3)
		return 2;
	return 1;
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
	uint64_t first = 0, last, found, ip;
	bool have = false;
	uint8_t raw[6];

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
	orc_decode(raw, version, out);
	return 1;
}
