"""labs/spt/grade.py: the grader of lab spt (labs/spt/README.md).

Every boot runs with fork=share, the default: fork shares page tables.
"""
from labgrade import Ktests, Program, Utests, csv_rows

ORDER = 3   # its place in the course (labs/README.md)
TITLE = "shared page tables: directory-level write protect and pt_unshare"


def forkbench(text):
    return {(r[2], r[3], r[4]): (int(r[5]), int(r[6])) for r in csv_rows(text, "forkbench")}


def flat(heap):
    def judge(text):
        rows = forkbench(text)
        small, big = rows[(heap, "fork_exit", "0")][0], rows[(heap, "fork_exit", "64")][0]
        return big < 1.5 * small, (f"fork+exit with a 64 MiB {heap} heap costs {big / small:.2f}x "
                                   "that with none (at most 1.5x)")
    return judge


def one_table(text):
    pt = forkbench(text)[("sbrk", "fork_exit", "64")][1]
    return pt <= 1, f"{pt} page-table pages per fork of a 64 MiB process (at most 1: the directory)"


def touch_costs_the_copy(text):
    rows = forkbench(text)
    exit64, touch64 = rows[("sbrk", "fork_exit", "64")][0], rows[("sbrk", "fork_touch_all", "64")][0]
    return touch64 > 20 * exit64, (f"a child that writes all 64 MiB costs {touch64:,} cycles, "
                                   f"fork+exit {exit64:,}: the copies happen at the writes")


CHECKS = [
    Ktests("self-tests: sharing, isolation in every order, unshare, rmap and reclaim through "
           "shared tables", 40,
           ["spt.", "swap.shared_table_holds_one_entry", "reclaim.emptied_shared_table_freed_once"],
           expect=15),
    Utests("user tests (fork=share)", 20, [], expect=33),
    Program("cowstress: random fork/write/exec/exit, every page checked, under vmcheck", 15,
            "/bin/cowstress 42 400 40", [], options="fork=share vmcheck"),
    Program("forkbench (fork=share, up to 64 MiB): fork costs the same at any size", 25,
            "/bin/forkbench share 64",
            [("fork+exit of 64 MiB within 1.5x of an empty process (sbrk heap)", flat("sbrk")),
             ("fork+exit of 64 MiB within 1.5x of an empty process (malloc heap)",
              flat("malloc")),
             ("a fork of 64 MiB adds no page table but the directory", one_table),
             ("writing after fork pays for the copies", touch_costs_the_copy)],
            options="fork=share", mem=256),
]
