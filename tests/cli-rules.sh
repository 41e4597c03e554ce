#!/bin/sh
# The rule options end to end: --check-rules over the shipped rules and
# broken rule files, --why, --explain, --category, --rules, --summary.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
K="$KTRIAGE"
C="$top_srcdir/corpus"

"$K" --check-rules >"$TMPD/o" 2>"$TMPD/e"; rc=$?
n=$(sed -n 's/^\([0-9]*\) rules in .*/\1/p' "$TMPD/o")
check "--check-rules passes on the shipped rules" test $rc -eq 0
check "at least 150 shipped rules (have $n)" test "${n:-0}" -ge 150
check "--check-rules reports 0 problems" grep -q ', 0 problems$' "$TMPD/o"

# broken rule files: each error located as file:line: rule-id: what
bad() {	# name expected-regex yaml
	printf '%s' "$3" >"$TMPD/$1.yaml"
	"$K" --check-rules="$TMPD/$1.yaml" >"$TMPD/o" 2>"$TMPD/e"; rc=$?
	if [ $rc -eq 1 ] && grep -Eq "^$TMPD/$1.yaml:[0-9]+: $2" "$TMPD/e"; then
		ok "--check-rules: $1"
	else
		not_ok "--check-rules: $1 (exit $rc)"
		sed 's/^/# /' "$TMPD/e"
	fi
}
bad badregex 'x\.re: pattern does not compile at offset [0-9]+' 'rules:
  - id: x.re
    category: test
    severity: err
    match: "foo(?<a>bar"
    explain: "x {a}"
    examples:
      - match: "foobar"
'
bad unknownkey 'x\.key: .*unknown' 'rules:
  - id: x.key
    category: test
    severity: err
    match: "foo"
    explain: "x"
    colour: red
'
bad missinggroup 'x\.grp: .*nope' 'rules:
  - id: x.grp
    category: test
    severity: err
    match: "foo (?<a>\\d+)"
    explain: "x {nope}"
    examples:
      - match: "foo 12"
'
bad duplicate 'x\.dup: .*duplicate' 'rules:
  - id: x.dup
    category: test
    severity: err
    match: "aaaa"
    explain: "x"
    examples:
      - match: "aaaa"
  - id: x.dup
    category: test
    severity: err
    match: "bbbb"
    explain: "y"
    examples:
      - match: "bbbb"
'
bad example 'x\.ex: .*' 'rules:
  - id: x.ex
    category: test
    severity: err
    match: "disk (?<dev>sd[a-z]) failed"
    explain: "{dev}"
    examples:
      - match: "disk sda broke"
'
bad yaml '.*' 'rules: [ {'
"$K" --check-rules="$TMPD/no-such-dir" >/dev/null 2>"$TMPD/e"; rc=$?
check "--check-rules on a missing path fails with its name" \
	sh -c "test $rc -ne 0 && grep -q '$TMPD/no-such-dir' '$TMPD/e'"

# a bad rule file given with --rules stops a normal run with exit 2
"$K" --rules="$TMPD/badregex.yaml" "$C/formats/dmesg-default.txt" >/dev/null 2>"$TMPD/e"; rc=$?
check "--rules with a broken file: exit 2, located message" \
	sh -c "test $rc -eq 2 && grep -q 'badregex.yaml:5: x.re:' '$TMPD/e'"

# --rules adds rules; --no-default-rules leaves only them
cat >"$TMPD/mine.yaml" <<'Y'
rules:
  - id: mine.sample
    category: mine
    severity: crit
    match: "ktriage-sample: (?<what>a critical message)"
    explain: "found {what}"
    advice: "nothing to do"
    examples:
      - match: "ktriage-sample: a critical message with a tab"
        fields: [ "what=a critical message" ]
Y
"$K" --no-default-rules --rules="$TMPD/mine.yaml" --format=json "$C/formats/dmesg-default.txt" \
	>"$TMPD/o"
check "--no-default-rules --rules: only my rule matches" sh -c \
	"test \$(grep -c '\"rule\":\"mine.sample\"' '$TMPD/o') -eq 1 && test \$(grep -c '\"category\":\"usb\"' '$TMPD/o') -eq 0"

# seed examples from the issue
printf '%s\n' \
	'[    1.0] usb 2-1: New USB device found, idVendor=0781, idProduct=5567' \
	'[    2.0] ata1.00: exception Emask 0x0 SAct 0x0 SErr 0x0 action 0x6 frozen' \
	'[    3.0] BUG: Bad page map in process firefox  pte:8000000012345867 pmd:12345067' \
	'[    4.0] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex' \
	'[    5.0] [UFW BLOCK] IN=eth0 OUT= MAC= SRC=192.168.1.100 DST=192.168.1.1 LEN=60 PROTO=TCP SPT=5555 DPT=22' \
	>"$TMPD/seed.log"
"$K" --no-reports --format=json "$TMPD/seed.log" >"$TMPD/o"
python3 - "$TMPD/o" >"$TMPD/py" 2>&1 <<'PY'
import json, sys
m = [json.loads(l) for l in open(sys.argv[1])]
m = [o for o in m if o['type'] == 'message']
assert m[0]['category'] == 'usb' and m[0]['fields'].get('vendor') == '0781' \
    and m[0]['fields'].get('product') == '5567', m[0]
assert m[1]['category'] == 'ata', m[1]
assert 'cable' in (m[1]['explanation'] or '') or 'disk' in (m[1]['explanation'] or ''), m[1]
assert m[2]['category'] == 'memory' and 'firefox' in m[2]['fields'].values(), m[2]
assert m[3]['category'] == 'net', m[3]
assert m[4]['category'] == 'firewall' and m[4]['fields'].get('src') == '192.168.1.100' \
    and m[4]['fields'].get('dst') == '192.168.1.1', m[4]
PY
rc=$?; [ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "seed examples classify with the right fields" test $rc -eq 0

"$K" --explain "$TMPD/seed.log" >"$TMPD/o"
check "--explain prints explanation and advice" sh -c \
	"grep -q 'advice: ' '$TMPD/o' && grep -q '→' '$TMPD/o'"
"$K" --category=usb,net "$TMPD/seed.log" >"$TMPD/o"
check "--category keeps only those categories" sh -c "test \$(wc -l <'$TMPD/o') -eq 2"
"$K" --why 'usb 2-1: New USB device found, idVendor=0781, idProduct=5567' >"$TMPD/o"
check "--why names the chosen rule" grep -q 'usb.new-device .*match .*chosen' "$TMPD/o"
check "--why shows rules skipped by the prefilter" grep -q 'prefilter  *(needs' "$TMPD/o"

"$K" --summary --format=json "$TMPD/seed.log" >"$TMPD/o"
python3 -c '
import json, sys
s = json.loads(open(sys.argv[1]).read())
assert s["type"] == "summary" and s["messages"] == 5
assert s["categories"]["usb"] == 1 and s["categories"]["firewall"] == 1
' "$TMPD/o"
check "--summary JSON counts categories" test $? -eq 0

# a pattern that backtracks catastrophically is bounded
cat >"$TMPD/slow.yaml" <<'Y'
rules:
  - id: slow.rule
    category: test
    severity: err
    match: "aaaa(a+)+$"
    literal: "aaaa"
    explain: "slow"
    examples:
      - match: "aaaaa"
Y
python3 -c 'print("[    1.0] " + "a" * 30000 + "b")' >"$TMPD/slow.log"
timeout 20 "$K" --no-default-rules --rules="$TMPD/slow.yaml" "$TMPD/slow.log" >/dev/null \
	2>"$TMPD/e"; rc=$?
check "catastrophic backtracking: bounded, reported once" sh -c \
	"test $rc -eq 0 && grep -q 'match limit' '$TMPD/e'"
done_testing
