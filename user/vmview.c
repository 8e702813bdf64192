/*
 * user/vmview.c: address spaces, page tables and who shares them, as JSON
 * (docs/shared-page-tables.md, "Seeing the sharing").
 *
 *   vmview [PID ...]   the processes named (every one if none): a JSON line
 *                      each, between "vmview: begin all" and "vmview: end"
 *   vmview -demo       a parent forks two children, then each of the three
 *                      writes its heap in turn; a dump of the three after
 *                      the forks and after each write, each between
 *                      "vmview: begin STAGE" and "vmview: end"
 *
 * tools/vmview.py turns the dumps into Graphviz drawings. The demo keeps
 * its own writes where they show: between the dumps the parent writes
 * only its stack and the dump buffer, which is MAP_SHARED memory in a
 * table of its own (a table that only shared mappings cover stays
 * writable), so the heap's table changes only when a stage says so.
 */
#include "user/user.h"

#define DUMP_BYTES	(64 * 1024)
#define HEAP_PAGES	8

static char *dumpbuf;		/* MAP_SHARED: the kernel's writes here unshare nothing */
static char *heap;

/* Dump the processes named in pids (text) under the heading stage; -1 if refused. */
static int dump(const char *stage, const char *pids)
{
	int n;

	strcpy(dumpbuf, pids);
	if ((n = sysinfo(SI_VMVIEW, dumpbuf, DUMP_BYTES)) < 0)
		return -1;
	printf(1, "vmview: begin %s\n", stage);
	write(1, dumpbuf, n);
	printf(1, "vmview: end\n");
	return 0;
}

/* A child: on each byte from go, 'w' writes its heap, 'q' ends it; answers on ack. */
static void child(int go, int ack)
{
	char c;

	while (read(go, &c, 1) == 1 && c != 'q') {
		if (c == 'w')
			heap[HEAP_PAGES / 2 * 4096] = c;
		write(ack, &c, 1);
	}
	exit();
}

/* Send c to a child and wait for its answer. */
static void ask(int go, int ack, char c)
{
	write(go, &c, 1);
	read(ack, &c, 1);
}

/* The bad arguments the call must refuse: how many it did. */
static int refusals(void)
{
	int n = 0;

	strcpy(dumpbuf, "99999");
	n += sysinfo(SI_VMVIEW, dumpbuf, DUMP_BYTES) < 0;	/* no such process */
	strcpy(dumpbuf, "1 two");
	n += sysinfo(SI_VMVIEW, dumpbuf, DUMP_BYTES) < 0;	/* not a pid */
	n += sysinfo(SI_VMVIEW, (char *)0xc0000000, 64) < 0;	/* the kernel's half */
	n += sysinfo(SI_VMVIEW, dumpbuf, -1) < 0;		/* a negative length */
	return n;
}

static int demo(void)
{
	int go[2][2], ack[2][2], pid[2], r;
	char pids[48];

	dumpbuf = mmap(0, DUMP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED);
	heap = sbrk(HEAP_PAGES * 4096);
	if (dumpbuf == (char *)-1 || heap == (char *)-1)
		return printf(2, "vmview: no memory for the demo\n"), 1;
	for (int i = 0; i < HEAP_PAGES; i++)	/* the heap's pages exist before the forks */
		heap[i * 4096] = 1;
	memset(dumpbuf, 0, DUMP_BYTES);		/* and so do the buffer's, in a shared table */
	for (int k = 0; k < 2; k++) {
		pipe(go[k]);
		pipe(ack[k]);
		if ((pid[k] = fork()) == 0)
			child(go[k][0], ack[k][1]);
	}
	for (int k = 0; k < 2; k++)
		ask(go[k][1], ack[k][0], 'r');	/* both have run: their stacks are theirs */
	snprintf(pids, sizeof(pids), "%d %d %d", getpid(), pid[0], pid[1]);
	printf(1, "vmview: demo parent %d, children %d and %d\n", getpid(), pid[0], pid[1]);
	dump("forked", pids);
	ask(go[0][1], ack[0][0], 'w');
	dump("first-child-wrote-heap", pids);
	ask(go[1][1], ack[1][0], 'w');
	dump("second-child-wrote-heap", pids);
	heap[HEAP_PAGES / 2 * 4096] = 'p';
	dump("parent-wrote-heap", pids);
	r = refusals();
	printf(1, "vmview: bad arguments refused: %d of 4\n", r);
	for (int k = 0; k < 2; k++)
		write(go[k][1], "q", 1);
	while (wait() > 0)
		;
	return r == 4 ? 0 : 1;
}

int main(int argc, char *argv[])
{
	char pids[96] = "";

	if (argc > 1 && !strcmp(argv[1], "-demo"))
		exit2(demo());
	for (int i = 1, k = 0; i < argc; i++) {
		if (k + strlen(argv[i]) + 2 > sizeof(pids))
			return printf(2, "usage: vmview [-demo | PID ...]\n"), exit2(2), 2;
		strcpy(pids + k, argv[i]);
		k += strlen(argv[i]);
		pids[k++] = ' ';
		pids[k] = '\0';
	}
	dumpbuf = sbrk(DUMP_BYTES);
	if (dumpbuf == (char *)-1 || dump("all", pids) < 0) {
		printf(2, "vmview: refused (no such process, or not a pid): %s\n", pids);
		exit2(1);
	}
	exit();
}
