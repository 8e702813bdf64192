/*
 * user/figures.c: memory and time figures from sysinfo, for the tests and
 * benchmarks.
 * Kept apart from ulib.c, which has only xv6's calls, so that programs
 * linked against xv6's system calls alone (user/xv6/) can use ulib.o.
 */
#include "user/user.h"

int mem_free_kib(void)
{
	char text[512];
	int n = sysinfo(SI_MEM, text, sizeof(text) - 1);

	if (n < 0)
		return -1;
	text[n] = '\0';
	for (char *s = text; *s; s++)
		if (!strncmp(s, "free", 4)) {
			while (*s && (*s < '0' || *s > '9'))
				s++;
			return atoi(s);
		}
	return -1;
}

int mem_unused_kib(void)
{
	struct pagoda_proc procs[64];
	int n, me = getpid(), rss = 0, free;

	sync();				/* dirty data pins pages the caches would give back */
	sysinfo(SI_SHRINK, 0, 0);
	n = sysinfo(SI_PROCS, procs, sizeof(procs));
	for (int i = 0; i < n / (int)sizeof(procs[0]); i++)
		if (procs[i].pid == me)
			rss = procs[i].rss * 4;
	free = mem_free_kib();
	return free < 0 ? -1 : free + rss;
}

unsigned long long busy_cycles(void)
{
	struct pagoda_cpu c = { 0, 0, 0 };
	unsigned lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	sysinfo(SI_CPU, &c, sizeof(c));
	return (((unsigned long long)hi << 32) | lo) - c.idle_cycles;
}
