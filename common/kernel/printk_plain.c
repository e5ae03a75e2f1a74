// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plain character log_buf before v3.5 (kernel/printk.c): emit_log_char()
 * stores each character at log_buf[log_end & LOG_BUF_MASK] and increments
 * log_end (an unsigned since v2.6.25, unsigned long before: the low 32 bits
 * are the same on little-endian), LOG_BUF_MASK = log_buf_len - 1.  Once
 * log_end passes log_buf_len the oldest text is overwritten, so the log
 * starts at log_end & LOG_BUF_MASK.  vprintk() starts every line with a
 * "<N>" level and, with printk_time, a "[%5lu.%06lu] " timestamp.
 * VMCOREINFO (log_buf_kexec_setup(), v2.6.24+): SYMBOL(log_buf),
 * SYMBOL(log_end), SYMBOL(log_buf_len), SYMBOL(logged_chars).
 *
 * One record per line; the level prefix is taken off the text, the
 * timestamp is parsed but stays in the text (VM_PRINTK_R_TS_IN_TEXT).
 */
#include "printk_impl.h"

#include <string.h>

#define PLAIN_MAX_LEN (1ULL << 31)

/* "[%5lu.%06lu] " at t: sets *ns and returns the prefix length, or 0. */
static size_t parse_ts(const char *t, size_t n, uint64_t *ns)
{
	uint64_t sec = 0, usec = 0;
	size_t i = 1, d;

	if (n < 4 || t[0] != '[')
		return 0;
	while (i < n && t[i] == ' ')
		i++;
	for (d = 0; i < n && t[i] >= '0' && t[i] <= '9' && d < 12; i++, d++)
		sec = sec * 10 + (uint64_t)(t[i] - '0');
	if (!d || i >= n || t[i++] != '.')
		return 0;
	for (d = 0; i < n && t[i] >= '0' && t[i] <= '9'; i++, d++)
		usec = usec * 10 + (uint64_t)(t[i] - '0');
	if (d != 6 || i + 1 >= n || t[i] != ']' || t[i + 1] != ' ')
		return 0;
	*ns = sec * 1000000000ULL + usec * 1000ULL;
	return i + 2;
}

static int add_line(struct vm_printk *p, const char *t, size_t n,
		    struct vm_err *e)
{
	struct vm_printk_rec *r;
	uint64_t ns;

	r = pk_add_rec(p, e);
	if (!r)
		return -1;
	r->seq = p->n - 1;
	if (n >= 3 && t[0] == '<' && t[1] >= '0' && t[1] <= '7' && t[2] == '>') {
		r->level = (uint8_t)(t[1] - '0');
		r->rflags |= VM_PRINTK_R_HAS_LEVEL;
		t += 3;
		n -= 3;
	}
	if (parse_ts(t, n, &ns)) {
		r->ts_nsec = ns;
		r->rflags |= VM_PRINTK_R_HAS_TS | VM_PRINTK_R_TS_IN_TEXT;
	}
	r->text = t;
	r->text_len = n;
	return 0;
}

/* Unrotate the ring [start, start + used) of a len-byte region into text,
 * dropping NUL bytes (never written by printk: unwritten or unreadable
 * memory), as crash does.  Pages that could not be read hold only zeros:
 * they are skipped whole, so a hostile log_buf_len of a gigabyte over
 * unreadable memory costs one step per page.  Returns the bytes kept. */
static size_t unrotate(const struct pk_region *r, uint64_t log_buf, size_t start,
		       size_t used, size_t len, char *text)
{
	size_t head = (size_t)(log_buf % r->page), i = 0, n = 0, j;

	while (i < used) {
		size_t off = (start + i) & (len - 1);
		size_t chunk = r->page - (head + off) % r->page;

		if (chunk > len - off)
			chunk = len - off;
		if (chunk > used - i)
			chunk = used - i;
		if (r->state[(head + off) / r->page] == PK_PAGE_OK)
			for (j = 0; j < chunk; j++)
				if (r->buf[off + j])
					text[n++] = (char)r->buf[off + j];
		i += chunk;
	}
	return n;
}

int pk_open_plain(struct vm_printk *p, struct vm_err *e)
{
	uint64_t log_buf_sym, end_sym, len_sym, log_buf, len, end, start, used;
	uint8_t b[4];
	struct pk_region reg;
	char *text;
	size_t i, line, npages;

	if (pk_symbol(p, "log_buf", &log_buf_sym) < 0 ||
	    pk_symbol(p, "log_end", &end_sym) < 0 ||
	    pk_symbol(p, "log_buf_len", &len_sym) < 0)
		return vm_fail(e, VM_ENOENT,
			       "plain log_buf: symbols log_buf, log_end, "
			       "log_buf_len needed");
	if (pk_read_word(p, log_buf_sym, p->src->ptr_size ? p->src->ptr_size : 8,
			 &log_buf, e) < 0 ||
	    pk_read(p, len_sym, b, 4, e) < 0) {
		vm_err_prefix(e, "plain log_buf: ");
		return -1;
	}
	len = pk_u32(p, b);
	if (pk_read(p, end_sym, b, 4, e) < 0) {
		vm_err_prefix(e, "plain log_buf: log_end: ");
		return -1;
	}
	end = pk_u32(p, b);
	if (!len || len > PLAIN_MAX_LEN || (len & (len - 1)))
		return vm_fail(e, VM_ECORRUPT,
			       "plain log_buf: log_buf_len %llu is not a power "
			       "of two", (unsigned long long)len);
	if (pk_region_read(p, &reg, log_buf, (size_t)len, e) < 0) {
		vm_err_prefix(e, "plain log_buf at 0x%llx: ",
			      (unsigned long long)log_buf);
		return -1;
	}
	/* Unrotate into one owned copy so lines never straddle the end. */
	used = end < len ? end : len;
	start = end < len ? 0 : (end & (len - 1));
	text = vm_malloc((size_t)used, e);
	if (!text || pk_own(p, text, e) < 0)
		return -1;
	used = unrotate(&reg, log_buf, (size_t)start, (size_t)used, (size_t)len, text);
	/* last page - first page + 1: log_buf + len may end at 2^64 */
	npages = (size_t)((log_buf + len - 1) / reg.page - log_buf / reg.page + 1);
	for (i = 0; i < npages; i++) {
		uint64_t pva = (log_buf / reg.page + i) * reg.page;

		if (reg.state[i] != PK_PAGE_OK &&
		    pk_add_lost(p, false, 0, 0, e, "log_buf page at 0x%llx "
				"unreadable: %s", (unsigned long long)pva,
				reg.why) < 0)
			return -1;
	}
	for (i = line = 0; i < used; i++) {
		if (text[i] != '\n')
			continue;
		if (add_line(p, text + line, i - line, e) < 0)
			return -1;
		line = i + 1;
	}
	if (line < used && add_line(p, text + line, (size_t)used - line, e) < 0)
		return -1;
	p->has_level = true;
	return 0;
}
