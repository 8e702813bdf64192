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

and a line that is just `...` for any number of lines.

A block marked `<!-- transcript: gdb CMDLINE -->` is a gdb session: QEMU
boots the kernel with CMDLINE, stopped for gdb, and gdb (batch mode) runs
the block's `(gdb) COMMAND` lines, each followed by what it must print. Everything else must
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
import socket
import sys
import subprocess
import tempfile
import time

from qemu_session import session

SEP = "@@transcript@@"

MARK = re.compile(r"^<!-- transcript: (shell|gdb)(?: (.*?))? -->$")
PROMPTS = {"shell": "$ ", "gdb": "(gdb) "}


def find(path):
    """[(line number of the fence, kind, argument, [(command, [expected lines], line no)])]"""
    lines = open(path).read().split("\n")
    out = []
    for i, line in enumerate(lines):
        m = MARK.match(line.strip())
        if not m:
            continue
        kind, arg = m.group(1), m.group(2) or ""
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            out.append((i + 1, kind, arg, None))
            continue
        cmds, j, prompt = [], i + 2, PROMPTS[kind]
        while j < len(lines) and not lines[j].startswith("```"):
            if lines[j].startswith(prompt):
                cmds.append((lines[j][len(prompt):], [], j + 1))
            elif cmds:
                cmds[-1][1].append((lines[j], j + 1))
            j += 1
        out.append((i + 2, kind, arg, cmds))
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


def run_gdb(kernel, root, scratch, cmds, cmdline, timeout=120):
    """QEMU stopped for gdb with cmdline; gdb runs the commands, with a marker
    echoed before each. The outputs by command, and gdb's whole output."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    q = subprocess.Popen(["qemu-system-i386", "-m", "128", "-display", "none", "-nic", "none",
                          "-serial", "null", "-monitor", "none", "-no-reboot",
                          "-kernel", kernel, "-append", cmdline, "-S",
                          "-gdb", f"tcp:127.0.0.1:{port}",
                          "-drive", f"file={root},format=raw,if=ide,index=0,snapshot=on",
                          "-drive", f"file={scratch},format=raw,if=ide,index=1,snapshot=on"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        args = ["gdb-multiarch", "-nx", "-batch", "-ex", "set architecture i386",
                "-ex", f"file {kernel}", "-ex", f"target remote 127.0.0.1:{port}"]
        for k, (cmd, _, _) in enumerate(cmds):
            args += ["-ex", f"echo {SEP}{k}\\n", "-ex", cmd]
        args += ["-ex", f"echo {SEP}end\\n", "-ex", "kill"]
        r = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        text = r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        text = "(timed out)"
    finally:
        q.kill()
        q.wait()
    outputs, cur = {}, None
    for line in text.split("\n"):
        m = re.match(re.escape(SEP) + r"(\d+|end)$", line)
        if m:
            cur = m.group(1)
            outputs[cur] = []
        elif cur is not None and cur != "end":
            outputs[cur].append(line)
    return outputs, text


def check(kernel, root, scratch, path, workdir):
    results = []
    for fence, kind, arg, cmds in find(path):
        name = f"docs.transcript[{os.path.relpath(path)}:{fence}]"
        if not cmds:
            results.append((name, False, "the marker is not followed by a block of `$ ` lines"))
            continue
        work = tempfile.mkdtemp(dir=workdir)
        if kind == "gdb":
            outputs, text = run_gdb(kernel, root, scratch, cmds, arg)
        else:
            outputs, text = run(kernel, root, scratch, cmds, work)
        problem = None
        for k, (cmd, expected, no) in enumerate(cmds):
            while outputs.get(str(k)) and not outputs[str(k)][-1].strip():
                outputs[str(k)].pop()		# blank lines before the next prompt
            if str(k) not in outputs:
                problem = f"line {no}: `{cmd}` never ran (the boot printed: {text[-300:]!r})"
                break
            d = match(expected, outputs[str(k)])
            if d and not d[0]:
                d = (no,) + d[1:]		# nothing expected: name the command's line
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
