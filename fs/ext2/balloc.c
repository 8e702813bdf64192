/*
 * fs/ext2/balloc.c: the block and inode bitmaps.
 *
 * Each block group has a bitmap of its blocks and one of its inodes.
 * Allocation looks first in the group of a goal (an inode's neighbours
 * stay together), then in every group in turn. The free counts live in
 * the group descriptors and the super block, both held in memory and
 * written by ext2_sync. Invariant: a bit is set iff the block or inode is
 * in use, and the counts equal the zero bits (e2fsck -fn checks all of it).
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/faultinj.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"

static void counts_changed(struct super_block *sb)
{
	EXT2(sb)->meta_dirty = true;
}

/* Find and set a clear bit below n in bitmap block blk; -1 if none. */
static int take_bit(struct super_block *sb, uint32_t blk, uint32_t n, uint32_t *bit)
{
	struct buf *b = ext2_bread(sb, blk);

	if (IS_ERR(b))
		return PTR_ERR(b);
	for (uint32_t i = 0; i < n; i++) {
		if (b->data[i / 8] == 0xff) {
			i |= 7;
			continue;
		}
		if (!(b->data[i / 8] & (1 << (i % 8)))) {
			b->data[i / 8] |= 1 << (i % 8);
			bdirty(b);
			brelse(b);
			*bit = i;
			return 0;
		}
	}
	brelse(b);
	return -ENOSPC;
}

static int clear_bit(struct super_block *sb, uint32_t blk, uint32_t bit)
{
	struct buf *b = ext2_bread(sb, blk);
	int was;

	if (IS_ERR(b))
		return PTR_ERR(b);
	was = b->data[bit / 8] & (1 << (bit % 8));
	b->data[bit / 8] &= ~(1 << (bit % 8));
	bdirty(b);
	brelse(b);
	return was ? 0 : -EIO;
}

FAULT_POINT(block);

int ext2_alloc_block(struct super_block *sb, uint32_t goal, uint32_t *out)
{
	struct ext2_info *e = EXT2(sb);
	struct ext2_super *s = ext2_super(sb);
	uint32_t g0 = ext2_valid_block(sb, goal) ? (goal - e->first_data) / e->bpg : 0;

	if (sb->readonly)
		return -EROFS;
	if (fault_hit(&fault_block))
		return -ENOSPC;
	for (uint32_t k = 0; k < e->groups; k++) {
		uint32_t g = (g0 + k) % e->groups, bit;
		uint32_t n = MIN(e->bpg, e->blocks_count - e->first_data - g * e->bpg);
		if (e->gd[g].bg_free_blocks_count == 0 ||
		    take_bit(sb, e->gd[g].bg_block_bitmap, n, &bit) < 0)
			continue;
		e->gd[g].bg_free_blocks_count--;
		s->s_free_blocks_count--;
		counts_changed(sb);
		*out = e->first_data + g * e->bpg + bit;
		return 0;
	}
	return -ENOSPC;
}

/* Is blk a bitmap or inode-table block of its group? Those are never freed. */
static bool is_group_meta(struct super_block *sb, uint32_t blk)
{
	struct ext2_info *e = EXT2(sb);
	struct ext2_group_desc *d = &e->gd[(blk - e->first_data) / e->bpg];
	uint32_t table = (e->ipg * e->isz + e->bs - 1) / e->bs;

	return blk == d->bg_block_bitmap || blk == d->bg_inode_bitmap ||
	       (blk >= d->bg_inode_table && blk < d->bg_inode_table + table);
}

void ext2_free_block(struct super_block *sb, uint32_t blk)
{
	struct ext2_info *e = EXT2(sb);
	uint32_t g = (blk - e->first_data) / e->bpg;

	if (!ext2_valid_block(sb, blk) || is_group_meta(sb, blk) ||
	    clear_bit(sb, e->gd[g].bg_block_bitmap, (blk - e->first_data) % e->bpg) < 0) {
		printk(KERN_WARNING "ext2: %s: freeing free or bad block %u\n", sb->dev->name, blk);
		return;
	}
	bforget(sb->dev, blk, e->bs);	/* no stale metadata copy may be written over it */
	e->gd[g].bg_free_blocks_count++;
	ext2_super(sb)->s_free_blocks_count++;
	counts_changed(sb);
}

int ext2_ialloc(struct super_block *sb, uint32_t dir_ino, bool is_dir, uint32_t *out)
{
	struct ext2_info *e = EXT2(sb);
	uint32_t g0 = dir_ino ? (dir_ino - 1) / e->ipg : 0;

	if (sb->readonly)
		return -EROFS;
	for (uint32_t k = 0; k < e->groups; k++) {
		uint32_t g = (g0 + k) % e->groups, bit;
		uint32_t n = MIN(e->ipg, e->inodes_count - g * e->ipg);
		if (e->gd[g].bg_free_inodes_count == 0 ||
		    take_bit(sb, e->gd[g].bg_inode_bitmap, n, &bit) < 0)
			continue;
		e->gd[g].bg_free_inodes_count--;
		e->gd[g].bg_used_dirs_count += is_dir;
		ext2_super(sb)->s_free_inodes_count--;
		counts_changed(sb);
		*out = g * e->ipg + bit + 1;
		return 0;
	}
	return -ENOSPC;
}

void ext2_ifree(struct super_block *sb, uint32_t ino, bool is_dir)
{
	struct ext2_info *e = EXT2(sb);
	uint32_t g = (ino - 1) / e->ipg;

	if (clear_bit(sb, e->gd[g].bg_inode_bitmap, (ino - 1) % e->ipg) < 0) {
		printk(KERN_WARNING "ext2: %s: freeing free inode %u\n", sb->dev->name, ino);
		return;
	}
	e->gd[g].bg_free_inodes_count++;
	e->gd[g].bg_used_dirs_count -= is_dir;
	ext2_super(sb)->s_free_inodes_count++;
	counts_changed(sb);
}
