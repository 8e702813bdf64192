/*
 * kernel/dev/blk.h: block devices and the request layer.
 *
 * A block device is anything that reads and writes 512-byte sectors: an
 * ATA disk (kernel/dev/ata.c) or a RAM disk (kernel/dev/ramdisk.c). Every
 * request passes through blk_read/blk_write, which keep the statistics
 * that show how well requests are ordered: requests, sectors, the seek
 * distance (sum of |first sector - end of previous request|) and
 * backward seeks.
 */
#ifndef KERNEL_DEV_BLK_H
#define KERNEL_DEV_BLK_H

#include <stdbool.h>
#include <stdint.h>

#define SECTOR_SIZE	512
#define NBLKDEV		8
#define BLK_NAME	8

struct blk_stats {
	uint32_t reads, writes;			/* requests */
	uint64_t sectors_read, sectors_written;
	uint64_t seek_distance;			/* sectors */
	uint32_t backward_seeks;
	uint32_t jumps;				/* requests not starting where the last ended */
	uint32_t errors;
};

/* The block layer's request trace: the last BLK_TRACE requests of every
   device, oldest first (blk_trace_take), for figures of an I/O pattern. */
struct blk_trace_rec {
	uint32_t lba;
	uint16_t count;
	uint8_t dev;				/* index in the device table */
	uint8_t write;
};
#define BLK_TRACE	2048
/* Copy up to max records, oldest first, into out and empty the trace; how many. */
uint32_t blk_trace_take(struct blk_trace_rec *out, uint32_t max);

struct blkdev {
	char name[BLK_NAME];			/* "hda", "ram0" */
	uint32_t nsectors;
	/* Move count sectors at lba to or from buf; 0 or -EIO. */
	int (*rw)(struct blkdev *d, uint32_t lba, uint32_t count, void *buf, bool write);
	void *priv;
	/* writes need not reach the platter before they complete (swap: its
	   contents matter only while the machine is up); no cache flushes */
	bool no_flush;
	struct blk_stats stats;
	uint32_t last_end;			/* sector after the previous request */
};

/* Add a device to the table; -ENOSPC if it is full. */
int blk_register(struct blkdev *d);
/* Remove a device (RAM disks in tests). */
void blk_unregister(struct blkdev *d);
/* The device called name, or NULL. */
struct blkdev *blk_find(const char *name);
/* The i-th registered device, or NULL. */
struct blkdev *blk_get(int i);
/* Read or write count sectors from lba; -EINVAL past the end, -EIO on error. */
int blk_read(struct blkdev *d, uint32_t lba, uint32_t count, void *buf);
int blk_write(struct blkdev *d, uint32_t lba, uint32_t count, const void *buf);
/* Print every device's statistics. */
void blk_print_stats(void);
#endif
