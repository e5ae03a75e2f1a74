#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The fuzz harnesses (tests/fuzz/NAME.c) without libFuzzer: the normal
# build links each with a main() that feeds files ($O/fuzz-replay/NAME,
# tests/fuzz/fuzz.mk), so every input a fuzzer ever crashed on, kept in
# tests/fuzz/regress/NAME/, is replayed in `make test` (under ASan+UBSan in
# `make test SAN=1`), and so are the seed corpora tests/fuzz/seeds.sh makes
# from the real fixtures.  Fuzzing itself: `make fuzz-smoke`, `make fuzz-long`.

load helpers

setup_file() {
	if [ -z "${O:-}" ]; then
		case $VMBIN in */build-san/bin) O=${VMBIN%/bin} ;; *) O=$ROOT/build ;; esac
	fi
	case $O in /*) ;; *) O=$ROOT/$O ;; esac
	export REPLAY=$O/fuzz-replay O
}

harnesses() {
	local f
	for f in "$ROOT"/tests/fuzz/*.c; do
		f=${f##*/}
		echo "${f%.c}"
	done
}

@test "every harness has a replay program" {
	local n missing=
	for n in $(harnesses); do
		[ -x "$REPLAY/$n" ] || missing+=" $n"
	done
	[ -z "$missing" ] || fail "not built in $REPLAY:$missing (make)"
}

@test "every regression input belongs to a harness" {
	local d
	for d in "$ROOT"/tests/fuzz/regress/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		[ -f "$ROOT/tests/fuzz/${d##*/}.c" ] || fail "regress/${d##*/}: no tests/fuzz/${d##*/}.c"
	done
}

@test "regression inputs replay without a crash, sanitizer report or hang" {
	local d n count=0
	for d in "$ROOT"/tests/fuzz/regress/*/; do
		[ -d "$d" ] || continue
		n=$(basename "$d")
		[ -x "$REPLAY/$n" ] || skip "$REPLAY/$n not built"
		# each input is bounded in time (a hang fails as status 124)
		# and memory (replay -m: status 3)
		for f in "$d"*; do
			run -0 timeout 30 "$REPLAY/$n" -m 768 "$f"
			count=$((count + 1))
		done
	done
	[ "$count" -gt 0 ] || skip "no regression inputs"
}

@test "seed corpora from the real fixtures replay cleanly" {
	[ -x "$O/tests/gen/fuzzseeds" ] || skip "fuzzseeds not built"
	run -0 env O="$O" sh "$ROOT/tests/fuzz/seeds.sh" "$BATS_TEST_TMPDIR/seeds"
	local n
	for n in $(harnesses); do
		[ -d "$BATS_TEST_TMPDIR/seeds/$n" ] || continue
		run -0 timeout 120 "$REPLAY/$n" -m 768 "$BATS_TEST_TMPDIR/seeds/$n"
	done
}

@test "the seeds are accepted in full, not rejected early" {
	[ -x "$O/tests/gen/fuzzseeds" ] || skip "fuzzseeds not built"
	run -0 env O="$O" sh "$ROOT/tests/fuzz/seeds.sh" "$BATS_TEST_TMPDIR/seeds" printk kallsyms orc btf
	# printk: the real rings decode with nothing lost, as do the synthetic
	# rings of all three formats laid out the way the kernel writes them
	local f
	for f in "$BATS_TEST_TMPDIR"/seeds/printk/*; do
		run -0 env FZ_VERBOSE=1 "$REPLAY/printk" "$f"
		assert_output --regexp '^printk: (printk_ringbuffer|printk_log records|plain log_buf), [1-9][0-9]* records, 0 lost runs$'
	done
	run -0 env FZ_VERBOSE=1 "$REPLAY/printk" "$BATS_TEST_TMPDIR/seeds/printk/seed-rb-real"
	assert_output --partial "printk_ringbuffer, "
	# kallsyms: every symbol of the cut tables decodes
	run -0 env FZ_VERBOSE=1 "$REPLAY/kallsyms" "$BATS_TEST_TMPDIR/seeds/kallsyms/seed-ks-1000"
	assert_output --regexp '^kallsyms: 1000 symbols, first [A-Za-z_]'
	# orc: from CPU 0's registers, stack and the ORC entries cut out of
	# the dump, the unwinder finds the frames crash's bt shows for the
	# panic task, up to the exception frame of the module
	run -0 env FZ_VERBOSE=1 "$REPLAY/orc" "$BATS_TEST_TMPDIR/seeds/orc/seed-orc-cpu0"
	local pcs=$output a n=0
	for a in $(crash_block "$ROOT/tests/data" bt |
		   awk '/exception RIP/ { exit } / at [0-9a-f]+$/ { print $NF }'); do
		grep -q "pc $a " <<<"$pcs" || fail "orc: crash's frame at $a not found: $pcs"
		n=$((n + 1))
	done
	[ "$n" -ge 4 ] || fail "only $n frames taken from crash's bt"
	# btf: the module's BTF gives task_struct the size pahole reads from
	# the module's DWARF
	local ko size
	ko=$(fixture x86_64-6.1/crashmod.ko 2>/dev/null) || return 0
	[ -f "$BATS_TEST_TMPDIR/seeds/btf/seed-crashmod.BTF" ] && command -v pahole >/dev/null || return 0
	size=$(pahole -C task_struct "$ko" | sed -n 's|.*/\* size: \([0-9]*\),.*|\1|p' | tail -n 1)
	run -0 env FZ_VERBOSE=1 "$REPLAY/btf" "$BATS_TEST_TMPDIR/seeds/btf/seed-crashmod.BTF"
	assert_output "btf: sizeof(struct task_struct) = $size"
}
