#!/bin/sh
# Bad input and command-line behaviour: every case from the foundation issue.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
C="$top_srcdir/corpus"
K="$KTRIAGE"

# unreadable file: named with errno, the other files still processed, exit 2
"$K" "$TMPD/does-not-exist" "$C/formats/dmesg-default.txt" >"$TMPD/o" 2>"$TMPD/e"
rc=$?
check "missing file: exit 2" test $rc -eq 2
check "missing file: message names file and errno" \
	grep -q "cannot open '$TMPD/does-not-exist': No such file or directory" "$TMPD/e"
check "missing file: other file still read" test "$(wc -l <"$TMPD/o")" -eq \
	"$(grep -c . "$C/formats/dmesg-default.txt")"

if [ "$(id -u)" -ne 0 ]; then
	printf 'x\n' >"$TMPD/noperm"; chmod 000 "$TMPD/noperm"
	"$K" "$TMPD/noperm" >/dev/null 2>"$TMPD/e"; rc=$?
	check "unreadable file: exit 2, Permission denied" \
		sh -c "test $rc -eq 2 && grep -q 'Permission denied' '$TMPD/e'"
elif command -v setpriv >/dev/null; then
	printf 'x\n' >"$TMPD/noperm"; chmod 000 "$TMPD/noperm"; chmod 755 "$TMPD"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$K" "$TMPD/noperm" \
		>/dev/null 2>"$TMPD/e"; rc=$?
	check "unreadable file: exit 2, Permission denied" \
		sh -c "test $rc -eq 2 && grep -q 'Permission denied' '$TMPD/e'"
else
	skip "unreadable file: running as root without setpriv"
fi

"$K" "$C" >/dev/null 2>"$TMPD/e"; rc=$?
check "directory: exit 2 with 'Is a directory'" \
	sh -c "test $rc -eq 2 && grep -q \"cannot open '$C': Is a directory\" '$TMPD/e'"

"$K" "$C/bad/empty.txt" >"$TMPD/o" 2>&1; rc=$?
check "empty file: no output, exit 0" sh -c "test $rc -eq 0 && test ! -s '$TMPD/o'"

# a 10 MB line with no newline: capped, marked, bounded memory
python3 -c 'import sys; sys.stdout.write("[    1.000000] " + "A" * (10 * 1024 * 1024))' >"$TMPD/long"
printf '\n[    2.000000] next\n' >>"$TMPD/long"
python3 - "$K" "$TMPD/long" >"$TMPD/o" 2>"$TMPD/rss" <<'PY'
import json, resource, subprocess, sys
r = subprocess.run([sys.argv[1], '--format=json', sys.argv[2]], capture_output=True)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write('%d\n' % rss)
lines = [json.loads(l) for l in r.stdout.splitlines()]
assert r.returncode == 0, r.returncode
assert len(lines) == 2, len(lines)
assert lines[0]['truncated'] is True and len(lines[0]['text']) < 70000, len(lines[0]['text'])
assert lines[1]['text'] == 'next' and lines[1]['line'] == 2
PY
check "10 MB line: truncated, next line intact" test $? -eq 0
rss=$(cat "$TMPD/rss")
if why=$(kt_no_rss_limit); then
	skip "10 MB line: peak RSS $rss KiB < 16 MB not checked: $why"
else
	check "10 MB line: peak RSS $rss KiB < 16 MB" test "$rss" -lt 16384
fi

# gzip, transparently, and broken gzip
gzip -c "$C/formats/dmesg-default.txt" >"$TMPD/d.gz"
cat "$TMPD/d.gz" "$TMPD/d.gz" >"$TMPD/dd.gz"
"$K" "$C/formats/dmesg-default.txt" >"$TMPD/plain"
"$K" "$TMPD/d.gz" >"$TMPD/gz"
check ".gz file decompressed" cmp "$TMPD/plain" "$TMPD/gz"
"$K" - <"$TMPD/d.gz" >"$TMPD/gz"
check ".gz on stdin decompressed" cmp "$TMPD/plain" "$TMPD/gz"
"$K" -J "$TMPD/dd.gz" >"$TMPD/gz"; "$K" -J "$C/formats/dmesg-default.txt" >"$TMPD/plain"
check "concatenated gzip members" test "$(wc -l <"$TMPD/gz")" -eq $(($(wc -l <"$TMPD/plain") * 2))
head -c 300 "$TMPD/d.gz" >"$TMPD/trunc.gz"
"$K" "$TMPD/trunc.gz" >/dev/null 2>"$TMPD/e"; rc=$?
check "truncated gzip: exit 2, named" \
	sh -c "test $rc -eq 2 && grep -q \"cannot read '$TMPD/trunc.gz'\" '$TMPD/e'"

# a closed pipe ends quietly
for i in 1 2 3 4 5 6 7 8; do cat "$C"/formats/*; done >"$TMPD/big"
for i in 1 2 3 4 5 6 7 8; do cat "$TMPD/big"; done >"$TMPD/big2"
("$K" "$TMPD/big2" 2>"$TMPD/e"; echo $? >"$TMPD/rc") | head -n 1 >/dev/null
check "closed pipe: quiet, exit 0" sh -c "test ! -s '$TMPD/e' && test \$(cat '$TMPD/rc') -eq 0"

# full disk
if [ -w /dev/full ]; then
	"$K" "$C/formats/dmesg-default.txt" >/dev/full 2>"$TMPD/e"; rc=$?
	check "ENOSPC: exit 2 with message" \
		sh -c "test $rc -eq 2 && grep -q 'No space left on device' '$TMPD/e'"
else
	skip "no /dev/full"
fi

# usage errors
"$K" --no-such-option >/dev/null 2>&1; rc=$?
check "unknown option: exit 64" test $rc -eq 64
"$K" --level=bogus x >/dev/null 2>&1; rc=$?
check "bad level: exit 64" test $rc -eq 64
"$K" --help | grep -q "Exit status" && ok "--help documents exit status" || not_ok "--help"

# filters
"$K" -l err+ "$C/bad/mixed.txt" >"$TMPD/o"
check "level err+ keeps only err and worse" sh -c "test \$(wc -l <'$TMPD/o') -eq 2"
"$K" -l +info "$C/bad/mixed.txt" >"$TMPD/o"
check "level +info keeps info and debug" sh -c "test \$(wc -l <'$TMPD/o') -eq 4"
"$K" --since=1.5 --until=1.7 "$C/bad/mixed.txt" >"$TMPD/o"
check "--since/--until" sh -c "test \$(wc -l <'$TMPD/o') -eq 3"
"$K" --facility=user "$C/formats/dmesg-x.txt" >"$TMPD/o"
check "--facility=user" sh -c "test \$(wc -l <'$TMPD/o') -ge 1 && grep -q ktriage-sample '$TMPD/o'"

# colour: never on a pipe by default, always on request, NO_COLOR wins over auto
"$K" "$C/bad/mixed.txt" | grep -q "$(printf '\033')" && not_ok "no colour on a pipe" || ok "no colour on a pipe"
"$K" --color=always "$C/bad/mixed.txt" | grep -q "$(printf '\033\\[31m')" && ok "--color=always" || not_ok "--color=always"

# streaming: each message written as soon as it is read
python3 - "$K" "$(kt_slow)" <<'PY' >"$TMPD/o" 2>&1
import subprocess, sys, time, select
slow = int(sys.argv[2])
p = subprocess.Popen([sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.stdin.write(b'[    1.000000] first\n'); p.stdin.flush()
r, _, _ = select.select([p.stdout], [], [], 5 * slow)
assert r, 'first message not written before EOF'
assert b'first' in p.stdout.readline()
p.stdin.write(b'[    2.000000] second\n'); p.stdin.close()
assert b'second' in p.stdout.readline()
assert p.wait(5 * slow) == 0
PY
check "stdin pipe streams line by line" test $? -eq 0

# follow a file: appended data, then rotation
python3 - "$K" "$TMPD/f.log" "$(kt_slow)" <<'PY' >"$TMPD/o" 2>&1
import os, subprocess, sys, time, select, signal
path = sys.argv[2]
slow = int(sys.argv[3])
open(path, 'w').write('[    1.000000] one\n')
p = subprocess.Popen([sys.argv[1], '-f', path], stdout=subprocess.PIPE)
buf = [b'']
def expect(word):
    deadline = time.time() + 5 * slow
    while word.encode() not in buf[0]:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if r:
            buf[0] += os.read(p.stdout.fileno(), 65536)
        assert time.time() < deadline, 'timeout waiting for ' + word
expect('one')
with open(path, 'a') as f: f.write('[    2.000000] two\n')
expect('two')
os.rename(path, path + '.1')
open(path, 'w').write('[    3.000000] three after rotation\n')
expect('three')
open(path, 'w').write('[4.0] four\n')
expect('four')
p.send_signal(signal.SIGTERM)
assert p.wait(5 * slow) == 0
PY
rc=$?; [ $rc -ne 0 ] && sed "s/^/# /" "$TMPD/o"
check "--follow: append, rotation, truncation, SIGTERM exit 0" test $rc -eq 0

# every byte value through both formats
python3 -c 'import sys; sys.stdout.buffer.write(b"".join(b"[    1.000000] byte " + bytes([i]) + b" end\n" for i in range(256)))' >"$TMPD/bytes"
"$K" --color=always "$TMPD/bytes" >"$TMPD/o"
python3 - "$TMPD/o" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
# only our own colour sequences may contain ESC
stripped = data.replace(b'\x1b[0m', b'').replace(b'\x1b[1;31m', b'').replace(b'\x1b[31m', b'') \
    .replace(b'\x1b[33m', b'').replace(b'\x1b[1m', b'')
bad = [b for b in stripped if (b < 0x20 and b not in (9, 10)) or b == 0x7f]
assert not bad, bad
PY
check "text output: every byte 0-255 printable or escaped" test $? -eq 0
"$K" --format=json "$TMPD/bytes" | python3 -c '
import json, sys
n = sum(1 for l in sys.stdin.buffer if json.loads(l))
assert n >= 250, n' 
check "JSON output: every byte 0-255 valid" test $? -eq 0

# a report whose lines hold bytes that are not UTF-8 (a comm name is
# whatever a process set) is still found and titled
printf '[  100.000000] INFO: task \377\376x:123 blocked for more than 120 seconds.\n[  100.000001]       Not tainted 6.1.0 #1\n[  100.000003] task:\377\376x state:D stack:0 pid:123 ppid:1 flags:0x00004000\n[  100.000004] Call Trace:\n[  100.000005]  <TASK>\n[  100.000006]  __schedule+0x1/0x2\n[  100.000007]  schedule+0x1/0x2\n[  100.000008]  blk_mq_freeze_queue+0x1/0x2\n[  100.000009]  foo_ioctl+0x1/0x2\n[  100.000010]  </TASK>\n' >"$TMPD/nonutf8.log"
"$KTRIAGE" --format=json "$TMPD/nonutf8.log" | grep '"type":"report"' |
	grep -q '"title":"INFO: task hung in blk_mq_freeze_queue"'
check "report whose first line is not UTF-8: found and titled" test $? -eq 0

# a log from many kernels, none with a vmlinux: five named, then one line
for i in $(seq 1 12); do
	printf '[  %d.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f%d+0x1/0x2\n[  %d.000001] CPU: 0 PID: 1 Comm: x Not tainted 9.%d.0-test #1\n[  %d.000002] Call Trace:\n[  %d.000003]  g%d+0x1/0x2\n[  %d.000004] ---[ end trace 0000000000000000 ]---\n' \
		$i $i $i $i $i $i $i $i
done >"$TMPD/manykernels.log"
"$KTRIAGE" "$TMPD/manykernels.log" >/dev/null 2>"$TMPD/manykernels.err"
check "many kernels without vmlinux: five named, the rest in one line" sh -c \
	"test \$(grep -c 'no vmlinux with debug info found for kernel 9\.' '$TMPD/manykernels.err') -eq 5 &&
	 test \$(grep -c 'no vmlinux for further kernels' '$TMPD/manykernels.err') -eq 1"

done_testing
