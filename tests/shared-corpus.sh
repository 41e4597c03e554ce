#!/bin/sh
# Property check over ../shared/corpus/** (skipped when absent): every file is
# read to its end, with the right message count, exit 0 and valid JSON.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

if [ ! -d "$SHARED/corpus" ]; then
	skip "no shared corpus at $SHARED/corpus"
	done_testing
	exit 0
fi
# Under make check-valgrind each file is checked with the plain binary and
# memcheck runs once over all of them (a valgrind run per file: hours).
python3 - "$KT_BIN" "$SHARED/corpus" "$(kt_valgrind && echo "$KTRIAGE")" <<'PY'
import json, os, re, subprocess, sys
k, root, vk = sys.argv[1], sys.argv[2], sys.argv[3]
ts = re.compile(rb'\[ *\d+\.\d+\]')
prefixed = re.compile(rb'(\[ *\d+\.\d+\]|<\d{1,3}>|\d+,\d+,\d+,|\[[A-Z][a-z]{2} |\[ *[TC]\d+\]'
                      rb'|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[T ]\d\d:'
                      rb'|[a-z]+\d? *:[a-z]+ *:|\s*[{}\]"])')
ansi = re.compile(rb'\x1b(\[[\x20-\x3f]*[\x40-\x7e]|\][^\x07]*\x07|[\x40-\x7e])')

def expected(path, data):
    name = os.path.basename(path)
    if name.endswith('.json') and b'"dmesg"' in data[:100]:
        return data.count(b'"msg":')
    if name == 'kmsg-records.txt':
        return sum(1 for l in data.split(b'\n') if l and not l.startswith(b' '))
    n = 0
    for l in re.split(rb'\r\n|\r|\n', data):
        glued = b'\x1b' in l
        l = ansi.sub(b'', l)
        if not l.strip():
            continue
        n += 1
        # console output glued in front of a kernel line is split off:
        # after escape codes, or on any line without a prefix of its own
        if glued or (len(l) > 16 and not prefixed.match(l)):
            m = ts.search(l, 1)
            if m and l[:m.start()].strip():
                n += 1
    return n

n = bad = 0
files = []
for dp, dns, fns in sorted(os.walk(root)):
    dns.sort()
    for fn in sorted(fns):
        if fn.endswith(('.md', '.tsv', '.sh', '.py')) or 'scripts' in dp:
            continue
        p = os.path.join(dp, fn)
        files.append(p)
        data = open(p, 'rb').read()
        r = subprocess.run([k, '--format=json', p], capture_output=True, timeout=60)
        msgs = 0
        try:
            for l in r.stdout.splitlines():
                if json.loads(l)['type'] == 'message':
                    msgs += 1
        except ValueError as e:
            print('not ok %d - %s: invalid JSON: %s' % (n + 1, p, e))
            n += 1; bad += 1
            continue
        want = expected(p, data)
        n += 1
        if r.returncode != 0 or msgs != want:
            bad += 1
            print('not ok %d - %s: exit %d, %d messages, expected %d' % (n, p, r.returncode, msgs, want))
        else:
            print('ok %d - %s: %d messages' % (n, p, msgs))
if vk:
    r = subprocess.run([vk, '--format=json'] + files, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    n += 1
    if r.returncode != 0:
        bad += 1
        print('not ok %d - valgrind: all %d files in one run: exit %d' % (n, len(files), r.returncode))
        sys.stdout.write(''.join('# ' + l + '\n' for l in r.stderr.decode(errors='replace').splitlines()[:40]))
    else:
        print('ok %d - valgrind: all %d files in one run: exit 0' % (n, len(files)))
print('1..%d' % n)
sys.exit(1 if bad else 0)
PY
