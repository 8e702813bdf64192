/* mm/vm_internal.h: PTE helpers shared by mm/vm.c and mm/fault.c only. */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include "mm/vm.h"

/* Map page at va; consumes one reference on page. -ENOMEM if out of memory. */
int pte_set(struct mm *mm, uint32_t va, struct page *page, uint32_t flags);
/* Map new at va in place of the page there; consumes a reference on new. */
int pte_replace(struct mm *mm, uint32_t va, struct page *new, uint32_t flags);
void tlb_flush_page(struct mm *mm, uint32_t va);
void fault_init(void);
#endif
