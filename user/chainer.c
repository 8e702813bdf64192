/*
 * user/chainer.c: xinit, wm, terminal: stand-ins for a desktop's process
 * chain. Each runs its arguments as a child program and waits for it, so
 * `xinit wm terminal sh` builds init -> ... -> xinit -> wm -> terminal -> sh.
 */
#include "user/user.h"

int main(int argc, char *argv[])
{
	char path[128];
	int pid, status = 0;

	if (argc < 2)
		return printf(2, "usage: %s program [args...]\n", argv[0]), exit2(2), 0;
	if ((pid = fork()) == 0) {
		snprintf(path, sizeof(path), "/bin/%s", argv[1]);
		exec(argv[1][0] == '/' ? argv[1] : path, argv + 1);
		printf(2, "%s: cannot run %s\n", argv[0], argv[1]);
		exit2(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		exit2(1);
	exit2(status);
}
