"""labs/slabmove/grade.py: the grader of lab slabmove (labs/slabmove/README.md).

dcachebench fills the dentry cache, then a memory hog makes reclaim shrink
it; tools/dcachebench.py judges part G's targets (docs/slab-relocation.md).
"""
from labgrade import Judged, Ktests

ORDER = 5   # its place in the course (labs/README.md)
TITLE = "relocating dentries so that shrinking the cache frees whole pages"

CHECKS = [
    Ktests("self-tests: dentry relocation (every path resolves, held dentries stay, "
           "10,000 random moves)", 45, ["dcache."], expect=7),
    Ktests("self-tests: the slab layer's side of relocation", 10, ["slabmove."], expect=6),
    Judged("dcachebench: the dentry cache under a 28 MiB hog in 32 MiB", 45,
           "/bin/dcachebench -M -m 28", "dcachebench", expect=3, mem=32, swap=True),
]
