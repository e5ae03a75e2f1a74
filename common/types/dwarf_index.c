// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DWARF name index (dwarf_index.h): collecting the names a scan finds,
 * laying them out as the position-independent blob, checking a blob
 * (built or loaded), and looking names and units up in it.
 */
#include "dwarf_index.h"

#include <stdlib.h>
#include <string.h>

#include "../rd.h"


/* A candidate index entry: the best DIE seen so far for (name, kind). */
struct vm_dwcand {
	const char *key;         /* the name where the DIE had it (dedup key) */
	const char *name;        /* our copy */
	uint64_t die;
	uint32_t hash, len;
	uint8_t kind, quality;
};


uint32_t vm_dwidx_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static uint32_t hash_n(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static size_t ptr_slot(const char *name, unsigned kind, size_t cap)
{
	uint64_t k = (uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15ull;

	return (size_t)((k >> 32) ^ kind * 0x85ebca6bu) & (cap - 1);
}

static size_t str_slot(uint32_t hash, unsigned kind, size_t cap)
{
	return (hash ^ kind * 0x9e3779b9u) & (cap - 1);
}

/* Copy a name into the builder's chunks, hashing it on the way: this is
 * the one read of the string (a cache miss into .debug_str), done by the
 * worker threads rather than by the merge. */
static const char *keep_name(struct vm_dwnames *b, const char *name,
			     uint32_t *hash, uint32_t *len, struct vm_err *e)
{
	size_t n = strnlen(name, 4095);
	char *dst;

	if (!b->nchunks || b->chunk_cap - b->chunk_used < n + 1) {
		void *np = vm_realloc_array(b->chunks, b->nchunks + 1,
					    sizeof(*b->chunks), e);

		if (!np)
			return NULL;
		b->chunks = np;
		b->chunks[b->nchunks] = vm_malloc(1 << 16, e);
		if (!b->chunks[b->nchunks])
			return NULL;
		b->nchunks++;
		b->chunk_used = 0;
		b->chunk_cap = 1 << 16;
	}
	dst = b->chunks[b->nchunks - 1] + b->chunk_used;
	memcpy(dst, name, n);
	dst[n] = 0;
	b->chunk_used += n + 1;
	*hash = hash_n(dst, n);
	*len = (uint32_t)n;
	return dst;
}

void vm_dwnames_free(struct vm_dwnames *b)
{
	size_t i;

	for (i = 0; i < b->nchunks; i++)
		free(b->chunks[i]);
	free(b->chunks);
	free(b->c);
	free(b->slot);
}

static int slots_grow(struct vm_dwnames *b, struct vm_err *e)
{
	size_t ncap = b->nslot ? 2 * b->nslot : 1 << 15, i, j;
	uint32_t *ns = vm_calloc(ncap, sizeof(*ns), e);

	if (!ns)
		return -1;
	for (i = 0; i < b->n; i++) {
		const struct vm_dwcand *c = &b->c[i];

		if (!c->key)
			continue;
		for (j = ptr_slot(c->key, c->kind, ncap); ns[j]; j = (j + 1) & (ncap - 1))
			;
		ns[j] = (uint32_t)i + 1;
	}
	free(b->slot);
	b->slot = ns;
	b->nslot = ncap;
	return 0;
}

/*
 * Keyed by the name's address: .debug_str is merged, so the same string in
 * a thousand units is one pointer and is read once.  Names inside a unit
 * buffer that pread reuses (transient) have no stable address: they are
 * kept without dedup and the merge compares them by content.
 */
int vm_dwnames_add(struct vm_dwnames *b, const char *name, unsigned kind,
		   unsigned quality, uint64_t die, bool transient,
		   struct vm_err *e)
{
	struct vm_dwcand *c;
	size_t j = 0;

	if (!transient) {
		if ((b->n + 1) * 2 > b->nslot && slots_grow(b, e) < 0)
			return -1;
		for (j = ptr_slot(name, kind, b->nslot); b->slot[j];
		     j = (j + 1) & (b->nslot - 1)) {
			c = &b->c[b->slot[j] - 1];
			if (c->key == name && c->kind == kind) {
				if (quality > c->quality) {
					c->quality = (uint8_t)quality;
					c->die = die;
				}
				return 0;
			}
		}
	}
	if (b->n == b->capc) {
		size_t nc = b->capc ? 2 * b->capc : 1 << 14;
		void *np = vm_realloc_array(b->c, nc, sizeof(*b->c), e);

		if (!np)
			return -1;
		b->c = np;
		b->capc = nc;
	}
	c = &b->c[b->n];
	c->key = transient ? NULL : name;
	c->die = die;
	c->kind = (uint8_t)kind;
	c->quality = (uint8_t)quality;
	c->name = keep_name(b, name, &c->hash, &c->len, e);
	if (!c->name)
		return -1;
	if (!transient)
		b->slot[j] = (uint32_t)b->n + 1;
	b->n++;
	return 0;
}

/* Merge the scan threads' candidates by string content into one dense array;
 * equal names keep the best quality, then the lowest offset, so the result
 * does not depend on how units were split between workers. */
static int merge(struct vm_dwnames *w, unsigned nw, struct vm_dwcand **out,
		 size_t *outn, size_t *strsz, struct vm_err *e)
{
	size_t i, j, n = 0, cap = 2, total = 0;
	struct vm_dwcand *t;
	uint32_t *slot;
	unsigned k;

	*strsz = 0;
	for (k = 0; k < nw; k++)
		total += w[k].n;
	while (cap < 2 * total)
		cap <<= 1;
	slot = vm_calloc(cap, sizeof(*slot), e);
	t = vm_calloc(total ? total : 1, sizeof(*t), e);
	if (!slot || !t) {
		free(slot);
		free(t);
		return -1;
	}
	for (k = 0; k < nw; k++)
	for (i = 0; i < w[k].n; i++) {
		const struct vm_dwcand *c = &w[k].c[i];
		struct vm_dwcand *x = NULL;

		if (!c->len)
			continue;
		for (j = str_slot(c->hash, c->kind, cap); slot[j]; j = (j + 1) & (cap - 1)) {
			x = &t[slot[j] - 1];
			if (x->hash == c->hash && x->kind == c->kind &&
			    x->len == c->len && !memcmp(x->name, c->name, c->len))
				break;
			x = NULL;
		}
		if (x) {
			if (c->quality > x->quality ||
			    (c->quality == x->quality && c->die < x->die)) {
				x->quality = c->quality;
				x->die = c->die;
			}
			continue;
		}
		t[n] = *c;
		slot[j] = (uint32_t)++n;
		*strsz += c->len + 1;
	}
	free(slot);
	*out = t;
	*outn = n;
	return 0;
}

int vm_dwidx_make(struct vm_dwnames *names, unsigned nnames, const uint64_t *units,
		  size_t nunits, const struct vm_dwsecs *s, const uint8_t *build_id,
		  unsigned build_id_len, struct vm_dwidx *idx, struct vm_err *e)
{
	struct vm_dwcand *m = NULL;
	size_t mn = 0, strsz = 0;
	struct vm_dwidx_hdr *h;
	uint64_t *unit;
	uint32_t *bucket, nbucket = 2, k = 0;
	struct vm_dwidx_ent *ent;
	char *str;
	size_t memsz, i, so = 0;
	int rc = -1;

	memset(idx, 0, sizeof(*idx));
	if (merge(names, nnames, &m, &mn, &strsz, e) < 0)
		goto out;
	if (mn > UINT32_MAX / 4 || strsz > UINT32_MAX || nunits > UINT32_MAX) {
		vm_fail(e, VM_ENOMEM, "%s: name index too large", s->path);
		goto out;
	}
	while (nbucket < mn)
		nbucket <<= 1;
	memsz = sizeof(*h) + nunits * 8 + (size_t)nbucket * 4 + mn * sizeof(*ent) + strsz;
	memsz = (memsz + 7) & ~(size_t)7;
	idx->mem = vm_calloc(1, memsz, e);
	if (!idx->mem)
		goto out;
	idx->memsz = memsz;
	h = idx->mem;
	memcpy(h->magic, VM_DWIDX_MAGIC, 8);
	h->version = VM_DWIDX_VERSION;
	h->hdr_size = sizeof(*h);
	h->info_size = s->info_size;
	h->abbrev_size = s->abbrev_size;
	h->str_size = s->str_size;
	h->file_size = s->file_size;
	h->file_mtime_ns = s->file_mtime_ns;
	if (build_id && build_id_len <= sizeof(h->build_id)) {
		memcpy(h->build_id, build_id, build_id_len);
		h->build_id_len = build_id_len;
	}
	h->nunit = (uint32_t)nunits;
	h->nbucket = nbucket;
	h->nent = (uint32_t)mn;
	h->strsz = (uint32_t)strsz;
	unit = (uint64_t *)(h + 1);
	if (nunits)
		memcpy(unit, units, nunits * sizeof(*unit));
	bucket = (uint32_t *)(unit + nunits);
	ent = (struct vm_dwidx_ent *)(bucket + nbucket);
	str = (char *)(ent + mn);
	for (i = 0; i < mn; i++) {
		const struct vm_dwcand *c = &m[i];
		uint32_t bi;

		memcpy(str + so, c->name, c->len + 1);
		ent[k].die = c->die;
		ent[k].name = (uint32_t)so;
		ent[k].hash = c->hash;
		ent[k].kind = c->kind;
		bi = c->hash & (nbucket - 1);
		ent[k].next = bucket[bi];
		bucket[bi] = k + 1;
		so += c->len + 1;
		k++;
	}
	h->checksum = vm_dwidx_checksum(h + 1, memsz - sizeof(*h));
	rc = vm_dwidx_attach(idx, e);
out:
	free(m);
	if (rc < 0 && idx->mem && !idx->mapped) {
		free(idx->mem);
		idx->mem = NULL;
	}
	return rc;
}

uint64_t vm_dwidx_checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
	size_t i;

	/* words in little-endian order: the blob is in host order (see
	 * dwarf_index.h), so this is the same sum on the hosts we run on */
	for (i = 0; i + 8 <= n; i += 8) {
		w = vm_le64(b + i);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

int vm_dwidx_attach(struct vm_dwidx *idx, struct vm_err *e)
{
	const struct vm_dwidx_hdr *h = idx->mem;
	size_t need;
	uint32_t i;

	if (idx->memsz < sizeof(*h) || memcmp(h->magic, VM_DWIDX_MAGIC, 8) ||
	    h->version != VM_DWIDX_VERSION || h->hdr_size != sizeof(*h))
		return vm_fail(e, VM_EFORMAT, "index header invalid");
	need = sizeof(*h) + (size_t)h->nunit * 8 + (size_t)h->nbucket * 4 +
	       (size_t)h->nent * sizeof(struct vm_dwidx_ent) + h->strsz;
	if (need > idx->memsz || h->nbucket == 0 ||
	    (h->nbucket & (h->nbucket - 1)) || h->build_id_len > sizeof(h->build_id))
		return vm_fail(e, VM_EFORMAT, "index sizes invalid");
	idx->hdr = h;
	idx->unit = (const uint64_t *)(h + 1);
	idx->bucket = (const uint32_t *)(idx->unit + h->nunit);
	idx->ent = (const struct vm_dwidx_ent *)(idx->bucket + h->nbucket);
	idx->str = (const char *)(idx->ent + h->nent);
	/* every link and name inside the blob, names terminated */
	if (h->strsz && idx->str[h->strsz - 1])
		return vm_fail(e, VM_EFORMAT, "index string table unterminated");
	for (i = 0; i < h->nbucket; i++)
		if (idx->bucket[i] > h->nent)
			return vm_fail(e, VM_EFORMAT, "index bucket %u invalid", i);
	for (i = 0; i < h->nent; i++)
		if (idx->ent[i].next > h->nent || idx->ent[i].name >= h->strsz ||
		    idx->ent[i].die >= h->info_size)
			return vm_fail(e, VM_EFORMAT, "index entry %u invalid", i);
	for (i = 1; i < h->nunit; i++)
		if (idx->unit[i] <= idx->unit[i - 1] || idx->unit[i] >= h->info_size)
			return vm_fail(e, VM_EFORMAT, "index unit %u invalid", i);
	return 0;
}

int vm_dwidx_lookup(const struct vm_dwidx *idx, const char *name,
		    unsigned kind, uint64_t *die)
{
	uint32_t h = vm_dwidx_hash(name), i, steps = 0;

	if (!idx->hdr)
		return 0;
	for (i = idx->bucket[h & (idx->hdr->nbucket - 1)]; i;
	     i = idx->ent[i - 1].next) {
		const struct vm_dwidx_ent *x = &idx->ent[i - 1];

		/* a corrupt chain could loop */
		if (++steps > idx->hdr->nent)
			return 0;
		if (x->hash == h && x->kind == kind && !strcmp(idx->str + x->name, name)) {
			*die = x->die;
			return 1;
		}
	}
	return 0;
}

int vm_dwidx_unit(const struct vm_dwidx *idx, uint64_t off, uint64_t info_size,
		  uint64_t *start, uint64_t *end)
{
	uint32_t lo = 0, hi;

	if (!idx->hdr || idx->hdr->nunit == 0 || off >= info_size)
		return -1;
	hi = idx->hdr->nunit;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (idx->unit[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (idx->unit[lo] > off)
		return -1;
	*start = idx->unit[lo];
	*end = lo + 1 < idx->hdr->nunit ? idx->unit[lo + 1] : info_size;
	return 0;
}

void vm_dwidx_free(struct vm_dwidx *idx)
{
	if (!idx || !idx->mem)
		return;
	if (!idx->mapped)
		free(idx->mem);
	idx->mem = NULL;
	idx->hdr = NULL;
}
