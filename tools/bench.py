#!/usr/bin/env python3
"""tools/bench.py: run Pagoda's benchmarks and collect their figures.

Each benchmark boots the kernel under QEMU with -icount shift=0, so the
guest's TSC counts guest instructions (a 1 GHz virtual clock) and the
figures repeat from run to run. Lines of the form `NAME,figure,value,unit`
are kept: the table goes to the terminal, the lines to OUT/NAME.csv.
Emulator costs (QEMU's own TLB, page walks) are not in these figures.
"""
import argparse
import os
import subprocess
import sys

BENCHES = [("mmbench", "bench=mm harness"), ("fsbench", "bench=fs harness"),
           ("forkbench", 'init="/bin/forkbench copy" fork=copy harness'),
           ("forkbench", 'init="/bin/forkbench share" fork=share harness'),
           ("regionbench", "init=/bin/regionbench harness")]
# forkbench also prints sysbench,... lines; both are kept in forkbench.csv
EXTRA = {"forkbench": ("sysbench",)}


def run(kernel, cmdline, disks, timeout=600):
    cmd = ["qemu-system-i386", "-m", "512", "-icount", "shift=0", "-display", "none",
           "-nic", "none", "-no-reboot", "-serial", "stdio", "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", kernel, "-append", cmdline]
    for i, img in enumerate(disks):     # snapshot=on: the images stay untouched
        cmd += ["-drive", f"file={img},format=raw,if=ide,index={i},snapshot=on"]
    out = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    return out.returncode, out.stdout.decode("utf-8", "replace").replace("\r", "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--out", default="build/bench")
    ap.add_argument("--root", required=True)
    ap.add_argument("--scratch", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    failed = False
    kept = {}
    for name, cmdline in BENCHES:
        status, text = run(args.kernel, cmdline, [args.root, args.scratch])
        prefixes = (name + ",",) + tuple(p + "," for p in EXTRA.get(name, ()))
        rows = [l for l in text.splitlines() if l.startswith(prefixes)]
        table = [l for l in text.splitlines() if l.startswith("  ") or l.startswith(name + ":")]
        print("\n".join(table))
        if status != (0x10 << 1) | 1 or not rows:
            print(f"{name}: failed (QEMU status {status})", file=sys.stderr)
            print(text[-2000:], file=sys.stderr)
            failed = True
            continue
        kept.setdefault(name, []).extend(rows)     # several boots may add to one file
        path = os.path.join(args.out, name + ".csv")
        with open(path, "w") as f:
            f.write("\n".join(kept[name]) + "\n")
        print(f"{name}: {len(rows)} figures in {path}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
