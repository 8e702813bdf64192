/*
 * fs/ext2/ext2.h: the ext2 on-disk format, as Pagoda reads and writes it.
 *
 * Revision 0 or 1, block sizes 1, 2 and 4 KiB. Supported features:
 * filetype (incompat), sparse_super and large_file (ro_compat; files stay
 * below 4 GiB), and any compat feature (dir_index is handled by clearing a
 * directory's index flag when it changes, as Linux's ext2 does). A file
 * system with any other incompat feature is refused at mount with a
 * message. docs/ext2.md draws the layout.
 */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include <stdint.h>

#define EXT2_MAGIC		0xef53
#define EXT2_SUPER_OFFSET	1024
#define EXT2_ROOT_INO		2
#define EXT2_NDIR_BLOCKS	12
#define EXT2_IND_BLOCK		12
#define EXT2_DIND_BLOCK		13
#define EXT2_TIND_BLOCK		14
#define EXT2_N_BLOCKS		15
#define EXT2_NAME_LEN		255

#define EXT2_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT2_INDEX_FL				0x00001000	/* htree directory */

struct ext2_super {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	uint16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* revision 1 */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;
	/* ext3's, which e2fsck honours on ext2 too */
	uint8_t s_journal_uuid[16];
	uint32_t s_journal_inum;
	uint32_t s_journal_dev;
	uint32_t s_last_orphan;		/* first inode of the orphan list, or 0 */
} __attribute__((packed));

_Static_assert(__builtin_offsetof(struct ext2_super, s_last_orphan) == 232,
	       "s_last_orphan sits at byte 232 of the super block");

#define EXT2_VALID_FS		0x0001	/* s_state: cleanly unmounted */

struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint32_t bg_reserved[3];
} __attribute__((packed));

struct ext2_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;		/* 512-byte sectors */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high;		/* large_file: size bits 32..63 */
	uint32_t i_faddr;
	uint8_t i_osd2[12];
} __attribute__((packed));

struct ext2_dirent {
	uint32_t inode;			/* 0: unused entry */
	uint16_t rec_len;		/* to the next entry */
	uint8_t name_len;
	uint8_t file_type;		/* with the filetype feature */
	char name[];
} __attribute__((packed));

#define EXT2_FT_UNKNOWN	0
#define EXT2_FT_REG	1
#define EXT2_FT_DIR	2
#define EXT2_FT_CHR	3
#define EXT2_FT_SYMLINK	7

/* The dirent header without the name, and a record's minimum length for n name bytes. */
#define EXT2_DIRENT_HDR	8
#define EXT2_REC_LEN(n)	((EXT2_DIRENT_HDR + (n) + 3) & ~3u)
#endif
