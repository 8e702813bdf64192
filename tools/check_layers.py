#!/usr/bin/env python3
"""tools/check_layers.py: refuse an #include that points up a layer.

Pagoda's kernel is a stack of layers, each a folder (docs/layout.md draws
it). A file may include headers of its own layer and of the layers below
it, never of one above; the user ABI headers that the kernel shares with
user programs are the one thing the kernel takes from user/. Run by
`make check-layers`, which `make test` runs first. Exit status 1 and one
line per offending include when the rule is broken.
"""
import os
import re
import sys

# Bottom first. A folder not listed belongs to the nearest listed parent.
LAYERS = [
    ("kernel/lib", "library: strings, formatting, lists, printk, panic, symbols, options"),
    ("kernel/arch", "i386: segments, traps, the PIC, context switch, user-copy fixups"),
    ("kernel/sched", "tasks, the run queue, wait queues, the timer list"),
    ("kernel/dev", "drivers: console, keyboard, UART, VGA, RTC, timer, block, ATA, RAM disk"),
    ("mm", "memory: pages, slab, address spaces, faults, rmap, sharing, page cache"),
    ("fs", "the VFS: inodes, dentries, names, open files, pipes, buffer cache"),
    ("fs/ext2", "ext2, one file system under the VFS"),
    ("boot", "the Multiboot entry and boot information"),
    ("kernel/proc", "processes, system calls, exec, user traps, kernel threads"),
    ("kernel", "kmain: starts every layer in order"),
    ("tests/kernel", "self-tests and in-kernel benchmarks: may use anything"),
]
# What the kernel may take from user/: the ABI headers, shared byte for byte.
USER_ABI = {"user/syscall.h", "user/fcntl.h"}
SOURCES = (".c", ".h", ".S")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path):
    """Index of the layer a repository path belongs to, or None."""
    best = None
    for i, (folder, _) in enumerate(LAYERS):
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(LAYERS[best][0]):
                best = i
    return best


def check(root):
    problems = []
    for top in ("kernel", "mm", "fs", "boot", "tests", "user"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith(SOURCES):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                problems += check_file(root, path)
    return problems


def check_file(root, path):
    mine = layer_of(path)
    out = []
    with open(os.path.join(root, path), errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            if not os.path.exists(os.path.join(root, target)):
                out.append(f"{path}:{n}: includes {target}, which does not exist "
                           "(include from the repository root)")
                continue
            if path.startswith("user/"):
                if not target.startswith("user/"):
                    out.append(f"{path}:{n}: a user program includes {target} from the kernel")
                continue
            if target.startswith("user/"):
                if target not in USER_ABI:
                    out.append(f"{path}:{n}: includes {target}; the kernel may take only "
                               "the ABI headers from user/")
                continue
            theirs = layer_of(target)
            if mine is None or theirs is None:
                out.append(f"{path}:{n}: {path if mine is None else target} is in no layer "
                           "(tools/check_layers.py lists them)")
            elif theirs > mine:
                out.append(f"{path}:{n}: includes {target}: {LAYERS[mine][0]}/ may not "
                           f"include {LAYERS[theirs][0]}/, a layer above it")
    return out


def main():
    args = sys.argv[1:]
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    if args[:1] == ["--root"] and len(args) > 1:
        root, args = os.path.abspath(args[1]), args[2:]
    if args[:1] == ["--list"]:
        for i, (folder, what) in enumerate(LAYERS):
            print(f"{i:2}  {folder + '/':14} {what}")
        return 0
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"check-layers: {len(problems)} include(s) break the layer order "
              "(docs/layout.md)")
        return 1
    print(f"check-layers: every include points down ({len(LAYERS)} layers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
