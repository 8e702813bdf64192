/* user/mv.c: mv old new: rename. */
#include "user/user.h"

int main(int argc, char *argv[])
{
	if (argc != 3)
		return printf(2, "usage: mv old new\n"), exit2(1), 0;
	if (rename(argv[1], argv[2]) < 0)
		return printf(2, "mv: cannot move %s to %s\n", argv[1], argv[2]), exit2(1), 0;
	exit();
}
