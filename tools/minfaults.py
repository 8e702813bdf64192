#!/usr/bin/env python3
"""tools/minfaults.py: what the best and the plainest page replacement would
have faulted on reclaimbench's access sequences.

reclaimbench (user/reclaimbench.c) prints, for each pattern,

    reclaimbench,<pattern>,<pages>,<frames>,<accesses>,<faults>,<hot-after>

This tool regenerates each sequence exactly as the program does (the same
xorshift generator and seed, the same sizes) and replays it against
`frames` page frames under

  MIN  Belady's optimal policy: on a fault with every frame full, evict the
       page whose next use is furthest away (or never comes); no policy
       can fault less;
  LRU  least recently used: evict the page unused for longest.

Both count every first touch as a fault, as the kernel does (demand-zero).
For the scan it also replays the hot set's last pass to give each policy's
hot-after figure. Prints a table, one CSV line per pattern
(`minfaults,<pattern>,<pages>,<frames>,<pagoda>,<min>,<lru>,<hot-after
pagoda>,<hot-after min>,<hot-after lru>`), and the verdict on the targets
of docs/reclaim.md:

  hotcold  Pagoda within 1.5x of MIN
  loop     Pagoda below LRU (which misses on every access)
  scan     the hot set's faults after the scan at most 10% of its pages

    minfaults.py FILE [--doc DOC [--mmbench CSV]]
FILE is reclaimbench's output (or its CSV; - for standard input). With
--doc, the table (and, from mmbench's CSV, the unmap costs) also replace
the generated blocks of DOC (docs/reclaim.md). Exits 1 if a target is
missed.
"""
import collections
import heapq
import sys

from docsplice import splice

SEED = 20261128
MASK = 0xFFFFFFFF


class Rng:
    def __init__(self, seed):
        self.x = seed

    def next(self):
        x = self.x
        x ^= (x << 13) & MASK
        x ^= x >> 17
        x ^= (x << 5) & MASK
        self.x = x
        return x


def sequence(pattern, frames):
    """(pages, [page accesses], index where the hot set's last pass starts or None)"""
    rng = Rng(SEED)
    seq, mark = [], None
    if pattern == "hotcold":
        n = 2 * frames
        h = n // 5
        for _ in range(8 * n):
            r = rng.next()
            seq.append(rng.next() % h if r % 100 < 80 else h + rng.next() % (n - h))
    elif pattern == "loop":
        n = frames + frames // 2
        seq = list(range(n)) * 3
    elif pattern == "scan":
        hot = frames // 10
        n = 2 * frames + hot
        seq = list(range(hot))
        for p in range(hot, n):
            seq.append(p)
            if p % 2 == 0:
                seq.append(rng.next() % hot)
        mark = len(seq)
        seq += list(range(hot))
    else:
        raise SystemExit(f"minfaults: unknown pattern {pattern!r}")
    return n, seq, mark


def min_faults(seq, frames, mark):
    """Belady's MIN: (faults, faults from index mark on)."""
    nxt = [0] * len(seq)
    last = {}
    for i in range(len(seq) - 1, -1, -1):
        nxt[i] = last.get(seq[i], len(seq) + i)   # never again: furthest of all
        last[seq[i]] = i
    resident, heap, faults, after = {}, [], 0, 0
    for i, p in enumerate(seq):
        if p not in resident:
            faults += 1
            if mark is not None and i >= mark:
                after += 1
            if len(resident) >= frames:
                while True:             # the entry with the furthest next use that is current
                    neg, q = heapq.heappop(heap)
                    if resident.get(q) == -neg:
                        del resident[q]
                        break
        resident[p] = nxt[i]
        heapq.heappush(heap, (-nxt[i], p))
    return faults, after


def lru_faults(seq, frames, mark):
    """LRU: (faults, faults from index mark on)."""
    faults, after = 0, 0
    lru = collections.OrderedDict()
    for i, p in enumerate(seq):
        if p in lru:
            lru.move_to_end(p)
            continue
        faults += 1
        if mark is not None and i >= mark:
            after += 1
        if len(lru) >= frames:
            lru.popitem(last=False)
        lru[p] = True
    return faults, after


def unmap_lines(path):
    """The mmbench unmap figures as a table."""
    vals = {}
    for line in open(path):
        f = line.strip().split(",")
        if len(f) >= 3 and f[1].startswith("unmap_"):
            vals[f[1]] = int(f[2])
    names = [("unmap_1_share", "1 address space"),
             ("unmap_100_share", "100 address spaces sharing its page table (fork=share)"),
             ("unmap_100_copy", "100 address spaces, each with its own copy (fork=copy)")]
    out = ["| the page is mapped by | cycles to unmap it |", "|---|--:|"]
    for key, what in names:
        if key not in vals:
            raise SystemExit(f"minfaults: {path} has no {key}")
        out.append(f"| {what} | {vals[key]:,} |")
    return out


def main():
    argv = sys.argv[1:]
    doc = mmcsv = None
    if "--doc" in argv:
        i = argv.index("--doc")
        doc = argv[i + 1]
        del argv[i:i + 2]
    if "--mmbench" in argv:
        i = argv.index("--mmbench")
        mmcsv = argv[i + 1]
        del argv[i:i + 2]
    if len(argv) != 1:
        raise SystemExit("usage: minfaults.py FILE [--doc DOC [--mmbench CSV]]")
    src = sys.stdin if argv[0] == "-" else open(argv[0])
    rows = [l.strip().split(",") for l in src if l.startswith("reclaimbench,")]
    if not rows:
        raise SystemExit("minfaults: no reclaimbench lines")
    ok = True
    table = ["| pattern | pages | frames | Pagoda | MIN | LRU | Pagoda / MIN | hot set after the "
             "scan (Pagoda / MIN / LRU) |", "|---|--:|--:|--:|--:|--:|--:|--:|"]
    verdicts = []
    print(f"  {'pattern':8} {'pages':>7} {'frames':>7} {'pagoda':>8} {'MIN':>8} {'LRU':>8}"
          f" {'vs MIN':>7}   hot set after the scan (pagoda/MIN/LRU)")
    for f in rows:
        pattern, pages, frames, accesses, faults, hot_after = f[1], *map(int, f[2:7])
        n, seq, mark = sequence(pattern, frames)
        if n != pages or len(seq) != accesses:
            raise SystemExit(f"minfaults: {pattern}: the program made {pages} pages and "
                             f"{accesses} accesses, this tool {n} and {len(seq)}")
        mn, mn_after = min_faults(seq, frames, mark)
        lr, lr_after = lru_faults(seq, frames, mark)
        ratio = faults / mn
        extra = f"   {hot_after}/{mn_after}/{lr_after} of {frames // 10}" if mark else ""
        print(f"  {pattern:8} {pages:7} {frames:7} {faults:8} {mn:8} {lr:8} {ratio:6.2f}x{extra}")
        print(f"minfaults,{pattern},{pages},{frames},{faults},{mn},{lr},{hot_after},"
              f"{mn_after},{lr_after}")
        hot = f"{hot_after} / {mn_after} / {lr_after} of {frames // 10}" if mark else ""
        table.append(f"| {pattern} | {pages:,} | {frames:,} | {faults:,} | {mn:,} | {lr:,} | "
                     f"{ratio:.2f}x | {hot} |")
        if pattern == "hotcold":
            good = ratio <= 1.5
            verdicts.append(f"- hot and cold within 1.5x of MIN: {ratio:.2f}x, "
                            f"{'met' if good else 'MISSED'}")
        elif pattern == "loop":
            good = faults < lr
            verdicts.append(f"- the loop below LRU's fault on every access: {faults:,} against "
                            f"{lr:,} ({(lr - faults) * 100 / lr:.0f}% fewer), "
                            f"{'met' if good else 'MISSED'}")
        else:
            good = hot_after <= (frames // 10) // 10
            verdicts.append(f"- the hot set survives the scan (at most 10% of its "
                            f"{frames // 10} pages fault after it): {hot_after}, "
                            f"{'met' if good else 'MISSED'}")
        print(f"minfaults: {'met' if good else 'MISSED'}: {verdicts[-1][2:].rsplit(', ', 1)[0]}")
        ok = ok and good
    print("minfaults: every target met" if ok else "minfaults: a target was missed")
    if doc:
        splice(doc, "reclaimbench table", table + [""] + verdicts, "minfaults")
        if mmcsv:
            splice(doc, "unmap table", unmap_lines(mmcsv), "minfaults")
        print(f"minfaults: {doc} updated")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
