/*
 * fs/ext2/namei.c: making and removing names: a new inode linked into a
 * directory, another link, an unlink. (The VFS checks what each operation
 * needs and keeps its link counts; these change the disk.)
 *
 * Invariant, on disk at every moment: an inode's link count is no higher
 * than the number of entries that name it. A stop between two writes then
 * leaves a count too low, or an entry naming a deleted inode, which
 * e2fsck -p fixes; never an in-use inode no entry names, which it will
 * not fix without asking. So a new name reaches the disk before the count
 * that includes it (ext2_add_entry writes at once), and a lowered count
 * before the name goes (ext2_unlink writes the record at once).
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/printk.h"

int ext2_create(struct inode *dir, const char *name, size_t len, uint16_t mode,
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
	/* the name first: until ip's record is written, it names a free inode */
	if ((r = ext2_add_entry(dir, name, len, ip)) < 0)
		goto undo;
	if (S_ISDIR(mode) && (r = ext2_dir_init(ip, dir)) < 0) {
		ip->nlink = 0;
		if (ext2_unlink(dir, name, len, ip) < 0)
			printk(KERN_WARNING "ext2: %s: could not take back the name of a failed "
			       "mkdir; e2fsck will\n", dir->sb->dev->name);
		goto undo;
	}
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

int ext2_link(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
	if (dir->sb->readonly)
		return -EROFS;
	return ext2_add_entry(dir, name, len, ip);
}

int ext2_unlink(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
	int r;

	if (dir->sb->readonly)
		return -EROFS;
	if ((r = ext2_write_record(ip, true)) < 0)	/* the lowered count first */
		return r;
	return ext2_remove_entry(dir, name, len);
}
