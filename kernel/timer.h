/* kernel/timer.h: the PIT timer, HZ ticks a second. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

void timer_init(void);
/* Timer interrupts since timer_init. */
uint32_t timer_ticks(void);
#endif
