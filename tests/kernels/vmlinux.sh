#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Print the path of the DWARF vmlinux of a fixture kernel, fetching it once
# per machine: its Debian -dbg package is downloaded with apt-get through a
# private list (tests/kernels/apt.sh), just the vmlinux is taken out of it,
# and it is kept in the fixture cache under the package's name and version
# (atomically: a concurrent or interrupted run never sees half a file).
#
#   tests/kernels/vmlinux.sh x86_64-5.10      -> $VMCORE_CACHE/.../vmlinux
#
# Exit 1 with the reason on stderr when it cannot be had (no network, the
# archive dropped that version, no space): tests that need it skip.
set -eu
KIT=$(cd "$(dirname "$0")" && pwd)
. "$KIT/cases.sh"
fx_case "$1" || exit 2
[ -n "$DBG" ] || { echo "fixture $1 has no debug vmlinux" >&2; exit 1; }
CACHE=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
out=$CACHE/dbg-$DBG-$KPKGVER-vmlinux
[ -s "$out" ] && { echo "$out"; exit 0; }
mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/dbg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && "$KIT/apt.sh" "$CACHE/apt" update >/dev/null 2>&1 &&
      "$KIT/apt.sh" "$CACHE/apt" download "$DBG:$DARCH=$KPKGVER" >/dev/null 2>&1); then
	echo "cannot download $DBG $KPKGVER ($DARCH) from Debian's archive" >&2
	exit 1
fi
deb=$(ls "$tmp"/*.deb)
# just the one member; the others are gigabytes of module debug info
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./$DBGPATH" 2>/dev/null ||
	{ echo "$DBG: no $DBGPATH in the package" >&2; exit 1; }
mv -f "$tmp/$DBGPATH" "$out.tmp.$$" && mv -f "$out.tmp.$$" "$out"
echo "$out"
