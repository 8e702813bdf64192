/*
 * mm/swap.c: the swap area's slots and the swap cache (see mm/swap.h).
 *
 * Two arrays indexed by slot: count[s], the PTEs that name slot s, and
 * cache[s], the page caching it (or NULL). A slot is free when both are
 * empty. Slots are handed out next-fit from a cursor, so pages evicted
 * together lie together on disk and come back with one readahead.
 *
 * Disk I/O is synchronous (the ATA driver waits in place), so nothing
 * else runs between deciding to read a slot and having its page cached.
 */
#include "mm/swap.h"
#include "kernel/dev/blk.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/tunable.h"
#include "kernel/lib/x86.h"
#include "mm/slab.h"

#define SECTORS_PER_SLOT	(PGSIZE / SECTOR_SIZE)
#define HEADER_MAGIC		"SWAPSPACE2"

/* The version-1 header mkswap writes at byte 1024 of the first page. */
struct swap_header {
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	uint8_t uuid[16];
	char label[16];
};

static struct blkdev *dev;
static uint32_t nslots;			/* slots 1..nslots-1 hold pages */
static uint32_t *count;
static struct page **cache;
static uint32_t used, cursor = 1;
static uint32_t entries;		/* the sum of count[] */
static uint32_t shm_entries;		/* of them, shmem slots' */
static uint32_t ncached;			/* pages in the swap cache */
struct swap_stats swap_stats;

static char boot_dev[BLK_NAME] = "hde";

static const char *set_swap(const char *val, size_t len)
{
	if (!val || len == 0)
		return "wants a disk name, e.g. swap=hde, or swap=none";
	if (len >= sizeof(boot_dev))
		return "value too long";
	memcpy(boot_dev, val, len);
	boot_dev[len] = '\0';
	return NULL;
}

TUNABLE_CALL(swap, set_swap,
	     "the swap disk: hde (the default: the third IDE channel's first disk), or none");

void swap_boot(void)
{
	int r;

	if (!strcmp(boot_dev, "none"))
		return;
	if ((r = swap_on(boot_dev)) == -ENODEV)
		printk("swap: no disk %s: running without swap\n", boot_dev);
	else if (r < 0)
		printk(KERN_WARNING "swap: %s not used (error %d)\n", boot_dev, r);
}

bool swap_active(void)
{
	return dev != NULL;
}

uint32_t swap_total(void)
{
	return nslots ? nslots - 1 : 0;
}

uint32_t swap_used(void)
{
	return used;
}

int swap_on(const char *name)
{
	struct blkdev *d = blk_find(name);
	uint8_t *hdr;
	struct swap_header *h;
	uint32_t n;
	int r = -EINVAL;

	if (!d)
		return -ENODEV;
	if (dev)
		return -EBUSY;
	if (!(hdr = kmalloc(PGSIZE)))
		return -ENOMEM;
	if (blk_read(d, 0, SECTORS_PER_SLOT, hdr) < 0) {
		r = -EIO;
		goto out;
	}
	h = (struct swap_header *)(hdr + 1024);
	if (memcmp(hdr + PGSIZE - 10, HEADER_MAGIC, 10) != 0 || h->version != 1) {
		printk(KERN_WARNING "swap: %s has no swap signature (make it with mkswap)\n", name);
		goto out;
	}
	/* pages 1..last_page, and no more than the disk has */
	n = MIN(h->last_page + 1, d->nsectors / SECTORS_PER_SLOT);
	if (n < 2 || h->nr_badpages) {
		printk(KERN_WARNING "swap: %s: %u pages, %u bad: not used\n", name, n,
		       h->nr_badpages);
		goto out;
	}
	count = kzalloc(n * sizeof(*count));
	cache = kzalloc(n * sizeof(*cache));
	if (!count || !cache) {
		kfree(count);
		kfree(cache);
		count = NULL;
		cache = NULL;
		r = -ENOMEM;
		goto out;
	}
	nslots = n;
	dev = d;
	d->no_flush = true;		/* nothing on it outlives the machine */
	printk("swap: %s: %u KiB in %u slots\n", name, (n - 1) * (PGSIZE >> 10), n - 1);
	r = 0;
out:
	kfree(hdr);
	return r;
}

int swap_off(void)
{
	if (!dev)
		return -EINVAL;
	if (used)
		return -EBUSY;
	dev->no_flush = false;
	dev = NULL;
	kfree(count);
	kfree(cache);
	count = NULL;
	cache = NULL;
	nslots = 0;
	cursor = 1;
	return 0;
}

static bool slot_free(uint32_t s)
{
	return count[s] == 0 && cache[s] == NULL;
}

uint32_t swap_slot_alloc(void)
{
	if (!dev || used == nslots - 1)
		return 0;
	for (uint32_t i = 0; i < nslots; i++) {
		uint32_t s = cursor;
		cursor = cursor + 1 < nslots ? cursor + 1 : 1;
		if (s != 0 && slot_free(s)) {
			used++;
			return s;
		}
	}
	return 0;
}

static void slot_release(uint32_t s)
{
	if (slot_free(s)) {
		KASSERT(used > 0);
		used--;
	}
}

void swap_dup(uint32_t slot)
{
	KASSERT(slot > 0 && slot < nslots && !slot_free(slot));
	count[slot]++;
	entries++;
}

void swap_put(uint32_t slot)
{
	struct page *page;

	KASSERT(slot > 0 && slot < nslots && count[slot] > 0);
	entries--;
	if (--count[slot] > 0)
		return;
	page = cache[slot];
	if (page)
		swap_cache_del(page);	/* nobody can ask for it again */
	else
		slot_release(slot);
}

uint32_t swap_cached(void)
{
	return ncached;
}

uint32_t swap_entries(void)
{
	return entries;
}

uint32_t swap_count(uint32_t slot)
{
	return slot > 0 && slot < nslots ? count[slot] : 0;
}

struct page *swap_cache_find(uint32_t slot)
{
	return slot > 0 && slot < nslots ? cache[slot] : NULL;
}

void swap_cache_add(struct page *page, uint32_t slot)
{
	KASSERT(slot > 0 && slot < nslots && !cache[slot]);
	KASSERT(!(page->flags & PG_swapcache));
	get_page(page);
	cache[slot] = page;
	ncached++;
	page->private = slot;
	page->flags |= PG_swapcache | PG_dirty;
}

void swap_cache_del(struct page *page)
{
	uint32_t slot = page->private;

	KASSERT((page->flags & PG_swapcache) && cache[slot] == page);
	cache[slot] = NULL;
	ncached--;
	page->flags &= ~(PG_swapcache | PG_dirty);
	page->private = 0;
	slot_release(slot);
	put_page(page);
}

int swap_writepage(struct page *page)
{
	uint32_t slot = page->private;

	KASSERT(page->flags & PG_swapcache);
	if (blk_write(dev, slot * SECTORS_PER_SLOT, SECTORS_PER_SLOT, page_address(page)) < 0) {
		swap_stats.errors++;
		return -EIO;
	}
	page->flags &= ~PG_dirty;
	swap_stats.pswpout++;
	return 0;
}

/* Read slot into a new page and cache it; the page, with the cache's reference only. */
static struct page *read_slot(uint32_t slot)
{
	struct page *page = alloc_page();

	if (!page)
		return NULL;
	if (blk_read(dev, slot * SECTORS_PER_SLOT, SECTORS_PER_SLOT, page_address(page)) < 0) {
		swap_stats.errors++;
		put_page(page);
		return NULL;
	}
	swap_stats.pswpin++;
	swap_cache_add(page, slot);
	page->flags &= ~PG_dirty;	/* the disk has it */
	put_page(page);			/* the cache's reference is the one left */
	lru_add(page, true);
	return page;
}

struct page *swap_read(uint32_t slot)
{
	struct page *page = swap_cache_find(slot);
	uint32_t first = slot & ~(SWAP_CLUSTER - 1);

	if (page) {
		swap_stats.cache_hits++;
		get_page(page);
		return page;
	}
	if (!(page = read_slot(slot)))
		return NULL;
	get_page(page);
	/* the neighbours that PTEs still name, while memory is not short */
	for (uint32_t s = MAX(first, 1u); s < first + SWAP_CLUSTER && s < nslots; s++) {
		if (s == slot || count[s] == 0 || cache[s])
			continue;
		if (page_free_count() < watermarks.high || !read_slot(s))
			break;
		swap_stats.readahead++;
	}
	return page;
}

void shm_page_home(struct page *page, struct page **home)
{
	page->flags |= PG_shmem;
	page->private = (uintptr_t)home;
}

int shm_swap_out(struct page *page)
{
	struct page **home = (struct page **)page->private;
	uint32_t slot;

	KASSERT((page->flags & PG_shmem) && *home == page && page->mapcount == 0);
	if (page->refcount != 2)	/* the shmem's and the caller's pin */
		return 0;
	if (!(slot = swap_slot_alloc()))
		return 0;
	page->flags &= ~PG_shmem;
	swap_cache_add(page, slot);		/* (private is the slot now) */
	swap_dup(slot);
	shm_entries++;
	*home = (struct page *)(uintptr_t)((slot << 1) | 1);
	put_page(page);				/* the shmem's reference */
	if (swap_writepage(page) < 0)
		return 0;			/* home finds it in the swap cache */
	swap_cache_del(page);
	return 1;
}

struct page *shm_swap_in(struct page **home)
{
	uint32_t slot = (uintptr_t)*home >> 1;
	struct page *page;

	KASSERT(shm_swapped(*home));
	if (!(page = swap_read(slot)))
		return NULL;
	*home = page;				/* swap_read's reference is the shmem's */
	shm_entries--;
	swap_put(slot);				/* no one else names it: out of the cache */
	KASSERT(!(page->flags & PG_swapcache));
	shm_page_home(page, home);
	return page;
}

void shm_release(struct page **home)
{
	if (!*home)
		return;
	if (shm_swapped(*home)) {
		shm_entries--;
		swap_put((uintptr_t)*home >> 1);
	} else {
		(*home)->flags &= ~PG_shmem;
		(*home)->private = 0;
		put_page(*home);
	}
	*home = NULL;
}

uint32_t swap_shm_entries(void)
{
	return shm_entries;
}

/* After each self-test every slot must be free again. */
static unsigned long slots_used(void)
{
	return used;
}
RESOURCE_COUNT(swap_slots, "swap slots in use", 2, NULL, slots_used);
