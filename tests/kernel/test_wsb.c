/*
 * tests/kernel/test_wsb.c: the pieces under the working-set bitmaps
 * (wsb.*): the CRC the copies carry, writing a file in place (no size,
 * time or block map changed; a read-only file system refused), zeros over
 * a hole leaving the hole, and the prefetch's merged requests. The bitmaps
 * themselves are tested from user space (user/wsbtest.c, tests/run.py).
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/arch/memlayout.h"
#include "kernel/dev/blk.h"
#include "tests/kernel/fs_test.h"

KTEST(wsb, crc32_is_the_ieee_one)
{
	KT_EXPECT_EQ(crc32(0, "123456789", 9), 0xcbf43926u);	/* the standard check value */
	KT_EXPECT_EQ(crc32(crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
	KT_EXPECT_EQ(crc32(0, "", 0), 0);
}

/* Sectors ext2 says ip uses (blocks and indirect blocks). */
static uint32_t sectors_of(struct inode *ip)
{
	return EXT2_I(ip)->nsectors;
}

KTEST(wsb, inplace_write_changes_only_the_bytes)
{
	struct super_block *s = scratch_mount();
	uint8_t buf[64];

	KT_ASSERT(s != NULL);
	struct file *f = vfs_open("inplace", O_CREATE | O_RDWR | O_TRUNC, s->root);
	KT_ASSERT(!IS_ERR(f));
	for (int i = 0; i < 200; i++) {		/* 12,800 bytes of a pattern */
		for (int k = 0; k < 64; k++)
			buf[k] = pat(i * 64 + k, 3);
		KT_ASSERT_EQ(vfs_write(f, buf, 64), 64);
	}
	struct inode *ip = f->ip;
	KT_ASSERT_EQ(vfs_sync(s), 0);
	uint32_t size = ip->size, mtime = ip->mtime, sectors = sectors_of(ip);
	KT_EXPECT_EQ(vfs_write_inplace(ip, 5000, "bitmap!", 7), 0);
	KT_EXPECT_EQ(vfs_write_inplace(ip, 4093, "straddle", 8), 0);	/* across a page */
	KT_EXPECT_EQ(vfs_write_inplace(ip, size - 2, "past", 4), -EINVAL);
	KT_EXPECT_EQ(ip->size, size);
	KT_EXPECT_EQ(ip->mtime, mtime);
	KT_EXPECT(!(ip->state & I_DIRTY));
	vfs_close(f);
	KT_EXPECT_EQ(vfs_sync(s), 0);
	vfs_shrink_caches();
	/* from the disk: the bytes written, and nothing else changed */
	uint8_t *all = kmalloc(12800);
	KT_ASSERT(all != NULL);
	KT_EXPECT_EQ(read_at(s->root, "inplace", 0, all, 12800), 12800);
	KT_EXPECT(!memcmp(all + 5000, "bitmap!", 7) && !memcmp(all + 4093, "straddle", 8));
	uint32_t other = 0;
	for (uint32_t i = 0; i < 12800; i++)
		if ((i < 4093 || i >= 4101) && (i < 5000 || i >= 5007))
			other += all[i] != pat(i, 3);
	KT_EXPECT_EQ(other, 0);
	kfree(all);
	f = vfs_open("inplace", O_RDONLY, s->root);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(sectors_of(f->ip), sectors);	/* no block allocated */
	KT_EXPECT_EQ(f->ip->mtime, mtime);
	/* a read-only file system: refused, nothing changed */
	s->readonly = true;
	KT_EXPECT_EQ(vfs_write_inplace(f->ip, 0, "x", 1), -EROFS);
	s->readonly = false;
	vfs_close(f);
	vfs_unlink("inplace", s->root);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(wsb, zeros_over_a_hole_leave_the_hole)
{
	struct super_block *s = scratch_mount();
	uint8_t page[PGSIZE];

	KT_ASSERT(s != NULL);
	struct file *f = vfs_open("holey", O_CREATE | O_RDWR | O_TRUNC, s->root);
	KT_ASSERT(!IS_ERR(f));
	KT_ASSERT_EQ(vfs_lseek(f, 3 * PGSIZE, SEEK_SET), 3 * PGSIZE);
	KT_ASSERT_EQ(vfs_write(f, "end", 3), 3);	/* pages 0 to 2: a hole */
	KT_ASSERT_EQ(vfs_sync(s), 0);
	struct inode *ip = f->ip;
	uint32_t sectors = sectors_of(ip);
	memset(page, 0, sizeof(page));
	KT_EXPECT_EQ(vfs_write_inplace(ip, PGSIZE, page, PGSIZE), 0);	/* zeros: no blocks */
	KT_EXPECT_EQ(vfs_sync(s), 0);
	KT_EXPECT_EQ(sectors_of(ip), sectors);
	KT_EXPECT_EQ(vfs_write_inplace(ip, 2 * PGSIZE, "data", 4), 0);	/* data: a block */
	KT_EXPECT_EQ(vfs_sync(s), 0);
	KT_EXPECT(sectors_of(ip) > sectors);
	vfs_close(f);
	uint8_t back[4];
	vfs_shrink_caches();
	KT_EXPECT_EQ(read_at(s->root, "holey", 2 * PGSIZE, back, 4), 4);
	KT_EXPECT(!memcmp(back, "data", 4));
	vfs_unlink("holey", s->root);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(wsb, prefetch_reads_runs_in_few_requests)
{
	struct super_block *s = scratch_mount();
	uint32_t idx[] = { 1, 2, 3, 5, 6, 20, 21, 40 }, misses;
	uint8_t buf[4096];

	KT_ASSERT(s != NULL);
	struct file *f = vfs_open("prefetch", O_CREATE | O_RDWR | O_TRUNC, s->root);
	KT_ASSERT(!IS_ERR(f));
	for (uint32_t p = 0; p < 48; p++) {
		for (uint32_t k = 0; k < sizeof(buf); k++)
			buf[k] = pat(p * 4096 + k, 9);
		KT_ASSERT_EQ(vfs_write(f, buf, sizeof(buf)), (int)sizeof(buf));
	}
	vfs_close(f);
	KT_EXPECT_EQ(vfs_sync(s), 0);
	vfs_shrink_caches();
	f = vfs_open("prefetch", O_RDONLY, s->root);
	KT_ASSERT(!IS_ERR(f));
	uint32_t reads = s->dev->stats.reads;
	/* gap 2: 1-6 is one run (4 between 3 and 5 read too), 20-21 one, 40 one */
	uint32_t got = filemap_prefetch(&f->ip->map, idx, 8, 2);
	KT_EXPECT_EQ(got, 6 + 2 + 1);
	KT_EXPECT(s->dev->stats.reads - reads <= 3 + 2);	/* (and an indirect block or two) */
	misses = filemap_stats.misses;
	for (uint32_t i = 0; i < 8; i++) {
		KT_EXPECT_EQ(read_at(s->root, "prefetch", idx[i] * 4096, buf, 4096), 4096);
		KT_EXPECT_EQ(pat_diff(buf, 4096, idx[i] * 4096, 9), 0);
	}
	KT_EXPECT_EQ(filemap_stats.misses, misses);		/* every one from the cache */
	KT_EXPECT_EQ(filemap_prefetch(&f->ip->map, idx, 8, 2), 0);	/* cached: nothing */
	vfs_close(f);
	vfs_unlink("prefetch", s->root);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}
