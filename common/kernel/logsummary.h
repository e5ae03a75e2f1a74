/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What vmsys wants from the kernel log: the panic line and the uptime. */
#ifndef VM_LOGSUMMARY_H
#define VM_LOGSUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

struct vm_printk_summary {
	uint64_t last_ts_nsec;     /* timestamp of the last record */
	bool have_last_ts;
	char panic[160];           /* the line crash's sys shows as PANIC */
	uint64_t nr_records;
};

int vm_printk_summary(struct vm_kernel *k, struct vm_printk_summary *ps,
		      struct vm_err *e);

#endif
