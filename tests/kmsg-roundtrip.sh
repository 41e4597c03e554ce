#!/bin/sh
# Write known records into /dev/kmsg (root only) and read them back through
# --kmsg; check the restricted-access message as an unprivileged user.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip "kmsg round trip: needs root to write /dev/kmsg"
	done_testing
	exit 0
fi
if [ ! -w /dev/kmsg ]; then
	skip "kmsg round trip: /dev/kmsg is not writable here"
	done_testing
	exit 0
fi

tag="ktriage-test-$$-$(date +%s)"
printf '<3>%s: error record\n' "$tag" >/dev/kmsg
printf '<12>%s: user warning with tab\tand \033 escape\n' "$tag" >/dev/kmsg
printf '<6>%s: info record\n' "$tag" >/dev/kmsg

"$KTRIAGE" --kmsg --format=json >"$TMPD/o" 2>"$TMPD/e"
rc=$?
check "--kmsg exits 0" test $rc -eq 0
python3 - "$TMPD/o" "$tag" >"$TMPD/py" 2>&1 <<'PY'
import json, sys
tag = sys.argv[2]
objs = [json.loads(l) for l in open(sys.argv[1])]
mine = [o for o in objs if o['type'] == 'message' and o['text'].startswith(tag)]
assert len(mine) == 3, mine
a, b, c = mine
# user space writing to /dev/kmsg gets facility user unless it names one
assert a['level'] == 'err' and a['facility'] == 'user' and a['source'] == 'kmsg', a
assert b['level'] == 'warn' and b['facility'] == 'user', b
assert b['text'] == tag + ': user warning with tab\tand \x1b escape', repr(b['text'])
assert c['level'] == 'info'
assert a['seq'] + 1 == b['seq'] and b['seq'] + 1 == c['seq']
assert isinstance(a['time'], float)
seqs = [o['seq'] for o in objs if o['type'] == 'message']
assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), 'seq order'
PY
rc=$?
[ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "records read back with level, facility, seq and unescaped text" test $rc -eq 0

"$KTRIAGE" --kmsg | grep -F "$tag: user warning" | grep -q 'with tab	and \\x1b escape'
check "text output escapes ESC from kmsg" test $? -eq 0

# --follow sees a record written after start, then stops on SIGTERM
python3 - "$KTRIAGE" "$tag" >"$TMPD/py" 2>&1 <<'PY'
import os, subprocess, sys, select, signal, time, json
p = subprocess.Popen([sys.argv[1], '--kmsg', '-f', '--format=json'], stdout=subprocess.PIPE)
time.sleep(0.5)
open('/dev/kmsg', 'w').write('<4>%s: followed record\n' % sys.argv[2])
deadline = time.time() + 10
found = False
buf = b''
while time.time() < deadline and not found:
    r, _, _ = select.select([p.stdout], [], [], 1)
    if r:
        buf += os.read(p.stdout.fileno(), 65536)
        found = b'followed record' in buf
p.send_signal(signal.SIGTERM)
assert found, 'followed record not seen'
assert p.wait(5) == 0
PY
rc=$?
[ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "--kmsg --follow streams new records, SIGTERM exits 0" test $rc -eq 0

# --cursor-file: a second run reports only what came after the first one,
# and a cursor saved under another boot id is ignored
printf 'aaaaaaaa-0000-0000-0000-000000000001\n' >"$TMPD/bootid"
cur="$TMPD/kmsg.cursor"
KTRIAGE_BOOT_ID_FILE="$TMPD/bootid" "$KTRIAGE" --kmsg --cursor-file="$cur" --format=json >"$TMPD/c1"
rc1=$?
printf '<4>%s: after the cursor\n' "$tag" >/dev/kmsg
KTRIAGE_BOOT_ID_FILE="$TMPD/bootid" "$KTRIAGE" --kmsg --cursor-file="$cur" --format=json >"$TMPD/c2"
rc2=$?
printf 'bbbbbbbb-0000-0000-0000-000000000002\n' >"$TMPD/bootid"
KTRIAGE_BOOT_ID_FILE="$TMPD/bootid" "$KTRIAGE" --kmsg --cursor-file="$cur" --format=json >"$TMPD/c3"
python3 - "$TMPD" "$tag" "$rc1" "$rc2" >"$TMPD/py" 2>&1 <<'PY'
import json, sys
d, tag, rc1, rc2 = sys.argv[1:]
assert rc1 == '0' and rc2 == '0', (rc1, rc2)
def msgs(n):
    return [json.loads(l) for l in open('%s/%s' % (d, n))]
c1, c2, c3 = msgs('c1'), msgs('c2'), msgs('c3')
assert any(o.get('text', '').startswith(tag + ': info record') for o in c1)
mine2 = [o for o in c2 if o['type'] == 'message' and o['text'].startswith(tag)]
assert [o['text'] for o in mine2] == [tag + ': after the cursor'], mine2
last1 = max(o['seq'] for o in c1 if o['type'] == 'message')
assert all(o['seq'] > last1 for o in c2 if o['type'] == 'message'), 'record seen twice'
saved = open(d + '/kmsg.cursor').read().split()
assert saved[0] == 'kmsg' and saved[1].startswith('bbbbbbbb') and int(saved[2]) >= mine2[0]['seq'], saved
assert any(o.get('text', '').startswith(tag + ': info record') for o in c3), 'other boot: cursor not ignored'
PY
rc=$?
[ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "--kmsg --cursor-file resumes after the saved record, per boot" test $rc -eq 0

if [ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" = 1 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$KTRIAGE" --kmsg >/dev/null 2>"$TMPD/e"
	rc=$?
	check "restricted kmsg: exit 2 naming kernel.dmesg_restrict" \
		sh -c "test $rc -eq 2 && grep -q 'kernel.dmesg_restrict' '$TMPD/e'"
else
	skip "kernel.dmesg_restrict is not 1 here: cannot provoke EPERM"
fi
done_testing
