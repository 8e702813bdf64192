/*
 * fs/ext2/namei.c: making and removing names: a new inode linked into a
 * directory, another link, an unlink. (The VFS checks what each operation
 * needs and keeps its link counts; these change the disk.)
 */
#include "fs/ext2/ext2_internal.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"

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

int ext2_link(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
	if (dir->sb->readonly)
		return -EROFS;
	return ext2_add_entry(dir, name, len, ip);
}

int ext2_unlink(struct inode *dir, const char *name, size_t len)
{
	if (dir->sb->readonly)
		return -EROFS;
	return ext2_remove_entry(dir, name, len);
}
