/*
 * user/crash.c: die the ways docs/processes.md shows, one per argument:
 *
 *   crash code     write to our own code (a read-only file mapping)
 *   crash gate     int $32, a gate user mode may not use
 *   crash return   return from main, to the fake return address 0xffffffff
 *
 * Each ends with the kernel's "killed" message on the console; the shell
 * goes on.
 */
#include "user/user.h"

int main(int argc, char *argv[])
{
	if (argc == 2 && !strcmp(argv[1], "code"))
		*(volatile char *)main = 0;
	else if (argc == 2 && !strcmp(argv[1], "gate"))
		__asm__ volatile("int $32");
	else if (argc == 2 && !strcmp(argv[1], "return"))
		return 0;
	printf(2, "usage: crash code|gate|return\n");
	exit2(2);
}
