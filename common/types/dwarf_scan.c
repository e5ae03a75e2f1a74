// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One pass over .debug_info that builds the name index (dwarf_index.h).
 *
 * libdwarf decodes every attribute of every DIE it walks; on a 220 MB
 * kernel .debug_info that is seconds.  This scanner reads only the DIEs
 * directly under each unit and jumps over their children with DW_AT_sibling
 * (GCC and clang emit it on DIEs with children), so it touches a fraction
 * of the section.  The units are split between threads by bytes; each
 * collects names (dwarf_index.c), decoding with dwarf_form.c; the names
 * are merged and laid out as the index blob.  libdwarf then decodes the
 * few DIEs a question needs.
 */
#include "dwarf_form.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "types_impl.h"

#define MAX_DEPTH 4096

/* A name inside the unit's bytes, which a pread buffer reuses. */
static bool transient(const struct vm_dwunit *u, const char *name)
{
	const struct vm_dwsecs *s = u->s;
	const uint8_t *n = (const uint8_t *)name;

	if (s->info)
		return false;
	return !(s->str && n >= s->str && n < s->str + s->str_size) &&
	       !(s->line_str && n >= s->line_str && n < s->line_str + s->line_str_size);
}

/* ubase holds the unit's bytes: ubase[0] is .debug_info offset u->off. */
static int scan_unit(struct vm_dwnames *b, struct vm_dwunit *u, struct vm_dwabtab *t,
		     const uint8_t *ubase, uint64_t die0, struct vm_err *e)
{
	const struct vm_dwsecs *s = u->s;
	const uint8_t *p = ubase + (die0 - u->off), *end = ubase + (u->end - u->off);
	uint64_t code, enum_die = 0;
	const struct vm_dwabbrev *a;
	unsigned depth;
	uint32_t i;
	struct vm_dwval v;

	/* the unit DIE: only DW_AT_str_offsets_base matters here */
	if (vm_uleb128(&p, end, &code) < 0)
		return vm_dwcorrupt(s, die0, "unit DIE truncated", e);
	if (code == 0)
		return 0;
	a = vm_dwabbrev_find(t, code);
	if (!a)
		return vm_dwcorrupt(s, die0, "unknown abbreviation code", e);
	if (a->tag != DW_TAG_compile_unit && a->tag != DW_TAG_partial_unit)
		return 0;   /* type units and the like: not indexed */
	for (i = 0; i < a->nattr; i++) {
		const struct vm_dwattr *x = &t->at[a->attr0 + i];

		if (vm_dwform_read(u, &p, end, x->form, x->implicit, &v) < 0)
			return vm_dwcorrupt(s, die0, "unit DIE attributes truncated", e);
		if (x->at == DW_AT_str_offsets_base) {
			u->str_offsets_base = v.u;
			u->have_sob = true;
		}
	}
	if (!a->children)
		return 0;
	depth = 1;
	while (p < end) {
		uint64_t off = u->off + (uint64_t)(p - ubase), sib;
		const char *name;
		bool decl, defn;

		if (vm_uleb128(&p, end, &code) < 0)
			return vm_dwcorrupt(s, off, "abbreviation code truncated", e);
		if (code == 0) {
			if (depth == 2)
				enum_die = 0;
			if (--depth == 0)
				break;
			continue;
		}
		a = vm_dwabbrev_find(t, code);
		if (!a)
			return vm_dwcorrupt(s, off, "unknown abbreviation code", e);
		if (depth == 1 && a->want) {
			if (vm_dwform_top_die(u, t, a, &p, end, &name, &decl, &defn, &sib) < 0)
				return vm_dwcorrupt(s, off, "DIE attributes run past the unit", e);
			/* no *name here: that read would miss the cache on
			 * every DIE; empty names are dropped in the merge */
			if (name) {
				unsigned q = decl ? 0 : 1;

				if (a->want == VM_TK_VAR || a->want == VM_TK_FUNC)
					q += defn;
				if (vm_dwnames_add(b, name, a->want, q, off,
						transient(u, name), e) < 0)
					return -1;
			}
			if (a->tag == DW_TAG_enumeration_type && a->children) {
				/* read the enumerators: they are the names of
				 * constants like PIDTYPE_MAX */
				enum_die = off;
				depth++;
				continue;
			}
		} else if (depth == 2 && enum_die && a->tag == DW_TAG_enumerator) {
			if (vm_dwform_top_die(u, t, a, &p, end, &name, &decl, &defn, &sib) < 0)
				return vm_dwcorrupt(s, off, "DIE attributes run past the unit", e);
			if (name &&
			    vm_dwnames_add(b, name, VM_TK_ENUMERATOR, 1, enum_die,
					transient(u, name), e) < 0)
				return -1;
		} else if (a->children) {
			if (vm_dwform_sibling(u, t, a, &p, end, &sib) < 0)
				return vm_dwcorrupt(s, off, "DIE attributes run past the unit", e);
		} else {
			if (vm_dwform_skip_attrs(u, t, a, &p, end) < 0)
				return vm_dwcorrupt(s, off, "DIE attributes run past the unit", e);
			continue;
		}
		if (!a->children)
			continue;
		if (sib) {
			if (sib <= off || sib > u->end)
				return vm_dwcorrupt(s, off, "DW_AT_sibling outside the unit", e);
			p = ubase + (sib - u->off);
			continue;
		}
		if (++depth > MAX_DEPTH)
			return vm_dwcorrupt(s, off, "DIE tree too deep", e);
	}
	return 0;
}

/* Bytes [off, off+len) of .debug_info: from memory, or read from the file
 * into *buf (pread keeps the scan's resident memory to one unit instead of
 * the whole mapped section). */
static const uint8_t *info_bytes(const struct vm_dwsecs *s, uint64_t off,
				 size_t len, uint8_t **buf, size_t *cap,
				 struct vm_err *e)
{
	size_t done = 0;

	if (s->info)
		return s->info + off;
	if (len > *cap) {
		size_t nc = len < 1 << 20 ? 1 << 20 : len;
		uint8_t *nb = vm_malloc(nc, e);

		if (!nb)
			return NULL;
		free(*buf);
		*buf = nb;
		*cap = nc;
	}
	while (done < len) {
		ssize_t r = pread(s->info_fd, *buf + done, len - done,
				  (off_t)(s->info_foff + off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			vm_fail(e, VM_EIO, "%s: reading .debug_info at %#llx: %s",
				s->path, (unsigned long long)(off + done),
				r < 0 ? strerror(errno) : "unexpected end of file");
			return NULL;
		}
		done += (size_t)r;
	}
	return *buf;
}

static int collect_units(const struct vm_dwsecs *s, struct vm_dwuhdr **out,
			 size_t *n, struct vm_err *e)
{
	struct vm_dwuhdr *u = NULL;
	size_t cap = 0, bcap = 0;
	uint8_t *buf = NULL;
	uint64_t off = 0;
	int rc = -1;

	*n = 0;
	while (off < s->info_size) {
		size_t avail = s->info_size - off > 64 ? 64 : (size_t)(s->info_size - off);
		const uint8_t *p = info_bytes(s, off, avail, &buf, &bcap, e);

		if (!p)
			goto out;
		if (*n == cap) {
			size_t nc = cap ? 2 * cap : 1024;
			void *np = vm_realloc_array(u, nc, sizeof(*u), e);

			if (!np)
				goto out;
			u = np;
			cap = nc;
		}
		if (vm_dwunit_header(s, p, avail, off, &u[*n], e) < 0)
			goto out;
		off = u[(*n)++].end;
	}
	rc = 0;
out:
	free(buf);
	if (rc < 0) {
		free(u);
		u = NULL;
	}
	*out = u;
	return rc;
}

struct worker {
	const struct vm_dwsecs *s;
	const struct vm_dwuhdr *units;
	size_t first, last;      /* [first, last) */
	struct vm_dwnames names;
	struct vm_err err;
	int rc;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	const struct vm_dwsecs *s = w->s;
	struct vm_dwabtab t;
	uint8_t *buf = NULL;
	size_t bcap = 0, i;

	memset(&t, 0, sizeof(t));
	w->rc = -1;
	for (i = w->first; i < w->last; i++) {
		const struct vm_dwuhdr *h = &w->units[i];
		struct vm_dwunit u;
		const uint8_t *ub;

		if (h->utype != DW_UT_compile && h->utype != DW_UT_partial)
			continue;
		memset(&u, 0, sizeof(u));
		u.s = s;
		u.off = h->off;
		u.end = h->end;
		u.ver = h->ver;
		u.offsz = h->offsz;
		u.addrsz = h->addrsz;
		if (!t.valid || t.off != h->aoff || t.addrsz != u.addrsz ||
		    t.offsz != u.offsz || t.ver2 != (u.ver <= 2)) {
			if (vm_dwabtab_parse(&t, s, h->aoff, &u, &w->err) < 0)
				goto out;
		}
		ub = info_bytes(s, h->off, (size_t)(h->end - h->off), &buf, &bcap,
				&w->err);
		if (!ub || scan_unit(&w->names, &u, &t, ub, h->die0, &w->err) < 0)
			goto out;
	}
	w->rc = 0;
out:
	free(buf);
	vm_dwabtab_free(&t);
	return NULL;
}

/* Two workers on two halves of the units when the section is big enough
 * to be worth a thread; results do not depend on the split (see merge). */
#define MAX_WORKERS 4
#define MIN_BYTES_PER_WORKER (16u << 20)

static int scan(const struct vm_dwsecs *s, struct worker *w, unsigned *nw,
		struct vm_dwuhdr **units, size_t *nunits, struct vm_err *e)
{
	pthread_t tid[MAX_WORKERS];
	bool started[MAX_WORKERS] = { false };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n, i;
	size_t u = 0;

	if (collect_units(s, units, nunits, e) < 0)
		return -1;
	n = ncpu > 1 ? (unsigned)(ncpu < MAX_WORKERS ? ncpu : MAX_WORKERS) : 1;
	while (n > 1 && s->info_size / n < MIN_BYTES_PER_WORKER)
		n--;
	/* split by bytes, not by unit count */
	for (i = 0; i < n; i++) {
		uint64_t goal = s->info_size / n * (i + 1);

		w[i].s = s;
		w[i].units = *units;
		w[i].first = u;
		while (u < *nunits && (i == n - 1 || (*units)[u].off < goal))
			u++;
		w[i].last = u;
	}
	for (i = 1; i < n; i++)
		started[i] = pthread_create(&tid[i], NULL, work, &w[i]) == 0;
	work(&w[0]);
	for (i = 1; i < n; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			work(&w[i]);
	}
	*nw = n;
	for (i = 0; i < n; i++)
		if (w[i].rc < 0) {
			*e = w[i].err;
			return -1;
		}
	return 0;
}

int vm_dwidx_build(const struct vm_dwsecs *s, const uint8_t *build_id,
		   unsigned build_id_len, struct vm_dwidx *idx, struct vm_err *e)
{
	struct worker w[MAX_WORKERS];
	struct vm_dwnames names[MAX_WORKERS];
	struct vm_dwsecs sc = *s;
	struct vm_dwuhdr *units = NULL;
	uint64_t *uoff = NULL;
	size_t nunits = 0, i;
	unsigned nw = 0;
	int rc = -1;

	memset(w, 0, sizeof(w));
	memset(idx, 0, sizeof(*idx));
	/* a .debug_str that ends in NUL needs no per-name check */
	sc.str_terminated = s->str_size && !s->str[s->str_size - 1];
	if (scan(&sc, w, &nw, &units, &nunits, e) < 0)
		goto out;
	uoff = vm_calloc(nunits ? nunits : 1, sizeof(*uoff), e);
	if (!uoff)
		goto out;
	for (i = 0; i < nunits; i++)
		uoff[i] = units[i].off;
	for (i = 0; i < nw; i++)
		names[i] = w[i].names;
	rc = vm_dwidx_make(names, nw, uoff, nunits, s, build_id, build_id_len, idx, e);
out:
	free(uoff);
	free(units);
	for (i = 0; i < MAX_WORKERS; i++)
		vm_dwnames_free(&w[i].names);
	return rc;
}
