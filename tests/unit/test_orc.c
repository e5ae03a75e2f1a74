// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ORC tables (common/arch/x86_64_orc.c): the three encodings of struct
 * orc_entry, the release -> format rule, and the rightmost-entry search
 * over a small table laid out as the kernel links it (int32 ip offsets
 * relative to their own address, 6-byte entries), built here from the
 * field definitions in arch/x86/include/asm/orc_types.h of each version.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_64_orc.h"

static int fails, n;

static void ok(int cond, const char *desc)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, desc);
	if (!cond)
		fails++;
}

/* raw entry: sp_offset, bp_offset, flags word (little endian) */
static void raw(uint8_t *b, int16_t sp, int16_t bp, uint16_t fl)
{
	b[0] = (uint8_t)sp;
	b[1] = (uint8_t)((uint16_t)sp >> 8);
	b[2] = (uint8_t)bp;
	b[3] = (uint8_t)((uint16_t)bp >> 8);
	b[4] = (uint8_t)fl;
	b[5] = (uint8_t)(fl >> 8);
}

/* flags of each version: v1 sp_reg:4 bp_reg:4 type:2 end:1;
 * v2 sp_reg:4 bp_reg:4 type:2 signal:1 end:1; v3 sp_reg:4 bp_reg:4 type:3 signal:1 */
static uint16_t v1(unsigned spr, unsigned bpr, unsigned type, unsigned end)
{
	return (uint16_t)(spr | bpr << 4 | type << 8 | end << 10);
}

static uint16_t v2(unsigned spr, unsigned bpr, unsigned type, unsigned sig, unsigned end)
{
	return (uint16_t)(spr | bpr << 4 | type << 8 | sig << 10 | end << 11);
}

static uint16_t v3(unsigned spr, unsigned bpr, unsigned type, unsigned sig)
{
	return (uint16_t)(spr | bpr << 4 | type << 8 | sig << 11);
}

static void test_decode(void)
{
	uint8_t b[6];
	struct orc o;

	/* v1 (v4.14..v6.2): UNWIND_HINT_TYPE_CALL 0, REGS 1, REGS_PARTIAL 2 */
	raw(b, 16, -16, v1(ORC_REG_SP, ORC_REG_PREV_SP, 0, 0));
	orc_decode(b, 1, &o);
	ok(o.type == ORC_T_CALL && o.sp_reg == ORC_REG_SP && o.bp_reg == ORC_REG_PREV_SP &&
	   o.sp_offset == 16 && o.bp_offset == -16 && !o.signal, "v1 call entry");
	raw(b, 0, 0, v1(ORC_REG_SP, ORC_REG_UNDEFINED, 1, 0));
	orc_decode(b, 1, &o);
	ok(o.type == ORC_T_REGS && o.signal, "v1 regs entry: the next ip is exact");
	raw(b, 0, 0, v1(ORC_REG_SP, ORC_REG_UNDEFINED, 2, 0));
	orc_decode(b, 1, &o);
	ok(o.type == ORC_T_REGS_PARTIAL, "v1 iret entry");
	raw(b, 0, 0, v1(ORC_REG_UNDEFINED, ORC_REG_UNDEFINED, 0, 1));
	orc_decode(b, 1, &o);
	ok(o.type == ORC_T_END, "v1 undefined sp with end: bottom of the stack");
	raw(b, 0, 0, 0);
	orc_decode(b, 1, &o);
	ok(o.type == ORC_T_UNDEFINED, "v1 all zero: a terminator");

	/* v2 (v6.3): signal bit 10, end bit 11 */
	raw(b, 8, 0, v2(ORC_REG_SP, ORC_REG_UNDEFINED, 0, 1, 0));
	orc_decode(b, 2, &o);
	ok(o.type == ORC_T_CALL && o.signal, "v2 call entry with signal");
	raw(b, 0, 0, v2(ORC_REG_UNDEFINED, ORC_REG_UNDEFINED, 0, 0, 1));
	orc_decode(b, 2, &o);
	ok(o.type == ORC_T_END, "v2 end bit is bit 11");
	raw(b, 0, 0, v2(ORC_REG_UNDEFINED, ORC_REG_UNDEFINED, 0, 1, 0));
	orc_decode(b, 2, &o);
	ok(o.type == ORC_T_UNDEFINED, "v2 bit 10 is signal, not end");

	/* v3 (v6.4+): ORC_TYPE_UNDEFINED 0, END_OF_STACK 1, CALL 2, REGS 3,
	 * REGS_PARTIAL 4; signal bit 11 */
	raw(b, 16, -16, v3(ORC_REG_BP, ORC_REG_PREV_SP, 2, 0));
	orc_decode(b, 3, &o);
	ok(o.type == ORC_T_CALL && o.sp_reg == ORC_REG_BP, "v3 call entry");
	raw(b, 0, 0, v3(ORC_REG_UNDEFINED, 0, 1, 0));
	orc_decode(b, 3, &o);
	ok(o.type == ORC_T_END, "v3 end of stack");
	raw(b, 0, 0, v3(ORC_REG_SP, 0, 3, 1));
	orc_decode(b, 3, &o);
	ok(o.type == ORC_T_REGS && o.signal, "v3 regs with signal");
	raw(b, 0, 0, v3(ORC_REG_SP, 0, 4, 1));
	orc_decode(b, 3, &o);
	ok(o.type == ORC_T_REGS_PARTIAL, "v3 partial regs");
	raw(b, 0, 0, v3(ORC_REG_SP, 0, 7, 0));
	orc_decode(b, 3, &o);
	ok(o.type == ORC_T_UNDEFINED, "v3 unknown type is no information");
}

/* The layout is read from the kernel: the .orc_header hashes (computed
 * with scripts/orc_hash.sh from each version's orc_types.h), and the
 * entry at a function's first instruction. */
static void test_layout(void)
{
	static const uint8_t h64[20] = {
		0xfe, 0x5d, 0x32, 0xbf, 0x58, 0x1b, 0xd6, 0x3b, 0x2c, 0xa9,
		0xa5, 0xc6, 0x5b, 0xa5, 0xa6, 0x25, 0xea, 0xb3, 0xfe, 0x24,
	}, h71[20] = {
		0x13, 0x7c, 0x36, 0xad, 0x76, 0x27, 0xc4, 0xdd, 0x55, 0x93,
		0x21, 0x76, 0xbb, 0x0e, 0xcd, 0xbd, 0x50, 0x41, 0xfc, 0x82,
	};
	uint8_t bad[20], b[6];

	memcpy(bad, h71, 20);
	bad[19] ^= 1;
	ok(orc_version_from_header(h64, NULL) == 3, "v6.4 hash -> v3");
	ok(orc_version_from_header(h71, NULL) == 4, "v7.1 hash -> v4");
	ok(orc_version_from_header(bad, NULL) == -1, "unknown hash -> unknown layout");

	/* function entry: sp = SP + 8, CALL, bp undefined */
	raw(b, 8, 0, v1(5, 0, 0, 0));
	ok(orc_family_of_entry(b) == 1, "v1/v2 function entry");
	raw(b, 8, 0, v3(5, 0, 2, 0));
	ok(orc_family_of_entry(b) == 3, "v6.4 function entry");
	raw(b, 8, 0, v3(3, 0, 2, 0));
	ok(orc_family_of_entry(b) == 4, "v7.1 function entry (SP is 3)");
	raw(b, 16, -16, v3(5, 1, 2, 0));
	ok(orc_family_of_entry(b) == -1, "a mid-function entry tells nothing");
	raw(b, 0, 0, v1(0, 0, 0, 1));
	ok(orc_v1_or_v2(b) == 1, "end bit 10: v1");
	raw(b, 0, 0, v2(0, 0, 0, 0, 1));
	ok(orc_v1_or_v2(b) == 2, "end bit 11: v2");

	/* v4 decoding maps the renumbered registers */
	raw(b, 16, -16, v3(4, 8, 2, 0));
	{
		struct orc o;

		orc_decode(b, 4, &o);
		ok(o.type == ORC_T_CALL && o.sp_reg == ORC_REG_BP && o.bp_reg == ORC_REG_PREV_SP,
		   "v4: BP 4, PREV_SP 8");
		raw(b, 8, 0, v3(3, 0, 2, 0));
		orc_decode(b, 4, &o);
		ok(o.sp_reg == ORC_REG_SP && o.sp_offset == 8, "v4: SP 3");
		raw(b, 0, 0, v3(1, 0, 2, 0));
		orc_decode(b, 4, &o);
		ok(o.sp_reg == ORC_REG_AX, "v4: AX 1");
		raw(b, 0, 0, v3(10, 9, 2, 0));
		orc_decode(b, 4, &o);
		ok(o.sp_reg == ORC_REG_BP_INDIRECT && o.bp_reg == ORC_REG_SP_INDIRECT,
		   "v4: BP_INDIRECT 10, SP_INDIRECT 9");
		raw(b, 0, 0, v3(12, 0, 2, 0));
		orc_decode(b, 4, &o);
		ok(o.sp_reg == ORC_REG_BAD, "v4: unused register number stays unknown");
	}
}

/* A table at run-time address BASE: ips[i] relative to BASE + 4i. */
#define BASE UINT64_C(0xffffffff81000000)

static void test_find(void)
{
	static const uint64_t ips[] = {
		BASE + 0x100, BASE + 0x180, BASE + 0x180, BASE + 0x200, BASE + 0x300,
	};
	enum { N = sizeof(ips) / sizeof(ips[0]) };
	uint8_t ipd[4 * N], od[6 * N];
	struct orc_table t = { 0 };
	struct unw_cache c = { 0 };
	struct vm_err e = { 0 };
	struct orc o;
	unsigned i;

	for (i = 0; i < N; i++) {
		int32_t rel = (int32_t)(int64_t)(ips[i] - (BASE + 4 * i));

		memcpy(ipd + 4 * i, &rel, 4);
		/* sp_offset tells the entries apart */
		raw(od + 6 * i, (int16_t)(8 * (i + 1)), 0,
		    v1(i == 1 || i == N - 1 ? ORC_REG_UNDEFINED : ORC_REG_SP, 0, 0, 0));
	}
	t.ip_addr = BASE;
	t.orc_addr = BASE + 0x10000;
	t.num = N;
	t.ip_data = ipd;
	t.orc_data = od;
	ok(orc_table_find(&c, &t, 1, BASE + 0xff, &o, &e) == 0, "below the first entry: not covered");
	ok(orc_table_find(&c, &t, 1, BASE + 0x100, &o, &e) == 1 && o.sp_offset == 8,
	   "exact start of the first entry");
	ok(orc_table_find(&c, &t, 1, BASE + 0x17f, &o, &e) == 1 && o.sp_offset == 8,
	   "inside the first entry");
	/* a weak terminator (sorted first) and a real entry at one address:
	 * the rightmost wins, as the kernel's __orc_find() */
	ok(orc_table_find(&c, &t, 1, BASE + 0x190, &o, &e) == 1 && o.sp_offset == 24 &&
	   o.type == ORC_T_CALL, "duplicate address: the rightmost (real) entry");
	ok(orc_table_find(&c, &t, 1, BASE + 0x250, &o, &e) == 1 && o.sp_offset == 32,
	   "between entries");
	ok(orc_table_find(&c, &t, 1, BASE + 0x5000, &o, &e) == 1 && o.type == ORC_T_UNDEFINED,
	   "past the last entry: its terminator");
	t.num = 0;
	ok(orc_table_find(&c, &t, 1, BASE + 0x100, &o, &e) == 0, "empty table");
}

int main(void)
{
	test_decode();
	test_layout();
	test_find();
	printf("1..%d\n", n);
	return fails ? 1 : 0;
}
