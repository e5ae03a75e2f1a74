#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Truncation sweep: a dump copied off a dying machine is often cut short.
# Each real fixture dump is cut at every header and structure boundary and
# at sampled pages ($O/tests/cutpoints prints the offsets and what is there,
# from its own parse of the format), and every program in $VMBIN runs on
# every cut with its default arguments and -o nocache (the per-build-id
# cache of symbols and types would skip what a cut dump must still read).  Each run must end by itself
# (`timeout 20`), with status 0 or 1 -- never a signal (>= 128), a
# sanitizer report (86, `make test SAN=1`) or a usage error -- and a
# failure must say so in a "prog: FILE: reason" line on stderr.
#
# SWEEP_PAGES (default 8) sampled pages per dump; SWEEP_FULL=1 also sweeps
# the zstd and snappy kdumps.  A program that needs an argument gets the one
# sweep_args (tests/robust.bash) gives it; a new such program must be added
# there (a test checks that every program answers on the intact dumps).

load helpers
load robust
load sweep

@test "every program answers on the intact dumps with its sweep arguments" {
	local p spec src
	for spec in tests/data/vmcore.kdump-zlib x86_64-6.1/oops-module/vmcore.qemu.elf.zst derive:flat; do
		case $spec in tests/*) src=$ROOT/$spec ;; *) src=$(fixture "$spec" 2>/dev/null) || continue ;; esac
		for p in $(built_programs); do
			run_prog "$p" "$src"
			[ "$rc" -eq 0 ] || fail "$p $(sweep_args "$p") on intact $spec: status $rc: $err"
		done
	done
}

@test "truncation sweep: kdump-compressed (zlib), every header field, bitmaps, descriptors, pages" {
	sweep "$ROOT/tests/data/vmcore.kdump-zlib"
}

@test "truncation sweep: kdump with uncompressed pages" {
	sweep derive:raw 4
}
