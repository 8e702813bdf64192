/*
 * user/faultsweep.c: fork, exec and write, each with the kernel's N-th
 * page or slab allocation, block allocation or disk request made to fail
 * (the faultinj call; the kernel must be booted with fault_inject), for
 * N = 1, 2, ... until the operation no longer reaches the N-th.
 *
 * Each step runs in a child of its own (a failure may fall on one of its
 * own page faults, and that kills it: the right outcome, but not one the
 * sweeper could survive). The operation must succeed, or fail cleanly
 * (-1 with the caller intact), or the child be killed; what the caller
 * sees must be consistent (a child forked exits as told, a write's size
 * is what write said); and after each step every page must be back.
 * Prints one line per operation and point, then
 *     faultsweep: S steps, E failed, P problems, unused K KiB before, K after
 * and exits 0 if there was no problem and no less memory unused at the
 * end than at the start. The harness then runs e2fsck.
 */
#include "user/user.h"

#define NSWEEP	3000

static const char *const points[] = { "page", "slab", "block", "disk" };
static int problems;

/* What a step's child reports, in a page it shares with the sweeper. */
static struct report {
	int done;		/* the operation got through */
	int error;		/* it failed (cleanly) */
	int failed;		/* failures made while armed; -1: it did not disarm */
	const char *problem;	/* what was inconsistent, or 0 */
} *rep;

static int wait_status(int pid)
{
	int status = -1;

	return waitpid(pid, &status, 0) == pid ? status : -1000;
}

/* fork: the grandchild exits 5; a failed fork is -1. */
static void op_fork(const char *point, int n)
{
	int pid;

	faultinj(point, n, 0);
	pid = fork();
	if (pid == 0)
		exit2(5);
	rep->failed = faultinj(point, 0, 0);
	rep->error = pid < 0;
	rep->done = pid > 0;
	if (pid > 0 && wait_status(pid) != 5)
		rep->problem = "the forked child did not exit 5";
}

/*
 * exec /bin/echo: if it works, echo exits 0 and reports nothing; if it
 * fails, the caller must be intact.
 */
static void op_exec(const char *point, int n)
{
	static int mark;
	char *argv[] = { "echo", 0 };

	close(1);				/* echo says nothing visible */
	mark = 0x55;
	faultinj(point, n, 0);
	exec("/bin/echo", argv);
	rep->failed = faultinj(point, 0, 0);
	rep->error = 1;
	if (mark != 0x55)
		rep->problem = "a failed exec changed the caller";
}

/* write 12 KiB at 1000 of /sweep: fstat must say what write said. */
static void op_write(const char *point, int n)
{
	static char data[3 * 4096];
	struct stat st;
	int fd, r;

	for (int i = 0; i < (int)sizeof(data); i++)
		data[i] = i * 7;
	faultinj(point, n, 0);
	fd = open("/sweep", O_CREATE | O_WRONLY);
	r = fd < 0 ? -1 : lseek(fd, 1000, SEEK_SET) == 1000 ? write(fd, data, sizeof(data)) : -1;
	rep->failed = faultinj(point, 0, 0);
	rep->error = r != (int)sizeof(data);
	rep->done = !rep->error;
	if (fd >= 0 && fstat(fd, &st) == 0 && r >= 0 && st.size != 1000u + r)
		rep->problem = "the size is not what write wrote";
	close(fd);
	unlink("/sweep");
}

static const struct {
	const char *name;
	void (*op)(const char *point, int n);
} ops[] = { { "fork", op_fork }, { "exec", op_exec }, { "write", op_write } };

/* Use 32 KiB of stack now, so that no page fault of its own needs a page while armed. */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char deep[32768];

	for (int i = 0; i < (int)sizeof(deep); i += 1024)
		deep[i] = 0;
}

/*
 * One step: op with failure n of point, in a child. Returns whether the
 * operation got through with no failure made (the sweep is over); sets
 * *error if it failed or the child was killed.
 */
static int step(int k, const char *point, int n, int *error)
{
	int pid, status, failed;

	memset(rep, 0, sizeof(*rep));
	rep->failed = -1;
	if ((pid = fork()) == 0) {
		prefault_stack();
		rep->done = 0;			/* its own page, before the point is armed */
		ops[k].op(point, n);
		exit2(0);
	}
	status = wait_status(pid);
	while (wait() > 0)			/* a grandchild left to us (its parent died) */
		;
	/* failures since the child disarmed, or since arming if it never did */
	failed = faultinj(point, 0, 0) + (rep->failed > 0 ? rep->failed : 0);
	if (ops[k].op == op_exec && status == 0 && !rep->error)
		rep->done = 1;			/* echo ran */
	*error = rep->error || status == -1;
	if (rep->problem || (status != 0 && status != -1)) {
		printf(1, "faultsweep: %s, %s@%d: %s (status %d)\n", ops[k].name, point, n,
		       rep->problem ? rep->problem : "the step failed", status);
		problems++;
	}
	return rep->done && status == 0 && failed == 0;
}

int main(void)
{
	int start, before, after, steps = 0, errors = 0;

	if (faultinj("page", 0, 0) < 0) {
		printf(1, "faultsweep: the kernel was not booted with fault_inject\n");
		exit2(2);
	}
	rep = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED);
	if (rep == (void *)-1)
		exit2(2);
	/*
	 * Every page of the program, mapped now: a child sharing the tables
	 * then never reads one in, which would leave it in the page cache and
	 * look like a page lost.
	 */
	for (char *a = (char *)0x1000; a < sbrk(0); a += 4096)
		(void)*(volatile char *)a;
	for (int k = 0; k < 3; k++) {		/* warm every cache the operations use */
		int e;
		step(k, "page", 0, &e);
	}
	start = before = mem_unused_kib();
	for (int k = 0; k < 3; k++)
		for (int p = 0; p < 4; p++) {
			int n, failures = 0;
			for (n = 1; n < NSWEEP; n++) {
				int error, done = step(k, points[p], n, &error);
				failures += error;
				/*
				 * Less unused memory than before is a leak (looked at again
				 * after a moment, in case the kernel was busy); more is a
				 * cache the baseline still held, and the new baseline.
				 */
				int u = mem_unused_kib();
				if (u < before && (sleep(2), u = mem_unused_kib()) < before) {
					printf(1, "faultsweep: %s, %s@%d: %d KiB did not come back\n",
					       ops[k].name, points[p], n, before - u);
					problems++;
				}
				before = u;
				if (done)
					break;
			}
			printf(1, "faultsweep: %s, %s: %d steps, %d failed\n", ops[k].name,
			       points[p], n, failures);
			steps += n;
			errors += failures;
			if (n == NSWEEP) {
				printf(1, "faultsweep: %s, %s: never got through\n", ops[k].name,
				       points[p]);
				problems++;
			}
		}
	after = mem_unused_kib();
	printf(1, "faultsweep: %d steps, %d failed, %d problems, unused %d KiB before, %d after\n",
	       steps, errors, problems, start, after);
	exit2(problems || after < start);
}
