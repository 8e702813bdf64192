#!/usr/bin/env python3
"""tools/wsbench.py: start-up with working-set bitmaps, from one boot's output.

    wsbench.py CONSOLE [--csv OUT.csv] [--doc DOC]

CONSOLE is what `wsbench -t` printed (tools/bench.py runs it). For each
scenario it turns the disk requests into a modelled disk time, prints a
table and judges part H's targets:

  - fresh bitmap against none: >= 90% fewer major faults, 0 backward seeks,
    modelled start-up >= 3x shorter;
  - a two-mode program run alternately, with the aging policy: each mode's
    start-up within 1.2x of a bitmap made for that mode alone.

The model, per request (constants of a 7,200 rpm disk of the early 2000s):
a request that starts where the previous one ended costs only its
transfer; any other costs a seek of SETTLE_MS plus FULL_STROKE_MS times the
fraction of the disk crossed, plus half a rotation (ROTATION_MS), plus the
transfer (TRANSFER_MB_S). --doc replaces the generated blocks of DOC
(docs/working-set.md). Exits 1 if a target is missed.
"""
import sys

from docsplice import splice

SETTLE_MS = 1.0
FULL_STROKE_MS = 7.0
ROTATION_MS = 60000.0 / 7200 / 2
TRANSFER_MB_S = 100.0
DISK_SECTORS = 48 * 16 * 63        # the root disk: 48 Bochs cylinders
SCENARIOS = ["cold-a", "fresh-a", "async-a", "fresh-b", "stale-a", "aging-a", "aging-b"]


def parse(text):
    figs, traces, bitmaps = {}, {}, {}
    for line in text.splitlines():
        f = line.split(",")
        if f[0] == "wsbench" and len(f) == 4:
            figs.setdefault(f[1], {})[f[2]] = int(f[3])
        elif f[0] == "wstrace" and len(f) == 4:
            traces.setdefault(f[1], []).append((int(f[2]), int(f[3])))
        elif f[0] == "wsbitmap" and len(f) == 4:
            bitmaps[f[1]] = (int(f[2]), bytes.fromhex(f[3]))
    return figs, traces, bitmaps


def model_ms(trace):
    ms, end = 0.0, None
    for lba, count in trace:
        ms += count * 512 / (TRANSFER_MB_S * 1e6) * 1000
        if lba != end:
            dist = abs(lba - end) if end is not None else DISK_SECTORS // 3
            ms += SETTLE_MS + FULL_STROKE_MS * dist / DISK_SECTORS + ROTATION_MS
        end = lba + count
    return ms


def table(figs, ms):
    out = ["| scenario | major faults | pages prefetched | read requests | sectors "
           "| seek distance (sectors) | backward seeks | modelled disk time |",
           "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for s in SCENARIOS:
        f = figs[s]
        out.append(f"| {s} | {f['major_faults']} | {f['prefetched']} | {f['requests']} "
                   f"| {f['sectors']:,} | {f['seek_distance']:,} | {f['backward_seeks']} "
                   f"| {ms[s]:,.0f} ms |")
    return out


def verdicts(figs, ms):
    cold, fresh = figs["cold-a"], figs["fresh-a"]
    fewer = 1 - fresh["major_faults"] / max(cold["major_faults"], 1)
    return [
        ("a fresh bitmap: >= 90% fewer major faults", fewer >= 0.9,
         f"{cold['major_faults']} -> {fresh['major_faults']} ({fewer:.0%} fewer)"),
        ("a fresh bitmap: no backward seek", fresh["backward_seeks"] == 0,
         f"{fresh['backward_seeks']} (cold: {cold['backward_seeks']})"),
        ("a fresh bitmap: modelled start-up >= 3x shorter", ms["cold-a"] >= 3 * ms["fresh-a"],
         f"{ms['cold-a']:.0f} ms -> {ms['fresh-a']:.0f} ms ({ms['cold-a'] / ms['fresh-a']:.1f}x)"),
        ("the prefetch kept (sync) is the better of sync and async",
         ms["fresh-a"] <= ms["async-a"] and fresh["major_faults"] <= figs["async-a"]["major_faults"],
         f"sync {ms['fresh-a']:.0f} ms, {fresh['major_faults']} major faults; async "
         f"{ms['async-a']:.0f} ms, {figs['async-a']['major_faults']} major faults"),
        ("two modes, aging: mode a within 1.2x of its own bitmap",
         ms["aging-a"] <= 1.2 * ms["fresh-a"],
         f"{ms['aging-a']:.0f} ms against {ms['fresh-a']:.0f} ms "
         f"({ms['aging-a'] / ms['fresh-a']:.2f}x)"),
        ("two modes, aging: mode b within 1.2x of its own bitmap",
         ms["aging-b"] <= 1.2 * ms["fresh-b"],
         f"{ms['aging-b']:.0f} ms against {ms['fresh-b']:.0f} ms "
         f"({ms['aging-b'] / ms['fresh-b']:.2f}x)"),
    ]


def bitmap_figure(bitmaps):
    """The bitmap of mode a after one run: a character per page, 64 a line."""
    if "a" not in bitmaps:
        return ["(no bitmap printed)"]
    npages, raw = bitmaps["a"]
    bits = "".join("#" if raw[p // 8] >> (p % 8) & 1 else "." for p in range(npages))
    out = [f"{bits.count('#')} of {npages} pages marked ('#'), 64 pages a line:", "", "```"]
    out += [f"{p:5d}  {bits[p:p + 64]}" for p in range(0, npages, 64)]
    return out + ["```"]


def io_figure(traces, name, rows=16, cols=72):
    """Requests in order (left to right) against their place on the disk
    (top to bottom: the program's blocks), a '*' where any falls."""
    t = traces.get(name, [])
    if not t:
        return ["(no trace)"]
    lo = min(l for l, _ in t)
    hi = max(l + c for l, c in t)
    grid = [[" "] * cols for _ in range(rows)]
    for i, (l, c) in enumerate(t):
        x = i * cols // len(t)
        for y in range((l - lo) * rows // (hi - lo + 1), (l + c - 1 - lo) * rows // (hi - lo + 1) + 1):
            grid[y][x] = "*"
    back = sum(1 for (a, b), (c, _) in zip(t, t[1:]) if c < a + b)
    out = [f"{name}: {len(t)} requests over sectors {lo:,} to {hi:,}, {back} backward:", "",
           "```", "sector"]
    for y in range(rows):
        label = f"{lo + y * (hi - lo) // rows:>6}" if y % 4 == 0 else " " * 6
        out.append(f"{label} |{''.join(grid[y])}")
    out += ["       +" + "-" * cols + "> request, in order", "```"]
    return out


def main(argv):
    if not argv or argv[0].startswith("-"):
        raise SystemExit(__doc__.split("\n\n")[1])
    opt = dict(zip(argv[1::2], argv[2::2]))
    figs, traces, bitmaps = parse(open(argv[0]).read())
    missing = [s for s in SCENARIOS if s not in figs or s not in traces]
    if missing:
        print(f"wsbench: no figures or trace for {', '.join(missing)}")
        return 1
    ms = {s: model_ms(traces[s]) for s in SCENARIOS}
    if "--csv" in opt:
        with open(opt["--csv"], "w") as f:
            for s in SCENARIOS:
                for k, v in figs[s].items():
                    f.write(f"wsbench,{s},{k},{v}\n")
                f.write(f"wsbench,{s},model_us,{round(ms[s] * 1000)}\n")
    tab = table(figs, ms)
    ver = verdicts(figs, ms)
    print("\n".join(tab))
    lines = [f"- {'met' if ok else 'MISSED'}: {name}: {how}" for name, ok, how in ver]
    print("\n".join("wsbench: " + l[2:] for l in lines))
    if "--doc" in opt:
        splice(opt["--doc"], "wsbench table", tab + [""] + lines, "wsbench")
        splice(opt["--doc"], "bitmap figure", bitmap_figure(bitmaps), "wsbench")
        splice(opt["--doc"], "io figure", io_figure(traces, "cold-a") + [""] +
               io_figure(traces, "fresh-a"), "wsbench")
        print(f"wsbench: {opt['--doc']} updated")
    return 0 if all(ok for _, ok, _ in ver) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
