#!/usr/bin/env python3
"""avr_size_check.py - print the firmware's flash and RAM use and fail the
build when it is over budget.

    avr_size_check.py AVR_SIZE FIRMWARE.elf OUT.txt --flash-max N --ram-max N

Flash is .text + .data (the initial values of .data live in flash too);
static RAM is .data + .bss + .noinit.  The stack is not counted: it is what
is left of the 2 KiB of the ATmega328P, which is why static RAM is capped
well below it.
"""
import argparse
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('avr_size')
    ap.add_argument('elf')
    ap.add_argument('out')
    ap.add_argument('--flash-max', type=int, required=True)
    ap.add_argument('--ram-max', type=int, required=True)
    a = ap.parse_args()

    berkeley = subprocess.run([a.avr_size, a.elf], check=True,
                              capture_output=True, text=True).stdout
    sys.stdout.write(berkeley)
    text = subprocess.run([a.avr_size, '-A', a.elf], check=True,
                          capture_output=True, text=True).stdout
    sec = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith('.') and parts[1].isdigit():
            sec[parts[0]] = int(parts[1])
    flash = sec.get('.text', 0) + sec.get('.data', 0)
    ram = sec.get('.data', 0) + sec.get('.bss', 0) + sec.get('.noinit', 0)
    report = ('bridgemon firmware: flash %d of %d bytes budget (%.1f %%), '
              'static RAM %d of %d bytes budget (%.1f %%) '
              '[.text %d .data %d .bss %d .noinit %d]\n' % (
                  flash, a.flash_max, 100.0 * flash / a.flash_max,
                  ram, a.ram_max, 100.0 * ram / a.ram_max,
                  sec.get('.text', 0), sec.get('.data', 0),
                  sec.get('.bss', 0), sec.get('.noinit', 0)))
    sys.stdout.write(report)
    ok = flash <= a.flash_max and ram <= a.ram_max
    if not ok:
        sys.stderr.write('avr_size_check: firmware over budget (flash <= %d, '
                         'static RAM <= %d bytes)\n' % (a.flash_max, a.ram_max))
        return 1
    with open(a.out, 'w') as f:
        f.write(report)
    return 0


if __name__ == '__main__':
    sys.exit(main())
