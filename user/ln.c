/* user/ln.c: ln old new: a second name for a file. */
#include "user/user.h"

int main(int argc, char *argv[])
{
	if (argc != 3)
		return printf(2, "usage: ln old new\n"), exit2(1), 0;
	if (link(argv[1], argv[2]) < 0)
		return printf(2, "ln: cannot link %s to %s\n", argv[2], argv[1]), exit2(1), 0;
	exit();
}
