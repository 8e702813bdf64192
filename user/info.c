/*
 * user/info.c: one program, many names (argv[0] picks what it does):
 *
 *   free [-k|-m]          memory as Linux's free prints it, then Pagoda's own figures
 *   vmstat [N [COUNT]]    Linux's one-line column report; every N seconds with N
 *   vmstat -s             every counter of the memory manager, one a line
 *   slabinfo [-m CACHE]   sysinfo's slab report; -m: CACHE's slab map, a line
 *                         per slab and a character per slot ('#' used, '.' free)
 *   blkstat, dcstat       sysinfo's text reports as they are
 *   sysctl NAME=VALUE     set a tunable that may change at run time
 *   sync                  write the root file system back
 */
#include "user/user.h"

static char buf[65536];		/* a slab map can be long */

static int usage(const char *name, const char *how)
{
	printf(2, "usage: %s %s\n", name, how);
	exit2(2);
	return 2;
}

/* A figure of SI_MEM in KiB (the report gives most in KiB). */
static int mem(const char *name)
{
	int v = sysinfo_figure(SI_MEM, name);

	return v < 0 ? 0 : v;
}

/*
 * Linux's columns. used is what is neither free nor cache; buff/cache is
 * the page cache (file pages, which can be dropped); available is what a
 * new program could have: free plus the cache. Swap: the swap disk's
 * size, the slots in use (swapped-out pages and the swap cache's), free.
 */
static int do_free(int argc, char *argv[])
{
	int shift = 0;			/* KiB >> shift */
	const char *unit = "KiB";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-k"))
			shift = 0, unit = "KiB";
		else if (!strcmp(argv[i], "-m"))
			shift = 10, unit = "MiB";
		else
			return usage("free", "[-k|-m]");
	}
	int total = mem("total"), free = mem("free"), cache = mem("page-cache");
	int used = total - free - cache;

	printf(1, "%-7s%12s%12s%12s%12s%12s%12s\n", "", "total", "used", "free", "shared",
	       "buff/cache", "available");
	printf(1, "%-7s%12d%12d%12d%12d%12d%12d\n", "Mem:", total >> shift, used >> shift,
	       free >> shift, 0, cache >> shift, (free + cache) >> shift);
	int stotal = mem("swap-total"), sfree = mem("swap-free");
	printf(1, "%-7s%12d%12d%12d\n", "Swap:", stotal >> shift, (stotal - sfree) >> shift,
	       sfree >> shift);
	printf(1, "Pagoda: %s above; page tables %d KiB, reverse map %d bytes, %d processes\n"
	       "        costing %d KiB of kernel memory,\n",
	       unit, mem("page-tables"), mem("rmap"), mem("processes"), mem("process-kernel"));
	printf(1, "        committed %d KiB of a limit of %d KiB\n", mem("committed"),
	       mem("commit-limit"));
	exit();
	return 0;
}

struct sample {
	struct pagoda_cpu cpu;
	int runnable, sleeping, free, cache, sectors_in, sectors_out;
	int swpd, active, inactive, pswpin, pswpout;
};

static void sample(struct sample *s)
{
	static struct pagoda_proc procs[256];
	int n;

	memset(s, 0, sizeof(*s));
	sysinfo(SI_CPU, &s->cpu, sizeof(s->cpu));
	n = sysinfo(SI_PROCS, procs, sizeof(procs)) / (int)sizeof(procs[0]);
	for (int i = 0; i < n; i++) {
		s->runnable += procs[i].state == 1 || procs[i].state == 2;
		s->sleeping += procs[i].state == 3;
	}
	s->free = mem("free");
	s->cache = mem("page-cache");
	s->swpd = mem("swap-total") - mem("swap-free");
	s->active = mem("active");
	s->inactive = mem("inactive");
	s->pswpin = sysinfo_figure(SI_VM, "pswpin");
	s->pswpout = sysinfo_figure(SI_VM, "pswpout");
	/* blkstat: "hda reads sectors writes sectors ..." per disk */
	n = sysinfo(SI_BLK, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = '\0';
	for (char *l = buf; *l; ) {
		char *end = strchr(l, '\n');
		if (l[0] == 'h' && l[1] == 'd') {
			int f[4], k = 0;
			for (char *p = l + 3; k < 4 && *p && p != end; ) {
				while (*p == ' ')
					p++;
				f[k++] = atoi(p);
				while (*p >= '0' && *p <= '9')
					p++;
			}
			if (k == 4)
				s->sectors_in += f[1], s->sectors_out += f[3];
		}
		if (!end)
			break;
		l = end + 1;
	}
}

static int pct(unsigned part, unsigned whole)
{
	return whole ? (int)((part * 100 + whole / 2) / whole) : 0;
}

/*
 * One line of Linux's vmstat: rates since a (or since boot if a is NULL).
 * r runnable or running processes; b blocked in uninterruptible waits
 * (Pagoda has none: always 0); swpd swap in use (KiB), si, so KiB swapped
 * in and out a second; free, buff, cache memory in KiB (with -a: inact and
 * active instead of buff and cache); bi, bo KiB read and written a second
 * (swap included, as in Linux); in interrupts
 * and cs context switches a second; us, sy, id cpu time from the timer's
 * samples; wa, st waiting for I/O and stolen (not told apart: 0).
 */
static void vm_line(const struct sample *a, const struct sample *b, int lists)
{
	struct sample zero;
	unsigned ticks, secs100;

	if (!a) {
		memset(&zero, 0, sizeof(zero));
		a = &zero;
	}
	ticks = b->cpu.ticks - a->cpu.ticks;
	secs100 = ticks ? ticks : 1;		/* hundredths of a second (HZ 100) */
	unsigned us = b->cpu.user_ticks - a->cpu.user_ticks;
	unsigned sy = b->cpu.system_ticks - a->cpu.system_ticks;
	unsigned id = b->cpu.idle_ticks - a->cpu.idle_ticks;
	unsigned all = us + sy + id;

	printf(1, "%2d %2d %6d %6d %6d %6d %4d %4d %5d %5d %4d %4d %2d %2d %2d %2d %2d\n",
	       b->runnable, 0, b->swpd, b->free, lists ? b->inactive : 0,
	       lists ? b->active : b->cache,
	       (int)((unsigned)(b->pswpin - a->pswpin) * 4 * 100 / secs100),
	       (int)((unsigned)(b->pswpout - a->pswpout) * 4 * 100 / secs100),
	       (int)((unsigned)(b->sectors_in - a->sectors_in) / 2 * 100 / secs100),
	       (int)((unsigned)(b->sectors_out - a->sectors_out) / 2 * 100 / secs100),
	       (int)((b->cpu.interrupts - a->cpu.interrupts) * 100 / secs100),
	       (int)((b->cpu.switches - a->cpu.switches) * 100 / secs100),
	       pct(us, all), pct(sy, all), all ? 100 - pct(us, all) - pct(sy, all) : 100, 0, 0);
}

static int do_vmstat(int argc, char *argv[])
{
	struct sample a, b;
	int delay = 0, count = -1, n;
	int lists = argc > 1 && !strcmp(argv[1], "-a");

	if (lists)
		argc--, argv++;
	if (argc > 1 && !strcmp(argv[1], "-s")) {
		if (argc > 2)
			return usage("vmstat", "-s");
		if ((n = sysinfo(SI_VM, buf, sizeof(buf))) < 0)
			return printf(2, "vmstat: sysinfo failed\n"), exit2(1), 1;
		write(1, buf, n);
		exit();
	}
	if (argc > 3 || (argc > 1 && (delay = atoi(argv[1])) <= 0) ||
	    (argc > 2 && (count = atoi(argv[2])) <= 0))
		return usage("vmstat", "[-a] [SECONDS [COUNT]] | -s");
	printf(1, "procs -----------memory---------- ---swap-- -----io---- -system-- "
	       "------cpu-----\n");
	printf(1, " r  b   swpd   free  %s   si   so    bi    bo   in   cs "
	       "us sy id wa st\n", lists ? "inact active" : " buff  cache");
	sample(&a);
	vm_line(0, &a, lists);		/* the first line: averages since boot */
	for (int i = 1; delay && (count < 0 || i < count); i++) {
		sleep(delay * 100);
		sample(&b);
		vm_line(&a, &b, lists);
		a = b;
	}
	exit();
	return 0;
}

int main(int argc, char *argv[])
{
	const char *name = argv[0], *p;
	int kind, n;

	for (p = name; *p; p++)
		if (*p == '/')
			name = p + 1;
	if (!strcmp(name, "sync"))
		exit2(sync() < 0);
	if (!strcmp(name, "free"))
		return do_free(argc, argv);
	if (!strcmp(name, "vmstat"))
		return do_vmstat(argc, argv);
	if (!strcmp(name, "sysctl")) {
		if (argc != 2 || !strchr(argv[1], '='))
			return usage(name, "NAME=VALUE");
		if (sysinfo(SI_SET, argv[1], strlen(argv[1])) < 0)
			return printf(2, "sysctl: %s refused (see the console)\n", argv[1]), exit2(1), 0;
		exit();
	}
	if (!strcmp(name, "slabinfo") && argc == 3 && !strcmp(argv[1], "-m")) {
		snprintf(buf, sizeof(buf), "%s", argv[2]);
		kind = SI_SLABMAP;
	} else if (!strcmp(name, "slabinfo"))
		kind = SI_SLAB;
	else if (!strcmp(name, "blkstat"))
		kind = SI_BLK;
	else if (!strcmp(name, "dcstat"))
		kind = SI_DCACHE;
	else
		return usage(name, "(run as free, vmstat, slabinfo, blkstat, dcstat, sysctl or sync)");
	if ((n = sysinfo(kind, buf, sizeof(buf))) < 0)
		return printf(2, "%s: sysinfo failed\n", name), exit2(1), 0;
	write(1, buf, n);
	exit();
	return 0;
}
