/*
 * kernel/dev/chardev.h: what a character device offers the file layer.
 * fs/file.c keeps a table of them by major number (the console is
 * major 1, as in xv6); a device file's read and write land here.
 */
#ifndef KERNEL_DEV_CHARDEV_H
#define KERNEL_DEV_CHARDEV_H

#include <stdint.h>

struct chardev {
	/* Up to n bytes into buf; the count, 0 at end of input, or -E (-EINTR if killed). */
	int (*read)(void *buf, uint32_t n);
	/* n bytes from buf; the count written or -E. */
	int (*write)(const void *buf, uint32_t n);
};
#endif
