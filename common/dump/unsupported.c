// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump formats we recognise and do not read: said in one line, by name,
 * rather than "not a crash dump".  Each is told by the signature its
 * writers put at a fixed place (the readers that know them check the same
 * bytes):
 *   LKCD        u64 dh_magic_number at 0 = 0xa8190173618f23ed (live
 *               dumps ...cd), either byte order: crash lkcd_dump_v8.h
 *               DUMP_MAGIC_NUMBER / DUMP_MAGIC_LIVE, libkdumpfile lkcd.c
 *               lkcd_probe()
 *   sadump      Fujitsu's firmware dumper: u32 signature1 = 0x75646173
 *               ("sadu"), signature2 = 0x0000706d ("mp") at 0 (single
 *               partition, disk set), or at 4096 after a media header
 *               (media backup): crash sadump.h SADUMP_SIGNATURE1/2,
 *               libkdumpfile sadump.c probe_file()
 *   xc_core     Xen's domain dump (xm/xl dump-core), the pre-ELF form:
 *               u32 xch_magic at 0 = 0xF00FEBED (PV), 0xF00FEBEE (HVM):
 *               crash xendump.h XC_CORE_MAGIC / XC_CORE_MAGIC_HVM
 *   diskdump    "DISKDUMP" at 0: the RHEL 4 diskdump module's format
 *               (crash diskdump.h DISK_DUMP_SIGNATURE), the ancestor of
 *               kdump-compressed ("KDUMP   ")
 * ELF-based ones (xc_core in ELF, Xen hypervisor kdumps, ELF32,
 * big-endian) are named by elf.c, big-endian and 32-bit kdump-compressed
 * dumps by kdump.c.
 */
#include "dump_impl.h"
#include "../rd.h"

#include <string.h>

#define LKCD_MAGIC 0xa8190173618f23edull
#define LKCD_MAGIC_LIVE 0xa8190173618f23cdull
#define SADUMP_SIG1 0x75646173u
#define SADUMP_SIG2 0x0000706du
#define SADUMP_MEDIA_HDR 4096
#define XC_CORE_MAGIC 0xF00FEBEDu
#define XC_CORE_MAGIC_HVM 0xF00FEBEEu

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	return vm_rdn(p, n, true);
}

static bool is_sadump(const uint8_t *p)
{
	return get_le(p, 4) == SADUMP_SIG1 && get_le(p + 4, 4) == SADUMP_SIG2;
}

int vm_unsupported_format(const struct vm_src *s, const uint8_t *hdr,
			  size_t len, struct vm_err *e)
{
	uint8_t media[8];

	if (len >= 8) {
		uint64_t m = get_le(hdr, 8);

		if (m == LKCD_MAGIC || m == LKCD_MAGIC_LIVE ||
		    __builtin_bswap64(m) == LKCD_MAGIC ||
		    __builtin_bswap64(m) == LKCD_MAGIC_LIVE)
			return vm_fail(e, VM_EUNSUP, "an LKCD dump (not "
				       "supported)");
		if (is_sadump(hdr))
			return vm_fail(e, VM_EUNSUP, "a Fujitsu sadump dump "
				       "(not supported)");
		if (memcmp(hdr, "DISKDUMP", 8) == 0)
			return vm_fail(e, VM_EUNSUP, "a RHEL 4 diskdump-module "
				       "dump (not supported)");
	}
	if (len >= 4 && (get_le(hdr, 4) == XC_CORE_MAGIC ||
			 get_le(hdr, 4) == XC_CORE_MAGIC_HVM))
		return vm_fail(e, VM_EUNSUP, "a Xen xc_core dump (not "
			       "supported)");
	if (s->size >= SADUMP_MEDIA_HDR + sizeof(media) &&
	    vm_src_read(s, SADUMP_MEDIA_HDR, media, sizeof(media), "", NULL) == 0 &&
	    is_sadump(media))
		return vm_fail(e, VM_EUNSUP, "a Fujitsu sadump media backup "
			       "(not supported)");
	return 0;
}
