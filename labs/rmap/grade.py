"""labs/rmap/grade.py: the grader of lab rmap (labs/rmap/README.md)."""
import re

from labgrade import bigmem_nothing_lost, Ktests, Program, Utests

ORDER = 2   # its place in the course (labs/README.md)
TITLE = "reverse mapping and try_to_unmap"


def swapped(text):
    m = re.search(r"pages swapped out (\d+), in (\d+)", text)
    ok = bool(m) and int(m.group(1)) > 1000 and int(m.group(2)) > 1000
    return ok, m.group(0) if m else "no swap figures"


def ballast_intact(text):
    ok = "mismatches 0 and 0; ballast 16 MiB, 0 words wrong" in text
    line = next((l for l in text.splitlines() if l.startswith("cowstress: seed")), "no summary")
    return ok, line


CHECKS = [
    Ktests("self-tests: rmap, try_to_unmap through shared tables, swap", 40,
           ["rmap.", "spt.try_to_unmap_reaches_every_sharer", "swap.",
            "reclaim.emptied_shared_table_freed_once"], expect=13),
    Utests("user tests under vmcheck (the rmap checked after every fork and exit)", 20,
           ["proc.", "cow.", "fork.", "mem.", "sys.mmap"], expect=13, options="vmcheck"),
    Program("bigmem: twice RAM (16 MiB) through a swap disk, under vmcheck", 20,
            "/bin/bigmem 32 1 1", [("every page came back right", bigmem_nothing_lost),
                                  ("pages went out and came back in", swapped)],
            options="vmcheck", mem=16, swap=True),
    Program("cowstress under memory pressure: shared pages swapped out and in", 20,
            "/bin/cowstress -b16 42 400 40", [("every page and the ballast right",
                                               ballast_intact)],
            options="fork=share vmcheck", mem=16, swap=True),
]
