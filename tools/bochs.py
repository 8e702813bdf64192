#!/usr/bin/env python3
"""tools/bochs.py: run Pagoda's ISO in Bochs.

Used two ways:
  * `make bochs` runs it interactively: Bochs stops in its debugger before
    the first instruction with the kernel's symbols loaded (ldsym), magic
    breakpoints on (BOCHS_BREAK() in the kernel stops there), and COM1
    written to build/bochs-serial.log.
  * tests/run.py imports write_config() and runs Bochs headless, and
    tools/check_transcripts.py types the docs' walkthroughs at the debugger
    through Debugger, a session started the way `make bochs` starts one.
"""
import argparse
import os
import re
import select
import shutil
import subprocess
import sys
import time

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


def make_cfg_disk(workdir, cmdline):
    """An ext2 disk holding /pagoda-boot.cfg, which boot/grub.cfg sources:
    how a run passes a kernel command line through the unchanged ISO."""
    root = os.path.join(workdir, "cfgroot")
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "pagoda-boot.cfg"), "w") as f:
        f.write(f'set pagoda_cmdline="{cmdline}"\n')
    img = os.path.join(workdir, "bootcfg.img")
    with open(img, "wb") as f:
        f.truncate(DISK_BYTES)
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-d", root, img],
                   check=True)
    return img


def make_swap_disk(workdir, mib=64, name="swap.img"):
    """A swap disk as `make` makes build/swap.img: mib MiB (SWAP_MB), cut to
    whole Bochs cylinders, made by mkswap. (Also for tests/run.py and
    tools/bench.py: one recipe for every emulator run.)"""
    img = os.path.join(workdir, name)
    with open(img, "wb") as f:
        f.truncate(mib * 1048576 // 516096 * 516096)
    mkswap = shutil.which("mkswap", path="/usr/sbin:/sbin:" + os.environ.get("PATH", ""))
    subprocess.run([mkswap or "mkswap", "-q", img], check=True, capture_output=True)
    return img


# QEMU's arguments for a swap disk as hde, on a third IDE channel, as make qemu has it
def qemu_swap_args(img):
    return ["-device", "isa-ide,iobase=0x1e8,iobase2=0x3e6,irq=5,id=ide2",
            "-drive", f"file={img},format=raw,if=none,id=swapdisk,cache=unsafe",
            "-device", "ide-hd,drive=swapdisk,bus=ide2.0"]


def write_start_rc(path, sym):
    """The commands Bochs runs before its first prompt: load the symbols."""
    with open(path, "w") as f:
        f.write(f'ldsym global "{os.path.abspath(sym)}"\n')


PROMPT = re.compile(rb"<bochs:(\d+)> $")
LOGLINE = re.compile(r"^\d{11}[a-z]\[")	# Bochs's own log, not the debugger's


class Debugger:
    """Bochs stopped at its debugger's prompt, its input a pipe: type() a
    command, get back what it printed. Everything goes in workdir.

    start() returns what Bochs printed before its first prompt; type(cmd)
    returns (number of the prompt cmd was typed at, output lines without
    the echo of cmd and without Bochs's log lines), or None once Bochs has
    gone (the guest switched the machine off) or stopped answering."""

    def __init__(self, workdir, iso, sym, mem=128, root=None, scratch=None, disk=None,
                 swap=None, timeout=120):
        self.rc = os.path.join(workdir, "bochsrc.txt")
        self.start_rc = os.path.join(workdir, "bochs-start.rc")
        self.serial = os.path.join(workdir, "bochs-serial.log")
        self.timeout = timeout
        write_config(self.rc, iso, self.serial, mem, disk, "term", root, scratch, swap)
        write_start_rc(self.start_rc, sym)
        self.proc = None
        self.prompt = None
        self.transcript = b""

    def start(self):
        self.proc = subprocess.Popen(
            [shutil.which("bochs-bin") or "bochs", "-q", "-unlock", "-f", self.rc,
             "-rc", self.start_rc],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=dict(os.environ, TERM="dumb"), start_new_session=True)
        text = self._read()
        return None if text is None else self._lines(text)

    def _read(self):
        """Output up to the next prompt (and note its number), or None."""
        out, deadline = b"", time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            m = PROMPT.search(out)
            if m:
                self.prompt = int(m.group(1))
                self.transcript += out
                return out[:m.start()].decode("utf-8", "replace")
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                out += chunk
        self.transcript += out
        self.prompt = None
        return None

    @staticmethod
    def _lines(text):
        return [x for x in text.replace("\r", "").split("\n") if not LOGLINE.match(x)]

    def type(self, cmd):
        if self.prompt is None:
            return None
        number = self.prompt
        try:
            self.proc.stdin.write(cmd.encode() + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        text = self._read()
        if text is None:
            return None
        lines = self._lines(text)
        if lines and lines[0].strip() == cmd.strip():
            lines = lines[1:]		# the echo of what was typed
        if lines and not lines[-1].strip():
            lines = lines[:-1]		# the end of the line before the prompt
        return number, lines

    def close(self):
        """quit, or kill (the term display ignores SIGTERM)."""
        if self.proc is None:
            return
        if self.prompt is not None:
            try:
                self.proc.stdin.write(b"quit\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=10)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.transcript += self.proc.stdout.read() or b""


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
    write_start_rc(cmds, args.sym)
    print(f"bochs: config {rc}; serial output goes to {serial}")
    print("bochs: symbols loaded; type 'c' to boot, Ctrl-C to return to the debugger.")
    print("bochs: see docs/debugging.md for breakpoints and page-table dumps.")
    env = dict(os.environ)
    env.setdefault("TERM", "xterm")
    bochs = shutil.which("bochs-bin") or "bochs"
    sys.exit(subprocess.call([bochs, "-q", "-unlock", "-f", rc, "-rc", cmds], env=env))


if __name__ == "__main__":
    main()
