/*
 * user/crashload.c: write-heavy work for the power-cut test.
 *
 *     crashload [seed]
 *
 * Runs until the machine is stopped under it. Two kinds of files live in
 * /crash: "kept" files, written once, synced, and never touched again;
 * and churn: files created, appended to, renamed, truncated and removed,
 * and directories made and removed, so that a stop can fall anywhere in
 * the middle of changing the disk. After every sync it prints
 *     crashload: kept /crash/kNNN SIZE SEED
 * for every kept file so far, then
 *     crashload: synced N
 * (so a list cut short by the stop has no "synced" line after it); byte i
 * of a kept file is (i * 7 + SEED) % 251.
 * tests/run.py stops the machine at random moments, runs e2fsck -p, and
 * checks that every kept file it was told about is whole.
 */
#include "user/user.h"

#define NCHURN	12
#define MAXKEPT	64

static uint rng;
static char buf[40 * 1024];

static uint next(void)
{
	return xorshift32(&rng);
}

static void fill(int size, int seed)
{
	for (int i = 0; i < size; i++)
		buf[i] = (i * 7 + seed) % 251;
}

static void put(const char *path, int size, int seed, int flags)
{
	int fd = open(path, O_CREATE | O_WRONLY | flags);

	if (fd < 0)
		return;
	fill(size, seed);
	write(fd, buf, size);
	close(fd);
}

static void churn(void)
{
	char a[32], b[32];
	int i = next() % NCHURN, j = next() % NCHURN;

	snprintf(a, sizeof(a), "/crash/c%d", i);
	snprintf(b, sizeof(b), "/crash/c%d", j);
	switch (next() % 8) {
	case 0: case 1:
		put(a, 1 + next() % sizeof(buf), next() % 251, O_TRUNC);
		break;
	case 2:
		put(a, 1 + next() % 8192, next() % 251, O_APPEND);
		break;
	case 3:
		rename(a, b);
		break;
	case 4:
		unlink(a);
		break;
	case 5:
		snprintf(a, sizeof(a), "/crash/d%d", i);
		snprintf(b, sizeof(b), "/crash/d%d/f", i);
		mkdir(a);
		put(b, 1 + next() % 4096, 1, 0);
		break;
	case 6:
		snprintf(a, sizeof(a), "/crash/d%d/f", i);
		snprintf(b, sizeof(b), "/crash/d%d", i);
		unlink(a);
		unlink(b);
		break;
	case 7:
		if ((i = open(a, O_RDWR)) >= 0) {	/* held open while its name goes */
			unlink(a);
			write(i, buf, 100);
			close(i);
		}
		break;
	}
}

int main(int argc, char *argv[])
{
	static struct { int size, seed; } kept[MAXKEPT];
	int nkept = 0;

	rng = argc > 1 ? atoi(argv[1]) : 1;
	mkdir("/crash");
	printf(1, "crashload: start\n");
	for (int round = 1;; round++) {
		for (int k = 0; k < 20; k++)
			churn();
		if (nkept < MAXKEPT) {
			char path[32];
			kept[nkept].size = 1 + next() % sizeof(buf);
			kept[nkept].seed = next() % 251;
			snprintf(path, sizeof(path), "/crash/k%03d", nkept);
			put(path, kept[nkept].size, kept[nkept].seed, O_TRUNC);
			nkept++;
		}
		if (sync() < 0)
			continue;
		for (int i = 0; i < nkept; i++)
			printf(1, "crashload: kept /crash/k%03d %d %d\n", i, kept[i].size,
			       kept[i].seed);
		printf(1, "crashload: synced %d\n", round);	/* the list above is whole */
	}
}
