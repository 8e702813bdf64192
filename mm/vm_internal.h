/*
 * mm/vm_internal.h: what the files of mm's address-space code share among
 * themselves: the PTE helpers every change to a user PTE goes through,
 * TLB flushes, the region set, and table sharing. From the bottom up:
 * vm.c (directories, PTEs, the TLB), vma.c (the region set), share.c
 * (fork by sharing tables), fault.c and mmap.c (faults; map, unmap,
 * protect), each calling only those before it.
 */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include "mm/vm.h"

/* Map page at va; consumes one reference on page. -ENOMEM if out of memory. */
int pte_set(struct mm *mm, uint32_t va, struct page *page, uint32_t flags);
/* Map new at va in place of the page there; consumes a reference on new. */
int pte_replace(struct mm *mm, uint32_t va, struct page *new, uint32_t flags);
/* Clear the swap entry at (pt, index), dropping its slot's count. */
void pte_zap_swap(struct pgtable *pt, unsigned index);
/* Put swap entry at va (an empty PTE) and count it on its slot; -ENOMEM. */
int pte_set_swap(struct mm *mm, uint32_t va, pte_t entry);
/* Flush va from the TLB if mm is active. */
void tlb_flush_page(struct mm *mm, uint32_t va);
/* Flush mm's whole TLB if it is active (a CR3 reload). */
void tlb_flush_all(struct mm *mm);
/* Flush [start, end) of mm from the TLB if it is active: page by page, or all at once. */
void tlb_flush_range(struct mm *mm, uint32_t start, uint32_t end);
/* Unmap every page in [start, end) and free tables left empty (let go of shared ones). */
void zap_range(struct mm *mm, uint32_t start, uint32_t end);
/* Is the table at pdx used by other address spaces too? */
bool pt_shared_at(struct mm *mm, uint32_t pdx);
/* Let go of the shared table at pdx without touching its entries. */
void pt_detach(struct mm *mm, uint32_t pdx);

/* mm/vma.c: the region set (see there for its invariants) */
/* The first region that ends above addr (it may also start above it), or NULL. */
struct vma *vma_first_after(struct mm *mm, uint32_t addr);
/* The region after (before) v in address order, or NULL. */
struct vma *vma_next(struct mm *mm, struct vma *v);
struct vma *vma_prev(struct mm *mm, struct vma *v);
/*
 * Add a region like tmpl (start, end, prot, kind; for VMA_FILE the file,
 * pgoff and file_end; VMA_SHARED gets a new shared object), merged with
 * its neighbours where it can. -EINVAL if misaligned, outside user space
 * or overlapping a region; -ENOMEM.
 */
int vma_add(struct mm *mm, const struct vma *tmpl);
/* Make start and end region boundaries; -ENOMEM with nothing changed. */
int vma_split_range(struct mm *mm, uint32_t start, uint32_t end);
/* Drop the regions in [start, end), which vma_split_range made boundaries. */
void vma_remove_range(struct mm *mm, uint32_t start, uint32_t end);
/*
 * Set the protection of [start, end), which regions cover: split at both
 * ends, charge what becomes writable and uncharge what stops being so,
 * then merge. -ENOMEM (past the commit limit, or a split) with nothing
 * changed.
 */
int vma_protect_range(struct mm *mm, uint32_t start, uint32_t end, unsigned prot);
/* Drop every region of mm. */
void vma_remove_all(struct mm *mm);
/* Copy src's regions (not its pages) into the empty child, in linear time. */
int vma_copy_all(struct mm *child, struct mm *src);
/* Pages of mm's regions counted as committed (vmcheck sums them). */
uint32_t vma_charged(struct mm *mm);
/* The first broken invariant of mm's region set, or NULL (for vmcheck). */
const char *vma_verify(struct mm *mm);
/* Make the region cache. */
void vma_init(void);

/* mm/share.c */
/* Make the table at pdx mm's alone (a copy if shared) and writable; -ENOMEM. */
int pt_unshare(struct mm *mm, uint32_t pdx);
#endif
