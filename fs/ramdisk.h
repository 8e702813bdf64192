/* fs/ramdisk.h: block devices in memory, for tests and scratch space. */
#ifndef FS_RAMDISK_H
#define FS_RAMDISK_H

#include "fs/blk.h"

/* A registered RAM disk of nsectors zeroed sectors (at most 4 MiB); NULL if out of memory. */
struct blkdev *ramdisk_create(const char *name, uint32_t nsectors);
/* Unregister and free a RAM disk. */
void ramdisk_destroy(struct blkdev *d);
/* The disk's memory, to build or damage an image in place. */
uint8_t *ramdisk_data(struct blkdev *d);
#endif
