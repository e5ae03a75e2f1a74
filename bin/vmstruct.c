// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmstruct — crash's `struct`: type layouts and typed values of a crash dump.
 *
 *   vmstruct DUMP TYPE                 the definition (crash "struct TYPE")
 *   vmstruct -o DUMP TYPE              with member offsets and SIZE
 *   vmstruct --flat DUMP TYPE          OFFSET SIZE TYPE NAME, one per line
 *   vmstruct DUMP TYPE ADDRESS         the value at ADDRESS (hex, SYMBOL,
 *                                      SYMBOL+OFF)
 *   vmstruct -m a,b.c DUMP TYPE ADDR   only those members
 *   vmstruct -c N DUMP TYPE ADDR       N consecutive values
 * TYPE is "task_struct", "struct task_struct", "union rcu_special",
 * "enum pid_type", a typedef, or TYPE.member,member as crash takes it.
 *
 * Types come from DWARF (-k / a found vmlinux), else the vmlinux's .BTF,
 * else BTF read from the dump; module types from -M DIR's .ko files.
 *
 * Exit status: 0 ok; 1 the type or the memory could not be had (what was
 * readable is printed, the reason on stderr); 2 usage.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "out/cli.h"
#include "out/json.h"
#include "rd.h"
#include "symbols/symbols.h"
#include "types/types.h"

#define OPT_FLAT 0x2000
#define OPT_OFFSETS 0x2001
/* -c: more values than this is a typo, not a question */
#define MAX_COUNT 1000000
#define MAX_MEMBERS 256
/* a symbol of unknown size covers at most this much after it */
#define UNSIZED_SPAN 0x10000

static const char usage[] =
	"Usage: vmstruct [options] DUMP TYPE [ADDRESS|SYMBOL[+OFFSET]]\n"
	"       vmstruct [options] DUMP struct|union|enum NAME [ADDRESS]\n"
	"Print a kernel type's layout, or the value of one at an address, like\n"
	"crash's `struct`.\n"
	"  TYPE                   task_struct, \"struct page\", \"union rcu_special\",\n"
	"                         \"enum pid_type\", a typedef; TYPE.m1,m2 selects\n"
	"                         members as crash does\n"
	"  ADDRESS                hex kernel address (0x optional), a symbol, or\n"
	"                         SYMBOL+OFFSET\n"
	"  -o, --offsets          show each member's offset and the SIZE (crash -o)\n"
	"      --flat             OFFSET SIZE TYPE NAME per member (tab separated,\n"
	"                         nested members as a.b.c), for awk\n"
	"  -m, --members LIST     comma-separated members to print (se.vruntime,\n"
	"                         pids[1])\n"
	"  -c, --count N          N consecutive values from ADDRESS\n"
	"  -x, --hex              integers in hex\n"
	"  -d, --decimal          integers in decimal (the default), pointers too\n";

struct ctx {
	struct vm_cli *c;
	struct vm_kernel *k;
	struct vm_types *ts;
	struct vm_mem *mem;
	struct vm_symtab *st;
	bool st_tried;
	unsigned vflags;
	struct vm_json j;
};

/* ---- memory and symbols for the value printer ---- */

static int read_cb(void *p, uint64_t addr, void *buf, size_t len, struct vm_err *e)
{
	struct ctx *x = p;

	return vm_kread(x->mem, addr, buf, len, e);
}

static int sym_cb(void *p, uint64_t addr, char *buf, size_t n)
{
	struct ctx *x = p;
	const struct vm_sym *s;
	uint64_t off;
	struct vm_err e;

	/* only kernel-half addresses: small values are not pointers into
	 * the kernel (and would hit per-CPU symbols, which start at 0) */
	if (!(addr >> 63))
		return 0;
	if (!x->st_tried) {
		x->st_tried = true;
		x->st = vm_kernel_symtab(x->k, &e);
	}
	if (!x->st)
		return 0;
	s = vm_sym_by_addr(x->st, addr, &off);
	if (!s || (s->size ? off >= s->size : off >= UNSIZED_SPAN))
		return 0;
	/* a vmlinux symbol table has sizes: a size-0 symbol there is a
	 * linker marker (_sdata, __end_rodata_aligned), which gdb and crash
	 * do not name pointers after */
	if (!s->size && !s->module && vm_symtab_source(x->st) == VM_SYMSRC_VMLINUX)
		return 0;
	if (off)
		snprintf(buf, n, "%s+%" PRIu64, s->name, off);
	else
		snprintf(buf, n, "%s", s->name);
	return 1;
}

/* ---- arguments ---- */

/* ADDRESS, SYMBOL or SYMBOL+OFFSET (OFFSET decimal or 0x hex). */
static int resolve_addr(struct ctx *x, const char *arg, uint64_t *addr,
			struct vm_err *e)
{
	char name[512];
	const char *plus = strchr(arg, '+');
	uint64_t off = 0, v, sa;
	struct vm_err se;

	/* a hex word is an address unless a symbol has that name ("dead") */
	if (!plus && vm_cli_parse_hex(arg, &v)) {
		if (strncmp(arg, "0x", 2) && vm_kernel_symbol(x->k, arg, &sa, &se) == 0)
			v = sa;
		*addr = v;
		return 0;
	}
	if (plus) {
		char *end;

		errno = 0;
		off = strtoull(plus + 1, &end, 0);
		if (errno || end == plus + 1 || *end)
			return vm_fail(e, VM_EINVAL, "bad offset in %s", arg);
		if ((size_t)(plus - arg) >= sizeof(name))
			return vm_fail(e, VM_EINVAL, "symbol name too long");
		memcpy(name, arg, (size_t)(plus - arg));
		name[plus - arg] = 0;
	} else {
		snprintf(name, sizeof(name), "%s", arg);
	}
	if (vm_cli_parse_hex(name, addr) && !strncmp(name, "0x", 2)) {
		*addr += off;
		return 0;
	}
	if (vm_kernel_symbol(x->k, name, addr, e) < 0)
		return -1;
	*addr += off;
	return 0;
}

/* ---- JSON ---- */

static int json_value(struct ctx *x, const struct vm_type *t, const uint8_t *buf,
		      size_t len, uint64_t bitoff, uint32_t bitsize, int depth,
		      struct vm_err *e);

static int json_members(struct ctx *x, const struct vm_type *s, const uint8_t *buf,
			size_t len, uint64_t bitoff, int depth, struct vm_err *e)
{
	unsigned i;

	for (i = 0; i < s->nmembers; i++) {
		const struct vm_member *m = &s->members[i];
		const struct vm_type *mt = vm_member_type(x->ts, m, e), *ms;

		if (!mt || !(ms = vm_type_strip(x->ts, mt, e)))
			return -1;
		if (!m->name) {
			/* anonymous members merge into the enclosing object */
			if ((ms->kind == VM_TYPE_STRUCT || ms->kind == VM_TYPE_UNION) &&
			    json_members(x, ms, buf, len, bitoff + m->bit_offset, depth + 1, e) < 0)
				return -1;
			continue;
		}
		vm_json_key(&x->j, m->name);
		if (json_value(x, mt, buf, len, bitoff + m->bit_offset, m->bit_size,
			       depth + 1, e) < 0)
			return -1;
	}
	return 0;
}

static int json_value(struct ctx *x, const struct vm_type *t, const uint8_t *buf,
		      size_t len, uint64_t bitoff, uint32_t bitsize, int depth,
		      struct vm_err *e)
{
	const struct vm_type *s = vm_type_strip(x->ts, t, e);
	uint64_t v, esz, i;

	if (!s)
		return -1;
	if (depth > 48)
		return vm_fail(e, VM_EFORMAT, "values nest too deeply");
	s = vm_type_complete(x->ts, s);
	switch (s->kind) {
	case VM_TYPE_INT: case VM_TYPE_ENUM: case VM_TYPE_PTR:
		if (vm_value_scalar(x->ts, s, buf, len, bitoff, bitsize, &v, e) < 0)
			return -1;
		if (s->kind == VM_TYPE_PTR) {
			vm_json_hex(&x->j, v);
		} else if (s->kind == VM_TYPE_ENUM && vm_enum_name(s, (int64_t)v)) {
			vm_json_str(&x->j, vm_enum_name(s, (int64_t)v));
		} else if (s->flags & VM_TF_BOOL) {
			vm_json_bool(&x->j, v != 0);
		} else if (s->flags & VM_TF_SIGNED) {
			vm_json_i64(&x->j, (int64_t)v);
		} else {
			vm_json_u64(&x->j, v);
		}
		return 0;
	case VM_TYPE_ARRAY: {
		const struct vm_type *el = vm_type_target(x->ts, s, e), *els;

		if (!el || vm_type_size(x->ts, el, &esz, e) < 0 ||
		    !(els = vm_type_strip(x->ts, el, e)))
			return -1;
		if (bitoff % 8 || bitoff / 8 > len ||
		    (esz && s->nelems > (len - bitoff / 8) / esz))
			return vm_fail(e, VM_EINVAL, "array outside the value");
		if (els->kind == VM_TYPE_INT && (els->flags & VM_TF_CHAR) && esz == 1) {
			const char *p = (const char *)buf + bitoff / 8;

			vm_json_strn(&x->j, p, strnlen(p, (size_t)s->nelems));
			return 0;
		}
		vm_json_arr_begin(&x->j);
		for (i = 0; i < s->nelems; i++)
			if (json_value(x, el, buf, len, bitoff + i * esz * 8, 0, depth + 1, e) < 0)
				return -1;
		vm_json_arr_end(&x->j);
		return 0;
	}
	case VM_TYPE_STRUCT: case VM_TYPE_UNION:
		vm_json_obj_begin(&x->j);
		if (!(s->flags & VM_TF_DECL) &&
		    json_members(x, s, buf, len, bitoff, depth, e) < 0)
			return -1;
		vm_json_obj_end(&x->j);
		return 0;
	case VM_TYPE_FLOAT:
		/* the dump's kernels (x86_64, arm64) are little-endian */
		if (s->size == 8 && bitoff % 8 == 0 && bitoff / 8 + 8 <= len) {
			vm_json_double(&x->j, vm_rdf64(buf + bitoff / 8, true));
		} else if (s->size == 4 && bitoff % 8 == 0 && bitoff / 8 + 4 <= len) {
			vm_json_double(&x->j, vm_rdf32(buf + bitoff / 8, true));
		} else {
			vm_json_null(&x->j);
		}
		return 0;
	default:
		vm_json_null(&x->j);
		return 0;
	}
}

/* ---- layouts ---- */

static int json_layout(struct ctx *x, const struct vm_type *t, const char *prefix,
		       uint64_t base, int depth, struct vm_err *e)
{
	const struct vm_type *s = vm_type_strip(x->ts, t, e);
	unsigned i;

	if (!s)
		return -1;
	s = vm_type_complete(x->ts, s);
	if (depth > 32)
		return vm_fail(e, VM_EFORMAT, "members nest too deeply");
	for (i = 0; i < s->nmembers; i++) {
		const struct vm_member *m = &s->members[i];
		const struct vm_type *mt = vm_member_type(x->ts, m, e), *ms;
		char name[1024], tname[1024];
		uint64_t size = 0, bits = base + m->bit_offset;

		if (!mt || !(ms = vm_type_strip(x->ts, mt, e)))
			return -1;
		ms = vm_type_complete(x->ts, ms);
		if (!m->name) {
			if ((ms->kind == VM_TYPE_STRUCT || ms->kind == VM_TYPE_UNION) &&
			    json_layout(x, ms, prefix, bits, depth + 1, e) < 0)
				return -1;
			continue;
		}
		snprintf(name, sizeof(name), "%s%s", prefix, m->name);
		if (vm_type_name(x->ts, mt, NULL, tname, sizeof(tname), e) < 0)
			return -1;
		if (vm_type_size(x->ts, mt, &size, e) < 0)
			size = 0;
		vm_json_begin(&x->j);
		vm_json_kstr(&x->j, "name", name);
		vm_json_ku64(&x->j, "offset", bits / 8);
		vm_json_ku64(&x->j, "size", size);
		vm_json_kstr(&x->j, "type", tname);
		if (m->bit_size) {
			vm_json_ku64(&x->j, "bit_offset", bits);
			vm_json_ku64(&x->j, "bit_size", m->bit_size);
		}
		vm_json_end(&x->j);
		if (ms->kind == VM_TYPE_STRUCT || ms->kind == VM_TYPE_UNION) {
			char sub[1100];

			snprintf(sub, sizeof(sub), "%s.", name);
			if (json_layout(x, ms, sub, bits, depth + 1, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- values ---- */

static int print_members(struct ctx *x, const struct vm_type *t, uint64_t addr,
			 const uint8_t *buf, size_t len, char **members,
			 unsigned nmembers, const struct vm_value_env *env,
			 struct vm_err *e)
{
	unsigned i;

	if (x->c->opts.json) {
		vm_json_key(&x->j, "members");
		vm_json_obj_begin(&x->j);
	}
	for (i = 0; i < nmembers; i++) {
		struct vm_member_loc loc;

		if (vm_type_member_path(x->ts, t, members[i], &loc, e) < 0)
			return -1;
		if (x->c->opts.json) {
			vm_json_key(&x->j, members[i]);
			if (json_value(x, loc.type, buf, len, loc.bit_offset, loc.bit_size, 0, e) < 0)
				return -1;
			continue;
		}
		printf("  %s = ", members[i]);
		if (loc.bit_size || loc.bit_offset % 8) {
			uint64_t v;

			if (vm_value_scalar(x->ts, loc.type, buf, len, loc.bit_offset,
					    loc.bit_size, &v, e) < 0)
				return -1;
			printf(x->vflags & VM_VPRINT_HEX ? "0x%" PRIx64 : "%" PRIu64, v);
		} else {
			uint64_t off = loc.bit_offset / 8;

			if (vm_value_print(x->ts, stdout, loc.type, addr + off, buf + off,
					   len - off, env, x->vflags, 1, e) < 0)
				return -1;
		}
		printf(",\n");
	}
	if (x->c->opts.json)
		vm_json_obj_end(&x->j);
	return 0;
}

static int print_values(struct ctx *x, const struct vm_type *t, const char *tname,
			uint64_t addr, uint64_t count, char **members,
			unsigned nmembers, struct vm_err *e)
{
	struct vm_value_env env = { x, read_cb, sym_cb };
	uint64_t size, i;
	uint8_t *buf;
	int rc = 0;

	if (vm_type_size(x->ts, t, &size, e) < 0)
		return -1;
	if (size == 0)
		return vm_fail(e, VM_EINVAL, "%s has no size", tname);
	if (size > VM_ALLOC_CAP)
		return vm_fail(e, VM_ENOMEM, "%s is %" PRIu64 " bytes", tname, size);
	x->mem = vm_kernel_mem(x->k, e);
	if (!x->mem)
		return -1;
	buf = vm_malloc((size_t)size, e);
	if (!buf)
		return -1;
	for (i = 0; i < count; i++) {
		uint64_t a = addr + i * size;

		if (vm_kread(x->mem, a, buf, (size_t)size, e) < 0) {
			rc = -1;
			break;
		}
		if (x->c->opts.json) {
			vm_json_begin(&x->j);
			vm_json_kstr(&x->j, "type", tname);
			vm_json_khex(&x->j, "address", a);
			if (nmembers) {
				rc = print_members(x, t, a, buf, (size_t)size, members,
						   nmembers, &env, e);
			} else {
				vm_json_key(&x->j, "value");
				rc = json_value(x, t, buf, (size_t)size, 0, 0, 0, e);
			}
			vm_json_end(&x->j);
			if (rc < 0)
				break;
			continue;
		}
		if (i)
			putchar('\n');
		if (nmembers) {
			rc = print_members(x, t, a, buf, (size_t)size, members, nmembers,
					   &env, e);
		} else {
			printf("%s ", tname);
			rc = vm_value_print(x->ts, stdout, t, a, buf, (size_t)size, &env,
					    x->vflags, 0, e);
			putchar('\n');
		}
		if (rc < 0)
			break;
	}
	free(buf);
	return rc;
}

/* The bare override keys (no "=value") the library knows. */
static bool override_arg(const char *a)
{
	static const char *const bare[] = { "nocache", "nodwarf", "novmcoreinfo" };
	size_t i;

	if (!a)
		return false;
	if (strchr(a, '=') && a[0] != '=')
		return true;
	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (!strcmp(a, bare[i]))
			return true;
	return false;
}

/* "task_struct.pid,comm" -> type "task_struct" + members */
static unsigned split_members(char *list, char **out, unsigned max)
{
	unsigned n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(list, ",", &save); tok && n < max;
	     tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		if (*tok)
			out[n++] = tok;
	}
	return n;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "offsets", no_argument, NULL, OPT_OFFSETS },
		{ "flat", no_argument, NULL, OPT_FLAT },
		{ "members", required_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'c' },
		{ "hex", no_argument, NULL, 'x' },
		{ "decimal", no_argument, NULL, 'd' },
		VM_CLI_LONG,
		{ NULL, 0, NULL, 0 },
	};
	struct vm_cli c = { .prog = "vmstruct", .usage = usage };
	struct ctx x = { 0 };
	struct vm_err e = { 0 };
	char *members[MAX_MEMBERS], *mlist = NULL, *tname_arg, *dot;
	char typebuf[512], tname[1024];
	const char *addr_arg = NULL;
	const struct vm_type *t;
	unsigned nmembers = 0;
	uint64_t count = 1, addr = 0;
	bool offsets = false, flat = false, have_count = false;
	int opt, rc = VM_EXIT_OK;

	/* "-o" is crash's offsets flag here as well as the shared "-o
	 * key=value": it is the flag unless a key=value or a bare key follows */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-o") && !override_arg(argv[i + 1]))
			argv[i] = "--offsets";
	while ((opt = getopt_long(argc, argv, "m:c:xd" VM_CLI_SHORT, longopts, NULL)) != -1) {
		char *end;

		switch (opt) {
		case OPT_OFFSETS:
			offsets = true;
			break;
		case OPT_FLAT:
			flat = true;
			break;
		case 'm':
			mlist = optarg;
			break;
		case 'c':
			errno = 0;
			count = strtoull(optarg, &end, 0);
			if (errno || *end || count == 0 || count > MAX_COUNT)
				vm_cli_usage_error(&c, "-c wants a count from 1 to %d, not '%s'",
						   MAX_COUNT, optarg);
			have_count = true;
			break;
		case 'x':
			x.vflags = (x.vflags & ~(unsigned)VM_VPRINT_DEC) | VM_VPRINT_HEX;
			break;
		case 'd':
			x.vflags = x.vflags & ~(unsigned)VM_VPRINT_HEX;
			break;
		default:
			if (!vm_cli_common(&c, opt, optarg))
				vm_cli_usage_error(&c, "unknown option");
		}
	}
	if (optind >= argc)
		vm_cli_usage_error(&c, "no DUMP given");
	c.opts.dump_path = argv[optind++];
	if (optind >= argc)
		vm_cli_usage_error(&c, "no TYPE given");
	tname_arg = argv[optind++];
	if ((!strcmp(tname_arg, "struct") || !strcmp(tname_arg, "union") ||
	     !strcmp(tname_arg, "enum")) && optind < argc) {
		snprintf(typebuf, sizeof(typebuf), "%s %s", tname_arg, argv[optind++]);
		tname_arg = typebuf;
	} else {
		snprintf(typebuf, sizeof(typebuf), "%s", tname_arg);
		tname_arg = typebuf;
	}
	if (optind < argc)
		addr_arg = argv[optind++];
	if (optind < argc)
		vm_cli_usage_error(&c, "unexpected argument '%s'", argv[optind]);
	/* crash's TYPE.member,member */
	dot = strchr(tname_arg, '.');
	if (dot) {
		*dot = 0;
		nmembers = split_members(dot + 1, members, MAX_MEMBERS);
	}
	if (mlist)
		nmembers += split_members(mlist, members + nmembers, MAX_MEMBERS - nmembers);
	if (flat && offsets)
		vm_cli_usage_error(&c, "--flat and -o exclude each other");
	if ((flat || offsets) && addr_arg)
		vm_cli_usage_error(&c, "-o and --flat print layouts: give no ADDRESS");
	if ((nmembers || have_count) && !addr_arg)
		vm_cli_usage_error(&c, "-m and -c need an ADDRESS");

	x.c = &c;
	if (c.opts.json)
		vm_json_init(&x.j, stdout);
	x.k = vm_kernel_open(&c.opts, &e);
	if (!x.k) {
		rc = -1;
		goto out;
	}
	x.ts = vm_kernel_types(x.k, &e);
	t = x.ts ? vm_types_find(x.ts, tname_arg, &e) : NULL;
	if (!t || vm_type_name(x.ts, t, NULL, tname, sizeof(tname), &e) < 0) {
		rc = -1;
		goto out;
	}
	if (!addr_arg) {
		if (c.opts.json)
			rc = json_layout(&x, t, "", 0, 0, &e);
		else if (flat)
			rc = vm_types_print_flat(x.ts, stdout, t, &e);
		else
			rc = vm_types_print_def(x.ts, stdout, t,
						offsets ? VM_TPRINT_OFFSETS : 0, &e);
	} else if (resolve_addr(&x, addr_arg, &addr, &e) < 0) {
		rc = -1;
	} else {
		rc = print_values(&x, t, tname, addr, count, members, nmembers, &e);
	}
out:
	fflush(stdout);
	if (rc < 0) {
		vm_cli_error(&c, &e);
		rc = VM_EXIT_FAIL;
	}
	if (ferror(stdout)) {
		fprintf(stderr, "vmstruct: write error: %s\n", strerror(errno));
		rc = VM_EXIT_FAIL;
	}
	vm_kernel_close(x.k);
	return rc;
}
