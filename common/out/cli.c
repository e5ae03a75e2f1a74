// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char vm_cli_common_usage[] =
	"Common options:\n"
	"  -k, --vmlinux FILE     vmlinux with DWARF and/or BTF (default: search by\n"
	"                         build-id/release, then use what the dump holds)\n"
	"  -m, --sysmap FILE      System.map\n"
	"  -M, --modules DIR      directory holding module .ko files\n"
	"  -o, --override K=V     override for broken dumps: kaslr=, phys_base=,\n"
	"                         page_offset=, pgd=, vabits=, kimage_voffset=,\n"
	"                         phys_offset=, raw_base=, novmcoreinfo, nocache,\n"
	"                         textonly\n"
	"  -v, --verbose          say on stderr which sources were used\n"
	"      --json             JSON lines output\n"
	"  -h, --help             this help\n"
	"  -V, --version          version\n"
	"Exit status: 0 ok, 1 the question could not be answered, 2 usage error.\n";

void vm_cli_note_stderr(const char *msg)
{
	fprintf(stderr, "note: %s\n", msg);
}

static void add_override(struct vm_cli *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);
	struct vm_override *ov;
	char *key;

	if (c->opts.nr_ov >= VM_MAX_OVERRIDES)
		vm_cli_usage_error(c, "too many -o options (at most %d)",
				   VM_MAX_OVERRIDES);
	if (eq == arg || !*arg)
		vm_cli_usage_error(c, "-o wants key=value, not '%s'", arg);
	if (klen >= sizeof(c->ovkeys[0]))
		vm_cli_usage_error(c, "-o key too long: '%s'", arg);
	/* argv strings live for the whole run; only the key is split off. */
	key = c->ovkeys[c->opts.nr_ov];
	memcpy(key, arg, klen);
	key[klen] = '\0';
	ov = &c->opts.ov[c->opts.nr_ov++];
	ov->key = key;
	ov->value = eq ? eq + 1 : "";
}

int vm_cli_common(struct vm_cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 'k':
		c->opts.vmlinux = arg;
		return 1;
	case 'm':
		c->opts.sysmap = arg;
		return 1;
	case 'M':
		c->opts.moddir = arg;
		return 1;
	case 'o':
		add_override(c, arg);
		return 1;
	case 'v':
		c->opts.verbose++;
		c->opts.note = vm_cli_note_stderr;
		return 1;
	case VM_OPT_JSON:
		c->opts.json = true;
		return 1;
	case 'h':
		fputs(c->usage, stdout);
		fputs(vm_cli_common_usage, stdout);
		exit(VM_EXIT_OK);
	case 'V':
		printf("%s (vmcoreutils) %s\n", c->prog, VM_VERSION);
		exit(VM_EXIT_OK);
	}
	return 0;
}

void vm_cli_usage_error(const struct vm_cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", c->prog);
	exit(VM_EXIT_USAGE);
}

void vm_cli_error(const struct vm_cli *c, const struct vm_err *e)
{
	if (c->opts.dump_path)
		fprintf(stderr, "%s: %s: %s\n", c->prog, c->opts.dump_path, e->msg);
	else
		fprintf(stderr, "%s: %s\n", c->prog, e->msg);
}

void vm_cli_warn(const struct vm_cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool vm_cli_parse_hex(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long r;

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	if (!*s || !isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	r = strtoull(s, &end, 16);
	if (errno || *end)
		return false;
	*v = r;
	return true;
}
