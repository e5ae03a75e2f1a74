/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to common/dump/: what each format reader implements. */
#ifndef VM_DUMP_IMPL_H
#define VM_DUMP_IMPL_H

#include "dump.h"

struct vm_dump_ops {
	/* Read one whole page (info.page_size bytes) of pfn into buf.
	 * VM_ENOPAGE for excluded/absent pages. */
	int (*read_page)(struct vm_dump *d, uint64_t pfn, void *buf,
			 struct vm_err *e);
	int (*pfn_present)(struct vm_dump *d, uint64_t pfn, struct vm_err *e);
	void (*close)(struct vm_dump *d);
};
#endif
