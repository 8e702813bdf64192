/*
 * fs/vfs.h: the virtual file system: file-system types, super blocks,
 * inodes.
 *
 * A file-system type registers itself (FILESYSTEM) and knows how to mount
 * a block device; the VFS mounts through that table and knows no file
 * system by name. A super_block is a mounted file system; its fs_ops do
 * the on-disk work. An inode is a file in memory, found by (super block,
 * number) in the inode cache (iget/iput); each file system allocates its
 * inodes inside a struct of its own (alloc_inode), with its private
 * fields beside the VFS's. The page cache (mm/filemap.c) holds an inode's
 * data through the filemap embedded in it. Names are resolved through the
 * dentry cache (fs/dcache.c). Errors are negative error numbers; nothing a
 * caller passes in can make these functions panic.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/dev/blk.h"
#include "kernel/lib/list.h"
#include "kernel/lib/registry.h"
#include "mm/filemap.h"

#define S_IFMT		0170000
#define S_IFDIR		0040000
#define S_IFREG		0100000
#define S_IFCHR		0020000
#define S_IFLNK		0120000
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)

#define VFS_NAME_MAX	255		/* bytes in one name */

/* File types in directory entries (the numbers are ext2's on-disk ones). */
#define DT_UNKNOWN	0
#define DT_REG		1
#define DT_DIR		2
#define DT_CHR		3
#define DT_LNK		7

struct inode;
struct super_block;

/* One directory entry as readdir reports it. */
struct vfs_dirent {
	uint32_t ino;
	uint8_t type;			/* DT_* */
	uint8_t name_len;
	char name[VFS_NAME_MAX + 1];
};

/* A kind of file system: registered with FILESYSTEM, mounted by vfs_mount. */
struct fs_type {
	const char *name;		/* "ext2" */
	/* A super block for the file system on dev, its root dentry made;
	   ERR_PTR(-EINVAL) if dev does not hold one of this type. */
	struct super_block *(*mount)(struct blkdev *dev);
};

#define FILESYSTEM(id, type)						\
	static const struct fs_type *const fs_type_##id REGISTRY_ENTRY(".filesystems") = &(type)

extern const struct fs_type *const __filesystems_start[], *const __filesystems_end[];

struct fs_ops {
	/* A new in-memory inode of sb, zeroed, inside the file system's own struct. */
	struct inode *(*alloc_inode)(struct super_block *sb);
	/* Free an inode alloc_inode made. */
	void (*destroy_inode)(struct inode *ip);
	/* Free the super block and the file system's state (unmount, failed mount). */
	void (*put_super)(struct super_block *sb);
	/* Fill ip (sb, ino set) from disk; 0 or -E. */
	int (*read_inode)(struct inode *ip);
	/* Write ip's fields back to its on-disk record; 0 or -E. */
	int (*write_inode)(struct inode *ip);
	/* The inode number of name in dir: 0 and *ino, -ENOENT, -EIO. */
	int (*lookup)(struct inode *dir, const char *name, size_t len, uint32_t *ino);
	/* The entry at or after *pos, advancing *pos: 1, 0 at the end, -EIO. */
	int (*readdir)(struct inode *dir, uint32_t *pos, struct vfs_dirent *de);
	/* Fill one page of file data from disk (holes read as zeros). */
	int (*readpage)(struct inode *ip, uint32_t index, void *page);
	/* Fill the n pages from index first on, with as few disk requests as
	   the blocks' layout allows (may be NULL: readpage each); 0 or -E. */
	int (*readpages)(struct inode *ip, uint32_t first, uint32_t n, void **pages);
	/* Allocate the blocks under the first bytes of page index, all or none
	   (-ENOSPC if the disk is full: then nothing was allocated). */
	int (*prepare_write)(struct inode *ip, uint32_t index, uint32_t bytes);
	/* Write the first bytes of one page of file data, allocating blocks. */
	int (*writepage)(struct inode *ip, uint32_t index, const void *page, uint32_t bytes);
	/* A new inode of mode linked into dir as name (referenced, in *out). */
	int (*create)(struct inode *dir, const char *name, size_t len, uint16_t mode,
		      struct inode **out);
	/* Add name in dir for ip (a hard link, or a move's second half). */
	int (*link)(struct inode *dir, const char *name, size_t len, struct inode *ip);
	/* Remove name (naming ip) from dir. The caller has already lowered
	   ip's link count to what it is without the name, and the file system
	   makes the count reach the disk no later than the removal does. */
	int (*unlink)(struct inode *dir, const char *name, size_t len, struct inode *ip);
	/* Free blocks past size. */
	int (*truncate)(struct inode *ip, uint32_t size);
	/* Free the inode and its blocks: no links and no references left. */
	int (*evict)(struct inode *ip);
	/* ip has no links left but is in use: keep it where a crash cannot lose it
	   (may be NULL); evict frees it in the end. */
	int (*orphan)(struct inode *ip);
	/* Write every dirty metadata block (the inode records are in them). */
	int (*sync)(struct super_block *sb);
};

struct super_block {
	const struct fs_type *type;
	struct blkdev *dev;
	uint32_t block_size;
	bool readonly;
	const struct fs_ops *ops;
	void *fs_info;			/* the file system's own state */
	struct dentry *root;		/* referenced while mounted */
	uint32_t root_ino;		/* the root directory's inode number */
	int active_inodes;		/* referenced inodes (unmount waits for 0) */
};

#define I_DIRTY		0x1		/* the in-memory inode is newer than the disk */
#define I_HASHED	0x2		/* in the inode cache (inew to ifree) */
#define I_ISOLATED	0x4		/* pinned for a move by the slab layer */

struct inode {
	struct super_block *sb;
	uint32_t ino;
	uint16_t mode;
	uint16_t nlink;
	uint32_t size;
	uint32_t atime, ctime, mtime, dtime;
	uint16_t uid, gid;
	uint16_t major, minor;		/* device files */

	int refcount;			/* iget/iput; the inode stays cached while > 0 */
	unsigned state;			/* I_* */
	int busy;			/* its record being written (may sleep): never moved */
	struct inode *hash_next;	/* inode cache chain */
	struct list_head lru;		/* unreferenced inodes, oldest last */
	struct list_head aliases;	/* dentries naming this inode (owned by the dcache) */
	struct filemap map;		/* its data in the page cache (mm/filemap.c) */
};

/*
 * Relocation (docs/slab-relocation.md), for the file system that owns the
 * inode's slab cache. inode_isolate: may ip move, as far as the inode cache
 * can tell? Only a cached inode whose references all come from its dentries
 * (none, and on the LRU, when unused); if so it is pinned. inode_putback
 * unpins it. inode_moved: to is a byte copy of ip; repoint the hash chain,
 * the LRU, the alias list's head and the page cache at it. The dcache's
 * side (fs/dcache.h): d_aliases_held before, d_aliases_moved after.
 */
bool inode_isolate(struct inode *ip);
void inode_putback(struct inode *ip);
void inode_moved(struct inode *to, struct inode *ip);
/* Check every pointer the inode cache owns; NULL if all hold, else what is wrong
   (the alias dentries' inode pointers: dcache_check). */
const char *icache_check(void);

/* The cached inode (sb, ino), read from disk on a miss; ERR_PTR on failure. */
struct inode *iget(struct super_block *sb, uint32_t ino);
/* Take another reference. */
struct inode *igrab(struct inode *ip);
/* Drop a reference; an unlinked inode is freed with its last one. */
void iput(struct inode *ip);
/* Mark ip changed (written back by iput or sync). */
void imark_dirty(struct inode *ip);
/* Copy every dirty inode of sb into its on-disk record (not its pages). */
void iwrite_all(struct super_block *sb);
/* Write every dirty page and inode of sb, then its metadata blocks. */
int vfs_sync(struct super_block *sb);
/* Is any inode of sb still in the cache? */
bool icache_holds(struct super_block *sb);
/* Inodes in the cache, referenced or not. */
uint32_t icache_count(void);
/* Forget unreferenced inodes of sb (all if sb is NULL); returns how many. */
uint32_t icache_prune(struct super_block *sb);

/* Mount dev as a file system of type name (NULL: each registered type in
   turn); the super block, or ERR_PTR (-EINVAL: no type recognises dev). */
struct super_block *vfs_mount(const char *type, struct blkdev *dev);
/* A fresh in-memory inode (sb, ino), hashed and referenced, not read from disk. */
struct inode *inew(struct super_block *sb, uint32_t ino);
/* Unmount: sync, and free everything; -EBUSY if a file is still in use. */
int vfs_unmount(struct super_block *sb);

/* Give back all unused dentries, inodes, pages and buffers; returns how many. */
uint32_t vfs_shrink_caches(void);

/*
 * The write-back daemon: write the root file system back every
 * SYNC_INTERVAL ticks, for ever. kmain starts it as a kernel thread.
 */
void vfs_flushd(void) __attribute__((noreturn));
#define SYNC_INTERVAL	(5 * 100)	/* ticks: five seconds */

/* The mounted root file system (fs/vfs.c). */
extern struct super_block *root_sb;
/* Make the dentry and page caches and mount the root file system from hda, if there is one. */
void vfs_init(void);
#endif
