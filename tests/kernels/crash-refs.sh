#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Reference outputs of crash 8.0.2 (Debian 12's) on a fixture whose kernel
# it fully supports (x86_64-5.10), with the kernel's DWARF vmlinux from its
# Debian -dbg package (tests/kernels/vmlinux.sh):
#
#   tests/kernels/crash-refs.sh [CASE]    -> tests/fixtures/CASE/crash.txt
#
# The commands are tests/kernels/crash-cmds.txt; each command's output is
# preceded by a "crash> COMMAND" line (crash -s echoes none).
set -euo pipefail
KIT=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$KIT/../.." && pwd)
CASE=${1:-x86_64-5.10}
DIR=$TOP/tests/fixtures/$CASE
command -v crash >/dev/null || { echo "crash not installed" >&2; exit 1; }
vmlinux=$("$KIT/vmlinux.sh" "$CASE")
dump=$(ls "$DIR"/vmcore.kdump-* | head -n1)
out=$DIR/crash.txt
# One session (crash takes long to start on a 650 MB vmlinux); before each
# command a shell escape prints "crash> COMMAND" (crash -s echoes none).
{
	echo "# crash $(crash --version 2>/dev/null | awk '/^crash / { print $2; exit }') -s VMLINUX $(basename "$dump") < tests/kernels/crash-cmds.txt"
	while IFS= read -r cmd; do
		[ "$cmd" = q ] && { echo q; continue; }
		printf '!echo "crash> %s"\n%s\n' "$cmd" "$cmd"
	done < "$KIT/crash-cmds.txt" | timeout 1800 crash -s "$vmlinux" "$dump" 2>&1 |
		sed -e "s#$vmlinux#VMLINUX#g" -e "s#$DIR/##g"
} > "$out.tmp"
mv -f "$out.tmp" "$out"
echo "$out"
