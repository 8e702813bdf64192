/*
 * user/sysfuzz.c: random and adversarial system calls.
 *
 *     sysfuzz [seed [calls [children]]]
 *
 * Children take turns, as many as it takes to make the calls (a child may
 * end early); each makes up to calls/children of them, every one a
 * system call number (valid or not) with arguments drawn from pools made
 * to hurt: out-of-range numbers and descriptors, kernel and unmapped
 * pointers, buffers that run off the end of a mapping, strings with no
 * end, huge and negative lengths, closed descriptors, and now and then a
 * call made with a stack pointer that points nowhere. A child may die of
 * what it did (a fault, munmap of its own code); one that blocks (on an
 * empty pipe, the console) is killed after a while. The kernel must
 * survive all of it: no panic, every page back afterwards (this checks),
 * and a file system e2fsck finds clean (the harness checks).
 *
 * Same seed, same calls. Files are made only under /fuzz, which is
 * removed at the end. Prints one summary line:
 *     sysfuzz: seed S, C calls in N children (F killed by faults, T by
 *     the timeout): unused K KiB before, K after
 * and exits 0 if every page came back.
 */
#include "user/user.h"

#define TIMEOUT_TICKS	50		/* a child that takes longer is killed */
#define BUF_PAGES	4
#define MIN(a, b)	((a) < (b) ? (a) : (b))

static uint rng;
static volatile int *made;		/* calls made, in a page shared by every child */
static char *buf;			/* BUF_PAGES pages, then an unmapped page */
static char *edge;			/* the last 8 bytes before the unmapped page */
static int parent;

static uint next(void)
{
	return xorshift32(&rng);
}

static uint pick(uint n)
{
	return next() % n;
}

/*
 * A system call by number with the six words at a as its arguments, on
 * the stack as the stubs leave them (the words are reached through a
 * register: an operand relative to %esp would move with every push).
 */
static int raw(int num, const uint *a)
{
	int r;

	__asm__ volatile("pushl 20(%2)\n\tpushl 16(%2)\n\tpushl 12(%2)\n\tpushl 8(%2)\n\t"
			 "pushl 4(%2)\n\tpushl (%2)\n\tpushl $0\n\tint $64\n\taddl $28, %%esp"
			 : "=a"(r) : "0"(num), "r"(a) : "memory", "cc");
	return r;
}

/* The same, with the stack pointer at sp: the kernel finds no arguments there. */
static int raw_bogus_stack(int num, uint sp)
{
	int r;

	__asm__ volatile("movl %%esp, %%esi\n\tmovl %2, %%esp\n\tint $64\n\tmovl %%esi, %%esp"
			 : "=a"(r) : "0"(num), "r"(sp) : "esi", "memory", "cc");
	return r;
}

static const char *const paths[] = {
	"/fuzz/a", "/fuzz/b", "/fuzz/d", "/fuzz/d/c", "/fuzz/d/../a", "/fuzz//b",
	"/fuzz/nonexistent/x", "/fuzz", "/fuzz/a/", "a", "d/c", "..", ".", "",
	"/fuzz/dev", "/fixtures/elf/bad-magic", "/README",
};
static const char *const programs[] = {
	"/bin/true", "/nonexistent", "/fuzz/a", "/fixtures/elf/bad-segment-wrapping",
	"/fixtures/elf/bad-entry-outside", "/fixtures", "/fuzz/elf",
};
static char longname[300];

static uint a_pointer(void)
{
	switch (pick(10)) {
	case 0: return 0;
	case 1: return 0xc0000000u + pick(0x100000);		/* the kernel */
	case 2: return 0x20000000u + pick(4096);		/* nothing mapped */
	case 3: return (uint)edge;				/* 8 bytes, then nothing */
	case 4: return (uint)raw;				/* read-only text */
	case 5: return 0xfffffff0u;				/* wraps */
	case 6: return (uint)&rng;				/* its own data */
	default: return (uint)buf + pick(BUF_PAGES * 4096);	/* somewhere in the buffer */
	}
}

static uint a_length(void)
{
	static const uint lengths[] = { 0, 1, 2, 8, 16, 512, 4096, 4097, 8192, 16384,
					0x7fffffff, 0xffffffff, 0x80000000 };

	return pick(4) ? lengths[pick(sizeof(lengths) / 4)] : pick(20000);
}

static uint a_fd(void)
{
	return pick(8) ? pick(18) : (uint)(pick(2) ? -1 : 1000000);
}

static uint a_path(void)
{
	switch (pick(12)) {
	case 0: return (uint)longname;
	case 1: return (uint)edge;			/* a name that runs off the mapping */
	case 2: return a_pointer();
	default: return (uint)paths[pick(sizeof(paths) / sizeof(paths[0]))];
	}
}

static uint a_int(void)
{
	static const uint ints[] = { 0, 1, 2, 3, -1, -2, 0x7fffffff, 0x80000000, 4096, 0x200,
				     0x201, 0x202, 0x401, 0x802, 0xffff };

	return pick(3) ? ints[pick(sizeof(ints) / 4)] : next();
}

/* An argv: NULL, a bad pointer, or an array with bad members or no end. */
static uint a_argv(void)
{
	static uint v[40];

	switch (pick(4)) {
	case 0: return a_pointer();
	case 1:
		for (int i = 0; i < 40; i++)
			v[i] = (uint)"x";		/* more arguments than exec takes */
		return (uint)v;
	default:
		for (int i = 0; i < 4; i++)
			v[i] = pick(3) ? (uint)"arg" : a_pointer();
		v[4] = pick(4) ? 0 : a_pointer();
		return (uint)v;
	}
}

/* Make /fuzz/elf a copy of /bin/true with a few bytes of its headers changed. */
static void mutate_elf(void)
{
	static char img[4096];
	int in = open("/bin/true", O_RDONLY), out, n;

	if (in < 0)
		return;
	n = read(in, img, sizeof(img));
	close(in);
	for (int k = 0; n > 0 && k < 1 + (int)pick(4); k++)
		img[pick(n < 200 ? n : 200)] ^= 1 << pick(8);
	if ((out = open("/fuzz/elf", O_CREATE | O_WRONLY | O_TRUNC)) >= 0) {
		if (n > 0)
			write(out, img, n);
		close(out);
	}
}

static int one_call(void)
{
	int num = pick(10) ? (int)(1 + pick(NSYSCALL - 1)) : (int)a_int();
	uint a[6];

	if ((num == SYS_exit || num == SYS_exit2) && pick(64))
		num = SYS_getpid;		/* now and then, not every 30 calls */

	for (int i = 0; i < 6; i++)
		a[i] = pick(5) ? a_pointer() : a_int();
	switch (num) {
	case SYS_read: case SYS_write: case SYS_getdents:
		a[0] = a_fd(); a[1] = a_pointer(); a[2] = a_length(); break;
	case SYS_close: case SYS_dup: case SYS_fstat:
		a[0] = a_fd(); break;
	case SYS_lseek:
		a[0] = a_fd(); a[1] = a_int(); a[2] = a_int(); break;
	case SYS_open: case SYS_mkdir: case SYS_unlink: case SYS_chdir:
		a[0] = a_path(); a[1] = a_int(); break;
	case SYS_link: case SYS_rename:
		a[0] = a_path(); a[1] = a_path(); break;
	case SYS_mknod:
		a[0] = a_path(); a[1] = pick(4); a[2] = pick(300);
		if (a[1] == 1)
			a[1] = 2;			/* no console devices: it would talk */
		break;
	case SYS_exec:
		if (pick(3) == 0)
			mutate_elf();
		a[0] = pick(2) ? (uint)programs[pick(sizeof(programs) / sizeof(programs[0]))]
			       : a_path();
		if (a[0] == (uint)programs[0] && pick(16))
			a[0] = (uint)programs[1];	/* a program that runs ends the child */
		a[1] = a_argv(); break;
	case SYS_kill:
		a[0] = pick(32) ? a_int() : (uint)getpid();	/* itself, now and then */
		if (a[0] == (uint)parent || a[0] == 1)
			a[0] = 999999;			/* never the fuzzer or init */
		break;
	case SYS_sleep:
		a[0] = pick(3); break;
	case SYS_sbrk:
		a[0] = pick(2) ? (uint)(pick(65536) - 32768) : a_int(); break;
	case SYS_mmap:
		a[1] = a_length(); a[2] = pick(4); a[3] = pick(4); break;
	case SYS_munmap:			/* its own code and data only now and then */
		a[0] = pick(64) ? 0x40400000u + pick(64) * 4096 : a_pointer(); a[1] = a_length();
		if (a[0] <= (uint)made && (uint)made - a[0] < a[1])
			a[0] = 0x40400000u;		/* the counter stays */
		break;
	case SYS_waitpid:
		a[0] = a_int(); a[1] = a_pointer(); a[2] = pick(2); break;
	case SYS_sysinfo:
		a[0] = pick(10); a[1] = a_pointer(); a[2] = a_length();
		if (a[0] == SI_SHRINK)
			a[0] = SI_MEM;
		break;
	}
	static const uint bogus[] = { 0, 0x20000000, 0xc0000000, 0xfffffff0 };
	int r = pick(40) ? raw(num, a) :	/* or with the stack pointer into nothing */
		raw_bogus_stack(num, pick(5) ? bogus[pick(4)] : (uint)edge + 4);
	if (num == SYS_fork && r == 0)
		exit();				/* the fuzzer's children do not fuzz */
	return r;
}

static void fuzz_child(uint seed, int calls)
{
	rng = seed ? seed : 1;
	for (int fd = 0; fd < 16; fd++)
		close(fd);			/* nothing of the suite's, not the console */
	buf = sbrk(BUF_PAGES * 4096);
	if (buf == (char *)-1)
		exit2(3);
	for (int i = 0; i < BUF_PAGES * 4096; i++)
		buf[i] = next();
	edge = buf + BUF_PAGES * 4096 - 8;	/* the heap ends here: nothing above */
	memmove(edge, "/fuzz/ed", 8);
	chdir("/fuzz");
	for (int i = 0; i < calls; i++) {
		(*made)++;
		one_call();
		if (i % 64 == 0)
			while (waitpid(-1, 0, 1) > 0)
				;
	}
	exit();
}

/* Reap every child left (fuzzers' children and orphans), killing the slow. */
static void reap_all(void)
{
	int start = uptime(), r;

	while ((r = waitpid(-1, 0, 1)) >= 0) {
		if (r == 0)
			sleep(1);
		if (uptime() - start > TIMEOUT_TICKS)
			for (int pid = 2; pid < 100000 && waitpid(-1, 0, 1) == 0; pid++)
				if (pid != parent)
					kill(pid);
	}
}

/* pid's state as ps shows it (1 runnable .. 4 zombie), or 0 if it is gone. */
static int state_of(int pid)
{
	static struct pagoda_proc procs[256];
	int n = sysinfo(SI_PROCS, procs, sizeof(procs));

	for (int i = 0; i < n / (int)sizeof(procs[0]); i++)
		if (procs[i].pid == pid)
			return procs[i].state;
	return 0;
}

/*
 * Wait for pid, killing it after TIMEOUT_TICKS; its status. A kill must
 * take effect: a child still there long after one is a kernel bug, and
 * the run ends saying so rather than waiting for ever.
 */
static int reap(int pid, int *timed_out)
{
	int status = 0, start = uptime();

	*timed_out = 0;
	for (;;) {
		int r = waitpid(pid, &status, 1);
		if (r == pid)
			return status;
		if (r < 0)
			return -1000;
		if (uptime() - start > TIMEOUT_TICKS && !*timed_out) {
			kill(pid);
			*timed_out = 1;
		}
		if (uptime() - start > 20 * TIMEOUT_TICKS) {
			printf(1, "sysfuzz: pid %d was killed %d ticks ago and is still there "
			       "(state %d)\n", pid, uptime() - start - TIMEOUT_TICKS, state_of(pid));
			exit2(4);
		}
		sleep(1);
	}
}

/*
 * Remove name (from the current directory) and, if it is a directory,
 * everything in it. It works from inside each directory, so that names
 * of any length the fuzz made, nested any depth, never make a path too
 * long. A name that cannot be opened (a device node with no driver) is
 * unlinked all the same; a directory that will not empty is a kernel
 * bug, and ends the run.
 */
static void remove_tree(const char *name)
{
	struct pagoda_dirent de;
	int fd = open(name, O_RDONLY);
	struct stat st;

	if (fd < 0) {
		unlink(name);
		return;
	}
	if (fstat(fd, &st) == 0 && st.type == T_DIR && chdir(name) == 0) {
		for (int tries = 0;; tries++) {
			char sub[sizeof(de.name)];
			int found = 0;

			lseek(fd, 0, SEEK_SET);
			while (!found && getdents(fd, &de, sizeof(de)) > 0)
				if (strcmp(de.name, ".") && strcmp(de.name, "..")) {
					memmove(sub, de.name, de.name_len + 1);
					found = 1;
				}
			if (!found)
				break;
			if (tries > 10000) {
				for (char *c = sub; *c; c++)
					if (*c < ' ' || *c > '~')
						*c = '?';
				printf(1, "sysfuzz: cannot remove %s\n", sub);
				exit2(5);
			}
			remove_tree(sub);
		}
		chdir("..");
	}
	close(fd);
	unlink(name);
}

/*
 * Touch 32 KiB of stack now, so that remove_tree's recursion later does
 * not grow it between the two measurements of unused memory.
 */
static void grow_stack(void)
{
	volatile char deep[32 * 1024];

	for (unsigned i = 0; i < sizeof(deep); i += 512)
		deep[i] = 1;
}

int main(int argc, char *argv[])
{
	uint seed = argc > 1 ? atoi(argv[1]) : 1;
	int calls = argc > 2 ? atoi(argv[2]) : 20000, children = argc > 3 ? atoi(argv[3]) : 20;
	int faults = 0, timeouts = 0, before = -1, after;

	memset(longname, 'n', sizeof(longname) - 1);
	grow_stack();
	parent = getpid();
	/*
	 * Every page of the program, mapped now. A page of code the parent
	 * first runs late (reaping a child that timed out) would otherwise
	 * come from the page cache, where the children left it, into this
	 * process's count: unused memory that seems to grow.
	 */
	for (char *a = (char *)0x1000; a < sbrk(0); a += 4096)
		(void)*(volatile char *)a;
	made = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED);
	if (made == (void *)-1)
		exit2(2);
	remove_tree("/fuzz");
	/* a first child with another seed warms the caches; the count starts after it */
	/* children until the calls are made (a child may end early: exit, exec, a fault) */
	int c;
	for (c = -1; c < 0 || (*made < calls && c < 50 * children); c++) {
		int pid, timed_out, status, share = calls / children;
		if (c == 0) {
			remove_tree("/fuzz");
			reap_all();
			before = mem_unused_kib();
			*made = 0;
		}
		if (c <= 0)
			mkdir("/fuzz");
		pid = fork();
		if (pid == 0)
			fuzz_child(c < 0 ? seed + 1000003 : seed * 7919 + c,
				   c < 0 ? 2000 : MIN(share, calls - *made));
		if (pid < 0) {
			printf(1, "sysfuzz: fork failed\n");
			exit2(2);
		}
		status = reap(pid, &timed_out);
		timeouts += c >= 0 && timed_out;
		faults += c >= 0 && !timed_out && status == -1;
		if (c > 0 && c % 100 == 0)
			printf(1, "sysfuzz: %d children so far, %d calls\n", c, *made);
	}
	remove_tree("/fuzz");
	reap_all();				/* anything a child left behind */
	after = mem_unused_kib();
	printf(1, "sysfuzz: seed %d, %d calls in %d children (%d killed by faults, %d by the "
	       "timeout): unused %d KiB before, %d after\n", seed, *made, c, faults,
	       timeouts, before, after);
	exit2(before == after ? 0 : 1);
}
