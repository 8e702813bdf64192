/*
 * fs/vfs.c: mounting the root file system, and unmounting.
 *
 * The root is the ext2 file system on hda when there is one. Pagoda has
 * one mount: every path starts at root_sb's root dentry.
 */
#include "fs/dcache.h"
#include "fs/file.h"
#include "fs/pcache.h"
#include "fs/bcache.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "mm/slab.h"

struct super_block *root_sb;

int vfs_unmount(struct super_block *sb)
{
	struct dentry *root = sb->root;
	int r;

	d_prune_sb(sb);
	if (root->refcount != 1 || !list_empty(&root->children) || sb->active_inodes != 1)
		return -EBUSY;
	if ((r = vfs_sync(sb)) < 0)
		return r;		/* unwritten data: the mount stays, whole */
	sb->root = NULL;
	dput(root);			/* frees the root dentry and its inode reference */
	icache_prune(sb);
	if (icache_holds(sb)) {		/* data that could not be written back */
		printk(KERN_ERR "vfs: %s: unwritten data; the file system stays in memory\n",
		       sb->dev->name);
		return -EIO;
	}
	binvalidate(sb->dev);
	ext2_release(sb);
	return 0;
}

uint32_t vfs_shrink_caches(void)
{
	uint32_t n = d_prune(0xffffffffu);

	n += icache_prune(NULL);
	return n + bcache_shrink();
}

void vfs_sync_tick(void)
{
	static uint32_t last;

	if (root_sb && timer_ticks() - last >= SYNC_INTERVAL) {
		last = timer_ticks();
		vfs_sync(root_sb);
	}
}

void vfs_init(void)
{
	struct blkdev *dev = blk_find("hda");
	struct super_block *sb;

	icache_init();
	dcache_init();
	pcache_init();
	file_init();
	if (!dev) {
		printk("vfs: no disk hda; running without a root file system\n");
		return;
	}
	sb = ext2_mount(dev);
	if (IS_ERR(sb)) {
		printk(KERN_WARNING "vfs: cannot mount hda (error %ld)\n", PTR_ERR(sb));
		return;
	}
	root_sb = sb;
}
