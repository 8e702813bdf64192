/* fs/ata.h: the ATA (IDE) disk driver. */
#ifndef FS_ATA_H
#define FS_ATA_H

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
