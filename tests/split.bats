#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# makedumpfile --split sets through the programs.  The sets are made by
# Debian's makedumpfile from the bundled dump (tests/fixture.sh
# derive:split, derive:split-1g: p1 p2 p3 in a directory of the fixture
# cache); what the programs print on a set must be what they print on the
# unsplit dump, whose own output the other suites check against crash,
# drgn and makedumpfile, and vmlog's is makedumpfile --dump-dmesg's.

load helpers

setup_file() {
	# the build directory of the programs under test, for dumpcheck
	if [ -z "${O:-}" ]; then
		case $VMBIN in */build-san/bin) O=${VMBIN%/bin} ;; *) O=$ROOT/build ;; esac
	fi
	case $O in /*) ;; *) O=$ROOT/$O ;; esac
	export O
}

setup() {
	need_fixture SET derive:split
	need_prog vmlog
}

# sub-header field of a kdump file: u64 at block_size + OFF (LP64 layout,
# kdump_sub_header: start_pfn_64 at 80, end_pfn_64 at 88)
subhdr_u64() { # FILE OFF
	local bs
	bs=$(od -An -tu4 -j 428 -N 4 "$1" | tr -d ' ')
	printf '%#x' "$(od -An -tu8 -j $((bs + $2)) -N 8 "$1" | tr -d ' ')"
}

@test "vmlog p1,p2,p3 is makedumpfile --dump-dmesg of the unsplit dump, byte for byte" {
	run -0 vmlog "$SET/p1,$SET/p2,$SET/p3"
	cmp <(vmlog "$SET/p1,$SET/p2,$SET/p3") "$ROOT/tests/data/dmesg.makedumpfile.txt"
	# the parts in any order, and the default splitblock's set (p2 and
	# p3 empty)
	cmp <(vmlog "$SET/p3,$SET/p1,$SET/p2") "$ROOT/tests/data/dmesg.makedumpfile.txt"
	local one
	need_fixture one derive:split-1g
	cmp <(vmlog "$one/p1,$one/p2,$one/p3") "$ROOT/tests/data/dmesg.makedumpfile.txt"
}

@test "the parts really split the dump: three non-empty pfn ranges that tile it" {
	# the facts the other tests rely on, from the files themselves
	local max
	max=$(printf '%#x' "$(od -An -tu8 -j $((4096 + 96)) -N 8 "$SET/p1" | tr -d ' ')")
	[ "$(subhdr_u64 "$SET/p1" 80)" = 0 ]
	[ "$(subhdr_u64 "$SET/p1" 88)" = "$(subhdr_u64 "$SET/p2" 80)" ]
	[ "$(subhdr_u64 "$SET/p2" 88)" = "$(subhdr_u64 "$SET/p3" 80)" ]
	[ "$(subhdr_u64 "$SET/p3" 88)" = "$max" ]
	for p in p1 p2 p3; do
		[ $(( $(subhdr_u64 "$SET/$p" 88) - $(subhdr_u64 "$SET/$p" 80) )) -gt 0 ]
	done
}

@test "vmps and vmbt on p1,p2,p3 print what they print on the unsplit dump" {
	need_prog vmps
	need_prog vmbt
	run -0 vmps "$SET/p1,$SET/p2,$SET/p3"
	assert_output "$(vmps "$SAMPLE")"
	run -0 vmbt "$SET/p1,$SET/p2,$SET/p3"
	assert_output "$(vmbt "$SAMPLE")"
	run -0 vmbt -a "$SET/p2,$SET/p3,$SET/p1"
	assert_output "$(vmbt -a "$SAMPLE")"
}

@test "a flattened part (p2 in makedumpfile -F's records) reads as the plain one" {
	need_prog vmps
	local f=$BATS_TEST_TMPDIR/p2.flat
	# makedumpfile refuses --split with -F; write p2 as its flattened
	# writer would (flat.c: a 4096-byte header "makedumpfile", type 1,
	# version 1, then big-endian {offset, size} records of at most 1 MiB
	# and their bytes, then {-1, -1})
	"$PY" - "$SET/p2" "$f" <<-'PYEOF'
	import struct, sys
	src, out = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'wb')
	out.write(b'makedumpfile'.ljust(16, b'\0') + struct.pack('>qq', 1, 1))
	out.write(b'\0' * (4096 - 32))
	for off in range(0, len(src), 1 << 20):
	    chunk = src[off:off + (1 << 20)]
	    out.write(struct.pack('>qq', off, len(chunk)) + chunk)
	out.write(struct.pack('>qq', -1, -1))
	PYEOF
	cmp <(vmlog "$SET/p1,$f,$SET/p3") "$ROOT/tests/data/dmesg.makedumpfile.txt"
	run -0 vmps "$SET/p3,$f,$SET/p1"
	assert_output "$(vmps "$SAMPLE")"
}

@test "a part named alone finds the others in its directory" {
	need_prog vmps
	need_prog vmbt
	run -0 vmps "$SET/p1"
	assert_output "$(vmps "$SAMPLE")"
	run -0 vmbt "$SET/p2"
	assert_output "$(vmbt "$SAMPLE")"
	cmp <(vmlog "$SET/p3") "$ROOT/tests/data/dmesg.makedumpfile.txt"
}

@test "vmsys: FORMAT names the split set; every other field as on the unsplit dump" {
	need_prog vmsys
	local one
	run -0 vmsys "$SET/p1,$SET/p2,$SET/p3"
	assert_line "      FORMAT: kdump-compressed (zlib), split set of 3 parts"
	assert_equal "$(grep -v -e DUMPFILE -e FORMAT <<<"$output")" \
		"$(vmsys "$SAMPLE" | grep -v -e DUMPFILE -e FORMAT)"
	run -0 vmsys "$SET/p2"
	assert_line "      FORMAT: kdump-compressed (zlib), split set of 3 parts"
	need_fixture one derive:split-1g
	run -0 vmsys "$one/p1"
	assert_line "      FORMAT: kdump-compressed (zlib), split set of 3 parts"
}

@test "p2 missing: what needs its pages fails naming the missing pfns" {
	need_prog vmps
	need_prog vmsys
	local d=$BATS_TEST_TMPDIR/set lo hi range
	mkdir "$d"
	ln -s "$SET/p1" "$d/p1"
	ln -s "$SET/p3" "$d/p3"
	lo=$(subhdr_u64 "$SET/p2" 80)
	hi=$(printf '%#x' $(( $(subhdr_u64 "$SET/p2" 88) - 1 )))
	range="pfns $lo-$hi"
	run -1 vmps "$d/p1"
	assert_output --partial "no part of the split set in $d holds $range: a part is missing (2 found)"
	run -1 vmps "$d/p1,$d/p3"
	assert_output --partial "no part of the split set holds $range: a part is missing (2 named)"
	run vmsys "$d/p3"
	assert_line "      FORMAT: kdump-compressed (zlib), split set of 2 parts, no part holds $range"
	run -1 vmlog "$d/p1,$d/p2,$d/p3"
	assert_output "vmlog: $d/p1,$d/p2,$d/p3: $d/p2: cannot open: No such file or directory"
}

@test "parts are opened when their pages are read: vmlog opens 2 of 3, vmps all" {
	need_cmd strace
	need_prog vmps
	opened() { # PROG ARGS... -> the parts it opened, sorted
		strace -f -e trace=openat -o "$BATS_TEST_TMPDIR/trace" "$@" >/dev/null 2>&1
		grep -o '"[^"]*/p[123]"' "$BATS_TEST_TMPDIR/trace" | sed 's|.*/||; s|"||' | sort -u | tr '\n' ' '
	}
	# vmlog reads the ring buffer (p1) and page tables (p3); named in
	# the order p1,p3,p2 it never needs p2's header to find them
	run opened vmlog "$SET/p1,$SET/p3,$SET/p2"
	assert_output "p1 p3 "
	run opened vmps "$SET/p1,$SET/p3,$SET/p2"
	assert_output "p1 p2 p3 "
	# the dump layer alone: a page of p1 opens p1 only
	run opened "$O/tests/dumpcheck" "$SET/p1,$SET/p2,$SET/p3" 0x10
	assert_output "p1 "
}
