#!/usr/bin/env bats
# The on-disk cache (common/cache.c) must never change an answer: cold,
# warm, another boot of the same build (other KASLR slide), and a damaged
# or foreign cache file all give what -o nocache gives.

load helpers

setup() {
	need_prog vmsym
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/xdg
}

@test "kallsyms: cold, warm and nocache agree; the cache file is keyed by BUILD-ID" {
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	"$VMBIN/vmsym" -o nocache --list "$d" >"$BATS_TEST_TMPDIR/none"
	[ ! -e "$XDG_CACHE_HOME/vmcoreutils" ] || [ -z "$(ls "$XDG_CACHE_HOME/vmcoreutils")" ]
	"$VMBIN/vmsym" --list "$d" >"$BATS_TEST_TMPDIR/cold"
	id=$("$VMBIN/../build/tests/dumpcheck" -V "$d" 2>/dev/null | sed -n 's/^BUILD-ID=//p' || true)
	[ -n "$id" ] || id=$(strings "$d" | sed -n 's/^BUILD-ID=//p' | head -1)
	[ -s "$XDG_CACHE_HOME/vmcoreutils/kallsyms-$id.bin" ]
	"$VMBIN/vmsym" --list "$d" >"$BATS_TEST_TMPDIR/warm"
	cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/cold"
	cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/warm"
}

@test "kallsyms: a cache made from one boot is right for another (other KASLR slide)" {
	need_fixture a x86_64-6.1/oops-module/vmcore.kdump-zlib
	need_fixture b x86_64-6.1/sysrq-c/vmcore.kdump-zstd
	need_fixture c x86_64-6.1/bug-module/vmcore.kdump-snappy
	"$VMBIN/vmsym" --list "$a" >/dev/null
	for d in "$b" "$c"; do
		"$VMBIN/vmsym" -o nocache --list "$d" >"$BATS_TEST_TMPDIR/none"
		"$VMBIN/vmsym" --list "$d" >"$BATS_TEST_TMPDIR/warm"
		cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/warm"
	done
}

@test "a damaged cache file is ignored and rewritten" {
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	"$VMBIN/vmsym" -o nocache --list "$d" >"$BATS_TEST_TMPDIR/none"
	"$VMBIN/vmsym" --list "$d" >/dev/null
	local f
	f=$(ls "$XDG_CACHE_HOME"/vmcoreutils/kallsyms-*.bin)
	# flip bytes in the middle of the names, then truncate another copy
	printf 'XXXXXXXX' | dd of="$f" bs=1 seek=3000000 conv=notrunc 2>/dev/null
	run "$VMBIN/vmsym" --list "$d"
	assert_success
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/none")" ]
	truncate -s 1000 "$f"
	run "$VMBIN/vmsym" --list "$d"
	assert_success
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/none")" ]
	[ "$(stat -c %s "$f")" -gt 1000 ]
}

@test "an unwritable cache directory costs nothing but speed" {
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	export XDG_CACHE_HOME=/proc/no-such-dir
	run "$VMBIN/vmsym" "$d" schedule
	assert_success
	assert_output --regexp '^[0-9a-f]+ \(T\) schedule'
}
