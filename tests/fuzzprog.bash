# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by tests/fuzz/programs.sh (the campaign) and tests/fuzzprog.bats
# (the replay of its findings): recipes, mutants, modes and runs.
#
# A recipe is text, one instruction a line ('#' starts a comment):
#   base SPEC          the fixture (tests/fixture.sh SPEC, or a path under
#                      the source tree such as tests/data/vmcore.kdump-zlib)
#   patch OFFSET HEX   write these bytes at this file offset
#   truncate LENGTH    keep the first LENGTH bytes only
#   run MODE           (findings) the run that failed: "cache|nocache PROG ARGS"
# Needs $ROOT, $VMBIN, $CPUTIME.

# fp_base_path SPEC: the file of a base
fp_base_path() {
	case $1 in
	tests/*) [ -f "$ROOT/$1" ] && echo "$ROOT/$1" ;;
	*) "$ROOT/tests/fixture.sh" "$1" 2>/dev/null ;;
	esac
}

# fp_mutation FILE OFFSET KIND R: the bytes (hex, no spaces) to write at
# OFFSET, made from what is there: a bit flipped, 00 / ff, a 32- or 64-bit
# all-ones, zero or small number, or the next word (a pointer elsewhere)
fp_mutation() {
	local f=$1 off=$2 kind=$3 r=$4 size n orig b
	size=$(stat -c %s "$f")
	case $kind in
	0|1|2) n=1 ;;
	3|6) n=4 ;;
	*) n=8 ;;
	esac
	[ $((off + n)) -le "$size" ] || return 0
	case $kind in
	0) orig=$(od -An -tu1 -j "$off" -N 1 "$f" | tr -d ' ')
	   printf '%02x' $(( orig ^ (1 << (r % 8)) )) ;;
	1) echo 00 ;;
	2) echo ff ;;
	3) echo ffffffff ;;
	4) echo 0000000000000000 ;;
	5) echo ffffffffffffffff ;;
	6) printf '%02x%02x%02x%02x' $((r & 0xff)) $((r >> 8 & 0xff)) 0 0 ;;
	7) [ $((off + 16)) -le "$size" ] || return 0
	   od -An -tx1 -j $((off + 8)) -N 8 "$f" | tr -d ' \n' ;;
	esac
}

# fp_patch FILE OFFSET HEX
fp_patch() {
	local s= i hex=$3
	for ((i = 0; i < ${#hex}; i += 2)); do s+="\\x${hex:i:2}"; done
	# shellcheck disable=SC2059
	printf "$s" | dd of="$1" bs=1M seek="$2" oflag=seek_bytes conv=notrunc status=none
}

# fp_build RECIPE DIR OUT: the mutant at OUT (a fresh copy of the base)
fp_build() {
	local recipe=$1 out=$3 base= op a b
	while read -r op a b; do
		case $op in
		base) base=$(fp_base_path "$a") || return 1 ;;
		truncate) head -c "$a" "$base" >"$out" || return 1; return 0 ;;
		esac
	done < <(grep -v '^#' "$recipe")
	[ -n "$base" ] || return 1
	cp "$base" "$out" || return 1
	while read -r op a b; do
		[ "$op" = patch ] && fp_patch "$out" "$a" "${b%% *}"
	done < <(grep -v '^#' "$recipe")
	return 0
}

# fp_patch_in_place RECIPE COPY: apply a recipe's patches to COPY, a copy
# of its base (the campaign's way: no copy per mutant); fp_restore RECIPE
# COPY BASE puts the base's bytes back
fp_patch_in_place() {
	local op a b
	while read -r op a b; do
		[ "$op" = patch ] && fp_patch "$2" "$a" "${b%% *}"
	done < <(grep -v '^#' "$1")
}

fp_restore() {
	local op a b
	while read -r op a b; do
		[ "$op" = patch ] || continue
		b=${b%% *}
		dd if="$3" of="$2" bs=1M skip="$a" seek="$a" count=$(( ${#b} / 2 )) \
			iflag=skip_bytes,count_bytes oflag=seek_bytes conv=notrunc status=none
	done < <(grep -v '^#' "$1")
}

# Every program's modes: PROG ARGS (ARGS go after the dump).
fp_all_modes() {
	local f p
	cat <<'EOF'
vmsys
vmsys --json
vmsys -1
vmlog
vmlog --json
vmlog -T
vmps
vmps --json
vmps -t
vmbt
vmbt -A
vmbt --json
vmsym schedule init_task
vmsym --list
vmsym --json schedule
vmstruct task_struct init_task
vmstruct --json task_struct init_task
vmstruct -o task_struct
EOF
	# programs added since: their sweep arguments (tests/robust.bash)
	for f in "$ROOT"/bin/*.c; do
		p=${f##*/}
		p=${p%.c}
		case $p in vmsys|vmlog|vmps|vmbt|vmsym|vmstruct) continue ;; esac
		echo "$p $(sweep_args "$p")"
		echo "$p --json $(sweep_args "$p")"
	done
}

# fp_modes N: N modes picked at random (all of them for "all"), each with
# the cache on or off ("cache|nocache PROG ARGS")
fp_modes() {
	local all i n
	mapfile -t all < <(fp_all_modes)
	if [ "$1" = all ]; then
		for i in "${!all[@]}"; do
			echo "$([ $((RANDOM % 2)) = 0 ] && echo cache || echo nocache) ${all[i]}"
		done
		return
	fi
	for ((n = 0; n < $1; n++)); do
		i=$(( RANDOM % ${#all[@]} ))
		echo "$([ $((RANDOM % 2)) = 0 ] && echo cache || echo nocache) ${all[i]}"
	done
}

# fp_run DUMP MODE TIME RSS_MB ERRFILE: run one mode; sets FP_CLASS (ok0,
# ok1, slow, or what went wrong), FP_RSS (KiB) and FP_FINDING (empty when
# the run is fine)
fp_run() {
	local dump=$1 mode=$2 tcap=$3 rsscap=$4 err=$5 c p args out cpu st tries=0
	read -r c p args <<<"$mode"
	FP_FINDING= FP_RSS=0
	if [ ! -x "$VMBIN/$p" ]; then
		FP_CLASS=notbuilt
		return 0
	fi
	while :; do
		# shellcheck disable=SC2086
		out=$("$CPUTIME" timeout -k 2 "$tcap" "$VMBIN/$p" \
			$([ "$c" = nocache ] && echo -o nocache) "$dump" $args 2>"$err" </dev/null)
		read -r cpu FP_RSS st <<<"$out"
		: "$cpu"
		case ${st:-255} in
		124|137)
			# over time: a loaded machine, or a hang
			if [ "$tries" = 0 ]; then
				tries=1
				tcap=$((tcap * 3))
				continue
			fi
			FP_CLASS=hang FP_FINDING="over ${tcap} s" ;;
		0) FP_CLASS=ok0; [ "$tries" = 1 ] && FP_CLASS=slow ;;
		1) FP_CLASS=ok1; [ "$tries" = 1 ] && FP_CLASS=slow
		   grep -q "^$p: " "$err" ||
			FP_CLASS=bad1 FP_FINDING="status 1 without a '$p: ...' line" ;;
		2) FP_CLASS=usage FP_FINDING="usage error (status 2)" ;;
		86) if grep -q 'LeakSanitizer' "$err"; then
			FP_CLASS=leak FP_FINDING="LeakSanitizer: $(grep -m1 'Direct leak\|Indirect leak' "$err")"
		    elif grep -q 'hard rss limit' "$err"; then
			FP_CLASS=rss FP_FINDING="RSS over ${rsscap} MiB (ASan hard_rss_limit_mb)"
		    else
			FP_CLASS=sanitizer FP_FINDING="$(grep -m1 -E 'ERROR: AddressSanitizer|runtime error' "$err")"
		    fi ;;
		*) FP_CLASS=signal FP_FINDING="status ${st:-?}: $(tail -n 1 "$err")" ;;
		esac
		break
	done
	if [ -z "$FP_FINDING" ] && [ "${FP_RSS:-0}" -gt $((rsscap * 1024)) ]; then
		FP_CLASS=rss FP_FINDING="peak RSS $((FP_RSS / 1024)) MiB over ${rsscap} MiB"
	fi
	return 0
}
