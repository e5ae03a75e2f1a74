#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The dump layer (common/dump) on its own, through two test programs:
#   $O/tests/dumpcheck [-r BASE] [-iVnax] FILE [PFN...]   open, read, print
#   $O/tests/gen/mkdiskdump SPEC OUT    synthetic dumps from tests/data/dump/*.spec
# and the cross-reader comparison $O/tests/test_dump.

load helpers

setup_file() {
	# The build directory whose programs run.sh tests ($O), or the one
	# next to $VMBIN.
	if [ -z "${O:-}" ]; then
		case $VMBIN in */build-san/bin) O=${VMBIN%/bin} ;; *) O=$ROOT/build ;; esac
	fi
	case $O in /*) ;; *) O=$ROOT/$O ;; esac
	export DUMPCHECK=$O/tests/dumpcheck MKDD=$O/tests/gen/mkdiskdump TEST_DUMP=$O/tests/test_dump
	export SPECS=$ROOT/tests/data/dump
}

setup() {
	[ -x "$DUMPCHECK" ] || skip "dumpcheck not built ($DUMPCHECK)"
}

# gen NAME: build tests/data/dump/NAME.spec into the test's temp dir
gen() {
	"$MKDD" "$SPECS/$1.spec" "$BATS_TEST_TMPDIR/$1" || return 1
	echo "$BATS_TEST_TMPDIR/$1"
}

# one line of stderr, naming the file, with an offset and the error class
assert_one_line_error() { # CLASS
	assert_equal "${#lines[@]}" 1
	assert_output --partial "dumpcheck: "
	assert_output --regexp 'offset (0x[0-9a-f]+|0)'
	assert_output --partial "[$1]"
}

# ---------------------------------------------------------------- corpus

@test "every dump in the corpus opens, with its format and compression" {
	local d spec fmt comp
	while IFS='|' read -r spec fmt comp; do
		d=$(fixture "$spec") || { echo "# skipping missing $spec" >&3; continue; }
		run "$DUMPCHECK" -i "$d"
		assert_success
		assert_line "format: $fmt"
		assert_line "compression:$comp"
		assert_line "nr_cpus: 2"
		refute_line "vmcoreinfo_bytes: 0"
	done <<-EOF
	x86_64-6.1/sysrq-c/vmcore.kdump-zstd|kdump-compressed| zstd
	x86_64-6.1/oops-module/vmcore.kdump-zlib|kdump-compressed| zlib
	x86_64-6.1/bug-module/vmcore.kdump-snappy|kdump-compressed| snappy
	x86_64-6.1/oops-module/vmcore.qemu.elf.zst|ELF64 vmcore|
	arm64-6.1-debian/vmcore.qemu-kdump-zlib|flattened| zlib
	derive:lzo|kdump-compressed| lzo
	derive:raw|kdump-compressed| none
	derive:flat|flattened| zlib
	EOF
}

@test "kdump header facts match crash's sys and the QEMU ELF's RAM" {
	local d ref
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	need_fixture ref x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	skip_if_missing x86_64-6.1/oops-module/crash.txt
	need_cmd readelf
	run "$DUMPCHECK" -i "$d"
	assert_success
	assert_line "release: $(crash_sys x86_64-6.1/oops-module RELEASE)"
	assert_line "machine_name: $(crash_sys x86_64-6.1/oops-module MACHINE | awk '{print $1}')"
	assert_line "nr_cpus: $(crash_sys x86_64-6.1/oops-module CPUS | awk '{print $1}')"
	assert_line "partial: yes"        # crash: [PARTIAL DUMP]
	crash_sys x86_64-6.1/oops-module DUMPFILE | grep -q 'PARTIAL DUMP'
	assert_line "dump_level: 31"
	# makedumpfile's 1st bitmap is the RAM of the ELF it read: QEMU's
	# PT_LOAD at physical 0 (crash's MEMORY is the kernel's present pages,
	# a different count)
	local memsz
	memsz=$(readelf -lW "$ref" | awk '$1 == "LOAD" && $4 ~ /^0x0+$/ {print $6}')
	assert_line "ram_pages: $(( memsz / 4096 ))"
	assert_line "range: 0-$(printf '%#x' $((memsz)))"
}

@test "arm64 QEMU -z dump (flattened): VMCOREINFO, notes, 64K blocks, pages read" {
	local d
	need_fixture d arm64-6.1-debian/vmcore.qemu-kdump-zlib
	run "$DUMPCHECK" -i -n "$d"
	assert_success
	assert_line "inner: kdump-compressed"
	assert_line "machine: 183"        # EM_AARCH64, from the NT_PRSTATUS size
	assert_line "page_size: 65536"    # QEMU 7.2 writes 64K blocks for arm64
	assert_line "CORE 1 392"          # arm64 elf_prstatus
	assert_line --partial "VMCOREINFO 0 "
	run "$DUMPCHECK" -V "$d"
	assert_line "PAGESIZE=4096"       # the kernel's own page size
	assert_line "OSRELEASE=$(awk '/^Linux version/ {print $3; exit}' "$FIX/arm64-6.1-debian/serial.log")"
	run "$DUMPCHECK" -a "$d"
	assert_success
	assert_output --regexp '^read: [1-9][0-9]* excluded: [0-9]+$'
}

@test "test_dump: ~3000 pfns through every reader equal the QEMU ELF's pages" {
	[ -x "$TEST_DUMP" ] || skip "test_dump not built"
	local ref kd lzo raw flat elf args=()
	need_fixture ref x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	need_fixture kd x86_64-6.1/oops-module/vmcore.kdump-zlib
	for k in lzo raw flat; do
		p=$(fixture derive:$k) && args+=("$k=$p")
	done
	# makedumpfile -E refuses kdump input and cannot read QEMU's ELF as is
	# (program headers after the section headers): move them as the
	# corpus's make/phfix.py does, then filter.
	if command -v makedumpfile >/dev/null && command -v python3 >/dev/null; then
		python3 "$FIX/make/phfix.py" "$ref" "$BATS_TEST_TMPDIR/q.elf" >/dev/null &&
		makedumpfile -E -d 31 "$BATS_TEST_TMPDIR/q.elf" "$BATS_TEST_TMPDIR/e.elf" >/dev/null 2>&1 &&
		args+=("elf-E=$BATS_TEST_TMPDIR/e.elf")
		rm -f "$BATS_TEST_TMPDIR/q.elf"
	fi
	run "$TEST_DUMP" "$ref" "$kd" "${args[@]}"
	echo "$output"
	assert_success
	refute_line --partial "not ok"
	[ "${#args[@]}" -ge 3 ] || echo "# only ${#args[@]} derived readers checked" >&3
}

@test "VMCOREINFO from every reader equals readelf -n of the QEMU ELF" {
	local ref want d
	need_fixture ref x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	need_cmd readelf
	# readelf prints the note's bytes as hex after "description data:"
	want=$(readelf -n "$ref" | awk '/^ +VMCOREINFO/ {getline; sub(/.*description data: /, ""); print; exit}' | xxd -r -p | sha256sum)
	[ -n "$want" ]
	for spec in x86_64-6.1/oops-module/vmcore.qemu.elf.zst x86_64-6.1/oops-module/vmcore.kdump-zlib derive:lzo derive:raw derive:flat; do
		d=$(fixture "$spec") || continue
		got=$("$DUMPCHECK" -V "$d" | sha256sum)
		[ "$got" = "$want" ] || { echo "$spec: VMCOREINFO differs"; return 1; }
	done
}

@test "opening is O(header): 50 opens of the QEMU ELF and the kdump file under 2 s" {
	local ref kd
	# a timing claim about the optimized build; sanitizers slow it 5-10x
	[ "${VM_SAN:-0}" = 0 ] || skip "timing is measured on the optimized build"
	need_fixture ref x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	need_fixture kd x86_64-6.1/oops-module/vmcore.kdump-zlib
	local start=$(date +%s%N)
	for i in $(seq 50); do "$DUMPCHECK" "$ref"; "$DUMPCHECK" "$kd"; done
	local ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "# 100 opens: $ms ms" >&3
	[ "$ms" -lt 2000 ]
}

# ---------------------------------------------------------------- synthetic

@test "synthetic kdump: every compression reads back what the spec wrote" {
	local f
	f=$(gen kdump-good)
	run "$DUMPCHECK" -x -i "$f" 1 2 3 5 8 40 63
	assert_success
	assert_line "compression: zlib lzo snappy zstd"
	assert_line "release: 6.1.0-synthetic"
	assert_line "timestamp: 1700000000"
	assert_line "nr_cpus: 2"
	assert_line "notes: 3"
	assert_line "ram_pages: 64"
	# "pattern": byte i of pfn P is P * 7 + i / 16
	assert_line "pfn 0x1: 07 07 07 07 07 07 07 07 07 07 07 07 07 07 07 07"
	assert_line "pfn 0x2: 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22"
	assert_line "pfn 0x3: 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15"
	assert_line "pfn 0x5: 23 23 23 23 23 23 23 23 23 23 23 23 23 23 23 23"
	assert_line "pfn 0x8: 38 38 38 38 38 38 38 38 38 38 38 38 38 38 38 38"
	assert_line "pfn 0x28: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	assert_line "pfn 0x3f: b9 b9 b9 b9 b9 b9 b9 b9 b9 b9 b9 b9 b9 b9 b9 b9"
	run "$DUMPCHECK" -V "$f"
	assert_output "OSRELEASE=6.1.0-synthetic
PAGESIZE=4096"
}

@test "synthetic flattened (records not page-aligned, shuffled) reads the same as plain" {
	local a b
	a=$(gen kdump-good)
	b=$(gen flat-good)
	run "$DUMPCHECK" "$a" 1 2 3 5 8 40 63
	assert_success
	local want=$output
	run "$DUMPCHECK" -i "$b" 1 2 3 5 8 40 63
	assert_success
	assert_line "format: flattened"
	run "$DUMPCHECK" "$b" 1 2 3 5 8 40 63
	assert_output "$want"
	# records out of order, overwriting junk records written before them
	b=$(gen flat-shuffled)
	run "$DUMPCHECK" "$b" 1 2 3 5 8 40 63
	assert_output "$want"
	run "$DUMPCHECK" -V "$b"
	assert_output "OSRELEASE=6.1.0-synthetic
PAGESIZE=4096"
}

@test "excluded and absent pages fail with VM_ENOPAGE, naming the address" {
	local f
	f=$(gen kdump-good)
	run "$DUMPCHECK" "$f" 4
	assert_failure 1
	assert_output --partial "physical address 0x4000 (pfn 0x4) was excluded from the dump [ENOPAGE]"
	run "$DUMPCHECK" "$f" 64
	assert_failure 1
	assert_output --partial "pfn 0x40) is beyond the dump's last pfn 0x3f [ENOPAGE]"
	run "$DUMPCHECK" -a "$f"
	assert_success
	assert_output "read: 7 excluded: 57"
}

@test "synthetic ELF: p_filesz < p_memsz tail is excluded, loads read" {
	local f
	f=$(gen elf-good)
	run "$DUMPCHECK" -x -i "$f" 1 0x100 0x101
	assert_success
	assert_line "format: ELF64 vmcore"
	assert_line "partial: yes"
	assert_line "nr_cpus: 2"
	assert_line "ram_pages: 12"
	assert_line "pfn 0x1: 07 07 07 07 07 07 07 07 07 07 07 07 07 07 07 07"
	assert_line "pfn 0x101: 33 33 33 33 33 33 33 33 33 33 33 33 33 33 33 33"
	run "$DUMPCHECK" "$f" 0x102
	assert_failure 1
	assert_output --partial "(pfn 0x102) was excluded from the dump (beyond p_filesz of its PT_LOAD) [ENOPAGE]"
	run "$DUMPCHECK" "$f" 0x50
	assert_failure 1
	assert_output --partial "is not in the dump [ENOPAGE]"
}

@test "raw memory image with a base address" {
	local f=$BATS_TEST_TMPDIR/raw
	head -c 16384 /dev/zero | tr '\0' '\101' > "$f"
	run "$DUMPCHECK" -x -i -r 0x100000 "$f" 0x100 0x103
	assert_success
	assert_line "format: raw"
	assert_line "range: 0x100000-0x104000"
	assert_line "pfn 0x103: 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41"
	run "$DUMPCHECK" -r 0x100000 "$f" 0xff
	assert_failure 1
	assert_output --partial "[ENOPAGE]"
}

# ---------------------------------------------------------------- split sets
# tests/data/dump/split-{a,b,c}.spec: kdump-good.spec written as the three
# parts of a makedumpfile --split set (pfns 0..7, 8..39, 40..63).

PFNS="1 2 3 5 8 40 63"

# gen_in DIR NAME...: build specs into DIR (a directory of their own)
gen_in() {
	local dir=$1 n
	shift
	mkdir -p "$dir"
	for n in "$@"; do
		"$MKDD" "$SPECS/$n.spec" "$dir/$n" >/dev/null || return 1
	done
}

@test "split set named p1,p2,p3 (any order, a flattened part) reads as the whole dump" {
	local d=$BATS_TEST_TMPDIR/set want
	gen_in "$d" split-a split-b split-c split-b-flat
	run "$DUMPCHECK" "$(gen kdump-good)" $PFNS
	assert_success
	want=$output
	cd "$d"
	for list in split-a,split-b,split-c split-c,split-a,split-b split-a,split-b-flat,split-c; do
		run "$DUMPCHECK" "$list" $PFNS
		assert_success
		assert_output "$want"
	done
	run "$DUMPCHECK" -i split-a,split-b,split-c
	assert_line "describe: kdump-compressed (zlib+lzo+snappy+zstd), split set of 3 parts"
	assert_line "ram_pages: 64"
	assert_line "max_pfn: 0x40"
	run "$DUMPCHECK" -a split-b,split-c,split-a
	assert_output "read: 7 excluded: 57"
	# excluded pages are excluded: the bitmaps say so, no part is asked
	run "$DUMPCHECK" split-a,split-b,split-c 4
	assert_failure 1
	assert_output --partial "(pfn 0x4) was excluded from the dump [ENOPAGE]"
}

@test "a split part named alone finds the others in its directory" {
	local d=$BATS_TEST_TMPDIR/dir want
	gen_in "$d" split-a split-b split-c
	run "$DUMPCHECK" "$(gen kdump-good)" $PFNS
	want=$output
	for p in split-a split-b split-c; do
		run "$DUMPCHECK" "$d/$p" $PFNS
		assert_success
		assert_output "$want"
	done
	run "$DUMPCHECK" -i "$d/split-b"
	assert_line "describe: kdump-compressed (zlib+lzo+snappy+zstd), split set of 3 parts"
	# a flattened sibling, and files of other dumps beside them
	rm "$d/split-b"
	gen_in "$d" split-b-flat split-b-foreign kdump-good
	run "$DUMPCHECK" "$d/split-a" $PFNS
	assert_success
	assert_output "$want"
}

@test "a part is opened only when a page of it is read" {
	local d=$BATS_TEST_TMPDIR/lazy
	gen_in "$d" split-a split-b split-c
	cd "$d"
	head -c 8192 /dev/urandom > junk
	# junk stands where split-c should be: pages of split-a and
	# split-b read, and nothing tells junk is not a part ...
	run "$DUMPCHECK" split-a,split-b,junk 1 8
	assert_success
	# ... until a page past them is read
	run "$DUMPCHECK" split-a,split-b,junk 40
	assert_failure 1
	assert_output "dumpcheck: split-a,split-b,junk: junk: no kdump-compressed signature at offset 0: not a part of a makedumpfile --split set [EFORMAT]"
	# a page of the first part never opens the second (it would fail)
	run "$DUMPCHECK" split-a,junk,split-c 1 2
	assert_success
}

@test "split set with a part missing: the pfns no part holds are named" {
	local d=$BATS_TEST_TMPDIR/miss
	gen_in "$d" split-a split-c
	cd "$d"
	run "$DUMPCHECK" split-a,split-c 1 40
	assert_success
	run "$DUMPCHECK" split-a,split-c 8
	assert_failure 1
	assert_output "dumpcheck: split-a,split-c: page at physical address 0x8000 (pfn 0x8): no part of the split set holds pfns 0x8-0x27: a part is missing (2 named) [ETRUNC]"
	run "$DUMPCHECK" "$d/split-a" 8
	assert_failure 1
	assert_output "dumpcheck: $d/split-a: page at physical address 0x8000 (pfn 0x8): no part of the split set in $d holds pfns 0x8-0x27: a part is missing (2 found) [ETRUNC]"
	run "$DUMPCHECK" -i "$d/split-c"
	assert_line "describe: kdump-compressed (zlib+lzo+snappy+zstd), split set of 2 parts, no part holds pfns 0x8-0x27"
	# a part named but not there is said at once
	run "$DUMPCHECK" split-a,split-b,split-c 1
	assert_failure 1
	assert_output "dumpcheck: split-a,split-b,split-c: split-b: cannot open: No such file or directory [EIO]"
	# nothing to find in: standard input
	run bash -c "'$DUMPCHECK' - 8 < split-a"
	assert_failure 1
	assert_output --partial "(pfn 0x8): - is one part of a split set and holds 0..0x8; name all its parts (p1,p2,...) to read pfns 0x8-0x3f [ETRUNC]"
	# an empty part alone (makedumpfile gives the last parts no pages
	# when one splitblock holds the whole dump)
	run "$DUMPCHECK" "$(gen kdump-split)" 1
	assert_failure 1
	assert_output --partial "(pfn 0x1): no part of the split set in $BATS_TEST_TMPDIR holds pfns 0-0xf: a part is missing (1 found) [ETRUNC]"
}

@test "split set with a foreign part: another dump's header or VMCOREINFO, overlapping pfns" {
	local d=$BATS_TEST_TMPDIR/foreign
	gen_in "$d" split-a split-b split-c split-b-foreign split-b-bitmap split-b-overlap split-c-vmcoreinfo
	cd "$d"
	run "$DUMPCHECK" split-a,split-b-foreign,split-c 8
	assert_failure 1
	assert_output "dumpcheck: split-a,split-b-foreign,split-c: split-b-foreign: not a part of the same dump as split-a: its kdump header differs at offset 0x4d (utsname) [EFORMAT]"
	run "$DUMPCHECK" split-a,split-b-bitmap,split-c 8
	assert_failure 1
	assert_output --partial "split-b-bitmap: not a part of the same dump as split-a: its bitmaps differ over its pfns 0x8..0x28 [EFORMAT]"
	run "$DUMPCHECK" split-a,split-b,split-c-vmcoreinfo 40
	assert_failure 1
	assert_output --partial "split-c-vmcoreinfo: not a part of the same dump as split-a: its VMCOREINFO differs [EFORMAT]"
	run "$DUMPCHECK" split-a,split-b-overlap 8
	assert_failure 1
	assert_output --partial "split-b-overlap holds pfns 0x4-0x27 and split-a holds pfns 0-0x7: parts of one set hold different pages (two --split runs of one dump?) [EFORMAT]"
	# in a directory: the other dumps' parts are passed over; two runs
	# of one dump are ambiguous only for the pages both hold
	rm split-b-bitmap
	run "$DUMPCHECK" "$d/split-a" 40
	assert_success
	run "$DUMPCHECK" "$d/split-a" 8
	assert_failure 1
	assert_output --regexp "pfn 0x8: both .*/split-b(-overlap)? \(pfns 0x[48]-0x27\) and .*/split-b(-overlap)? \(pfns 0x[48]-0x27\) are parts of this dump: two --split runs in one directory; name the parts"
	# a set of another dump is not this one's
	run "$DUMPCHECK" "$(gen kdump-good)",split-b 1
	assert_failure 1
	assert_output --partial "the first of 2 files is not a part of a makedumpfile --split set (its sub-header's split flag is 0): name one dump only [EINVAL]"
	run "$DUMPCHECK" "$(gen elf-good)",split-b 1
	assert_failure 1
	assert_output --partial "2 files named: only the parts of a makedumpfile --split set (kdump-compressed) are named together [EINVAL]"
	run "$DUMPCHECK" split-a,,split-b 1
	assert_failure 1
	assert_output --partial "an empty name in the list of parts (part 2 of 3) [EINVAL]"
}

@test "a file whose name has a comma is that file" {
	local f=$BATS_TEST_TMPDIR/a,b
	cp "$(gen kdump-good)" "$f"
	run "$DUMPCHECK" -x "$f" 1
	assert_success
	assert_output "pfn 0x1: 07 07 07 07 07 07 07 07 07 07 07 07 07 07 07 07"
}

# ---------------------------------------------------------------- formats we do not read

@test "formats we do not read are named: LKCD, sadump, xc_core, diskdump" {
	local f=$BATS_TEST_TMPDIR/x
	# each made of its signature (see common/dump/unsupported.c) and zeros
	one() { # BYTES-AS-PRINTF-ESCAPES [OFFSET] -> $f
		head -c 16384 /dev/zero > "$f"
		printf "$1" | dd of="$f" bs=1 seek="${2:-0}" conv=notrunc 2>/dev/null
	}
	one '\xed\x23\x8f\x61\x73\x01\x19\xa8'          # LKCD, little-endian
	run "$DUMPCHECK" "$f"
	assert_failure 1
	assert_output "dumpcheck: $f: an LKCD dump (not supported) [EUNSUP]"
	one '\xa8\x19\x01\x73\x61\x8f\x23\xed'          # LKCD, big-endian (ppc64)
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: an LKCD dump (not supported) [EUNSUP]"
	one 'sadu\x6d\x70\0\0'
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: a Fujitsu sadump dump (not supported) [EUNSUP]"
	one 'sadu\x6d\x70\0\0' 4096                        # after a media header
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: a Fujitsu sadump media backup (not supported) [EUNSUP]"
	one '\xed\xeb\x0f\xf0'                              # XC_CORE_MAGIC
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: a Xen xc_core dump (not supported) [EUNSUP]"
	one '\xee\xeb\x0f\xf0'                              # XC_CORE_MAGIC_HVM
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: a Xen xc_core dump (not supported) [EUNSUP]"
	one 'DISKDUMP'
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: a RHEL 4 diskdump-module dump (not supported) [EUNSUP]"
}

@test "big-endian and 32-bit kdump-compressed and ELF dumps are named" {
	local f
	f=$(gen kdump-be)
	run "$DUMPCHECK" "$f"
	assert_failure 1
	assert_output "dumpcheck: $f: a big-endian kdump-compressed dump, machine ppc64 (not supported) [EUNSUP]"
	f=$(gen kdump-32)
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: a 32-bit kdump-compressed dump, machine i686 (not supported) [EUNSUP]"
	f=$(gen kdump-32-layout)
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: a 32-bit kdump-compressed dump, machine Unknown (not supported) [EUNSUP]"
	f=$(gen elf-32)
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: an ELF32 dump, machine i386 (not supported) [EUNSUP]"
	f=$(gen elf-be)
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: a big-endian ELF64 dump, machine s390x (not supported) [EUNSUP]"
	f=$(gen elf-xen)
	run "$DUMPCHECK" "$f"
	assert_output "dumpcheck: $f: a Xen host dump (hypervisor and dom0 in machine memory) (not supported) [EUNSUP]"
}

# ---------------------------------------------------------------- bad input

@test "empty file, wrong magic, a pipe" {
	: > "$BATS_TEST_TMPDIR/empty"
	run "$DUMPCHECK" "$BATS_TEST_TMPDIR/empty"
	assert_failure 1
	assert_output "dumpcheck: $BATS_TEST_TMPDIR/empty: empty file [EFORMAT]"
	head -c 8192 /dev/urandom > "$BATS_TEST_TMPDIR/junk"
	printf 'NOTADUMP' | dd of="$BATS_TEST_TMPDIR/junk" conv=notrunc 2>/dev/null
	run "$DUMPCHECK" "$BATS_TEST_TMPDIR/junk"
	assert_failure 1
	assert_equal "${#lines[@]}" 1
	assert_output --partial "not a crash dump: no ELF, kdump-compressed or flattened signature at offset 0"
	run bash -c "cat '$(gen kdump-good)' | '$DUMPCHECK' /dev/stdin"
	assert_failure 1
	assert_output --partial "the dump is a pipe; unsupported: a dump needs a seekable file: save it to a file first [EUNSUP]"
}

@test "- reads standard input when it is the dump file, says why not when it is a pipe" {
	local f
	f=$(gen kdump-good)
	run bash -c "'$DUMPCHECK' -x - 1 < '$f'"
	assert_success
	assert_output "pfn 0x1: 07 07 07 07 07 07 07 07 07 07 07 07 07 07 07 07"
	run bash -c "cat '$f' | '$DUMPCHECK' - 1"
	assert_failure 1
	assert_output "dumpcheck: -: standard input is a pipe; unsupported: a dump needs a seekable file: save it to a file first [EUNSUP]"
}

@test "corrupt compressed page (zlib, lzo, snappy, zstd): VM_ECORRUPT with pfn and offset" {
	local f m
	for m in "" -lzo -snappy -zstd; do
		f=$(gen kdump-bad-page$m)
		run "$DUMPCHECK" "$f" 2
		assert_failure 1
		assert_one_line_error ECORRUPT
		assert_output --regexp "pfn 0x2: [a-z]+ page at offset 0x[0-9a-f]+ \([0-9]+ bytes, descriptor at 0x[0-9a-f]+\) does not decompress"
		run "$DUMPCHECK" "$f" 1 3     # the neighbours still read
		assert_success
	done
}

@test "bitmap bit set for a page the descriptors don't hold: VM_ECORRUPT" {
	local f
	f=$(gen kdump-nodesc)
	run "$DUMPCHECK" "$f" 9
	assert_failure 1
	assert_one_line_error ECORRUPT
	assert_output --partial "pfn 0x9: page descriptor at offset 0x"
}

@test "page descriptors pointing outside the file or oversized: VM_ECORRUPT" {
	local f
	f=$(gen kdump-desc-outside)
	run "$DUMPCHECK" "$f" 4
	assert_failure 1
	assert_one_line_error ECORRUPT
	assert_output --partial "pfn 0x4: page descriptor at offset 0x"
	assert_output --partial "data at offset 0x7fffffff0000"
	f=$(gen kdump-desc-size)
	run "$DUMPCHECK" "$f" 1
	assert_failure 1
	assert_one_line_error ECORRUPT
	assert_output --partial "1048576 bytes"
}

@test "absurd header values are refused without huge allocations" {
	local n
	for n in kdump-block-size kdump-max-mapnr kdump-bitmap-blocks kdump-vmcoreinfo kdump-note-size; do
		run "$DUMPCHECK" "$(gen $n)"
		assert_failure 1
		assert_equal "${#lines[@]}" 1
		assert_output --regexp 'offset 0x[0-9a-f]+'
		refute_output --partial "ENOMEM"
	done
	run "$DUMPCHECK" "$(gen split-range)"
	assert_failure 1
	assert_output --partial "split part's pfns 0x28..0x1000 are not within the dump's 0..0x40 [ECORRUPT]"
}

@test "flattened: truncated record, missing end marker" {
	run "$DUMPCHECK" "$(gen flat-truncated)"
	assert_failure 1
	assert_one_line_error ETRUNC
	assert_output --partial "flattened record at offset 0x2010 truncated: 776 of 4096 data bytes"
	run "$DUMPCHECK" "$(gen flat-no-end)"
	assert_failure 1
	assert_one_line_error ETRUNC
	assert_output --partial "no end marker"
}

@test "ELF: e_phoff beyond the file, absurd e_phnum, overflowing notes" {
	local n
	for n in elf-phoff elf-phnum elf-note-seg; do
		run "$DUMPCHECK" "$(gen $n)"
		assert_failure 1
		assert_one_line_error ETRUNC
	done
	run "$DUMPCHECK" "$(gen elf-note-size)"
	assert_failure 1
	assert_one_line_error ECORRUPT
	assert_output --partial "desc size 4294967280 run past the note area"
	local f
	f=$(gen elf-load-outside)
	run "$DUMPCHECK" "$f" 1
	assert_success
	run "$DUMPCHECK" "$f" 0x10
	assert_failure 1
	assert_one_line_error ETRUNC
	assert_output --partial "physical address 0x10000: PT_LOAD data at offset 0x40000000 is beyond the end of the file"
}

@test "a real kdump file cut at every header field and inside each part" {
	local src=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib f=$BATS_TEST_TMPDIR/cut n
	skip_if_missing "$src"
	# disk_dump_header fields, block 1 (sub-header fields, notes,
	# VMCOREINFO), the bitmaps (3 blocks of 4096 + 4 bitmap blocks) and
	# the page descriptors after them
	local cuts="0 8 12 77 142 207 272 337 402 408 416 424 428 432 436 440 444 448 452 456 460 463 464 4095 4096 4104 4112 4120 4128 4136 4144 4152 4160 4176 4200 5000 5856 6000 8191 8192 12287 12288 12389 16384 20480 24575 24576 28671 28672 28696 30000 100000"
	for n in $cuts; do
		head -c "$n" "$src" > "$f"
		run "$DUMPCHECK" "$f"
		[ "$status" -eq 1 ] || { echo "cut at $n: status $status: $output"; return 1; }
		[ "${#lines[@]}" -eq 1 ] || { echo "cut at $n: $output"; return 1; }
		[[ $n -eq 0 || $output == *offset* ]] || { echo "cut at $n: no offset: $output"; return 1; }
	done
}

@test "a truncated ELF dump: opens, pages past the cut fail with the offset" {
	local ref f=$BATS_TEST_TMPDIR/cut
	need_fixture ref x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	for n in 0 16 63 64 100 192 250 300 500 1000; do
		head -c "$n" "$ref" > "$f"
		run "$DUMPCHECK" "$f"
		[ "$status" -eq 1 ] && [ "${#lines[@]}" -eq 1 ] || { echo "cut at $n: $status $output"; return 1; }
	done
	head -c 20000000 "$ref" > "$f"
	run "$DUMPCHECK" "$f" 0x100 0x8000
	assert_failure 1
	assert_line "pfn 0x100: $("$DUMPCHECK" "$ref" 0x100 | cut -d' ' -f3)"
	assert_output --partial "is beyond the end of the file"
}
