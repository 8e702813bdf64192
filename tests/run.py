#!/usr/bin/env python3
"""tests/run.py: boot Pagoda headless, run every test, judge the output.

Each run boots an emulator with a command line, reads the serial console,
enforces a timeout, and turns what it saw into named results:

  * the self-test boot (ISO through GRUB in QEMU): one result per
    `ktest: PASS|FAIL name` line, plus boot.qemu for the boot as a whole;
  * deliberate panics (-kernel): the panic report names the trap, the
    registers and a symbolised backtrace, and the run ends with a summary;
  * bad boot input: too little RAM, a junk command line;
  * the same ISO in Bochs: boot.bochs.

Prints one line per test, the timings, and `N passed, N failed` last.
Exits 1 if anything failed or timed out.
"""
import argparse
import concurrent.futures
import io
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import bochs  # noqa: E402
import check_transcripts  # noqa: E402
import labgrade  # noqa: E402
import vmview  # noqa: E402

EXIT_PASS, EXIT_FAIL, EXIT_PANIC = 0x10, 0x11, 0x12


def qemu_status(code):
    """What QEMU's exit status is after the guest writes code to isa-debug-exit."""
    return (code << 1) | 1


RUNS = []   # every run, so that its log can be kept when something fails
FIGURES = {}  # what the last run measured, for docs (tools/docfigures.py)
FIGURES_LOCK = threading.Lock()


def figure(key, value):
    with FIGURES_LOCK:
        FIGURES[key] = value


class Run:
    """One emulator run: its serial lines with arrival times, status, timeout."""

    def __init__(self, name):
        RUNS.append(self)
        self.name = name
        self.lines = []          # (seconds since start, text)
        self.status = None
        self.timed_out = False
        self.seconds = 0.0
        self.cut_at = None       # when run_qemu pulled the plug

    def text(self):
        return "\n".join(line for _, line in self.lines)

    def first(self, pattern):
        """Seconds until the first line matching pattern, or None."""
        for t, line in self.lines:
            if re.search(pattern, line):
                return t
        return None

    def tail(self, n=15):
        return "\n".join("    | " + line for _, line in self.lines[-n:])


def run_qemu(name, args, timeout, mem=128, cut=None):
    """Boot QEMU; with cut=(pattern, seconds), kill it (SIGKILL: a power cut)
    that long after a line matching pattern (a run.cut_at time then)."""
    cmd = ["qemu-system-i386", "-m", str(mem), "-display", "none", "-nic", "none",
           "-no-reboot", "-serial", "stdio", "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"] + args
    run = Run(name)
    start = time.monotonic()
    seen = threading.Event()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)

    def reader():
        for raw in proc.stdout:
            if not raw.endswith(b"\n"):
                break			# cut off mid-line: not a line the guest wrote
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            run.lines.append((time.monotonic() - start, line))
            if cut and re.search(cut[0], line):
                seen.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    try:
        if cut:
            if seen.wait(timeout) and proc.poll() is None:
                time.sleep(cut[1])
                run.cut_at = time.monotonic() - start
                proc.kill()
        run.status = proc.wait(timeout=max(1, timeout - (time.monotonic() - start)))
    except subprocess.TimeoutExpired:
        run.timed_out = True
        proc.kill()
        proc.wait()
    t.join(5)
    run.seconds = time.monotonic() - start
    return run


def disk_copies(workdir, images):
    """Each emulator gets its own copies of the disk images it may write."""
    out = []
    for img in images:
        dst = os.path.join(workdir, os.path.basename(img).replace("-pristine", ""))
        shutil.copyfile(img, dst)
        out.append(dst)
    return out


def qemu_disks(root, scratch, cfg):
    return ["-drive", f"file={root},format=raw,if=ide,index=0",
            "-drive", f"file={scratch},format=raw,if=ide,index=1",
            "-drive", f"file={cfg},format=raw,if=ide,index=3"]


def fsck(name, image):
    """A result: e2fsck -fn finds the image clean."""
    r = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
    detail = "" if r.returncode == 0 else (r.stdout + r.stderr).strip().splitlines()[-1]
    return (name, r.returncode == 0, detail)


def run_bochs(name, iso, disks, workdir, timeout):
    rc = os.path.join(workdir, "bochsrc.txt")
    serial = os.path.join(workdir, "bochs-serial.txt")
    cmds = os.path.join(workdir, "bochs.rc")
    root, scratch, cfg, swap = (list(disks) + [None])[:4]
    bochs.write_config(rc, iso, serial, mem=64, disk=cfg, root=root, scratch=scratch,
                       swap=swap)
    with open(cmds, "w") as f:
        f.write("c\nquit\n")
    run = Run(name)
    start = time.monotonic()
    env = dict(os.environ, TERM="dumb")
    with open(os.path.join(workdir, "bochs-out.txt"), "wb") as out:
        proc = subprocess.Popen(["bochs-bin", "-q", "-unlock", "-f", rc, "-rc", cmds],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                env=env, start_new_session=True)
        try:
            run.status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            run.timed_out = True
            proc.kill()       # the term display ignores SIGTERM
            proc.wait()
    run.seconds = time.monotonic() - start
    if os.path.exists(serial):
        with open(serial, "rb") as f:
            for raw in f.read().decode("utf-8", "replace").splitlines():
                run.lines.append((run.seconds, raw.rstrip("\r")))
    return run


# --- judging -----------------------------------------------------------

def ktest_results(run):
    """(name, ok, detail) for each ktest line, plus the boot's own verdict."""
    results, reported = [], 0
    plan = done = None
    for _, line in run.lines:
        m = re.match(r"ktest: (PASS|FAIL) (\S+)(?: (.*))?$", line)
        if m:
            reported += 1
            results.append((m.group(2), m.group(1) == "PASS", m.group(3) or ""))
        elif line.startswith("ktest: PLAN "):
            plan = int(line.split()[2])
        elif line.startswith("ktest: DONE "):
            done = line
    return results, plan, done, reported


def judge_selftest_boot(run, boot_name, want_status=True):
    results, plan, done, reported = ktest_results(run)
    out = list(results)
    problems = []
    if run.timed_out:
        problems.append("timed out")
    if plan is None:
        problems.append("no 'ktest: PLAN' line: the kernel did not reach the self-tests")
    elif plan != reported:
        problems.append(f"planned {plan} tests, {reported} reported")
    if done is None:
        problems.append("no 'ktest: DONE' summary")
    if "PANIC" in run.text():
        problems.append("the kernel panicked")
    failed = sum(1 for _, ok, _ in results if not ok)
    if want_status and run.status is not None and not run.timed_out:
        want = qemu_status(EXIT_FAIL if failed else EXIT_PASS)
        if run.status != want:
            problems.append(f"exit status {run.status}, expected {want}")
    out.append((boot_name, not problems, "; ".join(problems)))
    return out, run


def exported_images(run, scratch, workdir):
    """e2fsck -fn each disk image a self-test handed over ("ktest: fsck-image
    PATH", a file on the scratch disk): one result per image."""
    res = []
    for _, line in run.lines:
        m = re.match(r"ktest: fsck-image (\S+)$", line)
        if not m:
            continue
        path = m.group(1)
        out = os.path.join(workdir, re.sub(r"[^A-Za-z0-9_.-]", "_", path))
        r = subprocess.run(["debugfs", "-R", f"dump {path} {out}", scratch],
                           capture_output=True, text=True)
        name = f"fsck.image[{os.path.basename(path)}]"
        if r.returncode != 0 or not os.path.exists(out):
            res.append((name, False, f"debugfs could not take {path} out"))
        else:
            res.append(fsck(name, out))
    return res


def pattern_bytes(size, seed):
    """The fixture pattern: byte i is (i * 7 + seed) % 251."""
    return bytes((i * 7 + seed) % 251 for i in range(size))


def kept_files_intact(image, kept, workdir):
    """Problems reading back each (path, size, seed) of kept from image."""
    cmds = os.path.join(workdir, "dump.cmds")
    outs = []
    with open(cmds, "w") as f:
        for i, (path, _, _) in enumerate(kept):
            out = os.path.join(workdir, f"kept{i}")
            if os.path.exists(out):
                os.unlink(out)
            outs.append(out)
            f.write(f"dump {path} {out}\n")
    subprocess.run(["debugfs", "-f", cmds, image], capture_output=True)
    bad = []
    for (path, size, seed), out in zip(kept, outs):
        if not os.path.exists(out):
            bad.append(f"{path} is gone")
            continue
        with open(out, "rb") as f:
            data = f.read()
        if len(data) != size:
            bad.append(f"{path}: {len(data)} bytes, not the {size} synced")
        elif data != pattern_bytes(size, seed):
            bad.append(f"{path}: not the bytes synced")
    return bad


def check_cut(image, kept, workdir):
    """A disk stopped here: whatever e2fsck -fn finds, e2fsck -p mends by
    itself, then -n finds it clean; and every kept file reads back whole.
    (fsck problem, lost files, whether -fn found the disk inconsistent); the
    first two None if all is well."""
    problem = None
    inconsistent = subprocess.run(["e2fsck", "-fn", image], capture_output=True).returncode != 0
    r = subprocess.run(["e2fsck", "-fp", image], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        lines = [line.split(": ", 1)[-1] for line in (r.stdout + r.stderr).splitlines()
                 if line.strip() and "UNEXPECTED" not in line and "(i.e.," not in line]
        problem = f"e2fsck -p exit {r.returncode}: " + " / ".join(lines[-2:])
    else:
        r = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
        if r.returncode != 0:
            problem = "not clean after e2fsck -p: " + " / ".join(
                r.stdout.strip().splitlines()[-3:])
    bad = kept_files_intact(image, kept, workdir)
    return problem, "; ".join(bad) if bad else None, inconsistent


def crash_cuts(data):
    """The disks a crash log (tests/kernel/test_ext2_crash.c) describes:
    yields (writes so far, image bytes, kept files) after every sector write."""
    magic, nsec, n = struct.unpack_from("<8sII", data, 0)
    if magic != b"PGCRASH1":
        raise ValueError("not a crash log")
    off = 16 + nsec * 512
    img = bytearray(data[16:off])
    kept, writes = [], 0
    for i in range(n):
        sector, = struct.unpack_from("<I", data, off + i * 516)
        payload = data[off + i * 516 + 4: off + (i + 1) * 516]
        if sector == 0xffffffff:
            kept = [(p, int(sz), int(sd)) for p, sz, sd in
                    (line.split()[1:] for line in payload.split(b"\0")[0].decode().splitlines())]
            continue
        img[sector * 512:(sector + 1) * 512] = payload
        writes += 1
        yield writes, bytes(img), kept


CUT_BATCH = 8   # cuts checked together (two at a time), each in its own folder


def crash_logs(run, scratch, workdir):
    """For each crash log a self-test announced: stop the disk after every
    sector write in turn; e2fsck -p must mend each, and synced files live."""
    res = []
    for _, line in run.lines:
        m = re.match(r"ktest: crash-log (\S+)$", line)
        if not m:
            continue
        name = os.path.basename(m.group(1))
        work = os.path.join(workdir, "crash-" + name)
        os.makedirs(work, exist_ok=True)
        log = os.path.join(work, name)
        subprocess.run(["debugfs", "-R", f"dump {m.group(1)} {log}", scratch],
                       capture_output=True)
        if not os.path.exists(log):
            res.append((f"crash.preen_mends_every_cut[{name}]", False,
                        "debugfs could not take the log out"))
            continue
        with open(log, "rb") as f:
            data = f.read()

        def one(cut):
            writes, img, kept = cut
            # one folder per cut of a batch: a slow cut must not have its
            # disk rewritten by a later cut of the same batch
            d = os.path.join(work, str(writes % CUT_BATCH))
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, "disk.img")
            with open(path, "wb") as f:
                f.write(img)
            return writes, len(kept), check_cut(path, kept, d)

        fsck_bad, lost, cuts, checked, inconsistent = [], [], 0, 0, 0

        def judge(results):
            nonlocal cuts, checked, inconsistent
            for w, k, (fsck_problem, missing, bad) in results:
                cuts += 1
                checked += k
                inconsistent += bad
                if fsck_problem:
                    fsck_bad.append(f"after write {w}: {fsck_problem}")
                if missing:
                    lost.append(f"after write {w}: {missing}")

        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            batch = []
            for cut in crash_cuts(data):
                batch.append(cut)
                if len(batch) == CUT_BATCH:
                    judge(pool.map(one, batch))
                    batch = []
            judge(pool.map(one, batch))
        figure(f"crash_log.{name}", {"cuts": cuts, "inconsistent": inconsistent,
                                     "files_read": checked,
                                     "failed": len(fsck_bad) + len(lost)})
        res.append((f"crash.preen_mends_every_cut[{name}]", cuts > 100 and not fsck_bad,
                    f"{len(fsck_bad)} of {cuts} cuts: {fsck_bad[0]}" if fsck_bad else
                    f"only {cuts} cuts" if cuts <= 100 else ""))
        res.append((f"crash.synced_files_whole_at_every_cut[{name}]", checked > 0 and not lost,
                    f"{len(lost)} of {cuts} cuts: {lost[0]}" if lost else
                    "" if checked else "no synced file to check"))
    return res


def expect(name, run, status, must, must_not=()):
    """A result: run ended with status and printed every pattern in must."""
    problems = []
    if run.timed_out:
        problems.append("timed out")
    elif status is not None and run.status != status:
        problems.append(f"exit status {run.status}, expected {status}")
    text = run.text()
    for pat in must:
        if not re.search(pat, text, re.M):
            problems.append(f"missing /{pat}/")
    for pat in must_not:
        if re.search(pat, text, re.M):
            problems.append(f"unexpected /{pat}/")
    return (name, not problems, "; ".join(problems))


def kernel_boot(kernel, cmdline, timeout, mem=128):
    return run_qemu(cmdline, ["-kernel", kernel, "-append", cmdline], timeout, mem)


REGS = [r"eax [0-9a-f]{8}  ebx", r"esi [0-9a-f]{8}  edi", r"cr0 [0-9a-f]{8}  cr2",
        r"ds [0-9a-f]{4}  es"]


def panic_checks(kernel, timeout):
    res = []
    r = kernel_boot(kernel, "selftest=ktest.deliberate_fault harness", timeout)
    res.append(expect("panic.page_fault_report", r, qemu_status(EXIT_PANIC), [
        r"^PANIC: kernel fault on a user address: trap 14 \(Page fault\) at address "
        r"0x00000010: page not present, read, kernel mode",
        r"faulting address \(cr2\) 0x00000010",
        r"eip 0x[0-9a-f]{8} <touch\+0x[0-9a-f]+>",
        r"#0 0x[0-9a-f]{8} touch\+0x", r"#1 0x[0-9a-f]{8} ktest_ktest_deliberate_fault\+0x",
        r"^ktest: FAIL ktest.deliberate_fault \S+test_ktest.c:\d+ panic: kernel fault on a user",
        r"^ktest: DONE passed=0 failed=1 notrun=0"] + REGS))
    r = kernel_boot(kernel, "selftest=ktest.deliberate_panic harness", timeout)
    res.append(expect("panic.backtrace_symbolised", r, qemu_status(EXIT_PANIC), [
        r"^PANIC: deliberate panic from go_wrong_inner \(42\)",
        r"#0 0x[0-9a-f]{8} go_wrong_inner\+0x", r"#1 0x[0-9a-f]{8} go_wrong_outer\+0x",
        r"#2 0x[0-9a-f]{8} ktest_ktest_deliberate_panic\+0x",
        r"#\d+ 0x[0-9a-f]{8} kmain\+0x", r"^System halted\."] + REGS))
    r = kernel_boot(kernel, "selftest=page.double_free_panics harness", timeout)
    res.append(expect("panic.double_free_detected", r, qemu_status(EXIT_PANIC), [
        r"^PANIC: free_pages: pfn [0-9a-f]+ is already free \(refcount 0\): double free\?",
        r"^ktest: FAIL page.double_free_panics"]))
    r = kernel_boot(kernel, "selftest=slab.double_free_panics harness", timeout)
    res.append(expect("panic.slab_double_free_detected", r, qemu_status(EXIT_PANIC), [
        r"^PANIC: kmem_cache_free\(test-df, 0x[0-9a-f]{8}\): already free \(double free\)",
        r"#\d+ 0x[0-9a-f]{8} ktest_slab_double_free_panics\+0x"]))
    r = kernel_boot(kernel, "slab_debug selftest=slab.use_after_free_panics harness", timeout)
    res.append(expect("panic.slab_use_after_free_detected", r, qemu_status(EXIT_PANIC), [
        r"^PANIC: slab test-uaf: object 0x[0-9a-f]{8} modified after free \(byte 5 is 0x1\)"]))
    return res


def bad_input_checks(kernel, timeout):
    res = []
    r = kernel_boot(kernel, "selftest harness", timeout, mem=15)
    res.append(expect("boot.too_little_memory", r, qemu_status(EXIT_PANIC),
                      [r"^PANIC: Pagoda needs at least 16 MiB of RAM; this machine has \d+ KiB"],
                      [r"ktest: PLAN"]))
    r = kernel_boot(kernel, "selftest=page.,memmap. harness", timeout, mem=16)
    res.append(expect("boot.minimum_memory", r, qemu_status(EXIT_PASS),
                      [r"^ktest: DONE passed=\d+ failed=0"], [r"FAIL", r"PANIC"]))
    junk = 'harness fork=banana loglevel=99 =x bogus=1 init=nope selftest=cmdline. "open'
    r = kernel_boot(kernel, junk, timeout)
    # every bad word is one warning; the good ones (harness, selftest=) still work
    res.append(expect("boot.junk_cmdline", r, qemu_status(EXIT_PASS), [
        r"cmdline: option 'fork' wants share or copy; ignored",
        r"cmdline: unknown option 'bogus' ignored",
        r"cmdline: malformed word",
        r"^ktest: DONE passed=\d+ failed=0"],
        [r"PANIC"]))
    r = kernel_boot(kernel, "slab_debug selftest=slab.,pt.,cow.,fault.,rmap. harness", timeout)
    res.append(expect("boot.slab_debug", r, qemu_status(EXIT_PASS),
                      [r"^ktest: DONE passed=\d+ failed=0"], [r"FAIL", r"PANIC"]))
    r = kernel_boot(kernel, "vmcheck selftest=cow.,pt.,fault. harness", timeout)
    res.append(expect("boot.vmcheck", r, qemu_status(EXIT_PASS),
                      [r"^ktest: DONE passed=\d+ failed=0"], [r"FAIL", r"PANIC"]))
    return res


def bochs_debugger_check(iso, sym, workdir, timeout):
    """The walkthrough of docs/debugging.md, scripted: symbols, a magic
    breakpoint from the 'break' option, registers and page tables."""
    disk = bochs.make_cfg_disk(workdir, "break harness")
    rc = os.path.join(workdir, "bochsrc.txt")
    cmds = os.path.join(workdir, "bochs.rc")
    log = os.path.join(workdir, "debugger.log")
    bochs.write_config(rc, iso, os.path.join(workdir, "serial.txt"), mem=64, disk=disk)
    with open(cmds, "w") as f:
        f.write(f'ldsym global "{os.path.abspath(sym)}"\nc\nr\ninfo tab\n'
                "page 0xc0100000\nquit\n")
    start = time.monotonic()
    run = Run("bochs-debugger")
    try:
        subprocess.run(["bochs-bin", "-q", "-unlock", "-f", rc, "-rc", cmds, "-dbglog", log],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=dict(os.environ, TERM="dumb"),
                       timeout=timeout)
    except subprocess.TimeoutExpired:
        run.timed_out = True
    run.seconds = time.monotonic() - start
    if os.path.exists(log):
        with open(log, "rb") as f:
            run.lines = [(0, x) for x in f.read().decode("utf-8", "replace").splitlines()]
    return expect("debug.bochs_walkthrough", run, None, [
        r"\(kmain\+[0-9a-f]+\): ",                      # stopped in kmain, by name
        r"rip: 00000000_c01",                               # running in the higher half
        r"^0x00000000c0000000-0x00000000c3ffffff -> 0x000000000000-0x000003ffffff",
        r"linear page 0x00000000c0100000 maps to physical page 0x000000100000"],
        [r"^0x0000000000000000-"])                          # identity map dropped


def gdb_check(kernel, root, scratch, timeout):
    """`make qemu-gdb` + .gdbinit, scripted: break, continue, backtrace
    (QEMU stopped for gdb as tools/check_transcripts.py runs it)."""
    cmds = ["break page_alloc_init", "continue", "bt", "print max_pfn", "finish",
            "print max_pfn > 0"]
    run = Run("gdb")
    _, text = check_transcripts.run_gdb(kernel, root, scratch, cmds, "",
                                        timeout)
    run.timed_out = text == "(timed out)"
    run.lines = [(0, x) for x in text.splitlines()]
    return expect("debug.gdb_break_and_backtrace", run, None, [
        r"Breakpoint 1 at 0xc01[0-9a-f]+: file mm/page_alloc.c",
        r"^#0 .*page_alloc_init", r"^#1 .*kmain", r"^\$1 = 0$", r"^\$2 = 1$"])


def layer_checks(workdir):
    """tools/check_layers.py passes on the tree, and refuses a tree in which
    mm/ includes a header of fs/ (so the check can fail)."""
    here = os.path.dirname(os.path.abspath(__file__))
    tool = os.path.join(here, "..", "tools", "check_layers.py")
    res = []
    r = subprocess.run([sys.executable, tool], capture_output=True, text=True)
    res.append(("layers.every_include_points_down", r.returncode == 0,
                (r.stdout + r.stderr).strip().splitlines()[-1:] and
                (r.stdout + r.stderr).strip().splitlines()[-1]))
    bad = os.path.join(workdir, "badtree")
    for path, text in (("fs/vfs.h", "int vfs;\n"), ("kernel/lib/lib.h", "int lib;\n"),
                       ("mm/vm.c", '#include "kernel/lib/lib.h"\n#include "fs/vfs.h"\n')):
        os.makedirs(os.path.dirname(os.path.join(bad, path)), exist_ok=True)
        with open(os.path.join(bad, path), "w") as f:
            f.write(text)
    r = subprocess.run([sys.executable, tool, "--root", bad], capture_output=True, text=True)
    ok = r.returncode == 1 and "mm/vm.c:2: includes fs/vfs.h" in r.stdout and \
        "kernel/lib/lib.h" not in r.stdout.split("check-layers:")[0]
    res.append(("layers.upward_include_refused", ok, r.stdout.strip()))
    return res


def write_files(base, files):
    """Write {path: text} under base."""
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(base, path)), exist_ok=True)
        with open(os.path.join(base, path), "w") as f:
            f.write(text)


# a tree whose Markdown has two broken links and two that only look broken
BAD_DOCS = {
    "README.md": "# Top\n\nSee [a](docs/a.md#real-heading).\n",
    "docs/a.md": "# Real heading\n\nA [gone](b.md) page, a [bad anchor](#nowhere), "
                 "`[code](nope.md)`, and back to [the top](../README.md#top).\n\n"
                 "```\n[fenced](nope.md)\n```\n",
}
# pages whose HTML has two broken links and one good one
BAD_HTML = {
    "a.html": '<p id="here"><a href="b.html#there">x</a> <a href="a.html#here">y</a> '
              '<img src="c.svg"></p>',
    "b.html": '<h2 id="elsewhere">b</h2>',
}
# make bench's CSVs, a few lines each (tools/plots.py draws them)
BENCH = {
    "mmbench.csv": "mmbench,page_alloc_free,316,cycles\nmmbench,fault_cow_copy,1676,cycles\n",
    "fsbench.csv": "fsbench,d_lookup_hit,531,cycles\nfsbench,dentry_bytes,104,bytes\n",
    "forkbench.csv": "sysbench,syscall_getpid,88\n" + "".join(
        f"forkbench,{m},{h},fork_exit,{s},{c * (s + 1)},1\n" for m, c in (("copy", 9000),
                                                                            ("share", 60))
        for h in ("sbrk", "malloc") for s in (0, 1, 16)),
    "regionbench.csv": "regionbench,fault,1,1690\nregionbench,fault,100,1728\n",
    "minfaults.csv": "minfaults,loop,5269,3513,13580,8781,15807,0,0,0\n",
    "dcachebench.csv": "dcachebench,lru,pages_before,266\ndcachebench,lru,pages_after,226\n",
    "wsbench.csv": "wsbench,cold-a,requests,1158\nwsbench,cold-a,model_us,1699661\n",
    "manyproc.csv": "manyproc,0,pingpong_cycles,3730\nmanyproc,100,pingpong_cycles,3731\n"
                    "manyproc,100,kmem_proc,228\nmanyproc,100,kmem,12024\n",
    "spread.csv": "mmbench,page_alloc_free,cycles,0.002,0.01,3\n",
}
PLOTS = ("mmbench", "fsbench", "forkbench", "forkbench-heaps", "sysbench", "regionbench",
         "reclaimbench", "dcachebench", "wsbench", "manyproc", "manyproc-kmem", "spread")


def docs_checks(workdir):
    """tools/checklinks.py passes on the docs and refuses broken links and
    anchors in Markdown and in HTML; tools/plots.py draws an SVG for each
    benchmark, and every plot in docs/plots/ says it was generated and is
    shown by a page."""
    tools = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")
    check = [sys.executable, os.path.join(tools, "checklinks.py")]
    res = []
    r = subprocess.run(check, capture_output=True, text=True)
    res.append(("docs.links_resolve", r.returncode == 0, r.stdout.strip()[-300:]))
    bad = os.path.join(workdir, "badlinks")
    write_files(bad, BAD_DOCS)
    r = subprocess.run(check + ["--root", bad], capture_output=True, text=True)
    out = r.stdout
    ok = (r.returncode == 1 and "a.md:3: b.md: no such file" in out and
          "a.md:3: #nowhere: no anchor #nowhere" in out and "nope.md" not in out
          and "README" not in out and "2 broken links" in out)
    res.append(("docs.broken_link_refused", ok, out.strip()))
    write_files(os.path.join(workdir, "badhtml"), BAD_HTML)
    r = subprocess.run(check + ["--html", os.path.join(workdir, "badhtml")],
                       capture_output=True, text=True)
    out = r.stdout
    ok = (r.returncode == 1 and "b.html#there: no anchor #there" in out and
          "c.svg: no such file" in out and "#here" not in out)
    res.append(("docs.broken_html_link_refused", ok, out.strip()))
    res.append(plots_check(workdir, tools))
    return res


def plots_check(workdir, tools):
    """plots.drawn_from_csv: tools/plots.py on small CSVs writes every plot,
    each well-formed SVG with lines or bars and the generated-by comment;
    and each SVG in docs/plots/ carries that comment and is shown by a page."""
    import xml.etree.ElementTree as ET
    bench, out = os.path.join(workdir, "bench"), os.path.join(workdir, "plots")
    write_files(bench, BENCH)
    r = subprocess.run([sys.executable, os.path.join(tools, "plots.py"), bench, out],
                       capture_output=True, text=True)
    problems = [] if r.returncode == 0 else [f"plots.py exited {r.returncode}: {r.stderr[-300:]}"]
    for name in PLOTS:
        path = os.path.join(out, name + ".svg")
        try:
            text = open(path).read()
            root = ET.fromstring(text.encode())
        except (OSError, ET.ParseError) as e:
            problems.append(f"{name}.svg: {e}")
            continue
        marks = [e for e in root.iter() if e.tag.endswith(("polyline", "rect"))]
        if "<!-- generated by tools/" not in text or len(marks) < 3:
            problems.append(f"{name}.svg: no generated-by comment or nothing drawn")
    pages = "".join(open(os.path.join("docs", f)).read() for f in os.listdir("docs")
                    if f.endswith(".md"))
    for f in sorted(os.listdir(os.path.join("docs", "plots"))):
        text = open(os.path.join("docs", "plots", f)).read()
        if "<!-- generated by tools/" not in text:
            problems.append(f"docs/plots/{f}: not generated by a tool")
        if f"(plots/{f})" not in pages:
            problems.append(f"docs/plots/{f}: no page shows it")
    return ("plots.drawn_from_csv", not problems, "; ".join(problems))


def user_tests(kernel, root, scratch, workdir, timeout, mode="share"):
    """The user test suite, run as init on copies of the disks, with fork=mode."""
    imgs = disk_copies(workdir, [root, scratch])
    args = ["-kernel", kernel, "-append", f"init=/bin/usertests fork={mode} harness"]
    for i, img in enumerate(imgs):
        args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
    run = run_qemu(f"usertests-{mode}", args, timeout)
    results, done, plan = [], None, None
    for _, line in run.lines:
        m = re.match(r"utest: (PASS|FAIL) (\S+)(?: (.*))?$", line)
        if m:
            name = m.group(2) if mode == "share" else f"{m.group(2)}[fork=copy]"
            results.append((name, m.group(1) == "PASS", m.group(3) or ""))
        elif line.startswith("utest: DONE"):
            done = line
        elif line.startswith("utest: PLAN "):
            plan = int(line.split()[2])
    problems = []
    if run.timed_out:
        problems.append("timed out")
    if done is None:
        problems.append("no 'utest: DONE' summary")
    if plan is None:
        problems.append("no 'utest: PLAN' line")
    elif plan != len(results):
        problems.append(f"planned {plan} tests, {len(results)} reported")
    if "PANIC" in run.text():
        problems.append("the kernel panicked")
    failed = sum(1 for _, ok, _ in results if not ok)
    want = qemu_status(EXIT_FAIL if failed else EXIT_PASS)
    if not run.timed_out and run.status != want:
        problems.append(f"exit status {run.status}, expected {want}")
    results.append((f"boot.usertests[fork={mode}]", not problems, "; ".join(problems)))
    results.append(fsck(f"fsck.clean_after_usertests[fork={mode}]", imgs[0]))
    # what a user program wrote and synced is on the disk image
    r = subprocess.run(["debugfs", "-R", "cat /ut-synced/f", imgs[0]], capture_output=True,
                       text=True)
    results.append((f"file.synced_data_on_disk[fork={mode}]", r.stdout == "synced\n",
                    f"debugfs printed {r.stdout!r}"))
    return results


def xv6_tests(kernel, root, scratch, workdir, timeout, mem):
    """user/xv6/xv6tests, built as xv6 builds its programs, run as init on a
    machine of mem MiB. Tests named for the memory size past the default."""
    imgs = disk_copies(workdir, [root, scratch])
    args = ["-kernel", kernel, "-append", f'init="/xv6/xv6tests {mem}" harness']
    for i, img in enumerate(imgs):
        args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
    run = run_qemu(f"xv6tests-{mem}", args, timeout, mem=mem)
    tag = "" if mem == 128 else f"[{mem}MiB]"
    results, plan, done = [], None, False
    for _, line in run.lines:
        m = re.match(r"xv6: (PASS|FAIL) (\S+)(?: \((.*)\))?$", line)
        if m:
            results.append((m.group(2) + tag, m.group(1) == "PASS", m.group(3) or ""))
        elif line.startswith("xv6: PLAN "):
            plan = int(line.split()[2])
        done = done or line.startswith("xv6: DONE")
    problems = []
    if run.timed_out:
        problems.append("timed out")
    if plan is None or plan != len(results) or not done:
        problems.append(f"planned {plan} tests, {len(results)} reported, done: {done}")
    if "PANIC" in run.text():
        problems.append("the kernel panicked")
    if not run.timed_out and run.status != qemu_status(EXIT_PASS):
        problems.append(f"exit status {run.status}")
    results.append((f"boot.xv6tests{tag}", not problems, "; ".join(problems)))
    results.append(fsck(f"fsck.clean_after_xv6tests{tag}", imgs[0]))
    return results


def poweroff_check(kernel, root, scratch, workdir, timeout):
    """A file written in the shell and then poweroff at once (well inside the
    write-back window): QEMU exits cleanly (ACPI, status 0), the file is on
    the disk, nothing after poweroff ran, and the disk is clean."""
    imgs = disk_copies(workdir, [root, scratch])
    args = ["-kernel", kernel, "-append", 'init="/bin/sh /fixtures/poweroff.sh"']
    for i, img in enumerate(imgs):
        args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
    r = run_qemu("poweroff", args, timeout)
    res = [expect("proc.poweroff_switches_off", r, 0,
                  [r"^poweroff: file systems written back; switching off$"], [r"PANIC"])]
    kept = subprocess.run(["debugfs", "-R", "cat /poweroff-kept", imgs[0]],
                          capture_output=True, text=True).stdout
    after = subprocess.run(["debugfs", "-R", "stat /poweroff-after", imgs[0]],
                           capture_output=True, text=True)
    res.append(("file.poweroff_keeps_what_was_written",
                kept == "kept\n" and "not found" in after.stdout + after.stderr,
                f"/poweroff-kept holds {kept!r}; /poweroff-after: "
                f"{(after.stdout + after.stderr).strip()[:80]!r}"))
    res.append(fsck("fsck.clean_after_poweroff", imgs[0]))
    # unmounted, not just synced: the super block says clean
    state = subprocess.run(["dumpe2fs", "-h", imgs[0]], capture_output=True, text=True).stdout
    m = re.search(r"^Filesystem state:\s*(.*)$", state, re.M)
    res.append(("file.poweroff_unmounts_cleanly", bool(m) and m.group(1).strip() == "clean",
                f"Filesystem state: {m.group(1) if m else '?'}"))
    return res


WSB_CHECKS = ["bad-magic", "bad-version", "bad-policy", "bad-history", "bad-keep", "bad-size",
              "truncated", "oversized", "too-big", "plain", "both-torn",
              "wsb.one_torn_copy_falls_back", "readonly", "wsb.readonly_still_prefetches",
              "wsb.update_writes_only_the_note", "wsb.concurrent_execs_of_one_file",
              "wsb.exec_then_kill"]


def wsb_checks(kernel, root, scratch, workdir, timeout):
    """Working-set bitmaps (user/wsbtest.c over tools/mkwsbcorpus.py's
    executables): each a result; then the disk is clean and the strip of
    the note rewritten at run time gives the program back byte for byte."""
    imgs = disk_copies(workdir, [root, scratch])
    args = ["-kernel", kernel, "-append", 'init=/bin/wsbtest harness']
    for i, img in enumerate(imgs):
        args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
    r = run_qemu("wsbtest", args, timeout)
    res = []
    for name in WSB_CHECKS:
        line = next((l for _, l in r.lines if l.startswith(f"wsbtest: PASS {name}") or
                     l.startswith(f"wsbtest: FAIL {name}")), None)
        test = name if name.startswith("wsb.") else f"wsb.malformed_ignored[{name}]"
        res.append((test, bool(line) and "PASS" in line, line or "no result (see the console)"))
    res.append(expect("wsb.all_ran", r, qemu_status(EXIT_PASS),
                      [r"^wsbtest: \d+ passed, 0 failed$"], [r"PANIC"]))
    res.append(fsck("fsck.clean_after_wsb", imgs[0]))
    good = os.path.join(workdir, "good")
    subprocess.run(["debugfs", "-R", f"dump /fixtures/wsb/good {good}", imgs[0]],
                   capture_output=True)
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "wsbitmap")
    shown = subprocess.run([sys.executable, tool, "show", good], capture_output=True, text=True)
    strip = subprocess.run([sys.executable, tool, "strip", good], capture_output=True, text=True)
    same = strip.returncode == 0 and os.path.exists(good) and \
        open(good, "rb").read() == open(os.path.join("build", "user", "_true"), "rb").read()
    res.append(("wsb.strip_after_updates_gives_the_program_back",
                "updates" in shown.stdout and "seq 0," not in shown.stdout.split("copy 1")[1]
                and same, (shown.stdout + shown.stderr + strip.stderr).strip()[-160:]))
    # a read-only root: an unknown read-only-compatible feature makes Pagoda mount it so
    os.makedirs(os.path.join(workdir, "ro"))
    ro = disk_copies(os.path.join(workdir, "ro"), [root, scratch])
    # (made first: a read-only root cannot make /dev/console at boot)
    subprocess.run(["debugfs", "-w", "-f", "-", ro[0]], capture_output=True,
                   input=b"mkdir /dev\ncd /dev\nmknod console c 1 0\n")
    subprocess.run(["debugfs", "-w", "-R", "feature huge_file", ro[0]], capture_output=True)
    args = ["-kernel", kernel, "-append", 'init="/bin/wsbtest ro" harness']
    for i, img in enumerate(ro):
        args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
    r = run_qemu("wsbtest-ro", args, timeout)
    res.append(expect("wsb.readonly_fs_prefetches_and_never_writes", r, qemu_status(EXIT_PASS),
                      [r"mounted read-only", r"^wsbtest: PASS wsb.readonly_fs_prefetches",
                       r"^wsbtest: \d+ passed, 0 failed$"], [r"PANIC"]))
    # the power cut in the middle of updates: a clean disk and a whole note
    os.makedirs(os.path.join(workdir, "cut"))
    cut = disk_copies(os.path.join(workdir, "cut"), [root, scratch])
    args = ["-kernel", kernel, "-append", 'init="/bin/wsbtest loop" harness']
    for i, img in enumerate(cut):
        args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
    r = run_qemu("wsbtest-cut", args, timeout, cut=(r"^wsbloop: started", 1.5))
    res.append(fsck("wsb.power_cut_mid_update_leaves_the_disk_clean", cut[0]))
    good = os.path.join(workdir, "cut", "good")
    subprocess.run(["debugfs", "-R", f"dump /fixtures/wsb/good {good}", cut[0]],
                   capture_output=True)
    shown = subprocess.run([sys.executable, tool, "show", good], capture_output=True, text=True)
    whole = [int(n) for n in re.findall(r"seq (\d+), valid,", shown.stdout)]
    res.append(("wsb.power_cut_mid_update_leaves_a_whole_copy",
                r.cut_at is not None and shown.returncode == 0 and max(whole, default=0) > 0,
                f"cut at {r.cut_at}: " + (shown.stdout + shown.stderr).strip()[-160:]))
    return res


SCHED_CHECKS = ["sched.wakeups_reach_only_their_waiters", "sched.timers_fire_in_order",
                "sched.kill_ends_any_sleep", "sched.wait_reaps_exactly_the_child"]


def sched_checks(kernel, root, scratch, workdir, timeout):
    """The scheduler's promises (user/schedtest.c), and many processes
    started and reaped (user/manyproc.c): 10,000 sleepers in 512 MiB under
    vmcheck, with every slab object and page back."""
    res = []
    for name, cmd, mem in (("schedtest", "/bin/schedtest", 128),
                           ("manyproc-vmcheck", "/bin/manyproc 10000", 512)):
        d = os.path.join(workdir, name)
        os.makedirs(d)
        imgs = disk_copies(d, [root, scratch])
        extra = " vmcheck" if name.endswith("vmcheck") else ""
        args = ["-kernel", kernel, "-append", f'init="{cmd}"{extra} harness']
        for i, img in enumerate(imgs):
            args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
        r = run_qemu(name, args, timeout, mem=mem)
        if name == "schedtest":
            for test in SCHED_CHECKS:
                line = next((l for _, l in r.lines if l.startswith(f"schedtest: PASS {test}") or
                             l.startswith(f"schedtest: FAIL {test}")), None)
                res.append((test, bool(line) and "PASS" in line, line or "no result"))
            res.append(expect("sched.all_ran", r, qemu_status(EXIT_PASS),
                              [r"^schedtest: 4 passed, 0 failed$"], [r"PANIC"]))
        else:
            res.append(expect("manyproc.ten_thousand_started_and_reaped_under_vmcheck", r,
                              qemu_status(EXIT_PASS),
                              [r"^\s+10000\s+\d+\s+\d+\s+\d+\s+\d+\s+-?\d+ ok$"],
                              [r"PANIC", r"FAILED"]))
    return res


def sysfuzz(kernel, root, scratch, workdir, timeout, seed=1, calls=50000, children=25):
    """Random and adversarial system calls (user/sysfuzz.c) under vmcheck: no
    panic, every page back, and a root file system e2fsck finds clean."""
    imgs = disk_copies(workdir, [root, scratch])
    args = ["-kernel", kernel, "-append",
            f'init="/bin/sysfuzz {seed} {calls} {children}" vmcheck harness']
    for i, img in enumerate(imgs):
        args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
    r = run_qemu(f"sysfuzz-{seed}", args, timeout)
    for _, line in r.lines:
        if line.startswith("sysfuzz: seed "):
            figure(f"sysfuzz.{calls}", {"line": line, "seconds": round(r.seconds, 1)})
    return [expect("sys.fuzz", r, qemu_status(EXIT_PASS),
                   [rf"^sysfuzz: seed {seed}, {calls} calls in \d+ children .*: "
                    r"unused (\d+) KiB before, \1 after$"], [r"PANIC"]),
            fsck("fsck.clean_after_sysfuzz", imgs[0])]


def faultsweep(kernel, root, scratch, workdir, timeout):
    """fork, exec and write with each allocation or request failing in turn
    (user/faultsweep.c): every failure clean, nothing lost, e2fsck clean."""
    imgs = disk_copies(workdir, [root, scratch])
    args = ["-kernel", kernel, "-append", "init=/bin/faultsweep fault_inject harness"]
    for i, img in enumerate(imgs):
        args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
    r = run_qemu("faultsweep", args, timeout)
    for _, line in r.lines:
        if re.match(r"^faultsweep: \d+ steps", line):
            figure("faultsweep", {"line": line})
    return [expect("fault.user_sweep", r, qemu_status(EXIT_PASS),
                   [r"^faultsweep: \d+ steps, [1-9]\d* failed, 0 problems, unused (\d+) KiB "
                    r"before, \d+ after$"], [r"PANIC", r"did not come back"]),
            fsck("fsck.clean_after_faultsweep", imgs[0])]


POWER_CUTS = 12
POWER_SEED = 20261128


def power_cuts(kernel, root, scratch, workdir, timeout, first, count):
    """Pull the plug on user/crashload.c (write-heavy work that syncs now
    and then) at fixed-seed moments: e2fsck -p must mend the root disk by
    itself, and every file crashload said was synced must read back whole.
    One result per cut."""
    res = []
    for i in range(first, first + count):
        rng = random.Random(POWER_SEED + i)
        delay = rng.uniform(0.5, 4.0)
        d = os.path.join(workdir, f"cut{i}")
        os.makedirs(d)
        imgs = disk_copies(d, [root, scratch])
        args = ["-kernel", kernel, "-append", f'init="/bin/crashload {POWER_SEED + i}"']
        for k, img in enumerate(imgs):
            args += ["-drive", f"file={img},format=raw,if=ide,index={k}"]
        r = run_qemu(f"power-cut-{i}", args, timeout, cut=(r"^crashload: start$", delay))
        name = f"crash.power_cut[{i}]"
        kept, listing, synced = [], [], None
        for _, line in r.lines:		# a list counts once its "synced" line follows
            m = re.match(r"^crashload: kept (\S+) (\d+) (\d+)$", line)
            if m:
                listing.append((m.group(1), int(m.group(2)), int(m.group(3))))
            m = re.match(r"^crashload: synced (\d+)$", line)
            if m:
                synced, kept, listing = int(m.group(1)), listing, []
        if r.cut_at is None:
            res.append((name, False, "crashload never started" if not r.timed_out else
                        "timed out before crashload started"))
            continue
        if "PANIC" in r.text():
            res.append((name, False, "the kernel panicked"))
            continue
        problem, lost, inconsistent = check_cut(imgs[0], kept, d)
        figure(f"power_cut.{i}", {"seconds": round(delay, 2), "syncs": synced or 0,
                                  "files": len(kept), "inconsistent": inconsistent,
                                  "ok": not problem and not lost})
        detail = "; ".join(filter(None, [problem, lost]))
        if not detail and not kept:
            detail = f"cut {delay:.2f} s in, before any sync: nothing to check"
        res.append((name, not problem and not lost and bool(kept), detail))
    return res


def cowstress(kernel, root, scratch, workdir, timeout):
    """The randomised fork/write/exec/exit stress, both fork modes, with vmcheck."""
    res = []
    for mode in ("share", "copy"):
        imgs = disk_copies(workdir, [root, scratch])
        args = ["-kernel", kernel, "-append",
                f'init="/bin/cowstress 42 400 40" fork={mode} vmcheck harness']
        for i, img in enumerate(imgs):
            args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
        r = run_qemu(f"cowstress-{mode}", args, timeout)
        res.append(expect(f"cow.stress[fork={mode}]", r, qemu_status(EXIT_PASS),
                          [r"^cowstress: seed 42, 400 steps: mismatches 0 and 0; "
                           r"free (\d+) KiB before, \1 after"], [r"PANIC", r"killed"]))
    return res


def swap_image(workdir, mib):
    """A swap disk of mib MiB, made by mkswap (tools/bochs.py's recipe)."""
    return bochs.make_swap_disk(workdir, mib, f"swap-{mib}.img")


swap_args = bochs.qemu_swap_args


# (name, swap MiB, command line, exit status, must print, must not print), in 16 MiB of RAM
SWAP_CASES = [
    ("swap.memory_twice_ram", 64, 'init="/bin/bigmem 32 1 1" vmcheck harness', EXIT_PASS,
     [r"^swap: hde: 6\d{4} KiB in \d+ slots$", r"^bigmem: 32 MiB, 1 passes: ok$",
      r"^bigmem: after the children: swap in use 0 KiB; pages swapped out [1-9]\d{3,}, "
      r"in [1-9]\d{3,}; free \d+ KiB before, \d+ after: nothing lost$"],
     [r"PANIC", r"killed", r"^oom:"]),
    ("swap.cowstress_under_pressure[fork=share]", 64,
     'init="/bin/cowstress -b16 42 400 40" fork=share vmcheck harness', EXIT_PASS,
     [r"^cowstress: seed 42, 400 steps: mismatches 0 and 0; ballast 16 MiB, 0 words wrong$"],
     [r"PANIC", r"killed", r"^oom:"]),
    ("swap.cowstress_under_pressure[fork=copy]", 64,
     'init="/bin/cowstress -b16 42 400 40" fork=copy vmcheck harness', EXIT_PASS,
     [r"^cowstress: seed 42, 400 steps: mismatches 0 and 0; ballast 16 MiB, 0 words wrong$"],
     [r"PANIC", r"killed", r"^oom:"]),
    ("swap.full_is_out_of_memory", 2, 'init="/bin/bigmem 40 1 1" overcommit=always vmcheck harness',
     EXIT_FAIL,
     [r"^oom: out of memory: killed pid \d+ \(bigmem\), the largest process: \d+ KiB mapped, "
      r"\d+ KiB in swap; \d+ KiB free, swap 2\d{3} of 2\d{3} KiB used$",
      r"^bigmem: after the children: swap in use 0 KiB", r"^bigmem: FAILED$"],
     [r"PANIC"]),
]


def swap_tests(kernel, root, scratch, workdir, timeout):
    """Memory larger than RAM (16 MiB) with a swap disk: correct bytes, clean checks."""
    res = []
    for name, mib, cmdline, status, must, must_not in SWAP_CASES:
        sub = os.path.join(workdir, re.sub(r"[^A-Za-z0-9_.-]+", "_", name))
        os.makedirs(sub)
        imgs = disk_copies(sub, [root, scratch])
        args = ["-kernel", kernel, "-append", cmdline] + swap_args(swap_image(sub, mib))
        for i, img in enumerate(imgs):
            args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
        r = run_qemu(name, args, timeout, mem=16)
        res.append(expect(name, r, qemu_status(status), must, must_not))
        res.append(fsck(f"fsck.clean_after_{name}", imgs[0]))
    return res


def vmview_checks(kernel, root, scratch, workdir, timeout):
    """vmview -demo (docs/shared-page-tables.md): what the kernel's dumps say
    after a fork tree and each write must be what sharing means, and
    tools/vmview.py must draw each shared table once."""
    imgs = disk_copies(workdir, [root, scratch])
    args = ["-kernel", kernel, "-append", 'init="/bin/vmview -demo" harness']
    for i, img in enumerate(imgs):
        args += ["-drive", f"file={img},format=raw,if=ide,index={i}"]
    r = run_qemu("vmview", args, timeout, mem=64)
    m = re.search(r"^vmview: demo parent (\d+), children (\d+) and (\d+)$", r.text(), re.M)
    stages = dict(vmview.dumps(r.text()))
    names = ["forked", "first-child-wrote-heap", "second-child-wrote-heap", "parent-wrote-heap"]
    if not m or any(n not in stages for n in names):
        return [("vmview.demo_dumps", False, f"no demo line or a stage missing: {list(stages)}"
                 + r.tail())]
    pids = [int(x) for x in m.groups()]

    def t(stage, who, pdx):
        """(frame, pde_rw, users, writable) of table pdx of pids[who] at stage."""
        proc = next(p for p in stages[stage] if p["pid"] == pids[who])
        e = next(x for x in proc["tables"] if x["pdx"] == pdx)
        return e["frame"], e["pde_rw"], e["users"], e["writable"]

    f0, f1, f2, f3 = ([t(s, w, 0) for w in range(3)] for s in names)
    shared = [t(s, w, 256) for s in names for w in range(3)]
    res = [("vmview.demo_ran", r.status == qemu_status(EXIT_PASS) and not r.timed_out,
            f"status {r.status}" + r.tail()),
           ("vmview.fork_shares_the_table_read_only",
            len({x[0] for x in f0}) == 1 and all(x[1:3] == (0, 3) for x in f0), str(f0)),
           ("vmview.shared_mapping_table_stays_writable",
            len({x[0] for x in shared}) == 1 and all(x[1:3] == (1, 3) for x in shared),
            str(shared[:3])),
           ("vmview.first_writer_gets_a_copy",
            f1[1][0] != f1[0][0] and f1[1][1:3] == (1, 1) and f1[0][0] == f1[2][0] ==
            f0[0][0] and f1[0][1:] == (0, 2, 0), str(f1)),
           ("vmview.second_writer_gets_a_copy",
            len({x[0] for x in f2}) == 3 and f2[2][1:3] == (1, 1) and f2[0][1:3] == (0, 1),
            str(f2)),
           ("vmview.last_user_gets_write_back_without_a_copy",
            f3[0][0] == f2[0][0] and f3[0][1:3] == (1, 1), str(f3)),
           ("vmview.bad_arguments_refused",
            re.search(r"^vmview: bad arguments refused: 4 of 4$", r.text(), re.M) is not None,
            r.tail(3))]
    text = vmview.dot("forked", stages["forked"])
    frame = f0[0][0]
    edges = re.findall(rf'^  "p\d+" -> "t{frame}" \[(.*)\];$', text, re.M)
    res.append(("vmview.dot_draws_a_shared_table_once",
                len(re.findall(rf'^  "t{frame}" \[', text, re.M)) == 1 and len(edges) == 3 and
                all("dashed" in e and "read-only" in e for e in edges) and
                len(re.findall(r'^  "p\d+" \[shape=box', text, re.M)) == 3, text[-600:]))
    return res


def lab_checks(kernel, root, scratch, workdir, timeout, name):
    """Lab NAME (labs/NAME): the reference (this tree) scores 100 on its
    grader; the starting point, made by make lab-NAME's command in a copy of
    the tree, builds, is marked, scores visibly less (at most 75), and make
    lab-reset gives the files back."""
    out = io.StringIO()
    score, records = labgrade.grade(name, kernel, root, scratch, out)
    bad = [f"{w}: {d}" for r in records for w, ok, d in r["items"] if not ok]
    res = [(f"lab.{name}.reference_scores_100", score == 100,
            f"score {score}: " + "; ".join(bad)[:400])]
    start, detail = labgrade.startcheck(name, root, scratch, out)
    res.append((f"lab.{name}.starting_point_scores_visibly_less",
                start is not None and start <= 75, f"score {start}: {detail}"[:500]))
    figure(f"lab_{name}", {"reference": score, "start": start})
    return res


def handout_check():
    """The handouts' generated tables match the graders and patches."""
    stale = labgrade.handouts(check=True)
    return ("labs.handouts_current", not stale, f"out of date (make handouts): {stale}")


def save_figures(path):
    """FIGURES, with when and from which commit, to path (JSON)."""
    rev = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump({"date": time.strftime("%Y-%m-%d"), "commit": rev or "unknown",
                   "figures": FIGURES}, f, indent=1, sort_keys=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--sym", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--scratch", required=True)
    ap.add_argument("--og-kernel", help="the kernel built with -Og, for the docs' -Og sessions")
    ap.add_argument("--build", default="build")
    ap.add_argument("--timeout", type=int, default=180)
    ap.add_argument("--no-bochs", action="store_true")
    args = ap.parse_args()
    t0 = time.monotonic()
    work = tempfile.mkdtemp(prefix="pagoda-test-", dir=os.path.abspath(args.build))
    disk = bochs.make_cfg_disk(work, "selftest harness")
    bochs_dir = os.path.join(work, "bochs")
    qemu_dir = os.path.join(work, "qemu")
    os.makedirs(bochs_dir)
    os.makedirs(qemu_dir)
    qemu_imgs = disk_copies(qemu_dir, [args.root, args.scratch])
    bochs_imgs = (disk_copies(bochs_dir, [args.root, args.scratch]) + [disk]
                  + [swap_image(bochs_dir, 8)])

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        def job(name, fn, *extra):
            """fn(kernel, root, scratch, WORK/name, timeout, *extra) in the pool."""
            d = os.path.join(work, name)
            os.makedirs(d)
            return pool.submit(fn, args.kernel, args.root, args.scratch, d, args.timeout, *extra)

        f_boot = pool.submit(run_qemu, "selftest",
                             ["-boot", "d", "-cdrom", args.iso] + qemu_disks(*qemu_imgs, disk)
                             + swap_args(swap_image(qemu_dir, 16)), args.timeout)
        f_bochs = None if args.no_bochs else pool.submit(
            run_bochs, "bochs", args.iso, bochs_imgs, bochs_dir, args.timeout * 2)
        f_panic = pool.submit(panic_checks, args.kernel, args.timeout)
        f_bad = pool.submit(bad_input_checks, args.kernel, args.timeout)
        f_gdb = pool.submit(gdb_check, args.kernel, args.root, args.scratch, args.timeout)
        user_dir = os.path.join(work, "usertests")
        os.makedirs(user_dir)
        f_user = pool.submit(user_tests, args.kernel, args.root, args.scratch, user_dir,
                             args.timeout)
        stress_dir = os.path.join(work, "cowstress")
        os.makedirs(stress_dir)
        f_fuzz = job("sysfuzz", sysfuzz)
        f_sweep = job("faultsweep", faultsweep)
        f_xv6 = [job(f"xv6tests-{mem}", xv6_tests, mem) for mem in (128, 224)]
        f_sched = job("sched", sched_checks)
        f_wsb = job("wsb", wsb_checks)
        f_off = job("poweroff", poweroff_check)
        docs = ["README.md"] + sorted(os.path.join("docs", f) for f in os.listdir("docs")
                                      if f.endswith(".md"))
        tr_dir = os.path.join(work, "transcripts")
        os.makedirs(tr_dir)
        f_tr = pool.submit(check_transcripts.transcripts, args.kernel, args.root, args.scratch,
                           docs, tr_dir, args.iso, args.sym, args.og_kernel)
        f_stress = pool.submit(cowstress, args.kernel, args.root, args.scratch, stress_dir,
                               args.timeout)
        f_swap = job("swap", swap_tests)
        cut_dir = os.path.join(work, "power-cut")
        os.makedirs(cut_dir)
        f_cuts = [pool.submit(power_cuts, args.kernel, args.root, args.scratch, cut_dir,
                              args.timeout, k, POWER_CUTS // 2) for k in (0, POWER_CUTS // 2)]
        f_copy = job("usertests-copy", user_tests, "copy")
        f_labs = [job(f"lab-{n}", lab_checks, n) for n in labgrade.lab_names()]
        f_vmview = job("vmview", vmview_checks)
        dbg_dir = os.path.join(work, "bochs-debugger")
        os.makedirs(dbg_dir)
        f_dbg = None if args.no_bochs else pool.submit(
            bochs_debugger_check, args.iso, args.sym, dbg_dir, args.timeout)
        results, boot = judge_selftest_boot(f_boot.result(), "boot.qemu")
        results += layer_checks(work)
        results += docs_checks(work)
        results += f_panic.result() + f_bad.result() + [f_gdb.result()]
        results += f_user.result() + f_copy.result() + f_stress.result() + f_fuzz.result()
        results += f_swap.result()
        results += f_sweep.result()
        for f in f_xv6:
            results += f.result()
        results += f_off.result()
        results += f_wsb.result()
        results += f_sched.result()
        results += f_tr.result()
        for f in f_labs:
            results += f.result()
        results += f_vmview.result()
        results.append(handout_check())
        for f in f_cuts:
            results += f.result()
        if f_dbg:
            results.append(f_dbg.result())
        if f_bochs:
            bres, brun = judge_selftest_boot(f_bochs.result(), "boot.bochs", want_status=False)
            bad = [n for n, ok, _ in bres[:-1] if not ok]
            detail = bres[-1][2]
            if bad:
                detail = "; ".join(filter(None, [detail, "self-tests failed under Bochs: "
                                                 + ", ".join(bad)]))
            results.append(("boot.bochs", bres[-1][1] and not bad, detail))
            results.append(expect("swap.disk_found_by_bochs", brun, None,
                                  [r"^ata: hde: 1\d{4} sectors \(7 MiB\)"]))
    # nothing the kernel wrote may leave a file system inconsistent
    results.append(fsck("fsck.clean", qemu_imgs[0]))
    results.append(fsck("fsck.clean_scratch", qemu_imgs[1]))
    results += exported_images(boot, qemu_imgs[1], qemu_dir)
    results += crash_logs(boot, qemu_imgs[1], qemu_dir)
    if not args.no_bochs:
        results.append(fsck("fsck.clean_bochs", bochs_imgs[0]))

    passed = failed = 0
    for name, ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'} {name}" + (f"  ({detail})" if detail and not ok else ""))
        passed += ok
        failed += not ok
    if failed:
        for i, run in enumerate(RUNS):
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", run.name)[:60]
            with open(os.path.join(work, f"run{i:02d}-{name}.log"), "w") as f:
                f.write(run.text() + "\n")
        print(f"logs of every run (serial output, debugger transcripts): {work}/")
    first = boot.first(r"^ktest: PLAN")
    summary = boot.first(r"^ktest: DONE")
    print(f"time: boot to first self-test {first:.2f} s, to summary {summary:.2f} s (QEMU, TCG)"
          if first is not None and summary is not None else "time: self-test boot incomplete")
    print(f"time: make test took {time.monotonic() - t0:.1f} s")
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    figure("make_test", {"passed": passed, "failed": failed,
                         "seconds": round(time.monotonic() - t0, 1)})
    save_figures(os.path.join(args.build, "figures", "test.json"))
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
