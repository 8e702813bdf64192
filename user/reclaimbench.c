/*
 * user/reclaimbench.c: page replacement measured against the optimum.
 *
 * Three fixed, repeatable access sequences over more memory than the
 * machine has (sizes in pages, from the frames a program can hold: the
 * free memory at the start less the reclaim thread's high watermark):
 *
 *   hotcold  2 x frames pages; 80% of accesses go to the first 20%
 *   loop     1.5 x frames pages, touched in order, three times round
 *   scan     a hot set of frames/10 pages in use (one access in three)
 *            while 2 x frames other pages are each touched once; then
 *            the hot set once more, whose faults are counted apart
 *
 * An access writes one word of its page. A fault here is an access that
 * had to be given a page: a first touch (demand-zero) or a swap-in; the
 * counts are the kernel's (sysinfo), taken around each pattern. Each
 * pattern runs in a child process of its own, so it starts with nothing.
 * tools/minfaults.py regenerates each sequence from the printed seed and
 * sizes and computes what Belady's MIN and LRU would fault. Prints
 *     reclaimbench,<pattern>,<pages>,<frames>,<accesses>,<faults>,<extra>
 * where extra is the hot set's faults after the scan (scan only, else 0).
 */
#include "user/user.h"

#define SEED	20261128u

static unsigned rng;

static unsigned next(void)
{
	return xorshift32(&rng);
}

static int faults(void)
{
	return sysinfo_figure(SI_VM, "demand-zero") + sysinfo_figure(SI_VM, "swap-in");
}

static char *mem;

static void touch(unsigned page, unsigned v)
{
	((volatile unsigned *)(mem + (unsigned long)page * 4096))[(v & 1023)] = v;
}

/* Run pattern over a fresh heap; prints its line. Must match tools/minfaults.py. */
static int run(const char *pattern, int frames)
{
	unsigned n, hot = 0, accesses = 0;
	int f0, f1, extra = 0;

	rng = SEED;
	if (!strcmp(pattern, "hotcold"))
		n = 2 * frames;
	else if (!strcmp(pattern, "loop"))
		n = frames + frames / 2;
	else
		n = 2 * frames + (hot = frames / 10);
	mem = sbrk(n * 4096);
	if (mem == (char *)-1) {
		printf(2, "reclaimbench: %s: sbrk of %d pages failed\n", pattern, n);
		return 1;
	}
	f0 = faults();
	if (!strcmp(pattern, "hotcold")) {
		unsigned h = n / 5;
		for (accesses = 0; accesses < 8 * n; accesses++) {
			unsigned r = next();
			touch(r % 100 < 80 ? next() % h : h + next() % (n - h), r);
		}
	} else if (!strcmp(pattern, "loop")) {
		for (int round = 0; round < 3; round++)
			for (unsigned p = 0; p < n; p++, accesses++)
				touch(p, p + round);
	} else {
		for (unsigned p = 0; p < hot; p++, accesses++)	/* the hot set, in use */
			touch(p, p);
		for (unsigned p = hot; p < n; p++) {
			touch(p, p);
			accesses++;
			if (p % 2 == 0) {
				touch(next() % hot, p);
				accesses++;
			}
		}
		f1 = faults();
		for (unsigned p = 0; p < hot; p++, accesses++)
			touch(p, p);
		extra = faults() - f1;
	}
	f1 = faults();
	printf(1, "  %-8s %8d %8d %10d %8d %8d\n", pattern, n, frames, accesses, f1 - f0, extra);
	printf(1, "reclaimbench,%s,%d,%d,%d,%d,%d\n", pattern, n, frames, accesses, f1 - f0, extra);
	return 0;
}

int main(void)
{
	static const char *const patterns[] = { "hotcold", "loop", "scan" };
	int frames = (mem_free_kib() - sysinfo_figure(SI_MEM, "watermark-high")) / 4;

	printf(1, "reclaimbench: %d frames (%d KiB free less the high watermark), swap %d KiB\n",
	       frames, mem_free_kib(), sysinfo_figure(SI_MEM, "swap-total"));
	printf(1, "  %-8s %8s %8s %10s %8s %8s\n", "pattern", "pages", "frames", "accesses",
	       "faults", "hot-after");
	for (int i = 0; i < 3; i++) {
		int st = -1, pid = fork();
		if (pid == 0)
			exit2(run(patterns[i], frames));
		if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
			printf(2, "reclaimbench: %s failed\n", patterns[i]);
	}
	printf(1, "reclaimbench: done\n");
	exit();
}
