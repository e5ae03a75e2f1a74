#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make fuzz-programs: a mutation campaign over whole programs on the fixture
# dumps, the program-level complement of the parser harnesses.
#
# Each mutant is a fixture dump with bytes changed where the programs walk:
# the format's structures (ELF header, program headers and notes; the kdump
# headers, VMCOREINFO and notes blocks, bitmaps, page descriptors, page
# data -- compressed pages included -- and the flattened records, as
# $O/tests/cutpoints lists them), the kernel's structures where pages are
# stored as they are (VMCOREINFO values, page-table entries, task_structs,
# the printk ring, module symbols, stacks, the kallsyms tables and the BTF
# header, as $O/tests/kfind lists them), or cut short.  On each mutant a
# sample of every program's modes runs (--json ones included), half with
# the on-disk cache on (one cache for the whole campaign: every mutant also
# meets what the earlier ones wrote), under ASan+UBSan+LSan, with a time
# cap and an RSS cap per run.  A run must end with status 0 or 1 (1 with a
# "prog: FILE: reason" line), within the caps, with no sanitizer report.
# Anything else is a finding: printed, and kept as a recipe (the fixture and
# the bytes changed: no copy of a dump) in $FUZZP_OUT, to be fixed and then
# moved to tests/fuzz/programs/, which `make test` replays
# (tests/fuzzprog.bats).
#
#   FUZZP_SECONDS   campaign length (default 180; the long run: 7200)
#   FUZZP_MUTANTS   stop after this many mutants instead (0 = no limit)
#   FUZZP_SEED      the campaign's seed (default 1): a seed and a mutant
#                   number give the same mutant again
#   FUZZP_MODES     modes per mutant (default 4; "all")
#   FUZZP_TIME      seconds per run (default 10); a run over it is run once
#                   more with three times as much: "slow" if it then ends
#                   (a loaded machine), a hang if not
#   FUZZP_RSS_MB    peak RSS per run (default 256)
#   FUZZP_OUT       findings (default $O/fuzz-programs)
#   VMBIN, O        the programs (default build-san/bin) and the build
#                   holding cutpoints, kfind and cputime (build-san)
#
# Prints the campaign's numbers: runs, mutants, exits by class, the largest
# peak RSS.  Exit status 0 when there was no finding.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
O=${O:-$ROOT/build-san}
VMBIN=${VMBIN:-$O/bin}
SECS=${FUZZP_SECONDS:-180}
MAXM=${FUZZP_MUTANTS:-0}
SEED=${FUZZP_SEED:-1}
NMODES=${FUZZP_MODES:-4}
TCAP=${FUZZP_TIME:-10}
RSSCAP=${FUZZP_RSS_MB:-256}
OUT=${FUZZP_OUT:-$O/fuzz-programs}
CUTPOINTS=$O/tests/cutpoints
KFIND=$O/tests/kfind
CPUTIME=$O/tests/gen/cputime
for t in "$CUTPOINTS" "$KFIND" "$CPUTIME"; do
	[ -x "$t" ] || { echo "fuzz-programs: $t not built (make SAN=1)" >&2; exit 2; }
done
# LSan on; a run whose RSS passes the cap is stopped by ASan itself
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=86:abort_on_error=0:hard_rss_limit_mb=$RSSCAP}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=86}
export LSAN_OPTIONS=${LSAN_OPTIONS:-exitcode=86:suppressions=$ROOT/tests/lsan.supp}
# shellcheck source=../robust.bash
. "$ROOT/tests/robust.bash"
# shellcheck source=../fuzzprog.bash
. "$ROOT/tests/fuzzprog.bash"

W=$(mktemp -d /dev/shm/vmfuzzp.XXXXXX 2>/dev/null) || W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export XDG_CACHE_HOME=$W/xdg
mkdir -p "$OUT"

# ---------------------------------------------------------------- the bases
# spec (tests/fixture.sh) and what can be listed in it
BASES=(
	tests/data/vmcore.kdump-zlib
	derive:raw
	x86_64-6.1/oops-module/vmcore.kdump-zlib
	x86_64-6.1/sysrq-c/vmcore.kdump-zstd
	x86_64-6.1/bug-module/vmcore.kdump-snappy
	x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	derive:flat
	derive:lzo
	arm64-6.1-debian/vmcore.qemu-kdump-zlib
)
paths=() specs=()
for b in "${BASES[@]}"; do
	p=$(fp_base_path "$b") || { echo "fuzz-programs: $b not available, left out" >&2; continue; }
	n=${#paths[@]}
	paths+=("$p")
	specs+=("$b")
	# regions: "OFFSET LENGTH NAME"
	{
		"$CUTPOINTS" -p 64 "$p" 2>/dev/null | sort -n |
			awk -v size="$(stat -c %s "$p")" '
				{ off[NR] = $1; lab[NR] = $2 }
				END { for (i = 1; i <= NR; i++) {
					next_off = i < NR ? off[i + 1] : size
					len = next_off - off[i]; if (len < 1) len = 1
					print off[i], len, "fmt." lab[i] } }'
		# the kernel's structures where pages are stored as they are
		VMCOREUTILS_CACHE=off "$KFIND" "$p" 2>/dev/null | awk '{ print $2, $3, $1 }'
		VMCOREUTILS_CACHE=off "$KFIND" -t "$p" 2>/dev/null | awk '{ print $2, $3, $1 }'
	} | awk '$2 > 0' >"$W/regions.$n"
	cp "$p" "$W/base.$n"
	printf 'fuzz-programs: %s: %s regions\n' "$b" "$(wc -l <"$W/regions.$n")"
done
[ ${#paths[@]} -gt 0 ] || { echo "fuzz-programs: no fixture dump available" >&2; exit 2; }

# ---------------------------------------------------------------- mutants
RANDOM=$SEED
rnd() { echo $(( (RANDOM << 15 | RANDOM) % $1 )); }

# new_recipe -> $W/recipe: one mutant of a random base (CUR its number)
new_recipe() {
	local n r line off len name k i cnt hex size
	n=$(rnd ${#paths[@]})
	CUR=$n
	size=$(stat -c %s "${paths[n]}")
	{
		echo "base ${specs[n]}"
		k=$(rnd 100)
		if [ "$k" -lt 12 ]; then
			# cut short: at a structure boundary, near one, or anywhere
			r=$(rnd 3)
			line=$(sed -n "$(( $(rnd "$(wc -l <"$W/regions.$n")") + 1 ))p" "$W/regions.$n")
			off=${line%% *}
			case $r in
			0) ;;
			1) off=$(( off + $(rnd 64) )) ;;
			2) off=$(rnd "$size") ;;
			esac
			[ "$off" -ge "$size" ] && off=$(( size - 1 ))
			echo "truncate $off"
		else
			cnt=$(( 1 + $(rnd 3) ))
			for ((i = 0; i < cnt; i++)); do
				line=$(sed -n "$(( $(rnd "$(wc -l <"$W/regions.$n")") + 1 ))p" "$W/regions.$n")
				read -r off len name <<<"$line"
				# anywhere in the region; near its start more often
				# (headers, the first fields)
				[ "$(rnd 2)" = 0 ] && [ "$len" -gt 64 ] && len=64
				off=$(( off + $(rnd "$len") ))
				hex=$(fp_mutation "$W/base.$n" "$off" "$(rnd 8)" "$(rnd 65536)")
				[ -n "$hex" ] && echo "patch $off $hex # $name"
			done
		fi
	} >"$W/recipe"
}

# ---------------------------------------------------------------- runs
declare -A class=()
runs=0 mutants=0 findings=0 maxrss=0 maxrss_what=
t0=$(date +%s)
while :; do
	[ "$MAXM" -gt 0 ] && [ "$mutants" -ge "$MAXM" ] && break
	[ "$MAXM" -eq 0 ] && [ $(( $(date +%s) - t0 )) -ge "$SECS" ] && break
	mutants=$((mutants + 1))
	new_recipe
	if grep -q '^truncate ' "$W/recipe"; then
		fp_build "$W/recipe" "$W" "$W/cut" || continue
		mutant=$W/cut
	else
		fp_patch_in_place "$W/recipe" "$W/base.$CUR"
		mutant=$W/base.$CUR
	fi
	mapfile -t modes < <(fp_modes "$NMODES")
	for mode in "${modes[@]}"; do
		runs=$((runs + 1))
		fp_run "$mutant" "$mode" "$TCAP" "$RSSCAP" "$W/err"
		class[$FP_CLASS]=$(( ${class[$FP_CLASS]:-0} + 1 ))
		if [ "${FP_RSS:-0}" -gt "$maxrss" ]; then
			maxrss=$FP_RSS
			maxrss_what="$mode on mutant $mutants ($(head -1 "$W/recipe"))"
		fi
		if [ -n "$FP_FINDING" ]; then
			findings=$((findings + 1))
			f=$OUT/seed$SEED-m$mutants-$findings.recipe
			{
				echo "# fuzz-programs seed $SEED mutant $mutants: $FP_FINDING"
				head -c 2000 "$W/err" | sed 's/^/#   /'
				grep -v '^#' "$W/recipe"
				echo "run $mode"
			} >"$f"
			echo "fuzz-programs: FINDING $FP_FINDING: $mode on $(head -1 "$W/recipe") -> $f"
		fi
	done
	# back to the base for the next mutant
	fp_restore "$W/recipe" "$W/base.$CUR" "${paths[CUR]}"
	rm -f "$W/cut"
done

echo "fuzz-programs: seed $SEED, $(( $(date +%s) - t0 )) s: $runs runs, $mutants mutants, $findings findings"
printf 'fuzz-programs: exits:'
for c in "${!class[@]}"; do printf ' %s=%s' "$c" "${class[$c]}"; done
echo
echo "fuzz-programs: peak RSS max $((maxrss / 1024)) MiB ($maxrss KiB): $maxrss_what"
[ "$findings" -eq 0 ]
