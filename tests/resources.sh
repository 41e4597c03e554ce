#!/bin/sh
# Resource bounds: memory stays flat whatever the input.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
K="$KTRIAGE"

# peak RSS in KiB of a command fed from a generator (python)
rss() {	# gen-python-code ktriage-args...
	gen=$1
	shift
	python3 - "$K" "$gen" "$@" <<'PY'
import resource, subprocess, sys, threading
k, gen, args = sys.argv[1], sys.argv[2], sys.argv[3:]
p = subprocess.Popen([k] + args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
def w(b):
    p.stdin.write(b)
try:
    exec(gen)
    p.stdin.close()
except BrokenPipeError:
    pass
rc = p.wait()
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
PY
}

# rss_check DESCRIPTION PEAK-KIB EXIT-STATUS: exit 0 and peak RSS < 24 MiB
# (the RSS limit is skipped where it cannot hold: ASan, valgrind)
rss_check() {
	check "$1: exit $3" test "$3" -eq 0
	if why=$(kt_no_rss_limit); then
		skip "$1: peak RSS $2 KiB < 24 MiB not checked: $why"
	else
		check "$1: peak RSS $2 KiB < 24 MiB" test "$2" -lt 24576
	fi
}

# endless stdin: 1 GB of ordinary messages streamed
set -- $(rss '
line = b"[    1.000000] usb 2-1: new high-speed USB device number 3 using ehci-pci\n"
blk = line * 16384
for i in range(1024 * 1024 * 1024 // len(blk)):
    w(blk)' --summary -)
rss_check "1 GB streamed on stdin" "$1" "$2"

# a report that never ends: 2 million frame lines after one header
set -- $(rss '
w(b"[    1.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000\n")
w(b"[    1.000001] RIP: 0010:foo+0x5/0x20\n[    1.000002] Call Trace:\n")
blk = b"[    1.000003]  bar+0x18/0x24\n" * 8192
for i in range(2000000 // 8192):
    w(blk)' --summary -)
rss_check "a report that never ends" "$1" "$2"

# one line of 100 MB
set -- $(rss '
w(b"[    1.000000] ")
blk = b"A" * (1 << 20)
for i in range(100):
    w(blk)
w(b"\n[    2.000000] after\n")' --format=json -)
rss_check "one line of 100 MB" "$1" "$2"

# 1,000,000 distinct signatures in summary mode: bounded by the documented
# cap (KT_SUMMARY_MAX_SIGNATURES = 100,000), and the summary says so
python3 - >"$TMPD/sigs.log" <<'PY'
import sys
t = ('[    1.000000] WARNING: CPU: 0 PID: 1 at kernel/f%d.c:1 func_%d+0x1/0x2\n'
     '[    1.000000] Call Trace:\n[    1.000000]  func_%d+0x1/0x2\n'
     '[    1.000000]  caller_%d+0x3/0x4\n[    1.000000] ---[ end trace 0000000000000000 ]---\n')
for k in range(0, 1000000, 10000):
    sys.stdout.write(''.join(t % (i, i, i, i) for i in range(k, k + 10000)))
PY
python3 - "$K" "$TMPD/sigs.log" "$TMPD/sigs.rss" >"$TMPD/py" 2>&1 <<'PY'
import json, resource, subprocess, sys
r = subprocess.run([sys.argv[1], '--summary', '--format=json', '--no-rules', sys.argv[2]],
                   capture_output=True)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[3], 'w').write('%d\n' % rss)
s = [json.loads(l) for l in r.stdout.splitlines()]
s = [o for o in s if o['type'] == 'summary'][0]
assert s['reports'] == 1000000, s['reports']
assert len(s['report_groups']) == 100000, len(s['report_groups'])
assert s['signatures_capped'] is True
assert r.returncode == 0, r.returncode
print('reports', s['reports'], 'groups', len(s['report_groups']), 'RSS KiB', rss)
PY
rc=$?; sed 's/^/# /' "$TMPD/py"
check "1,000,000 distinct signatures: capped at 100,000 groups with a note" test $rc -eq 0
rss=$(cat "$TMPD/sigs.rss" 2>/dev/null)
if why=$(kt_no_rss_limit); then
	skip "1,000,000 distinct signatures: peak RSS $rss KiB < 200 MiB not checked: $why"
else
	check "1,000,000 distinct signatures: peak RSS $rss KiB < 200 MiB" \
		test "${rss:-999999999}" -lt $((200 * 1024))
fi

# deep YAML nesting in a rule file: a located error, no crash
python3 -c 'print("rules:\n  - id: deep.rule\n    category: x\n    severity: err\n    match: \"x\"\n    explain: " + "[" * 100000 + "]" * 100000)' >"$TMPD/deep.yaml"
"$K" --check-rules="$TMPD/deep.yaml" >/dev/null 2>"$TMPD/e"; rc=$?
check "deeply nested YAML: rejected with a message, no crash (exit $rc)" sh -c \
	"test $rc -eq 1 && grep -q 'deep.yaml' '$TMPD/e'"
done_testing
