#!/usr/bin/env python3
"""tools/check_transcripts.py: run the shell transcripts of the docs and
compare what Pagoda prints with what the page shows.

A transcript is checked when the line before its code fence is

    <!-- transcript: shell -->

Inside, a line `$ COMMAND` is typed at the shell; the lines after it, up
to the next `$ `, are what it must print. In those lines

    <n>      stands for any number (a pid, a counter, a size),
    <x>      for any hexadecimal number (an address),
    <...>    for any text on the rest of the line,

and a line that is just `...` for any number of lines. Everything else must
match exactly, except that runs of blanks count as one (so a placeholder
need not keep a column's width) and blank lines before a prompt are
ignored. Each transcript runs in a boot of
its own, on a fresh copy of the root disk: init starts the shell, and the
commands are typed at its prompts, as a reader would type them.

    check_transcripts.py --kernel K --root IMG --scratch IMG FILE...

prints one `PASS transcript[FILE:LINE]` or `FAIL ...` line per transcript,
with the first difference (the page's line number, what it shows, what
was printed), and exits 1 if any failed. tests/run.py calls transcripts()
for make test.
"""
import argparse
import os
import re
import shutil
import sys
import tempfile

from qemu_session import session

MARK = "<!-- transcript: shell -->"


def find(path):
    """[(line number of the fence, [(command, [expected lines], line no)])]"""
    lines = open(path).read().split("\n")
    out = []
    for i, line in enumerate(lines):
        if line.strip() != MARK:
            continue
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            out.append((i + 1, None))
            continue
        cmds, j = [], i + 2
        while j < len(lines) and not lines[j].startswith("```"):
            if lines[j].startswith("$ "):
                cmds.append((lines[j][2:], [], j + 1))
            elif cmds:
                cmds[-1][1].append((lines[j], j + 1))
            j += 1
        out.append((i + 2, cmds))
    return out


def squeeze(line):
    """Runs of blanks as one (a placeholder does not keep a column's width)."""
    return re.sub(r"[ \t]+", " ", line.strip())


def pattern(line):
    parts = re.split(r"(<n>|<x>|<\.\.\.>)", squeeze(line))
    rx = "".join({"<n>": r"-?\d+", "<x>": r"(?:0x)?[0-9a-fA-F]+", "<...>": r".*"}.get(p, re.escape(p))
                 for p in parts)
    return re.compile(rx + r"\s*$")


def match(expected, actual):
    """None if actual (lines) fits expected [(line, no)]; else (no, shown, printed)."""
    def go(e, a):
        if e == len(expected):
            return None if a == len(actual) else (expected[-1][1] if expected else 0,
                                                   "(nothing more)", actual[a])
        text, no = expected[e]
        if text.strip() == "...":
            best = None
            for k in range(a, len(actual) + 1):
                r = go(e + 1, k)
                if r is None:
                    return None
                if best is None or r[0] > best[0]:
                    best = r		# the difference that got furthest down the page
            return best
        if a < len(actual) and pattern(text).match(squeeze(actual[a])):
            return go(e + 1, a + 1)
        return (no, text, actual[a] if a < len(actual) else "(nothing)")
    return go(0, 0)


def run(kernel, root, scratch, cmds, work, timeout=120):
    img = os.path.join(work, "root.img")
    shutil.copy(root, img)
    text, outputs, timed_out = session(kernel, [img, scratch], [c for c, _, _ in cmds],
                                       cmdline="init=/bin/init", timeout=timeout)
    return {str(k): o for k, o in enumerate(outputs)}, text + ("\n(timed out)" if timed_out else "")


def check(kernel, root, scratch, path, workdir):
    results = []
    for fence, cmds in find(path):
        name = f"docs.transcript[{os.path.relpath(path)}:{fence}]"
        if not cmds:
            results.append((name, False, "the marker is not followed by a block of `$ ` lines"))
            continue
        work = tempfile.mkdtemp(dir=workdir)
        outputs, text = run(kernel, root, scratch, cmds, work)
        problem = None
        for k, (cmd, expected, no) in enumerate(cmds):
            while outputs.get(str(k)) and not outputs[str(k)][-1].strip():
                outputs[str(k)].pop()		# blank lines before the next prompt
            if str(k) not in outputs:
                problem = f"line {no}: `{cmd}` never ran (the boot printed: {text[-300:]!r})"
                break
            d = match(expected, outputs[str(k)])
            if d:
                problem = (f"line {d[0]}: after `{cmd}` the page shows {d[1]!r}, "
                           f"Pagoda printed {d[2]!r}")
                break
        results.append((name, problem is None, problem or ""))
        if problem is None:
            shutil.rmtree(work, ignore_errors=True)
    return results


def transcripts(kernel, root, scratch, files, workdir):
    res = []
    for f in files:
        res += check(kernel, root, scratch, f, workdir)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="build/pagoda.elf")
    ap.add_argument("--root", default="build/root-pristine.img")
    ap.add_argument("--scratch", default="build/scratch-pristine.img")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    files = args.files or ["README.md"] + sorted(
        os.path.join("docs", f) for f in os.listdir("docs") if f.endswith(".md"))
    work = tempfile.mkdtemp(prefix="transcripts-")
    res = transcripts(args.kernel, args.root, args.scratch, files, work)
    for name, ok, detail in res:
        print(f"{'PASS' if ok else 'FAIL'} {name}" + (f"  ({detail})" if not ok else ""))
    if all(ok for _, ok, _ in res):
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if all(ok for _, ok, _ in res) else 1)


if __name__ == "__main__":
    main()
