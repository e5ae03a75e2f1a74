// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * makedumpfile --split sets: one dump written as several kdump-compressed
 * files in parallel, each holding the pages of one pfn range.
 *
 * Every part carries the same headers, VMCOREINFO, notes and the two
 * bitmaps of the whole machine (kdump.c says how a part's descriptors are
 * numbered), so the file opened first answers everything but page reads,
 * and the bitmaps say whether a page was dumped at all.  A page that was
 * dumped is read from the part whose [start_pfn, end_pfn) holds it; that
 * part is opened when such a page is first read, not before:
 *   - parts named together ("p1,p2,p3") are opened in the order given
 *     until one holds the page;
 *   - a part named alone finds the others in its directory: the files
 *     there whose kdump header equals its own but for the time stamp
 *     (kdump.c vm_kdump_same_dump says why) and whose VMCOREINFO is the
 *     same.  The directory is read once, when a page outside the part is
 *     first needed.
 * A part opened must also have the first part's bitmaps over its pfns:
 * its descriptors are numbered by them.
 * Ranges of the parts found must not overlap; a dumped page that no part
 * holds is an error naming the pfns missing, as makedumpfile's
 * check_splitting_info() names them.
 */
#include "dump_impl.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../rd.h"

#define MAX_PARTS 4096          /* parts named or found */
#define MAX_DIR_ENTRIES 100000  /* directory entries looked at */
#define MAX_PROBES 4096         /* files whose header is read */
#define FLAT_PROBE_RECORDS 256  /* flattened records read by a probe */

enum part_state {
	PART_NAMED,     /* path only */
	PART_PROBED,    /* headers read (directory search), range known */
	PART_OPEN,      /* open; its pages can be read */
};

struct part {
	char *path;
	enum part_state state;
	struct vm_src src;         /* PART_OPEN; unused (fd -1) for the
				      first part, which is the dump's own */
	uint64_t start, end;       /* its pfns, once probed or open */
	uint64_t first;            /* descriptor index of its first page in a
				      whole dump: pages dumped below start */
	uint64_t desc_end;         /* end of its descriptor table */
	dev_t dev;
	ino_t ino;
};

struct vm_split {
	struct part *parts;        /* [0] the dump's own file */
	size_t nr;
	bool named;                /* the user named the parts */
	bool searched;             /* the directory was searched */
	struct part *cands;        /* found in the directory, not yet taken */
	size_t nr_cands;
	size_t nr_foreign;         /* kdump files there of other dumps */
	char *dir;
	size_t last;               /* part of the last read */
};

static void part_fini(struct part *p)
{
	vm_src_close(&p->src);
	free(p->path);
}

void vm_split_free(struct vm_split *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->nr; i++)
		part_fini(&set->parts[i]);
	for (size_t i = 0; i < set->nr_cands; i++)
		part_fini(&set->cands[i]);
	free(set->parts);
	free(set->cands);
	free(set->dir);
	free(set);
}

static bool known(const struct part *p)
{
	return p->state != PART_NAMED;
}

static bool holds(const struct part *p, uint64_t pfn)
{
	return known(p) && p->start <= pfn && pfn < p->end;
}

/* "pfns 0x5100-0x68ff" for [lo, hi) */
static void pfns(char *buf, size_t len, uint64_t lo, uint64_t hi)
{
	if (hi - lo == 1)
		snprintf(buf, len, "pfn %#llx", (unsigned long long)lo);
	else
		snprintf(buf, len, "pfns %#llx-%#llx", (unsigned long long)lo,
			 (unsigned long long)(hi - 1));
}

/* Another taken part that shares pages with p, or NULL. */
static const struct part *overlap(const struct vm_split *set,
				  const struct part *p)
{
	for (size_t i = 0; i < set->nr; i++) {
		const struct part *q = &set->parts[i];

		if (q != p && known(q) && q->start < q->end &&
		    p->start < p->end && q->start < p->end && p->start < q->end)
			return q;
	}
	return NULL;
}

/* The part's facts from the first part's bitmap, and the checks that it
 * fits them. */
static int set_range(struct vm_dump *d, struct part *p, uint64_t start,
		     uint64_t end, uint64_t size, struct vm_err *e)
{
	const struct vm_kdump_hdr *h = vm_kdump_hdr(d);
	uint64_t n;

	p->start = start;
	p->end = end;
	p->first = vm_kdump_rank(d, start);
	n = vm_kdump_rank(d, end) - p->first;
	p->desc_end = h->desc_off + n * 24;
	if (size && p->desc_end > size && !(h->status & 0x8 /* incomplete */))
		return vm_fail(e, VM_ETRUNC, "%s: kdump page descriptors at "
			       "offset %#llx: %llu pages dumped in its pfns "
			       "%#llx..%#llx need %llu bytes, the file ends at "
			       "%#llx", p->path, (unsigned long long)h->desc_off,
			       (unsigned long long)n, (unsigned long long)start,
			       (unsigned long long)end, (unsigned long long)n * 24,
			       (unsigned long long)size);
	return 0;
}

/* VMCOREINFO bytes vi[0..vlen) equal the first part's. */
static bool same_vmcoreinfo(const struct vm_dump *d, const void *vi,
			    size_t vlen)
{
	size_t len;
	const char *mine = vm_dump_vmcoreinfo(d, &len);

	/* the stored copy has trailing NULs dropped (notes.c) */
	while (vi && vlen && ((const char *)vi)[vlen - 1] == '\0')
		vlen--;
	return (!vi && !mine) ||
	       (vi && mine && vlen == len && memcmp(vi, mine, len) == 0);
}

/* Same dump as the first part: headers, then VMCOREINFO bytes (from src,
 * or vi[0..vlen) when src is NULL). */
static int check_same(struct vm_dump *d, const char *path,
		      const struct vm_src *src, const struct vm_kdump_hdr *h,
		      const void *vi, struct vm_err *e)
{
	char why[160];
	void *own = NULL;
	bool same;

	if (!vm_kdump_same_dump(vm_kdump_hdr(d), h, why, sizeof(why)))
		return vm_fail(e, VM_EFORMAT, "%s: not a part of the same dump "
			       "as %s: %s", path, d->path, why);
	if (src && vm_kdump_read_vmcoreinfo(src, h, &vi, &own, e) < 0) {
		vm_err_prefix(e, "%s: ", path);
		return -1;
	}
	same = same_vmcoreinfo(d, vi, (size_t)h->vmci_len);
	free(own);
	if (!same)
		return vm_fail(e, VM_EFORMAT, "%s: not a part of the same dump "
			       "as %s: its VMCOREINFO differs", path, d->path);
	return 0;
}

/* Open a part named or found: its file, its headers, the checks. */
static int open_part(struct vm_dump *d, struct vm_split *set, struct part *p,
		     struct vm_err *e)
{
	struct vm_kdump_hdr h;
	uint8_t sig[16];
	dev_t dev;
	ino_t ino;

	if (vm_src_open(&p->src, p->path, e) < 0) {
		vm_err_prefix(e, "%s: ", p->path);
		return -1;
	}
	if (vm_src_id(&p->src, &dev, &ino) == 0)
		for (size_t i = 0; i < set->nr; i++) {
			const struct part *q = &set->parts[i];

			if (q != p && q->state == PART_OPEN && q->dev == dev &&
			    q->ino == ino)
				return vm_fail(e, VM_EINVAL, "%s is %s again: "
					       "a part is named twice", p->path,
					       q->path);
		}
	p->dev = dev;
	p->ino = ino;
	if (vm_flat_detect(&p->src) && vm_flat_index(&p->src, e) < 0) {
		vm_err_prefix(e, "%s: ", p->path);
		return -1;
	}
	if (vm_src_read(&p->src, 0, sig, 8, "kdump header", e) < 0 ||
	    (!vm_kdump_detect(sig, 8) &&
	     vm_fail(e, VM_EFORMAT, "no kdump-compressed signature at offset "
		     "0: not a part of a makedumpfile --split set") < 0) ||
	    vm_kdump_read_hdr(&p->src, &h, e) < 0) {
		vm_err_prefix(e, "%s: ", p->path);
		return -1;
	}
	if (check_same(d, p->path, &p->src, &h, NULL, e) < 0)
		return -1;
	if (p->state == PART_PROBED &&
	    (h.start_pfn != p->start || h.end_pfn != p->end))
		return vm_fail(e, VM_EIO, "%s: changed while read (pfns "
			       "%#llx..%#llx, then %#llx..%#llx)", p->path,
			       (unsigned long long)p->start,
			       (unsigned long long)p->end,
			       (unsigned long long)h.start_pfn,
			       (unsigned long long)h.end_pfn);
	if (set_range(d, p, h.start_pfn, h.end_pfn, p->src.size, e) < 0)
		return -1;
	/* the part's descriptors are numbered by the first part's bitmaps:
	 * they must be its own over its pfns */
	int same = vm_kdump_same_bitmaps(d, &p->src, p->start, p->end, e);

	if (same < 0) {
		vm_err_prefix(e, "%s: ", p->path);
		return -1;
	}
	if (!same)
		return vm_fail(e, VM_EFORMAT, "%s: not a part of the same dump "
			       "as %s: its bitmaps differ over its pfns "
			       "%#llx..%#llx", p->path, d->path,
			       (unsigned long long)p->start,
			       (unsigned long long)p->end);
	p->state = PART_OPEN;

	const struct part *q = overlap(set, p);

	if (q) {
		char a[64], b[64];

		pfns(a, sizeof(a), p->start, p->end);
		pfns(b, sizeof(b), q->start, q->end);
		return vm_fail(e, VM_EFORMAT, "%s holds %s and %s holds %s: "
			       "parts of one set hold different pages (two "
			       "--split runs of one dump?)", p->path, a,
			       q->path, b);
	}
	return 0;
}

/* ---- the directory search ---- */

static char *dir_of(const char *path, struct vm_err *e)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash)
		return vm_strdup(".", e);
	if (slash == path)
		return vm_strdup("/", e);
	dir = vm_malloc((size_t)(slash - path) + 1, e);
	if (dir) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	return dir;
}

/* Headers of a plain or flattened kdump file; 0 if it is not one. */
static int probe_headers(const struct vm_src *s, uint8_t *dh, uint8_t *sh)
{
	uint8_t sig[16];
	bool flat = vm_flat_detect(s);
	uint32_t bs;

	if (flat) {
		if (vm_flat_read_head(s, 0, dh, VM_KDUMP_DH_SIZE,
				      FLAT_PROBE_RECORDS) < 0)
			return 0;
	} else if (vm_src_read(s, 0, dh, VM_KDUMP_DH_SIZE, "", NULL) < 0) {
		return 0;
	}
	memcpy(sig, dh, 8);
	if (!vm_kdump_detect(sig, 8))
		return 0;
	bs = vm_le32(dh + 428); /* block_size; checked by the parser */
	if (bs < 512 || bs > (1u << 20))
		return 0;
	if (flat)
		return vm_flat_read_head(s, bs, sh, VM_KDUMP_SH_SIZE,
					 FLAT_PROBE_RECORDS) == 0;
	return vm_src_read(s, bs, sh, VM_KDUMP_SH_SIZE, "", NULL) == 0;
}

static bool taken(const struct vm_split *set, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < set->nr; i++)
		if (set->parts[i].state == PART_OPEN &&
		    set->parts[i].dev == dev && set->parts[i].ino == ino)
			return true;
	return false;
}

/* Look at one directory entry: a candidate when it is a part of the same
 * dump.  Errors reading other files are not ours to report. */
static int probe_entry(struct vm_dump *d, struct vm_split *set,
		       const char *path, struct vm_err *e)
{
	uint8_t dh[VM_KDUMP_DH_SIZE], sh[VM_KDUMP_SH_SIZE];
	struct vm_kdump_hdr h;
	struct vm_src s;
	struct vm_err ignore;
	struct stat st;
	void *vi = NULL;
	bool flat;
	dev_t dev;
	ino_t ino;
	int r = 0;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < 2 * (uint64_t)vm_kdump_hdr(d)->block_size ||
	    taken(set, st.st_dev, st.st_ino))
		return 0;
	if (vm_src_open(&s, path, &ignore) < 0)
		return 0;
	flat = vm_flat_detect(&s);
	if (vm_src_id(&s, &dev, &ino) < 0 || taken(set, dev, ino) ||
	    !probe_headers(&s, dh, sh))
		goto out;
	if (vm_kdump_parse_hdr(dh, sh, 0, &h, &ignore) < 0) {
		set->nr_foreign++;
		goto out;
	}
	/* the VMCOREINFO too (a few KiB), when it can be read from the
	 * file's start like the headers */
	if (h.vmci_len) {
		if (h.vmci_len > (1u << 20) ||
		    !(vi = vm_malloc((size_t)h.vmci_len, &ignore)))
			goto out;
		if (flat ? vm_flat_read_head(&s, h.vmci_off, vi,
					     (size_t)h.vmci_len,
					     FLAT_PROBE_RECORDS) < 0
			 : vm_src_read(&s, h.vmci_off, vi, (size_t)h.vmci_len,
				       "", NULL) < 0)
			goto out;
	}
	if (check_same(d, path, NULL, &h, vi, &ignore) < 0) {
		set->nr_foreign++;
		goto out;
	}
	if (set->nr_cands >= MAX_PARTS) {
		r = vm_fail(e, VM_EUNSUP, "more than %d parts of one split set "
			    "in %s", MAX_PARTS, set->dir);
		goto out;
	}
	if ((set->nr_cands & (set->nr_cands - 1)) == 0) {
		struct part *c = vm_realloc_array(set->cands,
						  set->nr_cands ? 2 * set->nr_cands : 1,
						  sizeof(*c), e);
		if (!c) {
			r = -1;
			goto out;
		}
		set->cands = c;
	}
	struct part *c = &set->cands[set->nr_cands];

	memset(c, 0, sizeof(*c));
	c->path = vm_strdup(path, e);
	if (!c->path) {
		r = -1;
		goto out;
	}
	c->state = PART_PROBED;
	c->dev = dev;
	c->ino = ino;
	c->src.fd = -1;
	if (set_range(d, c, h.start_pfn, h.end_pfn, 0, e) < 0) {
		free(c->path);
		r = -1;
		goto out;
	}
	set->nr_cands++;
out:
	free(vi);
	vm_src_close(&s);
	return r;
}

static int search_dir(struct vm_dump *d, struct vm_split *set,
		      struct vm_err *e)
{
	struct dirent *de;
	size_t seen = 0, probed = 0;
	DIR *dp;

	set->searched = true;
	if (strcmp(d->path, "-") == 0)
		return 0; /* standard input: no directory */
	set->dir = dir_of(d->path, e);
	if (!set->dir)
		return -1;
	dp = opendir(set->dir);
	if (!dp)
		return vm_fail(e, VM_EIO, "cannot read directory %s to find the "
			       "other parts of the split set: %s", set->dir,
			       strerror(errno));
	while ((de = readdir(dp)) && seen++ < MAX_DIR_ENTRIES) {
		const char *n = de->d_name;
		char *path;
		int r;

		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		if (de->d_type != DT_REG && de->d_type != DT_LNK &&
		    de->d_type != DT_UNKNOWN)
			continue;
		if (probed++ >= MAX_PROBES)
			break;
		path = vm_malloc(strlen(set->dir) + strlen(n) + 2, e);
		if (!path) {
			closedir(dp);
			return -1;
		}
		sprintf(path, "%s/%s", set->dir, n);
		r = probe_entry(d, set, path, e);
		free(path);
		if (r < 0) {
			closedir(dp);
			return -1;
		}
	}
	closedir(dp);
	return 0;
}

static int add_part(struct vm_split *set, struct part *p, struct vm_err *e)
{
	if ((set->nr & (set->nr - 1)) == 0) {
		struct part *n = vm_realloc_array(set->parts,
						  set->nr ? 2 * set->nr : 1,
						  sizeof(*n), e);
		if (!n)
			return -1;
		set->parts = n;
	}
	set->parts[set->nr++] = *p;
	return 0;
}

/* Take candidate i of the directory search as a part of the set. */
static int take_cand(struct vm_split *set, size_t i, struct vm_err *e)
{
	struct part c = set->cands[i];

	set->cands[i] = set->cands[--set->nr_cands];
	if (add_part(set, &c, e) < 0) {
		part_fini(&c);
		return -1;
	}
	return 0;
}

/* Take the candidates that share no page with a part or with another
 * candidate: parts of this set beyond doubt.  Their headers are read, the
 * files are not open. */
static int take_unambiguous(struct vm_split *set, struct vm_err *e)
{
	for (size_t i = 0; i < set->nr_cands;) {
		const struct part *c = &set->cands[i];
		bool clash = c->start == c->end || overlap(set, c);

		for (size_t j = 0; j < set->nr_cands && !clash; j++) {
			const struct part *o = &set->cands[j];

			clash = j != i && o->start < c->end && c->start < o->end;
		}
		if (clash) {
			i++;
			continue;
		}
		if (take_cand(set, i, e) < 0)
			return -1;
	}
	return 0;
}

/* The largest run of pfns around pfn that no part holds: [*lo, *hi). */
static void gap_around(const struct vm_dump *d, const struct vm_split *set,
		       uint64_t pfn, uint64_t *lo, uint64_t *hi)
{
	*lo = 0;
	*hi = vm_kdump_hdr(d)->max_mapnr;
	for (size_t i = 0; i < set->nr; i++) {
		const struct part *p = &set->parts[i];

		if (!known(p) || p->start == p->end)
			continue;
		if (p->end <= pfn && p->end > *lo)
			*lo = p->end;
		if (p->start > pfn && p->start < *hi)
			*hi = p->start;
	}
}

static int missing(struct vm_dump *d, struct vm_split *set, uint64_t pfn,
		   struct vm_err *e)
{
	uint64_t lo, hi, pa = pfn * vm_kdump_hdr(d)->block_size;
	char range[64], others[96] = "";

	gap_around(d, set, pfn, &lo, &hi);
	pfns(range, sizeof(range), lo, hi);
	if (set->named)
		return vm_fail(e, VM_ETRUNC, "page at physical address %#llx "
			       "(pfn %#llx): no part of the split set holds "
			       "%s: a part is missing (%zu named)",
			       (unsigned long long)pa, (unsigned long long)pfn,
			       range, set->nr);
	if (!set->dir)
		return vm_fail(e, VM_ETRUNC, "page at physical address %#llx "
			       "(pfn %#llx): %s is one part of a split set and "
			       "holds %#llx..%#llx; name all its parts "
			       "(p1,p2,...) to read %s", (unsigned long long)pa,
			       (unsigned long long)pfn, d->path,
			       (unsigned long long)set->parts[0].start,
			       (unsigned long long)set->parts[0].end, range);
	if (set->nr_foreign)
		snprintf(others, sizeof(others), "; %zu other kdump file%s "
			 "there belong%s to other dumps", set->nr_foreign,
			 set->nr_foreign == 1 ? "" : "s",
			 set->nr_foreign == 1 ? "s" : "");
	return vm_fail(e, VM_ETRUNC, "page at physical address %#llx (pfn "
		       "%#llx): no part of the split set in %s holds %s: a "
		       "part is missing (%zu found%s)", (unsigned long long)pa,
		       (unsigned long long)pfn, set->dir, range, set->nr,
		       others);
}

/* The part holding pfn, opening or finding parts as needed. */
static struct part *find_part(struct vm_dump *d, struct vm_split *set,
			      uint64_t pfn, struct vm_err *e)
{
	size_t i;

	if (set->last < set->nr && holds(&set->parts[set->last], pfn))
		return &set->parts[set->last];
	for (i = 0; i < set->nr; i++)
		if (holds(&set->parts[i], pfn))
			return &set->parts[set->last = i];
	if (set->named) {
		for (i = 0; i < set->nr; i++) {
			struct part *p = &set->parts[i];

			if (p->state != PART_NAMED)
				continue;
			if (open_part(d, set, p, e) < 0)
				return NULL;
			if (holds(p, pfn))
				return &set->parts[set->last = i];
		}
		missing(d, set, pfn, e);
		return NULL;
	}
	if (!set->searched && (search_dir(d, set, e) < 0 ||
			       take_unambiguous(set, e) < 0))
		return NULL;
	for (i = 0; i < set->nr; i++)
		if (holds(&set->parts[i], pfn))
			return &set->parts[set->last = i];
	/* what is left are candidates that share pages with another */
	size_t hit = SIZE_MAX;

	for (i = 0; i < set->nr_cands; i++) {
		if (!holds(&set->cands[i], pfn))
			continue;
		if (hit != SIZE_MAX) {
			char a[64], b[64];

			pfns(a, sizeof(a), set->cands[hit].start,
			     set->cands[hit].end);
			pfns(b, sizeof(b), set->cands[i].start,
			     set->cands[i].end);
			vm_fail(e, VM_EFORMAT, "pfn %#llx: both %s (%s) and %s "
				"(%s) are parts of this dump: two --split runs "
				"in one directory; name the parts (p1,p2,...)",
				(unsigned long long)pfn, set->cands[hit].path,
				a, set->cands[i].path, b);
			return NULL;
		}
		hit = i;
	}
	missing(d, set, pfn, e);
	return NULL;
}

int vm_split_read_page(struct vm_dump *d, struct vm_split *set, uint64_t pfn,
		       void *buf, struct vm_err *e)
{
	struct part *p = find_part(d, set, pfn, e);

	if (!p)
		return -1;
	if (p->state != PART_OPEN && open_part(d, set, p, e) < 0)
		return -1;
	if (vm_kdump_read_desc(d, p == &set->parts[0] ? &d->src : &p->src, pfn, vm_kdump_rank(d, pfn) - p->first,
			       p->desc_end, buf, e) < 0) {
		if (p != &set->parts[0])
			vm_err_prefix(e, "%s: ", p->path);
		return -1;
	}
	return 0;
}

struct vm_split *vm_split_new(struct vm_dump *d, const char *const *parts,
			      size_t nparts, uint64_t desc_end,
			      struct vm_err *e)
{
	const struct vm_kdump_hdr *h = vm_kdump_hdr(d);
	struct vm_split *set;
	struct part p;

	if (nparts > MAX_PARTS) {
		vm_fail(e, VM_EUNSUP, "%zu parts named: at most %d", nparts,
			MAX_PARTS);
		return NULL;
	}
	set = vm_calloc(1, sizeof(*set), e);
	if (!set)
		return NULL;
	set->named = nparts > 1;
	memset(&p, 0, sizeof(p));
	p.path = vm_strdup(d->path, e);
	p.state = PART_OPEN;
	p.src.fd = -1;
	if (!p.path || vm_src_id(&d->src, &p.dev, &p.ino) < 0 ||
	    set_range(d, &p, h->start_pfn, h->end_pfn, 0, e) < 0 ||
	    add_part(set, &p, e) < 0) {
		free(p.path);
		vm_split_free(set);
		return NULL;
	}
	set->parts[0].desc_end = desc_end;
	for (size_t i = 1; i < nparts; i++) {
		struct stat st;

		/* a part that is not there is said now, though its pages may
		 * never be read: stat opens nothing */
		int bad = stat(parts[i], &st) < 0 ?
			  vm_fail(e, VM_EIO, "%s: cannot open: %s", parts[i],
				  strerror(errno)) :
			  !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode) ?
			  vm_fail(e, VM_EUNSUP, "%s: not a regular file",
				  parts[i]) : 0;

		if (bad) {
			vm_split_free(set);
			return NULL;
		}
		memset(&p, 0, sizeof(p));
		p.state = PART_NAMED;
		p.src.fd = -1;
		p.path = vm_strdup(parts[i], e);
		if (!p.path || add_part(set, &p, e) < 0) {
			free(p.path);
			vm_split_free(set);
			return NULL;
		}
	}
	return set;
}

/* Find every part: open those named, take the candidates that fill the
 * gaps; empty parts (makedumpfile gives the last parts nothing when one
 * splitblock holds the whole dump) count when they sit at a boundary. */
static void complete(struct vm_dump *d, struct vm_split *set, char *err,
		     size_t len)
{
	struct vm_err e = { 0 };

	if (set->named) {
		for (size_t i = 0; i < set->nr; i++)
			if (set->parts[i].state == PART_NAMED &&
			    open_part(d, set, &set->parts[i], &e) < 0) {
				snprintf(err, len, "%.*s", (int)len - 1, e.msg);
				return;
			}
		return;
	}
	if (!set->searched && (search_dir(d, set, &e) < 0 ||
			       take_unambiguous(set, &e) < 0)) {
		snprintf(err, len, "%.*s", (int)len - 1, e.msg);
		return;
	}
	for (bool more = true; more;) {
		more = false;
		for (size_t i = 0; i < set->nr_cands; i++) {
			struct part *c = &set->cands[i];
			bool fits = !overlap(set, c);

			if (fits && c->start == c->end) {
				fits = false;
				for (size_t j = 0; j < set->nr; j++)
					if (set->parts[j].end == c->start ||
					    set->parts[j].start == c->start)
						fits = true;
			}
			if (fits) {
				if (take_cand(set, i, &e) < 0) {
					snprintf(err, len, "%.*s", (int)len - 1, e.msg);
					return;
				}
				more = true;
				break;
			}
		}
	}
}

void vm_split_describe(struct vm_dump *d, struct vm_split *set, char *buf,
		       size_t len)
{
	char err[256] = "", range[64];
	uint64_t max = vm_kdump_hdr(d)->max_mapnr, at = 0, nmiss = 0;
	uint64_t first_lo = 0, first_hi = 0;
	size_t n;

	complete(d, set, err, sizeof(err));
	n = (size_t)snprintf(buf, len, ", split set of %zu part%s", set->nr,
			     set->nr == 1 ? "" : "s");
	if (n >= len)
		return;
	if (err[0]) {
		snprintf(buf + n, len - n, " (%s)", err);
		return;
	}
	/* the runs of pfns no part holds, walking up from 0 */
	while (at < max) {
		uint64_t next = max, lo, hi;
		bool in = false;

		for (size_t i = 0; i < set->nr; i++) {
			const struct part *p = &set->parts[i];

			if (!known(p) || p->start == p->end)
				continue;
			if (holds(p, at)) {
				in = true;
				next = p->end;
				break;
			}
		}
		if (in) {
			at = next;
			continue;
		}
		gap_around(d, set, at, &lo, &hi);
		if (!nmiss++) {
			first_lo = lo;
			first_hi = hi;
		}
		at = hi;
	}
	if (nmiss) {
		pfns(range, sizeof(range), first_lo, first_hi);
		snprintf(buf + n, len - n, ", no part holds %s%s", range,
			 nmiss > 1 ? " and more" : "");
	}
}
