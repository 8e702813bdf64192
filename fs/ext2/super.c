/*
 * fs/ext2/super.c: mounting ext2, and the file system as the VFS sees it.
 *
 * Mount trusts nothing: every super block field used to find something on
 * disk is range-checked first, and a bad one refuses the mount with a
 * message (-EINVAL). Later, a block number read from disk that points
 * outside the file system is -EIO for that one operation. This file is
 * the top of ext2: the fs_ops table here names the work of the others
 * (inode.c: inodes and file data; dir.c: directories; namei.c: names;
 * balloc.c: the bitmaps, the counts and the commit), and ext2 registers
 * itself as a file-system type. Calls go one way only: super.c to the
 * others; namei.c to dir.c and inode.c; dir.c to inode.c; every one of
 * them to balloc.c.
 */
#include "fs/dcache.h"
#include "fs/ext2/ext2_internal.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "mm/slab.h"

/* --- mount ----------------------------------------------------------------- */

static int refuse(const char *dev, const char *why)
{
	printk(KERN_WARNING "ext2: %s: %s; not mounted\n", dev, why);
	return -EINVAL;
}

static int check_super(struct super_block *sb, struct ext2_info *e)
{
	struct ext2_super *s = (struct ext2_super *)e->super;
	const char *dev = sb->dev->name;

	if (s->s_magic != EXT2_MAGIC)
		return refuse(dev, "no ext2 magic number");
	if (s->s_rev_level > 1)
		return refuse(dev, "unknown revision");
	if (s->s_log_block_size > 2)
		return refuse(dev, "block size above 4 KiB");
	e->bs = 1024u << s->s_log_block_size;
	e->first_data = s->s_first_data_block;
	e->bpg = s->s_blocks_per_group;
	e->ipg = s->s_inodes_per_group;
	e->blocks_count = s->s_blocks_count;
	e->inodes_count = s->s_inodes_count;
	e->isz = s->s_rev_level == 0 ? 128 : s->s_inode_size;
	if (e->first_data != (e->bs == 1024 ? 1u : 0u))
		return refuse(dev, "first data block does not match the block size");
	if (!e->bpg || e->bpg > 8 * e->bs || !e->ipg || e->ipg > 8 * e->bs)
		return refuse(dev, "bad blocks or inodes per group");
	if (e->blocks_count <= e->first_data ||
	    (uint64_t)e->blocks_count * (e->bs / SECTOR_SIZE) > sb->dev->nsectors)
		return refuse(dev, "block count does not fit the device");
	if (e->isz < 128 || e->isz > e->bs || (e->isz & (e->isz - 1)))
		return refuse(dev, "bad inode size");
	e->groups = (e->blocks_count - e->first_data + e->bpg - 1) / e->bpg;
	if ((uint64_t)e->groups * e->ipg < e->inodes_count || e->inodes_count < EXT2_ROOT_INO)
		return refuse(dev, "inode count does not match the groups");
	if (s->s_rev_level >= 1 && (s->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_FILETYPE))
		return refuse(dev, "unsupported incompatible features");
	e->filetype = s->s_rev_level >= 1 &&
		      (s->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
	if (s->s_rev_level >= 1 && (s->s_feature_ro_compat &
	    ~(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE))) {
		printk(KERN_WARNING "ext2: %s: unknown read-only features; mounted read-only\n",
		       dev);
		sb->readonly = true;
	}
	return 0;
}

static int read_group_descs(struct super_block *sb, struct ext2_info *e)
{
	uint32_t per = e->bs / sizeof(struct ext2_group_desc);

	e->gd_blocks = (e->groups + per - 1) / per;
	e->gd = kmalloc(e->gd_blocks * e->bs);
	if (!e->gd)
		return -ENOMEM;
	for (uint32_t i = 0; i < e->gd_blocks; i++) {
		struct buf *b = ext2_bread(sb, e->first_data + 1 + i);
		if (IS_ERR(b))
			return PTR_ERR(b);
		memcpy((uint8_t *)e->gd + i * e->bs, b->data, e->bs);
		brelse(b);
	}
	for (uint32_t g = 0; g < e->groups; g++) {
		struct ext2_group_desc *d = &e->gd[g];
		uint32_t table_blocks = (e->ipg * e->isz + e->bs - 1) / e->bs;
		if (!ext2_valid_block(sb, d->bg_block_bitmap) ||
		    !ext2_valid_block(sb, d->bg_inode_bitmap) ||
		    !ext2_valid_block(sb, d->bg_inode_table) ||
		    !ext2_valid_block(sb, d->bg_inode_table + table_blocks - 1))
			return refuse(sb->dev->name, "group descriptor points outside the disk");
	}
	return 0;
}

void ext2_put_super(struct super_block *sb)
{
	struct ext2_info *e = sb->fs_info;

	if (e && e->mounted_rw && !e->ndeferred) {	/* an unmount, all committed: clean */
		ext2_super(sb)->s_state |= EXT2_VALID_FS;
		ext2_write_super(sb);
	}
	binvalidate(sb->dev);
	if (e) {
		kfree(e->gd);
		kfree(e->deferred);
	}
	kfree(e);
	kfree(sb);
}

static const struct fs_ops ext2_ops = {
	.alloc_inode = ext2_alloc_inode,
	.destroy_inode = ext2_destroy_inode,
	.put_super = ext2_put_super,
	.read_inode = ext2_read_inode,
	.write_inode = ext2_write_inode,
	.lookup = ext2_lookup,
	.readdir = ext2_readdir,
	.readpage = ext2_readpage,
	.readpages = ext2_readpages,
	.prepare_write = ext2_prepare_write,
	.writepage = ext2_writepage,
	.create = ext2_create,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.truncate = ext2_truncate,
	.evict = ext2_evict,
	.orphan = ext2_orphan,
	.sync = ext2_commit,
};

/*
 * A read-write mount: finish what a crash left on the orphan list, and
 * mark the file system in use (not cleanly unmounted) until put_super.
 */
static void mount_rw(struct super_block *sb)
{
	struct ext2_super *s = ext2_super(sb);
	uint32_t freed;

	if (!(s->s_state & EXT2_VALID_FS))
		printk(KERN_WARNING "ext2: %s: was not cleanly unmounted; e2fsck may find work\n",
		       sb->dev->name);
	if (s->s_last_orphan && (freed = ext2_orphan_cleanup(sb)))
		printk("ext2: %s: freed %u orphaned inodes\n", sb->dev->name, freed);
	s->s_state &= ~EXT2_VALID_FS;
	s->s_mnt_count++;
	s->s_mtime = time_now();
	if (ext2_write_super(sb) == 0)
		EXT2(sb)->mounted_rw = true;
}

static struct super_block *ext2_mount(struct blkdev *dev)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct ext2_info *e = kzalloc(sizeof(*e));
	struct inode *root;
	int r;

	if (!sb || !e) {
		kfree(sb);
		kfree(e);
		return ERR_PTR(-ENOMEM);
	}
	sb->dev = dev;
	sb->ops = &ext2_ops;
	sb->fs_info = e;
	sb->root_ino = EXT2_ROOT_INO;
	list_init(&e->orphans);
	if ((r = blk_read(dev, EXT2_SUPER_OFFSET / SECTOR_SIZE, 2, e->super)) < 0 ||
	    (r = check_super(sb, e)) < 0 || (r = read_group_descs(sb, e)) < 0 ||
	    (!sb->readonly && (r = ext2_balloc_init(sb)) < 0))
		goto fail;
	sb->block_size = e->bs;
	root = iget(sb, EXT2_ROOT_INO);
	if (IS_ERR(root) || !S_ISDIR(root->mode) || root->nlink < 2) {
		r = IS_ERR(root) ? PTR_ERR(root) : refuse(dev->name, "root is not a live directory");
		if (!IS_ERR(root))
			iput(root);
		goto fail;
	}
	if ((r = dcache_mount_root(sb, root)) < 0)
		goto fail;
	printk("ext2: %s: %u blocks of %u bytes, %u inodes, %u groups%s\n", dev->name,
	       e->blocks_count, e->bs, e->inodes_count, e->groups,
	       sb->readonly ? ", read-only" : "");
	if (!sb->readonly)
		mount_rw(sb);
	return sb;
fail:
	icache_prune(sb);
	ext2_put_super(sb);
	return ERR_PTR(r);
}

static const struct fs_type ext2_fs_type = { .name = "ext2", .mount = ext2_mount };
FILESYSTEM(ext2, ext2_fs_type);
