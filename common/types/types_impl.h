/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the type layer: the backend interface, the type cache, and a
 * small arena for decoded types.
 */
#ifndef VM_TYPES_IMPL_H
#define VM_TYPES_IMPL_H

#include "types.h"

/* Namespaces of the name index (DWARF) and of name lookups. */
enum vm_tkind {
	VM_TK_STRUCT = 1,
	VM_TK_UNION,
	VM_TK_ENUM,
	VM_TK_TYPEDEF,
	VM_TK_BASE,
	VM_TK_ENUMERATOR,      /* id is the enum type containing it */
	VM_TK_VAR,
	VM_TK_FUNC,
	VM_TK_MAX
};

struct vm_tsrc;

struct vm_tsrc_ops {
	/* 1 found (*id set), 0 not found, -1 error */
	int (*find)(struct vm_tsrc *s, const char *name, enum vm_tkind k,
		    uint64_t *id, struct vm_err *e);
	/* Decode one type into a node from the arena (vm_types_alloc). */
	struct vm_type *(*decode)(struct vm_tsrc *s, uint64_t id, struct vm_err *e);
	void (*free)(struct vm_tsrc *s);
	/* Optional: where variable name sits in its data section (BTF
	 * DATASEC).  1 found, 0 not found, -1 error. */
	int (*var_section)(struct vm_tsrc *s, const char *name, char *sec, size_t secsz,
			   uint64_t *off, struct vm_err *e);
};

struct vm_tsrc {
	const struct vm_tsrc_ops *ops;
	struct vm_types *ts;
	unsigned index;              /* position in ts->src[] */
	enum vm_types_source kind;
	char desc[512];
	void *priv;
};

#define VM_TYPES_MAX_SRC 64

struct vm_arena_chunk;

struct vm_types {
	const struct vm_opts *opts;
	struct vm_tsrc *src[VM_TYPES_MAX_SRC];
	unsigned nsrc;
	/* (src, id) -> decoded type; open addressing */
	struct vm_type **slots;
	size_t nslots, nused;
	struct vm_arena_chunk *arena;
	struct vm_type void_type;
	unsigned depth;              /* recursion guard for decoders */
	int (*miss)(void *ctx, struct vm_types *ts);
	void *miss_ctx;
	bool miss_done;
};

/* Zeroed memory that lives until vm_types_free(). */
void *vm_types_alloc(struct vm_types *ts, size_t n, struct vm_err *e);
char *vm_types_strdup(struct vm_types *ts, const char *s, struct vm_err *e);

/* Register a source; takes ownership (ops->free on failure too). */
int vm_types_add_src(struct vm_types *ts, struct vm_tsrc *s, struct vm_err *e);

/* The cached node for (src, id), decoding it on first use. */
struct vm_type *vm_types_get(struct vm_types *ts, unsigned src, uint64_t id,
			     struct vm_err *e);

/* Look up by namespace across all sources. */
const struct vm_type *vm_types_find_kind(struct vm_types *ts, const char *name,
					 enum vm_tkind k, struct vm_err *e);

/* GCC spells base types "long unsigned int"; gdb and crash print
 * "unsigned long".  Canonical spelling for a DWARF/BTF base type name, and
 * the compiler's spelling for a canonical one (NULL if no alias). */
const char *vm_types_base_canon(const char *name);
const char *vm_types_base_gcc(const char *name);

/* Backends */
int vm_dwarf_src_open(struct vm_types *ts, const char *path,
		      struct vm_tsrc **out, struct vm_err *e);
/* The same over an ELF image already open (taken, even on failure). */
int vm_dwarf_src_open_elf(struct vm_types *ts, struct vm_elffile *elf,
			  struct vm_tsrc **out, struct vm_err *e);
int vm_btf_src_open(struct vm_types *ts, const void *data, size_t len,
		    bool copy, const char *label, struct vm_tsrc **out,
		    struct vm_err *e);
/* Split BTF over the BTF source at index base (copied). */
int vm_btf_src_open_split(struct vm_types *ts, const void *data, size_t len, unsigned base,
			  const char *label, struct vm_tsrc **out, struct vm_err *e);

/* Growing string for type names and printing. */
struct vm_sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};
void vm_sbuf_add(struct vm_sbuf *b, const char *s);
void vm_sbuf_addf(struct vm_sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vm_sbuf_prepend(struct vm_sbuf *b, const char *s);
void vm_sbuf_free(struct vm_sbuf *b);

#endif
