/*
 * fs/vfs.c: mounting and unmounting through the file-system type table,
 * and the write-back daemon.
 *
 * The root is whatever registered file system recognises hda. Pagoda has
 * one mount: every path starts at root_sb's root dentry. Other mounts
 * (the self-tests' scratch disk and RAM disks) are reached through their
 * own super block.
 */
#include "fs/vfs.h"
#include "fs/bcache.h"
#include "fs/dcache.h"
#include "kernel/dev/timer.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/x86.h"
#include "kernel/sched/sched.h"
#include "mm/filemap.h"

struct super_block *root_sb;

struct super_block *vfs_mount(const char *type, struct blkdev *dev)
{
	struct super_block *sb = ERR_PTR(-EINVAL);

	for (const struct fs_type *const *t = __filesystems_start; t < __filesystems_end; t++) {
		if (type && strcmp((*t)->name, type))
			continue;
		sb = (*t)->mount(dev);
		if (!IS_ERR(sb)) {
			sb->type = *t;
			return sb;
		}
		if (PTR_ERR(sb) != -EINVAL)
			break;			/* it is this type, but broken or out of memory */
	}
	return sb;
}

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
	sb->ops->put_super(sb);
	return 0;
}

uint32_t vfs_shrink_caches(void)
{
	uint32_t n = d_prune(0xffffffffu);

	n += icache_prune(NULL);
	return n + bcache_shrink();
}

static void vfs_settle(void)
{
	vfs_shrink_caches();
}

/* Unused dentries, inodes, file pages and buffers go before a leak count. */
RESOURCE_COUNT(vfs_caches, "file caches", 0, vfs_settle, NULL);

void vfs_flushd(void)
{
	for (;;) {
		cli();
		sleep_until(timer_ticks() + SYNC_INTERVAL);
		sti();
		if (root_sb)
			vfs_sync(root_sb);
	}
}

void vfs_init(void)
{
	struct blkdev *dev = blk_find("hda");
	struct super_block *sb;

	dcache_init();
	filemap_init_cache();
	if (!dev) {
		printk("vfs: no disk hda; running without a root file system\n");
		return;
	}
	sb = vfs_mount(NULL, dev);
	if (IS_ERR(sb)) {
		printk(KERN_WARNING "vfs: cannot mount hda (error %ld)\n", PTR_ERR(sb));
		return;
	}
	root_sb = sb;
}
