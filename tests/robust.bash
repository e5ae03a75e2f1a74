# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by tests/sweep*.bats and tests/corrupt.bats (`load robust`, after
# `load helpers`): which programs run on damaged dumps, and with what.

# Arguments after DUMP for the programs that answer nothing without one
# (their usage error, status 2, would hide everything else).  A new such
# program belongs here: sweep.bats checks that every program answers on
# the intact dumps with these.
sweep_args() {
	case $1 in
	vmsym) echo schedule ;;
	vmstruct) echo task_struct ;;
	vmdis) echo schedule ;;
	esac
}

# The programs this tree defines (bin/*.c) that are built in $VMBIN.
built_programs() {
	local p
	for p in $(programs); do
		[ -x "$VMBIN/$p" ] && echo "$p"
	done
}

# The build directory of the programs under test: $O from run.sh, else
# the one $VMBIN belongs to.
robust_o() {
	local o=${O:-}
	if [ -z "$o" ]; then
		case $VMBIN in */build-san/bin) o=${VMBIN%/bin} ;; *) o=$ROOT/build ;; esac
	fi
	case $o in /*) ;; *) o=$ROOT/$o ;; esac
	echo "$o"
}
