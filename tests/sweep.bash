# SPDX-License-Identifier: GPL-2.0-or-later
# The truncation sweep's machinery, shared by tests/sweep.bats (kdump
# files) and tests/sweep-elf.bats (QEMU ELF, flattened, arm64): two suites
# so that each stays inside run.sh's per-suite time limit with every
# program of bin/ run on every cut (see sweep.bats for what is checked).

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
