"""labs/cow/grade.py: the grader of lab cow (labs/cow/README.md).

Every boot runs with fork=copy: fork copies page tables and shares pages,
the classic copy-on-write fork that this lab builds.
"""
from labgrade import Ktests, Program, Utests, csv_rows

ORDER = 1   # its place in the course (labs/README.md)
TITLE = "page-level copy-on-write fork"


def fork_cost(text, heap):
    """fork+exit and fork+write-everything at 64 MiB, cycles per operation."""
    rows = {(r[2], r[3], r[4]): int(r[5]) for r in csv_rows(text, "forkbench")}
    return rows[(heap, "fork_exit", "64")], rows[(heap, "fork_touch_all", "64")]


def cheap_fork(heap):
    def judge(text):
        f, touch = fork_cost(text, heap)
        return f < 0.4 * touch, (f"fork+exit {f:,} cycles, fork+write-all {touch:,}: "
                                 f"{f / touch:.2f} of it (at most 0.40)")
    return judge


CHECKS = [
    Ktests("self-tests: copy-on-write, its rmap, swapped copy-on-write pages", 35,
           ["cow.", "swap.cow_page_counts_each_pte", "swap.fork_copies_swap_entries",
            "rmap.try_to_unmap_reaches_every_mapping"], expect=7, cmdline="fork=copy"),
    Utests("user tests, fork=copy", 25, ["proc.", "cow.", "sys.sbrk", "mem.", "fork."],
           expect=14, options="fork=copy"),
    Program("cowstress: random fork/write/exec/exit, every page checked, under vmcheck", 15,
            "/bin/cowstress 42 400 40", [], options="fork=copy vmcheck"),
    Program("forkbench (fork=copy, up to 64 MiB): fork no longer copies memory", 25,
            "/bin/forkbench copy 64",
            [("fork+exit of a 64 MiB sbrk heap under 0.4x of writing it all", cheap_fork("sbrk")),
             ("fork+exit of a 64 MiB malloc heap under 0.4x of writing it all",
              cheap_fork("malloc"))],
            options="fork=copy", mem=256),
]
