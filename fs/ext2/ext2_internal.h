/*
 * fs/ext2/ext2_internal.h: what the ext2 files share among themselves:
 * the mounted file system's state (struct ext2_info, sb->fs_info), the
 * in-memory inode (struct ext2_inode_info, the VFS inode with ext2's own
 * fields beside it), and the functions of each file. The VFS sees none of
 * this: it reaches ext2 through ext2_fs_type and ext2_ops.
 */
#ifndef FS_EXT2_EXT2_INTERNAL_H
#define FS_EXT2_EXT2_INTERNAL_H

#include "fs/bcache.h"
#include "fs/ext2/ext2.h"
#include "fs/vfs.h"
#include "kernel/lib/errno.h"

/* ext2 passes its directory file types through: the numbers must agree. */
_Static_assert(EXT2_FT_REG == DT_REG && EXT2_FT_DIR == DT_DIR && EXT2_FT_CHR == DT_CHR &&
	       EXT2_FT_SYMLINK == DT_LNK, "ext2 and VFS file types differ");

struct ext2_info {
	uint8_t super[1024];		/* the super block as on disk */
	uint32_t bs;			/* block size */
	uint32_t groups;
	uint32_t ipg, bpg;		/* inodes, blocks per group */
	uint32_t isz;			/* on-disk inode size */
	uint32_t first_data;		/* block number of block group 0 */
	uint32_t blocks_count, inodes_count;
	uint32_t gd_blocks;		/* blocks of group descriptors */
	struct ext2_group_desc *gd;	/* all of them, in memory */
	bool filetype;			/* dirents carry a file type */
	bool meta_dirty;		/* super block or descriptors changed */
	bool mounted_rw;		/* s_state says "in use": put_super says "clean" */
	struct list_head orphans;	/* in-memory mirror of the orphan list, head first */
	/* Frees not yet made (balloc.c): a bit per block and per inode of each
	   group, set while its bitmap bit must stay set until the next commit. */
	uint8_t *deferred;		/* groups * (bstride + istride) bytes */
	uint32_t bstride, istride;	/* bytes per group for blocks, for inodes */
	uint32_t ndeferred;
};

/* An inode in memory: the VFS's part first, then ext2's (Linux's ext2_inode_info). */
struct ext2_inode_info {
	struct inode vfs;
	uint32_t blocks[EXT2_N_BLOCKS];	/* i_block: the block map's roots */
	uint32_t flags;			/* i_flags */
	uint32_t nsectors;		/* i_blocks: 512-byte sectors in use */
	uint32_t file_acl;		/* i_file_acl: the xattr block, or 0 */
	uint32_t generation;		/* i_generation */
	struct list_head orphan;	/* on ext2_info->orphans while an orphan; else empty */
};

/* Move ip to another slot of the inode cache (self-tests): its new address,
   or NULL if it may not move (referenced from outside the dcache, busy). */
struct inode *ext2_relocate_inode(struct inode *ip);
/* Empty the inode cache's sparse slabs by moving inodes; pages freed. */
uint32_t ext2_evacuate_inodes(void);

static inline struct ext2_inode_info *EXT2_I(struct inode *ip)
{
	return container_of(ip, struct ext2_inode_info, vfs);
}

static inline struct ext2_info *EXT2(struct super_block *sb)
{
	return sb->fs_info;
}

static inline struct ext2_super *ext2_super(struct super_block *sb)
{
	return (struct ext2_super *)EXT2(sb)->super;
}

/* Is blk a block number inside the file system's data area? */
static inline bool ext2_valid_block(struct super_block *sb, uint32_t blk)
{
	return blk >= EXT2(sb)->first_data && blk < EXT2(sb)->blocks_count;
}

/* Metadata block blk through the buffer cache; ERR_PTR(-EIO) if blk is outside the disk. */
static inline struct buf *ext2_bread(struct super_block *sb, uint32_t blk)
{
	if (!ext2_valid_block(sb, blk))
		return ERR_PTR(-EIO);
	return bread(sb->dev, blk, EXT2(sb)->bs);
}

/* Does ip's i_block[] list data blocks (not a device number)? */
static inline bool ext2_has_blocks(struct inode *ip)
{
	return S_ISREG(ip->mode) || S_ISDIR(ip->mode) || ((ip->mode & S_IFMT) == S_IFLNK &&
	       EXT2_I(ip)->nsectors != 0);
}

/* fs/ext2/super.c: mounting, and the file system as the VFS sees it (fs_ops). */
void ext2_put_super(struct super_block *sb);

/* fs/ext2/inode.c: inodes in memory and on disk, and file data (fs_ops). */
struct inode *ext2_alloc_inode(struct super_block *sb);
void ext2_destroy_inode(struct inode *ip);
int ext2_read_inode(struct inode *ip);
int ext2_write_inode(struct inode *ip);
/* Copy ip into its on-disk record's buffer; with now, write that block at once. */
int ext2_write_record(struct inode *ip, bool now);
/* Write, at once, the indirect blocks that lead to file block fb of ip,
   the deepest first, then ip's record: fb's new pointers reach the disk. */
int ext2_write_path(struct inode *ip, uint32_t fb);
int ext2_readpage(struct inode *ip, uint32_t index, void *page);
int ext2_readpages(struct inode *ip, uint32_t first, uint32_t n, void **pages);
int ext2_writepage(struct inode *ip, uint32_t index, const void *page, uint32_t bytes);
int ext2_prepare_write(struct inode *ip, uint32_t index, uint32_t bytes);
int ext2_truncate(struct inode *ip, uint32_t size);
int ext2_evict(struct inode *ip);
int ext2_orphan(struct inode *ip);
/* Free the inodes on the on-disk orphan list (a crash left them); how many. */
uint32_t ext2_orphan_cleanup(struct super_block *sb);
/* Clear inode ino's whole on-disk record (a new file must inherit nothing). */
int ext2_zero_inode(struct super_block *sb, uint32_t ino);
/* Free the file blocks in [first, last) of ip, and indirect blocks left empty. */
void ext2_trim(struct inode *ip, uint32_t first, uint32_t last);
/* The disk block holding file block fb of ip (0: a hole); alloc fills holes. */
int ext2_bmap(struct inode *ip, uint32_t fb, bool alloc, uint32_t *out);

/* fs/ext2/dir.c: directories; the fs_ops lookup and readdir. */
int ext2_lookup(struct inode *dir, const char *name, size_t len, uint32_t *ino);
int ext2_readdir(struct inode *dir, uint32_t *pos, struct vfs_dirent *de);
/* Add the entry name -> ip to dir; 0, -EEXIST, -ENOSPC or -EIO. */
int ext2_add_entry(struct inode *dir, const char *name, size_t len, struct inode *ip);
/* Remove the entry name from dir; 0, -ENOENT or -EIO. */
int ext2_remove_entry(struct inode *dir, const char *name, size_t len);
/* Give a new directory its "." and ".." entries. */
int ext2_dir_init(struct inode *dir, struct inode *parent);

/* fs/ext2/namei.c: names (fs_ops create, link, unlink). */
int ext2_create(struct inode *dir, const char *name, size_t len, uint16_t mode,
		struct inode **out);
int ext2_link(struct inode *dir, const char *name, size_t len, struct inode *ip);
int ext2_unlink(struct inode *dir, const char *name, size_t len, struct inode *ip);

/* fs/ext2/balloc.c: the block and inode bitmaps, the counts, the commit. */
/*
 * Make everything written so far safe, then make the deferred frees:
 * write every dirty buffer, clear the bits of the blocks and inodes freed
 * since the last commit, and write the bitmaps, descriptors and super
 * block. 0 or -EIO (then the frees stay deferred).
 */
int ext2_commit(struct super_block *sb);
/* Write the super block to disk now; 0 or -EIO. */
int ext2_write_super(struct super_block *sb);
/* Set up the deferred-free maps of a read-write mount; 0 or -ENOMEM. */
int ext2_balloc_init(struct super_block *sb);
/* A free block near goal, marked used, in *out; -ENOSPC if the disk is full. */
int ext2_alloc_block(struct super_block *sb, uint32_t goal, uint32_t *out);
/* Free block blk at the next commit: nothing on disk may point at it by then. */
void ext2_free_block(struct super_block *sb, uint32_t blk);
/* A free inode number near directory dir_ino, marked used, in *out; -ENOSPC. */
int ext2_ialloc(struct super_block *sb, uint32_t dir_ino, bool is_dir, uint32_t *out);
/* Free inode ino at the next commit (its record says "deleted" by then). */
void ext2_ifree(struct super_block *sb, uint32_t ino, bool is_dir);
/* Clear the bitmap bits of every deferred free and count them free. */
int ext2_apply_frees(struct super_block *sb);
#endif
