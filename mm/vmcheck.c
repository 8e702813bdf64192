/*
 * mm/vmcheck.c: rmap_verify and the vmcheck option (see mm/vmcheck.h).
 *
 * The option's cost: a full rmap_verify walks every address space and
 * every page, so running it after each fork and exit makes N processes
 * cost N^2 (10,000 took many minutes). Instead each fork checks what it
 * made in full (mm_verify: the new address space's tables, the rmap
 * entries of every page they map and those pages' map counts), and the
 * full check runs once every max(1, address spaces / VMCHECK_SPREAD)
 * forks and exits: a bounded share of a full check per operation, and a
 * full check after every one while there are few address spaces (so the
 * end of a run, and a self-test, is still checked whole).
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

#define VMCHECK_SPREAD	8	/* a full check every nr_mms / VMCHECK_SPREAD operations */

static bool vmcheck_on;
TUNABLE_FLAG(vmcheck, &vmcheck_on, "check the rmap after every fork and exit; panic on a problem");
static uint32_t since_full;		/* operations since the last full check */

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

/* mm's tables from its side (a shared table whose first user is another
   mm only listed); its counts and regions. Returns the PTEs checked. */
static uint32_t verify_mm_tables(struct mm *mm, bool every_table)
{
	uint32_t ptes = 0, mapped = 0, tables = 0;

	for (uint32_t pdx = 0; pdx < KERN_PDX; pdx++) {
		pde_t d = mm->pgdir[pdx];
		if (!pde_present(d))
			continue;
		struct pgtable *pt = pt_of_pde(d);
		struct pt_user *first = list_entry(pt->user_list.next, struct pt_user, link);
		mapped += pt->nr_present;	/* this mm sees every page of a shared table */
		tables++;
		if (!every_table && pt->users > 0 && first->mm != mm) {
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
		report("mm %p counts %u page tables, points at %u", (void *)mm, mm->nr_pt, tables);
	const char *why = vma_verify(mm);
	if (why)
		report("mm %p regions: %s", (void *)mm, why);
	return ptes;
}

/* Every PTE reachable from an address space has its rmap entry. */
static uint32_t verify_from_tables(void)
{
	uint32_t ptes = 0, charged = 0;
	struct list_head *pos;

	list_for_each(pos, &all_mms) {
		struct mm *mm = list_entry(pos, struct mm, link);
		charged += vma_charged(mm);
		ptes += verify_mm_tables(mm, false);
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

/* The rmap of every page mm maps, from the pages' side. */
static void verify_mm_pages(struct mm *mm)
{
	for (uint32_t pdx = 0; pdx < KERN_PDX; pdx++) {
		if (!pde_present(mm->pgdir[pdx]))
			continue;
		pte_t *e = pt_entries(pt_of_pde(mm->pgdir[pdx]));
		for (unsigned i = 0; i < NPTENTRIES; i++) {
			if (!pte_present(e[i]) || pte_pfn(e[i]) >= max_pfn)
				continue;	/* (verify_table reported a bad pfn) */
			struct page *page = pfn_to_page(pte_pfn(e[i]));
			int n = 0;
			rmap_walk(page, check_item, &n);
			if (n != page->mapcount)
				report("pfn %x: mapcount %d but %d rmap entries", pte_pfn(e[i]),
				       page->mapcount, n);
		}
	}
}

int mm_verify(struct mm *mm)
{
	int was = irq_save();

	problems = 0;
	verify_mm_tables(mm, true);
	verify_mm_pages(mm);
	irq_restore(was);
	return problems;
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

void vmcheck(const char *when, struct mm *mm)
{
	int bad;

	if (!vmcheck_on)
		return;
	if (mm && (bad = mm_verify(mm)) != 0)
		panic("vmcheck: mm_verify found %d problems after %s (in the new one)", bad, when);
	if (++since_full * VMCHECK_SPREAD < nr_mms)
		return;
	since_full = 0;
	if ((bad = rmap_verify()) != 0)
		panic("vmcheck: rmap_verify found %d problems after %s", bad, when);
}
