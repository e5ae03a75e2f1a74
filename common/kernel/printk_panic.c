// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The panic message as crash's `sys` shows it (PANIC:).  crash 8.0.2's
 * get_panicmsg() prints the log without timestamps and searches it line by
 * line in tiers (see printk.h); the first tier with a matching line wins,
 * and inside a tier the earliest line.  A record with embedded newlines is
 * several lines there, so it is here.
 */
#include "printk_impl.h"

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
