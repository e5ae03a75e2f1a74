#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate vmlog's references from Red Hat crash on the fixture dumps:
# crash's `log` with -t (no time), -m (levels), -d (dev_info) and -T (wall
# clock, with TZ=UTC).  The plain `log` and makedumpfile's output are in the
# corpus already (crash.txt, dmesg.makedumpfile*.txt).
#
#   tests/ref/make-refs-vmlog.sh        (needs crash, the fixture corpus)
#
# One crash session per scenario; each command's output goes to
# tests/ref/SCENARIO/crash-log-X.txt whose first line names the command.
# crash prints no prompts: the session echoes a marker line before each
# command and the output is split on those markers.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
FIX=${VMCORE_FIXTURES:-$here/../shared/fixtures}
vmlinux=$("$here/tests/fixture.sh" x86_64-6.1/vmlinux.xz)
command -v crash >/dev/null || { echo "crash not installed (make deps)" >&2; exit 1; }
ver=$(crash -v 2>/dev/null | awk '/^crash /{print $2; exit}')
export TZ=UTC

CMDS='log-t:log -t
log-m:log -m
log-d:log -d
log-T:log -T'

for scn in sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy; do
	dir=${scn%%/*}
	dump=$FIX/x86_64-6.1/$scn
	[ -f "$dump" ] || { echo "missing $dump" >&2; exit 1; }
	out=$here/tests/ref/$dir
	mkdir -p "$out"
	script=$(echo "$CMDS" | while IFS=: read -r name cmd; do
		printf 'echo @@REF@@ %s\n%s\n' "$name" "$cmd"
	done; echo q)
	raw=$(echo "$script" | crash -s "$vmlinux" "$dump" 2>&1)
	echo "$CMDS" | while IFS=: read -r name cmd; do
		{
			printf '# crash %s: echo "%s" | TZ=UTC crash -s vmlinux %s\n' "$ver" "$cmd" "${scn#*/}"
			printf '%s\n' "$raw" | awk -v n="$name" '
				/^@@REF@@ / { on = ($2 == n); next }
				on'
		} > "$out/crash-$name.txt"
	done
	echo "$out: crash-log-*.txt"
done
