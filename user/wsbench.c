/*
 * user/wsbench.c: start-up with and without a working-set bitmap
 * (docs/working-set.md), measured by the disk requests it takes.
 *
 *   wsbench [-t]
 *
 * Runs /bin/wsbig (its bitmap policy: replace) and /bin/wsbig-aging (the
 * same program, policy aging: pages seen in 2 of the last 4 runs) in these
 * scenarios, each from a cold cache (the caches dropped, then the
 * program's inode and directory looked up again, so that only the
 * program's own pages are read in the window):
 *
 *   cold-a      no bitmap used (sysctl wsb=off)
 *   fresh-a     a bitmap recorded by one run of mode a, then mode a
 *   async-a     the same, the pages read by a kernel thread while the
 *               program runs (sysctl wsb_prefetch=async)
 *   fresh-b     the same for mode b
 *   stale-a     a bitmap recorded by a run of mode b, then mode a
 *   aging-a     wsbig-aging after runs a, b, a, b: mode a
 *   aging-b     ... and then mode b
 *
 * For each it prints the major faults, the pages prefetched, the read
 * requests, sectors, seek distance, backward seeks and jumps (requests not
 * starting where the previous one ended) on hda, and with -t every request
 * (lba and sectors), as lines "wsbench,SCENARIO,FIGURE,VALUE" and
 * "wstrace,SCENARIO,LBA,SECTORS". tools/wsbench.py turns those into a
 * modelled disk time and judges the targets.
 */
#include "user/spawn.h"

static int trace;
static struct pagoda_blkrec recs[2048];

static void sysctl(const char *word)
{
	if (sysinfo(SI_SET, (char *)word, strlen(word)) < 0) {
		printf(2, "wsbench: cannot set %s\n", word);
		exit2(1);
	}
}

/* Field col (0: reads) of hda's line in blkstat. */
static unsigned blk(int col)
{
	static char text[2048];
	int n = sysinfo(SI_BLK, text, sizeof(text) - 1);
	char *s;

	text[n > 0 ? n : 0] = '\0';
	for (s = text; *s && strncmp(s, "hda ", 4); s++)
		while (*s && *s != '\n')
			s++;
	if (!*s)
		return 0;
	s += 4;
	for (int c = 0; c <= col; c++) {
		while (*s == ' ')
			s++;
		if (c == col)
			return atoi(s);
		while (*s && *s != ' ')
			s++;
	}
	return 0;
}

/* Caches dropped; the program's name and inode read back in. */
static void cold(const char *path)
{
	struct stat st;

	sync();
	sysinfo(SI_SHRINK, 0, 0);
	stat(path, &st);
	sysinfo(SI_BLKTRACE, (char *)recs, sizeof(recs));	/* empty the trace */
}

static void measure(const char *name, const char *path, const char *arg)
{
	unsigned r0 = blk(0), s0 = blk(1), d0 = blk(4), b0 = blk(5), j0 = blk(6);
	int m0 = sysinfo_figure(SI_VM, "major-faults"), p0 = sysinfo_figure(SI_VM, "pages-populated");

	if (spawn(path, arg) != 0) {
		printf(2, "wsbench: %s %s failed\n", path, arg);
		exit2(1);
	}
	sleep(20);				/* a background prefetch's late reads count too */
	unsigned r = blk(0) - r0, s = blk(1) - s0, d = blk(4) - d0, b = blk(5) - b0, j = blk(6) - j0;
	int m = sysinfo_figure(SI_VM, "major-faults") - m0;
	int p = sysinfo_figure(SI_VM, "pages-populated") - p0;
	printf(1, "  %-8s %7d %7d %8u %8u %10u %5u %6u\n", name, m, p, r, s, d, b, j);
	printf(1, "wsbench,%s,major_faults,%d\nwsbench,%s,prefetched,%d\n", name, m, name, p);
	printf(1, "wsbench,%s,requests,%u\nwsbench,%s,sectors,%u\n", name, r, name, s);
	printf(1, "wsbench,%s,seek_distance,%u\nwsbench,%s,backward_seeks,%u\n", name, d, name, b);
	printf(1, "wsbench,%s,jumps,%u\n", name, j);
	if (trace) {
		int n = sysinfo(SI_BLKTRACE, (char *)recs, sizeof(recs)) / (int)sizeof(recs[0]);
		for (int i = 0; i < n; i++)
			if (recs[i].dev == 0 && !recs[i].write)
				printf(1, "wstrace,%s,%u,%u\n", name, recs[i].lba, recs[i].count);
	}
}

/* Print the prefetch set of path's bitmap note (the newer copy; bits are
   stored inverted) as "wsbitmap,NAME,NPAGES,HEX" for the figures. */
static void show_bitmap(const char *name, const char *path)
{
	static unsigned char page[8192];
	int fd = open(path, O_RDONLY), n = fd < 0 ? -1 : read(fd, page, sizeof(page));
	unsigned phoff = *(unsigned *)(page + 28), phnum = *(unsigned short *)(page + 44);

	if (fd >= 0)
		close(fd);
	for (unsigned i = 0; n > 0 && i < phnum; i++) {
		unsigned *ph = (unsigned *)(page + phoff + 32 * i);
		if (ph[0] != 4 || ph[1] + ph[4] > (unsigned)n)
			continue;
		unsigned char *desc = page + ph[1] + 20;
		unsigned npages = *(unsigned *)(desc + 8), history = desc[12];
		unsigned bytes = (npages + 31) / 32 * 4, copy = 16 + history * bytes;
		unsigned char *c0 = desc + 32, *c1 = c0 + copy;
		unsigned char *c = *(unsigned *)c1 > *(unsigned *)c0 ? c1 : c0;
		printf(1, "wsbitmap,%s,%u,", name, npages);
		for (unsigned b = 0; b < bytes; b++)
			printf(1, "%x%x", (~c[16 + b] >> 4) & 0xf, ~c[16 + b] & 0xf);
		printf(1, "\n");
		return;
	}
}

/* Record one run of path in mode arg into its bitmap, and write it out. */
static void train(const char *path, const char *arg)
{
	sysctl("wsb_interval=0");
	if (spawn(path, arg) != 0) {
		printf(2, "wsbench: %s %s failed\n", path, arg);
		exit2(1);
	}
	sync();
}

int main(int argc, char *argv[])
{
	const char *big = "/bin/wsbig", *aging = "/bin/wsbig-aging";

	trace = argc > 1 && !strcmp(argv[1], "-t");
	printf(1, "  scenario  major  prefetched  reads  sectors  seek-dist  back  jumps\n");
	sysctl("wsb=off");
	cold(big);
	measure("cold-a", big, "a");
	sysctl("wsb=on");
	train(big, "a");
	show_bitmap("a", big);
	sysctl("wsb_interval=86400");		/* the measured runs write nothing */
	cold(big);
	measure("fresh-a", big, "a");
	sysctl("wsb_prefetch=async");		/* the same bitmap, read beside the program */
	cold(big);
	measure("async-a", big, "a");
	sysctl("wsb_prefetch=sync");
	train(big, "b");
	sysctl("wsb_interval=86400");
	cold(big);
	measure("fresh-b", big, "b");
	cold(big);
	measure("stale-a", big, "a");		/* b's bitmap, a's run */
	for (int i = 0; i < 4; i++)
		train(aging, i % 2 ? "b" : "a");
	sysctl("wsb_interval=86400");
	cold(aging);
	measure("aging-a", aging, "a");
	cold(aging);
	measure("aging-b", aging, "b");
	sysctl("wsb_interval=60");
	exit2(0);
	return 0;
}
