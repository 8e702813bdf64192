/*
 * kernel/main.c: kmain, where the kernel's C life begins.
 *
 * The order matters: segments first (GRUB's GDT may be gone), then the
 * console so everything after can report, then the boot information (before
 * anything can overwrite it), traps, memory, devices, and finally the
 * self-tests or the idle loop.
 */
#include "boot/gdt.h"
#include "boot/multiboot.h"
#include "fs/ata.h"
#include "fs/vfs.h"
#include "kernel/time.h"
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/kbd.h"
#include "kernel/ktest.h"
#include "kernel/lib.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "kernel/uart.h"
#include "kernel/x86.h"
#include "mm/directmap.h"
#include "mm/memmap.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "mm/vm.h"

/* With no root file system there is no user space: echo console input. */
static void idle_console(void)
{
	printk("Pagoda has no root file system, so no user space; what you type is echoed.\n");
	for (;;) {
		int c;
		while ((c = console_getc()) >= 0) {
			char ch = (char)c;
			console_write(&ch, 1, 0x07);
		}
		hlt();
	}
}

void kmain(uint32_t magic, uint32_t mbi)
{
	gdt_init();
	directmap_drop_identity();
	console_init();
	printk("Pagoda: a teaching kernel for i386\n");
	multiboot_read(magic, mbi, boot_cmdline, sizeof(boot_cmdline), &boot_memmap);
	printk("cmdline: '%s'\n", boot_cmdline);
	cmdline_parse(boot_cmdline, &bootopts);
	console_loglevel = bootopts.loglevel;
	trap_init();
	page_alloc_init(&boot_memmap);
	slab_init(bootopts.slab_debug ? SLAB_DEBUG : 0);
	vm_init();
	proc_init();
	if (bootopts.bochs_break) {
		printk("boot: stopping in the Bochs debugger (option 'break')\n");
		BOCHS_BREAK();
	}
	timer_init();
	kbd_init();
	uart_enable_irq();
	ata_init();
	sti();
	time_init();
	vfs_init();
	printk("boot: ready after %u timer ticks\n", timer_ticks());

	if (bootopts.bench[0]) {
		if (!strcmp(bootopts.bench, "mm"))
			bench_mm();
		else if (!strcmp(bootopts.bench, "fs"))
			bench_fs();
		else
			printk(KERN_WARNING "bench: no benchmark called '%s' (mm, fs)\n",
			       bootopts.bench);
		if (bootopts.harness)
			machine_exit(EXIT_PASS);
	}
	if (bootopts.selftest) {
		int failed = ktest_run(bootopts.selftest_filter);
		if (root_sb && vfs_sync(root_sb) < 0)	/* what the tests wrote, on disk */
			printk(KERN_ERR "boot: the root file system did not sync\n");
		if (bootopts.harness)
			machine_exit(failed ? EXIT_FAIL : EXIT_PASS);
	}
	if (root_sb)
		user_start(bootopts.init[0] ? bootopts.init : "/bin/init");
	idle_console();
}
