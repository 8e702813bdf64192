/*
 * mm/share.c: fork by sharing page tables (docs/shared-page-tables.md).
 *
 * At fork the child's directory points at the parent's page tables; each
 * table's user list gains the child. For a table holding private memory
 * the directory entries of both lose R/W: the CPU ANDs R/W across the two
 * levels, so every page under it is read-only for both, and no PTE is
 * touched. A table that holds only MAP_SHARED memory stays writable in
 * both: the mapping is meant to be shared.
 *
 * The first write through a write-protected directory entry unshares:
 *   - if the table has other users, the writer gets a copy of it; the PTEs
 *     of private pages become read-only (copy-on-write) in both the copy
 *     and the original, and every page gains a reference and an rmap
 *     entry for the copy;
 *   - if the writer is its only user, its entry simply gets R/W back: the
 *     invariant below says its private pages are already safe.
 * Then the page-level copy-on-write in mm/fault.c runs as usual.
 *
 * Invariant (what makes both steps right): a page mapped by more than one
 * PTE has every one of those PTEs read-only, or sits in a MAP_SHARED
 * region. Fork keeps it (it adds no PTE); an unshare keeps it (it makes
 * the PTEs it duplicates read-only); page-level COW keeps it.
 * Parent, child and siblings are treated alike: whoever writes first
 * copies, and nobody ever writes through a table someone else reads.
 */
#include "kernel/lib/errno.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/tunable.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vm_internal.h"
#include "mm/vmcheck.h"

int vm_fork_mode = FORK_SHARE;
static const char *const fork_modes[] = { "share", "copy", NULL };
TUNABLE_CHOICE(fork, &vm_fork_mode, fork_modes,
	       "fork shares page tables (share, the default) or copies them (copy)");

/* Do MAP_SHARED regions, and nothing else, cover the table at pdx? */
static bool table_all_shared(struct mm *mm, uint32_t pdx)
{
	uint32_t base = PGADDR(pdx, 0);
	struct vma *v = vma_first_after(mm, base);
	bool any = false;

	for (; v && v->start < base + PDSIZE; v = vma_next(mm, v)) {
		if (v->kind != VMA_SHARED)
			return false;
		any = true;
	}
	return any;
}

/* Undo a half-made copy: drop the references and rmap entries it took. */
static void drop_copy(struct mm *mm, struct pgtable *new)
{
	pte_t *ne = pt_entries(new);

	for (unsigned i = 0; i < NPTENTRIES; i++)
		if (pte_present(ne[i])) {
			struct page *page = pfn_to_page(pte_pfn(ne[i]));
			ne[i] = 0;
			rmap_remove(page, new, i);
			put_page(page);
			new->nr_present--;
		} else if (pte_is_swap(ne[i])) {
			pte_zap_swap(new, i);
		}
	pt_del_user(new, mm);
	pt_free(new);
}

/* Fill new with old's entries, write-protecting private pages in both. */
static int copy_entries(struct mm *mm, uint32_t pdx, struct pgtable *old, struct pgtable *new)
{
	pte_t *oe = pt_entries(old), *ne = pt_entries(new);
	bool all_ro = old->flags & PT_ALL_RO;

	for (unsigned i = 0; i < NPTENTRIES; i++) {
		struct page *page;
		struct vma *v;

		if (pte_is_swap(oe[i])) {	/* the copy names the slot too */
			swap_dup(swap_pte_slot(oe[i]));
			ne[i] = oe[i];
			new->nr_swap++;
			continue;
		}
		if (!pte_present(oe[i]))
			continue;
		page = pfn_to_page(pte_pfn(oe[i]));
		if (!all_ro && pte_write(oe[i]) &&
		    (!(v = vma_find(mm, PGADDR(pdx, i))) || v->kind != VMA_SHARED))
			oe[i] = pte_mkcow(oe[i]);
		if (rmap_add(page, new, i) < 0)
			return -ENOMEM;
		get_page(page);
		ne[i] = oe[i];
		new->nr_present++;
	}
	old->flags |= PT_ALL_RO;	/* the next copy need not write it again */
	return 0;
}

int pt_unshare(struct mm *mm, uint32_t pdx)
{
	struct pgtable *old, *new;

	KASSERT(pdx < KERN_PDX && pde_present(mm->pgdir[pdx]));
	old = pt_of_pde(mm->pgdir[pdx]);
	if (old->users == 1) {		/* ours alone again: write access back */
		mm->pgdir[pdx] = pde_mkwrite(mm->pgdir[pdx]);
		vm_stats.pt_rewritable++;
		tlb_flush_all(mm);
		return 0;
	}
	if (!(new = pt_alloc()))
		return -ENOMEM;
	if (pt_add_user(new, mm, PGADDR(pdx, 0)) < 0) {
		pt_free(new);
		return -ENOMEM;
	}
	if (copy_entries(mm, pdx, old, new) < 0) {
		drop_copy(mm, new);
		return -ENOMEM;
	}
	mm->pgdir[pdx] = mk_pde(page_to_phys(new->page), PDE_P | PDE_W | PDE_U);
	pt_del_user(old, mm);
	vm_stats.pt_unshared++;
	tlb_flush_all(mm);
	return 0;
}

struct mm *mm_share(struct mm *src)
{
	struct mm *child = mm_create();

	if (!child || vma_copy_all(child, src) < 0)
		goto fail;
	for (uint32_t pdx = 0; pdx < KERN_PDX; pdx++) {
		pde_t d = src->pgdir[pdx];
		struct pgtable *pt;

		if (!pde_present(d))
			continue;
		pt = pt_of_pde(d);
		if (pt_add_user(pt, child, PGADDR(pdx, 0)) < 0)
			goto fail;
		if (!table_all_shared(src, pdx))
			src->pgdir[pdx] = d = pde_wrprotect(d);
		child->pgdir[pdx] = d;
		child->nr_pt++;
		child->rss += pt->nr_present;
		vm_stats.pt_shared++;
	}
	tlb_flush_all(src);		/* its directory entries lost R/W */
	vmcheck("an address space was shared", child);
	return child;
fail:
	if (child)
		mm_destroy(child);
	tlb_flush_all(src);
	return NULL;
}

struct mm *mm_fork(struct mm *src)
{
	return vm_fork_mode == FORK_SHARE ? mm_share(src) : mm_dup(src);
}
