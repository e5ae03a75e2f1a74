// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's list / tree output (see walk.h).
 */
#include "walk.h"

#include <inttypes.h>
#include <stdlib.h>

#include "../caps.h"
#include "value.h"

static int member(FILE *f, struct vm_json *j, struct vm_types *ts, const struct vm_type *t,
		  uint64_t entry, const char *path, const struct vm_value_env *env,
		  unsigned vflags, struct vm_err *e)
{
	struct vm_member_loc loc;
	uint64_t size, off;
	uint8_t *buf;
	int rc;

	if (vm_type_member_path(ts, t, path, &loc, e) < 0 ||
	    vm_type_size(ts, loc.type, &size, e) < 0)
		return -1;
	off = loc.bit_offset / 8;
	if (loc.bit_size)
		size = (loc.bit_offset % 8 + loc.bit_size + 7) / 8;
	if (size > VM_VALUE_SIZE_MAX)
		return vm_fail(e, VM_ENOMEM, "member %s is %" PRIu64 " bytes", path, size);
	buf = vm_malloc(size ? (size_t)size : 1, e);
	if (!buf)
		return -1;
	if (env->read(env->ctx, entry + off, buf, (size_t)size, e) < 0) {
		free(buf);
		return -1;
	}
	if (j) {
		vm_json_key(j, path);
		rc = vm_out_value_json(j, ts, loc.type, buf, (size_t)size, loc.bit_offset % 8,
				       loc.bit_size, e);
	} else if (loc.bit_size) {
		uint64_t v;

		rc = vm_value_scalar(ts, loc.type, buf, (size_t)size, loc.bit_offset % 8,
				     loc.bit_size, &v, e);
		if (rc == 0)
			fprintf(f, (vflags & VM_VPRINT_HEX) ? "  %s = %#" PRIx64 ",\n"
							    : "  %s = %" PRIu64 ",\n", path, v);
	} else {
		fprintf(f, "  %s = ", path);
		rc = vm_value_print(ts, f, loc.type, entry + off, buf, (size_t)size, env, vflags,
				    1, e);
		fputs(",\n", f);
	}
	free(buf);
	return rc;
}

int vm_out_entries(FILE *f, struct vm_json *j, struct vm_entries *w, struct vm_types *ts,
		   const struct vm_type *t, char *const *members, unsigned n,
		   const struct vm_value_env *env, unsigned vflags, struct vm_err *e)
{
	uint64_t entry, index;
	unsigned i;
	int r;

	while ((r = vm_entries_next(w, &entry, &index, e)) == 1) {
		if (j) {
			vm_json_begin(j);
			vm_json_ku64(j, "index", index);
			vm_json_khex(j, "address", entry);
		} else {
			fprintf(f, "%" PRIx64 "\n", entry);
		}
		for (i = 0; i < n; i++)
			if (member(f, j, ts, t, entry, members[i], env, vflags, e) < 0) {
				if (j)
					vm_json_discard(j);
				vm_err_prefix(e, "entry %#" PRIx64 ": ", entry);
				return -1;
			}
		if (j && vm_json_end(j) < 0)
			return vm_fail(e, VM_EINVAL, "entry %#" PRIx64 ": %s", entry, vm_json_why(j));
	}
	return r < 0 ? -1 : 0;
}
