/*
 * user/ps.c: ps lists processes; pstree draws their tree the way the
 * classic pstree does (init-+-sh---ps, N*[name] for identical leaves).
 * One program, two names: argv[0] picks.
 */
#include "user/user.h"

#define MAXP	512

static struct pagoda_proc procs[MAXP];
static int nprocs;

static const char *state_name(int s)
{
	static const char *const names[] = { "new", "runnable", "running", "sleeping", "zombie" };
	return s >= 0 && s < 5 ? names[s] : "?";
}

static int nchildren(int pid, int *kids)
{
	int n = 0;

	for (int i = 0; i < nprocs; i++)
		if (procs[i].ppid == pid && procs[i].pid != pid)
			kids[n++] = i;
	return n;
}

static int is_leaf(int i)
{
	int kids[MAXP];
	return nchildren(procs[i].pid, kids) == 0;
}

/* Draw the subtree of procs[i]; col is the column the name starts in. */
static void draw(int i, int col)
{
	int kids[MAXP], n = nchildren(procs[i].pid, kids), w;
	char label[40];

	printf(1, "%s", procs[i].name);
	w = col + strlen(procs[i].name);
	if (n == 0) {
		printf(1, "\n");
		return;
	}
	for (int k = 0; k < n;) {
		int same = 1;		/* identical leaf siblings fold into N*[name] */
		while (k + same < n && is_leaf(kids[k]) && is_leaf(kids[k + same]) &&
		       !strcmp(procs[kids[k]].name, procs[kids[k + same]].name))
			same++;
		if (k > 0)
			for (int c = 0; c < w; c++)
				printf(1, " ");
		const char *joint = n == 1 ? "---" : k == 0 ? "-+-" : k + same == n ? " `-" : " |-";
		printf(1, "%s", joint);
		if (same > 1) {
			snprintf(label, sizeof(label), "%d*[%s]", same, procs[kids[k]].name);
			printf(1, "%s\n", label);
		} else {
			draw(kids[k], w + 3);
		}
		k += same;
	}
}

int main(int argc, char *argv[])
{
	const char *name = argv[0];
	int n = sysinfo(SI_PROCS, procs, sizeof(procs));

	(void)argc;
	for (const char *p = argv[0]; *p; p++)
		if (*p == '/')
			name = p + 1;
	if (n < 0)
		return printf(2, "%s: sysinfo failed\n", name), exit2(1), 0;
	nprocs = n / sizeof(procs[0]);
	if (!strcmp(name, "pstree")) {
		for (int i = 0; i < nprocs; i++)
			if (procs[i].ppid == 0)
				draw(i, 0);
		exit();
	}
	printf(1, "  PID  PPID STATE      RSS  KMEM NAME\n");
	for (int i = 0; i < nprocs; i++)
		printf(1, "%5d %5d %-9s %4d %5d %s\n", procs[i].pid, procs[i].ppid,
		       state_name(procs[i].state), procs[i].rss, (procs[i].kmem + 512) / 1024,
		       procs[i].name);
	exit();
}
