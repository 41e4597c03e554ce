#!/bin/sh
# Live kmsg under load (root only): 100,000 records written to /dev/kmsg as
# fast as possible while ktriage --kmsg --follow --format=json reads. Every
# record reported is correct, every record not seen is accounted for in a
# "lost" event, and nothing is reported twice.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
if [ "$(id -u)" -ne 0 ] || [ ! -w /dev/kmsg ]; then
	skip "kmsg under load: needs root and a writable /dev/kmsg"
	done_testing
	exit 0
fi
# writes to /dev/kmsg are rate limited by default (printk_devkmsg=ratelimit)
old=$(cat /proc/sys/kernel/printk_devkmsg 2>/dev/null)
if [ -n "$old" ] && [ "$old" != on ]; then
	if ! echo on >/proc/sys/kernel/printk_devkmsg 2>/dev/null; then
		skip "kmsg under load: cannot lift the /dev/kmsg rate limit (printk_devkmsg)"
		done_testing
		exit 0
	fi
	trap 'echo "$old" >/proc/sys/kernel/printk_devkmsg; rm -rf "$TMPD"' EXIT
fi
python3 - "$KTRIAGE" >"$TMPD/py" 2>&1 <<'PY'
import json, os, select, signal, subprocess, sys, time
k = sys.argv[1]
N = 100000
tag = 'ktload%d' % os.getpid()
p = subprocess.Popen([k, '--kmsg', '--follow', '--format=json', '--no-rules', '--no-reports'],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
chunks = []
import threading
reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: p.stdout.read(65536), b'')))
reader.start()    # read as it writes, like a real consumer
scan = [0, b'']   # chunks searched so far, the tail of the last one
def wait_for(needle, timeout=300):
    # True once needle has come out (read on by a thread: search only the
    # new chunks, joined to the tail of the previous one)
    deadline = time.time() + timeout
    while time.time() < deadline:
        while scan[0] < len(chunks):
            buf = scan[1] + chunks[scan[0]]
            scan[0] += 1
            scan[1] = buf[-len(needle):]
            if needle in buf:
                return True
        time.sleep(0.05)
    return False
fd = os.open('/dev/kmsg', os.O_WRONLY)
# start once it is reading: a marker record has come out (a slow start, e.g.
# under valgrind, would otherwise open the ring after records were gone)
os.write(fd, b'<6>%s ready\n' % tag.encode())
wait_for(b'%s ready"' % tag.encode(), 120)  # (if another writer pushed it out: go on)
t0 = time.time()
for i in range(N):
    os.write(fd, b'<6>%s %d\n' % (tag.encode(), i))
os.close(fd)
wrote = time.time() - t0
# wait until the last record has come out (a slow reader, e.g. under
# valgrind, is still draining the ring buffer; SIGTERM does not drain it)
wait_for(b'%s %d"' % (tag.encode(), N - 1))
time.sleep(0.5)
p.send_signal(signal.SIGTERM)
assert p.wait(30) == 0, p.returncode
reader.join(30)
out = b''.join(chunks)
seen, seqs, lost = {}, [], []
for l in out.splitlines():
    o = json.loads(l)
    if o['type'] == 'lost':
        lost.append((o['after_seq'] + 1, o['after_seq'] + o['count']))
        continue
    seqs.append(o['seq'])
    if o['text'].startswith(tag + ' ') and o['text'] != tag + ' ready':
        i = int(o['text'].split()[1])
        assert o['level'] == 'info' and o['facility'] == 'user', o
        assert i not in seen, 'record %d reported twice' % i
        seen[i] = o['seq']
assert len(seqs) == len(set(seqs)), 'a sequence number reported twice'
assert seqs == sorted(seqs), 'out of order'
# Our records are written in order, so the ones missing between two seen
# records i < j (sequence numbers si < sj) must be covered by lost sequence
# numbers in (si, sj).  Other writers (other tests, the kernel) may add
# records in between; those only add numbers, never take them away.
missing = [i for i in range(N) if i not in seen]
lost_total = sum(b - a + 1 for a, b in lost)
assert len(missing) <= lost_total, (len(missing), lost_total)
def lost_between(lo, hi):	# lost sequence numbers in (lo, hi)
    return sum(max(0, min(b, hi - 1) - max(a, lo + 1) + 1) for a, b in lost)
order = sorted(seen)
edges = [(-1, -1)] + [(i, seen[i]) for i in order] + [(N, float('inf'))]
for (i, si), (j, sj) in zip(edges, edges[1:]):
    gap = j - i - 1
    if gap <= 0:
        continue
    hi = sj if sj != float('inf') else max([b + 1 for a, b in lost] + [si + 1])
    assert lost_between(si, hi) >= gap, \
        'records %d..%d neither seen nor lost' % (i + 1, j - 1)
print('wrote %d records in %.2f s; seen %d, lost events %d covering %d records'
      % (N, wrote, len(seen), len(lost), lost_total))
PY
rc=$?
sed 's/^/# /' "$TMPD/py"
check "kmsg under load: seen records correct, the rest in lost events, none twice" test $rc -eq 0
done_testing
