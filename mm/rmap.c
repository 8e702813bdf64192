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

static int unmap_one(struct page *page, struct pgtable *pt, unsigned index, void *arg)
{
	int *count = arg;

	pte_zap(pt, index);
	(void)page;
	(*count)++;
	return 0;
}

int try_to_unmap(struct page *page)
{
	int count = 0, was = irq_save();

	rmap_walk(page, unmap_one, &count);
	irq_restore(was);
	return count;
}

uint32_t rmap_entries(void)
{
	return nr_items;
}

uint32_t rmap_bytes(void)
{
	return nr_items * rmap_cache->size + pt_meta_bytes();
}

/* --- the checker -------------------------------------------------------- */

static int problems;

static void report(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (problems++ < 10)
		printk(KERN_ERR "rmap_verify: %s\n", msg);
}

static bool item_exists(const struct page *page, const struct pgtable *pt, unsigned index)
{
	for (const struct rmap_item *it = page->rmap; it; it = it->next)
		if (it->pt == pt && it->index == index)
			return true;
	return false;
}

/* Check one table from its (first) user's side; returns present PTEs. */
static uint32_t verify_table(struct mm *mm, uint32_t pdx, struct pgtable *pt)
{
	pte_t *e = pt_entries(pt);
	uint32_t present = 0;
	struct pt_user *u = pt_find_user(pt, mm);

	if (!u || u->vbase != PGADDR(pdx, 0))
		report("mm %p pdx %u: table %p does not list it as a user", (void *)mm,
		       pdx, (void *)pt);
	for (unsigned i = 0; i < NPTENTRIES; i++) {
		if (!pte_present(e[i]))
			continue;
		present++;
		if (pte_pfn(e[i]) >= max_pfn) {
			report("va %p maps pfn %x beyond memory", (void *)PGADDR(pdx, i),
			       pte_pfn(e[i]));
			continue;
		}
		if (!item_exists(pfn_to_page(pte_pfn(e[i])), pt, i))
			report("mm %p va %p maps pfn %x with no rmap entry", (void *)mm,
			       (void *)PGADDR(pdx, i), pte_pfn(e[i]));
	}
	if (present != (uint32_t)pt->nr_present)
		report("table %p counts %d present entries, has %u", (void *)pt,
		       pt->nr_present, present);
	return present;
}

/* Every PTE reachable from an address space has its rmap entry. */
static uint32_t verify_from_tables(void)
{
	uint32_t ptes = 0;
	struct list_head *pos;

	list_for_each(pos, &all_mms) {
		struct mm *mm = list_entry(pos, struct mm, link);
		for (uint32_t pdx = 0; pdx < KERN_PDX; pdx++) {
			pde_t d = mm->pgdir[pdx];
			if (!pde_present(d))
				continue;
			struct pgtable *pt = pt_of_pde(d);
			struct pt_user *first = list_entry(pt->user_list.next, struct pt_user, link);
			if (pt->users > 0 && first->mm != mm) {
				if (!pt_find_user(pt, mm))
					report("mm %p points at table %p it is not a user of",
					       (void *)mm, (void *)pt);
				continue;	/* a shared table is counted once */
			}
			ptes += verify_table(mm, pdx, pt);
		}
	}
	return ptes;
}

/* Every rmap entry names a present PTE that maps its page. */
static uint32_t verify_from_pages(void)
{
	uint32_t items = 0;

	for (uint32_t pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		int n = 0;

		for (struct rmap_item *it = page->rmap; it; it = it->next, n++) {
			pte_t e = pt_entries(it->pt)[it->index];
			if (!pte_present(e) || pte_pfn(e) != pfn)
				report("pfn %x: rmap names table %p index %u, which holds %x",
				       pfn, (void *)it->pt, it->index, e);
			if (it->pt->users == 0)
				report("pfn %x: rmap names table %p with no users", pfn,
				       (void *)it->pt);
		}
		if (n != page->mapcount)
			report("pfn %x: mapcount %d but %d rmap entries", pfn, page->mapcount, n);
		items += n;
	}
	return items;
}

int rmap_verify(void)
{
	int was = irq_save();
	uint32_t ptes, items;

	problems = 0;
	ptes = verify_from_tables();
	items = verify_from_pages();
	if (ptes != items)
		report("%u present PTEs but %u rmap entries", ptes, items);
	if (items != nr_items)
		report("%u rmap entries found, %u allocated", items, nr_items);
	irq_restore(was);
	return problems;
}

CONSISTENCY_CHECK(rmap, rmap_verify);

void rmap_init(void)
{
	rmap_cache = kmem_cache_create("rmap", sizeof(struct rmap_item), 0, NULL, 0);
	if (!rmap_cache)
		panic("rmap_init: out of memory");
}
