/* user/grep.c: grep pattern [file...]: lines containing the pattern (literal). */
#include "user/user.h"

static char buf[4096];

static int contains(const char *line, const char *pat)
{
	uint n = strlen(pat);

	for (; *line; line++)
		if (!strncmp(line, pat, n))
			return 1;
	return 0;
}

static int grep(const char *pat, int fd)
{
	int n, have = 0, found = 0;

	while ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		char *p = buf, *q;
		have += n;
		buf[have] = '\0';
		while ((q = strchr(p, '\n')) != 0) {
			*q = '\0';
			if (contains(p, pat)) {
				*q = '\n';
				write(1, p, q + 1 - p);
				found = 1;
			}
			p = q + 1;
		}
		have -= p - buf;
		memmove(buf, p, have);
		if (have == (int)sizeof(buf) - 1)
			have = 0;		/* a line too long to keep: drop it */
	}
	return found;
}

int main(int argc, char *argv[])
{
	int found = 0;

	if (argc < 2)
		return printf(2, "usage: grep pattern [file...]\n"), exit2(2), 0;
	if (argc == 2)
		exit2(!grep(argv[1], 0));
	for (int i = 2; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			printf(2, "grep: cannot open %s\n", argv[i]);
			continue;
		}
		found |= grep(argv[1], fd);
		close(fd);
	}
	exit2(!found);
}
