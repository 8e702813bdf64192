#!/usr/bin/env python3
"""tools/check_transcripts.py: run the transcripts of the docs and compare
what Pagoda (or a debugger looking at it) prints with what the page shows.

A code block is checked when the line before its fence is a marker:

    <!-- transcript: shell -->          typed at the shell of a fresh boot
    <!-- transcript: gdb CMDLINE -->    gdb, attached to QEMU stopped at boot
    <!-- transcript: bochs CMDLINE -->  the Bochs debugger, as `make bochs`
    <!-- transcript: continued -->      more of the session of the block before
    <!-- transcript: console -->        what the kernel's console showed in it
    <!-- transcript: boot CMDLINE -->   what the kernel prints booted alone

shell: QEMU boots the kernel (init starts the shell, on a fresh copy of
the root disk, with the scratch disk and a swap disk), and each
`$ COMMAND` line is typed at a prompt; the lines after it, up to the next
`$ `, are what it must print.

gdb: QEMU boots the ISO with CMDLINE, stopped, with the disks `make
qemu-gdb CMDLINE=...` gives it, and gdb runs the block's `(gdb) COMMAND`
lines (not in batch mode, so it says what it says to a person:
"Continuing.", "Run till exit from ..."). A CMDLINE that starts with
`OPT=-Og` runs against the kernel and ISO built with -Og instead
(--og-kernel, and pagoda.iso beside it).

bochs: Bochs boots the ISO as `make bochs CMDLINE=...` does (128 MiB, the
disk images and a swap disk, the boot-options disk when CMDLINE is not
empty, the symbols loaded with ldsym), and each `<bochs:N> COMMAND` line
is typed at the debugger's prompt when the command before has finished.
N must be the number of the prompt Bochs shows. A bare `<bochs:N>` types
nothing. In the first block of a session, the lines before the first
prompt must be the last lines Bochs printed before it.

boot: QEMU boots the kernel file itself (-kernel, 128 MiB, or N MiB if
CMDLINE starts with `-m N`; no disks) with the rest of CMDLINE, as the
command a page shows for a boot log or a panic report,
until QEMU exits (CMDLINE has `harness`) or the shell prompts; the
block's lines must appear, in a row, in what it printed.

continued: the block's commands go on in the same session (the same boot,
the same gdb or Bochs) as the block before it on the page, so a
walkthrough can be split by prose and still be one session.

console: the block's lines must appear, in a row, in what the kernel
printed on its serial console during the session before it (gdb: QEMU's
terminal; Bochs: build/bochs-serial.log), such as a table a function
called from gdb prints. Its `$ COMMAND` lines are also typed at that
console whenever the shell prompts, as a reader types into QEMU's
terminal while gdb waits at a breakpoint.

In what a command must print,

    <n>         stands for any number (a pid, a counter, a size),
    <x>         for any hexadecimal number (an address),
    <...>       for any text on the rest of the line,
    <x:NAME>    (or <n:NAME>) for a number, remembered as NAME,
    <NAME>      once NAME is remembered, for those same characters,

and a line that is just `...` for any number of lines. In a Bochs
command, <NAME> is replaced by what it remembered, as a reader types an
address read off the screen (`lb 0x<ret>` after `print-stack` showed it).
Everything else must match exactly, except that runs of blanks count as
one (so a placeholder need not keep a column's width) and blank lines
before a prompt are ignored (in console and boot blocks, only at the
block's ends).

    check_transcripts.py [--kernel K --root IMG --scratch IMG --iso ISO
                          --sym SYM --og-kernel K] [FILE...]

prints one `PASS docs.transcript[FILE:LINE]` or `FAIL ...` line per marked
block, with the first difference (the page's line number, what it shows,
what was printed), and exits 1 if any failed; a failed session's work
folder, with its whole transcript in session.log, is kept. tests/run.py
calls transcripts() for make test.
"""
import argparse
import os
import re
import shutil
import socket
import sys
import subprocess
import tempfile
import threading
import time

import bochs
from qemu_session import session

SEP = "@@transcript@@"

MARK = re.compile(r"^<!-- transcript: (shell|gdb|bochs|continued|console|boot)(?: (.*?))? -->$")
PROMPTS = {"shell": re.compile(r"^\$ (.*)$"), "gdb": re.compile(r"^\(gdb\) (.*)$"),
           "bochs": re.compile(r"^<bochs:(\d+)>(?: (.*))?$")}
WHO = {"shell": "Pagoda", "gdb": "gdb", "bochs": "Bochs"}
NAME = r"[a-z][a-z0-9_]*"
PLACEHOLDER = re.compile(rf"(<n(?::{NAME})?>|<x(?::{NAME})?>|<\.\.\.>|<{NAME}>)")
ANY = {"n": r"-?\d+", "x": r"(?:0x)?[0-9a-fA-F]+"}


class Block:
    """One marked code block: where it is, its kind and argument, the lines
    before its first prompt, and its commands [(command, [(expected, line
    no)], line no, prompt number or None)]. A command of None is a bare
    prompt: nothing typed."""

    def __init__(self, fence, kind, arg):
        self.fence, self.kind, self.arg = fence, kind, arg
        self.continues = kind in ("continued", "console")
        self.pre, self.cmds = [], None


def find(path):
    """The marked blocks of a page, in order, [Block]. A block marked
    `continued` takes the kind and argument of the block before it; a
    `console` block has no commands, only lines (in pre)."""
    lines = open(path).read().split("\n")
    out = []
    for i, line in enumerate(lines):
        m = MARK.match(line.strip())
        if not m:
            continue
        b = Block(i + 2, m.group(1), m.group(2) or "")
        out.append(b)
        if b.continues:
            if len(out) < 2 or out[-2].cmds is None:
                continue		# nothing to continue: check() reports it
            if b.kind == "continued":		# the session's kind, not a console's
                last = next(x for x in reversed(out[:-1]) if x.kind != "console")
                b.kind, b.arg = last.kind, last.arg
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            continue
        b.cmds, j = [], i + 2
        while j < len(lines) and not lines[j].startswith("```"):
            p = b.kind in PROMPTS and PROMPTS[b.kind].match(lines[j])
            if p and b.kind == "bochs":
                b.cmds.append((p.group(2), [], j + 1, int(p.group(1))))
            elif p:
                b.cmds.append((p.group(1), [], j + 1, None))
            elif b.cmds:
                b.cmds[-1][1].append((lines[j], j + 1))
            else:
                b.pre.append((lines[j], j + 1))
            j += 1
    return out


def sessions(blocks):
    """Blocks grouped into what runs in one boot: a block and the
    `continued` ones after it."""
    out = []
    for b in blocks:
        if b.continues and out and b.cmds is not None:
            out[-1].append(b)
        else:
            out.append([b])
    return out


def squeeze(line):
    """Runs of blanks as one (a placeholder does not keep a column's width)."""
    return re.sub(r"[ \t]+", " ", line.strip())


def pattern(line, known):
    """The regular expression for an expected line, and the capture names of
    its groups in order. known: captures so far, which <NAME> stands for
    (as does a <x:NAME> earlier on the same line)."""
    rx, names = "", []
    for p in PLACEHOLDER.split(squeeze(line)):
        m = re.fullmatch(rf"<(n|x)(?::({NAME}))?>", p)
        if m:
            rx += f"(?P<g{len(names)}>{ANY[m.group(1)]})"
            names.append(m.group(2))
        elif p == "<...>":
            rx += r".*"
        elif re.fullmatch(rf"<{NAME}>", p) and p[1:-1] in names:
            rx += f"(?P=g{names.index(p[1:-1])})"
        elif re.fullmatch(rf"<{NAME}>", p) and p[1:-1] in known:
            rx += re.escape(known[p[1:-1]])
        else:
            rx += re.escape(p)
    return re.compile(rx + r"\s*$"), names


def match(expected, actual, known=None):
    """(None, captures) if actual (lines) fits expected [(line, no)], with
    what each <x:NAME> or <n:NAME> matched; else ((no, shown, printed), None)."""
    known = dict(known or {})

    def go(e, a, caps):
        if e == len(expected):
            if a == len(actual):
                return None, caps
            return (expected[-1][1] if expected else 0, "(nothing more)", actual[a]), None
        text, no = expected[e]
        if text.strip() == "...":
            best = None
            for k in range(a, len(actual) + 1):
                d, c = go(e + 1, k, caps)
                if d is None:
                    return None, c
                if best is None or d[0] > best[0]:
                    best = d		# the difference that got furthest down the page
            return best, None
        if a < len(actual):
            rx, names = pattern(text, caps)
            m = rx.match(squeeze(actual[a]))
            if m:
                more = {n: v for n, v in zip(names, m.groups()) if n}
                return go(e + 1, a + 1, dict(caps, **more))
        return (no, text, actual[a] if a < len(actual) else "(nothing)"), None
    return go(0, 0, known)


def typed(cmd, known):
    """The command with each <NAME> replaced by what it captured earlier;
    None if a name was not captured."""
    names = re.findall(rf"<({NAME})>", cmd)
    if any(n not in known for n in names):
        return None
    return re.sub(rf"<({NAME})>", lambda m: known[m.group(1)], cmd)


def run(kernel, root, scratch, cmds, work, timeout=120):
    """A boot to the shell, with a swap disk as make qemu has; cmds typed at
    its prompts. As run_gdb."""
    img = os.path.join(work, "root.img")
    shutil.copy(root, img)
    swap = bochs.qemu_swap_args(bochs.make_swap_disk(work))
    text, outputs, timed_out = session(kernel, [img, scratch], cmds,
                                       cmdline="init=/bin/init", timeout=timeout, extra=swap)
    return {str(k): o for k, o in enumerate(outputs)}, text + ("\n(timed out)" if timed_out else "")


def run_gdb(kernel, root, scratch, cmds, cmdline, timeout=120, iso=None, work=None,
            serial=None, typing=()):
    """QEMU stopped for gdb with cmdline, booting iso through GRUB as `make
    qemu-gdb` does (a boot-options disk in work when cmdline is not empty),
    or without iso the kernel file itself (-kernel); gdb runs the commands
    (strings), with a marker echoed before each. Not in batch mode, which
    would leave out what gdb tells a person at a terminal ("Continuing.",
    "Run till exit from ..."); no line wrapping, as in a wide terminal.
    The outputs by command ({"0": [lines], ...}), and gdb's whole output;
    the serial console goes to the file serial, if given, and each line of
    typing is typed at it when the shell prompts, as into QEMU's terminal."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    boot = ["-kernel", kernel, "-append", cmdline]
    disks = [f"file={root},format=raw,if=ide,index=0,snapshot=on",
             f"file={scratch},format=raw,if=ide,index=1,snapshot=on"]
    if iso:			# and the swap disk, as make qemu-gdb has them
        boot = ["-boot", "d", "-cdrom", iso] + bochs.qemu_swap_args(bochs.make_swap_disk(work))
        if cmdline:
            cfg = bochs.make_cfg_disk(work, cmdline)
            disks.append(f"file={cfg},format=raw,if=ide,index=3")
    q = subprocess.Popen(["qemu-system-i386", "-m", "128", "-display", "none", "-nic", "none",
                          "-serial", "stdio" if serial else "null",
                          "-monitor", "none", "-no-reboot", "-S",
                          "-gdb", f"tcp:127.0.0.1:{port}"] + boot +
                         [x for d in disks for x in ("-drive", d)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    console = threading.Thread(target=type_at_console, args=(q, serial, list(typing)),
                               daemon=True)
    console.start()
    try:
        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        args = ["gdb-multiarch", "-q", "-nx", "-ex", "set width 0", "-ex", "set height 0",
                "-ex", "set confirm off", "-ex", "set architecture i386",
                "-ex", f"file {kernel}", "-ex", f"target remote 127.0.0.1:{port}"]
        for k, cmd in enumerate(cmds):
            args += ["-ex", f"echo {SEP}{k}\\n", "-ex", cmd]
        args += ["-ex", f"echo {SEP}end\\n", "-ex", "kill", "-ex", "quit"]
        # one stream, so that an error message stays after its command
        r = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        text = r.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        text = "(timed out)"
    finally:
        q.kill()
        q.wait()
        console.join(5)
    outputs, cur = {}, None
    for line in text.split("\n"):
        m = re.match(re.escape(SEP) + r"(\d+|end)$", line)
        if m:
            cur = m.group(1)
            outputs[cur] = []
        elif cur is not None and cur != "end":
            outputs[cur].append(line)
    return outputs, text


def type_at_console(q, path, typing):
    """Copy QEMU's serial output to the file path (if any), typing each line
    of typing when a shell prompt has appeared since the last one."""
    out, seen = b"", 0
    with open(path or os.devnull, "wb") as f:
        while True:
            chunk = os.read(q.stdout.fileno(), 4096)
            if not chunk:
                return
            f.write(chunk)
            f.flush()
            out += chunk
            if typing and out.find(b"$ ", seen) >= 0:
                seen = len(out)
                try:
                    q.stdin.write(typing.pop(0).encode() + b"\n")
                    q.stdin.flush()
                except BrokenPipeError:
                    return


def run_bochs(build, cmds, cmdline, work, pre=None):
    """Bochs started as `make bochs CMDLINE=cmdline` starts it (build: where
    the ISO, the symbols and the disk images are), each command typed at
    the debugger's prompt once the one before has finished, as a reader
    types them. cmds: [(command or None, expected, line no, prompt)]; a
    command's <NAME>s are what earlier output captured. pre: what Bochs
    must print before its first prompt. Returns the outputs by command,
    the prompt number each was typed at, the lines before the first
    prompt, and the whole transcript."""
    root = os.path.join(work, "root.img")
    scratch = os.path.join(work, "scratch.img")
    shutil.copy(build["root"], root)
    shutil.copy(build["scratch"], scratch)
    disk = bochs.make_cfg_disk(work, cmdline) if cmdline else None
    swap = bochs.make_swap_disk(work)
    dbg = bochs.Debugger(work, build["iso"], build["sym"], 128, root, scratch, disk, swap)
    outputs, prompts, known = {}, {}, {}
    try:
        start = dbg.start() or []
        for k, (cmd, expected, _, _) in enumerate(cmds):
            prompts[str(k)] = dbg.prompt
            if cmd is None:			# a bare prompt: the page types nothing here
                outputs[str(k)] = []
                continue
            line = typed(cmd, known)
            got = dbg.type(line) if line is not None else None
            if got is None:
                break
            outputs[str(k)] = got[1]
            known.update(match(expected, got[1], known)[1] or {})
    finally:
        dbg.close()
    return outputs, prompts, start, dbg.transcript.decode("utf-8", "replace")


def check_session(blocks, path, build, workdir):
    """Run one session (a block and its continued ones); a result per block."""
    first = blocks[0]
    cmds = [c for b in blocks for c in b.cmds]
    work = tempfile.mkdtemp(dir=workdir)
    prompts, start, serial = {}, None, os.path.join(work, "serial.log")
    boot_hung = False
    if first.kind == "gdb":
        kernel, iso, cmdline = build["kernel"], build["iso"], first.arg
        if cmdline.split(" ")[0] == "OPT=-Og":
            kernel, iso = build["og_kernel"], build["og_iso"]
            cmdline = cmdline[len("OPT=-Og"):].strip()
        if not os.path.exists(kernel) or not os.path.exists(iso):
            name = f"docs.transcript[{os.path.relpath(path)}:{first.fence}]"
            return [(name, False, f"no {kernel} and {iso} (make test builds them)")]
        typing = [line[2:] for b in blocks if b.kind == "console"
                  for line, _ in b.pre if line.startswith("$ ")]
        outputs, text = run_gdb(kernel, build["root"], build["scratch"],
                                [c[0] for c in cmds], cmdline, iso=iso, work=work,
                                serial=serial, typing=typing)
    elif first.kind == "bochs":
        outputs, prompts, start, text = run_bochs(build, cmds, first.arg, work)
        serial = os.path.join(work, "bochs-serial.log")
    elif first.kind == "boot":		# the page's own qemu-system-i386 -kernel command
        m = re.match(r"-m (\d+)(?: (.*))?$", first.arg)	# a machine of that many MiB
        mem, cmdline = (int(m.group(1)), m.group(2) or "") if m else (128, first.arg)
        t0 = time.monotonic()
        text, _, _ = session(build["kernel"], [], [], cmdline=cmdline, mem=mem, timeout=120)
        boot_hung = time.monotonic() - t0 >= 119	# not ended by QEMU or a prompt
        outputs, serial = {}, None
    else:
        outputs, text = run(build["kernel"], build["root"], build["scratch"],
                            [c[0] for c in cmds], work)
        serial = None
    if serial and os.path.exists(serial):
        with open(serial, "rb") as f:
            console = f.read().decode("utf-8", "replace").replace("\r", "").split("\n")
    else:
        console = text.split("\n")
    results, base, known = [], 0, {}
    for b in blocks:
        problem = None
        pre = [x for x in b.pre if x[0].strip()]
        if b is first and first.kind == "bochs" and pre:
            start = start or []
            while start and not start[-1].strip():
                start.pop()
            d, _ = match([("...", 0)] + pre, start)
            if d:
                problem = (f"line {pre[0][1]}: before the first prompt the page shows "
                           f"{[t for t, _ in pre]!r}; Bochs's last lines were "
                           f"{start[-len(pre):]!r}")
        if b.kind == "boot" and boot_hung:	# it would cost every make test 2 minutes
            problem = (f"line {b.fence}: the boot did not end by itself within 120 s "
                       "(give its CMDLINE `harness`)")
        elif b.kind in ("console", "boot"):
            shown = list(b.pre)		# blank lines inside count here
            while shown and not shown[-1][0].strip():
                shown.pop()
            while shown and not shown[0][0].strip():
                shown.pop(0)
            d, _ = match([("...", 0)] + shown + [("...", 0)], console, known)
            if d:
                problem = (f"line {d[0]}: the console shows no {d[1]!r} there "
                           f"(the session's console is kept in its work folder)")
        for k, (cmd, expected, no, number) in enumerate(b.cmds, base):
            if problem:
                break
            out = outputs.get(str(k))
            while out and not out[-1].strip():
                out.pop()			# blank lines before the next prompt
            if out is None:
                problem = f"line {no}: `{cmd}` never ran (the session printed: {text[-300:]!r})"
                if cmd and typed(cmd, known) is None:
                    problem = f"line {no}: `{cmd}` names a capture no line above made"
            elif number is not None and prompts.get(str(k)) != number:
                problem = (f"line {no}: the page shows the prompt <bochs:{number}>, "
                           f"Bochs showed <bochs:{prompts.get(str(k))}>")
            else:
                d, caps = match(expected, out, known)
                if d and not d[0]:
                    d = (no,) + d[1:]		# nothing expected: name the command's line
                if d:
                    problem = (f"line {d[0]}: after `{cmd}` the page shows {d[1]!r}, "
                               f"{WHO[b.kind]} printed {d[2]!r}")
                else:
                    known = caps
        base += len(b.cmds)
        name = f"docs.transcript[{os.path.relpath(path)}:{b.fence}]"
        results.append((name, problem is None, problem or ""))
    if all(ok for _, ok, _ in results):
        shutil.rmtree(work, ignore_errors=True)
    else:
        with open(os.path.join(work, "session.log"), "w") as f:
            f.write(text)
        with open(os.path.join(work, "console.log"), "w") as f:
            f.write("\n".join(console))
    return results


def check(path, build, workdir):
    """A result per marked block of the page at path."""
    results = []
    for group in sessions(find(path)):
        b = group[0]
        name = f"docs.transcript[{os.path.relpath(path)}:{b.fence}]"
        if b.cmds is None:
            results.append((name, False, "the marker is not followed by a code block"))
        elif b.continues:
            results.append((name, False, f"`{b.kind}`, but no checked block before it"))
        elif not b.cmds and b.kind != "boot":
            results.append((name, False, "the block has no prompt lines "
                            f"({'`$ `, `(gdb) ` or `<bochs:N> `'})"))
        else:
            results += check_session(group, path, build, workdir)
    return results


def transcripts(kernel, root, scratch, files, workdir, iso=None, sym=None, og_kernel=None):
    """Check every marked block of files. The ISO, the symbol file and the
    -Og kernel default to the ones beside the kernel (og/pagoda.elf)."""
    here = os.path.dirname(kernel)
    og_kernel = og_kernel or os.path.join(here, "og", "pagoda.elf")
    build = {"kernel": kernel, "root": root, "scratch": scratch,
             "iso": iso or os.path.join(here, "pagoda.iso"),
             "sym": sym or os.path.join(here, "pagoda.sym"),
             "og_kernel": og_kernel,
             "og_iso": os.path.join(os.path.dirname(og_kernel), "pagoda.iso")}
    res = []
    for f in files:
        res += check(f, build, workdir)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="build/pagoda.elf")
    ap.add_argument("--root", default="build/root-pristine.img")
    ap.add_argument("--scratch", default="build/scratch-pristine.img")
    ap.add_argument("--iso", default="build/pagoda.iso")
    ap.add_argument("--sym", default="build/pagoda.sym")
    ap.add_argument("--og-kernel", default="build/og/pagoda.elf")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    files = args.files or ["README.md"] + sorted(
        os.path.join("docs", f) for f in os.listdir("docs") if f.endswith(".md"))
    work = tempfile.mkdtemp(prefix="transcripts-")
    res = transcripts(args.kernel, args.root, args.scratch, files, work, args.iso, args.sym,
                      args.og_kernel)
    for name, ok, detail in res:
        print(f"{'PASS' if ok else 'FAIL'} {name}" + (f"  ({detail})" if not ok else ""))
    if all(ok for _, ok, _ in res):
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if all(ok for _, ok, _ in res) else 1)


if __name__ == "__main__":
    main()
