// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of supported architectures, by ELF e_machine. */
#include "arch.h"

#include <stddef.h>

#include "arm64.h"
#include "x86_64.h"

static const struct vm_arch *const arches[] = {
	&vm_arch_x86_64,
	&vm_arch_arm64,
};

const struct vm_arch *vm_arch_by_machine(uint16_t e_machine)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i]->e_machine == e_machine)
			return arches[i];
	return NULL;
}
