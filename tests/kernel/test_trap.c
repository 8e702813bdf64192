/* tests/kernel/test_trap.c: the IDT, exception dispatch, timer and keyboard. */
#include "kernel/arch/trap.h"
#include "kernel/dev/kbd.h"
#include "kernel/dev/timer.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/x86.h"
#include "tests/kernel/ktest.h"

KTEST(trap, names)
{
	KT_EXPECT_STREQ(trap_name(T_PGFLT), "Page fault");
	KT_EXPECT_STREQ(trap_name(T_GPFLT), "General protection fault");
	KT_EXPECT_STREQ(trap_name(T_DIVIDE), "Divide error");
	KT_EXPECT_STREQ(trap_name(T_IRQ0 + 1), "Hardware interrupt");
	KT_EXPECT_STREQ(trap_name(200), "Unknown vector");
}

static struct trapframe seen;
static int hits;

static void brkpt_handler(struct trapframe *tf)
{
	seen = *tf;
	hits++;
}

KTEST(trap, breakpoint_round_trip)
{
	uint32_t before = trap_count(T_BRKPT);
	volatile uint32_t after_int3 = 0;

	exception_register(T_BRKPT, brkpt_handler);
	hits = 0;
	__asm__ volatile("movl $0x1234abcd, %%esi\n\tint3\n\tmovl %%esi, %0"
			 : "=m"(after_int3) : : "esi");
	exception_register(T_BRKPT, NULL);
	KT_EXPECT_EQ(hits, 1);
	KT_EXPECT_EQ(seen.trapno, T_BRKPT);
	KT_EXPECT_EQ(seen.esi, 0x1234abcd);	/* registers saved in the frame */
	KT_EXPECT_EQ(after_int3, 0x1234abcd);	/* and restored on the way out */
	KT_EXPECT_EQ(seen.cs & 3, 0);
	KT_EXPECT_EQ(trap_count(T_BRKPT), before + 1);
}

KTEST(trap, timer_ticks)
{
	uint32_t t0 = timer_ticks(), irq0 = trap_count(T_IRQ0 + IRQ_TIMER);

	KT_ASSERT(read_eflags() & FL_IF);
	for (int i = 0; i < 1000 && timer_ticks() < t0 + 3; i++)
		hlt();
	KT_EXPECT(timer_ticks() >= t0 + 3);
	KT_EXPECT(trap_count(T_IRQ0 + IRQ_TIMER) >= irq0 + 3);
}

KTEST(kbd, translate)
{
	KT_EXPECT_EQ(kbd_translate(0x1e), 'a');
	KT_EXPECT_EQ(kbd_translate(0x9e), -1);		/* release */
	KT_EXPECT_EQ(kbd_translate(0x2a), -1);		/* shift down */
	KT_EXPECT_EQ(kbd_translate(0x1e), 'A');
	KT_EXPECT_EQ(kbd_translate(0x02), '!');
	KT_EXPECT_EQ(kbd_translate(0xaa), -1);		/* shift up */
	KT_EXPECT_EQ(kbd_translate(0x1d), -1);		/* ctrl down */
	KT_EXPECT_EQ(kbd_translate(0x2e), 3);		/* ctrl-c */
	KT_EXPECT_EQ(kbd_translate(0x9d), -1);
	KT_EXPECT_EQ(kbd_translate(0x1c), '\n');
	KT_EXPECT_EQ(kbd_translate(0x3b), -1);		/* F1: no character */
}
