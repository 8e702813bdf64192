/* user/wc.c: count lines, words and bytes. */
#include "user/user.h"

static char buf[4096];

static void wc(int fd, const char *name)
{
	int n, lines = 0, words = 0, bytes = 0, inword = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (int i = 0; i < n; i++) {
			bytes++;
			lines += buf[i] == '\n';
			if (strchr(" \r\t\n\v", buf[i]))
				inword = 0;
			else if (!inword)
				words++, inword = 1;
		}
	printf(1, "%d %d %d %s\n", lines, words, bytes, name);
}

int main(int argc, char *argv[])
{
	if (argc < 2)
		wc(0, "");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			printf(2, "wc: cannot open %s\n", argv[i]);
			exit2(1);
		}
		wc(fd, argv[i]);
		close(fd);
	}
	exit();
}
