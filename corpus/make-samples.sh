#!/bin/sh
# Re-create corpus/formats/ from this machine's kernel ring buffer.
# Needs root (it writes test records into /dev/kmsg first).  The files in git
# were made by this script on a Debian 12 x86-64 VM (kernel 6.x, util-linux
# 2.38.1) on 2026-11-22; see README.md.
set -eu
cd "$(dirname "$0")/formats"
N=${N:-60}

printf '<4>usb 2-1: new high-speed USB device number 3 using ehci-pci\n' > /dev/kmsg
printf '<6>usb 2-1: New USB device found, idVendor=0781, idProduct=5567, bcdDevice= 1.00\n' > /dev/kmsg
printf '<3>ata1.00: exception Emask 0x0 SAct 0x0 SErr 0x0 action 0x6 frozen\n' > /dev/kmsg
printf '<4>e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx\n' > /dev/kmsg
printf '<2>ktriage-sample: a critical message with a tab\tand an escape \033[31mred\033[0m\n' > /dev/kmsg
printf '<12>ktriage-sample: a user-facility warning\n' > /dev/kmsg

dmesg | tail -n "$N" > dmesg-default.txt
dmesg -r | tail -n "$N" > dmesg-raw.txt
dmesg -T | tail -n "$N" > dmesg-T.txt
dmesg -x | tail -n "$N" > dmesg-x.txt
dmesg --json > dmesg-json.json
# raw read(2)s of /dev/kmsg, one record each, until EAGAIN
python3 - "$N" > kmsg-records.txt <<'PY'
import os, sys
fd = os.open('/dev/kmsg', os.O_RDONLY | os.O_NONBLOCK)
recs = []
while True:
    try:
        recs.append(os.read(fd, 16384))
    except BlockingIOError:
        break
    except BrokenPipeError:
        continue
sys.stdout.buffer.write(b''.join(recs[-int(sys.argv[1]):]))
PY
