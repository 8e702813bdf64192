/*
 * user/poweroff.c: poweroff (also halt): write the file system back and
 * switch the machine off, so that nothing written in the shell is lost to
 * the write-back window (5 seconds) when QEMU or Bochs goes away.
 */
#include "user/user.h"

int main(void)
{
	poweroff(POWEROFF_MAGIC1, POWEROFF_MAGIC2);
	printf(2, "poweroff: the file system could not be written back; still running\n");
	exit2(1);
	return 0;
}
