/* kernel/bench.h: in-kernel benchmarks run by the bench= boot option. */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

/* The memory-core report (tests/kernel/bench_mm.c). */
void bench_mm(void);
/* The storage report (tests/kernel/bench_fs.c). */
void bench_fs(void);
#endif
