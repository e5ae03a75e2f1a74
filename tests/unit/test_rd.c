// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/rd.h: the explicit-endian loads and stores, and the
 * LEB128 decoders.  Expected LEB128 values are the examples of the DWARF 5
 * standard (section 7.6, tables 7.7 and 7.8) plus the edges a hostile file
 * can reach: truncated encodings, padded (overlong) ones, values wider
 * than 64 bits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rd.h"

static int failures, tests;

static void ok(int cond, const char *what)
{
	tests++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tests, what);
	if (!cond)
		failures++;
}

static void test_loads(void)
{
	/* one byte of slack in front: every load below is unaligned */
	static const uint8_t raw[] = { 0xee, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
				       0x07, 0x08, 0x09 };
	const uint8_t *b = raw + 1;

	ok(vm_le16(b) == 0x0201, "le16");
	ok(vm_le32(b) == 0x04030201, "le32");
	ok(vm_le64(b) == 0x0807060504030201ull, "le64");
	ok(vm_be16(b) == 0x0102, "be16");
	ok(vm_be32(b) == 0x01020304, "be32");
	ok(vm_be64(b) == 0x0102030405060708ull, "be64");
	ok(vm_rd16(b, true) == vm_le16(b) && vm_rd16(b, false) == vm_be16(b), "rd16 by flag");
	ok(vm_rd32(b, true) == vm_le32(b) && vm_rd32(b, false) == vm_be32(b), "rd32 by flag");
	ok(vm_rd64(b, true) == vm_le64(b) && vm_rd64(b, false) == vm_be64(b), "rd64 by flag");
	ok(vm_rdn(b, 0, true) == 0 && vm_rdn(b, 0, false) == 0, "rdn 0 bytes");
	ok(vm_rdn(b, 1, true) == 0x01 && vm_rdn(b, 1, false) == 0x01, "rdn 1 byte");
	ok(vm_rdn(b, 3, true) == 0x030201 && vm_rdn(b, 3, false) == 0x010203,
	   "rdn 3 bytes (DW_FORM_strx3)");
	ok(vm_rdn(b, 8, true) == vm_le64(b) && vm_rdn(b, 8, false) == vm_be64(b),
	   "rdn 8 bytes");
	ok(vm_rdn(b, 9, true) == vm_le64(b), "rdn over 8 reads 8");
	/* high bit set: no sign extension anywhere */
	{
		static const uint8_t ff[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					       0xff, 0xff };

		ok(vm_le32(ff) == UINT32_MAX && vm_be64(ff) == UINT64_MAX &&
		   vm_rdn(ff, 5, true) == 0xffffffffffull, "all-ones loads zero-extend");
	}
}

static void test_floats(void)
{
	/* 1.5 and -2.0 in IEEE 754, as their bit patterns say */
	static const uint8_t d_le[8] = { 0, 0, 0, 0, 0, 0, 0xf8, 0x3f };
	static const uint8_t d_be[8] = { 0x3f, 0xf8, 0, 0, 0, 0, 0, 0 };
	static const uint8_t f_le[4] = { 0, 0, 0, 0xc0 };

	ok(vm_rdf64(d_le, true) == 1.5 && vm_rdf64(d_be, false) == 1.5, "rdf64");
	ok(vm_rdf32(f_le, true) == -2.0f, "rdf32");
}

static void test_stores(void)
{
	uint8_t b[10];

	memset(b, 0xaa, sizeof(b));
	vm_wr32(b + 1, 0x11223344, true);
	ok(b[0] == 0xaa && b[1] == 0x44 && b[4] == 0x11 && b[5] == 0xaa,
	   "wr32 little-endian stays in its 4 bytes");
	vm_wr64(b + 1, 0x0102030405060708ull, false);
	ok(vm_be64(b + 1) == 0x0102030405060708ull && b[9] == 0xaa, "wr64 big-endian");
	vm_wr16(b, 0xbeef, true);
	ok(vm_le16(b) == 0xbeef, "wr16 round trip");
	vm_wrn(b, 3, 0xffabcdef, false);
	ok(vm_rdn(b, 3, false) == 0xabcdef && b[3] == 0x03, "wrn 3 bytes keeps the low ones");
}

struct ucase {
	uint8_t enc[12];
	unsigned len;
	uint64_t val;
	int rc;
	const char *what;
};

static void test_uleb(void)
{
	static const struct ucase c[] = {
		{ { 0x02 }, 1, 2, 0, "2 (DWARF 5 table 7.7)" },
		{ { 0x7f }, 1, 127, 0, "127" },
		{ { 0x80, 0x01 }, 2, 128, 0, "128" },
		{ { 0x81, 0x01 }, 2, 129, 0, "129" },
		{ { 0x82, 0x01 }, 2, 130, 0, "130" },
		{ { 0xb9, 0x64 }, 2, 12857, 0, "12857" },
		{ { 0x80, 0x80, 0x00 }, 3, 0, 0, "padded 0 (overlong, valid)" },
		{ { 0xff, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 },
		  11, 127, 0, "127 padded to 11 bytes" },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 10,
		  UINT64_MAX, 0, "2^64-1 in 10 bytes" },
		{ { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02 }, 10,
		  0, 1, "2^64: wider than 64 bits, low bits kept" },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f }, 10,
		  UINT64_MAX, 1, "2^70-1: wide" },
		{ { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 },
		  11, 0, 1, "2^70 in the 11th byte: wide" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const uint8_t *p = c[i].enc;
		uint64_t v = 12345;
		int rc = vm_uleb128(&p, c[i].enc + c[i].len, &v);
		char what[128];

		snprintf(what, sizeof(what), "uleb128 %s", c[i].what);
		ok(rc == c[i].rc && v == c[i].val && p == c[i].enc + c[i].len, what);
	}
	/* truncated: every prefix of a 3-byte encoding that lacks its last
	 * byte, and the empty buffer */
	{
		static const uint8_t e[3] = { 0xe5, 0x8e, 0x26 };
		const uint8_t *p = e;
		uint64_t v = 7;
		int bad = 0;
		unsigned n;

		for (n = 0; n < 3; n++) {
			p = e;
			if (vm_uleb128(&p, e + n, &v) != -1 || p != e || v != 7)
				bad = 1;
		}
		ok(!bad, "uleb128 truncated: -1, nothing moved");
		p = e;
		ok(vm_uleb128(&p, e + 3, &v) == 0 && v == 624485 && p == e + 3,
		   "uleb128 624485 (the DWARF standard's running example)");
	}
	/* the end pointer is respected even with a continuation byte there */
	{
		static const uint8_t e[2] = { 0x80, 0x01 };
		const uint8_t *p = e;
		uint64_t v = 0;

		ok(vm_uleb128(&p, e + 1, &v) == -1 && p == e, "uleb128 stops at end");
	}
}

struct scase {
	uint8_t enc[12];
	unsigned len;
	int64_t val;
	int rc;
	const char *what;
};

static void test_sleb(void)
{
	static const struct scase c[] = {
		{ { 0x02 }, 1, 2, 0, "2 (DWARF 5 table 7.8)" },
		{ { 0x7e }, 1, -2, 0, "-2" },
		{ { 0xff, 0x00 }, 2, 127, 0, "127" },
		{ { 0x81, 0x7f }, 2, -127, 0, "-127" },
		{ { 0x80, 0x01 }, 2, 128, 0, "128" },
		{ { 0x80, 0x7f }, 2, -128, 0, "-128" },
		{ { 0x81, 0x01 }, 2, 129, 0, "129" },
		{ { 0xff, 0x7e }, 2, -129, 0, "-129" },
		{ { 0x40 }, 1, -64, 0, "-64" },
		{ { 0xc0, 0x00 }, 2, 64, 0, "64" },
		{ { 0xff, 0x7f }, 2, -1, 0, "-1 padded (overlong, valid)" },
		{ { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f }, 10,
		  INT64_MIN, 0, "INT64_MIN in 10 bytes" },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 }, 10,
		  INT64_MAX, 0, "INT64_MAX in 10 bytes" },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
		  11, -1, 0, "-1 padded to 11 bytes" },
		{ { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, 10,
		  INT64_MIN, 1, "+2^63: wider than 64 bits, low bits kept" },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7e }, 10,
		  INT64_MAX, 1, "-2^63-1: wide" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const uint8_t *p = c[i].enc;
		int64_t v = 12345;
		int rc = vm_sleb128(&p, c[i].enc + c[i].len, &v);
		char what[128];

		snprintf(what, sizeof(what), "sleb128 %s", c[i].what);
		ok(rc == c[i].rc && v == c[i].val && p == c[i].enc + c[i].len, what);
	}
	{
		static const uint8_t e[2] = { 0xff, 0xff };
		const uint8_t *p = e;
		int64_t v = 7;

		ok(vm_sleb128(&p, e + 2, &v) == -1 && p == e && v == 7,
		   "sleb128 truncated: -1, nothing moved");
		ok(vm_sleb128(&p, e, &v) == -1 && p == e, "sleb128 empty buffer");
	}
}

int main(void)
{
	test_loads();
	test_floats();
	test_stores();
	test_uleb();
	test_sleb();
	printf("1..%d\n", tests);
	return failures != 0;
}
