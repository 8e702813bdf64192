/*
 * tests/kernel/harness.c: the `harness` option. It registers itself where
 * the kernel lets hooks in (a tunable, the panic path, init's exit), so
 * no core code asks whether a test harness is watching.
 *
 * Under the harness a panic powers off with EXIT_PANIC, and a test
 * program run as init (init=/bin/usertests) ends the run when it exits:
 * the root file system is written back and the status says whether it
 * passed.
 */
#include "tests/kernel/harness.h"
#include "fs/vfs.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/tunable.h"
#include "kernel/proc/proc.h"

static bool harness;

bool harness_active(void)
{
	return harness;
}

void harness_finish(bool passed)
{
	if (!harness)
		return;
	proc_shutdown();
	machine_poweroff(passed ? EXIT_PASS : EXIT_FAIL);
}

/* The test program ran as init and is done. */
static void init_exited(int status)
{
	printk("init exited with status %d\n", status);
	harness_finish(status == 0);
}

static const char *set_harness(const char *val, size_t len)
{
	(void)len;
	if (val)
		return "takes no value";
	harness = true;
	panic_set_poweroff(true);
	proc_set_init_exit(init_exited);
	return NULL;
}

TUNABLE_CALL(harness, set_harness, "under the test harness: end the run with a status");
