/*
 * kernel/trap.h: traps, exceptions and interrupts.
 *
 * Every vector enters through kernel/trapentry.S, which saves the registers
 * as a struct trapframe and calls trap(). CPU exceptions (0-31) go to a
 * handler registered for them or, if none takes them, panic with the frame.
 * Hardware interrupts (IRQ 0-15, remapped to vectors 32-47) go to the
 * handler registered for their line.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

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

typedef void (*trap_handler_t)(struct trapframe *tf);

void trap_init(void);
void trap(struct trapframe *tf);
/* Route IRQ line irq to fn and unmask it at the PIC. */
void irq_register(int irq, trap_handler_t fn);
/* Let fn see exception vector; fn returns normally if it handled it. */
void exception_register(int vector, trap_handler_t fn);
/* The name of a CPU exception vector, e.g. "Page fault". */
const char *trap_name(uint32_t trapno);
/* How many times vector has been taken since boot. */
uint32_t trap_count(int vector);

void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);
int pic_spurious(int irq);
#endif
