/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside modko*.c: the open .ko and the helpers its files share. */
#ifndef VM_MODKO_IMPL_H
#define VM_MODKO_IMPL_H

#include "modko.h"

#include <stdbool.h>

#include "../elf/elffile.h"

struct vm_modko {
	struct vm_kernel *k;
	const struct vm_module *m;
	char *path;
	struct vm_elffile *elf;      /* sections placed; code and tables */
	unsigned nsec;
	uint64_t *place;             /* run-time address per section */
	uint8_t **reloc;             /* relocated copies of alloc sections */
	struct vm_lines *lines;
	bool lines_tried;
	struct vm_err lines_err;
	char match[160];
};

/* The whole file, decompressed by its magic (xz, zstd, gzip or plain);
 * *buf malloc'd. */
int vm_modko_slurp(const char *path, uint8_t **buf, size_t *size, struct vm_err *e);

/* One .symtab entry of the image. */
struct vm_kosym {
	const char *name;
	uint64_t value, size;
	unsigned shndx;
	uint8_t bind, type;
};

/* The file's symbol table: count, and entry i (false if unreadable). */
size_t vm_modko_nsyms(struct vm_elffile *f);
bool vm_modko_sym(struct vm_elffile *f, size_t i, struct vm_kosym *s);

/* The .ko opened and its sections placed where the module has them. */
struct vm_elffile *vm_modko_open_placed(struct vm_modko *ko, struct vm_err *e);

#endif
