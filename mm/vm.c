/*
 * mm/vm.c: address spaces: directories, PTE bookkeeping, the TLB, and
 * copying an address space for fork=copy. (The region set is mm/vma.c;
 * the calls that change regions, mm/mmap.c.)
 *
 * Every change to a user PTE goes through pte_set, pte_zap, pte_replace or
 * a protection change here, so the rmap, page references, mm->rss and
 * pgtable->nr_present stay in step (rmap_verify checks the rmap against
 * the tables and nr_present). TLB rule: after changing a PTE of the active
 * address space, flush that page with invlpg (a protection change over
 * more than TLB_FLUSH_ALL pages reloads CR3 instead). Other address spaces
 * need nothing: loading their CR3 flushes the (non-global) user entries.
 */
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/sched/sched.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmcheck.h"
#include "mm/vm_internal.h"

#define TLB_FLUSH_ALL	32	/* pages; beyond this a CR3 reload is cheaper */

struct list_head all_mms = LIST_HEAD_INIT(all_mms);
uint32_t nr_mms;
struct vm_stats vm_stats;
static struct kmem_cache *mm_cache;

/* --- TLB ------------------------------------------------------------------ */

void tlb_flush_page(struct mm *mm, uint32_t va)
{
	if (mm_is_active(mm)) {
		invlpg((void *)va);
		vm_stats.invlpg++;
	}
}

void tlb_flush_all(struct mm *mm)
{
	if (mm_is_active(mm)) {
		lcr3(rcr3());
		vm_stats.cr3_reloads++;
	}
}

void tlb_flush_range(struct mm *mm, uint32_t start, uint32_t end)
{
	if ((end - start) / PGSIZE > TLB_FLUSH_ALL)
		tlb_flush_all(mm);
	else
		for (uint32_t va = start; va < end; va += PGSIZE)
			tlb_flush_page(mm, va);
}

void mm_activate(struct mm *mm)
{
	sched_set_cr3(mm ? mm->cr3 : V2P(boot_pgdir));
}

struct mm *mm_active(void)
{
	struct page *dir = pfn_to_page(rcr3() >> PGSHIFT);

	return (dir->flags & PG_pgdir) ? (struct mm *)dir->private : NULL;
}

/* --- page tables and PTEs ----------------------------------------------- */

pte_t *mm_pte(struct mm *mm, uint32_t va)
{
	pde_t d = mm->pgdir[PDX(va)];

	if (va >= USER_TOP || !pde_present(d))
		return NULL;
	return &pt_entries(pt_of_pde(d))[PTX(va)];
}

/* The table for va, made if missing; NULL if out of memory. */
static struct pgtable *pt_get(struct mm *mm, uint32_t va)
{
	pde_t *d = &mm->pgdir[PDX(va)];
	struct pgtable *pt;

	if (pde_present(*d))
		return pt_of_pde(*d);
	if (!(pt = pt_alloc()))
		return NULL;
	if (pt_add_user(pt, mm, va & ~(PDSIZE - 1)) < 0) {
		pt_free(pt);
		return NULL;
	}
	*d = mk_pde(page_to_phys(pt->page), PDE_P | PDE_W | PDE_U);
	mm->nr_pt++;
	return pt;
}

/* Drop mm's use of the table at pdx; the table goes with its last user. */
static void pt_put(struct mm *mm, uint32_t pdx)
{
	struct pgtable *pt = pt_of_pde(mm->pgdir[pdx]);

	mm->pgdir[pdx] = 0;		/* (nr_pt agrees with the directory: vmcheck) */
	tlb_flush_page(mm, PGADDR(pdx, 0));	/* also drops a cached directory entry */
	mm->nr_pt--;
	pt_del_user(pt, mm);
	if (pt->users == 0)
		pt_free(pt);
}

void pt_detach(struct mm *mm, uint32_t pdx)
{
	struct pgtable *pt = pt_of_pde(mm->pgdir[pdx]);

	KASSERT(pt->users > 1);
	mm->rss -= pt->nr_present;
	mm->pgdir[pdx] = 0;
	mm->nr_pt--;
	pt_del_user(pt, mm);
	vm_stats.pt_detached++;
	tlb_flush_all(mm);		/* every page of the 4 MiB, not only the first */
}

/*
 * Map page at va with PTE flags; consumes one reference on page (the
 * PTE's). Returns -ENOMEM (reference kept by the caller) if out of memory.
 */
int pte_set(struct mm *mm, uint32_t va, struct page *page, uint32_t flags)
{
	struct pgtable *pt = pt_get(mm, va);
	struct list_head *pos;

	if (!pt)
		return -ENOMEM;
	if (rmap_add(page, pt, PTX(va)) < 0) {
		if (pt->nr_present == 0 && pt->nr_swap == 0)
			pt_put(mm, PDX(va));	/* do not leave a table we just made */
		return -ENOMEM;
	}
	KASSERT(!pte_present(pt_entries(pt)[PTX(va)]));
	pt_entries(pt)[PTX(va)] = mk_pte(page_to_phys(page), flags | PTE_P | PTE_U);
	pt->nr_present++;
	if (flags & PTE_W)
		pt->flags &= ~PT_ALL_RO;
	list_for_each(pos, &pt->user_list)	/* a shared table: every user sees it */
		list_entry(pos, struct pt_user, link)->mm->rss++;
	return 0;
}

static void users_account(struct pgtable *pt, unsigned index)
{
	struct list_head *pos;

	list_for_each(pos, &pt->user_list) {
		struct pt_user *u = list_entry(pos, struct pt_user, link);
		u->mm->rss--;
		tlb_flush_page(u->mm, u->vbase + index * PGSIZE);
	}
}

void pte_zap(struct pgtable *pt, unsigned index)
{
	pte_t *e = &pt_entries(pt)[index];
	struct page *page = pfn_to_page(pte_pfn(*e));

	KASSERT(pte_present(*e));		/* (nr_present agrees: vmcheck counts) */
	*e = 0;
	pt->nr_present--;
	users_account(pt, index);
	rmap_remove(page, pt, index);
	put_page(page);
}

void pte_zap_swap(struct pgtable *pt, unsigned index)
{
	pte_t *e = &pt_entries(pt)[index];
	uint32_t slot = swap_pte_slot(*e);

	KASSERT(pte_is_swap(*e));
	*e = 0;
	pt->nr_swap--;
	swap_put(slot);
}

int pte_set_swap(struct mm *mm, uint32_t va, pte_t entry)
{
	struct pgtable *pt = pt_get(mm, va);

	if (!pt)
		return -ENOMEM;
	KASSERT(pte_is_swap(entry) && pt_entries(pt)[PTX(va)] == 0);
	swap_dup(swap_pte_slot(entry));
	pt_entries(pt)[PTX(va)] = entry;
	pt->nr_swap++;
	return 0;
}

/* A present PTE becomes a swap entry for slot (the page is in the swap cache). */
static int swap_one(struct page *page, struct pgtable *pt, unsigned index, void *arg)
{
	pte_t *e = &pt_entries(pt)[index];
	uint32_t slot = *(uint32_t *)arg;

	KASSERT(pte_present(*e) && pte_pfn(*e) == page_to_pfn(page));
	swap_dup(slot);
	*e = mk_swap_pte(slot);
	pt->nr_present--;
	pt->nr_swap++;
	users_account(pt, index);
	rmap_remove(page, pt, index);
	put_page(page);
	return 0;
}

void try_to_unmap_swap(struct page *page)
{
	uint32_t slot = page->private;
	int was = irq_save();

	KASSERT(page->flags & PG_swapcache);
	rmap_walk(page, swap_one, &slot);
	irq_restore(was);
}

/* Test and clear the accessed bit of one PTE (every user sees a shared table's). */
static int young_one(struct page *page, struct pgtable *pt, unsigned index, void *arg)
{
	pte_t *e = &pt_entries(pt)[index];
	struct list_head *pos;

	(void)page;
	if (!pte_young(*e))
		return 0;
	*e &= ~PTE_A;
	list_for_each(pos, &pt->user_list) {	/* else the TLB's copy would not set it again */
		struct pt_user *u = list_entry(pos, struct pt_user, link);
		tlb_flush_page(u->mm, u->vbase + index * PGSIZE);
	}
	(*(int *)arg)++;
	return 0;
}

int page_referenced(struct page *page)
{
	int young = 0, was = irq_save();

	rmap_walk(page, young_one, &young);
	irq_restore(was);
	return young;
}

/*
 * A table reclaim has emptied (no present entry, no swap entry) goes at
 * once, from every directory that points at it: a shared table is freed
 * once for all its users.
 */
static void pt_reap(struct pgtable *pt)
{
	while (pt->users > 0) {
		struct pt_user *u = list_entry(pt->user_list.next, struct pt_user, link);
		struct mm *mm = u->mm;
		uint32_t pdx = PDX(u->vbase);

		KASSERT(pt_of_pde(mm->pgdir[pdx]) == pt);
		mm->pgdir[pdx] = 0;
		tlb_flush_page(mm, u->vbase);	/* also drops a cached directory entry */
		mm->nr_pt--;
		pt_del_user(pt, mm);
	}
	pt_free(pt);
	vm_stats.pt_reaped++;
}

static int unmap_one(struct page *page, struct pgtable *pt, unsigned index, void *arg)
{
	(void)page;
	pte_zap(pt, index);
	(*(int *)arg)++;
	if (pt->nr_present == 0 && pt->nr_swap == 0)
		pt_reap(pt);		/* (it cannot hold another mapping of page) */
	return 0;
}

int try_to_unmap(struct page *page)
{
	int count = 0, was = irq_save();

	rmap_walk(page, unmap_one, &count);
	irq_restore(was);
	return count;
}

/* Replace the page mapped at (pt, index) by new, with flags; consumes a reference on new. */
int pte_replace(struct mm *mm, uint32_t va, struct page *new, uint32_t flags)
{
	struct pgtable *pt = pt_of_pde(mm->pgdir[PDX(va)]);
	pte_t *e = &pt_entries(pt)[PTX(va)];
	struct page *old = pfn_to_page(pte_pfn(*e));

	if (rmap_add(new, pt, PTX(va)) < 0)
		return -ENOMEM;
	*e = mk_pte(page_to_phys(new), flags | PTE_P | PTE_U);
	if (flags & PTE_W)
		pt->flags &= ~PT_ALL_RO;	/* a writable entry again: the next copy must see it */
	tlb_flush_page(mm, va);
	rmap_remove(old, pt, PTX(va));
	put_page(old);
	return 0;
}

bool pt_shared_at(struct mm *mm, uint32_t pdx)
{
	return pde_present(mm->pgdir[pdx]) && pt_of_pde(mm->pgdir[pdx])->users > 1;
}

void zap_range(struct mm *mm, uint32_t start, uint32_t end)
{
	for (uint32_t va = start; va < end; va = (va | (PDSIZE - 1)) + 1) {
		uint32_t pdx = PDX(va), stop = MIN(end, (va | (PDSIZE - 1)) + 1);
		if (!pde_present(mm->pgdir[pdx]))
			continue;
		if (pt_shared_at(mm, pdx)) {	/* others still use it: just let go */
			KASSERT(va == PGADDR(pdx, 0) && (stop == 0 || stop - va == PDSIZE));
			pt_detach(mm, pdx);
			if (stop == 0)
				break;
			continue;
		}
		struct pgtable *pt = pt_of_pde(mm->pgdir[pdx]);
		for (uint32_t a = va; a < stop; a += PGSIZE) {
			pte_t e = pt_entries(pt)[PTX(a)];
			if (pte_present(e))
				pte_zap(pt, PTX(a));
			else if (pte_is_swap(e))
				pte_zap_swap(pt, PTX(a));
		}
		if (pt->nr_present == 0 && pt->nr_swap == 0)
			pt_put(mm, pdx);
		if (stop == 0)
			break;		/* wrapped past 4 GiB */
	}
}

/* --- address spaces ------------------------------------------------------ */

uint32_t mm_swap_entries(struct mm *mm)
{
	uint32_t n = 0;

	for (uint32_t pdx = 0; pdx < KERN_PDX; pdx++)
		if (pde_present(mm->pgdir[pdx]))
			n += pt_of_pde(mm->pgdir[pdx])->nr_swap;
	return n;
}

void mm_kmem(struct mm *mm, struct mm_kmem *k)
{
	int was = irq_save();

	*k = (struct mm_kmem){ .pgdir = PGSIZE,
			       .regions = mm->nr_vmas * sizeof(struct vma) + sizeof(struct mm) };
	for (uint32_t i = 0; i < PDX(KERNBASE); i++) {
		if (!(mm->pgdir[i] & PDE_P))
			continue;
		struct pgtable *pt = pt_of_pde(mm->pgdir[i]);
		uint32_t users = pt->users > 0 ? pt->users : 1;
		if (users == 1)
			k->tables += PGSIZE;
		else
			k->shared += PGSIZE / users;
		k->rmap += (pt->nr_present * rmap_item_bytes() + sizeof(struct pgtable)) / users +
			   sizeof(struct pt_user);
	}
	irq_restore(was);
}

struct mm *mm_create(void)
{
	struct mm *mm = kmem_cache_alloc(mm_cache);
	struct page *pg;

	if (!mm)
		return NULL;
	if (!(pg = alloc_page())) {
		kmem_cache_free(mm_cache, mm);
		return NULL;
	}
	pg->flags |= PG_pgdir;
	pg->private = (uintptr_t)mm;		/* mm_active finds mm from CR3 */
	*mm = (struct mm){ .pgdir = page_address(pg), .cr3 = page_to_phys(pg) };
	memset(mm->pgdir, 0, KERN_PDX * sizeof(pde_t));
	memcpy(mm->pgdir + KERN_PDX, boot_pgdir + KERN_PDX,
	       (NPDENTRIES - KERN_PDX) * sizeof(pde_t));
	list_init(&mm->vmas);
	list_init(&mm->pt_users);
	mm->vma_tree = (struct rb_root)RB_ROOT_INIT;
	list_add_tail(&mm->link, &all_mms);
	nr_mms++;
	return mm;
}

void mm_destroy(struct mm *mm)
{
	struct page *dir = virt_to_page(mm->pgdir);

	if (mm_is_active(mm))
		mm_activate(NULL);
	vma_remove_all(mm);
	zap_range(mm, 0, USER_TOP);
	KASSERT(mm->rss == 0 && mm->nr_pt == 0);
	list_del(&mm->link);
	nr_mms--;
	dir->flags &= ~PG_pgdir;
	dir->private = 0;
	free_page(dir);
	kmem_cache_free(mm_cache, mm);
	vmcheck("an address space was destroyed", NULL);
}

/* Copy one present PTE of a region into child; private pages become COW in both. */
static int dup_pte(struct mm *child, struct vma *v, uint32_t va, pte_t *e)
{
	struct page *page = pfn_to_page(pte_pfn(*e));
	uint32_t flags = *e & (PTE_W | PTE_COW);

	if (v->kind != VMA_SHARED && (flags & (PTE_W | PTE_COW))) {
		*e = pte_mkcow(*e);
		flags = PTE_COW;
	}
	get_page(page);
	if (pte_set(child, va, page, flags) < 0) {
		put_page(page);
		return -ENOMEM;
	}
	if (!pte_user(*e))			/* a no-access region stays so */
		*mm_pte(child, va) &= ~PTE_U;
	return 0;
}

struct mm *mm_dup(struct mm *src)
{
	struct mm *child = mm_create();
	struct list_head *pos;

	if (!child)
		return NULL;
	if (vma_copy_all(child, src) < 0)
		goto fail;
	list_for_each(pos, &src->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		for (uint32_t va = v->start; va < v->end; va += PGSIZE) {
			pte_t *e = mm_pte(src, va);
			if (e && pte_present(*e) && dup_pte(child, v, va, e) < 0)
				goto fail;
			if (e && pte_is_swap(*e) && pte_set_swap(child, va, *e) < 0)
				goto fail;
		}
	}
	tlb_flush_all(src);	/* the parent's private pages just became read-only */
	vmcheck("an address space was copied", child);
	return child;
fail:
	mm_destroy(child);
	tlb_flush_all(src);
	return NULL;
}

void vm_init(void)
{
	mm_cache = kmem_cache_create("mm", sizeof(struct mm), 0, NULL, 0);
	if (!mm_cache)
		panic("vm_init: out of memory");
	vma_init();
	pgtable_init();
	rmap_init();
}
