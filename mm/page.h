/*
 * mm/page.h: physical page frames and the page allocator.
 *
 * Every frame below max_pfn has a struct page in mem_map[]; pfn i is
 * mem_map[i]. Free frames live in a buddy allocator: blocks of 2^order
 * frames, aligned to their size, on one free list per order. Frames the
 * kernel must never hand out (firmware holes, the kernel image, Multiboot
 * data, mem_map itself) stay PG_reserved for good.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/memlayout.h"
#include "kernel/lib/list.h"

#define MAX_ORDER	11	/* orders 0..10: blocks of 4 KiB to 4 MiB */

/* page->flags */
#define PG_reserved	0x0001	/* never allocated: not RAM, or owned since boot */
#define PG_buddy	0x0002	/* first frame of a free block; order is valid */
#define PG_slab		0x0004	/* part of a slab; private = its struct slab */
#define PG_kmalloc	0x0008	/* first frame of a large kmalloc block */
#define PG_pgtable	0x0010	/* a page table; private = its struct pgtable */
#define PG_pgdir	0x0020	/* an address space's page directory; private = its struct mm */
#define PG_lru		0x0040	/* on the active or inactive list (lru is that link) */
#define PG_active	0x0080	/* on the active list */
#define PG_anon		0x0100	/* anonymous memory: goes to swap (else a page-cache page) */
#define PG_swapcache	0x0200	/* in the swap cache; private = its swap slot */
#define PG_dirty	0x0400	/* (swap cache) newer than its copy on the swap disk */
#define PG_referenced	0x0800	/* seen referenced by one inactive-list scan */
#define PG_shmem	0x1000	/* shared anonymous memory; private = its slot in the shmem */

struct page {
	uint32_t flags;		/* PG_*; changed by the allocator, irqs off */
	int32_t refcount;	/* 0 when free; alloc sets 1; last put_page frees */
	int32_t mapcount;	/* PTEs that map this frame: its rmap entries (mm/rmap.c) */
	uint8_t order;		/* size of the block this frame heads, free or not */
	uint8_t pad[3];
	struct list_head lru;	/* on a buddy free list while free; on an LRU list with PG_lru */
	void *rmap;		/* reverse map: the PTEs that map this frame (mm/rmap.c) */
	uintptr_t private;	/* the owner's word: slab, page table, cache entry, swap slot */
};

extern struct page *mem_map;
extern uint32_t max_pfn;	/* frames with a struct page: 0..max_pfn-1 */

struct memmap;

/* Build mem_map and free every usable, unreserved frame of m. */
void page_alloc_init(struct memmap *m);

/* A block of 2^order contiguous frames with refcount 1, or NULL if none is free. */
struct page *alloc_pages(unsigned order);
/* One frame with refcount 1, or NULL. */
struct page *alloc_page(void);
/* Free a block from alloc_pages(order); its refcount must be 1. */
void free_pages(struct page *p, unsigned order);
void free_page(struct page *p);
/* Take another reference to an allocated block. */
void get_page(struct page *p);
/* Drop a reference; the last one frees the block. */
void put_page(struct page *p);

/* A zeroed frame's kernel virtual address, or NULL; free with free_page_addr. */
void *page_alloc_zeroed(void);
void free_page_addr(void *va);

/* Free frames now, and frames the allocator manages in all. */
extern uint32_t nr_free;		/* (mm/page_alloc.c keeps it) */
static inline uint32_t page_free_count(void)
{
	return nr_free;
}
uint32_t page_managed_count(void);
/* Free blocks of each order, into counts[MAX_ORDER]. */
void page_free_blocks(uint32_t counts[MAX_ORDER]);
/* Print the free lists, one line (like Linux's /proc/buddyinfo). */
void page_print_buddyinfo(void);

/*
 * The LRU lists (mm/reclaim.c decides what moves where): every page of
 * user memory that reclaim may take, anonymous or page cache, is on one
 * of them from when it is first mapped or cached until it is freed (the
 * allocator takes it off). Changed with interrupts off.
 */
struct page_lru {
	struct list_head active, inactive;	/* most recently added at the head */
	uint32_t nr_active, nr_inactive;
	uint32_t nr_anon;			/* of both, the anonymous pages */
};
extern struct page_lru page_lru;

/* Put page on the inactive list (anon: it is anonymous memory). */
void lru_add(struct page *page, bool anon);
/* Take page off its list (it must be on one). */
void lru_del(struct page *page);
/* page was used without a PTE (read through the page cache): the second
   such use while it is inactive makes it active, as two looks would. */
void lru_touch(struct page *page);
/* Move page to the head of the active (true) or inactive list. */
void lru_move(struct page *page, bool active);

/*
 * Watermarks, in free pages: below low the reclaim thread is woken; below
 * min a fault from user mode reclaims before it allocates; the frames
 * under min are the reserve that the kernel's own allocations (and
 * reclaim itself) may use. Set from the memory size at boot.
 */
struct watermarks {
	uint32_t min, low, high;
};
extern struct watermarks watermarks;
/* Called when an allocation leaves fewer than watermarks.low pages free. */
void page_alloc_set_low_hook(void (*fn)(void));

static inline uint32_t page_to_pfn(const struct page *p)
{
	return (uint32_t)(p - mem_map);
}

static inline struct page *pfn_to_page(uint32_t pfn)
{
	return &mem_map[pfn];
}

static inline paddr_t page_to_phys(const struct page *p)
{
	return page_to_pfn(p) << PGSHIFT;
}

static inline void *page_address(const struct page *p)
{
	return P2V(page_to_phys(p));
}

static inline struct page *virt_to_page(const void *va)
{
	return pfn_to_page(V2P(va) >> PGSHIFT);
}
#endif
