/*
 * kernel/lib/panic.c: the kernel's last words.
 *
 * A panic prints what a student needs to find the bug without a debugger:
 * the message, all registers, and a symbolised backtrace. Backtraces walk
 * the frame-pointer chain (the kernel is built with -fno-omit-frame-pointer):
 * [ebp] is the caller's ebp, [ebp+4] the return address. entry.S starts
 * the chain with ebp = 0. A frame pointer outside the window of kernel
 * stacks (the direct map, which mm/directmap.c reports as it grows),
 * misaligned, or not above the last one ends the walk, so a smashed stack
 * cannot make the panic itself fault.
 */
#include "kernel/lib/panic.h"
#include "kernel/lib/ksyms.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/x86.h"

static int panicking;
static bool poweroff_on_panic;
static uint32_t window_lo, window_hi;	/* empty until the direct map reports */

void backtrace_set_window(uint32_t lo, uint32_t hi)
{
	window_lo = lo;
	window_hi = hi;
}

static int frame_ok(uint32_t ebp, uint32_t prev)
{
	return ebp > prev && (ebp & 3) == 0 && ebp >= window_lo && ebp < window_hi &&
	       window_hi - ebp >= 8;
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

void panic_print_regs(const struct cpu_regs *r)
{
	char sym[96];

	ksym_format(sym, sizeof(sym), r->eip);
	printk(KERN_EMERG "  eip %p <%s>  cs %04x  eflags %08x\n",
	       (void *)r->eip, sym, r->cs & 0xffff, r->eflags);
	printk(KERN_EMERG "  eax %08x  ebx %08x  ecx %08x  edx %08x\n",
	       r->eax, r->ebx, r->ecx, r->edx);
	printk(KERN_EMERG "  esi %08x  edi %08x  ebp %08x  esp %08x\n",
	       r->esi, r->edi, r->ebp, r->esp);
	printk(KERN_EMERG "  ds %04x  es %04x  fs %04x  gs %04x  ss %04x\n",
	       r->ds & 0xffff, r->es & 0xffff, r->fs & 0xffff, r->gs & 0xffff,
	       r->ss & 0xffff);
	printk(KERN_EMERG "  cr0 %08x  cr2 %08x  cr3 %08x  cr4 %08x\n",
	       rcr0(), rcr2(), rcr3(), rcr4());
}

void panic_set_poweroff(bool on)
{
	poweroff_on_panic = on;
}

void panic_finish(const char *msg)
{
	for (const struct panic_hook *h = __panic_hooks_start; h < __panic_hooks_end; h++)
		h->fn(msg);
	printk(KERN_EMERG "System halted.\n");
	if (poweroff_on_panic)
		machine_poweroff(EXIT_PANIC);
	halt_forever();
}

void panic_begin(void)
{
	cli();
	if (panicking++) {
		printk(KERN_EMERG "\nPANIC while panicking; halted.\n");
		if (poweroff_on_panic)
			machine_poweroff(EXIT_PANIC);
		halt_forever();
	}
	console_loglevel = CONSOLE_LOGLEVEL;	/* never hide the panic */
}

void panic(const char *fmt, ...)
{
	static char msg[256];
	struct cpu_regs r;
	va_list ap;

	panic_begin();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	__asm__ volatile("movl %%eax, %0; movl %%ebx, %1; movl %%ecx, %2;"
			 "movl %%edx, %3; movl %%esi, %4; movl %%edi, %5"
			 : "=m"(r.eax), "=m"(r.ebx), "=m"(r.ecx),
			   "=m"(r.edx), "=m"(r.esi), "=m"(r.edi));
	__asm__ volatile("movl %%cs, %0; movl %%ds, %1; movl %%es, %2;"
			 "movl %%fs, %3; movl %%gs, %4; movl %%ss, %5"
			 : "=r"(r.cs), "=r"(r.ds), "=r"(r.es), "=r"(r.fs),
			   "=r"(r.gs), "=r"(r.ss));
	r.eip = (uint32_t)__builtin_return_address(0);
	r.ebp = (uint32_t)__builtin_frame_address(0);
	r.esp = r.ebp + 8;
	r.eflags = read_eflags();

	printk(KERN_EMERG "\nPANIC: %s\n", msg);
	panic_print_regs(&r);
	backtrace_print(r.eip, 1, ((uint32_t *)r.ebp)[0]);
	panic_finish(msg);
}

void machine_switch_off(void)
{
	uint64_t t0;

	cli();
	outw(0x604, 0x2000);		/* QEMU's ACPI PM1a control: sleep type 0, enable */
	outw(0xb004, 0x2000);		/* Bochs's */
	/* the emulator acts on it between instructions, not at once: give it time */
	for (t0 = rdtsc(); rdtsc() - t0 < 200000000ull;)
		pause();
	machine_poweroff(0);
}

void machine_poweroff(int status)
{
	const char *s = "Shutdown";

	cli();
	outb(0xf4, status);		/* QEMU isa-debug-exit */
	while (*s)			/* Bochs shutdown port */
		outb(0x8900, *s++);
	outw(0xb004, 0x2000);		/* Bochs ACPI power off */
	outw(0x604, 0x2000);		/* QEMU's ACPI power off (q35, newer piix) */
	halt_forever();
}
