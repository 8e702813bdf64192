/*
 * user/bigmem.c: use more memory than the machine has, and check every byte.
 *
 *   bigmem MIB [PASSES [CHILDREN]]
 *
 * Grows the heap by MIB MiB with sbrk, writes a word into every 4 bytes
 * that says where it is (and in which pass), then reads it all back, PASSES
 * times (2 unless told). With CHILDREN, it first forks that many children,
 * each of which does the same with its own share of MIB, so that the
 * pressure comes from several address spaces at once, and when they have
 * exited it reports what is left in swap (nothing should be), how many
 * pages went out and came back, and the free memory before and after
 * (caches dropped both times), which must not have shrunk. Prints "bigmem: N MiB, P passes: ok" or
 * says which word was wrong, and exits 1.
 */
#include "user/user.h"

static unsigned word(unsigned i, unsigned pass, unsigned salt)
{
	return (i * 2654435761u) ^ (pass << 24) ^ salt;
}

static int run(int mib, int passes, unsigned salt)
{
	unsigned n = (unsigned)mib * (1024 * 1024 / 4);
	unsigned *a = (unsigned *)sbrk(mib * 1024 * 1024);

	if (a == (unsigned *)-1) {
		printf(2, "bigmem: sbrk of %d MiB failed\n", mib);
		return 1;
	}
	for (int p = 0; p < passes; p++) {
		for (unsigned i = 0; i < n; i++)
			a[i] = word(i, p, salt);
		for (unsigned i = 0; i < n; i++)
			if (a[i] != word(i, p, salt)) {
				printf(2, "bigmem: pass %d: word %d of %d MiB is %x, not %x\n", p,
				       (int)i, mib, a[i], word(i, p, salt));
				return 1;
			}
	}
	return 0;
}

int main(int argc, char *argv[])
{
	int mib = argc > 1 ? atoi(argv[1]) : 0, passes = argc > 2 ? atoi(argv[2]) : 2;
	int children = argc > 3 ? atoi(argv[3]) : 0, bad = 0, before = 0, after = 0;

	if (mib <= 0 || passes <= 0 || children < 0) {
		printf(2, "usage: bigmem MIB [PASSES [CHILDREN]]\n");
		exit2(2);
	}
	if (children == 0) {
		bad = run(mib, passes, 0);
	} else {
		sysinfo(SI_SHRINK, 0, 0);	/* only what is in use counts, before and after */
		before = mem_free_kib();
		for (int c = 0; c < children; c++)
			if (fork() == 0)
				exit2(run(mib / children, passes, c + 1));
		for (int c = 0; c < children; c++) {
			int st = -1;
			if (waitpid(-1, &st, 0) < 0 || st != 0)
				bad = 1;
		}
		sysinfo(SI_SHRINK, 0, 0);
		after = mem_free_kib();
		printf(1, "bigmem: after the children: swap in use %d KiB; pages swapped out %d, "
		       "in %d; free %d KiB before, %d after: %s\n", sysinfo_figure(SI_MEM, "swap-total") -
		       sysinfo_figure(SI_MEM, "swap-free"), sysinfo_figure(SI_VM, "pswpout"),
		       sysinfo_figure(SI_VM, "pswpin"), before, after,
		       after >= before ? "nothing lost" : "LOST");
		bad |= after < before;	/* (more: something the kernel had cached went) */
	}
	if (bad) {
		printf(1, "bigmem: FAILED\n");
		exit2(1);
	}
	printf(1, "bigmem: %d MiB, %d passes: ok\n", mib, passes);
	exit2(0);
}
