/*
 * user/info.c: free, slabinfo, vmstat, blkstat, dcstat: one program, many
 * names (argv[0] picks the report), each printing a sysinfo text report;
 * and sync, which writes the root file system back.
 */
#include "user/user.h"

static char buf[8192];

int main(int argc, char *argv[])
{
	const char *name = argv[0], *p;
	int kind = SI_MEM, n;

	(void)argc;
	for (p = name; *p; p++)
		if (*p == '/')
			name = p + 1;
	if (!strcmp(name, "sync"))
		exit2(sync() < 0);
	if (!strcmp(name, "slabinfo"))
		kind = SI_SLAB;
	else if (!strcmp(name, "vmstat"))
		kind = SI_VM;
	else if (!strcmp(name, "blkstat"))
		kind = SI_BLK;
	else if (!strcmp(name, "dcstat"))
		kind = SI_DCACHE;
	if ((n = sysinfo(kind, buf, sizeof(buf))) < 0)
		return printf(2, "%s: sysinfo failed\n", name), exit2(1), 0;
	write(1, buf, n);
	exit();
}
