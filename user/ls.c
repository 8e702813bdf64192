/* user/ls.c: list directories (full ext2 names, through getdents). */
#include "user/user.h"

static struct pagoda_dirent ents[8];

static void show(const char *path, const char *name)
{
	char full[512];
	struct stat st;

	snprintf(full, sizeof(full), "%s/%s", path, name);
	if (stat(full, &st) < 0) {
		printf(1, "%s ?\n", name);
		return;
	}
	printf(1, "%-24s %d %5d %8d\n", name, st.type, st.ino, st.size);
}

static int ls(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY), n;

	if (fd < 0 || fstat(fd, &st) < 0)
		return printf(2, "ls: cannot open %s\n", path), 1;
	if (st.type != T_DIR) {
		printf(1, "%-24s %d %5d %8d\n", path, st.type, st.ino, st.size);
		close(fd);
		return 0;
	}
	while ((n = getdents(fd, ents, sizeof(ents))) > 0)
		for (int i = 0; i < n / (int)sizeof(ents[0]); i++)
			show(path, ents[i].name);
	close(fd);
	return 0;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		exit2(ls("."));
	for (int i = 1; i < argc; i++)
		status |= ls(argv[i]);
	exit2(status);
}
