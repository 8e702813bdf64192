/*
 * tests/kernel/bench_fs.c: the storage report, `bench=fs` (make bench runs
 * it under QEMU -icount shift=0, where the TSC counts guest instructions on
 * a 1 GHz virtual clock). Figures, one line each:
 *     fsbench,<figure>,<value>,<unit>
 * Sequential read goes through the page cache from a cold start. Every
 * figure counts busy cycles: the TSC less the time the CPU sat halted
 * waiting for an interrupt (cpu_idle_cycles). Under -icount the halted
 * time is however long the host took to do the disk request, which is
 * not the guest's doing and does not repeat; what is left is the work of
 * the file system, the page cache, the block layer and the ATA driver's
 * PIO and interrupts, and repeats. So read cost is cycles per sector, not
 * a throughput, which would be the host's.
 */
#include "fs/dcache.h"
#include "kernel/arch/trap.h"
#include "fs/file.h"
#include "kernel/dev/blk.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"
#include "mm/slab.h"
#include "tests/kernel/kbench.h"

#define ROUNDS	2000

/* The TSC less idle time: see the comment at the top. */
static uint64_t busy(void)
{
	return rdtsc() - cpu_idle_cycles();
}

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
	t0 = busy();
	while ((r = vfs_read(f, buf, 65536)) > 0)
		bytes += r;
	t1 = busy();
	vfs_close(f);
	kfree(buf);
	report(figure, (t1 - t0) / MAX(bytes / SECTOR_SIZE, 1ull), "cycles/sector", what);
}

static void bench_dcache(void)
{
	struct vfs_stat st;
	struct dentry *d;
	uint64_t t0, t1;
	char name[32];

	vfs_stat("/fixtures/many/file-000-with-a-long-name", NULL, &st);	/* warm */
	t0 = busy();
	for (int i = 0; i < ROUNDS; i++)
		vfs_stat("/fixtures/many/file-000-with-a-long-name", NULL, &st);
	t1 = busy();
	report("namei_hit_3_names", (t1 - t0) / ROUNDS, "cycles",
	       "path of 3 names, all cached");
	d = namei("/fixtures/many", NULL);
	if (IS_ERR(d))
		return;
	t0 = busy();
	for (int i = 0; i < ROUNDS; i++) {
		struct dentry *c = d_lookup(d, "file-000-with-a-long-name", 25);
		if (c)
			dput(c);
	}
	t1 = busy();
	report("d_lookup_hit", (t1 - t0) / ROUNDS, "cycles", "dcache lookup, hit");
	t0 = busy();
	for (int i = 0; i < 300; i++) {		/* each name's first lookup: the disk's dir */
		snprintf(name, sizeof(name), "file-%03d-with-a-long-name", i);
		vfs_stat(name, d, &st);
	}
	t1 = busy();
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
		   "sequential read, 1 KiB blocks, cold");
	bench_read(sb, "fixtures/big.bin", "seq_read_4k_blocks",
		   "sequential read, 4 KiB blocks, cold");
	bench_dcache();
	vfs_unmount(sb);
	printk("fsbench: done\n");
}

KBENCH(fs, bench_fs);
