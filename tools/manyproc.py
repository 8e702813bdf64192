#!/usr/bin/env python3
"""tools/manyproc.py: many sleeping processes, from the output of two boots.

    manyproc.py CONSOLE MAXCONSOLE [--csv OUT.csv] [--doc DOC]

CONSOLE is what `manyproc 0 100 1000 10000 -d 1000` printed in a 512 MiB
guest (-d: sleepers that also write a global, the case a compact layout
would serve),
MAXCONSOLE what `manyproc -max` printed in a 160 MiB one (tools/bench.py
runs both). Prints a table and judges part I's targets:

  - with 10,000 sleepers, the pipe ping-pong, fork + exit + wait and
    getpid each within 1.2x of their cost with none;
  - 10,000 processes alive at once in a 160 MiB guest;
  - every slab object back after each run (manyproc itself says "ok").

--doc replaces the generated block of DOC (docs/processes.md). Exits 1 if
a target is missed.
"""
import re
import sys

from docsplice import splice

OPS = [("pingpong_cycles", "pipe ping-pong (cycles a round trip)"),
       ("fork_exit_wait_cycles", "fork + exit + wait (cycles)"),
       ("getpid_cycles", "getpid (cycles)")]


def parse(text):
    figs = {}
    for line in text.splitlines():
        f = line.split(",")
        if f[0] == "manyproc" and len(f) == 4:
            figs.setdefault(f[1], {})[f[2]] = int(f[3])
    return figs


def layout_lines(figs):
    """The sleeper that writes a global against the one that does not (1,000 each)."""
    a, b = figs.get("1000"), figs.get("d1000")
    if not a or not b or "kmem" not in b:
        return []
    return ["", "Sleepers that also write a global after fork (`manyproc -d 1000`) against "
            "those that write only their stack (1,000 each):", "",
            "| sleeper writes | page tables only it uses (bytes) | kernel memory (bytes) | "
            "memory per sleeper (bytes) |", "|---|--:|--:|--:|",
            f"| its stack | {a['kmem_tables']:,} | {a['kmem']:,} | {a['bytes_per_process']:,} |",
            f"| its stack and a global | {b['kmem_tables']:,} | {b['kmem']:,} | "
            f"{b['bytes_per_process']:,} |"]


def main(argv):
    if len(argv) < 2 or argv[0].startswith("-"):
        raise SystemExit(__doc__.split("\n\n")[1])
    opt = dict(zip(argv[2::2], argv[3::2]))
    text, maxtext = open(argv[0]).read(), open(argv[1]).read()
    figs = parse(text)
    figs.update({k: v for k, v in parse(maxtext).items() if k == "max"})
    ns = [n for n in ("0", "100", "1000", "10000") if n in figs]
    if ns != ["0", "100", "1000", "10000"] or "max" not in figs:
        print("manyproc: figures missing (see the consoles)")
        return 1
    if "--csv" in opt:
        with open(opt["--csv"], "w") as f:
            for n, d in figs.items():
                for k, v in d.items():
                    f.write(f"manyproc,{n},{k},{v}\n")
    head = "| sleepers | " + " | ".join(name for _, name in OPS) + \
        " | memory per sleeper (bytes) |"
    tab = [head, "|---" + "|--:" * (len(OPS) + 1) + "|"]
    for n in ns:
        d = figs[n]
        tab.append(f"| {int(n):,} | " + " | ".join(f"{d[k]:,}" for k, _ in OPS) +
                   f" | {d['bytes_per_process']:,} |" if n != "0" else
                   f"| 0 | " + " | ".join(f"{d[k]:,}" for k, _ in OPS) + " | - |")
    d = figs["10000"]
    if "kmem" in d:
        names = [("proc", "its `struct proc`"), ("kstack", "its kernel stack"),
                 ("pgdir", "its page directory"), ("tables", "page tables only it uses"),
                 ("shared", "its share of the tables it shares"),
                 ("rmap", "reverse-map items and table records (shared ones shared)"),
                 ("regions", "its regions and `struct mm`"),
                 ("files", "its share of its open files")]
        tab += ["", "What one of the 10,000 sleepers (one in `read`) costs the kernel, "
                "by `proc_kmem`:", "", "| piece | bytes |", "|---|--:|"]
        tab += [f"| {label} | {d['kmem_' + k]:,} |" for k, label in names]
        tab += [f"| **in all** | **{d['kmem']:,}** |", "",
                "(Its user stack page is not kernel memory: the fall in free memory "
                "per sleeper above counts it too.)"]
    tab += layout_lines(figs)
    m = figs["max"]
    tab += ["", f"In a 160 MiB guest, {m['started']:,} sleepers fit; the deepest any "
            f"process's kernel stack went was {m['kstack_max_used']:,} bytes."]
    ver = []
    for k, name in OPS:
        a, b = figs["0"][k], figs["10000"][k]
        ver.append((f"{name} with 10,000 sleepers within 1.2x of none", b <= 1.2 * a,
                    f"{a:,} -> {b:,} ({b / a:.2f}x)"))
    ver.append(("10,000 processes alive at once in a 160 MiB guest", m["started"] >= 10000,
                f"{m['started']:,} fit"))
    returned = all(re.search(rf"^\s+{n}\s.*\bok$", text, re.M) for n in ns)
    ver.append(("every run gave back every slab object", returned,
                "each line says ok" if returned else "a line says FAILED"))
    lines = [f"- {'met' if ok else 'MISSED'}: {name}: {how}" for name, ok, how in ver]
    print("\n".join(tab))
    print("\n".join("manyproc: " + l[2:] for l in lines))
    if "--doc" in opt:
        splice(opt["--doc"], "manyproc table", tab + [""] + lines, "manyproc")
        print(f"manyproc: {opt['--doc']} updated")
    return 0 if all(ok for _, ok, _ in ver) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
