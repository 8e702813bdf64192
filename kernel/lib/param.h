/*
 * kernel/lib/param.h: the kernel's fixed limits, in one place. Each is a
 * compile-time constant with an N prefix (xv6's param.h).
 */
#ifndef KERNEL_LIB_PARAM_H
#define KERNEL_LIB_PARAM_H

#define HZ		100	/* timer interrupts per second */
#define NCONSINPUT	256	/* console input queue, bytes */
#define NLOGBUF		16384	/* printk log ring, bytes */
#define NCMDLINE	512	/* kernel command line, bytes */
#define NOPTVALUE	128	/* longest value of one command-line option */
#define NMEMRANGE	64	/* memory-map entries kept */
#define NRESERVED	32	/* reserved physical ranges kept */
#define NBACKTRACE	24	/* frames printed by a backtrace */
#define MIN_RAM_MIB	16	/* Pagoda refuses to run with less */
#define NPROC		16384	/* processes at most */
#define FORK_RESERVE_PAGES 256	/* fork refuses below this many free pages */

#endif
