/* user/kill.c: kill pid...: make processes exit. */
#include "user/user.h"

int main(int argc, char *argv[])
{
	int status = 0;

	for (int i = 1; i < argc; i++)
		if (kill(atoi(argv[i])) < 0) {
			printf(2, "kill: no process %s\n", argv[i]);
			status = 1;
		}
	exit2(argc < 2 ? 1 : status);
}
