#!/bin/sh
# Real-kernel symbolization test ('make check-real', not part of 'make check').
#
# Runs ktriage --vmlinux on every ../shared/corpus/real-debian-6.1/*.log (Debian's
# linux-image-6.1.0-56-cloud-amd64 6.1.192-2) and checks every vmlinux frame
# against answers.tsv: at_pc for faulting frames (rows seen only as RIP/pc or
# inside a WARNING line), at_pc_minus_1 for return addresses (rows seen in a
# call trace).  Module frames are checked too when lkdtm.ko is given with
# KTRIAGE_LKDTM_DIR (it is not shipped by Debian).
#
# Needs the debug vmlinux: scripts/get-debian-vmlinux.sh downloads the 283 MB
# package once into $KTRIAGE_CACHE (default ~/.cache/ktriage); set
# KTRIAGE_REAL_FETCH=1 to let this test run it, or KTRIAGE_VMLINUX=PATH to use
# a vmlinux you already have.  Skips (exit 77) with the reason otherwise.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
KTRIAGE=${KTRIAGE:-$top_srcdir/src/ktriage}
corpus=${KTRIAGE_REAL_CORPUS:-$top_srcdir/../shared/corpus/real-debian-6.1}

if [ ! -f "$corpus/answers.tsv" ]; then
	echo "1..0 # SKIP no real-kernel corpus at $corpus (answers.tsv)"
	exit 77
fi
vmlinux=${KTRIAGE_VMLINUX:-}
if [ -z "$vmlinux" ]; then
	vmlinux=$("$top_srcdir/scripts/get-debian-vmlinux.sh" --print 2>/dev/null) || vmlinux=
	if [ -z "$vmlinux" ] && [ "${KTRIAGE_REAL_FETCH:-0}" = 1 ]; then
		vmlinux=$("$top_srcdir/scripts/get-debian-vmlinux.sh") || vmlinux=
	fi
fi
if [ -z "$vmlinux" ] || [ ! -f "$vmlinux" ]; then
	echo "1..0 # SKIP no debug vmlinux: run scripts/get-debian-vmlinux.sh (283 MB download)" \
		"or set KTRIAGE_VMLINUX=PATH or KTRIAGE_REAL_FETCH=1"
	exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 missing"; exit 77; }

exec python3 - "$KTRIAGE" "$vmlinux" "$corpus" "${KTRIAGE_LKDTM_DIR:-}" <<'PY'
import glob, json, os, subprocess, sys

ktriage, vmlinux, corpus, lkdtm = sys.argv[1:5]
answers = {}
with open(os.path.join(corpus, 'answers.tsv'), encoding='utf-8') as f:
    for line in f:
        if line.startswith('#') or line.startswith('frame\t'):
            continue
        c = line.rstrip('\n').split('\t')
        if len(c) < 9:
            continue
        answers[(c[0], c[1])] = {'kinds': set(c[2].split(',')), 'pc': c[7], 'pc1': c[8]}

def chain(fr):
    parts = ['%s@%s:%d' % (i['func'], i['file'], i['line']) for i in fr['inlined']]
    parts.append('%s@%s:%d' % (fr['func'], fr['file'], fr['line']))
    return ' <- '.join(parts)

n = 0
bad = 0
seen = {}
for log in sorted(glob.glob(os.path.join(corpus, '*.log'))):
    args = [ktriage, '--format=json', '--vmlinux=' + vmlinux, log]
    if lkdtm:
        args.insert(2, '--modules=' + lkdtm)
    r = subprocess.run(args, capture_output=True, timeout=300)
    total = matched = 0
    problems = []
    for l in r.stdout.splitlines():
        o = json.loads(l)
        if o['type'] != 'report':
            continue
        for fr in o['frames']:
            if not fr['func'] or (fr['module'] and not lkdtm):
                continue
            key = ('%s+%s/%s' % (fr['func'], fr['offset'], fr['size']), fr['module'] or '')
            a = answers.get(key)
            if a is None or not a['pc']:
                continue
            total += 1
            if 'trace' in a['kinds'] and a['kinds'] & {'rip', 'inline-text'}:
                want = {a['pc'], a['pc1']}
            elif 'trace' in a['kinds']:
                want = {a['pc1']}
            else:
                want = {a['pc']}
            got = chain(fr) if fr['file'] else '@:0'
            if want and all(w.startswith('@') for w in want) and got.startswith(fr['func'] + '@'):
                # the answer names no function (an address in the padding
                # after a function): compare the location only
                got = got[len(fr['func']):]
            if fr.get('symbolize_warning'):
                got += ' [%s]' % fr['symbolize_warning']
            if got in want:
                matched += 1
                seen[key] = True
            else:
                seen.setdefault(key, False)
                problems.append('%s: got %s, want %s' % (key[0], got, ' | '.join(sorted(want))))
    n += 1
    name = os.path.basename(log)
    if r.returncode not in (0, 1) or total == 0 or matched != total:
        bad += 1
        print('not ok %d - %s: %d/%d frames match (exit %d)' % (n, name, matched, total, r.returncode))
        for p in sorted(set(problems))[:20]:
            print('#   ' + p)
        for e in r.stderr.decode(errors='replace').splitlines()[:5]:
            print('#   stderr: ' + e)
    else:
        print('ok %d - %s: %d/%d frames match' % (n, name, matched, total))
vm_rows = [k for k, v in answers.items() if not k[1] and v['pc']]
n += 1
missing = [k[0] for k in vm_rows if k not in seen]
distinct_ok = sum(1 for k in vm_rows if seen.get(k))
print('%s %d - distinct vmlinux frames: %d/%d matched, %d not seen in any report%s' % (
    'ok' if distinct_ok + len(missing) == len(vm_rows) else 'not ok', n, distinct_ok,
    len(vm_rows), len(missing), (': ' + ', '.join(missing[:8])) if missing else ''))
if distinct_ok + len(missing) != len(vm_rows):
    bad += 1
print('1..%d' % n)
sys.exit(1 if bad else 0)
PY
