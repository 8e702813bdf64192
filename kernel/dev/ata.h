/* kernel/dev/ata.h: the ATA (IDE) disk driver. */
#ifndef KERNEL_DEV_ATA_H
#define KERNEL_DEV_ATA_H

#include <stdint.h>

/* Probe both channels, register each ATA disk found as hda..hdd. */
void ata_init(void);

struct ata_counters {
	uint32_t irqs;		/* completion interrupts taken */
	uint32_t polled;	/* waits that fell back to polling */
	uint32_t timeouts;	/* waits that gave up (-EIO) */
};
extern struct ata_counters ata_counters;
#endif
