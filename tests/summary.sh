#!/bin/sh
# --summary: reports grouped by signature with first/last time and top
# frame, hardware hints first, findings by severity, per-boot counts.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
K="$KTRIAGE"
oops() {	# time comm
	cat <<L
[  $1] BUG: kernel NULL pointer dereference, address: 0000000000000000
[  $1] #PF: supervisor read access in kernel mode
[  $1] Oops: 0000 [#1] PREEMPT SMP NOPTI
[  $1] CPU: 0 PID: 7 Comm: $2 Not tainted 6.1.0 #1
[  $1] RIP: 0010:lkdtm_ACCESS_NULL+0x5/0x20
[  $1] Call Trace:
[  $1]  <TASK>
[  $1]  direct_entry+0x18/0x24
[  $1]  vfs_write+0xc7/0x3f0
[  $1]  </TASK>
[  $1] ---[ end trace 0000000000000000 ]---
L
}
{
	echo '[    1.000000] mce: [Hardware Error]: Machine check events logged'
	oops 10.000000 sh
	echo '[   11.000000] ata1.00: exception Emask 0x0 SAct 0x0 SErr 0x0 action 0x6 frozen'
	oops 20.000000 bash
	echo '[    0.000000] Linux version 6.1.0 (second boot)'
	oops 5.000000 cat
} >"$TMPD/log"
"$K" --summary --format=json "$TMPD/log" >"$TMPD/o"
python3 - "$TMPD/o" >"$TMPD/py" 2>&1 <<'PY'
import json, sys
s = [json.loads(l) for l in open(sys.argv[1])]
s = [o for o in s if o['type'] == 'summary'][0]
g = s['report_groups']
assert s['reports'] == 3 and len(g) == 1, g          # same bug, other comm/boot
assert g[0]['count'] == 3 and g[0]['first']['time'] == 10.0 and g[0]['last']['time'] == 5.0, g[0]
assert g[0]['frame'].startswith('lkdtm_ACCESS_NULL+0x5/0x20'), g[0]
hw = [r['rule'] for r in s['rules'] if r['hardware']]
assert 'memory.mce-logged' in hw and 'ata.exception' in hw, hw
assert [b['boot'] for b in s['boots']] == [0, 1], s['boots']
assert s['boots'][0]['reports'] == 2 and s['boots'][1]['reports'] == 1
PY
rc=$?; [ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "JSON summary: groups, times, frame, hardware hints, boots" test $rc -eq 0
"$K" --summary "$TMPD/log" >"$TMPD/o"
check "text summary: hardware hints before findings" sh -c \
	"awk '/Hardware and firmware hints/{h=NR} /^Findings/{f=NR} END{exit !(h && f && h < f)}' '$TMPD/o'"
check "text summary: one group of 3 with its top frame" sh -c \
	"grep -q '3x  BUG: unable to handle kernel NULL pointer dereference in lkdtm_ACCESS_NULL' '$TMPD/o' && grep -q 'at: lkdtm_ACCESS_NULL+0x5/0x20' '$TMPD/o'"
check "text summary: per-boot lines" sh -c "grep -q 'boot 1: ' '$TMPD/o'"
done_testing
