#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The findings of `make fuzz-programs` (tests/fuzz/programs.sh), kept as
# recipes in tests/fuzz/programs/ (a fixture and the bytes changed, see
# tests/fuzzprog.bash), replayed: each mutant rebuilt, its run repeated,
# and it must end with status 0 or 1 ("prog: FILE: reason" for 1), within
# 20 s and 256 MiB, without a sanitizer report (LeakSanitizer included in
# the sanitizer build).

load helpers
load robust

setup() {
	T=$BATS_TEST_TMPDIR
	export XDG_CACHE_HOME=$T/xdg
	CPUTIME=$(robust_o)/tests/gen/cputime
	[ -x "$CPUTIME" ] || fail "$CPUTIME not built"
	# shellcheck source=fuzzprog.bash
	. "$ROOT/tests/fuzzprog.bash"
}

@test "fuzz-programs findings replay cleanly" {
	local r mode n=0 bad=
	for r in "$ROOT"/tests/fuzz/programs/*.recipe; do
		[ -f "$r" ] || continue
		base=$(awk '$1 == "base" { print $2 }' "$r")
		fp_base_path "$base" >/dev/null || { bad+="$r: base $base not available"$'\n'; continue; }
		fp_build "$r" "$T" "$T/mutant" || { bad+="$r: mutant not built"$'\n'; continue; }
		while read -r _ mode; do
			n=$((n + 1))
			fp_run "$T/mutant" "$mode" 20 256 "$T/err"
			[ -z "$FP_FINDING" ] || bad+="${r##*/}: $mode: $FP_FINDING"$'\n'
		done < <(grep '^run ' "$r")
	done
	echo "# $n runs" >&3
	[ "$n" -gt 0 ] || fail "no recipes in tests/fuzz/programs"
	[ -z "$bad" ] || fail "$bad"
}
