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
time.sleep(1.0)   # let it drain the existing ring buffer
fd = os.open('/dev/kmsg', os.O_WRONLY)
t0 = time.time()
for i in range(N):
    os.write(fd, b'<6>%s %d\n' % (tag.encode(), i))
os.close(fd)
wrote = time.time() - t0
time.sleep(2.0)
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
    if o['text'].startswith(tag + ' '):
        i = int(o['text'].split()[1])
        assert o['level'] == 'info' and o['facility'] == 'user', o
        assert i not in seen, 'record %d reported twice' % i
        seen[i] = o['seq']
assert len(seqs) == len(set(seqs)), 'a sequence number reported twice'
assert seqs == sorted(seqs), 'out of order'
# records of ours are consecutive in seq: index i has seq base + i
# (unless other kernel messages interleave; allow those)
base = min(s - i for i, s in seen.items()) if seen else None
missing = [i for i in range(N) if i not in seen]
lost_total = sum(b - a + 1 for a, b in lost)
assert len(missing) <= lost_total, (len(missing), lost_total)
if missing and base is not None:
    for i in missing[:1000]:
        s = base + i
        assert any(a <= s <= b for a, b in lost) or s not in seqs, 'record %d neither seen nor lost' % i
print('wrote %d records in %.2f s; seen %d, lost events %d covering %d records'
      % (N, wrote, len(seen), len(lost), lost_total))
PY
rc=$?
sed 's/^/# /' "$TMPD/py"
check "kmsg under load: seen records correct, the rest in lost events, none twice" test $rc -eq 0
done_testing
