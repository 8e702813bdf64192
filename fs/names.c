/*
 * fs/names.c: making and removing names: mkdir, mknod, link, unlink,
 * rmdir, rename. Each resolves the parent directory, checks what the
 * operation needs, changes the disk, then the dcache.
 */
#include "fs/file.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/printk.h"

/* The parent of path and the (referenced, maybe negative) dentry of its last name. */
static int resolve(const char *path, struct dentry *cwd, struct dentry **parent,
		   struct dentry **d)
{
	const char *name;
	size_t len;

	*parent = namei_parent(path, cwd, &name, &len);
	if (IS_ERR(*parent))
		return PTR_ERR(*parent);
	if ((*parent)->sb->readonly) {
		dput(*parent);
		return -EROFS;
	}
	*d = namei(path, cwd);
	if (IS_ERR(*d)) {
		dput(*parent);
		return PTR_ERR(*d);
	}
	return 0;
}

/*
 * ip lost a link. If that was its last while something still uses it (an
 * open file, a running program, a current directory; the name's own
 * dentry holds one reference), the file system keeps it as an orphan
 * until its last reference goes.
 */
static void link_gone(struct inode *ip)
{
	ip->ctime = time_now();
	imark_dirty(ip);
	if (ip->nlink == 0 && ip->refcount > 1 && ip->sb->ops->orphan &&
	    ip->sb->ops->orphan(ip) < 0)
		printk(KERN_WARNING "inode %u: could not be put on the orphan list\n", ip->ino);
}

static void release(struct dentry *parent, struct dentry *d)
{
	dput(d);
	dput(parent);
}

static int make(const char *path, struct dentry *cwd, uint16_t mode, uint16_t major,
		uint16_t minor)
{
	struct dentry *parent, *d;
	struct inode *ip;
	int r = resolve(path, cwd, &parent, &d);

	if (r < 0)
		return r;
	if (d->inode)
		r = -EEXIST;
	else if ((r = parent->sb->ops->create(parent->inode, d->name, d->name_len, mode, &ip)) == 0) {
		ip->major = major;
		ip->minor = minor;
		imark_dirty(ip);
		d_instantiate(d, ip);
	}
	release(parent, d);
	return r;
}

int vfs_mkdir(const char *path, struct dentry *cwd)
{
	return make(path, cwd, S_IFDIR | 0755, 0, 0);
}

int vfs_mknod(const char *path, struct dentry *cwd, uint16_t major, uint16_t minor)
{
	if (major > 255 || minor > 255)
		return -EINVAL;		/* ext2's old device numbers have 8 bits each */
	return make(path, cwd, S_IFCHR | 0666, major, minor);
}

int vfs_link(const char *old, const char *new, struct dentry *cwd)
{
	struct dentry *src = namei(old, cwd), *parent, *d;
	struct inode *ip;
	int r;

	if (IS_ERR(src))
		return PTR_ERR(src);
	ip = src->inode;
	if (!ip || S_ISDIR(ip->mode)) {
		dput(src);
		return ip ? -EPERM : -ENOENT;
	}
	if ((r = resolve(new, cwd, &parent, &d)) < 0) {
		dput(src);
		return r;
	}
	if (d->inode)
		r = -EEXIST;
	else if (parent->sb != ip->sb)
		r = -EINVAL;			/* no links across file systems */
	else if ((r = parent->sb->ops->link(parent->inode, d->name, d->name_len, ip)) == 0) {
		ip->nlink++;
		ip->ctime = time_now();
		imark_dirty(ip);
		d_instantiate(d, igrab(ip));
	}
	release(parent, d);
	dput(src);
	return r;
}

/* Is directory ip empty but for "." and ".."? 1, 0, or -EIO. */
static int dir_empty(struct inode *ip)
{
	struct vfs_dirent de;
	uint32_t pos = 0;
	int r;

	while ((r = ip->sb->ops->readdir(ip, &pos, &de)) > 0)
		if (!(de.name_len == 1 && de.name[0] == '.') &&
		    !(de.name_len == 2 && de.name[0] == '.' && de.name[1] == '.'))
			return 0;
	return r < 0 ? r : 1;
}

/*
 * Remove d's name from parent. The link count drops first and the file
 * system writes it before the name goes (fs_ops.unlink): on disk a count
 * is never higher than the names, which is what e2fsck -p can repair.
 */
static int unlink_name(struct dentry *parent, struct dentry *d)
{
	struct inode *ip = d->inode;
	uint16_t was = ip->nlink;
	int r;

	ip->nlink = S_ISDIR(ip->mode) ? 0 : ip->nlink - 1;
	if ((r = parent->sb->ops->unlink(parent->inode, d->name, d->name_len, ip)) < 0) {
		ip->nlink = was;
		imark_dirty(ip);	/* the record may hold the lowered count */
	}
	return r;
}

static int remove_name(const char *path, struct dentry *cwd, bool dir)
{
	struct dentry *parent, *d;
	struct inode *ip;
	int r = resolve(path, cwd, &parent, &d);

	if (r < 0)
		return r;
	ip = d->inode;
	if (!ip)
		r = -ENOENT;
	else if (dir != S_ISDIR(ip->mode))
		r = dir ? -ENOTDIR : -EISDIR;
	else if (dir && (r = dir_empty(ip)) != 1)
		r = r < 0 ? r : -ENOTEMPTY;
	else if ((r = unlink_name(parent, d)) == 0) {
		link_gone(ip);
		if (dir) {
			parent->inode->nlink--;	/* the removed ".." */
			imark_dirty(parent->inode);
		}
		d_delete(d);			/* the name is gone; open files keep the inode */
	}
	release(parent, d);
	return r;
}

int vfs_unlink(const char *path, struct dentry *cwd)
{
	return remove_name(path, cwd, false);
}

int vfs_rmdir(const char *path, struct dentry *cwd)
{
	return remove_name(path, cwd, true);
}

/* Is d the same as a or one of a's ancestors? */
static bool is_ancestor(struct dentry *d, struct dentry *a)
{
	for (;; a = a->parent) {
		if (a == d)
			return true;
		if (a->parent == a)
			return false;
	}
}

/* Replace the existing target t (in dir tp) of a rename. */
static int drop_target(struct dentry *tp, struct dentry *t, struct inode *src)
{
	struct inode *ip = t->inode;
	int r;

	if (S_ISDIR(src->mode) != S_ISDIR(ip->mode))
		return S_ISDIR(ip->mode) ? -EISDIR : -ENOTDIR;
	if (S_ISDIR(ip->mode) && (r = dir_empty(ip)) != 1)
		return r < 0 ? r : -ENOTEMPTY;
	if ((r = unlink_name(tp, t)) < 0)
		return r;
	link_gone(ip);
	if (S_ISDIR(ip->mode)) {
		tp->inode->nlink--;
		imark_dirty(tp->inode);
	}
	d_delete(t);
	return 0;
}

/* A directory moved from op to np: its ".." and both parents' link counts. */
static int reparent(struct inode *ip, struct dentry *op, struct dentry *np)
{
	const struct fs_ops *ops = ip->sb->ops;
	int r;

	op->inode->nlink--;
	if ((r = ops->unlink(ip, "..", 2, op->inode)) < 0) {
		op->inode->nlink++;
		return r;
	}
	if ((r = ops->link(ip, "..", 2, np->inode)) < 0)
		return r;
	np->inode->nlink++;
	imark_dirty(op->inode);
	imark_dirty(np->inode);
	return 0;
}

static int do_rename(struct dentry *sp, struct dentry *s, struct dentry *tp, struct dentry *t)
{
	const struct fs_ops *ops = sp->sb->ops;
	struct inode *ip = s->inode;
	int r;

	if (!ip)
		return -ENOENT;
	if (s == t || t->inode == ip)
		return 0;			/* one file under both names: nothing to do (POSIX) */
	if (sp->sb != tp->sb)
		return -EINVAL;
	if (S_ISDIR(ip->mode) && is_ancestor(s, tp))
		return -EINVAL;			/* into its own subtree */
	if (t->inode && (r = drop_target(tp, t, ip)) < 0)
		return r;
	if ((r = ops->link(tp->inode, t->name, t->name_len, ip)) < 0)
		return r;
	if ((r = ops->unlink(sp->inode, s->name, s->name_len, ip)) < 0)	/* count unchanged */
		return r;
	if (S_ISDIR(ip->mode) && sp != tp && (r = reparent(ip, sp, tp)) < 0)
		return r;
	ip->ctime = time_now();
	imark_dirty(ip);
	d_drop(t);				/* the target name now means s */
	return d_move(s, tp, t->name, t->name_len);
}

int vfs_rename(const char *old, const char *new, struct dentry *cwd)
{
	struct dentry *sp, *s, *tp, *t;
	int r = resolve(old, cwd, &sp, &s);

	if (r < 0)
		return r;
	if ((r = resolve(new, cwd, &tp, &t)) < 0) {
		release(sp, s);
		return r;
	}
	r = do_rename(sp, s, tp, t);
	release(tp, t);
	release(sp, s);
	return r;
}
