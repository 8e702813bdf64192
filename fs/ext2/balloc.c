/*
 * fs/ext2/balloc.c: the block and inode bitmaps.
 *
 * Each block group has a bitmap of its blocks and one of its inodes.
 * Allocation looks first in the group of a goal (an inode's neighbours
 * stay together), then in every group in turn. The free counts live in
 * the group descriptors and the super block, both held in memory and
 * written by ext2_commit.
 *
 * Frees are deferred. A block freed now may still be named on disk, by an
 * inode record or indirect block that stopped naming it only in memory.
 * Handed out again at once, and the machine stopped, it would belong to
 * two files, which e2fsck cannot untangle by itself. So a free only marks
 * the block in the deferred map; its bitmap bit stays set, and nobody can
 * take it, until ext2_commit has written every buffer (and with them every
 * record that let go of it). Then ext2_apply_frees clears the bits and
 * counts, and the commit writes the bitmaps last. The same for inodes.
 * A full disk with frees pending commits early and tries again.
 *
 * Invariants: a clear bit means nothing on disk names that block or inode;
 * a set bit means in use or deferred; after a commit, the bits are exactly
 * what is in use and the counts equal the zero bits (e2fsck -fn checks it).
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/faultinj.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "mm/slab.h"

static void counts_changed(struct super_block *sb)
{
	EXT2(sb)->meta_dirty = true;
}

int ext2_balloc_init(struct super_block *sb)
{
	struct ext2_info *e = EXT2(sb);

	e->bstride = (e->bpg + 7) / 8;
	e->istride = (e->ipg + 7) / 8;
	e->deferred = kzalloc(e->groups * (e->bstride + e->istride));
	return e->deferred ? 0 : -ENOMEM;
}

/* The deferred-free map of group g's blocks (inodes: istride bytes after). */
static uint8_t *deferred_map(struct ext2_info *e, uint32_t g, bool inodes)
{
	return e->deferred + g * (e->bstride + e->istride) + (inodes ? e->bstride : 0);
}

/* Is bit set in bitmap block blk? Stops a double free before it is deferred. */
static int bit_is_set(struct super_block *sb, uint32_t blk, uint32_t bit)
{
	struct buf *b = ext2_bread(sb, blk);
	int set;

	if (IS_ERR(b))
		return PTR_ERR(b);
	set = !!(b->data[bit / 8] & (1 << (bit % 8)));
	brelse(b);
	return set;
}

/* Defer freeing bit of group g's map; false if it is free or deferred already. */
static bool defer(struct super_block *sb, uint32_t g, bool inodes, uint32_t bit)
{
	struct ext2_info *e = EXT2(sb);
	struct ext2_group_desc *d = &e->gd[g];
	uint8_t *map = deferred_map(e, g, inodes);

	if (!e->deferred || (map[bit / 8] & (1 << (bit % 8))) ||
	    bit_is_set(sb, inodes ? d->bg_inode_bitmap : d->bg_block_bitmap, bit) != 1)
		return false;
	map[bit / 8] |= 1 << (bit % 8);
	e->ndeferred++;
	return true;
}

/* Clear in bitmap block blk every bit set in map (n bytes); how many. */
static int clear_bits(struct super_block *sb, uint32_t blk, uint8_t *map, uint32_t n)
{
	struct buf *b = ext2_bread(sb, blk);
	int cleared = 0;

	if (IS_ERR(b))
		return PTR_ERR(b);
	for (uint32_t i = 0; i < n; i++) {
		for (uint8_t m = map[i]; m; m &= m - 1)
			cleared++;
		b->data[i] &= ~map[i];
		map[i] = 0;
	}
	bdirty(b);
	brelse(b);
	return cleared;
}


int ext2_apply_frees(struct super_block *sb)
{
	struct ext2_info *e = EXT2(sb);
	struct ext2_super *s = ext2_super(sb);

	if (!e->ndeferred)
		return 0;
	for (uint32_t g = 0; g < e->groups; g++) {
		struct ext2_group_desc *d = &e->gd[g];
		uint8_t *bm = deferred_map(e, g, false), *im = deferred_map(e, g, true);
		int n;

		if (!mem_is_zero(bm, e->bstride)) {
			if ((n = clear_bits(sb, d->bg_block_bitmap, bm, e->bstride)) < 0)
				return n;
			d->bg_free_blocks_count += n;
			s->s_free_blocks_count += n;
			e->ndeferred -= n;
		}
		if (!mem_is_zero(im, e->istride)) {
			if ((n = clear_bits(sb, d->bg_inode_bitmap, im, e->istride)) < 0)
				return n;
			d->bg_free_inodes_count += n;
			s->s_free_inodes_count += n;
			e->ndeferred -= n;
		}
		counts_changed(sb);
	}
	KASSERT(e->ndeferred == 0);
	return 0;
}

/*
 * The disk is full but frees are waiting: write every inode record and
 * commit, so that the freed blocks and inodes can be had. Every state an
 * operation leaves in memory between two calls into ext2 is one the disk
 * may hold (docs/ext2.md, "Write ordering"), so this is safe mid-way.
 */
static bool commit_for_room(struct super_block *sb)
{
	if (!EXT2(sb)->ndeferred)
		return false;
	iwrite_all(sb);
	return ext2_commit(sb) == 0;
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
retry:
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
	if (commit_for_room(sb))
		goto retry;
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
	    !defer(sb, g, false, (blk - e->first_data) % e->bpg)) {
		printk(KERN_WARNING "ext2: %s: freeing free or bad block %u\n", sb->dev->name, blk);
		return;
	}
	bforget(sb->dev, blk, e->bs);	/* no stale metadata copy may be written over it */
}

int ext2_ialloc(struct super_block *sb, uint32_t dir_ino, bool is_dir, uint32_t *out)
{
	struct ext2_info *e = EXT2(sb);
	uint32_t g0 = dir_ino ? (dir_ino - 1) / e->ipg : 0;

	if (sb->readonly)
		return -EROFS;
retry:
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
	if (commit_for_room(sb))
		goto retry;
	return -ENOSPC;
}

void ext2_ifree(struct super_block *sb, uint32_t ino, bool is_dir)
{
	struct ext2_info *e = EXT2(sb);
	uint32_t g = (ino - 1) / e->ipg;

	if (ino < 1 || ino > e->inodes_count || !defer(sb, g, true, (ino - 1) % e->ipg)) {
		printk(KERN_WARNING "ext2: %s: freeing free inode %u\n", sb->dev->name, ino);
		return;
	}
	e->gd[g].bg_used_dirs_count -= is_dir;	/* a count e2fsck takes from the records */
	counts_changed(sb);
}

int ext2_write_super(struct super_block *sb)
{
	ext2_super(sb)->s_wtime = time_now();
	return blk_write(sb->dev, EXT2_SUPER_OFFSET / SECTOR_SIZE, 2, EXT2(sb)->super) < 0 ? -EIO : 0;
}

int ext2_commit(struct super_block *sb)
{
	struct ext2_info *e = EXT2(sb);
	int r;

	if (sb->readonly)
		return 0;
	if (bsync(sb->dev) < 0)		/* the records that let go of what is freed */
		return -EIO;
	if ((r = ext2_apply_frees(sb)) < 0)
		return r;
	if (e->meta_dirty) {
		for (uint32_t i = 0; i < e->gd_blocks; i++) {
			struct buf *b = ext2_bread(sb, e->first_data + 1 + i);
			if (IS_ERR(b))
				return PTR_ERR(b);
			memcpy(b->data, (uint8_t *)e->gd + i * e->bs, e->bs);
			bdirty(b);
			brelse(b);
		}
		if (ext2_write_super(sb) < 0)
			return -EIO;
		e->meta_dirty = false;
	}
	return bsync(sb->dev);
}
