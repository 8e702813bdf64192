/*
 * kernel/arch/trap.c: the interrupt descriptor table and trap dispatch.
 *
 * All 256 vectors are interrupt gates (interrupts off on entry), so a
 * handler never nests inside another on Pagoda's one CPU. Invariant: an
 * exception no handler claims is a kernel bug when it came from the
 * kernel, and panics with the frame.
 */
#include "kernel/arch/trap.h"
#include "kernel/arch/gdt.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"

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
static const struct user_trap_ops *user_ops;
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

void trap_set_user_ops(const struct user_trap_ops *ops)
{
	user_ops = ops;
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

/*
 * Idle time: the cycles the CPU spent halted, from the hlt to the entry of
 * the interrupt that ended it (the handler's work is not idle). Under QEMU
 * -icount this is where host time leaks into the guest's clock (a disk
 * request takes as long as the host takes), so benchmarks subtract it.
 */
static uint64_t idle_cycles, idle_since;
static bool ended_idle;		/* the trap being handled woke the CPU from idle */

void cpu_idle(void)
{
	idle_since = rdtsc();
	__asm__ volatile("sti; hlt; cli" : : : "memory");	/* trap() changes idle_since */
	if (idle_since) {		/* woken by no trap we saw (cannot happen) */
		idle_cycles += rdtsc() - idle_since;
		idle_since = 0;
	}
}

uint64_t cpu_idle_cycles(void)
{
	return idle_cycles;
}

bool trap_ended_idle(void)
{
	return ended_idle;
}

/* An interrupt: end idle time if it ended a hlt, then the driver's handler. */
static void __attribute__((noinline)) trap_irq(struct trapframe *tf, bool user)
{
	/* only an interrupt ends a hlt: system calls and faults skip this */
	ended_idle = idle_since != 0;
	if (ended_idle) {
		idle_cycles += rdtsc() - idle_since;
		idle_since = 0;
	}
	irq_dispatch(tf);
	if (user)
		user_ops->ret(tf);
}

/*
 * Every trap: a system call first, with the fewest tests, because every
 * system call of every process comes this way. A system call is an int $64
 * from ring 3: the gate's DPL lets nothing else in, and virtual-8086 code
 * cannot reach it (with IOPL 0, which nothing lets a process change, an
 * int in v86 mode is a general protection fault instead).
 */
void trap(struct trapframe *tf)
{
	uint32_t trapno = tf->trapno;
	bool user;

	/* interrupts are off: every gate in the IDT is an interrupt gate */
	counts[trapno & 0xff]++;
	if (trapno == T_SYSCALL && (tf->cs & 3) && user_ops) {
		user_ops->system_call(tf);
		return;
	}
	user = trap_from_user(tf) && user_ops;
	if (trapno >= T_IRQ0 && trapno < T_IRQ0 + NIRQ)
		trap_irq(tf, user);
	else if (user)
		user_ops->trap(tf);
	else if (handlers[trapno])
		handlers[trapno](tf);
	else
		panic_trap(tf, NULL);
}

static void describe_pf(char *buf, size_t size, uint32_t err)
{
	snprintf(buf, size, "%s, %s, %s mode%s",
		 err & 1 ? "protection violation" : "page not present",
		 err & 2 ? "write" : "read", err & 4 ? "user" : "kernel",
		 err & 16 ? ", instruction fetch" : "");
}

void panic_trap(struct trapframe *tf, const char *why)
{
	static char msg[160];
	struct cpu_regs r = {
		.eax = tf->eax, .ebx = tf->ebx, .ecx = tf->ecx, .edx = tf->edx,
		.esi = tf->esi, .edi = tf->edi, .ebp = tf->ebp, .eip = tf->eip,
		.eflags = tf->eflags, .cs = tf->cs, .ds = tf->ds, .es = tf->es,
		.fs = tf->fs, .gs = tf->gs,
	};
	char how[96];

	panic_begin();
	if (trap_from_user(tf)) {	/* the CPU pushed the user's stack */
		r.esp = tf->esp;
		r.ss = tf->ss;
	} else {
		r.esp = (uint32_t)&tf->esp;
		__asm__ volatile("movl %%ss, %0" : "=r"(r.ss));
	}
	if (tf->trapno == T_PGFLT) {
		describe_pf(how, sizeof(how), tf->err);
		snprintf(msg, sizeof(msg), "%s: trap %u (%s) at address %p: %s",
			 why ? why : "unexpected", tf->trapno, trap_name(tf->trapno),
			 (void *)rcr2(), how);
	} else {
		snprintf(msg, sizeof(msg), "%s: trap %u (%s), error code 0x%x",
			 why ? why : "unexpected", tf->trapno, trap_name(tf->trapno),
			 tf->err);
	}
	printk(KERN_EMERG "\nPANIC: %s\n", msg);
	if (tf->trapno == T_PGFLT)
		printk(KERN_EMERG "  faulting address (cr2) %p\n", (void *)rcr2());
	panic_print_regs(&r);
	backtrace_print(tf->eip, 0, tf->ebp);
	panic_finish(msg);
}
