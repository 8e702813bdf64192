/*
 * kernel/proc/vmview.h: address spaces, page tables and their sharing as
 * JSON (sysinfo SI_VMVIEW; user/vmview.c prints it, tools/vmview.py draws
 * it: docs/shared-page-tables.md).
 */
#ifndef KERNEL_PROC_VMVIEW_H
#define KERNEL_PROC_VMVIEW_H

#include <stdint.h>

/* SI_VMVIEW: the processes whose pids ubuf holds as text (none: all), one
   JSON line each, into ubuf; the length, -ESRCH for a pid with no address
   space, -EINVAL for text that is not pids, -EFAULT for a bad buffer. */
int vmview_dump(uint32_t ubuf, int len);

#endif
