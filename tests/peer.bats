#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Peer check against libkdumpfile (tests/peer/libkdumpfile.sh): its own
# dump-format test files, made by its generators built from Debian's
# source package, read by Debian's libkdumpfile and by the dump layer.
# Skipped, saying why, when the source package cannot be had through apt
# or its generators cannot be built.

load helpers

setup_file() {
	if [ -z "${O:-}" ]; then
		case $VMBIN in */build-san/bin) O=${VMBIN%/bin} ;; *) O=$ROOT/build ;; esac
	fi
	case $O in /*) ;; *) O=$ROOT/$O ;; esac
	export O
	export PEER_OUT=$BATS_FILE_TMPDIR/peer.out
	O=$O sh "$ROOT/tests/peer/libkdumpfile.sh" > "$PEER_OUT" 2>&1
	echo $? > "$BATS_FILE_TMPDIR/peer.rc"
}

peer() {
	local rc
	rc=$(cat "$BATS_FILE_TMPDIR/peer.rc")
	[ "$rc" != 77 ] || skip "$(tail -1 "$PEER_OUT")"
	run cat "$PEER_OUT"
	return "$rc"
}

@test "libkdumpfile's dump-format cases: every page both read is byte-identical, each refused format named" {
	peer || { cat "$PEER_OUT"; false; }
	refute_line --partial "not ok"
	echo "# $(grep -c '^ok' "$PEER_OUT") cases ($(head -1 "$PEER_OUT" | sed 's/^# //'))" >&3
}

@test "libkdumpfile's split sets (plain and flattened parts) read as libkdumpfile reads them" {
	peer || true
	assert_line --regexp '^ok diskdump-split: [1-9][0-9]* pages identical \(pages only libkdumpfile reads: 0, '
	assert_line --regexp '^ok diskdump-split-flat: [1-9][0-9]* pages identical \(pages only libkdumpfile reads: 0, '
}

@test "libkdumpfile's LKCD, sadump, Xen, ELF32, big-endian and 32-bit kdump cases are refused by name" {
	peer || true
	assert_line --regexp '^ok lkcd-basic-raw: .* an LKCD dump \(not supported\)'
	assert_line --regexp '^ok sadump-basic-single: .* a Fujitsu sadump dump \(not supported\)'
	assert_line --regexp '^ok sadump-basic-media: .* a Fujitsu sadump media backup \(not supported\)'
	assert_line --regexp '^ok elf-xen_prstatus: .* a Xen xc_core dump in ELF \(not supported\)'
	assert_line --regexp '^ok elf-dom0-no-phys_base: .* a Xen host dump .*\(not supported\)'
	assert_line --regexp '^ok elf-empty-i386: .* an ELF32 dump, machine i386 \(not supported\)'
	assert_line --regexp '^ok elf-be: .* a big-endian ELF64 dump, machine s390x \(not supported\)'
	assert_line --regexp '^ok diskdump-empty-ppc64: .* a big-endian kdump-compressed dump, machine ppc64 \(not supported\)'
	assert_line --regexp '^ok diskdump-v6-ia32: .* a 32-bit kdump-compressed dump, machine i686 \(not supported\)'
}
