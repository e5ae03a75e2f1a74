// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmlog — the kernel log (printk buffer) of a crash dump, like
 * `makedumpfile --dump-dmesg` and crash's `log`.
 *
 * Exit status: 0 the log was printed (records that could not be read are
 * named on stderr); 1 no record could be read (no VMCOREINFO and no
 * debuginfo, unreadable buffers, dump not openable); 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/sysinfo.h"
#include "out/cli.h"
#include "out/json.h"

static const char usage[] =
	"Usage: vmlog [options] DUMP\n"
	"Print the kernel log of a crash dump, like makedumpfile --dump-dmesg\n"
	"and crash's `log`.\n";

static const struct vm_progopt options[] = {
	{ VM_OPT_NO_TIME, NULL },
	{ VM_OPT_CTIME, "wall-clock timestamps (crash time minus uptime plus each "
	  "record's seconds; see vmlog(1))" },
	{ VM_OPT_LEVEL, NULL },
	{ VM_OPT_CALLER, NULL },
	{ VM_OPT_DICT, NULL },
	{ VM_OPT_END, NULL },
};

/* crash's letters that mean something else in every program here (-m is
 * System.map everywhere: crash's log -m is -L) */
static const struct vm_renamed renamed[] = {
	{ 'c', "-C" }, { 0, NULL },
};

struct show {
	bool no_time, ctime, level, caller, dict, json;
	int64_t boot_sec;        /* -T: wall clock at timestamp 0 */
};

/* Buffered output with makedumpfile's escaping. */
struct out {
	char *buf;
	size_t n, cap;
};

static void flush(struct out *o)
{
	if (o->n)
		fwrite(o->buf, 1, o->n, stdout);
	o->n = 0;
}

static void put(struct out *o, const char *s, size_t n)
{
	if (o->n + n > o->cap) {
		flush(o);
		if (n > o->cap) {
			fwrite(s, 1, n, stdout);
			return;
		}
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

static void putc_(struct out *o, char c)
{
	if (o->n == o->cap)
		flush(o);
	o->buf[o->n++] = c;
}

static void spaces(struct out *o, size_t n)
{
	while (n--)
		putc_(o, ' ');
}

/*
 * Text bytes as makedumpfile's dump_log_entry() writes them: a newline
 * starts a continuation line indented under the text; printable ASCII and
 * white space (isprint() || isspace() in the C locale) as they are; every
 * other byte as \xNN (makedumpfile sign-extends bytes >= 0x80 through a
 * plain char; we print the byte).
 */
static void put_text(struct out *o, const char *t, size_t n, size_t indent)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\v' ||
		    c == '\f' || c == '\r')
			continue;
		put(o, t + run, i - run);
		run = i + 1;
		if (c == '\n') {
			putc_(o, '\n');
			spaces(o, indent);
		} else {
			char x[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

			put(o, x, 4);
		}
	}
	put(o, t + run, n - run);
}

static size_t fmt_ts(const struct show *s, uint64_t ns, char *buf, size_t len)
{
	if (s->ctime) {
		time_t t = (time_t)(s->boot_sec + (int64_t)(ns / 1000000000ULL));
		struct tm tm;
		char w[64];

		if (!localtime_r(&t, &tm) ||
		    !strftime(w, sizeof(w), "%a %b %e %T %Z %Y", &tm))
			snprintf(w, sizeof(w), "%lld", (long long)t);
		return (size_t)snprintf(buf, len, "[%s] ", w);
	}
	return (size_t)snprintf(buf, len, "[%5" PRIu64 ".%06" PRIu64 "] ",
				(uint64_t)(ns / 1000000000u),
				(uint64_t)(ns % 1000000000u / 1000u));
}

static void print_rec(struct out *o, const struct show *s,
		      const struct vm_printk_rec *r)
{
	char pre[160];
	size_t n = 0;
	const char *text = r->text;
	size_t tlen = r->text_len;

	/* Like makedumpfile: a record without text (data-less) prints
	 * nothing; --json shows it. */
	if (r->rflags & VM_PRINTK_R_DATALESS)
		return;
	if (r->rflags & VM_PRINTK_R_TS_IN_TEXT) {
		/* plain log_buf: the kernel wrote "[ s.us] " into the text */
		const char *close = memchr(text, ']', tlen);

		if ((s->no_time || s->ctime) && close && close + 2 <= text + tlen) {
			tlen -= (size_t)(close + 2 - text);
			text = close + 2;
			if (s->ctime)
				n += fmt_ts(s, r->ts_nsec, pre + n, sizeof(pre) - n);
		}
	} else if (!s->no_time && (r->rflags & VM_PRINTK_R_HAS_TS)) {
		n += fmt_ts(s, r->ts_nsec, pre + n, sizeof(pre) - n);
	}
	if (s->caller && (r->rflags & VM_PRINTK_R_HAS_CALLER)) {
		char id[16];

		snprintf(id, sizeof(id), "%c%u",
			 (r->caller_id & VM_PRINTK_CALLER_CPU) ? 'C' : 'T',
			 r->caller_id & ~VM_PRINTK_CALLER_CPU);
		n += (size_t)snprintf(pre + n, sizeof(pre) - n, "[%8s] ", id);
	}
	if (s->level && (r->rflags & VM_PRINTK_R_HAS_LEVEL))
		n += (size_t)snprintf(pre + n, sizeof(pre) - n, "<%u>", r->level);
	if (n >= sizeof(pre))
		n = sizeof(pre) - 1;
	put(o, pre, n);
	put_text(o, text, tlen, n);
	putc_(o, '\n');
	if (!s->dict)
		return;
	if (r->subsystem[0]) {
		spaces(o, n);
		put(o, "SUBSYSTEM=", 10);
		put_text(o, r->subsystem, strlen(r->subsystem), n);
		putc_(o, '\n');
	}
	if (r->device[0]) {
		spaces(o, n);
		put(o, "DEVICE=", 7);
		put_text(o, r->device, strlen(r->device), n);
		putc_(o, '\n');
	}
	if (r->dict_len) {
		const char *d = r->dict, *end = r->dict + r->dict_len;

		while (d < end) {
			const char *z = memchr(d, '\0', (size_t)(end - d));
			size_t len = (size_t)((z ? z : end) - d);

			if (len) {
				spaces(o, n);
				put_text(o, d, len, n);
				putc_(o, '\n');
			}
			d += len + 1;
		}
	}
}

static void json_dict_pair(struct vm_json *j, const char *kv, size_t n)
{
	const char *eq = memchr(kv, '=', n);
	char key[64];
	size_t kl;

	if (!eq)
		return;
	kl = (size_t)(eq - kv) < sizeof(key) - 1 ? (size_t)(eq - kv)
						  : sizeof(key) - 1;
	memcpy(key, kv, kl);
	key[kl] = '\0';
	vm_json_key(j, key);
	vm_json_strn(j, eq + 1, n - (size_t)(eq + 1 - kv));
}

static void print_json(struct vm_json *j, const struct vm_printk_rec *r)
{
	char id[16];

	vm_json_begin(j);
	vm_json_ku64(j, "seq", r->seq);
	/* ns pass 2^53 after 104 days of uptime: a string (vmcoreutils(7)) */
	vm_json_key(j, "ts_nsec");
	if (r->rflags & VM_PRINTK_R_HAS_TS)
		vm_json_dec_u64(j, r->ts_nsec);
	else
		vm_json_null(j);
	vm_json_key(j, "level");
	if (r->rflags & VM_PRINTK_R_HAS_LEVEL)
		vm_json_u64(j, r->level);
	else
		vm_json_null(j);
	vm_json_key(j, "facility");
	if (r->rflags & VM_PRINTK_R_HAS_LEVEL)
		vm_json_u64(j, r->facility);
	else
		vm_json_null(j);
	vm_json_key(j, "caller");
	if (r->rflags & VM_PRINTK_R_HAS_CALLER) {
		snprintf(id, sizeof(id), "%c%u",
			 (r->caller_id & VM_PRINTK_CALLER_CPU) ? 'C' : 'T',
			 r->caller_id & ~VM_PRINTK_CALLER_CPU);
		vm_json_str(j, id);
	} else {
		vm_json_null(j);
	}
	vm_json_key(j, "text");
	vm_json_strn(j, r->text, r->text_len);
	vm_json_key(j, "dict");
	vm_json_obj_begin(j);
	if (r->subsystem[0])
		vm_json_kstr(j, "SUBSYSTEM", r->subsystem);
	if (r->device[0])
		vm_json_kstr(j, "DEVICE", r->device);
	if (r->dict_len) {
		const char *d = r->dict, *end = r->dict + r->dict_len;

		while (d < end) {
			const char *z = memchr(d, '\0', (size_t)(end - d));
			size_t len = (size_t)((z ? z : end) - d);

			json_dict_pair(j, d, len);
			d += len + 1;
		}
	}
	vm_json_obj_end(j);
	if (r->rflags & VM_PRINTK_R_TRUNCATED)
		vm_json_kbool(j, "truncated", true);
	if (vm_json_end(j) < 0) {
		vm_json_error_begin(j, vm_json_why(j));
		vm_json_ku64(j, "seq", r->seq);
		vm_json_end(j);
	}
}

/* -T: the wall clock at timestamp 0 = crash time - the last record's whole
 * seconds (crash uses jiffies-based uptime; the log's newest record is as
 * close to the crash as the dump records).  The crash time as vmsys finds
 * it: VMCOREINFO CRASHTIME, the dump header, the timekeeper's xtime_sec. */
static int boot_time(struct vm_kernel *k, const struct vm_printk *p,
		     int64_t *boot, const char **src)
{
	struct vm_sysinfo si;
	int64_t t;
	uint64_t up;

	if (k->vi && vm_vmci_dec(k->vi, "CRASHTIME", &t) == 0) {
		*src = "VMCOREINFO CRASHTIME";
	} else if (vm_dump_info(k->dump)->timestamp_sec > 0) {
		t = vm_dump_info(k->dump)->timestamp_sec;
		*src = "the dump header's timestamp";
	} else {
		vm_sysinfo_collect(k, &si);
		if (!si.have_time)
			return -1;
		t = si.crash_time;
		*src = si.time_source;
	}
	if (vm_printk_uptime(p, &up) < 0)
		up = 0;
	*boot = t - (int64_t)(up / 1000000000ULL);
	return 0;
}

/* Lost records on stderr and, with --json, as error records in the
 * stream: {"error": WHY, "first_seq": N, "last_seq": M} (or "count"). */
static void warn_lost(struct vm_cli *c, const struct vm_printk *p)
{
	size_t i;

	for (i = 0; i < vm_printk_nr_lost(p); i++) {
		const struct vm_printk_lost *l = vm_printk_lost(p, i);

		if (l->seq_known && l->first_seq == l->last_seq)
			vm_cli_warn(c, "%s: record %" PRIu64 " lost: %s",
				    c->opts.dump_path, l->first_seq, l->why);
		else if (l->seq_known)
			vm_cli_warn(c, "%s: records %" PRIu64 "-%" PRIu64
				    " lost: %s", c->opts.dump_path, l->first_seq,
				    l->last_seq, l->why);
		else if (l->count)
			vm_cli_warn(c, "%s: %" PRIu64 " record%s lost: %s",
				    c->opts.dump_path, l->count,
				    l->count == 1 ? "" : "s", l->why);
		else
			vm_cli_warn(c, "%s: records lost: %s",
				    c->opts.dump_path, l->why);
		if (!c->opts.json)
			continue;
		vm_json_error_begin(&c->j, l->why);
		if (l->seq_known) {
			vm_json_ku64(&c->j, "first_seq", l->first_seq);
			vm_json_ku64(&c->j, "last_seq", l->last_seq);
		} else if (l->count) {
			vm_json_ku64(&c->j, "count", l->count);
		}
		vm_json_end(&c->j);
	}
}

int main(int argc, char **argv)
{
	struct vm_cli c;
	struct show s = { 0 };
	struct vm_err e = { 0 };
	struct vm_kernel *k;
	struct vm_printk *p;
	const struct vm_printk_rec *r;
	const char *arg;
	unsigned flags = 0;
	size_t pos = 0;
	int opt, rc = VM_EXIT_OK;

	vm_cli_init(&c, "vmlog", usage, options, renamed, argc, argv);
	while ((opt = vm_cli_next(&c, &arg)) != VM_OPT_END) {
		switch (opt) {
		case VM_OPT_NO_TIME: s.no_time = true; break;
		case VM_OPT_CTIME: s.ctime = true; break;
		case VM_OPT_LEVEL: s.level = true; break;
		case VM_OPT_CALLER: s.caller = true; break;
		case VM_OPT_DICT: s.dict = true; break;
		}
	}
	if (optind + 1 != argc)
		vm_cli_usage_error(&c, optind < argc ? "one DUMP only"
						     : "no DUMP given");
	c.opts.dump_path = argv[optind];
	s.json = c.opts.json;
	if (s.no_time && s.ctime)
		vm_cli_usage_error(&c, "-t and -T exclude each other");
	if (s.json)
		flags |= VM_PRINTK_WANT_SEQ;

	k = vm_kernel_open(&c.opts, &e);
	if (!k) {
		vm_cli_error(&c, &e);
		return vm_cli_exit(&c, VM_EXIT_FAIL);
	}
	p = vm_printk_open_kernel(k, flags, &e);
	if (!p) {
		vm_cli_error(&c, &e);
		vm_kernel_close(k);
		return vm_cli_exit(&c, VM_EXIT_FAIL);
	}
	vm_kernel_note(k, "log: %s, %zu records, %zu lost runs",
		       vm_printk_format_name(vm_printk_format(p)),
		       vm_printk_count(p), vm_printk_nr_lost(p));
	if (s.ctime) {
		const char *src;

		if (boot_time(k, p, &s.boot_sec, &src) < 0) {
			vm_cli_warn(&c, "%s: -T: no crash time in the dump "
				    "(no CRASHTIME, no header timestamp, no "
				    "readable timekeeper); showing seconds "
				    "since boot",
				    c.opts.dump_path);
			s.ctime = false;
		} else {
			vm_kernel_note(k, "-T: boot time %lld from %s",
				       (long long)s.boot_sec, src);
		}
	}
	if (s.json) {
		while ((r = vm_printk_next(p, &pos)))
			print_json(&c.j, r);
	} else {
		static char buf[1 << 16];
		struct out o = { buf, 0, sizeof(buf) };

		while ((r = vm_printk_next(p, &pos)))
			print_rec(&o, &s, r);
		flush(&o);
	}
	warn_lost(&c, p);
	if (!vm_printk_count(p) && vm_printk_nr_lost(p))
		rc = VM_EXIT_FAIL;
	vm_printk_close(p);
	vm_kernel_close(k);
	return vm_cli_exit(&c, rc);
}
