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

setup_file() {
	O=$(robust_o)
	export CUTPOINTS=$O/tests/cutpoints
	export SWEEP_PAGES=${SWEEP_PAGES:-8}
}

setup() {
	[ -x "$CUTPOINTS" ] || skip "cutpoints not built ($CUTPOINTS)"
}

# run_prog PROG FILE: sets rc, err (stderr), secs (milliseconds, in fact);
# stdout is dropped
run_prog() {
	local t0 t1
	t0=$(date +%s%N)
	rc=0
	# shellcheck disable=SC2046
	timeout -k 5 20 "$VMBIN/$1" -o nocache "$2" $(sweep_args "$1") \
		>/dev/null 2>"$BATS_TEST_TMPDIR/err" </dev/null || rc=$?
	t1=$(date +%s%N)
	secs=$(( (t1 - t0) / 1000000 ))
	err=$(head -c 4000 "$BATS_TEST_TMPDIR/err")
}

# check PROG FILE WHAT: one run judged; appends to $bad
check() {
	local prog=$1 file=$2 what=$3 first
	run_prog "$prog" "$file"
	runs=$((runs + 1))
	if [ "$secs" -gt "$slowest" ]; then
		slowest=$secs slowest_what="$prog at $what"
	fi
	case $rc in
	0) return 0 ;;
	1)
		# the reason, marked with the program and the file
		if grep -q "^$prog: $file: ." <<<"$err"; then
			return 0
		fi
		first=$(head -n 1 <<<"$err")
		bad+="$prog at $what: status 1 without a '$prog: $file: ...' line (stderr: ${first:-empty})"$'\n'
		;;
	124|137) bad+="$prog at $what: still running after 20 s"$'\n' ;;
	86) bad+="$prog at $what: sanitizer report: $(grep -m1 -E 'ERROR|runtime error' <<<"$err")"$'\n' ;;
	*)
		first=$(head -n 1 <<<"$err")
		bad+="$prog at $what: status $rc (stderr: ${first:-empty})"$'\n'
		;;
	esac
}

# sweep SPEC [PAGES]: cut the fixture at every cut point, run everything
sweep() {
	local spec=$1 pages=${2:-$SWEEP_PAGES} src cut off label p n=0 prev=0 dir
	case $spec in /*) src=$spec ;; *) need_fixture src "$spec" ;; esac
	local progs
	progs=$(built_programs)
	[ -n "$progs" ] || skip "no programs built in $VMBIN"
	bad= runs=0 slowest=0 slowest_what=
	# in memory when possible: the cut grows from one point to the next
	# (the points are sorted), so the dump is copied once in all
	dir=$(mktemp -d /dev/shm/vmsweep.XXXXXX 2>/dev/null) || dir=$(mktemp -d "$BATS_TEST_TMPDIR/cut.XXXXXX")
	cut=$dir/cut
	: > "$cut"
	while read -r off label; do
		dd if="$src" of="$cut" bs=1M skip="$prev" count=$((off - prev)) \
			iflag=skip_bytes,count_bytes oflag=append conv=notrunc status=none
		prev=$off
		for p in $progs; do
			check "$p" "$cut" "offset $off ($label)"
		done
		n=$((n + 1))
	done < <("$CUTPOINTS" -p "$pages" "$src")
	rm -rf "$dir"
	echo "# $spec: $n cuts, $runs runs, slowest $slowest ms ($slowest_what)" >&3
	[ "$n" -gt 20 ] || fail "only $n cut points in $spec"
	[ -z "$bad" ] || fail "$(printf '%s' "$bad" | head -n 40)"
}

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

@test "truncation sweep: QEMU ELF, ELF header, program headers, notes, segments, pages" {
	sweep x86_64-6.1/oops-module/vmcore.qemu.elf.zst 4
}

@test "truncation sweep: flattened, header, record headers, inside records" {
	sweep derive:flat 4
}

@test "truncation sweep: arm64 flattened (QEMU -z)" {
	sweep arm64-6.1-debian/vmcore.qemu-kdump-zlib 2
}

@test "truncation sweep: zstd and snappy kdumps (SWEEP_FULL=1)" {
	[ "${SWEEP_FULL:-0}" = 1 ] || skip "SWEEP_FULL=1 to run"
	sweep x86_64-6.1/sysrq-c/vmcore.kdump-zstd
	sweep x86_64-6.1/bug-module/vmcore.kdump-snappy
}
