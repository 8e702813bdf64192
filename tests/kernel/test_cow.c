/*
 * tests/kernel/test_cow.c: copy-on-write between address spaces made by
 * mm_dup (fork=copy), and the rmap that tracks the sharing (cow.*, rmap.*).
 */
#include "tests/kernel/mm_test.h"

#define NPAGES	8

KTEST(cow, parent_and_child_isolated)
{
	struct mm *p = mm_with_pages(NPAGES, 100), *c;

	KT_ASSERT(p != NULL);
	c = mm_dup(p);
	KT_ASSERT(c != NULL);
	KT_EXPECT(upage(p, UBASE) == upage(c, UBASE));		/* shared... */
	KT_EXPECT(!pte_write(*mm_pte(p, UBASE)));		/* ...read-only */
	KT_EXPECT(pte_cow(*mm_pte(c, UBASE)));
	KT_EXPECT_EQ(page_mapcount(upage(p, UBASE)), 2);
	KT_EXPECT_EQ(rmap_verify(), 0);

	KT_ASSERT_EQ(uput(c, UBASE, 1), 0);			/* child writes */
	KT_EXPECT_EQ(c->faults[FAULT_COW_COPY], 1);
	KT_ASSERT_EQ(uput(p, UBASE + PGSIZE, 2), 0);		/* parent writes */
	KT_EXPECT_EQ(p->faults[FAULT_COW_COPY], 1);
	KT_EXPECT_EQ(uword(p, UBASE), 100);			/* neither sees the other */
	KT_EXPECT_EQ(uword(c, UBASE), 1);
	KT_EXPECT_EQ(uword(p, UBASE + PGSIZE), 2);
	KT_EXPECT_EQ(uword(c, UBASE + PGSIZE), 101);
	for (int i = 2; i < NPAGES; i++)
		KT_EXPECT_EQ(uword(c, UBASE + i * PGSIZE), 100 + i);
	KT_EXPECT(upage(p, UBASE) != upage(c, UBASE));
	KT_EXPECT_EQ(page_mapcount(upage(p, UBASE + 2 * PGSIZE)), 2);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(c);
	mm_done(p);
}

KTEST(cow, sole_owner_reuses_page)
{
	struct mm *p = mm_with_pages(NPAGES, 100), *c;
	struct page *pg;
	uint32_t free0;

	KT_ASSERT(p != NULL);
	c = mm_dup(p);
	KT_ASSERT(c != NULL);
	pg = upage(p, UBASE + 3 * PGSIZE);
	KT_EXPECT_EQ(pg->refcount, 2);
	mm_done(c);					/* child exits */
	KT_EXPECT_EQ(pg->refcount, 1);
	free0 = page_free_count();
	KT_ASSERT_EQ(uput(p, UBASE + 3 * PGSIZE, 7), 0);
	KT_EXPECT_EQ(p->faults[FAULT_COW_REUSE], 1);	/* no copy... */
	KT_EXPECT_EQ(page_free_count(), free0);		/* ...no new page */
	KT_EXPECT(upage(p, UBASE + 3 * PGSIZE) == pg);
	KT_EXPECT(pte_write(*mm_pte(p, UBASE + 3 * PGSIZE)));
	mm_done(p);
}

KTEST(cow, three_way_every_order)
{
	struct mm *m[3];
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};

	m[0] = mm_with_pages(NPAGES, 100);
	KT_ASSERT(m[0] != NULL);
	m[1] = mm_dup(m[0]);
	m[2] = mm_dup(m[0]);
	KT_ASSERT(m[1] && m[2]);
	KT_EXPECT_EQ(page_mapcount(upage(m[0], UBASE)), 3);
	for (int o = 0; o < 6; o++)		/* page o: writers in order o */
		for (int k = 0; k < 3; k++) {
			int who = orders[o][k];
			KT_ASSERT_EQ(uput(m[who], UBASE + o * PGSIZE, 1000 * (who + 1) + o), 0);
		}
	for (int o = 0; o < 6; o++)
		for (int who = 0; who < 3; who++)
			KT_EXPECT_EQ(uword(m[who], UBASE + o * PGSIZE), 1000 * (who + 1) + o);
	for (int who = 0; who < 3; who++)	/* untouched pages still shared */
		KT_EXPECT_EQ(uword(m[who], UBASE + 7 * PGSIZE), 107);
	KT_EXPECT_EQ(rmap_verify(), 0);
	for (int i = 2; i >= 0; i--)
		mm_done(m[i]);
}

KTEST(cow, shared_region_is_shared)
{
	struct mm *p = mm_create(), *c;

	KT_ASSERT(p != NULL);
	KT_ASSERT_EQ(mm_map(p, UBASE, 4 * PGSIZE, VM_READ | VM_WRITE, VMA_SHARED), 0);
	KT_ASSERT_EQ(uput(p, UBASE, 11), 0);
	KT_EXPECT_EQ(p->faults[FAULT_SHARED], 1);
	c = mm_dup(p);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ(uword(c, UBASE), 11);
	KT_ASSERT_EQ(uput(c, UBASE, 22), 0);		/* no copy: both see it */
	KT_EXPECT_EQ(uword(p, UBASE), 22);
	KT_ASSERT_EQ(uput(c, UBASE + 2 * PGSIZE, 33), 0);	/* filled by the child */
	KT_EXPECT_EQ(uword(p, UBASE + 2 * PGSIZE), 33);
	KT_EXPECT(upage(p, UBASE + 2 * PGSIZE) == upage(c, UBASE + 2 * PGSIZE));
	KT_EXPECT_EQ(c->faults[FAULT_COW_COPY] + p->faults[FAULT_COW_COPY], 0);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(p);				/* the pages outlive the first mapper */
	KT_EXPECT_EQ(uword(c, UBASE + 2 * PGSIZE), 33);
	mm_done(c);
}

KTEST(rmap, try_to_unmap_reaches_every_mapping)
{
	struct mm *p = mm_with_pages(NPAGES, 100), *c;
	struct page *pg;
	uint32_t v = 1;

	KT_ASSERT(p != NULL);
	c = mm_dup(p);
	KT_ASSERT(c != NULL);
	pg = upage(p, UBASE + 4 * PGSIZE);
	get_page(pg);				/* keep it to look at afterwards */
	KT_EXPECT_EQ(try_to_unmap(pg), 2);
	KT_EXPECT_EQ(page_mapcount(pg), 0);
	KT_EXPECT_EQ(pg->refcount, 1);		/* only ours is left */
	KT_EXPECT(upage(p, UBASE + 4 * PGSIZE) == NULL);
	KT_EXPECT(upage(c, UBASE + 4 * PGSIZE) == NULL);
	KT_EXPECT_EQ(p->rss, NPAGES - 1);
	KT_EXPECT_EQ(rmap_verify(), 0);
	/* unmapped by rmap, the next touch finds a fresh zero page */
	KT_EXPECT_EQ(uget(c, UBASE + 4 * PGSIZE, &v), 0);
	KT_EXPECT_EQ(v, 0);
	put_page(pg);
	mm_done(c);
	mm_done(p);
}

KTEST(rmap, verify_finds_corruption)
{
	struct mm *mm = mm_with_pages(NPAGES, 100);
	pte_t *e, saved;

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(rmap_verify(), 0);
	e = mm_pte(mm, UBASE + PGSIZE);
	saved = *e;
	*e = mk_pte(page_to_phys(upage(mm, UBASE)), PTE_P | PTE_U);	/* wrong page */
	KT_EXPECT(rmap_verify() >= 2);	/* a PTE without rmap, an rmap without PTE */
	*e = 0;
	KT_EXPECT(rmap_verify() >= 1);	/* an rmap entry naming an empty slot */
	*e = saved;
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(mm);
}

KTEST(rmap, metadata_is_counted)
{
	uint32_t base = rmap_bytes(), entries = rmap_entries();
	struct mm *mm = mm_with_pages(NPAGES, 100), *c;

	KT_ASSERT(mm != NULL);
	KT_EXPECT_EQ(rmap_entries(), entries + NPAGES);
	KT_EXPECT(rmap_bytes() >= base + NPAGES * 12);
	c = mm_dup(mm);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ(rmap_entries(), entries + 2 * NPAGES);
	mm_done(c);
	mm_done(mm);
	KT_EXPECT_EQ(rmap_entries(), entries);
	KT_EXPECT_EQ(rmap_bytes(), base);
}
