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
#include "fs/dcache.h"
#include "kernel/arch/memlayout.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "mm/reclaim.h"
#include "mm/slab.h"

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

/* Inode ino's on-disk record, inside its buffer *bp (brelse it); ERR_PTR on failure. */
static struct ext2_inode *record_of(struct super_block *sb, uint32_t ino, struct buf **bp)
{
	uint32_t blk, off;

	if (inode_location(sb, ino, &blk, &off) < 0)
		return ERR_PTR(-EIO);
	*bp = ext2_bread(sb, blk);
	if (IS_ERR(*bp))
		return ERR_PTR(PTR_ERR(*bp));
	return (struct ext2_inode *)((*bp)->data + off);
}

int ext2_read_inode(struct inode *ip)
{
	struct buf *b;
	struct ext2_inode *d = record_of(ip->sb, ip->ino, &b);

	if (IS_ERR(d))
		return PTR_ERR(d);
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
	struct buf *b;
	struct ext2_inode *d = record_of(sb, ino, &b);

	if (IS_ERR(d))
		return PTR_ERR(d);
	memset(d, 0, EXT2(sb)->isz);	/* the extra fields and in-inode xattrs too */
	bdirty(b);
	brelse(b);
	return 0;
}

int ext2_write_record(struct inode *ip, bool now)
{
	struct buf *b;
	struct ext2_inode *d = record_of(ip->sb, ip->ino, &b);
	int r;

	if (IS_ERR(d))
		return PTR_ERR(d);
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
	r = now ? bwrite(b) : 0;
	brelse(b);
	return r;
}

int ext2_write_inode(struct inode *ip)
{
	return ext2_write_record(ip, false);
}

/* --- inodes in memory ------------------------------------------------------- */

static struct kmem_cache *inode_cache;	/* struct ext2_inode_info */

/*
 * Relocation (docs/slab-relocation.md): the inode cache and the dcache
 * decide whether an inode may move and fix their pointers to it; ext2 adds
 * the orphan link, the one pointer of its own.
 */
static bool inode_isolate_ei(void *obj)
{
	struct inode *ip = &((struct ext2_inode_info *)obj)->vfs;

	return !d_aliases_held(ip) && inode_isolate(ip);
}

static void inode_putback_ei(void *obj)
{
	inode_putback(&((struct ext2_inode_info *)obj)->vfs);
}

static int inode_migrate_ei(void *obj, void *to_obj)
{
	struct ext2_inode_info *ei = obj, *to = to_obj;

	memcpy(to, ei, sizeof(*to));
	inode_moved(&to->vfs, &ei->vfs);
	d_aliases_moved(&to->vfs);
	list_moved(&to->orphan, &ei->orphan);
	memset(ei, 0, sizeof(*ei));	/* a stale pointer faults loudly */
	return KMEM_MOVED;
}

static const struct kmem_mover inode_mover = {
	.isolate = inode_isolate_ei,
	.putback = inode_putback_ei,
	.migrate = inode_migrate_ei,
};

struct inode *ext2_relocate_inode(struct inode *ip)
{
	struct ext2_inode_info *to = kmem_cache_relocate(inode_cache, EXT2_I(ip));

	return to ? &to->vfs : NULL;
}

uint32_t ext2_evacuate_inodes(void)
{
	return inode_cache ? kmem_cache_evacuate(inode_cache, 0) : 0;
}

/* Reclaim's view: the free slots among live inodes, under a policy that moves. */
static uint32_t inode_holes(void)
{
	if (!inode_cache || dcache_shrink_policy == DSHRINK_LRU)
		return 0;
	return inode_cache->total_objs - inode_cache->active_objs;
}

static uint32_t inode_evacuate(uint32_t nr)
{
	(void)nr;
	ext2_evacuate_inodes();
	return 0;			/* no inode freed: pages, which reclaim counts */
}

/* After the VFS's icache shrinker has pruned unused inodes by age (fs/ before
   fs/ext2/ in the link, so in the shrinker table), pack what is left. */
SHRINKER(ext2_inodes, inode_holes, inode_evacuate);

struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode_info *ei;

	(void)sb;
	if (!inode_cache) {
		if (!(inode_cache = kmem_cache_create("ext2_inode", sizeof(*ei), 0, NULL, 0)))
			return NULL;
		if (kmem_cache_set_mover(inode_cache, &inode_mover) < 0)
			panic("ext2: the inode cache cannot take a mover");
	}
	if (!(ei = kmem_cache_alloc(inode_cache)))
		return NULL;
	memset(ei, 0, sizeof(*ei));
	list_init(&ei->orphan);
	return &ei->vfs;
}

void ext2_destroy_inode(struct inode *ip)
{
	KASSERT(list_empty(&EXT2_I(ip)->orphan));
	kmem_cache_free(inode_cache, EXT2_I(ip));
}

/* --- the block map ---------------------------------------------------------- */

/*
 * Zero a newly allocated indirect block on disk, so that it reads as all
 * holes, before anything that points at it can reach the disk.
 */
static int zero_block(struct super_block *sb, uint32_t blk)
{
	struct buf *b = bget(sb->dev, blk, EXT2(sb)->bs);
	int r;

	if (IS_ERR(b))
		return PTR_ERR(b);
	memset(b->data, 0, EXT2(sb)->bs);
	bdirty(b);
	r = bwrite(b);
	brelse(b);
	return r;
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
	if (*slot == 0 && alloc && (r = ext2_alloc_block(ip->sb, blk, slot)) == 0) {
		if (new_is_indirect && (r = zero_block(ip->sb, *slot)) < 0) {
			ext2_free_block(ip->sb, *slot);	/* never link a block of garbage */
			*slot = 0;
		} else {
			EXT2_I(ip)->nsectors += EXT2(ip->sb)->bs / SECTOR_SIZE;
			bdirty(b);
		}
	}
	if (*slot && !ext2_valid_block(ip->sb, *slot))
		r = -EIO;
	*out = *slot;
	brelse(b);
	return r;
}

/* ext2_bmap, noting in path[] (if not NULL) the indirect blocks it went through. */
static int walk(struct inode *ip, uint32_t fb, bool alloc, uint32_t *out, uint32_t path[3],
		uint32_t *depth)
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
		uint32_t *slot = &EXT2_I(ip)->blocks[root];
		if ((r = ext2_alloc_block(ip->sb, 0, slot)) < 0)
			return r;
		if (level > 0 && (r = zero_block(ip->sb, *slot)) < 0) {
			ext2_free_block(ip->sb, *slot);
			*slot = 0;
			return r;
		}
		EXT2_I(ip)->nsectors += EXT2(ip->sb)->bs / SECTOR_SIZE;
		imark_dirty(ip);
	}
	cur = EXT2_I(ip)->blocks[root];
	if (cur && !ext2_valid_block(ip->sb, cur))
		return -EIO;
	span = 1;
	for (uint32_t i = 1; i < level; i++)
		span *= per;
	for (; level > 0 && cur; level--, span /= per) {
		if (path)
			path[(*depth)++] = cur;
		if ((r = indirect(ip, cur, (fb / span) % per, alloc, level > 1, &cur)) < 0)
			return r;
	}
	*out = cur;
	return 0;
}

int ext2_bmap(struct inode *ip, uint32_t fb, bool alloc, uint32_t *out)
{
	return walk(ip, fb, alloc, out, NULL, NULL);
}

int ext2_write_path(struct inode *ip, uint32_t fb)
{
	uint32_t path[3], depth = 0, blk;
	int r = walk(ip, fb, false, &blk, path, &depth);

	while (r == 0 && depth > 0) {	/* the deepest first: each before what points at it */
		struct buf *b = ext2_bread(ip->sb, path[--depth]);
		if (IS_ERR(b))
			return PTR_ERR(b);
		if (b->flags & B_DIRTY)
			r = bwrite(b);
		brelse(b);
	}
	return r < 0 ? r : ext2_write_record(ip, true);
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

#define READ_RUN	(64 * 1024)	/* bytes one request of readpages may read */

static int read_blocks(struct inode *ip, const uint32_t *blk, uint32_t from, uint32_t to,
		       void **pages, uint8_t *bounce);

/* Is file block fb the first one an indirect block (single, or the first
   under a double or triple indirect one) maps? */
static bool starts_indirect(const struct ext2_info *e, uint32_t fb)
{
	uint32_t apb = e->bs / 4;

	if (fb < EXT2_NDIR_BLOCKS)
		return false;
	fb -= EXT2_NDIR_BLOCKS;
	if (fb < apb)
		return fb == 0;
	fb -= apb;
	return fb % apb == 0;		/* each single indirect block under the double */
}

/*
 * Many pages at once (exec's prefetch): map every block, then read each run
 * of blocks that lie one after another on the disk with one request, into
 * a bounce buffer (the pages are not contiguous in memory), and copy out.
 * Without a bounce buffer, one request a block.
 */
int ext2_readpages(struct inode *ip, uint32_t first, uint32_t n, void **pages)
{
	struct ext2_info *e = EXT2(ip->sb);
	uint32_t per_page = PGSIZE / e->bs, nb = n * per_page, *blk = kmalloc(nb * sizeof(uint32_t));
	uint8_t *bounce = kmalloc(READ_RUN);
	int r = 0;

	if (!blk) {
		kfree(bounce);
		return -ENOMEM;
	}
	/* Map and read in stretches that end before a block whose mapping needs
	   an indirect block not read yet: ext2 puts each indirect block just
	   before the data it maps, so reading it only after the data before it
	   keeps every request moving forward on the disk. */
	for (uint32_t from = 0, to; from < nb && r == 0; from = to) {
		for (to = from; to < nb && r == 0; to++) {
			uint32_t fb = first * per_page + to;
			if (to > from && starts_indirect(e, fb))
				break;
			blk[to] = 0;		/* past the end, or a hole: zeros */
			if ((uint64_t)fb * e->bs < ip->size)
				r = ext2_bmap(ip, fb, false, &blk[to]);
		}
		if (r == 0)
			r = read_blocks(ip, blk, from, to, pages, bounce);
	}
	kfree(bounce);
	kfree(blk);
	return r;
}

/* Read blocks [from, to) of a readpages batch (disk addresses in blk). */
static int read_blocks(struct inode *ip, const uint32_t *blk, uint32_t from, uint32_t to,
		       void **pages, uint8_t *bounce)
{
	struct ext2_info *e = EXT2(ip->sb);
	uint32_t per_page = PGSIZE / e->bs, spb = e->bs / SECTOR_SIZE, max = READ_RUN / e->bs;
	uint32_t nb = to;
	int r = 0;

	for (uint32_t b = from, len; b < nb && r == 0; b += len) {
		uint8_t *to = (uint8_t *)pages[b / per_page] + (b % per_page) * e->bs;
		if (blk[b] == 0) {
			memset(to, 0, e->bs);
			len = 1;
			continue;
		}
		for (len = 1; bounce && b + len < nb && len < max && blk[b + len] == blk[b] + len;)
			len++;
		if (!bounce || len == 1) {
			r = blk_read(ip->sb->dev, blk[b] * spb, spb, to) < 0 ? -EIO : 0;
			continue;
		}
		if (blk_read(ip->sb->dev, blk[b] * spb, len * spb, bounce) < 0) {
			r = -EIO;
			break;
		}
		for (uint32_t k = 0; k < len; k++)
			memcpy((uint8_t *)pages[(b + k) / per_page] + ((b + k) % per_page) * e->bs,
			       bounce + k * e->bs, e->bs);
	}
	return r;
}

int ext2_writepage(struct inode *ip, uint32_t index, const void *page, uint32_t bytes)
{
	struct ext2_info *e = EXT2(ip->sb);
	uint32_t per_page = PGSIZE / e->bs, spb = e->bs / SECTOR_SIZE;

	if (ip->sb->readonly)
		return -EROFS;
	for (uint32_t i = 0; i < per_page && i * e->bs < bytes; i++) {
		const uint8_t *from = (const uint8_t *)page + i * e->bs;
		uint32_t blk;
		int r = ext2_bmap(ip, index * per_page + i, false, &blk);

		/* zeros over a hole change nothing a read can see: leave the hole
		   (a page written in place, as the working-set bitmap is, must not
		   allocate blocks for the parts it did not touch) */
		if (r == 0 && blk == 0 && mem_is_zero(from, e->bs))
			continue;
		if (r == 0 && blk == 0)
			r = ext2_bmap(ip, index * per_page + i, true, &blk);
		if (r < 0)
			return r;
		if (blk_write(ip->sb->dev, blk * spb, spb, from) < 0)
			return -EIO;
	}
	return 0;
}

/*
 * Allocate the blocks under the first bytes of page index, all or none:
 * if one cannot be had (a full disk, no memory for an indirect block),
 * the ones this call did allocate are given back, so that a failed write
 * leaves no block the file's size does not account for.
 */
int ext2_prepare_write(struct inode *ip, uint32_t index, uint32_t bytes)
{
	struct ext2_info *e = EXT2(ip->sb);
	uint32_t per_page = PGSIZE / e->bs, first = index * per_page, fresh = 0, blk;
	int r = 0;

	if (ip->sb->readonly)
		return -EROFS;
	for (uint32_t i = 0; i < per_page && i * e->bs < bytes; i++) {
		if ((r = ext2_bmap(ip, first + i, false, &blk)) < 0)
			break;
		if (blk)
			continue;
		fresh |= 1u << i;		/* a hole, or past the end: ours to fill */
		if ((r = ext2_bmap(ip, first + i, true, &blk)) < 0)
			break;
	}
	if (r < 0)
		for (uint32_t i = 0; fresh >> i; i++)
			if (fresh & (1u << i))
				ext2_trim(ip, first + i, first + i + 1);
	return r;
}

/*
 * Free the blocks of the subtree under indirect block blk (depth levels
 * of indirection) that hold file blocks in [first, last) (relative to the
 * subtree's start). Returns 1 if nothing is left under blk, so the caller
 * frees blk and clears its pointer.
 */
static int trim_tree(struct inode *ip, uint32_t blk, uint32_t depth, uint32_t first,
		     uint32_t last)
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
		if (start + span <= first || start >= last) {	/* entirely kept */
			all = 0;
			continue;
		}
		if (depth > 1 && !trim_tree(ip, slot[i], depth - 1, first > start ? first - start : 0,
					    MIN(last - start, span))) {
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

void ext2_trim(struct inode *ip, uint32_t first, uint32_t last)
{
	uint32_t bs = EXT2(ip->sb)->bs, per = bs / 4, spb = bs / SECTOR_SIZE;
	uint32_t start = EXT2_NDIR_BLOCKS, span = per;

	for (uint32_t i = first; i < MIN(last, (uint32_t)EXT2_NDIR_BLOCKS); i++)
		if (EXT2_I(ip)->blocks[i]) {
			ext2_free_block(ip->sb, EXT2_I(ip)->blocks[i]);
			EXT2_I(ip)->nsectors -= spb;
			EXT2_I(ip)->blocks[i] = 0;
		}
	for (uint32_t depth = 1; depth <= 3 && start < last; depth++, start += span, span *= per) {
		uint32_t *root = &EXT2_I(ip)->blocks[EXT2_IND_BLOCK + depth - 1];
		if (*root && start + span > first &&
		    trim_tree(ip, *root, depth, first > start ? first - start : 0,
			      MIN(last - start, span))) {
			ext2_free_block(ip->sb, *root);
			EXT2_I(ip)->nsectors -= spb;
			*root = 0;
		}
	}
	imark_dirty(ip);
	ext2_write_record(ip, false);	/* into its buffer: committed before the frees */
}

int ext2_truncate(struct inode *ip, uint32_t size)
{
	uint32_t bs = EXT2(ip->sb)->bs;

	if (ext2_has_blocks(ip))	/* else i_block holds a device number, not blocks */
		ext2_trim(ip, (size + bs - 1) / bs, 0xffffffffu);
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

/* --- orphans ------------------------------------------------------------------ */

/*
 * An orphan is an inode with no links left that is still in use (an open
 * file, a running program, a current directory). Its blocks must go with
 * its last reference, and if the machine stops first, at the next mount.
 * So, as ext3 does, orphans are chained on disk: s_last_orphan names the
 * newest, and each orphan's i_dtime names the next. The inode is written
 * before the super block points at it, so a crash between the two leaves
 * at worst an orphan the list misses, which e2fsck -p frees. In memory,
 * ext2_info->orphans mirrors the chain, newest first.
 */
int ext2_orphan(struct inode *ip)
{
	struct ext2_inode_info *ei = EXT2_I(ip);
	struct ext2_super *s = ext2_super(ip->sb);
	int r;

	if (ip->sb->readonly || !list_empty(&ei->orphan))
		return 0;
	ip->dtime = s->s_last_orphan;		/* the next orphan */
	if ((r = ext2_write_record(ip, true)) < 0)
		return r;
	s->s_last_orphan = ip->ino;
	list_add(&ei->orphan, &EXT2(ip->sb)->orphans);
	return ext2_write_super(ip->sb);
}

/* Take ip off the orphan list: whoever points at it points at its successor. */
static void orphan_remove(struct inode *ip)
{
	struct ext2_inode_info *ei = EXT2_I(ip);
	struct list_head *head = &EXT2(ip->sb)->orphans;

	if (list_empty(&ei->orphan))
		return;
	if (head->next == &ei->orphan) {
		ext2_super(ip->sb)->s_last_orphan = ip->dtime;
		ext2_write_super(ip->sb);
	} else {
		struct inode *prev = &list_entry(ei->orphan.prev, struct ext2_inode_info, orphan)->vfs;
		prev->dtime = ip->dtime;
		ext2_write_record(prev, true);
	}
	list_del(&ei->orphan);
}

/* Free ip's blocks and the inode itself: its last link and reference are gone. */
static void free_inode(struct inode *ip)
{
	release_xattr_block(ip);
	ext2_truncate(ip, 0);
	ip->nlink = 0;
	ip->dtime = time_now();
	ext2_write_record(ip, false);
	ext2_ifree(ip->sb, ip->ino, S_ISDIR(ip->mode));
}

int ext2_evict(struct inode *ip)
{
	if (ip->sb->readonly)
		return -EROFS;
	orphan_remove(ip);
	free_inode(ip);
	return 0;
}

uint32_t ext2_orphan_cleanup(struct super_block *sb)
{
	struct ext2_super *s = ext2_super(sb);
	uint32_t ino = s->s_last_orphan, freed = 0, steps = 0;

	while (ino && steps++ < EXT2(sb)->inodes_count) {	/* a corrupt chain may loop */
		struct inode *ip = ext2_alloc_inode(sb);	/* not in the inode cache */
		uint32_t next;

		if (!ip)
			break;
		ip->sb = sb;
		ip->ino = ino;
		if (ext2_read_inode(ip) < 0) {
			ext2_destroy_inode(ip);
			break;
		}
		next = ip->dtime;
		if (ip->mode && ip->nlink == 0) {	/* still an orphan: finish it */
			free_inode(ip);
			freed++;
		}
		ext2_destroy_inode(ip);
		ino = next;
	}
	s->s_last_orphan = 0;
	ext2_write_super(sb);
	ext2_commit(sb);		/* the records, then the frees they allow */
	return freed;
}
