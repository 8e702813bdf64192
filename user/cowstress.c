/*
 * user/cowstress.c: cowstress [seed [steps [procs]]]: a randomised stress
 * of fork, write, read, exec and exit. Every process keeps a model of
 * what each of its pages must hold and checks every page against it;
 * a process exits with the number of mismatches it and its children
 * found. The run is repeatable for a seed. Run twice, the second time
 * measured: the free memory must come back exactly.
 *
 * cowstress -bMIB seed steps procs: the same under memory pressure. First
 * the parent fills MIB MiB of ballast with a pattern; every process
 * inherits it (shared, copy-on-write), and with more ballast than memory
 * much of it is in swap while the stress runs. Instead of the free memory
 * (which swapping moves), the ballast is checked word by word at the end.
 */
#include "user/user.h"

#define PAGES	48

static unsigned char mem[PAGES * 4096];	/* the pages checked */
static unsigned model[PAGES];		/* what each must hold */
static unsigned rng;
static int maxprocs;
static volatile int *alive;	/* processes now, in a MAP_SHARED page all see */

static unsigned next(void)
{
	return xorshift32(&rng);
}

static int check_all(void)
{
	int bad = 0;

	for (int i = 0; i < PAGES; i++)
		bad += *(unsigned *)(mem + i * 4096) != model[i];
	return bad;
}

static void stamp(int i, unsigned v)
{
	*(unsigned *)(mem + i * 4096) = v;
	model[i] = v;
}

static int children_bad(void)
{
	int status, bad = 0, pid;

	while ((pid = waitpid(-1, &status, 0)) > 0)
		bad += status < 0 ? 1000 : status;
	return bad;
}

/* One process's life: steps random actions, then the last check. */
static int life(int steps)
{
	int bad = 0;

	for (int i = 0; i < PAGES; i++)		/* a fresh image starts from its own stamps */
		if (model[i] == 0)
			stamp(i, (unsigned)getpid() << 16 | i);
	while (steps-- > 0) {
		unsigned r = next() % 100, i = next() % PAGES;
		if (r < 45) {				/* write */
			stamp(i, next() | 1);
		} else if (r < 70) {			/* read and check */
			bad += *(unsigned *)(mem + i * 4096) != model[i];
		} else if (r < 85 && *alive < maxprocs) {	/* fork */
			__sync_fetch_and_add(alive, 1);
			int pid = fork();
			if (pid == 0) {
				rng ^= (unsigned)getpid() * 2654435761u;
				int bad = life(steps / 2);
				__sync_fetch_and_sub(alive, 1);
				exit2(bad > 255 ? 255 : bad);
			}
			if (pid < 0)
				__sync_fetch_and_sub(alive, 1);
		} else if (r < 88 && steps > 4) {	/* exec a fresh copy of ourselves */
			char s[12], n[12], p[12], *argv[] = { "cowstress", s, n, p, "-", 0 };
			bad += check_all();
			if (bad)
				break;
			snprintf(s, sizeof(s), "%u", next());
			snprintf(n, sizeof(n), "%d", steps / 2);
			snprintf(p, sizeof(p), "%d", maxprocs);
			exec("/bin/cowstress", argv);
			return 1000;			/* exec failed */
		} else if (r < 91) {			/* a child's exit, collected */
			int status, pid = waitpid(-1, &status, 1);
			if (pid > 0)
				bad += status < 0 ? 1000 : status;
		}
	}
	bad += check_all();
	return bad + children_bad();
}

static unsigned *ballast;
static unsigned ballast_words;

static unsigned ballast_word(unsigned i)
{
	return i * 2246822519u + 0x5eed;
}

/* MiB of ballast, filled; -1 if sbrk refuses. */
static int make_ballast(int mib)
{
	ballast_words = (unsigned)mib * 1024 * 256;
	ballast = (unsigned *)sbrk(mib * 1024 * 1024);
	if (ballast == (unsigned *)-1)
		return -1;
	for (unsigned i = 0; i < ballast_words; i++)
		ballast[i] = ballast_word(i);
	return 0;
}

/* Words of the ballast that are not what was written. */
static int ballast_bad(void)
{
	int bad = 0;

	for (unsigned i = 0; i < ballast_words; i++)
		bad += ballast[i] != ballast_word(i);
	return bad;
}

int main(int argc, char *argv[])
{
	int ballast_mib = 0;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] == 'b') {
		ballast_mib = atoi(argv[1] + 2);
		argc--, argv++;
		if (ballast_mib <= 0 || make_ballast(ballast_mib) < 0)
			return printf(2, "cowstress: no ballast of %s MiB\n", argv[0] + 2),
			       exit2(1), 0;
	}
	unsigned seed = argc > 1 ? atoi(argv[1]) : 42;
	int steps = argc > 2 ? atoi(argv[2]) : 400, status[2], before = 0, after;

	maxprocs = argc > 3 ? atoi(argv[3]) : 64;
	rng = seed ? seed : 1;
	if (argc > 4) {				/* an exec'd generation: just live */
		static int unshared = 0;	/* exec dropped the shared page: no more forks */
		alive = &unshared;
		unshared = maxprocs;
		int bad = life(steps);
		exit2(bad > 255 ? 255 : bad);
	}
	mem_free_kib();
	alive = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED);
	if (alive == (void *)-1)
		return printf(2, "cowstress: mmap failed\n"), exit2(1), 0;
	for (int round = 0; round < 2; round++) {
		*alive = 1;	/* the second round is measured */
		if (round == 1) {
			sysinfo(SI_SHRINK, 0, 0);
			before = mem_free_kib();
		}
		int pid = fork();
		if (pid == 0) {
			int bad;
			rng = seed ? seed : 1;
			bad = life(steps);
			exit2(bad > 255 ? 255 : bad);
		}
		if (waitpid(pid, &status[round], 0) != pid)
			status[round] = -2;
	}
	if (ballast_mib) {
		int bad = ballast_bad();
		printf(1, "cowstress: seed %u, %d steps: mismatches %d and %d; "
		       "ballast %d MiB, %d words wrong\n", seed, steps, status[0], status[1],
		       ballast_mib, bad);
		exit2(status[0] == 0 && status[1] == 0 && bad == 0 ? 0 : 1);
	}
	sysinfo(SI_SHRINK, 0, 0);
	after = mem_free_kib();
	printf(1, "cowstress: seed %u, %d steps: mismatches %d and %d; free %d KiB before, %d after\n",
	       seed, steps, status[0], status[1], before, after);
	exit2(status[0] == 0 && status[1] == 0 && after == before ? 0 : 1);
}
