#!/usr/bin/env python3
"""tools/labgrade.py: start, reset and grade Pagoda's labs (labs/README.md).

    labgrade.py list
    labgrade.py start NAME     apply labs/NAME/start.patch: the lab's starting point
    labgrade.py reset          take the started lab's patch back off (if untouched)
    labgrade.py grade NAME --kernel K --root R --scratch S [--json FILE]
    labgrade.py startcheck NAME --root R --scratch S [--json FILE]
    labgrade.py handouts [--check]   the generated tables of the handouts

A lab's starting point is the tree with labs/NAME/start.patch applied: the
reference code of the piece the lab is about replaced by a stub marked
"LAB NAME". The patch is the only copy of the stub; the reference is the
tree itself. `start` remembers the lab in labs/.started.

A grader is labs/NAME/grade.py: a list CHECKS of checks, each worth some
points, each judged from one or more boots of the kernel under QEMU (the
kernel is the argument, so the same grader grades the reference, a
student's work, or a starting point). A check's points are shared evenly
among the things it judges (each self-test, each user test, each figure),
and the score is their sum out of 100. Boots that several checks need are
made once. grade exits 0 only at 100.

startcheck (make test) copies the working tree to a temporary folder,
applies the lab's patch there, builds that kernel and grades it, so that
the patch is seen to apply and the starting point to score less than the
reference.

handouts writes the table of labs in labs/README.md and each handout's
grading table from the graders and patches; with --check it only says
(and exits 1) if one is out of date (make test).
"""
import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import bench
import bochs
from docsplice import splice

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABS = os.path.join(TOP, "labs")
STARTED = os.path.join(LABS, ".started")
PASS_STATUS = (0x10 << 1) | 1          # isa-debug-exit: the harness's "passed"


# --- boots ---------------------------------------------------------------

class Boot:
    """One QEMU boot: a command line, RAM, and whether it has a swap disk."""

    def __init__(self, cmdline, mem=128, swap=False, timeout=300):
        self.cmdline, self.mem, self.swap, self.timeout = cmdline, mem, swap, timeout

    @classmethod
    def init(cls, cmd, options="", mem=128, swap=False, timeout=300):
        """A boot that runs cmd as init under the test harness."""
        return cls(" ".join(filter(None, [f'init="{cmd}"', options, "harness"])), mem, swap,
                   timeout)

    def key(self):
        return (self.cmdline, self.mem, self.swap)

    def run(self, kernel, disks, workdir):
        """(status or None if it timed out, console text, seconds)"""
        extra = bochs.qemu_swap_args(bochs.make_swap_disk(workdir, 64)) if self.swap else ()
        start = time.monotonic()
        try:
            status, text = bench.run(kernel, self.cmdline, disks, timeout=self.timeout,
                                     mem=self.mem, extra=extra)
        except subprocess.TimeoutExpired as e:
            out = e.stdout or b""
            status, text = None, out.decode("utf-8", "replace").replace("\r", "")
        return status, text, time.monotonic() - start


def boot_problems(status, text):
    """What went wrong with a boot as a whole (a timeout, a panic), or ''."""
    if status is None:
        return "the boot timed out"
    if "PANIC" in text or "panic:" in text:
        line = next((l for l in text.splitlines() if "PANIC" in l or "panic:" in l), "")
        return "the kernel panicked: " + line.strip()
    return ""


# --- checks --------------------------------------------------------------

class Check:
    """Base: points, a title, the boot it needs (self.boot); judge() gives
    the items, [(what, ok, detail)], among which its points are shared."""

    def __init__(self, title, points):
        self.title, self.points = title, points
        self.boot = None

    def boots(self):
        return [self.boot]

    def judge(self, results):
        raise NotImplementedError


class Lines(Check):
    """A boot whose console reports one result per line: each match of
    pattern (groups: PASS|FAIL, name, detail) is an item; expect is how many
    there must be, and each one missing (the boot died first) is a failure."""

    def __init__(self, title, points, boot, pattern, expect):
        super().__init__(title, points)
        self.boot, self.pattern, self.expect = boot, pattern, expect

    def judge(self, results):
        status, text, _ = results[self.boot.key()]
        items = [(m.group(2), m.group(1) == "PASS", m.group(3) or "")
                 for m in re.finditer(self.pattern, text, re.M)]
        for i in range(len(items), self.expect):
            items.append((f"(result {i + 1} of {self.expect})", False,
                          boot_problems(status, text) or "did not report"))
        return items


def Ktests(title, points, prefixes, expect, cmdline="", mem=128):
    """Kernel self-tests whose names start with one of the prefixes."""
    boot = Boot(" ".join(filter(None, [f"selftest={','.join(prefixes)}", cmdline, "harness"])),
                mem)
    return Lines(title, points, boot, r"^ktest: (PASS|FAIL) (\S+)(?: (.*))?$", expect)


def Utests(title, points, prefixes, expect, options="", mem=128):
    """User tests (user/usertests.c) whose names start with one of the prefixes."""
    boot = Boot.init(f"/bin/usertests {' '.join(prefixes)}".rstrip(), options, mem)
    return Lines(title, points, boot, r"^utest: (PASS|FAIL) (\S+)(?: (.*))?$", expect)


class Program(Check):
    """A program run as init; each (what, fn) in judges looks at its console
    (fn(text) -> (ok, detail)). With must_pass, the harness's exit status
    and the absence of a panic are one more item."""

    def __init__(self, title, points, cmd, judges, options="", mem=128, swap=False,
                 timeout=300, must_pass=True):
        super().__init__(title, points)
        self.judges, self.must_pass = judges, must_pass
        self.boot = Boot.init(cmd, options, mem, swap, timeout)

    def judge(self, results):
        status, text, _ = results[self.boot.key()]
        items = []
        if self.must_pass:
            bad = boot_problems(status, text)
            if not bad and status != PASS_STATUS:
                bad = f"exit status {status}: the program reported a failure"
            items.append(("ran to the end and passed", not bad, bad))
        for what, fn in self.judges:
            try:
                ok, detail = fn(text)
            except (ValueError, KeyError, IndexError, ZeroDivisionError) as e:
                ok, detail = False, f"no figure to judge ({e.__class__.__name__}: {e})"
            items.append((what, ok, detail))
        return items


class Judged(Check):
    """A benchmark whose console tools/TOOL.py judges against its targets:
    each `TOOL: met|MISSED: what` line it prints is an item."""

    def __init__(self, title, points, cmd, tool, expect, options="", mem=128, swap=False,
                 timeout=600):
        super().__init__(title, points)
        self.tool, self.expect = tool, expect
        self.boot = Boot.init(cmd, options, mem, swap, timeout)

    def judge(self, results):
        status, text, _ = results[self.boot.key()]
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write(text)
            f.flush()
            tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), self.tool + ".py")
            r = subprocess.run([sys.executable, tool, f.name], capture_output=True, text=True)
        items = [(m.group(2), m.group(1) == "met", "")
                 for m in re.finditer(rf"^{self.tool}: (met|MISSED): (.*)$", r.stdout, re.M)]
        why = boot_problems(status, text) or (r.stdout + r.stderr).strip()[-300:]
        for i in range(len(items), self.expect):
            items.append((f"(target {i + 1} of {self.expect})", False, why))
        return items


def bigmem_nothing_lost(text):
    """(ok, detail): bigmem checked every word and got all its memory back."""
    ok = " passes: ok" in text and ": nothing lost" in text
    line = next((l for l in text.splitlines() if l.startswith("bigmem: after")), "no summary")
    return ok, line


def csv_rows(text, prefix):
    """The console's `prefix,...` lines, split at the commas."""
    return [l.split(",") for l in text.splitlines() if l.startswith(prefix + ",")]


# --- grading -------------------------------------------------------------

def load(name):
    """labs/NAME/grade.py as a module (its CHECKS, TITLE)."""
    path = os.path.join(LABS, name, "grade.py")
    if not os.path.exists(path):
        sys.exit(f"labgrade: no lab {name!r} (labs/*/grade.py: {', '.join(lab_names())})")
    spec = importlib.util.spec_from_file_location(f"lab_{name}", path)
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    spec.loader.exec_module(mod)
    total = sum(c.points for c in mod.CHECKS)
    if total != 100:
        sys.exit(f"labgrade: {path}: points add up to {total}, not 100")
    return mod


def lab_names():
    """The labs, in the course's order (each grader's ORDER)."""
    names = [d for d in os.listdir(LABS) if os.path.exists(os.path.join(LABS, d, "grade.py"))]
    return sorted(names, key=lambda n: (load(n).ORDER, n))


def grade(name, kernel, root, scratch, out=sys.stdout):
    """Boot, judge and print; returns (score, [check records])."""
    mod = load(name)
    results, records, score = {}, [], 0.0
    with tempfile.TemporaryDirectory(prefix=f"pagoda-lab-{name}-") as work:
        for check in mod.CHECKS:
            for b in check.boots():
                if b.key() not in results:
                    print(f"  boot: {b.cmdline} ({b.mem} MiB{', swap' if b.swap else ''})",
                          file=out, flush=True)
                    results[b.key()] = b.run(kernel, [root, scratch], work)
                    print(f"        {results[b.key()][2]:.1f} s", file=out, flush=True)
    for check in mod.CHECKS:
        items = check.judge(results)
        good = sum(1 for _, ok, _ in items if ok)
        got = check.points * good / len(items) if items else 0.0
        score += got
        print(f"[{got:5.1f}/{check.points:3d}] {check.title}: {good} of {len(items)}", file=out)
        for what, ok, detail in items:
            if not ok:
                print(f"          FAIL {what}{': ' + detail if detail else ''}", file=out)
        records.append({"title": check.title, "points": check.points, "got": got,
                        "items": [[w, ok, d] for w, ok, d in items]})
    score = round(score, 1)
    print(f"lab {name}: score {score:g}/100", file=out)
    return score, records


# --- starting points -----------------------------------------------------

def patch_path(name):
    return os.path.join(LABS, name, "start.patch")


def git_apply(args, cwd):
    return subprocess.run(["git", "apply"] + args, cwd=cwd, capture_output=True, text=True)


def start(name):
    load(name)
    if os.path.exists(STARTED):
        sys.exit(f"labgrade: lab {open(STARTED).read().strip()} is started; "
                 "`make lab-reset` first")
    r = git_apply(["--check", patch_path(name)], TOP)
    if r.returncode:
        sys.exit(f"labgrade: labs/{name}/start.patch does not apply to this tree:\n{r.stderr}")
    git_apply([patch_path(name)], TOP)
    with open(STARTED, "w") as f:
        f.write(name + "\n")
    print(f"lab {name}: started. The stubs to fill in are marked `LAB {name}` in:")
    for f in stub_files(name):
        print(f"    {f}")
    print(f"Read labs/{name}/README.md; `make grade-{name}` grades your work; "
          "`make lab-reset` goes back.")


def reset():
    if not os.path.exists(STARTED):
        sys.exit("labgrade: no lab is started")
    name = open(STARTED).read().strip()
    r = git_apply(["-R", "--check", patch_path(name)], TOP)
    if r.returncode:
        sys.exit(f"labgrade: the files of lab {name} have changed since it started, so its "
                 "patch cannot be taken back off.\nKeep your work with `git diff > my-"
                 f"{name}.patch` (or git stash), then `git checkout` the files it names and "
                 f"remove labs/.started.")
    git_apply(["-R", patch_path(name)], TOP)
    os.remove(STARTED)
    print(f"lab {name}: reset; the tree has its reference code back")


def copy_tree(dst):
    """The working tree's files (tracked and new, not ignored) and the kernel's
    objects into dst, times kept, so that make rebuilds only what a patch touches."""
    files = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=TOP,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        src = os.path.join(TOP, f)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(dst, f)), exist_ok=True)
            shutil.copy2(src, os.path.join(dst, f))
    for d in ("kernel", "mm", "fs", "boot", "tests"):
        if os.path.isdir(os.path.join(TOP, "build", d)):
            shutil.copytree(os.path.join(TOP, "build", d), os.path.join(dst, "build", d))
    ok = os.path.join(TOP, "build", ".deps-ok")
    if os.path.exists(ok):
        shutil.copy2(ok, os.path.join(dst, "build", ".deps-ok"))


def startcheck(name, root, scratch, out=sys.stdout):
    """In a copy of the tree: `make lab-NAME`'s command, build, grade, then
    `make lab-reset`'s, which must give every file back. (score or None, detail)"""
    with tempfile.TemporaryDirectory(prefix=f"pagoda-labstart-{name}-") as work:
        copy_tree(work)
        tool = [sys.executable, os.path.join("tools", "labgrade.py")]
        r = subprocess.run(tool + ["start", name], cwd=work, capture_output=True, text=True)
        if r.returncode:
            return None, f"make lab-{name} failed: {(r.stdout + r.stderr).strip()[-600:]}"
        r = subprocess.run(["make", "-s", "build/pagoda.elf"], cwd=work, capture_output=True,
                           text=True)
        if r.returncode:
            return None, f"the starting point does not build: {r.stdout[-800:]}{r.stderr[-800:]}"
        unmarked = [f for f in stub_files(name)
                    if f"LAB {name}" not in open(os.path.join(work, f)).read()]
        if unmarked:
            return None, f"no stub marked `LAB {name}` in {', '.join(unmarked)}"
        score, _ = grade(name, os.path.join(work, "build", "pagoda.elf"), root, scratch, out)
        r = subprocess.run(tool + ["reset"], cwd=work, capture_output=True, text=True)
        changed = [f for f in stub_files(name) if open(os.path.join(TOP, f), "rb").read() !=
                   open(os.path.join(work, f), "rb").read()]
        if r.returncode or changed or os.path.exists(os.path.join(work, "labs", ".started")):
            return None, (f"make lab-reset did not give the reference back ({', '.join(changed)}): "
                          f"{(r.stdout + r.stderr).strip()[-300:]}")
        return score, f"stubs in {', '.join(stub_files(name))}; make lab-reset restored them"


# --- handouts --------------------------------------------------------------

def stub_files(name):
    return re.findall(r"^\+\+\+ b/(\S+)", open(patch_path(name)).read(), re.M)


def handout_blocks():
    """[(path, marker, lines)]: every generated block of the handouts."""
    table = ["| lab | what you build | the stub is in |", "|---|---|---|"]
    blocks = []
    for n in lab_names():
        mod = load(n)
        files = ", ".join(f"`{f}`" for f in stub_files(n))
        table.append(f"| [{n}]({n}/README.md) | {mod.TITLE} | {files} |")
        rows = ["| points | check |", "|--:|---|"]
        rows += [f"| {c.points} | {c.title} |" for c in mod.CHECKS]
        blocks.append((os.path.join(LABS, n, "README.md"), "grading", rows))
    return [(os.path.join(LABS, "README.md"), "labs table", table)] + blocks


def handouts(check):
    """Write (or, with check, compare) the generated blocks: the stale paths."""
    stale = []
    for path, marker, lines in handout_blocks():
        before = open(path).read()
        splice(path, marker, lines, "labgrade")
        if open(path).read() != before:
            stale.append(os.path.relpath(path, TOP))
            if check:
                open(path, "w").write(before)
    return stale


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["list", "start", "reset", "grade", "startcheck", "handouts"])
    ap.add_argument("--check", action="store_true", help="handouts: only compare")
    ap.add_argument("name", nargs="?")
    ap.add_argument("--kernel")
    ap.add_argument("--root")
    ap.add_argument("--scratch")
    ap.add_argument("--json", help="write the score and the checks here")
    a = ap.parse_args()
    if a.cmd == "list":
        for n in lab_names():
            print(f"{n:10} {load(n).TITLE}")
        return
    if a.cmd == "start":
        return start(a.name)
    if a.cmd == "reset":
        return reset()
    if a.cmd == "handouts":
        stale = handouts(a.check)
        verb = "out of date (make handouts)" if a.check else "rewritten"
        for p in stale:
            print(f"labgrade: {p}: {verb}")
        sys.exit(1 if stale and a.check else 0)
    if not (a.name and a.root and a.scratch):
        sys.exit("labgrade: grade and startcheck want NAME --root --scratch (and --kernel)")
    if a.cmd == "grade":
        score, records = grade(a.name, a.kernel, a.root, a.scratch)
        detail = ""
    else:
        score, detail = startcheck(a.name, a.root, a.scratch)
        records = []
        print(f"lab {a.name}: starting point: {detail}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"lab": a.name, "score": score, "detail": detail, "checks": records}, f)
    sys.exit(0 if score == 100 else 1)


if __name__ == "__main__":
    main()
