/*
 * fs/ext2/ext2_file.c: the rest of ext2's fs_ops: writing file data, making
 * and removing names, freeing inodes, and writing the super block and
 * group descriptors back.
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/arch/memlayout.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"

static int ext2_writepage(struct inode *ip, uint32_t index, const void *page, uint32_t bytes)
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

static int ext2_prepare_write(struct inode *ip, uint32_t index, uint32_t bytes)
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

static int ext2_create(struct inode *dir, const char *name, size_t len, uint16_t mode,
		       struct inode **out)
{
	uint32_t ino, now = time_now();
	struct inode *ip;
	int r;

	if (dir->sb->readonly)
		return -EROFS;
	if ((r = ext2_ialloc(dir->sb, dir->ino, S_ISDIR(mode), &ino)) < 0)
		return r;
	if ((r = ext2_zero_inode(dir->sb, ino)) < 0) {
		ext2_ifree(dir->sb, ino, S_ISDIR(mode));
		return r;
	}
	ip = inew(dir->sb, ino);
	if (IS_ERR(ip)) {
		ext2_ifree(dir->sb, ino, S_ISDIR(mode));
		return PTR_ERR(ip);
	}
	ip->mode = mode;
	ip->nlink = S_ISDIR(mode) ? 2 : 1;
	ip->atime = ip->ctime = ip->mtime = now;
	EXT2_I(ip)->generation = now;
	imark_dirty(ip);
	if (S_ISDIR(mode) && (r = ext2_dir_init(ip, dir)) < 0)
		goto undo;
	if ((r = ext2_add_entry(dir, name, len, ip)) < 0)
		goto undo;
	if (S_ISDIR(mode)) {
		dir->nlink++;		/* the new directory's ".." */
		imark_dirty(dir);
	}
	*out = ip;
	return 0;
undo:
	ip->nlink = 0;		/* iput frees the inode and any block it got */
	iput(ip);
	return r;
}

static int ext2_link(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
	if (dir->sb->readonly)
		return -EROFS;
	return ext2_add_entry(dir, name, len, ip);
}

static int ext2_unlink(struct inode *dir, const char *name, size_t len)
{
	if (dir->sb->readonly)
		return -EROFS;
	return ext2_remove_entry(dir, name, len);
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
static int ext2_evict(struct inode *ip)
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

static int ext2_sync(struct super_block *sb)
{
	struct ext2_info *e = EXT2(sb);

	if (sb->readonly)
		return 0;
	if (e->meta_dirty) {
		for (uint32_t i = 0; i < e->gd_blocks; i++) {
			struct buf *b = ext2_bread(sb, e->first_data + 1 + i);
			if (IS_ERR(b))
				return PTR_ERR(b);
			memcpy(b->data, (uint8_t *)e->gd + i * e->bs, e->bs);
			bdirty(b);
			brelse(b);
		}
		ext2_super(sb)->s_wtime = time_now();
		if (blk_write(sb->dev, EXT2_SUPER_OFFSET / SECTOR_SIZE, 2, e->super) < 0)
			return -EIO;
		e->meta_dirty = false;
	}
	return bsync(sb->dev);
}

const struct fs_ops ext2_ops = {
	.alloc_inode = ext2_alloc_inode,
	.destroy_inode = ext2_destroy_inode,
	.put_super = ext2_put_super,
	.read_inode = ext2_read_inode,
	.write_inode = ext2_write_inode,
	.lookup = ext2_lookup,
	.readdir = ext2_readdir,
	.readpage = ext2_readpage,
	.prepare_write = ext2_prepare_write,
	.writepage = ext2_writepage,
	.create = ext2_create,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.truncate = ext2_truncate,
	.evict = ext2_evict,
	.sync = ext2_sync,
};
