/*
 * tests/kernel/test_ext2_bad.c: bad input for ext2. Each test copies
 * fixtures/tiny.img (a 128 KiB ext2 with /dir/file, made by the Makefile)
 * from the scratch disk into a RAM disk, damages one thing, and checks
 * that the damage is an error for the operation that meets it, never a
 * panic, and that a full disk or inode table costs nothing once freed.
 */
#include "fs/ext2/ext2_internal.h"
#include "tests/kernel/fs_test.h"

static struct ext2_super *raw_super(struct blkdev *d)
{
	return (struct ext2_super *)(ramdisk_mem(d) + EXT2_SUPER_OFFSET);
}

static long mount_error(struct blkdev *d)
{
	struct super_block *sb = vfs_mount("ext2", d);

	if (!IS_ERR(sb)) {
		vfs_unmount(sb);
		return 0;
	}
	return PTR_ERR(sb);
}

KTEST(ext2, corrupt_super_blocks_refused)
{
	struct blkdev *d = tiny_disk();
	struct ext2_super saved;

	KT_ASSERT(d != NULL);
	saved = *raw_super(d);
	KT_EXPECT_EQ(mount_error(d), 0);			/* clean: mounts */
	raw_super(d)->s_magic = 0x1234;
	KT_EXPECT_EQ(mount_error(d), -EINVAL);
	*raw_super(d) = saved;
	raw_super(d)->s_log_block_size = 5;
	KT_EXPECT_EQ(mount_error(d), -EINVAL);
	*raw_super(d) = saved;
	raw_super(d)->s_inodes_per_group = 0;
	KT_EXPECT_EQ(mount_error(d), -EINVAL);
	*raw_super(d) = saved;
	raw_super(d)->s_blocks_count = 1 << 30;			/* bigger than the disk */
	KT_EXPECT_EQ(mount_error(d), -EINVAL);
	*raw_super(d) = saved;
	raw_super(d)->s_inode_size = 100;
	KT_EXPECT_EQ(mount_error(d), -EINVAL);
	*raw_super(d) = saved;
	raw_super(d)->s_feature_incompat |= 0x40;		/* extents: not ext2 */
	KT_EXPECT_EQ(mount_error(d), -EINVAL);
	*raw_super(d) = saved;
	/* a group descriptor pointing past the disk */
	((struct ext2_group_desc *)(ramdisk_mem(d) + 2048))->bg_inode_table = 0x7fffff;
	KT_EXPECT_EQ(mount_error(d), -EINVAL);
	ramdisk_free(d);
}

KTEST(ext2, unknown_ro_feature_mounts_read_only)
{
	struct blkdev *d = tiny_disk();
	struct super_block *sb;

	KT_ASSERT(d != NULL);
	raw_super(d)->s_feature_ro_compat |= 0x80;
	sb = vfs_mount("ext2", d);
	KT_ASSERT(!IS_ERR(sb));
	KT_EXPECT(sb->readonly);
	KT_EXPECT_EQ(read_at(sb->root, "dir/file", 0, (char[8]){0}, 8), 5);
	KT_EXPECT_EQ(vfs_mkdir("new", sb->root), -EROFS);
	KT_EXPECT_EQ(PTR_ERR(vfs_open("x", O_CREATE | O_WRONLY, sb->root)), -EROFS);
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	ramdisk_free(d);
}

/* Where things of tiny.img live: /dir's first block, /dir/file's inode. */
struct layout {
	uint32_t dir_block;
	uint32_t file_inode_off;	/* byte offset of its on-disk inode */
};

static int find_layout(struct blkdev *d, struct layout *l)
{
	struct super_block *sb = vfs_mount("ext2", d);
	struct dentry *dir, *file;
	struct ext2_info *e;

	if (IS_ERR(sb))
		return -1;
	e = EXT2(sb);
	dir = namei("dir", sb->root);
	file = namei("dir/file", sb->root);
	if (IS_ERR(dir) || IS_ERR(file) || !dir->inode || !file->inode)
		return -1;
	l->dir_block = EXT2_I(dir->inode)->blocks[0];
	l->file_inode_off = e->gd[0].bg_inode_table * e->bs + (file->inode->ino - 1) * e->isz;
	dput(file);
	dput(dir);
	return vfs_unmount(sb);
}

KTEST(ext2, corrupt_directory_and_inode_are_eio)
{
	struct blkdev *d = tiny_disk();
	struct layout l;
	struct super_block *sb;
	struct vfs_stat st;
	uint8_t *raw;
	char buf[8];

	KT_ASSERT(d != NULL);
	KT_ASSERT_EQ(find_layout(d, &l), 0);
	raw = ramdisk_mem(d);
	/* 1. a record length that runs past the block */
	struct ext2_dirent *first = (void *)(raw + l.dir_block * 1024);
	uint16_t saved_len = first->rec_len;
	first->rec_len = 2000;
	sb = vfs_mount("ext2", d);
	KT_ASSERT(!IS_ERR(sb));
	KT_EXPECT_EQ(vfs_stat("dir/file", sb->root, &st), -EIO);
	KT_EXPECT_EQ(vfs_stat("dir", sb->root, &st), 0);	/* the rest still works */
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	first->rec_len = saved_len;
	/* 2. a block pointer outside the file system */
	struct ext2_inode *fi = (void *)(raw + l.file_inode_off);
	uint32_t saved_blk = fi->i_block[0];
	fi->i_block[0] = 999999;
	sb = vfs_mount("ext2", d);
	KT_ASSERT(!IS_ERR(sb));
	KT_EXPECT_EQ(read_at(sb->root, "dir/file", 0, buf, 8), -EIO);
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	fi->i_block[0] = saved_blk;
	/* 3. a directory entry naming an inode that does not exist */
	struct ext2_dirent *dot = first, *dotdot = (void *)((uint8_t *)dot + dot->rec_len);
	struct ext2_dirent *ent = (void *)((uint8_t *)dotdot + EXT2_REC_LEN(2));
	KT_ASSERT(ent->name_len == 4 && !memcmp(ent->name, "file", 4));
	ent->inode = 1000000;
	sb = vfs_mount("ext2", d);
	KT_ASSERT(!IS_ERR(sb));
	KT_EXPECT_EQ(vfs_stat("dir/file", sb->root, &st), -EIO);
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	ramdisk_free(d);
}

/* Free blocks and inodes of sb after a commit (frees are deferred to one). */
static void free_counts(struct super_block *sb, uint32_t *b, uint32_t *i)
{
	if (vfs_sync(sb) < 0) {
		*b = *i = 0xffffffffu;	/* no count any test expects */
		return;
	}
	*b = ext2_super(sb)->s_free_blocks_count;
	*i = ext2_super(sb)->s_free_inodes_count;
}

KTEST(ext2, full_disk_and_full_inode_table)
{
	struct blkdev *d = tiny_disk();
	struct super_block *sb;
	uint32_t b0, i0, b1, i1, made = 0;
	uint8_t *chunk = kzalloc(4096);
	struct file *f;
	char name[16];
	int r = 0;

	KT_ASSERT(d != NULL && chunk != NULL);
	sb = vfs_mount("ext2", d);
	KT_ASSERT(!IS_ERR(sb));
	free_counts(sb, &b0, &i0);
	f = vfs_open("filler", O_WRONLY | O_CREATE, sb->root);
	KT_ASSERT(!IS_ERR(f));
	uint32_t written = 0;
	for (int k = 0; k < 64 && r >= 0; k++) {	/* 256 KiB into a 128 KiB disk */
		r = vfs_write(f, chunk, 4096);
		written += r > 0 ? r : 0;
	}
	KT_EXPECT_EQ(r, -ENOSPC);
	KT_EXPECT(ext2_super(sb)->s_free_blocks_count < 4);	/* less than a page left */
	KT_EXPECT_EQ(f->ip->size, written);		/* the size counts what fit */
	vfs_close(f);
	KT_EXPECT_EQ(vfs_unlink("filler", sb->root), 0);
	for (r = 0; r == 0; made++) {		/* every free inode */
		snprintf(name, sizeof(name), "n%u", made);
		r = vfs_mknod(name, sb->root, 1, 0);
	}
	KT_EXPECT_EQ(r, -ENOSPC);
	KT_EXPECT_EQ(made - 1, i0);
	r = 0;
	for (uint32_t k = 0; k + 1 < made; k++) {
		snprintf(name, sizeof(name), "n%u", k);
		r |= vfs_unlink(name, sb->root);
	}
	KT_EXPECT_EQ(r, 0);
	vfs_shrink_caches();
	free_counts(sb, &b1, &i1);
	KT_EXPECT_EQ(i1, i0);
	KT_EXPECT(b1 >= b0 - 1);		/* the root may keep a grown block */
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	sb = vfs_mount("ext2", d);			/* and the counts reached the disk */
	KT_ASSERT(!IS_ERR(sb));
	free_counts(sb, &b1, &i1);
	KT_EXPECT_EQ(i1, i0);
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	kfree(chunk);
	ramdisk_free(d);
}

/*
 * A write that cannot get every block of its page (here: a full disk with
 * two blocks left and a page of four) fails having allocated nothing: the
 * file keeps its size and no block, and the free count is what it was.
 * e2fsck then checks the image (tests/run.py).
 */
KTEST(ext2, failed_write_leaves_no_blocks)
{
	struct blkdev *d = tiny_disk();
	uint8_t *chunk = kzalloc(4096);
	struct super_block *sb;
	struct file *f, *c;
	uint32_t left;
	int r = 0;

	KT_ASSERT(d != NULL && chunk != NULL);
	sb = vfs_mount("ext2", d);
	KT_ASSERT(!IS_ERR(sb));
	f = vfs_open("filler", O_WRONLY | O_CREATE, sb->root);
	KT_ASSERT(!IS_ERR(f));
	while (r >= 0)
		r = vfs_write(f, chunk, 4096);		/* until a page does not fit */
	KT_EXPECT_EQ(vfs_sync(sb), 0);			/* what the failed page took is back */
	left = ext2_super(sb)->s_free_blocks_count;
	if (left < 2)					/* two blocks, or three, free */
		KT_EXPECT_EQ(vfs_truncate(f, f->ip->size - (2 - left) * 1024), 0);
	vfs_close(f);
	KT_EXPECT_EQ(vfs_sync(sb), 0);			/* the truncated blocks are free now */
	left = ext2_super(sb)->s_free_blocks_count;
	KT_ASSERT(left >= 2 && left < 4);		/* fewer than a page needs */
	c = vfs_open("c", O_WRONLY | O_CREATE, sb->root);
	KT_ASSERT(!IS_ERR(c));
	KT_EXPECT_EQ(vfs_write(c, chunk, 4096), -ENOSPC);
	KT_EXPECT_EQ(c->ip->size, 0);
	KT_EXPECT_EQ(EXT2_I(c->ip)->nsectors, 0);	/* no block kept... */
	KT_EXPECT_EQ(vfs_sync(sb), 0);
	KT_EXPECT_EQ(ext2_super(sb)->s_free_blocks_count, left);	/* ...or lost */
	KT_EXPECT_EQ(vfs_write(c, chunk, 2048), 2048);	/* what fits still fits */
	vfs_close(c);
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	KT_EXPECT_EQ(export_for_fsck(ramdisk_mem(d), TINY_SECTORS, "failed-write"), 0);
	kfree(chunk);
	ramdisk_free(d);
}

/*
 * A file unlinked while open is on the on-disk orphan list. If the machine
 * stops before its last close (here: the disk is copied as it is then, and
 * the copy mounted), the next mount frees it.
 */
KTEST(ext2, orphans_freed_at_mount_after_a_crash)
{
	struct blkdev *d = tiny_disk(), *after = ramdisk_alloc("ram1", TINY_SECTORS);
	uint32_t b0, i0, b1, i1, ino;
	static uint8_t data[8192];
	struct super_block *sb, *sb2;
	struct file *f;

	KT_ASSERT(d != NULL && after != NULL);
	sb = vfs_mount("ext2", d);
	KT_ASSERT(!IS_ERR(sb));
	free_counts(sb, &b0, &i0);
	f = vfs_open("o", O_RDWR | O_CREATE, sb->root);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_write(f, data, sizeof(data)), (int)sizeof(data));
	ino = f->ip->ino;
	KT_EXPECT_EQ(vfs_unlink("o", sb->root), 0);
	KT_EXPECT_EQ(vfs_sync(sb), 0);
	KT_EXPECT_EQ(raw_super(d)->s_last_orphan, ino);		/* on disk, still open */
	memcpy(ramdisk_mem(after), ramdisk_mem(d), TINY_SECTORS * SECTOR_SIZE);	/* the crash */
	sb2 = vfs_mount("ext2", after);
	KT_ASSERT(!IS_ERR(sb2));
	free_counts(sb2, &b1, &i1);
	KT_EXPECT_EQ(b1, b0);
	KT_EXPECT_EQ(i1, i0);
	KT_EXPECT_EQ(ext2_super(sb2)->s_last_orphan, 0);
	KT_EXPECT_EQ(vfs_unmount(sb2), 0);
	KT_EXPECT_EQ(export_for_fsck(ramdisk_mem(after), TINY_SECTORS, "orphan-after-crash"), 0);
	vfs_close(f);					/* the first life goes on */
	KT_EXPECT_EQ(raw_super(d)->s_last_orphan, 0);	/* freed, and off the list */
	free_counts(sb, &b1, &i1);
	KT_EXPECT_EQ(b1, b0);
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	KT_EXPECT_EQ(export_for_fsck(ramdisk_mem(d), TINY_SECTORS, "orphan-closed"), 0);
	ramdisk_free(after);
	ramdisk_free(d);
}
