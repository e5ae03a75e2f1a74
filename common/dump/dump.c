// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The format-independent part of a dump: detection by content, the page
 * cache in front of each reader's read_page(), physical reads that cross
 * pages, and the accessors.
 */
#include "dump_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* About 1 MiB of cached pages, 16..256 entries. */
#define CACHE_BYTES (1u << 20)

int vm_dump_add_range(struct vm_dump *d, uint64_t start, uint64_t size,
		      struct vm_err *e)
{
	struct vm_phys_range *r;

	if (!size)
		return 0;
	if (d->nr_ranges) {
		r = &d->ranges[d->nr_ranges - 1];
		if (r->start + r->size == start) {
			r->size += size;
			return 0;
		}
	}
	/* capacity is the next power of two: a fragmented bitmap makes
	 * thousands of ranges, and growing by one would be quadratic */
	if ((d->nr_ranges & (d->nr_ranges - 1)) == 0) {
		r = vm_realloc_array(d->ranges, d->nr_ranges ? 2 * d->nr_ranges : 1,
				     sizeof(*r), e);
		if (!r)
			return -1;
		d->ranges = r;
	}
	d->ranges[d->nr_ranges++] = (struct vm_phys_range){ start, size };
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct vm_phys_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void vm_dump_sort_ranges(struct vm_dump *d)
{
	size_t i, n = 0;

	if (d->nr_ranges < 2)
		return;
	qsort(d->ranges, d->nr_ranges, sizeof(*d->ranges), cmp_range);
	for (i = 1; i < d->nr_ranges; i++) {
		struct vm_phys_range *last = &d->ranges[n], *r = &d->ranges[i];
		uint64_t lend = last->start + last->size;

		if (r->start <= lend) {
			if (r->start + r->size > lend)
				last->size = r->start + r->size - last->start;
		} else {
			d->ranges[++n] = *r;
		}
	}
	d->nr_ranges = n + 1;
}

static void dump_free(struct vm_dump *d)
{
	if (d->ops && d->ops->close)
		d->ops->close(d);
	vm_src_close(&d->src);
	for (size_t i = 0; i < d->nr_note_bufs; i++)
		free(d->note_bufs[i]);
	free(d->note_bufs);
	free(d->notes);
	free(d->vmcoreinfo);
	free(d->ranges);
	free(d->cache.pfn);
	free(d->cache.at);
	free(d->cache.data);
	free(d->path);
	free(d);
}

/*
 * DUMP names one file, or the parts of a makedumpfile --split set joined
 * by commas.  A name that is an existing file is that file even with a
 * comma in it.  On success *parts is an array of n names (*buf owns
 * them).
 */
#define MAX_NAMED_PARTS 4096

static int split_names(const char *path, char ***parts, size_t *n, char **buf,
		       struct vm_err *e)
{
	struct stat st;
	size_t cnt = 1;
	char *p;

	*parts = NULL;
	*buf = NULL;
	*n = 0;
	if (!strchr(path, ',') || stat(path, &st) == 0) {
		*buf = vm_strdup(path, e);
		*parts = vm_calloc(1, sizeof(**parts), e);
		if (!*buf || !*parts)
			return -1;
		(*parts)[0] = *buf;
		*n = 1;
		return 0;
	}
	for (const char *c = path; *c; c++)
		cnt += *c == ',';
	if (cnt > MAX_NAMED_PARTS)
		return vm_fail(e, VM_EINVAL, "%zu names joined by commas: at "
			       "most %d parts of a split set", cnt,
			       MAX_NAMED_PARTS);
	*buf = vm_strdup(path, e);
	*parts = vm_calloc(cnt, sizeof(**parts), e);
	if (!*buf || !*parts)
		return -1;
	p = *buf;
	for (size_t i = 0; i < cnt; i++) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (!*p)
			return vm_fail(e, VM_EINVAL, "an empty name in the list "
				       "of parts (part %zu of %zu)", i + 1, cnt);
		(*parts)[i] = p;
		p = comma ? comma + 1 : p + strlen(p);
	}
	*n = cnt;
	return 0;
}

struct vm_dump *vm_dump_open(const char *path, const struct vm_dump_opts *o,
			     struct vm_err *e)
{
	struct vm_dump *d = vm_calloc(1, sizeof(*d), e);
	uint8_t hdr[64];
	size_t hlen, nparts = 0;
	char **parts = NULL, *names = NULL;
	int r;

	if (!d)
		return NULL;
	d->src.fd = -1;
	if (split_names(path, &parts, &nparts, &names, e) < 0)
		goto fail;
	d->path = vm_strdup(parts[0], e);
	if (!d->path)
		goto fail;
	if (vm_src_open(&d->src, parts[0], e) < 0)
		goto fail_first;
	d->info.file_size = d->src.file_size;
	d->info.nr_cpus = -1;
	d->info.dump_level = -1;

	if (o && o->have_raw_base) {
		if (nparts > 1) {
			vm_fail(e, VM_EINVAL, "a raw memory image is one file, "
				"not a list of parts");
			goto fail;
		}
		r = vm_raw_open(d, o, e);
	} else {
		if (d->src.file_size == 0) {
			vm_fail(e, VM_EFORMAT, "empty file");
			goto fail;
		}
		if (vm_flat_detect(&d->src)) {
			if (vm_flat_index(&d->src, e) < 0)
				goto fail;
			d->info.format = VM_FMT_FLAT;
		}
		hlen = d->src.size < sizeof(hdr) ? (size_t)d->src.size
						 : sizeof(hdr);
		if (vm_src_read(&d->src, 0, hdr, hlen, "header", e) < 0)
			goto fail;
		if (vm_kdump_detect(hdr, hlen)) {
			r = vm_kdump_open(d, (const char *const *)parts, nparts, e);
		} else if (nparts > 1) {
			vm_fail(e, VM_EINVAL, "%zu files named: only the parts of "
				"a makedumpfile --split set (kdump-compressed) "
				"are named together", nparts);
			goto fail;
		} else if (vm_elf_detect(hdr, hlen)) {
			r = vm_elf_open(d, e);
		} else if (vm_unsupported_format(&d->src, hdr, hlen, e) < 0) {
			goto fail;
		} else {
			vm_fail(e, VM_EFORMAT, "%snot a crash dump: no ELF, "
				"kdump-compressed or flattened signature at "
				"offset 0 (raw memory image? use -o raw_base=ADDR)",
				d->info.format == VM_FMT_FLAT ?
				"flattened stream holds " : "");
			goto fail;
		}
	}
	if (r < 0)
		goto fail_first;
	if (d->info.format == VM_FMT_FLAT) {
		d->info.inner_name = d->info.format_name;
		d->info.format_name = "flattened";
	}
	free(parts);
	free(names);
	return d;
fail_first:
	/* DUMP names several files: say which one this is about, unless the
	 * message names a part already */
	if (nparts > 1) {
		bool named = false;

		for (size_t i = 0; i < nparts && !named; i++) {
			size_t n = strlen(parts[i]);

			named = !strncmp(e->msg, parts[i], n) &&
				e->msg[n] == ':';
		}
		if (!named)
			vm_err_prefix(e, "%s: ", parts[0]);
	}
fail:
	free(parts);
	free(names);
	dump_free(d);
	return NULL;
}

static void comp_names(unsigned c, char *buf, size_t len)
{
	static const struct { unsigned bit; const char *name; } n[] = {
		{ VM_COMP_ZLIB, "zlib" }, { VM_COMP_LZO, "lzo" },
		{ VM_COMP_SNAPPY, "snappy" }, { VM_COMP_ZSTD, "zstd" },
		{ VM_COMP_NONE, "uncompressed" },
	};
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		if ((c & n[i].bit) && o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
					      o ? "+" : "", n[i].name);
}

void vm_dump_describe(struct vm_dump *d, char *buf, size_t len)
{
	const struct vm_dump_info *in = &d->info;
	char comp[64], set[320] = "";

	comp_names(in->compression, comp, sizeof(comp));
	if (d->ops)
		vm_kdump_describe_set(d, set, sizeof(set));
	snprintf(buf, len, "%s%s%s%s%s%s%s", in->inner_name ? in->inner_name : "",
		 in->inner_name ? " in " : "", in->format_name,
		 comp[0] ? " (" : "", comp, comp[0] ? ")" : "", set);
}

void vm_dump_close(struct vm_dump *d)
{
	if (d)
		dump_free(d);
}

const struct vm_dump_info *vm_dump_info(const struct vm_dump *d)
{
	return &d->info;
}

const char *vm_dump_path(const struct vm_dump *d)
{
	return d->path;
}

int vm_dump_stat(const struct vm_dump *d, struct stat *st)
{
	if (d->src.fd < 0 || vm_kdump_is_split(d))
		return -1;
	return fstat(d->src.fd, st);
}

static int cache_init(struct vm_dump *d, struct vm_err *e)
{
	size_t n = CACHE_BYTES / d->info.page_size;

	if (n < 16)
		n = 16;
	if (n > 256)
		n = 256;
	while (n & (n - 1)) /* the slot is pfn mod n: a power of two */
		n &= n - 1;
	d->cache.pfn = vm_malloc(n * sizeof(uint64_t), e);
	d->cache.at = vm_malloc(n * sizeof(*d->cache.at), e);
	d->cache.data = vm_malloc(n * (size_t)d->info.page_size, e);
	if (!d->cache.pfn || !d->cache.at || !d->cache.data) {
		free(d->cache.pfn);
		free(d->cache.at);
		free(d->cache.data);
		d->cache.pfn = NULL;
		d->cache.at = NULL;
		d->cache.data = NULL;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		d->cache.pfn[i] = UINT64_MAX;
	d->cache.nr = n;
	return 0;
}

/* The cached copy of pfn, reading it on a miss. */
static const uint8_t *get_page(struct vm_dump *d, uint64_t pfn,
			       struct vm_err *e)
{
	size_t slot;
	uint8_t *p;

	if (!d->cache.pfn && cache_init(d, e) < 0)
		return NULL;
	slot = (size_t)(pfn & (d->cache.nr - 1));
	if (d->cache.pfn[slot] == pfn)
		return d->cache.at[slot];
	p = d->cache.data + slot * (size_t)d->info.page_size;
	d->cache.pfn[slot] = UINT64_MAX;
	if (d->keep.get) {
		bool stable = false;
		const void *kept = d->keep.get(d->keep.ctx, pfn, &stable);

		if (kept) {
			/* a mapped kept page is used where it is: no copy, and
			 * the slot's own page is never touched */
			if (!stable) {
				memcpy(p, kept, d->info.page_size);
				kept = p;
			}
			d->cache.pfn[slot] = pfn;
			d->cache.at[slot] = kept;
			return kept;
		}
	}
	d->decompressed = false;
	if (d->ops->read_page(d, pfn, p, e) < 0)
		return NULL;
	if (d->decompressed && d->keep.put && !d->keep_held)
		d->keep.put(d->keep.ctx, pfn, p);
	d->cache.pfn[slot] = pfn;
	d->cache.at[slot] = p;
	return p;
}

void vm_dump_set_page_keep(struct vm_dump *d, const struct vm_dump_page_keep *k)
{
	if (k && k->get && vm_dump_has_stored_form(d))
		d->keep = *k;
	else
		memset(&d->keep, 0, sizeof(d->keep));
}

void vm_dump_page_keep_hold(struct vm_dump *d, bool hold)
{
	if (hold)
		d->keep_held++;
	else if (d->keep_held)
		d->keep_held--;
}

int vm_dump_read_phys(struct vm_dump *d, uint64_t paddr, void *buf, size_t len,
		      struct vm_err *e)
{
	uint32_t ps = d->info.page_size;
	uint8_t *out = buf;

	if (len && paddr + len - 1 < paddr)
		return vm_fail(e, VM_EINVAL, "physical range %#llx + %zu wraps",
			       (unsigned long long)paddr, len);
	while (len) {
		uint64_t pfn = paddr / ps;
		size_t in = (size_t)(paddr % ps), n = ps - in;
		const uint8_t *p;

		if (n > len)
			n = len;
		p = get_page(d, pfn, e);
		if (!p)
			return -1;
		memcpy(out, p + in, n);
		out += n;
		paddr += n;
		len -= n;
	}
	return 0;
}

bool vm_dump_has_stored_form(const struct vm_dump *d)
{
	return d->ops->read_stored && !vm_kdump_is_split(d) &&
	       (d->info.compression & ~(unsigned)VM_COMP_NONE);
}

int vm_dump_read_stored(struct vm_dump *d, uint64_t pfn, struct vm_stored_page *sp,
			struct vm_err *e)
{
	const uint8_t *p;
	int r = 1;

	if (d->ops->read_stored)
		r = d->ops->read_stored(d, pfn, sp, e);
	if (r <= 0)
		return r;
	p = get_page(d, pfn, e);
	if (!p)
		return -1;
	sp->method = 0;
	sp->p = p;
	sp->len = d->info.page_size;
	return 0;
}

int vm_dump_pfn_present(struct vm_dump *d, uint64_t pfn, struct vm_err *e)
{
	return d->ops->pfn_present(d, pfn, e);
}

size_t vm_dump_nr_notes(const struct vm_dump *d)
{
	return d->nr_notes;
}

const struct vm_note *vm_dump_note(const struct vm_dump *d, size_t i)
{
	return i < d->nr_notes ? &d->notes[i] : NULL;
}

const char *vm_dump_vmcoreinfo(const struct vm_dump *d, size_t *len)
{
	if (len)
		*len = d->vmcoreinfo ? d->vmcoreinfo_len : 0;
	return d->vmcoreinfo;
}

size_t vm_dump_nr_ranges(const struct vm_dump *d)
{
	return d->nr_ranges;
}

const struct vm_phys_range *vm_dump_range(const struct vm_dump *d, size_t i)
{
	return i < d->nr_ranges ? &d->ranges[i] : NULL;
}
