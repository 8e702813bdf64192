/*
 * user/figures.c: memory and time figures from sysinfo, for the tests and
 * benchmarks.
 * Kept apart from ulib.c, which has only xv6's calls, so that programs
 * linked against xv6's system calls alone (user/xv6/) can use ulib.o.
 */
#include "user/user.h"

int sysinfo_figure(int kind, const char *name)
{
	char text[4096];		/* on the stack: a static would be bss in every program */
	int n = sysinfo(kind, text, sizeof(text) - 1), len = strlen(name);

	if (n < 0)
		return -1;
	text[n] = '\0';
	for (char *s = text; *s; s++)
		if ((s == text || s[-1] == '\n' || s[-1] == ' ') && !strncmp(s, name, len) &&
		    (s[len] == ' ' || s[len] == '\t')) {
			s += len;
			while (*s == ' ' || *s == '\t')
				s++;
			return *s >= '0' && *s <= '9' ? atoi(s) : -1;
		}
	return -1;
}

int mem_free_kib(void)
{
	return sysinfo_figure(SI_MEM, "free");
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
	struct pagoda_cpu c;
	unsigned lo, hi;

	memset(&c, 0, sizeof(c));
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	sysinfo(SI_CPU, &c, sizeof(c));
	return (((unsigned long long)hi << 32) | lo) - c.idle_cycles;
}
