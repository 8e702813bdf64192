"""labs/replace/grade.py: the grader of lab replace (labs/replace/README.md).

reclaimbench runs three access patterns in 16 MiB of RAM with a swap
disk; tools/minfaults.py replays the same sequences under Belady's MIN
and LRU and judges the targets of docs/reclaim.md.
"""
from labgrade import bigmem_nothing_lost, Judged, Ktests, Program

ORDER = 4   # its place in the course (labs/README.md)
TITLE = "page replacement against Belady's MIN"


CHECKS = [
    Judged("reclaimbench against MIN and LRU: hot/cold, a loop, a scan", 60,
           "/bin/reclaimbench", "minfaults", expect=3, mem=16, swap=True),
    Ktests("self-tests: swap and reclaim", 20, ["swap.", "reclaim."], expect=9),
    Program("bigmem: twice RAM through a swap disk, under vmcheck", 20,
            "/bin/bigmem 32 1 1", [("every page came back right", bigmem_nothing_lost)],
            options="vmcheck", mem=16, swap=True),
]
