#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Make one fixture dump from nothing (Debian 12, root, network to Debian's
# archive): download a stock Debian kernel, boot it in QEMU (TCG) with a
# busybox initramfs that prints ground truth on the console (guest/init),
# panic it with sysrq-c, save the memory with QEMU's dump-guest-memory, filter
# it with a makedumpfile that knows the kernel, and copy the result into
# tests/fixtures/CASE/.
#
#   nice tests/kernels/make-fixture.sh x86_64-7.2|arm64-7.2|x86_64-5.10
#
# env: WORK=dir for downloads and scratch (default /var/tmp/vmcoreutils-kernels)
#      OUT=destination (default tests/fixtures/CASE)   TMO=boot timeout (s)
# Nothing fetched is built: the kernel, busybox and makedumpfile are Debian's
# binaries, unpacked with dpkg-deb -x.  The only thing compiled is our own
# guest/vfork-hold.c (host gcc, or aarch64-linux-gnu-gcc for arm64).
set -euo pipefail
CASE=${1:?usage: make-fixture.sh CASE}
KIT=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$KIT/../.." && pwd)
. "$KIT/cases.sh"
fx_case "$CASE"
WORK=${WORK:-/var/tmp/vmcoreutils-kernels}
APTDIR=$WORK/apt
W=$WORK/$CASE
OUT=${OUT:-$TOP/tests/fixtures/$CASE}
log() { echo "[$(date +%T)] $CASE: $*"; }
mkdir -p "$W/debs" "$OUT"
cd "$W"

# ------------------------------------------------------------ 1. host tools
need="qemu-utils cpio zstd xz-utils python3 kmod makedumpfile gcc libc6-dev"
if [ "$DARCH" = amd64 ]; then need="$need qemu-system-x86"
else need="$need qemu-system-arm qemu-user-static gcc-aarch64-linux-gnu libc6-dev-arm64-cross"; fi
missing=$(for p in $need; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done)
[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null

# ------------------------------------------------------------ 2. packages
"$KIT/apt.sh" "$APTDIR" update
# makedumpfile 1.7.8 (sid) knows the 6.10+ page-type encoding; Debian 12's
# 1.7.2 drops live slab pages of such kernels with -d 31.
MDFPKGS="makedumpfile libc6 libdw1t64 libelf1t64 liblzo2-2 libzstd1 zlib1g libbz2-1.0 liblzma5"
(cd debs
 have() { ls "$1"_*"_$DARCH.deb" "$1"_*_all.deb >/dev/null 2>&1; }
 want=""
 for p in $KPKGS; do have "$p" || want="$want $p:$DARCH=$KPKGVER"; done
 have busybox-static || want="$want busybox-static:$DARCH"
 [ -n "$want" ] && "$KIT/apt.sh" "$APTDIR" download $want
 mkdir -p ../mdf
 cd ../mdf
 want=""
 for p in $MDFPKGS; do ls "$p"_*"_$DARCH.deb" >/dev/null 2>&1 || want="$want $p:$DARCH"; done
 # the newest makedumpfile (sid) and the libraries it was linked against
 [ -n "$want" ] && "$KIT/apt.sh" "$APTDIR" download $want
 true)
rm -rf root bb sysroot
for d in debs/linux-*.deb; do dpkg-deb -x "$d" root; done
dpkg-deb -x debs/busybox-static_*_$DARCH.deb bb
for d in mdf/*.deb; do dpkg-deb -x "$d" sysroot; done
# merged-/usr packages: the loader path in the binaries is /lib/...
for l in lib lib64; do [ -e sysroot/$l ] || ln -s usr/$l sysroot/$l; done
first() { for f in "$@"; do [ -e "$f" ] && { echo "$f"; return; }; done; echo "$1"; }
MODDIR=$(first root/usr/lib/modules/$KREL root/lib/modules/$KREL)
VMLINUZ=$(first root/boot/vmlinuz-$KREL $MODDIR/vmlinuz)
CONFIG=$(first root/boot/config-$KREL $MODDIR/config)
MDFBIN=$(first sysroot/usr/bin/makedumpfile sysroot/usr/sbin/makedumpfile)
[ -f "$VMLINUZ" ] && [ -f "$CONFIG" ] || { log "no vmlinuz/config in $KPKGS"; exit 1; }
if [ "$DARCH" = amd64 ]; then
	MDF=("$W/sysroot/usr/lib64/ld-linux-x86-64.so.2" --library-path "$W/sysroot/usr/lib/x86_64-linux-gnu" "$W/$MDFBIN")
else
	MDF=(qemu-aarch64-static -L "$W/sysroot" "$W/$MDFBIN")
fi
"${MDF[@]}" -v > mdf-version.txt 2>&1 || true
log "makedumpfile: $(head -n1 mdf-version.txt)"

# ------------------------------------------------------------ 3. initramfs
rm -rf initramfs; mkdir -p initramfs/{bin,sbin,proc,sys,dev,tmp,etc,lib/modules}
cp "$(first bb/usr/bin/busybox bb/bin/busybox)" initramfs/bin/busybox
ln -s busybox initramfs/bin/sh
mknod -m 600 initramfs/dev/console c 5 1
mknod -m 666 initramfs/dev/null c 1 3
cp "$KIT/guest/init" initramfs/init
cp "$KIT/guest/fx-worker" "$KIT/guest/fx-crash" initramfs/bin/
if [ "$DARCH" = amd64 ]; then CC=gcc; FULLSYMS=/dev/ttyS1; else CC=aarch64-linux-gnu-gcc; FULLSYMS=console; fi
$CC -O2 -static -o initramfs/bin/vfork-hold "$KIT/guest/vfork-hold.c"
printf 'CASE=%s\nFULLSYMS=%s\n' "$CASE" "$FULLSYMS" > initramfs/etc/fixture.conf
# modules and their dependencies, dependencies first, decompressed (busybox
# insmod takes plain ELF)
modfile() { find "$MODDIR/kernel" -name "$1.ko*" -o -name "$(echo "$1" | tr _- -_).ko*" | head -n1; }
: > initramfs/lib/modules/load.list
addmod() {
	local f dep
	grep -qx "$1.ko" initramfs/lib/modules/load.list && return 0
	f=$(modfile "$1")
	[ -n "$f" ] || { log "module $1: not a module in this kernel (built in?)"; return 0; }
	for dep in $(modinfo -F depends "$f" | tr , ' '); do addmod "$dep"; done
	case $f in
	*.xz) xz -dc "$f" ;; *.zst) zstd -qdc "$f" ;; *.gz) gzip -dc "$f" ;; *) cat "$f" ;;
	esac > "initramfs/lib/modules/$1.ko"
	echo "$1.ko" >> initramfs/lib/modules/load.list
}
for m in $MODULES; do addmod "$m"; done
log "modules: $(tr '\n' ' ' < initramfs/lib/modules/load.list)"
(cd initramfs && find . | sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n) > initramfs.cpio.gz

# ------------------------------------------------------------ 4. boot, panic, capture
if [ "${SKIP_BOOT:-0}" != 1 ]; then
	[ "$DARCH" = amd64 ] && tmo=${TMO:-1500} || tmo=${TMO:-3600}
	for try in 1 2 3; do
		log "booting (TCG; up to ${tmo}s; try $try)"
		python3 "$KIT/capture.py" "$DARCH" "$W" "$VMLINUZ" initramfs.cpio.gz "$QEMU_CPU" "$QEMU_MEM" "$tmo" && break
		[ "$try" = 3 ] && { log "no good capture in 3 tries"; exit 1; }
	done
fi
tr -d '\r' < serial.log > serial.txt
if [ -s kallsyms-port.log ]; then tr -d '\r' < kallsyms-port.log > ksyms.raw; else cp serial.txt ksyms.raw; fi
sed -n '/^=== GT kallsyms-full ===$/,/^=== GT kallsyms-full end ===$/p' ksyms.raw | sed '1d;$d' > kallsyms.txt
[ -s kallsyms.txt ] || { log "no kallsyms in the ground truth"; exit 1; }

# ------------------------------------------------------------ 5. makedumpfile
# QEMU 7.2 puts its program headers after two section headers (e_phoff=192);
# makedumpfile reads them right after the ELF header: give it a copy with
# the headers moved there (data offsets unchanged).
python3 "$KIT/phfix.py" dump.elf dump.phfix.elf
# makedumpfile never overwrites an output file
rm -f dmesg.txt dmesg.host.txt vmcore.kdump-*
case $CASE in
x86_64-5.10)	# Debian 12's makedumpfile (1.7.2) knows 5.10; zlib, which crash 8.0.2 reads
	KDUMP=vmcore.kdump-zlib; MDFLAGS="-c -d 31"
	makedumpfile -v > mdf-host-version.txt 2>&1 || true
	makedumpfile --dump-dmesg dump.phfix.elf dmesg.host.txt > mdf-host-dmesg.log 2>&1 ;;
*)	# -d 31 drops live slab pages of 6.10+ kernels (the user-page test
	# takes them for user data: 1.7.2 and 1.7.8 alike); 23 = 31 less user data
	KDUMP=vmcore.kdump-zstd; MDFLAGS="-z -d 23" ;;
esac
rm -f "$KDUMP" dmesg.txt
if [ "$CASE" = x86_64-5.10 ]; then
	makedumpfile $MDFLAGS dump.phfix.elf "$KDUMP" > makedumpfile.log 2>&1
	cp dmesg.host.txt dmesg.txt
	MDFVER=$(head -n1 mdf-host-version.txt)
else
	# makedumpfile 1.7.8 (arm64) does not know 4K pages with VA_BITS 52
	# (Debian's arm64 config since 6.x): "calculate_plat_config: PAGE
	# SIZE 0x1000 and VA Bits 52 not supported".  Then QEMU's own dump,
	# unfiltered, is the fixture (zstd-compressed; the tests unpack it).
	"${MDF[@]}" $MDFLAGS dump.phfix.elf "$KDUMP" > makedumpfile.log 2>&1 || rm -f "$KDUMP"
	"${MDF[@]}" --dump-dmesg dump.phfix.elf dmesg.txt >> makedumpfile.log 2>&1 || rm -f dmesg.txt
	MDFVER=$(head -n1 mdf-version.txt)
	if [ ! -s "$KDUMP" ]; then
		log "makedumpfile failed (makedumpfile.log): shipping QEMU's ELF dump"
		KDUMP=vmcore.qemu.elf.zst MDFLAGS="(failed: QEMU's dump shipped)"
		zstd -q -12 --long=27 -T2 -f dump.elf -o "$KDUMP"
	fi
fi
log "$KDUMP: $(stat -c %s "$KDUMP") bytes"

# ------------------------------------------------------------ 6. ship
rm -f "$OUT"/*
cp "$KDUMP" "$OUT/"
[ -s dmesg.txt ] && cp dmesg.txt "$OUT/dmesg.makedumpfile.txt"
# a second reference from Debian 12's makedumpfile (no caller ids), where
# the host's build reads the dump
if [ "$DARCH" = amd64 ] && [ "$CASE" != x86_64-5.10 ] &&
   makedumpfile --dump-dmesg dump.phfix.elf dmesg.host.txt > mdf-host-dmesg.log 2>&1; then
	cp dmesg.host.txt "$OUT/dmesg.makedumpfile-1.7.2.txt"
fi
sed '/^=== GT kallsyms-full ===$/,/^=== GT kallsyms-full end ===$/d' serial.txt > "$OUT/serial.log"
zstd -q -19 -f kallsyms.txt -o "$OUT/kallsyms.txt.zst"
zstd -q -19 -f "$CONFIG" -o "$OUT/config.zst"
cp qemu-cmdline.txt qemu-info-registers.txt "$OUT/"
sed "s#$W/##g" makedumpfile.log > "$OUT/makedumpfile.log"
{
	echo "case: $CASE"
	echo "made: $(date -u +%Y-%m-%d) by tests/kernels/make-fixture.sh $CASE"
	echo "kernel: $KREL (Debian $KPKGVER, $DARCH)"
	for d in debs/*.deb; do echo "package: $(basename "$d") sha256=$(sha256sum < "$d" | cut -c1-64)"; done
	echo "debug vmlinux: ${DBG:-none} ${DBGPATH}"
	echo "qemu: $(qemu-system-x86_64 --version | head -n1)"
	echo "makedumpfile: $MDFVER ($MDFLAGS)"
	echo "dump: $KDUMP"
} > "$OUT/PROVENANCE"
(cd "$OUT" && sha256sum $(ls | grep -v SHA256SUMS) > SHA256SUMS)
log "done: $OUT ($(du -sh "$OUT" | cut -f1))"
