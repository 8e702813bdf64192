/*
 * user/init.c: the first process. Runs the shell on the console, starting
 * it again whenever it exits, and reaps orphans meanwhile. The kernel has
 * already opened the console as fds 0, 1 and 2.
 */
#include "user/user.h"

int main(void)
{
	char *argv[] = { "sh", 0 };

	for (;;) {
		int pid = fork();
		if (pid < 0) {
			printf(2, "init: fork failed\n");
			sleep(100);
			continue;
		}
		if (pid == 0) {
			exec("/bin/sh", argv);
			printf(2, "init: cannot run /bin/sh\n");
			exit();
		}
		while (wait() != pid)		/* orphans come and go here too */
			;
	}
}
