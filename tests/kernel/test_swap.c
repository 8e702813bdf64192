/*
 * tests/kernel/test_swap.c: swap entries, the swap cache and eviction
 * (swap.*, reclaim.*). Each swap test swaps to a RAM disk with a mkswap header of its
 * own (the boot's swap disk is not on while self-tests run), evicts pages
 * with reclaim_page and touches them again through real page faults.
 */
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "tests/kernel/mm_test.h"
#include "tests/kernel/ramdisk_test.h"

/* A RAM disk with a version-1 swap header for slots 1..slots; swapping to it. */
static struct blkdev *swap_ram(uint32_t slots)
{
	struct blkdev *d = ramdisk_alloc("ramswap", (slots + 1) * (PGSIZE / SECTOR_SIZE));
	uint8_t *m;

	if (!d)
		return NULL;
	m = ramdisk_mem(d);
	((uint32_t *)(m + 1024))[0] = 1;		/* version */
	((uint32_t *)(m + 1024))[1] = slots;		/* last page */
	memcpy(m + PGSIZE - 10, "SWAPSPACE2", 10);
	if (swap_on("ramswap") < 0) {
		ramdisk_free(d);
		return NULL;
	}
	return d;
}

static void swap_ram_done(struct ktest_ctx *t, struct blkdev *d)
{
	KT_EXPECT_EQ(swap_off(), 0);			/* every slot came back */
	ramdisk_free(d);
}

static pte_t pte_at(struct mm *mm, uint32_t va)
{
	pte_t *e = mm_pte(mm, va);

	return e ? *e : 0;
}

KTEST(swap, refuses_a_disk_without_the_signature)
{
	struct blkdev *d = ramdisk_alloc("ramswap", 64);

	KT_ASSERT(d != NULL);
	KT_EXPECT_EQ(swap_on("ramswap"), -EINVAL);
	KT_EXPECT(!swap_active());
	KT_EXPECT_EQ(swap_on("nosuchdisk"), -ENODEV);
	ramdisk_free(d);
}

KTEST(swap, page_goes_out_and_comes_back)
{
	struct blkdev *d = swap_ram(8);
	struct mm *mm = mm_with_pages(3, 700);
	uint32_t out = swap_stats.pswpout, in = swap_stats.pswpin, free0;
	struct page *pg;

	KT_ASSERT(d != NULL && mm != NULL);
	pg = upage(mm, UBASE + PGSIZE);
	free0 = page_free_count();
	KT_EXPECT_EQ(reclaim_page(pg), 1);
	KT_EXPECT_EQ(page_free_count(), free0 + 1);
	KT_EXPECT(pte_is_swap(pte_at(mm, UBASE + PGSIZE)));
	KT_EXPECT_EQ(swap_stats.pswpout, out + 1);
	KT_EXPECT_EQ(swap_used(), 1);
	KT_EXPECT_EQ(mm->rss, 2);
	KT_EXPECT_EQ(rmap_verify(), 0);
	KT_EXPECT_EQ(uword(mm, UBASE + PGSIZE), 701);		/* a swap-in fault */
	KT_EXPECT_EQ(swap_stats.pswpin, in + 1);
	KT_EXPECT(pte_present(pte_at(mm, UBASE + PGSIZE)));
	KT_EXPECT_EQ(swap_used(), 0);		/* its last user took it out of the cache */
	KT_EXPECT(pte_write(pte_at(mm, UBASE + PGSIZE)));	/* and it is ours alone */
	KT_EXPECT_EQ(uput(mm, UBASE + PGSIZE, 7), 0);		/* and may write it */
	KT_EXPECT_EQ(uword(mm, UBASE + PGSIZE), 7);
	KT_EXPECT_EQ(uword(mm, UBASE + 2 * PGSIZE), 702);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(mm);
	swap_ram_done(t, d);
}

/* fork=share: one PTE in one table for both; each gets the same page back. */
KTEST(swap, shared_table_holds_one_entry)
{
	struct blkdev *d = swap_ram(8);
	struct mm *p = mm_with_pages(2, 800), *c;
	uint32_t hits = swap_stats.cache_hits, slot;

	KT_ASSERT(d != NULL && p != NULL);
	c = mm_share(p);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ(reclaim_page(upage(p, UBASE)), 1);
	slot = swap_pte_slot(pte_at(p, UBASE));
	KT_EXPECT_EQ(swap_count(slot), 1);		/* one PTE, seen by both */
	KT_EXPECT_EQ(pte_at(c, UBASE), pte_at(p, UBASE));
	KT_EXPECT_EQ(mm_swap_entries(p), 1);
	KT_EXPECT_EQ(rmap_verify(), 0);
	KT_EXPECT_EQ(uword(p, UBASE), 800);		/* p's own copy of the table now */
	KT_EXPECT_EQ(uword(c, UBASE), 800);		/* from the swap cache */
	KT_EXPECT_EQ(swap_stats.cache_hits, hits + 1);
	KT_EXPECT(upage(p, UBASE) == upage(c, UBASE));	/* one page, mapped twice */
	KT_EXPECT_EQ(swap_used(), 0);
	KT_EXPECT_EQ(uput(c, UBASE, 1), 0);		/* and still copy-on-write */
	KT_EXPECT_EQ(uword(p, UBASE), 800);
	KT_EXPECT_EQ(uword(c, UBASE), 1);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(c);
	mm_done(p);
	swap_ram_done(t, d);
}

/* fork=copy: a page two PTEs map goes out once, with a count of two. */
KTEST(swap, cow_page_counts_each_pte)
{
	struct blkdev *d = swap_ram(8);
	struct mm *p = mm_with_pages(1, 900), *c;
	uint32_t slot;

	KT_ASSERT(d != NULL && p != NULL);
	c = mm_dup(p);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ(reclaim_page(upage(p, UBASE)), 1);
	slot = swap_pte_slot(pte_at(p, UBASE));
	KT_EXPECT_EQ(swap_count(slot), 2);
	KT_EXPECT_EQ(uput(p, UBASE, 5), 0);		/* a write fault on a swap entry */
	KT_EXPECT_EQ(uword(c, UBASE), 900);
	KT_EXPECT_EQ(uword(p, UBASE), 5);
	KT_EXPECT(upage(p, UBASE) != upage(c, UBASE));
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(c);
	mm_done(p);
	swap_ram_done(t, d);
}

/* A swapped-out page in a table that fork copies: the copy names the slot too. */
KTEST(swap, fork_copies_swap_entries)
{
	struct blkdev *d = swap_ram(8);
	struct mm *p = mm_with_pages(2, 1000), *c, *s;

	KT_ASSERT(d != NULL && p != NULL);
	KT_EXPECT_EQ(reclaim_page(upage(p, UBASE)), 1);
	c = mm_dup(p);
	s = mm_share(p);
	KT_ASSERT(c != NULL && s != NULL);
	KT_EXPECT_EQ(swap_count(swap_pte_slot(pte_at(p, UBASE))), 2);	/* p's table, c's */
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(p);
	KT_EXPECT_EQ(uword(s, UBASE), 1000);
	KT_EXPECT_EQ(uword(c, UBASE), 1000);
	KT_EXPECT_EQ(uword(c, UBASE + PGSIZE), 1001);
	mm_done(s);
	mm_done(c);
	KT_EXPECT_EQ(swap_used(), 0);
	swap_ram_done(t, d);
}

/* With every slot taken, an anonymous page stays where it is. */
KTEST(swap, full_area_keeps_the_page)
{
	struct blkdev *d = swap_ram(2);
	struct mm *mm = mm_with_pages(3, 1100);
	uint32_t full = reclaim_stats.swap_full;

	KT_ASSERT(d != NULL && mm != NULL);
	KT_EXPECT_EQ(reclaim_page(upage(mm, UBASE)), 1);
	KT_EXPECT_EQ(reclaim_page(upage(mm, UBASE + PGSIZE)), 1);
	KT_EXPECT_EQ(reclaim_page(upage(mm, UBASE + 2 * PGSIZE)), 0);
	KT_EXPECT_EQ(reclaim_stats.swap_full, full + 1);
	KT_EXPECT(pte_present(pte_at(mm, UBASE + 2 * PGSIZE)));
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(uword(mm, UBASE + i * PGSIZE), 1100 + i);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(mm);
	swap_ram_done(t, d);
}

/* A page someone holds a reference on is not evicted. */
KTEST(swap, pinned_page_stays)
{
	struct blkdev *d = swap_ram(4);
	struct mm *mm = mm_with_pages(1, 1200);
	struct page *pg;

	KT_ASSERT(d != NULL && mm != NULL);
	pg = upage(mm, UBASE);
	get_page(pg);
	KT_EXPECT_EQ(reclaim_page(pg), 0);
	KT_EXPECT(pte_present(pte_at(mm, UBASE)));
	put_page(pg);
	KT_EXPECT_EQ(uword(mm, UBASE), 1200);
	mm_done(mm);
	swap_ram_done(t, d);
}

/* A table reclaim empties goes at once, from all three directories. */
KTEST(reclaim, emptied_shared_table_freed_once)
{
	struct mm *p = mm_with_pages(1, 1300), *c1, *c2;
	uint32_t tables, reaped = vm_stats.pt_reaped;

	KT_ASSERT(p != NULL);
	c1 = mm_share(p);
	c2 = mm_share(p);
	KT_ASSERT(c1 && c2);
	tables = pt_count();
	KT_EXPECT_EQ(try_to_unmap(upage(p, UBASE)), 1);
	KT_EXPECT_EQ(pt_count(), tables - 1);
	KT_EXPECT_EQ(vm_stats.pt_reaped, reaped + 1);
	KT_EXPECT(!pde_present(p->pgdir[PDX(UBASE)]) && !pde_present(c1->pgdir[PDX(UBASE)]) &&
		  !pde_present(c2->pgdir[PDX(UBASE)]));
	KT_EXPECT(p->nr_pt == 0 && c1->nr_pt == 0 && c2->nr_pt == 0);
	KT_EXPECT(p->rss == 0 && c2->rss == 0);
	KT_EXPECT_EQ(rmap_verify(), 0);
	KT_EXPECT_EQ(uword(c1, UBASE), 0);		/* anonymous: a new zero page */
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(c2);
	mm_done(c1);
	mm_done(p);
}

/* Shared memory goes to swap from its shmem, and comes back shared. */
KTEST(swap, shared_memory_goes_out_and_comes_back)
{
	struct blkdev *d = swap_ram(8);
	struct mm *p = mm_create(), *c;
	struct page *pg;

	KT_ASSERT(d != NULL && p != NULL);
	KT_ASSERT(mm_map(p, UBASE, 2 * PGSIZE, VM_READ | VM_WRITE, VMA_SHARED) == 0);
	KT_EXPECT_EQ(uput(p, UBASE, 41), 0);
	KT_EXPECT_EQ(uput(p, UBASE + PGSIZE, 42), 0);
	c = mm_dup(p);
	KT_ASSERT(c != NULL);
	pg = upage(p, UBASE);
	KT_EXPECT_EQ(page_mapcount(pg), 2);
	KT_EXPECT_EQ(reclaim_page(pg), 1);
	KT_EXPECT(upage(p, UBASE) == NULL && upage(c, UBASE) == NULL);	/* PTEs cleared */
	KT_EXPECT_EQ(swap_used(), 1);
	KT_EXPECT_EQ(swap_shm_entries(), 1);
	KT_EXPECT_EQ(rmap_verify(), 0);
	KT_EXPECT_EQ(uword(c, UBASE), 41);		/* back, from the shmem's slot */
	KT_EXPECT_EQ(swap_used(), 0);
	KT_EXPECT_EQ(uput(c, UBASE, 43), 0);		/* and still shared */
	KT_EXPECT_EQ(uword(p, UBASE), 43);
	KT_EXPECT(upage(p, UBASE) == upage(c, UBASE));
	KT_EXPECT_EQ(reclaim_page(upage(p, UBASE + PGSIZE)), 1);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(c);
	mm_done(p);				/* the shmem goes with its slot */
	KT_EXPECT_EQ(swap_shm_entries(), 0);
	swap_ram_done(t, d);
}
