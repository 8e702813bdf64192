/*
 * fs/ext2/inode.c: ext2 inodes on disk, the block map, file data, and
 * freeing a file.
 *
 * The block map: i_block[0..11] are direct, [12] single, [13] double and
 * [14] triple indirect; an indirect block holds bs/4 block numbers; 0 is a
 * hole. File data moves between the page cache and the disk directly; the
 * buffer cache holds metadata only (indirect blocks, directories, inodes,
 * bitmaps). Truncation walks the same tree and frees what lies past the
 * new end, bottom up.
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/arch/memlayout.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
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

int ext2_writepage(struct inode *ip, uint32_t index, const void *page, uint32_t bytes)
{
	struct ext2_info *e = EXT2(ip->sb);
	uint32_t per_page = PGSIZE / e->bs, spb = e->bs / SECTOR_SIZE;

	if (ip->sb->readonly)
		return -EROFS;
	for (uint32_t i = 0; i < per_page && i * e->bs < bytes; i++) {
		uint32_t blk;
		int r = ext2_bmap(ip, index * per_page + i, true, &blk);

		if (r < 0)
			return r;
		if (blk_write(ip->sb->dev, blk * spb, spb, (const uint8_t *)page + i * e->bs) < 0)
			return -EIO;
	}
	return 0;
}

int ext2_prepare_write(struct inode *ip, uint32_t index, uint32_t bytes)
{
	struct ext2_info *e = EXT2(ip->sb);
	uint32_t per_page = PGSIZE / e->bs, blk;

	if (ip->sb->readonly)
		return -EROFS;
	for (uint32_t i = 0; i < per_page && i * e->bs < bytes; i++) {
		int r = ext2_bmap(ip, index * per_page + i, true, &blk);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Free the blocks of the subtree under indirect block blk (depth levels
 * of indirection) that hold file blocks from first on (first is relative
 * to the subtree's start). Returns 1 if the whole subtree went, so the
 * caller frees blk and clears its pointer.
 */
static int trim_tree(struct inode *ip, uint32_t blk, uint32_t depth, uint32_t first)
{
	uint32_t per = EXT2(ip->sb)->bs / 4, span = 1, spb = EXT2(ip->sb)->bs / SECTOR_SIZE;
	struct buf *b = ext2_bread(ip->sb, blk);
	uint32_t *slot;
	int all = 1;

	if (IS_ERR(b))
		return 0;		/* leave a corrupt subtree alone */
	for (uint32_t i = 1; i < depth; i++)
		span *= per;
	slot = (uint32_t *)b->data;
	for (uint32_t i = 0; i < per; i++) {
		uint32_t start = i * span;
		if (slot[i] == 0)
			continue;
		if (start + span <= first) {		/* entirely kept */
			all = 0;
			continue;
		}
		if (depth > 1 && !trim_tree(ip, slot[i], depth - 1, first > start ? first - start : 0)) {
			all = 0;
			continue;
		}
		ext2_free_block(ip->sb, slot[i]);
		EXT2_I(ip)->nsectors -= spb;
		slot[i] = 0;
		bdirty(b);
	}
	brelse(b);
	return all;
}

int ext2_truncate(struct inode *ip, uint32_t size)
{
	uint32_t bs = EXT2(ip->sb)->bs, per = bs / 4, spb = bs / SECTOR_SIZE;
	uint32_t first = (size + bs - 1) / bs, start = EXT2_NDIR_BLOCKS, span = per;

	if (!ext2_has_blocks(ip)) {	/* i_block holds a device number, not blocks */
		ip->size = size;
		imark_dirty(ip);
		return 0;
	}

	for (uint32_t i = first; i < EXT2_NDIR_BLOCKS; i++)
		if (EXT2_I(ip)->blocks[i]) {
			ext2_free_block(ip->sb, EXT2_I(ip)->blocks[i]);
			EXT2_I(ip)->nsectors -= spb;
			EXT2_I(ip)->blocks[i] = 0;
		}
	for (uint32_t depth = 1; depth <= 3; depth++, start += span, span *= per) {
		uint32_t *root = &EXT2_I(ip)->blocks[EXT2_IND_BLOCK + depth - 1];
		if (*root && start + span > first &&
		    trim_tree(ip, *root, depth, first > start ? first - start : 0)) {
			ext2_free_block(ip->sb, *root);
			EXT2_I(ip)->nsectors -= spb;
			*root = 0;
		}
	}
	ip->size = size;
	ip->mtime = ip->ctime = time_now();
	imark_dirty(ip);
	return 0;
}

#define EXT2_XATTR_MAGIC	0xea020000u

/* Drop the inode's extended-attribute block: it may be shared (h_refcount). */
static void release_xattr_block(struct inode *ip)
{
	uint32_t blk = EXT2_I(ip)->file_acl;
	uint32_t *h;
	struct buf *b;

	EXT2_I(ip)->file_acl = 0;
	if (!blk || !ext2_valid_block(ip->sb, blk) || IS_ERR(b = ext2_bread(ip->sb, blk)))
		return;
	h = (uint32_t *)b->data;		/* h_magic, h_refcount, h_blocks, ... */
	if (h[0] != EXT2_XATTR_MAGIC) {
		brelse(b);
		return;				/* not an xattr block: leave it alone */
	}
	EXT2_I(ip)->nsectors -= EXT2(ip->sb)->bs / SECTOR_SIZE;
	if (h[1] > 1) {
		h[1]--;
		bdirty(b);
		brelse(b);
		return;
	}
	brelse(b);
	ext2_free_block(ip->sb, blk);
}

/* The last link and the last reference are gone: free blocks, then the inode. */
int ext2_evict(struct inode *ip)
{
	if (ip->sb->readonly)
		return -EROFS;
	release_xattr_block(ip);
	ext2_truncate(ip, 0);
	ip->nlink = 0;
	ip->dtime = time_now();
	ext2_write_inode(ip);
	ext2_ifree(ip->sb, ip->ino, S_ISDIR(ip->mode));
	return 0;
}
