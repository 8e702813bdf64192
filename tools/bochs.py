#!/usr/bin/env python3
"""tools/bochs.py: run Pagoda's ISO in Bochs.

Used two ways:
  * `make bochs` runs it interactively: Bochs stops in its debugger before
    the first instruction with the kernel's symbols loaded (ldsym), magic
    breakpoints on (BOCHS_BREAK() in the kernel stops there), and COM1
    written to build/bochs-serial.log.
  * tests/run.py imports write_config() and runs Bochs headless.
"""
import argparse
import os
import shutil
import subprocess
import sys

BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGABIOS = "/usr/share/vgabios/vgabios.bin"
DISK_BYTES = 2 * 16 * 63 * 512   # a geometry Bochs recognises on its own


def write_config(path, iso, serial, mem=64, disk=None, display="term", root=None,
                 scratch=None, swap=None):
    """Write a bochsrc booting iso from the CD, COM1 into serial.

    Disks as in QEMU: root on ata0-master (hda), scratch on ata0-slave (hdb),
    the CD on ata1-master, the boot-options disk on ata1-slave (hdd), the
    swap disk on a third channel, ata2-master (hde: 0x1e8, IRQ 5)."""
    lines = [
        f"megs: {mem}",
        f"romimage: file={BIOS}",
        f"vgaromimage: file={VGABIOS}",
        f"display_library: {display}",
        "boot: cdrom",
        f"ata1-master: type=cdrom, path={os.path.abspath(iso)}, status=inserted",
        f"com1: enabled=1, mode=file, dev={os.path.abspath(serial)}",
        "clock: sync=none, time0=utc",
        "magic_break: enabled=1",
        "log: -",
        "panic: action=fatal",
        "error: action=report",
        "info: action=ignore",
        "debug: action=ignore",
        "port_e9_hack: enabled=1",
        # no sound card to find (ALSA's errors), no PC speaker to beep
        "speaker: enabled=0",
        "plugin_ctrl: speaker=0",
    ]
    if swap:
        lines.append("ata2: enabled=1, ioaddr1=0x1e8, ioaddr2=0x3e0, irq=5")
    for slot, image in (("ata0-master", root), ("ata0-slave", scratch), ("ata1-slave", disk),
                        ("ata2-master", swap)):
        if not image:
            continue
        size = os.path.getsize(image)
        if size % (16 * 63 * 512):
            raise SystemExit(f"{image}: size must be a multiple of 516096 bytes")
        # the geometry given, so that Bochs need not guess it out loud
        lines.append(f"{slot}: type=disk, path={os.path.abspath(image)}, mode=flat, "
                     f"cylinders={size // (16 * 63 * 512)}, heads=16, spt=63")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iso", required=True)
    ap.add_argument("--sym", required=True)
    ap.add_argument("--mem", type=int, default=128)
    ap.add_argument("--disk")
    ap.add_argument("--root")
    ap.add_argument("--scratch")
    ap.add_argument("--swap")
    args = ap.parse_args()
    build = os.path.dirname(os.path.abspath(args.iso))
    rc = os.path.join(build, "bochsrc.txt")
    cmds = os.path.join(build, "bochs-start.rc")
    serial = os.path.join(build, "bochs-serial.log")
    display = "x" if os.environ.get("DISPLAY") else "term"
    write_config(rc, args.iso, serial, args.mem, args.disk, display, args.root, args.scratch,
                 args.swap)
    with open(cmds, "w") as f:
        f.write(f'ldsym global "{os.path.abspath(args.sym)}"\n')
    print(f"bochs: config {rc}; serial output goes to {serial}")
    print("bochs: symbols loaded; type 'c' to boot, Ctrl-C to return to the debugger.")
    print("bochs: see docs/debugging.md for breakpoints and page-table dumps.")
    env = dict(os.environ)
    env.setdefault("TERM", "xterm")
    bochs = shutil.which("bochs-bin") or "bochs"
    sys.exit(subprocess.call([bochs, "-q", "-unlock", "-f", rc, "-rc", cmds], env=env))


if __name__ == "__main__":
    main()
