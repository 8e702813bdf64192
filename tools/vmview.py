#!/usr/bin/env python3
"""tools/vmview.py: draw vmview's dumps (user/vmview.c) with Graphviz.

    vmview.py CONSOLE --out DIR [--svg] [--prefix NAME]
    vmview.py --kernel K --root R --scratch S --save CONSOLE --out DIR [--svg]

CONSOLE is what the guest printed (a serial log, or a file saved from the
shell): each dump is the JSON lines between "vmview: begin STAGE" and
"vmview: end", a line per process (kernel/proc/vmview.c says what each
holds). For every dump this writes DIR/NAME-STAGE.dot, and with --svg
renders it with `dot -Tsvg` into DIR/NAME-STAGE.svg.

In a drawing each process is a box on the left and each page table it
uses an oval on the right, named by its frame (physical address): an
edge means "this process's directory points at this table". A table two
or more processes point at is shared (blue); the edge is solid green when
the directory entry has R/W set and dashed red when it has not, so a
write through it faults and unshares. A table that was not in the previous
dump (a copy just made) is drawn yellow, and one whose entry just got R/W
back without a copy says so.

With --kernel (make vmview-figures), it first boots the kernel under QEMU
with `vmview -demo` as init and keeps the console in CONSOLE.
"""
import argparse
import json
import os
import re
import subprocess
import sys

KERNBASE = 0xC0000000
PDSIZE = 1 << 22


def dumps(text):
    """[(stage, [process dicts])] in the order the console has them."""
    out, stage, procs = [], None, []
    for line in text.splitlines():
        line = line.strip("\r")
        m = re.match(r"^vmview: begin (\S+)$", line)
        if m:
            stage, procs = m.group(1), []
        elif line == "vmview: end" and stage is not None:
            out.append((stage, procs))
            stage = None
        elif stage is not None and line.startswith("{"):
            procs.append(json.loads(line))
    return out


def region_name(start, end, prot, kind):
    """What a region is, from how the loader and the heap make them."""
    if kind == "shared":
        return "MAP_SHARED"
    if kind == "file":
        return {"r-x": "text", "r--": "rodata", "rw-": "data"}.get(prot, "file")
    return "stack" if end == KERNBASE else "heap" if start < PDSIZE else "anon"


def table_contents(proc, pdx):
    """The names of the regions of proc that lie in table pdx's 4 MiB."""
    lo, hi = pdx * PDSIZE, (pdx + 1) * PDSIZE
    names = []
    for start, end, prot, kind in proc["regions"]:
        s, e = int(start, 16), int(end, 16)
        if s < hi and e > lo:
            n = region_name(s, e, prot, kind)
            if n not in names:
                names.append(n)
    return ", ".join(names) or "(no region)"


def plural(n, what):
    return f"{n} {what}{'' if n == 1 else 's'}"


def label(proc, names):
    who = names.get(proc["pid"], "")
    return f"pid {proc['pid']}{' (' + who + ')' if who else ''}\\n{proc['name']}"


def roles(procs):
    """pid -> 'parent' / 'child N', from the ppids within the dump."""
    pids = {p["pid"] for p in procs}
    names, n = {}, 0
    for p in procs:
        if p["ppid"] in pids:
            n += 1
            names[p["pid"]] = f"child {n}"
        elif any(q["ppid"] == p["pid"] for q in procs):
            names[p["pid"]] = "parent"
    return names


def dot(stage, procs, before=None):
    """The DOT text of one dump; before is the previous dump's processes."""
    old = {t["frame"] for p in (before or []) for t in p["tables"]}
    old_rw = {(p["pid"], t["frame"]): t["pde_rw"] for p in (before or []) for t in p["tables"]}
    names = roles(procs)
    lines = [f'digraph "{stage}" {{', "  rankdir=LR; nodesep=0.25; ranksep=1.2;",
             f'  label="{stage.replace("-", " ")}"; labelloc=t; fontname="Helvetica";',
             '  node [fontname="Helvetica", fontsize=10]; edge [fontname="Helvetica", fontsize=9];']
    tables = {}
    for p in procs:
        lines.append(f'  "p{p["pid"]}" [shape=box, style="rounded,filled", fillcolor="#eeeeee", '
                     f'label="{label(p, names)}"];')
        for t in p["tables"]:
            tables.setdefault(t["frame"], (p, t))
    for frame, (p, t) in sorted(tables.items(), key=lambda kv: (kv[1][1]["pdx"], kv[0])):
        va = int(t["va"], 16)
        text = (f"table {frame}\\n{va:#010x}-{va + PDSIZE - 1:#010x}: "
                f"{table_contents(p, t['pdx'])}\\n{plural(t['present'], 'page')}: "
                f"{t['writable']} writable, {t['cow']} copy-on-write\\n"
                f"{plural(t['users'], 'user')}")
        fill = "#fff2a8" if before is not None and frame not in old else \
            "#cfe3ff" if t["users"] > 1 else "#ffffff"
        lines.append(f'  "t{frame}" [shape=ellipse, style=filled, fillcolor="{fill}", '
                     f'label="{text}"];')
    for p in procs:
        for t in p["tables"]:
            rw = t["pde_rw"]
            again = before is not None and old_rw.get((p["pid"], t["frame"])) == 0 and rw
            tag = "R/W" if rw else "read-only"
            if again:
                tag += " again (no copy)"
            style = 'color="#2a8a2a"' if rw else 'color="#c03030", style=dashed'
            lines.append(f'  "p{p["pid"]}" -> "t{t["frame"]}" [{style}, '
                         f'label="PDE {t["pdx"]}: {tag}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(dotfile, svgfile):
    """dot -Tsvg; exits with dot's complaint if it fails."""
    r = subprocess.run(["dot", "-Tsvg", dotfile, "-o", svgfile], capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"vmview: dot failed on {dotfile}: {r.stderr.strip()}")
    with open(svgfile) as f:
        svg = f.read()
    with open(svgfile, "w") as f:	# say where it came from, after the XML declaration
        head, _, rest = svg.partition("\n")
        f.write(f"{head}\n<!-- generated by tools/vmview.py from user/vmview.c's dump; "
                f"do not edit -->\n{rest}")


def boot_demo(kernel, root, scratch, save):
    """Boot `vmview -demo` as init; its console into save."""
    import bench
    status, text = bench.run(kernel, 'init="/bin/vmview -demo" harness', [root, scratch],
                             timeout=300, mem=64)
    with open(save, "w") as f:
        f.write(text)
    if status != (0x10 << 1) | 1:
        sys.exit(f"vmview: the demo failed (QEMU status {status}); console in {save}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("console", nargs="?")
    ap.add_argument("--kernel", help="boot this kernel with vmview -demo first")
    ap.add_argument("--root")
    ap.add_argument("--scratch")
    ap.add_argument("--save", help="with --kernel: where the console goes")
    ap.add_argument("--out", required=True)
    ap.add_argument("--svg", action="store_true", help="render each with Graphviz's dot")
    ap.add_argument("--prefix", default="vmview")
    a = ap.parse_args()
    if a.kernel:
        a.console = a.save
        boot_demo(a.kernel, a.root, a.scratch, a.save)
    if not a.console:
        ap.error("a console file, or --kernel --root --scratch --save")
    with open(a.console, errors="replace") as f:
        found = dumps(f.read())
    if not found:
        sys.exit(f"vmview: no dump in {a.console} (lines 'vmview: begin STAGE' .. 'vmview: end')")
    os.makedirs(a.out, exist_ok=True)
    before = None
    for stage, procs in found:
        path = os.path.join(a.out, f"{a.prefix}-{stage}.dot")
        with open(path, "w") as f:
            f.write(dot(stage, procs, before))
        if a.svg:
            render(path, path[:-4] + ".svg")
        print(f"vmview: {stage}: {len(procs)} processes -> {path}{' (+ .svg)' if a.svg else ''}")
        before = procs


if __name__ == "__main__":
    main()
