/*
 * tests/kernel/fs_test.h: helpers for the storage self-tests. The fixture
 * files come from tools/mkfixtures.py: byte i of a pattern file with seed s
 * is (i * 7 + s) % 251, so any byte can be checked without a copy.
 */
#ifndef TESTS_KERNEL_FS_TEST_H
#define TESTS_KERNEL_FS_TEST_H

#include "fs/bcache.h"
#include "fs/dcache.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "mm/filemap.h"
#include "mm/slab.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/ramdisk_test.h"

static inline uint8_t pat(uint32_t i, uint32_t seed)
{
	return (i * 7 + seed) % 251;
}

/* Count the bytes of buf[0..n) (file offset off) that differ from pattern seed. */
static inline uint32_t pat_diff(const uint8_t *buf, uint32_t n, uint32_t off, uint32_t seed)
{
	uint32_t bad = 0;

	for (uint32_t i = 0; i < n; i++)
		bad += buf[i] != pat(off + i, seed);
	return bad;
}

/* Read n bytes at off of path (from dir d, NULL: the root) into buf; bytes read or -E. */
static inline int read_at(struct dentry *d, const char *path, uint32_t off, void *buf, uint32_t n)
{
	struct file *f = vfs_open(path, O_RDONLY, d);
	int r;

	if (IS_ERR(f))
		return PTR_ERR(f);
	r = vfs_lseek(f, off, SEEK_SET);
	if (r >= 0)
		r = vfs_read(f, buf, n);
	vfs_close(f);
	return r;
}

/* Mount the scratch disk (hdb); NULL if that fails. */
static inline struct super_block *scratch_mount(void)
{
	struct blkdev *d = blk_find("hdb");
	struct super_block *sb = d ? vfs_mount("ext2", d) : ERR_PTR(-ENODEV);

	return IS_ERR(sb) ? NULL : sb;
}

/* Sectors of fixtures/tiny.img: a 128 KiB ext2 of 1 KiB blocks, 32 inodes. */
#define TINY_SECTORS	256

/* A RAM disk called dev holding the scratch disk's file path (nsectors
   long); NULL if that fails. */
static inline struct blkdev *fixture_ramdisk(const char *dev, const char *path,
					     uint32_t nsectors)
{
	struct super_block *s = scratch_mount();
	struct blkdev *d = ramdisk_alloc(dev, nsectors);
	int r = -1;

	if (s && d)
		r = read_at(s->root, path, 0, ramdisk_mem(d), nsectors * SECTOR_SIZE);
	if (s)
		vfs_unmount(s);
	if (r != (int)(nsectors * SECTOR_SIZE) && d) {
		ramdisk_free(d);
		d = NULL;
	}
	return d;
}

/* fixtures/tiny.img in RAM disk ram0; NULL if that fails. */
static inline struct blkdev *tiny_disk(void)
{
	return fixture_ramdisk("ram0", "fixtures/tiny.img", TINY_SECTORS);
}

/*
 * Write the parts (pointer, length pairs, n of them) one after another to
 * fsck/NAME on the scratch disk, for tests/run.py to take out after the
 * run, and announce it in a line "ktest: KIND fsck/NAME". Returns 0, or -1
 * if it could not be written (then nothing is announced, and the caller's
 * test must fail).
 */
struct export_part {
	const void *mem;
	uint32_t len;
};

static inline int export_to_host(const char *kind, const char *name,
				 const struct export_part *parts, int n)
{
	struct super_block *s = scratch_mount();
	char path[64];
	struct file *f;
	int r = -1;

	if (!s)
		return -1;
	snprintf(path, sizeof(path), "fsck/%s", name);
	vfs_mkdir("fsck", s->root);
	f = vfs_open(path, O_CREATE | O_WRONLY | O_TRUNC, s->root);
	if (!IS_ERR(f)) {
		r = 0;
		for (int i = 0; i < n && r == 0; i++)
			if (vfs_write(f, parts[i].mem, parts[i].len) != (int)parts[i].len)
				r = -1;
		vfs_close(f);
	}
	if (vfs_unmount(s) < 0)
		r = -1;
	if (r == 0)
		printk("ktest: %s %s\n", kind, path);
	return r;
}

/*
 * Hand the nsectors of disk image mem to the host's e2fsck: tests/run.py
 * runs e2fsck -fn on every image announced as "ktest: fsck-image"
 * (fsck.image[NAME.img]).
 */
static inline int export_for_fsck(const void *mem, uint32_t nsectors, const char *name)
{
	struct export_part part = { mem, nsectors * SECTOR_SIZE };
	char file[48];

	snprintf(file, sizeof(file), "%s.img", name);
	return export_to_host("fsck-image", file, &part, 1);
}
#endif
