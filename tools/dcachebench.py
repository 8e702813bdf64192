#!/usr/bin/env python3
"""tools/dcachebench.py: the dentry cache under pressure, from one boot's output.

    dcachebench.py CONSOLE [--csv OUT.csv] [--doc DOC]

CONSOLE is what `dcachebench -M` printed (tools/bench.py runs it in a
32 MiB guest with a swap disk). Prints a table of the three shrink
policies and the verdicts on part G's targets:

  - utilisation of the dentry slabs after the pressure >= 90% (policy both);
  - at least as many slab pages freed as LRU pruning alone;
  - the working set's hit rate no lower than LRU pruning alone's.

--csv writes the dcachebench,POLICY,FIGURE,VALUE lines; --doc replaces the
generated blocks of DOC (docs/slab-relocation.md): the table, and the slab
maps before and after, a character per slot. Exits 1 if a target is missed
or the output is incomplete.
"""
import sys

from docsplice import splice

POLICIES = ("lru", "relocate", "both")
MAP_COLUMNS = 3         # slabs side by side in a drawn map
MAP_ROWS = 12           # rows of slabs drawn before the rest is summed up


def parse(text):
    """-> ({policy: {figure: value}}, {(policy, when): [slab lines]}, [csv lines])"""
    figs, maps, rows, cur = {}, {}, [], None
    for line in text.splitlines():
        if line.startswith("dcachebench,"):
            _, pol, fig, val = line.split(",")
            figs.setdefault(pol, {})[fig] = int(val)
            rows.append(line)
        elif line.startswith("slabmap end"):
            cur = None
        elif line.startswith("slabmap "):
            _, pol, when = line.split()
            cur = maps.setdefault((pol, when), [])
        elif cur is not None and line and set(line) <= {"#", "."}:
            cur.append(line)
    return figs, maps, rows


def table(figs):
    out = ["| policy | dentries before → after | slab pages before → after | pages freed "
           "| slots in use before → after | dentries moved | working set from the cache "
           "| inode slab pages after (if packed) |",
           "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for p in POLICIES:
        f = figs[p]
        out.append(f"| {p} | {f['dentries_before']:,} → {f['dentries_after']:,} "
                   f"| {f['pages_before']} → {f['pages_after']} "
                   f"| {f['pages_before'] - f['pages_after']} "
                   f"| {f['use_before']}% → {f['use_after']}% | {f['moved']:,} "
                   f"| {f['ws_hits_permille'] / 10:.1f}% "
                   f"| {f['inode_pages_after']} ({f['inode_pages_packed']}) |")
    return out


def verdicts(figs):
    lru, both = figs["lru"], figs["both"]
    freed = {p: figs[p]["pages_before"] - figs[p]["pages_after"] for p in POLICIES}
    return [
        ("utilisation after the pressure (both) >= 90%", both["use_after"] >= 90,
         f"{both['use_after']}% (LRU alone: {lru['use_after']}%; 2002: 22%)"),
        ("slab pages freed (both) >= LRU alone's", freed["both"] >= freed["lru"],
         f"{freed['both']} against {freed['lru']}"),
        ("working-set hit rate (both) >= LRU alone's",
         both["ws_hits_permille"] >= lru["ws_hits_permille"],
         f"{both['ws_hits_permille'] / 10:.1f}% against {lru['ws_hits_permille'] / 10:.1f}%"),
    ]


def draw(slabs):
    """Slab lines -> rows of MAP_COLUMNS slabs side by side, the rest summed up."""
    rows = []
    for i in range(0, len(slabs), MAP_COLUMNS):
        rows.append("  ".join(slabs[i:i + MAP_COLUMNS]))
    if len(rows) > MAP_ROWS:
        left = slabs[MAP_ROWS * MAP_COLUMNS:]
        used = sum(s.count("#") for s in left)
        rows = rows[:MAP_ROWS] + [f"... {len(left)} more slabs, {used} of their "
                                  f"{sum(len(s) for s in left)} slots in use"]
    return rows


def map_block(maps):
    out = []
    for pol, when in [("lru", "before")] + [(p, "after") for p in POLICIES]:
        slabs = maps.get((pol, when), [])
        used = sum(s.count("#") for s in slabs)
        slots = sum(len(s) for s in slabs)
        title = "before the hog (the same for every policy)" if when == "before" else \
            f"after the hog, policy {pol}"
        out += [f"{title}: {len(slabs)} slabs, {used} of {slots} slots in use", "", "```"]
        out += draw(slabs) or ["(no slabs)"]
        out += ["```", ""]
    return out[:-1]


def main(argv):
    if not argv or argv[0].startswith("-"):
        raise SystemExit(__doc__.split("\n\n")[1])
    text = open(argv[0]).read()
    opt = dict(zip(argv[1::2], argv[2::2]))
    figs, maps, rows = parse(text)
    missing = [p for p in POLICIES if p not in figs]
    if missing:
        print(f"dcachebench: no figures for {', '.join(missing)}")
        return 1
    if "--csv" in opt:
        with open(opt["--csv"], "w") as f:
            f.write("\n".join(rows) + "\n")
    tab = table(figs)
    ver = verdicts(figs)
    print("\n".join(tab))
    lines = [f"- {'met' if ok else 'MISSED'}: {name}: {how}" for name, ok, how in ver]
    print("\n".join("dcachebench: " + l[2:] for l in lines))
    if "--doc" in opt:
        splice(opt["--doc"], "dcachebench table", tab + [""] + lines, "dcachebench")
        splice(opt["--doc"], "slab maps", map_block(maps), "dcachebench")
        print(f"dcachebench: {opt['--doc']} updated")
    return 0 if all(ok for _, ok, _ in ver) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
