// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The panic message as crash's `sys` shows it (PANIC:).  crash 8.0.2's
 * get_panicmsg() prints the log without timestamps and searches it line by
 * line in tiers (see printk.h); the first tier with a matching line wins,
 * and inside a tier the earliest line.  A record with embedded newlines is
 * several lines there, so it is here.
 */
#include "printk_impl.h"

#include <stdio.h>
#include <string.h>

#define NTIERS 6

static const char *const tier0[] = { "general protection fault: ",
	"double fault: ", "divide error: ", "stack segment: ", NULL };
static const char *const tier1[] = { "SysRq : Netdump", "SysRq : Crash",
	"SysRq : Trigger a crash", NULL };
static const char *const tier2[] = { "Oops: ", "Kernel BUG at",
	"kernel BUG at", "Unable to handle kernel paging request",
	"Unable to handle kernel NULL pointer dereference",
	"BUG: unable to handle kernel ", NULL };
static const char *const tier3[] = { "Kernel panic: ", "Kernel panic - ",
	NULL };
static const char *const tier4[] = { "[Hardware Error]: ", NULL };
static const char *const tier5[] = { "Bad mode in ", NULL };
static const char *const *const tiers[NTIERS] = { tier0, tier1, tier2,
	tier3, tier4, tier5 };

static bool contains(const char *s, size_t n, const char *pat)
{
	size_t m = strlen(pat);

	return n >= m && memmem(s, n, pat, m) != NULL;
}

static int tier_of(const char *s, size_t n)
{
	int t;
	size_t i;

	for (t = 0; t < NTIERS; t++)
		for (i = 0; tiers[t][i]; i++)
			if (contains(s, n, tiers[t][i]))
				return t;
	return NTIERS;
}

int vm_printk_panic_line(const struct vm_printk *p, const char **line,
			 size_t *len)
{
	int best = NTIERS;
	size_t i;

	for (i = 0; i < p->n && best > 0; i++) {
		const struct vm_printk_rec *r = &p->recs[i];
		const char *s = r->text, *end = r->text + r->text_len;

		while (s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t n = (size_t)((nl ? nl : end) - s);
			int t = tier_of(s, n);

			if (t < best) {
				best = t;
				*line = s;
				*len = n;
			}
			s += n + 1;
		}
	}
	return best < NTIERS;
}

/* "CPU: 1 PID: 758 Comm: ..." (dump_stack_print_info(), v3.10+) at the
 * start of the record's text. */
static bool cpu_line(const struct vm_printk_rec *r, int *cpu, int *pid)
{
	char buf[64];
	size_t n = r->text_len < sizeof(buf) - 1 ? r->text_len : sizeof(buf) - 1;
	unsigned c, p;
	int used = 0;

	memcpy(buf, r->text, n);
	buf[n] = '\0';
	if (sscanf(buf, "CPU: %u PID: %u Comm:%n", &c, &p, &used) != 2 || !used ||
	    c > 1u << 20 || p > 1u << 30)
		return false;
	*cpu = (int)c;
	*pid = (int)p;
	return true;
}

int vm_printk_panic_cpu(const struct vm_printk *p, int *cpu, int *pid)
{
	size_t i, at = p->n;

	for (i = p->n; i-- > 0;) {
		const struct vm_printk_rec *r = &p->recs[i];

		if (contains(r->text, r->text_len, "Kernel panic - not syncing")) {
			at = i;
			break;
		}
	}
	if (at == p->n)
		return 0;
	/* panic() dumps the stack right after its message; an oops that led
	 * to the panic printed its own header before */
	for (i = at + 1; i < p->n && i <= at + 16; i++)
		if (cpu_line(&p->recs[i], cpu, pid))
			return 1;
	for (i = at; i-- > 0 && at - i <= 400;)
		if (cpu_line(&p->recs[i], cpu, pid))
			return 1;
	return 0;
}
