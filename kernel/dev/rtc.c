/*
 * kernel/dev/rtc.c: the CMOS real-time clock (MC146818), read once at boot.
 * Registers 0x00 seconds, 0x02 minutes, 0x04 hours, 0x07 day, 0x08 month,
 * 0x09 year (two digits); register B says BCD or binary. We read until two
 * reads agree, so an update in between cannot give a torn time.
 */
#include "kernel/dev/time.h"
#include "kernel/dev/timer.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"

static uint32_t boot_time, boot_ticks;

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static void read_rtc(uint8_t r[6])
{
	static const uint8_t regs[6] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09 };

	while (cmos(0x0a) & 0x80)	/* update in progress */
		pause();
	for (int i = 0; i < 6; i++)
		r[i] = cmos(regs[i]);
}

uint32_t days_from_civil(uint32_t y, uint32_t m, uint32_t d)
{
	/* shift the year to start in March, so the leap day comes last */
	uint32_t yy = m <= 2 ? y - 1 : y, era = yy / 400, yoe = yy - era * 400;
	uint32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void time_init(void)
{
	uint8_t a[6], b[6];

	do {
		read_rtc(a);
		read_rtc(b);
	} while (memcmp(a, b, 6));
	if (!(cmos(0x0b) & 0x04))	/* BCD */
		for (int i = 0; i < 6; i++)
			a[i] = (a[i] & 0x0f) + (a[i] >> 4) * 10;
	boot_time = days_from_civil(2000 + a[5], a[4], a[3]) * 86400u +
		    a[2] * 3600u + a[1] * 60u + a[0];
	boot_ticks = timer_ticks();
	printk("time: %u seconds since 1970 (20%02u-%02u-%02u %02u:%02u:%02u UTC)\n",
	       boot_time, a[5], a[4], a[3], a[2], a[1], a[0]);
}

uint32_t time_now(void)
{
	return boot_time + (timer_ticks() - boot_ticks) / HZ;
}
