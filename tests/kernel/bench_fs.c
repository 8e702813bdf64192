/*
 * tests/kernel/bench_fs.c: the storage report, `bench=fs` (make bench runs
 * it under QEMU -icount shift=0, where the TSC counts guest instructions on
 * a 1 GHz virtual clock). Figures, one line each:
 *     fsbench,<figure>,<value>,<unit>
 * Sequential read goes through the page cache from a cold start, so it
 * includes the ATA driver's PIO and interrupts, not the disk's own speed.
 */
#include "fs/dcache.h"
#include "fs/file.h"
#include "kernel/dev/blk.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"
#include "mm/slab.h"
#include "tests/kernel/kbench.h"

#define ROUNDS	2000

static void report(const char *figure, uint64_t value, const char *unit, const char *what)
{
	printk("  %-36s %10llu %-12s\n", what, value, unit);
	printk("fsbench,%s,%llu,%s\n", figure, value, unit);
}

static void bench_read(struct super_block *sb, const char *path, const char *figure,
		       const char *what)
{
	struct file *f;
	uint8_t *buf = kmalloc(65536);
	uint64_t bytes = 0, t0, t1;
	int r;

	vfs_shrink_caches();			/* cold: every page from the disk */
	f = vfs_open(path, O_RDONLY, sb->root);
	if (IS_ERR(f) || !buf) {
		printk("fsbench: cannot read %s\n", path);
		kfree(buf);
		return;
	}
	t0 = rdtsc();
	while ((r = vfs_read(f, buf, 65536)) > 0)
		bytes += r;
	t1 = rdtsc();
	vfs_close(f);
	kfree(buf);
	/* the TSC runs at 1 GHz under -icount shift=0 */
	report(figure, bytes / SECTOR_SIZE * 1000000000ull / (t1 - t0), "sectors/s", what);
}

static void bench_dcache(void)
{
	struct vfs_stat st;
	struct dentry *d;
	uint64_t t0, t1;
	char name[32];

	vfs_stat("/fixtures/many/file-000-with-a-long-name", NULL, &st);	/* warm */
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++)
		vfs_stat("/fixtures/many/file-000-with-a-long-name", NULL, &st);
	t1 = rdtsc();
	report("namei_hit_3_names", (t1 - t0) / ROUNDS, "cycles",
	       "path of 3 names, all cached");
	d = namei("/fixtures/many", NULL);
	if (IS_ERR(d))
		return;
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++) {
		struct dentry *c = d_lookup(d, "file-000-with-a-long-name", 25);
		if (c)
			dput(c);
	}
	t1 = rdtsc();
	report("d_lookup_hit", (t1 - t0) / ROUNDS, "cycles", "dcache lookup, hit");
	t0 = rdtsc();
	for (int i = 0; i < 300; i++) {		/* each name's first lookup: the disk's dir */
		snprintf(name, sizeof(name), "file-%03d-with-a-long-name", i);
		vfs_stat(name, d, &st);
	}
	t1 = rdtsc();
	report("lookup_miss", (t1 - t0) / 300, "cycles", "lookup, miss (directory scan)");
	dput(d);
	report("dentry_bytes", dcache_entry_bytes(), "bytes", "dcache memory per entry");
}

static void bench_fs(void)
{
	struct blkdev *dev = blk_find("hdb");
	struct super_block *sb = dev ? vfs_mount("ext2", dev) : ERR_PTR(-ENODEV);

	printk("fsbench: storage\n");
	if (!root_sb || IS_ERR(sb)) {
		printk("fsbench: needs the root disk (hda) and the scratch disk (hdb)\n");
		return;
	}
	bench_read(root_sb, "fixtures/big.bin", "seq_read_1k_blocks",
		   "sequential read, 1 KiB blocks");
	bench_read(sb, "fixtures/big.bin", "seq_read_4k_blocks",
		   "sequential read, 4 KiB blocks");
	bench_dcache();
	vfs_unmount(sb);
	printk("fsbench: done\n");
}

KBENCH(fs, bench_fs);
