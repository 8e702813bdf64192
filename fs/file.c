/*
 * fs/file.c: open files, and the operations on names.
 *
 * Data moves through the page cache a page at a time. Names change in two
 * places that must agree: the file system's directory (fs_ops) first, then
 * the dcache, so a failure on disk leaves the cache as it was.
 */
#include "fs/file.h"
#include "fs/pipe.h"
#include "kernel/arch/memlayout.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "mm/filemap.h"
#include "mm/slab.h"

static struct kmem_cache *file_cache;
static const struct chardev *devsw[NDEV];

void file_init(void)
{
	file_cache = kmem_cache_create("file", sizeof(struct file), 0, NULL, 0);
}

int devsw_register(unsigned major, const struct chardev *dev)
{
	if (major >= NDEV)
		return -EINVAL;
	devsw[major] = dev;
	return 0;
}

/* An open file for one end of pipe p; NULL if out of memory. */
static struct file *file_alloc_pipe(struct pipe *p, int flags)
{
	struct file *f = file_cache ? kmem_cache_alloc(file_cache) : NULL;

	if (f)
		*f = (struct file){ .pipe = p, .flags = flags, .refcount = 1 };
	return f;
}

int vfs_pipe(struct file **rf, struct file **wf)
{
	struct pipe *p = pipe_create();

	*rf = p ? file_alloc_pipe(p, O_RDONLY) : NULL;
	*wf = *rf ? file_alloc_pipe(p, O_WRONLY) : NULL;
	if (!*wf) {
		if (*rf)
			kmem_cache_free(file_cache, *rf);
		if (p) {
			pipe_close(p, true);
			pipe_close(p, false);
		}
		return -ENOMEM;
	}
	return 0;
}

static struct file *file_alloc(struct dentry *d, int flags)
{
	struct file *f;

	if (!file_cache || !(f = kmem_cache_alloc(file_cache)))
		return ERR_PTR(-ENOMEM);
	/* the file's own inode reference keeps an unlinked file alive until close */
	*f = (struct file){ .dentry = d, .ip = igrab(d->inode), .flags = flags, .refcount = 1 };
	return f;
}

/* Create name in parent with mode; the new dentry, referenced. */
static struct dentry *create_in(struct dentry *parent, struct dentry *d, uint16_t mode)
{
	struct inode *ip;
	int r = parent->sb->ops->create(parent->inode, d->name, d->name_len, mode, &ip);

	if (r < 0)
		return ERR_PTR(r);
	d_instantiate(d, ip);
	return d;
}

static struct dentry *open_create(const char *path, struct dentry *cwd)
{
	const char *name;
	size_t len;
	struct dentry *parent = namei_parent(path, cwd, &name, &len), *d;

	if (IS_ERR(parent))
		return parent;
	d = d_lookup(parent, name, len);
	if (!d) {
		dput(parent);
		d = namei(path, cwd);		/* ask the disk, caching the answer */
		if (IS_ERR(d))
			return d;
		parent = dget(d->parent);
	}
	if (!d->inode) {
		struct dentry *r = create_in(parent, d, S_IFREG | 0644);
		if (IS_ERR(r))
			dput(d);
		d = r;
	}
	dput(parent);
	return d;
}

struct file *vfs_open(const char *path, int flags, struct dentry *cwd)
{
	struct dentry *d = (flags & O_CREATE) ? open_create(path, cwd) : namei(path, cwd);
	int acc = flags & O_ACCMODE;
	struct file *f;

	if (IS_ERR(d))
		return (void *)d;
	if (!d->inode) {
		dput(d);
		return ERR_PTR(-ENOENT);
	}
	/* a directory opens to be read: not written, truncated or "created" (xv6, POSIX) */
	if (acc == 3 || (S_ISDIR(d->inode->mode) &&
			 (acc != O_RDONLY || (flags & (O_TRUNC | O_CREATE))))) {
		dput(d);
		return ERR_PTR(acc == 3 ? -EINVAL : -EISDIR);
	}
	if ((flags & O_TRUNC) && acc != O_RDONLY && S_ISREG(d->inode->mode)) {
		if (d->sb->readonly) {
			dput(d);
			return ERR_PTR(-EROFS);
		}
		filemap_drop(&d->inode->map, 0);
		d->sb->ops->truncate(d->inode, 0);
	}
	f = file_alloc(d, flags);
	if (IS_ERR(f))
		dput(d);
	return f;
}

struct file *vfs_dup(struct file *f)
{
	KASSERT(f->refcount > 0);
	f->refcount++;
	return f;
}

void vfs_close(struct file *f)
{
	KASSERT(f->refcount > 0);
	if (--f->refcount > 0)
		return;
	if (f->pipe) {
		pipe_close(f->pipe, (f->flags & O_ACCMODE) != O_RDONLY);
		kmem_cache_free(file_cache, f);
		return;
	}
	iput(f->ip);
	dput(f->dentry);
	kmem_cache_free(file_cache, f);
}

/*
 * Pipes and character devices move bytes their own way: if f is one, do
 * the transfer into *r and return true; for a file, return false.
 */
static bool stream_io(struct file *f, void *buf, uint32_t n, bool write, int *r)
{
	const struct chardev *d;

	if (f->pipe) {
		*r = write ? pipe_write(f->pipe, buf, n) : pipe_read(f->pipe, buf, n);
		return true;
	}
	if (!S_ISCHR(f->ip->mode))
		return false;
	d = f->ip->major < NDEV ? devsw[f->ip->major] : NULL;
	if (write)
		*r = d && d->write ? d->write(buf, n) : -ENXIO;
	else
		*r = d && d->read ? d->read(buf, n) : -ENXIO;
	return true;
}

int vfs_read(struct file *f, void *buf, uint32_t n)
{
	struct inode *ip = f->ip;
	uint32_t done = 0;

	int r;

	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (stream_io(f, buf, n, false, &r))
		return r;
	if (S_ISDIR(ip->mode))
		return -EISDIR;
	if (f->off >= ip->size)
		return 0;
	n = MIN(n, ip->size - f->off);
	while (done < n) {
		uint32_t off = f->off % PGSIZE, k = MIN(n - done, (uint32_t)PGSIZE - off);
		uint8_t *page = filemap_page(&ip->map, f->off / PGSIZE, false);
		if (IS_ERR(page))
			return done ? (int)done : PTR_ERR(page);
		memcpy((uint8_t *)buf + done, page + off, k);
		done += k;
		f->off += k;
	}
	ip->atime = time_now();
	return done;
}

int vfs_write(struct file *f, const void *buf, uint32_t n)
{
	struct inode *ip = f->ip;
	uint32_t done = 0;

	int r;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (stream_io(f, (void *)buf, n, true, &r))
		return r;
	if (!S_ISREG(ip->mode))
		return -EINVAL;
	if (ip->sb->readonly)
		return -EROFS;
	if (f->flags & O_APPEND)
		f->off = ip->size;
	if (n > 0xffffffffu - f->off)
		return -EFBIG;
	while (done < n) {
		uint32_t off = f->off % PGSIZE, k = MIN(n - done, (uint32_t)PGSIZE - off);
		bool whole = off == 0 && (k == PGSIZE || f->off + k >= ip->size);
		uint8_t *page = filemap_page(&ip->map, f->off / PGSIZE, whole && f->off >= ip->size);
		if (IS_ERR(page))
			return done ? (int)done : PTR_ERR(page);
		/*
		 * Then the blocks, all of the page's or none: a full disk stops
		 * the write at the page that does not fit, size and all.
		 */
		if ((r = ip->sb->ops->prepare_write(ip, f->off / PGSIZE, off + k)) < 0)
			return done ? (int)done : r;
		memcpy(page + off, (const uint8_t *)buf + done, k);
		filemap_dirty(&ip->map, f->off / PGSIZE);
		done += k;
		f->off += k;
		if (f->off > ip->size)
			ip->size = f->off;
	}
	ip->mtime = ip->ctime = time_now();
	imark_dirty(ip);
	return done;		/* the pages reach the disk at the last iput or a sync */
}

int vfs_lseek(struct file *f, int32_t off, int whence)
{
	int64_t base;

	if (f->pipe || S_ISCHR(f->ip->mode))
		return -ESPIPE;			/* a stream has no position */
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->off; break;
	case SEEK_END: base = f->ip->size; break;
	default: return -EINVAL;
	}

	if (base + off < 0 || base + off > 0xffffffffll)
		return -EINVAL;
	f->off = base + off;
	return f->off;
}

int vfs_readdir(struct file *f, struct vfs_dirent *de)
{
	if (f->pipe || !S_ISDIR(f->ip->mode))
		return -ENOTDIR;
	return f->ip->sb->ops->readdir(f->ip, &f->off, de);
}

int vfs_truncate(struct file *f, uint32_t size)
{
	if (f->pipe || !S_ISREG(f->ip->mode))
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (f->ip->sb->readonly)
		return -EROFS;
	filemap_drop(&f->ip->map, (size + PGSIZE - 1) / PGSIZE);
	if (size % PGSIZE && size < f->ip->size) {	/* zero the tail of the last page kept */
		uint8_t *page = filemap_page(&f->ip->map, size / PGSIZE, false);
		if (IS_ERR(page))
			return PTR_ERR(page);
		memset(page + size % PGSIZE, 0, PGSIZE - size % PGSIZE);
		filemap_dirty(&f->ip->map, size / PGSIZE);	/* the zeros must reach the disk */
	}
	return f->ip->sb->ops->truncate(f->ip, size);
}

static void fill_stat(struct inode *ip, struct vfs_stat *st)
{
	st->dev = 0;
	for (int i = 0; i < NBLKDEV; i++)
		if (blk_get(i) == ip->sb->dev)
			st->dev = i + 1;
	st->ino = ip->ino;
	st->mode = ip->mode;
	st->nlink = ip->nlink;
	st->size = ip->size;
	st->mtime = ip->mtime;
}

int vfs_fstat(struct file *f, struct vfs_stat *st)
{
	if (f->pipe)
		return -EINVAL;
	fill_stat(f->ip, st);
	return 0;
}

int vfs_stat(const char *path, struct dentry *cwd, struct vfs_stat *st)
{
	struct dentry *d = namei(path, cwd);
	int r = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	if (d->inode)
		fill_stat(d->inode, st);
	else
		r = -ENOENT;
	dput(d);
	return r;
}

int vfs_write_inplace(struct inode *ip, uint32_t off, const void *buf, uint32_t n)
{
	const uint8_t *from = buf;

	if (off > ip->size || n > ip->size - off)
		return -EINVAL;
	if (ip->sb->readonly)
		return -EROFS;
	while (n > 0) {
		uint32_t chunk = MIN(n, PGSIZE - off % PGSIZE);
		uint8_t *page = filemap_page(&ip->map, off / PGSIZE, false);
		if (IS_ERR(page))
			return PTR_ERR(page);
		memcpy(page + off % PGSIZE, from, chunk);
		filemap_dirty(&ip->map, off / PGSIZE);
		off += chunk;
		from += chunk;
		n -= chunk;
	}
	return 0;
}
