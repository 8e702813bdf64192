/*
 * kernel/panic.c: the kernel's last words.
 *
 * A panic prints what a student needs to find the bug without a debugger:
 * the message, all registers, CR2 on a page fault, and a symbolised
 * backtrace. Backtraces walk the frame-pointer chain (the kernel is built
 * with -fno-omit-frame-pointer): [ebp] is the caller's ebp, [ebp+4] the
 * return address. entry.S starts the chain with ebp = 0. A frame pointer
 * outside the direct map, misaligned, or not above the last one ends the
 * walk, so a smashed stack cannot make the panic itself fault.
 */
#include "kernel/panic.h"
#include "kernel/cmdline.h"
#include "kernel/ksyms.h"
#include "kernel/ktest.h"
#include "kernel/lib.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "mm/directmap.h"

static int panicking;

static int frame_ok(uint32_t ebp, uint32_t prev)
{
	return ebp > prev && (ebp & 3) == 0 && ebp >= KERNBASE &&
	       ebp + 8 <= directmap_end();
}

int backtrace_collect(uint32_t ebp, uint32_t *pcs, int max)
{
	int n = 0;
	uint32_t prev = 0;

	while (n < max && frame_ok(ebp, prev)) {
		uint32_t *frame = (uint32_t *)ebp;
		if (frame[1] == 0)
			break;
		pcs[n++] = frame[1];
		prev = ebp;
		ebp = frame[0];
	}
	return n;
}

static void print_frame(int i, uint32_t pc, int is_return)
{
	char sym[96];

	/* a return address may sit just past a call that ends its function */
	ksym_format(sym, sizeof(sym), pc - is_return);
	if (is_return) {
		uint32_t off;
		const char *name = ksym_lookup(pc - 1, &off);
		if (name)
			snprintf(sym, sizeof(sym), "%s+0x%x", name, off + 1);
	}
	printk(KERN_EMERG "  #%d %p %s\n", i, (void *)pc, sym);
}

void backtrace_print(uint32_t eip, int eip_is_return, uint32_t ebp)
{
	uint32_t pcs[NBACKTRACE];
	int n = backtrace_collect(ebp, pcs, NBACKTRACE);

	printk(KERN_EMERG "Backtrace:\n");
	print_frame(0, eip, eip_is_return);
	for (int i = 0; i < n; i++)
		print_frame(i + 1, pcs[i], 1);
}

static void print_regs(const struct trapframe *tf, uint32_t esp, uint32_t ss)
{
	char sym[96];

	ksym_format(sym, sizeof(sym), tf->eip);
	printk(KERN_EMERG "  eip %p <%s>  cs %04x  eflags %08x\n",
	       (void *)tf->eip, sym, tf->cs & 0xffff, tf->eflags);
	printk(KERN_EMERG "  eax %08x  ebx %08x  ecx %08x  edx %08x\n",
	       tf->eax, tf->ebx, tf->ecx, tf->edx);
	printk(KERN_EMERG "  esi %08x  edi %08x  ebp %08x  esp %08x\n",
	       tf->esi, tf->edi, tf->ebp, esp);
	printk(KERN_EMERG "  ds %04x  es %04x  fs %04x  gs %04x  ss %04x\n",
	       tf->ds & 0xffff, tf->es & 0xffff, tf->fs & 0xffff,
	       tf->gs & 0xffff, ss & 0xffff);
	printk(KERN_EMERG "  cr0 %08x  cr2 %08x  cr3 %08x  cr4 %08x\n",
	       rcr0(), rcr2(), rcr3(), rcr4());
}

/* The stop that every panic ends in. */
static void __attribute__((noreturn)) panic_end(const char *msg)
{
	ktest_panicked(msg);
	printk(KERN_EMERG "System halted.\n");
	machine_exit(EXIT_PANIC);
}

static int panic_enter(void)
{
	cli();
	if (panicking++) {
		printk(KERN_EMERG "\nPANIC while panicking; halted.\n");
		machine_exit(EXIT_PANIC);
	}
	console_loglevel = CONSOLE_LOGLEVEL;	/* never hide the panic */
	return 0;
}

void panic(const char *fmt, ...)
{
	static char msg[256];
	struct trapframe tf;
	va_list ap;

	panic_enter();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	__asm__ volatile("movl %%eax, %0; movl %%ebx, %1; movl %%ecx, %2;"
			 "movl %%edx, %3; movl %%esi, %4; movl %%edi, %5"
			 : "=m"(tf.eax), "=m"(tf.ebx), "=m"(tf.ecx),
			   "=m"(tf.edx), "=m"(tf.esi), "=m"(tf.edi));
	__asm__ volatile("movl %%cs, %0; movl %%ds, %1; movl %%es, %2;"
			 "movl %%fs, %3; movl %%gs, %4"
			 : "=r"(tf.cs), "=r"(tf.ds), "=r"(tf.es), "=r"(tf.fs),
			   "=r"(tf.gs));
	tf.eip = (uint32_t)__builtin_return_address(0);
	tf.ebp = (uint32_t)__builtin_frame_address(0);
	tf.eflags = read_eflags();
	uint32_t ss;
	__asm__ volatile("movl %%ss, %0" : "=r"(ss));

	printk(KERN_EMERG "\nPANIC: %s\n", msg);
	print_regs(&tf, tf.ebp + 8, ss);
	backtrace_print(tf.eip, 1, ((uint32_t *)tf.ebp)[0]);
	panic_end(msg);
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
	char how[96];
	uint32_t ss;

	panic_enter();
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
	__asm__ volatile("movl %%ss, %0" : "=r"(ss));
	printk(KERN_EMERG "\nPANIC: %s\n", msg);
	if (tf->trapno == T_PGFLT)
		printk(KERN_EMERG "  faulting address (cr2) %p\n", (void *)rcr2());
	print_regs(tf, (uint32_t)&tf->esp, ss);
	backtrace_print(tf->eip, 0, tf->ebp);
	panic_end(msg);
}

void machine_exit(int status)
{
	cli();
	if (bootopts.harness) {
		const char *s = "Shutdown";

		outb(0xf4, status);		/* QEMU isa-debug-exit */
		while (*s)			/* Bochs shutdown port */
			outb(0x8900, *s++);
		outw(0xb004, 0x2000);		/* Bochs ACPI power off */
	}
	halt_forever();
}
