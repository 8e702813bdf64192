/*
 * tests/kernel/test_ext2_crash.c: a crash after any sector write (ext2.*).
 *
 * A fixed sequence of file-system work (creates, writes that need
 * indirect blocks, hard links, a directory that grows past a block,
 * removals, renames over files, an unlink while open, truncates, mkdir
 * and rmdir, syncs) runs on a RAM-disk copy of a small ext2 image, through
 * a block device that logs every sector written, in order. The log and
 * the image as it was before go to the host (a "ktest: crash-log" line),
 * and tests/run.py rebuilds the disk as it stood after each sector write
 * in turn (a machine stopped there, mid-request too) and checks that
 * e2fsck -p repairs it on its own and that every file synced before that
 * point reads back whole. docs/ext2.md, "Write ordering", says why that
 * holds; this test is how we know it does.
 *
 * Log file format (little-endian):
 *   "PGCRASH1", u32 image sectors, u32 entries, the image, then entries
 *   of u32 sector + 512 bytes. Sector 0xffffffff is a marker instead: its
 *   512 bytes are text, "kept PATH SIZE SEED" lines naming every file
 *   that a sync just finished has made safe (byte i is pat(i, SEED)).
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/lib/panic.h"
#include "tests/kernel/fs_test.h"

#define MARKER		0xffffffffu
#define LOG_ENTRIES	3000
#define MAXKEPT		8

struct log_entry {
	uint32_t sector;
	uint8_t data[SECTOR_SIZE];
} __attribute__((packed));

/* A block device that passes requests to another and logs its writes. */
struct logdisk {
	struct blkdev dev;
	struct blkdev *under;
	struct log_entry *log;
	uint32_t n;
	bool overflow;
	struct { char path[32]; uint32_t size, seed; } kept[MAXKEPT];
	int nkept;
};

static void log_sector(struct logdisk *l, uint32_t sector, const void *data)
{
	if (l->n == LOG_ENTRIES) {
		l->overflow = true;
		return;
	}
	l->log[l->n].sector = sector;
	memcpy(l->log[l->n].data, data, SECTOR_SIZE);
	l->n++;
}

static int logdisk_rw(struct blkdev *d, uint32_t lba, uint32_t count, void *buf, bool write)
{
	struct logdisk *l = d->priv;

	if (write)
		for (uint32_t i = 0; i < count; i++)
			log_sector(l, lba + i, (uint8_t *)buf + i * SECTOR_SIZE);
	return l->under->rw(l->under, lba, count, buf, write);
}

/* Write size bytes of pattern seed to path (flags: O_TRUNC, O_APPEND...). */
static int put(struct dentry *root, const char *path, uint32_t size, uint32_t seed, int flags)
{
	struct file *f = vfs_open(path, O_WRONLY | O_CREATE | flags, root);
	uint8_t chunk[700];
	uint32_t done = 0;
	int r = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	while (done < size && r >= 0) {
		uint32_t n = MIN(size - done, (uint32_t)sizeof(chunk));
		for (uint32_t i = 0; i < n; i++)
			chunk[i] = pat(done + i, seed);
		if ((r = vfs_write(f, chunk, n)) > 0)
			done += r;
	}
	vfs_close(f);
	return r < 0 ? r : 0;
}

/* Does path hold exactly size bytes of pattern seed? */
static bool whole(struct dentry *root, const char *path, uint32_t size, uint32_t seed)
{
	uint8_t chunk[700];
	uint32_t off = 0;
	int r;

	while ((r = read_at(root, path, off, chunk, sizeof(chunk))) > 0) {
		if (pat_diff(chunk, r, off, seed))
			return false;
		off += r;
	}
	return r == 0 && off == size;
}

static void keep(struct logdisk *l, const char *path, uint32_t size, uint32_t seed)
{
	KASSERT(l->nkept < MAXKEPT);
	strlcpy(l->kept[l->nkept].path, path, sizeof(l->kept[0].path));
	l->kept[l->nkept].size = size;
	l->kept[l->nkept].seed = seed;
	l->nkept++;
}

/* Log a marker: from here on, the files kept are whole at any cut. */
static void mark(struct logdisk *l)
{
	char text[SECTOR_SIZE] = "";
	int len = 0;

	for (int i = 0; i < l->nkept; i++)
		len += snprintf(text + len, sizeof(text) - len, "kept %s %u %u\n", l->kept[i].path,
				l->kept[i].size, l->kept[i].seed);
	log_sector(l, MARKER, text);
}

/* Sync sb; then the files kept so far are safe: mark it. */
static int sync_and_mark(struct logdisk *l, struct super_block *sb)
{
	int r = vfs_sync(sb);

	mark(l);
	return r;
}

#define LONG	"w/a-rather-long-name-to-fill-directory-chunks-%02d"

/*
 * The work, in phases. Each puts one of the ordering rules of docs/ext2.md
 * ("Write ordering") where a stop could catch it broken: deleting the rule
 * makes some cut fail e2fsck -p. Every step must succeed: the disk is big
 * enough for all of it (ext2_alloc_block commits early when it is not).
 */
static int workload(struct logdisk *l, struct super_block *sb)
{
	struct dentry *root = sb->root;
	uint32_t bs = sb->block_size;
	char name[256];
	struct file *held, *f;
	int r = 0;

	/* files, an indirect block, a hard link */
	r |= vfs_mkdir("w", root);
	r |= put(root, "w/k0", 3000, 1, 0);
	keep(l, "/w/k0", 3000, 1);
	r |= sync_and_mark(l, sb);
	r |= put(root, "k1", 15000, 2, 0);
	r |= vfs_link("k1", "k1b", root);
	keep(l, "/k1", 15000, 2);
	keep(l, "/k1b", 15000, 2);
	r |= sync_and_mark(l, sb);

	/* a directory grows, loses names, renames over a file (names before
	   counts; counts down before names go; no record across a sector) */
	for (int i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), LONG, i);
		r |= put(root, name, 100 * i + 1, i, 0);
	}
	r |= vfs_mkdir("g", root);			/* an inode above what goes next */
	for (int i = 1; i < 12; i += 2) {
		snprintf(name, sizeof(name), LONG, i);
		r |= vfs_unlink(name, root);
	}
	char from[64], to[64];
	snprintf(from, sizeof(from), LONG, 0);
	snprintf(to, sizeof(to), LONG, 2);
	r |= vfs_rename(from, to, root);		/* over a file */
	snprintf(from, sizeof(from), LONG, 4);
	r |= vfs_rename(from, "moved", root);		/* to another directory */

	/* an orphan: unlinked while open, written after */
	held = vfs_open("held", O_RDWR | O_CREATE, root);
	if (IS_ERR(held))
		return PTR_ERR(held);
	r |= vfs_write(held, name, 80) != 80;
	r |= vfs_unlink("held", root);
	r |= vfs_write(held, name, 80) != 80;

	/* blocks given back and taken again on a full disk (frees wait for
	   the commit; a new indirect block is zeroed on disk first) */
	r |= put(root, "big", 20 * bs, 3, 0);		/* 12 direct, an indirect, 8 */
	r |= sync_and_mark(l, sb);			/* big's record names them on disk */
	while (ext2_super(sb)->s_free_blocks_count > 2 && r == 0)
		r |= put(root, "ballast", bs, 8, O_APPEND);
	if (IS_ERR(f = vfs_open("big", O_RDWR, root)))
		return PTR_ERR(f);
	r |= vfs_truncate(f, 5 * bs - 120);		/* gives back 7, the indirect, 8 */
	vfs_close(f);
	r |= put(root, "fresh", 14 * bs, 7, 0);		/* can only have big's old blocks */
	r |= sync_and_mark(l, sb);			/* fresh's data goes first */
	r |= vfs_unlink("ballast", root);

	/* rewrite, mkdir and rmdir, a link goes */
	r |= put(root, "big", 9000, 4, O_TRUNC);
	r |= vfs_mkdir("e", root);
	r |= put(root, "e/x", 1500, 5, 0);
	r |= vfs_unlink("e/x", root);
	r |= vfs_rmdir("e", root);
	l->nkept = 0;					/* k1b is going: no promise */
	keep(l, "/w/k0", 3000, 1);
	keep(l, "/k1", 15000, 2);
	mark(l);
	r |= vfs_unlink("k1b", root);
	keep(l, "/moved", 401, 4);
	keep(l, "/big", 9000, 4);
	keep(l, "/fresh", 14 * bs, 7);
	r |= sync_and_mark(l, sb);
	vfs_close(held);				/* the orphan goes */
	for (int i = 6; i < 12; i += 2) {		/* 0, 2 and 4 went above */
		snprintf(name, sizeof(name), LONG, i);
		r |= vfs_unlink(name, root);
	}
	r |= put(root, "w/again", 2000, 6, 0);
	keep(l, "/w/again", 2000, 6);
	r |= sync_and_mark(l, sb);

	/* g (a high inode) grows a block for names of lower inodes (a grown
	   directory's new block and pointers reach the disk first) */
	for (uint32_t i = 0; i < 2 * (bs / 512) + 1; i++) {	/* two 208-byte records a chunk */
		memset(name, 'n', 200);
		snprintf(name + 2 + 196, sizeof(name) - 198, "%02u", i);
		memcpy(name, "g/", 2);
		r |= put(root, name, 1, i, 0);
	}
	r |= sync_and_mark(l, sb);
	return r ? -EIO : 0;
}

/* Run the work on fixture path (nsectors), logged; export the log as NAME. */
static void crash_log(struct ktest_ctx *t, const char *path, uint32_t nsectors, const char *name)
{
	struct blkdev *d = fixture_ramdisk("ram0", path, nsectors);
	struct logdisk *l = kzalloc(sizeof(*l));
	uint8_t *before = kmalloc(nsectors * SECTOR_SIZE);
	struct super_block *sb;
	uint32_t head[4];

	KT_ASSERT(d && l && before);
	l->log = kmalloc(LOG_ENTRIES * sizeof(struct log_entry));
	KT_ASSERT(l->log != NULL);
	memcpy(before, ramdisk_mem(d), nsectors * SECTOR_SIZE);
	strlcpy(l->dev.name, "log0", sizeof(l->dev.name));
	l->dev.nsectors = nsectors;
	l->dev.rw = logdisk_rw;
	l->dev.priv = l;
	l->under = d;
	KT_ASSERT_EQ(blk_register(&l->dev), 0);
	sb = vfs_mount("ext2", &l->dev);
	KT_ASSERT(!IS_ERR(sb));
	KT_EXPECT_EQ(workload(l, sb), 0);
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	KT_EXPECT(!l->overflow);
	KT_EXPECT(l->n > 100);
	sb = vfs_mount("ext2", &l->dev);		/* the last state, as the kernel reads it */
	KT_ASSERT(!IS_ERR(sb));
	for (int i = 0; i < l->nkept; i++)
		KT_EXPECT(whole(sb->root, l->kept[i].path + 1, l->kept[i].size, l->kept[i].seed));
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	blk_unregister(&l->dev);
	memcpy(head, "PGCRASH1", 8);
	head[2] = nsectors;
	head[3] = l->n;
	struct export_part parts[] = {
		{ head, sizeof(head) },
		{ before, nsectors * SECTOR_SIZE },
		{ l->log, l->n * sizeof(struct log_entry) },
	};
	KT_EXPECT_EQ(export_to_host("crash-log", name, parts, 3), 0);
	kfree(l->log);
	kfree(l);
	kfree(before);
	ramdisk_free(d);
}

KTEST(ext2, crash_after_any_write_1k_blocks)
{
	crash_log(t, "fixtures/tiny.img", TINY_SECTORS, "crash-1k.log");
}

KTEST(ext2, crash_after_any_write_4k_blocks)
{
	crash_log(t, "fixtures/tiny4k.img", 1024, "crash-4k.log");
}
