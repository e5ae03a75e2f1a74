// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmlinux .symtab -> the symbol table, through the ELF layer
 * (elf/elffile.h): the symbols System.map would list, with sizes.
 */
#include "symtab_impl.h"

#include <string.h>

#include "../elf/elffile.h"

/* scripts/mksysmap drops these (v2.6 .. v6.1). */
static bool sysmap_wants(const char *name, char type)
{
	if (!*name || strchr("aNUwnv?", type))
		return false;
	return name[0] != '$' && strncmp(name, ".L", 2) && strncmp(name, "__crc_", 6) &&
	       strncmp(name, "__kstrtab_", 10) && strncmp(name, "__kstrtabns_", 12) &&
	       strcmp(name, "L0");
}

struct add_ctx {
	struct vm_symtab *st;
	struct vm_err *e;
};

static int add_sym(void *arg, const char *name, uint64_t value, uint64_t size,
		   char type, unsigned shndx, const char *secname)
{
	struct add_ctx *c = arg;

	if (!sysmap_wants(name, type))
		return 0;
	return vm_symtab_add(c->st, value, size, type, name, NULL, c->e);
}

int vm_symtab_load_elf(struct vm_symtab *st, const char *vmlinux, uint64_t slide,
		       struct vm_err *e)
{
	size_t first = vm_symtab_count(st);
	struct vm_elffile *ef = vm_elffile_open(vmlinux, e);
	struct add_ctx c = { st, e };
	int r;

	if (!ef)
		return -1;
	r = vm_elffile_each_symbol(ef, add_sym, &c, e);
	vm_elffile_close(ef);
	if (r < 0)
		return -1;
	vm_symtab_apply_slide(st, first, slide);
	vm_symtab_set_source(st, VM_SYMSRC_VMLINUX);
	return 0;
}
