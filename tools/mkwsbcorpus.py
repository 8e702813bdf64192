#!/usr/bin/env python3
"""tools/mkwsbcorpus.py: executables with working-set bitmap notes, good and
bad, for the wsb.* tests (user/wsbtest.c runs them).

    mkwsbcorpus.py PROGRAM OUTDIR

PROGRAM is a Pagoda program that exits 0 (build/user/_true). In OUTDIR:

    good          a well-formed bitmap (tools/wsbitmap add)
    readonly      the same, mode 0555: prefetched, never written
    plain         no bitmap at all: must stay byte for byte as it is
    bad-magic, bad-version, bad-policy, bad-history, bad-keep
                  one header field wrong
    bad-size      the note's length does not match what its header says
    truncated     the PT_NOTE's size cut short of the note
    oversized     the PT_NOTE says the note runs far past the end of the file
    too-big       a bitmap of more pages than the file has (sizes consistent)
    both-torn     both copies fail their CRC
    one-torn      the newer copy fails its CRC, the older is good

Every one must run (exit 0); only good may have its note rewritten.
"""
import os
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "wsbitmap")


def wsbitmap(*args):
    subprocess.run([sys.executable, TOOL] + list(args), check=True, stdout=subprocess.DEVNULL)


def note(path):
    """(offset of the PT_NOTE's phdr, note offset, note size) of path's bitmap note."""
    d = open(path, "rb").read()
    phoff, = struct.unpack_from("<I", d, 28)
    phnum, = struct.unpack_from("<H", d, 44)
    for i in range(phnum):
        t, off, _, _, size = struct.unpack_from("<IIIII", d, phoff + 32 * i)
        if t == 4:
            return phoff + 32 * i, off, size
    raise SystemExit(f"mkwsbcorpus: {path} has no note")


def patch(path, off, fmt, *values):
    d = bytearray(open(path, "rb").read())
    struct.pack_into(fmt, d, off, *values)
    open(path, "wb").write(d)


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__.split("\n\n")[1])
    prog, out = argv
    os.makedirs(out, exist_ok=True)

    def variant(name, *add):
        p = os.path.join(out, name)
        shutil.copyfile(prog, p)
        os.chmod(p, 0o755)
        if name != "plain":
            wsbitmap("add", p, *add)
        return p

    variant("good")
    p = variant("readonly")
    wsbitmap("mark", p, "1")                                   # something to prefetch
    os.chmod(p, 0o555)
    variant("plain")
    desc = lambda p: note(p)[1] + 20         # noqa: E731  (the desc follows the 20-byte note head)
    patch(variant("bad-magic"), desc(os.path.join(out, "bad-magic")), "<I", 0x12345678)
    patch(variant("bad-version"), desc(os.path.join(out, "bad-version")) + 4, "<H", 2)
    patch(variant("bad-policy"), desc(os.path.join(out, "bad-policy")) + 6, "<B", 7)
    p = variant("bad-history")
    patch(p, desc(p) + 12, "<B", 0)
    p = variant("bad-keep", "--policy", "aging")
    patch(p, desc(p) + 13, "<B", 9)
    p = variant("bad-size")
    patch(p, note(p)[1] + 4, "<I", note(p)[2] - 20 + 4)        # descsz off by 4
    p = variant("truncated")
    patch(p, note(p)[0] + 16, "<II", 40, 40)                   # filesz, memsz
    p = variant("oversized")
    patch(p, note(p)[0] + 16, "<II", 1 << 20, 1 << 20)
    # too-big: the note of a file 64 pages longer, then those pages cut off
    p = os.path.join(out, "too-big")
    shutil.copyfile(prog, p)
    size = os.path.getsize(p)
    with open(p, "ab") as f:
        f.write(b"\xee" * (64 * 4096))
    wsbitmap("add", p)
    d = bytearray(open(p, "rb").read()[:size])
    struct.pack_into("<I", d, 32, 0)                          # no section headers now
    struct.pack_into("<HHH", d, 46, 40, 0, 0)
    open(p, "wb").write(d)
    os.chmod(p, 0o755)
    # torn copies: a byte of a copy's bitmap flipped, its CRC left as it was
    p = variant("both-torn")
    wsbitmap("mark", p, "1")                                   # copy 1 now newer
    off = desc(p) + 32
    copy = (note(p)[2] - 20 - 32) // 2                        # bytes of one copy
    patch(p, off + 16, "<B", 0x00)
    patch(p, off + copy + 16, "<B", 0x00)
    p = variant("one-torn")
    wsbitmap("mark", p, "1")
    patch(p, desc(p) + 32 + copy + 16, "<B", 0x00)             # the newer (copy 1) torn
    print(f"mkwsbcorpus: {len(os.listdir(out))} executables in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
