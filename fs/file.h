/*
 * fs/file.h: open files and the path-based file operations the system
 * calls (part D) are built on. Paths are resolved from the root or from a
 * current directory; buffers here are kernel memory (system calls copy to
 * and from user space around these).
 */
#ifndef FS_FILE_H
#define FS_FILE_H

#include "fs/dcache.h"
#include "fs/vfs.h"

#include "user/fcntl.h"		/* open flags, the same for user programs */
#define O_ACCMODE	0x003

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

struct pipe;

/* Character devices: read and write functions by major number (console: 1). */
#define NDEV		4
#define CONSOLE_MAJOR	1
struct devsw {
	int (*read)(void *buf, uint32_t n);
	int (*write)(const void *buf, uint32_t n);
};
extern struct devsw devsw[NDEV];

struct file {
	struct dentry *dentry;		/* counted reference; NULL for a pipe */
	struct inode *ip;		/* counted reference (outlives an unlink) */
	struct pipe *pipe;		/* a pipe end instead of an inode */
	uint32_t off;
	int flags;			/* O_* */
	int refcount;			/* dup and fork share a file (part D) */
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

/* An open file for one end of a pipe (fs/pipe.c). */
struct file *file_alloc_pipe(struct pipe *p, int flags);
void kmem_free_file(struct file *f);
/* Make the cache open files come from (vfs_init). */
void file_init(void);
struct file *vfs_open(const char *path, int flags, struct dentry *cwd);
struct file *vfs_dup(struct file *f);
void vfs_close(struct file *f);
/* Bytes read (0 at the end of the file) or a negative error number. */
int vfs_read(struct file *f, void *buf, uint32_t n);
/* Bytes written, or a negative error number (-ENOSPC: the disk is full; what fit was written). */
int vfs_write(struct file *f, const void *buf, uint32_t n);
int vfs_lseek(struct file *f, int32_t off, int whence);
/* The next entry of directory f: 1, 0 at the end, or a negative error number. */
int vfs_readdir(struct file *f, struct vfs_dirent *de);
int vfs_fstat(struct file *f, struct vfs_stat *st);
int vfs_stat(const char *path, struct dentry *cwd, struct vfs_stat *st);
int vfs_mkdir(const char *path, struct dentry *cwd);
int vfs_mknod(const char *path, struct dentry *cwd, uint16_t major, uint16_t minor);
int vfs_link(const char *old, const char *new, struct dentry *cwd);
int vfs_unlink(const char *path, struct dentry *cwd);
int vfs_rmdir(const char *path, struct dentry *cwd);
int vfs_rename(const char *old, const char *new, struct dentry *cwd);
int vfs_truncate(struct file *f, uint32_t size);
#endif
