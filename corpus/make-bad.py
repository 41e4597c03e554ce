#!/usr/bin/env python3
"""Write corpus/bad/: small hostile or broken inputs, one per case.

Run from anywhere; rewrites the files in corpus/bad/.  The big cases (a 10 MB
line, endless input) are generated at test time by tests/bad-input.sh."""
import os
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'bad')
os.makedirs(d, exist_ok=True)

def w(name, data):
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)

w('empty.txt', b'')
w('binary-nul.bin', bytes(range(256)) + b'\n[    1.000000] after\x00the NUL\n\x00\x00\x00\n\xff\xfe\xfd')
w('cr-only.txt', b'[    0.100000] first line\r[    0.200000] second line\r[    0.300000] third line\r')
w('crlf.txt', b'[    0.100000] first line\r\n[    0.200000] second line\r\n')
w('truncated-last-line.txt', b'[    1.000000] complete line\n[    2.000000] cut off in the midd')
w('invalid-utf8.txt',
  b'[    1.000000] latin-1 caf\xe9 and a lone continuation \x80 byte\n'
  b'[    1.000001] overlong \xc0\xaf slash, surrogate \xed\xa0\x80, valid \xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7\n'
  b'[    1.000002] truncated sequence at end \xe2\x82\n')
w('escapes.txt',
  b'[    1.000000] usb 1-1: Product: \x1b]0;pwned title\x07evil\n'
  b'[    1.000001] usb 1-1: Manufacturer: bell\x07 backspace\x08\x08 del\x7f\n'
  b'[    1.000002] usb 1-1: SerialNumber: bidi \xe2\x80\xaeevil\xe2\x80\xac and C1 \xc2\x9b31m\n'
  b'7,10,1000003,-;usb 1-1: kmsg-escaped \\x1b[2J clear and \\x1b]2;title\\x07\n'
  b'[    1.000004] lone ESC \x1b at the end \x1b')
w('kmsg-bad-header.txt',
  b'6,100,5000000,-;good record\n'
  b' SUBSYSTEM=usb\n'
  b' DEVICE=c189:1\n'
  b'6,abc,5000001,-;bad sequence number\n'
  b'99999,101,5000002,-;priority out of range\n'
  b'6,102,5000003;missing flags\n'
  b'6,103,5000004,c;continuation fragment\n'
  b' KEY=value with no record before is attached\n'
  b'4,105,5000005,-;after a gap of one\n')
w('reboot.txt',
  b'[    0.000000] Linux version 6.1.0 (first boot)\n'
  b'[  100.000000] reboot: Restarting system\n'
  b'[    0.000000] Linux version 6.1.0 (second boot)\n'
  b'[    5.000000] systemd[1]: started\n')
w('mixed.txt',
  b'<3>[    1.000000] raw priority line\n'
  b'[    1.100000][  T123] dmesg with caller\n'
  b'[T7] caller without time\n'
  b'[    1.200000] [ C1] caller after a space is text\n'
  b'kern  :warn  : [    1.300000] dmesg -x line\n'
  b'[Sun Nov 22 14:10:19 2026] dmesg -T line\n'
  b'Nov 22 15:49:29 vm kernel: [    1.400000] rfc3164 kernel line\n'
  b'Nov  2 01:02:03 vm sshd[4242]: Accepted publickey for root\n'
  b'2026-11-22T15:49:29.794944+01:00 vm kernel: [    1.500000] rfc3339 kernel line\n'
  b'<6>1 2026-11-22T15:49:29.794944Z vm kernel - - - [    1.600000] rfc5424 line\n'
  b'<30>1 2026-11-22T15:49:29.8Z vm systemd 1 - [meta x="1"] rfc5424 non-kernel\n'
  b'[    1.700000] vm kernel: journalctl short-monotonic\n'
  b'{"MESSAGE":"journal json","PRIORITY":"3","_TRANSPORT":"kernel","__MONOTONIC_TIMESTAMP":"1800000","__REALTIME_TIMESTAMP":"1763800000000000","_HOSTNAME":"vm"}\n'
  b'{"MESSAGE":[104,105,255],"PRIORITY":"6","_TRANSPORT":"kernel"}\n'
  b'6,9,1900000,-;kmsg record line\n'
  b'Booting from ROM...\n'
  b'   \n'
  b'a line that lost its prefix\n')
