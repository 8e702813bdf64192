/*
 * tests/kernel/test_vma.c: the region set of an address space (vma.*):
 * merging on growth, on mprotect back and after munmap; never across
 * different backings; the tree and list against a page-by-page model
 * over ten thousand random operations; the gap search; copies at fork;
 * and vma_verify catching a broken set.
 */
#include "fs/file.h"
#include "mm/page.h"
#include "mm/vm_internal.h"
#include "tests/kernel/mm_test.h"

#define RW	(VM_READ | VM_WRITE)

KTEST(vma, sbrk_steps_make_one_region)
{
	struct mm *mm = mm_create();

	KT_ASSERT(mm != NULL);
	for (int i = 0; i < 256; i++)		/* 8 MiB in 32 KiB steps, as malloc asks */
		KT_ASSERT_EQ(mm_map(mm, UBASE + i * 8 * PGSIZE, 8 * PGSIZE, RW, VMA_ANON), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 1);
	KT_EXPECT_EQ(vma_find(mm, UBASE + 1000 * PGSIZE)->start, UBASE);
	KT_EXPECT_EQ(vma_find(mm, UBASE)->end, UBASE + 2048 * PGSIZE);
	KT_EXPECT_EQ(mm_unmap(mm, UBASE + 2040 * PGSIZE, 8 * PGSIZE), 0);	/* sbrk down */
	KT_EXPECT_EQ(mm->nr_vmas, 1);
	KT_EXPECT_EQ(vma_find(mm, UBASE)->end, UBASE + 2040 * PGSIZE);
	KT_EXPECT(vma_verify(mm) == NULL);
	mm_done(mm);
}

KTEST(vma, mprotect_and_back_merges)
{
	struct mm *mm = mm_create();

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, 16 * PGSIZE, RW, VMA_ANON), 0);
	KT_EXPECT_EQ(mm_protect(mm, UBASE + 4 * PGSIZE, 4 * PGSIZE, VM_READ), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 3);
	KT_EXPECT_EQ(mm_protect(mm, UBASE + 8 * PGSIZE, 4 * PGSIZE, VM_READ), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 3);		/* the two read-only pieces are one */
	KT_EXPECT_EQ(vma_find(mm, UBASE + 4 * PGSIZE)->end, UBASE + 12 * PGSIZE);
	KT_EXPECT_EQ(mm_protect(mm, UBASE + 4 * PGSIZE, 8 * PGSIZE, RW), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 1);
	KT_EXPECT_EQ(mm_protect(mm, UBASE, 16 * PGSIZE, RW), 0);	/* no change: still one */
	KT_EXPECT_EQ(mm->nr_vmas, 1);
	KT_EXPECT(vma_verify(mm) == NULL);
	mm_done(mm);
}

KTEST(vma, munmap_a_middle_and_map_it_again)
{
	struct mm *mm = mm_create();

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, 16 * PGSIZE, RW, VMA_ANON), 0);
	KT_ASSERT_EQ(uput(mm, UBASE + 2 * PGSIZE, 2), 0);
	KT_EXPECT_EQ(mm_unmap(mm, UBASE + 6 * PGSIZE, 4 * PGSIZE), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 2);
	KT_EXPECT_EQ(mm_map(mm, UBASE + 6 * PGSIZE, 4 * PGSIZE, RW, VMA_ANON), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 1);
	KT_EXPECT_EQ(vma_find(mm, UBASE)->end, UBASE + 16 * PGSIZE);
	KT_EXPECT_EQ(uword(mm, UBASE + 2 * PGSIZE), 2);	/* the pages stayed */
	KT_EXPECT_EQ(uword(mm, UBASE + 7 * PGSIZE), 0);	/* the new part is new */
	KT_EXPECT(vma_verify(mm) == NULL);
	mm_done(mm);
}

KTEST(vma, different_backings_never_merge)
{
	struct mm *mm = mm_create();
	struct file *a = vfs_open("/bin/true", O_RDONLY, NULL);
	struct file *b = vfs_open("/bin/echo", O_RDONLY, NULL);
	uint32_t base = UBASE;

	KT_ASSERT(mm && !IS_ERR(a) && !IS_ERR(b));
	/* the same file at consecutive offsets: one region */
	KT_EXPECT_EQ(mm_map_file(mm, base, PGSIZE, VM_READ, &a->ip->map, 0, base + 2 * PGSIZE), 0);
	KT_EXPECT_EQ(mm_map_file(mm, base + PGSIZE, PGSIZE, VM_READ, &a->ip->map, 1,
				 base + 2 * PGSIZE), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 1);
	/* the same file, not the next offset */
	KT_EXPECT_EQ(mm_map_file(mm, base + 2 * PGSIZE, PGSIZE, VM_READ, &a->ip->map, 5,
				 base + 2 * PGSIZE), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 2);
	/* another file at the next offset */
	KT_EXPECT_EQ(mm_map_file(mm, base + 3 * PGSIZE, PGSIZE, VM_READ, &b->ip->map, 6,
				 base + 2 * PGSIZE), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 3);
	/* anonymous memory after a file, with the file's protection */
	KT_EXPECT_EQ(mm_map(mm, base + 4 * PGSIZE, PGSIZE, VM_READ, VMA_ANON), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 4);
	/* two shared mappings side by side: two objects */
	KT_EXPECT_EQ(mm_map(mm, base + 5 * PGSIZE, 2 * PGSIZE, RW, VMA_SHARED), 0);
	KT_EXPECT_EQ(mm_map(mm, base + 7 * PGSIZE, PGSIZE, RW, VMA_SHARED), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 6);
	/* anonymous memory of another protection */
	KT_EXPECT_EQ(mm_map(mm, base + 8 * PGSIZE, PGSIZE, RW, VMA_ANON), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 7);
	/* one shared object split and put back together: one region again */
	KT_EXPECT_EQ(mm_protect(mm, base + 5 * PGSIZE, PGSIZE, VM_READ), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 8);
	KT_EXPECT_EQ(mm_protect(mm, base + 5 * PGSIZE, PGSIZE, RW), 0);
	KT_EXPECT_EQ(mm->nr_vmas, 7);
	KT_EXPECT_EQ(vma_find(mm, base + 5 * PGSIZE)->end, base + 7 * PGSIZE);
	KT_EXPECT(vma_verify(mm) == NULL);
	mm_done(mm);
	vfs_close(a);
	vfs_close(b);
}

#define WINDOW	256		/* pages the random operations play in */

static uint8_t model[WINDOW];	/* 0: no region; 1: read-only; 2: read-write */

/* Regions the model needs: one per maximal run of equal, mapped pages. */
static uint32_t model_runs(void)
{
	uint32_t runs = 0;

	for (int i = 0; i < WINDOW; i++)
		runs += model[i] && (i == 0 || model[i - 1] != model[i]);
	return runs;
}

static bool matches(struct mm *mm)
{
	for (int i = 0; i < WINDOW; i++) {
		struct vma *v = vma_find(mm, UBASE + i * PGSIZE);
		unsigned want = model[i] == 1 ? VM_READ : RW;
		if (!model[i] != !v || (v && v->prot != want))
			return false;
	}
	return mm->nr_vmas == model_runs();
}

KTEST(vma, random_operations_match_a_model)
{
	struct mm *mm = mm_create();
	uint32_t rng = 12345, bad_verify = 0, bad_model = 0, most = 0;
	const char *why = NULL;

	KT_ASSERT(mm != NULL);
	memset(model, 0, sizeof(model));
	for (int op = 0; op < 10000; op++) {
		rng = rng * 1103515245u + 12345u;
		uint32_t first = (rng >> 8) % WINDOW, n = 1 + (rng >> 20) % 8;
		n = MIN(n, WINDOW - first);
		uint32_t va = UBASE + first * PGSIZE, len = n * PGSIZE;
		bool any = false, all = true;
		for (uint32_t i = first; i < first + n; i++) {
			any |= model[i] != 0;
			all &= model[i] != 0;
		}
		int r;
		switch ((rng >> 4) % 4) {
		case 0:				/* map: only where nothing is */
		case 1:
			r = mm_map(mm, va, len, (rng & 1) ? RW : VM_READ, VMA_ANON);
			KT_ASSERT_EQ(r, any ? -EINVAL : 0);
			if (!any)
				memset(model + first, (rng & 1) ? 2 : 1, n);
			break;
		case 2:				/* unmap: anything */
			KT_ASSERT_EQ(mm_unmap(mm, va, len), 0);
			memset(model + first, 0, n);
			break;
		case 3:				/* protect: only what is covered */
			r = mm_protect(mm, va, len, (rng & 1) ? RW : VM_READ);
			KT_ASSERT_EQ(r, all ? 0 : -EINVAL);
			if (all)
				memset(model + first, (rng & 1) ? 2 : 1, n);
			break;
		}
		if ((why = vma_verify(mm)) != NULL)
			bad_verify++;
		if (op % 50 == 0 || op == 9999)
			bad_model += !matches(mm);
		most = MAX(most, mm->nr_vmas);
	}
	KT_EXPECT_EQ(bad_verify, 0);
	KT_EXPECT_EQ(bad_model, 0);
	KT_EXPECT(most > 20);			/* the set got busy on the way */
	mm_done(mm);
}

KTEST(vma, gap_search_finds_the_lowest_hole)
{
	struct mm *mm = mm_create();
	uint32_t lo = UBASE, hi = UBASE + 64 * PGSIZE;

	KT_ASSERT(mm != NULL);
	for (int i = 0; i < 8; i++) {		/* one after another, as mmap calls come */
		uint32_t a = vma_find_gap(mm, lo, hi, 2 * PGSIZE, PGSIZE);
		KT_EXPECT_EQ(a, lo + i * 2 * PGSIZE);
		KT_ASSERT_EQ(mm_map(mm, a, 2 * PGSIZE, (i & 1) ? RW : VM_READ, VMA_ANON), 0);
	}
	KT_EXPECT_EQ(mm_unmap(mm, lo + 4 * PGSIZE, 2 * PGSIZE), 0);
	KT_EXPECT_EQ(vma_find_gap(mm, lo, hi, 2 * PGSIZE, PGSIZE), lo + 4 * PGSIZE);
	KT_EXPECT_EQ(vma_find_gap(mm, lo, hi, 3 * PGSIZE, PGSIZE), lo + 16 * PGSIZE);
	KT_EXPECT_EQ(vma_find_gap(mm, lo, hi, 4 * PGSIZE, 8 * PGSIZE), lo + 16 * PGSIZE);
	KT_EXPECT_EQ(vma_find_gap(mm, lo, hi, 64 * PGSIZE, PGSIZE), 0);	/* no room */
	KT_EXPECT(vma_verify(mm) == NULL);
	mm_done(mm);
}

KTEST(vma, fork_copies_every_region_in_order)
{
	struct mm *mm = mm_create(), *child;

	KT_ASSERT(mm != NULL);
	for (int i = 0; i < 300; i++)		/* alternating: nothing merges */
		KT_ASSERT_EQ(mm_map(mm, UBASE + i * PGSIZE, PGSIZE, (i & 1) ? RW : VM_READ,
				    VMA_ANON), 0);
	KT_ASSERT_EQ(mm->nr_vmas, 300);
	KT_ASSERT((child = mm_fork(mm)) != NULL);
	KT_EXPECT_EQ(child->nr_vmas, 300);
	KT_EXPECT(vma_verify(child) == NULL);
	for (int i = 0; i < 300; i++) {
		struct vma *v = vma_find(child, UBASE + i * PGSIZE);
		KT_ASSERT(v != NULL);
		KT_EXPECT(v->start == UBASE + i * PGSIZE && v->prot == ((i & 1) ? RW : VM_READ));
	}
	mm_done(child);
	mm_done(mm);
}

KTEST(vma, verify_catches_broken_sets)
{
	struct mm *mm = mm_create();
	struct vma *v;

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, 4 * PGSIZE, RW, VMA_ANON), 0);
	KT_ASSERT_EQ(mm_map(mm, UBASE + 4 * PGSIZE, 4 * PGSIZE, VM_READ, VMA_ANON), 0);
	KT_ASSERT(vma_verify(mm) == NULL);
	v = vma_find(mm, UBASE + 4 * PGSIZE);
	v->prot = RW;				/* now it should have merged */
	v->charged = true;
	KT_EXPECT(vma_verify(mm) != NULL && strstr(vma_verify(mm), "merged"));
	v->prot = VM_READ;
	v->charged = false;
	mm->nr_vmas++;
	KT_EXPECT(vma_verify(mm) != NULL && strstr(vma_verify(mm), "nr_vmas"));
	mm->nr_vmas--;
	v->rb.red = !v->rb.red;			/* a broken tree */
	KT_EXPECT(vma_verify(mm) != NULL);
	v->rb.red = !v->rb.red;
	KT_EXPECT(vma_verify(mm) == NULL);
	mm_done(mm);
}

/*
 * Committed memory: writable private regions are counted when made and
 * given back when they go; read-only ones, the stack (VM_NORESERVE) and
 * fork's copy-on-write copies are not; strict overcommit (the default)
 * refuses what would pass the limit and changes nothing.
 */
KTEST(vma, writable_regions_are_committed_and_given_back)
{
	struct mm *mm = mm_create(), *child;
	uint32_t base = vm_committed();

	KT_ASSERT(mm != NULL);
	KT_ASSERT_EQ(mm_map(mm, UBASE, 16 * PGSIZE, RW, VMA_ANON), 0);
	KT_EXPECT_EQ(vm_committed(), base + 16);
	KT_ASSERT_EQ(mm_map(mm, UBASE + 16 * PGSIZE, 8 * PGSIZE, VM_READ, VMA_ANON), 0);
	KT_EXPECT_EQ(vm_committed(), base + 16);		/* read-only: nothing promised */
	KT_ASSERT_EQ(mm_map(mm, UBASE + 64 * PGSIZE, 4 * PGSIZE, RW | VM_NORESERVE,
			    VMA_ANON), 0);
	KT_EXPECT_EQ(vm_committed(), base + 16);		/* a stack */
	KT_EXPECT_EQ(mm_protect(mm, UBASE + 16 * PGSIZE, 8 * PGSIZE, RW), 0);
	KT_EXPECT_EQ(vm_committed(), base + 24);		/* made writable: counted */
	KT_EXPECT_EQ(mm->nr_vmas, 2);				/* and merged with the heap */
	KT_EXPECT_EQ(mm_protect(mm, UBASE, 4 * PGSIZE, VM_READ), 0);
	KT_EXPECT_EQ(vm_committed(), base + 20);
	KT_ASSERT((child = mm_fork(mm)) != NULL);
	KT_EXPECT_EQ(vm_committed(), base + 20);		/* copies on write: not again */
	mm_done(child);
	KT_EXPECT_EQ(vm_committed(), base + 20);
	KT_EXPECT_EQ(mm_unmap(mm, UBASE + 8 * PGSIZE, 4 * PGSIZE), 0);
	KT_EXPECT_EQ(vm_committed(), base + 16);
	KT_EXPECT(vma_verify(mm) == NULL);
	mm_done(mm);
	KT_EXPECT_EQ(vm_committed(), base);
}

KTEST(vma, strict_commit_refuses_past_the_limit)
{
	struct mm *mm = mm_create();
	uint32_t base = vm_committed(), room;

	KT_ASSERT(mm != NULL);
	KT_ASSERT(vm_commit_limit() > base && vm_commit_limit() < page_managed_count());
	room = vm_commit_limit() - base;
	/* one page more than the room left: refused, nothing counted or mapped */
	KT_EXPECT_EQ(mm_map(mm, UBASE, (room + 1) * PGSIZE, RW, VMA_ANON), -ENOMEM);
	KT_EXPECT_EQ(vm_committed(), base);
	KT_EXPECT_EQ(mm->nr_vmas, 0);
	/* read-only it is free; making it all writable is refused and changes nothing */
	KT_ASSERT_EQ(mm_map(mm, UBASE, (room + 1) * PGSIZE, VM_READ, VMA_ANON), 0);
	KT_EXPECT_EQ(mm_protect(mm, UBASE, (room + 1) * PGSIZE, RW), -ENOMEM);
	KT_EXPECT_EQ(vm_committed(), base);
	KT_EXPECT(mm->nr_vmas == 1 && vma_find(mm, UBASE)->prot == VM_READ);
	/* exactly the room is granted; then not one page more */
	KT_EXPECT_EQ(mm_protect(mm, UBASE, room * PGSIZE, RW), 0);
	KT_EXPECT_EQ(vm_committed(), vm_commit_limit());
	KT_EXPECT_EQ(mm_map(mm, UBASE + (room + 8) * PGSIZE, PGSIZE, RW, VMA_ANON), -ENOMEM);
	KT_EXPECT(vma_verify(mm) == NULL);
	mm_done(mm);
	KT_EXPECT_EQ(vm_committed(), base);
}
