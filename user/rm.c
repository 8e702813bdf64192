/* user/rm.c: remove files (and empty directories, as xv6's unlink does). */
#include "user/user.h"

int main(int argc, char *argv[])
{
	int status = 0;

	for (int i = 1; i < argc; i++)
		if (unlink(argv[i]) < 0) {
			printf(2, "rm: cannot remove %s\n", argv[i]);
			status = 1;
		}
	exit2(argc < 2 ? 1 : status);
}
