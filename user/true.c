/* user/true.c: do nothing, successfully (the program forkbench execs). */
#include "user/user.h"

int main(void)
{
	exit();
}
