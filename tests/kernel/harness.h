/*
 * tests/kernel/harness.h: the `harness` option, given by tests/run.py and
 * tools/bench.py: the run ends the emulator with a status instead of
 * halting (EXIT_PASS, EXIT_FAIL, EXIT_PANIC in kernel/lib/panic.h).
 */
#ifndef TESTS_KERNEL_HARNESS_H
#define TESTS_KERNEL_HARNESS_H

#include <stdbool.h>

/* Is the kernel running under the test harness? */
bool harness_active(void);
/* Under the harness: shut down (files closed, the root file system
   unmounted) and end the run, passed or failed; otherwise nothing. */
void harness_finish(bool passed);
#endif
