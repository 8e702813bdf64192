/*
 * tests/kernel/test_page.c: the buddy allocator over all of RAM.
 *
 * The big test takes every free frame, stamps each with its own pfn, then
 * checks the stamps: a frame handed out twice would carry the wrong one.
 * The allocated frames are chained through their own struct page, so the
 * test needs no memory of its own.
 */
#include "kernel/lib/lib.h"
#include "mm/memmap.h"
#include "mm/page.h"
#include "tests/kernel/ktest.h"


/* Allocate blocks of order until none is left; return them chained on list. */
static uint32_t take_all(unsigned order, struct list_head *list)
{
	struct page *p;
	uint32_t n = 0;

	list_init(list);
	while ((p = alloc_pages(order)) != NULL) {
		list_add_tail(&p->lru, list);
		n++;
	}
	return n;
}

static void give_back(struct list_head *list, unsigned order)
{
	while (!list_empty(list)) {
		struct page *p = list_entry(list->next, struct page, lru);
		list_del(&p->lru);
		free_pages(p, order);
	}
}

KTEST(page, exhaust_and_refill)
{
	uint32_t before[MAX_ORDER], after[MAX_ORDER];
	uint32_t free0 = page_free_count(), n, bad = 0, outside = 0;
	struct list_head all;
	struct list_head *pos;

	page_free_blocks(before);
	n = take_all(0, &all);
	KT_EXPECT_EQ(n, free0);
	KT_EXPECT_EQ(page_free_count(), 0);
	list_for_each(pos, &all) {
		struct page *p = list_entry(pos, struct page, lru);
		uint64_t pa = page_to_phys(p);
		*(uint32_t *)page_address(p) = page_to_pfn(p);
		outside += memmap_is_reserved(&boot_memmap, pa, pa + PGSIZE);
		bad += p->refcount != 1 || (p->flags & (PG_reserved | PG_buddy));
	}
	list_for_each(pos, &all) {
		struct page *p = list_entry(pos, struct page, lru);
		bad += *(uint32_t *)page_address(p) != page_to_pfn(p);
	}
	KT_EXPECT_EQ(bad, 0);
	KT_EXPECT_EQ(outside, 0);
	give_back(&all, 0);
	KT_EXPECT_EQ(page_free_count(), free0);
	page_free_blocks(after);
	for (int i = 0; i < MAX_ORDER; i++)	/* everything merged back */
		KT_EXPECT_EQ(after[i], before[i]);
}

KTEST(page, reserved_stay_reserved)
{
	uint32_t kfirst = V2P(__kernel_start) >> PGSHIFT;
	uint32_t klast = (V2P(__kernel_end) - 1) >> PGSHIFT;
	uint32_t mm_first = V2P(mem_map) >> PGSHIFT;
	uint32_t unreserved = 0;

	KT_EXPECT(pfn_to_page(0)->flags & PG_reserved);
	for (uint32_t pfn = kfirst; pfn <= klast; pfn++)
		unreserved += !(pfn_to_page(pfn)->flags & PG_reserved);
	KT_EXPECT_EQ(unreserved, 0);
	KT_EXPECT(pfn_to_page(mm_first)->flags & PG_reserved);
	KT_EXPECT(virt_to_page(&mem_map[max_pfn - 1])->flags & PG_reserved);
	/* every range on the reserved list, Multiboot data included */
	for (int i = 0; i < boot_memmap.nreserved; i++) {
		const struct memrange *r = &boot_memmap.reserved[i];
		for (uint64_t a = r->base & ~(uint64_t)(PGSIZE - 1); a < r->end; a += PGSIZE)
			if (a >> PGSHIFT < max_pfn)
				unreserved += !(pfn_to_page(a >> PGSHIFT)->flags & PG_reserved);
	}
	KT_EXPECT_EQ(unreserved, 0);
	KT_EXPECT(boot_memmap.nreserved >= 3);	/* kernel, mbi, mem_map at least */
}

KTEST(page, refcount)
{
	uint32_t free0 = page_free_count();
	struct page *p = alloc_page();

	KT_ASSERT(p != NULL);
	KT_EXPECT_EQ(p->refcount, 1);
	get_page(p);
	KT_EXPECT_EQ(p->refcount, 2);
	put_page(p);
	KT_EXPECT_EQ(p->refcount, 1);
	KT_EXPECT_EQ(page_free_count(), free0 - 1);
	put_page(p);				/* the last reference frees it */
	KT_EXPECT_EQ(p->refcount, 0);
	KT_EXPECT_EQ(page_free_count(), free0);
}

KTEST(page, contiguous_blocks)
{
	for (unsigned order = 0; order < MAX_ORDER; order++) {
		uint32_t free0 = page_free_count();
		struct page *p = alloc_pages(order);
		uint8_t *va;

		KT_ASSERT(p != NULL);
		KT_EXPECT_EQ(page_to_pfn(p) & ((1u << order) - 1), 0);
		KT_EXPECT_EQ(page_free_count(), free0 - (1u << order));
		va = page_address(p);
		memset(va, 0xa5, PGSIZE << order);	/* all of it is ours */
		KT_EXPECT_EQ(va[(PGSIZE << order) - 1], 0xa5);
		free_pages(p, order);
		KT_EXPECT_EQ(page_free_count(), free0);
	}
	KT_EXPECT(alloc_pages(MAX_ORDER) == NULL);
}

KTEST(page, blocks_never_overlap)
{
	uint32_t free0 = page_free_count(), n, bad = 0, blocks[MAX_ORDER];
	struct list_head all;
	struct list_head *pos;

	n = take_all(3, &all);			/* every 32 KiB block there is */
	KT_EXPECT(n > 0);
	page_free_blocks(blocks);
	for (int o = 3; o < MAX_ORDER; o++)	/* only smaller pieces are left */
		KT_EXPECT_EQ(blocks[o], 0);
	list_for_each(pos, &all) {
		struct page *p = list_entry(pos, struct page, lru);
		for (int i = 0; i < 8; i++)
			((uint32_t *)page_address(p))[i * 1024] = page_to_pfn(p);
	}
	list_for_each(pos, &all) {
		struct page *p = list_entry(pos, struct page, lru);
		for (int i = 0; i < 8; i++)
			bad += ((uint32_t *)page_address(p))[i * 1024] != page_to_pfn(p);
	}
	KT_EXPECT_EQ(bad, 0);
	give_back(&all, 3);
	KT_EXPECT_EQ(page_free_count(), free0);
}

KTEST(page, free_lists_consistent)
{
	uint32_t counts[MAX_ORDER], total = 0, heads = 0;

	page_free_blocks(counts);
	for (int o = 0; o < MAX_ORDER; o++)
		total += counts[o] << o;
	KT_EXPECT_EQ(total, page_free_count());
	for (uint32_t pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = pfn_to_page(pfn);
		if (!(p->flags & PG_buddy))
			continue;
		heads++;
		KT_ASSERT_EQ(pfn & ((1u << p->order) - 1), 0);
		KT_ASSERT_EQ(p->refcount, 0);
		KT_ASSERT(!(p->flags & PG_reserved));
	}
	total = 0;
	for (int o = 0; o < MAX_ORDER; o++)
		total += counts[o];
	KT_EXPECT_EQ(heads, total);
	KT_EXPECT(page_managed_count() >= page_free_count());
}

KTEST_FLAGS(page, double_free_panics, KTEST_MANUAL)
{
	struct page *p = alloc_page();

	KT_ASSERT(p != NULL);
	free_page(p);
	free_page(p);		/* must panic, naming the frame */
}
