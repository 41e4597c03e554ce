#!/bin/sh
# Exit status for scripts and CI: --fail-on=LEVEL|report|KIND,...
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
K="$KTRIAGE"
C="$top_srcdir/corpus"

cat >"$TMPD/oops.log" <<'L'
[    1.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000
[    1.000001] #PF: supervisor read access in kernel mode
[    1.000002] Oops: 0000 [#1] PREEMPT SMP NOPTI
[    1.000003] CPU: 0 PID: 1 Comm: sh Not tainted 6.1.0 #1
[    1.000004] RIP: 0010:lkdtm_ACCESS_NULL+0x5/0x20
[    1.000005] Call Trace:
[    1.000006]  <TASK>
[    1.000007]  direct_entry+0x18/0x24
[    1.000008]  full_proxy_write+0x53/0x80
[    1.000009]  vfs_write+0xc7/0x3f0
[    1.000010]  </TASK>
[    1.000011] ---[ end trace 0000000000000000 ]---
L
printf '<6>[    1.0] all fine\n<4>[    2.0] a warning\n' >"$TMPD/warn.log"

st() { "$K" "$@" >/dev/null 2>&1; echo $?; }
check "no --fail-on: 0 even with a report" test "$(st "$TMPD/oops.log")" -eq 0
check "--fail-on=report with a report: 1" test "$(st --fail-on=report "$TMPD/oops.log")" -eq 1
check "--fail-on=report on a clean log: 0" test "$(st --fail-on=report "$TMPD/warn.log")" -eq 0
check "--fail-on=warn with a warning: 1" test "$(st --fail-on=warn "$TMPD/warn.log")" -eq 1
check "--fail-on=err with only a warning: 0" test "$(st --fail-on=err "$TMPD/warn.log")" -eq 0
check "--fail-on=BUG (kind) matches: 1" test "$(st --fail-on=BUG "$TMPD/oops.log")" -eq 1
check "--fail-on=KASAN (other kind): 0" test "$(st --fail-on=KASAN "$TMPD/oops.log")" -eq 0
check "--fail-on with an unreadable input: 2 wins" \
	test "$(st --fail-on=report "$TMPD/oops.log" "$TMPD/missing")" -eq 2
check "--fail-on= empty: usage error 64" test "$(st --fail-on= "$TMPD/oops.log")" -eq 64
# a rule's severity counts, not only the printed level
printf '[    1.0] ata1.00: exception Emask 0x0 SAct 0x0 SErr 0x0 action 0x6 frozen\n' >"$TMPD/ata.log"
check "--fail-on=err: rule severity raises an unleveled line" \
	test "$(st --fail-on=err "$TMPD/ata.log")" -eq 1
"$K" --summary --format=json --fail-on=report "$TMPD/oops.log" >"$TMPD/o"
check "summary JSON carries the exit status" grep -q '"exit_status":1' "$TMPD/o"
done_testing
