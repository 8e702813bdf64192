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
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"

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

/* Put the new record in the slack of this one, if it fits. */
static int place(struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
		 uint32_t pos, void *arg)
{
	struct space *s = arg;
	uint32_t used = de->inode ? EXT2_REC_LEN(de->name_len) : 0;

	(void)prev, (void)pos;
	if (de->rec_len - used < EXT2_REC_LEN(s->len))
		return 0;
	if (used) {
		struct ext2_dirent *n = (void *)((uint8_t *)de + used);
		n->rec_len = de->rec_len - used;
		de->rec_len = used;
		de = n;
	}
	fill(de, s->ip, s->name, s->len, s->filetype);
	bdirty(b);
	return 1;
}

/* Block fb of dir, allocated if need be, zeroed and referenced; ERR_PTR on failure. */
static struct buf *fresh_block(struct inode *dir, uint32_t fb)
{
	uint32_t blk;
	struct buf *b;
	int r = ext2_bmap(dir, fb, true, &blk);

	if (r < 0)
		return ERR_PTR(r);
	b = ext2_bread(dir->sb, blk);
	if (!IS_ERR(b))
		memset(b->data, 0, EXT2(dir->sb)->bs);
	return b;
}

/* Grow dir by one block holding a single record for ip. */
static int append_block(struct inode *dir, struct space *s)
{
	uint32_t bs = EXT2(dir->sb)->bs;
	struct ext2_dirent *de;
	struct buf *b = fresh_block(dir, dir->size / bs);

	if (IS_ERR(b))
		return PTR_ERR(b);
	de = (void *)b->data;
	de->rec_len = bs;
	fill(de, s->ip, s->name, s->len, s->filetype);
	bdirty(b);
	brelse(b);
	dir->size += bs;
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

	(void)pos;
	if (!de->inode || de->name_len != f->len || memcmp(de->name, f->name, f->len))
		return 0;
	if (prev)
		prev->rec_len += de->rec_len;	/* merge into the record before */
	else
		de->inode = 0;			/* first in its block: mark it free */
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

	if (IS_ERR(b))
		return PTR_ERR(b);
	dot = (void *)b->data;
	fill(dot, dir, ".", 1, ft);
	dot->rec_len = EXT2_REC_LEN(1);
	dotdot = (void *)(b->data + dot->rec_len);
	fill(dotdot, parent, "..", 2, ft);
	dotdot->rec_len = bs - dot->rec_len;
	bdirty(b);
	brelse(b);
	dir->size = bs;
	imark_dirty(dir);
	return 0;
}
