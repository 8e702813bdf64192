/*
 * kernel/proc/sysfile.c: system calls about files. Data moves between the
 * user's buffer and the VFS through a kernel bounce buffer, a page at a
 * time, so every user address is checked by copy_to/from_user. What xv6
 * programs read keeps xv6's shapes: struct stat (type 1 dir, 2 file,
 * 3 device) and 16-byte directory entries from read() on a directory.
 */
#include "fs/file.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/proc/exec.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/syscall.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define PATHMAX		256
#define CHUNK		4096
#define SMALL_IO	64	/* transfers this short bounce through the stack */
#define XV6_DIRSIZ	14

struct xv6_stat {
	short type;
	int dev;
	unsigned ino;
	short nlink;
	unsigned size;
};

struct xv6_dirent {
	uint16_t inum;
	char name[XV6_DIRSIZ];
};

static int argfd(int n, int *fdp, struct file **fp)
{
	int fd;

	if (argint(n, &fd) < 0 || fd < 0 || fd >= NOFILE || !current->ofile[fd])
		return -EBADF;
	if (fdp)
		*fdp = fd;
	*fp = current->ofile[fd];
	return 0;
}

static int fdalloc(struct file *f)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (!current->ofile[fd]) {
			current->ofile[fd] = f;
			return fd;
		}
	return -EMFILE;
}

/* dup(fd): a new descriptor for the same open file (sharing its offset). */
int sys_dup(void)
{
	struct file *f;
	int fd;

	if (argfd(0, NULL, &f) < 0)
		return -EBADF;
	if ((fd = fdalloc(f)) >= 0)
		vfs_dup(f);
	return fd;
}

/* close(fd): 0, or -1 for a descriptor that is not open. */
int sys_close(void)
{
	struct file *f;
	int fd;

	if (argfd(0, &fd, &f) < 0)
		return -EBADF;
	current->ofile[fd] = NULL;
	vfs_close(f);
	return 0;
}

/* Convert one directory entry into a user record of the caller's shape. */
typedef void (*dirent_fill)(void *rec, const struct vfs_dirent *de);

static void fill_xv6(void *rec, const struct vfs_dirent *de)
{
	struct xv6_dirent *x = rec;

	memset(x, 0, sizeof(*x));
	x->inum = de->ino;
	memcpy(x->name, de->name, MIN((size_t)de->name_len, sizeof(x->name)));
}

static void fill_pagoda(void *rec, const struct vfs_dirent *de)
{
	struct pagoda_dirent *pd = rec;

	memset(pd, 0, sizeof(*pd));
	pd->ino = de->ino;
	pd->type = de->type == DT_DIR ? 2 : de->type == DT_CHR ? 3 : 1;
	pd->name_len = de->name_len;
	memcpy(pd->name, de->name, de->name_len);
}

/* As many whole records (size bytes each) as fit in n bytes at ubuf. */
static int dirents_out(struct file *f, uint32_t ubuf, uint32_t n, size_t size,
		       dirent_fill fill)
{
	union {
		struct xv6_dirent x;
		struct pagoda_dirent p;
	} rec;
	struct vfs_dirent de;
	uint32_t done = 0, pos;
	int r;

	if (n && n < size)
		return -EINVAL;		/* not one record fits: 0 would read as the end */
	while (done + size <= n) {
		pos = f->off;
		if ((r = vfs_readdir(f, &de)) <= 0)
			return done ? (int)done : r;
		fill(&rec, &de);
		if (copy_to_user(ubuf + done, &rec, size) < 0) {
			f->off = pos;		/* not consumed */
			return done ? (int)done : -EFAULT;
		}
		done += size;
	}
	return done;
}

/* read/write/getdents(fd, buf, n): the three arguments, checked. */
static int io_args(struct file **f, uint32_t *ubuf, int *n)
{
	if (argfd(0, NULL, f) < 0)
		return -EBADF;
	if (argint(2, n) < 0 || *n < 0 || argptr(1, ubuf, *n) < 0)
		return -EFAULT;
	return 0;
}

/*
 * Move n bytes between the user's buffer at ubuf and f, through a kernel
 * bounce buffer a chunk at a time; a short transfer (console, pipe, end of
 * file, full disk) ends it. The bytes moved, or an error if none were.
 * A read's caller has made sure the buffer can take n bytes; should a copy
 * out fail all the same, a file's offset goes back over what was not
 * delivered. Short transfers (a shell's one-byte reads, a pipe's
 * ping-pong) use a buffer on the stack: the allocator's split and merge
 * would cost more than the copy.
 */
static int bounce(struct file *f, uint32_t ubuf, uint32_t n, bool write)
{
	char small[SMALL_IO];
	char *buf = n <= SMALL_IO ? small : kmalloc(CHUNK);
	uint32_t done = 0;
	int r = 0;

	if (!buf)
		return -ENOMEM;
	while (done < n) {
		uint32_t k = MIN(n - done, (uint32_t)CHUNK);
		if (write && copy_from_user(buf, ubuf + done, k) < 0) {
			r = -EFAULT;
			break;
		}
		if ((r = write ? vfs_write(f, buf, k) : vfs_read(f, buf, k)) <= 0)
			break;
		if (!write && copy_to_user(ubuf + done, buf, r) < 0) {
			if (!f->pipe && !S_ISCHR(f->ip->mode))
				f->off -= r;
			r = -EFAULT;
			break;
		}
		done += r;
		if ((uint32_t)r < k)
			break;
	}
	if (buf != small)
		kfree(buf);
	return done ? (int)done : r;
}

/* read(fd, buf, n): bytes read, 0 at end of file; a directory gives xv6 entries. */
int sys_read(void)
{
	struct file *f;
	uint32_t ubuf;
	int n, r;

	if ((r = io_args(&f, &ubuf, &n)) < 0)
		return r;
	if (!f->pipe && S_ISDIR(f->ip->mode))	/* xv6 reads directories so */
		return dirents_out(f, ubuf, n, sizeof(struct xv6_dirent), fill_xv6);
	/* take from a pipe, the console or a file only what can be delivered */
	if (n && !(n = user_writable_prefix(ubuf, n)))
		return -EFAULT;
	return bounce(f, ubuf, n, false);
}

/* write(fd, buf, n): bytes written. */
int sys_write(void)
{
	struct file *f;
	uint32_t ubuf;
	int n, r;

	if ((r = io_args(&f, &ubuf, &n)) < 0)
		return r;
	return bounce(f, ubuf, n, true);
}

/* lseek(fd, off, whence): the new offset. */
int sys_lseek(void)
{
	struct file *f;
	int off, whence;

	if (argfd(0, NULL, &f) < 0 || argint(1, &off) < 0 || argint(2, &whence) < 0)
		return -EINVAL;
	return vfs_lseek(f, off, whence);
}

/* fstat(fd, st): fill xv6's struct stat. */
int sys_fstat(void)
{
	struct file *f;
	struct vfs_stat st;
	struct xv6_stat x;
	uint32_t ubuf;
	int r;

	if (argfd(0, NULL, &f) < 0 || argptr(1, &ubuf, sizeof(x)) < 0)
		return -EFAULT;
	if ((r = vfs_fstat(f, &st)) < 0)
		return r;
	memset(&x, 0, sizeof(x));
	x.type = S_ISDIR(st.mode) ? 1 : S_ISCHR(st.mode) ? 3 : 2;
	x.dev = st.dev;
	x.ino = st.ino;
	x.nlink = st.nlink;
	x.size = st.size;
	return copy_to_user(ubuf, &x, sizeof(x));
}

/* getdents(fd, buf, n): whole struct pagoda_dirent records (full names); bytes. */
int sys_getdents(void)
{
	struct file *f;
	uint32_t ubuf;
	int n, r;

	if ((r = io_args(&f, &ubuf, &n)) < 0)
		return r;
	return dirents_out(f, ubuf, n, sizeof(struct pagoda_dirent), fill_pagoda);
}

/* open(path, flags): a descriptor (xv6 flags: O_RDONLY, O_WRONLY, O_RDWR, O_CREATE). */
int sys_open(void)
{
	char path[PATHMAX];
	struct file *f;
	int flags, fd;

	if (argstr(0, path, sizeof(path)) < 0 || argint(1, &flags) < 0)
		return -EFAULT;
	f = vfs_open(path, flags, current->cwd);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if ((fd = fdalloc(f)) < 0)
		vfs_close(f);
	return fd;
}

/* pipe(fds): fds[0] reads what fds[1] writes. */
int sys_pipe(void)
{
	struct file *rf, *wf;
	uint32_t ufds;
	int fds[2];

	if (argptr(0, &ufds, sizeof(fds)) < 0)
		return -EFAULT;
	if (vfs_pipe(&rf, &wf) < 0)
		return -ENOMEM;
	fds[0] = fdalloc(rf);
	fds[1] = fds[0] >= 0 ? fdalloc(wf) : -1;
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds)) < 0) {
		if (fds[0] >= 0)
			current->ofile[fds[0]] = NULL;
		if (fds[1] >= 0)
			current->ofile[fds[1]] = NULL;
		vfs_close(rf);
		vfs_close(wf);
		return -EMFILE;
	}
	return 0;
}

/* chdir(path): change the current directory. */
int sys_chdir(void)
{
	char path[PATHMAX];
	struct dentry *d;

	if (argstr(0, path, sizeof(path)) < 0)
		return -EFAULT;
	d = namei(path, current->cwd);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (!d->inode || !S_ISDIR(d->inode->mode)) {
		dput(d);
		return -ENOTDIR;
	}
	if (current->cwd)
		dput(current->cwd);
	current->cwd = d;
	return 0;
}

/* Calls of the form f(path): mkdir, unlink. */
static int path_call(int (*fn)(const char *, struct dentry *))
{
	char path[PATHMAX];

	if (argstr(0, path, sizeof(path)) < 0)
		return -EFAULT;
	return fn(path, current->cwd);
}

/* mkdir(path): make a directory. */
int sys_mkdir(void)
{
	return path_call(vfs_mkdir);
}

static int unlink_any(const char *path, struct dentry *cwd)
{
	int r = vfs_unlink(path, cwd);

	return r == -EISDIR ? vfs_rmdir(path, cwd) : r;	/* xv6 unlinks empty dirs */
}

/* unlink(path): remove a name (an empty directory too, as in xv6). */
int sys_unlink(void)
{
	return path_call(unlink_any);
}

/* mknod(path, major, minor): make a device file. */
int sys_mknod(void)
{
	char path[PATHMAX];
	int major, minor;

	if (argstr(0, path, sizeof(path)) < 0 || argint(1, &major) < 0 || argint(2, &minor) < 0)
		return -EFAULT;
	return vfs_mknod(path, current->cwd, (uint16_t)major, (uint16_t)minor);
}

/* Calls of the form f(old, new): link, rename. */
static int two_paths(int (*fn)(const char *, const char *, struct dentry *))
{
	char a[PATHMAX], b[PATHMAX];

	if (argstr(0, a, sizeof(a)) < 0 || argstr(1, b, sizeof(b)) < 0)
		return -EFAULT;
	return fn(a, b, current->cwd);
}

/* link(old, new): another name for a file. */
int sys_link(void)
{
	return two_paths(vfs_link);
}

/* rename(old, new): move a name, replacing what new names. */
int sys_rename(void)
{
	return two_paths(vfs_rename);
}

/* exec(path, argv): replace the program; returns only on failure. */
int sys_exec(void)
{
	char *path = kmalloc(PATHMAX), *strs = kmalloc(ARGBYTES), *argv[MAXARG + 1];
	uint32_t uargv, used = 0;
	int argc, r = -EFAULT;

	if (!path || !strs || argstr(0, path, PATHMAX) < 0 || argptr(1, &uargv, 4) < 0)
		goto out;
	for (argc = 0;; argc++) {
		uint32_t p;
		if (argc > MAXARG) {
			r = -E2BIG;
			goto out;
		}
		if (copy_from_user(&p, uargv + 4 * argc, 4) < 0)
			goto out;
		if (!p)
			break;
		int n = fetchstr(p, strs + used, ARGBYTES - used);
		if (n < 0) {
			r = n == -ENAMETOOLONG ? -E2BIG : n;
			goto out;
		}
		argv[argc] = strs + used;
		used += n + 1;
	}
	argv[argc] = NULL;
	r = exec(path, argv);
out:
	kfree(path);
	kfree(strs);
	return r;
}

/* sync(): write every changed block of the root file system to disk. */
int sys_sync(void)
{
	return root_sb ? vfs_sync(root_sb) : 0;
}

/*
 * poweroff(magic1, magic2): write the root file system back and switch the
 * machine off; -EINVAL (and nothing happens) without both magic numbers,
 * -EIO (and the machine stays on) if the disk cannot be written. Once the
 * disk is written, every process lets go of its files and memory
 * (proc_shutdown) so that the root unmounts cleanly: the next mount finds
 * it marked clean, and unlinked files still open are freed, not orphaned.
 */
int sys_poweroff(void)
{
	int m1, m2, r;

	if (argint(0, &m1) < 0 || argint(1, &m2) < 0 || (uint32_t)m1 != POWEROFF_MAGIC1 ||
	    (uint32_t)m2 != POWEROFF_MAGIC2)
		return -EINVAL;
	if ((r = sys_sync()) < 0) {
		printk("poweroff: the root file system could not be written back (%d)\n", r);
		return r;
	}
	proc_shutdown();
	printk("poweroff: file systems written back; switching off\n");
	machine_switch_off();
}
