// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF note areas: PT_NOTE segments of ELF dumps and the note block that
 * makedumpfile copies into a kdump header (sub-header v4+).  Both hold
 * Elf64_Nhdr { namesz, descsz, type } + name + desc, each padded to 4 bytes.
 */
#include "dump_impl.h"

#include <stdlib.h>
#include <string.h>

#include "../rd.h"

#define NOTE_ALIGN(x) (((x) + 3) & ~(uint64_t)3)
#define MAX_NOTES 65536

int vm_dump_set_vmcoreinfo(struct vm_dump *d, const void *text, size_t len,
			   struct vm_err *e)
{
	const char *t = text;
	char *p;

	while (len && t[len - 1] == '\0')
		len--;
	p = vm_malloc(len + 1, e);
	if (!p)
		return -1;
	memcpy(p, t, len);
	p[len] = '\0';
	free(d->vmcoreinfo);
	d->vmcoreinfo = p;
	d->vmcoreinfo_len = len;
	return 0;
}

uint32_t vm_vmcoreinfo_pagesize(const struct vm_dump *d)
{
	const char *p = d->vmcoreinfo, *end;

	if (!p)
		return 0;
	end = p + d->vmcoreinfo_len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n > 9 && memcmp(p, "PAGESIZE=", 9) == 0) {
			unsigned long v = 0;

			for (size_t i = 9; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
				v = v * 10 + (unsigned long)(p[i] - '0');
				if (v > (1ul << 24))
					return 0;
			}
			return (uint32_t)v;
		}
		p += n + 1;
	}
	return 0;
}

int vm_notes_parse(struct vm_dump *d, void *buf, size_t len, uint64_t base,
		   struct vm_err *e)
{
	uint8_t *b = buf;
	size_t off = 0;
	void **bufs;

	bufs = vm_realloc_array(d->note_bufs, d->nr_note_bufs + 1,
				sizeof(*bufs), e);
	if (!bufs) {
		free(buf);
		return -1;
	}
	d->note_bufs = bufs;
	bufs[d->nr_note_bufs++] = buf;

	while (len - off >= 12) {
		/* the dump's byte order: only little-endian dumps get here
		 * (elf.c and kdump.c refuse the others) */
		uint32_t namesz = vm_le32(b + off), descsz = vm_le32(b + off + 4);
		uint32_t type = vm_le32(b + off + 8);
		uint64_t name_off = off + 12;
		uint64_t desc_off = name_off + NOTE_ALIGN((uint64_t)namesz);
		uint64_t next = desc_off + NOTE_ALIGN((uint64_t)descsz);

		/* Kernels pad the area with zeroed headers (the unused part of
		 * per-CPU note buffers): an all-zero header ends the list. */
		if (namesz == 0 && descsz == 0 && type == 0)
			break;
		if (desc_off + descsz > len || namesz > 4096) {
			return vm_fail(e, VM_ECORRUPT,
				       "note at offset %#llx: name size %u / "
				       "desc size %u run past the note area "
				       "(%zu bytes at %#llx)",
				       (unsigned long long)(base + off), namesz,
				       descsz, len, (unsigned long long)base);
		}
		if (d->nr_notes >= MAX_NOTES)
			return vm_fail(e, VM_ECORRUPT, "more than %d notes "
				       "(at offset %#llx)", MAX_NOTES,
				       (unsigned long long)(base + off));
		struct vm_note *n;

		/* capacity: the next power of two (no quadratic growth) */
		if ((d->nr_notes & (d->nr_notes - 1)) == 0) {
			n = vm_realloc_array(d->notes, d->nr_notes ? 2 * d->nr_notes : 1,
					     sizeof(*n), e);
			if (!n)
				return -1;
			d->notes = n;
		}
		n = &d->notes[d->nr_notes];
		/* The name is NUL-terminated in every writer we know; if one is
		 * not, terminate it in the padding of our copy (or cut its last
		 * byte when there is no padding). */
		if (namesz && b[name_off + namesz - 1] != '\0') {
			if (NOTE_ALIGN((uint64_t)namesz) > namesz)
				b[name_off + namesz] = '\0';
			else
				b[name_off + namesz - 1] = '\0';
		}
		n->type = type;
		n->name = namesz ? (const char *)b + name_off : "";
		n->desc = b + desc_off;
		n->descsz = descsz;
		d->nr_notes++;
		if (!d->vmcoreinfo && strcmp(n->name, "VMCOREINFO") == 0 &&
		    vm_dump_set_vmcoreinfo(d, n->desc, descsz, e) < 0)
			return -1;
		if (next >= len)
			break;
		off = (size_t)next;
	}
	return 0;
}
