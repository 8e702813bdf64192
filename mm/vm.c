/*
 * mm/vm.c: address spaces: directories, regions, and PTE bookkeeping.
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
#include "mm/filemap.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/vmcheck.h"
#include "mm/vm_internal.h"

#define TLB_FLUSH_ALL	32	/* pages; beyond this a CR3 reload is cheaper */

struct list_head all_mms = LIST_HEAD_INIT(all_mms);
struct vm_stats vm_stats;
static struct kmem_cache *mm_cache, *vma_cache;

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

static void tlb_flush_range(struct mm *mm, uint32_t start, uint32_t end)
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
		if (pt->nr_present == 0)
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

static int unmap_one(struct page *page, struct pgtable *pt, unsigned index, void *arg)
{
	(void)page;
	pte_zap(pt, index);
	(*(int *)arg)++;
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

/* Is the table at pdx used by other address spaces too? */
static bool pt_shared_at(struct mm *mm, uint32_t pdx)
{
	return pde_present(mm->pgdir[pdx]) && pt_of_pde(mm->pgdir[pdx])->users > 1;
}

/*
 * Before changing entries in [start, end): give mm its own copy of every
 * shared table the range covers only in part (a table covered whole is
 * simply let go of, by zap_range). -ENOMEM, with nothing changed yet.
 */
static int unshare_range(struct mm *mm, uint32_t start, uint32_t end, bool whole_ok)
{
	for (uint32_t va = start; va < end; va = (va | (PDSIZE - 1)) + 1) {
		uint32_t pdx = PDX(va), stop = MIN(end, (va | (PDSIZE - 1)) + 1);
		bool whole = va == PGADDR(pdx, 0) && (stop == 0 || stop - va == PDSIZE);
		if (pt_shared_at(mm, pdx) && !(whole && whole_ok) && pt_unshare(mm, pdx) < 0)
			return -ENOMEM;
		if (stop == 0)
			break;
	}
	return 0;
}

/* Unmap every page in [start, end) and free tables left empty. */
static void zap_range(struct mm *mm, uint32_t start, uint32_t end)
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
		for (uint32_t a = va; a < stop; a += PGSIZE)
			if (pte_present(pt_entries(pt)[PTX(a)]))
				pte_zap(pt, PTX(a));
		if (pt->nr_present == 0)
			pt_put(mm, pdx);
		if (stop == 0)
			break;		/* wrapped past 4 GiB */
	}
}

/* --- regions ------------------------------------------------------------- */

struct vma *vma_find(struct mm *mm, uint32_t va)
{
	struct list_head *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		if (va < v->start)
			return NULL;
		if (va < v->end)
			return v;
	}
	return NULL;
}

static void shm_put(struct shmem *shm)
{
	if (!shm || --shm->refs > 0)
		return;
	for (uint32_t i = 0; i < shm->npages; i++)
		if (shm->pages[i])
			put_page(shm->pages[i]);
	kfree(shm);
}

static void vma_free(struct vma *v)
{
	shm_put(v->shm);
	if (v->file)
		filemap_put(v->file);
	kmem_cache_free(vma_cache, v);
}

/* Split v at addr (inside it): v keeps [start, addr), a new region gets the rest. */
static int vma_split(struct vma *v, uint32_t addr)
{
	struct vma *n = kmem_cache_alloc(vma_cache);

	if (!n)
		return -ENOMEM;
	*n = *v;
	n->start = addr;
	n->pgoff = v->pgoff + (addr - v->start) / PGSIZE;
	if (n->shm)
		n->shm->refs++;
	if (n->file)
		filemap_get(n->file);
	v->end = addr;
	list_add(&n->link, &v->link);
	return 0;
}

static bool range_ok(uint32_t start, uint32_t len)
{
	return len && !(start & (PGSIZE - 1)) && !(len & (PGSIZE - 1)) &&
	       start < USER_TOP && len <= USER_TOP - start;
}

static struct shmem *shm_create(uint32_t npages)
{
	struct shmem *shm = kzalloc(sizeof(*shm) + npages * sizeof(struct page *));

	if (shm) {
		shm->refs = 1;
		shm->npages = npages;
	}
	return shm;
}

int mm_map_file(struct mm *mm, uint32_t start, uint32_t len, unsigned prot,
		struct filemap *map, uint32_t pgoff, uint32_t file_end)
{
	int r = mm_map(mm, start, len, prot, VMA_FILE);
	struct vma *v;

	if (r < 0)
		return r;
	v = vma_find(mm, start);
	v->file = filemap_get(map);
	v->pgoff = pgoff;
	v->file_end = file_end;
	return 0;
}

int mm_map(struct mm *mm, uint32_t start, uint32_t len, unsigned prot, enum vma_kind kind)
{
	struct list_head *pos, *before = &mm->vmas;
	struct vma *v;

	if (!range_ok(start, len))
		return -EINVAL;
	list_for_each(pos, &mm->vmas) {
		struct vma *o = list_entry(pos, struct vma, link);
		if (o->start < start + len && start < o->end)
			return -EINVAL;		/* overlap */
		if (o->start < start)
			before = pos;
	}
	if (!(v = kmem_cache_alloc(vma_cache)))
		return -ENOMEM;
	*v = (struct vma){ .start = start, .end = start + len, .prot = prot, .kind = kind };
	if (kind == VMA_SHARED && !(v->shm = shm_create(len / PGSIZE))) {
		kmem_cache_free(vma_cache, v);
		return -ENOMEM;
	}
	list_add(&v->link, before);
	return 0;
}

/* Make region boundaries fall at start and end; -ENOMEM if a split fails. */
static int split_at(struct mm *mm, uint32_t start, uint32_t end)
{
	struct vma *v;

	if ((v = vma_find(mm, start)) && v->start < start && vma_split(v, start) < 0)
		return -ENOMEM;
	if ((v = vma_find(mm, end)) && v->start < end && vma_split(v, end) < 0)
		return -ENOMEM;
	return 0;
}

int mm_unmap(struct mm *mm, uint32_t start, uint32_t len)
{
	struct list_head *pos, *next;
	uint32_t end = start + len;

	if (!range_ok(start, len))
		return -EINVAL;
	if (unshare_range(mm, start, end, true) < 0 || split_at(mm, start, end) < 0)
		return -ENOMEM;
	for (pos = mm->vmas.next; pos != &mm->vmas; pos = next) {
		struct vma *v = list_entry(pos, struct vma, link);
		next = pos->next;
		if (v->start >= start && v->end <= end) {
			list_del(&v->link);
			vma_free(v);
		}
	}
	zap_range(mm, start, end);
	return 0;
}

static bool covered(struct mm *mm, uint32_t start, uint32_t end)
{
	for (uint32_t va = start; va < end;) {
		struct vma *v = vma_find(mm, va);
		if (!v)
			return false;
		va = v->end;
	}
	return true;
}

int mm_protect(struct mm *mm, uint32_t start, uint32_t len, unsigned prot)
{
	uint32_t end = start + len;

	if (!range_ok(start, len) || !covered(mm, start, end))
		return -EINVAL;
	if (unshare_range(mm, start, end, false) < 0 || split_at(mm, start, end) < 0)
		return -ENOMEM;
	for (uint32_t va = start; va < end;) {
		struct vma *v = vma_find(mm, va);
		v->prot = prot;
		va = v->end;
	}
	/*
	 * Taking write away clears R/W now; giving it back waits for a fault.
	 * No access at all (x86 cannot make a present page unreadable) clears
	 * U/S, so user mode faults; copy_from_user checks the region itself.
	 */
	for (uint32_t va = start; va < end; va += PGSIZE) {
		pte_t *e = mm_pte(mm, va);
		if (!e || !pte_present(*e))
			continue;
		if (!(prot & VM_WRITE))
			*e = pte_wrprotect(*e);
		*e = (prot & (VM_READ | VM_WRITE | VM_EXEC)) ? *e | PTE_U : *e & ~PTE_U;
	}
	tlb_flush_range(mm, start, end);
	return 0;
}

bool mm_readable(struct mm *mm, uint32_t va, uint32_t len)
{
	uint32_t end = va + len;

	if (!mm || end < va)
		return false;
	while (va < end) {
		struct vma *v = vma_find(mm, va);
		if (!v || !(v->prot & (VM_READ | VM_WRITE | VM_EXEC)))
			return false;
		va = v->end;
	}
	return true;
}

/* --- address spaces ------------------------------------------------------ */

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
	list_add_tail(&mm->link, &all_mms);
	return mm;
}

void mm_destroy(struct mm *mm)
{
	struct page *dir = virt_to_page(mm->pgdir);

	if (mm_is_active(mm))
		mm_activate(NULL);
	while (!list_empty(&mm->vmas)) {
		struct vma *v = list_entry(mm->vmas.next, struct vma, link);
		list_del(&v->link);
		vma_free(v);
	}
	zap_range(mm, 0, USER_TOP);
	KASSERT(mm->rss == 0 && mm->nr_pt == 0);
	list_del(&mm->link);
	dir->flags &= ~PG_pgdir;
	dir->private = 0;
	free_page(dir);
	kmem_cache_free(mm_cache, mm);
	vmcheck("an address space was destroyed");
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

int copy_vmas(struct mm *child, struct mm *src)
{
	struct list_head *pos;

	list_for_each(pos, &src->vmas) {
		struct vma *c = kmem_cache_alloc(vma_cache);
		if (!c)
			return -ENOMEM;
		*c = *list_entry(pos, struct vma, link);
		if (c->shm)
			c->shm->refs++;
		if (c->file)
			filemap_get(c->file);
		list_add_tail(&c->link, &child->vmas);
	}
	return 0;
}

struct mm *mm_dup(struct mm *src)
{
	struct mm *child = mm_create();
	struct list_head *pos;

	if (!child)
		return NULL;
	if (copy_vmas(child, src) < 0)
		goto fail;
	list_for_each(pos, &src->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		for (uint32_t va = v->start; va < v->end; va += PGSIZE) {
			pte_t *e = mm_pte(src, va);
			if (e && pte_present(*e) && dup_pte(child, v, va, e) < 0)
				goto fail;
		}
	}
	tlb_flush_all(src);	/* the parent's private pages just became read-only */
	vmcheck("an address space was copied");
	return child;
fail:
	mm_destroy(child);
	tlb_flush_all(src);
	return NULL;
}

void vm_init(void)
{
	mm_cache = kmem_cache_create("mm", sizeof(struct mm), 0, NULL, 0);
	vma_cache = kmem_cache_create("vma", sizeof(struct vma), 0, NULL, 0);
	if (!mm_cache || !vma_cache)
		panic("vm_init: out of memory");
	pgtable_init();
	rmap_init();
}
