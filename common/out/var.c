// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's p for one variable (see var.h).
 */
#include "var.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../caps.h"
#include "value.h"

/* One value at addr, after prefix. */
static int one(FILE *f, struct vm_json *j, const struct vm_var *v, uint64_t addr, int cpu,
	       const char *prefix, const struct vm_value_env *env, unsigned vflags,
	       struct vm_err *e)
{
	uint8_t *buf;
	int rc;

	if (v->size > VM_VALUE_SIZE_MAX)
		return vm_fail(e, VM_ENOMEM, "%s is %" PRIu64 " bytes", v->name, v->size);
	buf = vm_malloc(v->size ? (size_t)v->size : 1, e);
	if (!buf)
		return -1;
	if (env->read(env->ctx, addr, buf, (size_t)v->size, e) < 0) {
		vm_err_prefix(e, "%s%s%s at %#" PRIx64 ": ", v->name, *v->path ? "." : "",
			      v->path, addr);
		free(buf);
		return -1;
	}
	if (j) {
		char tname[256];
		struct vm_err te;

		vm_json_begin(j);
		vm_json_kstr(j, "name", v->name);
		if (*v->path)
			vm_json_kstr(j, "member", v->path);
		if (cpu >= 0)
			vm_json_ki64(j, "cpu", cpu);
		vm_json_khex(j, "address", addr);
		if (vm_type_name(v->ts, v->type, NULL, tname, sizeof(tname), &te) >= 0)
			vm_json_kstr(j, "type", tname);
		vm_json_key(j, "value");
		rc = vm_out_value_json(j, v->ts, v->type, buf, (size_t)v->size, v->bit_off,
				       v->bit_size, e);
		if (vm_json_end(j) < 0 && rc == 0)
			rc = vm_fail(e, VM_EINVAL, "%s", vm_json_why(j));
	} else if (v->bit_size) {
		uint64_t val;

		rc = vm_value_scalar(v->ts, v->type, buf, (size_t)v->size, v->bit_off, v->bit_size,
				     &val, e);
		if (rc == 0)
			fprintf(f, (vflags & VM_VPRINT_HEX) ? "%s%#" PRIx64 "\n" : "%s%" PRIu64 "\n",
				prefix, val);
	} else {
		fputs(prefix, f);
		rc = vm_value_print(v->ts, f, v->type, addr, buf, (size_t)v->size, env, vflags, 0, e);
		fputc('\n', f);
	}
	free(buf);
	return rc;
}

static int percpu_addresses(FILE *f, struct vm_json *j, const struct vm_var *v,
			    const struct vm_percpu *pc, struct vm_err *e)
{
	char decl[512];
	uint64_t addr;
	unsigned cpu;
	struct vm_err ce;

	if (vm_type_name(v->ts, v->type, *v->path ? v->path : v->name, decl, sizeof(decl), e) < 0)
		return -1;
	if (j) {
		vm_json_begin(j);
		vm_json_kstr(j, "name", v->name);
		if (*v->path)
			vm_json_kstr(j, "member", v->path);
		vm_json_kstr(j, "percpu_type", decl);
		vm_json_key(j, "addresses");
		vm_json_arr_begin(j);
	} else {
		fprintf(f, "PER-CPU DATA TYPE:\n  %s;\nPER-CPU ADDRESSES:\n", decl);
	}
	for (cpu = 0; cpu < pc->nr_cpu_ids; cpu++) {
		if (vm_var_addr(v, pc, cpu, &addr, &ce) < 0)
			continue;
		if (j) {
			vm_json_obj_begin(j);
			vm_json_ku64(j, "cpu", cpu);
			vm_json_khex(j, "address", addr);
			vm_json_obj_end(j);
		} else {
			fprintf(f, "  [%u]: %" PRIx64 "\n", cpu, addr);
		}
	}
	if (j) {
		vm_json_arr_end(j);
		if (vm_json_end(j) < 0)
			return vm_fail(e, VM_EINVAL, "%s", vm_json_why(j));
	}
	return 0;
}

int vm_out_var(FILE *f, struct vm_json *j, const struct vm_var *v,
	       const struct vm_percpu *pc, int cpu, const struct vm_value_env *env,
	       unsigned vflags, struct vm_err *e)
{
	char prefix[VM_VAR_NAME_MAX + 256];
	uint64_t addr;
	unsigned c, from, to;
	int rc = 0;

	if (!v->percpu) {
		if (vm_var_addr(v, NULL, 0, &addr, e) < 0)
			return -1;
		/* crash names the variable for a plain p VAR only */
		if (*v->path || (vflags & VM_VPRINT_HEX))
			prefix[0] = '\0';
		else
			snprintf(prefix, sizeof(prefix), "%s = ", v->name);
		return one(f, j, v, addr, -1, prefix, env, vflags, e);
	}
	if (!pc)
		return vm_fail(e, VM_EINVAL, "%s: a per-CPU variable, and no per-CPU areas", v->name);
	if (cpu == VM_VAR_NO_CPU)
		return percpu_addresses(f, j, v, pc, e);
	if (cpu >= 0 && (unsigned)cpu >= pc->nr_cpu_ids)
		return vm_fail(e, VM_EINVAL, "CPU %d: there are %u (nr_cpu_ids)", cpu,
			       pc->nr_cpu_ids);
	from = cpu >= 0 ? (unsigned)cpu : 0;
	to = cpu >= 0 ? (unsigned)cpu + 1 : pc->nr_cpu_ids;
	for (c = from; c < to; c++) {
		struct vm_err ce;

		if (vm_var_addr(v, pc, c, &addr, &ce) < 0) {
			if (cpu >= 0) {
				*e = ce;
				return -1;
			}
			continue;    /* all CPUs: the ones whose area is known */
		}
		snprintf(prefix, sizeof(prefix), "per_cpu(%s, %u)%s%s = ", v->name, c,
			 *v->path ? "." : "", v->path);
		if (one(f, j, v, addr, (int)c, prefix, env, vflags, &ce) < 0 && !rc) {
			*e = ce;
			rc = -1;
		}
	}
	return rc;
}
