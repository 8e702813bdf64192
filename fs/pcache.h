/*
 * fs/pcache.h: the page cache: file data, one page per (inode, page index).
 *
 * read and write go through it; part D maps executables from it, and
 * part H prefetches into it. A page is read from disk on first use and
 * written back (only if dirty) when its inode's last reference goes, on
 * sync, or on fsync-like requests.
 */
#ifndef FS_PCACHE_H
#define FS_PCACHE_H

#include "fs/vfs.h"

/*
 * The kernel address of page index of ip's data, read from disk first
 * unless fresh (the caller will overwrite the whole page, or it lies past
 * the end of the file: then it starts zeroed). ERR_PTR on failure.
 */
void *pcache_page(struct inode *ip, uint32_t index, bool fresh);
/* Make the cache of page-cache entries (vfs_init). */
void pcache_init(void);
/* Mark page index of ip changed. */
void pcache_dirty(struct inode *ip, uint32_t index);
/* Write ip's dirty pages; 0 or the first error. */
int pcache_writeback(struct inode *ip);
/* Does ip have a page not yet written back (a write-back failed)? */
bool pcache_has_dirty(struct inode *ip);
/* Forget ip's pages from index on, unwritten (truncate, eviction of clean pages). */
void pcache_drop(struct inode *ip, uint32_t from);

struct pcache_stats {
	uint32_t pages, hits, misses, writebacks;
};
extern struct pcache_stats pcache_stats;
#endif
