/*
 * kernel/dev/timer.h: the PIT timer, HZ ticks a second. Each tick counts
 * one and tells the scheduler (sched_tick), which wakes the sleepers due.
 */
#ifndef KERNEL_DEV_TIMER_H
#define KERNEL_DEV_TIMER_H

#include <stdint.h>

/* Program the PIT for HZ interrupts a second and take IRQ 0. */
void timer_init(void);
/* Timer interrupts since timer_init. */
uint32_t timer_ticks(void);
/* The ticks so far by what they interrupted: user mode, the kernel, idle.
   Sampled, as Unix has always done: what runs between ticks is not seen. */
void timer_tick_split(uint32_t *user, uint32_t *kernel, uint32_t *idle);
#endif
