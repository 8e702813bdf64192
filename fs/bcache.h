/*
 * fs/bcache.h: the buffer cache: file-system metadata blocks in memory.
 *
 * bread returns a block with a reference held; the caller reads or
 * changes b->data, calls bdirty if it changed it, and brelse when done.
 * Dirty blocks reach the disk on bsync, or when the cache evicts them to
 * make room (least recently released first). One CPU, no sleeping: a
 * reference is all the locking there is.
 */
#ifndef FS_BCACHE_H
#define FS_BCACHE_H

#include "kernel/dev/blk.h"
#include "kernel/lib/list.h"

#define B_VALID		0x1	/* data holds the block */
#define B_DIRTY		0x2	/* data differs from the disk */

struct buf {
	struct blkdev *dev;
	uint32_t blockno;	/* in units of size */
	uint32_t size;		/* bytes: 1024, 2048 or 4096 */
	unsigned flags;
	int refcnt;		/* bread takes one, brelse drops it */
	uint8_t *data;
	struct list_head lru;	/* all buffers, most recently released first */
	struct buf *hash_next;
};

struct bcache_stats {
	uint32_t hits, misses, writebacks, evictions, nbufs;
};
extern struct bcache_stats bcache_stats;

/* Block blockno of dev (size bytes), referenced; ERR_PTR(-EIO / -ENOMEM) on failure. */
struct buf *bread(struct blkdev *dev, uint32_t blockno, uint32_t size);
/* Block blockno of dev, referenced, without reading it: for a block the
   caller overwrites whole (its contents are stale or garbage until then). */
struct buf *bget(struct blkdev *dev, uint32_t blockno, uint32_t size);
/* Mark b changed; it is written back later. */
void bdirty(struct buf *b);
/* Write b now; 0 or -EIO. */
int bwrite(struct buf *b);
/* Drop the reference bread took. */
void brelse(struct buf *b);
/* Drop block blk of dev from the cache unwritten (it was freed on disk). */
void bforget(struct blkdev *dev, uint32_t blk, uint32_t size);
/* Write every dirty block of dev (all devices if NULL), in block order; 0 or -EIO. */
int bsync(struct blkdev *dev);
/* Write back and forget every block of dev; -EBUSY if one is still referenced. */
int binvalidate(struct blkdev *dev);
/* Write back, then free every unreferenced buffer; returns how many. */
unsigned bcache_shrink(void);
/* Buffers held in memory at most. */
#define NBUF	512
#endif
