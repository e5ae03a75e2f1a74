// SPDX-License-Identifier: GPL-2.0-or-later
#include "opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *vm_opt_get(const struct vm_opts *o, const char *key)
{
	unsigned i;

	if (!o)
		return NULL;
	for (i = o->nr_ov; i-- > 0;)
		if (!strcmp(o->ov[i].key, key))
			return o->ov[i].value;
	return NULL;
}

bool vm_opt_has(const struct vm_opts *o, const char *key)
{
	return vm_opt_get(o, key) != NULL;
}

int vm_opt_u64(const struct vm_opts *o, const char *key, uint64_t *out)
{
	const char *s = vm_opt_get(o, key);
	char *end;
	unsigned long long v;

	if (!s)
		return 0;
	if (!*s)
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 1;
}
