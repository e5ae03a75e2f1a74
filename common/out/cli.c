// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include <sys/stat.h>

#include "../elf/elffile.h"

#define HELP_COL 25     /* where an option's help starts */
#define HELP_WIDTH 79

static void note_stderr(void *ctx, const char *msg)
{
	const struct vm_cli *c = ctx;

	fprintf(stderr, "%s: %s\n", c->prog, msg);
}

/*
 * stdout goes through a stream of our own over fd 1 so that the reason of a
 * failed write is kept (stdio keeps only an error flag, and by the time the
 * program ends errno says something else): vm_cli_exit names it.  A closed
 * pipe still raises SIGPIPE in write(2), whose default ends us quietly.
 */
static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
	struct vm_cli *c = cookie;
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(STDOUT_FILENO, buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!c->write_errno)
				c->write_errno = w < 0 ? errno : EIO;
			return -1;
		}
		done += (size_t)w;
	}
	return (ssize_t)n;
}

static void own_stdout(struct vm_cli *c)
{
	cookie_io_functions_t io = { .write = out_write };
	FILE *f;

	fflush(stdout);
	f = fopencookie(c, "w", io);
	if (!f)
		return;                 /* keep stdio's: errors still caught */
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, 1 << 16);
	stdout = f;
}

void vm_cli_init(struct vm_cli *c, const char *prog, const char *usage,
		 const struct vm_progopt *own, const struct vm_renamed *renamed,
		 int argc, char **argv)
{
	memset(c, 0, sizeof(*c));
	own_stdout(c);
	c->prog = prog;
	c->usage = usage;
	c->own = own;
	c->renamed = renamed;
	c->argc = argc;
	c->argv = argv;
	vm_json_init(&c->j, stdout);
	c->opts.warn = note_stderr;
	c->opts.warn_ctx = c;
}

static bool takes(const struct vm_cli *c, int id)
{
	const struct vm_progopt *p;

	if (id >= 0 && id < VM_OPT_NR_COMMON)
		return true;
	for (p = c->own; p && p->id != VM_OPT_END; p++)
		if (p->id == id)
			return true;
	return false;
}

/* getopt_long's tables from the options this program takes.  A long
 * option returns its letter, or 0x100 + id when it has none. */
static void build(struct vm_cli *c)
{
	size_t ns = 0, nl = 0;
	int id;

	c->shortopts[ns++] = ':';       /* ':' for a missing argument */
	for (id = 0; id < VM_OPT_NR; id++) {
		const struct vm_optdef *d = &vm_optdefs[id];

		if (!takes(c, id))
			continue;
		if (d->letter) {
			c->shortopts[ns++] = d->letter;
			if (d->arg)
				c->shortopts[ns++] = ':';
		}
		c->longopts[nl++] = (struct option){
			d->name, d->arg ? required_argument : no_argument, NULL,
			d->letter ? d->letter : 0x100 + id };
	}
	c->shortopts[ns] = '\0';
	c->longopts[nl] = (struct option){ NULL, 0, NULL, 0 };
	c->started = true;
	opterr = 0;
	optind = 1;
}

static int id_of(const struct vm_cli *c, int val)
{
	int id;

	if (val >= 0x100)
		return val - 0x100;
	for (id = 0; id < VM_OPT_NR; id++)
		if (vm_optdefs[id].letter == val && takes(c, id))
			return id;
	return VM_OPT_END;
}

static const char *renamed_hint(const struct vm_cli *c, char letter)
{
	const struct vm_renamed *r;

	for (r = c->renamed; r && r->letter; r++)
		if (r->letter == letter)
			return r->now;
	return NULL;
}

/* ---- -h ---- */

/* "  -k, --vmlinux FILE" padded to HELP_COL, then the help wrapped. */
static void help_line(FILE *f, const char *left, const char *help)
{
	int col = fprintf(f, "%s", left);
	const char *p = help;

	if (col >= HELP_COL - 1) {
		fputc('\n', f);
		col = 0;
	}
	fprintf(f, "%*s", HELP_COL - col, "");
	col = HELP_COL;
	while (*p) {
		size_t w = strcspn(p, " ");

		if (col > HELP_COL && col + 1 + (int)w > HELP_WIDTH) {
			fprintf(f, "\n%*s", HELP_COL, "");
			col = HELP_COL;
		} else if (col > HELP_COL) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += (int)w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static void help_opt(FILE *f, int id, const char *help)
{
	const struct vm_optdef *d = &vm_optdefs[id];
	char left[80];

	if (d->letter)
		snprintf(left, sizeof(left), "  -%c, --%s%s%s", d->letter, d->name,
			 d->arg ? " " : "", d->arg ? d->arg : "");
	else
		snprintf(left, sizeof(left), "      --%s%s%s", d->name,
			 d->arg ? " " : "", d->arg ? d->arg : "");
	help_line(f, left, help ? help : d->help);
}

static void help(const struct vm_cli *c)
{
	const struct vm_override_key *k;
	const struct vm_progopt *p;
	int id;

	fputs(c->usage, stdout);
	if (c->own && c->own->id != VM_OPT_END) {
		fputs("Options:\n", stdout);
		for (p = c->own; p->id != VM_OPT_END; p++)
			help_opt(stdout, p->id, p->help);
	}
	fputs("Common options:\n", stdout);
	for (id = 0; id < VM_OPT_NR_COMMON; id++) {
		help_opt(stdout, id, NULL);
		if (id != VM_OPT_OVERRIDE)
			continue;
		for (k = vm_override_keys; k->key; k++) {
			char left[64];

			snprintf(left, sizeof(left), "      %s%s%s", k->key,
				 k->arg ? "=" : "", k->arg ? k->arg : "");
			help_line(stdout, left, k->help);
		}
	}
	fputs("Exit status: 0 ok, 1 the question could not be answered, 2 usage error.\n",
	      stdout);
}

/* ---- parsing ---- */

/* "prog: MSG" and tail on stderr, after what stdout holds (merged streams
 * stay in order) */
static void say(const struct vm_cli *c, const char *tail, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", c->prog);
	vfprintf(stderr, fmt, ap);
	fputs(tail, stderr);
}

void vm_cli_usage_error(const struct vm_cli *c, const char *fmt, ...)
{
	char tail[64];
	va_list ap;

	snprintf(tail, sizeof(tail), " (try '%s --help')\n", c->prog);
	va_start(ap, fmt);
	say(c, tail, fmt, ap);
	va_end(ap);
	exit(VM_EXIT_USAGE);
}

/* The option text getopt stopped at, for messages: "-x" or "--name".
 * argv[optind - 1] is the argument getopt was in, unless it stopped inside
 * a cluster of short options ("-@a"); a long option is named as typed. */
static const char *bad_option(const struct vm_cli *c, char *buf, size_t n)
{
	const char *a = optind > 0 && optind <= c->argc ? c->argv[optind - 1] : "";
	size_t len = strcspn(a, "=");
	const struct option *o;
	bool is_long = !strncmp(a, "--", 2) && optopt == 0;

	for (o = c->longopts; !is_long && o->name && !strncmp(a, "--", 2); o++)
		if (o->val == optopt && !strncmp(a + 2, o->name, len - 2))
			is_long = true;
	if (is_long)
		snprintf(buf, n, "%.*s", (int)(len > 64 ? 64 : len), a);
	else if (optopt > 0 && optopt < 0x100)
		snprintf(buf, n, "-%c", optopt);
	else
		snprintf(buf, n, "%.64s", a);
	return buf;
}

static void add_override(struct vm_cli *c, const char *arg)
{
	struct vm_err e;
	const char *hint = renamed_hint(c, 'o');

	if (vm_opts_add_override(&c->opts, arg, &e) < 0) {
		if (hint)
			vm_cli_usage_error(c, "%s; crash's -o is %s here", e.msg, hint);
		vm_cli_usage_error(c, "%s", e.msg);
	}
}

/* A kernel image, not a dump: an ELF file whose type is not ET_CORE
 * (vmlinux is ET_EXEC; a .ko, ET_REL, is named the same way). */
static bool kernel_image(const char *path)
{
	struct vm_err e = { 0 };
	struct vm_elffile *f;
	bool img;

	f = vm_elffile_open(path, &e);
	if (!f)
		return false;
	img = vm_elffile_type(f) != ET_CORE;
	vm_elffile_close(f);
	return img;
}

/*
 * crash's habit, `crash vmlinux vmcore`, typed to one of us: the first
 * operand is a kernel image and a file follows.  Say what was meant rather
 * than fail on the vmcore as a PID or on the vmlinux as a dump.
 */
static void check_crash_order(struct vm_cli *c)
{
	const char *first, *next;
	struct stat st;

	if (optind + 1 >= c->argc)
		return;
	first = c->argv[optind];
	next = c->argv[optind + 1];
	if (strcmp(first, "-") == 0 || strchr(first, ',') ||
	    stat(next, &st) < 0 || !S_ISREG(st.st_mode) || !kernel_image(first) ||
	    kernel_image(next))
		return;
	vm_cli_usage_error(c, "%s is a kernel image, not a dump: did you mean -k %s?",
			   first, first);
}

int vm_cli_next(struct vm_cli *c, const char **arg)
{
	char buf[80];
	int opt, id;

	if (!c->started)
		build(c);
	for (;;) {
		*arg = NULL;
		opt = getopt_long(c->argc, c->argv, c->shortopts, c->longopts, NULL);
		if (opt == -1) {
			check_crash_order(c);
			return VM_OPT_END;
		}
		if (opt == '?') {
			const char *hint = optopt > 0 && optopt < 0x100 ?
				renamed_hint(c, (char)optopt) : NULL;

			if (hint)
				vm_cli_usage_error(c, "unknown option %s; crash's -%c is %s here",
						   bad_option(c, buf, sizeof(buf)), optopt, hint);
			vm_cli_usage_error(c, "unknown option %s", bad_option(c, buf, sizeof(buf)));
		}
		if (opt == ':')
			vm_cli_usage_error(c, "option %s needs an argument",
					   bad_option(c, buf, sizeof(buf)));
		id = id_of(c, opt);
		*arg = optarg;
		switch (id) {
		case VM_OPT_VMLINUX: c->opts.vmlinux = optarg; break;
		case VM_OPT_SYSMAP: c->opts.sysmap = optarg; break;
		case VM_OPT_MODULES: c->opts.moddir = optarg; break;
		case VM_OPT_OVERRIDE: add_override(c, optarg); break;
		case VM_OPT_VERBOSE:
			c->opts.verbose++;
			c->opts.note = note_stderr;
			c->opts.note_ctx = c;
			break;
		case VM_OPT_JSON: c->json = true; break;
		case VM_OPT_HELP:
			help(c);
			exit(vm_cli_exit(c, VM_EXIT_OK));
		case VM_OPT_VERSION:
			printf("%s (vmcoreutils) %s\n", c->prog, VM_VERSION);
			exit(vm_cli_exit(c, VM_EXIT_OK));
		case VM_OPT_END:
			vm_cli_usage_error(c, "unknown option %s", bad_option(c, buf, sizeof(buf)));
		default:
			return id;
		}
	}
}

/* ---- messages and the end ---- */

int vm_cli_exit(struct vm_cli *c, int status)
{
	int err = 0;

	if (fflush(stdout) != 0)
		err = errno;
	if (c->write_errno)
		err = c->write_errno;
	if (ferror(stdout) || err) {
		if (err)
			fprintf(stderr, "%s: write error: %s\n", c->prog, strerror(err));
		else
			fprintf(stderr, "%s: write error\n", c->prog);
		status = VM_EXIT_FAIL;
	}
	vm_json_free(&c->j);
	return status;
}

static void json_error(struct vm_cli *c, const char *msg)
{
	if (!c->json)
		return;
	vm_json_error_begin(&c->j, msg);
	if (c->dump)
		vm_json_kstr(&c->j, "dump", c->dump);
	vm_json_end(&c->j);
}

void vm_cli_error(struct vm_cli *c, const struct vm_err *e)
{
	fflush(stdout);    /* keep stdout and stderr in order when merged */
	if (c->dump)
		fprintf(stderr, "%s: %s: %s\n", c->prog, c->dump, e->msg);
	else
		fprintf(stderr, "%s: %s\n", c->prog, e->msg);
	json_error(c, e->msg);
}

void vm_cli_errorf(struct vm_cli *c, const char *fmt, ...)
{
	struct vm_err e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	e.code = VM_EINVAL;
	vm_cli_error(c, &e);
}

void vm_cli_warn(const struct vm_cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, "\n", fmt, ap);
	va_end(ap);
}

bool vm_cli_parse_hex(const char *s, uint64_t *v)
{
	return vm_parse_hex(s, v);
}
