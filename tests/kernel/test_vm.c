/*
 * tests/kernel/test_vm.c: page tables, regions and the fault handler
 * (pt.*, fault.*). Each test builds its own address space, touches it
 * through real page faults, and checks the page tables and the rmap.
 */
#include "kernel/lib/x86.h"
#include "tests/kernel/mm_test.h"


KTEST(pt, map_rejects_bad_ranges)
{
	struct mm *mm = mm_create();

	KT_ASSERT(mm != NULL);
	KT_EXPECT_EQ(mm_map(mm, UBASE, 16 * PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	KT_EXPECT_EQ(mm_map(mm, UBASE + 15 * PGSIZE, 2 * PGSIZE, VM_READ, VMA_ANON), -EINVAL);
	KT_EXPECT_EQ(mm_map(mm, UBASE - PGSIZE, 2 * PGSIZE, VM_READ, VMA_ANON), -EINVAL);
	KT_EXPECT_EQ(mm_map(mm, UBASE + 100, PGSIZE, VM_READ, VMA_ANON), -EINVAL);
	KT_EXPECT_EQ(mm_map(mm, 0x20000000, 100, VM_READ, VMA_ANON), -EINVAL);
	KT_EXPECT_EQ(mm_map(mm, 0x20000000, 0, VM_READ, VMA_ANON), -EINVAL);
	KT_EXPECT_EQ(mm_map(mm, USER_TOP - PGSIZE, 2 * PGSIZE, VM_READ, VMA_ANON), -EINVAL);
	KT_EXPECT_EQ(mm_map(mm, USER_TOP, PGSIZE, VM_READ, VMA_ANON), -EINVAL);
	KT_EXPECT_EQ(mm_map(mm, USER_TOP - PGSIZE, PGSIZE, VM_READ, VMA_ANON), 0);
	KT_EXPECT_EQ(mm_unmap(mm, UBASE + 1, PGSIZE), -EINVAL);
	KT_EXPECT_EQ(copy_to_user(KERNBASE, "x", 1), -EFAULT);
	KT_EXPECT_EQ(copy_to_user(USER_TOP - 2, "xyz", 3), -EFAULT);
	mm_done(mm);
}

KTEST(pt, kernel_half_shared)
{
	struct mm *a = mm_create(), *b = mm_create();

	KT_ASSERT(a && b);
	KT_EXPECT_EQ(memcmp(a->pgdir + KERN_PDX, boot_pgdir + KERN_PDX,
			    (NPDENTRIES - KERN_PDX) * sizeof(pde_t)), 0);
	KT_EXPECT_EQ(memcmp(a->pgdir + KERN_PDX, b->pgdir + KERN_PDX,
			    (NPDENTRIES - KERN_PDX) * sizeof(pde_t)), 0);
	for (unsigned i = 0; i < KERN_PDX; i++)
		KT_ASSERT_EQ(a->pgdir[i], 0);
	mm_activate(a);		/* kernel data is reached through a's directory now */
	KT_EXPECT_EQ(rcr3(), V2P(a->pgdir));
	KT_EXPECT_EQ(*(volatile pde_t *)&boot_pgdir[KERN_PDX], a->pgdir[KERN_PDX]);
	mm_activate(NULL);
	KT_EXPECT_EQ(rcr3(), V2P(boot_pgdir));
	mm_destroy(a);
	mm_destroy(b);
}

KTEST(pt, unmap_middle_splits_region)
{
	struct mm *mm = mm_create();
	struct vma *lo, *hi;

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, 16 * PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	for (int i = 0; i < 16; i++)
		KT_ASSERT_EQ(uput(mm, UBASE + i * PGSIZE, i), 0);
	KT_EXPECT_EQ(mm->rss, 16);
	KT_EXPECT_EQ(mm_unmap(mm, UBASE + 6 * PGSIZE, 4 * PGSIZE), 0);
	KT_EXPECT_EQ(mm->rss, 12);
	lo = vma_find(mm, UBASE);
	hi = vma_find(mm, UBASE + 10 * PGSIZE);
	KT_ASSERT(lo && hi && lo != hi);
	KT_EXPECT_EQ(lo->end, UBASE + 6 * PGSIZE);
	KT_EXPECT_EQ(hi->start, UBASE + 10 * PGSIZE);
	KT_EXPECT(vma_find(mm, UBASE + 7 * PGSIZE) == NULL);
	KT_EXPECT(upage(mm, UBASE + 7 * PGSIZE) == NULL);
	KT_EXPECT_EQ(uput(mm, UBASE + 7 * PGSIZE, 1), -EFAULT);
	KT_EXPECT_EQ(uword(mm, UBASE + 5 * PGSIZE), 5);	/* neighbours untouched */
	KT_EXPECT_EQ(uword(mm, UBASE + 10 * PGSIZE), 10);
	KT_EXPECT_EQ(rmap_verify(), 0);
	KT_EXPECT_EQ(mm_unmap(mm, UBASE, 16 * PGSIZE), 0);	/* across the hole */
	KT_EXPECT_EQ(mm->rss, 0);
	KT_EXPECT_EQ(mm->nr_pt, 0);		/* the table went with its last entry */
	KT_EXPECT(list_empty(&mm->vmas));
	mm_done(mm);
}

KTEST(pt, four_mib_boundary_and_last_entry)
{
	struct mm *mm = mm_create();
	uint32_t edge = 0x00800000;		/* a page-table boundary */
	uint32_t before = pt_count();

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, edge - 2 * PGSIZE, 4 * PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	/* one word written across the boundary: two tables, two pages */
	KT_ASSERT_EQ(uput(mm, edge - 2, 0xa1b2c3d4), 0);
	KT_EXPECT_EQ(mm->nr_pt, 2);
	KT_EXPECT_EQ(pt_count(), before + 2);
	KT_EXPECT(upage(mm, edge - PGSIZE) != NULL);	/* entry 1023 of the first */
	KT_EXPECT_EQ(PTX(edge - PGSIZE), 1023);
	KT_EXPECT(upage(mm, edge) != NULL);		/* entry 0 of the second */
	KT_EXPECT_EQ(uword(mm, edge - 2), 0xa1b2c3d4);
	KT_EXPECT_EQ(mm_unmap(mm, edge - PGSIZE, PGSIZE), 0);
	KT_EXPECT_EQ(mm->nr_pt, 1);		/* the first table lost its last entry */
	KT_EXPECT_EQ(mm_unmap(mm, edge, PGSIZE), 0);
	KT_EXPECT_EQ(mm->nr_pt, 0);
	KT_EXPECT_EQ(pt_count(), before);
	KT_EXPECT_EQ(rmap_verify(), 0);
	mm_done(mm);
}

KTEST(pt, protect_changes_ptes_and_splits)
{
	struct mm *mm = mm_create();
	uint32_t v;

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, 4 * PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	for (int i = 0; i < 4; i++)
		KT_ASSERT_EQ(uput(mm, UBASE + i * PGSIZE, 7 + i), 0);
	KT_ASSERT_EQ(mm_protect(mm, UBASE + PGSIZE, 2 * PGSIZE, VM_READ), 0);
	KT_EXPECT(!pte_write(*mm_pte(mm, UBASE + PGSIZE)));
	KT_EXPECT(pte_write(*mm_pte(mm, UBASE)));
	KT_EXPECT(vma_find(mm, UBASE) != vma_find(mm, UBASE + PGSIZE));
	KT_EXPECT_EQ(vma_find(mm, UBASE + PGSIZE)->end, UBASE + 3 * PGSIZE);
	KT_EXPECT_EQ(uput(mm, UBASE + PGSIZE, 1), -EFAULT);	/* write refused */
	KT_EXPECT_EQ(mm->faults[FAULT_PROTECTION], 1);
	KT_EXPECT_EQ(uget(mm, UBASE + PGSIZE, &v), 0);		/* read allowed */
	KT_EXPECT_EQ(v, 8);
	KT_ASSERT_EQ(mm_protect(mm, UBASE, 4 * PGSIZE, VM_READ | VM_WRITE), 0);
	KT_EXPECT_EQ(uput(mm, UBASE + PGSIZE, 99), 0);	/* sole owner: made writable */
	KT_EXPECT_EQ(mm->faults[FAULT_COW_REUSE], 1);
	KT_EXPECT_EQ(uword(mm, UBASE + PGSIZE), 99);
	KT_EXPECT_EQ(mm_protect(mm, UBASE, 8 * PGSIZE, VM_READ), -EINVAL);	/* hole */
	/* no access: the page stays, but neither user mode nor copies reach it */
	KT_ASSERT_EQ(mm_protect(mm, UBASE, PGSIZE, 0), 0);
	KT_EXPECT(!pte_user(*mm_pte(mm, UBASE)));
	KT_EXPECT_EQ(uget(mm, UBASE, &v), -EFAULT);
	KT_EXPECT_EQ(vm_fault(mm, UBASE, FAULT_USER | FAULT_PRESENT), FAULT_PROTECTION);
	KT_ASSERT_EQ(mm_protect(mm, UBASE, PGSIZE, VM_READ), 0);
	KT_EXPECT(pte_user(*mm_pte(mm, UBASE)));
	KT_EXPECT_EQ(uword(mm, UBASE), 7);		/* the data survived */
	mm_done(mm);
}

KTEST(fault, demand_zero)
{
	struct mm *mm = mm_create();
	uint32_t buf[16];

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, 64 * PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	mm_activate(mm);
	memset(buf, 0xff, sizeof(buf));
	KT_ASSERT_EQ(copy_from_user(buf, UBASE + 5 * PGSIZE, sizeof(buf)), 0);
	for (int i = 0; i < 16; i++)
		KT_ASSERT_EQ(buf[i], 0);
	KT_EXPECT_EQ(mm->faults[FAULT_DEMAND_ZERO], 1);
	KT_EXPECT_EQ(mm->rss, 1);
	KT_EXPECT_EQ(copy_from_user(buf, UBASE + 5 * PGSIZE, sizeof(buf)), 0);
	KT_EXPECT_EQ(mm->faults[FAULT_DEMAND_ZERO], 1);	/* no second fault */
	KT_EXPECT_EQ(mm->nr_pt, 1);
	KT_EXPECT_EQ(page_mapcount(upage(mm, UBASE + 5 * PGSIZE)), 1);
	mm_done(mm);
}

KTEST(fault, outside_and_protection)
{
	struct mm *mm = mm_create();

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, PGSIZE, VM_READ, VMA_ANON), 0);
	KT_EXPECT_EQ(uput(mm, UBASE + PGSIZE, 1), -EFAULT);
	KT_EXPECT_EQ(mm->faults[FAULT_OUTSIDE], 1);
	KT_EXPECT_EQ(uput(mm, UBASE, 1), -EFAULT);
	KT_EXPECT_EQ(mm->faults[FAULT_PROTECTION], 1);
	KT_EXPECT_EQ(uword(mm, UBASE), 0);
	KT_EXPECT_EQ(vm_fault(mm, 0x1000, FAULT_USER), FAULT_OUTSIDE);
	KT_EXPECT_EQ(vm_fault(mm, UBASE, FAULT_USER | FAULT_WRITE | FAULT_PRESENT),
		     FAULT_PROTECTION);
	mm_done(mm);
}

KTEST(fault, every_class_by_direct_call)
{
	struct mm *mm = mm_create();
	uint32_t a = UBASE, f = UBASE + 0x100000;

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, a, PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	KT_ASSERT_EQ(mm_map(mm, f, PGSIZE, VM_READ, VMA_FILE), 0);
	KT_EXPECT_EQ(vm_fault(mm, a + 12, FAULT_USER), FAULT_DEMAND_ZERO);
	KT_EXPECT_EQ(vm_fault(mm, a, FAULT_USER | FAULT_WRITE), FAULT_SPURIOUS);
	KT_ASSERT_EQ(mm_protect(mm, a, PGSIZE, VM_READ), 0);
	KT_ASSERT_EQ(mm_protect(mm, a, PGSIZE, VM_READ | VM_WRITE), 0);
	KT_EXPECT_EQ(vm_fault(mm, a, FAULT_WRITE | FAULT_PRESENT), FAULT_COW_REUSE);
	KT_EXPECT_EQ(vm_fault(mm, f, FAULT_USER), FAULT_NOBACKING);
	KT_EXPECT_STREQ(fault_class_name(FAULT_COW_COPY), "cow-copy");
	KT_EXPECT_EQ(mm->faults[FAULT_DEMAND_ZERO] + mm->faults[FAULT_SPURIOUS] +
		     mm->faults[FAULT_COW_REUSE] + mm->faults[FAULT_NOBACKING], 4);
	mm_done(mm);
}

KTEST(fault, out_of_memory_is_an_error)
{
	struct mm *mm = mm_create();
	struct list_head hoard;
	struct page *p;
	uint32_t v = 0;

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, PGSIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
	list_init(&hoard);
	slab_shrink_all();
	while ((p = alloc_page()) != NULL)
		list_add(&p->lru, &hoard);
	KT_EXPECT_EQ(uput(mm, UBASE, 5), -EFAULT);	/* no page for the table */
	KT_EXPECT_EQ(mm->faults[FAULT_NOMEM], 1);
	while (!list_empty(&hoard)) {
		p = list_entry(hoard.next, struct page, lru);
		list_del(&p->lru);
		free_page(p);
	}
	KT_EXPECT_EQ(uput(mm, UBASE, 5), 0);		/* and it recovers */
	KT_EXPECT_EQ(uget(mm, UBASE, &v), 0);
	KT_EXPECT_EQ(v, 5);
	mm_done(mm);
}

KTEST(fault, describe_names_address_access_region)
{
	struct mm *mm = mm_create();
	char buf[128];

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, 2 * PGSIZE, VM_READ, VMA_ANON), 0);
	vm_fault_describe(mm, UBASE + 0x10, FAULT_WRITE, FAULT_PROTECTION, buf, sizeof(buf));
	KT_EXPECT_STREQ(buf, "write at 0x10000010: region 0x10000000-0x10002000 r-- "
			     "anonymous: protection");
	vm_fault_describe(mm, 0x42, 0, FAULT_OUTSIDE, buf, sizeof(buf));
	KT_EXPECT_STREQ(buf, "read at 0x00000042: outside any region (outside-region)");
	mm_done(mm);
}
