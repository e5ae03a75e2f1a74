#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Every program's --json schema is the one its man page documents: each man
# page's JSON OUTPUT section lists the kinds of record (.SS) and each key
# with its type (.TP "key (type)", the type words of vmcoreutils(7)).  The
# section is read from the rendered page (what `man` shows); each program
# runs once per mode on the fixtures (x86_64 6.1 and 7.2, arm64 6.1, the
# sample dump), and every key of every record must be documented for that
# kind of record with the type its value has (jq's type; "0x" and hex
# digits for hex, decimal digits for decimal), and every documented key must
# be seen at least once (but the few listed in UNSEEN, with why).

load helpers

# json_schema PAGE: "KIND<TAB>KEY<TAB>TYPE" for each key of the JSON OUTPUT
# section (KIND: its .SS title); a tag whose type is not one of the type
# words is printed as "BAD<TAB>KEY<TAB>TYPE".
json_schema() {
	LC_ALL=C groff -man -Tascii -P-cbou -rLL=400n "$1" 2>/dev/null | awk '
		/^[^ ]/ { insec = ($0 == "JSON OUTPUT"); next }
		!insec { next }
		/^   [^ ]/ { kind = substr($0, 4); next }
		/^       [^ ]+ \(.*\)$/ {
			key = $1; t = substr($0, 8 + length(key) + 2); sub(/\)$/, "", t)
			if (t !~ /^((array|object) of )*(number|hex|decimal|string|boolean|object|array)( or null)?$/)
				kind = "BAD"
			print kind "\t" key "\t" t
		}'
}

# the checker: $doc (KIND -> KEY -> TYPE), $kind (the run's records; an
# object with an "error" key is an "Error records" one); prints "SEEN KIND
# KEY" for each key met, "BAD ..." for each wrong one
CHECK='
def ok($t):
	if ($t | endswith(" or null")) then (. == null or ok($t[:-8]))
	elif ($t | startswith("array of ")) then (type == "array" and all(.[]; ok($t[9:])))
	elif ($t | startswith("object of ")) then (type == "object" and all(.[]; ok($t[10:])))
	elif $t == "hex" then (type == "string" and test("^0x[0-9a-f]+$"))
	elif $t == "decimal" then (type == "string" and test("^-?[0-9]+$"))
	else type == $t end;
def chk($k; $d; $pre):
	to_entries[] | ($pre + .key) as $p |
	if $d[$p] == null then "BAD \($k): key \($p) not documented (\(.value | tojson | .[0:60]))"
	else "SEEN \($k)\t\($p)",
		(if (.value | ok($d[$p])) then empty
		 else "BAD \($k): \($p) is \(.value | tojson | .[0:60]), not \($d[$p])" end),
		(if $d[$p] == "array of object" and (.value | type) == "array"
		 then .value[] | select(type == "object") | chk($k; $d; $p + "[].") else empty end)
	end;
if type != "object" then "BAD not an object: \(tojson | .[0:60])"
else (if has("error") then "Error records" else $kind end) as $k |
	if $doc[$k] == null then "BAD record kind \"\($k)\" not in the man page"
	else chk($k; $doc[$k]; "") end
end'

# documented keys no fixture makes a program write: PROGRAM KIND KEY  why
UNSEEN="
vmlog	Log records	truncated	a record the ring buffer cut: none in the fixtures
vmlog	Error records	dump	the fixtures' logs are whole
vmlog	Error records	seq	a record too large or too deep to write
vmlog	Error records	first_seq	records lost: none in the fixtures
vmlog	Error records	last_seq	records lost: none in the fixtures
vmlog	Error records	count	records lost: none in the fixtures
vmlog	Error records	error	the fixtures' logs are whole
vmbt	Frame records	unreliable	an unconfirmed stack-scan frame: none in the fixtures
vmbt	Error records	pid	a trace that stops: none in the fixtures
vmbt	Error records	task	a trace that stops: none in the fixtures
vmsym	Error records	dump	the fixtures' symbol tables are whole
vmkmem	Address records	page_type	a typed page (PG_buddy, ...) among the addresses asked
vmkmem	Address records	sheaf	an object in a sheaf (v7.0+) among the addresses asked
vmkmem	Address records	sheaf_node	an object in a barn's sheaf
vmdis	Instruction records	module	a module function's code: the test disassembles the kernel's
"

@test "--json: every record's keys have the types the man page's JSON OUTPUT section documents" {
	local X A S B K S7 src p kind args page doc out bad=() seen line
	need_cmd jq
	need_cmd groff
	X=$SAMPLE
	need_fixture A arm64-6.1-debian/vmcore.qemu-kdump-zlib
	need_fixture B x86_64-6.1/bug-module/vmcore.kdump-snappy
	need_fixture K x86_64-6.1/vmlinux.xz
	S7=$ROOT/tests/fixtures/x86_64-7.2/vmcore.kdump-zstd
	skip_if_missing "$S7"
	# --list/--function-source read a source tree: a file at the path the
	# DWARF names for schedule's first line
	src=$BATS_TEST_TMPDIR/src
	mkdir -p "$src/arch/x86/include/asm"
	seq 1 40 | sed 's/^/line /' >"$src/arch/x86/include/asm/current.h"
	seen=$BATS_TEST_TMPDIR/seen
	: >"$seen"
	while IFS='|' read -r p kind args; do
		[ -n "$p" ] || continue
		page=$ROOT/man/$p.1
		doc=$(json_schema "$page")
		[ -n "$doc" ] || { bad+=("man/$p.1: no JSON OUTPUT keys"); continue; }
		grep -q '^BAD' <<<"$doc" && bad+=("man/$p.1: type not of vmcoreutils(7): $(grep '^BAD' <<<"$doc" | head -1)")
		# one type per key of a kind
		line=$(awk -F'\t' '{ k = $1 FS $2 } k in t && t[k] != $3 { print k; exit } { t[k] = $3 }' <<<"$doc")
		[ -z "$line" ] || bad+=("man/$p.1: $line documented twice")
		doc=$(jq -Rn '[inputs | split("\t")] | reduce .[] as $e ({}; .[$e[0]][$e[1]] = $e[2])' <<<"$doc")
		# shellcheck disable=SC2086
		out=$("$VMBIN/$p" --json $args 2>/dev/null |
			jq -r --argjson doc "$doc" --arg kind "$kind" "$CHECK") ||
			{ bad+=("$p --json $args: not JSON lines"); continue; }
		args=${args//$ROOT\//}
		[ -n "$out" ] || { bad+=("$p --json ${args:0:70}: no records"); continue; }
		grep -q "^SEEN $kind	" <<<"$out" || bad+=("$p --json ${args:0:70}: no $kind")
		while IFS= read -r line; do bad+=("$p --json ${args:0:70}: ${line#BAD }"); done < <(grep '^BAD' <<<"$out" | sort -u | head -5)
		sed -n "s/^SEEN /$p	/p" <<<"$out" >>"$seen"
		echo "$p|$kind" >>"$BATS_TEST_TMPDIR/pages"
	done <<EOT
vmps|Task records|$X
vmps|Task records|--times $A
vmps|Task records|--parents 98 $X
vmps|Task records|--children 1 $B
vmps|Task records|-g $X
vmps|State records|-S $X
vmps|Error records|$X 99999
vmbt|Frame records|-a $X
vmbt|Frame records|-a $A
vmbt|Frame records|$B
vmbt|Frame records|-l -k $K $X
vmbt|Error records|$X 99999
vmlog|Log records|-d $X
vmlog|Log records|$A
vmsym|Symbol records|-l -k $K $X schedule no_such_symbol
vmsym|Symbol records|$A schedule ffffffc008000000
vmsym|Symbol records|--module crashmod $X
vmstruct|Member records|$X task_struct -s
vmstruct|Value records|$X task_struct init_task --members pid,comm
vmstruct|Value records|-n 2 $A list_head init_task+8
vmstruct|Error records|$X task_struct 0x10
vmstruct|Error records|$X no_such_type
vmkmem|Memory use records|$X
vmkmem|Memory use records|$A
vmkmem|Cache records|--slabs $X
vmkmem|Slab records|--slab kmalloc-64 $X
vmkmem|Slab records|--slab kmalloc-64 $S7
vmkmem|Zone records|--free $A
vmkmem|Zone records|-z $X
vmkmem|Counter records|--counters $X
vmkmem|Address records|$X $(awk '/^kmem /{ print $2 }' "$ROOT/tests/ref/oops-module/kmem-addr.cmds" | tr '\n' ' ')
vmdis|Instruction records|$A schedule 3
vmdis|Instruction records|-k $K -l --inlines $X schedule
vmdis|Instruction records|-k $K --diff $X verify_cpu
vmdis|Source records|-k $K --source $src --list $X schedule
vmdis|Source records|-k $K --source $src --function-source $X schedule
vmdis|Error records|--list $X schedule
EOT
	# every documented key met at least once
	for p in $(cut -d'|' -f1 "$BATS_TEST_TMPDIR/pages" | sort -u); do
		while IFS=$'\t' read -r kind k _; do
			grep -qFx "$p	$kind	$k" "$seen" && continue
			grep -qF "$p	$kind	$k	" <<<"$UNSEEN" && continue
			bad+=("man/$p.1: $kind: key $k documented, never written on the fixtures")
		done < <(json_schema "$ROOT/man/$p.1")
	done
	# ... and the UNSEEN list holds no key the fixtures do show
	while IFS=$'\t' read -r p kind k _; do
		[ -n "$p" ] || continue
		grep -qFx "$p	$kind	$k" "$seen" && bad+=("UNSEEN: $p $kind $k is seen: take it off the list")
	done <<<"$UNSEEN"
	if [ ${#bad[@]} -gt 0 ]; then
		printf '%s\n' "${bad[@]}" >&2
		return 1
	fi
}
