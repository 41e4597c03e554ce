#!/bin/sh
# Daemon-style use: SIGHUP reloads rules without losing position, SIGTERM
# exits 0; --pstore reads records as pstore lays them out; the progress
# indicator appears only on a terminal.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
K="$KTRIAGE"

# --- SIGHUP: new rules apply to lines after the reload -----------------
cat >"$TMPD/r.yaml" <<'Y'
rules:
  - id: t.old
    category: oldcat
    severity: warn
    match: "widget (?<n>\\d+) failed"
    explain: "old rule {n}"
    examples:
      - match: "widget 1 failed"
Y
printf '[    1.0] widget 1 failed\n' >"$TMPD/f.log"
python3 - "$K" "$TMPD" >"$TMPD/py" 2>&1 <<'PY'
import json, os, select, signal, subprocess, sys, time
k, d = sys.argv[1], sys.argv[2]
p = subprocess.Popen([k, '-f', '--format=json', '--no-default-rules', '--rules=' + d + '/r.yaml',
                      d + '/f.log'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
buf = [b'']
def expect(word, t=5):
    end = time.time() + t
    while word.encode() not in buf[0]:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if r: buf[0] += os.read(p.stdout.fileno(), 65536)
        assert time.time() < end, 'timeout waiting for %s: %r' % (word, buf[0][-300:])
expect('"category":"oldcat"')
y = open(d + '/r.yaml').read().replace('oldcat', 'newcat')
open(d + '/r.yaml', 'w').write(y)
p.send_signal(signal.SIGHUP)
time.sleep(0.5)
with open(d + '/f.log', 'a') as f: f.write('[    2.0] widget 2 failed\n')
expect('"category":"newcat"')
assert buf[0].count(b'"line":1,') == 1, 'line 1 seen twice after reload'
# a broken rule file on reload keeps the old rules
open(d + '/r.yaml', 'w').write('rules: [ {')
p.send_signal(signal.SIGHUP)
time.sleep(0.5)
with open(d + '/f.log', 'a') as f: f.write('[    3.0] widget 3 failed\n')
expect('"line":3')
assert b'"line":3' in buf[0] and buf[0].rsplit(b'"line":3', 1)[1].find(b'newcat') > 0
p.send_signal(signal.SIGTERM)
assert p.wait(5) == 0, 'SIGTERM exit status'
err = p.stderr.read().decode()
assert 'rules reloaded' in err and 'rules not reloaded' in err, err
PY
rc=$?; [ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "SIGHUP reloads rules, keeps position, keeps old rules on error; SIGTERM exit 0" \
	test $rc -eq 0

# --- pstore ----------------------------------------------------------
mkdir -p "$TMPD/pstore"
printf 'Panic#3 Part2\n<6>[  100.000000] older text\n<0>[  101.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008\n' \
	>"$TMPD/pstore/dmesg-efi-170000000032001"
printf 'Panic#3 Part1\n<4>[  101.000001] RIP: 0010:foo_bar+0x5/0x20\n<4>[  101.000002] Call Trace:\n<4>[  101.000003]  baz+0x18/0x24\n<0>[  101.000004] Kernel panic - not syncing: Fatal exception\n' \
	>"$TMPD/pstore/dmesg-efi-170000000031001"
printf 'Oops#1 Part1\n<4>[    5.000000] an earlier record\n' >"$TMPD/pstore/dmesg-ramoops-0"
"$K" --pstore="$TMPD/pstore" --format=json >"$TMPD/o" 2>"$TMPD/e"; rc=$?
python3 - "$TMPD/o" >"$TMPD/py" 2>&1 <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
msgs = [o for o in objs if o['type'] == 'message']
assert [m['text'] for m in msgs][:2] == ['an earlier record', 'older text'], [m['text'] for m in msgs]
assert msgs[0]['source'] == 'pstore:Oops#1' and msgs[1]['source'] == 'pstore:Panic#3'
texts = [m['text'] for m in msgs if m['source'] == 'pstore:Panic#3']
assert texts[2].startswith('RIP:') and texts[-1].startswith('Kernel panic'), texts
assert not any(t.startswith('Panic#') for t in texts)
reps = [o for o in objs if o['type'] == 'report']
assert any('foo_bar' in (r['title'] or '') for r in reps), [r['title'] for r in reps]
PY
rc2=$?; [ $rc2 -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "--pstore: records ordered, parts joined oldest first, headers dropped" \
	sh -c "test $rc -eq 0 && test $rc2 -eq 0"
"$K" --pstore="$TMPD/nope" >/dev/null 2>"$TMPD/e"; rc=$?
check "--pstore on a missing directory: exit 2 naming it" sh -c \
	"test $rc -eq 2 && grep -q 'nope' '$TMPD/e'"

# --- progress: only on a terminal, off with --quiet -------------------
head -c 70000000 /dev/zero | tr '\0' 'x' | fold -w 79 | sed 's/^/[    1.000000] /' >"$TMPD/big.log"
python3 - "$K" "$TMPD/big.log" >"$TMPD/py" 2>&1 <<'PY'
import os, pty, subprocess, sys
k, f = sys.argv[1], sys.argv[2]
def run(extra):
    m, s = pty.openpty()
    p = subprocess.Popen([k, '--summary', '--no-rules', '--no-reports'] + extra + [f],
                         stdout=subprocess.DEVNULL, stderr=s)
    os.close(s)
    out = b''
    while True:
        try: b = os.read(m, 65536)
        except OSError: break
        if not b: break
        out += b
    p.wait()
    return out
a = run([])
assert b'MB of' in a, a[-200:]
assert b'MB of' not in run(['--quiet'])
r = subprocess.run([k, '--summary', '--no-rules', '--no-reports', f], capture_output=True)
assert b'MB of' not in r.stderr
PY
rc=$?; [ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "progress on a terminal only, not with --quiet nor into a file" test $rc -eq 0
done_testing
