/* user/sleep.c: sleep ticks: wait that many timer ticks (100 a second). */
#include "user/user.h"

int main(int argc, char *argv[])
{
	if (argc != 2)
		return printf(2, "usage: sleep ticks\n"), exit2(1), 0;
	sleep(atoi(argv[1]));
	exit();
}
