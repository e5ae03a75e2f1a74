/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed values and type layouts as JSON, for every program that prints
 * kernel objects (the shape of bpftool's btf_dumper.c over our type API).
 * The text forms are types/value.c (values as crash/gdb print them) and
 * types/typeprint.c (definitions).
 *
 * Values: structs and unions as objects (anonymous members merged into the
 * enclosing object), arrays as arrays, char arrays as strings (up to the
 * first NUL), pointers as "0x..." strings, enums by name (the number when
 * no name matches), _Bool as true/false, integers of 8 bytes and more as
 * decimal strings and smaller ones as numbers (vmcoreutils(7), JSON
 * OUTPUT), floats as numbers.  Nesting stops at VM_NEST_MAX with an error,
 * as the text printer does.
 */
#ifndef VM_OUT_VALUE_H
#define VM_OUT_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "../err.h"
#include "../types/types.h"
#include "../vmcore.h"

/* Where the value printers read memory and name pointers: the kernel's
 * memory view and, loaded at the first pointer, its symbol table. */
struct vm_out_valsrc {
	struct vm_kernel *k;
	struct vm_mem *mem;
	struct vm_symtab *st;
	bool st_tried;
};

/* An environment for vm_types' value printer over s (s must outlive it). */
struct vm_value_env vm_out_valsrc_env(struct vm_out_valsrc *s);

/* The value of type t held in buf (len bytes) at bit offset bitoff
 * (bitsize: a bitfield's width, else 0), as one JSON value after a key or
 * in an array.  -1 with e when some part cannot be printed (the record is
 * then incomplete: the caller drops it and writes an error record). */
int vm_out_value_json(struct vm_json *j, struct vm_types *ts, const struct vm_type *t,
		      const void *buf, size_t len, uint64_t bitoff, uint32_t bitsize,
		      struct vm_err *e);

/* t's members, one record each, nested structs and unions expanded with
 * dotted names: {"name":"se.vruntime","offset":N,"size":N,"type":"u64"}
 * (+ "bit_offset", "bit_size" for bitfields).  On failure the records
 * already written stay (each is whole) and -1 is returned with e. */
int vm_out_layout_json(struct vm_json *j, struct vm_types *ts, const struct vm_type *t,
		       struct vm_err *e);

#endif
