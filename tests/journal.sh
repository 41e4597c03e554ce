#!/bin/sh
# Reading the systemd journal: a real journal file written by
# systemd-journal-remote from journal export format (two boots), boot
# selection, cursor files, and a corrupted/truncated journal file.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
K="$KTRIAGE"
JR=
for p in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
	[ -x "$p" ] && JR=$p
done
if [ -z "$JR" ]; then
	skip "systemd-journal-remote not installed (Debian package systemd-journal-remote)"
	done_testing
	exit 0
fi

python3 - >"$TMPD/export.txt" <<'PY'
boots = ['3d1219c7c4c5404aaa1f6d2a48adfda4', '7f0c1e0a4b6d4e1f9a2b3c4d5e6f7a8b']
msgs = [
    (6, 'usb 2-1: New USB device found, idVendor=0781, idProduct=5567', 'usb', '+usb:2-1'),
    (3, 'ata1.00: exception Emask 0x0 SAct 0x0 SErr 0x0 action 0x6 frozen', None, None),
    (4, 'e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex', 'net', 'n2'),
]
t = 1763800000000000
for b, boot in enumerate(boots):
    for i, (pri, m, sub, dev) in enumerate(msgs):
        mono = 1000000 * (i + 1)
        t += 1000000
        print('__REALTIME_TIMESTAMP=%d' % t)
        print('__MONOTONIC_TIMESTAMP=%d' % mono)
        print('_BOOT_ID=%s' % boot)
        print('_TRANSPORT=kernel')
        print('PRIORITY=%d' % pri)
        print('SYSLOG_FACILITY=0')
        print('SYSLOG_IDENTIFIER=kernel')
        print('_SOURCE_MONOTONIC_TIMESTAMP=%d' % mono)
        print('MESSAGE=%s boot%d' % (m, b))
        print('_HOSTNAME=vm')
        if sub:
            print('_KERNEL_SUBSYSTEM=%s' % sub)
            print('_KERNEL_DEVICE=%s' % dev)
        print()
    # a non-kernel entry that must be left out
    t += 1000
    print('__REALTIME_TIMESTAMP=%d' % t)
    print('__MONOTONIC_TIMESTAMP=5000000')
    print('_BOOT_ID=%s' % boot)
    print('_TRANSPORT=syslog')
    print('PRIORITY=6')
    print('SYSLOG_IDENTIFIER=sshd')
    print('MESSAGE=not a kernel message')
    print()
PY
"$JR" --output="$TMPD/k.journal" - <"$TMPD/export.txt" >/dev/null 2>&1
if [ ! -s "$TMPD/k.journal" ]; then
	skip "systemd-journal-remote could not write a journal file here"
	done_testing
	exit 0
fi

"$K" --journal-file="$TMPD/k.journal" --format=json >"$TMPD/o" 2>"$TMPD/e"; rc=$?
check "--journal-file reads kernel entries, exit 0" test $rc -eq 0
python3 - "$TMPD/o" >"$TMPD/py" 2>&1 <<'PY'
import json, sys
m = [json.loads(l) for l in open(sys.argv[1])]
m = [o for o in m if o['type'] == 'message']
assert len(m) == 6, len(m)
assert all(o['source'] == 'journal' for o in m)
assert m[0]['text'].startswith('usb 2-1') and m[0]['text'].endswith('boot0') and m[0]['level'] == 'info', m[0]
assert m[0]['subsystem'] == 'usb' and m[0]['device'] == '+usb:2-1', m[0]
assert m[0]['time'] == 1.0 and m[0]['wallclock'].startswith('2025-11-22T'), m[0]
assert m[0]['host'] == 'vm' and m[0]['facility'] == 'kern'
assert m[0]['category'] == 'usb' and m[0]['fields']['vendor'] == '0781', m[0]
assert m[1]['level'] == 'err' and m[1]['category'] == 'ata'
assert [o['boot'] for o in m] == [0, 0, 0, 1, 1, 1], [o['boot'] for o in m]
assert all('seq' in o for o in m)
PY
rc=$?; [ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "entries carry level, times, host, subsystem, device, boot, rules" test $rc -eq 0

"$K" --journal-file="$TMPD/k.journal" --boot=-1 >"$TMPD/o"
check "--boot=-1: the previous boot only" sh -c \
	"test \$(grep -c boot0 '$TMPD/o') -eq 3 && test \$(grep -c boot1 '$TMPD/o') -eq 0"
"$K" --journal-file="$TMPD/k.journal" --boot >"$TMPD/o"
check "--boot: the last boot only" sh -c \
	"test \$(grep -c boot1 '$TMPD/o') -eq 3 && test \$(grep -c boot0 '$TMPD/o') -eq 0"
"$K" --journal-file="$TMPD/k.journal" --boot=7f0c1e0a4b6d4e1f9a2b3c4d5e6f7a8b >"$TMPD/o"
check "--boot=ID" sh -c "test \$(grep -c boot1 '$TMPD/o') -eq 3"
"$K" --journal-file="$TMPD/k.journal" --boot=-5 >/dev/null 2>"$TMPD/e"; rc=$?
check "--boot=-5 (no such boot): exit 2, clear message" sh -c \
	"test $rc -eq 2 && grep -q 'no such boot' '$TMPD/e'"

# cursor file: a second run sees nothing already processed
"$K" --journal-file="$TMPD/k.journal" --cursor-file="$TMPD/cur" --format=json >"$TMPD/o1"
"$K" --journal-file="$TMPD/k.journal" --cursor-file="$TMPD/cur" --format=json >"$TMPD/o2"
check "--cursor-file: first run reads all, cursor saved" sh -c \
	"test \$(wc -l <'$TMPD/o1') -eq 6 && test -s '$TMPD/cur'"
check "--cursor-file: second run reports nothing twice" test ! -s "$TMPD/o2"

# damaged journal files
head -c 3000 "$TMPD/k.journal" >"$TMPD/trunc.journal"
"$K" --journal-file="$TMPD/trunc.journal" >/dev/null 2>"$TMPD/e"; rc=$?
check "truncated journal file: no crash, exit 0 or 2" sh -c "test $rc -eq 0 || test $rc -eq 2"
python3 -c 'import sys; open(sys.argv[1], "wb").write(b"LPKSHHRH" + bytes(range(256)) * 40)' \
	"$TMPD/garbage.journal"
"$K" --journal-file="$TMPD/garbage.journal" >/dev/null 2>"$TMPD/e"; rc=$?
check "corrupted journal file: exit 2 naming it" sh -c \
	"test $rc -eq 2 && grep -q 'garbage.journal' '$TMPD/e'"
"$K" --journal-file="$TMPD/missing.journal" >/dev/null 2>"$TMPD/e"; rc=$?
check "missing journal file: exit 2 naming it" sh -c \
	"test $rc -eq 2 && grep -q 'missing.journal' '$TMPD/e'"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	cp "$TMPD/k.journal" "$TMPD/private.journal"
	chmod 600 "$TMPD/private.journal"
	chmod 755 "$TMPD"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$K" \
		--journal-file="$TMPD/private.journal" >/dev/null 2>"$TMPD/e"; rc=$?
	check "journal file without permission: exit 2 with the reason" sh -c \
		"test $rc -eq 2 && grep -q 'Permission denied' '$TMPD/e' && grep -q 'systemd-journal' '$TMPD/e'"
else
	skip "no permission test: needs root and setpriv to drop privileges"
fi
"$K" --boot=-1 "$TMPD/x" >/dev/null 2>&1; rc=$?
check "--boot without a journal source: usage error" test $rc -eq 64
done_testing
