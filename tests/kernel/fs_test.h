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

/*
 * Hand the nsectors of disk image mem to the host's e2fsck: the image is
 * written to fsck/NAME.img on the scratch disk, and the kernel says so in
 * a "ktest: fsck-image" line; tests/run.py takes every image it announces
 * out of the scratch disk after the run and runs e2fsck -fn on it. Returns
 * 0, or -1 if the image could not be written (then nothing is announced,
 * and the caller's test must fail).
 */
static inline int export_for_fsck(const void *mem, uint32_t nsectors, const char *name)
{
	struct super_block *s = scratch_mount();
	char path[64];
	struct file *f;
	int r = -1;

	if (!s)
		return -1;
	snprintf(path, sizeof(path), "fsck/%s.img", name);
	vfs_mkdir("fsck", s->root);
	f = vfs_open(path, O_CREATE | O_WRONLY | O_TRUNC, s->root);
	if (!IS_ERR(f)) {
		r = vfs_write(f, mem, nsectors * SECTOR_SIZE) == (int)(nsectors * SECTOR_SIZE) ? 0 : -1;
		vfs_close(f);
	}
	if (vfs_unmount(s) < 0)
		r = -1;
	if (r == 0)
		printk("ktest: fsck-image %s\n", path);
	return r;
}
#endif
