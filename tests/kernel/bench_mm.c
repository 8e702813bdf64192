/*
 * tests/kernel/bench_mm.c: the memory-core report, `bench=mm` on the
 * command line (make bench runs it under QEMU -icount shift=0, where the
 * TSC counts guest instructions, so figures repeat run to run).
 *
 * Prints a table and one machine-readable line per figure:
 *     mmbench,<figure>,<value>,<unit>
 */
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"
#include "mm/page.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "tests/kernel/kbench.h"

#define ROUNDS		20000
#define FAULT_PAGES	1024
#define BBASE		0x10000000u

static void report(const char *figure, uint64_t value, const char *unit, const char *what)
{
	printk("  %-34s %10llu %-7s\n", what, value, unit);
	printk("mmbench,%s,%llu,%s\n", figure, value, unit);
}

static void bench_alloc(void)
{
	void *objs[64];
	uint64_t t0, t1, t2;

	for (int i = 0; i < 64; i++)	/* warm the caches and the slab */
		objs[i] = kmalloc(64);
	for (int i = 0; i < 64; i++)
		kfree(objs[i]);
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++)
		kfree(kmalloc(64));
	t1 = rdtsc();
	for (int i = 0; i < ROUNDS; i++)
		free_page(alloc_page());
	t2 = rdtsc();
	report("slab_alloc_free_64", (t1 - t0) / ROUNDS, "cycles", "kmalloc+kfree, 64 bytes");
	report("page_alloc_free", (t2 - t1) / ROUNDS, "cycles", "alloc_page+free_page");
}

/* Cycles per vm_fault() over FAULT_PAGES pages of mm, writing if write. */
static uint64_t fault_all(struct mm *mm, unsigned flags)
{
	uint64_t t0 = rdtsc();

	for (uint32_t i = 0; i < FAULT_PAGES; i++)
		vm_fault(mm, BBASE + i * PGSIZE, flags);
	return (rdtsc() - t0) / FAULT_PAGES;
}

static void bench_faults(void)
{
	struct mm *p = mm_create(), *c;
	uint32_t rmap0 = rmap_bytes();
	uint64_t t0, t1;
	char zero[4] = { 0 };

	if (!p || mm_map(p, BBASE, FAULT_PAGES * PGSIZE, VM_READ | VM_WRITE, VMA_ANON) < 0)
		return;
	report("fault_demand_zero", fault_all(p, FAULT_WRITE), "cycles", "fault: demand-zero");
	report("rmap_bytes_per_page", (rmap_bytes() - rmap0) / FAULT_PAGES, "bytes",
	       "rmap metadata per mapped page");
	report("fault_spurious", fault_all(p, FAULT_WRITE), "cycles", "fault: spurious");
	c = mm_dup(p);
	if (!c)
		return;
	report("fault_cow_copy", fault_all(c, FAULT_WRITE | FAULT_PRESENT), "cycles",
	       "fault: copy-on-write copy");
	mm_destroy(c);
	report("fault_cow_reuse", fault_all(p, FAULT_WRITE | FAULT_PRESENT), "cycles",
	       "fault: copy-on-write reuse");
	mm_unmap(p, BBASE, FAULT_PAGES * PGSIZE);
	mm_map(p, BBASE, FAULT_PAGES * PGSIZE, VM_READ | VM_WRITE, VMA_ANON);
	mm_activate(p);			/* the whole path: trap, fault, retry */
	t0 = rdtsc();
	for (uint32_t i = 0; i < FAULT_PAGES; i++)
		copy_to_user(BBASE + i * PGSIZE, zero, sizeof(zero));
	t1 = rdtsc();
	report("fault_trap_demand_zero", (t1 - t0) / FAULT_PAGES, "cycles",
	       "page-fault trap + demand-zero");
	mm_activate(NULL);
	mm_destroy(p);
}

/*
 * Cycles to unmap one page (try_to_unmap, what reclaim does through the
 * rmap) that n address spaces map: forks of one parent, made by sharing
 * its page table (one PTE for all) or by copying it (one PTE each). The
 * fastest of UNMAP_RUNS.
 */
#define UNMAP_RUNS	5
static uint64_t unmap_cost(int n, bool share)
{
	uint64_t best = ~0ull;

	for (int run = 0; run < UNMAP_RUNS; run++) {
		struct mm *mms[100] = { 0 };
		struct page *pg;
		pte_t *e;
		uint64_t t0;

		/* two pages, so that the table is not emptied (and freed) by the unmap */
		if (!(mms[0] = mm_create()) ||
		    mm_map(mms[0], BBASE, 2 * PGSIZE, VM_READ | VM_WRITE, VMA_ANON) < 0 ||
		    !fault_served(vm_fault(mms[0], BBASE, FAULT_WRITE)) ||
		    !fault_served(vm_fault(mms[0], BBASE + PGSIZE, FAULT_WRITE)))
			goto out;
		for (int i = 1; i < n; i++)
			if (!(mms[i] = share ? mm_share(mms[0]) : mm_dup(mms[0])))
				goto out;
		e = mm_pte(mms[0], BBASE);
		pg = pfn_to_page(pte_pfn(*e));
		t0 = rdtsc();
		try_to_unmap(pg);
		best = MIN(best, rdtsc() - t0);
out:
		for (int i = n - 1; i >= 0; i--)
			if (mms[i])
				mm_destroy(mms[i]);
	}
	return best;
}

static void bench_unmap(void)
{
	report("unmap_1_share", unmap_cost(1, true), "cycles", "unmap a page, 1 mapper");
	report("unmap_100_share", unmap_cost(100, true), "cycles",
	       "unmap a page, 100 sharing its table");
	report("unmap_100_copy", unmap_cost(100, false), "cycles",
	       "unmap a page, 100 with copied tables");
}

static void bench_mm(void)
{
	printk("mmbench: memory core, %u rounds, %u pages per fault figure\n",
	       ROUNDS, FAULT_PAGES);
	bench_alloc();
	bench_faults();
	bench_unmap();
	printk("mmbench: done\n");
}

KBENCH(mm, bench_mm);
