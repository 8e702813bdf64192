/*
 * tests/kernel/ramdisk_test.h: RAM disks for the self-tests, with their
 * memory from kzalloc (the driver, kernel/dev/ramdisk.c, allocates nothing).
 */
#ifndef TESTS_KERNEL_RAMDISK_TEST_H
#define TESTS_KERNEL_RAMDISK_TEST_H

#include "kernel/dev/ramdisk.h"
#include "mm/slab.h"

/* A registered RAM disk of nsectors zeroed sectors (at most 4 MiB); NULL if out of memory. */
static inline struct blkdev *ramdisk_alloc(const char *name, uint32_t nsectors)
{
	struct ramdisk *rd = kzalloc(sizeof(*rd));
	void *mem = rd ? kzalloc(nsectors * SECTOR_SIZE) : NULL;

	if (!mem || ramdisk_init(rd, name, mem, nsectors) < 0) {
		kfree(mem);
		kfree(rd);
		return NULL;
	}
	return &rd->dev;
}

/* The disk's memory, to build or damage an image in place. */
static inline uint8_t *ramdisk_mem(struct blkdev *d)
{
	return ((struct ramdisk *)d->priv)->data;
}

/* Unregister and free a RAM disk ramdisk_alloc made. */
static inline void ramdisk_free(struct blkdev *d)
{
	struct ramdisk *rd = d->priv;

	ramdisk_remove(rd);
	kfree(rd->data);
	kfree(rd);
}
#endif
