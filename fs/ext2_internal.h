/* fs/ext2_internal.h: what the ext2 files share among themselves. */
#ifndef FS_EXT2_INTERNAL_H
#define FS_EXT2_INTERNAL_H

#include "fs/bcache.h"
#include "fs/vfs.h"
#include "kernel/time.h"

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
};

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

int ext2_read_inode(struct inode *ip);
int ext2_write_inode(struct inode *ip);
/* Clear inode ino's whole on-disk record (a new file must inherit nothing). */
int ext2_zero_inode(struct super_block *sb, uint32_t ino);
int ext2_readpage(struct inode *ip, uint32_t index, void *page);

/* Does ip's i_block[] list data blocks (not a device number)? */
static inline bool ext2_has_blocks(const struct inode *ip)
{
	return S_ISREG(ip->mode) || S_ISDIR(ip->mode) || ((ip->mode & S_IFMT) == S_IFLNK &&
	       ip->nsectors != 0);
}

/* The disk block holding file block fb of ip (0: a hole); alloc fills holes. */
int ext2_bmap(struct inode *ip, uint32_t fb, bool alloc, uint32_t *out);
struct buf *ext2_bread(struct super_block *sb, uint32_t blk);

/* fs/ext2_dir.c */
int ext2_lookup(struct inode *dir, const char *name, size_t len, uint32_t *ino);
int ext2_readdir(struct inode *dir, uint32_t *pos, struct vfs_dirent *de);
int ext2_add_entry(struct inode *dir, const char *name, size_t len, struct inode *ip);
int ext2_remove_entry(struct inode *dir, const char *name, size_t len);
int ext2_dir_init(struct inode *dir, struct inode *parent);

/* fs/ext2_alloc.c */
int ext2_alloc_block(struct super_block *sb, uint32_t goal, uint32_t *out);
void ext2_free_block(struct super_block *sb, uint32_t blk);
int ext2_alloc_inode(struct super_block *sb, uint32_t dir_ino, bool is_dir, uint32_t *out);
void ext2_free_inode(struct super_block *sb, uint32_t ino, bool is_dir);
int ext2_truncate(struct inode *ip, uint32_t size);
#endif
