// SPDX-License-Identifier: GPL-2.0-or-later
#include "logsummary.h"

#include <stdio.h>
#include <string.h>

#include "printk.h"

int vm_printk_summary(struct vm_kernel *k, struct vm_printk_summary *ps,
		      struct vm_err *e)
{
	struct vm_printk *p;
	const char *line;
	size_t len;

	memset(ps, 0, sizeof(*ps));
	p = vm_printk_open_kernel(k, 0, e);
	if (!p)
		return -1;
	ps->nr_records = vm_printk_count(p);
	if (vm_printk_uptime(p, &ps->last_ts_nsec) == 0)
		ps->have_last_ts = true;
	if (vm_printk_panic_line(p, &line, &len) == 1) {
		if (len >= sizeof(ps->panic))
			len = sizeof(ps->panic) - 1;
		memcpy(ps->panic, line, len);
		ps->panic[len] = '\0';
	}
	vm_printk_close(p);
	return 0;
}
