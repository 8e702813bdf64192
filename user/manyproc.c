/*
 * user/manyproc.c: many small processes asleep, and what they cost
 * everyone else (docs/processes.md).
 *
 *   manyproc [N ...]      each N (default: 0 100 1000 10000) in turn
 *   manyproc ... -d N ... the Ns after -d with sleepers that also write a
 *                         global (their data), figures named dN
 *   manyproc -max         start sleepers until fork fails; how many fit
 *
 * For each N it forks N children that touch their stack and go to sleep,
 * half of them in read on a pipe and half in sleep(), and reports the
 * memory each costs (the drop in free memory, caches dropped, over N).
 * With them asleep it times, in busy cycles (guest instructions under
 * QEMU -icount): a one-byte pipe ping-pong between two more processes,
 * fork + exit + wait, and getpid. Then it wakes them all (closes the
 * pipe, kills the sleepers), reaps them, and checks that the memory came
 * back. Lines "manyproc,N,FIGURE,VALUE" carry the figures for make bench.
 */
#include "user/user.h"

/* The sleepers' pids are consecutive (nothing else forks meanwhile), so
   only the first is kept: the parent writes nothing between forks that it
   still shares with the newest child, which would leave that child holding
   the old copy of the page and of its table. */
static int first_kid;
static int write_data;		/* -d: sleepers write data_word too */
static volatile int data_word;	/* in the table of text, data and heap */

/* A child: touch the stack (and with data, a global), then sleep on fd (or
   in sleep() if fd < 0); it lets go of the pipe's write end wfd, so that
   the parent's close is the last and the readers see the end of the pipe.
   data comes as an argument: a child that read a global from a page the
   parent never touched would fault it in, and a fault that adds a page
   to a shared table copies the table (docs/shared-page-tables.md). */
static void sleeper(int fd, int wfd, int data)
{
	volatile char stack[64];
	char c;

	stack[0] = 1;			/* its own stack page, as a real program's */
	c = stack[0];
	if (data)			/* and, with -d, its own copy of that table */
		data_word = 1;
	close(wfd);
	if (fd >= 0) {
		read(fd, &c, 1);		/* returns at EOF: the release */
		exit2(0);
	}
	sleep(1000000000);
	exit2(0);
}

static unsigned per(unsigned long long t0, int n)
{
	return (unsigned)((busy_cycles() - t0) / (n ? n : 1));
}

/* Cycles per round trip of one byte between two processes over two pipes. */
static unsigned pingpong(int rounds)
{
	int a[2], b[2], pid;
	char c = 'x';

	if (pipe(a) < 0 || pipe(b) < 0)
		return 0;
	if ((pid = fork()) == 0) {
		close(a[1]);
		close(b[0]);
		while (read(a[0], &c, 1) == 1)
			write(b[1], &c, 1);
		exit2(0);
	}
	close(a[0]);
	close(b[1]);
	write(a[1], &c, 1);			/* one to warm up */
	read(b[0], &c, 1);
	unsigned long long t0 = busy_cycles();
	for (int i = 0; i < rounds; i++) {
		write(a[1], &c, 1);
		read(b[0], &c, 1);
	}
	unsigned r = per(t0, rounds);
	close(a[1]);
	close(b[0]);
	waitpid(pid, 0, 0);
	return r;
}

static unsigned fork_exit_wait(int n)
{
	unsigned long long t0 = busy_cycles();

	for (int i = 0; i < n; i++) {
		int pid = fork();
		if (pid == 0)
			exit2(0);
		waitpid(pid, 0, 0);
	}
	return per(t0, n);
}

static unsigned getpids(int n)
{
	unsigned long long t0 = busy_cycles();

	for (int i = 0; i < n; i++)
		getpid();
	return per(t0, n);
}

/* Start up to n sleepers on the pipe (fd, wfd); how many started (with
   consecutive pids from first_kid; -1 if they were not). */
static int start(int n, int fd, int wfd)
{
	int i;

	for (i = 0; i < n; i++) {
		int pid = fork();
		if (pid < 0)
			break;
		if (pid == 0)
			sleeper(i % 2 ? fd : -1, wfd, write_data);
		if (i == 0)
			first_kid = pid;
		else if (pid != first_kid + i)
			return -1;
	}
	return i;
}

/* Wake and reap the n sleepers (the pipe's write end is wfd); -1 if one
   did not end as it should. */
static int release(int n, int wfd)
{
	int bad = 0;

	close(wfd);
	for (int i = 0; i < n; i += 2)
		kill(first_kid + i);		/* the ones in sleep() */
	for (int i = 0; i < n; i++) {
		int st;
		if (waitpid(first_kid + i, &st, 0) != first_kid + i)
			bad = 1;
	}
	return bad ? -1 : 0;
}

/* Allocated slab objects in every cache (slabinfo's active column). */
static int slab_active(void)
{
	static char text[16384];
	int n = sysinfo(SI_SLAB, text, sizeof(text) - 1), total = 0, line = 0;

	text[n > 0 ? n : 0] = '\0';
	for (char *s = text; *s; s++)
		if (s == text || s[-1] == '\n') {
			if (line++ >= 2) {		/* past the two heading lines */
				char *p = s;
				while (*p && *p != ' ')
					p++;
				total += atoi(p);
			}
		}
	return total;
}

/* One sleeper's kernel memory, by piece (the one in read: first_kid + 1). */
static void parts(const char *n)
{
	static struct pagoda_proc procs[512];
	static const char *const names[] = { "proc", "kstack", "pgdir", "tables", "shared",
					     "rmap", "regions", "files" };
	int k = sysinfo(SI_PROCS, procs, sizeof(procs)) / (int)sizeof(procs[0]);

	for (int i = 0; i < k; i++)
		if (procs[i].pid == first_kid + 1) {
			for (int j = 0; j < 8; j++)
				printf(1, "manyproc,%s,kmem_%s,%d\n", n, names[j], procs[i].kmem_parts[j]);
			printf(1, "manyproc,%s,kmem,%d\n", n, procs[i].kmem);
		}
}

static int one(int n)
{
	int p[2];
	char name[16];

	if (pipe(p) < 0)
		return printf(2, "manyproc: no pipe\n"), 1;
	int before = mem_unused_kib(), objs = slab_active();
	int got = start(n, p[0], p[1]);
	if (got < 0)
		return printf(2, "manyproc: the sleepers' pids were not consecutive\n"), 1;
	close(p[0]);
	sleep(10);				/* let every child reach its sleep */
	int during = mem_unused_kib();
	snprintf(name, sizeof(name), "%s%d", write_data ? "d" : "", n);
	if (got >= 2)
		parts(name);
	unsigned pp = pingpong(2000), few = fork_exit_wait(200), gp = getpids(20000);
	int bad = release(got, p[1]);
	int after = mem_unused_kib(), objs_after = slab_active();
	int each = got ? (before - during) * 1024 / got : 0;
	/* every object back; pages within what slabs left part-filled may keep */
	int ok = got == n && bad == 0 && objs_after == objs && before - after <= 64;
	printf(1, "  %8s %11d %13u %15u %7u %9d %s\n", name, each, pp, few, gp, before - after,
	       ok ? "ok" : "FAILED");
	if (objs_after != objs)
		printf(1, "manyproc: %d slab objects before, %d after\n", objs, objs_after);
	printf(1, "manyproc,%s,started,%d\nmanyproc,%s,bytes_per_process,%d\n", name, got, name,
	       each);
	printf(1, "manyproc,%s,pingpong_cycles,%u\nmanyproc,%s,fork_exit_wait_cycles,%u\n",
	       name, pp, name, few);
	printf(1, "manyproc,%s,getpid_cycles,%u\nmanyproc,%s,kib_not_returned,%d\n", name, gp,
	       name, before - after);
	return ok ? 0 : 1;
}

/* As many sleepers as fit: fork until it fails. */
static int most(void)
{
	int p[2], n = 0;

	if (pipe(p) < 0)
		return 1;
	int before = mem_unused_kib();
	for (;;) {
		int pid = fork();
		if (pid < 0)
			break;
		if (pid == 0)
			sleeper(p[0], p[1], 0);
		n++;
	}
	close(p[0]);
	sleep(10);
	int during = mem_unused_kib();
	printf(1, "manyproc: %d sleepers fit (%d KiB free with them, %d bytes each)\n", n, during,
	       n ? (before - during) * 1024 / n : 0);
	printf(1, "manyproc,max,started,%d\n", n);
	close(p[1]);
	while (wait() > 0)
		;
	int after = mem_unused_kib();
	printf(1, "manyproc: all reaped, %d KiB not returned; kernel stacks used at most %d bytes\n",
	       before - after, sysinfo_figure(SI_MEM, "kstack-max-used"));
	printf(1, "manyproc,max,kstack_max_used,%d\n", sysinfo_figure(SI_MEM, "kstack-max-used"));
	return after >= before ? 0 : 1;
}

int main(int argc, char *argv[])
{
	static const int dflt[] = { 0, 100, 1000, 10000 };
	int bad = 0;

	if (argc > 1 && !strcmp(argv[1], "-max"))
		exit2(most());
	printf(1, "  sleepers  bytes-each  pingpong-cyc  fork+exit+wait  getpid  KiB-lost\n");
	if (argc > 1)
		for (int i = 1; i < argc; i++)
			if (!strcmp(argv[i], "-d"))
				write_data = 1;
			else
				bad |= one(atoi(argv[i]));
	else
		for (int i = 0; i < 4; i++)
			bad |= one(dflt[i]);
	exit2(bad);
	return 0;
}
