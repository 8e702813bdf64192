/*
 * mm/swap.h: the swap area, its slots, and the swap cache.
 *
 * The swap area is a block device made by Linux's mkswap (version 1
 * header in its first page, "SWAPSPACE2" at its end); slot s is the
 * page-sized piece at sector 8s, and slot 0, the header, is never used.
 *
 * A swapped-out page leaves a swap entry in each PTE that mapped it: a
 * non-present PTE with PTE_SWAP set and the slot number where the frame
 * number was. A slot is in use while PTEs name it (its count) or a page
 * is in the swap cache for it. The swap cache maps a slot to the page
 * that holds its contents in memory, so that every PTE that held the
 * slot gets the same page back, however many address spaces (or users of
 * one shared table) they belong to.
 *
 * Rules: the swap cache holds one reference on each of its pages; a page
 * in the swap cache is never writable through a PTE (a write copies it,
 * or takes it out of the cache when it is the slot's last user), so the
 * copy on disk is good unless PG_dirty says it was never written.
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/mmu.h"
#include "mm/page.h"

static inline pte_t mk_swap_pte(uint32_t slot)
{
	return (slot << PGSHIFT) | PTE_SWAP;
}

static inline bool pte_is_swap(pte_t e)
{
	return !(e & PTE_P) && (e & PTE_SWAP);
}

static inline uint32_t swap_pte_slot(pte_t e)
{
	return e >> PGSHIFT;
}

/* Swap to the disk the swap= option names (hde unless told otherwise), if there is one. */
void swap_boot(void);
/* Swap to the block device called name; -ENODEV, -EINVAL (no mkswap header), -ENOMEM. */
int swap_on(const char *name);
/* Stop swapping (self-tests on a RAM disk); -EBUSY while a slot is in use. */
int swap_off(void);
/* Is there a swap area? */
bool swap_active(void);
/* Slots in the area, and slots in use. */
uint32_t swap_total(void);
uint32_t swap_used(void);

/* A free slot, held by the swap cache until a PTE names it; 0 if the area is full. */
uint32_t swap_slot_alloc(void);
/* One more PTE names slot. */
void swap_dup(uint32_t slot);
/* One PTE fewer names slot; with none left and no cached page, it is free. */
void swap_put(uint32_t slot);
/* Pages in the swap cache. */
uint32_t swap_cached(void);
/* Swap entries in all page tables: the sum of the slots' counts (vmcheck). */
uint32_t swap_entries(void);
/* PTEs naming slot. */
uint32_t swap_count(uint32_t slot);

/* The page caching slot, or NULL. */
struct page *swap_cache_find(uint32_t slot);
/* Cache page for slot (takes a reference; the page is marked dirty). */
void swap_cache_add(struct page *page, uint32_t slot);
/* Take page out of the swap cache (drops the cache's reference). */
void swap_cache_del(struct page *page);

/* Write a swap-cache page to its slot; 0 (and it is clean) or -EIO. */
int swap_writepage(struct page *page);
/*
 * The page holding slot's contents, with a reference for the caller: from
 * the swap cache, or read from disk into it (with up to SWAP_CLUSTER - 1
 * neighbouring slots that PTEs name, if memory allows). NULL if out of
 * memory or on a read error.
 */
struct page *swap_read(uint32_t slot);

/*
 * Shared anonymous memory (struct shmem, mm/vm.h) goes to swap too. Its
 * pages are not found through PTEs when they come back but through the
 * shmem, so the PTEs are simply cleared, and the shmem's own slot for the
 * page holds the swap slot instead, tagged with bit 0 (a page pointer
 * never has it). That slot counts as one user of the swap slot.
 */
static inline bool shm_swapped(const struct page *p)
{
	return (uintptr_t)p & 1;
}
/* page has just been made the one at home, a slot of a struct shmem. */
void shm_page_home(struct page *page, struct page **home);
/* Swap out a shared-memory page (pinned by the caller, no PTE maps it):
   1 if only the pin is left, 0 if it must stay. */
int shm_swap_out(struct page *page);
/* Bring home's page back from swap (to stay there); NULL if out of memory. */
struct page *shm_swap_in(struct page **home);
/* The shmem is going: let go of what home holds, page or swap slot. */
void shm_release(struct page **home);
/* Shared-memory slots holding a swap slot (vmcheck adds them to the PTEs). */
uint32_t swap_shm_entries(void);

#define SWAP_CLUSTER	8	/* slots read around a missing one */

struct swap_stats {
	uint32_t pswpin, pswpout;	/* pages read from and written to swap */
	uint32_t readahead;		/* pages read in around a fault */
	uint32_t cache_hits;		/* swap-ins found in the swap cache */
	uint32_t errors;		/* reads or writes that failed */
};
extern struct swap_stats swap_stats;

#endif
