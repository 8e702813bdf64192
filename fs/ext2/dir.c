/*
 * fs/ext2/dir.c: ext2 directories: a file of variable-length records,
 * each { inode, rec_len, name_len, file_type, name }. rec_len links a
 * record to the next; the last record of a block runs to its end; a
 * record with inode 0 is free space. Every record is checked before it is
 * trusted: rec_len at least the header and its name, a multiple of 4, and
 * inside the block; a bad one makes the operation fail with -EIO.
 *
 * Changing a directory clears its htree index flag (EXT2_INDEX_FL): the
 * index blocks stay valid as plain records, and e2fsck is content.
 *
 * Two rules keep a directory whole when the machine stops mid-write
 * (docs/ext2.md, "Write ordering"):
 *  - No record Pagoda lays out crosses a 512-byte boundary of its block
 *    (a DIR_CHUNK, as in BSD's FFS). A disk writes a sector whole or not
 *    at all, but a block of several sectors may land half old, half new;
 *    with every chunk self-contained, any mix is still a valid directory.
 *  - A new name is on disk before anything counts it: adding an entry
 *    writes its block at once, and a new block of a growing directory is
 *    written, then the pointers to it and the directory's size.
 * Removing a name just marks the block dirty: the caller has already
 * written the lower link count (namei.c).
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"

#define DIR_CHUNK	512	/* a sector: no record crosses its end */

/* Called for each record; returns non-zero to stop the walk with that value. */
typedef int (*dirent_fn)(struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
			 uint32_t pos, void *arg);

/* Only called with off + EXT2_DIRENT_HDR <= bs: the header is inside the block. */
static bool record_ok(const struct ext2_dirent *de, uint32_t off, uint32_t bs)
{
	return de->rec_len >= EXT2_DIRENT_HDR && !(de->rec_len & 3) &&
	       off + de->rec_len <= bs && de->rec_len >= EXT2_REC_LEN(de->name_len);
}

/* Walk every record from byte pos on; -EIO on a corrupt one, else fn's value or 0. */
static int dir_walk(struct inode *dir, uint32_t pos, dirent_fn fn, void *arg)
{
	uint32_t bs = EXT2(dir->sb)->bs;

	for (uint32_t fb = pos / bs; fb < dir->size / bs; fb++) {
		struct ext2_dirent *prev = NULL;
		uint32_t blk, off = 0;
		struct buf *b;
		int r = ext2_bmap(dir, fb, false, &blk);

		if (r < 0 || blk == 0)
			return -EIO;		/* directories have no holes */
		b = ext2_bread(dir->sb, blk);
		if (IS_ERR(b))
			return PTR_ERR(b);
		for (; off < bs; off += prev->rec_len) {
			struct ext2_dirent *de = (void *)(b->data + off);
			if (off + EXT2_DIRENT_HDR > bs || !record_ok(de, off, bs)) {
				printk(KERN_WARNING "ext2: %s: directory %u block %u: bad record at %u\n",
				       dir->sb->dev->name, dir->ino, fb, off);
				brelse(b);
				return -EIO;
			}
			if (fb * bs + off >= pos && (r = fn(b, de, prev, fb * bs + off, arg)) != 0) {
				brelse(b);
				return r;
			}
			prev = de;
		}
		brelse(b);
	}
	return 0;
}

struct find {
	const char *name;
	size_t len;
	uint32_t ino;
};

static int match(struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
		 uint32_t pos, void *arg)
{
	struct find *f = arg;

	(void)b, (void)prev, (void)pos;
	if (de->inode && de->name_len == f->len && !memcmp(de->name, f->name, f->len)) {
		f->ino = de->inode;
		return 1;
	}
	return 0;
}

int ext2_lookup(struct inode *dir, const char *name, size_t len, uint32_t *ino)
{
	struct find f = { name, len, 0 };
	int r;

	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	if ((r = dir_walk(dir, 0, match, &f)) < 0)
		return r;
	if (!r)
		return -ENOENT;
	if (f.ino > EXT2(dir->sb)->inodes_count)
		return -EIO;
	*ino = f.ino;
	return 0;
}

struct next {
	struct vfs_dirent *de;
	uint32_t pos;
};

static int take(struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
		uint32_t pos, void *arg)
{
	struct next *n = arg;

	(void)b, (void)prev;
	if (!de->inode)
		return 0;
	n->de->ino = de->inode;
	n->de->type = de->file_type;
	n->de->name_len = de->name_len;
	memcpy(n->de->name, de->name, de->name_len);
	n->de->name[de->name_len] = '\0';
	n->pos = pos + de->rec_len;
	return 1;
}

int ext2_readdir(struct inode *dir, uint32_t *pos, struct vfs_dirent *de)
{
	struct next n = { de, 0 };
	int r = dir_walk(dir, *pos, take, &n);

	if (r > 0)
		*pos = n.pos;
	return r;
}

static uint8_t file_type(uint16_t mode)
{
	return S_ISDIR(mode) ? EXT2_FT_DIR : S_ISREG(mode) ? EXT2_FT_REG :
	       S_ISCHR(mode) ? EXT2_FT_CHR : EXT2_FT_UNKNOWN;
}

static void fill(struct ext2_dirent *de, struct inode *ip, const char *name, size_t len,
		 bool filetype)
{
	de->inode = ip->ino;
	de->name_len = len;
	de->file_type = filetype ? file_type(ip->mode) : 0;
	memcpy(de->name, name, len);
}

struct space {
	const char *name;
	size_t len;
	struct inode *ip;
	bool filetype;
};

/*
 * Put the new record in the slack of this one, if it fits, and write the
 * block at once. The slack ends where the record does, so the new record
 * stays inside its chunk. If the write fails, the block is put back.
 */
static int place(struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
		 uint32_t pos, void *arg)
{
	struct space *s = arg;
	struct ext2_dirent *n = de;
	uint32_t used = de->inode ? EXT2_REC_LEN(de->name_len) : 0, old = de->rec_len;

	(void)prev, (void)pos;
	if (de->rec_len - used < EXT2_REC_LEN(s->len))
		return 0;
	if (used) {
		n = (void *)((uint8_t *)de + used);
		n->rec_len = de->rec_len - used;
		de->rec_len = used;
	}
	fill(n, s->ip, s->name, s->len, s->filetype);
	bdirty(b);
	if (bwrite(b) < 0) {
		if (used)
			de->rec_len = old;	/* the new record is slack again */
		else
			de->inode = 0;
		return -EIO;
	}
	return 1;
}

/* Lay out an empty block: one free record per chunk. */
static void empty_block(uint8_t *data, uint32_t bs)
{
	memset(data, 0, bs);
	for (uint32_t off = 0; off < bs; off += DIR_CHUNK)
		((struct ext2_dirent *)(data + off))->rec_len = DIR_CHUNK;
}

/*
 * Block fb of dir, allocated, laid out empty, referenced, not yet written;
 * ERR_PTR on failure. Nothing is read: the block is new.
 */
static struct buf *fresh_block(struct inode *dir, uint32_t fb)
{
	uint32_t blk;
	struct buf *b;
	int r = ext2_bmap(dir, fb, true, &blk);

	if (r < 0)
		return ERR_PTR(r);
	b = bget(dir->sb->dev, blk, EXT2(dir->sb)->bs);
	if (IS_ERR(b)) {
		ext2_trim(dir, fb, fb + 1);
		return b;
	}
	empty_block(b->data, EXT2(dir->sb)->bs);
	return b;
}

/* Write new block fb of dir (b) at once; on failure give it back. */
static int write_fresh(struct inode *dir, uint32_t fb, struct buf *b)
{
	int r = bwrite(b);

	brelse(b);
	if (r < 0)
		ext2_trim(dir, fb, fb + 1);
	return r;
}

/*
 * Grow dir by one block whose first record is ip's: the block reaches the
 * disk first, then what points at it and the directory's new size. Should
 * that second write fail, the entry stays in memory and goes out later.
 */
static int append_block(struct inode *dir, struct space *s)
{
	uint32_t fb = dir->size / EXT2(dir->sb)->bs;
	struct buf *b = fresh_block(dir, fb);
	int r;

	if (IS_ERR(b))
		return PTR_ERR(b);
	fill((void *)b->data, s->ip, s->name, s->len, s->filetype);
	bdirty(b);
	if ((r = write_fresh(dir, fb, b)) < 0)
		return r;
	dir->size += EXT2(dir->sb)->bs;
	imark_dirty(dir);
	if (ext2_write_path(dir, fb) < 0)
		printk(KERN_WARNING "ext2: %s: directory %u: could not write its new block's "
		       "pointers yet\n", dir->sb->dev->name, dir->ino);
	return 0;
}

/* A directory changed: its htree index (if any) is stale now; times; dirty. */
static void dir_changed(struct inode *dir)
{
	EXT2_I(dir)->flags &= ~EXT2_INDEX_FL;
	dir->mtime = dir->ctime = time_now();
	imark_dirty(dir);
}

int ext2_add_entry(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
	struct space s = { name, len, ip, EXT2(dir->sb)->filetype };
	int r;

	if (len == 0 || len > EXT2_NAME_LEN)
		return len ? -ENAMETOOLONG : -EINVAL;
	if ((r = dir_walk(dir, 0, place, &s)) < 0)
		return r;
	if (r == 0 && (r = append_block(dir, &s)) < 0)
		return r;
	dir_changed(dir);
	return 0;
}

static int drop(struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
		uint32_t pos, void *arg)
{
	struct find *f = arg;

	if (!de->inode || de->name_len != f->len || memcmp(de->name, f->name, f->len))
		return 0;
	if (prev && pos % DIR_CHUNK)
		prev->rec_len += de->rec_len;	/* merge into the record before */
	else
		de->inode = 0;			/* first in its chunk: mark it free */
	bdirty(b);
	return 1;
}

int ext2_remove_entry(struct inode *dir, const char *name, size_t len)
{
	struct find f = { name, len, 0 };
	int r = dir_walk(dir, 0, drop, &f);

	if (r < 0)
		return r;
	if (r == 0)
		return -ENOENT;
	dir_changed(dir);
	return 0;
}

int ext2_dir_init(struct inode *dir, struct inode *parent)
{
	uint32_t bs = EXT2(dir->sb)->bs;
	bool ft = EXT2(dir->sb)->filetype;
	struct ext2_dirent *dot, *dotdot;
	struct buf *b = fresh_block(dir, 0);
	int r;

	if (IS_ERR(b))
		return PTR_ERR(b);
	dot = (void *)b->data;
	fill(dot, dir, ".", 1, ft);
	dot->rec_len = EXT2_REC_LEN(1);
	dotdot = (void *)(b->data + dot->rec_len);
	fill(dotdot, parent, "..", 2, ft);
	dotdot->rec_len = DIR_CHUNK - dot->rec_len;
	bdirty(b);
	if ((r = write_fresh(dir, 0, b)) < 0)	/* before the record that points at it */
		return r;
	dir->size = bs;
	imark_dirty(dir);
	return 0;
}
