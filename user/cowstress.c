/*
 * user/cowstress.c: cowstress [seed [steps [procs]]]: a randomised stress
 * of fork, write, read, exec and exit. Every process keeps a model of
 * what each of its pages must hold and checks every page against it;
 * a process exits with the number of mismatches it and its children
 * found. The run is repeatable for a seed. Run twice, the second time
 * measured: the free memory must come back exactly.
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
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
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

int main(int argc, char *argv[])
{
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
	sysinfo(SI_SHRINK, 0, 0);
	after = mem_free_kib();
	printf(1, "cowstress: seed %u, %d steps: mismatches %d and %d; free %d KiB before, %d after\n",
	       seed, steps, status[0], status[1], before, after);
	exit2(status[0] == 0 && status[1] == 0 && after == before ? 0 : 1);
}
