/*
 * user/schedtest.c: the scheduler's promises, from user space (sched.*,
 * run by make test): a wakeup reaches exactly the task that waits for
 * what happened, however many others sleep; timers fire in the order of
 * their ticks; a kill ends any sleep; wait and waitpid reap exactly the
 * child asked for. Prints "schedtest: PASS NAME" or "FAIL NAME: why" and
 * "schedtest: N passed, M failed".
 */
#include "user/user.h"

#define PIPED	5		/* children on pipes of their own (16 files a process) */
#define CROWD	200		/* sleepers in sleep() meanwhile, woken by nobody */

static int passed, failed;

static void check(const char *name, int ok, const char *why)
{
	printf(1, ok ? "schedtest: PASS %s\n" : "schedtest: FAIL %s: %s\n", name, why);
	if (ok)
		passed++;
	else
		failed++;
}

static unsigned wakeups(void)
{
	struct pagoda_cpu c;

	memset(&c, 0, sizeof(c));
	sysinfo(SI_CPU, &c, sizeof(c));
	return c.wakeups;
}

/* Each of PIPED children waits on its own pipe; the parent writes to them in
   a scrambled order, and each answers with its number on a shared pipe. */
static void exact_wakeups(void)
{
	int in[PIPED][2], out[2], crowd[CROWD], wrong = 0, most = 0;
	char why[96];

	for (int i = 0; i < CROWD; i++)
		if ((crowd[i] = fork()) == 0) {
			sleep(1000000000);
			exit2(0);
		}
	pipe(out);
	for (int i = 0; i < PIPED; i++) {
		pipe(in[i]);
		if (fork() == 0) {
			char c;
			close(in[i][1]);
			if (read(in[i][0], &c, 1) == 1)
				write(out[1], (char[]){ (char)('0' + i) }, 1);
			exit2(0);
		}
		close(in[i][0]);
	}
	sleep(5);				/* everyone asleep */
	for (int k = 0; k < PIPED; k++) {
		int i = (k * 3) % PIPED;	/* 0, 3, 1, 4, 2 */
		char c = 0;
		unsigned w0 = wakeups();
		write(in[i][1], "x", 1);
		read(out[0], &c, 1);
		unsigned w = wakeups() - w0;
		wrong += c != '0' + i;
		if (w > (unsigned)most)
			most = w;
	}
	for (int i = 0; i < PIPED; i++)
		close(in[i][1]);
	for (int i = 0; i < CROWD; i++)
		kill(crowd[i]);
	while (wait() > 0)
		;
	close(out[0]);
	close(out[1]);
	snprintf(why, sizeof(why), "%d answers from the wrong child; at most %d wakeups a round",
		 wrong, most);
	/* a round: the child woken by the write, the parent by the answer */
	check("sched.wakeups_reach_only_their_waiters", wrong == 0 && most <= 3, why);
}

static void timers_in_order(void)
{
	static const int ticks[] = { 40, 10, 30, 20, 70, 50, 60, 5 };
	int out[2], last = -1, order = 1;
	char why[64] = "";

	pipe(out);
	for (int i = 0; i < 8; i++)
		if (fork() == 0) {
			sleep(ticks[i]);
			write(out[1], (char[]){ (char)ticks[i] }, 1);
			exit2(0);
		}
	for (int i = 0; i < 8; i++) {
		char c;
		read(out[0], &c, 1);
		order &= c > last;
		last = c;
	}
	while (wait() > 0)
		;
	close(out[0]);
	close(out[1]);
	snprintf(why, sizeof(why), "woken out of the order of their ticks");
	check("sched.timers_fire_in_order", order, why);
}

static void kill_ends_sleeps(void)
{
	int p[2], a, b, sa = 0, sb = 0;

	pipe(p);
	if ((a = fork()) == 0) {
		sleep(1000000000);
		exit2(0);
	}
	if ((b = fork()) == 0) {
		char c;
		read(p[0], &c, 1);		/* no one will write */
		exit2(0);
	}
	sleep(2);
	int t0 = uptime();
	kill(a);
	kill(b);
	int ra = waitpid(a, &sa, 0), rb = waitpid(b, &sb, 0);
	close(p[0]);
	close(p[1]);
	check("sched.kill_ends_any_sleep", ra == a && rb == b && sa != 0 && sb != 0 &&
	      uptime() - t0 < 50, "a killed sleeper did not end at once");
}

static void wait_reaps_exactly(void)
{
	int pid[30], bad = 0, st;

	for (int i = 0; i < 30; i++)
		if ((pid[i] = fork()) == 0)
			exit2(i);
	sleep(2);
	for (int i = 29; i >= 0; i -= 2)	/* every other one, by pid, backwards */
		bad += waitpid(pid[i], &st, 0) != pid[i] || st != i;
	int left = 0;
	while (wait() > 0)
		left++;
	bad += left != 15 || waitpid(pid[0], &st, 0) != -1;
	check("sched.wait_reaps_exactly_the_child", bad == 0, "a wrong child or status");
}

int main(void)
{
	exact_wakeups();
	timers_in_order();
	kill_ends_sleeps();
	wait_reaps_exactly();
	printf(1, "schedtest: %d passed, %d failed\n", passed, failed);
	exit2(failed != 0);
	return 0;
}
