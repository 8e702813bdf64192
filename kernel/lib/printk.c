/*
 * kernel/lib/printk.c: formatted kernel messages.
 *
 * Every message is formatted into a line buffer, appended to the log ring
 * (so a later dmesg can show what scrolled away), and handed to every sink
 * if its level is below console_loglevel. The level prefix itself is never
 * printed; sinks get the level instead (the console colours by it).
 */
#include "kernel/lib/printk.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/param.h"
#include "kernel/lib/tunable.h"
#include "kernel/lib/x86.h"

int console_loglevel = CONSOLE_LOGLEVEL;
TUNABLE_INT(loglevel, &console_loglevel, 0, 8, "show printk messages below this level");

static printk_sink_t sinks[NPRINTK_SINKS];

int printk_add_sink(printk_sink_t sink)
{
	for (int i = 0; i < NPRINTK_SINKS; i++)
		if (!sinks[i]) {
			sinks[i] = sink;
			return 0;
		}
	return -1;
}

static struct {
	char buf[NLOGBUF];
	size_t w;		/* bytes ever written; buf holds the last NLOGBUF */
} log;

static void log_append(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log.buf[log.w++ % NLOGBUF] = s[i];
}

size_t printk_log_read(char *buf, size_t size)
{
	int was = irq_save();
	size_t n = MIN(size, MIN(log.w, (size_t)NLOGBUF));

	for (size_t i = 0; i < n; i++)
		buf[i] = log.buf[(log.w - n + i) % NLOGBUF];
	irq_restore(was);
	return n;
}

static int message_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] == '<' && f[1] >= '0' && f[1] <= '7' && f[2] == '>') {
		*fmt = f + 3;
		return f[1] - '0';
	}
	return LOGLEVEL_DEFAULT;
}

int vprintk(const char *fmt, va_list ap)
{
	char line[512];
	int level = message_level(&fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	int was;

	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	was = irq_save();
	log_append(line, n);
	if (level < console_loglevel)
		for (int i = 0; i < NPRINTK_SINKS && sinks[i]; i++)
			sinks[i](line, n, level);
	irq_restore(was);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
