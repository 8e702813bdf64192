/*
 * kernel/lib/panic.h: stopping the kernel when an invariant breaks.
 *
 * panic() prints the message, every register, and a backtrace of return
 * addresses as function+offset; panic_trap (kernel/arch/trap.h) does the
 * same for a trap frame, with CR2 for a page fault. Then each PANIC_HOOK
 * hears about it (kernel/lib/registry.h: the self-tests mark the running
 * test failed) and the machine halts, or powers off with EXIT_PANIC when
 * the test harness asked for that (panic_set_poweroff).
 */
#ifndef KERNEL_LIB_PANIC_H
#define KERNEL_LIB_PANIC_H

#include <stdbool.h>
#include <stdint.h>

/* Print a panic report for fmt, with this CPU's registers, and stop. */
void panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

#define KASSERT(c)							\
	do {								\
		if (!(c))						\
			panic("assertion \"%s\" failed at %s:%d",	\
			      #c, __FILE__, __LINE__);			\
	} while (0)

/* Registers as a panic report prints them. */
struct cpu_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp, eip, eflags;
	uint32_t cs, ds, es, fs, gs, ss;
};

/* Start a panic report: interrupts off, the console shows everything; a
   panic inside a panic halts at once. */
void panic_begin(void);
/* Print r (eip symbolised) and CR0..CR4. */
void panic_print_regs(const struct cpu_regs *r);
/* Finish a panic report: tell the panic hooks, then halt or power off. */
void panic_finish(const char *msg) __attribute__((noreturn));
/* Power off with EXIT_PANIC at the end of a panic instead of halting. */
void panic_set_poweroff(bool on);

/* Fill pcs with up to max return addresses walking frame pointers from ebp. */
int backtrace_collect(uint32_t ebp, uint32_t *pcs, int max);
/*
 * Print "  #n 0xADDR function+0xOFF" for eip, then for each frame above ebp.
 * eip_is_return says eip is a return address rather than a faulting one.
 */
void backtrace_print(uint32_t eip, int eip_is_return, uint32_t ebp);
/* Frame pointers lie in [lo, hi) (kernel stacks: the direct map); others end a walk. */
void backtrace_set_window(uint32_t lo, uint32_t hi);

/* Exit statuses for machine_poweroff; QEMU reports (v << 1) | 1. */
#define EXIT_PASS	0x10
#define EXIT_FAIL	0x11
#define EXIT_PANIC	0x12

/* Leave the emulator with status (QEMU's debug-exit port, Bochs's shutdown
   port, ACPI); on a machine that has none of them, halt. */
void machine_poweroff(int status) __attribute__((noreturn));
/* Switch off the way an operating system does (ACPI), so QEMU exits with 0;
   the debug-exit port (status 0) only if that did not work. */
void machine_switch_off(void) __attribute__((noreturn));
#endif
