/*
 * mm/filemap.h: the page cache: file data in memory, one page per (file,
 * page index).
 *
 * A file's pages hang off the struct filemap its owner embeds (the VFS
 * puts one in every inode). The page cache reaches the file system only
 * through the filemap's operations: readpage fills a page from disk on
 * first use, writepage writes a dirty one back (at the owner's last
 * reference, on sync, or when asked). Address spaces map file pages from
 * here (exec maps executables, mm/fault.c), and hold the file itself only
 * through get/put, so memory management never names an inode.
 *
 * Rules: a cached page's one reference belongs to its entry here (a
 * mapping takes its own); page->private points back at the entry; the
 * owner keeps a filemap alive while any page is cached or any region
 * holds a reference.
 */
#ifndef MM_FILEMAP_H
#define MM_FILEMAP_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/lib/list.h"

struct filemap;
struct page;

struct filemap_ops {
	/* Fill page index with file data (zeros past the end and in holes); 0 or -E. */
	int (*readpage)(struct filemap *m, uint32_t index, void *page);
	/* Fill n pages from index first with few disk requests (may be NULL,
	   or say -ENOSYS: then readpage each); 0 or -E. */
	int (*readpages)(struct filemap *m, uint32_t first, uint32_t n, void **pages);
	/* Write page index back (only what lies inside the file); 0 or -E. */
	int (*writepage)(struct filemap *m, uint32_t index, const void *page);
	/* A region maps this file: take, and drop, a reference on its owner. */
	void (*get)(struct filemap *m);
	void (*put)(struct filemap *m);
};

struct filemap {
	const struct filemap_ops *ops;
	struct list_head pages;		/* cached entries (owned by mm/filemap.c) */
	uint32_t npages;
	int busy;			/* page I/O in progress (it may sleep): the
					   owner must not move the filemap meanwhile */
};

/* m is a byte copy of old, whose owner moved (slab relocation): make the
   cached entries lead to m, rehashed under its address. Interrupts off. */
void filemap_moved(struct filemap *m, struct filemap *old);
/* What is wrong with m's entries (map pointers, hash chains, counts), or NULL. */
const char *filemap_check(const struct filemap *m);
/* Make m an empty page cache for a file whose owner provides ops. */
void filemap_init(struct filemap *m, const struct filemap_ops *ops);
/*
 * The kernel address of page index of m's data, read in first unless
 * fresh (the caller will overwrite the whole page, or it lies past the
 * end of the file: then it starts zeroed). ERR_PTR on failure.
 */
void *filemap_page(struct filemap *m, uint32_t index, bool fresh);
/*
 * Read the pages idx[0..n) (ascending) of m into the cache ahead of use,
 * in runs: pages up to gap apart are read together with the ones between
 * (one request beats two on a disk), at most FILEMAP_RUN pages a run.
 * Returns the pages read (those already cached cost nothing).
 */
uint32_t filemap_prefetch(struct filemap *m, const uint32_t *idx, uint32_t n, uint32_t gap);
#define FILEMAP_RUN	16
/* Mark page index of m changed (if it is cached). */
void filemap_dirty(struct filemap *m, uint32_t index);
/* Write m's dirty pages back; 0 or the first error (those pages stay dirty). */
int filemap_writeback(struct filemap *m);
/*
 * Reclaim: take page (a page-cache page no PTE maps) out of the cache,
 * writing it back first if dirty; the cache's reference goes. 0, or the
 * write's error (the page stays cached).
 */
int filemap_evict(struct page *page);
/* Does m have a page not yet written back (a write-back failed)? */
bool filemap_has_dirty(struct filemap *m);
/* Forget m's pages from index on, unwritten (truncate, eviction). */
void filemap_drop(struct filemap *m, uint32_t from);
/* A region's reference on m's owner; returns m. */
struct filemap *filemap_get(struct filemap *m);
/* Drop a reference filemap_get took. */
void filemap_put(struct filemap *m);
/* Make the cache of page-cache entries. */
void filemap_init_cache(void);

struct filemap_stats {
	uint32_t pages, hits, misses, writebacks;
	uint32_t prefetched;		/* pages read by filemap_prefetch */
	uint32_t evictions;		/* pages reclaim took */
};
extern struct filemap_stats filemap_stats;
#endif
