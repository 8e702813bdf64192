/*
 * fs/ext2/ext2.c: mounting ext2, inodes, and the block map.
 *
 * Mount trusts nothing: every super block field used to find something on
 * disk is range-checked first, and a bad one refuses the mount with a
 * message (-EINVAL). Later, a block number read from disk that points
 * outside the file system is -EIO for that one operation.
 *
 * The block map: i_block[0..11] are direct, [12] single, [13] double and
 * [14] triple indirect; an indirect block holds bs/4 block numbers; 0 is a
 * hole. File data moves between the page cache and the disk directly; the
 * buffer cache holds metadata only (indirect blocks, directories, inodes,
 * bitmaps).
 */
#include "fs/dcache.h"
#include "fs/ext2/ext2_internal.h"
#include "kernel/arch/memlayout.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "mm/slab.h"

static struct kmem_cache *inode_cache;	/* struct ext2_inode_info */

struct buf *ext2_bread(struct super_block *sb, uint32_t blk)
{
	if (!ext2_valid_block(sb, blk))
		return ERR_PTR(-EIO);
	return bread(sb->dev, blk, EXT2(sb)->bs);
}

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

	binvalidate(sb->dev);
	if (e)
		kfree(e->gd);
	kfree(e);
	kfree(sb);
}

struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode_info *ei;

	(void)sb;
	if (!inode_cache &&
	    !(inode_cache = kmem_cache_create("ext2_inode", sizeof(*ei), 0, NULL, 0)))
		return NULL;
	if (!(ei = kmem_cache_alloc(inode_cache)))
		return NULL;
	memset(ei, 0, sizeof(*ei));
	return &ei->vfs;
}

void ext2_destroy_inode(struct inode *ip)
{
	kmem_cache_free(inode_cache, EXT2_I(ip));
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
	if ((r = blk_read(dev, EXT2_SUPER_OFFSET / SECTOR_SIZE, 2, e->super)) < 0 ||
	    (r = check_super(sb, e)) < 0 || (r = read_group_descs(sb, e)) < 0)
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
	return sb;
fail:
	icache_prune(sb);
	ext2_put_super(sb);
	return ERR_PTR(r);
}

static const struct fs_type ext2_fs_type = { .name = "ext2", .mount = ext2_mount };
FILESYSTEM(ext2, ext2_fs_type);

/* --- inodes ---------------------------------------------------------------- */

/* Where inode ino lives: its block and byte offset; -EIO if out of range. */
static int inode_location(struct super_block *sb, uint32_t ino, uint32_t *blk, uint32_t *off)
{
	struct ext2_info *e = EXT2(sb);
	uint32_t g, idx;

	if (ino == 0 || ino > e->inodes_count)
		return -EIO;
	g = (ino - 1) / e->ipg;
	idx = (ino - 1) % e->ipg;
	*blk = e->gd[g].bg_inode_table + idx * e->isz / e->bs;
	*off = idx * e->isz % e->bs;
	return 0;
}

int ext2_read_inode(struct inode *ip)
{
	uint32_t blk, off;
	struct ext2_inode *d;
	struct buf *b;

	if (inode_location(ip->sb, ip->ino, &blk, &off) < 0)
		return -EIO;
	b = ext2_bread(ip->sb, blk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	d = (struct ext2_inode *)(b->data + off);
	ip->mode = d->i_mode;
	ip->nlink = d->i_links_count;
	ip->size = d->i_size;
	ip->atime = d->i_atime;
	ip->ctime = d->i_ctime;
	ip->mtime = d->i_mtime;
	ip->dtime = d->i_dtime;
	ip->uid = d->i_uid;
	ip->gid = d->i_gid;
	EXT2_I(ip)->flags = d->i_flags;
	EXT2_I(ip)->nsectors = d->i_blocks;
	EXT2_I(ip)->file_acl = d->i_file_acl;
	EXT2_I(ip)->generation = d->i_generation;
	memcpy(EXT2_I(ip)->blocks, d->i_block, sizeof(EXT2_I(ip)->blocks));
	if (S_ISCHR(ip->mode)) {	/* old-style device number in i_block[0] */
		ip->major = (d->i_block[0] >> 8) & 0xff;
		ip->minor = d->i_block[0] & 0xff;
	}
	uint32_t high = d->i_size_high;
	brelse(b);
	if (S_ISREG(ip->mode) && high)
		return -EFBIG;		/* a file of 4 GiB or more: not for a 32-bit VFS */
	return 0;
}

int ext2_zero_inode(struct super_block *sb, uint32_t ino)
{
	uint32_t blk, off;
	struct buf *b;

	if (inode_location(sb, ino, &blk, &off) < 0)
		return -EIO;
	b = ext2_bread(sb, blk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	memset(b->data + off, 0, EXT2(sb)->isz);	/* the extra fields and in-inode xattrs too */
	bdirty(b);
	brelse(b);
	return 0;
}

int ext2_write_inode(struct inode *ip)
{
	uint32_t blk, off;
	struct ext2_inode *d;
	struct buf *b;

	if (inode_location(ip->sb, ip->ino, &blk, &off) < 0)
		return -EIO;
	b = ext2_bread(ip->sb, blk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	d = (struct ext2_inode *)(b->data + off);
	d->i_mode = ip->mode;
	d->i_links_count = ip->nlink;
	d->i_size = ip->size;
	d->i_size_high = 0;
	d->i_atime = ip->atime;
	d->i_ctime = ip->ctime;
	d->i_mtime = ip->mtime;
	d->i_dtime = ip->dtime;
	d->i_uid = ip->uid;
	d->i_gid = ip->gid;
	d->i_flags = EXT2_I(ip)->flags;
	d->i_blocks = EXT2_I(ip)->nsectors;
	d->i_file_acl = EXT2_I(ip)->file_acl;
	d->i_generation = EXT2_I(ip)->generation;
	if (S_ISCHR(ip->mode))
		EXT2_I(ip)->blocks[0] = (uint32_t)ip->major << 8 | ip->minor;
	memcpy(d->i_block, EXT2_I(ip)->blocks, sizeof(d->i_block));
	bdirty(b);
	brelse(b);
	return 0;
}

/* --- the block map ---------------------------------------------------------- */

/* Zero a newly allocated indirect block, so that it reads as all holes. */
static int zero_block(struct super_block *sb, uint32_t blk)
{
	struct buf *b = ext2_bread(sb, blk);

	if (IS_ERR(b))
		return PTR_ERR(b);
	memset(b->data, 0, EXT2(sb)->bs);
	bdirty(b);
	brelse(b);
	return 0;
}

/*
 * Read entry idx of indirect block blk, filling a hole there if alloc
 * (with a zeroed block if the new block is itself indirect).
 */
static int indirect(struct inode *ip, uint32_t blk, uint32_t idx, bool alloc,
		    bool new_is_indirect, uint32_t *out)
{
	struct buf *b = ext2_bread(ip->sb, blk);
	uint32_t *slot;
	int r = 0;

	if (IS_ERR(b))
		return PTR_ERR(b);
	slot = (uint32_t *)b->data + idx;
	if (*slot == 0 && alloc) {
		if ((r = ext2_alloc_block(ip->sb, blk, slot)) == 0) {
			EXT2_I(ip)->nsectors += EXT2(ip->sb)->bs / SECTOR_SIZE;
			bdirty(b);
			if (new_is_indirect)
				r = zero_block(ip->sb, *slot);
		}
	}
	if (*slot && !ext2_valid_block(ip->sb, *slot))
		r = -EIO;
	*out = *slot;
	brelse(b);
	return r;
}

int ext2_bmap(struct inode *ip, uint32_t fb, bool alloc, uint32_t *out)
{
	uint32_t per = EXT2(ip->sb)->bs / 4, level, root, cur, span;
	int r;

	if (!ext2_has_blocks(ip))
		return -EINVAL;		/* a device or a fast symlink: no blocks */
	if (fb < EXT2_NDIR_BLOCKS) {
		level = 0;
		root = fb;
	} else if ((fb -= EXT2_NDIR_BLOCKS) < per) {
		level = 1;
		root = EXT2_IND_BLOCK;
	} else if ((fb -= per) < per * per) {
		level = 2;
		root = EXT2_DIND_BLOCK;
	} else if ((fb -= per * per) < per * per * per) {
		level = 3;
		root = EXT2_TIND_BLOCK;
	} else {
		return -EFBIG;
	}
	if (EXT2_I(ip)->blocks[root] == 0 && alloc) {
		if ((r = ext2_alloc_block(ip->sb, 0, &EXT2_I(ip)->blocks[root])) < 0)
			return r;
		EXT2_I(ip)->nsectors += EXT2(ip->sb)->bs / SECTOR_SIZE;
		imark_dirty(ip);
		if (level > 0 && (r = zero_block(ip->sb, EXT2_I(ip)->blocks[root])) < 0)
			return r;
	}
	cur = EXT2_I(ip)->blocks[root];
	if (cur && !ext2_valid_block(ip->sb, cur))
		return -EIO;
	span = 1;
	for (uint32_t i = 1; i < level; i++)
		span *= per;
	for (; level > 0 && cur; level--, span /= per)
		if ((r = indirect(ip, cur, (fb / span) % per, alloc, level > 1, &cur)) < 0)
			return r;
	*out = cur;
	return 0;
}

int ext2_readpage(struct inode *ip, uint32_t index, void *page)
{
	struct ext2_info *e = EXT2(ip->sb);
	uint32_t per_page = PGSIZE / e->bs, spb = e->bs / SECTOR_SIZE;

	for (uint32_t i = 0; i < per_page; i++) {
		uint8_t *to = (uint8_t *)page + i * e->bs;
		uint32_t blk;
		int r;

		if ((uint64_t)(index * per_page + i) * e->bs >= ip->size) {
			memset(to, 0, e->bs);		/* past the end */
			continue;
		}
		if ((r = ext2_bmap(ip, index * per_page + i, false, &blk)) < 0)
			return r;
		if (blk == 0)
			memset(to, 0, e->bs);		/* a hole */
		else if (blk_read(ip->sb->dev, blk * spb, spb, to) < 0)
			return -EIO;
	}
	return 0;
}
