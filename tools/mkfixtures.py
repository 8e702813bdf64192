#!/usr/bin/env python3
"""tools/mkfixtures.py: files the storage self-tests read, in a folder that
the Makefile turns into an ext2 image with `mke2fs -d`.

Every file's contents follow from its name and offset, so a test can check
any byte without a copy: byte i of a pattern file is (i * 7 + seed) % 251.
"""
import os
import sys


def pattern(size, seed):
    return bytes((i * 7 + seed) % 251 for i in range(size))


def sparse(path, size, chunks):
    """A file of size bytes that is all hole except pattern chunks at offsets."""
    with open(path, "wb") as f:
        f.truncate(size)
        for off, n, seed in chunks:
            f.seek(off)
            f.write(pattern(n, seed))


def main(out, block):
    os.makedirs(os.path.join(out, "fixtures", "many"), exist_ok=True)
    d = os.path.join(out, "fixtures")
    with open(os.path.join(d, "hello.txt"), "w") as f:
        f.write("hello, ext2\n")
    # direct, single and double indirect blocks at either block size
    with open(os.path.join(d, "big.bin"), "wb") as f:
        f.write(pattern(300 * 1024 if block == 1024 else 4400 * 1024, 3))
    # holes, and (1 KiB blocks) a block only triple indirection reaches
    far = 66 * 1024 * 1024 if block == 1024 else 5 * 1024 * 1024
    sparse(os.path.join(d, "sparse.bin"), far + 4096,
           [(0, 100, 5), (200 * 1024, 1000, 6), (far, 4096, 9)])
    for i in range(300):
        with open(os.path.join(d, "many", f"file-{i:03d}-with-a-long-name"), "w") as f:
            f.write(f"{i}\n")
    # an extended attribute too big for the inode: ext2 keeps it in a block of its own
    xf = os.path.join(d, "xattr.txt")
    with open(xf, "w") as f:
        f.write("has an xattr block\n")
    os.setxattr(xf, "user.pagoda", b"x" * 300)
    # what the poweroff test runs as init: a file written, then poweroff at once
    with open(os.path.join(d, "poweroff.sh"), "w") as f:
        f.write("echo kept > /poweroff-kept\npoweroff\necho not-reached > /poweroff-after\n")
    long = "n" * 255
    with open(os.path.join(d, long), "w") as f:
        f.write("longest name\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
