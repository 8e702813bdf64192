/*
 * kernel/printk.h: the kernel's printf. A message may start with a level
 * prefix (KERN_ERR "..."); messages at or above console_loglevel are kept
 * in the log buffer but not shown. Without a prefix the level is KERN_INFO.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

#define KERN_EMERG	"<0>"
#define KERN_ALERT	"<1>"
#define KERN_CRIT	"<2>"
#define KERN_ERR	"<3>"
#define KERN_WARNING	"<4>"
#define KERN_NOTICE	"<5>"
#define KERN_INFO	"<6>"
#define KERN_DEBUG	"<7>"

#define LOGLEVEL_DEFAULT	6	/* level of a message without a prefix */
#define CONSOLE_LOGLEVEL	7	/* show levels 0..6, hide debug */

extern int console_loglevel;

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);

/* Copy the newest bytes of the log into buf; returns the count copied. */
size_t printk_log_read(char *buf, size_t size);
#endif
