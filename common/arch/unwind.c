// SPDX-License-Identifier: GPL-2.0-or-later
/* Arch-neutral helpers of the unwind interface (unwind.h). */
#include "unwind.h"

#include <stdlib.h>

void vm_unwind_res_free(struct vm_unwind_res *res)
{
	if (!res)
		return;
	free(res->frames);
	res->frames = NULL;
	res->n = res->cap = 0;
}
