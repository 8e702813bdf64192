/*
 * user/usertests.c: the user test suite, xv6 style: a table of
 * { function, name }, each run in its own child process so that a test
 * that crashes fails alone. Prints "utest: PASS name" or "utest: FAIL name
 * why" per test and "utest: DONE passed=P failed=F"; exits with the number
 * that failed. `usertests P1 P2 ...` runs the tests whose names start
 * with one of the prefixes.
 * Under the test harness it runs as init (init=/bin/usertests).
 */
#include "user/user.h"

static const char *why;		/* set by a failing check */

#define NOFILE_GUESS 16
#define CHECK(c) do { if (!(c)) { why = #c; return 1; } } while (0)

static int wait_status(int pid)
{
	int status = -1;

	return waitpid(pid, &status, 0) == pid ? status : -1000;
}

/* --- processes ----------------------------------------------------------- */

static int proc_fork_wait_status(void)
{
	int pid = fork();

	CHECK(pid >= 0);
	if (pid == 0)
		exit2(42);
	CHECK(wait_status(pid) == 42);
	CHECK(wait() == -1);			/* no children left */
	return 0;
}

static int proc_getpid_getppid(void)
{
	int me = getpid(), pid, p[2];
	char c;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		c = getppid() == me ? 'y' : 'n';
		write(p[1], &c, 1);
		exit();
	}
	CHECK(read(p[0], &c, 1) == 1 && c == 'y');
	CHECK(wait_status(pid) == 0);
	close(p[0]);
	close(p[1]);
	return 0;
}

static int proc_orphans_reparented(void)
{
	int p[2], pid;
	char c = 0;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) {		/* the grandchild outlives its parent */
			for (int i = 0; i < 200 && getppid() != 1; i++)
				sleep(1);
			c = getppid() == 1 ? 'y' : 'n';
			write(p[1], &c, 1);
			exit();
		}
		exit();
	}
	CHECK(wait_status(pid) == 0);
	CHECK(read(p[0], &c, 1) == 1 && c == 'y');
	close(p[0]);
	close(p[1]);
	return 0;
}

static int proc_kill_sleeper(void)
{
	int pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		for (;;)
			sleep(1000);
	}
	sleep(2);
	CHECK(kill(pid) == 0);
	CHECK(wait_status(pid) == -1);		/* killed: status -1 */
	CHECK(kill(pid) == -1);			/* gone */
	return 0;
}

static int proc_kill_spinner_then_sleep(void)
{
	int pid = fork();

	CHECK(pid >= 0);
	if (pid == 0)
		for (;;)			/* runnable, never sleeping */
			;
	sleep(2);
	CHECK(kill(pid) == 0);
	CHECK(wait_status(pid) == -1);
	int t0 = uptime();
	CHECK(sleep(3) == 0);			/* the timer still ticks */
	CHECK(uptime() - t0 >= 3);
	CHECK(kill(1) == -1);			/* init cannot be killed */
	return 0;
}

static int proc_fault_kills_only_the_faulter(void)
{
	int pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		*(volatile int *)0 = 1;		/* page 0 is never mapped */
		exit();
	}
	CHECK(wait_status(pid) == -1);		/* killed by the kernel */
	return 0;
}

/*
 * Right after fork (tables shared under fork=share), the kernel writes
 * into the child's memory for it: read() from a file, a pipe read,
 * waitpid's status. The parent must see none of it.
 */
static char kbuf_file[64], kbuf_pipe[64];
static int kbuf_status = 12345;

static int cow_kernel_writes_after_fork(void)
{
	int p[2], pid;

	memset(kbuf_file, 'P', sizeof(kbuf_file));
	memset(kbuf_pipe, 'P', sizeof(kbuf_pipe));
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "from the pipe", 13) == 13);
	pid = fork();
	if (pid == 0) {
		int fd = open("/etc/motd", O_RDONLY), gp, st = 0;
		if (fd < 0 || read(fd, kbuf_file, sizeof(kbuf_file)) <= 0)
			exit2(1);
		if (read(p[0], kbuf_pipe, 13) != 13)
			exit2(2);
		if ((gp = fork()) == 0)
			exit2(77);
		if (waitpid(gp, &kbuf_status, 0) != gp || kbuf_status != 77)
			exit2(3);
		st = kbuf_file[0] == 'W' && kbuf_pipe[0] == 'f' ? 0 : 4;
		exit2(st);
	}
	CHECK(wait_status(pid) == 0);
	for (int i = 0; i < 64; i++)
		CHECK(kbuf_file[i] == 'P' && kbuf_pipe[i] == 'P');
	CHECK(kbuf_status == 12345);
	close(p[0]);
	close(p[1]);
	return 0;
}

/* --- pipes ---------------------------------------------------------------- */

static int pipe_many_bytes(void)
{
	int p[2], pid, sum = 0, n;
	static char buf[1000];

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (int k = 0; k < 20; k++) {	/* 20000 bytes: the pipe fills */
			for (int i = 0; i < 1000; i++)
				buf[i] = (char)(k + i);
			if (write(p[1], buf, 1000) != 1000)
				exit2(1);
		}
		exit();
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		sum += n;
	close(p[0]);
	CHECK(sum == 20000);
	CHECK(wait_status(pid) == 0);
	return 0;
}

static int pipe_broken(void)
{
	int p[2];

	CHECK(pipe(p) == 0);
	close(p[0]);
	CHECK(write(p[1], "x", 1) == -1);	/* no reader */
	close(p[1]);
	CHECK(pipe(p) == 0);
	close(p[1]);
	char c;
	CHECK(read(p[0], &c, 1) == 0);		/* no writer: end of file */
	close(p[0]);
	return 0;
}

/* --- files ----------------------------------------------------------------- */

static int file_create_write_read(void)
{
	char buf[64];
	int fd = open("/tmp-ut-a", O_CREATE | O_RDWR | O_TRUNC);

	CHECK(fd >= 0);
	CHECK(write(fd, "hello, pagoda", 13) == 13);
	close(fd);
	fd = open("/tmp-ut-a", O_RDONLY);
	CHECK(fd >= 0);
	memset(buf, 0, sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)) == 13);
	CHECK(!strcmp(buf, "hello, pagoda"));
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.type == T_FILE && st.size == 13 && st.nlink == 1);
	close(fd);
	CHECK(unlink("/tmp-ut-a") == 0);
	CHECK(open("/tmp-ut-a", O_RDONLY) == -1);
	return 0;
}

static int file_dirs_links_rename(void)
{
	struct stat st;

	CHECK(mkdir("/tmp-ut-d") == 0);
	CHECK(chdir("/tmp-ut-d") == 0);
	int fd = open("f", O_CREATE | O_WRONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK(link("f", "g") == 0);
	CHECK(stat("g", &st) == 0 && st.nlink == 2);
	CHECK(rename("g", "/tmp-ut-d/h") == 0);
	CHECK(stat("g", &st) == -1 && stat("h", &st) == 0);
	CHECK(link("h", "f2") == 0);
	CHECK(rename("h", "f2") == 0);		/* two names of one file: nothing happens */
	CHECK(stat("h", &st) == 0 && st.nlink == 3 && stat("f2", &st) == 0);
	CHECK(unlink("f2") == 0);
	CHECK(unlink("/tmp-ut-d") == -1);	/* not empty */
	CHECK(unlink("f") == 0 && unlink("h") == 0);
	CHECK(chdir("/") == 0);
	CHECK(unlink("/tmp-ut-d") == 0);	/* empty: xv6 unlink removes it */
	return 0;
}

/*
 * A read into memory it cannot fill takes nothing it does not deliver:
 * from a pipe into read-only text, and from a file into one good page
 * followed by none.
 */
static int file_read_into_bad_buffer_loses_nothing(void)
{
	char *text = (char *)file_read_into_bad_buffer_loses_nothing, buf[8] = { 0 };
	char *page;
	int p[2], fd;

	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "hello", 5) == 5);
	close(p[1]);				/* lost bytes would read as end of file */
	CHECK(read(p[0], text, 5) == -1);		/* read-only: refused... */
	CHECK(read(p[0], buf, 5) == 5 && !strcmp(buf, "hello"));	/* ...and kept */
	close(p[0]);
	CHECK(sbrk(4096) != (char *)-1);
	page = (char *)(((unsigned)sbrk(0) + 4095) & ~4095u) - 4096;	/* the heap's last page */
	CHECK((fd = open("/fixtures/big.bin", O_RDONLY)) >= 0);
	CHECK(read(fd, page, 12000) == 4096);		/* the page that exists, no more */
	CHECK(lseek(fd, 0, SEEK_CUR) == 4096);		/* and the offset says so */
	CHECK((unsigned char)page[4095] == (4095 * 7 + 3) % 251);
	CHECK(read(fd, text, 100) == -1 && lseek(fd, 0, SEEK_CUR) == 4096);
	close(fd);
	return 0;
}

/* Copy the file from into a new file to; 0 if all of it was copied. */
static int copy_file(const char *from, const char *to)
{
	static char buf[4096];
	int in = open(from, O_RDONLY), out = open(to, O_CREATE | O_WRONLY | O_TRUNC), n = 0;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	close(in);
	close(out);
	return in >= 0 && out >= 0 && n == 0 ? 0 : -1;
}

/* The name process pid runs under, into name (16 bytes); 0 if it is alive. */
static int proc_name(int pid, char *name)
{
	static struct pagoda_proc procs[256];
	int n = sysinfo(SI_PROCS, procs, sizeof(procs));

	for (int i = 0; i < n / (int)sizeof(procs[0]); i++)
		if (procs[i].pid == pid) {
			memmove(name, procs[i].name, sizeof(procs[i].name));
			return 0;
		}
	return -1;
}

/*
 * Files unlinked while in use: a running program and an open file, each
 * held by a process that is still asleep when init exits. The kernel must
 * free both on disk at shutdown (the harness's e2fsck of the root image
 * after this run says whether it did).
 */
static int file_in_use_after_unlink_freed_at_shutdown(void)
{
	char *argv[] = { "ut-sleeper", "1000000", 0 }, name[16] = "";
	static char data[8192];
	int pid, fd;

	CHECK(copy_file("/bin/sleep", "/tmp-ut-sleeper") == 0);
	if ((pid = fork()) == 0) {
		for (int i = 3; i < NOFILE_GUESS; i++)
			close(i);		/* none of the suite's pipes stays open */
		exec("/tmp-ut-sleeper", argv);
		exit2(9);
	}
	CHECK(pid > 0);
	for (int i = 0; i < 500 && strcmp(name, "tmp-ut-sleeper"); i++)
		if (proc_name(pid, name) < 0 || strcmp(name, "tmp-ut-sleeper"))
			sleep(1);			/* until exec has mapped it */
	CHECK(!strcmp(name, "tmp-ut-sleeper"));
	CHECK((fd = open("/tmp-ut-orphan", O_CREATE | O_RDWR)) >= 0);
	CHECK(write(fd, data, sizeof(data)) == sizeof(data));
	if ((pid = fork()) == 0) {			/* holds the file open, asleep */
		for (int i = 3; i < NOFILE_GUESS; i++)
			if (i != fd)
				close(i);
		sleep(1000000);
		exit();
	}
	CHECK(pid > 0);
	close(fd);
	CHECK(unlink("/tmp-ut-sleeper") == 0 && unlink("/tmp-ut-orphan") == 0);
	CHECK(open("/tmp-ut-orphan", O_RDONLY) == -1);
	return 0;
}

/* Left on the disk on purpose: the harness looks for it with debugfs. */
static int file_sync_reaches_disk(void)
{
	int fd;

	unlink("/ut-synced/f");
	unlink("/ut-synced");
	CHECK(mkdir("/ut-synced") == 0);
	CHECK((fd = open("/ut-synced/f", O_CREATE | O_WRONLY)) >= 0);
	CHECK(write(fd, "synced\n", 7) == 7);
	close(fd);
	CHECK(sync() == 0);
	return 0;
}

static int file_read_dir_gives_xv6_entries(void)
{
	struct dirent de;
	int fd = open("/", O_RDONLY), dot = 0, bin = 0;

	CHECK(fd >= 0);
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		dot += !strcmp(de.name, ".");
		bin += !strncmp(de.name, "bin", DIRSIZ);
	}
	close(fd);
	CHECK(dot == 1 && bin == 1);
	CHECK(sizeof(struct dirent) == 16 && sizeof(struct stat) == 20);
	return 0;
}

/*
 * A removed working directory stays removed: a file or directory made
 * later under its name is something else, which "." must not become.
 */
static int file_removed_cwd_stays_removed(void)
{
	struct stat st;
	int fd;

	CHECK(mkdir("/ut-gone") == 0 && chdir("/ut-gone") == 0);
	CHECK(unlink("/ut-gone") == 0);
	CHECK(open("x", O_CREATE | O_RDWR) < 0);		/* nothing to create in */
	CHECK((fd = open("/ut-gone", O_CREATE | O_RDWR)) >= 0);	/* a file takes the name */
	close(fd);
	CHECK(open(".", O_RDONLY) < 0);
	CHECK(unlink("/ut-gone") == 0 && mkdir("/ut-gone") == 0);	/* now a new directory */
	CHECK(open("y", O_CREATE | O_RDWR) < 0);
	CHECK(stat("/ut-gone/y", &st) < 0);
	CHECK(chdir("/") == 0 && unlink("/ut-gone") == 0);
	return 0;
}

/* A directory read into a buffer too small for one record fails; 0 would mean the end. */
static int file_dir_read_too_small_fails(void)
{
	char buf[16];
	int fd;

	CHECK((fd = open("/", O_RDONLY)) >= 0);
	CHECK(read(fd, buf, 15) == -1);
	CHECK(read(fd, buf, 0) == 0);
	CHECK(read(fd, buf, 16) == 16);		/* and nothing was lost: "." comes first */
	CHECK(strcmp(buf + 2, ".") == 0);
	CHECK(getdents(fd, (struct pagoda_dirent *)buf, sizeof(buf)) == -1);
	close(fd);
	return 0;
}

/* A directory opens for reading only: not for writing, and not "created". */
static int file_directory_opens_only_to_read(void)
{
	int fd;

	CHECK(mkdir("/ut-dir") == 0);
	CHECK(open("/ut-dir", O_CREATE | O_RDONLY) < 0);	/* xv6's usertests ask this */
	CHECK(open("/ut-dir", O_CREATE | O_RDWR) < 0);
	CHECK(open("/ut-dir", O_WRONLY) < 0);
	CHECK(open("/ut-dir", O_RDWR) < 0);
	CHECK((fd = open("/ut-dir", O_RDONLY)) >= 0);
	close(fd);
	CHECK(unlink("/ut-dir") == 0);
	return 0;
}

/*
 * iret to seg:0 with EFLAGS.VM set. A real CPU (and Bochs) refuses it at
 * CPL 3 with a #GP; QEMU enters virtual-8086 mode. Either way the kernel
 * must kill the process and nothing else.
 */
static void iret_to_v86(unsigned seg)
{
	__asm__ volatile("pushl %0\n\t"		/* ss */
			 "pushl $0xfff0\n\t"		/* esp */
			 "pushl $0x00020202\n\t"	/* eflags: VM, IF */
			 "pushl %0\n\t"		/* cs, whose low bits are 0 */
			 "pushl $0\n\t"		/* eip */
			 "iret" : : "r"(seg) : "memory");
}

static int proc_v86_mode_is_killed(void)
{
	char *heap = sbrk(2 * 4096);
	unsigned at = ((unsigned)heap + 15) & ~15u;
	int pid;

	CHECK(heap != (char *)-1 && at < 0x100000);
	((unsigned char *)at)[0] = 0xeb;		/* jmp . : spins until preempted */
	((unsigned char *)at)[1] = 0xfe;
	for (int spin = 0; spin < 2; spin++) {
		pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			iret_to_v86(spin ? at >> 4 : 0x8000);	/* 0x80000: unmapped */
			exit2(7);			/* never: it did not return */
		}
		CHECK(wait_status(pid) == -1);		/* killed by the kernel */
	}
	return 0;
}

/* --- system-call arguments ------------------------------------------------- */

static int sys_bad_pointers(void)
{
	int fd = open("/README", O_RDONLY);
	char *kernel = (char *)0xc0100000, *none = (char *)0x20000000;

	CHECK(fd >= 0);
	CHECK(read(fd, kernel, 10) == -1);
	CHECK(read(fd, none, 10) == -1);
	CHECK(write(1, none, 10) == -1);
	CHECK(write(1, kernel, 10) == -1);
	CHECK(open(none, O_RDONLY) == -1);
	CHECK(open((char *)0xffffff00, O_RDONLY) == -1);
	CHECK(fstat(fd, (struct stat *)kernel) == -1);
	CHECK(pipe((int *)kernel) == -1);
	CHECK(exec(none, 0) == -1);
	char *argv[] = { "echo", none, 0 };
	CHECK(exec("/bin/echo", argv) == -1);
	CHECK(read(99, none, 1) == -1 && read(-1, none, 1) == -1);
	CHECK(sysinfo(SI_MEM, kernel, 100) == -1);
	CHECK(waitpid(-1, (int *)kernel, 0) == -1);
	close(fd);
	return 0;
}

/* Every call that takes a pointer, a length or a descriptor, given bad ones. */
static int sys_every_call_refuses_bad_arguments(void)
{
	char *k = (char *)0xc0000000, *none = (char *)0x30000000;
	struct pagoda_dirent pd;

	CHECK(close(-1) == -1 && close(NOFILE_GUESS) == -1 && dup(77) == -1);
	CHECK(read(0, none, -5) == -1 && write(1, k, 1) == -1);
	CHECK(pipe((int *)none) == -1);
	CHECK(kill(-3) == -1 && kill(99999) == -1);
	CHECK(exec(k, 0) == -1);
	CHECK(fstat(-1, (struct stat *)none) == -1);
	CHECK(chdir(none) == -1 && chdir("/README") == -1 && chdir("/nonexistent") == -1);
	CHECK(open(k, O_RDONLY) == -1 && open("/", O_WRONLY) == -1);
	CHECK(mknod(none, 1, 0) == -1 && mknod("/x-dev", 300, 0) == -1);
	CHECK(unlink(k) == -1 && unlink("/") == -1 && unlink("/nonexistent") == -1);
	CHECK(link(none, "/x") == -1 && link("/README", k) == -1 && link("/bin", "/bin2") == -1);
	CHECK(mkdir(k) == -1 && mkdir("/README/x") == -1);
	CHECK(waitpid(-1, 0, 0) == -1);				/* no children */
	CHECK(getdents(0, &pd, sizeof(pd)) == -1);		/* the console is no directory */
	CHECK(getdents(-1, &pd, sizeof(pd)) == -1);
	CHECK(rename(none, "/y") == -1 && rename("/bin", "/bin/x") == -1);
	CHECK(sysinfo(99, none, 10) == -1 && sysinfo(SI_MEM, none, -1) == -1);
	CHECK(mmap(0, 0, PROT_READ, MAP_PRIVATE) == (void *)-1);
	CHECK(mmap(0, 4096, PROT_READ, 0) == (void *)-1);
	CHECK(munmap((void *)0x1001, 4096) == -1 && munmap((void *)0xc0000000, 4096) == -1);
	CHECK(lseek(0, 0, 0) == -1 && lseek(-1, 0, 0) == -1);	/* the console cannot seek */
	CHECK(sleep(-1) == -1);
	return 0;
}

static int file_dup_and_devices(void)
{
	struct stat st;
	int fd = open("/tmp-ut-dup", O_CREATE | O_RDWR | O_TRUNC), fd2;
	char buf[8];

	CHECK(fd >= 0);
	CHECK((fd2 = dup(fd)) > fd);
	CHECK(write(fd, "ab", 2) == 2 && write(fd2, "cd", 2) == 2);	/* one offset */
	close(fd);
	CHECK(lseek(fd2, 0, 0) == 0 && read(fd2, buf, 8) == 4 && !strncmp(buf, "abcd", 4));
	close(fd2);
	CHECK(unlink("/tmp-ut-dup") == 0);
	CHECK(mknod("/tmp-ut-console", 1, 0) == 0);
	CHECK(stat("/tmp-ut-console", &st) == 0 && st.type == T_DEV);
	CHECK((fd = open("/tmp-ut-console", O_WRONLY)) >= 0);
	CHECK(write(fd, "", 0) == 0);
	close(fd);
	CHECK(unlink("/tmp-ut-console") == 0);
	return 0;
}

static int sys_sbrk_up_and_down(void)
{
	char *a = sbrk(0), *b;

	CHECK(sbrk(3 * 4096 + 100) == a);
	b = sbrk(0);
	CHECK(b == a + 3 * 4096 + 100);
	a[0] = 1;
	b[-1] = 2;
	CHECK(sbrk(-(3 * 4096 + 100)) == b);
	CHECK(sbrk(0) == a);
	int pid = fork();
	if (pid == 0) {
		*(volatile char *)(b - 1) = 3;	/* freed: the access kills */
		exit();
	}
	CHECK(wait_status(pid) == -1);
	CHECK(sbrk(0x7fffffff) == (char *)-1);
	CHECK(sbrk(-0x7fffffff - 1) == (char *)-1);	/* no wrap below the heap */
	CHECK(sbrk(-(int)(unsigned)sbrk(0) - 1) == (char *)-1);
	CHECK(sbrk(0) == a);
	pid = fork();
	if (pid == 0)
		exit2(5);
	CHECK(waitpid(pid, (int *)0xc0000000, 0) == -1);	/* bad status pointer... */
	CHECK(wait_status(pid) == 5);			/* ...and the child is still there */
	return 0;
}

/*
 * Memory runs out where a program can see it: malloc returns 0 (sbrk -1)
 * once the commit limit is reached, and nothing is killed later at a page
 * fault. In a child, so the parent's heap stays small: take 64 KiB blocks,
 * writing every page, until malloc fails; free them all; take them again.
 */
static int mem_malloc_until_it_fails_then_again(void)
{
	int free_kib, pid;

	sysinfo(SI_SHRINK, 0, 0);		/* slab pages kept for reuse count as used */
	CHECK((free_kib = mem_free_kib()) > 0);
	pid = fork();
	if (pid == 0) {
		int again, n = memhog_twice(&again);

		if (n * 64 < free_kib / 2)		/* failed long before memory ran out */
			exit2(2);
		exit2(again == n ? 0 : 3);
	}
	CHECK(pid > 0);
	CHECK(wait_status(pid) == 0);
	sysinfo(SI_SHRINK, 0, 0);
	CHECK(mem_free_kib() >= free_kib - 64);	/* and all of it came back */
	return 0;
}

/*
 * A process that has committed all that is left can still exec: the old
 * image's commitment is given back when the new one takes over, so it is
 * not counted twice while exec builds the new one (whose data needs some).
 */
static int mem_big_process_can_exec(void)
{
	int room = sysinfo_figure(SI_MEM, "commit-limit") - sysinfo_figure(SI_MEM, "committed");
	int pid;

	CHECK(room > 4096);
	if ((pid = fork()) == 0) {
		char *argv[] = { "true", 0 };
		if (sbrk(room * 1024) == (char *)-1)	/* all of it (fork's copies are free) */
			exit2(2);
		if (sbrk(4096) != (char *)-1)		/* and truly all */
			exit2(3);
		exec("/bin/true", argv);
		exit2(77);				/* exec refused */
	}
	CHECK(pid > 0);
	CHECK(wait_status(pid) == 0);
	return 0;
}

/* Time asleep is idle time: SI_CPU counts it, and busy_cycles leaves it out. */
static int sys_idle_time_is_counted(void)
{
	struct pagoda_cpu a, b;
	unsigned long long t0, t1, busy0, busy1;
	unsigned lo, hi;

	CHECK(sysinfo(SI_CPU, &a, sizeof(a)) == sizeof(a));
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	t0 = ((unsigned long long)hi << 32) | lo;
	busy0 = busy_cycles();
	CHECK(sleep(5) == 0);			/* nothing else runs: the CPU halts */
	busy1 = busy_cycles();
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	t1 = ((unsigned long long)hi << 32) | lo;
	CHECK(sysinfo(SI_CPU, &b, sizeof(b)) == sizeof(b));
	CHECK(b.ticks >= a.ticks + 5);
	CHECK(b.idle_cycles > a.idle_cycles);
	/* most of the sleep was idle, and busy time is what is left */
	CHECK(b.idle_cycles - a.idle_cycles > (t1 - t0) / 2);
	CHECK(busy1 - busy0 < (t1 - t0) / 2);
	CHECK(sysinfo(SI_CPU, (void *)0xc0000000, sizeof(a)) == -1);
	return 0;
}

/* poweroff without both magic numbers does nothing (make test powers off for real elsewhere). */
static int sys_poweroff_wants_its_magic(void)
{
	CHECK(poweroff(0, 0) == -1);
	CHECK(poweroff(POWEROFF_MAGIC1, 0) == -1);
	CHECK(poweroff(0, POWEROFF_MAGIC2) == -1);
	CHECK(poweroff(POWEROFF_MAGIC2, POWEROFF_MAGIC1) == -1);
	return 0;
}

static int sys_mmap_shared_and_private(void)
{
	int *sh = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED);
	int *pv = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	CHECK(sh != (int *)-1 && pv != (int *)-1);
	CHECK(((unsigned)sh & 0x3fffff) == 0);	/* shared: on a 4 MiB boundary */
	sh[0] = 1;
	pv[0] = 1;
	int pid = fork();
	if (pid == 0) {
		sh[0] = 2;
		sh[1024] = 3;
		pv[0] = 4;
		exit();
	}
	CHECK(wait_status(pid) == 0);
	CHECK(sh[0] == 2 && sh[1024] == 3);	/* the child's writes are seen */
	CHECK(pv[0] == 1);			/* private: not seen */
	CHECK(munmap(sh, 8192) == 0 && munmap(pv, 4096) == 0);
	CHECK(mmap(0, -1, PROT_READ, MAP_SHARED) == (void *)-1);
	return 0;
}

/* --- exec -------------------------------------------------------------------- */

/*
 * Try to run path in a child. The child marks its memory first; if exec
 * returns, it checks the marks are intact (the failed exec left the
 * caller as it was) and exits 77. So: 77 refused cleanly, 0 the program
 * ran (these programs exit 0), anything else a refusal that hurt.
 */
static int try_exec(char *path, char **argv)
{
	static int data_mark;
	int pid = fork(), stack_mark;

	if (pid == 0) {
		char *heap = sbrk(16);
		data_mark = 0x1234;
		stack_mark = 0x5678;
		heap[0] = 'h';
		exec(path, argv);
		exit2(data_mark == 0x1234 && stack_mark == 0x5678 && heap[0] == 'h' ? 77 : 78);
	}
	return pid < 0 ? -1000 : wait_status(pid);
}

/*
 * The malformed-executable corpus in /fixtures/elf (tools/mkelfcorpus.py):
 * good-* must run, each bad-* must be refused with its caller intact. The
 * good one runs first, so a wrong success cannot hide behind a copy that
 * was broken from the start.
 */
static int exec_malformed_files_fail_cleanly(void)
{
	static struct pagoda_dirent de[64];
	char *argv[] = { "corpus", 0 }, path[300];
	int fd = open("/fixtures/elf", O_RDONLY), n, good = 0, bad = 0;

	CHECK(fd >= 0);
	n = getdents(fd, de, sizeof(de));
	close(fd);
	CHECK(n > 0);
	for (int pass = 0; pass < 2; pass++)		/* the good ones first */
		for (int i = 0; i < n / (int)sizeof(de[0]); i++) {
			int want_good = !strncmp(de[i].name, "good-", 5), status;
			if (want_good != (pass == 0) || (strncmp(de[i].name, "bad-", 4) && !want_good))
				continue;
			strcpy(path, "/fixtures/elf/");
			strcpy(path + strlen(path), de[i].name);
			status = try_exec(path, argv);
			if (status != (want_good ? 0 : 77)) {
				printf(1, "utest: # %s: status %d\n", de[i].name, status);
				why = want_good ? "a good executable did not run" :
						  "a bad executable was not refused cleanly";
				return 1;
			}
			good += want_good;
			bad += !want_good;
		}
	CHECK(good >= 1 && bad >= 20);
	CHECK(try_exec("/fixtures/elf", argv) == 77);	/* a directory */
	CHECK(try_exec("/nonexistent", argv) == 77);
	CHECK(try_exec("/README", argv) == 77);		/* text */
	CHECK(try_exec("/dev/console", argv) == 77);	/* a device: never read from */
	return 0;
}

static int run(const char *prog, char *a1, char *a2)
{
	char *argv[] = { (char *)prog, a1, a2, 0 };
	char path[64];
	int pid = fork();

	if (pid == 0) {
		snprintf(path, sizeof(path), "/bin/%s", prog);
		exec(path, argv);
		exit2(99);
	}
	return wait_status(pid);
}

/* Run /bin/prog a1 a2 with its output in out (NUL-ended); its exit status. */
static int output_of(const char *prog, char *a1, char *a2, char *out, int size)
{
	char *argv[] = { (char *)prog, a1, a2, 0 };
	char path[64];
	int p[2], pid, n, got = 0;

	if (pipe(p) < 0)
		return -1000;
	if ((pid = fork()) == 0) {
		close(1);
		dup(p[1]);
		close(p[0]);
		close(p[1]);
		snprintf(path, sizeof(path), "/bin/%s", prog);
		exec(path, argv);
		exit2(99);
	}
	close(p[1]);
	while ((n = read(p[0], out + got, size - 1 - got)) > 0)
		got += n;
	close(p[0]);
	out[got] = '\0';
	return wait_status(pid);
}

/* The numbers on the line of out that starts with head, into v; how many. */
static int numbers_after(const char *out, const char *head, int *v, int max)
{
	int len = strlen(head), n = 0;

	for (const char *s = out; *s; s++)
		if ((s == out || s[-1] == '\n') && !strncmp(s, head, len)) {
			for (s += len; *s && *s != '\n' && n < max; ) {
				while (*s == ' ')
					s++;
				if (*s < '0' || *s > '9')
					break;
				v[n++] = atoi(s);
				while (*s >= '0' && *s <= '9')
					s++;
			}
			return n;
		}
	return 0;
}

/* free and vmstat print what their Linux namesakes print, and the sums hold. */
static int tool_free_and_vmstat_look_like_linux(void)
{
	static char out[4096];
	int v[20], total = sysinfo_figure(SI_MEM, "total");

	CHECK(output_of("free", 0, 0, out, sizeof(out)) == 0);
	CHECK(!strncmp(out, "              total        used        free      shared  "
		       "buff/cache   available\n", 80));
	CHECK(numbers_after(out, "Mem:", v, 20) == 6);
	CHECK(v[0] == total && v[0] == v[1] + v[2] + v[4] && v[5] == v[2] + v[4]);
	CHECK(numbers_after(out, "Swap:", v, 20) == 3);
	CHECK(output_of("free", "-m", 0, out, sizeof(out)) == 0);
	CHECK(numbers_after(out, "Mem:", v, 20) == 6 && v[0] == total >> 10);
	CHECK(output_of("free", "-x", 0, out, sizeof(out)) == 2);
	CHECK(output_of("vmstat", 0, 0, out, sizeof(out)) == 0);
	CHECK(!strncmp(out, "procs -----------memory---------- ---swap-- -----io---- -system-- "
		       "------cpu-----\n r  b   swpd   free   buff  cache   si   so    bi    bo"
		       "   in   cs us sy id wa st\n", 162));
	CHECK(numbers_after(out + 162, "", v, 20) == 17);
	CHECK(v[0] >= 1 && v[12] + v[13] + v[14] == 100);	/* us + sy + id */
	CHECK(output_of("vmstat", "1", "2", out, sizeof(out)) == 0);
	int lines = 0;
	for (char *s = out; *s; s++)
		lines += *s == '\n';
	CHECK(lines == 4);
	CHECK(output_of("vmstat", "-s", 0, out, sizeof(out)) == 0);
	CHECK(numbers_after(out, "tlb-invlpg", v, 1) == 1);
	CHECK(numbers_after(out, "  demand-zero", v, 1) == 1);
	CHECK(output_of("vmstat", "0", 0, out, sizeof(out)) == 2);
	return 0;
}

static int fork_depth_programs(void)
{
	CHECK(run("forktree", "4", "3") == 0);
	CHECK(run("forkchain", "30", 0) == 0);
	CHECK(run("execchain", "12", 0) == 0);
	return 0;
}

/* The desktop-shaped tree: sh -> sh -> xinit -> wm -> terminal -> sh -> pstree. */
static int fork_desktop_tree(void)
{
	static char out[2048];
	int p[2], pid, n, got = 0;

	CHECK(pipe(p) == 0);
	if ((pid = fork()) == 0) {
		char *argv[] = { "sh", "/etc/desktop.sh", 0 };
		close(1);
		dup(p[1]);
		close(p[0]);
		close(p[1]);
		exec("/bin/sh", argv);
		exit2(1);
	}
	close(p[1]);
	while ((n = read(p[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	close(p[0]);
	out[got] = '\0';
	CHECK(wait_status(pid) == 0);
	int found = 0;
	for (char *s = out; *s; s++)
		found |= !strncmp(s, "sh---sh---xinit---wm---terminal---sh---pstree", 45);
	CHECK(found);
	return 0;
}

/* In a child of its own: fork until refused, then let every child go. */
static void fork_bomb(void)
{
	int p[2], n = 0, reaped = 0, pid = 0;

	if (pipe(p) < 0)
		exit2(2);
	while (n < 30000 && (pid = fork()) >= 0) {
		if (pid == 0) {			/* wait for the parent to let go */
			char c;
			close(p[1]);
			read(p[0], &c, 1);
			exit();
		}
		n++;
	}
	close(p[1]);				/* every child sees end of file */
	close(p[0]);
	while (wait() > 0)
		reaped++;
	printf(1, "utest: # %d processes at once before fork said no\n", n + 1);
	exit2(pid < 0 && reaped == n ? 0 : 3);
}

/* Fork until the kernel says no; everything must come back afterwards. */
static int fork_until_out_of_memory(void)
{
	int before, after, pid, status[2];

	/*
	 * The first run may leave caches grown for good: measure the second.
	 * mem_free_kib runs once first, so that the stack it uses is there
	 * before anything is counted.
	 */
	mem_free_kib();
	for (int k = 0; k < 2; k++) {
		if (k == 1) {
			sysinfo(SI_SHRINK, 0, 0);
			before = mem_free_kib();
				}
		if ((pid = fork()) == 0)
			fork_bomb();
		status[k] = wait_status(pid);
	}
	sysinfo(SI_SHRINK, 0, 0);
	after = mem_free_kib();
	printf(1, "utest: # %d KiB free before, %d after; bombs ended %d, %d\n", before, after,
	       status[0], status[1]);
	CHECK(status[0] == 0 && status[1] == 0);	/* fork said no; all reaped */
	CHECK(after == before);				/* every page came back */
	return 0;
}

static const struct {
	int (*fn)(void);
	const char *name;
} tests[] = {
	{ proc_fork_wait_status, "proc.fork_wait_status" },
	{ proc_getpid_getppid, "proc.getpid_getppid" },
	{ proc_orphans_reparented, "proc.orphans_reparented" },
	{ proc_kill_sleeper, "proc.kill_sleeper" },
	{ proc_kill_spinner_then_sleep, "proc.kill_spinner_then_sleep" },
	{ proc_fault_kills_only_the_faulter, "proc.fault_kills_only_the_faulter" },
	{ proc_v86_mode_is_killed, "proc.v86_mode_is_killed" },
	{ cow_kernel_writes_after_fork, "cow.kernel_writes_after_fork" },
	{ pipe_many_bytes, "pipe.many_bytes" },
	{ pipe_broken, "pipe.broken" },
	{ file_create_write_read, "file.create_write_read" },
	{ file_dirs_links_rename, "file.dirs_links_rename" },
	{ file_read_dir_gives_xv6_entries, "file.read_dir_gives_xv6_entries" },
	{ file_directory_opens_only_to_read, "file.directory_opens_only_to_read" },
	{ file_removed_cwd_stays_removed, "file.removed_cwd_stays_removed" },
	{ file_dir_read_too_small_fails, "file.dir_read_too_small_fails" },
	{ file_read_into_bad_buffer_loses_nothing, "file.read_into_bad_buffer_loses_nothing" },
	{ file_in_use_after_unlink_freed_at_shutdown,
	  "file.in_use_after_unlink_freed_at_shutdown" },
	{ file_sync_reaches_disk, "file.sync_reaches_disk" },
	{ sys_bad_pointers, "sys.bad_pointers" },
	{ sys_every_call_refuses_bad_arguments, "sys.every_call_refuses_bad_arguments" },
	{ file_dup_and_devices, "file.dup_and_devices" },
	{ sys_sbrk_up_and_down, "sys.sbrk_up_and_down" },
	{ sys_idle_time_is_counted, "sys.idle_time_is_counted" },
	{ mem_big_process_can_exec, "mem.big_process_can_exec" },
	{ sys_poweroff_wants_its_magic, "sys.poweroff_wants_its_magic" },
	{ tool_free_and_vmstat_look_like_linux, "tool.free_and_vmstat_look_like_linux" },
	{ mem_malloc_until_it_fails_then_again, "mem.malloc_until_it_fails_then_again" },
	{ sys_mmap_shared_and_private, "sys.mmap_shared_and_private" },
	{ exec_malformed_files_fail_cleanly, "exec.malformed_files_fail_cleanly" },
	{ fork_depth_programs, "fork.depth_programs" },
	{ fork_desktop_tree, "fork.desktop_tree" },
	{ fork_until_out_of_memory, "fork.until_out_of_memory" },
};

/* Is the test named name asked for: no prefixes given, or one it starts with? */
static int chosen(const char *name, int argc, char *argv[])
{
	for (int i = 1; i < argc; i++)
		if (!strncmp(name, argv[i], strlen(argv[i])))
			return 1;
	return argc < 2;
}

int main(int argc, char *argv[])
{
	int passed = 0, failed = 0, n = sizeof(tests) / sizeof(tests[0]);
	int p[2], planned = 0;

	for (int i = 0; i < n; i++)
		planned += chosen(tests[i].name, argc, argv);
	printf(1, "utest: PLAN %d\n", planned);
	for (int i = 0; i < n; i++) {
		char msg[128];
		int pid, status, got;

		if (!chosen(tests[i].name, argc, argv))
			continue;
		pipe(p);
		pid = fork();
		if (pid == 0) {			/* run it alone; send back why it failed */
			close(p[0]);
			int r = tests[i].fn();
			if (r && why)
				write(p[1], why, strlen(why));
			exit2(r);
		}
		close(p[1]);
		memset(msg, 0, sizeof(msg));
		got = read(p[0], msg, sizeof(msg) - 1);
		close(p[0]);
		status = wait_status(pid);
		while (waitpid(-1, 0, 1) > 0)	/* orphans the test left to us */
			;
		if (status == 0) {
			passed++;
			printf(1, "utest: PASS %s\n", tests[i].name);
		} else {
			failed++;
			printf(1, "utest: FAIL %s %s (status %d)\n", tests[i].name,
			       got > 0 ? msg : "crashed", status);
		}
	}
	printf(1, "utest: kernel stacks used at most %d bytes\n",
	       sysinfo_figure(SI_MEM, "kstack-max-used"));
	printf(1, "utest: DONE passed=%d failed=%d\n", passed, failed);
	exit2(failed);
}
