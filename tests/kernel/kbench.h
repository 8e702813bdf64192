/*
 * tests/kernel/kbench.h: in-kernel benchmarks, run at boot by `bench=NAME`
 * (make bench runs them under QEMU -icount shift=0, where the TSC counts
 * guest instructions, so figures repeat). A benchmark registers itself:
 *
 *     KBENCH(mm, bench_mm);
 *
 * and prints a table and machine-readable lines (tools/bench.py keeps them).
 */
#ifndef TESTS_KERNEL_KBENCH_H
#define TESTS_KERNEL_KBENCH_H

struct kbench {
	const char *name;
	void (*fn)(void);
};

#define KBENCH(id, func)						\
	static const struct kbench kbench_##id				\
	__attribute__((used, section(".kbench"), aligned(4))) = { #id, func }

extern const struct kbench __kbench_start[], __kbench_end[];
#endif
