# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by every bats file: `load helpers`.
#
#   ROOT      the source tree
#   VMBIN     directory of the programs under test (default $ROOT/bin; run.sh
#             sets build-san/bin for `make test SAN=1`); also first in PATH
#   FIX       the fixture corpus (VMCORE_FIXTURES, default $ROOT/../shared/fixtures)
#   SAMPLE    the bundled real dump, tests/data/vmcore.kdump-zlib
#   VM_SAN    1 when the programs are the ASan+UBSan build (slower: scale or
#             skip time bounds), else 0
#   PY        /usr/bin/python3, the python that has drgn
#
#   fixture SPEC            print a usable path (tests/fixture.sh); non-zero if absent
#   need_fixture VAR SPEC   set VAR to fixture SPEC's path, or skip the test
#   skip_if_missing PATH..  skip unless every fixture path exists (relative to $FIX)
#   need_prog NAME          skip unless $VMBIN/NAME was built
#   need_cmd NAME           skip unless an external command (crash, makedumpfile) exists
#   need_drgn               skip unless python3-drgn works; run it as "$PY" script.py
#   crash_block SCN CMD     the output of crash command CMD in scenario SCN's crash.txt
#   crash_sys SCN FIELD     one field of that `sys` block (RELEASE -> 6.1.192)
#   programs                the programs bin/*.c defines, one a line
#
# SCN is a scenario directory relative to $FIX (x86_64-6.1/oops-module), an
# absolute directory holding crash.txt ($ROOT/tests/data), or a crash.txt path.

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
VMBIN=${VMBIN:-$ROOT/bin}
case $VMBIN in /*) ;; *) VMBIN=$ROOT/$VMBIN ;; esac
FIX=${VMCORE_FIXTURES:-$ROOT/../shared/fixtures}
SAMPLE=$ROOT/tests/data/vmcore.kdump-zlib
case $VMBIN in */build-san/bin) VM_SAN=${VM_SAN:-1} ;; *) VM_SAN=${VM_SAN:-0} ;; esac
export ROOT VMBIN FIX SAMPLE VM_SAN
export VMCORE_FIXTURES=$FIX
# before a test's setup points XDG_CACHE_HOME elsewhere (tests/run.sh)
export VMCORE_CACHE=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
case ":$PATH:" in *":$VMBIN:"*) ;; *) PATH=$VMBIN:$PATH ;; esac
export PATH

# A sanitizer report must not look like our "exit 1 = not answered": give it
# its own status so `run -1 ...` cannot pass on a sanitizer failure.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=86:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-exitcode=86:suppressions=$ROOT/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=86}

# `run -1`, `run --separate-stderr` need bats >= 1.5 (Debian 12: 1.8.2)
bats_require_minimum_version 1.5.0

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

fixture() {
	"$ROOT/tests/fixture.sh" "$@"
}

need_fixture() { # VAR SPEC
	local _p
	_p=$("$ROOT/tests/fixture.sh" "$2" 2>/dev/null) || skip "fixture $2 not available (VMCORE_FIXTURES=$FIX)"
	printf -v "$1" '%s' "$_p"
}

skip_if_missing() { # PATH...
	local p
	for p in "$@"; do
		case $p in /*) ;; *) p=$FIX/$p ;; esac
		[ -e "$p" ] || skip "missing $p"
	done
}

need_prog() {
	[ -x "$VMBIN/$1" ] || skip "$1 not built yet ($VMBIN/$1)"
}

need_cmd() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 not installed (make deps)"
}

# Debian's python, where python3-drgn lives (a python3 earlier in PATH, e.g.
# pyenv's, has no drgn).
PY=/usr/bin/python3
need_drgn() {
	"$PY" -c 'import drgn' 2>/dev/null || skip "python3-drgn not installed (make deps)"
}

# The programs this tree defines (not whatever happens to lie in bin/).
programs() {
	local f
	for f in "$ROOT"/bin/*.c; do
		[ -e "$f" ] || continue
		f=${f##*/}
		echo "${f%.c}"
	done
}

_crash_txt() { # SCN -> path of its crash.txt
	case $1 in
	*/crash.txt|crash.txt) [[ $1 == /* ]] && echo "$1" || echo "$FIX/$1" ;;
	/*) echo "$1/crash.txt" ;;
	*) echo "$FIX/$1/crash.txt" ;;
	esac
}

# crash.txt (fixtures/make/crash-cmds.in piped into `crash -s`) has no prompts,
# so each command's output is found by the first line only that command
# prints, searched in command order: block N starts at the first match of its
# pattern after block N-1's start and ends before block N+1's start.  Blocks
# are never skipped (a pattern that never matches leaves every later block
# empty, loudly, rather than a wrong block silently), so each pattern also
# covers the command's failure message.  The table follows crash-cmds.in line
# by line; tests/helpers.bats checks both on every scenario.
CRASH_CMDS=(
	'sys'                      '^      KERNEL: '
	'log'                      '^\[ *[0-9]+\.[0-9]+\] '
	'bt'                       '^PID: '
	'bt -a'                    '^PID: '
	'ps'                       '^[ >]*PID +PPID +CPU +TASK'
	'kmem -i'                  '^ +PAGES +TOTAL +PERCENTAGE'
	'sym schedule'             '^([0-9a-f]+ \(.\) schedule( |$)|symbol not found: schedule$)'
	'struct task_struct -o'    '^(struct task_struct \{|struct: invalid)'
	'dis -l schedule 10'       '^(/.*: [0-9]+$|0x[0-9a-f]+ <schedule[+>])'
	'mod'                      '^ +MODULE +NAME +BASE'
	'mod -s crashmod'          '^ +MODULE +NAME +BASE'
	'sym crashmod_level2'      '^([0-9a-f]+ \(.\) crashmod_level2|symbol not found: crashmod_level2)'
	'p crashmod_state'         '^crashmod_state = '
	'p/x crashmod_state'       '^\$[0-9]+ = '
	'struct crashmod_state -o' '^struct crashmod_state \{'
	'dis -l crashmod_level2 12' '^(symbol not found: crashmod_level2|/.*crashmod[^/]*\.c: [0-9]+$|0x[0-9a-f]+ <crashmod_level2)'
)

# crash_block SCN CMD: CMD as in crash-cmds.in, without "| head ..." or
# trailing file arguments (`mod -s crashmod`).
crash_block() {
	local f cmd i pats="" want=-1
	f=$(_crash_txt "$1") || return 1
	[ -r "$f" ] || { echo "crash_block: no $f" >&2; return 1; }
	cmd=$2
	for ((i = 0; i < ${#CRASH_CMDS[@]}; i += 2)); do
		[ "${CRASH_CMDS[i]}" = "$cmd" ] && want=$((i / 2))
		pats+=${CRASH_CMDS[i + 1]}$'\n'
	done
	[ "$want" -ge 0 ] || { echo "crash_block: unknown command '$cmd'" >&2; return 1; }
	# patterns via ENVIRON: awk -v would eat their backslashes
	CRASH_PATS=$pats awk -v want="$want" '
		BEGIN { n = split(ENVIRON["CRASH_PATS"], p, "\n") - 1; cur = -1 }
		{
			# the next block starting here ends the current one
			if (cur + 1 < n && $0 ~ p[cur + 2]) cur++
			if (cur == want) print
			else if (cur > want) exit
		}' "$f"
}

# crash_sys SCN FIELD: value of "FIELD: value" in the sys block, as crash
# printed it ("2 [OFFLINE: 1]", "191.5 MB", "vmcore.kdump-zlib  [PARTIAL DUMP]").
crash_sys() {
	crash_block "$1" sys | awk -v k="$2" '
		{ line = $0; sub(/^ +/, "", line) }
		index(line, k ": ") == 1 { v = substr(line, length(k) + 3); sub(/ +$/, "", v); print v; found = 1; exit }
		END { exit !found }'
}
