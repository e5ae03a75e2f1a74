/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory as 64-bit words, as crash's `rd` shows it (vmstruct -r):
 *
 *   ffffffffbea079c0:  00000000fffb7cdd 0000000000000000   .|..............
 *
 * two words a line after the line's address, then the line's bytes as
 * ASCII ('.' where not printable); with symbols (crash's rd -s) a word
 * that points into a kernel or module symbol is shown as name+offset,
 * each word in a 16-wide column and no ASCII.  With --json one record per
 * word: address, value, symbol.
 */
#ifndef VM_OUT_WORDS_H
#define VM_OUT_WORDS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../types/types.h"
#include "json.h"

/* Words are read and symbols found through env (its symbolize may be
 * NULL).  -1 with e at the first word that cannot be read; the lines
 * before it are printed. */
int vm_out_words(FILE *f, struct vm_json *j, uint64_t addr, uint64_t count, bool syms,
		 const struct vm_value_env *env, struct vm_err *e);

#endif
