/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One struct page, decoded: flags by name, reference and map counts,
 * mapping, index, compound head, and the page type.
 *
 * Flags: the names and bit numbers come from the kernel's enum pageflags
 * (types), bits at and above __NR_PAGEFLAGS being section/node/zone fields.
 *
 * Page types live in the word that is _mapcount for mapped pages (union
 * since v4.18, 6e292b9be7f4): a typed page has a marker no mapcount can
 * reach.  Two encodings:
 *   - v4.18..v6.11: PAGE_TYPE_BASE 0xf0000000 with the type's bit cleared
 *     (buddy 0x80, offline 0x100, table 0x200, guard 0x400, then hugetlb,
 *     slab ...); the marker is the whole word;
 *   - v6.12+ (4ffca5a96678): the top byte is the type (enum pagetype
 *     PGTY_buddy 0xf0 ...), the low 24 bits are the type's own data.
 * The markers are VMCOREINFO's NUMBER(PAGE_<TYPE>_MAPCOUNT_VALUE) and the
 * enum pagetype where the types have it; a value whose low 24 bits are 0
 * is a top-byte type.
 *
 * Tail pages: page->compound_head = head + 1 until v7.0; since v7.1
 * (d50569612c29) page->compound_info, which is either the same or, with
 * HUGETLB_PAGE_OPTIMIZE_VMEMMAP (zone.vmemmap_tails exists), a mask with
 * bit 0 set: head = page & info (struct pages of a power-of-2 size).
 *
 * Slab pages: PG_slab in page->flags of the head page until v6.9; since
 * v6.10 (46df8e73a4a3, "mm: free up PG_slab") a page type.  Which one this
 * kernel uses is decided by which of the two it defines.
 */
#ifndef VM_KERNEL_PAGE_H
#define VM_KERNEL_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fld.h"
#include "memmap.h"

#define VM_PAGEFLAGS_MAX 64
#define VM_PAGETYPES_MAX 16

struct vm_page_layout {
	struct vm_kernel *k;
	uint64_t psize;
	struct vm_fld flags, refcount, mapcount, mapping, index, private_,
		compound_head, lru;
	/* v7.1+ (d50569612c29): page->compound_info, with
	 * HUGETLB_PAGE_OPTIMIZE_VMEMMAP a mask: head = page & info */
	bool compound_mask;
	/* PG_* bit numbers by name: index = bit */
	const char *flag_name[VM_PAGEFLAGS_MAX];
	unsigned nr_pageflags;              /* __NR_PAGEFLAGS */
	int pg_reserved, pg_slab, pg_head, pg_buddy_flag; /* bit numbers, -1 none */
	/* page types: marker values and names */
	struct { const char *name; uint32_t value; bool top_byte; } types[VM_PAGETYPES_MAX];
	unsigned ntypes;
	int slab_type;                      /* index in types[] of "slab", -1 none */
	int buddy_type;                     /* index of "buddy", -1 none */
	bool have_types;
	const char *slab_how;               /* "PG_slab flag" / "slab page type" */
	char *names;                        /* storage for type names */
};

struct vm_page_info {
	uint64_t page, pfn;
	uint64_t flags;
	int32_t refcount;                   /* _refcount */
	int32_t mapcount;                   /* _mapcount + 1; 0 for typed pages */
	uint32_t raw_mapcount;              /* the _mapcount / page_type word */
	uint64_t mapping, index, private_;
	uint64_t head;                      /* compound head (itself if not a tail) */
	bool tail;
	int type;                           /* index into layout types[], -1 none */
	bool slab;                          /* a slab page (of the head page) */
};

int vm_page_layout_init(struct vm_kernel *k, struct vm_page_layout *pl, struct vm_err *e);
void vm_page_layout_free(struct vm_page_layout *pl);

/* Decode the struct page in buf (pl->psize bytes) at address page. */
void vm_page_decode(const struct vm_page_layout *pl, uint64_t page, uint64_t pfn,
		    const uint8_t *buf, struct vm_page_info *pi);
/* Read and decode; a tail page also looks at its head for slab-ness. */
int vm_page_read(const struct vm_page_layout *pl, struct vm_mem *m, uint64_t page,
		 uint64_t pfn, struct vm_page_info *pi, struct vm_err *e);

/* "slab,head" as crash prints flags (names without PG_, low bit first);
 * returns the length. */
size_t vm_page_flag_names(const struct vm_page_layout *pl, uint64_t flags,
			  char *buf, size_t len);
/* The page's type name ("buddy", "slab") or NULL. */
const char *vm_page_type_name(const struct vm_page_layout *pl, const struct vm_page_info *pi);

/* Test the flags / type word of one page (head page for slab-ness). */
bool vm_page_is_slab(const struct vm_page_layout *pl, uint64_t flags, uint32_t type_word);
bool vm_page_is_buddy(const struct vm_page_layout *pl, uint64_t flags, uint32_t type_word);
bool vm_page_is_reserved(const struct vm_page_layout *pl, uint64_t flags);

#endif
