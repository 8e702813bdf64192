/*
 * mm/fault.c: resolving page faults.
 *
 * vm_fault classifies and, where it can, serves a fault:
 *
 *   no region at va ............................ FAULT_OUTSIDE
 *   region forbids the access .................. FAULT_PROTECTION
 *   a shared page table must become ours first . (unshare, then go on)
 *   page not present, private anonymous ........ FAULT_DEMAND_ZERO (new zeroed page)
 *   page not present, shared anonymous ......... FAULT_SHARED (the shmem's page)
 *   write to a present shared anonymous page ... FAULT_SHARED (made writable)
 *   page not present, file region .............. FAULT_FILE (the page cache's page)
 *   a swap entry ............................... FAULT_SWAPIN (the swap cache's page,
 *                                                read from the swap disk if not there)
 *   file region with nothing behind it ......... FAULT_NOBACKING
 *   write to a read-only page of a writable private region:
 *       we hold the only reference ............. FAULT_COW_REUSE (make it writable)
 *       others hold it too ..................... FAULT_COW_COPY (copy, map the copy)
 *   no memory for what the fault needs ......... FAULT_NOMEM
 *   nothing to do (stale TLB entry) ............ FAULT_SPURIOUS
 *
 * It only resolves: deciding what a fault that cannot be served means
 * (kill the process, return -EFAULT from a copy, panic) is the trap
 * handler's business, in the process layer (kernel/proc/usertrap.c).
 */
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/x86.h"
#include "mm/filemap.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "mm/vm_internal.h"

static const char *const class_names[NFAULT] = {
	[FAULT_DEMAND_ZERO] = "demand-zero", [FAULT_SHARED] = "shared",
	[FAULT_COW_COPY] = "cow-copy", [FAULT_COW_REUSE] = "cow-reuse", [FAULT_FILE] = "file",
	[FAULT_SPURIOUS] = "spurious", [FAULT_SWAPIN] = "swap-in",
	[FAULT_OUTSIDE] = "outside-region",
	[FAULT_PROTECTION] = "protection", [FAULT_NOMEM] = "out-of-memory",
	[FAULT_NOBACKING] = "no-backing",
};

const char *fault_class_name(enum fault_class c)
{
	return c < NFAULT ? class_names[c] : "?";
}

int vm_fault_describe(struct mm *mm, uint32_t va, unsigned flags, enum fault_class c,
		      char *buf, size_t size)
{
	const char *access = (flags & FAULT_WRITE) ? "write" : "read";
	struct vma *v = vma_find(mm, va);
	static const char *const kinds[] = { "anonymous", "shared", "file" };

	if (!v)
		return snprintf(buf, size, "%s at %p: outside any region (%s)", access,
				(void *)va, fault_class_name(c));
	return snprintf(buf, size, "%s at %p: region %p-%p %c%c%c %s: %s", access,
			(void *)va, (void *)v->start, (void *)v->end,
			v->prot & VM_READ ? 'r' : '-', v->prot & VM_WRITE ? 'w' : '-',
			v->prot & VM_EXEC ? 'x' : '-', kinds[v->kind], fault_class_name(c));
}

static struct page *zeroed_page(void)
{
	void *va = page_alloc_zeroed();

	return va ? virt_to_page(va) : NULL;
}

static enum fault_class fault_anon(struct mm *mm, struct vma *v, uint32_t va)
{
	struct page *page = zeroed_page();

	if (!page)
		return FAULT_NOMEM;
	if (pte_set(mm, va, page, (v->prot & VM_WRITE) ? PTE_W : 0) < 0) {
		put_page(page);
		return FAULT_NOMEM;
	}
	lru_add(page, true);
	return FAULT_DEMAND_ZERO;
}

static enum fault_class fault_shared(struct mm *mm, struct vma *v, uint32_t va, pte_t *e)
{
	struct page **slot = &v->shm->pages[v->pgoff + (va - v->start) / PGSIZE];
	uint32_t w = (v->prot & VM_WRITE) ? PTE_W : 0;

	if (e && pte_present(*e)) {		/* write to a shared page: allowed */
		if (w)
			pt_of_pde(mm->pgdir[PDX(va)])->flags &= ~PT_ALL_RO;
		*e |= w;
		tlb_flush_page(mm, va);
		return FAULT_SHARED;
	}
	if (shm_swapped(*slot) && !shm_swap_in(slot))
		return FAULT_NOMEM;
	if (!*slot) {				/* the shmem keeps this reference */
		if (!(*slot = zeroed_page()))
			return FAULT_NOMEM;
		shm_page_home(*slot, slot);
		lru_add(*slot, true);
	}
	get_page(*slot);
	if (pte_set(mm, va, *slot, w) < 0) {
		put_page(*slot);
		return FAULT_NOMEM;
	}
	return FAULT_SHARED;
}

/*
 * First touch of a page of a file mapping. A page wholly inside the file
 * maps the page-cache page itself, read-only (a write later copies it); a
 * page the file ends in gets a private copy with the tail zeroed; a page
 * past the file's data is a plain zero page.
 */
static enum fault_class fault_file(struct mm *mm, struct vma *v, uint32_t va)
{
	uint32_t idx = v->pgoff + (va - v->start) / PGSIZE, w = (v->prot & VM_WRITE);
	struct page *page;
	uint8_t *data;

	if (!v->file)
		return FAULT_NOBACKING;
	if (va >= v->file_end)
		return fault_anon(mm, v, va);
	uint32_t misses = filemap_stats.misses;
	data = filemap_page(v->file, idx, false);
	if (IS_ERR(data))
		return FAULT_NOMEM;
	if (filemap_stats.misses != misses) {	/* it had to be read: a major fault */
		mm->major_faults++;
		vm_stats.major_faults++;
	}
	if (va + PGSIZE > v->file_end) {	/* the file ends inside this page */
		if (!(page = alloc_page()))
			return FAULT_NOMEM;
		memcpy(page_address(page), data, v->file_end - va);
		memset((uint8_t *)page_address(page) + (v->file_end - va), 0,
		       PGSIZE - (v->file_end - va));
		w = w ? PTE_W : 0;
	} else {
		page = virt_to_page(data);
		get_page(page);
		w = w ? PTE_COW : 0;		/* shared with the cache until written */
	}
	if (pte_set(mm, va, page, w) < 0) {
		put_page(page);
		return FAULT_NOMEM;
	}
	if (!(page->flags & PG_lru))		/* our copy of the file's last page */
		lru_add(page, true);
	return FAULT_FILE;
}

/* A write to a present, read-only page of a writable private region. */
static enum fault_class fault_cow(struct mm *mm, uint32_t va, pte_t *e)
{
	struct page *old = pfn_to_page(pte_pfn(*e)), *new;

	/* a swap-cache copy no PTE will ask for again is not a reason to copy */
	if ((old->flags & PG_swapcache) && old->refcount == 2 && swap_count(old->private) == 0)
		swap_cache_del(old);
	if (old->refcount == 1) {		/* nobody else can see it */
		pt_of_pde(mm->pgdir[PDX(va)])->flags &= ~PT_ALL_RO;
		*e = pte_mkwrite(*e) & ~PTE_COW;
		tlb_flush_page(mm, va);
		return FAULT_COW_REUSE;
	}
	if (!(new = alloc_page()))
		return FAULT_NOMEM;
	memcpy(page_address(new), page_address(old), PGSIZE);
	if (pte_replace(mm, va, new, PTE_W) < 0) {
		put_page(new);
		return FAULT_NOMEM;
	}
	lru_add(new, true);
	return FAULT_COW_COPY;
}

/*
 * A swap entry: map the slot's page from the swap cache (read in first if
 * need be). While other PTEs still name the slot the page stays cached and
 * is mapped read-only, copy-on-write; the last one takes it out of the
 * cache, and the page is then ours to write if no one else maps it.
 */
static enum fault_class fault_swap(struct mm *mm, struct vma *v, uint32_t va, pte_t *e)
{
	struct pgtable *pt = pt_of_pde(mm->pgdir[PDX(va)]);
	uint32_t slot = swap_pte_slot(*e), w = (v->prot & VM_WRITE) ? PTE_COW : 0;
	struct page *page = swap_read(slot);

	if (!page)
		return FAULT_NOMEM;
	if (pte_set(mm, va, page, w) < 0) {	/* (over the swap entry) */
		put_page(page);
		return FAULT_NOMEM;
	}
	pt->nr_swap--;
	swap_put(slot);				/* the last user uncaches the page */
	if (w && !(page->flags & PG_swapcache) && page->refcount == 1) {
		*e = pte_mkwrite(*e) & ~PTE_COW;
		pt->flags &= ~PT_ALL_RO;
	}
	return FAULT_SWAPIN;
}

/*
 * Must the (possibly shared) table under va become mm's own before this
 * fault is served (mm/share.c)? A table only mm uses needs nothing but write access back, on a
 * write. A table others use too may be changed in place only for shared
 * memory in a table that is shared writable (MAP_SHARED alone); anything
 * else (a write, a new page, private memory) copies it first, so that no
 * address space ever sees a page of a region it does not have.
 */
static bool must_unshare(struct mm *mm, struct vma *v, uint32_t va, bool write)
{
	pde_t d = mm->pgdir[PDX(va)];
	pte_t *e;

	if (!pde_present(d))
		return false;
	if (pt_of_pde(d)->users == 1)
		return write && !pde_write(d);
	if (pde_write(d))
		return v->kind != VMA_SHARED;
	e = mm_pte(mm, va);
	return write || !pte_present(*e);
}

static enum fault_class classify(struct mm *mm, uint32_t va, unsigned flags)
{
	struct vma *v = vma_find(mm, va);
	bool write = flags & FAULT_WRITE;
	pte_t *e;

	if (!v)
		return FAULT_OUTSIDE;
	if ((write && !(v->prot & VM_WRITE)) || !(v->prot & (VM_READ | VM_WRITE | VM_EXEC)))
		return FAULT_PROTECTION;
	if (must_unshare(mm, v, va, write)) {
		vm_stats.pde_faults++;		/* a table shared since fork */
		if (pt_unshare(mm, PDX(va)) < 0)
			return FAULT_NOMEM;
	}
	e = mm_pte(mm, va);
	if (e && pte_is_swap(*e))
		return fault_swap(mm, v, va, e);
	if (v->kind == VMA_SHARED && (!e || !pte_present(*e) || write))
		return fault_shared(mm, v, va, e);
	if (!e || !pte_present(*e))
		return v->kind == VMA_ANON ? fault_anon(mm, v, va) : fault_file(mm, v, va);
	if (write && !pte_write(*e))
		return fault_cow(mm, va, e);
	tlb_flush_page(mm, va);
	return FAULT_SPURIOUS;
}

int vm_populate(struct mm *mm, uint32_t va)
{
	return fault_served(vm_fault(mm, va, FAULT_POPULATE)) ? 0 : -1;
}

/*
 * Short of memory, a fault reclaims before it starts (here nothing is
 * half-done, so reclaim may take any page); and if it still runs out, it
 * reclaims again and retries, and when nothing can be reclaimed the
 * out-of-memory killer picks a victim. Only if the victim is the faulting
 * task itself (or no one can be killed) does the fault fail.
 */
enum fault_class vm_fault(struct mm *mm, uint32_t va, unsigned flags)
{
	int was = irq_save();
	bool user = flags & FAULT_USER;		/* else a user copy in a system call */
	bool populate = flags & FAULT_POPULATE;
	enum fault_class c;

	if (page_free_count() < watermarks.min)
		reclaim_if_short(user);
	for (int tries = 0;; tries++) {
		c = classify(mm, PGROUNDDOWN(va), flags);
		if (c != FAULT_NOMEM || tries == 16)
			break;
		/* reclaim a few times; then, or when it frees nothing, a victim */
		if ((tries >= 8 || reclaim_pages(SWAP_CLUSTER, user) == 0) && !reclaim_oom())
			break;
	}
	if (populate) {
		vm_stats.populated += fault_served(c);	/* not a fault: nothing trapped */
	} else {
		mm->faults[c]++;
		vm_stats.faults[c]++;
	}
	irq_restore(was);
	return c;
}
