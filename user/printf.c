/*
 * user/printf.c: printf(fd, fmt, ...) as in xv6 (%d %x %p %s %c %%), plus
 * %u, a field width with '-' and '0', and snprintf.
 */
#include <stdarg.h>
#include "user/user.h"

struct sink {
	int fd;			/* >= 0: write there; else into buf */
	char *buf;
	int size, len;
	char out[128];		/* batched for write() */
	int n;
};

static void flush(struct sink *s)
{
	if (s->fd >= 0 && s->n)
		write(s->fd, s->out, s->n);
	s->n = 0;
}

static void put(struct sink *s, char c)
{
	if (s->fd >= 0) {
		if (s->n == (int)sizeof(s->out))
			flush(s);
		s->out[s->n++] = c;
	} else if (s->len + 1 < s->size) {
		s->buf[s->len] = c;
	}
	s->len++;
}

static void number(struct sink *s, unsigned v, int base, int neg, int width, char pad, int left)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	for (int w = n; !left && w < width; w++)
		put(s, pad);
	while (n)
		put(s, tmp[--n]);
	for (int w = n; left && w < width; w++)
		put(s, ' ');
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int width = 0, left = 0;
		char pad = ' ';

		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '-')
			left = 1, fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		switch (*fmt) {
		case 'd': {
			int v = va_arg(ap, int);
			number(s, v < 0 ? -(unsigned)v : (unsigned)v, 10, v < 0, width, pad, left);
			break;
		}
		case 'u': number(s, va_arg(ap, unsigned), 10, 0, width, pad, left); break;
		case 'x': number(s, va_arg(ap, unsigned), 16, 0, width, pad, left); break;
		case 'p':
			put(s, '0');
			put(s, 'x');
			number(s, va_arg(ap, unsigned), 16, 0, 8, '0', 0);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int n = 0;
			if (!str)
				str = "(null)";
			while (str[n])
				n++;
			for (int w = n; !left && w < width; w++)
				put(s, ' ');
			for (int i = 0; i < n; i++)
				put(s, str[i]);
			for (int w = n; left && w < width; w++)
				put(s, ' ');
			break;
		}
		case 'c': put(s, (char)va_arg(ap, int)); break;
		case '%': put(s, '%'); break;
		case '\0': return;
		default: put(s, '%'); put(s, *fmt); break;
		}
	}
}

void printf(int fd, const char *fmt, ...)
{
	struct sink s = { .fd = fd };
	va_list ap;

	va_start(ap, fmt);
	format(&s, fmt, ap);
	va_end(ap);
	flush(&s);
}

int snprintf(char *buf, int size, const char *fmt, ...)
{
	struct sink s = { .fd = -1, .buf = buf, .size = size };
	va_list ap;

	va_start(ap, fmt);
	format(&s, fmt, ap);
	va_end(ap);
	if (size > 0)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return s.len;
}
