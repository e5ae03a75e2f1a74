#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# flip.sh [-n ROUNDS] [-s SEED] [DUMP]: random damage to every task_struct
# and to the stacks the CPUs were on, one word at a time, with every
# program run on each damaged copy -- the program-level complement of the
# parser harnesses (tasks, mm counters, sysinfo, the unwinder read these).
#
# Each round overwrites one 8-byte word of a random task_struct (kfind -t)
# or CPU stack page (kfind) with 0, ~0, the word's own address, another task's address, init_task's
# address, a small number or a byte-flipped copy of itself, then runs each
# program in $VMBIN (default build-san/bin) with its sweep arguments
# (tests/robust.bash) under `timeout 20`, and restores the word.  A run must
# end with status 0 or 1 ("prog: FILE: ..." on stderr for 1); anything else
# is printed with what reproduces it:
#   flip.sh: vmps status 139 at taskmem.12.1488+40 (va 0x...) = 0x...
# DUMP defaults to `tests/fixture.sh derive:raw` (pages stored as they are).
# Exit status: 0 when every run was clean.  Not part of `make test` (a few
# minutes per 500 rounds); the report of a long run goes in the notes.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
rounds=200 seed=1
while getopts n:s: o; do
	case $o in
	n) rounds=$OPTARG ;;
	s) seed=$OPTARG ;;
	*) echo "usage: flip.sh [-n ROUNDS] [-s SEED] [DUMP]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
src=${1:-$("$ROOT/tests/fixture.sh" derive:raw)} || exit 2
VMBIN=${VMBIN:-$ROOT/build-san/bin}
KFIND=${KFIND:-$ROOT/build/tests/kfind}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:exitcode=86:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=86}

programs() {
	local f
	for f in "$ROOT"/bin/*.c; do
		f=${f##*/}
		[ -x "$VMBIN/${f%.c}" ] && echo "${f%.c}"
	done
}
# shellcheck source=../robust.bash
. "$ROOT/tests/robust.bash"

dir=$(mktemp -d /dev/shm/vmflip.XXXXXX 2>/dev/null) || dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
copy=$dir/vmcore
cp "$src" "$copy"
mapfile -t pieces < <("$KFIND" -t "$src" 2>/dev/null | grep '^taskmem\.')
# the few stack pages weigh as much as the task_structs together
mapfile -t stacks < <("$KFIND" "$src" 2>/dev/null | grep '^stack\.')
n=${#pieces[@]}
for ((i = 0; i < n && ${#stacks[@]}; i++)); do
	pieces+=("${stacks[i % ${#stacks[@]}]}")
done
[ ${#pieces[@]} -gt 0 ] || { echo "flip.sh: kfind -t found no task_structs in $src" >&2; exit 2; }
mapfile -t tasks < <(printf '%s\n' "${pieces[@]}" | awk '$1 ~ /^taskmem\..*\.0$/ { print $4 }')
progs=$(programs)

le64() { # VALUE -> printf escapes
	local v=$1 b s=
	for b in 0 1 2 3 4 5 6 7; do
		s+=$(printf '\\x%02x' $(( (v >> (8 * b)) & 0xff )))
	done
	echo "$s"
}

RANDOM=$seed
bad=0 runs=0
for ((r = 0; r < rounds; r++)); do
	read -r name off size va <<<"${pieces[RANDOM % ${#pieces[@]}]}"
	[ "$size" -ge 8 ] || continue
	w=$(( (RANDOM * 32768 + RANDOM) % (size / 8) * 8 ))
	wva=$(( va + w ))
	orig=$(od -An -tx8 -j $((off + w)) -N8 "$copy" | tr -d ' ')
	case $((RANDOM % 7)) in
	0) val=0 ;;
	1) val=-1 ;;
	2) val=$wva ;;
	3) val=$(( ${tasks[RANDOM % ${#tasks[@]}]} + (RANDOM % 64) * 8 )) ;;
	4) val=${tasks[0]} ;;
	5) val=$((RANDOM % 300)) ;;
	6) val=$(( 0x$orig ^ (0xff << (8 * (RANDOM % 8))) )) ;;
	esac
	printf "$(le64 "$val")" | dd of="$copy" bs=1M seek=$((off + w)) oflag=seek_bytes \
		conv=notrunc status=none
	for p in $progs; do
		rc=0
		# shellcheck disable=SC2046
		timeout -k 5 20 "$VMBIN/$p" -o nocache "$copy" $(sweep_args "$p") >/dev/null 2>"$dir/err" \
			</dev/null || rc=$?
		runs=$((runs + 1))
		why=
		case $rc in
		0) ;;
		1) grep -q "^$p: $copy: ." "$dir/err" || why="status 1 without a '$p: FILE:' line" ;;
		*) why="status $rc" ;;
		esac
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			printf 'flip.sh: %s %s at %s+%d (va %#x) = %#x (was 0x%s): %s\n' "$p" "$why" \
				"$name" "$w" "$wva" "$val" "$orig" "$(grep -m1 -E 'ERROR|runtime error|^'"$p"': ' "$dir/err")"
		fi
	done
	printf "$(le64 $((0x$orig)))" | dd of="$copy" bs=1M seek=$((off + w)) oflag=seek_bytes \
		conv=notrunc status=none
done
echo "flip.sh: $rounds rounds, $runs runs, $bad bad (seed $seed, VMBIN=${VMBIN#"$ROOT"/})"
[ "$bad" -eq 0 ]
