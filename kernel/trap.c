/*
 * kernel/trap.c: the interrupt descriptor table and trap dispatch.
 *
 * All 256 vectors are interrupt gates (interrupts off on entry), so a
 * handler never nests inside another on Pagoda's one CPU. Invariant: an
 * exception no handler claims is a kernel bug and panics with the frame.
 */
#include "kernel/trap.h"
#include "boot/gdt.h"
#include "kernel/lib.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "fs/vfs.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"

struct gatedesc {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t zero;
	uint8_t type;		/* present, DPL, gate type */
	uint16_t off_hi;
} __attribute__((packed));

#define GATE_INT32	0x8e	/* present, DPL 0, 32-bit interrupt gate */

static struct gatedesc idt[256];
static trap_handler_t handlers[256];
static uint32_t counts[256];
extern uint32_t trap_vectors[256];

static const char *const exception_names[NEXCEPTIONS] = {
	"Divide error", "Debug", "Non-maskable interrupt", "Breakpoint",
	"Overflow", "BOUND range exceeded", "Invalid opcode",
	"Device not available", "Double fault", "Coprocessor segment overrun",
	"Invalid TSS", "Segment not present", "Stack-segment fault",
	"General protection fault", "Page fault", "Reserved (15)",
	"x87 floating-point error", "Alignment check", "Machine check",
	"SIMD floating-point error", "Virtualization exception",
	"Control protection exception",
};

const char *trap_name(uint32_t trapno)
{
	if (trapno < NEXCEPTIONS)
		return exception_names[trapno] ? exception_names[trapno]
					       : "Reserved exception";
	if (trapno >= T_IRQ0 && trapno < T_IRQ0 + NIRQ)
		return "Hardware interrupt";
	if (trapno == T_SYSCALL)
		return "System call";
	return "Unknown vector";
}

uint32_t trap_count(int vector)
{
	return counts[vector & 0xff];
}

void trap_init(void)
{
	for (int i = 0; i < 256; i++) {
		idt[i] = (struct gatedesc){
			.off_lo = trap_vectors[i] & 0xffff,
			.sel = KCODE_SEL,
			.type = GATE_INT32,
			.off_hi = trap_vectors[i] >> 16,
		};
	}
	idt[T_SYSCALL].type = GATE_INT32 | (DPL_USER << 5);	/* int $64 from ring 3 */
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint32_t)idt };
	__asm__ volatile("lidt %0" : : "m"(idtr));
	pic_init();
}

void irq_register(int irq, trap_handler_t fn)
{
	handlers[T_IRQ0 + irq] = fn;
	pic_unmask(irq);
}

void exception_register(int vector, trap_handler_t fn)
{
	handlers[vector] = fn;
}

static void irq_dispatch(struct trapframe *tf)
{
	int irq = tf->trapno - T_IRQ0;

	if (pic_spurious(irq))
		return;
	if (handlers[tf->trapno])
		handlers[tf->trapno](tf);
	pic_eoi(irq);
}

/* An exception in user mode that no handler served: the process dies. */
static void user_exception(struct trapframe *tf)
{
	char why[96];

	snprintf(why, sizeof(why), "trap %u (%s), error 0x%x, at eip %p", tf->trapno,
		 trap_name(tf->trapno), tf->err, (void *)tf->eip);
	proc_fault_kill(why);
}

/* Called from alltraps with interrupts off. */
void trap(struct trapframe *tf)
{
	bool user = (tf->cs & 3) && current;

	counts[tf->trapno & 0xff]++;
	if (tf->trapno == T_SYSCALL && user) {
		if (current->killed)
			proc_exit(-1);
		syscall(tf);
	}
	else if (tf->trapno >= T_IRQ0 && tf->trapno < T_IRQ0 + NIRQ)
		irq_dispatch(tf);
	else if (handlers[tf->trapno])
		handlers[tf->trapno](tf);
	else if (user)
		user_exception(tf);
	else
		panic_trap(tf, NULL);
	if (!user)
		return;
	/*
	 * On the way back to user mode (interrupts already acknowledged): a
	 * kill takes effect, the timer preempts, and a kill that arrived while
	 * we were preempted takes effect too.
	 */
	if (current->killed)
		proc_exit(-1);
	if (tf->trapno == T_IRQ0 + IRQ_TIMER) {
		vfs_sync_tick();
		yield();
		if (current->killed)
			proc_exit(-1);
	}
}
