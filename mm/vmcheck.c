/*
 * mm/vmcheck.c: rmap_verify and the vmcheck option (see mm/vmcheck.h).
 */
#include "mm/vmcheck.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/tunable.h"
#include "kernel/lib/x86.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vm.h"
#include "mm/vm_internal.h"

static bool vmcheck_on;
TUNABLE_FLAG(vmcheck, &vmcheck_on, "check the rmap after every fork and exit; panic on a problem");

static int problems;
static uint32_t swap_ptes;		/* swap entries seen in the tables */

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

struct slot {
	const struct pgtable *pt;
	unsigned index;
};

static int is_slot(struct page *page, struct pgtable *pt, unsigned index, void *arg)
{
	const struct slot *s = arg;

	(void)page;
	return pt == s->pt && index == s->index;
}

/* Does page's rmap have an entry for (pt, index)? */
static bool item_exists(struct page *page, const struct pgtable *pt, unsigned index)
{
	struct slot s = { pt, index };

	return rmap_walk(page, is_slot, &s) != 0;
}

/* Check one table from its (first) user's side; returns present PTEs. */
static uint32_t verify_table(struct mm *mm, uint32_t pdx, struct pgtable *pt)
{
	pte_t *e = pt_entries(pt);
	uint32_t present = 0, swapped = 0;
	struct pt_user *u = pt_find_user(pt, mm);

	if (!u || u->vbase != PGADDR(pdx, 0))
		report("mm %p pdx %u: table %p does not list it as a user", (void *)mm,
		       pdx, (void *)pt);
	for (unsigned i = 0; i < NPTENTRIES; i++) {
		if (pte_is_swap(e[i])) {
			swapped++;
			if (swap_count(swap_pte_slot(e[i])) == 0)
				report("mm %p va %p names swap slot %u, which no one counts",
				       (void *)mm, (void *)PGADDR(pdx, i), swap_pte_slot(e[i]));
		}
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
	if (swapped != (uint32_t)pt->nr_swap)
		report("table %p counts %d swap entries, has %u", (void *)pt, pt->nr_swap,
		       swapped);
	swap_ptes += swapped;
	uint32_t listed = 0;
	struct list_head *pos;
	list_for_each(pos, &pt->user_list)
		listed++;
	if (listed != (uint32_t)pt->users)
		report("table %p counts %d users, lists %u", (void *)pt, pt->users, listed);
	return present;
}

/* Every PTE reachable from an address space has its rmap entry. */
static uint32_t verify_from_tables(void)
{
	uint32_t ptes = 0, charged = 0;
	struct list_head *pos;

	list_for_each(pos, &all_mms) {
		struct mm *mm = list_entry(pos, struct mm, link);
		uint32_t mapped = 0, tables = 0;

		charged += vma_charged(mm);
		for (uint32_t pdx = 0; pdx < KERN_PDX; pdx++) {
			pde_t d = mm->pgdir[pdx];
			if (!pde_present(d))
				continue;
			struct pgtable *pt = pt_of_pde(d);
			struct pt_user *first = list_entry(pt->user_list.next, struct pt_user, link);
			mapped += pt->nr_present;	/* this mm sees every page of a shared table */
			tables++;
			if (pt->users > 0 && first->mm != mm) {
				if (!pt_find_user(pt, mm))
					report("mm %p points at table %p it is not a user of",
					       (void *)mm, (void *)pt);
				continue;	/* a shared table is counted once */
			}
			ptes += verify_table(mm, pdx, pt);
		}
		if (mapped != mm->rss)
			report("mm %p counts %u pages mapped (rss), its tables hold %u", (void *)mm,
			       mm->rss, mapped);
		if (tables != mm->nr_pt)
			report("mm %p counts %u page tables, points at %u", (void *)mm, mm->nr_pt,
			       tables);
		const char *why = vma_verify(mm);
		if (why)
			report("mm %p regions: %s", (void *)mm, why);
	}
	if (charged != vm_committed())
		report("regions charge %u pages, the committed count is %u", charged,
		       vm_committed());
	return ptes;
}

/* One rmap entry of page: it must name a present PTE that maps the page. */
static int check_item(struct page *page, struct pgtable *pt, unsigned index, void *arg)
{
	pte_t e = pt_entries(pt)[index];
	uint32_t pfn = page_to_pfn(page);

	if (!pte_present(e) || pte_pfn(e) != pfn)
		report("pfn %x: rmap names table %p index %u, which holds %x",
		       pfn, (void *)pt, index, e);
	if (pt->users == 0)
		report("pfn %x: rmap names table %p with no users", pfn, (void *)pt);
	(*(int *)arg)++;
	return 0;
}

/* Every rmap entry names a present PTE that maps its page. */
static uint32_t verify_from_pages(void)
{
	uint32_t items = 0;

	for (uint32_t pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		int n = 0;

		rmap_walk(page, check_item, &n);
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
	swap_ptes = 0;
	ptes = verify_from_tables();
	if (swap_ptes + swap_shm_entries() != swap_entries())
		report("%u swap entries in the tables and %u in shared memory, the slots count %u",
		       swap_ptes, swap_shm_entries(), swap_entries());
	items = verify_from_pages();
	if (ptes != items)
		report("%u present PTEs but %u rmap entries", ptes, items);
	if (items != rmap_entries())
		report("%u rmap entries found, %u allocated", items, rmap_entries());
	irq_restore(was);
	return problems;
}

/* After every self-test the tables and the rmap must agree. */
CONSISTENCY_CHECK(rmap, rmap_verify);

void vmcheck(const char *when)
{
	int bad;

	if (vmcheck_on && (bad = rmap_verify()) != 0)
		panic("vmcheck: rmap_verify found %d problems after %s", bad, when);
}
