#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Debuginfo that belongs to another kernel is refused the same way by every
# program (common/kernel/debuginfo.c, checked when the kernel is opened):
# exit 1, nothing on stdout, and a message naming both build-ids (-k) or
# the first symbol whose address differs (-m against VMCOREINFO, a module's
# .ko under -M against the module's symbols in the dump).  The facts the
# messages must name come from the files themselves (readelf, the map).
# And without -k, a vmlinux is found where Debian's -dbg packages put it,
# under VMCOREUTILS_DEBUG_ROOT, by build-id first; a wrong one is skipped.

load helpers
load robust

setup() {
	T=$BATS_TEST_TMPDIR
	export XDG_CACHE_HOME=$T/xdg
	need_fixture D x86_64-6.1/oops-module/vmcore.kdump-zlib
}

# build_id FILE: the GNU build-id note of an ELF file, as readelf shows it
build_id() {
	readelf -n "$1" | awk '/Build ID:/ { print $3; exit }'
}

# refused_by_all WHAT PATTERN ARGS...: every program, with its sweep
# arguments, on $D with ARGS: exit 1, empty stdout, stderr "PROG: DUMP:
# ... does not belong to this dump" matching PATTERN
refused_by_all() {
	local what=$1 pat=$2 p rc bad=
	shift 2
	for p in $(built_programs); do
		rc=0
		# shellcheck disable=SC2046
		"$VMBIN/$p" "$@" "$D" $(sweep_args "$p") >"$T/out" 2>"$T/err" </dev/null || rc=$?
		if [ "$rc" != 1 ]; then
			bad+="$p ($what): exit $rc: $(head -c 300 "$T/err")"$'\n'
		elif [ -s "$T/out" ]; then
			bad+="$p ($what): printed an answer: $(head -n 2 "$T/out")"$'\n'
		elif ! grep -qE "^$p: $D: .*does not belong to this dump.*$pat" "$T/err"; then
			bad+="$p ($what): $(head -c 400 "$T/err")"$'\n'
		fi
	done
	[ -z "$bad" ] || fail "$bad"
}

@test "-k with another build's ELF file: every program exits 1 naming both build-ids" {
	local ko dump_id ko_id
	need_cmd readelf
	ko=$FIX/x86_64-6.1/crashmod.ko
	skip_if_missing "$ko"
	ko_id=$(build_id "$ko")
	dump_id=$(strings "$D" | sed -n 's/^BUILD-ID=//p' | head -1)
	[ -n "$ko_id" ] && [ -n "$dump_id" ] && [ "$ko_id" != "$dump_id" ]
	refused_by_all "-k crashmod.ko" "its build-id is $ko_id, the dump's kernel has $dump_id" -k "$ko"
}

@test "-k with the x86_64 vmlinux on the arm64 dump: every program exits 1 naming both" {
	need_fixture V x86_64-6.1/vmlinux.xz
	need_fixture A arm64-6.1-debian/vmcore.qemu-kdump-zlib
	need_cmd readelf
	local vid aid
	vid=$(build_id "$V")
	aid=$(strings "$A" | sed -n 's/^BUILD-ID=//p' | head -1)
	[ -n "$vid" ] && [ -n "$aid" ]
	D=$A refused_by_all "-k x86 vmlinux" "its build-id is $vid, the dump's kernel has $aid" -k "$V"
}

@test "--sysmap (-m) with a System.map of another build: every program exits 1 naming the symbol" {
	local map=$FIX/x86_64-6.1/System.map p
	skip_if_missing "$map"
	# the map of a build whose .rodata moved by 16 bytes from init_uts_ns on
	local a
	a=$(awk '$3 == "init_uts_ns" { print $1 }' "$map")
	[ -n "$a" ]
	sed "s/^$a \(. init_uts_ns\)$/$(printf '%016x' $((0x$a + 16))) \1/" "$map" >"$T/map"
	grep -q ' init_uts_ns$' "$T/map"
	! cmp -s "$map" "$T/map"
	# --sysmap: vmlog's and vmstruct's -m mean something else
	for p in $(built_programs); do
		rc=0
		# shellcheck disable=SC2046
		"$VMBIN/$p" --sysmap "$T/map" "$D" $(sweep_args "$p") >"$T/out" 2>"$T/err" || rc=$?
		[ "$rc" = 1 ] || fail "$p: exit $rc: $(cat "$T/err")"
		[ ! -s "$T/out" ] || fail "$p printed: $(head -2 "$T/out")"
		grep -q "^$p: $D: $T/map does not belong to this dump: init_uts_ns is at " "$T/err" ||
			fail "$p: $(cat "$T/err")"
	done
	# the right map is taken by all
	for p in $(built_programs); do
		# shellcheck disable=SC2046
		"$VMBIN/$p" --sysmap "$map" "$D" $(sweep_args "$p") >/dev/null 2>"$T/err" ||
			fail "$p -m (right map): $(cat "$T/err")"
	done
}

@test "-M with a module .ko of another build: every program exits 1 naming the symbol" {
	local ko=$FIX/x86_64-6.1/crashmod.ko
	skip_if_missing "$ko"
	mkdir -p "$T/mods"
	# the .ko of a build where crashmod_level1 lies 16 bytes further on:
	# its .symtab entry's st_value moved
	python3 - "$ko" "$T/mods/crashmod.ko" crashmod_level1 <<'EOF'
import struct, sys
src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3].encode()
b = bytearray(open(src, 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
shentsize, shnum = struct.unpack_from('<HH', b, 0x3a)
secs = [struct.unpack_from('<IIQQQQIIQQ', b, shoff + i * shentsize) for i in range(shnum)]
for s in secs:
    if s[1] == 2:  # SHT_SYMTAB
        strtab = secs[s[6]]
        for off in range(s[4], s[4] + s[5], 24):
            nm, = struct.unpack_from('<I', b, off)
            st = strtab[4] + nm
            if b[st:st + len(name) + 1] == name + b'\0':
                v, = struct.unpack_from('<Q', b, off + 8)
                struct.pack_into('<Q', b, off + 8, v + 0x10)
                open(dst, 'wb').write(b)
                sys.exit(0)
sys.exit(1)
EOF
	refused_by_all "-M other crashmod.ko" "crashmod_level1 is at " -M "$T/mods"
	# the real one is taken
	run -0 "$VMBIN/vmsym" -M "$FIX/x86_64-6.1" "$D" crashmod_level1
}

@test "vmsys -k of another build no longer exits 0 with TASKS, PID, COMMAND ... dropped" {
	need_prog vmsys
	skip_if_missing x86_64-6.1/crashmod.ko
	run --separate-stderr "$VMBIN/vmsys" -k "$FIX/x86_64-6.1/crashmod.ko" "$D"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ $stderr == *"does not belong to this dump"* ]]
}

# fake_root: $T/root with the debug package paths for this dump's release
# and build-id
fake_root() {
	R=$T/root
	REL=$(strings "$D" | sed -n 's/^OSRELEASE=//p' | head -1)
	BID=$(strings "$D" | sed -n 's/^BUILD-ID=//p' | head -1)
	[ -n "$REL" ] && [ -n "$BID" ]
	mkdir -p "$R/usr/lib/debug/boot" "$R/usr/lib/debug/lib/modules/$REL" \
		"$R/usr/lib/debug/.build-id/${BID:0:2}"
	export VMCOREUTILS_DEBUG_ROOT=$R
}

@test "without -k: the vmlinux in the debug root's boot/, lib/modules/R/ and .build-id/ paths" {
	need_prog vmsym
	need_fixture V x86_64-6.1/vmlinux.xz
	fake_root
	ln -s "$V" "$R/usr/lib/debug/boot/vmlinux-$REL"
	run -0 "$VMBIN/vmsym" -v -l "$D" schedule
	assert_output --partial "vmlinux: $R/usr/lib/debug/boot/vmlinux-$REL (found; build-id $BID matches VMCOREINFO)"
	# -l needs DWARF: the source line comes from the vmlinux found
	assert_line --regexp '^[0-9a-f]+ \(T\) schedule /.*\.[ch]: [0-9]+$'
	rm "$R/usr/lib/debug/boot/vmlinux-$REL"
	ln -s "$V" "$R/usr/lib/debug/lib/modules/$REL/vmlinux"
	run -0 "$VMBIN/vmsym" -v "$D" schedule
	assert_output --partial "vmlinux: $R/usr/lib/debug/lib/modules/$REL/vmlinux (found; build-id $BID"
	# the build-id path is tried first
	ln -s "$V" "$R/usr/lib/debug/.build-id/${BID:0:2}/${BID:2}.debug"
	run -0 "$VMBIN/vmsym" -v "$D" schedule
	assert_output --partial "vmlinux: $R/usr/lib/debug/.build-id/${BID:0:2}/${BID:2}.debug (found"
}

@test "without -k: a vmlinux of another build in the debug root is skipped, the next one taken" {
	need_prog vmsym
	need_fixture V x86_64-6.1/vmlinux.xz
	skip_if_missing x86_64-6.1/crashmod.ko
	fake_root
	ln -s "$FIX/x86_64-6.1/crashmod.ko" "$R/usr/lib/debug/.build-id/${BID:0:2}/${BID:2}.debug"
	ln -s "$FIX/x86_64-6.1/crashmod.ko" "$R/usr/lib/debug/boot/vmlinux-$REL"
	ln -s "$V" "$R/usr/lib/debug/lib/modules/$REL/vmlinux"
	run -0 "$VMBIN/vmsym" -v "$D" schedule
	assert_output --partial "skipped: $R/usr/lib/debug/.build-id/${BID:0:2}/${BID:2}.debug does not belong to this dump"
	assert_output --partial "skipped: $R/usr/lib/debug/boot/vmlinux-$REL does not belong to this dump"
	assert_output --partial "vmlinux: $R/usr/lib/debug/lib/modules/$REL/vmlinux (found"
	assert_line --regexp '^[0-9a-f]+ \(T\) schedule$'
	# only wrong ones: the dump's own tables, and the answer is the same
	rm "$R/usr/lib/debug/lib/modules/$REL/vmlinux"
	run -0 "$VMBIN/vmsym" -v "$D" schedule
	assert_output --partial "symbols: kallsyms from the dump"
	assert_line "$("$VMBIN/vmsym" -k "$V" "$D" schedule)"
}
