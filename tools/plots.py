#!/usr/bin/env python3
"""tools/plots.py: draw every benchmark's figures from make bench's CSV files.

    python3 tools/plots.py [BENCHDIR [OUTDIR]]     (make plots: build/bench docs/plots)

Reads the CSV files `make bench` leaves in BENCHDIR and writes one SVG file
or more per benchmark into OUTDIR, each drawn by tools/svgplot.py and
carrying a comment that names this tool and its CSV:

  mmbench.csv        mmbench.svg        cycles per memory-management operation
  fsbench.csv        fsbench.svg        cycles per storage operation
  forkbench.csv      forkbench.svg, forkbench-heaps.svg (tools/plot_forkbench.py)
                     sysbench.svg       a system call and a context switch
  regionbench.csv    regionbench.svg    a fault and a fork against the count of regions
  minfaults.csv      reclaimbench.svg   faults of Pagoda's reclaim, MIN and LRU
  dcachebench.csv    dcachebench.svg    dentry slab pages and the working set, per policy
  wsbench.csv        wsbench.svg        modelled disk time and read requests per scenario
  manyproc.csv       manyproc.svg       costs against the number of sleeping processes
                     manyproc-kmem.svg  the kernel memory of one process, by part
  spread.csv         spread.svg         each benchmark's worst spread between boots

A missing CSV is reported and skipped; a malformed one stops the tool.
Exits 1 if no CSV was found at all. The files depend only on the CSVs.
Python 3 standard library only.
"""
import csv
import os
import sys

import plot_forkbench
import svgplot

SRC = "tools/plots.py from {}"


def rows(path, tag):
    """The rows of path whose first field is tag."""
    with open(path, newline="") as f:
        return [r for r in csv.reader(f) if r and r[0] == tag]


def intval(row, i, path):
    """Field i of row as an integer; a malformed line stops the tool."""
    try:
        return int(row[i])
    except (ValueError, IndexError):
        sys.exit(f"plots: {path}: malformed line: {','.join(row)}")


def pairs(path, tag, name_at, value_at, unit_at=None, want=None):
    """[(name, value, unit)] from the rows of path tagged tag."""
    out = []
    for r in rows(path, tag):
        unit = r[unit_at] if unit_at is not None and len(r) > unit_at else ""
        if want is None or want(r[name_at], unit):
            out.append((r[name_at], intval(r, value_at, path), unit))
    return out


# --- one function per CSV: (csv path, outdir) -> [files written] ----------

def write(outdir, name, svg):
    """Write svg as outdir/name; its path."""
    path = os.path.join(outdir, name)
    with open(path, "w") as f:
        f.write(svg)
    return path


def draw_mmbench(path, outdir):
    """mmbench.svg: the timed figures as bars, log scale."""
    figs = pairs(path, "mmbench", 1, 2, 3, lambda n, u: u == "cycles")
    return [write(outdir, "mmbench.svg", svgplot.bar_chart(
        [n for n, _, _ in figs], [{"label": "cycles", "values": [v for _, v, _ in figs]}],
        "mmbench: cycles per memory-management operation",
        "cycles (log scale; QEMU -icount shift=0)", SRC.format("mmbench.csv"), log=True))]


def draw_fsbench(path, outdir):
    """fsbench.svg: the timed figures as bars, log scale."""
    figs = pairs(path, "fsbench", 1, 2, 3, lambda n, u: u.startswith("cycles"))
    labels = [n + (" (per sector)" if u == "cycles/sector" else "") for n, _, u in figs]
    return [write(outdir, "fsbench.svg", svgplot.bar_chart(
        labels, [{"label": "cycles", "values": [v for _, v, _ in figs]}],
        "fsbench: cycles per storage operation",
        "cycles (log scale; QEMU -icount shift=0)", SRC.format("fsbench.csv"), log=True))]


def draw_forkbench(path, outdir):
    """forkbench's two line plots, and sysbench.svg from the same CSV."""
    heaps, ops = plot_forkbench.read_csv(path)
    out = list(plot_forkbench.write_svgs(heaps, ops, outdir))
    sysb = {}
    for r in rows(path, "sysbench"):       # printed once per fork mode: keep the first
        sysb.setdefault(r[1], intval(r, 2, path))
    if sysb:
        out.append(write(outdir, "sysbench.svg", svgplot.bar_chart(
            list(sysb), [{"label": "cycles", "values": list(sysb.values())}],
            "sysbench: a system call and a context switch",
            "cycles (QEMU -icount shift=0)", SRC.format("forkbench.csv"))))
    return out


def draw_regionbench(path, outdir):
    """regionbench.svg: a fault and a fork against the count of regions."""
    data = {}
    for r in rows(path, "regionbench"):
        data.setdefault(r[1], []).append((intval(r, 2, path), intval(r, 3, path)))
    names = {"fault": "a page fault", "fork_exit": "fork + exit + wait"}
    series = [{"label": names.get(k, k), "points": sorted(v)} for k, v in data.items()]
    counts = sorted({x for s in series for x, _ in s["points"]})
    return [write(outdir, "regionbench.svg", svgplot.line_chart(
        series, "regionbench: cost against the number of regions",
        "regions in the address space (log scale)", "cycles (log scale)",
        SRC.format("regionbench.csv"), xlog=True, ylog=True, xticks=counts))]


def draw_minfaults(path, outdir):
    """reclaimbench.svg: the faults of Pagoda, MIN and LRU per pattern."""
    rs = rows(path, "minfaults")
    labels = [f"{r[1]} ({intval(r, 2, path):,} pages, {intval(r, 3, path):,} frames)"
              for r in rs]
    series = [{"label": name, "values": [intval(r, i, path) for r in rs]}
              for name, i in (("Pagoda", 4), ("MIN (optimal)", 5), ("LRU", 6))]
    return [write(outdir, "reclaimbench.svg", svgplot.bar_chart(
        labels, series, "reclaimbench: page faults of Pagoda's reclaim, MIN and LRU",
        "page faults over the whole pattern", SRC.format("minfaults.csv")))]


def by_key(path, tag):
    """{group: {figure: value}} from the rows tag,group,figure,value, groups in file order."""
    out = {}
    for r in rows(path, tag):
        out.setdefault(r[1], {})[r[2]] = intval(r, 3, path)
    return out


def draw_dcachebench(path, outdir):
    """dcachebench.svg: slab pages and working-set hits per shrink policy."""
    figs = by_key(path, "dcachebench")
    pol = list(figs)
    series = [{"label": label, "values": [figs[p].get(key) for p in pol]}
              for label, key in (("dentry slab pages before the hog", "pages_before"),
                                 ("dentry slab pages after", "pages_after"),
                                 ("inode slab pages after", "inode_pages_after"))]
    series.append({"label": "working-set paths found in the cache (of 1,000)",
                   "values": [figs[p].get("ws_hits_permille") for p in pol]})
    return [write(outdir, "dcachebench.svg", svgplot.bar_chart(
        pol, series, "dcachebench: the dentry cache under a memory hog, by shrink policy",
        "pages, or paths", SRC.format("dcachebench.csv")))]


def draw_wsbench(path, outdir):
    """wsbench.svg: disk time, requests and major faults per scenario."""
    figs = by_key(path, "wsbench")
    sc = list(figs)
    series = [{"label": "modelled disk time (ms)",
               "values": [round(figs[s].get("model_us", 0) / 1000) for s in sc]},
              {"label": "read requests", "values": [figs[s].get("requests") for s in sc]},
              {"label": "major faults", "values": [figs[s].get("major_faults") for s in sc]}]
    return [write(outdir, "wsbench.svg", svgplot.bar_chart(
        sc, series, "wsbench: starting wsbig with and without its working-set bitmap",
        "milliseconds, requests or faults", SRC.format("wsbench.csv")))]


def draw_manyproc(path, outdir):
    """manyproc.svg (costs against sleepers) and manyproc-kmem.svg."""
    figs = by_key(path, "manyproc")
    counts = sorted(int(k) for k in figs if k.isdigit())
    names = (("pingpong_cycles", "a pipe round trip"),
             ("fork_exit_wait_cycles", "fork + exit + wait"), ("getpid_cycles", "getpid"))
    series = [{"label": label, "points": [(n, figs[str(n)][key]) for n in counts
                                          if key in figs[str(n)]]} for key, label in names]
    out = [write(outdir, "manyproc.svg", svgplot.line_chart(
        series, "manyproc: what other processes pay for many sleepers",
        "sleeping processes (log scale; 0 drawn apart)", "cycles (log scale)",
        SRC.format("manyproc.csv"), xlog=True, ylog=True, zero_apart=True, xticks=counts))]
    most = max((n for n in counts if "kmem" in figs[str(n)]), default=None)
    if most is not None:
        parts = [(k[len("kmem_"):], v) for k, v in figs[str(most)].items()
                 if k.startswith("kmem_")]
        out.append(write(outdir, "manyproc-kmem.svg", svgplot.bar_chart(
            [p for p, _ in parts] + ["total"],
            [{"label": "bytes", "values": [v for _, v in parts] + [figs[str(most)]["kmem"]]}],
            f"manyproc: kernel memory of one sleeping process, {most:,} of them, by part",
            "bytes", SRC.format("manyproc.csv"))))
    return out


def draw_spread(path, outdir):
    """spread.svg: each benchmark's largest spread between boots, and its limit."""
    worst, limit = {}, {}
    with open(path, newline="") as f:
        for r in csv.reader(f):
            if len(r) < 4:
                continue
            try:
                s, lim = float(r[-3]), float(r[-2])
            except ValueError:
                sys.exit(f"plots: {path}: malformed line: {','.join(r)}")
            worst[r[0]] = max(worst.get(r[0], 0.0), s * 100)
            limit[r[0]] = max(limit.get(r[0], 0.0), lim * 100)
    names = list(worst)
    return [write(outdir, "spread.svg", svgplot.bar_chart(
        names, [{"label": "largest spread between boots", "values": [worst[n] for n in names]},
                {"label": "allowed", "values": [limit[n] for n in names]}],
        "make bench: how far each benchmark's figures moved between its boots",
        "(max - min) / median, percent", SRC.format("spread.csv"), fmt=lambda v: f"{v:.3f}%"))]


PLOTS = (("mmbench.csv", draw_mmbench), ("fsbench.csv", draw_fsbench),
         ("forkbench.csv", draw_forkbench), ("regionbench.csv", draw_regionbench),
         ("minfaults.csv", draw_minfaults), ("dcachebench.csv", draw_dcachebench),
         ("wsbench.csv", draw_wsbench), ("manyproc.csv", draw_manyproc),
         ("spread.csv", draw_spread))


def main(argv):
    """Draw the plots of every CSV found; exit 1 if none was."""
    bench = argv[0] if argv else "build/bench"
    outdir = argv[1] if len(argv) > 1 else "docs/plots"
    os.makedirs(outdir, exist_ok=True)
    found = 0
    for name, fn in PLOTS:
        path = os.path.join(bench, name)
        if not os.path.exists(path):
            print(f"plots: no {path} (make bench writes it); skipped", file=sys.stderr)
            continue
        found += 1
        for out in fn(path, outdir):
            print(f"plots: {out}")
    if not found:
        sys.exit(f"plots: no CSV in {bench}: run make bench first")


if __name__ == "__main__":
    main(sys.argv[1:])
