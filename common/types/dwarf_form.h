/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DWARF 2-5 decoding for the name-index scan (dwarf_scan.c): unit headers,
 * abbreviation tables, and attribute values by form -- read, skipped, or
 * jumped over with DW_AT_sibling.  Private to common/types/.
 *
 * Every read is bounds-checked against the unit (end), every string
 * against its section; the caller checks references against the unit.
 * The decoding here is what the scan needs and no more: libdwarf decodes
 * the few DIEs a question needs.
 */
#ifndef VM_TYPES_DWARF_FORM_H
#define VM_TYPES_DWARF_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dwarf.h>

#include "../err.h"
#include "../rd.h"
#include "dwarf_index.h"

struct vm_dwattr {
	uint16_t at, form;
	int16_t fsize;           /* fixed size of the value, -1 variable */
	int64_t implicit;
};

struct vm_dwabbrev {
	uint64_t code;
	uint16_t tag;
	bool children;
	uint8_t want;            /* index kind for a top-level DIE, 0 = none */
	int32_t fixed;           /* size of all attributes, -1 if variable */
	uint32_t nattr, attr0;   /* into the attr array */
	/* Where the attributes the scanner reads sit when every attribute
	 * before them has a fixed size (-1: not known statically) */
	int32_t name_off, sib_off, decl_off;
	uint16_t name_form, sib_form, decl_form;
	int16_t sib_fsize;
	bool decl_const;         /* DW_AT_declaration as implicit_const != 0 */
	bool fast;               /* name/sibling/declaration all at fixed spots */
	bool has_defn;           /* DW_AT_location, low_pc or const_value */
	bool has_name, has_sib, has_decl;
};

/* One abbreviation table, reused across the units that share it. */
struct vm_dwabtab {
	uint64_t off;            /* .debug_abbrev offset it was parsed from */
	struct vm_dwabbrev *ab;  /* in table order */
	size_t nab, capab;
	struct vm_dwabbrev **direct;  /* code -> abbrev for small codes */
	size_t ndirect;
	struct vm_dwattr *at;
	size_t nat, capat;
	unsigned addrsz, offsz;  /* fixed sizes were computed for these */
	bool ver2;               /* ... and for DWARF 2's ref_addr size */
	bool valid;
};

/* A unit header, parsed. */
struct vm_dwuhdr {
	uint64_t off, end;       /* [off, end) in .debug_info */
	uint64_t die0;           /* offset of the unit DIE */
	uint64_t aoff;           /* .debug_abbrev offset */
	unsigned ver, offsz, addrsz, utype;
};

/* The unit being scanned. */
struct vm_dwunit {
	const struct vm_dwsecs *s;
	uint64_t off, end;       /* [off, end) in .debug_info */
	unsigned ver, offsz, addrsz;
	uint64_t str_offsets_base;
	bool have_sob;
};

/* An attribute value as the scanner needs it. */
struct vm_dwval {
	uint64_t u;
	const char *str;         /* string forms: the string, else NULL */
};

/* The unit header at .debug_info offset off; p holds avail bytes of it. */
int vm_dwunit_header(const struct vm_dwsecs *s, const uint8_t *p, size_t avail,
		     uint64_t off, struct vm_dwuhdr *h, struct vm_err *e);

/* "corrupt .debug_info at offset off: what" */
int vm_dwcorrupt(const struct vm_dwsecs *s, uint64_t off, const char *what,
		 struct vm_err *e);

/* Parse the table at .debug_abbrev offset off for unit u into t (its
 * arrays are reused); vm_dwabtab_free() releases them. */
int vm_dwabtab_parse(struct vm_dwabtab *t, const struct vm_dwsecs *s, uint64_t off,
		     const struct vm_dwunit *u, struct vm_err *e);
void vm_dwabtab_free(struct vm_dwabtab *t);

static inline const struct vm_dwabbrev *vm_dwabbrev_find(const struct vm_dwabtab *t,
							 uint64_t code)
{
	size_t i;

	if (code < t->ndirect)
		return t->direct[code];
	for (i = 0; i < t->nab; i++)
		if (t->ab[i].code == code)
			return &t->ab[i];
	return NULL;
}

/* A NUL-terminated string at off in a section, or NULL. */
const char *vm_dwsec_str(const uint8_t *sec, size_t size, uint64_t off);

/* Read (v != NULL) or skip one attribute value at *pp; -1 if it runs
 * past end or the form is unknown. */
int vm_dwform_read(const struct vm_dwunit *u, const uint8_t **pp, const uint8_t *end,
		   unsigned form, int64_t implicit, struct vm_dwval *v);

/* Skip all attributes of a DIE of abbreviation a. */
int vm_dwform_skip_attrs(const struct vm_dwunit *u, const struct vm_dwabtab *t,
			 const struct vm_dwabbrev *a, const uint8_t **pp,
			 const uint8_t *end);

/* The sibling of a DIE as a .debug_info offset, or 0 if it has none; *pp
 * is left past the DIE's attributes only when it has no sibling. */
int vm_dwform_sibling(const struct vm_dwunit *u, const struct vm_dwabtab *t,
		      const struct vm_dwabbrev *a, const uint8_t **pp,
		      const uint8_t *end, uint64_t *sib);

/* The attributes of a DIE the index wants: name, DW_AT_declaration,
 * whether it defines something (location, low_pc, const_value), sibling.
 * *pp is left past the attributes. */
int vm_dwform_top_die(const struct vm_dwunit *u, const struct vm_dwabtab *t,
		      const struct vm_dwabbrev *a, const uint8_t **pp,
		      const uint8_t *end, const char **name, bool *decl,
		      bool *defn, uint64_t *sib);

#endif
