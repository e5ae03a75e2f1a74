#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmstruct beyond crash's struct: variables with their own types (crash's
# p, p/x, per-CPU p VAR:N), memory words (rd), task members (task -R),
# list and tree walks (list -H, tree), against crash 8.0.2 on the same
# x86 dumps: tests/ref/SCN/mods/NAME.txt, made by
# tests/ref/make-refs-mods.sh (crash's "$N = " is left out of the
# comparison: we do not number values).  On the arm64 dump (no vmlinux
# exists for crash): per_cpu(cpu_number, N) is N.  Damage: a tree and an
# XArray broken in a copy of the dump.

load helpers

X86="oops-module:vmcore.kdump-zlib bug-module:vmcore.kdump-snappy sysrq-c:vmcore.kdump-zstd"

setup() {
	need_prog vmstruct
}

# crash's output of NAME for SCN, without its first (# command) line and
# crash's value numbers
ref() { # SCN NAME
	local f=$ROOT/tests/ref/$1/mods/$2.txt
	[ -f "$f" ] || fail "no reference $f (tests/ref/make-refs-mods.sh)"
	sed '1d; s/\$[0-9][0-9]* = //' "$f"
}

each_x86() { # print "SCN DUMP" of the x86 fixtures present
	local s d
	for s in $X86; do
		d=$FIX/x86_64-6.1/${s%%:*}/${s#*:}
		[ -f "$d" ] && echo "${s%%:*} $d"
	done
}

@test "vmstruct VARIABLE (-k vmlinux): jiffies_64, p/x, init_task.comm, jiffies as crash's p" {
	local scn d vmlinux
	need_fixture vmlinux x86_64-6.1/vmlinux.xz
	while read -r scn d; do
		run -0 "$VMBIN/vmstruct" -k "$vmlinux" "$d" jiffies_64
		[ "$output" = "$(ref "$scn" p-jiffies_64)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -x -k "$vmlinux" "$d" jiffies_64
		[ "$output" = "$(ref "$scn" px-jiffies_64)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -k "$vmlinux" "$d" jiffies
		[ "$output" = "$(ref "$scn" p-jiffies)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -k "$vmlinux" "$d" init_task.comm
		[ "$output" = "$(ref "$scn" p-init_task.comm)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -x -k "$vmlinux" "$d" init_task.pid
		[ "$output" = "$(ref "$scn" px-init_task.pid)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -k "$vmlinux" "$d" init_uts_ns.name.release
		[ "$output" = "$(ref "$scn" p-init_uts_ns.name.release)" ] || fail "$scn: $output"
	done < <(each_x86)
}

@test "vmstruct VARIABLE of a module: crashmod_state.answer as crash's p (the .ko's DWARF with -M)" {
	local scn d
	while read -r scn d; do
		run -0 "$VMBIN/vmstruct" -M "$FIX/x86_64-6.1" "$d" crashmod_state.answer
		[ "$output" = "$(ref "$scn" p-crashmod_state.answer)" ] || fail "$scn: $output"
	done < <(each_x86)
}

@test "vmstruct VARIABLE from the dump alone: a per-CPU one as crash's p, a plain global's type unknown and said" {
	local scn d
	while read -r scn d; do
		run -0 "$VMBIN/vmstruct" "$d" cpu_number
		[ "$output" = "$(ref "$scn" p-cpu_number)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -c all "$d" cpu_number
		[ "$output" = "$(ref "$scn" p-cpu_number-a)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -c all "$d" irq_stat
		[ "$output" = "$(ref "$scn" p-irq_stat-a)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -c 1 "$d" irq_stat
		[ "$output" = "$(ref "$scn" p-irq_stat-1)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -c 1 "$d" runqueues
		[ "$output" = "$(ref "$scn" p-runqueues-1)" ] || fail "$scn: $output"
		run --separate-stderr "$VMBIN/vmstruct" "$d" jiffies_64
		assert_failure 1
		[[ $stderr == *"type is unknown"*"per-CPU variables only"* ]] || fail "$stderr"
	done < <(each_x86)
}

@test "vmstruct -c on the arm64 dump (text-only kallsyms, BTF): per_cpu(cpu_number, N) = N on every CPU" {
	local d=$FIX/arm64-6.1-debian/vmcore.qemu-kdump-zlib
	skip_if_missing "$d"
	run -0 "$VMBIN/vmstruct" -c all "$d" cpu_number
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "per_cpu(cpu_number, 0) = 0" ]
	[ "${lines[1]}" = "per_cpu(cpu_number, 1) = 1" ]
}

@test "vmstruct VARIABLE: bad CPUs and unknown names, the right exit and message" {
	local d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	skip_if_missing "$d"
	run --separate-stderr "$VMBIN/vmstruct" -c 2 "$d" cpu_number
	assert_failure 1
	[[ $stderr == *"CPU 2"* ]]
	run --separate-stderr "$VMBIN/vmstruct" -c x "$d" cpu_number
	[ "$status" -eq 2 ]
	run --separate-stderr "$VMBIN/vmstruct" "$d" no_such_name_here
	assert_failure 1
	[[ $stderr == *"no struct named no_such_name_here, nor a variable"* ]]
	run --separate-stderr "$VMBIN/vmstruct" -c 0 "$d" task_struct
	[ "$status" -eq 2 ]
}

@test "vmstruct -r: memory words and their bytes as crash's rd" {
	local scn d
	while read -r scn d; do
		run -0 "$VMBIN/vmstruct" -r "$d" jiffies_64 3
		[ "$output" = "$(ref "$scn" rd-jiffies_64-3)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -r -M "$FIX/x86_64-6.1" "$d" crashmod_state 9
		[ "$output" = "$(ref "$scn" rd-crashmod_state-9)" ] || fail "$scn: $output"
	done < <(each_x86)
}

@test "vmstruct -r -F: the words crash's rd -s shows as numbers are ours, its symbols point where ours do" {
	local scn d i a b
	need_prog vmsym
	while read -r scn d; do
		run -0 "$VMBIN/vmstruct" -r -F "$d" init_task 8
		mapfile -t want < <(ref "$scn" rd-s-init_task-8)
		[ "${#lines[@]}" -eq "${#want[@]}" ]
		for ((i = 0; i < ${#lines[@]}; i++)); do
			read -ra a <<< "${lines[i]}"
			read -ra b <<< "${want[i]}"
			[ "${a[0]}" = "${b[0]}" ] || fail "line $i: ${lines[i]} / ${want[i]}"
			for w in 1 2; do
				if [[ ${b[w]} =~ ^[0-9a-f]{16}$ ]]; then
					[ "${a[w]}" = "${b[w]}" ] || fail "$scn line $i: ${lines[i]} / ${want[i]}"
				fi
			done
		done
	done < <(each_x86)
}

@test "vmstruct -p PID TYPE.member: crash's task -R (header and members)" {
	local scn d
	need_prog vmps
	while read -r scn d; do
		run -0 "$VMBIN/vmstruct" -p 1 "$d" task_struct.thread.sp
		[ "$output" = "$(ref "$scn" task-R-thread.sp-1 | sed '/^$/d')" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" -p 1 "$d" task_struct.pid,comm,prio
		[ "$output" = "$(ref "$scn" task-R-pid,comm,prio-1 | sed '/^$/d')" ] || fail "$scn: $output"
	done < <(each_x86)
}

@test "vmstruct --walk: list, hlist-free list of members, rbtree in key order, XArray, as crash's list -H and tree" {
	local scn d vmlinux
	need_fixture vmlinux x86_64-6.1/vmlinux.xz
	while read -r scn d; do
		run -0 "$VMBIN/vmstruct" --walk list --members name "$d" module modules
		[ "$output" = "$(ref "$scn" list-modules)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" --walk link -M "$FIX/x86_64-6.1" "$d" crashmod_node.id crashmod_state.nodes
		[ "$output" = "$(ref "$scn" list-crashmod_nodes)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" --walk rb_node "$d" vmap_area vmap_area_root
		[ "$output" = "$(ref "$scn" tree-vmap_area_root)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" --walk xarray "$d" irq_desc irq_desc_tree
		[ "$output" = "$(ref "$scn" tree-irq_desc_tree)" ] || fail "$scn: $output"
		run -0 "$VMBIN/vmstruct" --walk xarray -k "$vmlinux" "$d" pid.level init_pid_ns.idr.idr_rt
		[ "$output" = "$(ref "$scn" tree-s-init_pid_ns.idr)" ] || fail "$scn: $output"
	done < <(each_x86)
}

@test "vmstruct --walk: a member that links nothing, a head of another kind: clear errors" {
	local d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	skip_if_missing "$d"
	run --separate-stderr "$VMBIN/vmstruct" --walk pid "$d" task_struct init_task
	assert_failure 1
	[[ $stderr == *"what links the entries"* ]]
	run --separate-stderr "$VMBIN/vmstruct" --walk tasks "$d" task_struct
	[ "$status" -eq 2 ]
	# a member of a variable whose type the dump's BTF does not give
	run --separate-stderr "$VMBIN/vmstruct" --walk tasks "$d" task_struct init_task.tasks
	assert_failure 1
	[[ $stderr == *"init_task: its type is unknown"* ]] || fail "$stderr"
}

# ---- damage: a copy of the uncompressed (raw kdump) dump with tree
# pointers overwritten at the file offsets build/tests/kvaddr2off finds

K2O=${O:-build}
case $K2O in /*) ;; *) K2O=$ROOT/$K2O ;; esac
K2O=${KVADDR2OFF:-$K2O/tests/kvaddr2off}

poke() { # FILE OFFSET HEX64
	local le
	le=$(printf '%16s' "$3" | tr ' ' 0 | sed 's/../& /g' | awk '{ for (i = NF; i > 0; i--) printf "\\x%s", $i }')
	printf "$le" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

damaged_copy() {
	[ -x "$K2O" ] || skip "$K2O not built"
	need_fixture raw derive:raw
	need_prog vmsym
	BAD=$BATS_TEST_TMPDIR/bad.raw
	cp "$raw" "$BAD"
}

@test "damaged rbtree: a node whose child points back up is an error naming the tree and node, after the entries before" {
	local root off val first
	damaged_copy
	root=$("$VMBIN/vmsym" "$BAD" vmap_area_root | cut -d' ' -f1)
	# the root node's left child pointed back at the root node
	read -r off first < <("$K2O" "$BAD" "$root")
	read -r off val < <("$K2O" "$BAD" "$first" rb_node rb_left)
	poke "$BAD" "$off" "$first"
	run --separate-stderr timeout 20 "$VMBIN/vmstruct" --walk rb_node "$BAD" vmap_area vmap_area_root
	assert_failure 1
	[[ $stderr == *"rbtree at 0x$root"* && $stderr == *"parent pointer does not lead back"* ]] ||
		fail "$stderr"
}

@test "damaged XArray: its head pointing into unmapped memory is an error naming it" {
	local head off val
	damaged_copy
	head=$("$VMBIN/vmsym" "$BAD" irq_desc_tree | cut -d' ' -f1)
	read -r off val < <("$K2O" "$BAD" "$head" xarray xa_head)
	poke "$BAD" "$off" ffffdead00000002
	run --separate-stderr timeout 20 "$VMBIN/vmstruct" --walk xarray "$BAD" irq_desc irq_desc_tree
	assert_failure 1
	[[ $stderr == *"xarray at 0x$head"* && $stderr == *"unreadable"* ]] || fail "$stderr"
}
