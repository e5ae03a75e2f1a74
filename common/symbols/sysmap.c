// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * System.map: `nm -n vmlinux` filtered by scripts/mksysmap, one
 * "ADDRESS TYPE NAME" line per symbol, link-time addresses.
 */
#include "symtab_impl.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYSMAP_MAX_LINE 4096

int vm_symtab_load_sysmap(struct vm_symtab *st, const char *path, uint64_t slide,
			  struct vm_err *e)
{
	size_t first = vm_symtab_count(st);
	char line[SYSMAP_MAX_LINE];
	unsigned long lineno = 0, bad = 0, good = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return vm_fail(e, VM_EIO, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end, *name;
		unsigned long long addr;
		char type;
		size_t len;

		lineno++;
		len = strlen(line);
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f)) {
			fclose(f);
			return vm_fail(e, VM_EFORMAT, "%s:%lu: line longer than %d bytes",
				       path, lineno, SYSMAP_MAX_LINE - 1);
		}
		if (!*p)
			continue;
		errno = 0;
		addr = strtoull(p, &end, 16);
		if (errno || end == p || *end != ' ' || !isalpha((unsigned char)end[1]) ||
		    end[2] != ' ' || !end[3]) {
			/* A file with a few odd lines is still a System.map;
			 * one with no good line (Debian's 83-byte placeholder)
			 * is not. */
			bad++;
			continue;
		}
		type = end[1];
		name = end + 3;
		/* the module of an `nm`-style "name\t[mod]" line */
		{
			char *tab = strchr(name, '\t');

			if (tab)
				*tab = '\0';
		}
		/* symbol names have no blanks (Debian's placeholder file is
		 * "ffffffffffffffff B The real System.map is in ...") */
		if (strchr(name, ' ')) {
			bad++;
			continue;
		}
		if (vm_symtab_add(st, (uint64_t)addr, 0, type, name, NULL, e) < 0) {
			fclose(f);
			vm_err_prefix(e, "%s:%lu: ", path, lineno);
			return -1;
		}
		good++;
	}
	if (ferror(f)) {
		fclose(f);
		return vm_fail(e, VM_EIO, "%s: read error", path);
	}
	fclose(f);
	if (!good)
		return vm_fail(e, VM_EFORMAT, "%s: not a System.map (%lu lines, none "
			       "of the form \"ADDRESS TYPE NAME\")", path, lineno);
	vm_symtab_apply_slide(st, first, slide);
	vm_symtab_set_source(st, VM_SYMSRC_SYSMAP);
	(void)bad;
	return 0;
}
