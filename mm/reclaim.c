/*
 * mm/reclaim.c: page replacement over the active and inactive lists.
 *
 * Every page of user memory reclaim may take (anonymous pages, page-cache
 * pages) is on one of two lists (mm/page.h). Pages come in on the
 * inactive list. Reclaim works from the tail of each:
 *
 *   inactive tail: look at the accessed bits of every PTE mapping the page
 *     (through the rmap: a page in a table shared by many processes is one
 *     PTE, looked at once)
 *       referenced, and referenced at the last look too .. to the active list
 *       referenced for the first time ..................... back to the head,
 *                                                           marked PG_referenced
 *       not referenced ..................................... evicted (or, on
 *                                                           the toss of a coin,
 *                                                           back to the head):
 *         anonymous: into the swap cache, every PTE turned into a swap entry,
 *                    written to swap, freed
 *         page cache: every PTE cleared, written back if dirty, freed
 *   active tail (while the active list is the longer one):
 *       referenced since the last look ...... back to the active head
 *       not referenced ...................... to the inactive head
 *
 * So a page touched once (a scan) leaves after two looks, and a page in
 * use reaches the active list and stays there while it is used. The coin
 * is what keeps a loop over more memory than there is from faulting on
 * every access, as it does under LRU or CLOCK (each evicts exactly the
 * page the loop wants next): with it, a random part of the loop stays.
 * Pages swapped back in start on the inactive list like new ones. The
 * measurements (reclaimbench against Belady's MIN) are in docs/reclaim.md.
 *
 * Invariant (what makes eviction safe): reclaim frees a page only when
 * every reference to it is one it can account for: a PTE (mapcount) and
 * the page cache's or swap cache's own. Anyone else holding a page across
 * an allocation holds a reference, and reclaim leaves that page alone.
 * Reclaim runs only where nothing else is half-done: in the reclaim
 * thread, and at the start of a page fault (mm/fault.c). The shrinkers
 * free file-system objects (dentries, inodes, buffers), which a system
 * call may be using without a reference while it copies to or from user
 * memory, so a fault in the kernel's user copies reclaims pages only.
 */
#include "mm/reclaim.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"
#include "kernel/sched/sched.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vm.h"

#define SCAN_BATCH	32	/* pages looked at per round, at least */
#define PRIORITIES	12	/* round p looks at 1/2^p of the lists */

struct reclaim_stats reclaim_stats;
static bool in_reclaim;
/*
 * After a pass that freed nothing (all anonymous and no swap, or all of it
 * in use), the free count it left: until memory is freed past it, another
 * pass would only scan the same pages again, so reclaim does not try.
 */
static uint32_t futile_at;
static bool (*oom_killer)(void);
static struct waitq kswapd_wait = WAITQ_INIT(kswapd_wait);
static bool kswapd_wanted;

/* A fair coin, the same sequence every boot (figures must repeat). */
static bool coin(void)
{
	static uint32_t x = 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x & 0x80000000u;
}

static struct page *lru_tail(struct list_head *list)
{
	return list_empty(list) ? NULL : list_entry(list->prev, struct page, lru);
}

/*
 * Evict page, which the caller pins with a reference of its own. 1 if the
 * page is now free to go (only the pin is left), 0 if it must stay.
 */
static int evict(struct page *page)
{
	bool anon = page->flags & PG_anon;
	int cached = anon ? !!(page->flags & PG_swapcache) : page->private != 0;

	if (page->flags & PG_shmem)
		cached = 1;			/* the shmem's reference */
	if (page->refcount != page->mapcount + cached + 1) {
		reclaim_stats.pinned++;
		return 0;
	}
	if (page->flags & PG_shmem) {		/* the shmem finds it again, not PTEs */
		try_to_unmap(page);
		if (!shm_swap_out(page)) {
			reclaim_stats.swap_full += swap_used() == swap_total();
			return 0;
		}
		reclaim_stats.anon_evicted++;
		return 1;
	}
	if (!anon) {
		try_to_unmap(page);
		if (cached && filemap_evict(page) < 0)
			return 0;		/* could not write it back: keep it */
		reclaim_stats.file_evicted++;
		return page->refcount == 1;
	}
	if (!cached) {
		uint32_t slot = swap_slot_alloc();
		if (!slot) {
			reclaim_stats.swap_full++;
			return 0;
		}
		swap_cache_add(page, slot);
	}
	try_to_unmap_swap(page);
	if ((page->flags & PG_dirty) && swap_writepage(page) < 0)
		return 0;		/* the PTEs find it in the swap cache */
	if (page->refcount != 2)
		return 0;		/* (cannot happen: no one ran) */
	swap_cache_del(page);
	reclaim_stats.anon_evicted++;
	return 1;
}

int reclaim_page(struct page *page)
{
	int r;

	if (!(page->flags & PG_lru) || in_reclaim)
		return 0;
	in_reclaim = true;
	get_page(page);
	r = evict(page);
	put_page(page);
	in_reclaim = false;
	return r;
}

/* Look at up to nr pages at the inactive tail; returns the pages freed. */
static uint32_t shrink_inactive(uint32_t nr)
{
	uint32_t freed = 0;
	struct page *page;

	while (nr-- && (page = lru_tail(&page_lru.inactive)) != NULL) {
		reclaim_stats.scanned++;
		if ((page->flags & PG_anon) && !swap_active()) {
			lru_move(page, true);	/* nowhere to put it: out of the way */
			continue;
		}
		if (page_referenced(page)) {
			if (page->flags & PG_referenced) {
				lru_move(page, true);
				page->flags &= ~PG_referenced;
				reclaim_stats.activated++;
			} else {
				lru_move(page, false);
				page->flags |= PG_referenced;
			}
			continue;
		}
		page->flags &= ~PG_referenced;
		if (coin()) {			/* one more trip round the list */
			lru_move(page, false);
			reclaim_stats.spared++;
			continue;
		}
		get_page(page);			/* the pin: it cannot go while we look */
		if (evict(page)) {
			freed++;
			reclaim_stats.stolen++;
		} else if (page->flags & PG_lru) {
			lru_move(page, false);
		}
		put_page(page);			/* frees it, if evicted */
	}
	return freed;
}

/* Move unreferenced pages from the active tail to the inactive list. */
static void shrink_active(uint32_t nr)
{
	struct page *page;

	while (nr-- && page_lru.nr_active > page_lru.nr_inactive &&
	       (page = lru_tail(&page_lru.active)) != NULL) {
		if (page_referenced(page) || ((page->flags & PG_anon) && !swap_active())) {
			lru_move(page, true);
			continue;
		}
		lru_move(page, false);
		reclaim_stats.deactivated++;
	}
}

/* Ask every shrinker for a share of its objects: scanned/lru of them. */
static void shrink_caches(uint32_t scanned, uint32_t lru)
{
	for (const struct shrinker *s = __shrinkers_start; s < __shrinkers_end; s++) {
		uint32_t n = s->count();
		uint32_t ask = lru ? (uint32_t)((uint64_t)n * scanned / lru) : n;
		if (ask == 0 && n > 0)
			ask = 1;
		if (ask)
			reclaim_stats.shrinker_freed += s->scan(MIN(ask, n));
	}
}

uint32_t reclaim_pages(uint32_t want, bool caches)
{
	uint32_t freed = 0, start = page_free_count();

	if (in_reclaim)
		return 0;		/* reclaim's own allocations do not recurse */
	in_reclaim = true;
	for (int prio = PRIORITIES; prio >= 0 && freed < want; prio--) {
		uint32_t lru = page_lru.nr_active + page_lru.nr_inactive;
		uint32_t scan = MAX(lru >> prio, (uint32_t)SCAN_BATCH);
		shrink_active(scan);
		freed += shrink_inactive(scan);
		if (caches) {
			shrink_caches(scan, lru);
			slab_shrink_all();
		}
		if (page_free_count() > start + freed)
			freed = page_free_count() - start;	/* caches gave pages back */
	}
	futile_at = freed ? 0 : page_free_count();
	in_reclaim = false;
	return freed;
}

/* Would a pass find nothing, as the last one did with this much free? */
static bool futile(void)
{
	if (futile_at && page_free_count() > futile_at)
		futile_at = 0;		/* memory was freed: things changed */
	return futile_at != 0;
}

void reclaim_if_short(bool caches)
{
	uint32_t free = page_free_count();

	if (free < watermarks.min && !in_reclaim && !futile()) {
		reclaim_stats.direct++;
		reclaim_pages(watermarks.low - free, caches);
	}
}

void reclaim_set_oom_killer(bool (*fn)(void))
{
	oom_killer = fn;
}

bool reclaim_oom(void)
{
	if (!oom_killer)
		return false;
	reclaim_stats.oom_kills++;
	return oom_killer();
}

/* Below the low watermark: wake the reclaim thread (from the allocator). */
static void kswapd_wake(void)
{
	int was;

	if (in_reclaim || kswapd_wanted || futile())
		return;
	was = irq_save();
	kswapd_wanted = true;
	waitq_wake(&kswapd_wait);
	irq_restore(was);
}

void kswapd_main(void)
{
	page_alloc_set_low_hook(kswapd_wake);
	for (;;) {
		cli();
		while (!kswapd_wanted)
			waitq_sleep(&kswapd_wait);
		sti();
		reclaim_stats.kswapd_wakeups++;
		while (page_free_count() < watermarks.high &&
		       reclaim_pages(watermarks.high - page_free_count(), true) > 0)
			yield();	/* let the others run between batches */
		kswapd_wanted = false;
	}
}
