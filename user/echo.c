/* user/echo.c: print the arguments. */
#include "user/user.h"

int main(int argc, char *argv[])
{
	for (int i = 1; i < argc; i++)
		printf(1, "%s%s", argv[i], i + 1 < argc ? " " : "\n");
	if (argc < 2)
		printf(1, "\n");
	exit();
}
