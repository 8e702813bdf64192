/* kernel/timer.h: the PIT timer, HZ ticks a second. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

void timer_init(void);
/* Timer interrupts since timer_init. */
uint32_t timer_ticks(void);
/* Woken on every tick (the sleep system call waits on it). */
extern int timer_ticks_chan;
#endif
