/*
 * kernel/main.c: kmain, where the kernel's C life begins, and the one
 * place that knows every layer: it starts each in order, from the bottom.
 *
 * The order matters: segments first (GRUB's GDT may be gone), then the
 * console so everything after can report, then the boot information
 * (before anything can overwrite it) and the command line, traps, memory,
 * devices, file systems and processes. Then whatever registered a boot
 * hook runs (the self-tests, the in-kernel benchmarks: each acts only if
 * its option was given), the daemons start, and the first user program.
 */
#include "boot/multiboot.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/trap.h"
#include "kernel/dev/ata.h"
#include "kernel/dev/console.h"
#include "kernel/dev/kbd.h"
#include "kernel/dev/time.h"
#include "kernel/dev/timer.h"
#include "kernel/dev/uart.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/tunable.h"
#include "kernel/lib/x86.h"
#include "kernel/proc/proc.h"
#include "mm/directmap.h"
#include "mm/memmap.h"
#include "mm/page.h"
#include "mm/reclaim.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vm.h"

static char boot_cmdline[NCMDLINE];
static char init_cmd[NOPTVALUE] = "/bin/init";
static bool bochs_break;

static const char *set_init(const char *val, size_t len)
{
	if (!val || len == 0 || val[0] != '/')
		return "wants an absolute path, e.g. init=/bin/sh";
	if (len >= sizeof(init_cmd))
		return "value too long";
	memcpy(init_cmd, val, len);
	init_cmd[len] = '\0';
	return NULL;
}

TUNABLE_CALL(init, set_init, "the first program and its arguments (default /bin/init)");
TUNABLE_FLAG(break, &bochs_break, "stop in the Bochs debugger once memory is set up");

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

/* Called by boot/entry.S with the Multiboot magic and information address; never returns. */
void kmain(uint32_t magic, uint32_t mbi)
{
	gdt_init();
	directmap_drop_identity();
	console_init();
	printk("Pagoda: a teaching kernel for i386\n");
	multiboot_read(magic, mbi, boot_cmdline, sizeof(boot_cmdline), &boot_memmap);
	printk("cmdline: '%s'\n", boot_cmdline);
	cmdline_apply(boot_cmdline);
	trap_init();
	page_alloc_init(&boot_memmap);
	slab_init();
	kmalloc_init();
	vm_init();
	proc_init();
	usertrap_init();
	if (bochs_break) {
		printk("boot: stopping in the Bochs debugger (option 'break')\n");
		BOCHS_BREAK();
	}
	timer_init();
	kbd_init(console_input);
	uart_enable_irq(console_input);
	ata_init();
	sti();
	time_init();
	vfs_init();
	file_init();
	devsw_register(CONSOLE_MAJOR, &console_dev);
	printk("boot: ready after %u timer ticks\n", timer_ticks());

	for (const struct boot_hook *h = __boot_hooks_start; h < __boot_hooks_end; h++)
		h->fn();
	if (!root_sb)
		idle_console();
	swap_boot();
	if (!kthread_start("kswapd", kswapd_main))
		printk(KERN_WARNING "boot: no memory for the reclaim thread\n");
	if (!kthread_start("flushd", vfs_flushd))
		printk(KERN_WARNING "boot: no memory for the write-back daemon\n");
	user_start(init_cmd);
}
