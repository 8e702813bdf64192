/*
 * fs/file.h: open files, character devices, and the path-based file
 * operations the system calls are built on. Paths are resolved from the
 * root or from a current directory; buffers here are kernel memory
 * (system calls copy to and from user space around these).
 */
#ifndef FS_FILE_H
#define FS_FILE_H

#include "fs/dcache.h"
#include "fs/vfs.h"
#include "kernel/dev/chardev.h"

#include "user/fcntl.h"		/* open flags, the same for user programs */
#define O_ACCMODE	0x003


struct pipe;

/* Character devices, by major number (the console is 1, as in xv6). */
#define NDEV		4
#define CONSOLE_MAJOR	1
/* Make device files of major reach dev; -EINVAL if major is out of range. */
int devsw_register(unsigned major, const struct chardev *dev);

struct file {
	struct dentry *dentry;		/* counted reference; NULL for a pipe */
	struct inode *ip;		/* counted reference (outlives an unlink) */
	struct pipe *pipe;		/* a pipe end instead of an inode */
	uint32_t off;
	int flags;			/* O_* */
	int refcount;			/* dup and fork share an open file (and its offset) */
};

struct vfs_stat {
	uint32_t dev;			/* device number of the file system */
	uint32_t ino;
	uint16_t mode;
	uint16_t nlink;
	uint32_t size;
	uint32_t mtime;
};

/* Resolve path; the result may be negative (the last name missing). ERR_PTR on error. */
struct dentry *namei(const char *path, struct dentry *cwd);
/* Resolve all but the last name of path: the parent directory, and the last name. */
struct dentry *namei_parent(const char *path, struct dentry *cwd, const char **name,
			    size_t *len);

/* A new pipe (fs/pipe.c) as two open files: *rf reads, *wf writes; 0 or -ENOMEM. */
int vfs_pipe(struct file **rf, struct file **wf);
/* Make the cache open files come from; after vfs_init. */
void file_init(void);
/* Open path with O_* flags (O_CREATE makes a missing file): the file, or ERR_PTR. */
struct file *vfs_open(const char *path, int flags, struct dentry *cwd);
/* Another reference to f (dup, fork); returns f. */
struct file *vfs_dup(struct file *f);
/* Drop a reference; the last one closes the file. */
void vfs_close(struct file *f);
/* Bytes read (0 at the end of the file) or a negative error number. */
int vfs_read(struct file *f, void *buf, uint32_t n);
/* Bytes written, or a negative error number (-ENOSPC: the disk is full; what fit was written). */
int vfs_write(struct file *f, const void *buf, uint32_t n);
/* Move f's offset (SEEK_SET, SEEK_CUR, SEEK_END); the new offset, -ESPIPE, -EINVAL. */
int vfs_lseek(struct file *f, int32_t off, int whence);
/* The next entry of directory f: 1, 0 at the end, or a negative error number. */
int vfs_readdir(struct file *f, struct vfs_dirent *de);
/* f's inode's attributes into st; -EINVAL for a pipe. */
int vfs_fstat(struct file *f, struct vfs_stat *st);
/* path's attributes into st; -ENOENT, or another error of the walk. */
int vfs_stat(const char *path, struct dentry *cwd, struct vfs_stat *st);
/* Make a directory, a device file, a hard link; 0 or -E (-EEXIST, -ENOENT, ...). */
int vfs_mkdir(const char *path, struct dentry *cwd);
int vfs_mknod(const char *path, struct dentry *cwd, uint16_t major, uint16_t minor);
int vfs_link(const char *old, const char *new, struct dentry *cwd);
/* Remove a name of a file, or an empty directory; 0 or -E. */
int vfs_unlink(const char *path, struct dentry *cwd);
int vfs_rmdir(const char *path, struct dentry *cwd);
/* Move old to new, replacing what new names (as POSIX rename); 0 or -E. */
int vfs_rename(const char *old, const char *new, struct dentry *cwd);
/* Cut or extend f's file to size bytes; 0 or -E. */
int vfs_truncate(struct file *f, uint32_t size);
/*
 * Overwrite n bytes at off of ip's existing data through its page cache,
 * leaving the size, the block map and the times alone (the working-set
 * bitmap's update: kernel/proc/wsb.c). The pages reach the disk with the
 * next write-back. 0, -EINVAL past the end, -EROFS, or -E from a read.
 */
int vfs_write_inplace(struct inode *ip, uint32_t off, const void *buf, uint32_t n);
#endif
