#!/usr/bin/env python3
"""tools/bench.py: run Pagoda's benchmarks and collect their figures.

Each benchmark boots the kernel under QEMU with -icount shift=0, so the
guest's TSC counts guest instructions (a 1 GHz virtual clock), and the
benchmarks count busy cycles (the TSC less the time the guest sat halted,
which is host time: how long the host took over a disk request). Each is
booted --repeats times (3); a figure is the median over the boots, and its
spread ((max - min) / median) must stay within 1% (fsbench: 5%), or the
figure is reported as unstable and make bench fails. Lines of the form
`NAME,figure,...,value,...` are kept: the table of the first boot goes to
the terminal, the median lines to OUT/NAME.csv, the spreads to
OUT/spread.csv. Emulator costs (QEMU's own TLB, page walks) are not in
these figures.

Then reclaimbench, once, in 16 MiB of RAM with a swap disk: its figures
are fault counts, which depend on when the reclaim thread runs (and so on
host time), so they are neither repeated nor given a spread;
tools/minfaults.py sets them against Belady's MIN and LRU and judges the
page-replacement targets (docs/reclaim.md). make bench fails if one is
missed.

Then dcachebench, once, in 32 MiB with a swap disk: the dentry cache under
a memory hog for the three shrink policies (lru, relocate, both); also
timing-dependent, so one boot. tools/dcachebench.py prints its table and
judges part G's targets (docs/slab-relocation.md); its console output, slab
maps included, is kept in OUT/dcachebench.txt.

Then wsbench, once: an executable's start-up from a cold cache without a
working-set bitmap, with a fresh one, a stale one, and for a program with
two modes under the aging policy; tools/wsbench.py models the disk time
from the request trace and judges part H's targets (docs/working-set.md).

Then manyproc, in two boots: what 0 to 10,000 sleeping processes cost the
others (and what 1,000 that also write their data cost), and how many fit
in 160 MiB; tools/manyproc.py judges part I's
targets (docs/processes.md).
"""
import argparse
import os
import subprocess
import sys

import bochs

BENCHES = [("mmbench", "bench=mm harness"), ("fsbench", "bench=fs harness"),
           ("forkbench", 'init="/bin/forkbench copy" fork=copy harness'),
           ("forkbench", 'init="/bin/forkbench share" fork=share harness'),
           ("regionbench", "init=/bin/regionbench harness")]
# MiB of guest RAM: forkbench's 256 MiB child that writes every page needs
# a copy of the parent's 256 MiB beside it
MEM = {"forkbench": 768}
# forkbench also prints sysbench,... lines; both are kept in forkbench.csv
EXTRA = {"forkbench": ("sysbench",)}


def run(kernel, cmdline, disks, timeout=600, mem=512, extra=()):
    cmd = ["qemu-system-i386", "-m", str(mem), "-icount", "shift=0", "-display", "none",
           "-nic", "none", "-no-reboot", "-serial", "stdio", "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", kernel, "-append", cmdline]
    for i, img in enumerate(disks):     # snapshot=on: the images stay untouched
        cmd += ["-drive", f"file={img},format=raw,if=ide,index={i},snapshot=on"]
    cmd += list(extra)
    out = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    return out.returncode, out.stdout.decode("utf-8", "replace").replace("\r", "")


# which field of a figure's CSV line holds its value; the rest name it
VALUE_FIELD = {"forkbench": 5, "regionbench": 3, "sysbench": 2, "mmbench": 2, "fsbench": 2}
# how far apart the runs of one figure may be, as a fraction of their median
LIMIT = {"fsbench": 0.05}
DEFAULT_LIMIT = 0.01


def combine(runs):
    """Lines from each run -> (lines with each value the median over the runs,
    [(figure, spread, limit)]). Spread is (max - min) / median."""
    values, order, lines = {}, [], {}
    for rows in runs:
        for line in rows:
            f = line.split(",")
            i = VALUE_FIELD[f[0]]
            key = tuple(f[:i] + f[i + 1:])
            if key not in values:
                order.append(key)
                lines[key] = (f, i)
            values.setdefault(key, []).append(int(f[i]))
    out, spreads = [], []
    for key in order:
        v = sorted(values[key])
        med = v[len(v) // 2]
        f, i = lines[key]
        out.append(",".join(f[:i] + [str(med)] + f[i + 1:]))
        spread = (v[-1] - v[0]) / med if med else 0.0
        spreads.append((",".join(key), spread, LIMIT.get(f[0], DEFAULT_LIMIT), len(v)))
    return out, spreads


RECLAIM_MEM = 16        # MiB of guest RAM for reclaimbench: its patterns are sized from it
SWAP_MB = 64


def reclaim_bench(args):
    """reclaimbench, one boot (fault counts depend on when the reclaim thread
    runs, which host time moves: no repeats, no spread), then MIN and LRU for
    the same sequences (tools/minfaults.py). True if it ran and met its targets."""
    extra = bochs.qemu_swap_args(bochs.make_swap_disk(args.out, SWAP_MB))
    status, text = run(args.kernel, "init=/bin/reclaimbench harness", [args.root, args.scratch],
                       timeout=1800, mem=RECLAIM_MEM, extra=extra)
    lines = text.splitlines()
    print("\n".join(l for l in lines if l.startswith("  ") or l.startswith("reclaimbench:")))
    rows = [l for l in lines if l.startswith("reclaimbench,")]
    if status != (0x10 << 1) | 1 or len(rows) != 3:
        print(f"reclaimbench: failed (QEMU status {status})", file=sys.stderr)
        print(text[-2000:], file=sys.stderr)
        return False
    path = os.path.join(args.out, "reclaimbench.csv")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    print(f"reclaimbench: one boot with {RECLAIM_MEM} MiB of RAM; figures in {path}")
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "minfaults.py")
    r = subprocess.run([sys.executable, tool, path], capture_output=True, text=True)
    out = r.stdout.splitlines()
    print("\n".join(l for l in out if not l.startswith("minfaults,")))
    with open(os.path.join(args.out, "minfaults.csv"), "w") as f:
        f.write("\n".join(l for l in out if l.startswith("minfaults,")) + "\n")
    return r.returncode == 0


DCACHE_MEM = 32         # MiB of guest RAM for dcachebench
DCACHE_HOG = 28         # MiB the hog takes: enough to prune most of 10,000 dentries, not all


def boot_once(args, name, cmd, path, mem, extra=()):
    """Boot init=cmd once, keep the console in path; False (and the end of
    the console on stderr) unless it ended as the harness says it should."""
    status, text = run(args.kernel, f'init="{cmd}" harness', [args.root, args.scratch],
                       timeout=1800, mem=mem, extra=extra)
    with open(path, "w") as f:
        f.write(text)
    if status != (0x10 << 1) | 1:
        print(f"{name}: {cmd} failed (QEMU status {status})", file=sys.stderr)
        print(text[-2000:], file=sys.stderr)
        return False
    return True


def judge(name, argv, note):
    """tools/NAME.py with argv (the consoles, and --csv for its figures): its
    table and verdicts printed; True if every target is met."""
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
    r = subprocess.run([sys.executable, tool] + argv, capture_output=True, text=True)
    print(r.stdout.rstrip())
    print(f"{name}: {note}")
    return r.returncode == 0


def dcache_bench(args):
    """dcachebench, one boot, then tools/dcachebench.py's table and verdicts."""
    out = os.path.join(args.out, "dcachebench.txt")
    extra = bochs.qemu_swap_args(bochs.make_swap_disk(args.out, SWAP_MB))
    return boot_once(args, "dcachebench", f"/bin/dcachebench -M -m {DCACHE_HOG}", out,
                     DCACHE_MEM, extra) and \
        judge("dcachebench", [out, "--csv", os.path.join(args.out, "dcachebench.csv")],
              f"one boot with {DCACHE_MEM} MiB of RAM and a {DCACHE_HOG} MiB hog; "
              f"console in {out}")


def ws_bench(args):
    """wsbench, one boot (its figures are request counts and a trace, which
    do not depend on timing, but one boot is all a trace needs), then
    tools/wsbench.py's modelled disk times and verdicts."""
    out = os.path.join(args.out, "wsbench.txt")
    return boot_once(args, "wsbench", "/bin/wsbench -t", out, 128) and \
        judge("wsbench", [out, "--csv", os.path.join(args.out, "wsbench.csv")],
              f"one boot; console and trace in {out}")


def manyproc_bench(args):
    """manyproc: 0, 100, 1,000 and 10,000 sleepers in 512 MiB, then as many
    as fit in 160 MiB; tools/manyproc.py's table and verdicts (part I)."""
    out, outmax = os.path.join(args.out, "manyproc.txt"), os.path.join(args.out, "manyproc-max.txt")
    return boot_once(args, "manyproc", "/bin/manyproc 0 100 1000 10000 -d 1000", out, 512) and \
        boot_once(args, "manyproc", "/bin/manyproc -max", outmax, 160) and \
        judge("manyproc", [out, outmax, "--csv", os.path.join(args.out, "manyproc.csv")],
              f"two boots; consoles in {out} and {outmax}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--out", default="build/bench")
    ap.add_argument("--root", required=True)
    ap.add_argument("--scratch", required=True)
    ap.add_argument("--repeats", type=int, default=3, help="boots of each benchmark")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    failed = False
    kept, spread_rows, unstable = {}, [], []
    for name, cmdline in BENCHES:
        prefixes = (name + ",",) + tuple(p + "," for p in EXTRA.get(name, ()))
        runs = []
        for r in range(args.repeats):
            status, text = run(args.kernel, cmdline, [args.root, args.scratch],
                               mem=MEM.get(name, 512))
            rows = [l for l in text.splitlines() if l.startswith(prefixes)]
            if r == 0:
                table = [l for l in text.splitlines()
                         if l.startswith("  ") or l.startswith(name + ":")]
                print("\n".join(table))
            if status != (0x10 << 1) | 1 or not rows:
                print(f"{name}: failed (QEMU status {status})", file=sys.stderr)
                print(text[-2000:], file=sys.stderr)
                failed = True
                break
            runs.append(rows)
        if len(runs) < args.repeats:
            continue
        rows, spreads = combine(runs)
        worst = max(spreads, key=lambda s: s[1] / s[2])
        wide = [s for s in spreads if s[1] > s[2]]
        unstable += wide
        spread_rows += spreads
        kept.setdefault(name, []).extend(rows)     # several boots may add to one file
        path = os.path.join(args.out, name + ".csv")
        with open(path, "w") as f:
            f.write("\n".join(kept[name]) + "\n")
        print(f"{name}: {len(rows)} figures, the median of {args.repeats} boots each, in {path}; "
              f"largest spread {worst[1] * 100:.3f}% ({worst[0]})")
        for fig, sp, lim, _ in wide:
            print(f"{name}: {fig} spread {sp * 100:.2f}% is over {lim * 100:g}%: "
                  "no verdict on it")
    if not reclaim_bench(args):
        failed = True
    if not dcache_bench(args):
        failed = True
    if not ws_bench(args):
        failed = True
    if not manyproc_bench(args):
        failed = True
    with open(os.path.join(args.out, "spread.csv"), "w") as f:
        for fig, sp, lim, n in spread_rows:
            f.write(f"{fig},{sp:.6f},{lim},{n}\n")
    if failed:
        print("bench: a benchmark failed; figures incomplete")
    elif unstable:
        print(f"bench: NOT stable: {len(unstable)} of {len(spread_rows)} figures spread wider "
              "than their limit over the boots (see above)")
    else:
        print(f"bench: stable: all {len(spread_rows)} figures within their limits over "
              f"{args.repeats} boots (1%; fsbench 5%); spreads in {args.out}/spread.csv")
    sys.exit(1 if failed or unstable else 0)


if __name__ == "__main__":
    main()
