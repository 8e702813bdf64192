/*
 * tests/kernel/test_vfs.c: writing through the VFS, and names: create,
 * write across indirection levels, holes, truncate, link counts, unlink
 * of an open file, mkdir/rmdir, rename between directories, mknod
 * (vfs.*). Heavy writes go to the scratch disk; e2fsck checks both disks
 * after the run (fsck.clean, fsck.clean_scratch).
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/dev/time.h"
#include "tests/kernel/fs_test.h"

/* Free blocks of sb after a commit (frees are deferred to one). */
static uint32_t ext2_free_blocks(struct super_block *sb)
{
	if (vfs_sync(sb) < 0)
		return 0xffffffffu;	/* no count any test expects */
	return ((const struct ext2_super *)sb->fs_info)->s_free_blocks_count;
}

/* Free blocks and inodes of sb, from its super block, after a commit. */
static void counts(struct super_block *sb, uint32_t *blocks, uint32_t *inodes)
{
	const struct ext2_super *s = sb->fs_info;	/* the raw super block comes first */

	if (vfs_sync(sb) < 0) {
		*blocks = *inodes = 0xffffffffu;	/* no count any test expects */
		return;
	}
	*blocks = s->s_free_blocks_count;
	*inodes = s->s_free_inodes_count;
}

/* Write size bytes of pattern seed to path in chunks of odd sizes. */
static int write_pattern(struct dentry *d, const char *path, uint32_t size, uint32_t seed)
{
	struct file *f = vfs_open(path, O_WRONLY | O_CREATE | O_TRUNC, d);
	uint8_t *buf = kmalloc(7777);
	uint32_t done = 0;
	int r = 0;

	if (IS_ERR(f) || !buf) {
		kfree(buf);
		return IS_ERR(f) ? PTR_ERR(f) : -ENOMEM;
	}
	while (done < size && r >= 0) {
		uint32_t n = MIN(size - done, 7777u - done % 13);
		for (uint32_t i = 0; i < n; i++)
			buf[i] = pat(done + i, seed);
		r = vfs_write(f, buf, n);
		done += r > 0 ? (uint32_t)r : 0;
	}
	vfs_close(f);
	kfree(buf);
	return r < 0 ? r : 0;
}

static uint32_t check_pattern(struct dentry *d, const char *path, uint32_t size, uint32_t seed)
{
	uint8_t *buf = kmalloc(4096);
	uint32_t bad = 0;

	for (uint32_t off = 0; buf && off < size; off += 4096) {
		uint32_t n = MIN(4096u, size - off);
		bad += read_at(d, path, off, buf, n) != (int)n;
		bad += pat_diff(buf, n, off, seed);
	}
	kfree(buf);
	return buf ? bad : 1;
}

KTEST(vfs, write_read_across_indirection_both_block_sizes)
{
	struct super_block *s = scratch_mount();
	uint32_t fb0, fi0, fb1, fi1;

	KT_ASSERT(s != NULL);
	counts(s, &fb0, &fi0);
	/* 4 KiB blocks: direct, single and double indirect */
	KT_ASSERT_EQ(write_pattern(s->root, "big-write", 4300 * 1024 + 123, 21), 0);
	vfs_shrink_caches();			/* read it back from the disk */
	KT_EXPECT_EQ(check_pattern(s->root, "big-write", 4300 * 1024 + 123, 21), 0);
	KT_EXPECT_EQ(vfs_unlink("big-write", s->root), 0);
	vfs_shrink_caches();
	counts(s, &fb1, &fi1);
	KT_EXPECT_EQ(fb1, fb0);			/* every block came back */
	KT_EXPECT_EQ(fi1, fi0);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
	/* 1 KiB blocks on the root disk: through double indirection, kept small */
	KT_ASSERT_EQ(write_pattern(NULL, "/vfs-write-test", 300 * 1024, 22), 0);
	vfs_shrink_caches();
	KT_EXPECT_EQ(check_pattern(NULL, "/vfs-write-test", 300 * 1024, 22), 0);
	KT_EXPECT_EQ(vfs_unlink("/vfs-write-test", NULL), 0);
}

KTEST(vfs, holes_and_truncate)
{
	struct super_block *s = scratch_mount();
	struct file *f;
	struct vfs_stat st;
	uint8_t buf[64];
	uint32_t fb0, fi0, fb1, fi1, zero = 0;

	KT_ASSERT(s != NULL);
	counts(s, &fb0, &fi0);
	f = vfs_open("holey", O_RDWR | O_CREATE, s->root);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_lseek(f, 3 * 1024 * 1024, SEEK_SET), 3 * 1024 * 1024);
	KT_EXPECT_EQ(vfs_write(f, "far", 3), 3);
	KT_EXPECT_EQ(vfs_fstat(f, &st), 0);
	KT_EXPECT_EQ(st.size, 3 * 1024 * 1024 + 3);
	vfs_close(f);
	vfs_shrink_caches();
	counts(s, &fb1, &fi1);
	KT_EXPECT(fb0 - fb1 <= 4);		/* a data block and indirect blocks only */
	KT_EXPECT_EQ(read_at(s->root, "holey", 1024 * 1024, buf, 64), 64);
	for (int i = 0; i < 64; i++)
		zero += buf[i] == 0;
	KT_EXPECT_EQ(zero, 64);
	KT_EXPECT_EQ(read_at(s->root, "holey", 3 * 1024 * 1024, buf, 64), 3);
	KT_EXPECT_EQ(memcmp(buf, "far", 3), 0);
	f = vfs_open("holey", O_RDWR, s->root);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_truncate(f, 10), 0);
	KT_EXPECT_EQ(vfs_fstat(f, &st), 0);
	KT_EXPECT_EQ(st.size, 10);
	vfs_close(f);
	KT_EXPECT_EQ(vfs_unlink("holey", s->root), 0);
	vfs_shrink_caches();
	counts(s, &fb1, &fi1);
	KT_EXPECT_EQ(fb1, fb0);
	KT_EXPECT_EQ(fi1, fi0);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(vfs, write_through_triple_indirection)
{
	uint32_t far = 66 * 1024 * 1024 + 5;	/* 1 KiB blocks: past double indirection */
	uint32_t fb0 = ext2_free_blocks(root_sb), fb1;
	struct file *f = vfs_open("/vfs-far", O_RDWR | O_CREATE, NULL);
	uint8_t buf[8];

	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_lseek(f, far, SEEK_SET), far);
	KT_EXPECT_EQ(vfs_write(f, "triple", 6), 6);
	vfs_close(f);
	vfs_shrink_caches();
	KT_EXPECT_EQ(ext2_free_blocks(root_sb), fb0 - 4);	/* data + 3 indirect blocks */
	KT_EXPECT_EQ(read_at(NULL, "/vfs-far", far, buf, 8), 6);
	KT_EXPECT_EQ(memcmp(buf, "triple", 6), 0);
	KT_EXPECT_EQ(vfs_unlink("/vfs-far", NULL), 0);
	vfs_shrink_caches();
	fb1 = ext2_free_blocks(root_sb);
	KT_EXPECT_EQ(fb1, fb0);
}

KTEST(vfs, names_too_long_refused)
{
	char name[300];

	memset(name, 'x', sizeof(name));
	name[0] = '/';
	name[257] = '\0';			/* a 256-byte name */
	KT_EXPECT_EQ(vfs_mkdir(name, NULL), -ENAMETOOLONG);
	KT_EXPECT_EQ(PTR_ERR(vfs_open(name, O_CREATE | O_WRONLY, NULL)), -ENAMETOOLONG);
	KT_EXPECT_EQ(vfs_mknod(name, NULL, 1, 0), -ENAMETOOLONG);
	name[256] = '\0';			/* 255 bytes: the limit */
	KT_EXPECT_EQ(vfs_mkdir(name, NULL), 0);
	KT_EXPECT_EQ(vfs_rmdir(name, NULL), 0);
}

KTEST(vfs, truncate_then_extend_reads_zeros)
{
	uint8_t buf[64];
	uint32_t nonzero = 0;
	struct file *f;

	KT_ASSERT_EQ(write_pattern(NULL, "/vfs-trunc", 5000, 7), 0);
	f = vfs_open("/vfs-trunc", O_RDWR, NULL);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_truncate(f, 100), 0);
	vfs_close(f);
	vfs_shrink_caches();			/* the zeroed tail must be on disk */
	f = vfs_open("/vfs-trunc", O_WRONLY, NULL);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_lseek(f, 3000, SEEK_SET), 3000);
	KT_EXPECT_EQ(vfs_write(f, "z", 1), 1);	/* the file grows again */
	vfs_close(f);
	vfs_shrink_caches();
	KT_EXPECT_EQ(read_at(NULL, "/vfs-trunc", 100, buf, 64), 64);
	for (int i = 0; i < 64; i++)
		nonzero += buf[i] != 0;
	KT_EXPECT_EQ(nonzero, 0);		/* not the old pattern */
	KT_EXPECT_EQ(vfs_unlink("/vfs-trunc", NULL), 0);
}

KTEST(vfs, unlink_frees_the_xattr_block_and_new_files_inherit_nothing)
{
	struct dentry *d = namei("/fixtures/xattr.txt", NULL);
	uint32_t fb0 = ext2_free_blocks(root_sb), ino;
	struct file *f;

	KT_ASSERT(!IS_ERR(d) && d->inode);
	KT_EXPECT(EXT2_I(d->inode)->file_acl != 0);		/* mke2fs put the xattr in a block */
	ino = d->inode->ino;
	dput(d);
	KT_ASSERT_EQ(vfs_unlink("/fixtures/xattr.txt", NULL), 0);
	vfs_shrink_caches();
	KT_EXPECT_EQ(ext2_free_blocks(root_sb), fb0 + 2);	/* its data and its xattrs */
	/* the lowest free inode is now that one: a new file gets a clean record */
	f = vfs_open("/fixtures/xattr.txt", O_CREATE | O_WRONLY, NULL);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(f->ip->ino, ino);
	KT_EXPECT_EQ(EXT2_I(f->ip)->file_acl, 0);
	KT_EXPECT_EQ(vfs_write(f, "has an xattr block\n", 19), 19);
	vfs_close(f);
}

KTEST(vfs, append_seek_and_modes)
{
	struct file *f = vfs_open("/vfs-append", O_WRONLY | O_CREATE | O_TRUNC, NULL);
	char buf[32];

	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_write(f, "abc", 3), 3);
	KT_EXPECT_EQ(vfs_read(f, buf, 3), -EBADF);		/* write-only */
	vfs_close(f);
	f = vfs_open("/vfs-append", O_WRONLY | O_APPEND, NULL);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_lseek(f, 0, SEEK_SET), 0);
	KT_EXPECT_EQ(vfs_write(f, "def", 3), 3);		/* still at the end */
	KT_EXPECT_EQ(vfs_lseek(f, -1, SEEK_SET), -EINVAL);
	KT_EXPECT_EQ(vfs_lseek(f, 0, 7), -EINVAL);
	vfs_close(f);
	memset(buf, 0, sizeof(buf));
	KT_EXPECT_EQ(read_at(NULL, "/vfs-append", 0, buf, 32), 6);
	KT_EXPECT_STREQ(buf, "abcdef");
	f = vfs_open("/vfs-append", O_RDONLY, NULL);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_write(f, "x", 1), -EBADF);		/* read-only */
	vfs_close(f);
	KT_EXPECT(IS_ERR(vfs_open("/fixtures", O_WRONLY, NULL)));	/* a directory */
	KT_EXPECT_EQ(PTR_ERR(vfs_open("/nope/x", O_CREATE | O_WRONLY, NULL)), -ENOENT);
	KT_EXPECT_EQ(vfs_unlink("/vfs-append", NULL), 0);
}

KTEST(vfs, link_counts_and_timestamps)
{
	struct vfs_stat st, dir;
	uint32_t before = time_now();

	KT_EXPECT_EQ(vfs_mkdir("/vfs-d", NULL), 0);
	KT_EXPECT_EQ(vfs_mkdir("/vfs-d", NULL), -EEXIST);
	KT_EXPECT_EQ(vfs_stat("/vfs-d", NULL, &dir), 0);
	KT_EXPECT_EQ(dir.nlink, 2);			/* its name and its "." */
	KT_ASSERT_EQ(write_pattern(NULL, "/vfs-d/f", 100, 1), 0);
	KT_EXPECT_EQ(vfs_stat("/vfs-d/f", NULL, &st), 0);
	KT_EXPECT_EQ(st.nlink, 1);
	KT_EXPECT(st.mtime >= before && st.mtime <= time_now());
	KT_EXPECT_EQ(vfs_link("/vfs-d/f", "/vfs-d/g", NULL), 0);
	KT_EXPECT_EQ(vfs_link("/vfs-d/f", "/vfs-d/g", NULL), -EEXIST);
	KT_EXPECT_EQ(vfs_link("/vfs-d", "/vfs-d2", NULL), -EPERM);	/* no directory links */
	KT_EXPECT_EQ(vfs_stat("/vfs-d/g", NULL, &st), 0);
	KT_EXPECT_EQ(st.nlink, 2);
	KT_EXPECT_EQ(vfs_mkdir("/vfs-d/sub", NULL), 0);
	KT_EXPECT_EQ(vfs_stat("/vfs-d", NULL, &dir), 0);
	KT_EXPECT_EQ(dir.nlink, 3);			/* sub's ".." */
	KT_EXPECT_EQ(vfs_rmdir("/vfs-d", NULL), -ENOTEMPTY);
	KT_EXPECT_EQ(vfs_rmdir("/vfs-d/f", NULL), -ENOTDIR);
	KT_EXPECT_EQ(vfs_unlink("/vfs-d/sub", NULL), -EISDIR);
	KT_EXPECT_EQ(vfs_rmdir("/vfs-d/sub", NULL), 0);
	KT_EXPECT_EQ(vfs_unlink("/vfs-d/f", NULL), 0);
	KT_EXPECT_EQ(vfs_stat("/vfs-d/g", NULL, &st), 0);
	KT_EXPECT_EQ(st.nlink, 1);
	KT_EXPECT_EQ(check_pattern(NULL, "/vfs-d/g", 100, 1), 0);
	KT_EXPECT_EQ(vfs_unlink("/vfs-d/g", NULL), 0);
	KT_EXPECT_EQ(vfs_stat("/vfs-d", NULL, &dir), 0);
	KT_EXPECT_EQ(dir.nlink, 2);
	KT_EXPECT_EQ(vfs_rmdir("/vfs-d", NULL), 0);
	KT_EXPECT_EQ(vfs_stat("/vfs-d", NULL, &dir), -ENOENT);
	KT_EXPECT_EQ(vfs_rmdir("/", NULL), -ENOENT);
	KT_EXPECT_EQ(vfs_mkdir("/fixtures/..", NULL), -EINVAL);
}

KTEST(vfs, unlink_open_file)
{
	struct super_block *s = scratch_mount();
	uint32_t fb0, fi0, fb1, fi1;
	struct file *f;
	uint8_t buf[8];

	KT_ASSERT(s != NULL);
	counts(s, &fb0, &fi0);
	KT_ASSERT_EQ(write_pattern(s->root, "doomed", 20000, 4), 0);
	f = vfs_open("doomed", O_RDONLY, s->root);
	KT_ASSERT(!IS_ERR(f));
	KT_EXPECT_EQ(vfs_unlink("doomed", s->root), 0);
	KT_EXPECT_EQ(PTR_ERR(vfs_open("doomed", O_RDONLY, s->root)), -ENOENT);
	vfs_shrink_caches();
	KT_EXPECT_EQ(vfs_lseek(f, 19990, SEEK_SET), 19990);
	KT_EXPECT_EQ(vfs_read(f, buf, 8), 8);		/* still readable while open */
	KT_EXPECT_EQ(pat_diff(buf, 8, 19990, 4), 0);
	counts(s, &fb1, &fi1);
	KT_EXPECT(fi1 < fi0);				/* not freed yet */
	vfs_close(f);					/* the last reference */
	counts(s, &fb1, &fi1);
	KT_EXPECT_EQ(fb1, fb0);
	KT_EXPECT_EQ(fi1, fi0);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(vfs, rename_between_directories)
{
	struct vfs_stat a, b, c;

	KT_ASSERT_EQ(vfs_mkdir("/ren-a", NULL), 0);
	KT_ASSERT_EQ(vfs_mkdir("/ren-b", NULL), 0);
	KT_ASSERT_EQ(vfs_mkdir("/ren-a/sub", NULL), 0);
	KT_ASSERT_EQ(write_pattern(NULL, "/ren-a/f", 5000, 8), 0);
	KT_ASSERT_EQ(write_pattern(NULL, "/ren-b/g", 10, 9), 0);
	KT_EXPECT_EQ(vfs_stat("/ren-a/f", NULL, &a), 0);
	KT_EXPECT_EQ(vfs_rename("/ren-a/f", "/ren-b/f2", NULL), 0);	/* a file moves */
	KT_EXPECT_EQ(vfs_stat("/ren-a/f", NULL, &b), -ENOENT);
	KT_EXPECT_EQ(vfs_stat("/ren-b/f2", NULL, &b), 0);
	KT_EXPECT_EQ(a.ino, b.ino);
	KT_EXPECT_EQ(check_pattern(NULL, "/ren-b/f2", 5000, 8), 0);
	KT_EXPECT_EQ(vfs_rename("/ren-b/f2", "/ren-b/g", NULL), 0);	/* and replaces g */
	KT_EXPECT_EQ(vfs_stat("/ren-b/g", NULL, &c), 0);
	KT_EXPECT_EQ(c.ino, a.ino);
	KT_EXPECT_EQ(vfs_stat("/ren-b/f2", NULL, &c), -ENOENT);
	KT_EXPECT_EQ(vfs_rename("/ren-a/sub", "/ren-b/sub", NULL), 0);	/* a directory moves */
	KT_EXPECT_EQ(vfs_stat("/ren-b/sub/..", NULL, &a), 0);
	KT_EXPECT_EQ(vfs_stat("/ren-b", NULL, &b), 0);
	KT_EXPECT_EQ(a.ino, b.ino);				/* its ".." follows */
	KT_EXPECT_EQ(b.nlink, 3);
	KT_EXPECT_EQ(vfs_stat("/ren-a", NULL, &a), 0);
	KT_EXPECT_EQ(a.nlink, 2);
	KT_EXPECT_EQ(vfs_rename("/ren-b", "/ren-b/sub/x", NULL), -EINVAL);	/* into itself */
	KT_EXPECT_EQ(vfs_rename("/ren-a/none", "/ren-b/y", NULL), -ENOENT);
	KT_EXPECT_EQ(vfs_rename("/ren-b/g", "/ren-b/sub", NULL), -EISDIR);
	KT_EXPECT_EQ(vfs_unlink("/ren-b/g", NULL), 0);
	KT_EXPECT_EQ(vfs_rmdir("/ren-b/sub", NULL), 0);
	KT_EXPECT_EQ(vfs_rmdir("/ren-b", NULL), 0);
	KT_EXPECT_EQ(vfs_rmdir("/ren-a", NULL), 0);
}

KTEST(vfs, mknod_console_and_many_entries)
{
	struct vfs_stat st;
	char name[48];
	int bad = 0;

	KT_EXPECT_EQ(vfs_mknod("/vfs-console", NULL, 1, 0), 0);
	KT_EXPECT_EQ(vfs_stat("/vfs-console", NULL, &st), 0);
	KT_EXPECT(S_ISCHR(st.mode));
	KT_EXPECT_EQ(vfs_unlink("/vfs-console", NULL), 0);
	KT_ASSERT_EQ(vfs_mkdir("/vfs-many", NULL), 0);
	for (int i = 0; i < 120; i++) {		/* several directory blocks */
		snprintf(name, sizeof(name), "/vfs-many/entry-number-%03d", i);
		bad += vfs_mknod(name, NULL, 1, i) != 0;
	}
	KT_EXPECT_EQ(bad, 0);
	for (int i = 0; i < 120; i += 2) {	/* holes in the middle of blocks */
		snprintf(name, sizeof(name), "/vfs-many/entry-number-%03d", i);
		bad += vfs_unlink(name, NULL) != 0;
	}
	vfs_shrink_caches();
	for (int i = 0; i < 120; i++) {
		snprintf(name, sizeof(name), "/vfs-many/entry-number-%03d", i);
		bad += (vfs_stat(name, NULL, &st) == 0) != (i % 2 == 1);
	}
	for (int i = 1; i < 120; i += 2) {
		snprintf(name, sizeof(name), "/vfs-many/entry-number-%03d", i);
		bad += vfs_unlink(name, NULL) != 0;
	}
	KT_EXPECT_EQ(bad, 0);
	KT_EXPECT_EQ(vfs_rmdir("/vfs-many", NULL), 0);
}
