/*
 * mm/rmap.c: reverse mapping.
 *
 * Structure (docs/rmap.md draws it):
 *
 *   struct page --rmap--> item --next--> item --> NULL
 *                          |              |
 *                     (pt, index)    (pt, index)
 *                          |
 *                  struct pgtable --user_list--> (mm, vbase) ...
 *
 * The virtual address of a mapping in mm is vbase + index * PGSIZE.
 *
 * Rules: an item exists exactly while the PTE at (pt, index) maps the page
 * (callers change both together, with interrupts off); page->mapcount is
 * the number of items; each mapping also holds one page reference, which
 * whoever removes the mapping drops.
 */
#include "mm/rmap.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/x86.h"
#include "mm/slab.h"
#include "mm/vm.h"

struct rmap_item {
	struct rmap_item *next;
	struct pgtable *pt;
	uint32_t index;
};

static struct kmem_cache *rmap_cache;
static uint32_t nr_items;

int rmap_add(struct page *page, struct pgtable *pt, unsigned index)
{
	struct rmap_item *it;

	KASSERT(page->refcount > 0);		/* the mapping's reference is taken */
	if (!(it = kmem_cache_alloc(rmap_cache)))
		return -ENOMEM;
	it->pt = pt;
	it->index = index;
	it->next = page->rmap;
	page->rmap = it;
	page->mapcount++;
	nr_items++;
	return 0;
}

void rmap_remove(struct page *page, struct pgtable *pt, unsigned index)
{
	struct rmap_item **pp = (struct rmap_item **)&page->rmap;

	for (; *pp; pp = &(*pp)->next) {
		struct rmap_item *it = *pp;
		if (it->pt == pt && it->index == index) {
			*pp = it->next;
			kmem_cache_free(rmap_cache, it);
			page->mapcount--;
			KASSERT(page->mapcount >= 0);
			nr_items--;
			return;
		}
	}
	panic("rmap_remove: pfn %x has no mapping at table %p index %u",
	      page_to_pfn(page), (void *)pt, index);
}

int rmap_walk(struct page *page,
	      int (*fn)(struct page *, struct pgtable *, unsigned, void *), void *arg)
{
	struct rmap_item *it, *next;
	int r;

	for (it = page->rmap; it; it = next) {
		next = it->next;	/* fn may remove it */
		if ((r = fn(page, it->pt, it->index, arg)) != 0)
			return r;
	}
	return 0;
}

uint32_t rmap_entries(void)
{
	return nr_items;
}

uint32_t rmap_item_bytes(void)
{
	return rmap_cache->size;
}

uint32_t rmap_bytes(void)
{
	return nr_items * rmap_cache->size + pt_meta_bytes();
}

void rmap_init(void)
{
	rmap_cache = kmem_cache_create("rmap", sizeof(struct rmap_item), 0, NULL, 0);
	if (!rmap_cache)
		panic("rmap_init: out of memory");
}
