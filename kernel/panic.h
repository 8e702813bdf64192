/*
 * kernel/panic.h: stopping the kernel when an invariant breaks.
 *
 * panic() and panic_trap() print the message, every register, CR2 for a
 * page fault, and a backtrace of return addresses as function+offset; then
 * the machine halts, or, under the test harness (the "harness" option), the
 * emulator exits with EXIT_PANIC. If a self-test was running it is reported
 * as failed first (kernel/ktest.c).
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdint.h>

struct trapframe;

void panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
/* Panic over a trap frame; why (or NULL: "unexpected") says what kind of bug. */
void panic_trap(struct trapframe *tf, const char *why) __attribute__((noreturn));

/* Fill pcs with up to max return addresses walking frame pointers from ebp. */
int backtrace_collect(uint32_t ebp, uint32_t *pcs, int max);
/*
 * Print "  #n 0xADDR function+0xOFF" for eip, then for each frame above ebp.
 * eip_is_return says eip is a return address rather than a faulting one.
 */
void backtrace_print(uint32_t eip, int eip_is_return, uint32_t ebp);

#define KASSERT(c)							\
	do {								\
		if (!(c))						\
			panic("assertion \"%s\" failed at %s:%d",	\
			      #c, __FILE__, __LINE__);			\
	} while (0)

/* Exit statuses for machine_exit; QEMU reports (v << 1) | 1. */
#define EXIT_PASS	0x10
#define EXIT_FAIL	0x11
#define EXIT_PANIC	0x12

/* End the run: under the harness leave the emulator with status, else halt. */
void machine_exit(int status) __attribute__((noreturn));
#endif
