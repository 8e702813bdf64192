/*
 * tests/kernel/test_fs.c: reading ext2 through the VFS on both block sizes
 * (root: 1 KiB, scratch: 4 KiB), and the caches underneath: buffer cache,
 * page cache, dentry cache (bcache.*, filemap.*, ext2.*, dcache.*).
 */
#include "fs/ext2/ext2.h"
#include "tests/kernel/fs_test.h"

KTEST(bcache, hit_miss_write_back)
{
	struct blkdev *d = blk_find("hdb");
	uint32_t blk = 7296 * 4 + 100;		/* 1 KiB units, past the file system */
	struct bcache_stats s0 = bcache_stats;
	uint8_t raw[1024];
	struct buf *b, *b2;

	KT_ASSERT(d != NULL);
	b = bread(d, blk, 1024);
	KT_ASSERT(!IS_ERR(b));
	KT_EXPECT_EQ(bcache_stats.misses, s0.misses + 1);
	b2 = bread(d, blk, 1024);
	KT_EXPECT(b2 == b);
	KT_EXPECT_EQ(bcache_stats.hits, s0.hits + 1);
	KT_EXPECT_EQ(b->refcnt, 2);
	brelse(b2);
	memset(b->data, 0x3c, 1024);
	bdirty(b);
	brelse(b);
	KT_EXPECT_EQ(bsync(d), 0);
	KT_EXPECT_EQ(bcache_stats.writebacks, s0.writebacks + 1);
	KT_EXPECT_EQ(blk_read(d, blk * 2, 2, raw), 0);
	KT_EXPECT_EQ(raw[5], 0x3c);
	KT_EXPECT_EQ(raw[1023], 0x3c);
	KT_EXPECT(IS_ERR(bread(d, d->nsectors, 1024)));	/* past the end: -EIO */
}

KTEST(bcache, eviction_writes_dirty_blocks)
{
	struct blkdev *d = blk_find("hdb");
	uint32_t base = 7296 * 4 + 200, n = NBUF + 40;
	uint8_t raw[1024];

	KT_ASSERT(d != NULL);
	for (uint32_t i = 0; i < n; i++) {		/* more blocks than buffers */
		struct buf *b = bread(d, base + i, 1024);
		KT_ASSERT(!IS_ERR(b));
		memset(b->data, i & 0xff, 1024);
		bdirty(b);
		brelse(b);
	}
	KT_EXPECT(bcache_stats.nbufs <= NBUF);
	KT_EXPECT_EQ(blk_read(d, base * 2, 2, raw), 0);		/* evicted: on disk */
	KT_EXPECT_EQ(raw[17], 0);
	KT_EXPECT_EQ(bsync(d), 0);
	KT_EXPECT_EQ(blk_read(d, (base + n - 1) * 2, 2, raw), 0);
	KT_EXPECT_EQ(raw[17], (n - 1) & 0xff);
}

KTEST(ext2, root_mounted)
{
	struct vfs_stat st;

	KT_ASSERT(root_sb != NULL);
	KT_EXPECT_EQ(root_sb->block_size, 1024);
	KT_EXPECT_EQ(vfs_stat("/", NULL, &st), 0);
	KT_EXPECT(S_ISDIR(st.mode));
	KT_EXPECT_EQ(st.ino, EXT2_ROOT_INO);
	KT_EXPECT_EQ(vfs_stat("/README", NULL, &st), 0);
	KT_EXPECT(S_ISREG(st.mode));
}

KTEST(ext2, small_file)
{
	char buf[64];

	memset(buf, 0, sizeof(buf));
	KT_EXPECT_EQ(read_at(NULL, "/fixtures/hello.txt", 0, buf, sizeof(buf)), 12);
	KT_EXPECT_STREQ(buf, "hello, ext2\n");
	KT_EXPECT_EQ(read_at(NULL, "/fixtures/hello.txt", 7, buf, 4), 4);
	KT_EXPECT_EQ(memcmp(buf, "ext2", 4), 0);
	KT_EXPECT_EQ(read_at(NULL, "/fixtures/hello.txt", 12, buf, 4), 0);	/* at the end */
}

/* Check big.bin on one file system at offsets around every indirection boundary. */
static uint32_t check_big(struct dentry *d, uint32_t bs, uint32_t size)
{
	uint32_t per = bs / 4, bad = 0;
	uint32_t edges[] = { 0, 12 * bs, (12 + per) * bs, (12 + per + 7) * bs,
			     size / 2, size - 100 };
	uint8_t *buf = kmalloc(8192);

	if (!buf)
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(edges); i++) {
		uint32_t off = edges[i] > 3000 ? edges[i] - 3000 : 0;
		uint32_t n = MIN(6000u, size - off);
		if (off >= size)
			continue;
		bad += read_at(d, "fixtures/big.bin", off, buf, n) != (int)n;
		bad += pat_diff(buf, n, off, 3);
	}
	kfree(buf);
	return bad;
}

KTEST(ext2, read_across_block_sizes_and_indirection)
{
	struct super_block *s = scratch_mount();
	struct vfs_stat st;

	KT_ASSERT(s != NULL);
	KT_EXPECT_EQ(s->block_size, 4096);
	KT_EXPECT_EQ(vfs_stat("/fixtures/big.bin", NULL, &st), 0);
	KT_EXPECT_EQ(st.size, 300 * 1024);
	KT_EXPECT_EQ(check_big(root_sb->root, 1024, st.size), 0);	/* double indirect */
	KT_EXPECT_EQ(vfs_stat("fixtures/big.bin", s->root, &st), 0);
	KT_EXPECT_EQ(st.size, 4400 * 1024);
	KT_EXPECT_EQ(check_big(s->root, 4096, st.size), 0);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(ext2, holes_read_as_zeros)
{
	uint8_t *buf = kmalloc(4096);
	uint32_t far = 66 * 1024 * 1024;	/* only triple indirection reaches it */
	uint32_t nonzero = 0;

	KT_ASSERT(buf != NULL);
	KT_EXPECT_EQ(read_at(NULL, "/fixtures/sparse.bin", 0, buf, 100), 100);
	KT_EXPECT_EQ(pat_diff(buf, 100, 0, 5), 0);
	KT_EXPECT_EQ(read_at(NULL, "/fixtures/sparse.bin", 4096, buf, 4096), 4096);
	for (int i = 0; i < 4096; i++)
		nonzero += buf[i] != 0;
	KT_EXPECT_EQ(nonzero, 0);
	KT_EXPECT_EQ(read_at(NULL, "/fixtures/sparse.bin", 200 * 1024, buf, 1000), 1000);
	KT_EXPECT_EQ(pat_diff(buf, 1000, 0, 6), 0);
	KT_EXPECT_EQ(read_at(NULL, "/fixtures/sparse.bin", far, buf, 4096), 4096);
	KT_EXPECT_EQ(pat_diff(buf, 4096, 0, 9), 0);
	kfree(buf);
}

KTEST(ext2, large_directory_and_long_names)
{
	struct file *f = vfs_open("/fixtures/many", O_RDONLY, NULL);
	struct vfs_dirent de;
	char name[300], buf[8];
	uint32_t n = 0;
	int r;

	KT_ASSERT(!IS_ERR(f));
	while ((r = vfs_readdir(f, &de)) > 0)
		n++;
	KT_EXPECT_EQ(r, 0);
	KT_EXPECT_EQ(n, 302);			/* 300 files, "." and ".." */
	vfs_close(f);
	memset(buf, 0, sizeof(buf));
	KT_EXPECT_EQ(read_at(NULL, "/fixtures/many/file-299-with-a-long-name", 0, buf, 8), 4);
	KT_EXPECT_STREQ(buf, "299\n");
	memset(name, 'n', sizeof(name));
	memcpy(name, "/fixtures/", 10);
	name[10 + 255] = '\0';
	KT_EXPECT_EQ(read_at(NULL, name, 0, buf, 8), 8);
	name[10 + 255] = 'n';
	name[10 + 256] = '\0';
	KT_EXPECT_EQ(read_at(NULL, name, 0, buf, 8), -ENAMETOOLONG);
}

KTEST(ext2, path_lookup_forms)
{
	struct vfs_stat a, b;
	struct dentry *fx = namei("/fixtures", NULL);

	KT_ASSERT(!IS_ERR(fx));
	KT_EXPECT_EQ(vfs_stat("/fixtures/hello.txt", NULL, &a), 0);
	KT_EXPECT_EQ(vfs_stat("//fixtures///hello.txt", NULL, &b), 0);
	KT_EXPECT_EQ(a.ino, b.ino);
	KT_EXPECT_EQ(vfs_stat("./hello.txt", fx, &b), 0);
	KT_EXPECT_EQ(a.ino, b.ino);
	KT_EXPECT_EQ(vfs_stat("many/../hello.txt", fx, &b), 0);
	KT_EXPECT_EQ(a.ino, b.ino);
	KT_EXPECT_EQ(vfs_stat("/../../fixtures/hello.txt", NULL, &b), 0);	/* root's parent */
	KT_EXPECT_EQ(a.ino, b.ino);
	KT_EXPECT_EQ(vfs_stat("/fixtures/nothing", NULL, &b), -ENOENT);
	KT_EXPECT_EQ(vfs_stat("/nothing/hello.txt", NULL, &b), -ENOENT);
	KT_EXPECT_EQ(vfs_stat("/fixtures/hello.txt/x", NULL, &b), -ENOTDIR);
	KT_EXPECT_EQ(vfs_stat("", NULL, &b), -ENOENT);
	dput(fx);
}

KTEST(filemap, pages_are_cached)
{
	struct filemap_stats s0 = filemap_stats;
	uint8_t buf[16];

	KT_EXPECT_EQ(read_at(NULL, "/fixtures/big.bin", 5000, buf, 16), 16);
	KT_EXPECT_EQ(filemap_stats.misses, s0.misses + 1);
	KT_EXPECT_EQ(read_at(NULL, "/fixtures/big.bin", 6000, buf, 16), 16);	/* same page */
	KT_EXPECT_EQ(filemap_stats.hits, s0.hits + 1);
	KT_EXPECT_EQ(pat_diff(buf, 16, 6000, 3), 0);
}

KTEST(dcache, hit_miss_negative)
{
	struct dcache_stats s0 = dcache_stats;
	struct vfs_stat st;

	vfs_shrink_caches();
	s0 = dcache_stats;
	KT_EXPECT_EQ(vfs_stat("/fixtures/hello.txt", NULL, &st), 0);
	KT_EXPECT_EQ(dcache_stats.lookups - s0.lookups, 2);
	KT_EXPECT_EQ(dcache_stats.hits - s0.hits, 0);		/* both names were new */
	KT_EXPECT_EQ(vfs_stat("/fixtures/hello.txt", NULL, &st), 0);
	KT_EXPECT_EQ(dcache_stats.hits - s0.hits, 2);		/* now both are cached */
	KT_EXPECT_EQ(vfs_stat("/fixtures/absent", NULL, &st), -ENOENT);
	KT_EXPECT_EQ(dcache_stats.negative - s0.negative, 1);	/* remembered as absent */
	KT_EXPECT_EQ(vfs_stat("/fixtures/absent", NULL, &st), -ENOENT);
	KT_EXPECT_EQ(dcache_stats.negative_hits - s0.negative_hits, 1);
	KT_EXPECT(dcache_entry_bytes() >= sizeof(struct dentry));
}

KTEST(dcache, prune_takes_least_recently_used)
{
	struct vfs_stat st;
	struct dentry *first, *many, *gone;

	vfs_shrink_caches();
	KT_EXPECT_EQ(dcache_stats.unused, 0);
	KT_EXPECT_EQ(vfs_stat("/fixtures/many/file-001-with-a-long-name", NULL, &st), 0);
	KT_EXPECT_EQ(vfs_stat("/fixtures/many/file-002-with-a-long-name", NULL, &st), 0);
	KT_EXPECT_EQ(vfs_stat("/fixtures/many/file-003-with-a-long-name", NULL, &st), 0);
	/* the LRU's head is the most recent (003), its tail the oldest (001) */
	first = d_lru_nth(0);
	KT_ASSERT(first != NULL);
	KT_EXPECT_STREQ(first->name, "file-003-with-a-long-name");
	/* parents are in use while their children hold them: only leaves are unused */
	KT_EXPECT_EQ(dcache_stats.unused, 3);
	KT_EXPECT_EQ(d_prune(1), 1);			/* the oldest: file-001 */
	KT_EXPECT_EQ(dcache_stats.unused, 2);
	many = namei("/fixtures/many", NULL);
	KT_ASSERT(!IS_ERR(many));
	KT_EXPECT(d_lookup(many, "file-001-with-a-long-name", 25) == NULL);
	KT_EXPECT((gone = d_lookup(many, "file-002-with-a-long-name", 25)) != NULL);
	if (gone)
		dput(gone);
	dput(many);
	vfs_shrink_caches();
	KT_EXPECT_EQ(dcache_stats.unused, 0);
}
