/*
 * fs/namei.c: from a path to a dentry.
 *
 * A path is walked one name at a time from the root ("/...") or the
 * current directory. Repeated slashes are one; "." stays; ".." goes to
 * the parent (the root's parent is the root). Each name is looked up in
 * the dcache first; on a miss the file system is asked, and the answer,
 * found or not, is cached (a negative dentry remembers "not there").
 */
#include "fs/file.h"
#include "kernel/lib/errno.h"

/* The child name of directory d, referenced (maybe negative); ERR_PTR on error. */
static struct dentry *lookup_child(struct dentry *d, const char *name, size_t len)
{
	struct dentry *c;
	struct inode *ip;
	uint32_t ino;
	int r;

	if (!d->inode || !S_ISDIR(d->inode->mode))
		return ERR_PTR(-ENOTDIR);
	if (len > VFS_NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	if ((c = d_lookup(d, name, len)) != NULL)
		return c;
	r = d->sb->ops->lookup(d->inode, name, len, &ino);
	if (r < 0 && r != -ENOENT)
		return ERR_PTR(r);
	if (!(c = d_alloc(d, name, len)))
		return ERR_PTR(-ENOMEM);
	if (r == 0) {
		ip = iget(d->sb, ino);
		if (IS_ERR(ip)) {
			d_drop(c);		/* do not cache a name we could not read */
			dput(c);
			return (void *)ip;
		}
		d_instantiate(c, ip);
	}
	return c;
}

/* Step from d (referenced) to its component name; consumes d's reference. */
static struct dentry *step(struct dentry *d, const char *name, size_t len)
{
	struct dentry *next;

	if (len == 1 && name[0] == '.')
		return d;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		next = dget(d->parent);
		dput(d);
		return next;
	}
	next = lookup_child(d, name, len);
	dput(d);
	return next;
}

static struct dentry *start(const char *path, struct dentry *cwd)
{
	if (path[0] == '/' || !cwd)
		return root_sb ? dget(root_sb->root) : ERR_PTR(-ENOENT);
	return dget(cwd);
}

/* The next name in *p (skipping slashes); its length, 0 at the end. */
static size_t next_name(const char **p, const char **name)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == '/')
		s++;
	*name = s;
	while (s[n] && s[n] != '/')
		n++;
	*p = s + n;
	return n;
}

struct dentry *namei(const char *path, struct dentry *cwd)
{
	struct dentry *d;
	const char *name;
	size_t len;

	if (!*path)
		return ERR_PTR(-ENOENT);
	d = start(path, cwd);
	while (!IS_ERR(d) && (len = next_name(&path, &name)) != 0) {
		if (!d->inode) {		/* a missing directory in the middle */
			dput(d);
			return ERR_PTR(-ENOENT);
		}
		d = step(d, name, len);
	}
	return d;
}

struct dentry *namei_parent(const char *path, struct dentry *cwd, const char **name,
			    size_t *len)
{
	const char *p = path, *nm;
	struct dentry *d = start(path, cwd);
	size_t n;

	if (IS_ERR(d))
		return d;
	if ((n = next_name(&p, &nm)) == 0) {
		dput(d);
		return ERR_PTR(-ENOENT);	/* "" or "/": no last name */
	}
	for (;;) {			/* step while another name follows nm */
		const char *q = p, *nm2;
		size_t n2 = next_name(&q, &nm2);
		if (n2 == 0)
			break;
		if (!d->inode) {
			dput(d);
			return ERR_PTR(-ENOENT);
		}
		if (IS_ERR(d = step(d, nm, n)))
			return d;
		nm = nm2;
		n = n2;
		p = q;
	}
	if (!d->inode || !S_ISDIR(d->inode->mode)) {
		int err = d->inode ? -ENOTDIR : -ENOENT;
		dput(d);
		return ERR_PTR(err);
	}
	if (n > VFS_NAME_MAX || (nm[0] == '.' && (n == 1 || (n == 2 && nm[1] == '.')))) {
		dput(d);
		return ERR_PTR(n > VFS_NAME_MAX ? -ENAMETOOLONG : -EINVAL);
	}
	*name = nm;
	*len = n;
	return d;
}
