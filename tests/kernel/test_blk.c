/*
 * tests/kernel/test_blk.c: the ATA driver and the block layer (ata.*, blk.*).
 * The harness attaches the root image as hda and the scratch image as hdb;
 * hdb has 3 MiB past the end of its file system that these tests may write.
 */
#include "kernel/dev/ata.h"
#include "kernel/dev/blk.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "mm/slab.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/ramdisk_test.h"

#define ROOT_SECTORS	(48 * 16 * 63)	/* Makefile: 48 Bochs cylinders */
#define SCRATCH_SECTORS	(64 * 16 * 63)
#define SCRATCH_FREE	(7296 * 8)	/* first sector past the file system */

KTEST(ata, disks_found)
{
	struct blkdev *hda = blk_find("hda"), *hdb = blk_find("hdb");

	KT_ASSERT(hda != NULL && hdb != NULL);
	KT_EXPECT_EQ(hda->nsectors, ROOT_SECTORS);
	KT_EXPECT_EQ(hdb->nsectors, SCRATCH_SECTORS);
	KT_EXPECT(blk_find("hdc") == NULL);	/* the CD is ATAPI: not ours */
	KT_EXPECT(blk_find("hdd") != NULL);	/* the options disk: secondary slave */
}

KTEST(ata, read_superblock)
{
	struct blkdev *d = blk_find("hda");
	uint8_t *buf = kmalloc(1024);

	KT_ASSERT(d != NULL && buf != NULL);
	KT_EXPECT_EQ(blk_read(d, 2, 2, buf), 0);	/* the superblock: byte 1024 */
	KT_EXPECT_EQ(buf[56] | buf[57] << 8, 0xef53);	/* s_magic */
	KT_EXPECT_EQ(*(uint32_t *)(buf + 24), 0);	/* s_log_block_size: 1 KiB */
	KT_EXPECT(ata_counters.irqs > 0);		/* interrupt-driven */
	kfree(buf);
}

KTEST(ata, write_read_back_many_sectors)
{
	struct blkdev *d = blk_find("hdb");
	uint32_t n = 300;				/* more than one command's worth */
	uint8_t *out = kmalloc(n * SECTOR_SIZE), *in = kmalloc(n * SECTOR_SIZE);

	KT_ASSERT(d && out && in);
	for (uint32_t i = 0; i < n * SECTOR_SIZE; i++)
		out[i] = (i * 13 + 1) ^ (i >> 9);
	KT_EXPECT_EQ(blk_write(d, SCRATCH_FREE + 17, n, out), 0);
	memset(in, 0, n * SECTOR_SIZE);
	KT_EXPECT_EQ(blk_read(d, SCRATCH_FREE + 17, n, in), 0);
	KT_EXPECT_EQ(memcmp(in, out, n * SECTOR_SIZE), 0);
	kfree(out);
	kfree(in);
}

KTEST(ata, device_error_is_eio)
{
	struct blkdev *d = blk_find("hdb");
	uint8_t *buf = kmalloc(SECTOR_SIZE);
	uint32_t timeouts = ata_counters.timeouts;

	KT_ASSERT(d && buf);
	/* past the end of the disk, bypassing the block layer's own check */
	KT_EXPECT_EQ(d->rw(d, d->nsectors + 100, 1, buf, false), -EIO);
	KT_EXPECT_EQ(ata_counters.timeouts, timeouts);	/* an error, not a hang */
	KT_EXPECT_EQ(blk_read(d, SCRATCH_FREE, 1, buf), 0);	/* and it recovers */
	kfree(buf);
}

KTEST(blk, bad_requests_rejected)
{
	struct blkdev *d = blk_find("hda");
	uint8_t buf[SECTOR_SIZE];
	struct blk_stats before = d->stats;

	KT_EXPECT_EQ(blk_read(d, d->nsectors, 1, buf), -EINVAL);
	KT_EXPECT_EQ(blk_read(d, d->nsectors - 1, 2, buf), -EINVAL);
	KT_EXPECT_EQ(blk_read(d, 0, 0, buf), -EINVAL);
	KT_EXPECT_EQ(blk_read(d, 0xffffffffu, 1, buf), -EINVAL);
	KT_EXPECT_EQ(d->stats.reads, before.reads);	/* nothing reached the disk */
}

KTEST(blk, statistics_and_seeks)
{
	struct blkdev *d = ramdisk_alloc("ram9", 1024);
	uint8_t buf[4 * SECTOR_SIZE];

	KT_ASSERT(d != NULL);
	KT_ASSERT(blk_find("ram9") == d);
	KT_EXPECT_EQ(blk_read(d, 100, 4, buf), 0);	/* seek 100 from 0 */
	KT_EXPECT_EQ(blk_read(d, 104, 2, buf), 0);	/* sequential: 0 */
	KT_EXPECT_EQ(blk_write(d, 50, 1, buf), 0);	/* back 56 */
	KT_EXPECT_EQ(d->stats.reads, 2);
	KT_EXPECT_EQ(d->stats.writes, 1);
	KT_EXPECT_EQ(d->stats.sectors_read, 6);
	KT_EXPECT_EQ(d->stats.sectors_written, 1);
	KT_EXPECT_EQ(d->stats.seek_distance, 156);
	KT_EXPECT_EQ(d->stats.backward_seeks, 1);
	ramdisk_free(d);
	KT_EXPECT(blk_find("ram9") == NULL);
}
