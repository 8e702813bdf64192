/*
 * tests/kernel/test_spt.c: shared page tables (spt.*). Address spaces are
 * forked with mm_share, exactly as fork=share does, and written through
 * real page faults (copy_to_user on the active address space).
 */
#include "tests/kernel/mm_test.h"

#define NP	24

static struct pgtable *table(struct mm *mm, uint32_t va)
{
	return pde_present(mm->pgdir[PDX(va)]) ? pt_of_pde(mm->pgdir[PDX(va)]) : NULL;
}

KTEST(spt, fork_shares_tables_and_copies_nothing)
{
	struct mm *p = mm_with_pages(NP, 500), *c;
	uint32_t free0, shared0 = vm_stats.pt_shared;
	pte_t before;

	KT_ASSERT(p != NULL);
	before = *mm_pte(p, UBASE);
	free0 = page_free_count();
	c = mm_share(p);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ(page_free_count(), free0 - 1);		/* the child's directory only */
	KT_EXPECT(table(c, UBASE) == table(p, UBASE));
	KT_EXPECT_EQ(table(p, UBASE)->users, 2);
	KT_EXPECT(!pde_write(p->pgdir[PDX(UBASE)]) && !pde_write(c->pgdir[PDX(UBASE)]));
	KT_EXPECT_EQ(*mm_pte(p, UBASE), before);		/* no PTE touched */
	KT_EXPECT_EQ(page_mapcount(upage(p, UBASE)), 1);	/* one rmap entry */
	KT_EXPECT_EQ(c->rss, NP);
	KT_EXPECT_EQ(vm_stats.pt_shared, shared0 + 1);
	KT_EXPECT_EQ(uword(c, UBASE + 5 * PGSIZE), 505);	/* reads fault nothing */
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(c);
	KT_EXPECT_EQ(table(p, UBASE)->users, 1);
	mm_done(p);
}

KTEST(spt, parent_and_child_isolated)
{
	struct mm *p = mm_with_pages(NP, 500), *c;
	uint32_t pde0 = vm_stats.pde_faults, un0 = vm_stats.pt_unshared;
	uint32_t rw0 = vm_stats.pt_rewritable;

	KT_ASSERT(p != NULL);
	c = mm_share(p);
	KT_ASSERT(c != NULL);
	KT_ASSERT_EQ(uput(c, UBASE, 1), 0);			/* the child writes first */
	KT_EXPECT_EQ(vm_stats.pde_faults, pde0 + 1);
	KT_EXPECT_EQ(vm_stats.pt_unshared, un0 + 1);
	KT_EXPECT(table(c, UBASE) != table(p, UBASE));
	KT_EXPECT(pde_write(c->pgdir[PDX(UBASE)]));
	KT_EXPECT_EQ(uword(p, UBASE), 500);
	KT_EXPECT_EQ(uword(c, UBASE), 1);
	KT_ASSERT_EQ(uput(p, UBASE + PGSIZE, 2), 0);		/* the parent, now alone */
	KT_EXPECT_EQ(vm_stats.pt_rewritable, rw0 + 1);
	KT_EXPECT_EQ(uword(c, UBASE + PGSIZE), 501);
	KT_EXPECT_EQ(uword(p, UBASE + PGSIZE), 2);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(p);
	KT_EXPECT_EQ(uword(c, UBASE + 2 * PGSIZE), 502);	/* the child outlives it */
	mm_done(c);
}

KTEST(spt, four_sharers_write_in_every_order)
{
	static const int orders[24][4] = {
		{0,1,2,3},{0,1,3,2},{0,2,1,3},{0,2,3,1},{0,3,1,2},{0,3,2,1},
		{1,0,2,3},{1,0,3,2},{1,2,0,3},{1,2,3,0},{1,3,0,2},{1,3,2,0},
		{2,0,1,3},{2,0,3,1},{2,1,0,3},{2,1,3,0},{2,3,0,1},{2,3,1,0},
		{3,0,1,2},{3,0,2,1},{3,1,0,2},{3,1,2,0},{3,2,0,1},{3,2,1,0},
	};
	struct mm *m[5];
	int bad = 0;

	m[0] = mm_with_pages(NP, 500);			/* grandparent */
	KT_ASSERT(m[0] != NULL);
	m[1] = mm_share(m[0]);			/* parent */
	KT_ASSERT(m[1] != NULL);
	m[2] = mm_share(m[1]);			/* child, and two of its siblings: */
	m[3] = mm_share(m[1]);			/* all inherit the same table */
	m[4] = NULL;
	KT_ASSERT(m[2] && m[3]);
	KT_EXPECT_EQ(table(m[0], UBASE)->users, 4);
	for (int o = 0; o < 24; o++)
		for (int k = 0; k < 4; k++) {
			int who = orders[o][k];
			bad += uput(m[who], UBASE + o * PGSIZE, 1000 * (who + 1) + o) != 0;
		}
	KT_EXPECT_EQ(bad, 0);
	for (int o = 0; o < 24; o++)
		for (int who = 0; who < 4; who++)
			bad += uword(m[who], UBASE + o * PGSIZE) != (uint32_t)(1000 * (who + 1) + o);
	KT_EXPECT_EQ(bad, 0);
	KT_EXPECT_EQ(rmap_verify(), 0);
	for (int i = 3; i >= 0; i--)
		mm_done(m[i]);
}

KTEST(spt, write_straddling_two_tables)
{
	uint32_t edge = 0x00800000;
	struct mm *p = mm_create(), *c;

	KT_ASSERT(p != NULL);
	KT_ASSERT_EQ(mm_map(p, edge - 2 * PGSIZE, 4 * PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	KT_ASSERT_EQ(uput(p, edge - PGSIZE, 7), 0);
	KT_ASSERT_EQ(uput(p, edge, 8), 0);
	c = mm_share(p);
	KT_ASSERT(c != NULL);
	KT_ASSERT_EQ(uput(c, edge - 2, 0x11223344), 0);	/* one word, two tables */
	KT_EXPECT(table(c, edge - PGSIZE) != table(p, edge - PGSIZE));
	KT_EXPECT(table(c, edge) != table(p, edge));
	KT_EXPECT_EQ(uword(c, edge - 2), 0x11223344);
	KT_EXPECT_EQ(uword(p, edge - PGSIZE), 7);
	KT_EXPECT_EQ(uword(p, edge), 8);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(c);
	mm_done(p);
}

KTEST(spt, chain_of_eleven_exit_in_every_position)
{
	struct mm *m[11];
	int bad = 0;
	static const int exit_order[11] = { 5, 0, 10, 3, 7, 1, 9, 2, 8, 4, 6 };

	m[0] = mm_with_pages(NP, 500);
	KT_ASSERT(m[0] != NULL);
	for (int i = 1; i < 11; i++) {		/* each forks from the last: depth 10 */
		m[i] = mm_share(m[i - 1]);
		KT_ASSERT(m[i] != NULL);
	}
	KT_EXPECT_EQ(table(m[0], UBASE)->users, 11);
	for (int i = 0; i < 11; i++)
		bad += uput(m[i], UBASE + i * PGSIZE, 7000 + i) != 0;
	for (int k = 0; k < 11; k++) {
		int gone = exit_order[k];
		mm_done(m[gone]);
		m[gone] = NULL;
		for (int i = 0; i < 11; i++)
			if (m[i])
				bad += uword(m[i], UBASE + i * PGSIZE) != (uint32_t)(7000 + i) ||
				       uword(m[i], UBASE + 20 * PGSIZE) != 520;
		bad += rmap_verify();
	}
	KT_EXPECT_EQ(bad, 0);
}

KTEST(spt, shared_mapping_table_stays_writable)
{
	struct mm *p = mm_create(), *c;
	uint32_t un0;

	KT_ASSERT(p != NULL);
	KT_ASSERT_EQ(mm_map(p, 0x40000000, PDSIZE, VM_READ | VM_WRITE, VMA_SHARED), 0);
	KT_ASSERT_EQ(uput(p, 0x40000000, 1), 0);
	c = mm_share(p);
	KT_ASSERT(c != NULL);
	un0 = vm_stats.pt_unshared;
	KT_EXPECT(pde_write(p->pgdir[PDX(0x40000000)]));	/* not write-protected */
	KT_ASSERT_EQ(uput(c, 0x40000000, 2), 0);
	KT_ASSERT_EQ(uput(c, 0x40001000, 3), 0);		/* filled once, for both */
	KT_EXPECT_EQ(uword(p, 0x40000000), 2);
	KT_EXPECT_EQ(uword(p, 0x40001000), 3);
	KT_EXPECT_EQ(vm_stats.pt_unshared, un0);		/* one table, no copy */
	KT_EXPECT(table(p, 0x40000000) == table(c, 0x40000000));
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(p);
	KT_EXPECT_EQ(uword(c, 0x40001000), 3);
	mm_done(c);
}

KTEST(spt, unmap_inside_a_shared_table)
{
	struct mm *p = mm_with_pages(NP, 500), *c;

	KT_ASSERT(p != NULL);
	c = mm_share(p);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ(mm_unmap(c, UBASE + 4 * PGSIZE, 4 * PGSIZE), 0);	/* sbrk-like shrink */
	KT_EXPECT(table(c, UBASE) != table(p, UBASE));		/* the child got a copy */
	KT_EXPECT(upage(c, UBASE + 5 * PGSIZE) == NULL);
	KT_EXPECT_EQ(uword(p, UBASE + 5 * PGSIZE), 505);		/* the parent lost nothing */
	KT_EXPECT_EQ(c->rss, NP - 4);
	KT_EXPECT_EQ(p->rss, NP);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(c);
	mm_done(p);
}

KTEST(spt, try_to_unmap_reaches_every_sharer)
{
	struct mm *p = mm_with_pages(NP, 500), *c1, *c2;
	struct page *pg;

	KT_ASSERT(p != NULL);
	c1 = mm_share(p);
	c2 = mm_share(p);
	KT_ASSERT(c1 && c2);
	pg = upage(p, UBASE + 3 * PGSIZE);
	get_page(pg);
	KT_EXPECT_EQ(try_to_unmap(pg), 1);	/* one PTE, seen by three */
	KT_EXPECT(upage(c1, UBASE + 3 * PGSIZE) == NULL && upage(c2, UBASE + 3 * PGSIZE) == NULL);
	KT_EXPECT_EQ(p->rss, NP - 1);
	KT_EXPECT_EQ(c1->rss, NP - 1);
	KT_EXPECT_EQ(c2->rss, NP - 1);
	KT_EXPECT_EQ(rmap_verify(), 0);
	put_page(pg);
	mm_done(c2);
	mm_done(c1);
	mm_done(p);
}

KTEST(spt, already_read_only_bit)
{
	struct mm *p = mm_with_pages(NP, 500), *c1, *c2;
	struct pgtable *tb;

	KT_ASSERT(p != NULL);
	tb = table(p, UBASE);
	c1 = mm_share(p);
	c2 = mm_share(p);
	KT_ASSERT(c1 && c2);
	KT_EXPECT(!(tb->flags & PT_ALL_RO));
	KT_ASSERT_EQ(uput(c1, UBASE, 1), 0);	/* the first copy write-protects t */
	KT_EXPECT(tb->flags & PT_ALL_RO);
	KT_EXPECT(!pte_write(*mm_pte(p, UBASE + 9 * PGSIZE)));
	KT_ASSERT_EQ(uput(c2, UBASE, 2), 0);	/* the second has nothing to protect */
	KT_EXPECT_EQ(uword(p, UBASE), 500);
	KT_EXPECT_EQ(uword(c1, UBASE), 1);
	KT_EXPECT_EQ(uword(c2, UBASE), 2);
	mm_done(c2);
	mm_done(c1);
	mm_done(p);
}

/* A page-level copy that makes an entry writable clears the read-only bit. */
KTEST(spt, read_only_bit_cleared_by_a_writable_copy)
{
	struct mm *p = mm_with_pages(NP, 500), *c1, *c2;

	KT_ASSERT(p != NULL);
	c1 = mm_share(p);
	KT_ASSERT(c1 != NULL);
	KT_ASSERT_EQ(uput(c1, UBASE, 1), 0);		/* c1 copies; T gets PT_ALL_RO */
	KT_ASSERT_EQ(uput(p, UBASE + PGSIZE, 2), 0);	/* p alone: R/W back, COW copy */
	KT_EXPECT(pte_write(*mm_pte(p, UBASE + PGSIZE)));
	KT_EXPECT(!(table(p, UBASE)->flags & PT_ALL_RO));
	c2 = mm_share(p);
	KT_ASSERT(c2 != NULL);
	KT_ASSERT_EQ(uput(c2, UBASE + 2 * PGSIZE, 3), 0);	/* c2 copies T */
	KT_ASSERT_EQ(uput(p, UBASE + PGSIZE, 4), 0);	/* p alone again */
	KT_EXPECT_EQ(uword(c2, UBASE + PGSIZE), 2);
	mm_done(c2);
	mm_done(c1);
	mm_done(p);
}

/* A private region added after fork inside a writable shared table stays private. */
KTEST(spt, private_page_never_in_a_shared_table)
{
	struct mm *p = mm_create(), *c;

	KT_ASSERT(p != NULL);
	KT_ASSERT_EQ(mm_map(p, 0x40000000, PGSIZE, VM_READ | VM_WRITE, VMA_SHARED), 0);
	KT_ASSERT_EQ(uput(p, 0x40000000, 1), 0);
	c = mm_share(p);
	KT_ASSERT(c != NULL);
	KT_ASSERT_EQ(mm_map(p, 0x40001000, PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	KT_ASSERT_EQ(uput(p, 0x40001000, 0x5ec2e7), 0);	/* the parent's private word */
	KT_EXPECT(upage(c, 0x40001000) == NULL);
	KT_EXPECT_EQ(c->rss, 1);
	mm_done(c);
	mm_done(p);
}

int uaccess_copy(void *dst, const void *src, size_t n);

/* Letting go of a whole shared table leaves no translation in the TLB. */
KTEST(spt, detach_flushes_every_page)
{
	struct mm *p = mm_with_pages(NP, 500), *c;
	uint32_t v = 0;
	int r;

	KT_ASSERT(p != NULL);
	c = mm_share(p);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ(uword(c, UBASE + 5 * PGSIZE), 505);	/* c active, TLB holds the page */
	KT_ASSERT_EQ(mm_unmap(c, UBASE, PDSIZE), 0);		/* whole table: pt_detach */
	r = uaccess_copy(&v, (const void *)(UBASE + 5 * PGSIZE), 4);
	KT_EXPECT_EQ(r, -EFAULT);
	KT_EXPECT_EQ(v, 0);
	mm_done(c);
	mm_done(p);
}

/* A page one sharer reads into existence is not seen by the others. */
KTEST(spt, read_fault_does_not_leak_a_page)
{
	struct mm *p = mm_with_pages(NP, 500), *c;
	uint32_t v;

	KT_ASSERT(p != NULL);
	c = mm_share(p);
	KT_ASSERT(c != NULL);
	/* the child grows its heap inside the shared table and reads the new page */
	KT_ASSERT_EQ(mm_map(c, UBASE + NP * PGSIZE, PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	KT_EXPECT_EQ(uword(c, UBASE + NP * PGSIZE), 0);
	KT_EXPECT(upage(p, UBASE + NP * PGSIZE) == NULL);	/* not in the parent's table */
	KT_EXPECT_EQ(uget(p, UBASE + NP * PGSIZE, &v), -EFAULT);	/* and no region there */
	KT_EXPECT_EQ(p->rss, NP);
	KT_EXPECT_EQ(c->rss, NP + 1);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(c);
	mm_done(p);
}
