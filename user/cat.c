/* user/cat.c: copy files (or standard input) to standard output. */
#include "user/user.h"

static char buf[4096];

static int copy(int fd, const char *name)
{
	int n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			return printf(2, "cat: write error\n"), -1;
	if (n < 0)
		return printf(2, "cat: read error in %s\n", name), -1;
	return 0;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		exit2(copy(0, "stdin") < 0);
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			printf(2, "cat: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]) < 0;
		close(fd);
	}
	exit2(status);
}
