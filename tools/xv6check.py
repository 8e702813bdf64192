#!/usr/bin/env python3
"""tools/xv6check.py: run xv6's own programs, built by xv6's own Makefile,
on Pagoda. `make xv6check XV6=/path/to/xv6-public` calls it.

Pagoda ships no xv6 code. Given a checkout of mit-pdos/xv6-public (the x86
xv6), this script:

  1. copies it to a scratch folder and builds the programs its Makefile
     lists in UPROGS, with xv6's own compiler and linker flags (only
     -Werror is left out: newer compilers warn about xv6's sh.c);
  2. makes a root disk: Pagoda's root file system with xv6's programs
     and README in /, where xv6's init and sh look for them;
  3. boots Pagoda with init=/init (xv6's init, which starts xv6's sh) and
     types a session at the console: a few shell commands, forktest, and
     usertests, each when sh prompts for it;
  4. builds usertests once more without the two tests that check limits
     Pagoda does not have (fourteen: names cut at 14 bytes; forktest: 64
     processes at most), boots again and expects ALL TESTS PASSED.

It prints both transcripts and a verdict per step, and exits non-zero if a
step did not end as docs/syscalls.md says it does.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

from qemu_session import session

# xv6's CFLAGS (its Makefile, for a compiler without i386-jos-elf), minus -Werror
XV6_CFLAGS = ("-fno-pic -static -fno-builtin -fno-strict-aliasing -O2 -Wall -MD -ggdb -m32 "
              "-fno-omit-frame-pointer -fno-stack-protector -fno-pie -no-pie")

SESSION = ["echo hello from xv6 sh", "ls", "cat README | wc", "mkdir d", "ln README d/r",
           "ls d", "rm d/r", "forktest", "usertests"]

# the two tests of xv6's usertests that check xv6's limits (docs/syscalls.md)
LIMIT_TESTS = ("fourteen", "forktest")


def uprogs(xv6):
    with open(os.path.join(xv6, "Makefile")) as f:
        text = f.read()
    m = re.search(r"^UPROGS=\\\n((?:\t_\w+\\\n)+)", text, re.M)
    if not m:
        sys.exit("xv6check: no UPROGS list in the Makefile: is this xv6-public?")
    return re.findall(r"_(\w+)", m.group(1))


def build(xv6, progs):
    r = subprocess.run(["make", f"CFLAGS={XV6_CFLAGS}"] + ["_" + p for p in progs],
                       cwd=xv6, capture_output=True, text=True)
    if r.returncode:
        sys.exit("xv6check: xv6's Makefile failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])


def make_disk(work, pagoda_root, xv6, progs, name):
    root = os.path.join(work, "root")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(pagoda_root, root)
    for p in progs:
        shutil.copy(os.path.join(xv6, "_" + p), os.path.join(root, p))
    shutil.copy(os.path.join(xv6, "README"), os.path.join(root, "README"))
    img = os.path.join(work, name)
    with open(img, "wb") as f:
        f.truncate(64 * 516096)
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-E", "root_owner=0:0",
                    "-d", root, img, "32256"], check=True)
    return img


def boot(kernel, disk, scratch, commands, timeout):
    """Boot with xv6's init (which starts xv6's sh), type each command when
    sh prompts, stop when it prompts after the last: xv6's init never stops
    the machine itself. Returns (transcript, timed out)."""
    text, _, timed_out = session(kernel, [disk, scratch], commands, cmdline="init=/init",
                                 mem=224, timeout=timeout)
    return text, timed_out


def show(title, text):
    print(f"----- {title} -----")
    # forktest leaves 1000 orphans; xv6's init says "zombie!" as it reaps each
    zombies = text.count("zombie!\n")
    print(text.replace("zombie!\n", "") .rstrip())
    if zombies:
        print(f"(and {zombies} lines 'zombie!' from xv6's init, left out above)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xv6", required=True, help="a checkout of mit-pdos/xv6-public")
    ap.add_argument("--kernel", default="build/pagoda.elf")
    ap.add_argument("--root", default="build/root", help="Pagoda's root folder (make builds it)")
    ap.add_argument("--scratch", default="build/scratch-pristine.img")
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="xv6check-")
    xv6 = os.path.join(work, "xv6")
    shutil.copytree(args.xv6, xv6, ignore=shutil.ignore_patterns(".git"))
    progs = uprogs(xv6)
    build(xv6, progs)
    print(f"xv6check: built {len(progs)} programs with xv6's Makefile: {' '.join(progs)}")
    verdicts = []

    # 1: the programs as xv6 builds them
    disk = make_disk(work, args.root, xv6, progs, "xv6-root.img")
    out, timed_out = boot(args.kernel, disk, args.scratch, SESSION, args.timeout)
    show("xv6's init, sh, and usertests as built", out)
    ok = ("hello from xv6 sh" in out and re.search(r"^README\s+2 \d+ \d+", out, re.M)
          and "fork claimed to work N times!" in out and "fourteen test" in out
          and re.search(r"create 123456789012345/123456789012345/123456789012345 failed", out)
          and "rmdot ok" in out and "PANIC" not in out and not timed_out)
    verdicts.append(("xv6's programs run; usertests stops only at fourteen (no 14-byte names)",
                     bool(ok)))

    # 2: usertests without the two tests of xv6's limits
    src = os.path.join(xv6, "usertests.c")
    with open(src) as f:
        text = f.read()
    for t in LIMIT_TESTS:
        text, n = re.subn(rf"^(\s*){t}\(\);", rf"\1/* {t}(); left out by xv6check */", text,
                          flags=re.M)
        if n != 1:
            sys.exit(f"xv6check: no call '{t}();' in usertests.c's main")
    with open(src, "w") as f:
        f.write(text)
    os.remove(os.path.join(xv6, "_usertests"))
    build(xv6, ["usertests"])
    disk = make_disk(work, args.root, xv6, progs, "xv6-root2.img")
    out, timed_out = boot(args.kernel, disk, args.scratch, ["usertests"], args.timeout)
    show(f"usertests without {' and '.join(LIMIT_TESTS)}", out)
    verdicts.append(("usertests without them: ALL TESTS PASSED",
                     "ALL TESTS PASSED" in out and "PANIC" not in out and not timed_out))

    shutil.rmtree(work, ignore_errors=True)
    for what, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'} {what}")
    sys.exit(0 if all(ok for _, ok in verdicts) else 1)


if __name__ == "__main__":
    main()
