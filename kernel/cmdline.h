/*
 * kernel/cmdline.h: the kernel command line, parsed into named options.
 *
 *   selftest[=P1,P2]   run the self-tests at boot (only those whose names
 *                      start with one of the prefixes, or match exactly)
 *   harness            under the test harness: power off after the tests,
 *                      and on a panic, with an exit status
 *   init=/path         the first user program (default /bin/init); with
 *                      arguments, quote it: init="/bin/usertests proc."
 *   fork=share|copy    fork shares page tables (default) or copies them
 *   loglevel=N         show printk messages below level N (0..8)
 *   break              stop in the Bochs debugger once memory is set up
 *   slab_debug         poison and red-zone every slab cache (mm/slab.c)
 *   vmcheck            run rmap_verify() after every fork and exit; panic on a problem
 *   bench=NAME         run an in-kernel benchmark at boot (NAME: mm, fs)
 *
 * Words are separated by spaces; a value may be quoted ("..."). Unknown
 * options and bad values print a warning and leave the default.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include "kernel/param.h"

enum fork_mode { FORK_SHARE, FORK_COPY };

struct bootopts {
	bool selftest;
	char selftest_filter[NOPTVALUE];	/* empty: every test */
	bool harness;
	char init[NOPTVALUE];
	enum fork_mode fork;
	int loglevel;
	bool bochs_break;
	bool slab_debug;
	bool vmcheck;
	char bench[NOPTVALUE];
};

extern struct bootopts bootopts;
extern char boot_cmdline[NCMDLINE];

/* Reset o to the defaults, then apply cmdline; returns the warnings printed. */
int cmdline_parse(const char *cmdline, struct bootopts *o);
#endif
