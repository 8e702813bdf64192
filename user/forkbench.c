/*
 * user/forkbench.c: the process benchmarks make bench runs (QEMU with
 * -icount shift=0, so the TSC counts guest instructions on a 1 GHz
 * virtual clock). Times are busy cycles (busy_cycles: the TSC less idle
 * time, which is the host's), and a fork figure is the fastest of
 * BATCHES batches. Prints a table and one line per figure:
 *     sysbench,<figure>,<cycles>
 *     forkbench,<mode>,<heap>,<op>,<size_mib>,<cycles_per_op>,<pt_pages_per_fork>
 * op: fork_exit (fork, child exits, wait), fork_exec (the child execs
 * /bin/true), fork_touch_all (the child writes every page of the parent's
 * memory). The parent first grows and touches size MiB of heap, in one of
 * two ways (heap): sbrk, one call per size; or malloc, 32 KiB calls, which
 * is how user/umalloc.c (and any malloc) asks for memory.
 *     forkbench [MODE [MAXMIB]]
 * MODE only names the figures (the fork= boot option chooses the mode);
 * MAXMIB leaves out the sizes above it (the lab graders use 64).
 */
#include "user/user.h"

static char *heap;
static int heap_pages;
static int max_mib = 256;

#define BATCHES	3	/* each figure is the minimum over this many batches */

static unsigned long long per_op(unsigned long long t, int n)
{
	return t / (unsigned)n;
}

static void sysbench(void)
{
	int p[2], q[2], rounds = 20000;
	unsigned long long t0 = busy_cycles();
	char c = 0;

	for (int i = 0; i < rounds; i++)
		getpid();
	unsigned long long sc = per_op(busy_cycles() - t0, rounds);
	pipe(p);
	pipe(q);
	rounds = 2000;
	if (fork() == 0) {
		for (int i = 0; i < rounds; i++) {
			read(p[0], &c, 1);
			write(q[1], &c, 1);
		}
		exit();
	}
	t0 = busy_cycles();
	for (int i = 0; i < rounds; i++) {
		write(p[1], &c, 1);
		read(q[0], &c, 1);
	}
	unsigned long long cs = per_op(busy_cycles() - t0, 2 * rounds);
	wait();
	for (int i = 0; i < 2; i++)
		close(p[i]), close(q[i]);
	printf(1, "  %-40s %10d cycles\n", "system call round trip (getpid)", (int)sc);
	printf(1, "  %-40s %10d cycles\n", "context switch (pipe ping-pong, per switch)", (int)cs);
	printf(1, "sysbench,syscall_getpid,%d\n", (int)sc);
	printf(1, "sysbench,context_switch,%d\n", (int)cs);
}

#define MALLOC_STEP	8	/* pages: umalloc's smallest request to sbrk */

static void grow(int mib, int in_steps)
{
	int pages = mib * 256;

	while (pages > heap_pages) {
		int n = in_steps ? MALLOC_STEP : pages - heap_pages;
		char *more = sbrk(n * 4096);
		if (more == (char *)-1) {
			printf(2, "forkbench: cannot grow to %d MiB\n", mib);
			exit2(1);
		}
		if (!heap)
			heap = more;
		for (int i = heap_pages; i < heap_pages + n; i++)
			heap[i * 4096] = (char)i;	/* touch: resident */
		heap_pages += n;
	}
}

static int one(int op)
{
	int pid = fork();

	if (pid == 0) {
		if (op == 1) {
			char *argv[] = { "true", 0 };
			exec("/bin/true", argv);
			exit2(1);
		}
		if (op == 2)
			for (int i = 0; i < heap_pages; i++)
				heap[i * 4096] = 1;
		exit();
	}
	int st = -1;	/* a child killed (out of memory, say) is a failure, not a figure */
	return waitpid(pid, &st, 0) == pid && st == 0 ? 0 : -1;
}

/* Page tables a fork adds while the child is alive. */
static int pt_pages_per_fork(void)
{
	int p[2], before = sysinfo_figure(SI_VM, "page-tables"), after, pid;
	char c;

	pipe(p);
	if ((pid = fork()) == 0) {
		close(p[1]);		/* or our own copy keeps the pipe open */
		read(p[0], &c, 1);
		exit();
	}
	after = sysinfo_figure(SI_VM, "page-tables");
	close(p[1]);
	close(p[0]);
	waitpid(pid, 0, 0);
	return after - before;
}

/* The table for one way of growing the heap, in a process that starts with none. */
static int table(const char *mode, const char *how)
{
	int failures = 0;

	static const int sizes[] = { 0, 1, 16, 64, 256 };
	static const char *const ops[] = { "fork_exit", "fork_exec", "fork_touch_all" };

	for (int s = 0; s < 5 && sizes[s] <= max_mib; s++) {
		grow(sizes[s], !strcmp(how, "malloc"));
		int pt = pt_pages_per_fork();
		for (int op = 0; op < 3; op++) {
			int n = sizes[s] >= 64 ? 3 : 20;
			unsigned long long c = ~0ull;
			/* the fastest of BATCHES batches: a timer tick or the write-back
			   daemon landing in one batch only adds, never takes away */
			for (int b = 0; b < BATCHES; b++) {
				unsigned long long t0 = busy_cycles();
				for (int i = 0; i < n; i++)
					if (one(op) < 0 && failures++ < 5)
						printf(1, "forkbench: %s %d MiB failed\n", ops[op],
						       sizes[s]);
				unsigned long long t = per_op(busy_cycles() - t0, n);
				c = t < c ? t : c;
			}
			printf(1, "  %-7s %-16s %6d %14u %8d\n", how, ops[op], sizes[s], (unsigned)c, pt);
			printf(1, "forkbench,%s,%s,%s,%d,%u,%d\n", mode, how, ops[op], sizes[s],
			       (unsigned)c, pt);
		}
	}
	return failures;
}

int main(int argc, char *argv[])
{
	static const char *const heaps[] = { "sbrk", "malloc" };
	const char *mode = argc > 1 ? argv[1] : "copy";

	if (argc > 2)
		max_mib = atoi(argv[2]);

	printf(1, "forkbench: mode %s (cycles per operation, guest instructions)\n", mode);
	sysbench();
	printf(1, "  %-7s %-16s %6s %14s %8s\n", "heap", "op", "MiB", "cycles/op", "pt/fork");
	int bad = 0;
	for (int h = 0; h < 2; h++) {		/* each in a process of its own: a fresh heap */
		int pid = fork(), st = -1;
		if (pid == 0)
			exit2(table(mode, heaps[h]) ? 1 : 0);
		if (waitpid(pid, &st, 0) != pid || st != 0)
			bad = 1;
	}
	printf(1, "forkbench: %s\n", bad ? "FAILED (a figure above is not what it says)" : "done");
	exit2(bad);
}
