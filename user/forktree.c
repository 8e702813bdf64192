/*
 * user/forktree.c: forktree D W: a tree of processes of depth D and width
 * W. Each process fills a buffer with a pattern of its own (its path in the
 * tree), forks its children, checks that its buffer is still its own after
 * they wrote theirs over the inherited copy, and checks every child's exit
 * status. Exit status 0 means the whole subtree was right.
 */
#include "user/user.h"

#define BUFSZ	(16 * 4096)

static unsigned char buf[BUFSZ];

static void fill(unsigned id)
{
	for (int i = 0; i < BUFSZ; i += 64)
		buf[i] = (unsigned char)(id * 31 + i / 64);
}

static int check(unsigned id)
{
	for (int i = 0; i < BUFSZ; i += 64)
		if (buf[i] != (unsigned char)(id * 31 + i / 64))
			return 0;
	return 1;
}

static int tree(int depth, int width, unsigned id)
{
	int pids[16], bad = 0, status;

	fill(id);
	if (depth == 0)
		return 0;
	for (int k = 0; k < width; k++) {
		pids[k] = fork();
		if (pids[k] < 0) {
			printf(2, "forktree: fork failed at depth %d\n", depth);
			bad++;
			continue;
		}
		if (pids[k] == 0)
			exit2(tree(depth - 1, width, id * 16 + k + 1));
	}
	for (int k = 0; k < width; k++)
		if (pids[k] > 0 && (waitpid(pids[k], &status, 0) != pids[k] || status != 0))
			bad++;
	if (!check(id))
		bad++;
	return bad ? 1 : 0;
}

int main(int argc, char *argv[])
{
	int depth = argc > 1 ? atoi(argv[1]) : 3, width = argc > 2 ? atoi(argv[2]) : 2;
	int procs = 1, level = 1, r;

	if (width < 1 || width > 16 || depth < 0)
		return printf(2, "usage: forktree depth [width<=16]\n"), exit2(2), 0;
	for (int d = 0; d < depth; d++)
		level *= width, procs += level;
	r = tree(depth, width, 0);
	printf(1, "forktree: depth %d width %d: %d processes, %s\n", depth, width, procs,
	       r ? "FAILED" : "all correct");
	exit2(r);
}
