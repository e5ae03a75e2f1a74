// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of common/kernel/page.c and fld.h: struct page decoding under
 * the three ways kernels mark slab pages and page types, on struct pages
 * built here (the fixtures have one of them; the others come with newer
 * kernels):
 *   - PG_slab in page->flags, types as whole-word markers (v4.18..v6.9:
 *     buddy = ~0x80, VMCOREINFO's NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE) -129);
 *   - slab as a whole-word page type, ~PG_slab (v6.10, v6.11: 0x1000);
 *   - top-byte types (v6.12+: PGTY_slab 0xf5 << 24, the low 24 bits the
 *     type's own data);
 * and the bitfield reader the SLUB walker uses for inuse/objects/frozen.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel/page.h"

static int failures, tests;

static void ok(int cond, const char *what)
{
	tests++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tests, what);
	if (!cond)
		failures++;
}

/* struct page of 64 bytes as v6.1 lays it out: flags 0, compound_head 8,
 * mapping 24, index 32, private 40, _mapcount 48, _refcount 52 */
static void layout(struct vm_page_layout *pl, int pg_slab)
{
	static const char *const names[] = { "locked", "referenced", "uptodate", "dirty",
					     "lru", "active", "workingset", "waiters",
					     "error", "slab", "owner_priv_1", "arch_1",
					     "reserved", "private", "private_2", "writeback",
					     "head" };
	unsigned i;

	memset(pl, 0, sizeof(*pl));
	pl->psize = 64;
	pl->flags = (struct vm_fld){ 0, 8, true };
	pl->compound_head = (struct vm_fld){ 8, 8, true };
	pl->mapping = (struct vm_fld){ 24, 8, true };
	pl->index = (struct vm_fld){ 32, 8, true };
	pl->private_ = (struct vm_fld){ 40, 8, true };
	pl->mapcount = (struct vm_fld){ 48, 4, true };
	pl->refcount = (struct vm_fld){ 52, 4, true };
	pl->nr_pageflags = 17;
	for (i = 0; i < 17; i++)
		pl->flag_name[i] = names[i];
	pl->pg_reserved = 12;
	pl->pg_head = 16;
	pl->pg_slab = pg_slab;
	pl->pg_buddy_flag = -1;
	pl->slab_type = pl->buddy_type = -1;
	pl->have_types = true;
}

static void add_type(struct vm_page_layout *pl, const char *name, uint32_t v)
{
	pl->types[pl->ntypes].name = name;
	pl->types[pl->ntypes].value = v;
	pl->types[pl->ntypes].top_byte = (v & 0x00ffffffu) == 0;
	if (!strcmp(name, "slab"))
		pl->slab_type = (int)pl->ntypes;
	if (!strcmp(name, "buddy"))
		pl->buddy_type = (int)pl->ntypes;
	pl->ntypes++;
}

static void page(uint8_t *buf, uint64_t flags, uint64_t head, uint32_t word, int32_t ref)
{
	memset(buf, 0, 64);
	memcpy(buf, &flags, 8);
	memcpy(buf + 8, &head, 8);
	memcpy(buf + 48, &word, 4);
	memcpy(buf + 52, &ref, 4);
}

int main(void)
{
	struct vm_page_layout pl;
	struct vm_page_info pi;
	uint8_t buf[64];
	char names[128];

	/* v6.1: PG_slab bit 9, buddy marker ~0x80 as a whole word */
	layout(&pl, 9);
	add_type(&pl, "buddy", (uint32_t)-129);
	add_type(&pl, "offline", (uint32_t)-257);
	page(buf, (1ull << 9) | (1ull << 16) | (1ull << 56), 0, 0xffffffff, 1);
	vm_page_decode(&pl, 0x1000, 1, buf, &pi);
	ok(pi.slab && !pi.tail && pi.type < 0 && pi.mapcount == 0, "v6.1: PG_slab head page");
	vm_page_flag_names(&pl, pi.flags, names, sizeof(names));
	ok(!strcmp(names, "slab,head"), "v6.1: flags named slab,head; bits past __NR_PAGEFLAGS ignored");
	page(buf, 0, 0x1000 | 1, 0xffffffff, 0);
	vm_page_decode(&pl, 0x1040, 2, buf, &pi);
	ok(pi.tail && pi.head == 0x1000 && !pi.slab, "v6.1: a tail page points to its head");
	page(buf, 0, 0, (uint32_t)-129, 0);
	vm_page_decode(&pl, 0x2000, 3, buf, &pi);
	ok(pi.type >= 0 && !strcmp(vm_page_type_name(&pl, &pi), "buddy") && pi.mapcount == 0 &&
	   vm_page_is_buddy(&pl, pi.flags, pi.raw_mapcount), "v6.1: buddy page type");
	page(buf, 0, 0, 2, 3);
	vm_page_decode(&pl, 0x3000, 4, buf, &pi);
	ok(pi.type < 0 && pi.mapcount == 3 && pi.refcount == 3, "v6.1: a mapped page's mapcount is _mapcount + 1");

	/* v6.10: no PG_slab, slab = ~0x1000 as a whole word */
	layout(&pl, -1);
	add_type(&pl, "buddy", ~0x40u);
	add_type(&pl, "slab", ~0x1000u);
	page(buf, 1ull << 16, 0, ~0x1000u, 1);
	vm_page_decode(&pl, 0x1000, 1, buf, &pi);
	ok(pi.slab && !strcmp(vm_page_type_name(&pl, &pi), "slab"), "v6.10: slab page type");
	page(buf, 1ull << 9, 0, 0xffffffff, 1);
	vm_page_decode(&pl, 0x1000, 1, buf, &pi);
	ok(!pi.slab, "v6.10: bit 9 of flags means nothing");
	page(buf, 0, 0, ~0x1000u & ~0x40u, 1);
	vm_page_decode(&pl, 0x1000, 1, buf, &pi);
	ok(pi.type < 0, "v6.10: two cleared type bits are no type");

	/* v6.12+: top-byte types, data in the low 24 bits */
	layout(&pl, -1);
	add_type(&pl, "buddy", 0xf0u << 24);
	add_type(&pl, "slab", 0xf5u << 24);
	page(buf, 1ull << 16, 0, (0xf5u << 24) | 0x123, 1);
	vm_page_decode(&pl, 0x1000, 1, buf, &pi);
	ok(pi.slab && pi.mapcount == 0, "v6.12: slab type in the top byte, data below");
	page(buf, 0, 0, (0xf0u << 24) | 3, 0);
	vm_page_decode(&pl, 0x1000, 1, buf, &pi);
	ok(!pi.slab && vm_page_is_buddy(&pl, pi.flags, pi.raw_mapcount), "v6.12: buddy type with its order below");
	page(buf, 0, 0, 0x00000005, 1);
	vm_page_decode(&pl, 0x1000, 1, buf, &pi);
	ok(pi.type < 0 && pi.mapcount == 6, "v6.12: a mapcount is no type");

	/* bitfields: struct slab's inuse:16, objects:15, frozen:1 */
	{
		uint8_t b[16] = { 0 };
		uint32_t w = 21u | (32u << 16) | (1u << 31);

		memcpy(b + 8, &w, 4);
		ok(vm_bits_u(b, sizeof(b), 64, 16) == 21, "bitfield inuse:16");
		ok(vm_bits_u(b, sizeof(b), 80, 15) == 32, "bitfield objects:15 (frozen not in it)");
		ok(vm_bits_u(b, sizeof(b), 95, 1) == 1, "bitfield frozen:1");
		ok(vm_bits_u(b, sizeof(b), 120, 16) == 0, "bitfield past the buffer reads 0");
		ok(vm_bits_u(b, sizeof(b), 8, 64) == (uint64_t)21 << 56 &&
		   vm_bits_u(b, sizeof(b), 64, 64) == w && vm_bits_u(b, sizeof(b), 68, 64) == 0,
		   "64-bit fields at bit offsets");
	}
	printf("1..%d\n", tests);
	return failures != 0;
}
