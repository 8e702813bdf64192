/*
 * fs/bcache.c: the buffer cache.
 *
 * Buffers live on one LRU list (head = most recently released) and on a
 * hash chain keyed by (device, block number). bread looks in the hash; on
 * a miss it takes a new buffer while fewer than NBUF exist, else recycles
 * the least recently used unreferenced one, writing it back first if it
 * is dirty. Invariant: a buffer with refcnt > 0 is never recycled, and a
 * (device, block) pair is in the cache at most once.
 */
#include "fs/bcache.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "mm/reclaim.h"
#include "mm/slab.h"

#define NHASH	128

static struct buf *hash[NHASH];
static struct list_head lru = LIST_HEAD_INIT(lru);
struct bcache_stats bcache_stats;

static unsigned bucket(struct blkdev *dev, uint32_t blockno)
{
	return ((uintptr_t)dev / 16 + blockno * 2654435761u) % NHASH;
}

static void hash_del(struct buf *b)
{
	for (struct buf **pp = &hash[bucket(b->dev, b->blockno)]; *pp; pp = &(*pp)->hash_next)
		if (*pp == b) {
			*pp = b->hash_next;
			return;
		}
}

static struct buf *lookup(struct blkdev *dev, uint32_t blockno, uint32_t size)
{
	for (struct buf *b = hash[bucket(dev, blockno)]; b; b = b->hash_next)
		if (b->dev == dev && b->blockno == blockno && b->size == size)
			return b;
	return NULL;
}

static int write_back(struct buf *b)
{
	uint32_t spb = b->size / SECTOR_SIZE;

	if (blk_write(b->dev, b->blockno * spb, spb, b->data) < 0)
		return -EIO;
	b->flags &= ~B_DIRTY;
	bcache_stats.writebacks++;
	return 0;
}

/* A buffer to reuse: new while there is room, else the LRU unreferenced one. */
static struct buf *get_free(uint32_t size)
{
	struct buf *b = NULL;
	struct list_head *pos;

	if (bcache_stats.nbufs < NBUF && (b = kzalloc(sizeof(*b)))) {
		list_add(&b->lru, &lru);
		bcache_stats.nbufs++;
	} else {
		for (pos = lru.prev; pos != &lru; pos = pos->prev) {
			struct buf *c = list_entry(pos, struct buf, lru);
			if (c->refcnt == 0 && (!(c->flags & B_DIRTY) || write_back(c) == 0)) {
				b = c;
				break;
			}
		}
		if (!b)
			return NULL;
		if (b->flags & B_VALID)
			hash_del(b);
		bcache_stats.evictions++;
	}
	if (b->size != size) {
		kfree(b->data);
		b->size = 0;
		if (!(b->data = kmalloc(size)))
			return NULL;	/* stays on the LRU, empty, for next time */
		b->size = size;
	}
	b->flags = 0;
	return b;
}

struct buf *bread(struct blkdev *dev, uint32_t blockno, uint32_t size)
{
	struct buf *b = lookup(dev, blockno, size);
	uint32_t spb = size / SECTOR_SIZE;

	if (b) {
		bcache_stats.hits++;
		b->refcnt++;
		return b;
	}
	bcache_stats.misses++;
	if (!(b = get_free(size)))
		return ERR_PTR(-ENOMEM);
	if (blk_read(dev, blockno * spb, spb, b->data) < 0)
		return ERR_PTR(-EIO);	/* b stays free and invalid */
	b->dev = dev;
	b->blockno = blockno;
	b->flags = B_VALID;
	b->refcnt = 1;
	b->hash_next = hash[bucket(dev, blockno)];
	hash[bucket(dev, blockno)] = b;
	return b;
}

struct buf *bget(struct blkdev *dev, uint32_t blockno, uint32_t size)
{
	struct buf *b = lookup(dev, blockno, size);

	if (b) {
		bcache_stats.hits++;
		b->refcnt++;
		return b;
	}
	if (!(b = get_free(size)))
		return ERR_PTR(-ENOMEM);
	b->dev = dev;
	b->blockno = blockno;
	b->flags = B_VALID;	/* what the caller is about to write is the truth */
	b->refcnt = 1;
	b->hash_next = hash[bucket(dev, blockno)];
	hash[bucket(dev, blockno)] = b;
	return b;
}

void bdirty(struct buf *b)
{
	b->flags |= B_DIRTY;
}

int bwrite(struct buf *b)
{
	return write_back(b);
}

void brelse(struct buf *b)
{
	if (b->refcnt <= 0)
		panic("brelse: block %u of %s released more often than read", b->blockno,
		      b->dev->name);
	b->refcnt--;
	list_del(&b->lru);
	list_add(&b->lru, &lru);
}

int bsync(struct blkdev *dev)
{
	for (;;) {	/* the lowest dirty block next: writes go in disk order */
		struct buf *low = NULL;
		struct list_head *pos;

		list_for_each(pos, &lru) {
			struct buf *b = list_entry(pos, struct buf, lru);
			if ((b->flags & B_DIRTY) && (!dev || b->dev == dev) &&
			    (!low || b->blockno < low->blockno))
				low = b;
		}
		if (!low)
			return 0;
		if (write_back(low) < 0)
			return -EIO;
	}
}

int binvalidate(struct blkdev *dev)
{
	struct list_head *pos;

	if (bsync(dev) < 0)
		return -EIO;
	list_for_each(pos, &lru) {
		struct buf *b = list_entry(pos, struct buf, lru);
		if (b->dev == dev && (b->flags & B_VALID)) {
			if (b->refcnt)
				return -EBUSY;
			hash_del(b);
			b->flags = 0;
		}
	}
	return 0;
}

void bforget(struct blkdev *dev, uint32_t blk, uint32_t size)
{
	struct buf *b = lookup(dev, blk, size);

	if (b && b->refcnt == 0) {
		hash_del(b);
		b->flags = 0;
	}
}

/* Free up to n clean, unreferenced buffers, least recently released first. */
static uint32_t shrink_clean(uint32_t n)
{
	struct list_head *pos, *prev;
	uint32_t freed = 0;

	for (pos = lru.prev; pos != &lru && freed < n; pos = prev) {
		struct buf *b = list_entry(pos, struct buf, lru);
		prev = pos->prev;
		if (b->refcnt || (b->flags & B_DIRTY))
			continue;
		if (b->flags & B_VALID)
			hash_del(b);
		list_del(&b->lru);
		kfree(b->data);
		kfree(b);
		bcache_stats.nbufs--;
		freed++;
	}
	return freed;
}

/* Reclaim's view: every buffer (dirty ones are skipped until written back). */
static uint32_t nbufs(void)
{
	return bcache_stats.nbufs;
}

SHRINKER(bcache, nbufs, shrink_clean);

unsigned bcache_shrink(void)
{
	bsync(NULL);
	return shrink_clean(UINT32_MAX);
}
