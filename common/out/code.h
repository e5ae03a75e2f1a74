/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel code records (kernel/code.h) as vmdis prints them: crash's dis
 * lines ("0xADDR <sym+off>:\tmnemonic operands"), --diff hunks, crash's
 * l *ADDR and dis -s listings, and each of them as JSON records
 * (vmdis(1), JSON OUTPUT).
 */
#ifndef VM_OUT_CODE_H
#define VM_OUT_CODE_H

#include <stdio.h>

#include "../kernel/code.h"
#include "json.h"

/* One instruction as crash's dis prints it, after prefix pfx ("", "-",
 * "+"). */
void vm_out_insn(FILE *f, const struct vm_code_insn *ci, const char *pfx);

/* crash's dis -l line "FILE: LINE" of an instruction (that has one); with
 * inlines, "    inlined F() into G() at FILE: LINE" for each inlined call
 * it is in, innermost first. */
void vm_out_line(FILE *f, const struct vm_code_insn *ci, bool inlines);

/* One instruction as a JSON record; side/why ("file"/"memory" and the
 * patch table) for --diff, else NULL. */
void vm_out_insn_json(struct vm_json *j, const struct vm_code_insn *ci, const char *side,
		      const char *why);

/* A --diff hunk: "@@ ADDR <label> N bytes: WHY", the file's instructions
 * with "-", memory's with "+"; as JSON one record per instruction. */
void vm_out_hunk(FILE *f, const struct vm_code_hunk *h);
void vm_out_hunk_json(struct vm_json *j, const struct vm_code_hunk *h);

/* crash's l *ADDR (list) or dis -s (!list) listing; as JSON one record. */
void vm_out_source(FILE *f, const struct vm_code_source *s, bool list);
void vm_out_source_json(struct vm_json *j, const struct vm_code_source *s);

#endif
