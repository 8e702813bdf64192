/*
 * user/wsbtest.c: the working-set bitmap's tests (wsb.*), run by make test
 * over the executables tools/mkwsbcorpus.py puts in /fixtures/wsb.
 *
 * Every executable there must run (exit 0), whatever its note holds; only
 * the well-formed, writable one may change, and only inside its note.
 * Then: many concurrent runs of one file leave a note the kernel still
 * reads; a run killed at once leaves one too. Prints "wsbtest: PASS NAME"
 * or "wsbtest: FAIL NAME: why" per check and "wsbtest: N passed, M failed".
 */
#include "user/spawn.h"

#define DIR	"/fixtures/wsb/"
#define MAXF	65536

static int passed, failed;
static char before[MAXF], after[MAXF];

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		passed++;
		printf(1, "wsbtest: PASS %s\n", name);
	} else {
		failed++;
		printf(1, "wsbtest: FAIL %s: %s\n", name, why);
	}
}

static int slurp(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY), n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, MAXF - n)) > 0)
		n += r;
	close(fd);
	return n;
}


static int fig(const char *name)
{
	return sysinfo_figure(SI_VM, name);
}

static void sysctl(const char *word)
{
	sysinfo(SI_SET, (char *)word, strlen(word));
}

/* The file offset and size of path's PT_NOTE (from its bytes in buf), or -1. */
static int note_of(const char *buf, int n, int *size)
{
	unsigned phoff = *(const unsigned *)(buf + 28);
	unsigned short phnum = *(const unsigned short *)(buf + 44);

	for (unsigned i = 0; i < phnum && phoff + 32 * (i + 1) <= (unsigned)n; i++) {
		const unsigned *ph = (const unsigned *)(buf + phoff + 32 * i);
		if (ph[0] == 4) {
			*size = ph[4];
			return ph[1];
		}
	}
	return -1;
}

/* Run a malformed or read-only one: it runs, and not a byte changes. */
static void untouched(const char *name, int ignored_more)
{
	char path[64], why[96];
	int n0, n1, ig = fig("wsb-ignored"), st;

	snprintf(path, sizeof(path), DIR "%s", name);
	n0 = slurp(path, before);
	st = spawn(path, "x");
	n1 = slurp(path, after);
	snprintf(why, sizeof(why), "exit %d, %d bytes before and %d after, ignored +%d", st, n0,
		 n1, fig("wsb-ignored") - ig);
	check(name, n0 > 0 && st == 0 && n0 == n1 && !memcmp(before, after, n0) &&
		    fig("wsb-ignored") - ig == ignored_more, why);
}

/* On a read-only root (tests/run.py makes one): prefetched, never written. */
static int readonly_fs(void)
{
	int pop = fig("pages-populated"), sk = fig("wsb-skipped"), up = fig("wsb-updates");

	sysctl("wsb_interval=0");
	untouched("readonly", 0);		/* (its page 1 is marked) */
	untouched("good", 0);
	check("wsb.readonly_fs_prefetches_and_never_writes", fig("pages-populated") > pop &&
	      fig("wsb-skipped") == sk + 2 && fig("wsb-updates") == up, "written, or no prefetch");
	printf(1, "wsbtest: %d passed, %d failed\n", passed, failed);
	exit2(failed != 0);
	return 0;
}

/* Update the good one's note over and over, writing it out each time, until
   the power is cut (tests/run.py): the disk must stay clean, the note whole. */
static int loop(void)
{
	sysctl("wsb_interval=0");
	printf(1, "wsbloop: started\n");
	for (int i = 0; i < 100000; i++) {
		spawn(DIR "good", "x");
		sync();
	}
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc > 1 && !strcmp(argv[1], "ro"))
		return readonly_fs();
	if (argc > 1 && !strcmp(argv[1], "loop"))
		return loop();
	static const char *const bad[] = { "bad-magic", "bad-version", "bad-policy", "bad-history",
					   "bad-keep", "bad-size", "truncated", "oversized",
					   "too-big", "plain" };
	char why[128];
	int size = 0, off, n0, n1, up, ex, pop, sk;

	sysctl("wsb_interval=0");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		untouched(bad[i], 0);			/* not ours: not even counted */
	untouched("both-torn", 1);			/* ours, but no copy is whole */
	/* one copy torn: the other is used, and the update repairs the torn one */
	ex = fig("wsb-execs");
	n0 = slurp(DIR "one-torn", before);
	check("wsb.one_torn_copy_falls_back", spawn(DIR "one-torn", "x") == 0 &&
	      fig("wsb-execs") == ex + 1 && slurp(DIR "one-torn", after) == n0, "not used");
	/* read-only: prefetched (its page 1 is marked), never written */
	pop = fig("pages-populated"), sk = fig("wsb-skipped");
	untouched("readonly", 0);
	check("wsb.readonly_still_prefetches", fig("pages-populated") > pop &&
	      fig("wsb-skipped") == sk + 1, "no prefetch, or it was written");
	/* the good one: rewritten, inside its note only */
	up = fig("wsb-updates");
	n0 = slurp(DIR "good", before);
	off = note_of(before, n0, &size);
	spawn(DIR "good", "x");
	n1 = slurp(DIR "good", after);
	int outside = 0, inside = 0;
	for (int i = 0; i < n0 && i < n1; i++) {
		if (before[i] == after[i])
			continue;
		if (i >= off && i < off + size)
			inside++;
		else
			outside++;
	}
	snprintf(why, sizeof(why), "%d bytes changed in the note, %d outside, size %d -> %d, "
		 "updates +%d", inside, outside, n0, n1, fig("wsb-updates") - up);
	check("wsb.update_writes_only_the_note", off > 0 && n0 == n1 && inside > 0 &&
	      outside == 0 && fig("wsb-updates") == up + 1, why);
	/* concurrent runs of one file: every one runs, and the note stays readable */
	int pids[8], ok = 1;
	for (int k = 0; k < 8; k++)
		if ((pids[k] = fork()) == 0) {
			char *argv[] = { DIR "good", "x", 0 };
			exec(DIR "good", argv);
			exit2(127);
		}
	for (int k = 0; k < 8; k++) {
		int st = -1;
		ok &= pids[k] > 0 && waitpid(pids[k], &st, 0) == pids[k] && st == 0;
	}
	int ig = fig("wsb-ignored");
	ex = fig("wsb-execs");
	ok &= spawn(DIR "good", "x") == 0;
	check("wsb.concurrent_execs_of_one_file", ok && fig("wsb-ignored") == ig &&
	      fig("wsb-execs") == ex + 1, "a run failed, or the note was left unreadable");
	/* killed at once: the exit still records, and the note stays readable */
	int pid = fork(), st = 0;
	if (pid == 0) {
		char *argv[] = { "/bin/sleep", "1000", 0 };
		exec("/bin/sleep", argv);
		exit2(127);
	}
	sleep(2);
	kill(pid);
	waitpid(pid, &st, 0);
	ig = fig("wsb-ignored");
	ex = fig("wsb-execs");
	check("wsb.exec_then_kill", st != 0 && spawn("/bin/sleep", "0") == 0 &&
	      fig("wsb-ignored") == ig && fig("wsb-execs") == ex + 1, "not readable after a kill");
	sysctl("wsb_interval=60");
	sync();
	printf(1, "wsbtest: %d passed, %d failed\n", passed, failed);
	exit2(failed != 0);
	return 0;
}
