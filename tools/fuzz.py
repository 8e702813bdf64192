#!/usr/bin/env python3
"""tools/fuzz.py: `make fuzz`: a long run of the system-call fuzzer.

Boots Pagoda with user/sysfuzz.c as init (with vmcheck) for CALLS calls
(10^6 by default) on copies of the disk images, then checks what make
test checks after its shorter run: no panic, every page back, and a root
file system that e2fsck -fn finds clean. Prints the fuzzer's summary, the
kernel's complaints about the calls (their first lines), and a verdict.
"""
import argparse
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import run  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--scratch", required=True)
    ap.add_argument("--build", default="build")
    ap.add_argument("--seed", type=int, default=int(time.strftime("%Y%m%d")))
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--children", type=int, default=500)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="pagoda-fuzz-", dir=os.path.abspath(args.build))
    t0 = time.monotonic()
    res = run.sysfuzz(args.kernel, args.root, args.scratch, work, 3600, args.seed, args.calls,
                      args.children)
    r = run.RUNS[-1]
    for _, line in r.lines:
        if line.startswith("sysfuzz:") or re.search(r"PANIC|killed:|unknown system", line):
            print(line)
    for name, ok, detail in res:
        print(f"{'PASS' if ok else 'FAIL'} {name}" + (f"  ({detail})" if not ok else ""))
    print(f"fuzz: seed {args.seed}, {args.calls} calls, {time.monotonic() - t0:.0f} s; "
          f"serial log in {work}")
    with open(os.path.join(work, "serial.log"), "w") as f:
        f.write(r.text() + "\n")
    run.figure("fuzz", {"seed": args.seed, "calls": args.calls, "children": args.children,
                        "seconds": round(time.monotonic() - t0), "passed": all(ok for _, ok, _ in res)})
    run.save_figures(os.path.join(args.build, "figures", "fuzz.json"))
    sys.exit(0 if all(ok for _, ok, _ in res) else 1)


if __name__ == "__main__":
    main()
