/*
 * user/forkchain.c: forkchain N: each process forks one child and waits
 * for it, N deep; each checks its child's exit status and its own memory.
 * execchain N (same program, other name) does fork+exec at every level.
 */
#include "user/user.h"

static int marker;

static int chain(int n)
{
	int pid, status;

	marker = n;
	if (n == 0)
		return 0;
	if ((pid = fork()) < 0)
		return printf(2, "forkchain: fork failed at %d\n", n), 1;
	if (pid == 0)
		exit2(chain(n - 1));
	if (waitpid(pid, &status, 0) != pid || status != 0 || marker != n)
		return 1;
	return 0;
}

static int execchain(int n)
{
	char arg[12], *argv[] = { "execchain", arg, "-", 0 };	/* "-": not the top */
	int pid, status;

	if (n == 0)
		return 0;
	snprintf(arg, sizeof(arg), "%d", n - 1);
	if ((pid = fork()) < 0)
		return printf(2, "execchain: fork failed at %d\n", n), 1;
	if (pid == 0) {
		exec("/bin/execchain", argv);
		printf(2, "execchain: exec failed at %d\n", n);
		exit2(1);
	}
	return waitpid(pid, &status, 0) != pid || status != 0;
}

int main(int argc, char *argv[])
{
	int n = argc > 1 ? atoi(argv[1]) : 10, top = argc < 3;
	const char *name = argv[0];

	for (const char *p = argv[0]; *p; p++)
		if (*p == '/')
			name = p + 1;
	int r = !strcmp(name, "execchain") ? execchain(n) : chain(n);
	if (top)
		printf(1, "%s: depth %d %s\n", name, n, r ? "FAILED" : "all correct");
	exit2(r);
}
