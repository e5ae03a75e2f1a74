// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's rd (see words.h).
 */
#include "words.h"

#include <inttypes.h>
#include <string.h>

#include "../rd.h"

#define PER_LINE 2

static void ascii(FILE *f, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fputc(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.', f);
}

int vm_out_words(FILE *f, struct vm_json *j, uint64_t addr, uint64_t count, bool syms,
		 const struct vm_value_env *env, struct vm_err *e)
{
	uint8_t line[8 * PER_LINE];
	char sym[256];
	uint64_t i;

	for (i = 0; i < count; i += PER_LINE) {
		uint64_t a = addr + 8 * i;
		unsigned n = count - i < PER_LINE ? (unsigned)(count - i) : PER_LINE, w;

		if (env->read(env->ctx, a, line, 8u * n, e) < 0) {
			vm_err_prefix(e, "rd at %#" PRIx64 ": ", a);
			return -1;
		}
		if (!j)
			fprintf(f, "%" PRIx64 ":  ", a);
		for (w = 0; w < n; w++) {
			uint64_t v = vm_rd64(line + 8 * w, true);
			bool named = (syms || j) && env->symbolize &&
				     env->symbolize(env->ctx, v, sym, sizeof(sym)) > 0;

			if (j) {
				vm_json_begin(j);
				vm_json_khex(j, "address", a + 8 * w);
				vm_json_khex(j, "value", v);
				if (named)
					vm_json_kstr(j, "symbol", sym);
				vm_json_end(j);
			} else if (syms && named) {
				fprintf(f, "%-16s ", sym);
			} else {
				fprintf(f, "%016" PRIx64 "%s", v, syms || w + 1 < PER_LINE ? " " : "");
			}
		}
		if (j)
			continue;
		if (!syms) {
			/* a short last line keeps the ASCII column in place */
			for (w = n; w < PER_LINE; w++)
				fprintf(f, "%16s%s", "", w + 1 < PER_LINE ? " " : "");
			fputs("   ", f);
			ascii(f, line, 8u * n);
		}
		fputc('\n', f);
	}
	return 0;
}
