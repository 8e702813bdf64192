#!/usr/bin/env python3
"""tools/mkelfcorpus.py: malformed executables, made from a real one.

    mkelfcorpus.py PROGRAM OUTDIR

writes OUTDIR/good-<name> (PROGRAM itself, which must run) and one
OUTDIR/bad-<what> per way of being wrong. Each bad file differs from
PROGRAM in one thing, chosen so that exactly one of exec's checks
(kernel/proc/elf.c) refuses it; the user test exec.malformed_files_fail_cleanly
runs them all and wants every bad one refused with the caller intact.
PROGRAM must be an i386 ET_EXEC whose second PT_LOAD is a read-only data
segment that does not hold the entry point (as Pagoda's linker script
lays programs out).
"""
import os
import struct
import sys

EHDR = struct.Struct("<4sBBBB8sHHIIIIIHHHHHH")
PHDR = struct.Struct("<8I")
PT_NULL, PT_LOAD = 0, 1
USER_TOP, USTACK = 0xC0000000, 1 << 20


class Elf:
    def __init__(self, data):
        self.data = bytearray(data)
        self.h = list(EHDR.unpack_from(self.data, 0))

    # header fields by name: index into EHDR's tuple
    F = dict(magic=0, cls=1, endian=2, version=3, type=6, machine=7, version2=8, entry=9,
             phoff=10, ehsize=13, phentsize=14, phnum=15)

    def set(self, field, value):
        self.h[self.F[field]] = value
        EHDR.pack_into(self.data, 0, *self.h)
        return self

    def ph(self, i):
        return list(PHDR.unpack_from(self.data, self.h[10] + i * PHDR.size))

    def set_ph(self, i, **kw):
        p = self.ph(i)
        names = ["type", "offset", "vaddr", "paddr", "filesz", "memsz", "flags", "align"]
        for k, v in kw.items():
            p[names.index(k)] = v & 0xffffffff
        PHDR.pack_into(self.data, self.h[10] + i * PHDR.size, *p)
        return self

    def loads(self):
        return [i for i in range(self.h[15]) if self.ph(i)[0] == PT_LOAD]


def variants(base):
    size = len(base)
    e = lambda: Elf(base)                                       # noqa: E731
    data = e().loads()[1]                       # the read-only data segment
    ty, off, va, pa, fs, ms, fl, al = e().ph(data)
    out = {
        "empty": b"",
        "truncated-header": base[:40],
        "truncated-phdrs": base[:100],
        "magic": e().set("magic", b"\x7fELG").data,
        "64-bit": e().set("cls", 2).data,
        "big-endian": e().set("endian", 2).data,
        "shared-object": e().set("type", 3).data,
        "other-machine": e().set("machine", 40).data,
        "unknown-version": e().set("version2", 0).data,
        "other-header-size": e().set("ehsize", 64).data,
        "other-phdr-size": e().set("phentsize", 56).data,
        "no-phdrs": e().set("phnum", 0).data,
        "too-many-phdrs": e().set("phnum", 17).data,
        "phdrs-past-the-end": e().set("phoff", size + 1).data,
        "phdrs-running-past-the-end": e().set("phoff", size - PHDR.size).data,
        "more-file-than-memory": e().set_ph(data, memsz=fs - 1).data,
        "data-past-the-end": e().set_ph(data, offset=0x100000 + (va & 0xfff)).data,
        "data-running-past-the-end": e().set_ph(data, filesz=size - off + 1,
                                                memsz=size - off + 1).data,
        "empty-segment": e().set_ph(data, filesz=0, memsz=0).data,
        "segment-in-the-kernel": e().set_ph(data, vaddr=0xfffff000 + (off & 0xfff)).data,
        "segment-wrapping": e().set_ph(data, vaddr=0xbffff000 + (off & 0xfff),
                                       memsz=0x40002000).data,
        "overlapping-segments": e().set_ph(data, vaddr=e().ph(e().loads()[0])[2]).data,
        "entry-outside": e().set("entry", 0x7ffff000).data,
        "entry-in-data": e().set("entry", va).data,
        "no-room-for-the-stack": e().set_ph(data, vaddr=USER_TOP - USTACK + (off & 0xfff)).data,
    }
    no_loads = e()
    for i in no_loads.loads():
        no_loads.set_ph(i, type=PT_NULL)
    out["no-loadable-segment"] = no_loads.data
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    program, outdir = sys.argv[1:]
    with open(program, "rb") as f:
        base = f.read()
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "good-" + os.path.basename(program).lstrip("_")), "wb") as f:
        f.write(base)
    for what, data in variants(base).items():
        assert data != base, what
        with open(os.path.join(outdir, "bad-" + what), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
