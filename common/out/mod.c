// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash's mod table (see mod.h).
 */
#include "mod.h"

#include <inttypes.h>
#include <string.h>

#include "../vmcore.h"

/* crash's mkstring(CENTER|LJUST) of a 16-wide address column */
static void centered(FILE *f, const char *s, int width)
{
	int len = (int)strlen(s), left = (width - len) / 2;

	fprintf(f, "%*s%s%*s", left, "", s, width - len - left, "");
}

static void build_id_hex(const struct vm_module *m, char *buf, size_t len)
{
	unsigned i;

	if (!m->build_id_len) {
		snprintf(buf, len, "-");
		return;
	}
	for (i = 0; i < m->build_id_len && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", m->build_id[i]);
}

static void json_module(struct vm_json *j, const struct vm_module *m)
{
	char buf[2 * VM_MOD_BUILD_ID_MAX + 1], taints[32];
	unsigned i;

	vm_json_begin(j);
	vm_json_khex(j, "module", m->addr);
	vm_json_kstr(j, "name", m->name);
	vm_json_khex(j, "base", m->base);
	vm_json_ku64(j, "size", m->size);
	vm_json_kstr(j, "state", vm_module_state_name(m->state));
	vm_module_taint_str(m, taints, sizeof(taints));
	vm_json_kstr(j, "taints", taints);
	vm_json_key(j, "build_id");
	if (m->build_id_len) {
		build_id_hex(m, buf, sizeof(buf));
		vm_json_str(j, buf);
	} else {
		vm_json_null(j);
	}
	vm_json_kstr(j, "srcversion", m->srcversion);
	vm_json_kstr(j, "version", m->version);
	vm_json_key(j, "regions");
	vm_json_arr_begin(j);
	for (i = 0; i < m->nr_regions; i++) {
		vm_json_obj_begin(j);
		vm_json_kstr(j, "what", m->regions[i].what);
		vm_json_khex(j, "base", m->regions[i].base);
		vm_json_ku64(j, "size", m->regions[i].size);
		vm_json_obj_end(j);
	}
	vm_json_arr_end(j);
	vm_json_key(j, "object");
	if (m->ko_path)
		vm_json_str(j, m->ko_path);
	else
		vm_json_null(j);
	if (m->err[0])
		vm_json_kstr(j, "error", m->err);
	vm_json_end(j);
}

void vm_out_modules(FILE *f, struct vm_json *j, const struct vm_modlist *ml, bool header)
{
	int namew = 4, sizew = 4, taintw = 6;
	char buf[64], taints[32];
	size_t i;

	if (j) {
		for (i = 0; i < ml->n; i++)
			json_module(j, &ml->mods[i]);
		return;
	}
	for (i = 0; i < ml->n; i++) {
		const struct vm_module *m = &ml->mods[i];
		int n;

		if ((int)strlen(m->name) > namew)
			namew = (int)strlen(m->name);
		n = snprintf(buf, sizeof(buf), "%" PRIu64, m->size);
		if (n > sizew)
			sizew = n;
		vm_module_taint_str(m, taints, sizeof(taints));
		if ((int)strlen(taints) > taintw)
			taintw = (int)strlen(taints);
	}
	if (header) {
		centered(f, "MODULE", 16);
		fprintf(f, "  %-*s  ", namew, "NAME");
		centered(f, "BASE", 16);
		fprintf(f, "  %*s  %-9s  %-*s  %-40s  OBJECT FILE\n", sizew, "SIZE", "STATE",
			taintw, "TAINTS", "BUILD-ID");
	}
	for (i = 0; i < ml->n; i++) {
		const struct vm_module *m = &ml->mods[i];
		char bid[2 * VM_MOD_BUILD_ID_MAX + 1];

		vm_module_taint_str(m, taints, sizeof(taints));
		build_id_hex(m, bid, sizeof(bid));
		fprintf(f, "%16" PRIx64 "  %-*s  %16" PRIx64 "  %*" PRIu64 "  %-9s  %-*s  %-40s  %s\n",
			m->addr, namew, m->name, m->base, sizew, m->size,
			vm_module_state_name(m->state), taintw, taints[0] ? taints : "-", bid,
			m->ko_path ? m->ko_path : "-");
	}
}

void vm_module_taint_str(const struct vm_module *m, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (m->have_taints)
		vm_format_taint(m->taints, buf, len);
}
