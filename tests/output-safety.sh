#!/bin/sh
# Terminal and output safety: every byte value 0-255 and the usual terminal
# escape sequences, placed where they reach every output (plain messages,
# rule fields rendered into explanations, report titles, comm names and
# frames, the summary), through text (with and without colour), --explain,
# --summary, JSON, JSON --summary and --to-syslog datagrams.
# Text must hold only printable characters or escapes (no C0/C1 controls,
# no DEL, no Unicode bidi controls, no ESC but our own colours); JSON must
# be valid line by line and the syslog/journal datagrams free of controls.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
K="$KTRIAGE"

python3 - "$TMPD/in.log" <<'PY'
import sys
seqs = [b'\x1b[2J\x1b[H', b'\x1b]0;owned\x07', b'\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\',
        b'\x1bP1$r\x1b\\', b'\x9b31m', b'\x07', b'\x08\x08\x08', b'a\rb', b'\x00',
        '\u202eevil\u202c'.encode(), '\u2066iso\u2069'.encode(), '\u200fRLM'.encode(),
        b'\xc2\x9b1m', b'\xff\xfe', b'\xed\xa0\x80']
payloads = [bytes([i]) for i in range(256) if i != 10] + seqs
out = []
t = 1
for n, p in enumerate(payloads):
    def ln(s):
        global t
        out.append(b'[%5d.%06d] ' % (t, n) + s + b'\n')
    ln(b'plain ' + p + b' end')
    ln(b'usb 2-1: Product: X' + p + b'Y')
    ln(b'[UFW BLOCK] IN=eth' + p + b' OUT= SRC=1.2.3.4 DST=5.6.7.8 LEN=60 TOS=0x00 '
       b'PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=1 DPT=2 WINDOW=1 RES=0x00 SYN URGP=0')
    ln(b'------------[ cut here ]------------')
    ln(b'WARNING: CPU: 0 PID: 1 at fs/x' + p + b'.c:1 func_' + p + b'+0x1/0x2')
    ln(b'CPU: 0 PID: 1 Comm: c' + p + b'm Not tainted 6.1.0 #1')
    ln(b'RIP: 0010:func_' + p + b'+0x1/0x2')
    ln(b'Call Trace:')
    ln(b' <TASK>')
    ln(b' caller_' + p + b'+0x1/0x2 [mod' + p + b']')
    ln(b' </TASK>')
    ln(b'---[ end trace 0000000000000000 ]---')
    ln(b'INFO: task ' + p + b'x:12 blocked for more than 120 seconds.')
    t += 1
open(sys.argv[1], 'wb').write(b''.join(out))
PY

cat >"$TMPD/check-text.py" <<'PY'
import sys, re
data = open(sys.argv[1], 'rb').read()
# our own colour sequences are the only ESC allowed
data = re.sub(rb'\x1b\[[0-9;]*m', b'', data)
bad = set()
for b in data:
    if (b < 0x20 and b not in (9, 10)) or b == 0x7f:
        bad.add(b)
text = data.decode('utf-8', 'replace')
for ch in text:
    o = ord(ch)
    if 0x80 <= o <= 0x9f or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069 or \
       o in (0x200e, 0x200f, 0x061c):
        bad.add(hex(o))
if bad:
    print('unescaped:', sorted(map(str, bad)))
    sys.exit(1)
PY
cat >"$TMPD/check-json.py" <<'PY'
import json, sys
n = 0
for l in open(sys.argv[1], 'rb'):
    json.loads(l)
    n += 1
assert n > 0
PY

for args in "--color=never" "--color=always" "--explain --color=always" \
	    "--summary --color=always" "--summary --explain" "-l warn+ --color=always"; do
	# shellcheck disable=SC2086
	"$K" $args "$TMPD/in.log" >"$TMPD/o" 2>"$TMPD/e"
	rc=$?
	python3 "$TMPD/check-text.py" "$TMPD/o" >"$TMPD/py" 2>&1 &&
		python3 "$TMPD/check-text.py" "$TMPD/e" >>"$TMPD/py" 2>&1
	ok=$?
	[ $ok -ne 0 ] && sed 's/^/# /' "$TMPD/py"
	check "text $args: every byte and escape sequence printable or escaped (rc $rc)" \
		sh -c "test $ok -eq 0 && test $rc -le 1"
done
"$K" --format=json "$TMPD/in.log" >"$TMPD/o" 2>"$TMPD/e"
rc=$?
python3 "$TMPD/check-json.py" "$TMPD/o" >"$TMPD/py" 2>&1
ok=$?
[ $ok -ne 0 ] && sed 's/^/# /' "$TMPD/py"
check "JSON: valid line by line (rc $rc)" sh -c "test $ok -eq 0 && test $rc -le 1"
n=$(grep -c '"type":"report"' "$TMPD/o")
check "JSON: a report for each WARNING and hung task ($n)" test "$n" -ge 500
"$K" --format=json --summary "$TMPD/in.log" >"$TMPD/o" 2>"$TMPD/e"
rc=$?
python3 "$TMPD/check-json.py" "$TMPD/o" >"$TMPD/py" 2>&1
ok=$?
check "JSON --summary: valid (rc $rc)" sh -c "test $ok -eq 0 && test $rc -le 1"

# the syslog sink: datagrams as syslogd receives them
python3 - "$K" "$TMPD" >"$TMPD/py" 2>&1 <<'PY'
import os, socket, subprocess, sys, re
k, d = sys.argv[1], sys.argv[2]
# (--to-journal goes through libsystemd to journald's own socket, whose
# protocol is binary-safe; tests/sinks.sh reads it back from a real journald)
for name, env, args in (('syslog', 'KTRIAGE_SYSLOG_SOCKET', ['--to-syslog']),):
    path = os.path.join(d, name + '.sock')
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.settimeout(0.5)
    p = subprocess.Popen([k] + args + ['--sink-level=debug', os.path.join(d, 'in.log')],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         env=dict(os.environ, **{env: path}))
    got = []
    while True:
        try:
            got.append(s.recv(1 << 20))
        except socket.timeout:
            if p.poll() is not None:
                break
    err = p.stderr.read()
    assert p.wait() in (0, 1), (name, p.returncode, err[:300])
    assert len(got) > 500, (name, len(got))
    for g in got:
        if name == 'syslog':
            body = g
        else:
            # native protocol: KEY=value lines, or KEY\n<le64 size>value\n
            body = b''
            i = 0
            while i < len(g):
                nl = g.index(b'\n', i)
                line = g[i:nl]
                if b'=' in line:
                    body += line.split(b'=', 1)[1]
                    i = nl + 1
                else:
                    size = int.from_bytes(g[nl + 1:nl + 9], 'little')
                    body += g[nl + 9:nl + 9 + size]
                    i = nl + 9 + size + 1
        bad = [c for c in body if (c < 0x20 and c not in (9, 10)) or c == 0x7f]
        if name == 'syslog':
            bad += [c for c in body if c == 10]
        assert not bad, (name, g[:200])
        t = body.decode('utf-8', 'replace')
        assert not re.search('[\u0080-\u009f\u202a-\u202e\u2066-\u2069]', t), (name, g[:200])
    s.close()
PY
rc=$?
[ $rc -ne 0 ] && sed 's/^/# /' "$TMPD/py" | tail -5
check "--to-syslog datagrams: no control or bidi characters" test $rc -eq 0
done_testing
