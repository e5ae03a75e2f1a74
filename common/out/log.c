// SPDX-License-Identifier: GPL-2.0-or-later
#include "../vmcore.h"
#include "../kernel/printk.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUFSZ (1 << 16)

/* Buffered output with makedumpfile's escaping. */
struct vm_logprint {
	FILE *f;
	struct vm_json *j;
	unsigned flags;
	int64_t boot_sec;        /* -T: wall clock at timestamp 0 */
	char *buf;
	size_t n, cap;
};

struct vm_logprint *vm_logprint_open(FILE *f, struct vm_json *j, unsigned flags,
				     int64_t boot_sec, struct vm_err *e)
{
	struct vm_logprint *p = vm_calloc(1, sizeof(*p), e);

	if (!p)
		return NULL;
	p->f = f;
	p->j = j;
	p->flags = flags;
	p->boot_sec = boot_sec;
	p->cap = BUFSZ;
	p->buf = vm_malloc(p->cap, e);
	if (!p->buf) {
		free(p);
		return NULL;
	}
	return p;
}

static void flush(struct vm_logprint *o)
{
	if (o->n)
		fwrite(o->buf, 1, o->n, o->f);
	o->n = 0;
}

void vm_logprint_close(struct vm_logprint *p)
{
	if (!p)
		return;
	flush(p);
	free(p->buf);
	free(p);
}

static void put(struct vm_logprint *o, const char *s, size_t n)
{
	if (o->n + n > o->cap) {
		flush(o);
		if (n > o->cap) {
			fwrite(s, 1, n, o->f);
			return;
		}
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

static void putc_(struct vm_logprint *o, char c)
{
	if (o->n == o->cap)
		flush(o);
	o->buf[o->n++] = c;
}

static void spaces(struct vm_logprint *o, size_t n)
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
static void put_text(struct vm_logprint *o, const char *t, size_t n, size_t indent)
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

static size_t fmt_ts(const struct vm_logprint *p, uint64_t ns, char *buf, size_t len)
{
	if (p->flags & VM_LOGP_CTIME) {
		time_t t = (time_t)(p->boot_sec + (int64_t)(ns / 1000000000ULL));
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

static void caller_id(const struct vm_printk_rec *r, char *id, size_t len)
{
	snprintf(id, len, "%c%u", (r->caller_id & VM_PRINTK_CALLER_CPU) ? 'C' : 'T',
		 r->caller_id & ~VM_PRINTK_CALLER_CPU);
}

static void print_dict(struct vm_logprint *o, const struct vm_printk_rec *r, size_t n)
{
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

static void print_text(struct vm_logprint *o, const struct vm_printk_rec *r)
{
	bool no_time = o->flags & VM_LOGP_NO_TIME, ctime = o->flags & VM_LOGP_CTIME;
	const char *text = r->text;
	size_t tlen = r->text_len, n = 0;
	char pre[160];

	/* Like makedumpfile: a record without text (data-less) prints
	 * nothing; --json shows it. */
	if (r->rflags & VM_PRINTK_R_DATALESS)
		return;
	if (r->rflags & VM_PRINTK_R_TS_IN_TEXT) {
		/* plain log_buf: the kernel wrote "[ s.us] " into the text */
		const char *close = memchr(text, ']', tlen);

		if ((no_time || ctime) && close && close + 2 <= text + tlen) {
			tlen -= (size_t)(close + 2 - text);
			text = close + 2;
			if (ctime)
				n += fmt_ts(o, r->ts_nsec, pre + n, sizeof(pre) - n);
		}
	} else if (!no_time && (r->rflags & VM_PRINTK_R_HAS_TS)) {
		n += fmt_ts(o, r->ts_nsec, pre + n, sizeof(pre) - n);
	}
	if ((o->flags & VM_LOGP_CALLER) && (r->rflags & VM_PRINTK_R_HAS_CALLER)) {
		char id[16];

		caller_id(r, id, sizeof(id));
		n += (size_t)snprintf(pre + n, sizeof(pre) - n, "[%8s] ", id);
	}
	if ((o->flags & VM_LOGP_LEVEL) && (r->rflags & VM_PRINTK_R_HAS_LEVEL))
		n += (size_t)snprintf(pre + n, sizeof(pre) - n, "<%u>", r->level);
	if (n >= sizeof(pre))
		n = sizeof(pre) - 1;
	put(o, pre, n);
	put_text(o, text, tlen, n);
	putc_(o, '\n');
	if (o->flags & VM_LOGP_DICT)
		print_dict(o, r, n);
}

static void json_dict_pair(struct vm_json *j, const char *kv, size_t n)
{
	const char *eq = memchr(kv, '=', n);
	char key[64];
	size_t kl;

	if (!eq)
		return;
	kl = (size_t)(eq - kv) < sizeof(key) - 1 ? (size_t)(eq - kv) : sizeof(key) - 1;
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
		caller_id(r, id, sizeof(id));
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

void vm_logprint_rec(struct vm_logprint *p, const struct vm_printk_rec *r)
{
	if (p->j)
		print_json(p->j, r);
	else
		print_text(p, r);
}

void vm_out_log_lost(const struct vm_printk_lost *l, char *buf, size_t len)
{
	if (l->seq_known && l->first_seq == l->last_seq)
		snprintf(buf, len, "record %" PRIu64 " lost: %s", l->first_seq, l->why);
	else if (l->seq_known)
		snprintf(buf, len, "records %" PRIu64 "-%" PRIu64 " lost: %s",
			 l->first_seq, l->last_seq, l->why);
	else if (l->count)
		snprintf(buf, len, "%" PRIu64 " record%s lost: %s", l->count,
			 l->count == 1 ? "" : "s", l->why);
	else
		snprintf(buf, len, "records lost: %s", l->why);
}

void vm_out_log_lost_json(struct vm_json *j, const struct vm_printk_lost *l)
{
	vm_json_error_begin(j, l->why);
	if (l->seq_known) {
		vm_json_ku64(j, "first_seq", l->first_seq);
		vm_json_ku64(j, "last_seq", l->last_seq);
	} else if (l->count) {
		vm_json_ku64(j, "count", l->count);
	}
	vm_json_end(j);
}
