/*
 * kernel/dev/timer.c: channel 0 of the 8253/8254 PIT as a periodic
 * interrupt at HZ per second. Each tick counts one in ticks and goes to
 * the scheduler's timer list; preemption happens on the way back to user
 * mode (kernel/proc/usertrap.c).
 */
#include "kernel/dev/timer.h"
#include "kernel/arch/trap.h"
#include "kernel/lib/param.h"
#include "kernel/lib/x86.h"
#include "kernel/sched/sched.h"

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		1193182
#define PIT_MODE2	0x34	/* channel 0, low then high byte, rate generator */

static volatile uint32_t ticks;
static uint32_t split[3];	/* ticks that found the CPU in user mode, kernel, idle */

static void timer_intr(struct trapframe *tf)
{
	ticks++;
	split[trap_from_user(tf) ? 0 : trap_ended_idle() ? 2 : 1]++;
	sched_tick(ticks);		/* wake the sleepers whose time has come */
}

void timer_init(void)
{
	uint16_t div = (PIT_HZ + HZ / 2) / HZ;

	outb(PIT_CMD, PIT_MODE2);
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, div >> 8);
	irq_register(IRQ_TIMER, timer_intr);
}

uint32_t timer_ticks(void)
{
	return ticks;
}

void timer_tick_split(uint32_t *user, uint32_t *kernel, uint32_t *idle)
{
	*user = split[0];
	*kernel = split[1];
	*idle = split[2];
}
