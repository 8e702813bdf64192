/*
 * user/spawn.h: run a program in a child and wait for it, for the programs
 * that run others (wsbench, wsbtest). A header, not the user library: what
 * the library links goes into every program, and the docs' walkthroughs
 * depend on where init's pages fall.
 */
#ifndef USER_SPAWN_H
#define USER_SPAWN_H

#include "user/user.h"

/* Run path with arg in a child and wait: its exit status, or -1 if it
   could not be started (an exec that fails exits 127). */
static inline int spawn(const char *path, const char *arg)
{
	char *argv[] = { (char *)path, (char *)arg, 0 };
	int pid = fork(), status = -1;

	if (pid == 0) {
		exec((char *)path, argv);
		exit2(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}
#endif
