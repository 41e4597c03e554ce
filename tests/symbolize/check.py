#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Symbolizer golden checks against addr2line -i and eu-addr2line -i.

usage: check.py KTRIAGE BUILD_DIR
Writes crash logs whose frames point into BUILD_DIR/vmlinux and
BUILD_DIR/mods/test-mod.ko (return addresses after every call, a faulting
pc, duplicate static names, a module), runs ktriage on them and compares
every frame's file:line:column and inline chain with the binutils and
elfutils tools run on the same addresses.  Prints TAP."""
import json, os, re, shutil, subprocess, sys

kt, B = sys.argv[1], sys.argv[2]
VM = os.path.join(B, 'vmlinux')
MODDIR = os.path.join(B, 'mods')
MOD = os.path.join(MODDIR, 'test-mod.ko')
SRC = os.path.join(B, 'src') + '/'
n = 0
bad = 0


def tap(ok, msg, detail=()):
    global n, bad
    n += 1
    if not ok:
        bad += 1
    print('%s %d - %s' % ('ok' if ok else 'not ok', n, msg))
    for d in list(detail)[:30]:
        print('#   ' + d)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kw)


def symbols(path, text_section='.text'):
    """name -> [(start, kallsyms_size, elf_size)], from nm -n -S."""
    out = run(['nm', '-n', '-S', '--defined-only', path]).stdout.split('\n')
    rows = []
    for l in out:
        p = l.split()
        if len(p) == 4 and p[2] in 'tTwW':
            rows.append((int(p[0], 16), int(p[1], 16), p[3]))
        elif len(p) == 3 and p[1] in 'tTwW':
            rows.append((int(p[0], 16), 0, p[2]))
    res = {}
    for i, (a, sz, name) in enumerate(rows):
        nxt = [r[0] for r in rows[i + 1:] if r[0] > a]
        ks = (nxt[0] - a) if nxt else sz
        res.setdefault(name, []).append((a, ks, sz))
    return res


def calls(path, func_ranges):
    """return addresses (after each call insn) per function, from objdump."""
    out = run(['objdump', '-d', '--no-show-raw-insn', path]).stdout
    rets = {}
    insns = []
    for l in out.split('\n'):
        m = re.match(r'\s*([0-9a-f]+):\s+(\S+)', l)
        if m:
            insns.append((int(m.group(1), 16), m.group(2)))
    for i, (a, op) in enumerate(insns):
        if op.startswith('call') and i + 1 < len(insns):
            rets.setdefault(a, insns[i + 1][0])
    return rets, [a for a, _ in insns]


def addr2line_chain(path, addr, section=None):
    """[(func, 'file:line')] innermost first, binutils addr2line -i -f."""
    args = ['addr2line', '-i', '-f', '-e', path]
    if section:
        args += ['-j', section]
    out = run(args + ['%x' % addr]).stdout.strip().split('\n')
    res = []
    for f, loc in zip(out[0::2], out[1::2]):
        loc = re.sub(r' \(discriminator \d+\)', '', loc)
        res.append((f, loc.replace(SRC, '')))
    return res


def eu_chain(path, addr):
    """[(func, 'file:line:col')] from eu-addr2line -i -f (None if absent)."""
    if not shutil.which('eu-addr2line'):
        return None
    out = run(['eu-addr2line', '-i', '-f', '-e', path, '%x' % addr]).stdout.strip().split('\n')
    res = []
    for f, loc in zip(out[0::2], out[1::2]):
        res.append((f.split()[0], loc.replace(SRC, '')))
    return res


def my_chain(fr, with_col=False):
    ent = [(i['func'], i['file'], i['line'], i.get('column')) for i in fr['inlined']]
    ent.append((fr['func'], fr['file'], fr['line'], fr.get('column')))
    out = []
    for f, file, line, col in ent:
        loc = '%s:%d' % (file, line)
        if with_col and col:
            loc += ':%d' % col
        out.append((f, loc))
    return out


def ktriage(log, *extra):
    r = run([kt, '--format=json', '--color=never'] + list(extra) + [log])
    reps = [json.loads(l) for l in r.stdout.split('\n') if l.startswith('{')]
    return r, [o for o in reps if o['type'] == 'report'], [o for o in reps if o['type'] == 'symbolizer']


HEADER = """[    1.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000
[    1.000001] #PF: supervisor write access in kernel mode
[    1.000002] Oops: 0002 [#1] PREEMPT SMP NOPTI
[    1.000003] CPU: 0 PID: 1 Comm: sh Not tainted %s #1
[    1.000004] Hardware name: ktriage test machine
"""


def write_log(path, release, rip, frames):
    with open(path, 'w') as f:
        f.write(HEADER % release)
        if rip:
            f.write('[    1.000005] RIP: 0010:%s\n' % rip)
        f.write('[    1.000006] Call Trace:\n[    1.000006]  <TASK>\n')
        for fr in frames:
            f.write('[    1.000007]  %s\n' % fr)
        f.write('[    1.000008]  </TASK>\n[    1.000009] ---[ end trace 0000000000000000 ]---\n')


vs = symbols(VM)
rets, insns = calls(VM, vs)
# every return address inside the test functions, as func+off/size
frames, expect = [], []
for name in ('kern_a_entry', 'kern_b_entry', 'helper', 'kern_fault'):
    for start, ks, es in vs.get(name, []):
        for ca, ra in sorted(rets.items()):
            if start <= ca < start + ks:
                frames.append('%s+0x%x/0x%x' % (name, ra - start, ks))
                expect.append(ra - 1)
# the faulting pc: the store in kern_fault
kf_start, kf_size, _ = vs['kern_fault'][0]
pc = [a for a in insns if kf_start < a < kf_start + kf_size][2]
rip = 'kern_fault+0x%x/0x%x' % (pc - kf_start, kf_size)

log = os.path.join(B, 'oops.log')
write_log(log, '9.9.9-test', rip, frames)
r, reps, msgs = ktriage(log, '--vmlinux=' + VM)
tap(r.returncode in (0, 1) and len(reps) == 1, 'one report, exit %d' % r.returncode,
    r.stderr.split('\n'))
got = reps[0]['frames'] if reps else []
fr_by_text = {}
for fr in got:
    fr_by_text.setdefault('%s+%s/%s' % (fr['func'], fr['offset'], fr['size']), fr)

# 1. the faulting pc is looked up at pc itself
ipf = [fr for fr in got if fr['func'] == 'kern_fault' and int(fr['offset'], 16) == pc - kf_start]
want = addr2line_chain(VM, pc)
tap(ipf and my_chain(ipf[0]) == want, 'RIP frame at pc: %s' % want,
    ['got %s' % (my_chain(ipf[0]) if ipf else None)])

# 2. every return address, against addr2line -i and eu-addr2line -i (column too)
diff_bin, diff_eu, inl = [], [], 0
eu_avail = shutil.which('eu-addr2line') is not None
for text, addr in zip(frames, expect):
    fr = fr_by_text.get(text)
    if not fr or not fr['file']:
        diff_bin.append('%s: not symbolized' % text)
        continue
    w = addr2line_chain(VM, addr)
    if my_chain(fr) != w:
        diff_bin.append('%s: got %s, addr2line %s' % (text, my_chain(fr), w))
    e = eu_chain(VM, addr)
    if e is not None and my_chain(fr, True) != e:
        diff_eu.append('%s: got %s, eu-addr2line %s' % (text, my_chain(fr, True), e))
    inl += len(fr['inlined'])
tap(not diff_bin and len(frames) >= 6, '%d return-address frames match addr2line -i' % len(frames),
    diff_bin)
if eu_avail:
    tap(not diff_eu, 'file:line:column chains match eu-addr2line -i', diff_eu)
else:
    tap(True, 'eu-addr2line not installed # SKIP')
tap(inl >= 3, 'inline chains present (%d inlined entries)' % inl)

# 3. duplicate static names: each helper resolves into its own file
helpers = [fr for fr in got if fr['func'] == 'helper']
files = sorted(set(fr['file'] for fr in helpers))
tap(files == ['kernel/kern-a.c', 'kernel/kern-b.c'] and
    all(not fr.get('symbolize_warning') for fr in helpers),
    'static helper() in two files told apart by size: %s' % files)

# 4. text output: location on the frame line, then (inlined by) lines
r2 = run([kt, '--format=text', '--color=never', '--vmlinux=' + VM, log])
tap('(inlined by) ' in r2.stdout and 'kernel/kern-a.c:' in r2.stdout,
    'text output has file:line and (inlined by) lines', r2.stdout.split('\n')[-25:])
tap(("symbolizing with '%s'" % VM) in r2.stderr, 'text mode names the vmlinux on stderr',
    r2.stderr.split('\n'))
tap(any(m['vmlinux'] == VM for m in msgs), 'JSON mode has a symbolizer object naming it')

# 5. --strip-prefix overrides the automatic choice
r3, reps3, _ = ktriage(log, '--vmlinux=' + VM, '--strip-prefix=' + B)
f3 = [fr['file'] for fr in reps3[0]['frames'] if fr['file']] if reps3 else []
tap(f3 and all(f.startswith('src/') for f in f3), '--strip-prefix=%s gives src/...' % B,
    f3[:3])

# 6. the module: a relocatable object found by name (- and _ alike)
ms = symbols(MOD)
mrets, _ = calls(MOD, ms)
mframes, mexp = [], []
for name in ('mod_entry', 'mod_work'):
    start, ks, es = ms[name][0]
    for ca, ra in sorted(mrets.items()):
        if start <= ca < start + ks:
            mframes.append('%s+0x%x/0x%x [test_mod]' % (name, ra - start, ks))
            mexp.append(ra - 1)
mlog = os.path.join(B, 'mod.log')
write_log(mlog, '9.9.9-test', None, mframes + frames[:2])
r4, reps4, _ = ktriage(mlog, '--vmlinux=' + VM, '--modules=' + MODDIR)
d = []
mf = [fr for fr in (reps4[0]['frames'] if reps4 else []) if fr['module']]
for fr, addr in zip(mf, mexp):
    w = addr2line_chain(MOD, addr, '.text')
    if not fr['file'] or my_chain(fr) != w:
        d.append('%s+%s: got %s, addr2line -j .text %s' % (fr['func'], fr['offset'],
                                                            my_chain(fr) if fr['file'] else None, w))
tap(len(mf) == len(mframes) >= 2 and not d, '%d module frames match addr2line -j .text' % len(mf),
    d + r4.stderr.split('\n'))

# 7. compressed modules (libdwfl decompresses what it was built with)
for ext, tool in (('.xz', ['xz', '-k']), ('.gz', ['gzip', '-k']), ('.zst', ['zstd', '-q'])):
    cdir = os.path.join(B, 'mods' + ext.replace('.', '-'))
    os.makedirs(cdir, exist_ok=True)
    dst = os.path.join(cdir, 'test-mod.ko')
    shutil.copy(MOD, dst)
    if not shutil.which(tool[0]) or run(tool + [dst]).returncode != 0:
        tap(True, 'module%s: %s not installed # SKIP' % (ext, tool[0]))
        continue
    os.unlink(dst)
    r5, reps5, _ = ktriage(mlog, '--vmlinux=' + VM, '--modules=' + cdir)
    ok5 = [fr for fr in (reps5[0]['frames'] if reps5 else []) if fr['module'] and fr['file']]
    if ok5:
        tap(len(ok5) == len(mframes), 'test-mod.ko%s resolves' % ext)
    else:
        tap(r5.returncode in (0, 1, 2) and 'test-mod.ko' + ext in r5.stderr,
            'test-mod.ko%s: not readable by this libdwfl, and said so' % ext,
            r5.stderr.split('\n'))

# 8. mismatches: wrong size, offset beyond the symbol, unknown function/module
hs, hks, _ = vs['helper'][0]
odd = ['helper+0x4/0x%x' % (hks + 0x100), 'kern_fault+0x900/0x%x' % kf_size,
       'no_such_function+0x1/0x10', 'foo+0x1/0x2 [no_such_module]'] + frames[:4]
olog = os.path.join(B, 'odd.log')
write_log(olog, '9.9.9-test', None, odd)
r6, reps6, m6 = ktriage(olog, '--vmlinux=' + VM, '--modules=' + MODDIR)
fs = reps6[0]['frames'] if reps6 else []
w = {'%s+%s' % (fr['func'], fr['offset']): fr.get('symbolize_warning') for fr in fs}
tap(r6.returncode in (0, 1) and 'size' in (w.get('helper+0x4') or '') and
    'beyond' in (w.get('kern_fault+0x900') or '') and
    'not found' in (w.get('no_such_function+0x1') or '') and
    not any(w.get(f.split('/')[0]) for f in frames[:4]),
    'size mismatch, offset beyond the end, unknown function: marked per frame',
    ['%s: %s' % kv for kv in w.items()] + r6.stderr.split('\n'))
tap("module 'no_such_module' not found" in ' '.join(m['message'] for m in m6),
    'unknown module: one message')

# 9. the log is of another release than the vmlinux: loud warning, frames unreliable
wlog = os.path.join(B, 'wrong.log')
write_log(wlog, '9.9.8-other', rip, frames[:4])
r7, reps7, _ = ktriage(wlog, '--format=text', '--vmlinux=' + VM)
r7j, reps7j, _ = ktriage(wlog, '--vmlinux=' + VM)
fs = reps7j[0]['frames'] if reps7j else []
tap('warning:' in r7.stderr and '9.9.8-other' in r7.stderr and fs and
    all(fr.get('symbolize_warning') for fr in fs if fr['file']),
    'release mismatch: warning on stderr, frames marked', r7.stderr.split('\n'))

# 10. module of another release (vermagic)
rlog = os.path.join(B, 'modrel.log')
write_log(rlog, '9.9.7-old', None, mframes[:1])
r8, reps8, _ = ktriage(rlog, '--vmlinux=' + VM, '--modules=' + MODDIR)
tap("is for kernel 9.9.9-test" in r8.stderr, 'module directory of another release: warning',
    r8.stderr.split('\n'))

# 11. vmlinux found from the release under a fake root (KTRIAGE_ROOT is not an
# option: the search paths are checked with --vmlinux absent and none found)
r9 = run([kt, '--format=text', '--color=never', log])
tap(r9.returncode in (0, 1) and 'no vmlinux with debug info found for kernel 9.9.9-test' in r9.stderr
    and '/usr/lib/debug/boot/vmlinux-9.9.9-test' in r9.stderr,
    'no vmlinux found: one clear message, output unsymbolized', r9.stderr.split('\n'))

# 12. --no-symbolize opens nothing
r10 = run([kt, '--format=json', '--no-symbolize', '--vmlinux=/nonexistent', log])
tap(r10.returncode in (0, 1) and not r10.stderr and '"file":null' in r10.stdout,
    '--no-symbolize: nothing opened', r10.stderr.split('\n'))

print('1..%d' % n)
sys.exit(1 if bad else 0)
