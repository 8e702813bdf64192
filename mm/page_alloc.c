/*
 * mm/page_alloc.c: the buddy allocator over struct page.
 *
 * A free block of order k is 2^k frames starting at a pfn that is a
 * multiple of 2^k; its first struct page has PG_buddy and order = k and sits
 * on free_area[k]. Its buddy is the block at pfn ^ 2^k. Freeing merges a
 * block with its buddy while the buddy is a free block of the same order;
 * allocating splits a larger block, returning the upper halves to the lists.
 *
 * Invariants (checked by the page.* self-tests):
 *  - a frame is in at most one free block, and no free frame is PG_reserved;
 *  - nr_free equals the frames in all free blocks;
 *  - an allocated block's first page has refcount >= 1 and its order.
 * The lists are changed with interrupts off (one CPU, no locks needed).
 */
#include "kernel/lib/faultinj.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/x86.h"
#include "mm/directmap.h"
#include "mm/memmap.h"
#include "mm/page.h"

struct page *mem_map;
uint32_t max_pfn;

static struct list_head free_area[MAX_ORDER];
static uint32_t nr_blocks[MAX_ORDER];
uint32_t nr_free;
static uint32_t nr_managed;
struct page_lru page_lru = {
	LIST_HEAD_INIT(page_lru.active), LIST_HEAD_INIT(page_lru.inactive), 0, 0, 0,
};
struct watermarks watermarks;
static void (*low_hook)(void);

static void add_block(struct page *p, unsigned order)
{
	p->flags |= PG_buddy;
	p->order = order;
	list_add(&p->lru, &free_area[order]);
	nr_blocks[order]++;
}

static void del_block(struct page *p, unsigned order)
{
	list_del(&p->lru);
	p->flags &= ~PG_buddy;
	nr_blocks[order]--;
}

/* Put a block back, merging with free buddies as far as they go. */
static void merge_free(uint32_t pfn, unsigned order)
{
	nr_free += 1u << order;
	while (order < MAX_ORDER - 1) {
		uint32_t buddy = pfn ^ (1u << order);
		struct page *b = &mem_map[buddy];

		if (buddy >= max_pfn || !(b->flags & PG_buddy) || b->order != order)
			break;
		del_block(b, order);
		pfn &= ~(1u << order);
		order++;
	}
	add_block(&mem_map[pfn], order);
}

FAULT_POINT(page);

struct page *alloc_pages(unsigned order)
{
	unsigned k = order;
	struct page *p;
	int was;

	if (order >= MAX_ORDER || fault_hit(&fault_page))
		return NULL;
	was = irq_save();
	while (k < MAX_ORDER && list_empty(&free_area[k]))
		k++;
	if (k == MAX_ORDER) {
		irq_restore(was);
		return NULL;
	}
	p = list_entry(free_area[k].next, struct page, lru);
	if (p->refcount || (p->flags & PG_reserved))
		panic("alloc_pages: free list holds pfn %x in use (refcount %d)",
		      page_to_pfn(p), p->refcount);
	del_block(p, k);
	while (k > order) {	/* split: keep the lower half */
		k--;
		add_block(p + (1u << k), k);
	}
	p->order = order;
	p->refcount = 1;
	nr_free -= 1u << order;
	irq_restore(was);
	if (nr_free < watermarks.low && low_hook)
		low_hook();
	return p;
}

void page_alloc_set_low_hook(void (*fn)(void))
{
	low_hook = fn;
}

void lru_add(struct page *page, bool anon)
{
	int was = irq_save();

	KASSERT(!(page->flags & (PG_lru | PG_buddy)) && page->refcount > 0);
	page->flags = (page->flags & ~(PG_active | PG_anon | PG_referenced)) | PG_lru |
		      (anon ? PG_anon : 0);
	list_add(&page->lru, &page_lru.inactive);
	page_lru.nr_inactive++;
	page_lru.nr_anon += anon;
	irq_restore(was);
}

void lru_touch(struct page *page)
{
	if (!(page->flags & PG_lru) || (page->flags & PG_active))
		return;
	if (page->flags & PG_referenced) {
		page->flags &= ~PG_referenced;
		lru_move(page, true);
	} else {
		page->flags |= PG_referenced;
	}
}

/* Take page off whichever list it is on (interrupts off). */
static void lru_unlink(struct page *page)
{
	KASSERT(page->flags & PG_lru);
	list_del(&page->lru);
	if (page->flags & PG_active)
		page_lru.nr_active--;
	else
		page_lru.nr_inactive--;
}

void lru_del(struct page *page)
{
	int was = irq_save();

	lru_unlink(page);
	page_lru.nr_anon -= !!(page->flags & PG_anon);
	page->flags &= ~(PG_lru | PG_active | PG_anon | PG_referenced);
	irq_restore(was);
}

void lru_move(struct page *page, bool active)
{
	int was = irq_save();

	lru_unlink(page);
	if (active) {
		page->flags |= PG_active;
		list_add(&page->lru, &page_lru.active);
		page_lru.nr_active++;
	} else {
		page->flags &= ~PG_active;
		list_add(&page->lru, &page_lru.inactive);
		page_lru.nr_inactive++;
	}
	irq_restore(was);
}

struct page *alloc_page(void)
{
	return alloc_pages(0);
}

void free_pages(struct page *p, unsigned order)
{
	uint32_t pfn = page_to_pfn(p);
	int was;

	if (pfn >= max_pfn || (pfn & ((1u << order) - 1)))
		panic("free_pages: %p is not a block of order %u", (void *)p, order);
	if ((p->flags & (PG_reserved | PG_buddy)) || p->refcount != 1)
		panic("free_pages: pfn %x is %s (refcount %d): double free?", pfn,
		      p->flags & PG_reserved ? "reserved" :
		      p->flags & PG_buddy ? "already free" : "still referenced",
		      p->refcount);
	if (p->order != order)
		panic("free_pages: pfn %x allocated with order %u, freed with %u",
		      pfn, p->order, order);
	if (p->flags & PG_lru)
		lru_del(p);
	KASSERT(!(p->flags & PG_swapcache));	/* the cache's reference would be gone */
	was = irq_save();
	p->refcount = 0;
	merge_free(pfn, order);
	irq_restore(was);
}

void free_page(struct page *p)
{
	free_pages(p, 0);
}

void get_page(struct page *p)
{
	if (p->refcount <= 0 || (p->flags & PG_buddy))
		panic("get_page: pfn %x is free", page_to_pfn(p));
	p->refcount++;
}

void put_page(struct page *p)
{
	if (p->refcount <= 0 || (p->flags & PG_buddy))
		panic("put_page: pfn %x is free (refcount %d)", page_to_pfn(p),
		      p->refcount);
	if (p->refcount == 1)
		free_pages(p, p->order);
	else
		p->refcount--;
}

void *page_alloc_zeroed(void)
{
	struct page *p = alloc_page();

	if (!p)
		return NULL;
	memset(page_address(p), 0, PGSIZE);
	return page_address(p);
}

void free_page_addr(void *va)
{
	free_page(virt_to_page(va));
}


static unsigned long free_pages_count(void)
{
	return page_free_count();
}

/* After each self-test (caches above dropped first) every page must be free again. */
RESOURCE_COUNT(free_pages, "free pages", 2, NULL, free_pages_count);

uint32_t page_managed_count(void)
{
	return nr_managed;
}

void page_free_blocks(uint32_t counts[MAX_ORDER])
{
	int was = irq_save();

	for (int i = 0; i < MAX_ORDER; i++)
		counts[i] = nr_blocks[i];
	irq_restore(was);
}

void page_print_buddyinfo(void)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "buddy: free blocks by order:");

	for (int i = 0; i < MAX_ORDER; i++)
		n += snprintf(line + n, sizeof(line) - n, " %u", nr_blocks[i]);
	printk("%s\n", line);
}

/* Hand [start, end) (pfns) to the allocator in the largest aligned blocks. */
static void free_range(uint32_t start, uint32_t end)
{
	for (uint32_t pfn = start; pfn < end; pfn++) {
		mem_map[pfn].flags = 0;
		mem_map[pfn].refcount = 0;
	}
	nr_managed += end - start;
	while (start < end) {
		unsigned order = 0;
		while (order + 1 < MAX_ORDER && !(start & ((2u << order) - 1)) &&
		       start + (2u << order) <= end)
			order++;
		merge_free(start, order);
		start += 1u << order;
	}
}

static void place_mem_map(struct memmap *m)
{
	uint32_t bytes;
	uint64_t at;

	max_pfn = m->usable[m->nusable - 1].end >> PGSHIFT;
	bytes = PGROUNDUP(max_pfn * sizeof(struct page));
	at = memmap_find_free(m, bytes);
	if (!at)
		panic("page_alloc_init: no room for mem_map (%u KiB)", bytes >> 10);
	if (memmap_reserve(m, at, at + bytes, "mem_map") < 0)
		panic("page_alloc_init: reserved list full");
	mem_map = P2V((uint32_t)at);
	printk("mem: mem_map of %u pages (%u KiB) at %llx\n", max_pfn,
	       bytes >> 10, at);
}

void page_alloc_init(struct memmap *m)
{
	struct memrange free[NMEMRANGE + NRESERVED];
	int n;

	if (m->nusable == 0 || (m->ram_top + (1 << 20) - 1) >> 20 < MIN_RAM_MIB)
		panic("Pagoda needs at least %u MiB of RAM; this machine has %llu KiB "
		      "(QEMU: -m 16 or more)", MIN_RAM_MIB, m->ram_top >> 10);
	if (directmap_ensure(m->usable[m->nusable - 1].end) < 0)
		panic("page_alloc_init: usable memory beyond the direct map");
	for (int i = 0; i < MAX_ORDER; i++)
		list_init(&free_area[i]);
	place_mem_map(m);
	for (uint32_t pfn = 0; pfn < max_pfn; pfn++)
		mem_map[pfn] = (struct page){ .flags = PG_reserved, .refcount = 1 };
	n = memmap_free_ranges(m, free, ARRAY_SIZE(free));
	for (int i = 0; i < n; i++)
		free_range(free[i].base >> PGSHIFT, free[i].end >> PGSHIFT);
	/* 1/256 of memory in reserve (16 to 256 pages), low and high above it */
	watermarks.min = MIN(MAX(nr_managed / 256, 16u), 256u);
	watermarks.low = 2 * watermarks.min;
	watermarks.high = 3 * watermarks.min;
	printk("mem: %u KiB usable, %u KiB free for allocation, %u reserved ranges\n",
	       (uint32_t)(memmap_usable_bytes(m) >> 10), nr_free * 4, m->nreserved);
}
