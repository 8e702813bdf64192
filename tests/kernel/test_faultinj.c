/*
 * tests/kernel/test_faultinj.c: error paths walked on purpose. Each test arms
 * a fault point (kernel/lib/faultinj.h) to fail the N-th allocation or
 * request of one operation, for N = 1, 2, ... until the operation no
 * longer reaches the N-th: every time, it must either succeed or return
 * an error, give back every page and object it took (the self-tests'
 * resource counts), and leave what it worked on usable. The file systems
 * it wrote are handed to e2fsck at the end.
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/lib/faultinj.h"
#include "tests/kernel/fs_test.h"
#include "tests/kernel/mm_test.h"

#define NSWEEP		2000	/* more steps than any operation here takes */

static const char *const points[] = { "page", "slab", "block", "disk" };

/*
 * Fork an address space of 8 pages, failing allocation N of point fp, in
 * both modes: a failed fork leaves the parent whole and nothing allocated.
 */
static void fork_sweep(struct ktest_ctx *t, struct mm *(*fork)(struct mm *))
{
	for (size_t k = 0; k < 2; k++) {
		struct fault_point *fp = fault_find(points[k]);
		uint32_t n, errors = 0;
		for (n = 1; n < NSWEEP; n++) {
			struct ktest_snapshot before;
			struct mm *p, *c;
			char what[96];
			ktest_snapshot(&before);
			p = mm_with_pages(8, 100);
			KT_ASSERT(p != NULL);
			fault_arm(fp, n, 0);
			c = fork(p);
			fault_arm(fp, 0, 0);
			if (c) {
				KT_EXPECT_EQ(uword(c, UBASE + 5 * PGSIZE), 105);
				mm_done(c);
			} else {
				errors++;
			}
			KT_EXPECT_EQ(uword(p, UBASE + 7 * PGSIZE), 107);	/* the parent works */
			KT_EXPECT_EQ(uput(p, UBASE, 1), 0);
			mm_done(p);
			if (ktest_leaks(&before, what, sizeof(what)))
				ktest_fail(t, __FILE__, __LINE__, "%s@%u: the fork leaked: %s",
					   fp->name, n, what);
			if (!fp->failed && c)
				break;			/* it never reached allocation n */
		}
		KT_EXPECT(errors > 0);			/* the sweep did make it fail */
		KT_EXPECT(n < NSWEEP);
		printk("ktest: # fork: %s: %u steps, %u failed cleanly\n", fp->name, n, errors);
	}
}

KTEST(faultinj, fork_share_sweep)
{
	fork_sweep(t, mm_share);
}

KTEST(faultinj, fork_copy_sweep)
{
	fork_sweep(t, mm_dup);
}

/* 3 pages of pattern at off of path in sb: bytes written, or -E. */
static int write_pattern(struct super_block *sb, const char *path, uint32_t off)
{
	static uint8_t data[3 * 4096];
	struct file *f = vfs_open(path, O_WRONLY | O_CREATE, sb->root);
	int r;

	if (IS_ERR(f))
		return PTR_ERR(f);
	for (uint32_t i = 0; i < sizeof(data); i++)
		data[i] = pat(off + i, 1);
	r = vfs_lseek(f, off, SEEK_SET);
	if (r >= 0)
		r = vfs_write(f, data, sizeof(data));
	vfs_close(f);
	return r;
}

/*
 * Write 12 KiB into a file on a mounted RAM disk with allocation or
 * request N failing: the write reports what it wrote, and the file's size
 * says the same; nothing leaks; the file system stays consistent.
 */
KTEST(faultinj, write_sweep)
{
	struct blkdev *d = tiny_disk();
	struct super_block *sb;
	uint32_t total = 0;

	KT_ASSERT(d != NULL);
	sb = vfs_mount("ext2", d);
	KT_ASSERT(!IS_ERR(sb));
	for (size_t k = 0; k < ARRAY_SIZE(points); k++) {
		struct fault_point *fp = fault_find(points[k]);
		uint32_t n, errors = 0;
		KT_ASSERT(fp != NULL);
		for (n = 1; n < NSWEEP; n++) {
			struct ktest_snapshot before;
			struct vfs_stat st;
			char what[96];
			int r;
			ktest_snapshot(&before);
			fault_arm(fp, n, 0);
			r = write_pattern(sb, "f", 1000);
			fault_arm(fp, 0, 0);
			errors += r != 3 * 4096;
			if (vfs_stat("f", sb->root, &st) == 0)
				KT_EXPECT(r < 0 ? st.size <= 1000 : st.size == 1000 + (uint32_t)r);
			vfs_unlink("f", sb->root);
			if (ktest_leaks(&before, what, sizeof(what)))
				ktest_fail(t, __FILE__, __LINE__, "%s@%u: the write leaked: %s",
					   fp->name, n, what);
			if (!fp->failed && r == 3 * 4096)
				break;
		}
		KT_EXPECT(errors > 0 || n == 1);
		KT_EXPECT(n < NSWEEP);
		total += errors;
		printk("ktest: # write: %s: %u steps, %u short or failed\n", fp->name, n, errors);
	}
	KT_EXPECT(total > 0);
	KT_EXPECT_EQ(vfs_unmount(sb), 0);
	KT_EXPECT_EQ(export_for_fsck(ramdisk_mem(d), TINY_SECTORS, "write-sweep"), 0);
	ramdisk_free(d);
}

/*
 * Mount the RAM disk with allocation or request N failing: a refused
 * mount frees all it took; one that succeeds unmounts cleanly.
 */
KTEST(faultinj, mount_sweep)
{
	struct blkdev *d = tiny_disk();
	uint32_t total = 0;

	KT_ASSERT(d != NULL);
	for (size_t k = 0; k < ARRAY_SIZE(points); k++) {
		struct fault_point *fp = fault_find(points[k]);
		uint32_t n, errors = 0;
		for (n = 1; n < NSWEEP; n++) {
			struct ktest_snapshot before;
			struct super_block *sb;
			char what[96];
			ktest_snapshot(&before);
			fault_arm(fp, n, 0);
			sb = vfs_mount("ext2", d);
			fault_arm(fp, 0, 0);
			if (IS_ERR(sb))
				errors++;
			else
				KT_EXPECT_EQ(vfs_unmount(sb), 0);
			if (ktest_leaks(&before, what, sizeof(what)))
				ktest_fail(t, __FILE__, __LINE__, "%s@%u: the mount leaked: %s",
					   fp->name, n, what);
			if (!fp->failed && !IS_ERR(sb))
				break;
		}
		KT_EXPECT(n < NSWEEP);
		KT_EXPECT(errors > 0 || n == 1);	/* it failed, or never asked this point */
		total += errors;
		printk("ktest: # mount: %s: %u steps, %u refused cleanly\n", fp->name, n, errors);
	}
	KT_EXPECT(total > 0);
	KT_EXPECT_EQ(export_for_fsck(ramdisk_mem(d), TINY_SECTORS, "mount-sweep"), 0);
	ramdisk_free(d);
}

/* At a rate, a point fails about that many calls, and the same ones every time it is armed. */
KTEST(faultinj, rate_is_repeatable)
{
	struct fault_point *fp = fault_find("slab");
	uint32_t first = 0, again = 0, same = 1;
	static uint8_t pattern[1000];

	KT_ASSERT(fp != NULL);
	fault_arm(fp, 0, 100);
	for (int i = 0; i < 1000; i++)
		first += pattern[i] = fault_hit(fp);
	fault_arm(fp, 0, 100);
	for (int i = 0; i < 1000; i++) {
		bool hit = fault_hit(fp);
		again += hit;
		same &= hit == pattern[i];
	}
	fault_arm(fp, 0, 0);
	KT_EXPECT(first > 50 && first < 150);		/* 100 in 1000, more or less */
	KT_EXPECT_EQ(again, first);
	KT_EXPECT(same);
	KT_EXPECT_EQ(fp->failed, 0);			/* arming again starts over */
}
