/*
 * mm/reclaim.h: page replacement, the reclaim thread, shrinkers and the
 * out-of-memory path (docs/reclaim.md).
 */
#ifndef MM_RECLAIM_H
#define MM_RECLAIM_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/lib/registry.h"

struct page;

/*
 * A cache that can give memory back when reclaim asks: count says how
 * many objects it could free, scan frees up to nr of them and says how
 * many went. Reclaim asks each in proportion to its size (SHRINKER below
 * registers one from any layer).
 */
struct shrinker {
	const char *name;
	uint32_t (*count)(void);
	uint32_t (*scan)(uint32_t nr);
};

#define SHRINKER(id, count_fn, scan_fn)					\
	static const struct shrinker shrinker_##id REGISTRY_ENTRY(".shrinkers") = \
		{ #id, count_fn, scan_fn }

extern const struct shrinker __shrinkers_start[], __shrinkers_end[];

/* Free at least want pages if it can (asking the shrinkers too if caches); the pages freed. */
uint32_t reclaim_pages(uint32_t want, bool caches);
/* Evict page now, whatever its age (self-tests, labs); 1 if it was freed. */
int reclaim_page(struct page *page);
/* Reclaim until free pages are above the low watermark, if they are below min. */
void reclaim_if_short(bool caches);
/* The reclaim thread's body (kswapd): sleeps until memory falls below low. */
void kswapd_main(void) __attribute__((noreturn));

/*
 * What the process layer does when nothing can be reclaimed: pick a
 * victim and kill it. It returns true if the faulting task may try again
 * (someone else was killed and has had the CPU to die), false if it
 * should fail (it is the victim, or no one could be killed).
 */
void reclaim_set_oom_killer(bool (*fn)(void));
/* Run the out-of-memory killer (false if there is none, as above). */
bool reclaim_oom(void);

struct reclaim_stats {
	uint32_t scanned;		/* inactive pages looked at */
	uint32_t stolen;		/* pages freed by eviction */
	uint32_t activated, deactivated;
	uint32_t anon_evicted, file_evicted;
	uint32_t pinned;		/* skipped: a reference reclaim cannot account for */
	uint32_t spared;		/* unreferenced, but sent round again by the coin */
	uint32_t swap_full;		/* anonymous pages kept because no slot was free */
	uint32_t kswapd_wakeups, direct;	/* runs of the thread, and by faulting tasks */
	uint32_t shrinker_freed;	/* objects the shrinkers gave back */
	uint32_t oom_kills;
};
extern struct reclaim_stats reclaim_stats;

#endif
