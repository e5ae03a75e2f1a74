#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Print the path of a usable copy of a fixture, unpacking or deriving it once
# per machine into a cache keyed by the source's sha256 (never into the tree).
#
#   tests/fixture.sh x86_64-6.1/vmlinux.xz               -> .../vmlinux
#   tests/fixture.sh x86_64-6.1/oops-module/vmcore.qemu.elf.zst
#   tests/fixture.sh derive:lzo|raw|flat  (from oops-module/vmcore.kdump-zlib
#                                          with Debian's makedumpfile)
#   tests/fixture.sh derive:split|split-1g -> a directory holding p1 p2 p3,
#                   makedumpfile --split -c -d 31 of the same file: split
#                   with 1 MiB splitblocks (each part gets pages of this
#                   192 MiB dump), split-1g with the default 1 GiB ones
#                   (one splitblock holds the whole dump: p2, p3 are empty)
#   tests/fixture.sh x86_64-6.1/System.map               -> the file itself
#
# VMCORE_FIXTURES: corpus root (default ../shared/fixtures from the project).
# VMCORE_CACHE: cache dir (default $XDG_CACHE_HOME/vmcoreutils-fixtures).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
FIX=${VMCORE_FIXTURES:-$here/../shared/fixtures}
CACHE=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
mkdir -p "$CACHE"

key() { sha256sum "$1" | cut -c1-16; }

# Unpack atomically so a concurrent or interrupted run never sees half a file.
unpack() { # src tool out
	[ -s "$3" ] && return 0
	"$2" -dc "$1" > "$3.tmp.$$" && mv -f "$3.tmp.$$" "$3"
}

case "$1" in
derive:*)
	src=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	[ -f "$src" ] || { echo "fixture missing: $src" >&2; exit 1; }
	kind=${1#derive:}
	out=$CACHE/$(key "$src")-oops-module.$kind
	case $kind in
	split|split-1g)
		if [ ! -d "$out" ]; then
			command -v makedumpfile >/dev/null || { echo "makedumpfile not installed (make deps)" >&2; exit 1; }
			tmp=$out.tmp.$$
			rm -rf "$tmp"
			mkdir -p "$tmp"
			bs=
			[ "$kind" = split ] && bs="--splitblock-size 1024"
			# shellcheck disable=SC2086
			makedumpfile --split $bs -c -d 31 "$src" "$tmp/p1" "$tmp/p2" "$tmp/p3" >/dev/null 2>&1 ||
				{ rm -rf "$tmp"; echo "makedumpfile --split failed" >&2; exit 1; }
			mv -T "$tmp" "$out" 2>/dev/null || rm -rf "$tmp"
		fi
		echo "$out"
		exit 0 ;;
	esac
	if [ ! -s "$out" ]; then
		command -v makedumpfile >/dev/null || { echo "makedumpfile not installed (make deps)" >&2; exit 1; }
		tmp=$out.tmp.$$
		case $kind in
		lzo) makedumpfile -l -d 31 "$src" "$tmp" >/dev/null 2>&1 ;;
		raw) makedumpfile -d 31 "$src" "$tmp" >/dev/null 2>&1 ;;
		flat) makedumpfile -F -c -d 31 "$src" > "$tmp" 2>/dev/null ;;
		elf) makedumpfile -E -d 31 "$src" "$tmp" >/dev/null 2>&1 ;;
		*) echo "unknown derived fixture: $kind" >&2; exit 2 ;;
		esac
		mv -f "$tmp" "$out"
	fi
	echo "$out" ;;
*.xz|*.zst)
	src=$FIX/$1
	[ -f "$src" ] || { echo "fixture missing: $src" >&2; exit 1; }
	base=$(basename "$1"); base=${base%.*}
	out=$CACHE/$(key "$src")-$base
	case "$1" in *.xz) unpack "$src" xz "$out" ;; *) unpack "$src" zstd "$out" ;; esac
	echo "$out" ;;
*)
	src=$FIX/$1
	[ -e "$src" ] || { echo "fixture missing: $src" >&2; exit 1; }
	echo "$src" ;;
esac
