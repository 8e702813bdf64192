/*
 * kernel/dev/time.h: wall-clock time, for file timestamps. The CMOS real-time
 * clock is read once at boot; after that the timer keeps time.
 */
#ifndef KERNEL_DEV_TIME_H
#define KERNEL_DEV_TIME_H

#include <stdint.h>

/* Read the RTC; call once, before time_now is used. */
void time_init(void);
/* Seconds since 1970-01-01 00:00 UTC. */
uint32_t time_now(void);
/* Days from 1970-01-01 to y-m-d (y >= 1970), the civil-calendar way. */
uint32_t days_from_civil(uint32_t y, uint32_t m, uint32_t d);
#endif
