#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make demo`: run every program that exists in bin/ on the bundled sample
# dump (tests/data/vmcore.kdump-zlib, a real crash: a NULL dereference in a
# module) with no other file — no vmlinux, no System.map: what the dump
# itself holds (VMCOREINFO, kallsyms, BTF) has to do.
#
#   BINDIR=bin tests/demo.sh [DUMP]
#
# Exit status: non-zero if any program failed on the dump.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
BINDIR=${BINDIR:-bin}
DUMP=${1:-tests/data/vmcore.kdump-zlib}
[ -f "$DUMP" ] || { echo "demo: no sample dump $DUMP" >&2; exit 1; }

# No cached or installed debuginfo may help: run with an empty cache and a
# HOME of our own, exactly as on a machine that has only the dump.
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/vmdemo.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

# PROG|ARGS after DUMP|filter of the output (a shell pipeline tail, or empty).
# Programs run in this order; a program not listed runs as `PROG DUMP`.
DEMO='
vmsys||
vmlog||tail -n 20
vmps||
vmbt||
vmsym|schedule|
vmstruct|task_struct -s|head -n 25
vmdis|schedule|head -n 20
vmkmem||
'

listed=" "
progs=()
while IFS='|' read -r prog _; do
	[ -n "$prog" ] || continue
	listed+="$prog "
	progs+=("$prog")
done <<<"$DEMO"
for src in bin/*.c; do
	p=${src#bin/}; p=${p%.c}
	[[ $listed == *" $p "* ]] || progs+=("$p")
done

if [ -t 1 ]; then B=$'\033[1m' D=$'\033[2m' R=$'\033[31m' N=$'\033[0m'; else B='' D='' R='' N=''; fi
ran=0 failed=()
for prog in "${progs[@]}"; do
	exe=$BINDIR/$prog
	[ -x "$exe" ] || continue
	line=$(grep "^$prog|" <<<"$DEMO")
	IFS='|' read -r _ args filter <<<"$line"
	shown="$prog $DUMP${args:+ $args}${filter:+ | $filter}"
	printf '\n%s$ %s%s\n' "$B" "$shown" "$N"
	out=$SCRATCH/out
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2086 # ARGS are words
	env HOME="$SCRATCH" XDG_CACHE_HOME="$SCRATCH/cache" "$exe" "$DUMP" $args >"$out"
	rc=$?
	t1=$EPOCHREALTIME
	if [ -n "$filter" ]; then bash -c "$filter" <"$out"; else cat "$out"; fi
	ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
	if [ "$rc" -eq 0 ]; then
		printf '%s(%s ms)%s\n' "$D" "$ms" "$N"
	else
		printf '%s%s exited with status %d%s\n' "$R" "$prog" "$rc" "$N"
		failed+=("$prog")
	fi
	ran=$((ran + 1))
done

echo
if [ "$ran" -eq 0 ]; then
	echo "demo: no programs built in $BINDIR yet"
	exit 1
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "demo: ${#failed[@]} of $ran programs failed: ${failed[*]}"
	exit 1
fi
echo "demo: $ran programs ran on $DUMP with no vmlinux"
