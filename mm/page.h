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

struct page {
	uint32_t flags;		/* PG_*; changed by the allocator, irqs off */
	int32_t refcount;	/* 0 when free; alloc sets 1; last put_page frees */
	int32_t mapcount;	/* PTEs that map this frame: its rmap entries (mm/rmap.c) */
	uint8_t order;		/* size of the block this frame heads, free or not */
	uint8_t pad[3];
	struct list_head lru;	/* on a buddy free list while free; else unused */
	void *rmap;		/* reverse map: the PTEs that map this frame (mm/rmap.c) */
	uintptr_t private;	/* the owner's word: slab, page table, swap slot */
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
uint32_t page_free_count(void);
uint32_t page_managed_count(void);
/* Free blocks of each order, into counts[MAX_ORDER]. */
void page_free_blocks(uint32_t counts[MAX_ORDER]);
/* Print the free lists, one line (like Linux's /proc/buddyinfo). */
void page_print_buddyinfo(void);

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
