/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the disassembler layer: the capstone handle and one formatter per
 * architecture (x86.c, arm64.c).
 */
#ifndef VM_DISASM_IMPL_H
#define VM_DISASM_IMPL_H

#include <capstone/capstone.h>
#include <stdarg.h>

#include "disasm.h"

struct vm_dis {
	csh h;
	cs_insn *ci;                   /* capstone's scratch instruction */
	uint16_t machine;
	enum vm_dis_syntax syntax;
	/* fill out from ci (decoded at out->addr); false: treat as (bad) */
	bool (*format)(struct vm_dis *d, const cs_insn *ci, const uint8_t *code,
		       size_t len, struct vm_insn *out);
	/* instructions capstone does not know or decodes wrong; true if
	 * code starts with one (out filled) */
	bool (*special)(struct vm_dis *d, const uint8_t *code, size_t len,
			struct vm_insn *out);
	unsigned min_len, max_len;
};

bool vm_dis_x86_format(struct vm_dis *d, const cs_insn *ci, const uint8_t *code,
		       size_t len, struct vm_insn *out);
bool vm_dis_x86_special(struct vm_dis *d, const uint8_t *code, size_t len,
			struct vm_insn *out);
bool vm_dis_arm64_format(struct vm_dis *d, const cs_insn *ci, const uint8_t *code,
			 size_t len, struct vm_insn *out);

/* A bounded string being appended to (never overflows, always NUL-ended). */
struct dis_buf {
	char *p;
	size_t n, len;
};

static inline void dis_buf_init(struct dis_buf *s, char *p, size_t n)
{
	s->p = p;
	s->n = n;
	s->len = 0;
	if (n)
		p[0] = '\0';
}

void dis_put(struct dis_buf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
