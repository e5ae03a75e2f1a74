#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the test suites and sum them up (called by `make test`).
#
#   O=build BINDIR=bin [BUILD_FAILED=status] tests/run.sh [TEST...]
#
# Suites:
#   - every $O/tests/test_* binary (from tests/unit/test_*.c), run with no
#     arguments from the source root: unit tests are self-driving and print
#     TAP ("ok N - ...", "not ok N - ...", "# SKIP" directives).  A unit test
#     that needs arguments gets a bats wrapper instead and no test_ name.
#   - every tests/*.bats with `bats --tap`.
# TEST (arguments, or $TESTS) picks a subset: tests/vmlog.bats, vmlog.bats,
# vmlog, test_kdump, tests/unit/test_kdump.c or build/tests/test_kdump.
# FILTER=regex is handed to bats -f.  JOBS=N runs N suites at once (default:
# number of CPUs, at most 4).  Each suite has a time limit (SUITE_TIMEOUT,
# default 900 s) so that a hang fails instead of stalling CI.
#
# The last line of output is always "N passed, N failed" (", N skipped" when
# any were skipped); the exit status is non-zero when anything failed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
O=${O:-build}
BINDIR=${BINDIR:-bin}
case $BINDIR in /*) ;; *) BINDIR=$ROOT/$BINDIR ;; esac
case $O in /*) ;; *) O=$ROOT/$O ;; esac
export VMBIN=$BINDIR O
# VM_SAN=1: the programs run under ASan+UBSan (several times slower): tests
# with time bounds scale or skip them.
case ${SAN:-} in 1) VM_SAN=1 ;; *) case $O in */build-san) VM_SAN=1 ;; *) VM_SAN=0 ;; esac ;; esac
export VM_SAN
export VMCORE_FIXTURES=${VMCORE_FIXTURES:-$ROOT/../shared/fixtures}
# Fixed here, before a test points XDG_CACHE_HOME at its own directory (to
# test our cache): fixtures are unpacked once per machine, not per test.
export VMCORE_CACHE=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
# Sanitizer failures get status 86, never the 1 our programs use for "could
# not answer" (a test expecting 1 must not pass on an ASan report).  Leak
# checking is on: a leak is a failure (tests/lsan.supp lists, with reasons,
# the few in code that is not ours).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=86:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-exitcode=86:suppressions=$ROOT/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=86}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-900}
FILTER=${FILTER:-}
if [ -z "${JOBS:-}" ]; then
	JOBS=$(nproc 2>/dev/null || echo 1)
	[ "$JOBS" -gt 4 ] && JOBS=4
fi

# ---------------------------------------------------------------- selection
suites=()
add_unit() { [ -x "$1" ] && suites+=("unit:$1") || { echo "run.sh: no unit test binary $1 (not built?)" >&2; missing=$((missing + 1)); }; }
add_bats() { [ -f "$1" ] && suites+=("bats:$1") || { echo "run.sh: no bats file $1" >&2; missing=$((missing + 1)); }; }
missing=0
set -- "$@" ${TESTS:-}
if [ $# -eq 0 ]; then
	# from the sources, so that a stale binary of a removed test is not run
	# and a test that failed to build counts as a failure
	for t in tests/unit/test_*.c; do
		[ -f "$t" ] || continue
		t=${t##*/}
		add_unit "$O/tests/${t%.c}"
	done
	for t in tests/*.bats; do
		[ -f "$t" ] && suites+=("bats:$t")
	done
else
	for t in "$@"; do
		case $t in
		*.bats) [ -f "$t" ] && add_bats "$t" || add_bats "tests/${t##*/}" ;;
		*test_*) n=${t##*/}; add_unit "$O/tests/${n%.c}" ;;
		*) add_bats "tests/${t##*/}.bats" ;;
		esac
	done
fi

if [ ${#suites[@]} -eq 0 ]; then
	echo "run.sh: no tests found"
	[ "${BUILD_FAILED:-0}" != 0 ] && missing=$((missing + 1))
	echo "0 passed, $missing failed"
	exit $((missing != 0))
fi

# ---------------------------------------------------------------- running
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/vmtest.XXXXXX")
trap 'rm -rf "$LOGDIR"' EXIT

# run_suite INDEX KIND:PATH -> $LOGDIR/INDEX.log (TAP + stderr), INDEX.rc
run_suite() {
	local i=$1 kind=${2%%:*} path=${2#*:} rc
	local log=$LOGDIR/$i.log
	# the group's stderr also takes bash's own "Aborted"/"Segmentation
	# fault" report of a test killed by a signal
	{
	case $kind in
	unit) timeout -k 10 "$SUITE_TIMEOUT" "$path" >"$log" 2>&1 </dev/null; rc=$? ;;
	bats) if [ -n "$FILTER" ]; then
		      timeout -k 10 "$SUITE_TIMEOUT" bats --tap -f "$FILTER" "$path" >"$log" 2>&1 </dev/null
	      else
		      timeout -k 10 "$SUITE_TIMEOUT" bats --tap "$path" >"$log" 2>&1 </dev/null
	      fi
	      rc=$? ;;
	esac
	} 2>>"$log"
	[ "$rc" -eq 124 ] && echo "# run.sh: killed after ${SUITE_TIMEOUT}s (SUITE_TIMEOUT)" >>"$log"
	echo "$rc" >"$LOGDIR/$i.rc"
}
export -f run_suite
export LOGDIR SUITE_TIMEOUT FILTER

t0=$(date +%s)
for i in "${!suites[@]}"; do printf '%s\0%s\0' "$i" "${suites[i]}"; done |
	xargs -0 -n 2 -P "$JOBS" bash -c 'run_suite "$1" "$2"' run_suite

# ---------------------------------------------------------------- summary
# Per suite: pass/fail/skip from the TAP lines.  A suite that exits non-zero
# without a "not ok", or runs fewer tests than its plan ("1..N") says, counts
# one more failure: it crashed or stopped half-way.
tp=0 tf=0 ts=0
for i in "${!suites[@]}"; do
	kind=${suites[i]%%:*} path=${suites[i]#*:}
	name=${path#"$ROOT"/}
	rc=$(cat "$LOGDIR/$i.rc" 2>/dev/null || echo 255)
	read -r p f s extra < <(awk -v rc="$rc" '
		/^ok / { if (toupper($0) ~ /# *SKIP/) s++; else p++; next }
		/^not ok / { if (toupper($0) ~ /# *TODO/) p++; else f++; next }
		/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0 }
		/^1\.\.0/ && toupper($0) ~ /# *SKIP/ { skipall = 1 }
		END {
			if (skipall && p + f + s == 0) s = 1   # "1..0 # SKIP why": all skipped
			extra = 0
			if (rc != 0 && f == 0) extra = 1
			else if (plan != "" && p + f + s < plan) extra = 1
			else if (p + f + s == 0 && plan == "") extra = 1
			printf "%d %d %d %d\n", p, f + extra, s, extra
		}' "$LOGDIR/$i.log")
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
	status=ok
	[ "$f" -gt 0 ] && status=FAIL
	printf '%-4s %-40s %4d passed, %d failed%s\n' "$status" "$name" "$p" "$f" \
		"$([ "$s" -gt 0 ] && echo ", $s skipped")"
	if [ "$f" -gt 0 ]; then
		echo "---- $name (exit $rc) ----"
		# every failing test with the diagnostics that follow it
		awk '/^not ok / && toupper($0) !~ /# *TODO/ { show = 1; print; next }
		     /^(ok |not ok |1\.\.)/ { show = 0; next }
		     show' "$LOGDIR/$i.log"
		if [ "$extra" -gt 0 ]; then
			echo "# $kind suite exited with status $rc without a matching 'not ok'" \
			     "(crash, sanitizer report, missing TAP plan or no tests); its last lines:"
			tail -n 25 "$LOGDIR/$i.log" | sed 's/^/#   /'
		fi
		echo "----"
	fi
done
tf=$((tf + missing))
if [ "${BUILD_FAILED:-0}" != 0 ]; then
	echo "FAIL the build (make exit $BUILD_FAILED, errors above): what did build was tested"
	tf=$((tf + 1))
fi
echo "($(( $(date +%s) - t0 )) s, $JOBS jobs, VMBIN=${VMBIN#"$ROOT"/})"
if [ "$ts" -gt 0 ]; then
	echo "$tp passed, $tf failed, $ts skipped"
else
	echo "$tp passed, $tf failed"
fi
[ "$tf" -eq 0 ]
