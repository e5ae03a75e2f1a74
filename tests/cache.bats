#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The on-disk cache (common/cache*.c, man vmcoreutils.7 CACHE) must never
# change an answer.  Every check compares a program's output with the cache
# on against the same program with -o nocache on the same dump: cold, warm
# (the dump file's record), a cache written by another dump of the same
# build, damaged, forged, foreign and planted files.

load helpers
load robust

setup() {
	need_prog vmsym
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/xdg
	unset VMCOREUTILS_CACHE VMCOREUTILS_CACHE_MAX
	C=$XDG_CACHE_HOME/vmcoreutils
	T=$BATS_TEST_TMPDIR
	O=$(robust_o)
}

# Wait until each FILE changed at least 3 s ago: a file changed in the last
# 2 s gets no record (RACY_S, common/cache_entry.c), as a fixture unpacked
# just now on a clean machine would be.
settled() { # FILE...
	local f t now
	for f; do
		t=$(stat -L -c '%Y %Z' "$f" | tr ' ' '\n' | sort -n | tail -n 1)
		now=$(date +%s)
		[ $((now - t)) -ge 3 ] || sleep $((3 - (now - t)))
	done
}

dump_of() {
	case $1 in
	sysrq-c) echo x86_64-6.1/sysrq-c/vmcore.kdump-zstd ;;
	oops-module) echo x86_64-6.1/oops-module/vmcore.kdump-zlib ;;
	bug-module) echo x86_64-6.1/bug-module/vmcore.kdump-snappy ;;
	arm64) echo arm64-6.1-debian/vmcore.qemu-kdump-zlib ;;
	esac
}

# The modes compared: program and arguments after the dump (fewer under
# the sanitizers, several times slower: one or two per program).
if [ "${VM_SAN:-0}" = 1 ]; then
	MODES=(
		"vmsys --json" "vmps" "vmbt --json" "vmsym --list"
		"vmstruct task_struct init_task --members pid,comm" "vmlog"
	)
else
	MODES=(
		"vmsys" "vmsys --json" "vmsys -1"
		"vmps" "vmps --json" "vmps --times"
		"vmbt" "vmbt -A" "vmbt --json"
		"vmsym schedule" "vmsym --list"
		"vmstruct task_struct" "vmstruct task_struct init_task --members pid,comm"
		"vmlog"
	)
fi

# run_modes DUMP TAG [ARGS]: every mode's stdout and status into $T/TAG.N
run_modes() {
	local d=$1 tag=$2 i p rest rc
	shift 2
	for i in "${!MODES[@]}"; do
		p=${MODES[i]%% *}
		rest=${MODES[i]#"$p"}
		[ -x "$VMBIN/$p" ] || continue
		rc=0
		# shellcheck disable=SC2086
		timeout -k 5 60 "$VMBIN/$p" "$@" "$d" $rest >"$T/$tag.$i" 2>"$T/$tag.$i.err" </dev/null ||
			rc=$?
		# a mode the program no longer takes would compare two usage errors
		[ "$rc" -ne 2 ] || fail "${MODES[i]}: usage error: $(head -n 1 "$T/$tag.$i.err")"
		echo "status $rc" >>"$T/$tag.$i"
	done
}

# same_modes TAG1 TAG2: every mode gave the same output
same_modes() {
	local i bad=
	for i in "${!MODES[@]}"; do
		[ -e "$T/$1.$i" ] || continue
		cmp -s "$T/$1.$i" "$T/$2.$i" ||
			bad+="${MODES[i]}: $(diff "$T/$1.$i" "$T/$2.$i" | head -5)"$'\n'
	done
	[ -z "$bad" ] || fail "outputs differ from -o nocache:"$'\n'"$bad"
}

@test "cold, warm (the dump file's record) and nocache agree in every program; entries are named by content" {
	need_fixture d "$(dump_of oops-module)"
	settled "$d"
	run_modes "$d" none -o nocache
	[ ! -e "$C" ] || [ -z "$(ls -A "$C")" ]
	run_modes "$d" cold
	run_modes "$d" warm
	same_modes none cold
	same_modes none warm
	# named by a fingerprint of what they were made from, not by build-id
	ls "$C" | grep -qE '^kallsyms-[0-9a-f]{32}\.ent$'
	ls "$C" | grep -qE '^btf-[0-9a-f]{32}\.ent$'
	! ls "$C" | grep -q c9de8b73bde740e2c3222290d6f236152834fdf0
	# the record of the dump file, and the directory is the user's alone
	ls "$C" | grep -qE '^file-[0-9a-f]{32}\.rec$'
	[ "$(stat -c %a "$C")" = 700 ]
	[ -z "$(find "$C" -type f ! -perm 600)" ]
	run "$VMBIN/vmsym" -v "$d" schedule
	assert_output --partial "cache: $C"
}

@test "a cache written by another dump of the same build: every program equals -o nocache" {
	local a b pair
	# each scenario once as the writer, once as the reader
	for pair in oops-module:sysrq-c sysrq-c:bug-module bug-module:oops-module; do
		a=${pair%%:*} b=${pair#*:}
		need_fixture da "$(dump_of "$a")"
		need_fixture db "$(dump_of "$b")"
		rm -rf "$C"
		run_modes "$da" "w-$a"
		ls "$C" | grep -q '^kallsyms-'
		run_modes "$db" "none-$b" -o nocache
		run_modes "$db" "from-$a-$b"
		same_modes "none-$b" "from-$a-$b"
	done
}

@test "the same build's entries are shared: one kallsyms and one BTF entry for three dumps" {
	local s d
	for s in oops-module sysrq-c bug-module; do
		need_fixture d "$(dump_of "$s")"
		"$VMBIN/vmsym" "$d" schedule >/dev/null
		"$VMBIN/vmstruct" "$d" task_struct >/dev/null
	done
	[ "$(ls "$C" | grep -c '^kallsyms-')" -eq 1 ]
	[ "$(ls "$C" | grep -c '^btf-')" -eq 1 ]
	[ "$(ls "$C" | grep -c '^file-')" -eq 3 ]
}

@test "a dump stored alike (makedumpfile -F: another file, another run) finds the entries by its stored pages; equals -o nocache" {
	local d f a k b
	need_fixture d "$(dump_of oops-module)"
	need_fixture f derive:flat
	run_modes "$f" none -o nocache
	# written by the kdump file: the entries and, named by the pages as the
	# file stores them (zlib), their aliases
	"$VMBIN/vmps" "$d" >/dev/null
	ls "$C" | grep -qE '^kallsyms_stored-[0-9a-f]{32}\.ent$'
	ls "$C" | grep -qE '^btf_stored-[0-9a-f]{32}\.ent$'
	a=$(ls "$C" | grep -vE '^(file|pages)-' | sort)
	run_modes "$f" alias
	same_modes none alias
	# the flattened file's pages, compressed by another makedumpfile run,
	# are stored alike: no entry or alias of its own (a record and page
	# store of its own: they are about the file)
	[ "$(ls "$C" | grep -vE '^(file|pages)-' | sort)" = "$a" ]
	# an alias whose stored bytes differ from the dump's is not taken (it
	# is replaced): one byte of each, in their stored pages
	local -A sum
	for k in kallsyms_stored btf_stored; do
		b=$(ls "$C"/$k-*.ent)
		dd if="$b" bs=1 skip=$(($(stat -c %s "$b") / 2)) count=1 2>/dev/null |
			tr '\000-\377' '\001-\377\000' |
			dd of="$b" bs=1 seek=$(($(stat -c %s "$b") / 2)) conv=notrunc 2>/dev/null
		sum[$k]=$(md5sum <"$b")
	done
	cp "$f" "$T/copy"
	run_modes "$T/copy" copy -o nocache
	run_modes "$T/copy" flipped
	same_modes copy flipped
	for k in kallsyms_stored btf_stored; do
		[ "$(md5sum <"$(ls "$C"/$k-*.ent)")" != "${sum[$k]}" ] || fail "$k: damaged alias kept"
	done
}

@test "arm64 (text-only kallsyms): cold, warm, nocache agree; init_task cached" {
	need_fixture d "$(dump_of arm64)"
	MODES=("vmsys" "vmps" "vmbt" "vmsym schedule" "vmstruct task_struct" "vmps --json")
	run_modes "$d" none -o nocache
	run_modes "$d" cold
	run_modes "$d" warm
	same_modes none cold
	same_modes none warm
	ls "$C" | grep -q '^init_task-'
}

@test "a damaged entry (bytes flipped, truncated) is ignored and rewritten" {
	need_fixture d "$(dump_of oops-module)"
	MODES=("vmsym --list" "vmps" "vmstruct task_struct")
	run_modes "$d" none -o nocache
	run_modes "$d" first
	local f g
	f=$(ls "$C"/kallsyms-*.ent)
	g=$(ls "$C"/btf-*.ent)
	# flip bytes in the middle of both, then check twice (the record path,
	# then the content path after the record was rewritten)
	printf 'XXXXXXXX' | dd of="$f" bs=1 seek=3000000 conv=notrunc 2>/dev/null
	printf 'XXXXXXXX' | dd of="$g" bs=1 seek=3000000 conv=notrunc 2>/dev/null
	run_modes "$d" flipped
	same_modes none flipped
	! grep -q XXXXXXXX "$f"
	truncate -s 1000 "$f"
	truncate -s 1000 "$g"
	run_modes "$d" cut
	same_modes none cut
	[ "$(stat -c %s "$f")" -gt 1000 ]
	[ "$(stat -c %s "$g")" -gt 1000 ]
	# the dump file's record itself
	for f in "$C"/file-*.rec; do
		printf 'XXXXXXXX' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null
	done
	run_modes "$d" rec
	same_modes none rec
}

@test "a forged kallsyms entry (valid checksums, symbol count 0xffffffff) is ignored and rewritten" {
	local forge=$O/tests/cacheforge
	[ -x "$forge" ] || fail "$forge not built"
	need_fixture d "$(dump_of oops-module)"
	run_modes "$d" none -o nocache
	"$forge" "$d" kallsyms-count
	f=$(ls "$C"/kallsyms-*.ent)
	run_modes "$d" forged
	same_modes none forged
	# rewritten: the count is the dump's again (checked through vmsym -v:
	# a second run takes the entry without decoding)
	run "$VMBIN/vmsym" -v "$d" schedule
	assert_success
	assert_output --regexp 'kallsyms from the dump \([0-9]+ symbols\)'
	refute_output --partial '4294967295 symbols'
}

@test "a forged init_task (arm64, text-only kallsyms) is checked and the scan's answer used" {
	local forge=$O/tests/cacheforge
	[ -x "$forge" ] || fail "$forge not built"
	need_fixture d "$(dump_of arm64)"
	MODES=("vmsys" "vmps" "vmps --json" "vmbt -A")
	run_modes "$d" none -o nocache
	"$forge" "$d" init_task=0x1000
	run_modes "$d" forged
	same_modes none forged
	"$forge" "$d" init_task=0
	run_modes "$d" forged0
	same_modes none forged0
}

@test "a FIFO or a symlink in place of a cache file neither blocks nor redirects" {
	need_fixture d "$(dump_of oops-module)"
	MODES=("vmsym schedule" "vmps" "vmstruct task_struct")
	run_modes "$d" none -o nocache
	run_modes "$d" first
	local f
	for f in "$C"/kallsyms-*.ent "$C"/btf-*.ent "$C"/file-*.rec; do
		rm -f "$f"
		mkfifo "$f"
	done
	run_modes "$d" fifo
	same_modes none fifo
	for f in "$C"/kallsyms-*.ent "$C"/btf-*.ent "$C"/file-*.rec; do
		[ -p "$f" ] && rm -f "$f" && ln -s /etc/passwd "$f"
	done
	run_modes "$d" link
	same_modes none link
	# the DWARF index of a vmlinux too
	need_fixture V x86_64-6.1/vmlinux.xz
	run -0 timeout 120 "$VMBIN/vmstruct" -k "$V" "$d" list_head
	for f in "$C"/dwarf-*.idx; do
		rm -f "$f"
		mkfifo "$f"
	done
	run -0 timeout 120 "$VMBIN/vmstruct" -k "$V" "$d" list_head
	assert_output --partial "struct list_head {"
}

@test "files owned by another user are ignored; a directory owned by another user is not used" {
	[ "$(id -u)" = 0 ] || skip "needs root to give files away (chown)"
	need_fixture d "$(dump_of oops-module)"
	MODES=("vmsym schedule" "vmps")
	run_modes "$d" none -o nocache
	run_modes "$d" first
	chown 65534 "$C"/*
	run_modes "$d" foreign
	same_modes none foreign
	# replaced by our own
	[ -z "$(find "$C" -name 'kallsyms-*' -user 65534)" ]
	rm -rf "$C"
	mkdir -p "$C"
	chown 65534 "$C"
	run_modes "$d" foreigndir
	same_modes none foreigndir
	[ -z "$(ls -A "$C")" ]
	run "$VMBIN/vmsym" -v "$d" schedule
	assert_output --partial "cache: $C"
}

@test "a directory made 0755 by an older version becomes 0700" {
	need_fixture d "$(dump_of oops-module)"
	mkdir -p "$C"
	chmod 755 "$C"
	touch -d '2 days ago' "$C/kallsyms-c9de8b73bde740e2c3222290d6f236152834fdf0.bin"
	"$VMBIN/vmsym" "$d" schedule >/dev/null
	[ "$(stat -c %a "$C")" = 700 ]
	# version 1-2 files (keyed by BUILD-ID text) are removed
	[ ! -e "$C/kallsyms-c9de8b73bde740e2c3222290d6f236152834fdf0.bin" ]
}

@test "the size cap: least recently used files go first" {
	need_fixture d "$(dump_of oops-module)"
	export VMCOREUTILS_CACHE_MAX=10M
	"$VMBIN/vmsym" "$d" schedule >/dev/null
	ls "$C" | grep -q '^kallsyms-'
	"$VMBIN/vmstruct" "$d" task_struct >/dev/null
	# kallsyms (6.4 MB) + BTF (6.5 MB) > 10 MB: the older one went
	! ls "$C" | grep -q '^kallsyms-'
	ls "$C" | grep -q '^btf-'
	[ "$(du -sb "$C" | cut -f1)" -le $((10 << 20)) ]
}

@test "the page store: pages a run decompressed are taken by the next; a damaged one is found out and the store rewritten; a copy of the dump takes none" {
	local want st n
	need_fixture d "$(dump_of oops-module)"
	settled "$d"
	want=$("$VMBIN/vmps" -o nocache "$d")
	"$VMBIN/vmps" "$d" >/dev/null
	# named by the dump file's identity, as its record is
	st=$(ls "$C"/pages-*.pag)
	[ "${st##*/pages-}" = "$(basename "$(ls "$C"/file-*.rec)" .rec | sed 's/^file-//').pag" ]
	run --separate-stderr -0 "$VMBIN/vmps" -v "$d"
	[ "$output" = "$want" ]
	n=$(sed -n 's/.*cache: \([0-9]*\) pages of this dump file kept.*/\1/p' <<<"$stderr")
	[ "${n:-0}" -gt 50 ] || fail "kept: '$n' pages"
	# one byte of the last kept page: not taken, the page read from the dump
	printf 'x' | dd of="$st" bs=1 seek=$(($(stat -c %s "$st") - 100)) conv=notrunc status=none
	run --separate-stderr -0 "$VMBIN/vmps" -v "$d"
	[ "$output" = "$want" ]
	grep -q 'failed its checksum' <<<"$stderr"
	run --separate-stderr -0 "$VMBIN/vmps" -v "$d"
	[ "$output" = "$want" ]
	! grep -q 'failed its checksum' <<<"$stderr"
	# another file with the same bytes has a store of its own (none yet)
	cp "$d" "$T/copy"
	run --separate-stderr -0 "$VMBIN/vmps" -v "$T/copy"
	[ "$output" = "$want" ]
	grep -q 'cache: 0 pages of this dump file kept' <<<"$stderr"
}

@test "-k: the dump file read with that vmlinux file has a record of its own; answers equal -o nocache" {
	need_prog vmdis
	need_fixture d "$(dump_of oops-module)"
	need_fixture V x86_64-6.1/vmlinux.xz
	settled "$d" "$V"
	run -0 "$VMBIN/vmdis" -o nocache -k "$V" "$d" schedule 8
	want=$output
	[ ! -e "$C" ] || [ -z "$(ls "$C")" ]
	# first: the kallsyms entry (by content) and the record of the pair
	run -0 "$VMBIN/vmdis" -k "$V" "$d" schedule 8
	[ "$output" = "$want" ]
	[ "$(ls "$C"/kallsyms-*.ent | wc -l)" -eq 1 ]
	[ "$(ls "$C"/file-*.rec | wc -l)" -eq 1 ]
	pair=$(ls "$C"/file-*.rec)
	# warm: through the record
	run -0 "$VMBIN/vmdis" -k "$V" "$d" schedule 8
	[ "$output" = "$want" ]
	# the dump alone has a record of its own; the pair's is left as it was
	cp "$pair" "$T/pair"
	run -0 "$VMBIN/vmdis" "$d" schedule 8
	[ "$(ls "$C"/file-*.rec | wc -l)" -eq 2 ]
	cmp "$pair" "$T/pair"
	# the entry the pair's record names, damaged: found out, rewritten
	printf 'x' | dd of="$(ls "$C"/kallsyms-*.ent)" bs=1 seek=200 conv=notrunc status=none
	run -0 "$VMBIN/vmdis" -k "$V" "$d" schedule 8
	[ "$output" = "$want" ]
}

@test "VMCOREUTILS_CACHE=off writes nothing; =DIR puts it there; -o nocache writes nothing" {
	need_fixture d "$(dump_of oops-module)"
	VMCOREUTILS_CACHE=off "$VMBIN/vmsym" "$d" schedule >/dev/null
	[ ! -e "$C" ]
	"$VMBIN/vmsym" -o nocache "$d" schedule >/dev/null
	[ ! -e "$C" ]
	VMCOREUTILS_CACHE=$T/elsewhere "$VMBIN/vmsym" "$d" schedule >/dev/null
	[ ! -e "$C" ]
	ls "$T/elsewhere" | grep -q '^kallsyms-'
	run env VMCOREUTILS_CACHE=off "$VMBIN/vmsym" -v "$d" schedule
	assert_output --partial "cache: off"
}

@test "an unwritable cache directory costs nothing but speed" {
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	export XDG_CACHE_HOME=/proc/no-such-dir
	run "$VMBIN/vmsym" "$d" schedule
	assert_success
	assert_output --regexp '^[0-9a-f]+ \(T\) schedule'
}
