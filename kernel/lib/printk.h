/*
 * kernel/lib/printk.h: the kernel's printf. A message may start with a
 * level prefix (KERN_ERR "..."); without one its level is KERN_INFO.
 * Every message goes into the log ring; those below console_loglevel
 * (the `loglevel` option) also go to each registered sink, which is how
 * the console driver, a layer above, gets them: printk itself knows no
 * device.
 */
#ifndef KERNEL_LIB_PRINTK_H
#define KERNEL_LIB_PRINTK_H

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
#define NPRINTK_SINKS		4

/* Messages of a lower level than this are shown (the loglevel option). */
extern int console_loglevel;

/* Format and log a message (see the top of this file); its length. */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* printk with a va_list. */
int vprintk(const char *fmt, va_list ap);

/* Where shown messages go: write n bytes of a message of the given level. */
typedef void (*printk_sink_t)(const char *s, size_t n, int level);
/* Add a sink (the console registers one); -1 if the table is full. */
int printk_add_sink(printk_sink_t sink);

/* Copy the newest bytes of the log into buf; returns the count copied. */
size_t printk_log_read(char *buf, size_t size);
#endif
