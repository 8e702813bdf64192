/*
 * kernel/arch/trap.h: traps, exceptions and interrupts.
 *
 * Every vector enters through kernel/arch/trapentry.S, which saves the
 * registers as a struct trapframe and calls trap(). Hardware interrupts
 * (IRQ 0-15, remapped to vectors 32-47) go to the handler registered for
 * their line. Every other trap from user mode (system calls, page faults,
 * exceptions) goes to the user-trap operations the process layer
 * registered, which also get the last word before every return to user
 * mode (kills, preemption). A trap from the kernel goes to the handler
 * registered for its vector (the page-fault handler serves faults of the
 * kernel's copies to and from user memory); one nobody handles is a
 * kernel bug, and panics.
 */
#ifndef KERNEL_ARCH_TRAP_H
#define KERNEL_ARCH_TRAP_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/lib/x86.h"

/* The frame trapentry.S builds, lowest address first. */
struct trapframe {
	/* pushed by pushal */
	uint32_t edi, esi, ebp, oesp, ebx, edx, ecx, eax;
	/* pushed by alltraps */
	uint32_t gs, fs, es, ds;
	uint32_t trapno;
	/* pushed by the CPU (err by the stub when the CPU does not) */
	uint32_t err;
	uint32_t eip;
	uint32_t cs;
	uint32_t eflags;
	/* pushed by the CPU only when the trap came from user mode */
	uint32_t esp;
	uint32_t ss;
};

#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BRKPT		3
#define T_OFLOW		4
#define T_BOUND		5
#define T_ILLOP		6
#define T_DEVICE	7
#define T_DBLFLT	8
#define T_TSS		10
#define T_SEGNP		11
#define T_STACK		12
#define T_GPFLT		13
#define T_PGFLT		14
#define T_FPERR		16
#define T_ALIGN		17
#define T_MCHK		18
#define T_SIMDERR	19
#define NEXCEPTIONS	32

#define T_IRQ0		32	/* IRQ n arrives as vector T_IRQ0 + n */
#define T_SYSCALL	64	/* xv6's system-call vector */

#define IRQ_TIMER	0
#define IRQ_KBD		1
#define IRQ_COM1	4
#define IRQ_SPURIOUS	7
#define NIRQ		16

/*
 * Did the trap come from user mode? Ring 3, or virtual-8086 mode, which a
 * user program can enter on some emulators and whose CS says nothing.
 */
static inline bool trap_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) || (tf->eflags & FL_VM);
}

typedef void (*trap_handler_t)(struct trapframe *tf);

/* What the process layer does with traps from user mode. */
struct user_trap_ops {
	/* a system call (int $64 from ring 3): the hottest path, called first */
	void (*system_call)(struct trapframe *tf);
	/* an exception from user mode: handle it, then do what ret does */
	void (*trap)(struct trapframe *tf);
	/* after an interrupt that arrived in user mode, the last thing before
	   returning there: kills, preemption */
	void (*ret)(struct trapframe *tf);
};

/* Build and load the IDT (every vector an interrupt gate) and set up the PIC. */
void trap_init(void);
/* Handle one trap; called by alltraps with interrupts off. */
void trap(struct trapframe *tf);
/* Halt until an interrupt (called with interrupts off; returns with them off). */
void cpu_idle(void);
/* TSC cycles spent halted in cpu_idle since boot. */
uint64_t cpu_idle_cycles(void);
/* Did the interrupt being handled wake the CPU from cpu_idle? */
bool trap_ended_idle(void);
/* Install the process layer's handling of user-mode traps. */
void trap_set_user_ops(const struct user_trap_ops *ops);
/* Panic over a trap frame; why (or NULL: "unexpected") says what kind of bug. */
void panic_trap(struct trapframe *tf, const char *why) __attribute__((noreturn));
/* Where a new task's first return goes: pops a trap frame and irets (trapentry.S). */
void trapret(void);
/* Route IRQ line irq to fn and unmask it at the PIC. */
void irq_register(int irq, trap_handler_t fn);
/* Let fn see exception vector; fn returns normally if it handled it. */
void exception_register(int vector, trap_handler_t fn);
/* The name of a CPU exception vector, e.g. "Page fault". */
const char *trap_name(uint32_t trapno);
/* How many times vector has been taken since boot. */
uint32_t trap_count(int vector);

/* kernel/arch/pic.c: remap IRQs to T_IRQ0.., all masked but the cascade. */
void pic_init(void);
/* Let IRQ line irq through. */
void pic_unmask(int irq);
/* Acknowledge IRQ line irq at the controller(s). */
void pic_eoi(int irq);
/* Was this IRQ 7 or 15 spurious (no request behind it)? */
int pic_spurious(int irq);
#endif
