/*
 * mm/rmap.h: reverse mappings, from a physical page to the PTEs that map it.
 *
 * A page's rmap is a chain of (page table, index) pairs hanging off
 * page->rmap; the table's user list turns each pair into (mm, address)
 * pairs. Each PTE that maps a page has exactly one rmap entry, and
 * page->mapcount is the length of the chain.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include "mm/page.h"
#include "mm/pgtable.h"

/* Record that slot index of pt maps page; -ENOMEM if out of memory. */
int rmap_add(struct page *page, struct pgtable *pt, unsigned index);
/* Forget that slot index of pt maps page (panics if it was not recorded). */
void rmap_remove(struct page *page, struct pgtable *pt, unsigned index);
/* Call fn for each (table, index) mapping page; stops at the first non-zero return. */
int rmap_walk(struct page *page,
	      int (*fn)(struct page *page, struct pgtable *pt, unsigned index, void *arg),
	      void *arg);
/* PTEs mapping page. */
static inline int page_mapcount(const struct page *page)
{
	return page->mapcount;
}

/* Bytes of rmap metadata: chain entries, and page-table user records. */
uint32_t rmap_bytes(void);
/* rmap entries in use. */
uint32_t rmap_entries(void);

/* Make the cache of rmap entries. */
void rmap_init(void);
/* Bytes one reverse-map item takes (its slab stride). */
uint32_t rmap_item_bytes(void);
#endif
