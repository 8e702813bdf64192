/*
 * kernel/dev/ramdisk.h: block devices over memory the caller provides,
 * for tests (which build or damage a file system image in one) and
 * scratch space. Nothing here allocates: the driver layer sits below the
 * memory manager.
 */
#ifndef KERNEL_DEV_RAMDISK_H
#define KERNEL_DEV_RAMDISK_H

#include "kernel/dev/blk.h"

struct ramdisk {
	struct blkdev dev;
	uint8_t *data;			/* nsectors * SECTOR_SIZE bytes, the caller's */
};

/* Register rd as a block device called name over the nsectors sectors at
   mem; -ENOSPC if the device table is full. */
int ramdisk_init(struct ramdisk *rd, const char *name, void *mem, uint32_t nsectors);
/* Unregister rd; its memory stays the caller's. */
void ramdisk_remove(struct ramdisk *rd);
#endif
