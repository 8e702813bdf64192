/*
 * kernel/proc/sysinfo.c: the sysinfo system call, the statistics that free,
 * slabinfo, vmstat, ps and pstree print. Text reports are built in a
 * kernel buffer and copied out; SI_PROCS is an array of records.
 */
#include "fs/dcache.h"
#include "kernel/arch/trap.h"
#include "kernel/dev/blk.h"
#include "kernel/dev/timer.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/syscall.h"
#include "kernel/proc/vmview.h"
#include "kernel/proc/wsb.h"
#include "kernel/sched/sched.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/pgtable.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

#define INFO_BYTES	65536	/* 2,048 process records */
#define TEXT_BYTES	PGSIZE	/* a text report: one page, never a larger block
				   (which memory under pressure may not have) */

/* Kernel memory of every process together, in KiB. */
static uint32_t procs_kmem_kib(void)
{
	struct list_head *pos;
	uint64_t bytes = 0;

	struct proc_kmem k;

	list_for_each(pos, &all_procs)
		bytes += proc_kmem(list_entry(pos, struct proc, all), &k);
	return bytes / 1024;
}

static int mem_text(char *b, size_t n)
{
	int k = snprintf(b, n,
			"total      %8u KiB\nfree       %8u KiB\npage-cache %8u KiB\n"
			"page-tables %7u KiB\nrmap       %8u bytes\nprocesses  %8u\n"
			"committed  %8u KiB\ncommit-limit %6u KiB\n"
			"active     %8u KiB\ninactive   %8u KiB\nanonymous  %8u KiB\n"
			"swap-total %8u KiB\nswap-free  %8u KiB\nswap-cached %7u KiB\n"
			"watermark-min %5u KiB\nwatermark-low %5u KiB\nwatermark-high %4u KiB\n",
			page_managed_count() * 4, page_free_count() * 4, filemap_stats.pages * 4,
			pt_count() * 4, rmap_bytes(), nprocs, vm_committed() * 4,
			vm_commit_limit() * 4, page_lru.nr_active * 4, page_lru.nr_inactive * 4,
			page_lru.nr_anon * 4, swap_total() * 4, (swap_total() - swap_used()) * 4,
			swap_cached() * 4, watermarks.min * 4, watermarks.low * 4,
			watermarks.high * 4);
	SNAPPEND(b, n, k, "process-kernel %4u KiB\nkstack-max-used %3u bytes\n", procs_kmem_kib(),
	    kstack_max_used);
	return k;
}

static int vm_text(char *b, size_t n)
{
	int k = 0;

	SNAPPEND(b, n, k, "faults by class:\n");
	for (int c = 0; c < NFAULT; c++)
		SNAPPEND(b, n, k, "  %-16s %10u\n", fault_class_name(c), vm_stats.faults[c]);
	SNAPPEND(b, n, k, "page-tables      %10u\nrmap-entries     %10u\n"
		      "tlb-invlpg       %10u\ntlb-cr3-reloads  %10u\n",
		      pt_count(), rmap_entries(), vm_stats.invlpg, vm_stats.cr3_reloads);
	SNAPPEND(b, n, k, "shared page tables (fork=%s):\n"
		      "  tables-shared    %10u\n  tables-unshared  %10u\n"
		      "  tables-rewritable %9u\n  tables-detached  %10u\n"
		      "  directory-faults %10u\n",
		      vm_fork_mode == FORK_SHARE ? "share" : "copy", vm_stats.pt_shared,
		      vm_stats.pt_unshared, vm_stats.pt_rewritable, vm_stats.pt_detached,
		      vm_stats.pde_faults);
	SNAPPEND(b, n, k, "reclaim and swap (swap %s):\n"
		      "  pswpin           %10u\n  pswpout          %10u\n"
		      "  swap-readahead   %10u\n  swap-cache-hits  %10u\n"
		      "  swap-errors      %10u\n  swap-full        %10u\n"
		      "  pgscan           %10u\n  pgsteal          %10u\n"
		      "  anon-evicted     %10u\n  file-evicted     %10u\n"
		      "  pgactivate       %10u\n  pgdeactivate     %10u\n"
		      "  pinned-skipped   %10u\n  coin-spared      %10u\n"
		      "  tables-reaped    %10u\n"
		      "  shrinker-freed   %10u\n"
		      "  kswapd-wakeups   %10u\n  direct-reclaims  %10u\n"
		      "  oom-kills        %10u\n",
		      swap_active() ? "on" : "off", swap_stats.pswpin, swap_stats.pswpout,
		      swap_stats.readahead, swap_stats.cache_hits, swap_stats.errors,
		      reclaim_stats.swap_full, reclaim_stats.scanned, reclaim_stats.stolen,
		      reclaim_stats.anon_evicted, reclaim_stats.file_evicted,
		      reclaim_stats.activated, reclaim_stats.deactivated, reclaim_stats.pinned,
		      reclaim_stats.spared, vm_stats.pt_reaped, reclaim_stats.shrinker_freed, reclaim_stats.kswapd_wakeups,
		      reclaim_stats.direct, reclaim_stats.oom_kills);
	SNAPPEND(b, n, k, "executables (working-set bitmaps: docs/working-set.md):\n"
		      "  major-faults     %10u\n  pages-prefetched %10u\n"
		      "  pages-populated  %10u\n  wsb-execs        %10u\n"
		      "  wsb-ignored      %10u\n  wsb-updates      %10u\n"
		      "  wsb-skipped      %10u\n",
		      vm_stats.major_faults, filemap_stats.prefetched, vm_stats.populated,
		      wsb_stats.execs, wsb_stats.ignored, wsb_stats.updates, wsb_stats.skipped);
	return k;
}

static int blk_text(char *b, size_t n)
{
	int k = 0;

	SNAPPEND(b, n, k, "dev      reads    sectors  writes    sectors   seek-dist  back  jumps\n");
	for (int i = 0; i < NBLKDEV; i++) {
		struct blkdev *d = blk_get(i);
		if (d)
			SNAPPEND(b, n, k, "%-5s %8u %10llu %7u %10llu %11llu %5u %6u\n",
				      d->name, d->stats.reads, d->stats.sectors_read,
				      d->stats.writes, d->stats.sectors_written,
				      d->stats.seek_distance, d->stats.backward_seeks, d->stats.jumps);
	}
	return k;
}

static int dcache_text(char *b, size_t n)
{
	struct dcache_stats *s = &dcache_stats;

	struct kmem_cache *c = dcache_slab();

	return snprintf(b, n, "dentries %u (unused %u, negative %u), %u bytes each\n"
			"lookups %u, hits %u, negative hits %u, pruned %u\n"
			"shrink policy %s: %u evacuations freed %u pages; moved %lu\n",
			s->total, s->unused, s->negative, dcache_entry_bytes(), s->lookups,
			s->hits, s->negative_hits, s->pruned,
			dcache_shrink_policy == DSHRINK_LRU ? "lru" :
			dcache_shrink_policy == DSHRINK_RELOCATE ? "relocate" : "both",
			s->evacuations, s->pages_evacuated, c ? c->moved : 0);
}

static int procs_records(char *b, size_t n)
{
	struct list_head *pos;
	size_t k = 0;

	list_for_each(pos, &all_procs) {
		struct proc *p = list_entry(pos, struct proc, all);
		struct proc_kmem m;
		uint32_t all = proc_kmem(p, &m);
		struct pagoda_proc r = { p->pid, p->parent ? p->parent->pid : 0, p->task.state,
					 p->mm ? p->mm->rss : 0, { 0 }, all,
					 { m.proc, m.kstack, m.mm.pgdir, m.mm.tables, m.mm.shared,
					   m.mm.rmap, m.mm.regions, m.files } };
		if (k + sizeof(r) > n)
			break;
		strlcpy(r.name, p->name, sizeof(r.name));
		memcpy(b + k, &r, sizeof(r));
		k += sizeof(r);
	}
	return k;
}

/* SI_SET: the name=value word at ubuf, applied to a run-time tunable. */
static int set_tunable(uint32_t ubuf, int len)
{
	char word[64];
	const char *why;

	if (len <= 0 || fetchstr(ubuf, word, MIN((size_t)len + 1, sizeof(word))) < 0)
		return -EFAULT;
	if ((why = tunable_set(word)) != NULL) {
		printk(KERN_WARNING "sysctl: '%s' %s\n", word, why);
		return -EINVAL;
	}
	return 0;
}

/* SI_SLABMAP: the cache named at ubuf, drawn slot by slot into ubuf. */
static int slab_map(uint32_t ubuf, int len)
{
	char name[KMEM_NAME], *b;
	struct kmem_cache *c;
	size_t size = MIN((size_t)len, (size_t)INFO_BYTES);
	int k;

	if (len <= 0 || fetchstr(ubuf, name, MIN((size_t)len + 1, sizeof(name))) < 0)
		return -EFAULT;
	if (!(c = kmem_cache_find(name)))
		return -EINVAL;
	if (!(b = kmalloc(size)) && !(b = kmalloc(size = MIN(size, (size_t)TEXT_BYTES))))
		return -ENOMEM;
	k = slab_map_text(c, b, size);
	if (copy_to_user(ubuf, b, k) < 0)
		k = -EFAULT;
	kfree(b);
	return k;
}

/* SI_BLKTRACE: the block layer's request trace, oldest first, then emptied. */
static int blk_trace(uint32_t ubuf, int len)
{
	uint32_t max = MIN((uint32_t)len / sizeof(struct blk_trace_rec), (uint32_t)BLK_TRACE);
	struct blk_trace_rec *t = kmalloc(max * sizeof(*t) + 1);
	int k;

	if (!t)
		return -ENOMEM;
	k = blk_trace_take(t, max) * sizeof(*t);
	if (copy_to_user(ubuf, t, k) < 0)
		k = -EFAULT;
	kfree(t);
	return k;
}

/* sysinfo(kind, buf, n): a report (SI_*) into buf; its length. */
int sys_sysinfo(void)
{
	int kind, len, k;
	uint32_t ubuf;
	size_t size;
	char *b;

	if (argint(0, &kind) < 0)
		return -EFAULT;
	if (kind == SI_SHRINK) {		/* unused dentries, inodes, pages, buffers, slabs */
		vfs_shrink_caches();
		return slab_shrink_all();
	}
	if (argint(2, &len) < 0 || len < 0 || argptr(1, &ubuf, len) < 0)
		return -EFAULT;
	if (kind == SI_SET || kind == SI_SLABMAP)
		return kind == SI_SET ? set_tunable(ubuf, len) : slab_map(ubuf, len);
	if (kind == SI_BLKTRACE)
		return blk_trace(ubuf, len);
	if (kind == SI_VMVIEW)
		return vmview_dump(ubuf, len);
	if (kind == SI_CPU) {
		struct pagoda_cpu c = { .idle_cycles = cpu_idle_cycles(),
					.switches = sched_stats.switches,
					.wakeups = sched_stats.wakeups };
		timer_tick_split(&c.user_ticks, &c.system_ticks, &c.idle_ticks);
		c.ticks = timer_ticks();	/* after the split: the three never sum past it */
		for (int v = T_IRQ0; v < T_IRQ0 + NIRQ; v++)
			c.interrupts += trap_count(v);
		k = MIN(len, (int)sizeof(c));
		return copy_to_user(ubuf, &c, k) < 0 ? -EFAULT : k;
	}
	size = kind == SI_PROCS ? (size_t)MAX(MIN(len, INFO_BYTES), 1) : TEXT_BYTES;
	if (!(b = kmalloc(size)))
		return -ENOMEM;
	switch (kind) {
	case SI_MEM: k = mem_text(b, size); break;
	case SI_SLAB: k = slabinfo_text(b, size); break;
	case SI_VM: k = vm_text(b, size); break;
	case SI_PROCS: k = procs_records(b, size); break;
	case SI_BLK: k = blk_text(b, size); break;
	case SI_DCACHE: k = dcache_text(b, size); break;
	default: k = -EINVAL;
	}
	if (k > 0) {
		k = MIN(MIN(k, len), (int)size - (kind != SI_PROCS));	/* not the NUL */
		if (copy_to_user(ubuf, b, k) < 0)
			k = -EFAULT;
	}
	kfree(b);
	return k;
}
