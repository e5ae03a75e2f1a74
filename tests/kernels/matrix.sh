#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's support matrix, from the results of tests/kernels.bats on
# each fixture kernel: for each program, "works" when every test of it on
# that dump alone passed, "works with vmlinux" when only its -k tests did
# (tests named "kernels -k: ..."), "not yet" when one failed, "-" when no
# test covers it there.
#
#   tests/kernels/matrix.sh [--tap DIR] [--update]
#
# runs tests/kernels.bats once per fixture kernel (KCASES=CASE bats --tap),
# or reads those runs' TAP output from DIR/CASE.tap; prints the matrix, and
# with --update writes it into README.
#
# The programs must be built (make); the -k tests fetch the -dbg vmlinux.
set -u
TAPDIR="" UPDATE=0
while [ $# -gt 0 ]; do
	case $1 in
	--tap) TAPDIR=$2; shift 2 ;;
	--update) UPDATE=1; shift ;;
	*) echo "usage: matrix.sh [--tap DIR] [--update]" >&2; exit 2 ;;
	esac
done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
. tests/kernels/cases.sh
PROGS="vmsys vmlog vmps vmbt vmsym vmstruct"
declare -A row=([x86_64-5.10]="5.10   x86_64" [x86_64-7.2]="7.2    x86_64" [arm64-7.2]="7.2    arm64")
table=$(
	printf '    %-15s' "kernel"
	for p in $PROGS; do printf '%-13s' "$p"; done
	echo
	for c in x86_64-5.10 x86_64-7.2 arm64-7.2; do
		if [ -n "$TAPDIR" ]; then
			tap=$(cat "$TAPDIR/$c.tap") || exit 1
		else
			tap=$(KCASES=$c bats --tap tests/kernels.bats 2>/dev/null)
		fi
		printf '    %-15s' "${row[$c]}"
		for p in $PROGS; do
			# results of the tests naming this program ("vmbt's" too),
			# not the damaged-copy ones (those are about refusing)
			r=$(awk -v p="$p" '
				/^(not )?ok / && !/damaged/ {
					name = $0; sub(/^(not )?ok [0-9]+ /, "", name)
					k = (name ~ /^kernels -k:/)
					if (!match(name, "(^|[^a-z])" p "([^a-z]|$)")) next
					skip = (name ~ /# skip/)
					bad = ($0 ~ /^not ok/)
					if (skip) next
					if (k) { kn++; kbad += bad } else { n++; nbad += bad }
				}
				END {
					if (n && !nbad) print "works"
					else if (nbad) print "not yet"
					else if (kn && !kbad) print "with vmlinux"
					else if (kbad) print "not yet"
					else print "-"
				}' <<<"$tap")
			printf '%-13s' "$r"
		done
		echo
	done
)
echo "$table"
if [ "$UPDATE" = 1 ]; then
	# the table's lines (or the placeholder) up to the next blank line
	awk -v t="$table" '
		!done && (/^\(matrix not generated yet\)$/ || /^    kernel /) { print t; skip = 1; done = 1; next }
		skip && /^$/ { skip = 0 }
		skip { next }
		{ print }' README > README.tmp && mv README.tmp README
fi
