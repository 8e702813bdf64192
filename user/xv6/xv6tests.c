/*
 * user/xv6/xv6tests.c: Pagoda seen by a program built the way xv6 builds
 * its own: xv6's headers (xv6.h), xv6's system-call entry points (usys.S), and
 * `ld -N -e main -Ttext 0`, which makes one RWX segment at address 0 whose
 * file offset is not a multiple of the page size. make test runs it as
 * init at two memory sizes (tests/run.py, xv6_tests):
 *
 *     xv6tests MiB           run every test; MiB is the machine's memory
 *     xv6tests echo-args ... print the arguments (the argv test's child)
 *
 * It prints `xv6: PLAN n`, one `xv6: PASS name` or `xv6: FAIL name (why)`
 * per test, and `xv6: DONE`. xv6's exit carries no status, so the lines
 * are the result.
 */
#include "user/xv6/xv6.h"

static const char *why;
static int why_line;

#define CHECK(c)							\
	do {								\
		if (!(c)) {						\
			why = #c;					\
			why_line = __LINE__;				\
			return 1;					\
		}							\
	} while (0)

int main(int argc, char **argv);

static char *self;		/* argv[0] */
static int mem_mib;		/* the machine's memory, from argv[1] */

static int initialised = 0x5eed1234;
static char zeroes[64 * 1024];

static uint le32(const uchar *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint)p[3] << 24;
}

/* This file is in xv6's layout (so exec copied it), and it was loaded whole. */
static int layout(void)
{
	static uchar h[1024];		/* the ELF header and program headers */
	int fd, xv6_segment = 0, n;

	CHECK((fd = open(self, O_RDONLY)) >= 0);
	n = read(fd, h, sizeof(h));
	close(fd);
	CHECK(n == sizeof(h) && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F');
	CHECK(le32(h + 24) == (uint)main);		/* -e main */
	for (int i = 0; i < (h[44] | h[45] << 8); i++) {
		uint off = le32(h + 28) + i * (h[42] | h[43] << 8);
		CHECK(off + 32 <= sizeof(h));
		/* PT_LOAD at 0, its file offset not on a page, aligned below a page */
		if (le32(h + off) == 1 && le32(h + off + 8) == 0 &&
		    le32(h + off + 4) % 4096 != 0 && le32(h + off + 28) < 4096)
			xv6_segment = 1;
	}
	CHECK(xv6_segment);
	CHECK(initialised == 0x5eed1234);
	for (uint i = 0; i < sizeof(zeroes); i++)
		CHECK(zeroes[i] == 0);
	initialised = 1;			/* data is writable */
	zeroes[sizeof(zeroes) - 1] = 1;
	CHECK(initialised == 1 && zeroes[sizeof(zeroes) - 1] == 1);
	return 0;
}

/* exec passes argv as xv6 lays it out, empty strings and spaces included. */
static int argv_passing(void)
{
	char *args[] = { self, "echo-args", "one", "", "three four", 0 };
	char got[256], want[256];
	int p[2], pid, n = 0, r;

	CHECK(pipe(p) == 0);
	CHECK((pid = fork()) >= 0);
	if (pid == 0) {
		close(1);
		dup(p[1]);
		close(p[0]);
		close(p[1]);
		exec(self, args);
		printf(2, "xv6tests: exec %s failed\n", self);
		exit();
	}
	close(p[1]);
	while (n < (int)sizeof(got) - 1 && (r = read(p[0], got + n, sizeof(got) - 1 - n)) > 0)
		n += r;
	got[n] = 0;
	close(p[0]);
	CHECK(wait() == pid);
	strcpy(want, "5:");
	strcpy(want + strlen(want), self);
	strcpy(want + strlen(want), "|echo-args|one||three four|end\n");
	CHECK(strcmp(got, want) == 0);
	return 0;
}

static void echo_args(int argc, char **argv)
{
	printf(1, "%d:", argc);
	for (int i = 0; i < argc; i++)
		printf(1, "%s|", argv[i]);
	printf(1, "%s\n", argv[argc] == 0 ? "end" : "no-null");
}

/*
 * xv6's usertests "mem", made stricter: allocate until malloc returns 0,
 * writing every page (so nothing is left to fail at a fault), free it all,
 * allocate as much again, then free and take a 20 KiB block as xv6 does.
 * In a child, as xv6 does, so the parent's heap stays small.
 */
static int malloc_until_it_fails_then_again(void)
{
	int pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		int again, n = memhog_twice(&again), fd;
		void *b;

		/* at least half the machine, the same again, and then 20 KiB */
		if (n / 16 >= mem_mib / 2 && again == n && (b = malloc(20 * 1024))) {
			fd = open("/xv6-mem-ok", O_CREATE | O_RDWR);
			close(fd);
		} else {
			printf(1, "xv6tests: %d blocks of 64 KiB, then %d (of %d MiB)\n", n, again,
			       mem_mib);
		}
		exit();
	}
	CHECK(wait() == pid);
	CHECK(unlink("/xv6-mem-ok") == 0);	/* the child got that far */
	return 0;
}

/* sbrk returns the old end; grows and shrinks; fails with -1 and harms nothing. */
static int sbrk_grows_shrinks_and_fails(void)
{
	char *a = sbrk(0), *b;

	CHECK(sbrk(1024 * 1024) == a);
	b = sbrk(0);
	CHECK(b == a + 1024 * 1024);
	b[-1] = 'x';
	a[0] = 'y';
	CHECK(sbrk(-1024 * 1024) == b);
	CHECK(sbrk(0) == a);
	CHECK(sbrk(0x7ff00000) == (char *)-1);
	CHECK(sbrk(0) == a);
	return 0;
}

/* A directory opens only to be read: not with O_CREATE, not to write. */
static int directory_opens_only_to_read(void)
{
	int fd;

	CHECK(mkdir("/xv6-dir") == 0);
	CHECK(open("/xv6-dir", O_CREATE) < 0);
	CHECK(open("/xv6-dir", O_CREATE | O_RDWR) < 0);
	CHECK(open("/xv6-dir", O_RDWR) < 0);
	CHECK(open("/xv6-dir", O_WRONLY) < 0);
	CHECK((fd = open("/xv6-dir", O_RDONLY)) >= 0);
	close(fd);
	CHECK(unlink("/xv6-dir") == 0);
	return 0;
}

/* read() of a directory gives 16-byte xv6 entries with the right inode numbers. */
static int read_dir_as_xv6_entries(void)
{
	struct dirent de;
	struct stat st, a, bb;
	int fd, seen = 0, r;

	CHECK(mkdir("/xv6-d") == 0);
	CHECK((fd = open("/xv6-d/a", O_CREATE | O_RDWR)) >= 0);
	close(fd);
	CHECK((fd = open("/xv6-d/bb", O_CREATE | O_RDWR)) >= 0);
	close(fd);
	CHECK(stat("/xv6-d/a", &a) == 0 && stat("/xv6-d/bb", &bb) == 0 && a.ino != bb.ino);
	CHECK((fd = open("/xv6-d", O_RDONLY)) >= 0);
	CHECK(fstat(fd, &st) == 0 && st.type == T_DIR);
	while ((r = read(fd, &de, sizeof(de))) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		if (strcmp(de.name, ".") == 0 && de.inum == st.ino)
			seen |= 1;
		if (strcmp(de.name, "..") == 0)
			seen |= 2;
		if (strcmp(de.name, "a") == 0 && de.inum == a.ino)
			seen |= 4;
		if (strcmp(de.name, "bb") == 0 && de.inum == bb.ino)
			seen |= 8;
	}
	close(fd);
	CHECK(r == 0);				/* whole records, then the end */
	CHECK(seen == 15);
	CHECK(unlink("/xv6-d/a") == 0 && unlink("/xv6-d/bb") == 0 && unlink("/xv6-d") == 0);
	return 0;
}

/* struct stat's fields where xv6 has them; link counts. */
static int stat_fields_and_links(void)
{
	struct stat st, st2;
	char buf[100];
	int fd;

	memset(buf, 'z', sizeof(buf));
	CHECK((fd = open("/xv6-f", O_CREATE | O_RDWR)) >= 0);
	CHECK(write(fd, buf, sizeof(buf)) == sizeof(buf));
	CHECK(fstat(fd, &st) == 0);
	close(fd);
	CHECK(st.type == T_FILE && st.size == 100 && st.nlink == 1);
	CHECK(link("/xv6-f", "/xv6-g") == 0);
	CHECK(stat("/xv6-g", &st2) == 0 && st2.ino == st.ino && st2.nlink == 2);
	CHECK(unlink("/xv6-f") == 0);
	CHECK(stat("/xv6-g", &st2) == 0 && st2.nlink == 1 && st2.size == 100);
	CHECK(unlink("/xv6-g") == 0);
	CHECK(stat("/xv6-g", &st2) < 0);
	return 0;
}

/* fork twenty, wait for each exactly once, then wait says there are none. */
static int fork_and_wait(void)
{
	int pids[20], found = 0, pid;

	for (int i = 0; i < 20; i++) {
		CHECK((pids[i] = fork()) >= 0);
		if (pids[i] == 0)
			exit();
	}
	while ((pid = wait()) >= 0)
		for (int i = 0; i < 20; i++)
			if (pids[i] == pid) {
				pids[i] = 0;
				found++;
			}
	CHECK(found == 20);
	return 0;
}

static const struct {
	int (*fn)(void);
	const char *name;
} tests[] = {
	{ layout, "xv6.layout_is_loaded_by_copying" },
	{ argv_passing, "xv6.argv_passing" },
	{ malloc_until_it_fails_then_again, "xv6.malloc_until_it_fails_then_again" },
	{ sbrk_grows_shrinks_and_fails, "xv6.sbrk_grows_shrinks_and_fails" },
	{ directory_opens_only_to_read, "xv6.directory_opens_only_to_read" },
	{ read_dir_as_xv6_entries, "xv6.read_dir_as_xv6_entries" },
	{ stat_fields_and_links, "xv6.stat_fields_and_links" },
	{ fork_and_wait, "xv6.fork_and_wait" },
};

int main(int argc, char **argv)
{
	int n = sizeof(tests) / sizeof(tests[0]), failed = 0;

	self = argv[0];
	if (argc >= 2 && strcmp(argv[1], "echo-args") == 0) {
		echo_args(argc, argv);
		exit();
	}
	mem_mib = argc >= 2 ? atoi(argv[1]) : 0;
	printf(1, "xv6: PLAN %d\n", n);
	for (int i = 0; i < n; i++) {
		why = 0;
		if (tests[i].fn() == 0) {
			printf(1, "xv6: PASS %s\n", tests[i].name);
		} else {
			printf(1, "xv6: FAIL %s (%s, line %d)\n", tests[i].name, why, why_line);
			failed++;
		}
	}
	printf(1, "xv6: DONE %d passed, %d failed\n", n - failed, failed);
	exit();
}
