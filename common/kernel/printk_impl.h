/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to the printk decoders (printk*.c). */
#ifndef VM_PRINTK_IMPL_H
#define VM_PRINTK_IMPL_H

#include "printk.h"

struct vm_printk {
	enum vm_printk_format fmt;
	const struct vm_printk_src *src;   /* valid during open only */
	unsigned flags;
	struct vm_printk_rec *recs;
	size_t n, cap;
	struct vm_printk_lost *lost;
	size_t nlost, lostcap;
	void **owned;                       /* buffers records point into */
	size_t nowned, ownedcap;
	bool seq_exact, has_caller, has_level;
	/* the format was found in VMCOREINFO: it describes the layout
	 * completely, so optional members it lacks do not exist (and no
	 * debuginfo is loaded to look for them) */
	bool layout_vmci;
};

enum { PK_PAGE_OK = 0, PK_PAGE_BAD = 1, PK_PAGE_UNREAD = 2 };

/* Memory read in one go where possible, else page by page around holes. */
struct pk_region {
	uint64_t va;
	size_t len;
	uint8_t *buf;          /* owned by the vm_printk (pk_own) */
	uint8_t *state;        /* per page: PK_PAGE_* */
	uint32_t page;
	char why[200];         /* first page that failed, for messages */
};

/* Lookups: VMCOREINFO, then the src's fallbacks.  0 found, -1 not. */
int pk_symbol(struct vm_printk *p, const char *name, uint64_t *out);
int pk_symbol_vmci(struct vm_printk *p, const char *name, uint64_t *out);
int pk_offset(struct vm_printk *p, const char *type, const char *member,
	      uint64_t *out);
int pk_size(struct vm_printk *p, const char *type, uint64_t *out);
int pk_length(struct vm_printk *p, const char *name, uint64_t *out);
/* Optional members: VMCOREINFO only when it gave the layout. */
int pk_offset_opt(struct vm_printk *p, const char *type, const char *member,
		  uint64_t *out);
int pk_size_opt(struct vm_printk *p, const char *type, uint64_t *out);
/* Offset of "u8 facility" in a record header whose last u16 length field
 * is at last_len (the flags:5/level:3 byte follows it): from debuginfo when
 * the layout came from there, else from the definition, unchanged since
 * v3.5 (VMCOREINFO never had it). */
uint64_t pk_facility_offset(struct vm_printk *p, const char *type,
			    uint64_t last_len);

/* Scalars in the kernel's byte order. */
uint16_t pk_u16(const struct vm_printk *p, const uint8_t *b);
uint32_t pk_u32(const struct vm_printk *p, const uint8_t *b);
uint64_t pk_u64(const struct vm_printk *p, const uint8_t *b);
/* unsigned long / pointer of w bytes (4 or 8) */
uint64_t pk_word(const struct vm_printk *p, const uint8_t *b, unsigned w);

int pk_read(struct vm_printk *p, uint64_t va, void *buf, size_t len,
	    struct vm_err *e);
int pk_read_word(struct vm_printk *p, uint64_t va, unsigned w, uint64_t *out,
		 struct vm_err *e);

/*
 * Read [va, va+len) into r (buffer zero-filled where unreadable).
 * Returns 0 if at least one byte was read, -1 if none (e says why).
 */
int pk_region_read(struct vm_printk *p, struct pk_region *r, uint64_t va,
		   size_t len, struct vm_err *e);
/* Read [off, off+len) of an allocated region in one go if possible;
 * -1 if nothing in it could be read. */
int pk_region_fill(struct vm_printk *p, struct pk_region *r, size_t off,
		   size_t len);
/* Allocate r (zeroed, all pages marked unread) without reading. */
int pk_region_alloc(struct vm_printk *p, struct pk_region *r, uint64_t va,
		    size_t len, struct vm_err *e);
/* Whether [off, off+len) is inside r and readable; pages not read yet are
 * read now (so a region can be filled lazily). */
bool pk_region_ok(struct vm_printk *p, struct pk_region *r, size_t off,
		  size_t len);

/* Take ownership of a malloc'ed buffer (freed at close). */
int pk_own(struct vm_printk *p, void *buf, struct vm_err *e);
/* Copy a bounded string into owned memory, NUL-terminated. */
const char *pk_strndup(struct vm_printk *p, const uint8_t *s, size_t max,
		       struct vm_err *e);

struct vm_printk_rec *pk_add_rec(struct vm_printk *p, struct vm_err *e);
/* Account lost records; merges with the previous entry when contiguous
 * and for the same reason. */
int pk_add_lost(struct vm_printk *p, bool seq_known, uint64_t seq,
		uint64_t count, struct vm_err *e, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* The level/facility/flags byte pair that follows the last u16 length
 * field, decoded for the kernel's bitfield order. */
void pk_level_byte(const struct vm_printk *p, uint8_t b, uint8_t *flags,
		   uint8_t *level);

int pk_open_ringbuffer(struct vm_printk *p, struct vm_err *e);
int pk_open_structured(struct vm_printk *p, struct vm_err *e);
int pk_open_plain(struct vm_printk *p, struct vm_err *e);

#endif
