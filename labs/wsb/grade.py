"""labs/wsb/grade.py: the grader of lab wsb (labs/wsb/README.md).

wsbtest runs the crafted executables of /fixtures/wsb; wsbench starts a
program cold, with a fresh bitmap, a stale one and under the aging policy,
and tools/wsbench.py models the disk time from the request trace and
judges part H's targets (docs/working-set.md).
"""
from labgrade import Boot, Judged, Ktests, Lines, Program, csv_rows

ORDER = 6   # its place in the course (labs/README.md)
TITLE = "working-set bitmaps: record at exit, prefetch in disk order at exec"


def figure(text, start, what):
    return {(r[1], r[2]): int(r[3]) for r in csv_rows(text, "wsbench")}[(start, what)]


def no_major_faults(start):
    def judge(text):
        n = figure(text, start, "major_faults")
        return n == 0, f"{start}: {n} major faults (the bitmap's pages were all prefetched)"
    return judge


def stale_helps(text):
    cold, stale = figure(text, "cold-a", "major_faults"), figure(text, "stale-a", "major_faults")
    return stale < cold, f"a stale bitmap: {stale} major faults, cold {cold}"

CHECKS = [
    Ktests("self-tests: the bitmap's building blocks", 10, ["wsb."], expect=4),
    Lines("wsbtest: every crafted executable, concurrent runs, kills", 25,
          Boot("init=/bin/wsbtest harness"), r"^wsbtest: (PASS|FAIL) (\S+)(?:: (.*))?$",
          expect=17),
    Judged("wsbench: cold start, fresh and stale bitmaps, two modes under aging", 40,
           "/bin/wsbench -t", "wsbench", expect=6),
    Program("wsbench: what each start faulted", 25, "/bin/wsbench -t",
            [("mode a under aging: no major fault", no_major_faults("aging-a")),
             ("mode b under aging: no major fault", no_major_faults("aging-b")),
             ("a stale bitmap still saves faults", stale_helps)], must_pass=False),
]
