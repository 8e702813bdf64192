/*
 * user/regionbench.c: what many regions cost, for make bench (QEMU with
 * -icount shift=0: the TSC counts guest instructions). For each count of
 * regions that cannot merge (1, 100, 10000: one-page mappings whose
 * protection alternates, read-write and read-only, so that no two
 * neighbours are alike), in a process of its own:
 *
 *   fault      a first write to a read-write page (a demand-zero fault),
 *              pages taken in a scattered order, so that the region found
 *              last is seldom the next one wanted;
 *   fork_exit  fork, the child exits, wait.
 *
 * With one region, that region holds as many pages as the read-write
 * ones of the largest count, so that the faults are the same number of
 * the same kind. Prints a table and, per figure,
 *     regionbench,<figure>,<regions>,<cycles>
 */
#include "user/user.h"

#define MAX_REGIONS	10000
#define FAULT_PAGES	(MAX_REGIONS / 2)

static char *rw_pages[FAULT_PAGES];

/* Set up n regions; the read-write pages go to rw_pages. Returns how many. */
static int build(int n)
{
	int k = 0;

	if (n == 1) {
		char *a = mmap(0, FAULT_PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		if (a == (char *)-1)
			return -1;
		for (int i = 0; i < FAULT_PAGES; i++)
			rw_pages[k++] = a + i * 4096;
		return k;
	}
	for (int i = 0; i < n; i++) {
		int rw = !(i & 1);
		char *a = mmap(0, 4096, rw ? PROT_READ | PROT_WRITE : PROT_READ, MAP_PRIVATE);
		if (a == (char *)-1)
			return -1;
		if (rw)
			rw_pages[k++] = a;
	}
	return k;
}

static void measure(int n)
{
	int pages = build(n), rounds = n >= MAX_REGIONS ? 5 : 20;

	if (pages <= 0) {
		printf(2, "regionbench: cannot make %d regions\n", n);
		exit2(1);
	}
	/* a stride through the pages that visits each once: 7919 is prime */
	unsigned long long t0 = busy_cycles();
	for (int i = 0; i < pages; i++)
		rw_pages[(i * 7919u) % pages][0] = 1;
	unsigned fault = (busy_cycles() - t0) / pages;
	t0 = busy_cycles();
	for (int i = 0; i < rounds; i++) {
		int pid = fork();
		if (pid == 0)
			exit();
		waitpid(pid, 0, 0);
	}
	unsigned fork_exit = (busy_cycles() - t0) / rounds;
	printf(1, "  %8d %12u %12u\n", n, fault, fork_exit);
	printf(1, "regionbench,fault,%d,%u\n", n, fault);
	printf(1, "regionbench,fork_exit,%d,%u\n", n, fork_exit);
}

int main(void)
{
	static const int counts[] = { 1, 100, MAX_REGIONS };

	printf(1, "regionbench: regions that cannot merge (cycles per operation)\n");
	printf(1, "  %8s %12s %12s\n", "regions", "fault", "fork_exit");
	for (int c = 0; c < 3; c++) {
		int pid = fork();
		if (pid == 0) {
			measure(counts[c]);
			exit();
		}
		waitpid(pid, 0, 0);
	}
	printf(1, "regionbench: done\n");
	exit();
}
