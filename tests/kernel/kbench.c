/*
 * tests/kernel/kbench.c: the `bench=NAME` option: run the benchmark that
 * registered under that name (tests/kernel/kbench.h) once the kernel is up,
 * then end the run under the harness.
 */
#include "tests/kernel/kbench.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/tunable.h"
#include "tests/kernel/harness.h"

static char wanted[NOPTVALUE];

static const char *set_bench(const char *val, size_t len)
{
	if (!val || len == 0)
		return "wants a benchmark name, e.g. bench=mm";
	if (len >= sizeof(wanted))
		return "value too long";
	memcpy(wanted, val, len);
	wanted[len] = '\0';
	return NULL;
}

TUNABLE_CALL(bench, set_bench, "run an in-kernel benchmark at boot (mm, fs)");

static void bench_boot(void)
{
	const struct kbench *b;

	if (!wanted[0])
		return;
	for (b = __kbench_start; b < __kbench_end; b++)
		if (!strcmp(b->name, wanted))
			break;
	if (b < __kbench_end)
		b->fn();
	else
		printk(KERN_WARNING "bench: no benchmark called '%s'\n", wanted);
	harness_finish(b < __kbench_end);
}

BOOT_HOOK(kbench, bench_boot);
