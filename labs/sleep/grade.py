"""labs/sleep/grade.py: the grader of lab sleep (labs/sleep/README.md).

schedtest checks that wakeups reach exactly the right waiters; manyproc
measures what 2,000 sleeping processes cost everyone else.
"""
from labgrade import Boot, Lines, Program, Utests, csv_rows

ORDER = 7   # its place in the course (labs/README.md)
TITLE = "wait queues and a timer list: sleeping processes that cost nothing"

SLEEPERS = "2000"


def ratio(figure, limit):
    def judge(text):
        rows = {(r[1], r[2]): int(r[3]) for r in csv_rows(text, "manyproc")}
        none, many = rows[("0", figure)], rows[(SLEEPERS, figure)]
        r = many / none
        return r <= limit, (f"{figure}: {many:,} cycles with {SLEEPERS} sleepers, {none:,} with "
                            f"none: {r:.2f}x (at most {limit}x)")
    return judge


def all_back(text):
    rows = {(r[1], r[2]): int(r[3]) for r in csv_rows(text, "manyproc")}
    started, lost = rows[(SLEEPERS, "started")], rows[(SLEEPERS, "kib_not_returned")]
    return started == int(SLEEPERS) and lost <= 0, (f"{started} started, {lost} KiB not "
                                                    "returned after they all exited")


CHECKS = [
    Lines("schedtest: exact wakeups among 200 sleepers, timers in order, kills, wait", 20,
          Boot("init=/bin/schedtest harness"), r"^schedtest: (PASS|FAIL) (\S+)(?:: (.*))?$",
          expect=4),
    Utests("user tests: processes, pipes, sleep and kill", 10, ["proc.", "pipe."], expect=9),
    Program(f"manyproc, {SLEEPERS} sleepers: a wakeup touches only its own waiters", 40,
            f"/bin/manyproc 0 {SLEEPERS}",
            [("a pipe ping-pong within 1.2x of its cost with none",
              ratio("pingpong_cycles", 1.2))], must_pass=False),
    Program(f"manyproc, {SLEEPERS} sleepers: nothing else slows down, nothing is lost", 30,
            f"/bin/manyproc 0 {SLEEPERS}",
            [("fork + exit + wait within 1.2x", ratio("fork_exit_wait_cycles", 1.2)),
             ("getpid within 1.2x", ratio("getpid_cycles", 1.2)),
             ("every sleeper started, every page back", all_back)]),
]
