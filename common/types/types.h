/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Layer 5: one type API over two backends, DWARF (libdwarf) and BTF
 * (vmlinux .BTF or the dump's own __start_BTF..__stop_BTF).
 *
 * A struct vm_types holds one or more sources (the vmlinux, then module
 * objects); a name is looked up in each source in order.  Types are decoded
 * lazily, one at a time, when asked for, and cached: a struct's members are
 * read with the struct, but the types of its members only when someone asks
 * for them (vm_member_type(), vm_type_target()).  Pointers returned stay
 * valid until vm_types_free().
 */
#ifndef VM_TYPES_H
#define VM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../err.h"
#include "../opts.h"

struct vm_types;

void vm_types_free(struct vm_types *ts);

/* ---- the minimum contract other layers were written against ---- */

/* sizeof(struct NAME) / union / typedef; name may be "struct foo", "foo". */
int vm_types_sizeof(struct vm_types *ts, const char *type, uint64_t *size,
		    struct vm_err *e);
/* Offset and size of a dotted member path ("se.vruntime", "thread.sp",
 * "pids[1]") inside struct/union type; bit members give the containing
 * byte offset.  size may be NULL. */
int vm_types_member(struct vm_types *ts, const char *type, const char *member,
		    uint64_t *off, uint64_t *size, struct vm_err *e);

/* ---- sources ---- */

enum vm_types_source {
	VM_TSRC_DWARF = 1,       /* .debug_info of a vmlinux / .ko / .debug */
	VM_TSRC_BTF_FILE,        /* .BTF section of a vmlinux */
	VM_TSRC_BTF_MEM,         /* BTF copied out of the dump's memory */
};

struct vm_types *vm_types_new(const struct vm_opts *o, struct vm_err *e);

/*
 * Add the DWARF of an ELF file.  Builds (or loads from the on-disk cache,
 * keyed by build-id under $XDG_CACHE_HOME/vmcoreutils; "-o nocache" turns
 * it off) a name index of the file's types.  Fails with VM_ENOENT if the
 * file has no .debug_info.
 */
int vm_types_add_dwarf(struct vm_types *ts, const char *path, struct vm_err *e);
/* The DWARF of an ELF image already open (a module's, read out of its
 * .ko.xz or .ko.zst); elf is the types' from now on, even on failure. */
struct vm_elffile;
int vm_types_add_dwarf_elf(struct vm_types *ts, struct vm_elffile *elf, struct vm_err *e);
/* Add the .BTF section of an ELF file (VM_ENOENT if it has none). */
int vm_types_add_btf_file(struct vm_types *ts, const char *path, struct vm_err *e);
/* Add raw BTF bytes (copied); label names them in messages. */
int vm_types_add_btf(struct vm_types *ts, const void *data, size_t len,
		     const char *label, struct vm_err *e);

/* Add split BTF (a module's) whose base is the BTF source at index base
 * (VM_EINVAL if that is no BTF); copied.  Its types refer to the base's
 * by id. */
int vm_types_add_btf_split(struct vm_types *ts, const void *data, size_t len,
			   unsigned base, const char *label, struct vm_err *e);
/* The same without a copy: data (and index, from vm_btf_index_build, or
 * NULL) stay valid until release(keep), which the types call when freed
 * -- on success; on failure keep is still the caller's. */
int vm_types_add_btf_kept(struct vm_types *ts, const void *data, size_t len,
			  const void *index, size_t index_len, const char *label,
			  void *keep, void (*release)(void *keep), struct vm_err *e);
/* An index of a BTF blob for vm_types_add_btf_kept (where each type's
 * record starts, and a name table), malloc'd, for callers that keep it
 * (the on-disk cache). */
int vm_btf_index_build(const void *data, size_t len, void **out, size_t *out_len,
		       struct vm_err *e);
#define VM_BTF_INDEX_VERSION 2

/* fn(ctx, ts) is called once, the first time a name is found in no
 * source, to add more sources (the modules' objects: walking the module
 * list costs, and most questions are about the kernel's own types). */
void vm_types_set_miss(struct vm_types *ts,
		       int (*fn)(void *ctx, struct vm_types *ts), void *ctx);

unsigned vm_types_nsources(const struct vm_types *ts);
enum vm_types_source vm_types_source_kind(const struct vm_types *ts, unsigned i);
/* "DWARF of /path/vmlinux (index from cache)" and the like, for -v */
const char *vm_types_source_desc(const struct vm_types *ts, unsigned i);

/* ---- the type model ---- */

enum vm_type_kind {
	VM_TYPE_VOID = 0,
	VM_TYPE_INT,             /* integers, char, _Bool (see flags) */
	VM_TYPE_FLOAT,
	VM_TYPE_PTR,
	VM_TYPE_ARRAY,
	VM_TYPE_STRUCT,
	VM_TYPE_UNION,
	VM_TYPE_ENUM,
	VM_TYPE_TYPEDEF,
	VM_TYPE_CONST,
	VM_TYPE_VOLATILE,
	VM_TYPE_RESTRICT,
	VM_TYPE_FUNC,            /* a function type: return type + params */
};

enum {
	VM_TF_SIGNED = 1 << 0,   /* INT, ENUM */
	VM_TF_CHAR = 1 << 1,     /* INT: a character type */
	VM_TF_BOOL = 1 << 2,     /* INT: _Bool */
	VM_TF_DECL = 1 << 3,     /* STRUCT/UNION/ENUM: declaration only */
	VM_TF_VARARGS = 1 << 4,  /* FUNC: ends with ... */
	VM_TF_FLEX = 1 << 5,     /* ARRAY: no bound (flexible, [] ) */
	VM_TF_PROTO = 1 << 6,    /* FUNC: prototyped */
};

struct vm_type;

struct vm_member {
	const char *name;        /* NULL for an anonymous struct/union member */
	uint64_t bit_offset;     /* from the start of the containing type */
	uint32_t bit_size;       /* 0: not a bitfield */
	/* private: use vm_member_type() */
	uint64_t type_ref;
	unsigned src;
	struct vm_type *type_cache;
};

struct vm_enumerator {
	const char *name;
	int64_t value;           /* as unsigned when the enum is unsigned */
};

struct vm_param {
	const char *name;        /* may be NULL */
	uint64_t type_ref;       /* private: use vm_param_type() */
	unsigned src;
	struct vm_type *type_cache;
};

struct vm_type {
	enum vm_type_kind kind;
	const char *name;        /* NULL when anonymous */
	uint64_t size;           /* bytes; 0 for void, functions, incomplete */
	unsigned flags;          /* VM_TF_* */
	uint64_t nelems;         /* ARRAY: number of elements */
	unsigned nmembers;       /* STRUCT/UNION */
	struct vm_member *members;
	unsigned nenums;         /* ENUM */
	struct vm_enumerator *enums;
	unsigned nparams;        /* FUNC */
	struct vm_param *params;
	/* private */
	uint64_t target_ref;     /* PTR ARRAY TYPEDEF qualifiers FUNC(return) */
	struct vm_type *target_cache;
	unsigned src;
	uint64_t id;
};

/* Find a type by name.  "struct foo", "union foo", "enum foo" look only in
 * that namespace; a bare name tries struct, union, typedef, enum, then base
 * types ("unsigned int").  A declaration-only struct is completed from any
 * source that defines it.  NULL with VM_ENOENT "no struct named ..." when
 * absent. */
const struct vm_type *vm_types_find(struct vm_types *ts, const char *name,
				    struct vm_err *e);

/* Type of a global variable / function by name (from DWARF), or NULL. */
const struct vm_type *vm_types_var(struct vm_types *ts, const char *name,
				   struct vm_err *e);
/* Where variable name sits in its data section, from BTF's DATASEC
 * records (pahole encodes the per-CPU variables: section ".data..percpu"):
 * the section name into sec, the offset into *off.  VM_ENOENT when no
 * source knows (DWARF sources have symbol addresses instead). */
int vm_types_var_section(struct vm_types *ts, const char *name, char *sec,
			 size_t secsz, uint64_t *off, struct vm_err *e);
/* Value of an enumerator constant ("PIDTYPE_MAX"). */
int vm_types_enum_value(struct vm_types *ts, const char *name, int64_t *val,
			struct vm_err *e);

/* The pointed-to / element / aliased / return type; VOID type for void. */
const struct vm_type *vm_type_target(struct vm_types *ts, const struct vm_type *t,
				     struct vm_err *e);
const struct vm_type *vm_member_type(struct vm_types *ts, const struct vm_member *m,
				     struct vm_err *e);
const struct vm_type *vm_param_type(struct vm_types *ts, const struct vm_param *p,
				    struct vm_err *e);
/* Strip typedefs and qualifiers (const volatile restrict). */
const struct vm_type *vm_type_strip(struct vm_types *ts, const struct vm_type *t,
				    struct vm_err *e);
/* A declaration-only struct/union/enum replaced by its definition if any
 * source has one; otherwise t itself. */
const struct vm_type *vm_type_complete(struct vm_types *ts, const struct vm_type *t);
/* sizeof(t) following typedefs, qualifiers and arrays. */
int vm_type_size(struct vm_types *ts, const struct vm_type *t, uint64_t *size,
		 struct vm_err *e);

/* A resolved member path. */
struct vm_member_loc {
	uint64_t bit_offset;     /* from the start of the outer type */
	uint32_t bit_size;       /* 0 unless a bitfield */
	const struct vm_type *type;
	const struct vm_member *member;   /* the last component (NULL for [i]) */
};
/* "se.vruntime", "pids[1].node", "thread.sp"; anonymous struct/union
 * members are searched through as C does. */
int vm_type_member_path(struct vm_types *ts, const struct vm_type *t,
			const char *path, struct vm_member_loc *loc,
			struct vm_err *e);

/* C spelling: vm_type_name(t, NULL) -> "struct list_head *", "char [16]",
 * "void (*)(int)"; with decl "next" -> "struct list_head *next".  Returns
 * the length it needed (like snprintf) or -1. */
int vm_type_name(struct vm_types *ts, const struct vm_type *t, const char *decl,
		 char *buf, size_t n, struct vm_err *e);

/* ---- printing (to a FILE the caller chose) ---- */

enum {
	VM_TPRINT_OFFSETS = 1 << 0,   /* crash "struct -o": [offset] column */
};
/* Definition as crash's "struct NAME" / "union NAME" / "enum NAME" prints
 * it, followed by "SIZE: N" for structs and unions. */
int vm_types_print_def(struct vm_types *ts, FILE *f, const struct vm_type *t,
		       unsigned flags, struct vm_err *e);
/* One line per member, nested structs expanded with dotted names:
 * "OFFSET\tSIZE\tTYPE\tNAME" (decimal; bitfields "NAME:BITS"). */
int vm_types_print_flat(struct vm_types *ts, FILE *f, const struct vm_type *t,
			struct vm_err *e);

/* The same walk for other forms (JSON): fn(ctx, member) for each member in
 * order, nested structs and unions expanded with dotted names, anonymous
 * ones merged into their parent; stops at fn's -1. */
struct vm_flat_member {
	const char *name;          /* "se.vruntime" */
	uint64_t bit_offset;       /* from the start of the outer type */
	uint64_t size;             /* bytes; 0 unknown */
	const char *type;          /* its C spelling: "u64" */
	uint32_t bit_size;         /* a bitfield's width, else 0 */
};
typedef int (*vm_flat_fn)(void *ctx, const struct vm_flat_member *m, struct vm_err *e);
int vm_types_walk_flat(struct vm_types *ts, const struct vm_type *t, vm_flat_fn fn,
		       void *ctx, struct vm_err *e);

/* Memory and symbols for the value printer, supplied by the caller. */
struct vm_value_env {
	void *ctx;
	/* read len bytes at a kernel virtual address */
	int (*read)(void *ctx, uint64_t addr, void *buf, size_t len,
		    struct vm_err *e);
	/* "sym" or "sym+0x10" for an address, or 0 if none; may be NULL */
	int (*symbolize)(void *ctx, uint64_t addr, char *buf, size_t n);
};

enum {
	VM_VPRINT_HEX = 1 << 0,       /* -x: integers in hex */
	VM_VPRINT_DEC = 1 << 1,       /* -d: pointers too in decimal */
};

/* Print the value of type t stored in buf (t's size bytes, read from addr)
 * the way crash/gdb print it: "{\n  member = value,\n ...}" at indent
 * level 0.  Text only; no trailing newline. */
int vm_value_print(struct vm_types *ts, FILE *f, const struct vm_type *t,
		   uint64_t addr, const void *buf, size_t len,
		   const struct vm_value_env *env, unsigned flags, int indent,
		   struct vm_err *e);

/* Integer value of a scalar (INT, ENUM, PTR, bitfield) at bit offset. */
int vm_value_scalar(struct vm_types *ts, const struct vm_type *t,
		    const void *buf, size_t len, uint64_t bit_offset,
		    uint32_t bit_size, uint64_t *val, struct vm_err *e);

/* A 16-byte integer (unsigned __int128, __int128) at a byte offset, as its
 * high and low 64 bits. */
int vm_value_int128(struct vm_types *ts, const struct vm_type *t,
		    const void *buf, size_t len, uint64_t bit_offset,
		    uint64_t *hi, uint64_t *lo, struct vm_err *e);

/* A 128-bit integer as gdb 12+ prints one: decimal (hex: 0x..., no
 * leading zeros); buf >= 42. */
void vm_int128_format(uint64_t hi, uint64_t lo, bool is_signed, bool hex,
		      char *buf, size_t len);

/* Name of value v in enum t, or NULL. */
const char *vm_enum_name(const struct vm_type *t, int64_t v);

#endif
