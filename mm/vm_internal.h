/*
 * mm/vm_internal.h: what mm/vm.c, mm/fault.c and mm/share.c share among
 * themselves: the PTE helpers every change to a user PTE goes through,
 * TLB flushes, and table sharing.
 */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include "mm/vm.h"

/* Map page at va; consumes one reference on page. -ENOMEM if out of memory. */
int pte_set(struct mm *mm, uint32_t va, struct page *page, uint32_t flags);
/* Map new at va in place of the page there; consumes a reference on new. */
int pte_replace(struct mm *mm, uint32_t va, struct page *new, uint32_t flags);
/* Flush va from the TLB if mm is active. */
void tlb_flush_page(struct mm *mm, uint32_t va);
/* Flush mm's whole TLB if it is active (a CR3 reload). */
void tlb_flush_all(struct mm *mm);
/* Copy src's regions (not its pages) into the empty child. */
int copy_vmas(struct mm *child, struct mm *src);

/* mm/share.c */
/* Make the table at pdx mm's alone (a copy if shared) and writable; -ENOMEM. */
int pt_unshare(struct mm *mm, uint32_t pdx);
/* Let go of the shared table at pdx without touching its entries. */
void pt_detach(struct mm *mm, uint32_t pdx);
#endif
