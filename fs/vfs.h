/*
 * fs/vfs.h: the virtual file system: super blocks, inodes, open files.
 *
 * A super_block is a mounted file system; its fs_ops do the on-disk work.
 * An inode is a file in memory, found by (super block, number) in the
 * inode cache (iget/iput); the page cache holds its data (fs/pcache.c).
 * Names are resolved through the dentry cache (fs/dcache.c). Errors are
 * negative error numbers; nothing a caller passes in can make these functions panic.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/blk.h"
#include "fs/ext2.h"
#include "kernel/lib.h"

#define S_IFMT		0170000
#define S_IFDIR		0040000
#define S_IFREG		0100000
#define S_IFCHR		0020000
#define S_IFLNK		0120000
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)

struct inode;
struct super_block;

/* One directory entry as readdir reports it. */
struct vfs_dirent {
	uint32_t ino;
	uint8_t type;			/* EXT2_FT_* */
	uint8_t name_len;
	char name[EXT2_NAME_LEN + 1];
};

struct fs_ops {
	int (*read_inode)(struct inode *ip);
	int (*write_inode)(struct inode *ip);
	/* The inode number of name in dir: 0 and *ino, -ENOENT, -EIO. */
	int (*lookup)(struct inode *dir, const char *name, size_t len, uint32_t *ino);
	/* The entry at or after *pos, advancing *pos: 1, 0 at the end, -EIO. */
	int (*readdir)(struct inode *dir, uint32_t *pos, struct vfs_dirent *de);
	/* Fill one page of file data from disk (holes read as zeros). */
	int (*readpage)(struct inode *ip, uint32_t index, void *page);
	/* Allocate the blocks for the first bytes of page index (-ENOSPC if full). */
	int (*prepare_write)(struct inode *ip, uint32_t index, uint32_t bytes);
	/* Write the first bytes of one page of file data, allocating blocks. */
	int (*writepage)(struct inode *ip, uint32_t index, const void *page, uint32_t bytes);
	/* A new inode of mode linked into dir as name (referenced, in *out). */
	int (*create)(struct inode *dir, const char *name, size_t len, uint16_t mode,
		      struct inode **out);
	/* Add name in dir for ip (a hard link, or a move's second half). */
	int (*link)(struct inode *dir, const char *name, size_t len, struct inode *ip);
	/* Remove name from dir (the inode's link count is the caller's business). */
	int (*unlink)(struct inode *dir, const char *name, size_t len);
	/* Free blocks past size. */
	int (*truncate)(struct inode *ip, uint32_t size);
	/* Free the inode and its blocks: no links and no references left. */
	int (*evict)(struct inode *ip);
	/* Write super block and group descriptors. */
	int (*sync)(struct super_block *sb);
};

struct super_block {
	struct blkdev *dev;
	uint32_t block_size;
	bool readonly;
	const struct fs_ops *ops;
	void *fs_info;			/* the file system's own state */
	struct dentry *root;		/* referenced while mounted */
	int active_inodes;		/* referenced inodes (unmount waits for 0) */
};

#define I_DIRTY		0x1		/* the in-memory inode is newer than the disk */

struct inode {
	struct super_block *sb;
	uint32_t ino;
	uint16_t mode;
	uint16_t nlink;
	uint32_t size;
	uint32_t atime, ctime, mtime, dtime;
	uint16_t uid, gid;
	uint16_t major, minor;		/* device files */
	/* ext2's per-inode state (Linux keeps this in ext2_inode_info) */
	uint32_t blocks[EXT2_N_BLOCKS];
	uint32_t flags, nsectors, file_acl, generation;

	int refcount;			/* iget/iput; the inode stays cached while > 0 */
	unsigned state;			/* I_* */
	struct inode *hash_next;	/* inode cache chain */
	struct list_head lru;		/* unreferenced inodes, oldest last */
	struct list_head aliases;	/* dentries naming this inode (owned by the dcache) */
	struct list_head pages;		/* page-cache entries (owned by fs/pcache.c) */
	uint32_t npages;
};

/* The cached inode (sb, ino), read from disk on a miss; ERR_PTR on failure. */
struct inode *iget(struct super_block *sb, uint32_t ino);
/* Take another reference. */
struct inode *igrab(struct inode *ip);
/* Drop a reference; an unlinked inode is freed with its last one. */
void iput(struct inode *ip);
/* Mark ip changed (written back by iput or sync). */
void imark_dirty(struct inode *ip);
/* Write every dirty inode and page of sb, then its metadata blocks. */
int vfs_sync(struct super_block *sb);
/* Is any inode of sb still in the cache? */
bool icache_holds(struct super_block *sb);
/* Make the inode slab cache (vfs_init). */
void icache_init(void);
/* Inodes in the cache, referenced or not. */
uint32_t icache_count(void);
/* Forget unreferenced inodes of sb (all if sb is NULL); returns how many. */
uint32_t icache_prune(struct super_block *sb);

/* Mount the ext2 file system on dev; ERR_PTR(-EINVAL) on a bad super block. */
struct super_block *ext2_mount(struct blkdev *dev);
/* Free an ext2 super block and its state (after unmount, or a failed mount). */
void ext2_release(struct super_block *sb);
/* A fresh in-memory inode (sb, ino), hashed and referenced, not read from disk. */
struct inode *inew(struct super_block *sb, uint32_t ino);
/* Unmount: sync, and free everything; -EBUSY if a file is still in use. */
int vfs_unmount(struct super_block *sb);

/* Give back all unused dentries, inodes, pages and buffers; returns how many. */
uint32_t vfs_shrink_caches(void);

/*
 * Write the root file system back if SYNC_INTERVAL ticks have passed since
 * the last time: called where the kernel may block (the idle scheduler,
 * and a process preempted on its way back to user mode).
 */
void vfs_sync_tick(void);
#define SYNC_INTERVAL	(5 * 100)	/* ticks: five seconds */

/* The mounted root file system (fs/vfs.c). */
extern struct super_block *root_sb;
void vfs_init(void);
#endif
