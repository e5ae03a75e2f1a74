# SPDX-License-Identifier: GPL-2.0-or-later
# The fixture kernels: which Debian packages, how to boot them.  Sourced by
# make-fixture.sh and vmlinux.sh; `fx_case NAME` sets:
#   DARCH    Debian architecture of the kernel
#   KREL     uname -r
#   KPKGVER  Debian package version (pinned: the committed dump is this build)
#   KPKGS    packages holding the kernel image, modules, config
#   DBG      the -dbg package with the DWARF vmlinux ("" if none is used)
#   DBGPATH  the vmlinux inside it
#   QEMU_*   how to boot it
fx_case() {
	case $1 in
	x86_64-7.2)	# Debian sid, cloud flavour (a smaller config than the stock amd64)
		DARCH=amd64 KREL=7.2.13+deb14-cloud-amd64 KPKGVER=7.2.13-1
		KPKGS="linux-binary-$KREL linux-modules-$KREL linux-base-$KREL"
		DBG=linux-image-$KREL-dbg
		DBGPATH=usr/lib/debug/lib/modules/$KREL/vmlinux
		QEMU_CPU=max QEMU_MEM=256M ;;
	arm64-7.2)	# Debian sid, stock arm64 flavour; no debug vmlinux used
		DARCH=arm64 KREL=7.2.13+deb14-arm64 KPKGVER=7.2.13-1
		KPKGS="linux-binary-$KREL linux-modules-$KREL linux-base-$KREL"
		DBG="" DBGPATH=""
		QEMU_CPU=cortex-a72 QEMU_MEM=512M ;;
	x86_64-5.10)	# Debian 11 (bullseye), stock amd64 flavour; QEMU's default CPU: 4-level paging
		DARCH=amd64 KREL=5.10.0-46-amd64 KPKGVER=5.10.262-1
		KPKGS="linux-image-$KREL"
		DBG=linux-image-$KREL-dbg
		DBGPATH=usr/lib/debug/boot/vmlinux-$KREL
		QEMU_CPU=qemu64 QEMU_MEM=256M ;;
	*) echo "unknown fixture case: $1 (x86_64-7.2, arm64-7.2, x86_64-5.10)" >&2; return 1 ;;
	esac
	# stock modules loaded in the guest (with their dependencies)
	MODULES="qemu_fw_cfg dummy veth tun loop brd dm-mod"
}
