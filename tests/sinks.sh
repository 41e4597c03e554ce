#!/bin/sh
# --to-journal against a real systemd-journald started by this test in a
# private mount namespace (root only), read back with journalctl -o json;
# a missing journal socket gives a clear error.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
K="$KTRIAGE"

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
[    2.000000] ata1.00: exception Emask 0x0 SAct 0x0 SErr 0x0 action 0x6 frozen
[    3.000000] usb 2-1: New USB device found, idVendor=0781, idProduct=5567
L

KTRIAGE_JOURNAL_SOCKET="$TMPD/no-socket" "$K" --to-journal "$TMPD/oops.log" \
	>/dev/null 2>"$TMPD/e"; rc=$?
check "--to-journal without a journal socket: exit 2, clear message" sh -c \
	"test $rc -eq 2 && grep -q 'no socket at' '$TMPD/e'"
"$K" --to-syslog=nosuchfacility "$TMPD/oops.log" >/dev/null 2>&1; rc=$?
check "--to-syslog with a bad facility: usage error" test $rc -eq 64

JD=/lib/systemd/systemd-journald
if [ "$(id -u)" -ne 0 ] || [ ! -x $JD ] || ! command -v unshare >/dev/null ||
   ! command -v journalctl >/dev/null; then
	skip "--to-journal round trip: needs root, unshare and systemd-journald"
	done_testing
	exit 0
fi
cat >"$TMPD/inner.sh" <<EOF
set -e
mkdir -p /run/systemd /run/log
mount -t tmpfs tmpfs /run/systemd
mount -t tmpfs tmpfs /run/log
mkdir -p /run/systemd/journal /run/log/journal
$JD >"$TMPD/journald.log" 2>&1 &
jpid=\$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	[ -S /run/systemd/journal/socket ] && break
	sleep 0.2
done
"$K" --to-journal --sink-level=err "$TMPD/oops.log" >/dev/null
sleep 1
journalctl -D /run/log/journal -o json --no-pager KTRIAGE_TYPE=report >"$TMPD/reports.json"
journalctl -D /run/log/journal -o json --no-pager KTRIAGE_TYPE=finding >"$TMPD/findings.json"
kill \$jpid
wait \$jpid 2>/dev/null || true
EOF
if ! timeout 60 unshare -m sh "$TMPD/inner.sh" >"$TMPD/inner.out" 2>&1; then
	skip "could not run systemd-journald in a private mount namespace here"
	sed 's/^/# /' "$TMPD/inner.out" | tail -n 5
	done_testing
	exit 0
fi
python3 - "$TMPD" "$K" >"$TMPD/py" 2>&1 <<'PY'
import json, subprocess, sys
d = sys.argv[1]
reps = [json.loads(l) for l in open(d + '/reports.json') if l.strip()]
finds = [json.loads(l) for l in open(d + '/findings.json') if l.strip()]
assert len(reps) == 1, reps
r = reps[0]
assert r['MESSAGE'].startswith('BUG: '), r['MESSAGE']
assert r['KTRIAGE_KIND'] == 'BUG' and len(r['KTRIAGE_SIGNATURE']) == 16
assert r['PRIORITY'] == '2' and len(r['MESSAGE_ID']) == 32
assert r['KTRIAGE_TITLE'] == r['MESSAGE']
# err threshold: the ata finding is sent, the usb (info) one is not
rules = sorted(f['KTRIAGE_RULE'] for f in finds)
assert 'ata.exception' in rules and not any(x.startswith('usb') for x in rules), rules
f = [f for f in finds if f['KTRIAGE_RULE'] == 'ata.exception'][0]
assert f['KTRIAGE_CATEGORY'] == 'ata' and f['PRIORITY'] == '3' and 'ata1' in f['MESSAGE']
PY
rc=$?; [ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "--to-journal: report and findings arrive with MESSAGE_ID and KTRIAGE_* fields" \
	test $rc -eq 0
done_testing
